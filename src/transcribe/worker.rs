//! Transcription off the caller's thread: [`Loading`] loads an engine in the background,
//! and [`Worker`] is a thread of its own that loads one and then transcribes chunks as
//! they are sent, so that a recorder can feed it while the answer is spoken and only the
//! last chunk is left when the answer ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{EngineChoice, TranscribeError, Transcriber};

/// An engine being loaded on a thread of its own.
pub struct Loading {
    thread: JoinHandle<Result<Transcriber, TranscribeError>>,
}

impl Loading {
    /// Starts loading now; the caller goes on at once.
    pub fn start(choice: EngineChoice) -> Loading {
        Loading {
            thread: std::thread::spawn(move || Transcriber::load(&choice)),
        }
    }

    /// Whether [`Loading::wait`] would return at once.
    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// The engine, once it is loaded.
    pub fn wait(self) -> Result<Transcriber, TranscribeError> {
        self.thread
            .join()
            .unwrap_or_else(|_| Err(TranscribeError::Runtime("the loading thread failed".into())))
    }
}

/// What a [`Worker`] tells its caller, in this order: `Loaded` or `LoadFailed` once, then
/// one `Text` for every chunk sent, in the order they were sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Report<T> {
    /// The engine is ready; `model` is its name for the log.
    Loaded { model: String, took: Duration },
    /// It could not be loaded; every chunk's text will be this error.
    LoadFailed(TranscribeError),
    /// One chunk's text, and how long it took.
    Text {
        tag: T,
        text: Result<String, TranscribeError>,
        took: Duration,
    },
    /// A chunk sent with [`Worker::send_while`] that was no longer wanted when its turn
    /// came, or (with the model) while it was being transcribed: it has no text.
    Skipped { tag: T },
}

/// A chunk, and whether it is still wanted.
type Job<T> = (T, Vec<f32>, Option<Arc<AtomicBool>>);

/// A thread that loads an engine and transcribes the chunks sent to it, one after another.
/// `T` is whatever the caller tags a chunk with (the answer and take it belongs to, its
/// number), given back with its text.
pub struct Worker<T> {
    chunks: Option<mpsc::Sender<Job<T>>>,
    thread: Option<JoinHandle<()>>,
}

