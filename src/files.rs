//! Writing a file whole and safely: into a temporary file beside it, created fresh (never
//! through a link planted at its name), owner-only, then renamed over the target.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `target` by way of `temp` (which must be in the same folder).
pub fn write_replacing(target: &Path, temp: &Path, bytes: &[u8]) -> io::Result<()> {
    // A leftover from a crash, or a link someone put there: remove the name itself (a
    // link is removed, never followed), then create the file anew.
    match std::fs::remove_file(temp) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(temp, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        let temp = dir.path().join("out.tmp");
        std::os::unix::fs::symlink(&victim, &temp).unwrap();
        let target = dir.path().join("out");
        write_replacing(&target, &temp, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert!(!temp.exists());
    }
}
