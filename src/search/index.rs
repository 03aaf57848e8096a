//! [`NameIndex`]: the names of a large list (100,000 organizations), kept
//! ready for search and updated on each change.
//!
//! Per name the index keeps its pinyin sort key (which ends with the name
//! itself) in one shared string, and a 64-bit mask of the letters of every
//! reading of every character: a query whose letters are not all in the
//! mask is rejected with one AND. Readings are not stored: they come from
//! the shared syllable table, an array lookup per character.
//!
//! The pinyin order of all names (for results with equal scores and for the
//! empty query) is sorted once, at the first search, and then maintained on
//! each insert and removal; after many changes in a row it is dropped and
//! sorted again at the next search.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::collate::write_sort_key;
use super::query::{name_mask, Query, Scratch};
use super::Hit;

/// After this many changes while the order is kept, drop it and sort again
/// at the next search: each kept change costs O(n), a sort O(n log n).
const EDITS_BEFORE_RESORT: usize = 256;
/// Compact the shared string once removed text exceeds this and half of it.
const COMPACT_AFTER: usize = 1 << 20;

/// Search index over names, each under a caller's `u32` key.
///
/// ```
/// use sanshe::search::NameIndex;
/// let mut index = NameIndex::new();
/// index.insert(1, "望江门社区银龄互助会");
/// index.insert(2, "湖滨晴雨志愿队");
/// index.insert(3, "西湖社区书画协会");
/// assert_eq!(index.search("wjm")[0].key, 1);
/// assert_eq!(index.search("hubin")[0].key, 2);
/// assert_eq!(index.positions(2, "hubin"), [0, 1]);
/// // Empty query: everything, in pinyin order.
/// let all: Vec<u32> = index.search("").iter().map(|h| h.key).collect();
/// assert_eq!(all, [2, 1, 3]);
/// ```
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct NameIndex {
    slots: Vec<Slot>,
    /// Prefilter mask per slot; 0 for a free slot.
    masks: Vec<u64>,
    free: Vec<u32>,
    by_key: HashMap<u32, u32, BuildHasherDefault<KeyHasher>>,
    /// Sort keys of all names, one after another.
    text: String,
    /// Bytes of `text` no longer used by any slot.
    garbage: usize,
    /// Slots in pinyin order, built at the first search (not sent: the
    /// receiver sorts again).
    #[serde(skip)]
    order: OnceLock<Order>,
}

#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
struct Slot {
    key: u32,
    live: bool,
    /// Sort key: `text[start..start + len]`; the name is its last
    /// `name_len` bytes.
    start: usize,
    len: usize,
    name_len: usize,
}

#[derive(Clone)]
struct Order {
    /// Live slots in pinyin order.
    sorted: Vec<u32>,
    /// Their keys, in the same order (saves a lookup per hit).
    keys: Vec<u32>,
    /// Changes applied since it was sorted.
    edits: usize,
    /// Position of each slot in `sorted` (`u32::MAX` for free slots).
    rank: Vec<u32>,
}

/// Hash for `u32` keys (the standard SipHash is several times slower, and
/// the keys are not attacker-controlled).
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        // Fold the well-mixed high bits into the low bits the table uses,
        // so keys that differ only in high bits do not collide.
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Orders hits by score (descending), then pinyin rank, in one `u64`.
#[inline]
fn pack(score: i32, rank: u32) -> u64 {
    let ordered = (score as u32) ^ 0x8000_0000;
    (u64::from(!ordered) << 32) | u64::from(rank)
}

#[inline]
fn unpack(packed: u64) -> (i32, u32) {
    let ordered = !((packed >> 32) as u32);
    ((ordered ^ 0x8000_0000) as i32, packed as u32)
}

