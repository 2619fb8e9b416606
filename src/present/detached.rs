//! Output written by a thread of its own, so that a reader who stops reading (a full pipe,
//! a paused pager) never holds up the session: the loop hands each flushed piece over and
//! goes on, keys and signals are heard at once, and the log is written as always.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Pieces waiting for a slow reader before more are dropped (the log keeps them all).
const QUEUE: usize = 1024;

/// How long the end of a session waits for a reader to take what is left.
const LAST_WAIT: Duration = Duration::from_secs(1);

/// How long a flush waits for its piece to be written. A reader who keeps up takes it at
/// once, so a reader who left is noticed at the very line it missed; one who stopped
/// reading costs the loop this much a line, never more.
const FLUSH_WAIT: Duration = Duration::from_millis(20);

/// Pieces handed over and pieces written (or failed), for a flush to wait on.
#[derive(Default)]
struct Progress {
    counts: Mutex<(u64, u64)>,
    changed: Condvar,
}

pub struct Detached {
    pieces: Option<SyncSender<Vec<u8>>>,
    /// The reader went away (a closed pipe).
    gone: Arc<AtomicBool>,
    /// Says when the writer has written everything.
    done: Receiver<()>,
    progress: Arc<Progress>,
    buffer: Vec<u8>,
}

impl Detached {
    pub fn new<W: Write + Send + 'static>(mut out: W) -> Detached {
        let (pieces, queue) = mpsc::sync_channel::<Vec<u8>>(QUEUE);
        let (finished, done) = mpsc::channel();
        let gone = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Progress::default());
        let (seen_gone, told) = (Arc::clone(&gone), Arc::clone(&progress));
        let spawned = std::thread::Builder::new()
            .name("output".into())
            .spawn(move || {
                for piece in queue {
                    let failed = out.write_all(&piece).and_then(|()| out.flush()).is_err();
                    if failed {
                        seen_gone.store(true, Ordering::SeqCst);
                    }
                    if let Ok(mut counts) = told.counts.lock() {
                        counts.1 += 1;
                    }
                    told.changed.notify_all();
                    if failed {
                        break;
                    }
                }
                let _ = finished.send(());
            });
        if spawned.is_err() {
            gone.store(true, Ordering::SeqCst);
        }
        Detached {
            pieces: Some(pieces),
            gone,
            done,
            progress,
            buffer: Vec::new(),
        }
    }

    fn check(&self) -> io::Result<()> {
        if self.gone.load(Ordering::SeqCst) {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        Ok(())
    }
}

impl Write for Detached {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.check()?;
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    /// Hands what was written over to the writer; never waits for the reader.
    fn flush(&mut self) -> io::Result<()> {
        self.check()?;
        if self.buffer.is_empty() {
            return Ok(());
        }
        let piece = std::mem::take(&mut self.buffer);
        match self.pieces.as_ref().map(|p| p.try_send(piece)) {
            Some(Ok(())) => {}
            Some(Err(TrySendError::Full(_))) => return Ok(()),
            Some(Err(TrySendError::Disconnected(_))) | None => {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
        }
        let Ok(mut counts) = self.progress.counts.lock() else {
            return Ok(());
        };
        counts.0 += 1;
        let sent = counts.0;
        let _ = self
            .progress
            .changed
            .wait_timeout_while(counts, FLUSH_WAIT, |c| c.1 < sent);
        self.check()
    }
}

impl Drop for Detached {
    fn drop(&mut self) {
        let _ = self.flush();
        // The writer ends once it has written the queue; a reader that takes nothing gets
        // a moment, not the power to keep the program from exiting.
        drop(self.pieces.take());
        let _ = self.done.recv_timeout(LAST_WAIT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Default)]
    struct Shared(Arc<std::sync::Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn everything_flushed_is_written_in_order_by_the_end() {
        let seen = Shared::default();
        let mut out = Detached::new(seen.clone());
        for n in 0..100 {
            writeln!(out, "line {n}").unwrap();
            out.flush().unwrap();
        }
        drop(out);
        let text = String::from_utf8(seen.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 100);
        assert!(text.starts_with("line 0\n") && text.ends_with("line 99\n"));
    }

    #[test]
    fn a_reader_that_left_is_reported_at_the_line_it_missed() {
        let mut out = Detached::new(Closed);
        writeln!(out, "first").unwrap();
        let error = out.flush().unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::BrokenPipe);
        assert!(
            writeln!(out, "more").is_err(),
            "and at every write after it"
        );
    }
}
