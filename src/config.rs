//! User configuration: `config.toml` in the platform config directory
//! (`~/.config/sanshe/` on Linux, or `$SANSHE_CONFIG_DIR`); where the
//! database and drafts are; and the check that these folders are not open
//! to other users of a shared server (warnings saying how to fix it).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Lang;

/// Settings read from `config.toml`. Every field is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `zh` or `en`.
    pub lang: Option<String>,
    /// Keymap name (`default`, `emacs`, `vim`) or path.
    pub keymap: Option<String>,
    /// Office name used when a new database is created.
    pub office: Option<String>,
    /// `[matching]`: weights of the parts of a match score (see `matching::Weights`).
    pub matching: Option<crate::matching::Weights>,
    /// `[sync]`: signing of bundles, for the app and the command line.
    pub sync: SyncSettings,
    /// `[server]`: the shared server of a database.
    pub server: ServerSettings,
    /// `[center]`: the compliance checklist's thresholds and items
    /// answered by hand (`min_office_m2`, `orgs_per_staff`, `[[center.check]]`).
    pub center: crate::model::center::Rules,
}

/// `[server]` in `config.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// A server started by a client leaves this many minutes after its
    /// last client (0: at once). `SANSHE_IDLE_SECONDS` overrides it
    /// (scripts, tests).
    pub idle_minutes: u64,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings { idle_minutes: 10 }
    }
}

impl ServerSettings {
    /// How long a started server stays without clients.
    pub fn idle(&self) -> std::time::Duration {
        if let Some(s) = std::env::var("SANSHE_IDLE_SECONDS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
        {
            return std::time::Duration::from_secs(s);
        }
        std::time::Duration::from_secs(self.idle_minutes.saturating_mul(60))
    }
}

/// `[sync]` in `config.toml`: what an office sets once instead of typing
/// `--sign` and `--require-signature` every time (and what the app, which
/// has no flags, follows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyncSettings {
    /// Sign every exported bundle with this office's key (`sanshe sync keygen`).
    pub sign: bool,
    /// Refuse to import a bundle not signed by a trusted office's key.
    pub require_signature: bool,
}

/// The configuration directory.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("SANSHE_CONFIG_DIR") {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "sanshe").map(|p| p.config_dir().to_path_buf())
}

/// The default database directory (`~/.local/share/sanshe/` on Linux).
pub fn default_db_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "sanshe").map(|p| p.data_dir().to_path_buf())
}

/// Where drafts of unsaved forms are kept: beside the database for its
/// owner; for another staff member sharing it through its server (who may
/// not write in its folder, and whose drafts are theirs alone), in their
/// own data folder, one folder per database.
pub fn drafts_dir(db: &Path) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = std::fs::metadata(db).map_or(true, |m| m.uid() == uzers::get_effective_uid());
        if !mine {
            if let Some(p) = directories::ProjectDirs::from("", "", "sanshe") {
                let name = crate::files::name_part(&db.display().to_string(), "db");
                return p.data_dir().join("drafts").join(name);
            }
        }
    }
    db.join("drafts")
}

/// Where the app's exports, bulletins and bundles go for the user served
/// on this thread (a server's client, else this process's user): beside
/// the database for its owner; for anyone else, who cannot read the
/// database's folder, in their own `~/.local/share/sanshe/<database>/`
/// (the server has the client write them, `files::Agent`).
pub fn outputs_dir(db: &Path) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        use uzers::os::unix::UserExt;
        let Ok(owner) = std::fs::metadata(db).map(|m| m.uid()) else {
            return db.to_path_buf();
        };
        let user = match crate::store::session::current() {
            Some(s) => uzers::get_user_by_name(&s.user),
            None => uzers::get_user_by_uid(uzers::get_effective_uid()),
        };
        if let Some(u) = user.filter(|u| u.uid() != owner && u.uid() != 0) {
            let name = crate::files::name_part(&db.display().to_string(), "db");
            return u.home_dir().join(".local/share/sanshe").join(name);
        }
    }
    db.to_path_buf()
}

/// Permission bits that let group or other users list or read.
pub const OTHERS_READ: u32 = 0o055;
/// Permission bits that let group or other users write.
pub const OTHERS_WRITE: u32 = 0o022;

/// The permission bits of `path` when group or other users have any of
/// `bits` on it; `None` when they have none, or `path` does not exist.
#[cfg(unix)]
pub fn open_to_others(path: &Path, bits: u32) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & bits != 0).then_some(mode)
}

