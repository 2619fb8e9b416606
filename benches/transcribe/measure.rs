//! The speech model's costs, for the README: load time (first load with the conversion,
//! then a load from the cache), and CPU time per second of audio of the published `.ort`
//! model against the converted one, on one thread. Run by benches/transcribe.sh:
//! `cargo run --release --example transcribe-measure -- MODEL_DIR WAV...`.

use std::path::PathBuf;
use std::time::Instant;

use rehearse::transcribe::{LoadOptions, Moonshine, audio};

/// CPU time of this process so far, in seconds (user and system).
fn cpu() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((dir, wavs)) = args.split_first() else {
        eprintln!("usage: transcribe-measure MODEL_DIR WAV...");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let cache = std::env::temp_dir().join(format!("rehearse-bench-{}", std::process::id()));
    let options = |cache: Option<PathBuf>| LoadOptions {
        model_dir: dir.clone(),
        library: rehearse::transcribe::files::library_beside(&dir),
        cache_dir: cache,
        threads: Some(1),
    };
    let samples: Vec<Vec<f32>> = wavs
        .iter()
        .map(|w| audio::read(w.as_ref()).expect("a WAV"))
        .collect();
    let seconds: f64 = samples.iter().map(|s| s.len() as f64 / 16_000.0).sum();
    for (name, cache) in [
        ("published .ort", None),
        ("converted, first load", Some(cache.clone())),
        ("converted, from the cache", Some(cache.clone())),
    ] {
        let (wall, started_cpu) = (Instant::now(), cpu());
        let mut model = Moonshine::load(&options(cache)).expect("the model loads");
        let load = (wall.elapsed().as_secs_f64(), cpu() - started_cpu);
        let started_cpu = cpu();
        let mut text = String::new();
        for s in &samples {
            for range in audio::chunks(s, rehearse::transcribe::MAX_CHUNK) {
                text.push_str(&model.transcribe(&s[range]).expect("a transcript"));
            }
        }
        let used = cpu() - started_cpu;
        println!(
            "{name:27} load {:.2} s ({:.2} s CPU)  transcribe {:.3} s CPU per second of audio ({seconds:.0} s)  {} chars",
            load.0,
            load.1,
            used / seconds,
            text.len()
        );
    }
    let _ = std::fs::remove_dir_all(cache);
}
