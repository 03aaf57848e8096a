//! Terminal setup and the one restore.
//!
//! [`restore`] is idempotent and is called from every way out: the drop of
//! [`TerminalGuard`] (normal return and errors), the panic hook (restore
//! first, then the message, so it is readable), and the loop's handling of
//! SIGTERM/SIGHUP (see `event.rs`).

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use crossterm::terminal;
use ratatui::Terminal;

use super::backend::LeanBackend;

/// The terminal type the app draws on.
pub type Term = Terminal<LeanBackend<BufWriter<Stdout>>>;

/// Size of the output buffer: a whole frame goes out in one write.
pub const OUTPUT_BUFFER: usize = 64 * 1024;

static ACTIVE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Enter sequence: alternate screen, bracketed paste, hidden cursor, reset
/// pen, cleared screen.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?2004h\x1b[?25l\x1b[0m\x1b[H\x1b[2J";
/// Leave sequence: reset pen, cursor shown, paste and every mouse mode off,
/// alternate screen left.
const LEAVE: &[u8] =
    b"\x1b[0m\x1b[?25h\x1b[?2004l\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?1049l";

/// Restores the terminal on drop.
#[derive(Debug)]
pub struct TerminalGuard(());

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal in raw mode on the alternate screen, installs the
/// panic hook, and returns the terminal with a guard that restores it.
pub fn setup() -> io::Result<(Term, TerminalGuard)> {
    install_panic_hook();
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = TerminalGuard(());
    let mut out = io::stdout();
    out.write_all(ENTER)?;
    out.flush()?;
    let backend = LeanBackend::new(BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout()));
    let term = Terminal::new(backend)?;
    Ok((term, guard))
}

/// Restores the terminal: pen reset, cursor shown, bracketed paste and
/// mouse off, alternate screen left, raw mode off. Safe to call any number
/// of times and from a panic; errors (a terminal already gone after an SSH
/// drop) are ignored.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = out.write_all(LEAVE);
    let _ = out.flush();
    let _ = terminal::disable_raw_mode();
}

/// True while the terminal is in the app's mode.
pub fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Restore first so the message lands on the normal screen; the
            // default hook prints a backtrace only if RUST_BACKTRACE is set.
            restore();
            previous(info);
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_without_setup_does_nothing() {
        assert!(!is_active());
        restore();
        restore();
        assert!(!is_active());
    }

    #[test]
    fn leave_undoes_enter() {
        // Every private mode set on entry is reset on leaving.
        let enter = String::from_utf8_lossy(ENTER);
        let leave = String::from_utf8_lossy(LEAVE);
        for mode in ["1049", "2004", "25"] {
            assert!(enter.contains(&format!("?{mode}")), "{mode}");
            assert!(leave.contains(&format!("?{mode}")), "{mode}");
        }
    }
}
