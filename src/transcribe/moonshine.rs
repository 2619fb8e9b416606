//! The local speech model: Moonshine base (English) run by ONNX Runtime, loaded from a
//! library found at run time. Raw 16 kHz samples go into the encoder; the decoder then
//! picks the likeliest next token, one at a time, from the start token to the end token,
//! keeping each layer's keys and values so that a step only computes the newest token.
//!
//! The published `.ort` files keep their weights as 8-bit numbers that are unpacked at
//! every step. On first use each is saved once as an ordinary ONNX model with those
//! weights unpacked (ONNX Runtime writes the graph it loaded, optimisations off) into the
//! cache folder, named by the model files' hash, and loaded from there: the same
//! transcripts, several times less work (the test `converted_model_transcribes_the_same`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use ort::environment::Environment;
use ort::session::builder::GraphOptimizationLevel;
use ort::session::{Session, SessionInputValue};
use ort::value::{DynValue, Tensor};
use sha2::{Digest, Sha256};

use super::files::{DECODER, ENCODER, MODEL_NAME, TOKENIZER};
use super::tokenizer::{END, START, Tokenizer};
use super::{RATE, TranscribeError};

/// Tokens allowed per second of audio: fast speech is about 4.5; more is the decoder
/// repeating itself, which this cuts short.
const TOKENS_PER_SECOND: f64 = 6.5;

/// How a model is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// The folder of `encoder_model.ort`, `decoder_model_merged.ort` and `tokenizer.bin`.
    pub model_dir: PathBuf,
    /// The ONNX Runtime library; `None` when none was found (an error, saying how to get
    /// one).
    pub library: Option<PathBuf>,
    /// Where the converted model is kept; `None` runs the `.ort` files as they are.
    pub cache_dir: Option<PathBuf>,
    /// Threads for one transcription; `None`: one per core.
    pub threads: Option<usize>,
}

/// A loaded model, ready to transcribe.
pub struct Moonshine {
    encoder: Session,
    decoder: Session,
    tokenizer: Tokenizer,
    /// The decoder's cache inputs, in order: `(input name, output name, decoder self-attention?)`.
    cache: Vec<(String, String, bool)>,
    /// Heads and dimensions of one layer's keys, read from the model.
    heads: i64,
    dims: i64,
}

/// ONNX Runtime allows one environment in a program; it is made with the first model.
static ENVIRONMENT: OnceLock<Environment> = OnceLock::new();

/// Loads the ONNX Runtime library and makes the environment, once for the whole program;
/// a second call with another library keeps the first one.
pub fn environment(library: Option<&Path>) -> Result<&'static Environment, TranscribeError> {
    static MAKING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(environment) = ENVIRONMENT.get() {
        return Ok(environment);
    }
    let library = library.ok_or(TranscribeError::NoLibrary {
        path: None,
        why: String::new(),
    })?;
    if !library.is_file() {
        return Err(TranscribeError::NoLibrary {
            path: Some(library.to_path_buf()),
            why: "no such file".into(),
        });
    }
    let absolute = std::path::absolute(library).unwrap_or_else(|_| library.to_path_buf());
    let no_library = |why: String| TranscribeError::NoLibrary {
        path: Some(library.to_path_buf()),
        why,
    };
    let environment = ort::init_from(&absolute)
        .map_err(|e| no_library(e.to_string()))?
        .with_name("rehearse")
        .build()
        .map_err(|e| no_library(e.to_string()))?;
    Ok(ENVIRONMENT.get_or_init(|| environment))
}

