//! The hybrid logical clock (Kulkarni et al. 2014), and who and where we are.
//!
//! A timestamp is `milliseconds << 16 | counter` in one `u64`: 48 bits of
//! wall-clock milliseconds (enough until the year 10889) and a 16-bit logical
//! counter. A new local timestamp is the greater of the wall clock and the
//! last timestamp plus one, so timestamps only grow, stay close to real time,
//! and an operation is always later than every operation its database had
//! seen (the clock is advanced by every operation received); when the counter
//! overflows it carries into the milliseconds.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Local, TimeZone, Utc};

const MS_MASK: u64 = (1 << 48) - 1;

/// Milliseconds since the Unix epoch, now.
pub fn wall_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The hybrid clock's state: the last timestamp issued or seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    pub last: u64,
}

impl Clock {
    /// A new timestamp for a local event, given the wall clock.
    pub fn tick(&mut self, wall_ms: u64) -> u64 {
        let wall = (wall_ms & MS_MASK) << 16;
        self.last = wall.max(self.last.saturating_add(1));
        self.last
    }

    /// Takes note of a timestamp from another database.
    pub fn observe(&mut self, remote: u64) {
        self.last = self.last.max(remote);
    }
}

/// The wall-clock time of a timestamp (UTC).
pub fn hlc_time(hlc: u64) -> Option<DateTime<Utc>> {
    Utc.timestamp_millis_opt((hlc >> 16) as i64).single()
}

/// The wall-clock time of a timestamp, in local time.
pub fn hlc_local(hlc: u64) -> Option<DateTime<Local>> {
    hlc_time(hlc).map(|t| t.with_timezone(&Local))
}

/// Longest author name recorded (Unix user names are at most 32).
const AUTHOR_MAX: usize = 64;

/// The operating-system user: `$USER`, `$LOGNAME`, else the password entry of
/// the real user id, else the numeric id. Recorded as the author of every
/// change and sent to other offices, so it is kept printable and short
/// whatever the environment says.
pub fn os_user() -> String {
    for var in ["USER", "LOGNAME"] {
        if let Ok(u) = std::env::var(var) {
            let u: String = u
                .trim()
                .chars()
                .filter(|c| !crate::model::bounds::is_unsafe_char(*c))
                .take(AUTHOR_MAX)
                .collect();
            if !u.is_empty() {
                return u;
            }
        }
    }
    // SAFETY: getuid cannot fail; getpwuid_r writes only into the buffers we
    // pass and sets `result` to null or to `pwd`.
    unsafe {
        let uid = libc::getuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
            let name = std::ffi::CStr::from_ptr(pwd.pw_name).to_string_lossy();
            if !name.is_empty() {
                return name.into_owned();
            }
        }
        format!("uid{uid}")
    }
}

/// This machine's host name, if it has one.
pub fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most `len` bytes into `buf`.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) };
    if rc != 0 {
        return None;
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    let name = String::from_utf8_lossy(&buf[..end]).trim().to_string();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_grow_and_follow_the_wall() {
        let mut c = Clock::default();
        let a = c.tick(1_000);
        assert_eq!(a, 1_000 << 16);
        // Same millisecond: the counter grows.
        let b = c.tick(1_000);
        assert_eq!(b, a + 1);
        // The wall clock went back: still later than before.
        let d = c.tick(900);
        assert!(d > b);
        // The wall clock moved on.
        let e = c.tick(2_000);
        assert_eq!(e, 2_000 << 16);
        assert_eq!(hlc_time(e).unwrap().timestamp_millis(), 2_000);
    }

    #[test]
    fn remote_time_is_observed() {
        let mut c = Clock::default();
        c.tick(1_000);
        c.observe(5_000 << 16 | 7);
        assert_eq!(c.tick(1_000), (5_000 << 16) | 8);
        c.observe(1);
        assert_eq!(c.tick(1_000), (5_000 << 16) | 9);
    }

    #[test]
    fn counter_overflow_carries() {
        let mut c = Clock {
            last: (1_000 << 16) | 0xffff,
        };
        assert_eq!(c.tick(1_000), 1_001 << 16);
    }

    #[test]
    fn user_and_host() {
        assert!(!os_user().is_empty());
        if let Some(h) = host_name() {
            assert!(!h.contains('\0'));
        }
    }
}
