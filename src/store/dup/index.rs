//! The names of one township, indexed for the possible-duplicate check. For
//! a new name, the entries that may be similar (`model::names`) are found by
//! a few hundred hash lookups, then compared with [`NameKey::similar`] in
//! the order they were added: the warnings are exactly those of comparing
//! with every name, and a batch of n names costs about n lookups' worth
//! instead of n² comparisons.
//!
//! Why the lookups find every similar name, rule by rule of `model::names`
//! (which must change together with this file):
//! - equal names or cores: each entry is found under its name and its core;
//! - an entry's name (or core) contained in the new one, at least
//!   [`MIN_CONTAINED`] characters long: every stretch of the new name (core)
//!   as long as some entry's name (core) is looked up;
//! - the new name (or core) contained in an entry's: the entry is found
//!   under each of its name's 4-character stretches, and the new one's
//!   rarest stretch is looked up (a core is the start of its name);
//! - cores a typo apart, k = 1 or 2 edits: an entry's core cut into k + 2
//!   pieces keeps at least two pieces untouched by k edits, found in the new
//!   core shifted by at most k; the entry is found under each piece (with
//!   its core's length, k and the piece's number), and every piece the new
//!   core could share is looked up, but for the piece found under the most
//!   entries (one untouched piece is enough).
//!
//! Stretches are hashed with a polynomial hash (random base) so that every
//! stretch of a name costs one multiplication; a collision only adds a
//! candidate, which the comparison rejects. Each key's entries are kept in
//! the order added, and the lists a name looks up are merged in that order
//! until enough similar names are found: when the first few candidates are
//! similar (names of one community often are), the rest are not read.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use crate::model::names::{NameKey, LONG_NAME, MIN_CONTAINED, MIN_TYPO};

/// A name of the township, as it was added.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub name: String,
    pub key: NameKey,
}

/// Length of the stretches an entry's name is found under.
const GRAM: usize = 4;

/// What a key stands for.
const NAME: u64 = 1;
const CORE: u64 = 2;
const STRETCH: u64 = 3;
const PIECE: u64 = 4;
const ID: u64 = 5;

/// No node.
const NONE: u32 = u32::MAX;

/// Keys are hashes already: the map takes them as they are.
#[derive(Debug, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// splitmix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A text with the hash of each of its starts, so that any stretch hashes
/// in constant time.
struct Hashed {
    prefix: Vec<u64>,
    power: Vec<u64>,
}

impl Hashed {
    fn new(s: &str, base: u64) -> Hashed {
        let mut prefix = vec![0u64];
        let mut power = vec![1u64];
        for c in s.chars() {
            let (h, p) = (prefix[prefix.len() - 1], power[power.len() - 1]);
            prefix.push(h.wrapping_mul(base).wrapping_add(u64::from(c) + 1));
            power.push(p.wrapping_mul(base));
        }
        Hashed { prefix, power }
    }

    /// Characters.
    fn len(&self) -> usize {
        self.prefix.len() - 1
    }

    fn stretch(&self, start: usize, len: usize) -> u64 {
        self.prefix[start + len].wrapping_sub(self.prefix[start].wrapping_mul(self.power[len]))
    }
}

/// The pieces a core of `len` characters is cut into for `k` edits:
/// (start, length) of each of the k + 2 (k edits leave two untouched).
fn pieces(len: usize, k: usize) -> impl Iterator<Item = (usize, usize)> {
    let n = k + 2;
    (0..n).scan(0, move |start, i| {
        let l = len / n + usize::from(i < len % n);
        let s = *start;
        *start += l;
        Some((s, l))
    })
}

/// The edits allowed between cores of these lengths (`model::names`), if
/// they are compared by edit distance at all.
fn typo_edits(a: usize, b: usize) -> Option<usize> {
    if a.min(b) < MIN_TYPO {
        return None;
    }
    let k = if a.max(b) >= LONG_NAME { 2 } else { 1 };
    (a.abs_diff(b) <= k).then_some(k)
}

/// Edits a core of `len` characters is indexed for: 1 when a partner may
/// be compared with 1 edit, 2 when with 2.
fn indexed_edits(len: usize) -> impl Iterator<Item = usize> {
    [1, 2]
        .into_iter()
        .filter(move |&k| (len.saturating_sub(k)..=len + k).any(|o| typo_edits(len, o) == Some(k)))
}

