//! Hostile input to `sanshe sync import`, through the real binary (issue
//! [1/6]): memory bombs (a body of a hundred million empty strings, made
//! to look in proportion by skippable zstd frames or by incompressible
//! text) and absurd headers are refused with exit code 2, at once and in
//! little memory; a FIFO or a device is refused at once, before the
//! database is opened, so it is never left locked. The database is
//! unchanged each time.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::cli_support::Sanshe;
use sanshe::store::Store;
use sanshe::sync::bundle::{self, Header, Range};

const SENDER: [u8; 16] = [7; 16];

fn office(db: &Path) -> Sanshe {
    let s = Sanshe::at(db).lang("en");
    s.ok(&[
        "sync",
        "init",
        "--office",
        "西湖区中心",
        "--network",
        "西湖区",
    ]);
    s
}

fn header() -> Header {
    Header {
        network: "西湖区".into(),
        office: "北山街道".into(),
        replica: SENDER,
        created: 1_700_000_000_000,
        schema: 1,
        full: false,
        vv: vec![],
        ranges: vec![],
        offices: vec![],
        ops: 0,
        body_len: 0,
        raw_len: 0,
    }
}

/// Text that does not compress: printable ASCII from a xorshift.
fn noise(n: usize) -> Vec<u8> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b' ' + (x % 95) as u8
        })
        .collect()
}

/// Compresses, as it is written, a body whose author table holds `n`
/// empty strings (bincode: a count, then one zero byte each), followed by
/// `tail`. Returns the frame and the decompressed length.
fn empty_strings(origins: &[u8], n: u32, tail: &[u8]) -> (Vec<u8>, u64) {
    let mut z = zstd::stream::write::Encoder::new(Vec::new(), 3).unwrap();
    let mut head = origins.to_vec();
    head.push(252);
    head.extend_from_slice(&n.to_le_bytes());
    z.write_all(&head).unwrap();
    let zeros = vec![0u8; 1 << 20];
    let mut left = n as usize;
    while left > 0 {
        let k = left.min(zeros.len());
        z.write_all(&zeros[..k]).unwrap();
        left -= k;
    }
    z.write_all(tail).unwrap();
    let raw_len = (head.len() + n as usize + tail.len()) as u64;
    (z.finish().unwrap(), raw_len)
}

/// The bomb of the issue: 100,000,000 empty strings (100 MB decompressed,
/// 2.4 GB in memory), the frame padded with a skippable frame to 1/256 of
/// that, so the decompression ratio allowed it: a 391 KB file.
fn bomb_with_skippable_frames() -> Vec<u8> {
    let (mut body, raw_len) = empty_strings(&[0], 100_000_000, &[0, 0, 0]);
    let pad = (raw_len / 256 + 1) as usize - body.len() - 8;
    body.extend_from_slice(&0x184d_2a50u32.to_le_bytes());
    body.extend_from_slice(&(pad as u32).to_le_bytes());
    body.resize(body.len() + pad, 0);
    bundle::assemble(header(), &body, raw_len, None).unwrap()
}

/// The same table of empty strings in one honest frame, made to look in
/// proportion by one operation whose text (600 KB) does not compress.
fn bomb_in_one_frame() -> Vec<u8> {
    let mut origins = vec![1];
    origins.extend_from_slice(&SENDER);
    let mut tail = Vec::new();
    // ids ["o-1"], fields ["notes"], one run of one group of one change.
    tail.extend_from_slice(&[1, 3]);
    tail.extend_from_slice(b"o-1");
    tail.extend_from_slice(&[1, 5]);
    tail.extend_from_slice(b"notes");
    // run: origin 0, first 1, one group: hlc 5, author 0, kind 2, id 0.
    tail.extend_from_slice(&[1, 0, 1, 1, 5, 0, 2, 0, 1]);
    // change: field 0, Some(Text(noise)), no prev.
    let text = noise(600_000);
    tail.extend_from_slice(&[0, 1, 3, 252]);
    tail.extend_from_slice(&(text.len() as u32).to_le_bytes());
    tail.extend_from_slice(&text);
    tail.push(0);
    let (body, raw_len) = empty_strings(&origins, 100_000_000, &tail);
    assert!(raw_len <= body.len() as u64 * bundle::MAX_RATIO);
    let h = Header {
        vv: vec![(SENDER, 1)],
        ranges: vec![Range {
            origin: SENDER,
            first: 1,
            last: 1,
        }],
        ops: 1,
        ..header()
    };
    bundle::assemble(h, &body, raw_len, None).unwrap()
}

