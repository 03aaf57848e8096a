//! Excel workbooks (.xlsx, .xlsm) read within [`Limits`]: the first sheet's
//! cell values as text (shared and inline strings, numbers, dates by their
//! number format, booleans, the cached results of formulas, never the
//! formulas themselves).
//!
//! Read here with `zip` and `quick-xml` rather than by a workbook library,
//! because a workbook is a zip of XML parts that may claim anything: a cell
//! at XFD1048576 (a reader that allocates the sheet's bounding box asks for
//! half a terabyte), a shared-string count of 2^64 (reserved up front), a
//! part that inflates a thousandfold, a cell reference that overflows. Here
//! every part is unpacked as a stream counted against
//! [`Limits::unpacked_bytes`] (a part whose stated size is already too large
//! is not unpacked at all), no run of text between two tags may exceed
//! [`Limits::run_bytes`] (so the XML reader never buffers more), no count
//! read from the file is used to reserve memory, references are checked
//! against the sheet's real bounds, and cells are placed one by one by
//! [`Rows`], which enforces the other limits.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use super::read::{Limit, Limits, ReadError};
use super::table::{Rows, Table};

/// Columns of a sheet (XFD) and rows (Excel's maximum).
const SHEET_COLUMNS: usize = 16_384;
const SHEET_ROWS: usize = 1_048_576;

/// Styles and number formats remembered; more are read but not kept (a
/// cell using one is shown as a number rather than a date). Excel itself
/// allows about 64,000 styles.
const MAX_STYLES: usize = 65_536;

/// What is left to unpack, shared by the parts read one after the other,
/// and the limit a part broke, if any (the XML reader only sees an I/O error).
struct Budget {
    left: Cell<u64>,
    run_max: usize,
    broken: Cell<Option<Limit>>,
}

impl Budget {
    /// The error for a failed read: the limit broken, else the reader's own.
    fn error(&self, e: impl std::fmt::Display) -> ReadError {
        match self.broken.get() {
            Some(l) => ReadError::Limit(l),
            None => ReadError::Excel(e.to_string()),
        }
    }
}

/// A part being unpacked, counted against the [`Budget`].
struct Counted<'b, R> {
    inner: R,
    budget: &'b Budget,
    /// Bytes since the last `<` or `>`.
    run: usize,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let broken = |l: Limit| {
            self.budget.broken.set(Some(l));
            Err(std::io::Error::other("limit"))
        };
        let left = self.budget.left.get();
        if n as u64 > left {
            return broken(Limit::Unpacked);
        }
        self.budget.left.set(left - n as u64);
        let mut pieces = buf[..n].split(|b| *b == b'<' || *b == b'>');
        let mut longest = self.run + pieces.next().map_or(0, <[u8]>::len);
        self.run = longest;
        for piece in pieces {
            longest = longest.max(piece.len());
            self.run = piece.len();
        }
        if longest > self.budget.run_max {
            return broken(Limit::Run);
        }
        Ok(n)
    }
}

/// An open workbook: its parts by lower-case name.
struct Book<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    parts: HashMap<String, usize>,
}

type Xml<'p, 'a> = Reader<BufReader<Counted<'p, zip::read::ZipFile<'p, Cursor<&'a [u8]>>>>>;

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Book<'a>, ReadError> {
        // The zip reader builds every entry of the central directory (a few
        // hundred bytes each) before it can be asked how many there are; each
        // starts with this signature, so counting them bounds it first.
        let entries = bytes.windows(4).filter(|w| *w == b"PK\x01\x02").count();
        if entries > limits.parts {
            return Err(Limit::Parts.into());
        }
        let zip =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Excel(e.to_string()))?;
        let parts = (0..zip.len())
            .filter_map(|i| Some((zip.name_for_index(i)?.to_ascii_lowercase(), i)))
            .collect();
        Ok(Book { zip, parts })
    }

    /// The XML of a part, if the workbook has it, unpacked within `budget`.
    fn part<'p>(
        &'p mut self,
        path: &str,
        budget: &'p Budget,
    ) -> Result<Option<Xml<'p, 'a>>, ReadError> {
        let Some(&i) = self.parts.get(&path.to_ascii_lowercase()) else {
            return Ok(None);
        };
        let file = self
            .zip
            .by_index(i)
            .map_err(|e| ReadError::Excel(format!("{path}: {e}")))?;
        // A part that says it is too large is refused without unpacking it;
        // one that lies is stopped by the count.
        if file.size() > budget.left.get() {
            return Err(Limit::Unpacked.into());
        }
        let mut xml = Reader::from_reader(BufReader::new(Counted {
            inner: file,
            budget,
            run: 0,
        }));
        let config = xml.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        Ok(Some(xml))
    }
}

