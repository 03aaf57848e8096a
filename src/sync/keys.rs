//! Signing keys: this office's ed25519 key (`sync.key`, secret, and
//! `sync.pub` to hand out) in the config directory, and the public keys of
//! trusted offices in `trusted/<office name>.pub`. Keys are stored as 64
//! hexadecimal digits on one line.

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
    std::fs::create_dir_all(dir).map_err(|e| key_err(dir, e))?;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| SyncError::Key(e.to_string()))?;
    let key = SigningKey::from_bytes(&seed);
    write_private(&secret, &format!("{}\n", hex(&seed)))?;
    let public = dir.join(PUBLIC_FILE);
    std::fs::write(
        &public,
        format!("{}\n", hex(key.verifying_key().as_bytes())),
    )
    .map_err(|e| key_err(&public, e))?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