impl Moonshine {
    pub fn load(options: &LoadOptions) -> Result<Moonshine, TranscribeError> {
        let dir = &options.model_dir;
        let paths = [ENCODER, DECODER, TOKENIZER].map(|name| dir.join(name));
        if paths.iter().any(|p| !p.is_file()) {
            return Err(TranscribeError::NoModel { dir: dir.clone() });
        }
        let environment = environment(options.library.as_deref())?;
        let tokenizer_bytes = std::fs::read(&paths[2]).map_err(|e| damaged(&paths[2], e))?;
        let tokenizer =
            Tokenizer::parse(&tokenizer_bytes).map_err(|why| damaged(&paths[2], why))?;
        let (encoder_file, decoder_file) = match &options.cache_dir {
            Some(cache) => converted(environment, &paths[0], &paths[1], cache)?,
            None => (paths[0].clone(), paths[1].clone()),
        };
        let encoder = session(environment, &encoder_file, &paths[0], options.threads)?;
        let decoder = session(environment, &decoder_file, &paths[1], options.threads)?;
        Moonshine::from_sessions(encoder, decoder, tokenizer, &paths[1])
    }

    fn from_sessions(
        encoder: Session,
        decoder: Session,
        tokenizer: Tokenizer,
        decoder_path: &Path,
    ) -> Result<Moonshine, TranscribeError> {
        let mut cache = Vec::new();
        let mut shape = None;
        for input in decoder.inputs() {
            let Some(suffix) = input.name().strip_prefix("past_key_values.") else {
                continue;
            };
            let self_attention = suffix.contains(".decoder.");
            cache.push((
                input.name().to_string(),
                format!("present.{suffix}"),
                self_attention,
            ));
            if let Some(dims) = input.dtype().tensor_shape() {
                shape = Some((dims[1], dims[3]));
            }
        }
        let wrong = |why: &str| damaged(decoder_path, why);
        let (heads, dims) = shape.ok_or_else(|| wrong("it has no key/value cache inputs"))?;
        if heads <= 0 || dims <= 0 {
            return Err(wrong("its cache inputs have no fixed size"));
        }
        Ok(Moonshine {
            encoder,
            decoder,
            tokenizer,
            cache,
            heads,
            dims,
        })
    }

