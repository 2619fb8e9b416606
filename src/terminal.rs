//! Owning the terminal: key-at-a-time input without echo, the cursor hidden, and the
//! terminal always given back as it was: on return, on error (a guard), on a panic (a
//! hook) and on signals (the run loop ends the session, which drops the guard).
//! On Unix through termios (output processing stays on); elsewhere through crossterm's
//! raw mode, which on Windows leaves output processing alone too.

use std::io::Write;
use std::sync::Mutex;

#[cfg(unix)]
use std::os::fd::AsRawFd;

/// The terminal settings found at start, for the guard and the panic hook.
#[cfg(unix)]
static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);
/// Whether crossterm's raw mode is on, for the guard and the panic hook.
#[cfg(not(unix))]
static SAVED: Mutex<Option<()>> = Mutex::new(None);

/// While alive, the terminal delivers single keys (Ctrl-C among them) without echo, and
/// the cursor is hidden. Output processing stays on, so lines and the bar print normally.
pub struct RawGuard(());

impl RawGuard {
    pub fn enter() -> std::io::Result<RawGuard> {
        enter_raw()?;
        install_panic_hook();
        let mut out = std::io::stdout();
        let _ = crossterm::execute!(out, crossterm::cursor::Hide);
        let _ = out.flush();
        Ok(RawGuard(()))
    }
}

#[cfg(unix)]
fn enter_raw() -> std::io::Result<()> {
    let fd = std::io::stdin().as_raw_fd();
    // SAFETY: tcgetattr only writes the termios struct we own.
    let original = unsafe {
        let mut original: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut original) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        original
    };
    apply_raw(&original)?;
    *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = Some(original);
    Ok(())
}

/// Raw mode, from the settings the terminal had before it.
#[cfg(unix)]
fn apply_raw(original: &libc::termios) -> std::io::Result<()> {
    let mut raw = *original;
    raw.c_lflag &= !(libc::ICANON | libc::ECHO | libc::ISIG | libc::IEXTEN);
    raw.c_iflag &= !(libc::IXON | libc::ICRNL);
    raw.c_cc[libc::VMIN] = 1;
    raw.c_cc[libc::VTIME] = 0;
    // SAFETY: tcsetattr only reads the termios struct we own.
    if unsafe { libc::tcsetattr(std::io::stdin().as_raw_fd(), libc::TCSANOW, &raw) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

/// Ctrl-Z: the terminal as it was, the process stopped like any other job; back in raw
/// mode once the shell continues it (`fg`).
#[cfg(unix)]
pub fn suspend() {
    let was_raw = SAVED.lock().unwrap_or_else(|e| e.into_inner()).is_some();
    restore();
    // SAFETY: raising a signal whose default action (stop) is left as it is.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    if was_raw && enter_raw().is_ok() {
        let mut out = std::io::stdout();
        let _ = crossterm::execute!(out, crossterm::cursor::Hide);
        let _ = out.flush();
    }
}

#[cfg(not(unix))]
pub fn suspend() {}

/// Continued after a stop from outside (SIGSTOP, then `fg`): the shell may have put the
/// terminal back in line mode, so raw mode is set again.
pub fn resume() {
    #[cfg(unix)]
    if let Some(original) = *SAVED.lock().unwrap_or_else(|e| e.into_inner()) {
        let _ = apply_raw(&original);
        let mut out = std::io::stdout();
        let _ = crossterm::execute!(out, crossterm::cursor::Hide);
        let _ = out.flush();
    }
}

#[cfg(not(unix))]
fn enter_raw() -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    *SAVED.lock().unwrap_or_else(|e| e.into_inner()) = Some(());
    Ok(())
}

impl Drop for RawGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as it was found; safe to call more than once.
pub fn restore() {
    let saved = SAVED.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(original) = saved {
        leave_raw(original);
        let mut out = std::io::stdout();
        let _ = crossterm::execute!(out, crossterm::cursor::Show);
        let _ = out.flush();
    }
}

#[cfg(unix)]
fn leave_raw(original: libc::termios) {
    // SAFETY: tcsetattr only reads the termios struct we own.
    unsafe {
        libc::tcsetattr(std::io::stdin().as_raw_fd(), libc::TCSANOW, &original);
    }
}

#[cfg(not(unix))]
fn leave_raw(_: ()) {
    let _ = crossterm::terminal::disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
