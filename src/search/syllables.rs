//! The pinyin readings of every character the `pinyin` crate knows, as small
//! syllable ids, built once per process (a few milliseconds) and then looked
//! up by array index while matching.
//!
//! Readings are plain (no tones), lower case ASCII: `ü` is written `v` (as
//! typed with a pinyin input method) and also indexed as `u`; `ê` is `e`.
//! A character's first reading is its most common one (`pinyin`'s default);
//! the others follow in the crate's order, duplicates removed.

use std::collections::HashMap;
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

/// Syllable id: an index into [`Syllables::text`].
pub(crate) type SyllableId = u16;

/// Characters from here to [`DENSE_END`] are looked up in a flat array;
/// this covers CJK symbols, Extension A and the unified ideographs.
const DENSE_START: u32 = 0x3000;
const DENSE_END: u32 = 0x9FFF;
/// Other ranges the `pinyin` crate has data for (compatibility ideographs,
/// Extensions B to G); looked up in a hash map.
const SPARSE_RANGES: &[(u32, u32)] = &[(0xF900, 0xFAFF), (0x2_0000, 0x3_134F)];
/// At most this many readings are kept for one character (the most
/// polyphonic characters in the data have eight).
const MAX_READINGS: usize = 15;

/// The syllable table and the readings of each character.
pub(crate) struct Syllables {
    /// Syllable text by id.
    text: Vec<Box<str>>,
    /// Bit mask of the letters of each syllable (bit 0 = `a`).
    letters: Vec<u64>,
    /// Syllable ids grouped by their first letter (`a` = 0).
    by_first: [Vec<SyllableId>; 26],
    /// Length of the longest syllable.
    max_len: usize,
    /// Readings for the dense range: `offset << 4 | count`, 0 = none.
    dense: Vec<u32>,
    /// Readings for other characters, same encoding.
    sparse: HashMap<char, u32>,
    /// The readings themselves, referenced by `dense` and `sparse`.
    readings: Vec<SyllableId>,
}

/// The table, built at first use.
pub(crate) fn syllables() -> &'static Syllables {
    static TABLE: OnceLock<Syllables> = OnceLock::new();
    TABLE.get_or_init(Syllables::build)
}

