//! Where rehearse keeps files. XDG folders through the `directories` crate, each with an
//! environment override so tests (and people) can point everything at another folder.

use std::path::PathBuf;

/// The folders in use, resolved once.
#[derive(Debug, Clone)]
pub struct Paths {
    /// User banks that override or add to the built-in ones.
    pub banks: Option<PathBuf>,
    /// Session logs.
    pub sessions: Option<PathBuf>,
    /// `sessions` was set by `REHEARSE_LOG_DIR`, which beats the config file.
    pub sessions_from_env: bool,
}

impl Paths {
    /// `REHEARSE_DATA_DIR` replaces the data folder, `REHEARSE_LOG_DIR` the sessions folder.
    pub fn from_env() -> Paths {
        let data = data_dir();
        let log_env = env_path("REHEARSE_LOG_DIR");
        Paths {
            banks: data.as_ref().map(|d| d.join("banks")),
            sessions_from_env: log_env.is_some(),
            sessions: log_env.or_else(|| data.as_ref().map(|d| d.join("sessions"))),
        }
    }
}

/// The data folder: `REHEARSE_DATA_DIR`, else the platform's (`~/.local/share/rehearse`).
pub fn data_dir() -> Option<PathBuf> {
    env_path("REHEARSE_DATA_DIR").or_else(|| {
        directories::ProjectDirs::from("", "", "rehearse").map(|d| d.data_dir().to_path_buf())
    })
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Where the speech model and its runtime are looked for, from the environment: read once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelPaths {
    /// `REHEARSE_MODEL`: the model's folder.
    pub model_env: Option<PathBuf>,
    /// `ORT_DYLIB_PATH`: the ONNX Runtime library.
    pub library_env: Option<PathBuf>,
    /// The model's folder when nothing names one: `models/moonshine-base-en` in the data
    /// folder.
    pub default_model: Option<PathBuf>,
    /// Where the converted model is kept.
    pub cache: Option<PathBuf>,
}

impl ModelPaths {
    pub fn from_env() -> ModelPaths {
        ModelPaths {
            model_env: env_path("REHEARSE_MODEL"),
            library_env: env_path("ORT_DYLIB_PATH"),
            default_model: data_dir()
                .map(|d| d.join("models").join(crate::transcribe::files::MODEL_NAME)),
            cache: cache_dir(),
        }
    }
}

/// The cache folder: `REHEARSE_CACHE_DIR`, else the platform's (`~/.cache/rehearse`).
/// Only what can be made again lives there (the converted speech model).
pub fn cache_dir() -> Option<PathBuf> {
    env_path("REHEARSE_CACHE_DIR").or_else(|| {
        directories::ProjectDirs::from("", "", "rehearse").map(|d| d.cache_dir().to_path_buf())
    })
}
