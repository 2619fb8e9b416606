//! The recordings' folder of one session, made by that session and only then written to:
//! a folder that was already there (or a link in its place) is refused, and each file is
//! created new inside the folder that was made, never through a link and never over a
//! file that is there.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

pub struct Folder {
    path: PathBuf,
    /// The folder itself, held open: files are made in it even if its name is moved or
    /// replaced afterwards.
    #[cfg(unix)]
    dir: File,
}

impl Folder {
    /// Makes the folder, readable by its owner only. Anything already at its name is
    /// refused: the session did not make it, so its recordings do not go there.
    pub fn make(path: &Path) -> io::Result<Folder> {
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(path).map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                io::Error::new(
                    e.kind(),
                    "something is already there (this session did not make it)",
                )
            } else {
                e
            }
        })?;
        Ok(Folder {
            path: path.to_path_buf(),
            #[cfg(unix)]
            dir: open_dir(path)?,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new file named `name` in the folder, readable by its owner only; an error if
    /// anything is at that name already.
    #[cfg(unix)]
    pub fn create(&self, name: &str) -> io::Result<File> {
        use std::os::fd::{AsRawFd, FromRawFd};
        let name = std::ffi::CString::new(name).map_err(io::Error::other)?;
        let flags =
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW | libc::O_CLOEXEC;
        // SAFETY: openat with a descriptor this folder owns and a NUL-terminated name; the
        // descriptor it returns is owned by the `File` made from it and nothing else.
        let fd = unsafe { libc::openat(self.dir.as_raw_fd(), name.as_ptr(), flags, 0o600) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just opened above and is owned by nothing else.
        Ok(unsafe { File::from_raw_fd(fd) })
    }

    #[cfg(not(unix))]
    pub fn create(&self, name: &str) -> io::Result<File> {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.path.join(name))
    }
}

/// Opens the folder just made, refusing a link put in its place since.
#[cfg(unix)]
fn open_dir(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    #[test]
    fn a_folder_is_made_new_and_files_in_it_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        let folder = Folder::make(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        drop(folder.create("01-a.flac").unwrap());
        let mode = std::fs::metadata(path.join("01-a.flac"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        // Never over a file that is there, nor through a link.
        let e = folder.create("01-a.flac").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        symlink(&victim, path.join("02-b.flac")).unwrap();
        assert!(folder.create("02-b.flac").is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    }

    #[test]
    fn a_folder_that_was_there_or_a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let there = dir.path().join("there");
        std::fs::create_dir(&there).unwrap();
        let e = Folder::make(&there).err().unwrap();
        assert!(e.to_string().contains("did not make it"), "{e}");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let link = dir.path().join("link");
        symlink(&elsewhere, &link).unwrap();
        assert!(Folder::make(&link).is_err());
        // A dangling link too: nothing is made where it points.
        let dangling = dir.path().join("dangling");
        symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(Folder::make(&dangling).is_err());
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn files_go_into_the_folder_made_even_if_its_name_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        let folder = Folder::make(&path).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::rename(&path, dir.path().join("moved")).unwrap();
        symlink(&elsewhere, &path).unwrap();
        drop(folder.create("01-a.flac").unwrap());
        assert!(dir.path().join("moved/01-a.flac").is_file());
        assert!(!elsewhere.join("01-a.flac").exists());
    }
}