/// The next event, clearing `buf` first.
fn next<'b, R: BufRead>(
    xml: &mut Reader<R>,
    buf: &'b mut Vec<u8>,
    budget: &Budget,
) -> Result<Event<'b>, ReadError> {
    buf.clear();
    xml.read_event_into(buf).map_err(|e| budget.error(e))
}

/// An element that starts with this event: its tag, and whether content
/// and an end tag follow (`<a>`) or not (`<a/>`).
fn element<'e>(event: &'e Event) -> Option<(&'e BytesStart<'e>, bool)> {
    match event {
        Event::Start(e) => Some((e, true)),
        Event::Empty(e) => Some((e, false)),
        _ => None,
    }
}

/// Whether this event ends an element of that local name.
fn ends(event: &Event, name: &[u8]) -> bool {
    matches!(event, Event::End(e) if e.local_name().as_ref() == name)
}

/// The value of an attribute (by local name), unescaped.
fn attribute<R>(xml: &Reader<R>, e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.decode_and_unescape_value(xml.decoder()).ok())
        .map(|v| v.into_owned())
}

/// The raw value of an attribute (by local name), without allocating: for
/// numbers and references, which never hold escapes.
fn raw<'e>(e: &'e BytesStart, name: &[u8]) -> Option<Cow<'e, [u8]>> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

/// A number in an attribute.
fn raw_number<T: std::str::FromStr>(e: &BytesStart, name: &[u8]) -> Option<T> {
    std::str::from_utf8(&raw(e, name)?).ok()?.parse().ok()
}

/// Skips the rest of the element just opened.
fn skip<R: BufRead>(xml: &mut Reader<R>, budget: &Budget) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        match next(xml, &mut buf, budget)? {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(ReadError::Excel("unexpected end of a part".into())),
            _ => {}
        }
    }
}

/// The text of the element just opened, up to its end: all of it (`<v>`),
/// or only that of its `<t>` elements outside phonetic runs (`<si>`,
/// `<is>`). At most `max` bytes.
fn text<R: BufRead>(
    xml: &mut Reader<R>,
    budget: &Budget,
    rich: bool,
    max: usize,
) -> Result<String, ReadError> {
    let mut out = String::new();
    let mut buf = Vec::new();
    let mut depth = 0usize;
    // Depth of the `<t>` and `<rPh>` open, if any.
    let mut in_t: Option<usize> = None;
    let mut in_phonetic: Option<usize> = None;
    loop {
        let keep = !rich || (in_t.is_some() && in_phonetic.is_none());
        match next(xml, &mut buf, budget)? {
            Event::Start(e) => {
                depth += 1;
                match e.local_name().as_ref() {
                    b"t" if in_t.is_none() => in_t = Some(depth),
                    b"rPh" if in_phonetic.is_none() => in_phonetic = Some(depth),
                    _ => {}
                }
            }
            Event::End(_) if depth == 0 => return Ok(out),
            Event::End(_) => {
                if in_t == Some(depth) {
                    in_t = None;
                }
                if in_phonetic == Some(depth) {
                    in_phonetic = None;
                }
                depth -= 1;
            }
            Event::Text(t) if keep => {
                out.push_str(&t.xml10_content().map_err(|e| budget.error(e))?)
            }
            Event::CData(t) if keep => out.push_str(&t.decode().map_err(|e| budget.error(e))?),
            Event::GeneralRef(r) if keep => {
                let c = r.resolve_char_ref().map_err(|e| budget.error(e))?;
                let name = r.decode().map_err(|e| budget.error(e))?;
                match (c, quick_xml::escape::resolve_xml_entity(&name)) {
                    (Some(c), _) => out.push(c),
                    (None, Some(s)) => out.push_str(s),
                    (None, None) => {
                        return Err(ReadError::Excel(format!("unknown entity &{name};")))
                    }
                }
            }
            Event::Eof => return Err(ReadError::Excel("unexpected end of a part".into())),
            _ => {}
        }
        if out.len() > max {
            return Err(Limit::Text.into());
        }
    }
}

