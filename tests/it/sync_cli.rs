//! Sync by bundle files through the real binary: two offices exchanging
//! bundles both ways until equal, conflicts and restoring, the version-1
//! bundle, and every kind of bad bundle refused with exit code 2 and the
//! database unchanged.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::cli_support::{Sanshe, PLACES};
use sanshe::store::Store;

struct Office {
    db: PathBuf,
    config: PathBuf,
}

impl Office {
    fn new(root: &Path, name: &str, office: &str, network: &str) -> Office {
        let o = Office {
            db: root.join(name),
            config: root.join(format!("{name}-config")),
        };
        o.ok(&["sync", "init", "--office", office, "--network", network]);
        o
    }

    /// The binary on this office's database and configuration, in English.
    fn sanshe(&self) -> Sanshe {
        Sanshe::at(&self.db).config(&self.config).lang("en")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.sanshe().run(args)
    }

    fn ok(&self, args: &[&str]) -> String {
        self.sanshe().ok(args)
    }

    /// Refused (see `crate::cli_support::assert_refused`) with a message
    /// containing `expect`, and the database unchanged.
    fn refused(&self, args: &[&str], expect: &str) {
        let before = self.checksum();
        self.sanshe().refused(args, expect);
        assert_eq!(self.checksum(), before, "{args:?} changed the database");
    }

    /// Opens the database here, waiting for the last process (or handle)
    /// to let go of it.
    fn store(&self) -> Store {
        crate::cli_support::stop_server(&self.db);
        for _ in 0..100 {
            match Store::open(&self.db) {
                Ok(s) => return s,
                Err(sanshe::store::StoreError::InUse { .. }) => {
                    std::thread::sleep(std::time::Duration::from_millis(50))
                }
                Err(e) => panic!("{e}"),
            }
        }
        panic!("database stays in use")
    }

    fn checksum(&self) -> [u8; 32] {
        self.store().checksum().unwrap()
    }

    fn content(&self) -> [u8; 32] {
        self.store().content_checksum().unwrap()
    }

    fn orgs(&self) -> String {
        self.ok(&["org", "list", "--format", "json"])
    }
}

fn setup_places(o: &Office) {
    o.sanshe().add_places(&PLACES);
}

#[test]
fn two_offices_exchange_both_ways_until_equal() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let town = Office::new(root, "town", "北山街道", "西湖区");
    let district = Office::new(root, "district", "西湖区中心", "西湖区");
    setup_places(&town);
    let id = town
        .ok(&[
            "org",
            "add",
            "--name",
            "宝石山社区读书会",
            "--grid",
            "BSJ-01-01",
        ])
        .trim()
        .to_string();
    let f = |n: &str| root.join(n).to_string_lossy().into_owned();

    // Town -> district: everything (the district is unknown to the town).
    let out = town.ok(&[
        "sync",
        "export",
        "--out",
        &f("t1.ssb"),
        "--peer",
        "西湖区中心",
    ]);
    assert!(out.contains("Organization: "), "{out}");
    let out = district.ok(&["sync", "import", &f("t1.ssb")]);
    assert!(out.contains("new changes"), "{out}");
    // Twice: nothing changes, and it says so.
    let before = district.checksum();
    let out = district.ok(&["sync", "import", &f("t1.ssb")]);
    assert!(out.contains("unchanged"), "{out}");
    assert_eq!(district.checksum(), before);
    assert_eq!(town.orgs(), district.orgs());

    // The district adds an organization; both edit the same phone at once.
    district.ok(&[
        "org",
        "add",
        "--name",
        "北山老年合唱团",
        "--grid",
        "BSJ-01-01",
    ]);
    town.ok(&["org", "edit", &id, "--phone", "13812345678"]);
    district.ok(&[
        "org",
        "edit",
        &id,
        "--phone",
        "13900001111",
        "--members",
        "30",
    ]);

    let out = district.ok(&[
        "sync",
        "export",
        "--out",
        &f("d1.ssb"),
        "--peer",
        "北山街道",
    ]);
    assert!(out.contains("Exported"), "{out}");
    let out = town.ok(&["sync", "import", &f("d1.ssb")]);
    assert!(out.contains("1 conflicts"), "{out}");
    let out = town.ok(&[
        "sync",
        "export",
        "--out",
        &f("t2.ssb"),
        "--peer",
        "西湖区中心",
    ]);
    // Only what the district lacks: the town's phone edit.
    assert!(out.contains("Exported 1 changes"), "{out}");
    district.ok(&["sync", "import", &f("t2.ssb")]);
    assert_eq!(town.orgs(), district.orgs());
    assert_eq!(town.content(), district.content());

    let status = town.ok(&["sync", "status"]);
    assert!(
        status.contains("北山街道") && status.contains("西湖区中心"),
        "{status}"
    );
    let conflicts = town.ok(&["sync", "conflicts", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&conflicts).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{conflicts}");
    assert_eq!(rows[0]["field"], "phone");
    let lost = rows[0]["lost"]["value"]["Text"]
        .as_str()
        .unwrap()
        .to_string();
    // Restore the losing value at the town: a normal edit, synced on.
    town.ok(&["sync", "conflicts", "--restore", "1"]);
    let show = town.ok(&["org", "show", &id, "--format", "json"]);
    assert!(show.contains(&lost), "{show}");
    town.ok(&[
        "sync",
        "export",
        "--out",
        &f("t3.ssb"),
        "--peer",
        "西湖区中心",
    ]);
    district.ok(&["sync", "import", &f("t3.ssb")]);
    assert_eq!(town.orgs(), district.orgs());
    assert!(
        district
            .ok(&["sync", "conflicts", "--format", "json"])
            .trim()
            == "[]"
    );
    let status = district.ok(&["sync", "status", "--format", "json"]);
    let s: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(s["peers"][0]["office"], "北山街道");
}