impl std::fmt::Debug for NameIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameIndex")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl NameIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether there are no names.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Whether `key` is in the index.
    pub fn contains(&self, key: u32) -> bool {
        self.by_key.contains_key(&key)
    }

    /// Adds `name` under `key`, replacing the name `key` had.
    pub fn insert(&mut self, key: u32, name: &str) {
        self.remove(key);
        let start = self.text.len();
        write_sort_key(name, &mut self.text);
        let slot = Slot {
            key,
            live: true,
            start,
            len: self.text.len() - start,
            name_len: name.len(),
        };
        let mask = name_mask(name);
        let index = match self.free.pop() {
            Some(index) => {
                self.slots[index as usize] = slot;
                self.masks[index as usize] = mask;
                index
            }
            None => {
                self.slots.push(slot);
                self.masks.push(mask);
                (self.slots.len() - 1) as u32
            }
        };
        self.by_key.insert(key, index);
        let pos = match self.order.get() {
            Some(order) if order.edits < EDITS_BEFORE_RESORT => Some(
                order
                    .sorted
                    .partition_point(|&other| self.before(other, index)),
            ),
            _ => None,
        };
        match (pos, self.order.get_mut()) {
            (Some(pos), Some(order)) => {
                order.edits += 1;
                order.sorted.insert(pos, index);
                order.keys.insert(pos, key);
                if order.rank.len() < self.slots.len() {
                    order.rank.resize(self.slots.len(), u32::MAX);
                }
                order.renumber(pos);
            }
            // Too many changes: sort again at the next search.
            (None, Some(_)) => self.order = OnceLock::new(),
            (_, None) => {}
        }
    }

    /// Removes `key` and its name; nothing happens if it is not there.
    pub fn remove(&mut self, key: u32) {
        let Some(index) = self.by_key.remove(&key) else {
            return;
        };
        let slot = &mut self.slots[index as usize];
        slot.live = false;
        self.garbage += slot.len;
        self.masks[index as usize] = 0;
        self.free.push(index);
        if let Some(order) = self.order.get_mut() {
            if order.edits >= EDITS_BEFORE_RESORT {
                self.order = OnceLock::new();
            } else {
                order.edits += 1;
                let pos = order.rank[index as usize] as usize;
                order.sorted.remove(pos);
                order.keys.remove(pos);
                order.rank[index as usize] = u32::MAX;
                order.renumber(pos);
            }
        }
        if self.garbage > COMPACT_AFTER && self.garbage > self.text.len() / 2 {
            self.compact();
        }
    }

    /// Every key whose name matches `query`, best first: by score, then in
    /// pinyin order. The empty query returns every key, score 0, in pinyin
    /// order. Positions are not computed; ask [`positions`](Self::positions)
    /// for the rows on screen.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let query = Query::new(query);
        let order = self.order();
        if query.is_empty() {
            return order
                .keys
                .iter()
                .map(|&key| Hit { key, score: 0 })
                .collect();
        }
        let need = query.mask();
        let mut scratch = Scratch::default();
        let mut found = Vec::new();
        for (index, &mask) in self.masks.iter().enumerate() {
            if mask & need != need {
                continue;
            }
            if let Some(score) = query.score_in(self.name(index), &mut scratch) {
                found.push(pack(score, order.rank[index]));
            }
        }
        self.hits(found, order)
    }

    /// Matches for typing slips (`hbn` for 湖滨), best first, scored below
    /// every real match: for when [`search`](Self::search) found nothing.
    /// Slower (it spells every name out), so callers use it only then.
    pub fn search_typos(&self, query: &str) -> Vec<Hit> {
        let Some(typo) = super::Typo::new(query) else {
            return Vec::new();
        };
        let order = self.order();
        let mut found = Vec::new();
        for (index, slot) in self.slots.iter().enumerate() {
            if !slot.live {
                continue;
            }
            if let Some(m) = typo.find(self.name(index)) {
                let score = m.score.clamp(i64::from(i32::MIN), 0) as i32;
                found.push(pack(score, order.rank[index]));
            }
        }
        self.hits(found, order)
    }

    /// Like [`search`](Self::search), but only among `candidates` (keys not
    /// in the index are ignored). When the user types one more character,
    /// pass the keys of the previous result: every name that matches the
    /// longer query also matched the shorter one. This holds when the new
    /// query is the old one with characters appended, not in general.
    pub fn search_within(&self, query: &str, candidates: &[u32]) -> Vec<Hit> {
        let query = Query::new(query);
        let order = self.order();
        let need = query.mask();
        let mut scratch = Scratch::default();
        let mut found = Vec::new();
        for key in candidates {
            let Some(&index) = self.by_key.get(key) else {
                continue;
            };
            let index = index as usize;
            if self.masks[index] & need != need {
                continue;
            }
            if let Some(score) = query.score_in(self.name(index), &mut scratch) {
                found.push(pack(score, order.rank[index]));
            }
        }
        let mut hits = self.hits(found, order);
        hits.dedup();
        hits
    }

    /// The character positions (indices into the name's `chars()`) that
    /// `query` matches in the name under `key`, ascending; empty if the key
    /// is unknown or the name does not match.
    pub fn positions(&self, key: u32, query: &str) -> Vec<usize> {
        let Some(&index) = self.by_key.get(&key) else {
            return Vec::new();
        };
        let name = self.name(index as usize);
        Query::new(query)
            .find(name)
            .or_else(|| super::Typo::new(query).and_then(|t| t.find(name)))
            .map(|m| m.positions)
            .unwrap_or_default()
    }

    /// The name stored under `key`.
    pub fn name_of(&self, key: u32) -> Option<&str> {
        self.by_key
            .get(&key)
            .map(|&index| self.name(index as usize))
    }

    /// Approximate heap memory used, in bytes.
    pub fn memory(&self) -> usize {
        let order = self.order.get().map_or(0, |o| {
            (o.sorted.capacity() + o.keys.capacity() + o.rank.capacity()) * 4
        });
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.masks.capacity() * 8
            + self.free.capacity() * 4
            + self.by_key.capacity() * 9
            + self.text.capacity()
            + order
    }

    fn name(&self, index: usize) -> &str {
        let slot = &self.slots[index];
        &self.text[slot.start + slot.len - slot.name_len..slot.start + slot.len]
    }

    fn sort_key_of(&self, index: usize) -> &str {
        let slot = &self.slots[index];
        &self.text[slot.start..slot.start + slot.len]
    }

    /// Whether slot `a` sorts before slot `b` (sort key, then key).
    fn before(&self, a: u32, b: u32) -> bool {
        let (sa, sb) = (a as usize, b as usize);
        (self.sort_key_of(sa), self.slots[sa].key) < (self.sort_key_of(sb), self.slots[sb].key)
    }

    fn order(&self) -> &Order {
        self.order.get_or_init(|| {
            // Compare the first 8 bytes as one number first (zero padding
            // orders like the end of a string); only ties look further.
            let mut items: Vec<(u64, u32)> = (0..self.slots.len() as u32)
                .filter(|&s| self.slots[s as usize].live)
                .map(|s| {
                    let mut head = [0u8; 8];
                    let key = self.sort_key_of(s as usize).as_bytes();
                    let n = key.len().min(8);
                    head[..n].copy_from_slice(&key[..n]);
                    (u64::from_be_bytes(head), s)
                })
                .collect();
            items.sort_unstable_by(|&(ha, a), &(hb, b)| {
                ha.cmp(&hb).then_with(|| {
                    let (sa, sb) = (a as usize, b as usize);
                    self.sort_key_of(sa)
                        .cmp(self.sort_key_of(sb))
                        .then(self.slots[sa].key.cmp(&self.slots[sb].key))
                })
            });
            let sorted: Vec<u32> = items.into_iter().map(|(_, s)| s).collect();
            let keys = sorted.iter().map(|&s| self.slots[s as usize].key).collect();
            let mut order = Order {
                sorted,
                keys,
                edits: 0,
                rank: vec![u32::MAX; self.slots.len()],
            };
            order.renumber(0);
            order
        })
    }

    fn hits(&self, mut found: Vec<u64>, order: &Order) -> Vec<Hit> {
        found.sort_unstable();
        found
            .into_iter()
            .map(|packed| {
                let (score, rank) = unpack(packed);
                Hit {
                    key: order.keys[rank as usize],
                    score: i64::from(score),
                }
            })
            .collect()
    }

    /// Rewrites the shared string without removed names.
    fn compact(&mut self) {
        let mut text = String::with_capacity(self.text.len() - self.garbage);
        for slot in self.slots.iter_mut().filter(|s| s.live) {
            let start = text.len();
            text.push_str(&self.text[slot.start..slot.start + slot.len]);
            slot.start = start;
        }
        for slot in self.slots.iter_mut().filter(|s| !s.live) {
            *slot = Slot::default();
        }
        self.text = text;
        self.garbage = 0;
    }
}