/// Undoes Excel's escapes of characters XML cannot hold (`_x000D_`).
fn unescape_x(s: String) -> String {
    if !s.contains("_x") {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let decoded = tail
            .get(2..6)
            .filter(|h| tail.get(6..7) == Some("_") && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The shared strings, in one buffer (a count in the file is never used to
/// reserve; each string costs its text and four bytes).
#[derive(Default)]
struct Strings {
    text: String,
    ends: Vec<u32>,
}

impl Strings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] as usize,
        };
        self.text.get(start..end)
    }
}

fn shared_strings(
    book: &mut Book,
    path: &str,
    budget: &Budget,
    limits: &Limits,
) -> Result<Strings, ReadError> {
    let mut out = Strings::default();
    let Some(mut xml) = book.part(path, budget)? else {
        return Ok(out);
    };
    let mut buf = Vec::new();
    loop {
        let event = next(&mut xml, &mut buf, budget)?;
        if let Some((e, open)) = element(&event) {
            if e.local_name().as_ref() != b"si" {
                continue;
            }
            if open {
                let left = limits.text_bytes.saturating_sub(out.text.len());
                let s = unescape_x(text(&mut xml, budget, true, left)?);
                out.text.push_str(&s);
            }
            if out.ends.len() >= limits.cells {
                return Err(Limit::Cells.into());
            }
            let end = u32::try_from(out.text.len()).map_err(|_| Limit::Text)?;
            out.ends.push(end);
        } else if matches!(event, Event::Eof) {
            return Ok(out);
        }
    }
}

/// Whether a number format shows a date (or a time): the built-in ones
/// (14-22, 45-47, and 27-36, 50-58, the East Asian dates such as
/// `yyyy"年"m"月"d"日"`), or a custom format whose first section has a date
/// or time letter outside quotes, escapes and brackets (`[h]:mm` is a
/// duration, `[Red]` a colour).
fn is_date_format(id: u32, custom: Option<&str>) -> bool {
    let Some(code) = custom else {
        return matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58);
    };
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => return false,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let inside: String = chars.by_ref().take_while(|c| *c != ']').collect();
                let lower = inside.to_ascii_lowercase();
                if !lower.is_empty() && lower.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
                    // An elapsed time: a duration, not a date.
                    return false;
                }
            }
            'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' => return true,
            _ => {}
        }
    }
    false
}

/// For each cell style, whether it shows a date.
fn date_styles(book: &mut Book, path: &str, budget: &Budget) -> Result<Vec<bool>, ReadError> {
    let mut custom: HashMap<u32, bool> = HashMap::new();
    let mut out = Vec::new();
    let Some(mut xml) = book.part(path, budget)? else {
        return Ok(out);
    };
    let mut buf = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        let event = next(&mut xml, &mut buf, budget)?;
        if let Some((e, open)) = element(&event) {
            match e.local_name().as_ref() {
                b"numFmt" if custom.len() < MAX_STYLES => {
                    let code = attribute(&xml, e, b"formatCode").unwrap_or_default();
                    if let Some(id) = raw_number(e, b"numFmtId") {
                        custom.insert(id, is_date_format(id, Some(&code)));
                    }
                }
                b"cellXfs" => in_cell_xfs = open,
                b"xf" if in_cell_xfs && out.len() < MAX_STYLES => {
                    let id: u32 = raw_number(e, b"numFmtId").unwrap_or(0);
                    let date = match custom.get(&id) {
                        Some(d) => *d,
                        None => is_date_format(id, None),
                    };
                    out.push(date);
                }
                _ => {}
            }
        } else if ends(&event, b"cellXfs") {
            in_cell_xfs = false;
        } else if matches!(event, Event::Eof) {
            return Ok(out);
        }
    }
}

