//! Name similarity, for the possible-duplicate warning when an organization
//! is saved.
//!
//! Two names are *similar* when, after [`normalize`] (width folding, lower
//! case, spaces and punctuation dropped):
//! 1. their cores are equal, the core being the name without one trailing
//!    organisation-form word (协会, 志愿队, 服务中心...): 「银龄互助会」 and
//!    「银龄互助协会」;
//! 2. their cores are a typo apart: edit distance (in characters) at most 1,
//!    or at most 2 when the longer core has 8 characters or more; cores
//!    shorter than 3 characters must be equal (「阳光」 and 「月光」 are
//!    different names);
//! 3. one contains the other and the shorter has at least 4 characters: a
//!    place prefix or a qualifier was added (「北山街道银龄互助会」,
//!    「银龄互助会（筹）」).
//!
//! [`NameKey`] holds what the comparison needs, computed once per name, with
//! a 64-bit character signature that rejects most pairs without comparing
//! strings; the store keeps keys for the organizations of a township, in an
//! index built on these rules (`store/dup/index.rs`: change both together).

/// Organisation-form words names end with, longest first. Only one is removed.
const FORM_WORDS: &[&str] = &[
    "社会工作服务中心",
    "志愿者服务总队",
    "社工服务中心",
    "志愿者服务队",
    "志愿服务总队",
    "志愿者联合会",
    "志愿服务队",
    "志愿者协会",
    "服务指导中心",
    "志愿者队",
    "服务中心",
    "发展中心",
    "服务总队",
    "工作室",
    "俱乐部",
    "服务队",
    "服务社",
    "促进会",
    "联合会",
    "研究会",
    "志愿队",
    "服务站",
    "协会",
    "中心",
    "之家",
    "会",
    "队",
    "社",
    "团",
    "站",
];

/// Shortest core kept after removing a form word; when less would remain,
/// the whole name is its own core (「青年会」 becomes 「青年」, 「总会」 stays).
const MIN_CORE: usize = 2;

/// Names of at least this many characters may differ in 2 characters.
pub const LONG_NAME: usize = 8;

/// Shortest name that counts when contained in another.
pub const MIN_CONTAINED: usize = 4;

/// Shortest core compared by edit distance.
pub const MIN_TYPO: usize = 3;

/// Folds full-width ASCII to half-width, lower-cases, and keeps only letters
/// and digits (CJK ideographs are letters), dropping spaces and punctuation.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            // Common CJK ideographs: letters without case (the usual case,
            // kept off the slower Unicode tables).
            '\u{4E00}'..='\u{9FFF}' => out.push(c),
            '\u{FF01}'..='\u{FF5E}' => {
                let half = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
                if half.is_ascii_alphanumeric() {
                    out.push(half.to_ascii_lowercase());
                }
            }
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            c if c.is_ascii() => {}
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// The normalised name without one trailing organisation-form word.
pub fn core(normalized: &str) -> &str {
    for w in FORM_WORDS {
        if let Some(rest) = normalized.strip_suffix(w) {
            if rest.chars().count() >= MIN_CORE {
                return rest;
            }
        }
    }
    normalized
}

/// What the comparison of one name needs, computed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    full: String,
    full_len: usize,
    full_sig: u64,
    core: String,
    core_len: usize,
    core_sig: u64,
}

fn signature(s: &str) -> u64 {
    s.chars().fold(0u64, |sig, c| {
        // A cheap multiplicative hash of the code point to one of 64 bits.
        let h = (c as u32).wrapping_mul(0x9E37_79B1) >> 26;
        sig | (1u64 << h)
    })
}

impl NameKey {
    /// The key of a name.
    pub fn new(name: &str) -> NameKey {
        let full = normalize(name);
        let core = core(&full).to_string();
        NameKey {
            full_len: full.chars().count(),
            full_sig: signature(&full),
            core_len: core.chars().count(),
            core_sig: signature(&core),
            full,
            core,
        }
    }

    /// The normalised name ([`normalize`]).
    pub fn full(&self) -> &str {
        &self.full
    }

    /// The normalised name without its form word ([`core`]): a prefix of
    /// [`full`](Self::full).
    pub fn core(&self) -> &str {
        &self.core
    }

    /// True when the name has nothing to compare (empty or all punctuation).
    pub fn is_empty(&self) -> bool {
        self.full.is_empty()
    }

