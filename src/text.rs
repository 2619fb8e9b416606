//! Text from files is untrusted: before it reaches the terminal, control characters and
//! escape sequences go, so a question cannot retitle the window, move the cursor or hide
//! itself.

/// Removes ANSI escape sequences and control characters; tabs and newlines become spaces.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            // Bidirectional overrides can reorder what is shown.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars>) {
    match chars.next() {
        Some('[') => skip_csi(chars),
        // OSC, DCS, APC, PM, SOS: up to BEL or ST (ESC \).
        Some(']' | 'P' | '_' | '^' | 'X') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' || (c == '\u{1b}' && chars.peek() == Some(&'\\')) {
                    if c == '\u{1b}' {
                        chars.next();
                    }
                    break;
                }
            }
        }
        // Two-character sequences (ESC c, ESC 7, ...): the second one is gone too.
        _ => {}
    }
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// The known name closest to a misspelt one, if any is close; the first of equals.
pub fn did_you_mean<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let name = name.to_lowercase();
    let mut best: Option<(f64, &'k str)> = None;
    for k in known {
        let score = strsim::jaro_winkler(&name, &k.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| k)
}

/// The `n` known names closest to a misspelt one, closest first: a short list to choose
/// from instead of every name there is.
pub fn closest<'k>(name: &str, known: &[&'k str], n: usize) -> Vec<&'k str> {
    let name = name.to_lowercase();
    let mut scored: Vec<(f64, &'k str)> = known
        .iter()
        .map(|k| {
            let k_lower = k.to_lowercase();
            // A name that holds what was typed comes before one that merely looks alike.
            let holds = if k_lower.contains(&name) { 1.0 } else { 0.0 };
            (holds + strsim::jaro_winkler(&name, &k_lower), *k)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(n).map(|(_, k)| k).collect()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `12.3 MiB`, for messages about sizes (limits are in MiB).
pub fn mebibytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// `60.0 KiB`, for messages about small sizes.
pub fn kibibytes(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_and_controls_are_removed() {
        let cases = [
            ("plain text?", "plain text?"),
            ("\u{1b}[31mred\u{1b}[0m", "red"),
            ("\u{1b}]0;owned title\u{7}Question", "Question"),
            ("\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\", "link"),
            ("move\u{1b}[2J\u{1b}[Hcursor", "movecursor"),
            ("tab\there\nnext", "tab here next"),
            ("bell\u{7}\u{0}", "bell"),
            ("\u{1b}cReset", "Reset"),
            ("csi\u{9b}31mx", "csix"),
            ("abc\u{202e}def", "abcdef"),
            ("café – ok", "café – ok"),
        ];
        for (input, expected) in cases {
            assert_eq!(sanitize(input), expected, "{input:?}");
        }
    }
}
