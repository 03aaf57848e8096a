//! Importing organizations from a spreadsheet: map the columns, validate
//! every row (errors by row and column), find duplicates (by credit code,
//! then by name within the township), then write everything in one
//! transaction, or nothing.

use std::collections::{BTreeMap, HashMap};

use crate::model::{org_input, Lang, Organization, PlaceLevel, Record, ValidationErrors};
use crate::store::{Command, Store, StoreError};

use super::orgs::{self, COLUMNS};

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
    pub fn read(rows: &[Vec<String>]) -> Result<Header, ImportError> {
        let head = rows.first().ok_or(ImportError::Empty)?;
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
                        .zip(head)
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

/// Imports organizations from rows (the first is the header, read by
/// [`Header::read`]; a caller may read it first to refuse a file before it
/// opens the store). Cells are taken as they are: a leading `'` stays, so
/// a cell neutralised against formulas (`'=1+1`) never becomes live.
/// `progress` is called with the number of rows checked so far.
pub fn import_orgs(
    store: &Store,
    rows: &[Vec<String>],
    on_duplicate: OnDuplicate,
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportSummary, ImportError> {
    let header = Header::read(rows)?;
    let body = &rows[1..];
    let columns = &header.columns;
    let mut summary = ImportSummary {
        ignored_columns: header.ignored.clone(),
        ..ImportSummary::default()
    };
    let header_of = |key: &str| header.name_of(key);
    let today = chrono::Local::now().date_naive();
    let lang = crate::text::lang();
    let towns = townships(store)?;
    let mut existing_by_name: HashMap<(String, String), String> = HashMap::new();
    for (id, o) in store.orgs()? {
        existing_by_name.entry(name_key(&o, &towns)).or_insert(id);
    }
    let mut errors = Vec::new();
    let mut commands = Vec::new();
    // Rows of this file already taken, by credit code and by name key.
    let mut seen_code: HashMap<String, usize> = HashMap::new();
    let mut seen_name: HashMap<(String, String), usize> = HashMap::new();
    for (i, cells) in body.iter().enumerate() {
        let row = i + 2;
        progress(i + 1);
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut by_key: BTreeMap<&str, String> = BTreeMap::new();
        for (c, v) in columns.iter().zip(cells) {
            if let Some(c) = c {
                by_key.insert(c, v.clone());
            }
        }
        let push = |errors: &mut Vec<RowError>, key: &str, message: String| {
            errors.push(RowError {
                row,
                column: if key.is_empty() {
                    String::new()
                } else {
                    header_of(key)
                },
                message,
            })
        };
        let (input, inspections) = match orgs::fields(&by_key) {
            Ok(x) => x,
            Err(e) => {
                push(&mut errors, "inspections", e);
                continue;
            }
        };
        if input.name.is_none() {
            push(
                &mut errors,
                "name",
                crate::text::rule_message(&crate::model::Rule::Required),
            );
            continue;
        }
        let mut org = Organization::default();
        if let Err(e) = org_input::apply(&input, &mut org, today, lang) {
            report(&mut errors, e, |f| header_of(orgs::column_of(f)), row);
            continue;
        }
        org.inspections = inspections;
        if let Some(g) = &org.grid {
            if store.place(g)?.is_none() {
                push(
                    &mut errors,
                    "grid",
                    crate::text::rule_message(&crate::model::Rule::UnknownPlace {
                        code: g.clone(),
                    }),
                );
                continue;
            }
        }
        let key = name_key(&org, &towns);
        if let Some(code) = &org.credit_code {
            if let Some(first) = seen_code.insert(code.clone(), row) {
                push(
                    &mut errors,
                    "credit_code",
                    crate::tr!("interchange.same_in_file", row = first),
                );
                continue;
            }
        } else if let Some(first) = seen_name.insert(key.clone(), row) {
            push(
                &mut errors,
                "name",
                crate::tr!("interchange.same_in_file", row = first),
            );
            continue;
        }
        let existing = match &org.credit_code {
            Some(code) => store.org_by_credit_code(code)?,
            None => None,
        }
        .or_else(|| existing_by_name.get(&key).cloned());
        match existing {
            None => {
                summary.created += 1;
                commands.push(Command::Create {
                    record: Record::Org(org),
                });
            }
            Some(_) if on_duplicate == OnDuplicate::Skip => summary.skipped += 1,
            Some(id) => {
                let Some(before) = store.org(&id)? else {
                    summary.skipped += 1;
                    continue;
                };
                let mut after = before.clone();
                if let Err(e) = org_input::apply(&input, &mut after, today, lang) {
                    report(&mut errors, e, |f| header_of(orgs::column_of(f)), row);
                    continue;
                }
                for (y, v) in &org.inspections {
                    after.inspections.insert(*y, v.clone());
                }
                if after == before {
                    summary.skipped += 1;
                } else {
                    summary.updated += 1;
                    commands.push(Command::Update {
                        id,
                        before: Record::Org(before),
                        after: Record::Org(after),
                    });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    if !dry_run && !commands.is_empty() {
        store.execute_all(commands)?;
    }
    Ok(summary)
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
        Header::read(&[cells.iter().map(|c| c.to_string()).collect()])
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
        assert_eq!(Header::read(&[]), Err(ImportError::Empty));
    }
}
