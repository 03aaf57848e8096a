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

/// One test at a time: the tests of this file run on several threads and
/// the counter is global.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn alone() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

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
    let _alone = alone();
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

/// Bytes each organization costs in the data of the panes that list every
/// organization by name (activities: the picker and the list's names;
/// linkage: the providers; evaluations: the rows). They kept two or three
/// copies of every id and name each (maps by id beside the lists, the
/// pinyin key in every evaluation row).
#[test]
fn panes_keep_one_copy_of_each_organization() {
    use sanshe::tui::panes::{activities, evaluations, linkage};
    let _alone = alone();
    const N: usize = 3_000;
    let dir = tempfile::tempdir().unwrap();
    let store = sanshe::store::Store::open(dir.path()).unwrap();
    sanshe::demo::load(&store, sanshe::demo::generate(N, 3)).unwrap();
    // Warm the caches beside the database, so that what is measured is
    // what the panes keep.
    drop(activities::data::load(&store).unwrap());
    let today = sanshe::demo::REFERENCE_DATE;
    drop(linkage::data::load(&store, today).unwrap());
    let rubric = sanshe::model::Rubric::shipped();
    drop(evaluations::data::load(&store, rubric.clone()).unwrap());

    let (a, act) = kept(|| activities::data::load(&store).unwrap());
    let (l, link) = kept(|| linkage::data::load(&store, today).unwrap());
    let (e, eval) = kept(|| evaluations::data::load(&store, rubric).unwrap());
    assert_eq!(a.orgs.len(), N);
    assert_eq!(e.rows.len(), N);
    assert!(l.provider_list.len() >= N);
    let per = |b: isize| b / N as isize;
    eprintln!(
        "bytes an organization: activities {}, linkage {}, evaluations {}",
        per(act),
        per(link),
        per(eval)
    );
    assert!(per(act) < 200, "activities: {}", per(act));
    assert!(per(link) < 130, "linkage: {}", per(link));
    assert!(per(eval) < 160, "evaluations: {}", per(eval));
}
