//! Importing organizations from a spreadsheet: map the columns, validate
//! every row (errors by row and column), find duplicates (by credit code,
//! then by name within the township), then write: nothing when a row is
//! wrong, else everything, in transactions of [`WRITE_CHUNK`].

use std::collections::{BTreeMap, HashMap};

use crate::model::{org_input, Lang, Organization, PlaceLevel, Record, ValidationErrors};
use crate::store::{Command, Store, StoreError};

use super::header;
use super::orgs;
use super::table::Table;
use crate::model::money::Unit;

/// What to do with a row that matches an organization already there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OnDuplicate {
    /// Change the existing organization with the row's non-empty cells.
    Update,
    /// Leave the existing organization alone.
    #[default]
    Skip,
}

/// One problem with one cell (or row) of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's header as written in the file (empty: the whole row).
    pub column: String,
    pub message: String,
}

/// What an import did (or would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    /// Duplicates left alone (`skip`), or updates that changed nothing.
    pub skipped: usize,
    /// Notes rows at the bottom, left out (as the spreadsheet numbers them).
    pub notes_rows: Vec<usize>,
}

/// Why an import wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// No header row names the name column.
    NoNameColumn,
    /// A `--map` that cannot be used.
    Map(MapError),
    /// Several headers name the same field (as written in the file).
    SameColumn(Vec<String>),
    /// The file has no header row.
    Empty,
    /// Rows that broke rules.
    Rows(Vec<RowError>),
    Store(StoreError),
    /// Writing stopped after `written` of `total` organizations (in earlier
    /// transactions) were written, for this cause.
    Interrupted {
        written: usize,
        total: usize,
        cause: Box<ImportError>,
    },
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Store(e)
    }
}

pub use super::header::{column_for, Ignored, MapError, Why};

/// The columns of a file, from its header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Index of the header row in the table (title rows may come first).
    pub row: usize,
    /// The field of each column of the file, if any.
    columns: Vec<Option<&'static str>>,
    /// The headers as written.
    names: Vec<String>,
    /// The unit each column's header names (capital: 万元 or 元).
    units: Vec<Option<Unit>>,
    /// Columns of the file left out, and why.
    pub ignored: Vec<Ignored>,
}

