//! Sync facts as text for people, shared by the command line and the
//! terminal app: sizes, times, clock stamps, field values, an import that
//! did not finish. Names and values from other offices are shown with
//! unprintable characters escaped (`text::printable`).

use crate::store::{hlc_local, ApplyReport, Fork, UnfinishedImport, Value};
use crate::text::printable;
use crate::tr;

/// A byte count for people: 812 B, 14.2 KB, 3.1 MB.
pub fn human_size(n: u64) -> String {
    match n {
        0..=1023 => format!("{n} B"),
        1024..=1_048_575 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

/// An import that did not end, and what to do about it.
pub fn unfinished_text(u: &UnfinishedImport) -> String {
    tr!(
        "sync.unfinished",
        office = printable(&u.office),
        time = ms_time(Some(u.started))
    )
}

/// What people must know after an import beyond its counts: changes kept
/// apart as divergent, a sender or this database restored from a backup.
pub fn import_notes(a: &ApplyReport, office: &str) -> Vec<String> {
    let mut out = Vec::new();
    if a.divergent > 0 {
        out.push(tr!("sync.divergent", n = a.divergent));
    }
    if a.invalid > 0 {
        out.push(tr!("sync.invalid", n = a.invalid));
    }
    if a.sender_restored {
        out.push(tr!("sync.sender_restored", office = printable(office)));
    }
    if a.self_restored {
        out.push(tr!("sync.self_restored"));
    }
    out
}

/// Why this database took a new replica id when it was opened.
pub fn fork_note(fork: Fork) -> String {
    match fork {
        Fork::Copied => tr!("sync.forked_copied"),
        Fork::Behind => tr!("sync.forked_behind"),
    }
}

/// A Unix-millisecond time as local "YYYY-MM-DD HH:MM" (or "never").
pub fn ms_time(ms: Option<i64>) -> String {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| tr!("sync.never"))
}

/// A hybrid logical clock stamp as local time.
pub fn hlc_text(hlc: u64) -> String {
    hlc_local(hlc)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// A field value as text, on one line with unprintable characters escaped.
pub fn value_text(v: &Option<Value>) -> String {
    match v {
        None => tr!("sync.removed"),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::Float(f)) => f.to_string(),
        Some(Value::Text(s)) => printable(s).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(14_540), "14.2 KB");
        assert_eq!(human_size(3_250_586), "3.1 MB");
    }

    #[test]
    fn values_from_elsewhere_are_escaped() {
        let v = Some(Value::Text("x\x1b]0;t\x07\ny".into()));
        assert_eq!(value_text(&v), "x<U+001B>]0;t<U+0007>\\ny");
    }
}
