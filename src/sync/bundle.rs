//! The bundle file format (documented byte by byte in `docs/SYNC.md`):
//!
//! ```text
//! magic 8 | major 2 | minor 2 | header length 4 | header | body | blake3 32 |
//! signature kind 1 | [public key 32 | signature 64] | end magic 8
//! ```
//!
//! Reading checks, in order and before anything is decoded: the size, the
//! magic, the end magic (truncation), the version, every length against
//! the file size, the hash, the signature; then the header and body are
//! decoded with bounded sizes. A hostile length can neither allocate much
//! memory nor make the decoder panic.

use std::io::Read;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::error::SyncError;
use super::wire::Body;
use crate::store::{Op, ReplicaId};

/// First bytes of every bundle: like PNG's, a high byte (7-bit transfers),
/// `\r\n` (CRLF conversion), `\x1a` (DOS end of file) and `\n`.
pub const MAGIC: [u8; 8] = *b"\x89SSB\r\n\x1a\n";
/// Last bytes of every bundle: a missing tail is seen before any parsing.
pub const END: [u8; 8] = *b"\x1aSSBEND\n";
/// Format major version written and read. A reader refuses another major;
/// a newer minor may only append header fields, which older readers skip.
pub const MAJOR: u16 = 1;
/// Format minor version written.
pub const MINOR: u16 = 0;
/// Largest header.
pub const MAX_HEADER: usize = 1 << 20;
/// Largest bundle file read.
pub const MAX_FILE: u64 = 1 << 30;
/// Largest decompressed body.
pub const MAX_RAW: u64 = 1 << 30;
/// Largest ratio of decompressed to compressed body (against zstd bombs).
pub const MAX_RATIO: u64 = 256;
/// zstd level of the body: bandwidth is scarce, CPU is not.
pub const ZSTD_LEVEL: i32 = 19;
/// Bodies larger than this (before compression; snapshots of whole
/// districts) use [`ZSTD_LEVEL_LARGE`]: level 19 runs at about 3 MB/s.
pub const LARGE_BODY: usize = 8 << 20;
/// zstd level of large bodies.
pub const ZSTD_LEVEL_LARGE: i32 = 9;
/// What a signature signs: this prefix, then the blake3 hash.
const SIGNED_PREFIX: &[u8] = b"sanshe bundle v1 ";

const FIXED: usize = 8 + 2 + 2 + 4;
const TAIL_UNSIGNED: usize = 32 + 1 + 8;
const SIG_LEN: usize = 32 + 64;

/// Operations of one origin contained in a bundle: counters `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub origin: ReplicaId,
    pub first: u64,
    pub last: u64,
}

/// The header: who sent the bundle and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Network (e.g. the district) of the sender.
    pub network: String,
    /// Sender's office name and replica id.
    pub office: String,
    pub replica: ReplicaId,
    /// When it was written (Unix milliseconds).
    pub created: i64,
    /// The sender's store schema version.
    pub schema: u32,
    /// Everything the sender has (a snapshot for a new office).
    pub full: bool,
    /// The sender's version vector when it wrote the bundle.
    pub vv: Vec<(ReplicaId, u64)>,
    /// What the body holds, per origin.
    pub ranges: Vec<Range>,
    /// Office names of the origins in `ranges`.
    pub offices: Vec<(ReplicaId, String)>,
    /// Number of operations in the body.
    pub ops: u64,
    /// Length of the compressed body.
    pub body_len: u64,
    /// Length of the body before compression.
    pub raw_len: u64,
}

/// A bundle read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub major: u16,
    pub minor: u16,
    pub header: Header,
    /// The operations, packed (see [`Bundle::ops`]); checked on reading.
    body: Body,
    /// Its blake3 hash (what a signature signs): the bundle's identity.
    pub hash: [u8; 32],
    /// The public key that signed it, if signed (verified).
    pub signed_by: Option<[u8; 32]>,
    /// Size of the file.
    pub size: u64,
}

fn bincode_cfg() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<{ MAX_RAW as usize }>()
}

fn header_cfg() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_HEADER>()
}

fn corrupt(e: impl std::fmt::Display) -> SyncError {
    SyncError::Corrupt(e.to_string())
}

/// Adds one operation to ranges being built: the ranges of operations per
/// origin, in order of first appearance (operations of one origin must be
/// consecutive and in counter order).
fn extend_ranges(out: &mut Vec<Range>, op: &Op) {
    match out.last_mut() {
        Some(r) if r.origin == op.origin && r.last.checked_add(1) == Some(op.counter) => {
            r.last = op.counter
        }
        _ => out.push(Range {
            origin: op.origin,
            first: op.counter,
            last: op.counter,
        }),
    }
}

