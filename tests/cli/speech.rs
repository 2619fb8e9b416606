//! The speech model and ONNX Runtime for the tests: the two published wheels, fetched with
//! pip into `target/test-models/wheels` when they are not there yet (checked by SHA-256),
//! and their files unpacked into `target/test-models/model`. Without pip or a network the
//! tests that need them fail and name the command to run.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// A wheel's file name, its SHA-256, and the files taken out of it (path inside, name).
type Wheel = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The wheels.
pub const WHEELS: [Wheel; 2] = [
    (
        "moonshine_cpp-0.1.4-py3-none-manylinux2014_x86_64.whl",
        "f7afc662bdd3ef98815ee3b940438b456e77d5a77cea5396ed9c572785412ebd",
        &[
            (
                "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/encoder_model.ort",
                "encoder_model.ort",
            ),
            (
                "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/decoder_model_merged.ort",
                "decoder_model_merged.ort",
            ),
            (
                "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/tokenizer.bin",
                "tokenizer.bin",
            ),
        ],
    ),
    (
        "onnxruntime-1.31.1-cp311-cp311-manylinux_2_28_x86_64.whl",
        "5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f",
        &[(
            "onnxruntime/capi/libonnxruntime.so.1.31.1",
            "libonnxruntime.so.1.31.1",
        )],
    ),
];

/// The command that fetches the wheels, as the issue and `.ci/run` give it.
pub const PIP: &str = "pip download --no-deps --only-binary=:all: --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --python-version 3.11 -d DIR onnxruntime==1.31.1 moonshine-cpp==0.1.4";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("test-models")
}

fn sha256(path: &Path) -> String {
    let mut file = std::fs::File::open(path).expect("open");
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buffer).expect("read");
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One test at a time fetches and unpacks.
static FETCHING: Mutex<()> = Mutex::new(());

/// The folder holding both wheels, fetched now if they are missing.
pub fn wheels() -> PathBuf {
    let _one = FETCHING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = root().join("wheels");
    let complete = |dir: &Path| {
        WHEELS
            .iter()
            .all(|(file, sum, _)| dir.join(file).is_file() && sha256(&dir.join(file)) == *sum)
    };
    if !complete(&dir) {
        std::fs::create_dir_all(&dir).expect("target/test-models/wheels");
        let command = PIP.replace("DIR", &dir.display().to_string());
        let words: Vec<&str> = command.split(' ').collect();
        let status = Command::new(words[0]).args(&words[1..]).status();
        assert!(
            matches!(status, Ok(s) if s.success()) && complete(&dir),
            "the speech model's wheels are missing and could not be fetched; run: {command}"
        );
    }
    dir
}

/// The model folder: the three model files and the library beside them.
pub fn model() -> PathBuf {
    let wheels = wheels();
    let _one = FETCHING.lock().unwrap_or_else(|e| e.into_inner());
    let dir = root().join("model");
    std::fs::create_dir_all(&dir).expect("target/test-models/model");
    for (file, _, members) in WHEELS {
        for (member, name) in members {
            if dir.join(name).is_file() {
                continue;
            }
            let mut archive =
                zip::ZipArchive::new(std::fs::File::open(wheels.join(file)).expect("wheel"))
                    .expect("a zip");
            let mut entry = archive.by_name(member).expect("the member");
            let partial = dir.join(format!("{name}.partial"));
            let mut out = std::fs::File::create(&partial).expect("create");
            std::io::copy(&mut entry, &mut out).expect("unpack");
            std::fs::rename(&partial, dir.join(name)).expect("rename");
        }
    }
    dir
}

/// A cache shared by the tests, so the model is converted once.
pub fn cache() -> PathBuf {
    root().join("cache")
}

/// `rehearse` with the model, the library and the shared cache.
pub fn with_model(env: &crate::util::Env) -> assert_cmd::Command {
    let model = model();
    let mut cmd = env.cmd();
    cmd.env("REHEARSE_MODEL", &model)
        .env("REHEARSE_CACHE_DIR", cache());
    cmd
}

/// A WAV file of espeak-ng saying `text` at 16 kHz, or a failure naming the package.
pub fn say(dir: &Path, name: &str, text: &str) -> PathBuf {
    let raw = dir.join(format!("{name}.raw.wav"));
    let out = dir.join(format!("{name}.wav"));
    let spoke = Command::new("espeak-ng")
        .arg("-w")
        .arg(&raw)
        .arg(text)
        .status();
    assert!(
        matches!(spoke, Ok(s) if s.success()),
        "espeak-ng is missing: apt-get install espeak-ng"
    );
    let converted = Command::new("sox")
        .arg(&raw)
        .arg("-r")
        .arg("16000")
        .arg(&out)
        .status();
    assert!(
        matches!(converted, Ok(s) if s.success()),
        "sox is missing: apt-get install sox"
    );
    out
}

/// Word error rate of `heard` against `said`: word edits over the words said, ignoring
/// case, punctuation, and how numbers are written.
pub fn word_error(said: &str, heard: &str) -> f64 {
    let norm = |t: &str| -> Vec<String> {
        t.split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric() || *c == '\'')
                    .collect::<String>()
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (a, b) = (norm(said), norm(heard));
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let next = (row[j] + 1).min(row[j - 1] + 1).min(prev + cost);
            prev = row[j];
            row[j] = next;
        }
    }
    row[b.len()] as f64 / a.len().max(1) as f64
}