/// A path inside the workbook from a relationship target (relative to
/// `xl/`, or absolute from the root).
fn part_path(target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let mut out: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// Where the parts of the workbook are.
struct Layout {
    sheet: String,
    strings: String,
    styles: String,
    /// Dates count from 1904 (old Mac workbooks).
    date1904: bool,
}

fn layout(book: &mut Book, budget: &Budget) -> Result<Layout, ReadError> {
    let mut sheet_id = None;
    let mut date1904 = false;
    {
        let Some(mut xml) = book.part("xl/workbook.xml", budget)? else {
            return Err(ReadError::NotXlsx);
        };
        let mut buf = Vec::new();
        loop {
            let event = next(&mut xml, &mut buf, budget)?;
            if let Some((e, _)) = element(&event) {
                match e.local_name().as_ref() {
                    b"workbookPr" => {
                        let v = attribute(&xml, e, b"date1904").unwrap_or_default();
                        date1904 = v == "1" || v == "true";
                    }
                    b"sheet" => {
                        sheet_id = attribute(&xml, e, b"id");
                        break;
                    }
                    _ => {}
                }
            } else if matches!(event, Event::Eof) {
                break;
            }
        }
    }
    let mut targets: HashMap<String, String> = HashMap::new();
    let mut by_type: HashMap<&'static str, String> = HashMap::new();
    if let Some(mut xml) = book.part("xl/_rels/workbook.xml.rels", budget)? {
        let mut buf = Vec::new();
        loop {
            let event = next(&mut xml, &mut buf, budget)?;
            match element(&event) {
                Some((e, _)) if e.local_name().as_ref() == b"Relationship" => {
                    let target = attribute(&xml, e, b"Target").unwrap_or_default();
                    let kind = attribute(&xml, e, b"Type").unwrap_or_default();
                    for t in ["sharedStrings", "styles"] {
                        if kind.ends_with(&format!("/{t}")) {
                            by_type.entry(t).or_insert_with(|| part_path(&target));
                        }
                    }
                    if let Some(id) = attribute(&xml, e, b"Id") {
                        if targets.len() < MAX_STYLES {
                            targets.insert(id, part_path(&target));
                        }
                    }
                }
                None if matches!(event, Event::Eof) => break,
                _ => {}
            }
        }
    }
    let sheet = sheet_id
        .and_then(|id| targets.remove(&id))
        .ok_or_else(|| ReadError::Excel("no sheet".into()))?;
    Ok(Layout {
        sheet,
        strings: by_type
            .remove("sharedStrings")
            .unwrap_or_else(|| "xl/sharedStrings.xml".into()),
        styles: by_type
            .remove("styles")
            .unwrap_or_else(|| "xl/styles.xml".into()),
        date1904,
    })
}

/// A row number (`1`..=1048576) as a 0-based index.
fn row_number(s: &[u8]) -> Option<usize> {
    if s.is_empty() || s.len() > 7 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = s.iter().fold(0usize, |n, b| n * 10 + usize::from(b - b'0'));
    (1..=SHEET_ROWS).contains(&n).then(|| n - 1)
}

/// A cell reference (`B7`, `XFD1048576`) as 0-based row and column.
fn cell_reference(s: &[u8]) -> Option<(usize, usize)> {
    let letters = s.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if !(1..=3).contains(&letters) {
        return None;
    }
    let column = s[..letters].iter().fold(0usize, |n, b| {
        n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1
    });
    if column > SHEET_COLUMNS {
        return None;
    }
    Some((row_number(&s[letters..])?, column - 1))
}

/// A reference as text, for a message.
fn reference_text(s: &[u8]) -> ReadError {
    ReadError::CellReference(String::from_utf8_lossy(s).into_owned())
}

/// A date serial number as `YYYY-MM-DD` (the time of day dropped).
fn date_text(serial: f64, date1904: bool) -> Option<String> {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as u64;
    let (base, days) = match (date1904, days) {
        (true, d) => (chrono::NaiveDate::from_ymd_opt(1904, 1, 1)?, d),
        // Excel counts 1900-02-29, which did not exist: serials from 61 on
        // are one day ahead.
        (false, d) if d >= 61 => (chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?, d),
        (false, d) => (chrono::NaiveDate::from_ymd_opt(1899, 12, 31)?, d),
    };
    let date = base.checked_add_days(chrono::Days::new(days))?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// A number as staff typed it: whole numbers without a decimal point.
fn number_text(raw: &str, date: bool, date1904: bool) -> String {
    let Ok(f) = raw.trim().parse::<f64>() else {
        return raw.to_string();
    };
    if date {
        if let Some(d) = date_text(f, date1904) {
            return d;
        }
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else if f.is_finite() && f.abs() >= 1e-9 && f.abs() < 1e15 {
        // As Excel shows it: 15 significant digits, so that 10.2 stored as
        // 10.199999999999999 reads 10.2 (an amount in 万元 stays exact).
        let digits = f.abs().log10().floor() as i32 + 1;
        let places = (15 - digits).clamp(0, 15) as usize;
        let s = format!("{f:.places$}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    } else {
        f.to_string()
    }
}

/// What the sheet's cells are read with.
struct Context<'c> {
    strings: &'c Strings,
    dates: &'c [bool],
    date1904: bool,
    budget: &'c Budget,
    limits: &'c Limits,
}

/// The rest of a `<c>` element: its value as text.
fn cell<R: BufRead>(
    xml: &mut Reader<R>,
    cx: &Context,
    kind: Option<&[u8]>,
    style: Option<usize>,
    (row, column): (usize, usize),
) -> Result<String, ReadError> {
    // Bytes a cell's text may take: its characters in UTF-8 and escapes.
    let max = cx.limits.cell_chars.saturating_mul(8);
    let too_long = |e: ReadError| match e {
        ReadError::Limit(Limit::Text) => ReadError::Limit(Limit::CellChars {
            row: row + 1,
            column: column + 1,
        }),
        e => e,
    };
    let mut value: Option<String> = None;
    let mut inline: Option<String> = None;
    let mut buf = Vec::new();
    loop {
        match next(xml, &mut buf, cx.budget)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"v" => value = Some(text(xml, cx.budget, false, max).map_err(too_long)?),
                b"is" => inline = Some(text(xml, cx.budget, true, max).map_err(too_long)?),
                _ => skip(xml, cx.budget)?,
            },
            Event::End(_) => break,
            Event::Eof => return Err(ReadError::Excel("unexpected end of the sheet".into())),
            _ => {}
        }
    }
    let raw = value.unwrap_or_default();
    Ok(match kind {
        Some(b"s") => {
            if raw.trim().is_empty() {
                return Ok(String::new());
            }
            let found = raw
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| cx.strings.get(i));
            match found {
                Some(s) => s.to_string(),
                None => return Err(ReadError::Excel(format!("no shared string {raw}"))),
            }
        }
        Some(b"inlineStr") => unescape_x(inline.unwrap_or(raw)),
        Some(b"str") => unescape_x(raw),
        Some(b"b") => (raw.trim() == "1").to_string(),
        Some(b"e") => raw,
        Some(b"d") => match raw.split_once('T') {
            Some((date, _)) => date.to_string(),
            None => raw,
        },
        _ if raw.is_empty() => String::new(),
        _ => {
            let date = style
                .and_then(|s| cx.dates.get(s))
                .copied()
                .unwrap_or(false);
            number_text(&raw, date, cx.date1904)
        }
    })
}

