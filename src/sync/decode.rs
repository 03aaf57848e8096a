//! Reading bincode 2's standard encoding (what a bundle's header and body
//! are written in; see `docs/SYNC.md`) from untrusted bytes, bounded:
//!
//! - at most the declared number of bytes is read ([`Input::left`]), and a
//!   count is checked against what is left before anything is reserved
//!   (every element takes at least one byte, most more);
//! - what is kept is charged to a memory budget at its size in memory (an
//!   empty string costs one byte on the wire and 24 in memory), so a file
//!   of a few hundred KB cannot make us allocate gigabytes;
//! - every string has a maximum length, checked before it is read.
//!
//! Errors name the field (`body.authors`, `header.vv`...) and the limit.

use std::io::BufRead;

use super::error::SyncError;

/// Size in memory of a `String` (or a `Vec`) without its heap bytes.
pub const STRING: u64 = std::mem::size_of::<String>() as u64;

/// A reader of one encoded value: `left` bytes at most, `budget` bytes of
/// memory at most for what the caller keeps.
pub struct Input<R> {
    src: R,
    left: u64,
    budget: u64,
    /// The whole budget (for messages).
    limit: u64,
}

fn short(what: &str) -> SyncError {
    SyncError::Corrupt(format!("{what}: ends early"))
}

impl<R: BufRead> Input<R> {
    /// Reads at most `len` bytes of `src`; `budget` bytes may be charged.
    pub fn new(src: R, len: u64, budget: u64) -> Self {
        Input {
            src,
            left: len,
            budget,
            limit: budget,
        }
    }

    /// Bytes that may still be read.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// Whether the source has nothing more (beyond the declared length).
    pub fn at_end(&mut self) -> Result<bool, SyncError> {
        let buf = self.src.fill_buf().map_err(|e| corrupt(&e))?;
        Ok(buf.is_empty())
    }

    /// Charges `bytes` of memory to the budget.
    pub fn charge(&mut self, bytes: u64, what: &str) -> Result<(), SyncError> {
        match self.budget.checked_sub(bytes) {
            Some(b) => {
                self.budget = b;
                Ok(())
            }
            None => Err(SyncError::Memory {
                field: what.to_string(),
                limit: self.limit,
            }),
        }
    }

    /// Fills `out` from the source.
    pub fn exact(&mut self, out: &mut [u8], what: &str) -> Result<(), SyncError> {
        let n = out.len() as u64;
        if n > self.left {
            return Err(short(what));
        }
        let mut at = 0;
        while at < out.len() {
            let buf = self.src.fill_buf().map_err(|e| corrupt(&e))?;
            if buf.is_empty() {
                return Err(short(what));
            }
            let k = buf.len().min(out.len() - at);
            out[at..at + k].copy_from_slice(&buf[..k]);
            self.src.consume(k);
            at += k;
        }
        self.left -= n;
        Ok(())
    }

    /// Skips `n` bytes.
    pub fn skip(&mut self, mut n: u64, what: &str) -> Result<(), SyncError> {
        if n > self.left {
            return Err(short(what));
        }
        self.left -= n;
        while n > 0 {
            let buf = self.src.fill_buf().map_err(|e| corrupt(&e))?;
            if buf.is_empty() {
                return Err(short(what));
            }
            let k = (buf.len() as u64).min(n) as usize;
            self.src.consume(k);
            n -= k as u64;
        }
        Ok(())
    }

    /// One byte.
    pub fn u8(&mut self, what: &str) -> Result<u8, SyncError> {
        if self.left == 0 {
            return Err(short(what));
        }
        let buf = self.src.fill_buf().map_err(|e| corrupt(&e))?;
        let Some(&b) = buf.first() else {
            return Err(short(what));
        };
        self.src.consume(1);
        self.left -= 1;
        Ok(b)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], SyncError> {
        let mut b = [0u8; N];
        self.exact(&mut b, what)?;
        Ok(b)
    }

    /// A replica id (16 raw bytes).
    pub fn replica(&mut self, what: &str) -> Result<[u8; 16], SyncError> {
        self.array(what)
    }