impl Header {
    /// Reads the header row of a roster: the first row naming the name
    /// column and another (see [`header::find_row`]), columns by any
    /// spelling or by `maps` (`HEADER=FIELD`, already parsed). A field named
    /// twice equally well is refused (otherwise one of the two columns
    /// would be dropped without a word), and so is a map whose header is
    /// not in the header row.
    pub fn read(rows: &Table, maps: &[(String, &'static str)]) -> Result<Header, ImportError> {
        if rows.rows().all(|r| r.iter().all(|c| c.trim().is_empty())) {
            return Err(ImportError::Empty);
        }
        let has = |row: usize, h: &str| {
            let n = header::norm(h);
            rows.row(row).iter().any(|c| header::norm(c) == n)
        };
        let within = rows.len().min(header::HEADER_WITHIN);
        let missing = |pick: &dyn Fn(&str) -> bool| {
            maps.iter()
                .find(|(h, _)| !pick(h))
                .map(|(h, _)| ImportError::Map(MapError::NoSuchHeader(h.clone())))
        };
        if let Some(e) = missing(&|h| (0..within).any(|r| has(r, h))) {
            return Err(e);
        }
        let row = header::find_row(rows, maps).ok_or(ImportError::NoNameColumn)?;
        if let Some(e) = missing(&|h| has(row, h)) {
            return Err(e);
        }
        let head = rows.row(row);
        let (columns, ignored) =
            header::columns(&head, maps).map_err(|s| ImportError::SameColumn(s.0))?;
        Ok(Header {
            row,
            units: head.iter().map(|h| header::unit_of(h)).collect(),
            columns,
            names: head.iter().map(|h| h.trim().to_string()).collect(),
            ignored,
        })
    }

    /// The columns used: each header as written and the field it fills.
    pub fn used(&self) -> Vec<(&str, &'static str)> {
        self.names
            .iter()
            .zip(&self.columns)
            .filter_map(|(n, c)| c.map(|c| (n.as_str(), c)))
            .collect()
    }

    /// The column of a field, or of a roster field that fills it.
    fn column_of(&self, key: &str) -> Option<usize> {
        let sources: &[&str] = match key {
            "valid_from" | "valid_until" => &["validity"],
            "credit_code" | "organization_code" => &["code_any"],
            "state" => &["deregistered"],
            "inspections" => &["inspection_result", "inspection_year"],
            _ => &[],
        };
        std::iter::once(&key)
            .chain(sources)
            .find_map(|k| self.columns.iter().position(|c| *c == Some(*k)))
    }

    /// The header of a field as written in the file (else its label).
    fn name_of(&self, key: &str) -> String {
        self.column_of(key)
            .map(|i| self.names[i].clone())
            .unwrap_or_else(|| super::header(key, crate::text::lang()))
    }

    /// The rows after the header that hold organizations: notes at the
    /// bottom (合计, 备注, 说明, or a row with only its first cell filled)
    /// are left out. Returns the end (exclusive) and the notes rows (as the
    /// spreadsheet numbers them).
    pub fn body_end(&self, rows: &Table) -> (usize, Vec<usize>) {
        let mut end = rows.len();
        let mut notes = Vec::new();
        while end > self.row + 1 {
            let cells = rows.row(end - 1);
            let filled: Vec<(usize, &str)> = cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.trim().is_empty())
                .map(|(i, c)| (i, c.trim()))
                .collect();
            if filled.is_empty() {
                end -= 1;
                continue;
            }
            if !self.is_note(&filled) {
                break;
            }
            notes.push(end);
            end -= 1;
        }
        notes.reverse();
        (end, notes)
    }

    /// Whether a row's filled cells make a note rather than an organization.
    fn is_note(&self, filled: &[(usize, &str)]) -> bool {
        const MARKS: &[&str] = &[
            "合计", "总计", "小计", "备注", "说明", "注：", "注:", "填表", "制表", "审核",
        ];
        let (first, text) = filled[0];
        if MARKS.iter().any(|m| text.starts_with(m)) {
            return true;
        }
        if filled.len() != 1 || first != 0 {
            return false;
        }
        // Only the first cell: a note, unless it is a name in the name column.
        let names_it = self.columns.first() == Some(&Some("name"));
        !names_it
            || text.chars().count() > crate::model::bounds::NAME_MAX
            || text.contains(['：', ':', '。'])
    }
}

/// The column report of an import, in the user's language: the columns
/// used (header -> field) and those left out, with why. Shown before
/// anything is written, by the command line and the app.
pub fn column_report(h: &Header) -> Vec<String> {
    let lang = crate::text::lang();
    let mut out = vec![crate::tr!("interchange.roster.header_row", row = h.row + 1)];
    for (i, (name, key)) in h.used().into_iter().enumerate() {
        let _ = i;
        let mut field = super::header(key, lang);
        if key == "capital" {
            let unit = h
                .names
                .iter()
                .position(|n| n == name)
                .and_then(|c| h.units[c])
                .unwrap_or_default();
            field = crate::tr!(
                "interchange.roster.in_unit",
                field = field,
                unit = match unit {
                    Unit::Wan => crate::tr!("interchange.roster.wan"),
                    Unit::Yuan => crate::tr!("interchange.roster.yuan"),
                }
            );
        }
        out.push(crate::tr!(
            "interchange.roster.used",
            column = name,
            field = field
        ));
    }
    for ig in &h.ignored {
        let why = match &ig.why {
            Why::Unknown => crate::tr!("interchange.roster.why_unknown", column = ig.header),
            Why::Serial => crate::tr!("interchange.roster.why_serial"),
            Why::RecordId => crate::tr!("interchange.roster.why_record_id"),
            Why::Personal => crate::tr!("interchange.roster.why_personal"),
            Why::SameField(other) => crate::tr!("interchange.roster.why_same", other = other),
        };
        out.push(crate::tr!(
            "interchange.roster.ignored",
            column = ig.header,
            why = why
        ));
    }
    out
}

/// Township code by place code.
type Townships = HashMap<String, String>;
/// Place codes by place name.
type PlacesByName = HashMap<String, Vec<String>>;

/// Township code of every place (itself, for a township; none above), and
/// the codes of the places of each name (a roster names its grid cell or
/// community by name).
fn places(store: &Store) -> Result<(Townships, PlacesByName), StoreError> {
    let places = store.places()?;
    let by_code: HashMap<&str, &crate::model::Place> =
        places.iter().map(|p| (p.code.as_str(), p)).collect();
    let mut towns = HashMap::new();
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for p in &places {
        by_name
            .entry(p.name.trim().to_string())
            .or_default()
            .push(p.code.clone());
        let mut cur = Some(p);
        let mut guard = 0;
        while let Some(c) = cur {
            if c.level == PlaceLevel::Township {
                towns.insert(p.code.clone(), c.code.clone());
                break;
            }
            guard += 1;
            if guard > 16 {
                break;
            }
            cur = c.parent.as_deref().and_then(|pc| by_code.get(pc).copied());
        }
    }
    Ok((towns, by_name))
}

/// A name as compared for "the same organization": no spaces, ASCII
/// brackets (rosters mix `（筹）` and `(筹)`).
fn same_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// A key for "same name within the township".
fn name_key(o: &Organization, townships: &HashMap<String, String>) -> (String, String) {
    let t = o
        .grid
        .as_deref()
        .and_then(|g| townships.get(g))
        .cloned()
        .unwrap_or_default();
    (t, same_name(&o.name))
}

/// Whether a row (`new`) cannot be the stored organization `old`: both
/// have a credit code, or both a registration number, and they differ.
fn contradicts(new: &Organization, old: &Organization) -> bool {
    let differ =
        |a: Option<String>, b: Option<String>| matches!((a, b), (Some(a), Some(b)) if a != b);
    differ(new.credit_code.clone(), old.credit_code.clone())
        || differ(
            new.registration_number.as_deref().map(same_number),
            old.registration_number.as_deref().map(same_number),
        )
}

/// A registration certificate number as compared: no spaces, upper case.
fn same_number(n: &str) -> String {
    n.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Organizations written per transaction. A file of up to this many is
/// written in one transaction; a larger one in several, after every row was
/// checked, so that memory stays bounded (a transaction holds all it writes).
pub const WRITE_CHUNK: usize = 1_000;

/// What one row comes to.
enum Plan {
    /// An empty row, or one with errors (reported).
    Nothing,
    Create(Box<Organization>),
    Update {
        id: String,
        before: Box<Organization>,
        after: Box<Organization>,
    },
    /// A duplicate left alone, or an update that changes nothing.
    Skip,
}

/// What rows are planned against: the store when the import began.
struct Known {
    towns: HashMap<String, String>,
    /// Place codes by place name.
    places: HashMap<String, Vec<String>>,
    by_name: HashMap<(String, String), String>,
    by_number: HashMap<String, String>,
}

/// Plans rows one after the other (the same rows give the same plans).
struct Planner<'a> {
    store: &'a Store,
    header: &'a Header,
    known: &'a Known,
    on_duplicate: OnDuplicate,
    today: chrono::NaiveDate,
    lang: Lang,
    /// Rows of this file already taken, by credit code, registration
    /// number and name key.
    seen_code: HashMap<String, usize>,
    seen_number: HashMap<String, usize>,
    seen_name: HashMap<(String, String), usize>,
    /// Whether each grid named so far exists (most rows name a few grids).
    grids: HashMap<String, bool>,
}

impl<'a> Planner<'a> {
    fn new(
        store: &'a Store,
        header: &'a Header,
        known: &'a Known,
        on_duplicate: OnDuplicate,
    ) -> Self {
        Planner {
            store,
            header,
            known,
            on_duplicate,
            today: chrono::Local::now().date_naive(),
            lang: crate::text::lang(),
            seen_code: HashMap::new(),
            seen_number: HashMap::new(),
            seen_name: HashMap::new(),
            grids: HashMap::new(),
        }
    }

