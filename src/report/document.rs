//! A report as headed sections of tables, rendered as Markdown or as one
//! HTML page in the bulletin's style (`bulletin::CSS`). What a report says
//! is built once as a [`Document`]; the two formats only lay it out.

use super::bulletin::{html, md, CSS};
use crate::model::Lang;

/// A table: its header (empty: a two-column list of label and value) and
/// rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns that hold numbers (right-aligned).
    pub numeric: Vec<usize>,
}

/// One headed section: tables one after another, or a line saying there
/// is nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub tables: Vec<Table>,
    /// Shown when there is no table.
    pub empty: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub lang: Lang,
    pub sections: Vec<Section>,
}

impl Document {
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n", md(&self.title));
        for s in &self.sections {
            out.push_str(&format!("\n## {}\n", md(&s.heading)));
            if s.tables.is_empty() {
                out.push_str(&format!("\n{}\n", md(&s.empty)));
            }
            for t in &s.tables {
                out.push('\n');
                let cols = t.rows.first().map_or(t.header.len(), Vec::len);
                if t.header.is_empty() {
                    // A list of label and value: an empty header row, which
                    // Markdown tables need.
                    out.push_str(&format!("|{}\n", " |".repeat(cols)));
                } else {
                    out.push('|');
                    for h in &t.header {
                        out.push_str(&format!(" {} |", md(h)));
                    }
                    out.push('\n');
                }
                out.push('|');
                for i in 0..cols {
                    out.push_str(if t.numeric.contains(&i) {
                        " ---: |"
                    } else {
                        " --- |"
                    });
                }
                out.push('\n');
                for r in &t.rows {
                    out.push('|');
                    for c in r {
                        out.push_str(&format!(" {} |", md(c)));
                    }
                    out.push('\n');
                }
            }
        }
        out
    }

    pub fn html(&self) -> String {
        let title = html(&self.title);
        let lang = match self.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        };
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
        );
        for s in &self.sections {
            out.push_str(&format!("<h2>{}</h2>\n", html(&s.heading)));
            if s.tables.is_empty() {
                out.push_str(&format!("<p>{}</p>\n", html(&s.empty)));
            }
            for t in &s.tables {
                if t.header.is_empty() {
                    out.push_str("<table class=\"totals\">\n");
                    for r in &t.rows {
                        let mut cells = r.iter();
                        out.push_str(&format!(
                            "<tr><th>{}</th>",
                            html(cells.next().map_or("", String::as_str))
                        ));
                        for c in cells {
                            out.push_str(&format!("<td>{}</td>", html(c)));
                        }
                        out.push_str("</tr>\n");
                    }
                } else {
                    out.push_str("<table>\n<tr>");
                    for h in &t.header {
                        out.push_str(&format!("<th>{}</th>", html(h)));
                    }
                    out.push_str("</tr>\n");
                    for r in &t.rows {
                        out.push_str("<tr>");
                        for (i, c) in r.iter().enumerate() {
                            if t.numeric.contains(&i) {
                                out.push_str(&format!("<td class=\"num\">{}</td>", html(c)));
                            } else {
                                out.push_str(&format!("<td>{}</td>", html(c)));
                            }
                        }
                        out.push_str("</tr>\n");
                    }
                }
                out.push_str("</table>\n");
            }
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped_in_both_formats() {
        let d = Document {
            title: "年报 <1>".into(),
            lang: Lang::Zh,
            sections: vec![
                Section {
                    heading: "财务".into(),
                    tables: vec![Table {
                        header: vec!["来源".into(), "金额".into()],
                        rows: vec![vec!["a|b".into(), "<script>".into()]],
                        numeric: vec![1],
                    }],
                    empty: String::new(),
                },
                Section {
                    heading: "空".into(),
                    tables: vec![],
                    empty: "无".into(),
                },
            ],
        };
        let m = d.markdown();
        assert!(m.contains("| 来源 | 金额 |\n| --- | ---: |\n"), "{m}");
        assert!(!m.contains("a|b"), "{m}");
        assert!(m.contains("\n无\n"));
        let h = d.html();
        assert!(h.contains("&lt;script&gt;") && !h.contains("<script>"));
        assert!(h.contains("<title>年报 &lt;1&gt;</title>"));
    }
}