impl Bundle {
    /// The operations, unpacked one at a time (a bundle of a million
    /// operations is never held unpacked as a whole). Every index was
    /// checked when the bundle was read, so none is missing here.
    pub fn ops(&self) -> impl Iterator<Item = Op> + '_ {
        self.body.iter().map_while(Result::ok)
    }

    /// Number of operations.
    pub fn len(&self) -> u64 {
        self.header.ops
    }

    /// Whether the bundle holds no operation.
    pub fn is_empty(&self) -> bool {
        self.header.ops == 0
    }
}

/// Writes a bundle holding `ops` (each origin's consecutive and in counter
/// order). `header.ranges`, `ops`, `body_len` and `raw_len` are filled in
/// here.
pub fn encode(header: Header, ops: &[Op], key: Option<&SigningKey>) -> Result<Vec<u8>, SyncError> {
    seal(header, &Body::pack(ops), key)
}

/// Writes a bundle holding a packed body (see [`encode`]).
pub fn seal(
    mut header: Header,
    body: &Body,
    key: Option<&SigningKey>,
) -> Result<Vec<u8>, SyncError> {
    let raw = bincode::serde::encode_to_vec(body, bincode::config::standard()).map_err(corrupt)?;
    let level = if raw.len() > LARGE_BODY {
        ZSTD_LEVEL_LARGE
    } else {
        ZSTD_LEVEL
    };
    let compressed = zstd::bulk::compress(&raw, level).map_err(corrupt)?;
    header.ranges = body
        .runs
        .iter()
        .filter_map(|r| {
            let n: u64 = r.groups.iter().map(|g| g.changes.len() as u64).sum();
            Some(Range {
                origin: *body.origins.get(r.origin as usize)?,
                first: r.first,
                last: r.first + n.checked_sub(1)?,
            })
        })
        .collect();
    header.ops = body.len();
    header.body_len = compressed.len() as u64;
    header.raw_len = raw.len() as u64;
    let head =
        bincode::serde::encode_to_vec(&header, bincode::config::standard()).map_err(corrupt)?;
    if head.len() > MAX_HEADER {
        return Err(SyncError::BadLength {
            what: format!("header {} > {MAX_HEADER}", head.len()),
        });
    }
    let mut out =
        Vec::with_capacity(FIXED + head.len() + compressed.len() + TAIL_UNSIGNED + SIG_LEN);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&MAJOR.to_be_bytes());
    out.extend_from_slice(&MINOR.to_be_bytes());
    out.extend_from_slice(&(head.len() as u32).to_be_bytes());
    out.extend_from_slice(&head);
    out.extend_from_slice(&compressed);
    let hash = blake3::hash(&out);
    out.extend_from_slice(hash.as_bytes());
    match key {
        None => out.push(0),
        Some(k) => {
            out.push(1);
            out.extend_from_slice(k.verifying_key().as_bytes());
            out.extend_from_slice(&k.sign(&signed_message(hash.as_bytes())).to_bytes());
        }
    }
    out.extend_from_slice(&END);
    Ok(out)
}

