//! Output formats: tables aligned by display width, JSON, CSV.

use std::io::Write;

use clap::ValueEnum;
use unicode_width::UnicodeWidthStr;

use super::error::{CliError, CliResult};

/// `--format` of list and show commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

/// Writes `text` to standard output, turning a closed pipe (`| head`) into a
/// quiet success rather than a panic.
pub fn print(text: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Failed(e.to_string())),
    }
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
/// characters take two columns), two spaces between columns.
pub fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(c.width());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
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
    line(header);
    for r in rows {
        line(r);
    }
    out
}

/// CSV in UTF-8 with a byte-order mark, formula cells neutralised (see
/// [`crate::interchange::csv_out`]).
pub fn csv(header: &[String], rows: &[Vec<String>]) -> CliResult<String> {
    crate::interchange::csv_out::csv(header, rows).map_err(CliError::Failed)
}

/// Pretty JSON followed by a newline.
pub fn json(value: &serde_json::Value) -> CliResult<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| CliError::Failed(e.to_string()))
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
