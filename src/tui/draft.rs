//! Drafts: a form left unsaved when the app had to stop (SIGTERM, SIGHUP
//! after an SSH drop, a terminal that went away) is written beside the
//! database (`crate::config::drafts_dir`) and offered back at the next
//! start.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Organization, Record};
use crate::tui::widgets::{Form, FormDraft};

/// Format version of a draft file (2: any form, `key` names it, `before`
/// is any record; version 1 files, the organization form's, are still read).
pub const VERSION: u32 = 2;

/// What the form was doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DraftMode {
    /// Adding a new record.
    Add,
    /// Editing `id`, which was `before` when the form opened.
    Edit { id: String, before: Box<Record> },
}

/// An unsaved form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub version: u32,
    /// Local time it was kept, `YYYY-MM-DD HH:MM`.
    pub saved_at: String,
    /// Which form: `org-form`, `need-form`, `activity-form`... (the file's
    /// name, and how the pane that owns the form knows it).
    pub key: String,
    pub mode: DraftMode,
    /// The record a new one was for, where the form needs it (the
    /// organization a score sheet evaluates).
    #[serde(default)]
    pub about: Option<String>,
    pub form: FormDraft,
}

impl Draft {
    /// A draft of form `key` taken now.
    pub fn new(key: &str, mode: DraftMode, form: FormDraft) -> Self {
        Draft {
            version: VERSION,
            saved_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
            key: key.to_string(),
            mode,
            about: None,
            form,
        }
    }

    /// The draft of an open form, if something was typed in it.
    pub fn of(key: &str, mode: DraftMode, form: &Form) -> Option<Self> {
        form.is_dirty()
            .then(|| Draft::new(key, mode, form.to_draft()))
    }

    /// The record the form was editing, if it was editing one of kind `T`
    /// (`Record::Need` -> `Need`...), with its id.
    pub fn editing<T>(&self, pick: impl Fn(&Record) -> Option<&T>) -> Option<(String, T)>
    where
        T: Clone,
    {
        match &self.mode {
            DraftMode::Edit { id, before } => pick(before).map(|r| (id.clone(), r.clone())),
            DraftMode::Add => None,
        }
    }

    /// What the form was about, for the question at start: the title of
    /// the form, and the name typed so far if any.
    pub fn what(&self) -> String {
        let name = self
            .form
            .fields
            .iter()
            .find(|f| f.key == "name" || f.key == "title")
            .map(|f| f.text.trim())
            .filter(|n| !n.is_empty());
        match name {
            Some(n) => format!("{}: {n}", self.form.title),
            None => self.form.title.clone(),
        }
    }
}

/// A version 1 draft: always the organization form.
#[derive(Deserialize)]
struct DraftV1 {
    saved_at: String,
    mode: ModeV1,
    form: FormDraft,
}

#[derive(Deserialize)]
enum ModeV1 {
    Add,
    Edit {
        id: String,
        before: Box<Organization>,
    },
}

/// The key of the organization form's draft.
pub const ORG_FORM: &str = "org-form";

/// The folder of the drafts of the database in `db`.
fn dir(db: &Path) -> PathBuf {
    crate::config::drafts_dir(db)
}

/// The file of draft `key` (a key is ours: letters and `-` only).
pub fn path_of(db: &Path, key: &str) -> PathBuf {
    dir(db).join(format!("{key}.json"))
}

/// The organization form's draft file of the database in `db`.
pub fn path(db: &Path) -> PathBuf {
    path_of(db, ORG_FORM)
}

/// Writes the draft (to a temporary file, synced, then renamed, so a crash
/// never leaves half a draft).
pub fn save(db: &Path, draft: &Draft) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(draft).map_err(io::Error::other)?;
    crate::files::write_atomic(&path_of(db, &draft.key), &json)
}

fn parse(bytes: &[u8]) -> Option<Draft> {
    let version = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()?
        .get("version")?
        .as_u64()?;
    match version {
        1 => {
            let d: DraftV1 = serde_json::from_slice(bytes).ok()?;
            Some(Draft {
                version: VERSION,
                saved_at: d.saved_at,
                key: ORG_FORM.to_string(),
                about: None,
                mode: match d.mode {
                    ModeV1::Add => DraftMode::Add,
                    ModeV1::Edit { id, before } => DraftMode::Edit {
                        id,
                        before: Box::new(Record::Org(*before)),
                    },
                },
                form: d.form,
            })
        }
        2 => serde_json::from_slice(bytes).ok(),
        _ => None,
    }
}

/// Every readable draft of the database in `db`, oldest form key first
/// (files that cannot be read as drafts are left alone and ignored).
pub fn load_all(db: &Path) -> Vec<Draft> {
    let Ok(entries) = fs::read_dir(dir(db)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        // Small files only: a draft is a form's text.
        .filter(|p| fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() < 1 << 20))
        .filter_map(|p| parse(&fs::read(p).ok()?))
        .collect()
}

/// The first draft of the database in `db`, if there is a readable one.
pub fn load(db: &Path) -> Option<Draft> {
    load_all(db).into_iter().next()
}

/// Removes every draft (all answered at start).
pub fn remove(db: &Path) -> io::Result<()> {
    for d in load_all(db) {
        match fs::remove_file(path_of(db, &d.key)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrgType;
    use crate::tui::widgets::form::DraftField;

    fn draft() -> Draft {
        Draft::new(
            ORG_FORM,
            DraftMode::Edit {
                id: "x1".into(),
                before: Box::new(Record::Org(Organization::new(
                    "湖滨晴雨志愿队",
                    OrgType::Community,
                ))),
            },
            FormDraft {
                title: "编辑组织".into(),
                focused: "phone".into(),
                fields: vec![DraftField {
                    key: "name".into(),
                    text: "湖滨晴雨志愿服务队".into(),
                    picked: vec![],
                }],
            },
        )
    }

    #[test]
    fn save_load_remove() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), None);
        let d = draft();
        save(dir.path(), &d).unwrap();
        assert_eq!(load(dir.path()), Some(d.clone()));
        assert_eq!(d.what(), "编辑组织: 湖滨晴雨志愿服务队");
        remove(dir.path()).unwrap();
        assert_eq!(load(dir.path()), None);
        remove(dir.path()).unwrap();
    }

    #[test]
    fn a_version_1_draft_is_read_as_the_organization_form() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(crate::config::drafts_dir(dir.path())).unwrap();
        let v1 = r#"{"version":1,"saved_at":"2026-11-30 09:12","mode":"Add",
            "form":{"title":"新增组织","focused":"name","fields":[{"key":"name","text":"半截","picked":[]}]}}"#;
        fs::write(path(dir.path()), v1).unwrap();
        let d = load(dir.path()).unwrap();
        assert_eq!((d.key.as_str(), &d.mode), (ORG_FORM, &DraftMode::Add));
        assert_eq!(d.what(), "新增组织: 半截");
    }

    #[test]
    fn each_form_keeps_its_own_draft() {
        let dir = tempfile::tempdir().unwrap();
        let a = draft();
        let mut b = draft();
        b.key = "need-form".into();
        b.mode = DraftMode::Add;
        save(dir.path(), &a).unwrap();
        save(dir.path(), &b).unwrap();
        assert_eq!(load_all(dir.path()), vec![b, a]);
        remove(dir.path()).unwrap();
        assert!(load_all(dir.path()).is_empty());
    }

    #[test]
    fn garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(crate::config::drafts_dir(dir.path())).unwrap();
        fs::write(path(dir.path()), b"{not json").unwrap();
        assert_eq!(load(dir.path()), None);
    }
}