#[cfg(not(unix))]
pub fn open_to_others(_path: &Path, _bits: u32) -> Option<u32> {
    None
}

/// `path` as one word a shell reads back unchanged (quoted when needed),
/// for the command a warning suggests.
pub fn shell_word(path: &Path) -> String {
    let s = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Warnings, in the user's language, for the folders of a database that
/// other users can reach: the database folder and its drafts (names, phone
/// numbers, residents' needs) when others may read or enter them, and the
/// configuration folder (settings, trusted keys) when others may write
/// it. Each names the folder and the `chmod` that fixes it. Nothing is
/// changed: a group may be admitted on purpose.
pub fn private_warnings(db: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for dir in [db.to_path_buf(), drafts_dir(db)] {
        if let Some(mode) = open_to_others(&dir, OTHERS_READ | OTHERS_WRITE) {
            out.push(crate::tr!(
                "files.readable_by_others",
                path = dir.display(),
                mode = format!("{mode:03o}"),
                fix = format!("chmod 700 {}", shell_word(&dir))
            ));
        }
    }
    if let Some(dir) = config_dir() {
        if let Some(mode) = open_to_others(&dir, OTHERS_WRITE) {
            out.push(crate::tr!(
                "files.config_writable_by_others",
                path = dir.display(),
                mode = format!("{mode:03o}"),
                fix = format!("chmod go-w {}", shell_word(&dir))
            ));
        }
    }
    out
}

impl Config {
    /// Reads `config.toml` from the config directory. A missing file is an
    /// empty config; a malformed one is an error naming the file and line.
    pub fn load() -> Result<Config, String> {
        let Some(dir) = config_dir() else {
            return Ok(Config::default());
        };
        Self::load_from(&dir.join("config.toml"))
    }

    pub fn load_from(path: &Path) -> Result<Config, String> {
        match std::fs::read_to_string(path) {
            Ok(s) => toml::from_str(&s).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    pub fn lang(&self) -> Option<Lang> {
        self.lang.as_deref().and_then(Lang::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn folders_open_to_others_are_warned_about() {
        use std::os::unix::fs::PermissionsExt;
        crate::text::set_lang(Lang::En);
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("my db");
        std::fs::create_dir(&db).unwrap();
        let chmod = |p: &Path, m: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
        };
        chmod(&db, 0o700);
        assert!(private_warnings(&db).is_empty());
        chmod(&db, 0o755);
        let w = private_warnings(&db);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("755"), "{}", w[0]);
        assert!(
            w[0].contains(&format!("chmod 700 '{}'", db.display())),
            "{}",
            w[0]
        );
        std::fs::create_dir(drafts_dir(&db)).unwrap();
        chmod(&drafts_dir(&db), 0o750);
        chmod(&db, 0o700);
        let w = private_warnings(&db);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("drafts"), "{}", w[0]);
        crate::text::set_lang(Lang::Zh);
        assert!(private_warnings(&db)[0].contains("其他用户"));
    }

    #[test]
    fn shell_words() {
        assert_eq!(
            shell_word(Path::new("/home/zhang/.local/share/sanshe")),
            "/home/zhang/.local/share/sanshe"
        );
        assert_eq!(shell_word(Path::new("/tmp/my db")), "'/tmp/my db'");
        assert_eq!(shell_word(Path::new("/tmp/it's")), "'/tmp/it'\\''s'");
        assert_eq!(shell_word(Path::new("/数据")), "'/数据'");
    }

    #[test]
    fn parses_and_rejects_unknown() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, "lang = \"en\"\nkeymap = \"emacs\"\n").unwrap();
        let c = Config::load_from(&p).unwrap();
        assert_eq!(c.lang(), Some(Lang::En));
        std::fs::write(&p, "langg = \"en\"\n").unwrap();
        let e = Config::load_from(&p).unwrap_err();
        assert!(e.contains("config.toml"), "{e}");
        assert!(Config::load_from(&dir.path().join("none.toml")).is_ok());
        std::fs::write(&p, "[sync]\nsign = true\n").unwrap();
        let c = Config::load_from(&p).unwrap();
        assert!(c.sync.sign && !c.sync.require_signature);
        std::fs::write(&p, "[sync]\nsigned = true\n").unwrap();
        assert!(Config::load_from(&p).is_err());
    }
}
