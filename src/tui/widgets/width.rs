//! Display widths, measured the way ratatui's buffer measures them, so that
//! what the widgets compute (caret columns, alignment, clipping) matches what
//! ends up on the screen: columns, never bytes or chars.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;

/// Columns taken by one grapheme cluster (2 for Chinese, 0 for a control or
/// a lone zero-width character, which the widgets never draw).
pub fn grapheme_width(g: &str) -> usize {
    if g.chars().any(char::is_control) {
        0
    } else {
        g.cell_width() as usize
    }
}

/// Columns taken by a string.
pub fn str_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// Writes `s` at `(x, y)` in at most `max` columns, clipped to the buffer.
/// A wide character that would straddle the limit is replaced by a space, so
/// half a character is never drawn. Returns the columns written.
pub fn put_str(buf: &mut Buffer, x: u16, y: u16, s: &str, max: usize, style: Style) -> usize {
    put_with(buf, x, y, s, max, |_| style)
}

/// Like [`put_str`], with the characters at the char indices in `marked`
/// drawn in `styles.1` (matched characters of a search) and the rest in
/// `styles.0`.
pub fn put_marked(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    s: &str,
    max: usize,
    styles: (Style, Style),
    marked: &[usize],
) -> usize {
    // (first char index, char count) of each grapheme.
    let mut spans = Vec::new();
    let mut n = 0;
    for g in s.graphemes(true) {
        let len = g.chars().count();
        spans.push((n, len));
        n += len;
    }
    let mut k = 0;
    put_with(buf, x, y, s, max, |_| {
        let (first, len) = spans.get(k).copied().unwrap_or((usize::MAX, 0));
        k += 1;
        if marked.iter().any(|&m| m >= first && m - first < len) {
            styles.1
        } else {
            styles.0
        }
    })
}

/// Writes graphemes with a style chosen per grapheme (called once for
/// each grapheme in order, drawn or not).
fn put_with(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    s: &str,
    max: usize,
    mut style_of: impl FnMut(&str) -> Style,
) -> usize {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x < area.left() {
        return 0;
    }
    let max = max.min(area.right().saturating_sub(x) as usize);
    let mut col = 0usize;
    for g in s.graphemes(true) {
        let style = style_of(g);
        let w = grapheme_width(g);
        if w == 0 {
            continue;
        }
        if col + w > max {
            while col < max {
                buf[(x + col as u16, y)].set_symbol(" ").set_style(style);
                col += 1;
            }
            break;
        }
        let cx = x + col as u16;
        buf[(cx, y)].set_symbol(g).set_style(style);
        for i in 1..w {
            buf[(cx + i as u16, y)].reset();
            buf[(cx + i as u16, y)].set_style(style);
        }
        col += w;
    }
    col
}

/// Fills `width` columns at `(x, y)` with spaces in `style`, clipped to the buffer.
pub fn fill(buf: &mut Buffer, x: u16, y: u16, width: usize, style: Style) {
    let area = buf.area;
    if y < area.top() || y >= area.bottom() || x < area.left() {
        return;
    }
    let end = (x as usize + width).min(area.right() as usize);
    for cx in x as usize..end {
        buf[(cx as u16, y)].set_symbol(" ").set_style(style);
    }
}

/// The longest prefix of `s` that fits in `max` columns, with `..` appended
/// when something was cut (ASCII, so it is one column in every terminal).
pub fn ellipsize(s: &str, max: usize) -> String {
    if str_width(s) <= max {
        return s.to_string();
    }
    if max < 2 {
        return ".".repeat(max);
    }
    let mut out = String::new();
    let mut col = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if col + w > max - 2 {
            break;
        }
        out.push_str(g);
        col += w;
    }
    out.push_str("..");
    out
}

/// Splits `s` into lines of at most `max` columns. Chinese text breaks
/// anywhere; a line with a space in its second half breaks after that space
/// (so English words stay whole), and continuation lines do not start with
/// spaces.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if max == 0 {
        return lines;
    }
    let mut line = String::new();
    let mut col = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if col + w > max {
            let space = line
                .rfind(' ')
                .filter(|&i| str_width(&line[..i]) * 2 >= max);
            let rest = match space {
                Some(i) => {
                    let rest = line[i + 1..].to_string();
                    line.truncate(i);
                    rest
                }
                None => String::new(),
            };
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            line = rest;
            col = str_width(&line);
        }
        if line.is_empty() && g == " " && !lines.is_empty() {
            continue;
        }
        line.push_str(g);
        col += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn widths() {
        assert_eq!(str_width("社区"), 4);
        assert_eq!(str_width("ab社"), 4);
        assert_eq!(str_width("e\u{301}"), 1);
        assert_eq!(str_width("a\tb"), 2);
    }

    #[test]
    fn put_str_never_splits_a_wide_char() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 5, 1));
        let n = put_str(&mut buf, 0, 0, "望江门", 5, Style::new());
        assert_eq!(n, 5);
        assert_eq!(buf[(0, 0)].symbol(), "望");
        assert_eq!(buf[(2, 0)].symbol(), "江");
        assert_eq!(buf[(4, 0)].symbol(), " ");
    }

    #[test]
    fn marked_characters() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        put_marked(&mut buf, 0, 0, "a望江门", 12, (Style::new(), bold), &[1, 3]);
        assert!(buf[(0, 0)].modifier.is_empty());
        assert_eq!(buf[(1, 0)].symbol(), "望");
        assert_eq!(buf[(1, 0)].modifier, ratatui::style::Modifier::BOLD);
        assert!(buf[(3, 0)].modifier.is_empty());
        assert_eq!(buf[(5, 0)].modifier, ratatui::style::Modifier::BOLD);
    }

    #[test]
    fn ellipsize_and_wrap() {
        assert_eq!(ellipsize("望江门社区", 10), "望江门社区");
        assert_eq!(ellipsize("望江门社区", 7), "望江..");
        assert_eq!(wrap("望江门社区", 4), vec!["望江", "门社", "区"]);
        assert_eq!(wrap("", 4), vec![String::new()]);
        assert_eq!(
            wrap("is not a mainland mobile number", 12),
            vec!["is not a", "mainland", "mobile", "number"]
        );
        assert_eq!(wrap("ab cdefghijklmn", 6), vec!["ab cde", "fghijk", "lmn"]);
    }
}