impl Order {
    /// Fixes `rank` for `sorted[from..]`.
    fn renumber(&mut self, from: usize) {
        for (i, &slot) in self.sorted.iter().enumerate().skip(from) {
            self.rank[slot as usize] = i as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{match_name, sort_key};

    fn keys(hits: &[Hit]) -> Vec<u32> {
        hits.iter().map(|h| h.key).collect()
    }

    fn sample() -> NameIndex {
        let mut index = NameIndex::new();
        for (key, name) in [
            (1, "望江门社区银龄互助会"),
            (2, "湖滨晴雨志愿队"),
            (3, "西湖社区书画协会"),
            (4, "长寿社区邻里互助会"),
            (5, "北山街道文化服务中心"),
            (6, "ABC青少年俱乐部"),
        ] {
            index.insert(key, name);
        }
        index
    }

    #[test]
    fn finds_by_initials_pinyin_and_characters() {
        let index = sample();
        assert_eq!(keys(&index.search("wjm")), [1]);
        assert_eq!(index.search("hubin")[0].key, 2);
        assert_eq!(index.search("xhsq")[0].key, 3);
        // 长 is chang or zhang; `cs` also finds ABC青少年 (C, 少).
        assert_eq!(keys(&index.search("cs")), [4, 6]);
        assert_eq!(keys(&index.search("zs")), [4]);
        // Equal scores: pinyin order (chang before wang).
        assert_eq!(keys(&index.search("互助会")), [4, 1]);
        assert_eq!(keys(&index.search("abc")), [6]);
        assert!(index.search("qqqq").is_empty());
        assert_eq!(index.positions(2, "hubin"), [0, 1]);
        assert_eq!(index.positions(1, "wj门"), [0, 1, 2]);
        assert!(index.positions(2, "wjm").is_empty());
        assert!(index.positions(99, "wjm").is_empty());
    }

    #[test]
    fn scores_match_match_name() {
        let index = sample();
        for q in ["s", "sq", "hzh", "湖", "w", "zx"] {
            for hit in index.search(q) {
                let name = index.name_of(hit.key).unwrap();
                assert_eq!(
                    Some(hit.score),
                    match_name(q, name).map(|m| m.score),
                    "{q} {name}"
                );
            }
        }
    }

    #[test]
    fn ordering_is_score_then_pinyin() {
        let index = sample();
        let hits = index.search("s");
        for pair in hits.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!(
                a.score > b.score
                    || (a.score == b.score
                        && sort_key(index.name_of(a.key).unwrap())
                            <= sort_key(index.name_of(b.key).unwrap()))
            );
        }
    }

    #[test]
    fn empty_query_lists_everything_in_pinyin_order() {
        let index = sample();
        let hits = index.search("");
        assert_eq!(keys(&hits), [6, 5, 4, 2, 1, 3]);
        assert!(hits.iter().all(|h| h.score == 0));
        assert_eq!(keys(&index.search("   ")), keys(&hits));
        assert!(NameIndex::new().search("").is_empty());
        assert!(NameIndex::new().search("x").is_empty());
    }

    #[test]
    fn insert_replace_remove_keep_order() {
        let mut index = sample();
        assert_eq!(index.len(), 6);
        let _ = index.search(""); // order built: later changes are incremental
        index.insert(2, "阿姨帮帮团");
        assert_eq!(index.len(), 6);
        // `a yi` sorts before `abc`.
        assert_eq!(keys(&index.search(""))[..2], [2, 6]);
        assert!(index.search("hubin").is_empty());
        assert_eq!(index.search("aybbt")[0].key, 2);
        index.remove(6);
        index.remove(6);
        assert_eq!(index.len(), 5);
        assert!(!index.contains(6));
        assert_eq!(keys(&index.search("")), [2, 5, 4, 1, 3]);
        index.insert(7, "鼓楼社区");
        index.insert(8, "");
        assert_eq!(keys(&index.search("")), [8, 2, 5, 4, 7, 1, 3]);
        for key in [1, 2, 3, 4, 5, 7, 8] {
            index.remove(key);
        }
        assert!(index.is_empty());
        assert!(index.search("").is_empty());
    }

    #[test]
    fn many_changes_resort_and_compact() {
        let mut index = NameIndex::new();
        let names = ["西湖社区", "湖滨社区", "长寿社区", "望江门社区"];
        for round in 0..3u32 {
            for key in 0..2000u32 {
                index.insert(
                    key,
                    &format!("{}{}号", names[((key + round) % 4) as usize], key),
                );
            }
            let _ = index.search("");
        }
        for key in (0..2000u32).step_by(2) {
            index.remove(key);
        }
        let all = index.search("");
        assert_eq!(all.len(), 1000);
        // Sorted again after the many changes, and kept up to date again.
        index.insert(5000, "阿");
        assert!(index.order.get().is_some());
        assert_eq!(index.search("")[0].key, 5000);
        index.remove(5000);
        let order: Vec<String> = all
            .iter()
            .map(|h| sort_key(index.name_of(h.key).unwrap()))
            .collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(index.name_of(1), Some("望江门社区1号"));
        assert_eq!(index.search("wjmsq1h")[0].key, 1);
        assert_eq!(index.search("hbsq3h")[0].key, 3);
    }

    #[test]
    fn search_within_narrows() {
        let index = sample();
        let first = index.search("s");
        let within = index.search_within("sq", &keys(&first));
        assert_eq!(within, index.search("sq"));
        let with_unknown = index.search_within("sq", &[3, 3, 99, 1]);
        assert_eq!(keys(&with_unknown), [1, 3]);
        assert_eq!(keys(&index.search_within("", &[3, 1])), [1, 3]);
    }

    proptest::proptest! {
        #[test]
        fn random_edits_agree_with_a_plain_model(
            ops in proptest::collection::vec(
                (0u32..16, proptest::option::of("[湖滨长寿西区社a-cA1-2 ]{0,5}"), proptest::bool::ANY),
                0..60,
            ),
            query in "[a-z湖区]{0,3}",
        ) {
            let mut index = NameIndex::new();
            let mut model = std::collections::BTreeMap::new();
            for (key, name, search_now) in ops {
                match name {
                    Some(name) => {
                        index.insert(key, &name);
                        model.insert(key, name);
                    }
                    None => {
                        index.remove(key);
                        model.remove(&key);
                    }
                }
                if search_now {
                    // Builds the order: later edits update it in place.
                    let _ = index.search("");
                }
            }
            proptest::prop_assert_eq!(index.len(), model.len());
            let mut expected: Vec<(i64, String, u32)> = model
                .iter()
                .filter_map(|(&key, name)| {
                    match_name(&query, name).map(|m| (-m.score, sort_key(name), key))
                })
                .collect();
            expected.sort();
            let expected: Vec<Hit> = expected
                .into_iter()
                .map(|(score, _, key)| Hit { key, score: -score })
                .collect();
            proptest::prop_assert_eq!(index.search(&query), expected);
        }
    }

    #[test]
    fn keys_far_apart() {
        let mut index = NameIndex::new();
        for i in 0..1000u32 {
            index.insert(i << 20, "湖滨");
            index.insert(u32::MAX - i, "西湖");
        }
        assert_eq!(index.len(), 2000);
        assert_eq!(index.search("hb").len(), 1000);
        assert_eq!(index.name_of(5 << 20), Some("湖滨"));
        assert_eq!(index.name_of(u32::MAX), Some("西湖"));
    }

    #[test]
    fn is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<NameIndex>();
    }

    #[test]
    fn pack_round_trips() {
        for score in [i32::MIN, -5, 0, 7, i32::MAX] {
            assert_eq!(unpack(pack(score, 42)), (score, 42));
        }
        assert!(pack(10, 5) < pack(9, 0));
        assert!(pack(10, 1) < pack(10, 2));
        assert!(pack(0, 9) < pack(-1, 0));
    }

    #[test]
    fn typos_only_on_request_and_below_real_matches() {
        let mut ix = NameIndex::new();
        ix.insert(1, "湖滨晴雨志愿服务队");
        ix.insert(2, "西湖社区读书会");
        ix.remove(2);
        assert!(ix.search("hbn").is_empty());
        let hits = ix.search_typos("hbn");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].key, 1);
        assert!(hits[0].score < 0);
        assert_eq!(ix.positions(1, "hbn"), vec![0, 1]);
        assert!(
            ix.search_typos("xhsq").is_empty(),
            "removed names are skipped"
        );
    }
}
