//! Writing a file whole and safely: into a temporary file beside it, created fresh (never
//! through a link planted at its name), owner-only, then renamed over the target.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `target` by way of `temp` (which must be in the same folder).
pub fn write_replacing(target: &Path, temp: &Path, bytes: &[u8]) -> io::Result<()> {
    write_replacing_with(target, temp, |out| out.write_all(bytes))
}

/// The same, for what `write` writes as it goes.
pub fn write_replacing_with(
    target: &Path,
    temp: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
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
    let file = options.open(temp)?;
    let mut out = io::BufWriter::new(file);
    if let Err(e) = write(&mut out).and_then(|()| out.flush()) {
        // Nothing half-written is left behind.
        drop(out);
        let _ = std::fs::remove_file(temp);
        return Err(e);
    }
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(temp, target)
}

/// Opens `path` for reading if it is a regular file: never a pipe, a device or a folder,
/// and, unless `follow_links`, never through a link. Opening does not wait (a pipe with
/// no writer would hold it for ever); the error says what was found instead.
pub fn open_regular(path: &Path, follow_links: bool) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let links = if follow_links { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | links);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if !follow_links && e.raw_os_error() == Some(libc::ELOOP) {
            return io::Error::new(
                io::ErrorKind::InvalidInput,
                "a link, which is not followed here",
            );
        }
        e
    })?;
    let kind = file.metadata()?.file_type();
    if kind.is_file() {
        return Ok(file);
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("not a file but {}", what_it_is(kind)),
    ))
}

fn what_it_is(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "something else"
    }
}

/// Reads a whole regular file (see [`open_regular`]) of at most `most` bytes; a larger
/// one is refused, even if it grows while it is read.
pub fn read_regular(path: &Path, follow_links: bool, most: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_regular(path, follow_links)?;
    let too_big = || {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {}", crate::text::mebibytes(most)),
        )
    };
    if file.metadata()?.len() > most {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(most + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > most {
        return Err(too_big());
    }
    Ok(bytes)
}

/// The bytes still free on the file system that holds `file`, for an ordinary user (what
/// is kept back for the administrator does not count); none where this cannot be told.
pub fn free_space(file: &std::fs::File) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: fstatvfs only writes into the struct we own, for a descriptor `file` owns.
        let stats = unsafe {
            let mut stats: libc::statvfs = std::mem::zeroed();
            if libc::fstatvfs(file.as_raw_fd(), &mut stats) != 0 {
                return None;
            }
            stats
        };
        #[allow(clippy::unnecessary_cast)] // the fields' types differ between systems
        Some(stats.f_bavail as u64 * stats.f_frsize as u64)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn only_a_regular_file_is_read_and_only_so_much() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.wav");
        std::fs::write(&file, b"RIFF....").unwrap();
        assert_eq!(read_regular(&file, false, 100).unwrap(), b"RIFF....");
        let e = read_regular(&file, false, 4).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
        let link = dir.path().join("link.wav");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert_eq!(read_regular(&link, true, 100).unwrap(), b"RIFF....");
        let e = read_regular(&link, false, 100).unwrap_err();
        assert!(e.to_string().contains("a link"), "{e}");
        // A pipe nobody writes to: refused at once, not waited on.
        let fifo = dir.path().join("fifo.wav");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let e = read_regular(&fifo, true, 100).unwrap_err();
        assert!(e.to_string().contains("a pipe"), "{e}");
        let e = read_regular(Path::new("/dev/zero"), true, 100).unwrap_err();
        assert!(e.to_string().contains("a device"), "{e}");
        let e = read_regular(dir.path(), true, 100).unwrap_err();
        assert!(e.to_string().contains("a folder"), "{e}");
    }

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
