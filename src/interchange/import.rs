//! Importing organizations from a spreadsheet: map the columns, validate
//! every row (errors by row and column), find duplicates (by credit code,
//! then by name within the township), then write: nothing when a row is
//! wrong, else everything, in transactions of [`WRITE_CHUNK`].

use std::collections::{BTreeMap, HashMap};

use crate::model::{org_input, Lang, Organization, PlaceLevel, Record, ValidationErrors};
use crate::store::{Command, Store, StoreError};

use super::orgs::{self, COLUMNS};
use super::table::Table;

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    /// Duplicates left alone (`skip`), or updates that changed nothing.
    pub skipped: usize,
    /// Columns of the file that match no field.
    pub ignored_columns: Vec<String>,
}

/// Why an import wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The header lacks the name column.
    NoNameColumn,
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

/// Normalised header text for matching: trimmed, no spaces, lower case.
fn norm(s: &str) -> String {
    s.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect::<String>()
        .to_lowercase()
}

/// The column key a header names: by key, or label in either language.
pub fn column_for(header: &str) -> Option<&'static str> {
    let h = norm(header);
    COLUMNS.iter().copied().find(|c| {
        norm(c) == h
            || norm(&c.replace('_', "-")) == h
            || norm(&super::header(c, Lang::Zh)) == h
            || norm(&super::header(c, Lang::En)) == h
    })
}

/// The columns of a file, from its header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The field of each column of the file, if any.
    columns: Vec<Option<&'static str>>,
    /// The headers as written.
    names: Vec<String>,
    /// Columns of the file that match no field.
    pub ignored: Vec<String>,
}

impl Header {
    /// Reads the header row: it must name the name column, and no field twice
    /// (otherwise one of the two columns would be dropped without a word).
    pub fn read(rows: &Table) -> Result<Header, ImportError> {
        if rows.is_empty() {
            return Err(ImportError::Empty);
        }
        let head = rows.row(0);
        let columns: Vec<Option<&'static str>> = head.iter().map(|h| column_for(h)).collect();
        if !columns.contains(&Some("name")) {
            return Err(ImportError::NoNameColumn);
        }
        let mut same = Vec::new();
        for (i, c) in columns.iter().enumerate() {
            let Some(c) = c else { continue };
            let first = columns.iter().position(|o| *o == Some(*c)) == Some(i);
            let again = columns.iter().filter(|o| **o == Some(*c)).count() > 1;
            if first && again {
                same.extend(
                    columns
                        .iter()
                        .zip(&head)
                        .filter(|(o, _)| **o == Some(*c))
                        .map(|(_, h)| h.trim().to_string()),
                );
            }
        }
        if !same.is_empty() {
            return Err(ImportError::SameColumn(same));
        }
        let ignored = head
            .iter()
            .zip(&columns)
            .filter(|(h, c)| c.is_none() && !h.trim().is_empty())
            .map(|(h, _)| h.trim().to_string())
            .collect();
        Ok(Header {
            columns,
            names: head.iter().map(|h| h.trim().to_string()).collect(),
            ignored,
        })
    }

    /// The header of a field as written in the file (else its label).
    fn name_of(&self, key: &str) -> String {
        self.columns
            .iter()
            .position(|c| *c == Some(key))
            .map(|i| self.names[i].clone())
            .unwrap_or_else(|| super::header(key, crate::text::lang()))
    }
}

/// Township code of every place (itself, for a township; none above).
fn townships(store: &Store) -> Result<HashMap<String, String>, StoreError> {
    let places = store.places()?;
    let by_code: HashMap<&str, &crate::model::Place> =
        places.iter().map(|p| (p.code.as_str(), p)).collect();
    let mut out = HashMap::new();
    for p in &places {
        let mut cur = Some(p);
        let mut guard = 0;
        while let Some(c) = cur {
            if c.level == PlaceLevel::Township {
                out.insert(p.code.clone(), c.code.clone());
                break;
            }
            guard += 1;
            if guard > 16 {
                break;
            }
            cur = c.parent.as_deref().and_then(|pc| by_code.get(pc).copied());
        }
    }
    Ok(out)
}