/// The names of one township.
#[derive(Debug)]
pub struct Index {
    /// In the order added; `None` once removed.
    entries: Vec<Option<Entry>>,
    removed: usize,
    /// Key -> its first node, its last node, how many nodes.
    keys: HashMap<u64, (u32, u32, u32), BuildHasherDefault<Prehashed>>,
    /// (entry, the key's next node).
    nodes: Vec<(u32, u32)>,
    /// Lengths of the names and cores added, from [`MIN_CONTAINED`] on.
    name_lengths: BTreeSet<usize>,
    core_lengths: BTreeSet<usize>,
    /// Base of the polynomial hash and seed of the keys.
    base: u64,
    seed: u64,
}

impl Default for Index {
    fn default() -> Self {
        let random = std::collections::hash_map::RandomState::new();
        Index {
            entries: Vec::new(),
            removed: 0,
            keys: HashMap::default(),
            nodes: Vec::new(),
            name_lengths: BTreeSet::new(),
            core_lengths: BTreeSet::new(),
            base: random.hash_one(1u8) | 1,
            seed: random.hash_one(2u8),
        }
    }
}

impl Index {
    /// The key of a stretch of a given kind and length, with more to tell
    /// pieces apart.
    fn key(&self, kind: u64, len: usize, more: u64, stretch: u64) -> u64 {
        let tag = kind | (len as u64) << 4 | more << 32;
        mix(stretch ^ mix(tag ^ self.seed))
    }

    /// The key of a piece: cut `i` of a core of `core_len` for `k` edits.
    fn piece_key(&self, k: usize, core_len: usize, i: usize, len: usize, stretch: u64) -> u64 {
        let more = (k as u64) | (i as u64) << 2 | (core_len as u64) << 4;
        self.key(PIECE, len, more, stretch)
    }

    fn post(&mut self, key: u64, entry: u32) {
        let node = self.nodes.len() as u32;
        self.nodes.push((entry, NONE));
        match self.keys.get_mut(&key) {
            Some((_, last, count)) => {
                self.nodes[*last as usize].1 = node;
                *last = node;
                *count += 1;
            }
            None => {
                self.keys.insert(key, (node, node, 1));
            }
        }
    }

    /// The first node of a key.
    fn first(&self, key: u64) -> Option<u32> {
        self.keys.get(&key).map(|k| k.0)
    }