/// Runs `sanshe ARGS` and returns its exit code, standard error, peak
/// memory (maximum resident set in KB, from wait4) and time. The peak
/// includes this test process's size when it spawned the child (the child
/// shares its memory until it runs sanshe), so compare it with
/// [`own_peak_kb`].
#[allow(clippy::zombie_processes)] // reaped by wait4, which gives its usage
fn measured(s: &Sanshe, args: &[&str]) -> (Option<i32>, String, i64, Duration) {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("sanshe"));
    cmd.arg("--db")
        .arg(&s.db)
        .arg("--lang")
        .arg("en")
        .args(args);
    cmd.env("SANSHE_CONFIG_DIR", &s.config)
        .env_remove("SANSHE_DB");
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    let took = start.elapsed();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, err, usage.ru_maxrss, took)
}

/// This test process's peak resident set, KB.
fn own_peak_kb() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

fn checksum(db: &Path) -> [u8; 32] {
    if db.exists() {
        crate::cli_support::stop_server(db);
    }
    Store::open(db).unwrap().checksum().unwrap()
}

#[test]
fn memory_bombs_are_refused_at_once_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    let s = office(&dir.path().join("db"));
    let before = checksum(&s.db);
    for (name, bytes, needle) in [
        (
            "skippable.ssb",
            bomb_with_skippable_frames(),
            "one zstd frame",
        ),
        ("one-frame.ssb", bomb_in_one_frame(), "body.authors"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let (code, err, peak_kb, took) = measured(&s, &["sync", "import", &path.to_string_lossy()]);
        let ours = own_peak_kb();
        println!(
            "{name}: {} KB file, exit {code:?}, {peak_kb} KB peak (this process {ours} KB), {took:?}: {err}",
            bytes.len() / 1024
        );
        assert_eq!(code, Some(2), "{name}: {err}");
        assert!(err.contains(needle), "{name}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        // Without the bounds: 2.4 GB.
        assert!(peak_kb < ours + 64 * 1024, "{name}: {peak_kb} KB");
        assert!(took < Duration::from_secs(30), "{name}: {took:?}");
    }
    assert_eq!(checksum(&s.db), before);
}

#[test]
fn an_absurd_header_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let s = office(&dir.path().join("db"));
    let before = checksum(&s.db);
    let h = header();
    let mut head = bincode::serde::encode_to_vec(
        (
            &h.network, &h.office, h.replica, h.created, h.schema, h.full,
        ),
        bincode::config::standard(),
    )
    .unwrap();
    // A thousand billion entries in the version vector, correctly hashed.
    head.push(253);
    head.extend_from_slice(&(1u64 << 40).to_le_bytes());
    let mut file = bundle::MAGIC.to_vec();
    file.extend_from_slice(&bundle::MAJOR.to_be_bytes());
    file.extend_from_slice(&bundle::MINOR.to_be_bytes());
    file.extend_from_slice(&(head.len() as u32).to_be_bytes());
    file.extend_from_slice(&head);
    let hash = blake3::hash(&file);
    file.extend_from_slice(hash.as_bytes());
    file.push(0);
    file.extend_from_slice(&bundle::END);
    let path = dir.path().join("absurd.ssb");
    std::fs::write(&path, &file).unwrap();
    let err = s.refused(&["sync", "import", &path.to_string_lossy()], "header.vv");
    assert!(err.contains("1099511627776"), "{err}");
    assert_eq!(checksum(&s.db), before);
}

/// `sync import` of something that is not a regular file: refused at
/// once with exit code 2, even while another process holds the database
/// (the file is read before the database is opened), which is then free.
#[test]
fn a_fifo_or_a_device_is_refused_before_the_database_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let s = office(&dir.path().join("db"));
    let fifo = dir.path().join("bundle.ssb");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string and mode.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let fifo = fifo.to_string_lossy().into_owned();
    let folder = dir.path().to_string_lossy().into_owned();
    let before = checksum(&s.db);
    {
        // Another process (this one) holds the database meanwhile.
        let _held = Store::open(&s.db).unwrap();
        for file in [fifo.as_str(), "/dev/zero", folder.as_str()] {
            let start = Instant::now();
            let o = s
                .command()
                .args(["sync", "import", file])
                .timeout(Duration::from_secs(20))
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{file}: {err}");
            assert!(err.contains("not a regular file"), "{file}: {err}");
            assert!(start.elapsed() < Duration::from_secs(10), "{file}");
        }
    }
    for file in [fifo.as_str(), "/dev/zero"] {
        s.refused(&["sync", "import", file], "not a regular file");
        let status = s.json(&["sync", "status", "--format", "json"]);
        assert_eq!(status["network"], "西湖区");
    }
    assert_eq!(checksum(&s.db), before);
}