/// A key for "same name within the township".
fn name_key(o: &Organization, townships: &HashMap<String, String>) -> (String, String) {
    let t = o
        .grid
        .as_deref()
        .and_then(|g| townships.get(g))
        .cloned()
        .unwrap_or_default();
    (t, o.name.trim().to_string())
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
    by_name: HashMap<(String, String), String>,
}

/// Plans rows one after the other (the same rows give the same plans).
struct Planner<'a> {
    store: &'a Store,
    header: &'a Header,
    known: &'a Known,
    on_duplicate: OnDuplicate,
    today: chrono::NaiveDate,
    lang: Lang,
    /// Rows of this file already taken, by credit code and by name key.
    seen_code: HashMap<String, usize>,
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
            seen_name: HashMap::new(),
            grids: HashMap::new(),
        }
    }

    /// The plan of the row numbered `row` (as the spreadsheet shows it);
    /// its errors are added to `errors`.
    fn plan(
        &mut self,
        row: usize,
        cells: &[&str],
        errors: &mut Vec<RowError>,
    ) -> Result<Plan, StoreError> {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(Plan::Nothing);
        }
        let mut by_key: BTreeMap<&str, &str> = BTreeMap::new();
        for (c, v) in self.header.columns.iter().zip(cells) {
            if let Some(c) = c {
                by_key.insert(c, v);
            }
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
        let column_of = |f: &str| header.name_of(orgs::column_of(f));
        let (input, inspections) = match orgs::fields(&by_key) {
            Ok(x) => x,
            Err(e) => return push(errors, "inspections", e),
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
        if let Some(g) = &org.grid {
            let exists = match self.grids.get(g) {
                Some(e) => *e,
                None => {
                    let e = self.store.place(g)?.is_some();
                    self.grids.insert(g.clone(), e);
                    e
                }
            };
            if !exists {
                let rule = crate::model::Rule::UnknownPlace { code: g.clone() };
                return push(errors, "grid", crate::text::rule_message(&rule));
            }
        }
        let key = name_key(&org, &self.known.towns);
        if let Some(code) = &org.credit_code {
            if let Some(first) = self.seen_code.insert(code.clone(), row) {
                return push(
                    errors,
                    "credit_code",
                    crate::tr!("interchange.same_in_file", row = first),
                );
            }
        } else if let Some(first) = self.seen_name.insert(key.clone(), row) {
            return push(
                errors,
                "name",
                crate::tr!("interchange.same_in_file", row = first),
            );
        }
        let existing = match &org.credit_code {
            Some(code) => self.store.org_by_credit_code(code)?,
            None => None,
        }
        .or_else(|| self.known.by_name.get(&key).cloned());
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

/// Imports organizations from rows (the first is the header, read by
/// [`Header::read`]; a caller may read it first to refuse a file before it
/// opens the store). Cells are taken as they are: a leading `'` stays, so
/// a cell neutralised against formulas (`'=1+1`) never becomes live.
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
    on_duplicate: OnDuplicate,
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportSummary, ImportError> {
    let header = Header::read(rows)?;
    let body = (1..rows.len()).map(|i| rows.row(i));
    let towns = townships(store)?;
    let mut by_name: HashMap<(String, String), String> = HashMap::new();
    for (id, o) in store.orgs()? {
        by_name.entry(name_key(&o, &towns)).or_insert(id);
    }
    let known = Known { towns, by_name };
    let mut summary = ImportSummary {
        ignored_columns: header.ignored.clone(),
        ..ImportSummary::default()
    };
    let mut errors = Vec::new();
    let mut check = Planner::new(store, &header, &known, on_duplicate);
    for (i, cells) in body.clone().enumerate() {
        progress(i + 1);
        match check.plan(i + 2, &cells, &mut errors)? {
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
    let mut write = Planner::new(store, &header, &known, on_duplicate);
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
    for (i, cells) in body.enumerate() {
        let plan = write
            .plan(i + 2, &cells, &mut errors)
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
    progress(rows.len().saturating_sub(1));
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
        Header::read(&Table::from_rows([cells]))
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
        assert_eq!(h.ignored, vec!["x", "x"]);
        assert_eq!(header(&["电话"]), Err(ImportError::NoNameColumn));
        assert_eq!(Header::read(&Table::default()), Err(ImportError::Empty));
    }
}