    /// The entries found under a key, in the order added.
    fn found(&self, key: u64) -> impl Iterator<Item = u32> + '_ {
        let mut node = self.first(key).unwrap_or(NONE);
        std::iter::from_fn(move || {
            let (entry, next) = *self.nodes.get(node as usize)?;
            node = next;
            Some(entry)
        })
    }

    fn count(&self, key: u64) -> u32 {
        self.keys.get(&key).map_or(0, |k| k.2)
    }

    /// Live entries.
    pub fn len(&self) -> usize {
        self.entries.len() - self.removed
    }

    /// Adds a name (after the others).
    pub fn add(&mut self, entry: Entry) {
        let at = self.entries.len() as u32;
        let id = Hashed::new(&entry.id, self.base);
        self.post(self.key(ID, id.len(), 0, id.stretch(0, id.len())), at);
        let key = &entry.key;
        if !key.is_empty() {
            let full = Hashed::new(key.full(), self.base);
            let (n, c) = (full.len(), key.core().chars().count());
            self.post(self.key(NAME, n, 0, full.stretch(0, n)), at);
            self.post(self.key(CORE, c, 0, full.stretch(0, c)), at);
            let mut grams: Vec<u64> = (0..(n + 1).saturating_sub(GRAM))
                .map(|s| self.key(STRETCH, GRAM, 0, full.stretch(s, GRAM)))
                .collect();
            grams.sort_unstable();
            grams.dedup();
            for g in grams {
                self.post(g, at);
            }
            for k in indexed_edits(c) {
                for (i, (s, l)) in pieces(c, k).enumerate() {
                    self.post(self.piece_key(k, c, i, l, full.stretch(s, l)), at);
                }
            }
            if n >= MIN_CONTAINED {
                self.name_lengths.insert(n);
            }
            if c >= MIN_CONTAINED {
                self.core_lengths.insert(c);
            }
        }
        self.entries.push(Some(entry));
    }

    /// Removes every entry of an organization.
    pub fn remove(&mut self, id: &str) {
        let h = Hashed::new(id, self.base);
        let key = self.key(ID, h.len(), 0, h.stretch(0, h.len()));
        let at: Vec<u32> = self.found(key).collect();
        for i in at {
            let slot = &mut self.entries[i as usize];
            if slot.as_ref().is_some_and(|e| e.id == id) {
                *slot = None;
                self.removed += 1;
            }
        }
        if self.removed > 1024 && self.removed > self.len() {
            self.rebuild();
        }
    }

    /// Indexes the live entries again (after many removals).
    fn rebuild(&mut self) {
        let entries = std::mem::take(&mut self.entries);
        *self = Index {
            base: self.base,
            seed: self.seed,
            ..Index::default()
        };
        for e in entries.into_iter().flatten() {
            self.add(e);
        }
    }

    /// The first `max` entries (in the order added), other than those of
    /// `except`, whose names are similar to `key`.
    pub fn similar(&self, key: &NameKey, except: &str, max: usize) -> Vec<&Entry> {
        if key.is_empty() || max == 0 {
            return Vec::new();
        }
        let full = Hashed::new(key.full(), self.base);
        let (n, c) = (full.len(), key.core().chars().count());
        // The lists to read: the first node of each key looked up.
        let mut lists: Vec<u32> = Vec::new();
        let mut look = |k: u64| lists.extend(self.first(k));
        // Equal, or an entry's name or core within this one.
        for (kind, len, lengths) in [(NAME, n, &self.name_lengths), (CORE, c, &self.core_lengths)] {
            look(self.key(kind, len, 0, full.stretch(0, len)));
            for &l in lengths.range(MIN_CONTAINED..len.max(MIN_CONTAINED)) {
                for s in 0..=len - l {
                    look(self.key(kind, l, 0, full.stretch(s, l)));
                }
            }
        }
        // This name or core within an entry's: under its rarest stretch.
        for len in [n, c] {
            if len < MIN_CONTAINED {
                continue;
            }
            let rarest = (0..=len - GRAM)
                .map(|s| self.key(STRETCH, GRAM, 0, full.stretch(s, GRAM)))
                .min_by_key(|k| self.count(*k));
            if let Some(k) = rarest {
                look(k);
            }
        }
        // Cores a typo apart.
        for other in c.saturating_sub(2)..=c + 2 {
            let Some(k) = typo_edits(c, other) else {
                continue;
            };
            // Of the k + 2 pieces of a similar entry's core, two are
            // untouched: the piece found under the most entries (a place
            // name most names start with) can be left out.
            let keys: Vec<Vec<u64>> = pieces(other, k)
                .enumerate()
                .map(|(i, (start, l))| {
                    (start.saturating_sub(k)..=start + k)
                        .filter(|s| s + l <= c)
                        .map(|s| self.piece_key(k, other, i, l, full.stretch(s, l)))
                        .collect()
                })
                .collect();
            let widest = (0..keys.len())
                .max_by_key(|&i| keys[i].iter().map(|k| self.count(*k)).sum::<u32>());
            for (i, piece) in keys.iter().enumerate() {
                if Some(i) != widest {
                    for k in piece {
                        look(*k);
                    }
                }
            }
        }
        // Merge the lists in the order added, each entry compared once.
        let mut heads: BinaryHeap<Reverse<(u32, u32)>> = lists
            .into_iter()
            .map(|node| Reverse((self.nodes[node as usize].0, node)))
            .collect();
        let mut out = Vec::new();
        let mut last = None;
        while let Some(Reverse((entry, node))) = heads.pop() {
            let next = self.nodes[node as usize].1;
            if let Some(&(e, _)) = self.nodes.get(next as usize) {
                heads.push(Reverse((e, next)));
            }
            if last == Some(entry) {
                continue;
            }
            last = Some(entry);
            let Some(e) = &self.entries[entry as usize] else {
                continue;
            };
            if e.id != except && key.similar(&e.key) {
                out.push(e);
                if out.len() == max {
                    break;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(id: usize, name: &str) -> Entry {
        Entry {
            id: format!("o{id}"),
            name: name.to_string(),
            key: NameKey::new(name),
        }
    }

    /// What comparing with every entry in order gives.
    fn every<'a>(entries: &'a [Entry], name: &str, except: &str) -> Vec<&'a str> {
        let key = NameKey::new(name);
        entries
            .iter()
            .filter(|e| e.id != except && key.similar(&e.key))
            .take(5)
            .map(|e| e.id.as_str())
            .collect()
    }

    fn ids<'a>(found: &[&'a Entry]) -> Vec<&'a str> {
        found.iter().map(|e| e.id.as_str()).collect()
    }

    #[test]
    fn finds_each_kind_of_similar_name() {
        let names = [
            "银龄互助会",
            "银龄互助协会",
            "北山街道银龄互助会",
            "银铃互助会",
            "北山街道夕阳红老年舞蹈队",
            "夕阳红舞蹈队",
            "阳光队",
            "宝石山社区书画社",
        ];
        let mut index = Index::default();
        let entries: Vec<Entry> = names.iter().enumerate().map(|(i, n)| entry(i, n)).collect();
        for e in &entries {
            index.add(e.clone());
        }
        for probe in [
            "银龄互助社",
            "银龄互助会（筹）",
            "北山街到夕阳虹老年舞蹈队",
            "夕阳红合唱队",
            "月光队",
            "阳光",
            "书画",
            "宝石山社区书画社",
            "",
        ] {
            assert_eq!(
                ids(&index.similar(&NameKey::new(probe), "", 5)),
                every(&entries, probe, ""),
                "{probe}"
            );
        }
        assert_eq!(
            ids(&index.similar(&NameKey::new("银龄互助会"), "o0", 2)),
            vec!["o1", "o2"]
        );
        index.remove("o1");
        assert_eq!(index.len(), 7);
        assert_eq!(
            ids(&index.similar(&NameKey::new("银龄互助会"), "o0", 5)),
            vec!["o2", "o3"]
        );
    }

    #[test]
    fn pieces_cover_the_core() {
        for len in 0..20 {
            for k in 1..=2 {
                let p: Vec<_> = pieces(len, k).collect();
                assert_eq!(p.len(), k + 2);
                assert_eq!(p.iter().map(|x| x.1).sum::<usize>(), len);
                assert!(p.windows(2).all(|w| w[0].0 + w[0].1 == w[1].0));
            }
        }
        assert_eq!(indexed_edits(3).collect::<Vec<_>>(), vec![1]);
        assert_eq!(indexed_edits(6).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(indexed_edits(9).collect::<Vec<_>>(), vec![2]);
        assert_eq!(indexed_edits(2).count(), 0);
    }

    /// Names from a few characters (so that many are similar), with
    /// form words and punctuation.
    fn name() -> impl Strategy<Value = String> {
        let parts = prop::sample::select(vec![
            "银",
            "龄",
            "互",
            "助",
            "阳",
            "光",
            "a",
            "b",
            "会",
            "协会",
            "队",
            "服务队",
            "·",
            " ",
            "（筹）",
            "北山",
            "社区",
        ]);
        prop::collection::vec(parts, 0..9).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The index gives what comparing with every name gives, through
        /// additions and removals.
        #[test]
        fn same_warnings_as_comparing_with_every_name(
            names in prop::collection::vec(name(), 1..60),
            removed in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
            probes in prop::collection::vec(name(), 1..20),
        ) {
            let mut index = Index::default();
            let mut entries: Vec<Entry> = Vec::new();
            for (i, n) in names.iter().enumerate() {
                index.add(entry(i, n));
                entries.push(entry(i, n));
            }
            for r in removed {
                let id = entries[r.index(entries.len())].id.clone();
                index.remove(&id);
                entries.retain(|e| e.id != id);
                if entries.is_empty() {
                    break;
                }
            }
            for (i, p) in probes.iter().chain(&names).enumerate() {
                let except = format!("o{}", i % 7);
                prop_assert_eq!(
                    ids(&index.similar(&NameKey::new(p), &except, 5)),
                    every(&entries, p, &except),
                    "{}", p
                );
            }
        }
    }
}