    /// What the log calls this engine.
    pub fn name(&self) -> &'static str {
        MODEL_NAME
    }

    /// The words in these samples (16 kHz mono, from -1 to 1; at most about 30 s).
    pub fn transcribe(&mut self, samples: &[f32]) -> Result<String, TranscribeError> {
        Ok(self.transcribe_while(samples, None)?.unwrap_or_default())
    }

    /// Like [`Model::transcribe`], but gives up (`None`) between two words once `wanted`
    /// no longer holds.
    pub fn transcribe_while(
        &mut self,
        samples: &[f32],
        wanted: Option<&AtomicBool>,
    ) -> Result<Option<String>, TranscribeError> {
        // Long silence before the speech can make the model end at once with no words
        // (measured on answers with 0.9 s and 2 s of silence before them), and silence
        // alone is better not given to it at all.
        let samples = speech_only(samples);
        // The encoder needs a little more than 1/16 s to produce anything.
        if samples.len() < RATE as usize / 10 {
            return Ok(Some(String::new()));
        }
        // Speech that starts or stops right at the edge of the audio can make the model
        // end at once with no words: a tenth of a second of silence on each side keeps it
        // listening (and catches an "um" in the very first syllable).
        let pad = RATE as usize / 10;
        let mut padded = vec![0f32; samples.len() + 2 * pad];
        padded[pad..pad + samples.len()].copy_from_slice(samples);
        let audio = Tensor::from_array(([1usize, padded.len()], padded)).map_err(runtime)?;
        let mut encoded = self.encoder.run(ort::inputs![audio]).map_err(runtime)?;
        let hidden = encoded
            .remove("last_hidden_state")
            .ok_or_else(|| TranscribeError::Runtime("the encoder gave no output".into()))?;
        drop(encoded);
        let seconds = samples.len() as f64 / f64::from(RATE);
        let limit = (seconds * TOKENS_PER_SECOND).ceil() as usize;
        let tokens = self.decode(&hidden, limit, wanted)?;
        Ok(tokens.map(|tokens| self.tokenizer.decode(&tokens)))
    }

    /// Greedy decoding with the key/value cache; `None` if `wanted` stops holding.
    fn decode(
        &mut self,
        hidden: &DynValue,
        limit: usize,
        wanted: Option<&AtomicBool>,
    ) -> Result<Option<Vec<i64>>, TranscribeError> {
        // Before the first step the cache holds nothing: zero positions, not one of zeros.
        let empty = || {
            Tensor::from_array(([1, self.heads, 0, self.dims], Vec::<f32>::new()))
                .map(|t| t.into_dyn())
                .map_err(runtime)
        };
        let mut past: Vec<DynValue> = self
            .cache
            .iter()
            .map(|_| empty())
            .collect::<Result<_, _>>()?;
        let mut tokens = vec![START];
        for step in 0..limit {
            if wanted.is_some_and(|w| !w.load(Ordering::SeqCst)) {
                return Ok(None);
            }
            let last = *tokens.last().unwrap_or(&START);
            let ids = Tensor::from_array(([1usize, 1], vec![last])).map_err(runtime)?;
            let branch = Tensor::from_array(([1usize], vec![step > 0])).map_err(runtime)?;
            let mut inputs: Vec<(std::borrow::Cow<str>, SessionInputValue)> = vec![
                ("input_ids".into(), ids.into()),
                ("encoder_hidden_states".into(), hidden.into()),
                ("use_cache_branch".into(), branch.into()),
            ];
            for ((name, _, _), value) in self.cache.iter().zip(&past) {
                inputs.push((name.as_str().into(), value.into()));
            }
            let mut outputs = self.decoder.run(inputs).map_err(runtime)?;
            let (shape, logits) = outputs["logits"]
                .try_extract_tensor::<f32>()
                .map_err(runtime)?;
            // The scores of the newest position: the last row.
            let row = shape
                .last()
                .map_or(0, |&n| n.max(0) as usize)
                .min(logits.len());
            let next = argmax(&logits[logits.len() - row..]);
            // After the first step the cross-attention cache stays as it was computed.
            for ((_, output, self_attention), slot) in self.cache.iter().zip(past.iter_mut()) {
                if step == 0 || *self_attention {
                    *slot = outputs.remove(output).ok_or_else(|| {
                        TranscribeError::Runtime(format!("the decoder gave no {output}"))
                    })?;
                }
            }
            drop(outputs);
            if next == END {
                break;
            }
            tokens.push(next);
        }
        Ok(Some(tokens))
    }
}

/// The samples from a fifth of a second before the first sound to a fifth after the last,
/// or none when nothing stands out. A sound is a 50 ms window whose loudness is at least
/// a thirtieth of the loudest window's (and above a floor, so that quiet noise alone
/// counts as nothing).
fn speech_only(samples: &[f32]) -> &[f32] {
    const WINDOW: usize = RATE as usize / 20;
    const MARGIN: usize = RATE as usize / 5;
    let loudness: Vec<f32> = samples
        .chunks(WINDOW)
        .map(|window| (window.iter().map(|x| x * x).sum::<f32>() / window.len() as f32).sqrt())
        .collect();
    let loudest = loudness.iter().copied().fold(0f32, f32::max);
    let floor = (loudest / 30.0).max(0.003);
    let Some(first) = loudness.iter().position(|&l| l >= floor) else {
        return &[];
    };
    let last = loudness.iter().rposition(|&l| l >= floor).unwrap_or(first);
    let from = (first * WINDOW).saturating_sub(MARGIN);
    let to = ((last + 1) * WINDOW + MARGIN).min(samples.len());
    &samples[from..to]
}

/// The index of the largest value.
fn argmax(values: &[f32]) -> i64 {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best as i64
}

fn runtime(e: impl std::fmt::Display) -> TranscribeError {
    TranscribeError::Runtime(e.to_string())
}

fn damaged(path: &Path, why: impl std::fmt::Display) -> TranscribeError {
    TranscribeError::Damaged {
        file: path.to_path_buf(),
        why: why.to_string(),
    }
}

