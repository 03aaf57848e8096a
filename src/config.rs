//! User configuration: `config.toml` in the platform config directory
//! (`~/.config/sanshe/` on Linux, or `$SANSHE_CONFIG_DIR`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::Lang;

/// Settings read from `config.toml`. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
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
}

/// `[sync]` in `config.toml`: what an office sets once instead of typing
/// `--sign` and `--require-signature` every time (and what the app, which
/// has no flags, follows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
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

/// Where drafts of unsaved forms are kept, beside the database.
pub fn drafts_dir(db: &Path) -> PathBuf {
    db.join("drafts")
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