fn flip(bytes: &[u8], at: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[at] ^= 0x10;
    b
}

#[test]
fn bad_bundles_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let town = Office::new(root, "town", "北山街道", "西湖区");
    let district = Office::new(root, "district", "西湖区中心", "西湖区");
    let other = Office::new(root, "other", "长河街道", "滨江区");
    setup_places(&town);
    town.ok(&["org", "add", "--name", "读书会", "--grid", "BSJ-01-01"]);
    let f = |n: &str| root.join(n);
    let s = |p: &Path| p.to_string_lossy().into_owned();
    town.ok(&["sync", "export", "--out", &s(&f("good.ssb"))]);
    let good = std::fs::read(f("good.ssb")).unwrap();
    district.ok(&["org", "add", "--name", "区里的组织"]);

    let write = |name: &str, bytes: &[u8]| {
        let p = f(name);
        std::fs::write(&p, bytes).unwrap();
        s(&p)
    };
    district.refused(
        &["sync", "import", &write("cut.ssb", &good[..good.len() / 2])],
        "incomplete",
    );
    district.refused(
        &[
            "sync",
            "import",
            &write("flip.ssb", &flip(&good, good.len() / 2)),
        ],
        "",
    );
    district.refused(
        &[
            "sync",
            "import",
            &write("magic.ssb", b"hello, this is a text file\n"),
        ],
        "not a sanshe",
    );
    let mut crlf = good[..4].to_vec();
    crlf.extend_from_slice(b"\n\x1a\n");
    crlf.extend_from_slice(&good[8..]);
    district.refused(
        &["sync", "import", &write("crlf.ssb", &crlf)],
        "line endings",
    );
    let mut v2 = good.clone();
    v2[8..10].copy_from_slice(&2u16.to_be_bytes());
    district.refused(&["sync", "import", &write("v2.ssb", &v2)], "version 2.0");
    let mut huge = good.clone();
    huge[12..16].copy_from_slice(&0xffff_fff0u32.to_be_bytes());
    district.refused(&["sync", "import", &write("huge.ssb", &huge)], "length");
    town.refused(&["sync", "import", &s(&f("good.ssb"))], "this office");
    other.refused(&["sync", "import", &s(&f("good.ssb"))], "滨江区");
    district.refused(
        &["sync", "import", &s(&f("good.ssb")), "--require-signature"],
        "not signed",
    );
    let missing = district.run(&["sync", "import", &s(&f("missing.ssb"))]);
    assert_eq!(missing.status.code(), Some(1));

    // A gap: an incremental bundle made for the district reaches a third
    // office that never had the town's earlier changes.
    district.ok(&["sync", "import", &s(&f("good.ssb"))]);
    district.ok(&[
        "sync",
        "export",
        "--out",
        &s(&f("d.ssb")),
        "--peer",
        "北山街道",
    ]);
    town.ok(&["sync", "import", &s(&f("d.ssb"))]);
    town.ok(&["org", "add", "--name", "新的组织"]);
    let out = town.ok(&[
        "sync",
        "export",
        "--out",
        &s(&f("inc.ssb")),
        "--peer",
        "西湖区中心",
    ]);
    // Only the new organization: not the places the district has.
    assert!(
        out.contains("Organization: 5") && !out.contains("Place"),
        "{out}"
    );
    let third = Office::new(root, "third", "西溪街道", "西湖区");
    third.refused(
        &["sync", "import", &s(&f("inc.ssb"))],
        "Missing earlier changes of \"北山街道\"",
    );
    third.ok(&["sync", "import", &s(&f("good.ssb"))]);
    third.ok(&["sync", "import", &s(&f("inc.ssb"))]);
    district.ok(&["sync", "import", &s(&f("inc.ssb"))]);

    // Signed bundles: tampered (and re-hashed) is refused; trusted passes.
    town.ok(&["sync", "keygen"]);
    town.ok(&["sync", "export", "--out", &s(&f("signed.ssb")), "--sign"]);
    let signed = std::fs::read(f("signed.ssb")).unwrap();
    let body_end = signed.len() - 8 - 1 - 96 - 32;
    let mut t = flip(&signed, body_end - 3);
    let h = blake3::hash(&t[..body_end]);
    t[body_end..body_end + 32].copy_from_slice(h.as_bytes());
    district.refused(
        &["sync", "import", &write("tampered.ssb", &t)],
        "signature does not match",
    );
    district.refused(
        &[
            "sync",
            "import",
            &s(&f("signed.ssb")),
            "--require-signature",
        ],
        "not trusted",
    );
    let trusted = district.config.join("trusted");
    std::fs::create_dir_all(&trusted).unwrap();
    std::fs::copy(town.config.join("sync.pub"), trusted.join("北山街道.pub")).unwrap();
    let out = district.ok(&[
        "sync",
        "import",
        &s(&f("signed.ssb")),
        "--require-signature",
        "--verify-only",
    ]);
    assert!(
        out.contains("Valid signature") && out.contains("nothing written"),
        "{out}"
    );
    district.ok(&[
        "sync",
        "import",
        &s(&f("signed.ssb")),
        "--require-signature",
    ]);
}