/// A session for `file`; `original` is the published file it came from, named when it
/// cannot be read.
fn session(
    environment: &Environment,
    file: &Path,
    original: &Path,
    threads: Option<usize>,
) -> Result<Session, TranscribeError> {
    // Threads that wait for work sleep rather than spin: a decoding step is small, and
    // spinning threads would burn a core between steps (and while the answer is spoken).
    let mut builder = Session::builder(environment)
        .map_err(runtime)?
        .with_intra_op_spinning(false)
        .map_err(runtime)?;
    if let Some(n) = threads {
        builder = builder.with_intra_threads(n).map_err(runtime)?;
    }
    builder
        .commit_from_file(file)
        .map_err(|e| damaged(original, first_line(&e.to_string())))
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

/// The converted encoder and decoder in the cache, made now if they are not there yet.
fn converted(
    environment: &Environment,
    encoder: &Path,
    decoder: &Path,
    cache: &Path,
) -> Result<(PathBuf, PathBuf), TranscribeError> {
    let mut hasher = Sha256::new();
    for file in [encoder, decoder] {
        let sum = super::files::sha256_file(file).map_err(|e| damaged(file, e))?;
        hasher.update(sum.as_bytes());
    }
    let key = super::files::hex(&hasher.finalize());
    let dir = cache
        .join("models")
        .join(format!("{MODEL_NAME}-{}", &key[..16]));
    let mut out = Vec::new();
    for file in [encoder, decoder] {
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("model");
        let target = dir.join(format!("{stem}.onnx"));
        if !target.is_file() {
            convert(environment, file, &target)?;
        }
        out.push(target);
    }
    let decoder_out = out.pop().unwrap_or_default();
    let encoder_out = out.pop().unwrap_or_default();
    Ok((encoder_out, decoder_out))
}

/// Saves the graph ONNX Runtime loads from `file` as an ordinary ONNX model at `target`,
/// through a temporary name so that a conversion cut short is never taken for a whole
/// one.
fn convert(environment: &Environment, file: &Path, target: &Path) -> Result<(), TranscribeError> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let cache_error =
        |e: std::io::Error| TranscribeError::Cache(format!("cannot write {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(cache_error)?;
    let partial = dir.join(format!(
        ".{}.{}.partial",
        target
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("model"),
        std::process::id()
    ));
    let result = Session::builder(environment)
        .map_err(runtime)?
        .with_optimization_level(GraphOptimizationLevel::Disable)
        .map_err(runtime)?
        .with_optimized_model_path(&partial)
        .map_err(runtime)?
        .commit_from_file(file);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(damaged(file, first_line(&e.to_string())));
    }
    let written = std::fs::read(&partial).map_err(cache_error)?;
    let repaired = super::onnx::name_subgraphs(&written);
    let kept = repaired
        .map_err(|why| TranscribeError::Cache(format!("the converted model is unreadable: {why}")))
        .and_then(|bytes| std::fs::write(&partial, bytes).map_err(cache_error))
        .and_then(|()| std::fs::rename(&partial, target).map_err(cache_error));
    if kept.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    kept?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{RATE, speech_only};

    fn tone(seconds: f32, level: f32) -> Vec<f32> {
        let n = (seconds * RATE as f32) as usize;
        (0..n).map(|i| level * (i as f32 * 0.07).sin()).collect()
    }

    #[test]
    fn speech_only_keeps_the_sound_and_a_fifth_of_a_second_either_side() {
        let mut samples = vec![0.0; 2 * RATE as usize];
        samples.extend(tone(1.0, 0.3));
        samples.extend(vec![0.0; RATE as usize]);
        let kept = speech_only(&samples);
        let expected = (1.4 * RATE as f32) as usize;
        assert!(
            kept.len().abs_diff(expected) <= RATE as usize / 20,
            "{}",
            kept.len()
        );
        assert!(kept.first().is_some_and(|x| *x == 0.0));
    }

    #[test]
    fn silence_and_faint_hiss_are_nothing() {
        assert!(speech_only(&vec![0.0; RATE as usize]).is_empty());
        assert!(speech_only(&tone(1.0, 0.002)).is_empty());
        assert!(speech_only(&[]).is_empty());
    }
}