/// Spellings of one plain reading from the `pinyin` crate: `lü` gives `lv`
/// and `lu`, `ê` gives `e`; anything else is kept as is. Characters other
/// than ASCII letters are dropped.
fn spellings(plain: &str) -> Vec<String> {
    let map = |u: char| -> String {
        plain
            .chars()
            .filter_map(|c| match c {
                'ü' => Some(u),
                'ê' => Some('e'),
                c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect()
    };
    let mut out = vec![map('v')];
    if plain.contains('ü') {
        out.push(map('u'));
    }
    out.retain(|s| !s.is_empty());
    out
}

impl Syllables {
    fn build() -> Self {
        let mut table = Syllables {
            text: Vec::new(),
            letters: Vec::new(),
            by_first: Default::default(),
            max_len: 0,
            dense: vec![0; (DENSE_END - DENSE_START + 1) as usize],
            sparse: HashMap::new(),
            readings: Vec::new(),
        };
        let mut ids: HashMap<String, SyllableId> = HashMap::new();
        let ranges = std::iter::once((DENSE_START, DENSE_END)).chain(SPARSE_RANGES.iter().copied());
        for (start, end) in ranges {
            for code in start..=end {
                let Some(c) = char::from_u32(code) else {
                    continue;
                };
                let Some(multi) = c.to_pinyin_multi() else {
                    continue;
                };
                let offset = table.readings.len();
                for reading in multi {
                    for spelling in spellings(reading.plain()) {
                        let next_id = table.text.len();
                        let id = match ids.get(&spelling) {
                            Some(&id) => id,
                            None => {
                                // Mandarin has about 420 syllables; the ids
                                // fit in u16 with room to spare.
                                let Ok(id) = SyllableId::try_from(next_id) else {
                                    continue;
                                };
                                table.intern(id, &spelling);
                                ids.insert(spelling, id);
                                id
                            }
                        };
                        let mine = &table.readings[offset..];
                        if !mine.contains(&id) && mine.len() < MAX_READINGS {
                            table.readings.push(id);
                        }
                    }
                }
                let count = table.readings.len() - offset;
                if count == 0 {
                    continue;
                }
                let entry = ((offset as u32) << 4) | count as u32;
                if code <= DENSE_END {
                    table.dense[(code - DENSE_START) as usize] = entry;
                } else {
                    table.sparse.insert(c, entry);
                }
            }
        }
        table
    }

    fn intern(&mut self, id: SyllableId, spelling: &str) {
        debug_assert_eq!(usize::from(id), self.text.len());
        let mut mask = 0u64;
        for b in spelling.bytes() {
            mask |= 1 << (b - b'a');
        }
        if let Some(first) = spelling.bytes().next() {
            self.by_first[usize::from(first - b'a')].push(id);
        }
        self.max_len = self.max_len.max(spelling.len());
        self.text.push(spelling.into());
        self.letters.push(mask);
    }

    /// The readings of `c`, most common first; empty if `c` has none.
    #[inline]
    pub(crate) fn readings(&self, c: char) -> &[SyllableId] {
        let code = u32::from(c);
        let entry = if (DENSE_START..=DENSE_END).contains(&code) {
            self.dense[(code - DENSE_START) as usize]
        } else if SPARSE_RANGES
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&code))
        {
            self.sparse.get(&c).copied().unwrap_or(0)
        } else {
            0
        };
        let offset = (entry >> 4) as usize;
        let count = (entry & 0xF) as usize;
        &self.readings[offset..offset + count]
    }

    /// The spelling of syllable `id` (lower case ASCII letters).
    #[inline]
    pub(crate) fn text(&self, id: SyllableId) -> &str {
        &self.text[usize::from(id)]
    }

    /// Bit mask of the letters in syllable `id` (bit 0 = `a`).
    #[inline]
    pub(crate) fn letters(&self, id: SyllableId) -> u64 {
        self.letters[usize::from(id)]
    }

    /// Number of syllables.
    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// Syllables starting with the ASCII letter `letter` (lower case).
    pub(crate) fn starting_with(&self, letter: u8) -> &[SyllableId] {
        if letter.is_ascii_lowercase() {
            &self.by_first[usize::from(letter - b'a')]
        } else {
            &[]
        }
    }

    /// Length of the longest syllable (6: `zhuang`).
    pub(crate) fn max_len(&self) -> usize {
        self.max_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(c: char) -> Vec<&'static str> {
        let t = syllables();
        t.readings(c).iter().map(|&id| t.text(id)).collect()
    }

    #[test]
    fn common_characters() {
        assert_eq!(spelled('湖'), ["hu"]);
        assert_eq!(spelled('滨'), ["bin"]);
        assert_eq!(spelled('长'), ["zhang", "chang"]);
        assert_eq!(spelled('区'), ["qu", "ou"]);
        assert!(spelled('行').starts_with(&["xing", "hang"]));
        assert!(spelled('重').starts_with(&["zhong", "chong"]));
    }

    #[test]
    fn u_umlaut_is_v_and_u() {
        assert_eq!(spelled('绿'), ["lv", "lu"]);
        assert!(spelled('女').starts_with(&["nv", "nu"]));
    }

    #[test]
    fn no_readings() {
        assert!(spelled('a').is_empty());
        assert!(spelled('1').is_empty());
        assert!(spelled('😀').is_empty());
        assert!(spelled('\u{0301}').is_empty());
        assert!(spelled(char::MAX).is_empty());
    }

    #[test]
    fn rare_characters_outside_the_dense_range() {
        // U+20000 (𠀀, Extension B) has a reading in the data.
        assert!(!spelled('\u{20000}').is_empty());
    }

    #[test]
    fn table_is_plain_ascii() {
        let t = syllables();
        assert!(t.len() > 400 && t.len() < 500, "{}", t.len());
        assert_eq!(t.max_len(), 6);
        for id in 0..t.len() {
            let s = t.text(id as SyllableId);
            assert!(
                !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase()),
                "{s}"
            );
        }
        assert!(t
            .starting_with(b'z')
            .iter()
            .any(|&id| t.text(id) == "zhuang"));
        assert!(t.starting_with(b'1').is_empty());
    }
}
