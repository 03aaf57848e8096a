//! A list shown in the app, written as a spreadsheet beside the database:
//! `DB/exports/<kind label>-<YYYYmmdd-HHMMSS>.<xlsx|csv>` (`-2`, `-3`...
//! added rather than replacing an earlier export), private to the user
//! (through [`crate::files::write_atomic`]), with the columns of `sanshe
//! export KIND` and exactly the records given, in their order.

use std::path::{Path, PathBuf};

use super::SheetFormat;
use crate::model::{Kind, Labeled, Lang};
use crate::store::Store;

/// Folder beside the database where lists exported from the app go.
pub const EXPORTS: &str = "exports";

/// A file written: where, and how many rows (records) it holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Written {
    pub path: PathBuf,
    pub rows: usize,
}

fn extension(format: SheetFormat) -> &'static str {
    match format {
        SheetFormat::Csv => "csv",
        SheetFormat::Xlsx => "xlsx",
        SheetFormat::Json => "json",
    }
}

/// Where a list of `kind` exported now goes: `DB/exports/组织-20261203-101500.xlsx`
/// (the kind's label in `lang`).
pub fn export_path(db: &Path, kind: Kind, format: SheetFormat, lang: Lang) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let label = crate::files::name_part(kind.label(lang), kind.key());
    crate::files::unique_path(
        &db.join(EXPORTS),
        &format!("{label}-{stamp}"),
        extension(format),
    )
}

/// Writes the records of `kind` with these ids (in this order) to a new
/// file in `DB/exports/`, headers and labels in this thread's language.
/// The error is a message for the user (naming the file when writing it
/// failed); nothing is left behind then.
pub fn write_list(
    store: &Store,
    kind: Kind,
    ids: &[String],
    format: SheetFormat,
) -> Result<Written, String> {
    let lang = crate::text::lang();
    let table = super::table_of(store, kind, ids).map_err(|e| e.message())?;
    let bytes = super::render(&table, format, lang)?;
    let path = export_path(
        &crate::config::outputs_dir(store.path()),
        kind,
        format,
        lang,
    );
    crate::files::write_atomic(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Written {
        path,
        rows: table.rows.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgType, Organization, Record};
    use crate::store::Command;

    fn org(store: &Store, name: &str) -> String {
        let record = Record::Org(Organization::new(name, OrgType::Community));
        store.execute(Command::Create { record }).unwrap().id
    }

    #[test]
    fn writes_only_the_ids_given_in_their_order_and_never_over_a_file() {
        crate::text::set_lang(Lang::Zh);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let a = org(&store, "北山读书会");
        let _b = org(&store, "宝石山摄影协会");
        let c = org(&store, "西湖银龄互助会");
        let ids = vec![c.clone(), a.clone()];
        let first = write_list(&store, Kind::Org, &ids, SheetFormat::Csv).unwrap();
        assert_eq!(first.rows, 2);
        assert_eq!(first.path.parent().unwrap(), dir.path().join(EXPORTS));
        let name = first
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(
            name.starts_with("组织-") && name.ends_with(".csv"),
            "{name}"
        );
        let text = std::fs::read_to_string(&first.path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].contains("西湖银龄互助会") && lines[2].contains("北山读书会"));
        assert!(!text.contains("宝石山摄影协会"));
        // The same second again: a new file beside the first.
        let second = write_list(&store, Kind::Org, &ids, SheetFormat::Csv).unwrap();
        assert_ne!(second.path, first.path);
        assert!(first.path.exists() && second.path.exists());
        // A record deleted meanwhile gives no row.
        let gone = vec!["nosuch-1".to_string(), a];
        let third = write_list(&store, Kind::Org, &gone, SheetFormat::Xlsx).unwrap();
        assert_eq!(third.rows, 1);
        assert!(third.path.to_string_lossy().ends_with(".xlsx"));
    }
}
