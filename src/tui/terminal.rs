//! Terminal setup and the one restore.
//!
//! [`restore`] is idempotent and is called from every way out: the drop of
//! [`TerminalGuard`] (normal return and errors), the panic hook (restore
//! first, then the message, so it is readable), and the loop's handling of
//! SIGTERM/SIGHUP (see `event.rs`).
//!
//! Raw mode goes on at once (so keys typed while the data loads are not
//! echoed), but the switch to the alternate screen is sent with the first
//! frame ([`ENTER`] as the screen's preamble), so that frame goes out as
//! one write and a quick start shows nothing in between.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use crossterm::terminal;

use super::screen::Screen;

/// The screen the app draws on.
pub type Term = Screen<BufWriter<Stdout>>;

/// Size of the output buffer: a whole frame goes out in one write.
pub const OUTPUT_BUFFER: usize = 64 * 1024;

static ACTIVE: AtomicBool = AtomicBool::new(false);
static ENTERED: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Enter sequence: alternate screen, bracketed paste (the first frame
/// then resets the pen and clears).
pub const ENTER: &str = "\x1b[?1049h\x1b[?2004h";
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
/// panic hook, and returns the screen to draw on with a guard that
/// restores the terminal.
pub fn setup() -> io::Result<(Term, TerminalGuard)> {
    install_panic_hook();
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = TerminalGuard(());
    let mut screen = Screen::new(BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout()));
    screen.set_preamble(ENTER);
    Ok((screen, guard))
}

/// Records that the alternate screen is about to be entered (call before
/// the first frame is written), so that [`restore`] leaves it.
pub fn entering() {
    ENTERED.store(true, Ordering::SeqCst);
}

/// Restores the terminal: pen reset, cursor shown, bracketed paste and
/// mouse off, alternate screen left, raw mode off. Safe to call any number
/// of times and from a panic; errors (a terminal already gone after an SSH
/// drop) are ignored.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    if ENTERED.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = out.write_all(LEAVE);
        let _ = out.flush();
    }
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

/// The terminal's size (columns, rows).
pub fn size() -> io::Result<(u16, u16)> {
    terminal::size()
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
        let enter = ENTER;
        let leave = String::from_utf8_lossy(LEAVE);
        for mode in ["1049", "2004"] {
            assert!(enter.contains(&format!("?{mode}")), "{mode}");
            assert!(leave.contains(&format!("?{mode}")), "{mode}");
        }
    }
}