    /// Whether a place code exists (remembered).
    fn place_exists(&mut self, code: &str) -> Result<bool, StoreError> {
        Ok(match self.grids.get(code) {
            Some(e) => *e,
            None => {
                let e = self.store.place(code)?.is_some();
                self.grids.insert(code.to_string(), e);
                e
            }
        })
    }

    /// A grid cell as a roster gives it: its code, or the name of exactly
    /// one place. `Err` names the places sharing the name.
    fn grid_code(&mut self, v: &str) -> Result<Result<String, String>, StoreError> {
        let code = crate::model::place::normalize_code(v);
        if crate::model::place::code_ok(&code) && self.place_exists(&code)? {
            return Ok(Ok(code));
        }
        Ok(match self.known.places.get(v.trim()).map(Vec::as_slice) {
            Some([one]) => Ok(one.clone()),
            Some(many) if many.len() > 1 => Err(crate::tr!(
                "interchange.roster.place_ambiguous",
                name = v.trim(),
                codes = many.join(", ")
            )),
            _ => Ok(v.to_string()),
        })
    }

    /// The plan of the row numbered `row` (as the spreadsheet shows it);
    /// its errors are added to `errors`.
    fn plan(
        &mut self,
        row: usize,
        cells: &[&str],
        errors: &mut Vec<RowError>,
    ) -> Result<Plan, StoreError> {
        let mut by_key: BTreeMap<&str, String> = BTreeMap::new();
        for (i, (c, v)) in self.header.columns.iter().zip(cells).enumerate() {
            if let Some(c) = c {
                let unit = self.header.units.get(i).copied().flatten();
                if let Some(v) = super::values::normalise(c, v, unit) {
                    by_key.insert(c, v);
                }
            }
        }
        // Nothing in a used column: an empty row, or a numbered empty line.
        if by_key.is_empty() {
            return Ok(Plan::Nothing);
        }
        let header = self.header;
        let push = |errors: &mut Vec<RowError>, key: &str, message: String| {
            errors.push(RowError {
                row,
                column: header.name_of(key),
                message,
            });
            Ok(Plan::Nothing)
        };
        if let Some(g) = by_key.get("grid").cloned() {
            match self.grid_code(&g)? {
                Ok(code) => {
                    by_key.insert("grid", code);
                }
                Err(message) => return push(errors, "grid", message),
            }
        }
        let column_of = |f: &str| header.name_of(orgs::column_of(f));
        let (input, inspections) = match orgs::fields(&by_key, self.today) {
            Ok(x) => x,
            Err((key, e)) => return push(errors, key, e),
        };
        if input.name.is_none() {
            let required = crate::text::rule_message(&crate::model::Rule::Required);
            return push(errors, "name", required);
        }
        let mut org = Organization::default();
        if let Err(e) = org_input::apply(&input, &mut org, self.today, self.lang) {
            report(errors, e, column_of, row);
            return Ok(Plan::Nothing);
        }
        // `apply` validated the rest; the store checks the whole record
        // again, so a row it would refuse is reported here, before anything
        // is written.
        if !inspections.is_empty() {
            org.inspections = inspections;
            if let Err(e) = org.validate() {
                report(errors, e, column_of, row);
                return Ok(Plan::Nothing);
            }
        }
        if let Some(g) = org.grid.clone() {
            if !self.place_exists(&g)? {
                let rule = crate::model::Rule::UnknownPlaceName { text: g };
                return push(errors, "grid", crate::text::rule_message(&rule));
            }
        }
        let key = name_key(&org, &self.known.towns);
        let number = org.registration_number.as_deref().map(same_number);
        // The same organization twice in the file: by credit code, else by
        // registration number, else by name within the township.
        let again = if let Some(code) = &org.credit_code {
            self.seen_code
                .insert(code.clone(), row)
                .map(|r| ("credit_code", r))
        } else if let Some(n) = &number {
            self.seen_number
                .insert(n.clone(), row)
                .map(|r| ("registration_number", r))
        } else {
            self.seen_name.insert(key.clone(), row).map(|r| ("name", r))
        };
        if let Some((field, first)) = again {
            return push(
                errors,
                field,
                crate::tr!("interchange.same_in_file", row = first),
            );
        }
        let by_code = match &org.credit_code {
            Some(code) => self.store.org_by_credit_code(code)?,
            None => None,
        };
        let existing = match by_code {
            Some(id) => Some(id),
            None => {
                // By number, else by name: never an organization whose own
                // credit code or number says it is another one.
                let by_number = number
                    .as_ref()
                    .and_then(|n| self.known.by_number.get(n).cloned());
                let by_name = self.known.by_name.get(&key).cloned();
                let mut found = None;
                for id in by_number.into_iter().chain(by_name) {
                    if let Some(o) = self.store.org(&id)? {
                        if !contradicts(&org, &o) {
                            found = Some(id);
                            break;
                        }
                    }
                }
                found
            }
        };
        let Some(id) = existing else {
            return Ok(Plan::Create(Box::new(org)));
        };
        if self.on_duplicate == OnDuplicate::Skip {
            return Ok(Plan::Skip);
        }
        let Some(before) = self.store.org(&id)? else {
            return Ok(Plan::Skip);
        };
        let mut after = before.clone();
        if let Err(e) = org_input::apply(&input, &mut after, self.today, self.lang) {
            report(errors, e, column_of, row);
            return Ok(Plan::Nothing);
        }
        if !org.inspections.is_empty() {
            for (y, v) in &org.inspections {
                after.inspections.insert(*y, v.clone());
            }
            if let Err(e) = after.validate() {
                report(errors, e, column_of, row);
                return Ok(Plan::Nothing);
            }
        }
        Ok(if after == before {
            Plan::Skip
        } else {
            Plan::Update {
                id,
                before: Box::new(before),
                after: Box::new(after),
            }
        })
    }
}

/// Imports organizations from rows, with the header [`Header::read`] found
/// (a caller reads it first, to show the column report and to refuse a
/// file before it opens the store). Cells are taken as they are: a leading
/// `'` stays, so a cell neutralised against formulas (`'=1+1`) never
/// becomes live.
///
/// Every row is checked first; a row that breaks a rule means nothing is
/// written. Then the rows are planned again and written, [`WRITE_CHUNK`]
/// per transaction (so the plans are never all held at once). If writing
/// fails after a first transaction, [`ImportError::Interrupted`] says how
/// far it got: importing the same file again completes it, the rows
/// already written being found as duplicates.
///
/// `progress` is called with the number of rows checked so far, then, when
/// writing, with the number of rows written so far.
pub fn import_orgs(
    store: &Store,
    rows: &Table,
    header: &Header,
    on_duplicate: OnDuplicate,
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportSummary, ImportError> {
    let (end, notes_rows) = header.body_end(rows);
    let first = header.row + 1;
    let body = (first..end).map(|i| (i + 1, rows.row(i)));
    let (towns, places) = places(store)?;
    let mut by_name: HashMap<(String, String), String> = HashMap::new();
    let mut by_number: HashMap<String, String> = HashMap::new();
    for (id, o) in store.orgs()? {
        if let Some(n) = &o.registration_number {
            by_number.entry(same_number(n)).or_insert(id.clone());
        }
        by_name.entry(name_key(&o, &towns)).or_insert(id);
    }
    let known = Known {
        towns,
        places,
        by_name,
        by_number,
    };
    let mut summary = ImportSummary {
        notes_rows,
        ..ImportSummary::default()
    };
    let mut errors = Vec::new();
    let mut check = Planner::new(store, header, &known, on_duplicate);
    for (i, (row, cells)) in body.clone().enumerate() {
        progress(i + 1);
        match check.plan(row, &cells, &mut errors)? {
            Plan::Create(_) => summary.created += 1,
            Plan::Update { .. } => summary.updated += 1,
            Plan::Skip => summary.skipped += 1,
            Plan::Nothing => {}
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    drop(check);
    let total = summary.created + summary.updated;
    if dry_run || total == 0 {
        return Ok(summary);
    }
    let mut write = Planner::new(store, header, &known, on_duplicate);
    let mut chunk = Vec::with_capacity(WRITE_CHUNK.min(total));
    let mut written = 0;
    let interrupted = |written: usize, cause: ImportError| match written {
        0 => cause,
        _ => ImportError::Interrupted {
            written,
            total,
            cause: Box::new(cause),
        },
    };
    for (i, (row, cells)) in body.enumerate() {
        let plan = write
            .plan(row, &cells, &mut errors)
            .map_err(|e| interrupted(written, ImportError::Store(e)))?;
        if !errors.is_empty() {
            return Err(interrupted(written, ImportError::Rows(errors)));
        }
        chunk.push(match plan {
            Plan::Create(org) => Command::Create {
                record: Record::Org(*org),
            },
            Plan::Update { id, before, after } => Command::Update {
                id,
                before: Record::Org(*before),
                after: Record::Org(*after),
            },
            Plan::Skip | Plan::Nothing => continue,
        });
        if chunk.len() == WRITE_CHUNK {
            store
                .execute_all(std::mem::take(&mut chunk))
                .map_err(|e| interrupted(written, ImportError::Store(e)))?;
            written += WRITE_CHUNK;
            progress(i + 1);
            give_back_memory();
        }
    }
    if !chunk.is_empty() {
        store
            .execute_all(chunk)
            .map_err(|e| interrupted(written, ImportError::Store(e)))?;
    }
    progress(end.saturating_sub(first));
    Ok(summary)
}

/// Returns memory freed by a transaction to the system: the allocator keeps
/// it otherwise, between the long-lived tables (rows, duplicate index), and
/// the resident size of a large import grows by half.
fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Turns the validation errors of one row into row errors by column.
fn report(
    errors: &mut Vec<RowError>,
    e: ValidationErrors,
    column: impl Fn(&str) -> String,
    row: usize,
) {
    for fe in e.0 {
        errors.push(RowError {
            row,
            column: column(&fe.field),
            message: crate::text::rule_message(&fe.rule),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_either_language() {
        assert_eq!(column_for("名称"), Some("name"));
        assert_eq!(column_for(" Phone "), Some("phone"));
        assert_eq!(column_for("credit-code"), Some("credit_code"));
        assert_eq!(column_for("统一社会信用代码"), Some("credit_code"));
        assert_eq!(column_for("*名称"), Some("name"));
        assert_eq!(column_for("不知道"), None);
    }

    fn header(cells: &[&str]) -> Result<Header, ImportError> {
        Header::read(&Table::from_rows([cells]), &[])
    }

    #[test]
    fn a_field_named_twice_is_refused_with_both_headers() {
        assert_eq!(
            header(&["名称", "phone", "name", "联系电话", "备注"]),
            Err(ImportError::SameColumn(vec![
                "名称".into(),
                "name".into(),
                "phone".into(),
                "联系电话".into()
            ]))
        );
        // Unknown columns may repeat: they are ignored anyway.
        let h = header(&["名称", "x", "x", ""]).unwrap();
        let ignored: Vec<&str> = h.ignored.iter().map(|i| i.header.as_str()).collect();
        assert_eq!(ignored, vec!["x", "x"]);
        assert_eq!(header(&["电话"]), Err(ImportError::NoNameColumn));
        assert_eq!(
            Header::read(&Table::default(), &[]),
            Err(ImportError::Empty)
        );
    }

    #[test]
    fn a_map_must_name_a_header_of_the_file() {
        let t = Table::from_rows([["单位全称", "住所"]]);
        let h = Header::read(&t, &[("单位全称".into(), "name")]).unwrap();
        assert_eq!(h.used(), vec![("单位全称", "name"), ("住所", "address")]);
        assert_eq!(
            Header::read(&t, &[("单位名", "name")].map(|(a, b)| (a.to_string(), b))),
            Err(ImportError::Map(MapError::NoSuchHeader("单位名".into())))
        );
    }

    #[test]
    fn notes_at_the_bottom_are_left_out() {
        let t = Table::from_rows([
            vec!["名册"],
            vec!["序号", "社会组织名称", "住所"],
            vec!["1", "甲", "a"],
            vec!["", "乙"],
            vec!["合计：2 个"],
            vec![],
            vec!["说明", "本表由街道填报"],
        ]);
        let h = Header::read(&t, &[]).unwrap();
        assert_eq!(h.row, 1);
        assert_eq!(h.body_end(&t), (4, vec![5, 7]));
        // A name alone in the first column is an organization.
        let t = Table::from_rows([vec!["名称", "住所"], vec!["甲", "a"], vec!["乙"]]);
        let h = Header::read(&t, &[]).unwrap();
        assert_eq!(h.body_end(&t), (3, vec![]));
        let t = Table::from_rows([
            vec!["名称", "住所"],
            vec!["甲", "a"],
            vec!["注：数据截至 11 月"],
        ]);
        let h = Header::read(&t, &[]).unwrap();
        assert_eq!(h.body_end(&t), (2, vec![3]));
    }
}