impl<T: Send + 'static> Worker<T> {
    /// Starts the thread, which begins loading the engine at once. `report` is called on
    /// that thread with each [`Report`]: send it on to the caller's own channel or inbox.
    pub fn start(
        choice: EngineChoice,
        report: impl FnMut(Report<T>) + Send + 'static,
    ) -> Worker<T> {
        Worker::start_when(choice, None, report)
    }

    /// Like [`Worker::start`], but with `go` the thread waits for a word on it before it
    /// loads the engine (chunks sent meanwhile wait too), and ends without loading if
    /// `go`'s sender is dropped first.
    pub fn start_when(
        choice: EngineChoice,
        go: Option<mpsc::Receiver<()>>,
        mut report: impl FnMut(Report<T>) + Send + 'static,
    ) -> Worker<T> {
        let (tx, rx) = mpsc::channel::<Job<T>>();
        let thread = std::thread::spawn(move || {
            if go.is_some_and(|go| go.recv().is_err()) {
                return;
            }
            let started = Instant::now();
            let mut engine = match Transcriber::load(&choice) {
                Ok(engine) => {
                    report(Report::Loaded {
                        model: engine.name(),
                        took: started.elapsed(),
                    });
                    Ok(engine)
                }
                Err(error) => {
                    report(Report::LoadFailed(error.clone()));
                    Err(error)
                }
            };
            for (tag, samples, wanted) in rx {
                if wanted.as_ref().is_some_and(|w| !w.load(Ordering::SeqCst)) {
                    report(Report::Skipped { tag });
                    continue;
                }
                let started = Instant::now();
                let text = match (&mut engine, &wanted) {
                    (Ok(engine), Some(wanted)) => engine.transcribe_while(&samples, wanted),
                    (Ok(engine), None) => engine.transcribe(&samples).map(Some),
                    (Err(error), _) => Err(error.clone()),
                };
                // Given up half way: no longer wanted.
                let Some(text) = text.transpose() else {
                    report(Report::Skipped { tag });
                    continue;
                };
                report(Report::Text {
                    tag,
                    text,
                    took: started.elapsed(),
                });
            }
        });
        Worker {
            chunks: Some(tx),
            thread: Some(thread),
        }
    }

    /// Queues a chunk (16 kHz mono, at most 30 s); never waits.
    pub fn send(&self, tag: T, samples: Vec<f32>) {
        self.queue((tag, samples, None));
    }

    /// Queues a chunk that is transcribed only while `wanted` holds: if it no longer does
    /// when its turn comes (or, with the model, before the transcript is done), it is
    /// reported [`Report::Skipped`].
    pub fn send_while(&self, wanted: &Arc<AtomicBool>, tag: T, samples: Vec<f32>) {
        self.queue((tag, samples, Some(Arc::clone(wanted))));
    }

    fn queue(&self, job: Job<T>) {
        if let Some(chunks) = &self.chunks {
            // The thread only ends once this side is closed, so this cannot fail.
            let _ = chunks.send(job);
        }
    }

    /// Waits until every chunk sent has been reported, then ends the thread.
    pub fn finish(mut self) {
        self.chunks = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl<T> Drop for Worker<T> {
    /// Dropped without [`Worker::finish`]: the thread ends after the chunk it is on, and
    /// nobody waits for it.
    fn drop(&mut self) {
        self.chunks = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::command::Template;

    #[test]
    fn every_chunk_is_reported_in_order_after_the_load() {
        let dir = tempfile::tempdir().unwrap();
        let stub = dir.path().join("stt.sh");
        // Says how many samples the chunk had: (bytes - 44) / 2.
        std::fs::write(
            &stub,
            "#!/bin/sh\necho $(( ($(wc -c < \"$1\") - 44) / 2 )) samples\n",
        )
        .unwrap();
        let mut perms = std::fs::metadata(&stub).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&stub, perms).unwrap();
        let template = Template::parse(&format!("{} {{in}}", stub.display())).unwrap();
        let (tx, rx) = mpsc::channel();
        let worker = Worker::start(EngineChoice::Command(template), move |r| {
            let _ = tx.send(r);
        });
        for (tag, n) in [(1, 160), (2, 16), (3, 1600)] {
            worker.send(tag, vec![0.0; n]);
        }
        worker.finish();
        let reports: Vec<_> = rx.iter().collect();
        assert!(
            matches!(&reports[0], Report::Loaded { model, .. } if model.starts_with("command:"))
        );
        let texts: Vec<_> = reports[1..]
            .iter()
            .map(|r| match r {
                Report::Text { tag, text, .. } => (*tag, text.clone().unwrap()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            texts,
            [
                (1, "160 samples".into()),
                (2, "16 samples".into()),
                (3, "1600 samples".into())
            ]
        );
    }

    #[test]
    fn a_chunk_no_longer_wanted_is_skipped() {
        let template = Template::parse("echo heard {in}").unwrap();
        let (tx, rx) = mpsc::channel();
        let (go, wait) = mpsc::channel();
        let worker = Worker::start_when(EngineChoice::Command(template), Some(wait), move |r| {
            let _ = tx.send(r);
        });
        let wanted = Arc::new(AtomicBool::new(true));
        worker.send_while(&wanted, 1, vec![0.0; 160]);
        worker.send_while(&wanted, 2, vec![0.0; 160]);
        worker.send(3, vec![0.0; 160]);
        // Nothing has been transcribed yet: the worker waits for the word to go.
        wanted.store(false, Ordering::SeqCst);
        go.send(()).unwrap();
        worker.finish();
        let reports: Vec<_> = rx.iter().skip(1).collect();
        assert_eq!(
            reports[..2],
            [Report::Skipped { tag: 1 }, Report::Skipped { tag: 2 }]
        );
        assert!(
            matches!(&reports[2], Report::Text { tag: 3, text: Ok(t), .. } if t.starts_with("heard"))
        );
    }

    #[test]
    fn without_a_model_the_load_fails_once_and_each_chunk_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let choice = EngineChoice::Model(crate::transcribe::LoadOptions {
            model_dir: dir.path().to_path_buf(),
            library: None,
            cache_dir: None,
            threads: None,
        });
        let (tx, rx) = mpsc::channel();
        let worker = Worker::start(choice, move |r| {
            let _ = tx.send(r);
        });
        worker.send("a", vec![0.0; 16_000]);
        worker.finish();
        let reports: Vec<_> = rx.iter().collect();
        let Report::LoadFailed(error) = &reports[0] else {
            panic!("{reports:?}")
        };
        assert!(error.to_string().contains("`rehearse models install`"));
        assert!(matches!(&reports[1], Report::Text { tag: "a", text: Err(e), .. } if e == error));
        assert_eq!(reports.len(), 2);
    }
}
