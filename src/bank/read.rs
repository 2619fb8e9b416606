//! Reading a bank or question list from disk: the size is checked before anything is
//! read, binary files are refused, and text is decoded (UTF-8, UTF-16 with a byte order
//! mark, or Windows-1252 with a warning for old Windows files). Nothing here parses.

use std::io::Read;
use std::path::Path;

use super::BankError;
use crate::text::line_column;

/// The biggest file rehearse reads. Real banks and lists are a few hundred kilobytes at
/// most; anything bigger is a mistake, and reading it would only fill memory.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Text decoded from a file, with a note for the person when it was not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// Reads at most [`MAX_FILE_BYTES`]. The size is checked before reading, and the read
/// itself is capped too, for files whose size the file system does not know (pipes,
/// `/dev/zero`).
pub fn read_capped(path: &Path) -> Result<Vec<u8>, BankError> {
    let io = |source| BankError::Read {
        path: path.to_path_buf(),
        error: source,
    };
    // Opening a pipe would wait for a writer, and a device may never end.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(io(std::io::Error::other("not a regular file")));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(BankError::TooBig {
            path: path.to_path_buf(),
            size,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(BankError::TooBig {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// How text that is not UTF-8 is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// Bank files are TOML or JSON, which are UTF-8 by definition: refuse anything else.
    Refuse,
    /// Question lists come from anywhere: read them as Windows-1252 and say so.
    Windows1252,
}

/// Decodes file bytes. A byte order mark decides first (UTF-8 or UTF-16); then a NUL byte
/// means a binary file; then UTF-8, or the legacy fallback.
pub fn decode(bytes: &[u8], path: &Path, legacy: Legacy) -> Result<Decoded, BankError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let warning = had_errors.then(|| {
            format!(
                "{}: some bytes are not valid {}; they are shown as \u{fffd}",
                path.display(),
                encoding.name()
            )
        });
        return Ok(Decoded {
            text: text.into_owned(),
            warning,
        });
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = byte_position(bytes, nul);
        return Err(BankError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: "a NUL byte: this is a binary file, not a question list or bank \
                (rehearse reads .toml, .json, .md, .txt, .csv and .tsv text files)"
                .to_string(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            warning: None,
        }),
        Err(e) => {
            let (line, column) = byte_position(bytes, e.valid_up_to());
            match legacy {
                Legacy::Refuse => Err(BankError::Syntax {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: "not valid UTF-8 text; save the file as UTF-8".to_string(),
                }),
                Legacy::Windows1252 => {
                    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                    Ok(Decoded {
                        text: text.into_owned(),
                        warning: Some(format!(
                            "{}:{line}:{column}: not valid UTF-8; read the file as Windows-1252 \
                             (check accented letters, or save it as UTF-8)",
                            path.display()
                        )),
                    })
                }
            }
        }
    }
}

/// Line and column of a byte offset in bytes that may not be valid UTF-8 after it.
fn byte_position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]);
    line_column(&before, before.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8], legacy: Legacy) -> Result<Decoded, String> {
        decode(bytes, Path::new("f.txt"), legacy).map_err(|e| e.to_string())
    }

    #[test]
    fn encodings() {
        let plain = decoded(b"What?\n", Legacy::Refuse).unwrap();
        assert_eq!((plain.text.as_str(), plain.warning), ("What?\n", None));

        let bom = decoded(b"\xef\xbb\xbfWhat?", Legacy::Refuse).unwrap();
        assert_eq!(bom.text, "What?");

        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Caf\u{e9}?".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let utf16 = decoded(&utf16, Legacy::Refuse).unwrap();
        assert_eq!((utf16.text.as_str(), utf16.warning), ("Caf\u{e9}?", None));

        let old = decoded(
            b"1. Caf\xe9 or th\xe9?\n2. \x93Quoted\x94",
            Legacy::Windows1252,
        )
        .unwrap();
        assert_eq!(
            old.text,
            "1. Caf\u{e9} or th\u{e9}?\n2. \u{201c}Quoted\u{201d}"
        );
        assert_eq!(
            old.warning.unwrap(),
            "f.txt:1:7: not valid UTF-8; read the file as Windows-1252 \
             (check accented letters, or save it as UTF-8)"
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(
            decoded(b"ok\nn\xe9", Legacy::Refuse).unwrap_err(),
            "f.txt:2:2: not valid UTF-8 text; save the file as UTF-8"
        );
        let binary = decoded(b"\x89PNG\r\n\x1a\n\0\0", Legacy::Windows1252).unwrap_err();
        assert!(
            binary.starts_with("f.txt:3:1: a NUL byte: this is a binary file"),
            "{binary}"
        );
    }

    #[test]
    fn big_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        // A sparse file: the size says 11 MB without writing them.
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1024 * 1024).unwrap();
        let e = read_capped(&path).unwrap_err().to_string();
        assert!(e.contains("big.md: 11.0 MiB is too big"), "{e}");
        assert!(e.contains("10.0 MiB"), "{e}");

        std::fs::write(&path, "1. Small?\n").unwrap();
        assert_eq!(read_capped(&path).unwrap(), b"1. Small?\n");
    }
}
