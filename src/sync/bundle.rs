//! The bundle file format (documented byte by byte in `docs/SYNC.md`):
//!
//! ```text
//! magic 8 | major 2 | minor 2 | header length 4 | header | body | blake3 32 |
//! signature kind 1 | [public key 32 | signature 64] | end magic 8
//! ```
//!
//! Reading checks, in order and before anything is decoded: the size, the
//! magic, the end magic (truncation), the version, the header length, the
//! hash, the signature; then the header (every count and length bounded,
//! errors naming the field), the sizes adding up, and the body: one zstd
//! frame within a ratio of its size, whose tables are charged to a memory
//! budget proportional to the file, and whose operations are read one at
//! a time (see `wire.rs` and `decode.rs`). A hostile file can neither
//! allocate much memory nor make the reader panic.

use std::io::BufReader;
use std::ops::Range as Span;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::decode::{Input, STRING};
use super::error::SyncError;
use super::wire::{Body, Ops, Tables};
use crate::store::{Op, OpId, ReplicaId, APPLY_CHUNK};

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
/// Longest network or office name in a header.
pub const MAX_NAME: usize = 1024;
/// Largest bundle file read (a full export of 100,000 organizations is
/// 5.6 MB).
pub const MAX_FILE: u64 = 256 << 20;
/// Largest decompressed body.
pub const MAX_RAW: u64 = 1 << 30;
/// Largest ratio of decompressed to compressed body (against zstd bombs;
/// real bodies unpack to 4 to 8 times their size).
pub const MAX_RATIO: u64 = 256;
/// Largest zstd window a body may need, as a power of two (8 MiB: levels
/// 9 and 19 use at most that); a frame asking for more is refused.
pub const WINDOW_LOG_MAX: u32 = 23;
/// Memory the tables of a body may take, per byte of compressed body
/// (plus 1 MiB, at most [`MAX_TABLES`]). Real bodies need less than one.
pub const TABLES_PER_BYTE: u64 = 32;
/// Most memory the tables of a body may take.
pub const MAX_TABLES: u64 = 64 << 20;
/// Most memory [`APPLY_CHUNK`] operations in a row may take unpacked
/// (what an import holds at once; real ones take a few MB).
pub const MAX_HELD: u64 = 64 << 20;
/// zstd level of the body: bandwidth is scarce, CPU is not.
pub const ZSTD_LEVEL: i32 = 19;
/// Bodies larger than this (before compression; snapshots of whole
/// districts) use [`ZSTD_LEVEL_LARGE`]: level 19 runs at about 3 MB/s.
pub const LARGE_BODY: usize = 8 << 20;
/// zstd level of large bodies.
pub const ZSTD_LEVEL_LARGE: i32 = 9;
/// What a signature signs: this prefix, then the blake3 hash.
const SIGNED_PREFIX: &[u8] = b"sanshe bundle v1 ";
/// First bytes of a zstd frame.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

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
    /// The operations, compressed (see [`Bundle::ops`]); checked on reading.
    body: Packed,
    /// Its blake3 hash (what a signature signs): the bundle's identity.
    pub hash: [u8; 32],
    /// The public key that signed it, if signed (verified).
    pub signed_by: Option<[u8; 32]>,
    /// Size of the file.
    pub size: u64,
}

/// A body as the file holds it, and its tables: its operations are
/// unpacked from it one at a time each time they are read, so neither the
/// decompressed body nor its operations are ever held whole.
#[derive(Clone, PartialEq)]
struct Packed {
    /// The file's bytes (or the body's alone) and where the body is.
    data: Vec<u8>,
    at: Span<usize>,
    raw_len: u64,
    tables: Tables,
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Packed")
            .field("body_len", &self.at.len())
            .field("raw_len", &self.raw_len)
            .field("ids", &self.tables.ids.len())
            .finish_non_exhaustive()
    }
}

/// The decompressed body as a byte stream.
type Unpacked<'a> = BufReader<zstd::stream::read::Decoder<'static, &'a [u8]>>;

/// Decompresses `body` as it is read: `raw_len` bytes at most, `budget`
/// bytes of memory for what the reader keeps.
fn unpacking(body: &[u8], raw_len: u64, budget: u64) -> Result<Input<Unpacked<'_>>, SyncError> {
    let mut z = zstd::stream::read::Decoder::with_buffer(body)
        .map_err(corrupt)?
        .single_frame();
    z.window_log_max(WINDOW_LOG_MAX).map_err(corrupt)?;
    Ok(Input::new(
        BufReader::with_capacity(64 << 10, z),
        raw_len,
        budget,
    ))
}

