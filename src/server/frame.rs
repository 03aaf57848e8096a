//! Frames on the server's socket ([4/6]): every message is one frame, a
//! fixed header and a bincode body, bounded in size, so a client that
//! sends garbage, a truncated frame or a huge length prefix costs the
//! server one closed connection, never its memory or its other clients.
//!
//! ```text
//! magic "SSHF" (4) | protocol version u16 BE | body length u32 BE | body
//! ```
//!
//! A peer of another protocol version is refused by the version field
//! before its body is read, with both versions named, so the message can
//! say which side to restart.

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The four bytes every frame starts with.
pub const MAGIC: [u8; 4] = *b"SSHF";
/// This build's protocol version; bumped whenever a message changes.
pub const VERSION: u16 = 1;
/// The largest body accepted (a page of records, a bundle's summary).
pub const MAX_BODY: u32 = 16 << 20;
/// The largest frame a client takes from its server (a district's table of
/// organizations is tens of MB): the server is trusted, the bound only
/// keeps a broken one from asking for all memory.
pub const MAX_REPLY: u32 = 1 << 30;
const HEADER: usize = 10;

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The peer closed the connection between frames.
    #[error("connection closed")]
    Closed,
    #[error("not a sanshe frame")]
    BadMagic,
    /// The peer speaks another protocol version.
    #[error("protocol version {theirs}, this program speaks {ours}")]
    Version { theirs: u16, ours: u16 },
    #[error("frame of {0} bytes, more than the limit")]
    TooLarge(u32),
    #[error("frame body does not decode: {0}")]
    Body(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<{ MAX_REPLY as usize }>()
}

/// Writes `msg` as one frame (one write of header and body).
pub fn write<T: Serialize>(w: &mut impl Write, msg: &T) -> Result<(), FrameError> {
    let body = bincode::serde::encode_to_vec(msg, config())
        .map_err(|e| FrameError::Body(e.to_string()))?;
    let len = u32::try_from(body.len())
        .ok()
        .filter(|n| *n <= MAX_REPLY)
        .ok_or(FrameError::TooLarge(u32::MAX))?;
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    w.write_all(&out)?;
    w.flush()?;
    Ok(())
}

/// Reads one frame: its header is checked (magic, version, length within
/// [`MAX_BODY`]) before any of the body is read or allocated.
pub fn read<T: DeserializeOwned>(r: &mut impl Read) -> Result<T, FrameError> {
    read_max(r, MAX_BODY)
}

/// [`read`] of a server's answer: up to [`MAX_REPLY`].
pub fn read_reply<T: DeserializeOwned>(r: &mut impl Read) -> Result<T, FrameError> {
    read_max(r, MAX_REPLY)
}

fn read_max<T: DeserializeOwned>(r: &mut impl Read, max: u32) -> Result<T, FrameError> {
    let mut head = [0u8; HEADER];
    match r.read_exact(&mut head[..1]) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        other => other?,
    }
    r.read_exact(&mut head[1..])?;
    if head[..4] != MAGIC {
        return Err(FrameError::BadMagic);
    }
    let theirs = u16::from_be_bytes([head[4], head[5]]);
    if theirs != VERSION {
        return Err(FrameError::Version {
            theirs,
            ours: VERSION,
        });
    }
    let len = u32::from_be_bytes([head[6], head[7], head[8], head[9]]);
    if len > max {
        return Err(FrameError::TooLarge(len));
    }
    let mut body = vec![0u8; len as usize];
    r.read_exact(&mut body)?;
    let (msg, used) = bincode::serde::decode_from_slice(&body, config())
        .map_err(|e| FrameError::Body(e.to_string()))?;
    if used != body.len() {
        return Err(FrameError::Body(format!(
            "{} bytes left over",
            body.len() - used
        )));
    }
    Ok(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Cursor;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    enum Msg {
        Hello { user: String, pid: u32 },
        Names(Vec<String>),
    }

    #[test]
    fn a_frame_round_trips() {
        let msg = Msg::Hello {
            user: "wangli".into(),
            pid: 42,
        };
        let mut buf = Vec::new();
        write(&mut buf, &msg).unwrap();
        write(&mut buf, &Msg::Names(vec!["望江门社区银龄互助会".into()])).unwrap();
        let mut r = Cursor::new(buf);
        assert_eq!(read::<Msg>(&mut r).unwrap(), msg);
        assert!(matches!(read::<Msg>(&mut r).unwrap(), Msg::Names(_)));
        assert!(matches!(read::<Msg>(&mut r), Err(FrameError::Closed)));
    }

    #[test]
    fn another_version_is_refused_naming_both() {
        let mut buf = Vec::new();
        write(&mut buf, &Msg::Names(vec![])).unwrap();
        buf[4..6].copy_from_slice(&7u16.to_be_bytes());
        match read::<Msg>(&mut Cursor::new(buf)) {
            Err(FrameError::Version { theirs: 7, ours }) => assert_eq!(ours, VERSION),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_huge_length_prefix_is_refused_before_allocating() {
        let mut buf = MAGIC.to_vec();
        buf.extend_from_slice(&VERSION.to_be_bytes());
        buf.extend_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            read::<Msg>(&mut Cursor::new(buf)),
            Err(FrameError::TooLarge(u32::MAX))
        ));
    }

    #[test]
    fn a_body_claiming_a_huge_list_is_refused_not_allocated() {
        // Variant 1 (Names), then a list length of 2^62 (varint: 0xFD + u64).
        let mut body = vec![1u8, 0xFD];
        body.extend_from_slice(&(1u64 << 62).to_le_bytes());
        let mut buf = MAGIC.to_vec();
        buf.extend_from_slice(&VERSION.to_be_bytes());
        buf.extend_from_slice(&(body.len() as u32).to_be_bytes());
        buf.extend_from_slice(&body);
        assert!(matches!(
            read::<Msg>(&mut Cursor::new(buf)),
            Err(FrameError::Body(_))
        ));
    }

    #[test]
    fn a_truncated_frame_is_an_error_not_a_message() {
        let mut buf = Vec::new();
        write(&mut buf, &Msg::Names(vec!["一".into(), "二".into()])).unwrap();
        for cut in 1..buf.len() {
            assert!(read::<Msg>(&mut Cursor::new(&buf[..cut])).is_err(), "{cut}");
        }
    }

    proptest! {
        /// Any bytes at all: an error or a message, never a panic, and
        /// never more than the limit allocated.
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read::<Msg>(&mut Cursor::new(bytes));
        }

        /// A valid header in front of random bytes: refused or decoded,
        /// never a panic.
        #[test]
        fn random_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let mut buf = MAGIC.to_vec();
            buf.extend_from_slice(&VERSION.to_be_bytes());
            buf.extend_from_slice(&(body.len() as u32).to_be_bytes());
            buf.extend_from_slice(&body);
            let _ = read::<Msg>(&mut Cursor::new(buf));
        }
    }
}