    /// A `bool`: 0 or 1.
    pub fn bool(&mut self, what: &str) -> Result<bool, SyncError> {
        match self.u8(what)? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(SyncError::Corrupt(format!("{what}: {b} is not a boolean"))),
        }
    }

    /// The tag of an `Option`: whether a value follows.
    pub fn some(&mut self, what: &str) -> Result<bool, SyncError> {
        self.bool(what)
    }

    /// A variable-length unsigned integer: one byte below 251, else 251,
    /// 252 or 253 then 2, 4 or 8 little-endian bytes.
    pub fn u64(&mut self, what: &str) -> Result<u64, SyncError> {
        match self.u8(what)? {
            b @ 0..=250 => Ok(b as u64),
            251 => Ok(u16::from_le_bytes(self.array(what)?) as u64),
            252 => Ok(u32::from_le_bytes(self.array(what)?) as u64),
            253 => Ok(u64::from_le_bytes(self.array(what)?)),
            b => Err(SyncError::Corrupt(format!("{what}: integer marker {b}"))),
        }
    }

    /// A variable-length `u32`.
    pub fn u32(&mut self, what: &str) -> Result<u32, SyncError> {
        u32::try_from(self.u64(what)?)
            .map_err(|_| SyncError::Corrupt(format!("{what}: integer too large")))
    }

    /// A variable-length `i64` (zig-zag).
    pub fn i64(&mut self, what: &str) -> Result<i64, SyncError> {
        let n = self.u64(what)?;
        Ok((n >> 1) as i64 ^ -((n & 1) as i64))
    }

    /// An `f64`: 8 little-endian bytes.
    pub fn f64(&mut self, what: &str) -> Result<f64, SyncError> {
        Ok(f64::from_le_bytes(self.array(what)?))
    }

    /// The count of a sequence whose elements take at least `min_size`
    /// bytes each, checked against the bytes left and against `max`.
    pub fn count(&mut self, min_size: u64, max: u64, what: &str) -> Result<usize, SyncError> {
        let n = self.u64(what)?;
        let fits = self.left / min_size.max(1);
        if n > fits.min(max) {
            return Err(SyncError::Limit {
                field: what.to_string(),
                found: n,
                limit: fits.min(max),
            });
        }
        usize::try_from(n).map_err(|_| SyncError::Corrupt(format!("{what}: count")))
    }

    /// The length of a string, checked against `max` and the bytes left.
    fn string_len(&mut self, max: usize, what: &str) -> Result<usize, SyncError> {
        let n = self.u64(what)?;
        if n > max as u64 {
            return Err(SyncError::Limit {
                field: what.to_string(),
                found: n,
                limit: max as u64,
            });
        }
        if n > self.left {
            return Err(short(what));
        }
        Ok(n as usize)
    }

    /// A UTF-8 string of at most `max` bytes, for the caller to use and
    /// drop (not charged; see [`Input::kept_string`]).
    pub fn string(&mut self, max: usize, what: &str) -> Result<String, SyncError> {
        let n = self.string_len(max, what)?;
        self.string_of(n, what)
    }

    /// A UTF-8 string of at most `max` bytes the caller keeps: its heap
    /// bytes are charged (the caller charges the `String` itself, with the
    /// container that holds it).
    pub fn kept_string(&mut self, max: usize, what: &str) -> Result<String, SyncError> {
        let n = self.string_len(max, what)?;
        self.charge(n as u64, what)?;
        self.string_of(n, what)
    }

    fn string_of(&mut self, n: usize, what: &str) -> Result<String, SyncError> {
        let mut bytes = vec![0u8; n];
        self.exact(&mut bytes, what)?;
        String::from_utf8(bytes)
            .map_err(|_| SyncError::Corrupt(format!("{what}: text is not UTF-8")))
    }

    /// Skips a string of at most `max` bytes.
    pub fn skip_string(&mut self, max: usize, what: &str) -> Result<(), SyncError> {
        let n = self.string_len(max, what)?;
        self.skip(n as u64, what)
    }
}

fn corrupt(e: &std::io::Error) -> SyncError {
    SyncError::Corrupt(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc<T: serde::Serialize>(v: &T) -> Vec<u8> {
        bincode::serde::encode_to_vec(v, bincode::config::standard()).unwrap()
    }

    fn input(b: &[u8]) -> Input<&[u8]> {
        Input::new(b, b.len() as u64, 1 << 20)
    }

    #[test]
    fn reads_what_bincode_writes() {
        for n in [0u64, 1, 250, 251, 65_535, 65_536, u32::MAX as u64, u64::MAX] {
            assert_eq!(input(&enc(&n)).u64("n").unwrap(), n);
        }
        for n in [0i64, -1, 1, i64::MIN, i64::MAX, -300, 300] {
            assert_eq!(input(&enc(&n)).i64("n").unwrap(), n);
        }
        assert_eq!(input(&enc(&u32::MAX)).u32("n").unwrap(), u32::MAX);
        assert!(input(&enc(&(u32::MAX as u64 + 1))).u32("n").is_err());
        assert_eq!(input(&enc(&1.5f64)).f64("f").unwrap(), 1.5);
        let s = "北山街道".to_string();
        assert_eq!(input(&enc(&s)).string(64, "s").unwrap(), s);
        assert!(matches!(
            input(&enc(&s)).string(4, "body.ids"),
            Err(SyncError::Limit {
                found: 12,
                limit: 4,
                ..
            })
        ));
        assert!(input(&enc(&Some(true))).some("o").unwrap());
        assert!(input(&[2]).bool("b").is_err());
        assert!(input(&[254, 0, 0]).u64("n").is_err());
    }

    #[test]
    fn counts_are_checked_before_anything_is_reserved() {
        // 2^40 entries declared, three bytes follow.
        let mut b = enc(&(1u64 << 40));
        b.extend_from_slice(&[0, 0, 0]);
        let mut i = input(&b);
        assert_eq!(
            i.count(1, u64::MAX, "body.ids"),
            Err(SyncError::Limit {
                field: "body.ids".into(),
                found: 1 << 40,
                limit: 3
            })
        );
        let mut i = input(&[5, 0, 0, 0, 0, 0]);
        assert_eq!(i.count(1, u64::MAX, "x").unwrap(), 5);
        let mut i = input(&[5, 0, 0, 0, 0, 0]);
        assert!(i.count(2, u64::MAX, "x").is_err());
        let mut i = input(&[5, 0, 0, 0, 0, 0]);
        assert!(i.count(1, 4, "x").is_err());
    }

    #[test]
    fn the_budget_and_the_declared_length_hold() {
        let b = enc(&"abcdef".to_string());
        let mut i = Input::new(&b[..], b.len() as u64, 5);
        assert_eq!(
            i.kept_string(64, "body.fields"),
            Err(SyncError::Memory {
                field: "body.fields".into(),
                limit: 5
            })
        );
        // Fewer bytes declared than the source holds: the rest is not read.
        let mut i = Input::new(&b[..], 3, 100);
        assert!(i.string(64, "s").is_err());
        let mut i = Input::new(&[1u8, 2, 3][..], 2, 0);
        i.skip(2, "x").unwrap();
        assert!(i.u8("x").is_err());
        assert!(!i.at_end().unwrap());
    }
}