impl Packed {
    fn ops(&self) -> Result<Ops<'_, Unpacked<'_>>, SyncError> {
        let body = self.data.get(self.at.clone()).unwrap_or_default();
        let mut input = unpacking(body, self.raw_len, 0)?;
        Tables::skip(&mut input)?;
        Ops::new(input, &self.tables)
    }
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
    /// The operations, unpacked one at a time from the compressed body (a
    /// bundle of a million operations is never held unpacked). Every one
    /// was checked when the bundle was read, so none is missing here.
    pub fn ops(&self) -> impl Iterator<Item = Op> + '_ {
        self.body.ops().into_iter().flatten().map_while(Result::ok)
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
    assemble(header, &compressed, raw.len() as u64, key)
}

/// Writes a bundle around a body already encoded and compressed
/// (`raw_len` bytes before compression): the header's lengths filled in,
/// hashed, signed with `key` if given.
pub fn assemble(
    mut header: Header,
    compressed: &[u8],
    raw_len: u64,
    key: Option<&SigningKey>,
) -> Result<Vec<u8>, SyncError> {
    header.body_len = compressed.len() as u64;
    header.raw_len = raw_len;
    let head =
        bincode::serde::encode_to_vec(&header, bincode::config::standard()).map_err(corrupt)?;
    if head.len() > MAX_HEADER {
        return Err(SyncError::BadLength {
            what: format!("header {} > {MAX_HEADER}", head.len()),
        });
    }
    Ok(wrap(&head, compressed, key))
}

/// The file around an encoded header and a compressed body.
fn wrap(head: &[u8], compressed: &[u8], key: Option<&SigningKey>) -> Vec<u8> {
    let mut out =
        Vec::with_capacity(FIXED + head.len() + compressed.len() + TAIL_UNSIGNED + SIG_LEN);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&MAJOR.to_be_bytes());
    out.extend_from_slice(&MINOR.to_be_bytes());
    out.extend_from_slice(&(head.len() as u32).to_be_bytes());
    out.extend_from_slice(head);
    out.extend_from_slice(compressed);
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
    out
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

/// A bundle's parts checked before its body is unpacked.
struct Outside {
    major: u16,
    minor: u16,
    header: Header,
    hash: [u8; 32],
    signed_by: Option<[u8; 32]>,
    size: u64,
    /// Where the compressed body is in the file.
    body: Span<usize>,
}

/// Reads and checks a bundle from its bytes. Nothing is trusted before it
/// is checked; see the module doc for the order.
pub fn decode(bytes: &[u8]) -> Result<Bundle, SyncError> {
    let o = outside(bytes)?;
    let body = bytes[o.body.clone()].to_vec();
    let at = 0..body.len();
    unpack(o, body, at)
}

/// Checks everything but the body's content.
fn outside(bytes: &[u8]) -> Result<Outside, SyncError> {
    let size = bytes.len() as u64;
    if size > MAX_FILE {
        return Err(SyncError::BadLength {
            what: format!("file of {size} bytes > {MAX_FILE}"),
        });
    }
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
    let head_end = FIXED + head_len;
    if bytes.len() < head_end + TAIL_UNSIGNED {
        return Err(SyncError::Truncated);
    }
    // The signature kind sits 9 bytes before the end when unsigned, 105
    // when signed: the hash is where one of them finds it right.
    let end = bytes.len() - END.len();
    let unsigned = (bytes[end - 1] == 0).then_some(end - 1);
    let signed = end
        .checked_sub(1 + SIG_LEN)
        .filter(|at| bytes[*at] == 1 && *at >= head_end + 32);
    let hashed = |hash_end: usize| {
        let body_end = hash_end - 32;
        let hash = blake3::hash(&bytes[..body_end]);
        (hash.as_bytes()[..] == bytes[body_end..hash_end]).then_some(*hash.as_bytes())
    };
    let found = unsigned
        .and_then(|at| Some((at, hashed(at)?, false)))
        .or_else(|| signed.and_then(|at| Some((at, hashed(at)?, true))));
    let Some((hash_end, hash, signed)) = found else {
        return Err(SyncError::HashMismatch);
    };
    let signed_by = if signed {
        let sig = &bytes[hash_end + 1..end];
        let key: [u8; 32] = sig[..32].try_into().map_err(|_| SyncError::BadSignature)?;
        let sig: [u8; 64] = sig[32..].try_into().map_err(|_| SyncError::BadSignature)?;
        let vk = VerifyingKey::from_bytes(&key).map_err(|_| SyncError::BadSignature)?;
        vk.verify(&signed_message(&hash), &Signature::from_bytes(&sig))
            .map_err(|_| SyncError::BadSignature)?;
        Some(key)
    } else {
        None
    };
    let header = read_header(&bytes[FIXED..head_end])?;
    let body_end = hash_end - 32;
    if Some(body_end as u64) != (head_end as u64).checked_add(header.body_len) {
        return Err(SyncError::BadLength {
            what: "header, body and file size disagree".into(),
        });
    }
    Ok(Outside {
        major,
        minor,
        header,
        hash,
        signed_by,
        size,
        body: head_end..body_end,
    })
}

