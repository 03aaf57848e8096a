//! Everything the loop reacts to arrives on one channel: key presses,
//! pastes and resizes from the input thread, store answers from the worker
//! thread, and SIGTERM/SIGHUP/SIGINT from the signal thread.

use std::sync::atomic::AtomicBool;
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread;

use crossterm::event::{Event as CtEvent, KeyEvent, KeyEventKind};

use super::worker::Response;

/// One thing that happened.
#[derive(Debug)]
pub enum Event {
    /// A key press (releases and repeats are filtered out).
    Key(KeyEvent),
    /// Bracketed paste.
    Paste(String),
    /// The terminal was resized to (columns, rows).
    Resize(u16, u16),
    /// An answer from the store worker.
    Store(Box<Response>),
    /// A termination signal: save a draft, restore, leave.
    Signal(i32),
    /// The terminal cannot be read any more (SSH gone): like SIGHUP.
    InputClosed,
}

/// Starts the input thread. It blocks in `crossterm::event::read` and ends
/// when the terminal closes or the loop has gone.
pub fn spawn_input(tx: Sender<Event>) -> std::io::Result<()> {
    thread::Builder::new()
        .name("sanshe-input".into())
        .spawn(move || loop {
            let ev = match crossterm::event::read() {
                Ok(CtEvent::Key(k)) if k.kind == KeyEventKind::Press => Event::Key(k),
                Ok(CtEvent::Paste(s)) => Event::Paste(s),
                Ok(CtEvent::Resize(w, h)) => Event::Resize(w, h),
                Ok(_) => continue,
                Err(_) => {
                    let _ = tx.send(Event::InputClosed);
                    return;
                }
            };
            if tx.send(ev).is_err() {
                return;
            }
        })?;
    Ok(())
}

/// Starts the signal thread for SIGTERM, SIGHUP and SIGINT. A second
/// SIGTERM or SIGINT while the first is being handled ends the process at
/// once (exit code 1), in case the app is stuck.
pub fn spawn_signals(tx: Sender<Event>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let seen = Arc::new(AtomicBool::new(false));
    for sig in [SIGTERM, SIGINT] {
        signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&seen))?;
        signal_hook::flag::register(sig, Arc::clone(&seen))?;
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    thread::Builder::new()
        .name("sanshe-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                if tx.send(Event::Signal(sig)).is_err() {
                    return;
                }
            }
        })?;
    Ok(())
}
