//! One module per subcommand: the only places that wire files, the terminal and the
//! library together.

pub mod banks;
pub mod completions;
pub mod config;
pub mod devices;
mod logs;
pub mod man;
pub mod report;
pub mod review;
pub mod run;
pub mod sounds;

/// Tells the person what an import took and left out, on stderr so that the questions on
/// stdout stay clean.
pub fn tell_import(report: &crate::bank::ImportReport) {
    use crate::text::sanitize;
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    for warning in &report.warnings {
        let _ = writeln!(err, "rehearse: warning: {}", sanitize(warning));
    }
    let _ = writeln!(err, "{}", sanitize(&report.to_string()));
}
