//! Drafts: a form left unsaved when the app had to stop (SIGTERM, SIGHUP
//! after an SSH drop, a terminal that went away) is written beside the
//! database (`crate::config::drafts_dir`) and offered back at the next
//! start.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Organization;
use crate::tui::widgets::FormDraft;

/// Format version of the draft file.
pub const VERSION: u32 = 1;

/// What the form was doing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DraftMode {
    /// Adding a new organization.
    Add,
    /// Editing `id`, which was `before` when the form opened.
    Edit {
        id: String,
        before: Box<Organization>,
    },
}

/// An unsaved form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub version: u32,
    /// Local time it was kept, `YYYY-MM-DD HH:MM`.
    pub saved_at: String,
    pub mode: DraftMode,
    pub form: FormDraft,
}

impl Draft {
    /// A draft of `form` taken now.
    pub fn new(mode: DraftMode, form: FormDraft) -> Self {
        Draft {
            version: VERSION,
            saved_at: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
            mode,
            form,
        }
    }

    /// What the form was about, for the question at start: the title of
    /// the form, and the name typed so far if any.
    pub fn what(&self) -> String {
        let name = self
            .form
            .fields
            .iter()
            .find(|f| f.key == "name")
            .map(|f| f.text.trim())
            .filter(|n| !n.is_empty());
        match name {
            Some(n) => format!("{}: {n}", self.form.title),
            None => self.form.title.clone(),
        }
    }
}

/// The draft file of the database in `db`.
pub fn path(db: &Path) -> PathBuf {
    crate::config::drafts_dir(db).join("org-form.json")
}

/// Writes the draft (to a temporary file, synced, then renamed, so a crash
/// never leaves half a draft).
pub fn save(db: &Path, draft: &Draft) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(draft).map_err(io::Error::other)?;
    crate::files::write_atomic(&path(db), &json)
}

/// The draft of the database in `db`, if there is a readable one. A file
/// that cannot be read as a draft is left alone and ignored.
pub fn load(db: &Path) -> Option<Draft> {
    let bytes = fs::read(path(db)).ok()?;
    let d: Draft = serde_json::from_slice(&bytes).ok()?;
    (d.version == VERSION).then_some(d)
}

/// Removes the draft (answered at start, or saved).
pub fn remove(db: &Path) -> io::Result<()> {
    match fs::remove_file(path(db)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrgType;
    use crate::tui::widgets::form::DraftField;

    fn draft() -> Draft {
        Draft::new(
            DraftMode::Edit {
                id: "x1".into(),
                before: Box::new(Organization::new("湖滨晴雨志愿队", OrgType::Community)),
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
    fn garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(crate::config::drafts_dir(dir.path())).unwrap();
        fs::write(path(dir.path()), b"{not json").unwrap();
        assert_eq!(load(dir.path()), None);
    }
}
