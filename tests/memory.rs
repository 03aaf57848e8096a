//! Memory the app keeps at district scale (issue [2/6]: 100,000
//! organizations and 200,000 activities held 340 MB after every pane). A
//! counting allocator measures the bytes a structure keeps; the limits are
//! per record, with room for the allocator's rounding.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use sanshe::model::Record;
use sanshe::report::{ActivityLog, Slot};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - layout.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Bytes `make` leaves allocated (what it returns keeps).
fn kept<T>(make: impl FnOnce() -> T) -> (T, isize) {
    let before = LIVE.load(Ordering::SeqCst);
    let value = make();
    (value, LIVE.load(Ordering::SeqCst) - before)
}

fn slots(n: usize) -> impl Iterator<Item = Slot> {
    let holders: Vec<sanshe::demo::Holder> = (0..5_000)
        .map(|i| {
            (
                format!("qbx7m2-{i}"),
                Some(format!(
                    "J{:03}-{:02}-{:02}",
                    i / 500,
                    i % 10 + 1,
                    i % 5 + 1
                )),
            )
        })
        .collect();
    let activities = sanshe::demo::generate_activities(holders, n, 7).unwrap();
    activities.enumerate().filter_map(|(i, r)| match r {
        Record::Activity(a) => Some(Slot {
            id: format!("k3v9qa-{}", i + 1000),
            community: a.grid.as_ref().map(|g| g[..7].to_string()),
            activity: a,
        }),
        _ => None,
    })
}

/// The activities pane and the bulletin keep every activity in an
/// `ActivityLog`. It kept each as a full record (id, community and every
/// field as its own `String`): about 560 bytes an activity, 110 MB of the
/// app at 200,000. Packed, it keeps under 60 % of the full records alone.
#[test]
fn the_activity_log_keeps_less_than_the_records() {
    const N: usize = 50_000;
    let (full, full_bytes) = kept(|| slots(N).collect::<Vec<Slot>>());
    drop(full);
    let (log, bytes) = kept(|| ActivityLog::build(slots(N)));
    assert_eq!(log.len(), N);
    let (per, full_per) = (bytes / N as isize, full_bytes / N as isize);
    eprintln!("activity log: {per} bytes an activity; the records alone: {full_per}");
    assert!(
        per * 10 < full_per * 6,
        "{per} bytes an activity, records {full_per}"
    );
}