/// The cells of a sheet, placed within the limits.
fn sheet<R: BufRead>(xml: &mut Reader<R>, cx: &Context) -> Result<Table, ReadError> {
    let mut rows = Rows::new(cx.limits);
    let mut buf = Vec::new();
    let mut row = 0usize;
    let mut next_row = 0usize;
    let mut next_column = 0usize;
    loop {
        let event = next(xml, &mut buf, cx.budget)?;
        let Some((e, open)) = element(&event) else {
            if ends(&event, b"row") {
                next_row = row + 1;
            } else if ends(&event, b"sheetData") || matches!(event, Event::Eof) {
                return Ok(rows.finish());
            }
            continue;
        };
        match e.local_name().as_ref() {
            b"row" => {
                row = match raw(e, b"r") {
                    Some(r) => row_number(&r).ok_or_else(|| reference_text(&r))?,
                    None if next_row < SHEET_ROWS => next_row,
                    None => return Err(reference_text((next_row + 1).to_string().as_bytes())),
                };
                next_column = 0;
                if !open {
                    next_row = row + 1;
                }
            }
            b"c" => {
                let (r, c) = match raw(e, b"r") {
                    Some(r) => cell_reference(&r).ok_or_else(|| reference_text(&r))?,
                    None if next_column < SHEET_COLUMNS => (row, next_column),
                    None => return Err(Limit::Columns.into()),
                };
                next_column = c + 1;
                if open {
                    let kind = raw(e, b"t");
                    let style = raw_number(e, b"s");
                    let value = cell(xml, cx, kind.as_deref(), style, (r, c))?;
                    rows.set(r, c, value)?;
                } else {
                    // An empty cell: only its place counts. Its row must
                    // still be a row of the sheet.
                    rows.set(r, c, String::new())?;
                }
            }
            _ => {}
        }
    }
}