    /// Whether the two names are similar (see the module documentation).
    pub fn similar(&self, other: &NameKey) -> bool {
        if self.is_empty() || other.is_empty() {
            return false;
        }
        // Equal strings have equal signatures and lengths: compare those first.
        if (self.core_sig == other.core_sig
            && self.core_len == other.core_len
            && self.core == other.core)
            || (self.full_sig == other.full_sig
                && self.full_len == other.full_len
                && self.full == other.full)
        {
            return true;
        }
        if contains(
            (&self.full, self.full_len, self.full_sig),
            (&other.full, other.full_len, other.full_sig),
        ) || contains(
            (&self.core, self.core_len, self.core_sig),
            (&other.core, other.core_len, other.core_sig),
        ) {
            return true;
        }
        let (la, lb) = (self.core_len, other.core_len);
        if la.min(lb) < MIN_TYPO {
            return false;
        }
        let k = if la.max(lb) >= LONG_NAME { 2 } else { 1 };
        if la.abs_diff(lb) > k {
            return false;
        }
        // Every character of one that is missing from the other costs at
        // least one edit, so the signatures bound the distance from below.
        if (self.core_sig & !other.core_sig).count_ones() as usize > k
            || (other.core_sig & !self.core_sig).count_ones() as usize > k
        {
            return false;
        }
        within_distance(&self.core, &other.core, k)
    }
}

/// One string contains the other, the shorter having at least
/// [`MIN_CONTAINED`] characters.
fn contains(a: (&str, usize, u64), b: (&str, usize, u64)) -> bool {
    let (short, long) = if a.1 <= b.1 { (a, b) } else { (b, a) };
    short.1 >= MIN_CONTAINED && short.2 & !long.2 == 0 && long.0.contains(short.0)
}

/// Whether the character-level edit distance (Levenshtein) of `a` and `b` is
/// at most `k`.
fn within_distance(a: &str, b: &str, k: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > k {
            return false;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] <= k
}

/// Whether two organization names are very close (see the module documentation).
pub fn similar(a: &str, b: &str) -> bool {
    NameKey::new(a).similar(&NameKey::new(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        assert_eq!(normalize(" 湖滨 晴雨·志愿队 "), "湖滨晴雨志愿队");
        assert_eq!(normalize("ＡＢＣ（筹）"), "abc筹");
        assert_eq!(normalize("Sunshine 阳光-Club"), "sunshine阳光club");
        assert_eq!(normalize("Ærø ２０２６年"), "ærø2026年");
        assert_eq!(core("银龄互助协会"), "银龄互助");
        assert_eq!(core("银龄互助会"), "银龄互助");
        assert_eq!(core("湖滨晴雨志愿服务队"), "湖滨晴雨");
        // A core would be too short: the whole name stays.
        assert_eq!(core("会"), "会");
        assert_eq!(core("总会"), "总会");
        assert_eq!(core("爱心会"), "爱心");
    }

    #[test]
    fn same_core_with_other_form_word() {
        assert!(similar("银龄互助会", "银龄互助协会"));
        assert!(similar("湖滨晴雨志愿队", "湖滨晴雨志愿服务队"));
        assert!(similar("湖滨晴雨志愿队", " 湖滨 晴雨 志愿队"));
    }

    #[test]
    fn typos() {
        // One character off.
        assert!(similar("银龄互助会", "银铃互助会"));
        // Two off in a long name.
        assert!(similar(
            "北山街道夕阳红老年舞蹈队",
            "北山街到夕阳虹老年舞蹈队"
        ));
        // Two off in a short name is a different name.
        assert!(!similar("夕阳红舞蹈队", "夕阳红合唱队"));
        // Short cores must be equal.
        assert!(!similar("阳光队", "月光队"));
    }

    #[test]
    fn qualifiers_and_prefixes() {
        assert!(similar("北山街道银龄互助会", "银龄互助会"));
        assert!(similar("银龄互助会（筹）", "银龄互助会"));
        // A contained name of fewer than 4 characters does not count.
        assert!(!similar("爱心", "宝石山爱心妈妈帮帮团"));
    }

    #[test]
    fn different_names() {
        assert!(!similar("宝石山社区书画社", "保俶路社区太极拳协会"));
        assert!(!similar("西溪河下邻里守望队", "湖滨晴雨志愿队"));
        assert!(!similar("", ""));
        assert!(!similar("——", "——"));
    }

    #[test]
    fn symmetric() {
        let names = [
            "银龄互助会",
            "银龄互助协会",
            "北山街道银龄互助会",
            "银铃互助会",
            "夕阳红舞蹈队",
            "阳光队",
            "abc club",
        ];
        for a in names {
            for b in names {
                assert_eq!(similar(a, b), similar(b, a), "{a} / {b}");
            }
        }
    }

    #[test]
    fn distance_bound() {
        assert!(within_distance("abcd", "abcd", 0));
        assert!(within_distance("abcd", "abed", 1));
        assert!(!within_distance("abcd", "aecf", 1));
        assert!(within_distance("abcd", "aecf", 2));
        assert!(within_distance("abc", "abcd", 1));
        assert!(!within_distance("ab", "abcd", 1));
    }
}