#[test]
fn the_version_1_bundle_keeps_importing() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let dir = tempfile::tempdir().unwrap();
    let office = Office::new(dir.path(), "d", "西湖区中心", "西湖区");
    let trusted = office.config.join("trusted");
    std::fs::create_dir_all(&trusted).unwrap();
    std::fs::copy(
        data.join("bundle-v1.pub"),
        trusted.join("北山街道社会组织服务中心.pub"),
    )
    .unwrap();
    let out = office.ok(&[
        "sync",
        "import",
        &data.join("bundle-v1-signed.ssb").to_string_lossy(),
        "--require-signature",
    ]);
    assert!(out.contains("34 new changes"), "{out}");
    let out = office.ok(&[
        "sync",
        "import",
        &data.join("bundle-v1.ssb").to_string_lossy(),
    ]);
    assert!(out.contains("unchanged"), "{out}");
    let orgs: serde_json::Value = serde_json::from_str(&office.orgs()).unwrap();
    let orgs = orgs.as_array().unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0]["name"], "宝石山社区读书会");
    assert_eq!(orgs[0]["phone"], "0571-87654321");
    assert_eq!(orgs[0]["notes"], "=每周六活动");
    assert_eq!(orgs[0]["members"], 25);
}

#[test]
fn config_signs_exports_and_requires_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let town = Office::new(dir.path(), "town", "北山街道", "西湖区");
    let district = Office::new(dir.path(), "district", "西湖区中心", "西湖区");
    setup_places(&town);
    town.ok(&["sync", "keygen"]);
    std::fs::write(town.config.join("config.toml"), "[sync]\nsign = true\n").unwrap();
    let file = dir.path().join("b.ssb");
    let out = town.ok(&["sync", "export", "--out", &file.to_string_lossy()]);
    assert!(out.contains("signed"), "{out}");
    std::fs::create_dir_all(&district.config).unwrap();
    std::fs::write(
        district.config.join("config.toml"),
        "[sync]\nrequire_signature = true\n",
    )
    .unwrap();
    // Signed but not trusted yet: refused as if --require-signature.
    district.refused(&["sync", "import", &file.to_string_lossy()], "not trusted");
    let trusted = district.config.join("trusted");
    std::fs::create_dir_all(&trusted).unwrap();
    std::fs::copy(town.config.join("sync.pub"), trusted.join("北山街道.pub")).unwrap();
    let out = district.ok(&["sync", "import", &file.to_string_lossy()]);
    assert!(out.contains("北山街道"), "{out}");
    // A mistyped setting is an error naming the file.
    std::fs::write(
        district.config.join("config.toml"),
        "[sync]\nsigned = true\n",
    )
    .unwrap();
    district.refused(&["sync", "status"], "config.toml");
}

/// Issue [1/6] 3: a refused `sync init` writes nothing (the office was
/// renamed before an empty network was refused), and a database of one
/// network is moved to another only with --force.
#[test]
fn a_refused_init_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db")).lang("en");
    s.ok(&[
        "sync",
        "init",
        "--office",
        "北山街道",
        "--network",
        "西湖区",
    ]);
    let status = || s.json(&["sync", "status", "--format", "json"]);
    let before = status();
    let init = |office: &str, network: &str, needle: &str| {
        s.refused(
            &["sync", "init", "--office", office, "--network", network],
            needle,
        )
    };
    init("新名字", "", "Network: is required");
    init("新名字", "  ", "Network: is required");
    init("", "西湖区", "Office name: is required");
    init("新名字", "西湖区\x1b[2J", "control characters");
    init(&"长".repeat(65), "西湖区", "Office name");
    let err = init("新名字", "滨江区", "--force");
    assert!(
        err.contains("\"西湖区\"") && err.contains("\"滨江区\""),
        "{err}"
    );
    assert_eq!(status(), before);
    // The same network again: only the office is renamed.
    s.ok(&[
        "sync",
        "init",
        "--office",
        "北山街道中心",
        "--network",
        " 西湖区 ",
    ]);
    let after = status();
    assert_eq!(
        (&after["office"], &after["network"]),
        (&"北山街道中心".into(), &"西湖区".into())
    );
    s.ok(&[
        "sync",
        "init",
        "--office",
        "北山街道中心",
        "--network",
        "滨江区",
        "--force",
    ]);
    assert_eq!(status()["network"], "滨江区");
}