/// Rows of the first sheet of a workbook (.xlsx, .xlsm).
pub fn rows(bytes: &[u8], limits: &Limits) -> Result<Table, ReadError> {
    let mut book = Book::open(bytes, limits)?;
    let budget = Budget {
        left: Cell::new(limits.unpacked_bytes),
        run_max: limits.run_bytes,
        broken: Cell::new(None),
    };
    let layout = layout(&mut book, &budget)?;
    let strings = shared_strings(&mut book, &layout.strings, &budget, limits)?;
    let dates = date_styles(&mut book, &layout.styles, &budget)?;
    let Some(mut xml) = book.part(&layout.sheet, &budget)? else {
        return Err(ReadError::Excel(format!("no {}", layout.sheet)));
    };
    let cx = Context {
        strings: &strings,
        dates: &dates,
        date1904: layout.date1904,
        budget: &budget,
        limits,
    };
    sheet(&mut xml, &cx)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::interchange::read::LIMITS;

    const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr/><sheets><sheet name="组织" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/></Relationships>"#;

    /// A workbook whose first sheet holds `rows` (the inside of
    /// `<sheetData>`), with more parts.
    fn book(rows: &str, parts: &[(&str, &str)]) -> Vec<u8> {
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{rows}</sheetData></worksheet>"#
        );
        let mut all = vec![
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", RELS),
            ("xl/worksheets/sheet1.xml", sheet.as_str()),
        ];
        all.extend_from_slice(parts);
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in all {
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Changes the uncompressed size the central directory states for a part.
    fn state_size(zip: &mut [u8], name: &str, size: u32) {
        let at = (0..zip.len() - 46)
            .find(|&i| {
                zip[i..].starts_with(b"PK\x01\x02") && zip[i + 46..].starts_with(name.as_bytes())
            })
            .expect("central directory entry");
        zip[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
    }

    fn read(rows: &str, parts: &[(&str, &str)]) -> Result<Vec<Vec<String>>, ReadError> {
        super::rows(&book(rows, parts), &LIMITS).map(|t| strings(&t))
    }

    fn strings(t: &Table) -> Vec<Vec<String>> {
        t.rows()
            .map(|r| r.into_iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn reads_what_rust_xlsxwriter_writes() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        ws.write_string(0, 0, "名称").unwrap();
        ws.write_string(0, 1, "成立日期").unwrap();
        ws.write_string(0, 2, "成员数").unwrap();
        ws.write_string(0, 3, "备注").unwrap();
        ws.write_string(1, 0, "宝石山社区读书会").unwrap();
        let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2019, 3, 1).unwrap();
        ws.write_datetime_with_format(1, 1, &d, &date).unwrap();
        ws.write_number(1, 2, 25).unwrap();
        ws.write_string(1, 3, "'=1+1 & <不是公式>").unwrap();
        ws.write_number(2, 2, 2.5).unwrap();
        ws.write_boolean(2, 3, true).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        assert_eq!(
            strings(&super::rows(&bytes, &LIMITS).unwrap()),
            vec![
                vec!["名称", "成立日期", "成员数", "备注"],
                vec!["宝石山社区读书会", "2019-03-01", "25", "'=1+1 & <不是公式>"],
                vec!["", "", "2.5", "true"],
            ]
        );
    }

    #[test]
    fn cells_of_every_kind() {
        let strings = r#"<sst count="3" uniqueCount="18446744073709551615"><si><t>名称</t></si><si><r><t>银龄</t></r><r><rPr><b/></rPr><t xml:space="preserve">互助会</t></r><rPh sb="0" eb="2"><t>yinling</t></rPh></si><si><t>a_x000D_b &amp; c&#x4E00;</t></si></sst>"#;
        let styles = r#"<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="[Red]0.00"/><numFmt numFmtId="165" formatCode="yyyy/m/d"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="31"/></cellXfs></styleSheet>"#;
        let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>
<row><c t="s"><v>2</v></c><c t="inlineStr"><is><t>行内</t></is></c><c s="1"><v>3</v></c><c s="2"><v>43525</v></c><c s="3"><v>43525.75</v></c></row>
<row r="5"><c r="B5"><f>1+1</f><v>2</v></c><c r="C5" t="str"><f>"x"</f><v>x</v></c><c r="D5" t="b"><v>0</v></c><c r="E5" t="e"><v>#N/A</v></c><c r="F5" t="d"><v>2019-03-01T00:00:00</v></c><c r="G5" s="0"/></row>"#;
        let got = read(
            rows,
            &[("xl/sharedStrings.xml", strings), ("xl/styles.xml", styles)],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                vec!["名称", "", "银龄互助会"],
                vec!["a\rb & c一", "行内", "3", "2019-03-01", "2019-03-01"],
                vec![],
                vec![],
                vec!["", "2", "x", "false", "#N/A", "2019-03-01"],
            ]
        );
    }

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text("10.199999999999999", false, false), "10.2");
        assert_eq!(number_text("0.30000000000000004", false, false), "0.3");
        assert_eq!(number_text("10.5", false, false), "10.5");
        assert_eq!(number_text("3", false, false), "3");
        assert_eq!(number_text("123456.789", false, false), "123456.789");
        assert_eq!(number_text("1E-20", false, false), "0.00000000000000000001");
    }

    #[test]
    fn dates_count_as_excel_does() {
        assert_eq!(date_text(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(date_text(59.0, false).as_deref(), Some("1900-02-28"));
        assert_eq!(date_text(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(date_text(45000.5, false).as_deref(), Some("2023-03-15"));
        assert_eq!(date_text(0.0, true).as_deref(), Some("1904-01-01"));
        assert_eq!(date_text(-1.0, false), None);
        assert_eq!(date_text(f64::NAN, false), None);
        assert_eq!(date_text(1e300, false), None);
        assert!(is_date_format(164, Some("yyyy\"年\"m\"月\"d\"日\";@")));
        assert!(is_date_format(164, Some("h:mm AM/PM")));
        assert!(!is_date_format(164, Some("[h]:mm:ss")));
        assert!(!is_date_format(164, Some("\"days\"0")));
        assert!(!is_date_format(164, Some("[$-804]#,##0.00;[Red]-#,##0.00")));
        assert!(!is_date_format(164, Some("General")));
        assert!(is_date_format(14, None) && is_date_format(57, None));
        assert!(!is_date_format(4, None));
    }

    #[test]
    fn references_outside_a_sheet_are_refused() {
        assert_eq!(cell_reference(b"XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_reference(b"b7"), Some((6, 1)));
        for bad in [
            "A0",
            "XFE1",
            "A1048577",
            "AAAA1",
            "A",
            "1",
            "A1B",
            "A-1",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAA99999999999999999999",
        ] {
            assert_eq!(cell_reference(bad.as_bytes()), None, "{bad}");
        }
        let c = |r: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>x</t></is></c>"#);
        assert_eq!(
            read(&format!("<row>{}</row>", c("A99999999999")), &[]),
            Err(ReadError::CellReference("A99999999999".into()))
        );
        assert_eq!(
            read(r#"<row r="0"/>"#, &[]),
            Err(ReadError::CellReference("0".into()))
        );
        // Rows come in order (cells within a row may not).
        let back = format!(
            r#"<row r="3">{}{}</row><row r="2">{}</row>"#,
            c("B3"),
            c("A3"),
            c("A2")
        );
        assert_eq!(read(&back, &[]), Err(ReadError::CellOrder { row: 2 }));
    }

    /// The crafted workbooks of issue [1/6]: each is a few kilobytes.
    #[test]
    fn hostile_workbooks_are_refused_by_limit() {
        let cell = |r: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>x</t></is></c>"#);
        // A1 and XFD1048576: the bounding box is never allocated.
        let corners = format!(
            r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
            cell("A1"),
            cell("XFD1048576")
        );
        assert_eq!(read(&corners, &[]), Err(Limit::Columns.into()));
        // A1 and A1048576 are within the limits: a million empty rows cost
        // 24 MB, nothing more.
        let tall = format!(
            r#"<row r="1">{}</row><row r="1048576">{}</row>"#,
            cell("A1"),
            cell("A1048576")
        );
        assert_eq!(read(&tall, &[]).unwrap().len(), 1_048_576);
        // A shared-string count of 2^64 is not believed.
        let sst = r#"<sst uniqueCount="18446744073709551615" count="99999999999999999999"><si><t>名称</t></si></sst>"#;
        let one = r#"<row><c t="s"><v>0</v></c></row>"#;
        assert_eq!(
            read(one, &[("xl/sharedStrings.xml", sst)]).unwrap(),
            vec![vec!["名称"]]
        );
        // A missing shared string.
        assert!(matches!(
            read(
                r#"<row><c t="s"><v>7</v></c></row>"#,
                &[("xl/sharedStrings.xml", sst)]
            ),
            Err(ReadError::Excel(_))
        ));
        // A cell beyond Excel's length.
        let long = format!(
            r#"<row r="3"><c r="B3" t="inlineStr"><is><t>{}</t></is></c></row>"#,
            "长".repeat(LIMITS.cell_chars + 1)
        );
        assert_eq!(
            read(&long, &[]),
            Err(Limit::CellChars { row: 3, column: 2 }.into())
        );
    }

    #[test]
    fn unpacking_is_bounded_whatever_the_zip_claims() {
        use crate::interchange::read::tests::SMALL;
        // Inflates far beyond the budget: stopped as soon as it is spent.
        let row = r#"<row r="1"><c r="A1" s="0"/></row>"#;
        let mut bomb = book(&row.repeat(10_000), &[]);
        assert!(bomb.len() < 10_000, "{}", bomb.len());
        assert_eq!(super::rows(&bomb, &SMALL), Err(Limit::Unpacked.into()));
        // The same, its central directory saying the sheet is 100 bytes.
        state_size(&mut bomb, "xl/worksheets/sheet1.xml", 100);
        assert_eq!(super::rows(&bomb, &SMALL), Err(Limit::Unpacked.into()));
        // One cell's text with no markup: the XML reader would buffer it all.
        let run = book(
            &format!(
                r#"<row><c t="inlineStr"><is><t>{}</t></is></c></row>"#,
                "a".repeat(5_000)
            ),
            &[],
        );
        assert_eq!(super::rows(&run, &SMALL), Err(Limit::Run.into()));
        // Too many parts.
        let names: Vec<String> = (0..30).map(|i| format!("docProps/{i}.xml")).collect();
        let parts: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "<x/>")).collect();
        assert_eq!(
            super::rows(&book("", &parts), &SMALL),
            Err(Limit::Parts.into())
        );
        // Shared strings count against the text limit too.
        let sst = format!("<sst>{}</sst>", "<si><t>0123456789</t></si>".repeat(30));
        assert_eq!(
            super::rows(&book("", &[("xl/sharedStrings.xml", &sst)]), &SMALL),
            Err(Limit::Text.into())
        );
    }

    #[test]
    fn other_files_are_not_workbooks() {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"<office:document-content/>").unwrap();
        let ods = w.finish().unwrap().into_inner();
        assert_eq!(super::rows(&ods, &LIMITS), Err(ReadError::NotXlsx));
        assert!(matches!(
            super::rows(b"PK\x03\x04 not really", &LIMITS),
            Err(ReadError::Excel(_))
        ));
        assert_eq!(unescape_x("_x000D__x00_x_xZZZZ_".into()), "\r_x00_x_xZZZZ_");
        assert_eq!(
            part_path("../xl/./worksheets/sheet2.xml"),
            "xl/worksheets/sheet2.xml"
        );
    }
}
