//! Signing keys: this office's ed25519 key (`sync.key`, secret, and
//! `sync.pub` to hand out) in the config directory, and the public keys of
//! trusted offices in `trusted/<office name>.pub`. Keys are stored as 64
//! hexadecimal digits on one line.
//!
//! The secret key is created private to the user (0600, in a folder of
//! 0700 when we create it). [`permission_warnings`] says when other users
//! of the server could read the secret key, or change it or the trusted
//! keys (and so sign as this office, or pass as a trusted one).

use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;

use super::error::SyncError;
use crate::store::hex;

/// File of this office's secret key.
pub const SECRET_FILE: &str = "sync.key";
/// File of this office's public key.
pub const PUBLIC_FILE: &str = "sync.pub";
/// Directory of trusted offices' public keys.
pub const TRUSTED_DIR: &str = "trusted";

fn unhex(s: &str) -> Option<[u8; 32]> {
    let s = s.trim();
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn key_err(path: &Path, e: impl std::fmt::Display) -> SyncError {
    SyncError::Key(format!("{}: {e}", path.display()))
}

/// Creates this office's key pair in `dir`; refuses to overwrite one.
/// Returns the public key file.
pub fn generate(dir: &Path) -> Result<PathBuf, SyncError> {
    let secret = dir.join(SECRET_FILE);
    if secret.exists() {
        return Err(SyncError::Key(crate::tr!(
            "sync.key_exists",
            path = secret.display()
        )));
    }
    crate::files::create_private_dir(dir).map_err(|e| key_err(dir, e))?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| SyncError::Key(e.to_string()))?;
    let key = SigningKey::from_bytes(&seed);
    write_private(&secret, &format!("{}\n", hex(&seed)))?;
    let public = dir.join(PUBLIC_FILE);
    let text = format!("{}\n", hex(key.verifying_key().as_bytes()));
    crate::files::write_atomic(&public, text.as_bytes()).map_err(|e| key_err(&public, e))?;
    Ok(public)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<(), SyncError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| key_err(path, e))?;
    f.write_all(text.as_bytes()).map_err(|e| key_err(path, e))
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<(), SyncError> {
    std::fs::write(path, text).map_err(|e| key_err(path, e))
}

/// This office's signing key.
pub fn load_secret(dir: &Path) -> Result<SigningKey, SyncError> {
    let path = dir.join(SECRET_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|_| SyncError::Key(crate::tr!("sync.no_key", path = path.display())))?;
    let seed = unhex(&text).ok_or_else(|| key_err(&path, "not 64 hexadecimal digits"))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The office names whose trusted key is `key`.
pub fn trusted_names(dir: &Path, key: &[u8; 32]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join(TRUSTED_DIR)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) != Some("pub") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        if unhex(&text).as_ref() == Some(key) {
            if let Some(stem) = p.file_stem() {
                out.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// Warnings, in the user's language, about keys in the configuration
/// folder `dir` that other users could misuse: the secret key readable or
/// writable by them; this office's public key, the trusted-keys folder or
/// a trusted key writable by them; any of these owned by another user.
/// Each names the file and how to fix it. Nothing is changed.
pub fn permission_warnings(dir: &Path) -> Vec<String> {
    use crate::config::{open_to_others, shell_word, OTHERS_READ, OTHERS_WRITE};
    let mut out = Vec::new();
    let secret = dir.join(SECRET_FILE);
    if let Some(mode) = open_to_others(&secret, OTHERS_READ | OTHERS_WRITE) {
        out.push(crate::tr!(
            "sync.keys.secret_open",
            path = secret.display(),
            mode = format!("{mode:03o}"),
            fix = format!("chmod 600 {}", shell_word(&secret))
        ));
    }
    let trusted = dir.join(TRUSTED_DIR);
    let mut checked = vec![secret, dir.join(PUBLIC_FILE), trusted.clone()];
    if let Ok(entries) = std::fs::read_dir(&trusted) {
        checked.extend(entries.flatten().map(|e| e.path()));
    }
    for path in &checked[1..] {
        if let Some(mode) = open_to_others(path, OTHERS_WRITE) {
            out.push(crate::tr!(
                "sync.keys.writable",
                path = path.display(),
                mode = format!("{mode:03o}"),
                fix = format!("chmod go-w {}", shell_word(path))
            ));
        }
    }
    for path in &checked {
        if let Some(uid) = owned_by_another(path) {
            out.push(crate::tr!(
                "sync.keys.not_owner",
                path = path.display(),
                uid = uid
            ));
        }
    }
    out
}

/// The owner of `path` when it is neither this user nor root.
#[cfg(unix)]
fn owned_by_another(path: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let owner = std::fs::metadata(path).ok()?.uid();
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    (owner != me && owner != 0).then_some(owner)
}

#[cfg(not(unix))]
fn owned_by_another(_path: &Path) -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn keys_others_could_misuse_are_warned_about() {
        use std::os::unix::fs::PermissionsExt;
        let chmod = |p: &Path, m: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
        };
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        crate::text::set_lang(crate::model::Lang::En);
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("config");
        let public = generate(&dir).unwrap();
        assert_eq!(mode(&dir.join(SECRET_FILE)), 0o600);
        assert_eq!(mode(&dir), 0o700);
        chmod(&public, 0o644);
        assert!(permission_warnings(&dir).is_empty());
        chmod(&dir.join(SECRET_FILE), 0o640);
        let w = permission_warnings(&dir);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains("sync.key") && w[0].contains("chmod 600"),
            "{w:?}"
        );
        chmod(&dir.join(SECRET_FILE), 0o600);
        let trusted = dir.join(TRUSTED_DIR);
        std::fs::create_dir(&trusted).unwrap();
        chmod(&trusted, 0o777);
        std::fs::write(trusted.join("北山街道.pub"), "00").unwrap();
        chmod(&trusted.join("北山街道.pub"), 0o666);
        let w = permission_warnings(&dir);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w.iter().all(|w| w.contains("chmod go-w")), "{w:?}");
        assert!(w[1].contains("北山街道.pub"), "{w:?}");
        crate::text::set_lang(crate::model::Lang::Zh);
    }

    #[test]
    fn generate_load_and_trust() {
        let dir = tempfile::tempdir().unwrap();
        let public = generate(dir.path()).unwrap();
        assert!(generate(dir.path()).is_err());
        let key = load_secret(dir.path()).unwrap();
        let pk = *key.verifying_key().as_bytes();
        assert_eq!(unhex(&std::fs::read_to_string(&public).unwrap()), Some(pk));
        assert!(trusted_names(dir.path(), &pk).is_empty());
        std::fs::create_dir_all(dir.path().join(TRUSTED_DIR)).unwrap();
        std::fs::copy(&public, dir.path().join(TRUSTED_DIR).join("北山街道.pub")).unwrap();
        assert_eq!(trusted_names(dir.path(), &pk), vec!["北山街道".to_string()]);
        assert!(load_secret(&dir.path().join("none")).is_err());
    }
}
