//! The real binary run as scripts run it, shared by the command-line tests
//! (`tests/it/cli.rs`, `tests/it/interchange_roundtrip.rs`, `tests/it/sync_cli.rs`,
//! `tests/it/linkage_cli.rs`): `sanshe --db DB [--lang LANG] ARGS` with the
//! configuration in a scratch directory and no `SANSHE_DB` from the
//! caller's environment; checks for a command that succeeds (its standard
//! output) and one that is refused (exit code 2, a message, nothing on
//! standard output); and the places most tests start from.
#![allow(dead_code)] // each test file uses part of it

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// How a test runs the binary: on which database, with which
/// configuration directory, in which language.
#[derive(Debug, Clone)]
pub struct Sanshe {
    /// `--db`.
    pub db: PathBuf,
    /// `SANSHE_CONFIG_DIR`.
    pub config: PathBuf,
    /// `--lang`; `None` leaves the language to the configuration (Chinese
    /// when there is none).
    pub lang: Option<String>,
}

impl Sanshe {
    /// On the database `db`, configuration in [`config_dir`]`(db)`, no
    /// `--lang`.
    pub fn at(db: &Path) -> Sanshe {
        Sanshe {
            db: db.to_path_buf(),
            config: config_dir(db),
            lang: None,
        }
    }

    /// The same with the configuration in `dir`.
    pub fn config(mut self, dir: &Path) -> Sanshe {
        self.config = dir.to_path_buf();
        self
    }

    /// The same with `--lang lang`.
    pub fn lang(mut self, lang: &str) -> Sanshe {
        self.lang = Some(lang.to_string());
        self
    }

    /// `sanshe --db DB [--lang LANG]`, `SANSHE_CONFIG_DIR` set and
    /// `SANSHE_DB` removed; the arguments are the caller's to add.
    pub fn command(&self) -> Command {
        let mut c = Command::cargo_bin("sanshe").expect("binary");
        c.arg("--db").arg(&self.db);
        if let Some(lang) = &self.lang {
            c.arg("--lang").arg(lang);
        }
        c.env("SANSHE_CONFIG_DIR", &self.config);
        c.env_remove("SANSHE_DB");
        c
    }

    /// Runs `args` to the end, whatever the outcome.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run sanshe")
    }

    /// Runs `args`, which must succeed; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_success(args, &o);
        text(&o.stdout)
    }

    /// The ids of every organization (`org list --format json`).
    pub fn org_ids(&self) -> std::collections::BTreeSet<String> {
        self.json(&["org", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// Runs `args`, which must succeed and print JSON; returns it parsed.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
    }

    /// Runs `args`, which must succeed and print an id alone on one line
    /// (as `add` commands do); returns the id.
    pub fn id(&self, args: &[&str]) -> String {
        let out = self.ok(args);
        let id = out.trim().to_string();
        assert!(!id.is_empty() && !id.contains('\n'), "{out:?}");
        id
    }

    /// Runs `args`, which must be refused (see [`assert_refused`]) with a
    /// message containing `needle`; returns standard error.
    pub fn refused(&self, args: &[&str], needle: &str) -> String {
        let o = self.run(args);
        assert_refused(args, &o, needle)
    }

    /// Adds `places` with `place add`, parents first.
    pub fn add_places(&self, places: &[Place]) {
        for p in places {
            self.ok(&place_add(p));
        }
    }
}

/// The configuration directory a test gives a database unless it says
/// otherwise: `DB/config` (absent until a test writes to it).
pub fn config_dir(db: &Path) -> PathBuf {
    db.join("config")
}

/// [`Sanshe::run`] on `db` with the defaults of [`Sanshe::at`].
pub fn run(db: &Path, args: &[&str]) -> Output {
    Sanshe::at(db).run(args)
}

/// [`Sanshe::ok`] on `db` with the defaults of [`Sanshe::at`].
pub fn ok(db: &Path, args: &[&str]) -> String {
    Sanshe::at(db).ok(args)
}

/// [`Sanshe::json`] on `db` with the defaults of [`Sanshe::at`].
pub fn json(db: &Path, args: &[&str]) -> Value {
    Sanshe::at(db).json(args)
}

/// [`Sanshe::id`] on `db` with the defaults of [`Sanshe::at`].
pub fn id(db: &Path, args: &[&str]) -> String {
    Sanshe::at(db).id(args)
}

/// [`Sanshe::refused`] on `db` with the defaults of [`Sanshe::at`].
pub fn refused(db: &Path, args: &[&str], needle: &str) -> String {
    Sanshe::at(db).refused(args, needle)
}

/// [`Sanshe::add_places`] on `db` with the defaults of [`Sanshe::at`].
pub fn add_places(db: &Path, places: &[Place]) {
    Sanshe::at(db).add_places(places)
}

/// Output bytes as text (lossy).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts that `sanshe args` succeeded; the failure shows standard error
/// and standard output.
pub fn assert_success(args: &[&str], o: &Output) {
    assert!(
        o.status.success(),
        "sanshe {args:?} failed: {}\n{}",
        text(&o.stderr),
        text(&o.stdout)
    );
}

/// Asserts that `sanshe args` was refused: exit code 2, nothing on
/// standard output, a message on standard error containing `needle` (`""`
/// for any), and no panic. Returns standard error.
pub fn assert_refused(args: &[&str], o: &Output, needle: &str) -> String {
    let err = text(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(2),
        "sanshe {args:?}: {err}\n{}",
        text(&o.stdout)
    );
    assert!(
        o.stdout.is_empty(),
        "sanshe {args:?} printed to stdout: {}",
        text(&o.stdout)
    );
    assert!(
        err.contains(needle),
        "sanshe {args:?}: message should mention {needle:?}: {err}"
    );
    assert!(!err.contains("panicked"), "sanshe {args:?}: {err}");
    err
}

/// A place: code, name, level (`district`, `township`, `community`,
/// `grid`), parent code.
pub type Place = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

/// 西湖区 XH > 北山街道 BSJ > 宝石山社区 BSJ-01 > 第一网格 BSJ-01-01.
pub const PLACES: [Place; 4] = [
    ("XH", "西湖区", "district", None),
    ("BSJ", "北山街道", "township", Some("XH")),
    ("BSJ-01", "宝石山社区", "community", Some("BSJ")),
    ("BSJ-01-01", "第一网格", "grid", Some("BSJ-01")),
];

/// The `place add` arguments that add `p`.
pub fn place_add(p: &Place) -> Vec<&'static str> {
    let (code, name, level, parent) = *p;
    let mut args = vec![
        "place", "add", "--code", code, "--name", name, "--level", level,
    ];
    if let Some(parent) = parent {
        args.extend(["--parent", parent]);
    }
    args
}

/// Stops the server of `db` (a command leaves one running for a while),
/// so that a test can open the database itself or copy its files.
pub fn stop_server(db: &Path) {
    let o = std::process::Command::new(assert_cmd::cargo::cargo_bin("sanshe"))
        .arg("--db")
        .arg(db)
        .args(["server", "stop"])
        .env_remove("SANSHE_DB")
        .output()
        .expect("run sanshe server stop");
    assert!(o.status.success(), "{o:?}");
}
