//! Signed bundles from inside the app, as `[sync]` of config.toml asks:
//! `sign = true` signs every export made in the sync pane with this
//! office's key; `require_signature = true` refuses, in the pane, a bundle
//! that is unsigned or signed by an office not in `trusted/`, and takes one
//! signed by a trusted office. (Its own test binary: it sets
//! `SANSHE_CONFIG_DIR` for the whole process.)

#[path = "it/tui_support/mod.rs"]
mod tui_support;

use sanshe::config::SyncSettings;
use sanshe::model::{Lang, OrgType, Organization, Record};
use sanshe::sync::{self, bundle, ExportOptions};
use sanshe::tui::app::{Tone, PANE_SYNC};
use tui_support::Harness;

fn office(name: &str, records: Vec<Record>, settings: SyncSettings) -> Harness {
    let mut h = Harness::new(Lang::Zh, records, 120, 40);
    h.store.set_office(name).unwrap();
    h.store.set_network("西湖区").unwrap();
    h.app.panes.sync.settings = settings;
    h.key(&(PANE_SYNC + 1).to_string());
    h
}

fn said(h: &Harness) -> (Tone, String) {
    let s = h.app.shell.status.clone().expect("a message");
    (s.tone, s.text)
}

fn outbox(h: &Harness) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(h.store.path().join("outbox"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default()
}

fn import_in_app(h: &mut Harness, path: &std::path::Path) {
    h.key("i");
    h.paste(&path.display().to_string());
    h.key("<Enter>");
}

#[test]
fn the_app_signs_and_requires_signatures_as_configured() {
    let config = tempfile::tempdir().unwrap();
    std::env::set_var("SANSHE_CONFIG_DIR", config.path());
    let public = sync::keys::generate(config.path()).unwrap();

    // 北山街道 signs what it exports from the app.
    let org = Record::Org(Organization::new("北山读书会", OrgType::Community));
    let sign = SyncSettings {
        sign: true,
        require_signature: false,
    };
    let mut a = office("北山街道", vec![org], sign);
    assert!(a.screen().contains("同步包都签名"), "{}", a.screen());
    a.key("x");
    a.key("<Enter>");
    let (tone, text) = said(&a);
    assert_eq!(tone, Tone::Ok, "{text}");
    assert!(text.contains("已签名"), "{text}");
    let files = outbox(&a);
    assert_eq!(files.len(), 1);
    let signed = bundle::read_file(&files[0]).unwrap();
    let key = std::fs::read_to_string(&public).unwrap();
    assert_eq!(
        signed.signed_by.map(|k| sanshe::store::hex(&k)),
        Some(key.trim().to_string())
    );

    // 西湖区中心 takes only signed bundles from trusted offices.
    let require = SyncSettings {
        sign: false,
        require_signature: true,
    };
    let mut b = office("西湖区中心", Vec::new(), require);
    assert!(b.screen().contains("受信任签名"), "{}", b.screen());
    let unsigned = b.dir.path().join("unsigned.ssb");
    let all = ExportOptions {
        peer: None,
        full: true,
    };
    sync::export(&a.store, &unsigned, &all, None).unwrap();
    let before = b.store.checksum().unwrap();
    import_in_app(&mut b, &unsigned);
    let (tone, text) = said(&b);
    assert_eq!(tone, Tone::Error, "{text}");
    assert_eq!(b.store.checksum().unwrap(), before, "nothing written");
    // Signed, but 北山街道's key is not trusted yet.
    import_in_app(&mut b, &files[0]);
    let (tone, text) = said(&b);
    assert_eq!(tone, Tone::Error, "{text}");
    assert_eq!(b.store.checksum().unwrap(), before, "nothing written");
    // Trusted: imported, and the message names the signer.
    let trusted = config.path().join("trusted");
    std::fs::create_dir_all(&trusted).unwrap();
    std::fs::copy(&public, trusted.join("北山街道.pub")).unwrap();
    import_in_app(&mut b, &files[0]);
    let (tone, text) = said(&b);
    assert_eq!(tone, Tone::Ok, "{text}");
    assert!(text.contains("北山街道"), "{text}");
    assert_eq!(b.store.count(sanshe::model::Kind::Org), 1);
}