/// Checks the body (`data[at]`) and keeps it compressed: one zstd frame,
/// within [`MAX_RATIO`] of its size, tables within their budget, every
/// operation read once and checked against the header.
fn unpack(o: Outside, data: Vec<u8>, at: Span<usize>) -> Result<Bundle, SyncError> {
    let h = &o.header;
    let body = data.get(at.clone()).unwrap_or_default();
    let len = body.len() as u64;
    if h.raw_len > MAX_RAW || h.raw_len > len.saturating_mul(MAX_RATIO) + 4096 {
        return Err(SyncError::BadLength {
            what: format!("body of {len} bytes unpacks to {}", h.raw_len),
        });
    }
    if h.ops > h.raw_len {
        return Err(SyncError::BadLength {
            what: format!("{} operations in {} bytes", h.ops, h.raw_len),
        });
    }
    one_frame(body, h.raw_len)?;
    let budget = len
        .saturating_mul(TABLES_PER_BYTE)
        .saturating_add(1 << 20)
        .min(MAX_TABLES);
    let mut input = unpacking(body, h.raw_len, budget)?;
    let tables = Tables::read(&mut input)?;
    let mut ops = Ops::new(input, &tables)?;
    let mut ranges = Vec::new();
    let mut held = Held::default();
    let mut n = 0u64;
    for op in ops.by_ref() {
        let op = op?;
        n += 1;
        if n > h.ops {
            return Err(corrupt("more operations than the header says"));
        }
        held.add(&op)?;
        extend_ranges(&mut ranges, &op);
    }
    ops.finish()?;
    if n != h.ops {
        return Err(corrupt("operation count"));
    }
    if ranges != h.ranges {
        return Err(corrupt("ranges in the header do not match the body"));
    }
    let raw_len = h.raw_len;
    Ok(Bundle {
        major: o.major,
        minor: o.minor,
        header: o.header,
        body: Packed {
            data,
            at,
            raw_len,
            tables,
        },
        hash: o.hash,
        signed_by: o.signed_by,
        size: o.size,
    })
}

/// The body must be exactly one zstd frame: skippable frames (which
/// unpack to nothing) and further frames are refused, and a declared
/// content size must be the header's.
fn one_frame(body: &[u8], raw_len: u64) -> Result<(), SyncError> {
    let whole = zstd::zstd_safe::find_frame_compressed_size(body);
    if !body.starts_with(&ZSTD_MAGIC) || whole != Ok(body.len()) {
        return Err(corrupt("the body is not exactly one zstd frame"));
    }
    match zstd::zstd_safe::get_frame_content_size(body) {
        Ok(Some(n)) if n != raw_len => Err(SyncError::BadLength {
            what: format!("body unpacks to {n} bytes, not {raw_len}"),
        }),
        _ => Ok(()),
    }
}

/// Memory of the last [`APPLY_CHUNK`] operations unpacked (what an import
/// holds at once), which must stay under [`MAX_HELD`].
#[derive(Default)]
struct Held {
    sizes: Vec<u64>,
    oldest: usize,
    total: u64,
}

impl Held {
    fn add(&mut self, op: &Op) -> Result<(), SyncError> {
        let text = match &op.value {
            Some(crate::store::Value::Text(t)) => t.len(),
            _ => 0,
        };
        let size = (std::mem::size_of::<Op>()
            + op.author.len()
            + op.id.len()
            + op.field.len()
            + text
            + op.prev.len() * std::mem::size_of::<OpId>()) as u64;
        if self.sizes.len() < APPLY_CHUNK {
            self.sizes.push(size);
        } else {
            self.total -= self.sizes[self.oldest];
            self.sizes[self.oldest] = size;
            self.oldest = (self.oldest + 1) % APPLY_CHUNK;
        }
        self.total += size;
        if self.total > MAX_HELD {
            return Err(SyncError::Memory {
                field: "body (operations)".into(),
                limit: MAX_HELD,
            });
        }
        Ok(())
    }
}

