//! A ratatui backend that writes as few bytes as it can, for slow links.
//!
//! ratatui's own crossterm backend moves the cursor explicitly after every
//! wide (Chinese) character, because it assumes each cell advances the
//! cursor by one column; it sends one escape sequence per style attribute;
//! and it flushes on every cursor show/hide, so a frame goes out in several
//! writes. This one:
//! - tracks where the terminal's cursor really is (a wide character moves it
//!   two columns) and moves it only when the next cell is elsewhere, with the
//!   shortest sequence (`CSI n C` forward on the same row, `CSI n G` to a
//!   column, `CSI r;c H` otherwise);
//! - writes each style change as one SGR sequence (`ESC[0;1;33m`);
//! - writes cursor show/hide only when it changes, and never flushes except
//!   when ratatui asks at the end of a frame, so a frame is one `write`.

use std::cell::Cell as StdCell;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Cell, CellWidth};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

/// The current graphic rendition, as the terminal has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    const RESET: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// The backend. `W` is normally a `BufWriter<Stdout>` of 64 KiB.
pub struct LeanBackend<W: Write> {
    writer: W,
    /// Where the terminal's cursor is, if known.
    cursor: Option<Position>,
    /// Whether the cursor is shown, if known.
    visible: Option<bool>,
    /// Terminal width, to know when printing reaches the last column (the
    /// cursor then waits to wrap and its position is not to be trusted).
    cols: StdCell<u16>,
    /// A fixed size instead of asking the terminal (tests, benchmarks).
    fixed_size: Option<Size>,
}

