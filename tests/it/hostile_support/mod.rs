//! Hostile text for the text-safety tests (`tests/text_safety_*.rs`): a
//! name that would take over a terminal, the bytes that must never reach
//! one, and a store holding such values as another office's bundle would
//! bring them (through `apply_remote`, not the local rules).
#![allow(dead_code)] // each test file uses part of it

use std::path::Path;

use sanshe::model::{Kind, OrgType, Organization, Record};
use sanshe::store::{Op, Store, Value};

/// A name that would clear the screen, retitle the window, write the
/// clipboard (OSC 52), ring the bell, start a C1 CSI and reverse the text.
pub const EVIL: &str = "读书会\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\u{9b}31m\u{202E}cba";

/// Byte sequences that must never reach the terminal from data: BEL, an
/// OSC (window title, clipboard), the C1 CSI (U+009B), the right-to-left
/// override (U+202E), NUL, and a screen clear.
pub const FORBIDDEN: [&[u8]; 6] = [
    b"\x07",
    b"\x1b]",
    "\u{9b}".as_bytes(),
    "\u{202E}".as_bytes(),
    b"\0",
    b"\x1b[2J",
];

/// Fails if `bytes` holds any of [`FORBIDDEN`] (and, when `no_escape`, any
/// ESC at all: the command line writes none of its own).
pub fn assert_clean(what: &str, bytes: &[u8], no_escape: bool) {
    let esc: &[u8] = b"\x1b";
    for f in FORBIDDEN.iter().copied().chain(no_escape.then_some(esc)) {
        assert!(
            !bytes.windows(f.len()).any(|w| w == f),
            "{what} wrote {f:?}: {}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// Puts into `store` an organization whose name, notes, tag and author
/// came from another office as they are, a concurrent rename by a third
/// office (a conflict), and a peer office with a hostile name. Returns the
/// organization's id.
pub fn seed(store: &Store) -> String {
    let mut org = Organization::new(EVIL, OrgType::Community);
    org.notes = Some(format!("第一行\n{EVIL}"));
    org.tags = vec![format!("标签{EVIL}")];
    let fields = sanshe::store::fields::flatten(&Record::Org(org)).expect("flatten");
    let (a, b) = ([7u8; 16], [9u8; 16]);
    let now = chrono::Utc::now().timestamp_millis() as u64;
    let id = "a1b2c3d4-1".to_string();
    let op = |origin, counter, hlc, field: String, value| Op {
        origin,
        counter,
        hlc,
        author: format!("作者{EVIL}"),
        kind: Kind::Org,
        id: id.clone(),
        field,
        value: Some(value),
        prev: Vec::new(),
    };
    let mut ops: Vec<Op> = fields
        .into_iter()
        .enumerate()
        .map(|(i, (field, value))| op(a, i as u64 + 1, (now << 16) + i as u64, field, value))
        .collect();
    ops.push(op(
        b,
        1,
        (now << 16) + 1000,
        "name".into(),
        Value::Text(format!("改名{EVIL}")),
    ));
    // As an old database may hold them: from before the rules on values
    // from elsewhere (which now hold such values back for review).
    store.set_check_remote(false);
    store.apply_remote(ops).expect(
        "seeding hostile values through apply_remote (if remote values are now \
         refused, seed them another way: the tests using this are about output)",
    );
    let office = format!("邻居{EVIL}");
    store.remember_office(&a, &office).expect("office");
    store.note_sent(&a, &office, now as i64).expect("peer");
    id
}

/// [`seed`] on a database directory, closed again for the binary to open.
pub fn seed_dir(db: &Path) -> String {
    seed(&Store::open(db).expect("open"))
}