/// Reads the header: every count checked against the bytes left before
/// anything is reserved, every string bounded, what is kept charged to a
/// budget. A newer minor version may append fields: trailing bytes are
/// skipped.
fn read_header(raw: &[u8]) -> Result<Header, SyncError> {
    let mut i = Input::new(raw, raw.len() as u64, 4 * MAX_HEADER as u64);
    let network = i.kept_string(MAX_NAME, "header.network")?;
    let office = i.kept_string(MAX_NAME, "header.office")?;
    let replica = i.replica("header.replica")?;
    let created = i.i64("header.created")?;
    let schema = i.u32("header.schema")?;
    let full = i.bool("header.full")?;
    let what = "header.vv";
    let n = i.count(17, u64::MAX, what)?;
    i.charge(n as u64 * 24, what)?;
    let mut vv = Vec::with_capacity(n);
    for _ in 0..n {
        vv.push((i.replica(what)?, i.u64(what)?));
    }
    let what = "header.ranges";
    let n = i.count(18, u64::MAX, what)?;
    i.charge(n as u64 * std::mem::size_of::<Range>() as u64, what)?;
    let mut ranges = Vec::with_capacity(n);
    for _ in 0..n {
        ranges.push(Range {
            origin: i.replica(what)?,
            first: i.u64(what)?,
            last: i.u64(what)?,
        });
    }
    let what = "header.offices";
    let n = i.count(17, u64::MAX, what)?;
    i.charge(n as u64 * (16 + STRING), what)?;
    let mut offices = Vec::with_capacity(n);
    for _ in 0..n {
        offices.push((i.replica(what)?, i.kept_string(MAX_NAME, what)?));
    }
    Ok(Header {
        network,
        office,
        replica,
        created,
        schema,
        full,
        vv,
        ranges,
        offices,
        ops: i.u64("header.ops")?,
        body_len: i.u64("header.body_len")?,
        raw_len: i.u64("header.raw_len")?,
    })
}