fn signed_message(hash: &[u8; 32]) -> Vec<u8> {
    let mut m = SIGNED_PREFIX.to_vec();
    m.extend_from_slice(hash);
    m
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

/// Whether the magic looks like the real one after a text transfer
/// (`\r\n` turned into `\n` or `\r\r\n`, or the high bit stripped).
fn mangled(bytes: &[u8]) -> bool {
    let starts = |p: &[u8]| bytes.starts_with(p);
    starts(b"\x89SSB\n\x1a\n")
        || starts(b"\x89SSB\r\r\n\x1a")
        || starts(b"\x09SSB\r\n\x1a\n")
        || starts(b"\xef\xbf\xbdSSB")
}

/// Reads and checks a bundle from its bytes. Nothing is trusted before it
/// is checked; see the module doc for the order.
pub fn decode(bytes: &[u8]) -> Result<Bundle, SyncError> {
    let size = bytes.len() as u64;
    if bytes.len() >= 4 && !bytes.starts_with(&MAGIC[..bytes.len().min(8)]) {
        return Err(if mangled(bytes) {
            SyncError::Mangled
        } else {
            SyncError::NotABundle
        });
    }
    if bytes.len() < FIXED + TAIL_UNSIGNED {
        return Err(if bytes.len() < 4 {
            SyncError::NotABundle
        } else {
            SyncError::Truncated
        });
    }
    if !bytes.ends_with(&END) {
        return Err(SyncError::Truncated);
    }
    let (major, minor) = (be16(bytes, 8), be16(bytes, 10));
    if major != MAJOR {
        return Err(SyncError::Version { major, minor });
    }
    let head_len = u32::from_be_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    if head_len > MAX_HEADER {
        return Err(SyncError::BadLength {
            what: format!("header {head_len} > {MAX_HEADER}"),
        });
    }
    // The signature kind sits 9 bytes before the end when unsigned, 105 when
    // signed: the hash end is found from the total with either size.
    let end = bytes.len() - END.len();
    let (hash_end, signed) = match (bytes.get(end - 1), end.checked_sub(1 + SIG_LEN)) {
        (Some(0), _)
            if bytes.len() >= FIXED + head_len + TAIL_UNSIGNED
                && lengths_fit(bytes, head_len, false) =>
        {
            (end - 1, false)
        }
        (_, Some(at)) if bytes.get(at) == Some(&1) && lengths_fit(bytes, head_len, true) => {
            (at, true)
        }
        _ => {
            return Err(if bytes.len() < FIXED + head_len + TAIL_UNSIGNED {
                SyncError::Truncated
            } else {
                SyncError::BadLength {
                    what: "header, body and file size disagree".into(),
                }
            })
        }
    };
    let body_end = hash_end - 32;
    let hash = blake3::hash(&bytes[..body_end]);
    if hash.as_bytes() != &bytes[body_end..hash_end] {
        return Err(SyncError::HashMismatch);
    }
    let signed_by = if signed {
        let sig = &bytes[hash_end + 1..end];
        let key: [u8; 32] = sig[..32].try_into().map_err(|_| SyncError::BadSignature)?;
        let sig: [u8; 64] = sig[32..].try_into().map_err(|_| SyncError::BadSignature)?;
        let vk = VerifyingKey::from_bytes(&key).map_err(|_| SyncError::BadSignature)?;
        vk.verify(
            &signed_message(hash.as_bytes()),
            &Signature::from_bytes(&sig),
        )
        .map_err(|_| SyncError::BadSignature)?;
        Some(key)
    } else {
        None
    };
    let header = read_header(bytes, head_len)?;
    let body = &bytes[FIXED + head_len..body_end];
    if header.raw_len > MAX_RAW
        || header.raw_len > (body.len() as u64).saturating_mul(MAX_RATIO) + 4096
    {
        return Err(SyncError::BadLength {
            what: format!("body of {} bytes unpacks to {}", body.len(), header.raw_len),
        });
    }
    if header.ops > header.raw_len {
        return Err(SyncError::BadLength {
            what: format!("{} operations in {} bytes", header.ops, header.raw_len),
        });
    }
    let mut raw = Vec::new();
    zstd::stream::read::Decoder::new(body)
        .map_err(corrupt)?
        .take(header.raw_len + 1)
        .read_to_end(&mut raw)
        .map_err(corrupt)?;
    if raw.len() as u64 != header.raw_len {
        return Err(SyncError::BadLength {
            what: format!(
                "body unpacks to {} bytes, not {}",
                raw.len(),
                header.raw_len
            ),
        });
    }
    let (body, used): (Body, usize) =
        bincode::serde::decode_from_slice(&raw, bincode_cfg()).map_err(corrupt)?;
    if used != raw.len() {
        return Err(corrupt("trailing bytes in the body"));
    }
    drop(raw);
    // Every operation is unpacked once, to check it, and dropped: the
    // packed body is what is kept.
    let mut ranges = Vec::new();
    let mut n = 0u64;
    for op in body.iter() {
        let op = op?;
        n += 1;
        if n > header.ops {
            return Err(corrupt("more operations than the header says"));
        }
        extend_ranges(&mut ranges, &op);
    }
    if n != header.ops {
        return Err(corrupt("operation count"));
    }
    if ranges != header.ranges {
        return Err(corrupt("ranges in the header do not match the body"));
    }
    Ok(Bundle {
        major,
        minor,
        header,
        body,
        hash: *hash.as_bytes(),
        signed_by,
        size,
    })
}

/// Whether header length, declared body length and the file size agree.
fn lengths_fit(bytes: &[u8], head_len: usize, signed: bool) -> bool {
    let Ok(h) = read_header(bytes, head_len) else {
        return false;
    };
    let tail = TAIL_UNSIGNED + if signed { SIG_LEN } else { 0 };
    (FIXED as u64)
        .checked_add(head_len as u64)
        .and_then(|n| n.checked_add(h.body_len))
        .and_then(|n| n.checked_add(tail as u64))
        == Some(bytes.len() as u64)
}

fn read_header(bytes: &[u8], head_len: usize) -> Result<Header, SyncError> {
    let raw = bytes
        .get(FIXED..FIXED + head_len)
        .ok_or(SyncError::Truncated)?;
    // A newer minor version may append fields: trailing bytes are skipped.
    bincode::serde::decode_from_slice(raw, header_cfg())
        .map(|(h, _)| h)
        .map_err(corrupt)
}

/// Reads a bundle file (at most [`MAX_FILE`] bytes).
pub fn read_file(path: &std::path::Path) -> Result<Bundle, SyncError> {
    let io = |e: std::io::Error| SyncError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    if len > MAX_FILE {
        return Err(SyncError::BadLength {
            what: format!("file of {len} bytes > {MAX_FILE}"),
        });
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    decode(&bytes)
}

/// Writes `bytes` to `path` safely: a temporary file beside it, written,
/// synced to disk, then renamed over `path` (and the directory synced), so
/// a crash never leaves half a bundle under the final name.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), SyncError> {
    crate::files::write_atomic(path, bytes).map_err(|e| SyncError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::store::Value;

    fn header() -> Header {
        Header {
            network: "西湖区".into(),
            office: "北山街道".into(),
            replica: [1; 16],
            created: 1_700_000_000_000,
            schema: 1,
            full: false,
            vv: vec![([1; 16], 3)],
            ranges: vec![],
            offices: vec![([1; 16], "北山街道".into())],
            ops: 0,
            body_len: 0,
            raw_len: 0,
        }
    }

    fn ops() -> Vec<Op> {
        (1..=3)
            .map(|c| Op {
                origin: [1; 16],
                counter: c,
                hlc: 5 << 16,
                author: "li".into(),
                kind: Kind::Org,
                id: "abc-1".into(),
                field: format!("f{c}"),
                value: Some(Value::Text("宝石山".into())),
                prev: vec![],
            })
            .collect()
    }

    #[test]
    fn round_trip_signed_and_unsigned() {
        let bytes = encode(header(), &ops(), None).unwrap();
        let b = decode(&bytes).unwrap();
        assert_eq!(b.ops().collect::<Vec<_>>(), ops());
        assert_eq!(
            b.header.ranges,
            vec![Range {
                origin: [1; 16],
                first: 1,
                last: 3
            }]
        );
        assert_eq!(b.signed_by, None);
        let key = SigningKey::from_bytes(&[7; 32]);
        let signed = encode(header(), &ops(), Some(&key)).unwrap();
        let b = decode(&signed).unwrap();
        assert_eq!(b.signed_by, Some(*key.verifying_key().as_bytes()));
        // Tampered and re-hashed: the signature no longer verifies.
        let mut t = signed.clone();
        let body_end = t.len() - 8 - 1 - 96 - 32;
        t[body_end - 1] ^= 1;
        let h = blake3::hash(&t[..body_end]);
        t[body_end..body_end + 32].copy_from_slice(h.as_bytes());
        assert_eq!(decode(&t), Err(SyncError::BadSignature));
    }

    #[test]
    fn every_truncation_and_flip_is_refused() {
        let bytes = encode(header(), &ops(), None).unwrap();
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n]).is_err(), "truncated at {n}");
        }
        for i in 0..bytes.len() {
            for bit in [0x01u8, 0x80] {
                let mut b = bytes.clone();
                b[i] ^= bit;
                assert!(decode(&b).is_err(), "flip at {i}");
            }
        }
    }

    #[test]
    fn wrong_magic_crlf_version_and_hostile_lengths() {
        let bytes = encode(header(), &ops(), None).unwrap();
        assert_eq!(
            decode(b"PK\x03\x04 not a bundle at all, a zip file"),
            Err(SyncError::NotABundle)
        );
        let mut crlf = bytes[..4].to_vec();
        crlf.extend_from_slice(b"\n\x1a\n");
        crlf.extend_from_slice(&bytes[8..]);
        assert_eq!(decode(&crlf), Err(SyncError::Mangled));
        let mut v = bytes.clone();
        v[8..10].copy_from_slice(&2u16.to_be_bytes());
        assert_eq!(decode(&v), Err(SyncError::Version { major: 2, minor: 0 }));
        let mut h = bytes.clone();
        h[12..16].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(decode(&h), Err(SyncError::BadLength { .. })));
        // A header claiming a terabyte body, correctly hashed.
        let mut hdr = header();
        hdr.raw_len = 1 << 40;
        hdr.ops = 1 << 40;
        let head = bincode::serde::encode_to_vec(&hdr, bincode::config::standard()).unwrap();
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&MAJOR.to_be_bytes());
        out.extend_from_slice(&MINOR.to_be_bytes());
        out.extend_from_slice(&(head.len() as u32).to_be_bytes());
        out.extend_from_slice(&head);
        let hash = blake3::hash(&out);
        out.extend_from_slice(hash.as_bytes());
        out.push(0);
        out.extend_from_slice(&END);
        assert!(matches!(decode(&out), Err(SyncError::BadLength { .. })));
    }

    #[test]
    fn written_through_a_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.ssb");
        let bytes = encode(header(), &ops(), None).unwrap();
        write_file(&p, &bytes).unwrap();
        assert_eq!(read_file(&p).unwrap().ops().collect::<Vec<_>>(), ops());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
