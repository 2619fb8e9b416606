//! One module per subcommand: the only places that wire files, the terminal and the
//! library together.

pub mod banks;
pub mod completions;
pub mod config;
pub mod devices;
pub mod feedback;
mod logs;
pub mod man;
pub mod models;
pub mod report;
pub mod review;
pub mod run;
pub mod sounds;

/// Tells the person what an import took and left out, with the lines it left out or read
/// differently (all of them with `all`; else the first few and `more`, how to see the
/// rest), on stderr so that the questions on stdout stay clean.
pub fn tell_import(report: &crate::bank::ImportReport, all: bool, more: &str) {
    use crate::text::sanitize;
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    for warning in &report.warnings {
        let _ = writeln!(err, "rehearse: warning: {}", sanitize(warning));
    }
    let _ = writeln!(err, "{}", sanitize(&report.to_string()));
    for line in report.note_lines(all, more) {
        let _ = writeln!(err, "{}", sanitize(&line));
    }
}