/// Reads a bundle file: a regular file of at most [`MAX_FILE`] bytes,
/// opened without blocking (a FIFO or a device is refused at once), read
/// whole, then checked as [`decode`] does. Call it before opening the
/// database, so nothing waits on the file with the database locked.
pub fn read_file(path: &std::path::Path) -> Result<Bundle, SyncError> {
    use crate::files::InputError;
    let shown = path.display().to_string();
    let bytes = crate::files::read_input(path, MAX_FILE).map_err(|e| match e {
        InputError::Io(e) => SyncError::Io {
            path: shown.clone(),
            message: e.to_string(),
        },
        InputError::NotRegular => SyncError::NotAFile {
            path: shown.clone(),
        },
        InputError::TooLarge { size, limit } => SyncError::TooLarge {
            path: shown.clone(),
            size,
            limit,
        },
    })?;
    let o = outside(&bytes)?;
    let at = o.body.clone();
    unpack(o, bytes, at)
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

    /// A zstd frame made by hand: a window of 2^`window_log` bytes, no
    /// declared size, `raw` in uncompressed blocks.
    fn frame(window_log: u8, raw: &[u8]) -> Vec<u8> {
        let mut f = ZSTD_MAGIC.to_vec();
        f.push(0);
        f.push((window_log - 10) << 3);
        let block = 1usize << window_log.min(16);
        let chunks: Vec<&[u8]> = raw.chunks(block).collect();
        for (i, c) in chunks.iter().enumerate() {
            let last = (i + 1 == chunks.len()) as u32;
            f.extend_from_slice(&(last | (c.len() as u32) << 3).to_le_bytes()[..3]);
            f.extend_from_slice(c);
        }
        f
    }

    fn raw_of(body: &Body) -> Vec<u8> {
        bincode::serde::encode_to_vec(body, bincode::config::standard()).unwrap()
    }

    /// The header [`encode`] writes for [`ops`].
    fn filled_header() -> Header {
        decode(&encode(header(), &ops(), None).unwrap())
            .unwrap()
            .header
    }

    /// The attack of issue [1/6] 1: skippable frames make a body look
    /// large (so the ratio allows a huge decompressed size) and unpack to
    /// nothing. Only one zstd frame, exactly the body, is read.
    #[test]
    fn skippable_frames_and_extra_frames_are_refused() {
        let raw = raw_of(&Body::pack(&ops()));
        let real = zstd::bulk::compress(&raw, 3).unwrap();
        let h = filled_header();
        let len = raw.len() as u64;
        assert!(decode(&assemble(h.clone(), &real, len, None).unwrap()).is_ok());
        let mut skippable = 0x184d_2a50u32.to_le_bytes().to_vec();
        skippable.extend_from_slice(&1000u32.to_le_bytes());
        skippable.extend_from_slice(&[0; 1000]);
        let one_frame = Err(corrupt("the body is not exactly one zstd frame"));
        for body in [
            [real.clone(), skippable.clone()].concat(),
            [skippable, real.clone()].concat(),
            [real.clone(), real.clone()].concat(),
        ] {
            assert_eq!(
                decode(&assemble(h.clone(), &body, len, None).unwrap()),
                one_frame
            );
        }
        // A declared size that is not the header's.
        assert!(matches!(
            decode(&assemble(h, &real, len + 1, None).unwrap()),
            Err(SyncError::BadLength { .. })
        ));
    }

    #[test]
    fn a_frame_needing_a_large_window_is_refused() {
        let raw = raw_of(&Body::pack(&ops()));
        let h = filled_header();
        let len = raw.len() as u64;
        let ok = assemble(h.clone(), &frame(WINDOW_LOG_MAX as u8, &raw), len, None).unwrap();
        assert_eq!(decode(&ok).unwrap().ops().collect::<Vec<_>>(), ops());
        let big = assemble(h, &frame(30, &raw), len, None).unwrap();
        assert!(matches!(decode(&big), Err(SyncError::Corrupt(_))));
    }

    /// The other half of the attack: empty strings cost one byte each in
    /// the file and 24 in memory. Four million of them (96 MB unpacked)
    /// in a 4 MB body are refused by the tables' budget before the table
    /// is reserved.
    #[test]
    fn a_table_of_empty_strings_is_refused_by_the_budget() {
        let n = 4_000_000u32;
        let mut raw = vec![0u8, 252];
        raw.extend_from_slice(&n.to_le_bytes());
        raw.resize(raw.len() + n as usize, 0);
        raw.extend_from_slice(&[0, 0, 0]);
        let mut h = header();
        h.vv = vec![];
        let file = assemble(h, &frame(20, &raw), raw.len() as u64, None).unwrap();
        assert_eq!(
            decode(&file),
            Err(SyncError::Memory {
                field: "body.authors".into(),
                limit: MAX_TABLES
            })
        );
    }

    #[test]
    fn operations_held_at_once_are_bounded() {
        let op = |text: usize| Op {
            value: Some(crate::store::Value::Text("x".repeat(text))),
            ..ops()[0].clone()
        };
        let mut held = Held::default();
        let small = op(2000);
        for _ in 0..3 * APPLY_CHUNK {
            held.add(&small).unwrap();
        }
        held.add(&op(1 << 20)).unwrap();
        let mut held = Held::default();
        let large = op(8000);
        let refused = (0..APPLY_CHUNK).find(|_| held.add(&large).is_err());
        assert!(refused.is_some_and(|n| n > 7000), "{refused:?}");
    }

    /// An absurd count or length in a correctly hashed header is refused
    /// before anything is reserved, naming the field.
    #[test]
    fn absurd_header_fields_are_refused_by_name() {
        let h = header();
        let prefix = |network: &str| {
            bincode::serde::encode_to_vec(
                (network, &h.office, h.replica, h.created, h.schema, h.full),
                bincode::config::standard(),
            )
            .unwrap()
        };
        let mut head = prefix(&h.network);
        head.push(253);
        head.extend_from_slice(&(1u64 << 40).to_le_bytes());
        assert!(matches!(
            decode(&wrap(&head, &[], None)),
            Err(SyncError::Limit { field, found, .. }) if field == "header.vv" && found == 1 << 40
        ));
        let head = prefix(&"区".repeat(400));
        assert!(matches!(
            decode(&wrap(&head, &[], None)),
            Err(SyncError::Limit { field, found: 1200, limit: 1024 }) if field == "header.network"
        ));
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