const MODIFIER_CODES: &[(Modifier, u8)] = &[
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

/// Index 0-15 of a named colour (`None` for Reset, Indexed, Rgb).
fn named_index(c: Color) -> Option<u8> {
    Some(match c {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        _ => return None,
    })
}

/// SGR parameters for a foreground (`base` 30) or background (`base` 40) colour.
fn color_params(out: &mut Vec<String>, c: Color, base: u8) {
    match c {
        Color::Reset => out.push((base + 9).to_string()),
        Color::Indexed(i) => out.push(format!("{};5;{i}", base + 8)),
        Color::Rgb(r, g, b) => out.push(format!("{};2;{r};{g};{b}", base + 8)),
        named => {
            let i = named_index(named).unwrap_or(7);
            if i < 8 {
                out.push((base + i).to_string());
            } else {
                out.push((base + 60 + i - 8).to_string());
            }
        }
    }
}

fn underline_params(out: &mut Vec<String>, c: Color) {
    match c {
        Color::Reset => out.push("59".into()),
        Color::Rgb(r, g, b) => out.push(format!("58;2;{r};{g};{b}")),
        Color::Indexed(i) => out.push(format!("58;5;{i}")),
        named => out.push(format!("58;5;{}", named_index(named).unwrap_or(7))),
    }
}

/// The SGR sequence that changes the terminal from `from` to `to`.
fn sgr(from: Pen, to: Pen) -> String {
    let mut p: Vec<String> = Vec::new();
    let removed = from.modifier - to.modifier;
    let base = if removed.is_empty() {
        from
    } else {
        p.push("0".into());
        Pen::RESET
    };
    for (m, code) in MODIFIER_CODES {
        if to.modifier.contains(*m) && !base.modifier.contains(*m) {
            p.push(code.to_string());
        }
    }
    if to.fg != base.fg {
        color_params(&mut p, to.fg, 30);
    }
    if to.bg != base.bg {
        color_params(&mut p, to.bg, 40);
    }
    if to.underline != base.underline {
        underline_params(&mut p, to.underline);
    }
    if p.is_empty() {
        String::new()
    } else {
        format!("\x1b[{}m", p.join(";"))
    }
}

/// The shortest sequence moving the cursor from `from` (if known) to `to`.
fn move_seq(from: Option<Position>, to: Position) -> String {
    let cup = if to.x == 0 && to.y == 0 {
        "\x1b[H".to_string()
    } else if to.x == 0 {
        format!("\x1b[{}H", to.y + 1)
    } else {
        format!("\x1b[{};{}H", to.y + 1, to.x + 1)
    };
    let Some(from) = from else {
        return cup;
    };
    if from.y != to.y {
        return cup;
    }
    let mut best = cup;
    let cha = format!("\x1b[{}G", to.x + 1);
    if cha.len() < best.len() {
        best = cha;
    }
    if to.x > from.x {
        let n = to.x - from.x;
        let cuf = if n == 1 {
            "\x1b[C".to_string()
        } else {
            format!("\x1b[{n}C")
        };
        if cuf.len() < best.len() {
            best = cuf;
        }
    }
    best
}

impl<W: Write> LeanBackend<W> {
    /// A backend writing to `writer`, asking the terminal for its size.
    pub fn new(writer: W) -> Self {
        LeanBackend {
            writer,
            cursor: None,
            visible: None,
            cols: StdCell::new(u16::MAX),
            fixed_size: None,
        }
    }

    /// A backend of a fixed size (for tests and benchmarks).
    pub fn with_size(writer: W, width: u16, height: u16) -> Self {
        let mut b = LeanBackend::new(writer);
        b.fixed_size = Some(Size { width, height });
        b.cols.set(width);
        b
    }

    /// The writer.
    pub fn writer(&self) -> &W {
        &self.writer
    }

    /// The writer, mutable (tests take what was written).
    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.writer
    }

    /// Forget what the terminal shows (after something else wrote to it).
    pub fn forget(&mut self) {
        self.cursor = None;
        self.visible = None;
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cols = self.cols.get();
        let mut pen = Pen::RESET;
        // Every frame ends with the pen reset (and the terminal setup resets
        // it first), so a frame starts from the reset pen.
        let mut out = String::with_capacity(4096);
        for (x, y, cell) in content {
            let at = Position { x, y };
            if self.cursor != Some(at) {
                out.push_str(&move_seq(self.cursor, at));
            }
            let next = Pen::of(cell);
            if next != pen {
                out.push_str(&sgr(pen, next));
                pen = next;
            }
            let symbol = cell.symbol();
            out.push_str(symbol);
            let w = symbol.cell_width().max(1);
            let nx = x.saturating_add(w);
            self.cursor = if nx >= cols {
                None
            } else {
                Some(Position { x: nx, y })
            };
        }
        if pen != Pen::RESET {
            out.push_str("\x1b[0m");
        }
        self.writer.write_all(out.as_bytes())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(false) {
            self.writer.write_all(b"\x1b[?25l")?;
            self.visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(true) {
            self.writer.write_all(b"\x1b[?25h")?;
            self.visible = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        if let Some(p) = self.cursor {
            return Ok(p);
        }
        if self.fixed_size.is_some() {
            return Ok(Position::ORIGIN);
        }
        crossterm::cursor::position()
            .map(|(x, y)| Position { x, y })
            .map_err(io::Error::other)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        if self.cursor != Some(p) {
            self.writer.write_all(move_seq(self.cursor, p).as_bytes())?;
            self.cursor = Some(p);
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let seq: &[u8] = match clear_type {
            ClearType::All => b"\x1b[0m\x1b[2J",
            ClearType::AfterCursor => b"\x1b[0m\x1b[J",
            ClearType::BeforeCursor => b"\x1b[0m\x1b[1J",
            ClearType::CurrentLine => b"\x1b[0m\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[0m\x1b[K",
        };
        self.writer.write_all(seq)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            self.writer.write_all(b"\n")?;
        }
        self.cursor = None;
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        let size = match self.fixed_size {
            Some(s) => s,
            None => {
                let (width, height) = crossterm::terminal::size()?;
                Size { width, height }
            }
        };
        self.cols.set(size.width);
        Ok(size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = self.size()?;
        Ok(WindowSize {
            columns_rows: size,
            pixels: Size {
                width: 0,
                height: 0,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn draw(prev: &Buffer, next: &Buffer, b: &mut LeanBackend<Vec<u8>>) -> String {
        b.writer_mut().clear();
        b.draw(prev.diff(next).into_iter()).unwrap();
        String::from_utf8(b.writer().clone()).unwrap()
    }

    #[test]
    fn wide_characters_need_no_cursor_moves() {
        let area = Rect::new(0, 0, 20, 2);
        let prev = Buffer::empty(area);
        let mut next = Buffer::empty(area);
        next.set_string(0, 0, "望江门社区abc", Style::new());
        let mut b = LeanBackend::with_size(Vec::new(), 20, 2);
        let out = draw(&prev, &next, &mut b);
        assert_eq!(out, "\x1b[H望江门社区abc");
    }

    #[test]
    fn gaps_use_the_shortest_move() {
        let area = Rect::new(0, 0, 40, 3);
        let mut prev = Buffer::empty(area);
        prev.set_string(0, 1, "社区 abc def", Style::new());
        let mut next = prev.clone();
        next.set_string(0, 1, "社区", Style::new().fg(Color::Yellow));
        next.set_string(9, 1, "X", Style::new());
        let mut b = LeanBackend::with_size(Vec::new(), 40, 3);
        let out = draw(&prev, &next, &mut b);
        // Row 2 column 1, yellow, two wide chars, reset, 5 columns forward.
        assert_eq!(out, "\x1b[2H\x1b[33m社区\x1b[5C\x1b[39mX");
    }

    #[test]
    fn styles_are_one_sequence_and_reset_at_end() {
        let area = Rect::new(0, 0, 10, 1);
        let prev = Buffer::empty(area);
        let mut next = Buffer::empty(area);
        next.set_string(
            0,
            0,
            "ab",
            Style::new()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        );
        next.set_string(2, 0, "c", Style::new().add_modifier(Modifier::BOLD));
        let mut b = LeanBackend::with_size(Vec::new(), 10, 1);
        let out = draw(&prev, &next, &mut b);
        assert_eq!(out, "\x1b[H\x1b[1;4;33mab\x1b[0;1mc\x1b[0m");
    }

    #[test]
    fn last_column_forgets_the_cursor() {
        let area = Rect::new(0, 0, 4, 2);
        let prev = Buffer::empty(area);
        let mut next = Buffer::empty(area);
        next.set_string(2, 0, "社", Style::new());
        next.set_string(0, 1, "x", Style::new());
        let mut b = LeanBackend::with_size(Vec::new(), 4, 2);
        let out = draw(&prev, &next, &mut b);
        assert_eq!(out, "\x1b[1;3H社\x1b[2Hx");
    }

    #[test]
    fn nothing_changed_writes_nothing() {
        let area = Rect::new(0, 0, 4, 2);
        let prev = Buffer::empty(area);
        let mut b = LeanBackend::with_size(Vec::new(), 4, 2);
        assert_eq!(draw(&prev, &prev.clone(), &mut b), "");
        b.hide_cursor().unwrap();
        b.hide_cursor().unwrap();
        assert_eq!(b.writer().as_slice(), b"\x1b[?25l");
    }

    #[test]
    fn colours_map_to_sgr() {
        let mut p = Vec::new();
        color_params(&mut p, Color::DarkGray, 30);
        color_params(&mut p, Color::Red, 40);
        color_params(&mut p, Color::Indexed(200), 30);
        color_params(&mut p, Color::Reset, 40);
        assert_eq!(p, vec!["90", "41", "38;5;200", "49"]);
    }
}
