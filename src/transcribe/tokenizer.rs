//! The speech model's vocabulary (`tokenizer.bin`): token ids back to text. Pure.
//!
//! The file is a table of byte strings, one per token id in order, each preceded by its
//! length: one byte below 128, else two (the low seven bits first, then the next byte
//! counts 128s). A word starts with "▁", which stands for a space; tokens 3 to 258 are the
//! single bytes a rare character is spelt with.

/// The token that starts every transcript.
pub const START: i64 = 1;
/// The token that ends it.
pub const END: i64 = 2;

/// SentencePiece's mark for a space before a word.
const SPACE: &str = "\u{2581}";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokenizer {
    tokens: Vec<Vec<u8>>,
}

impl Tokenizer {
    /// Reads the table; `Err` says what is wrong with it, for a "damaged file" message.
    pub fn parse(bytes: &[u8]) -> Result<Tokenizer, String> {
        let mut tokens = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let first = bytes[at] as usize;
            at += 1;
            let len = if first < 128 {
                first
            } else {
                let second = *bytes.get(at).ok_or_else(|| {
                    format!("it ends inside the length of token {}", tokens.len())
                })?;
                at += 1;
                (first - 128) + 128 * second as usize
            };
            let token = bytes.get(at..at + len).ok_or_else(|| {
                format!(
                    "token {} needs {len} bytes but the file ends first",
                    tokens.len()
                )
            })?;
            tokens.push(token.to_vec());
            at += len;
        }
        if tokens.len() <= END as usize {
            return Err(format!(
                "it holds {} tokens, too few for a vocabulary",
                tokens.len()
            ));
        }
        Ok(Tokenizer { tokens })
    }

    /// The text of these tokens: special tokens (`<s>`, `</s>`, `<unk>`) and ids outside
    /// the table are left out, "▁" becomes a space, bytes that are not UTF-8 are replaced.
    pub fn decode(&self, ids: &[i64]) -> String {
        let mut bytes = Vec::new();
        for &id in ids {
            let Some(token) = usize::try_from(id).ok().and_then(|i| self.tokens.get(i)) else {
                continue;
            };
            let special = token.len() > 2 && token[0] == b'<' && token[token.len() - 1] == b'>';
            if !special {
                bytes.extend_from_slice(token);
            }
        }
        String::from_utf8_lossy(&bytes)
            .replace(SPACE, " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(tokens: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for t in tokens {
            if t.len() < 128 {
                out.push(t.len() as u8);
            } else {
                out.push((t.len() % 128) as u8 + 128);
                out.push((t.len() / 128) as u8);
            }
            out.extend_from_slice(t);
        }
        out
    }

    #[test]
    fn tokens_decode_to_words_with_spaces() {
        let long = vec![b'x'; 300];
        let bytes = table(&[
            b"<unk>",
            b"<s>",
            b"</s>",
            "\u{2581}Um".as_bytes(),
            b",",
            "\u{2581}so".as_bytes(),
            b"\xc3",
            b"\xa9",
            &long,
            b"",
        ]);
        let tokenizer = Tokenizer::parse(&bytes).unwrap();
        assert_eq!(tokenizer.tokens.len(), 10);
        assert_eq!(tokenizer.decode(&[1, 3, 4, 5, 6, 7, 2]), "Um, so\u{e9}");
        assert_eq!(tokenizer.decode(&[8]).len(), 300, "a two-byte length");
        assert_eq!(
            tokenizer.decode(&[9, 99_999, -1, 3]),
            "Um",
            "unknown ids are left out"
        );
    }

    #[test]
    fn a_cut_table_is_an_error_not_a_panic() {
        let bytes = table(&[b"<unk>", b"<s>", b"</s>", b"word"]);
        for cut in 1..bytes.len() {
            let _ = Tokenizer::parse(&bytes[..cut]);
        }
        assert!(
            Tokenizer::parse(&bytes[..bytes.len() - 1])
                .unwrap_err()
                .contains("token 3 needs 4 bytes")
        );
        assert!(
            Tokenizer::parse(&[0xff])
                .unwrap_err()
                .contains("inside the length")
        );
        assert!(Tokenizer::parse(b"").unwrap_err().contains("too few"));
    }
}
