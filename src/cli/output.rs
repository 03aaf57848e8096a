//! Output formats: tables aligned by display width, JSON, CSV; messages on
//! standard error. Nothing unprintable reaches the terminal: cells are
//! escaped with [`printable`], JSON strings with `\u` escapes, and
//! [`print`] and [`message`] escape whatever is left, so a name from another
//! office's bundle cannot clear the screen or retitle the window.

use std::borrow::Cow;
use std::io::Write;

use clap::ValueEnum;
use unicode_width::UnicodeWidthStr;

use super::error::{CliError, CliResult};
use crate::model::bounds::is_unsafe_char;
use crate::text::{printable, printable_lines};

/// Where a command's output goes when a server runs it for a client
/// (`server::serve`): the client's standard output and error.
pub trait Sink {
    fn out(&self, bytes: &[u8]) -> std::io::Result<()>;
    fn err(&self, text: &str);
}

thread_local! {
    static SINK: std::cell::RefCell<Option<std::rc::Rc<dyn Sink>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with this thread's output going to `sink`.
pub fn with_sink<R>(sink: std::rc::Rc<dyn Sink>, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<std::rc::Rc<dyn Sink>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let before = self.0.take();
            SINK.with(|s| *s.borrow_mut() = before);
        }
    }
    let _reset = Reset(SINK.with(|s| s.replace(Some(sink))));
    f()
}

fn sink() -> Option<std::rc::Rc<dyn Sink>> {
    SINK.with(|s| s.borrow().clone())
}

/// `--format` of list and show commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

/// Writes `text` to standard output, unprintable characters but line breaks
/// escaped (a leading byte-order mark, which CSV output starts with, is
/// kept), turning a closed pipe (`| head`) into a quiet success rather than
/// a panic.
pub fn print(text: &str) -> CliResult {
    let (bom, rest) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let rest = printable_lines(rest);
    if let Some(sink) = sink() {
        let mut bytes = bom.as_bytes().to_vec();
        bytes.extend_from_slice(rest.as_bytes());
        return match sink.out(&bytes) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CliError::Failed(e.to_string())),
        };
    }
    let mut out = std::io::stdout().lock();
    match out
        .write_all(bom.as_bytes())
        .and_then(|_| out.write_all(rest.as_bytes()))
        .and_then(|_| out.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Failed(e.to_string())),
    }
}

/// Writes a message for the user (one or more lines) to standard error,
/// unprintable characters but line breaks escaped.
pub fn message(text: &str) {
    if let Some(sink) = sink() {
        sink.err(&printable_lines(text));
        return;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", printable_lines(text));
}

/// Pads `s` with spaces to `width` display columns.
pub fn pad(s: &str, width: usize) -> String {
    let w = s.width();
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

/// A table with a header, columns aligned by display width (Chinese
/// characters take two columns), two spaces between columns; each cell on
/// one line, unprintable characters escaped.
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let header: Vec<Cow<str>> = header.iter().map(|c| printable(c)).collect();
    let rows: Vec<Vec<Cow<str>>> = rows
        .iter()
        .map(|r| r.iter().map(|c| printable(c)).collect())
        .collect();
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(c.width());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[Cow<str>]| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate().take(cols) {
            if i + 1 == cols {
                l.push_str(c);
            } else {
                l.push_str(&pad(c, widths[i]));
                l.push_str("  ");
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&header);
    for r in &rows {
        line(r);
    }
    out
}

/// Label/value rows (`org show`...): labels padded to one width, values
/// after two spaces, each on one line with unprintable characters escaped.
pub fn detail(rows: &[Vec<String>]) -> String {
    let cell =
        |r: &Vec<String>, i: usize| printable(r.get(i).map_or("", String::as_str)).into_owned();
    let rows: Vec<(String, String)> = rows.iter().map(|r| (cell(r, 0), cell(r, 1))).collect();
    let width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    rows.iter()
        .map(|(k, v)| format!("{}  {v}\n", pad(k, width)))
        .collect()
}

/// CSV in UTF-8 with a byte-order mark, formula cells neutralised (see
/// [`crate::interchange::csv_out`]); in cells, unprintable characters but
/// line breaks are escaped.
pub fn csv(header: &[String], rows: &[Vec<String>]) -> CliResult<String> {
    let safe = |r: &[String]| -> Vec<String> {
        r.iter().map(|c| printable_lines(c).into_owned()).collect()
    };
    let rows: Vec<Vec<String>> = rows.iter().map(|r| safe(r)).collect();
    crate::interchange::csv_out::csv(&safe(header), &rows).map_err(CliError::Failed)
}

/// Pretty JSON followed by a newline. serde_json escapes C0 control
/// characters; the other unprintable ones (DEL, C1, direction overrides...)
/// are written as `\u` escapes too, so the JSON holds the same strings.
pub fn json(value: &serde_json::Value) -> CliResult<String> {
    serde_json::to_string_pretty(value)
        .map(|s| json_escape(&s).into_owned() + "\n")
        .map_err(|e| CliError::Failed(e.to_string()))
}

/// JSON text with every unprintable character as a `\u` escape. Outside
/// strings JSON has only ASCII punctuation and whitespace, so every such
/// character is inside a string, where the escape means the same.
fn json_escape(s: &str) -> Cow<'_, str> {
    if !s.contains(|c: char| is_unsafe_char(c) && !c.is_ascii_whitespace()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe_char(c) && !c.is_ascii_whitespace() {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A progress bar on stderr for `len` steps, when stderr is a terminal and
/// the job is long enough to be worth one (`len >= from`); else nothing.
pub fn progress_bar(len: u64, from: u64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    (len >= from && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::with_draw_target(
            Some(len),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
            b.set_style(style);
        }
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_json_carry_no_escape_sequences() {
        let evil = "读书会\x1b]0;pwned\x07\u{202E}\u{9b}2J\x7f".to_string();
        let t = table(&["名称".into()], &[vec![evil.clone()]]);
        assert!(!t.chars().any(|c| is_unsafe_char(c) && c != '\n'), "{t:?}");
        assert!(t.contains("读书会<U+001B>]0;pwned<U+0007><U+202E><U+009B>2J<U+007F>"));
        let c = csv(&["name".into()], &[vec![format!("{evil}\n第二行")]]).unwrap();
        assert!(!c.contains('\x1b') && c.contains("第二行"), "{c:?}");
        let j = json(&serde_json::json!({ "name": evil })).unwrap();
        assert!(!j.chars().any(|c| is_unsafe_char(c) && c != '\n'), "{j:?}");
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back["name"], evil, "the JSON still holds the same string");
        let d = detail(&[vec!["备注".into(), "a\nb\x1bc".into()]]);
        assert_eq!(d, "备注  a\\nb<U+001B>c\n");
    }

    #[test]
    fn table_aligns_by_display_width() {
        let t = table(
            &["名称".into(), "type".into()],
            &[
                vec!["西湖社区读书会".into(), "community".into()],
                vec!["ab".into(), "x".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        let col = |l: &str| {
            l.find("community")
                .or_else(|| l.find('x'))
                .or_else(|| l.find("type"))
        };
        assert_eq!(
            lines[1][..col(lines[1]).unwrap()].width(),
            lines[2][..col(lines[2]).unwrap()].width()
        );
        assert_eq!(
            lines[0][..col(lines[0]).unwrap()].width(),
            lines[1][..col(lines[1]).unwrap()].width()
        );
    }
}
