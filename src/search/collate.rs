//! Pinyin collation (拼音排序) and initials.

use super::fold::fold;
use super::syllables::syllables;

/// Digit runs are padded with zeros to this width so that `2号楼` sorts
/// before `10号楼`; longer runs compare by their leading digits.
const NUMBER_WIDTH: usize = 10;
/// Separates the pinyin part of a sort key from the name itself.
const TIE_BREAK: char = '\u{1}';
/// Polyphonic characters whose usual reading in place and organization
/// names differs from the `pinyin` crate's first reading: 长庆, 长寿, 长河
/// are `chang`, not `zhang`.
const NAME_READINGS: &[(char, &str)] = &[('长', "chang")];

/// The reading a character sorts by: [`NAME_READINGS`], else the most
/// common one.
fn primary(c: char) -> Option<&'static str> {
    if let Some(&(_, reading)) = NAME_READINGS.iter().find(|(n, _)| *n == c) {
        return Some(reading);
    }
    let table = syllables();
    table.readings(c).first().map(|&id| table.text(id))
}

/// A collation key: sorting names by it (as strings, byte order) sorts them
/// in pinyin order, syllable by syllable (`西安` before `先锋`), Latin words
/// among the pinyin by their letters, numbers by value, and digits before
/// letters. Punctuation, spaces and symbols are ignored. Characters with
/// several readings sort by their most common one (长, common in place
/// names, as `chang`). Names
/// with the same pinyin are ordered by their characters, so the order is
/// total and stable.
///
/// ```
/// use sanshe::search::sort_key;
/// let mut names = ["长寿社区", "北山街道", "阿里巴巴公益", "10号楼", "2号楼"];
/// names.sort_by_key(|n| sort_key(n));
/// assert_eq!(names, ["2号楼", "10号楼", "阿里巴巴公益", "北山街道", "长寿社区"]);
/// ```
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 2 + 1);
    write_sort_key(name, &mut key);
    key
}

/// Appends the [`sort_key`] of `name` to `key`.
pub(crate) fn write_sort_key(name: &str, key: &mut String) {
    let mut chars = name.chars().map(fold).peekable();
    while let Some(c) = chars.next() {
        if let Some(reading) = primary(c) {
            key.push_str(reading);
        } else if c.is_ascii_digit() {
            let mut digits = String::new();
            digits.push(c);
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                digits.push(d);
            }
            let digits = digits.trim_start_matches('0');
            for _ in digits.len()..NUMBER_WIDTH {
                key.push('0');
            }
            key.push_str(digits);
        } else if c.is_ascii_lowercase() {
            key.push(c);
            while let Some(l) = chars.next_if(char::is_ascii_lowercase) {
                key.push(l);
            }
        } else if c.is_alphanumeric() {
            key.push(c);
        } else {
            continue;
        }
        // A space after each syllable or word sorts shorter syllables first.
        key.push(' ');
    }
    key.push(TIE_BREAK);
    key.push_str(name);
}

/// Pinyin initials of a name: the first letter of each Chinese character's
/// reading used for sorting (see [`sort_key`]), and Latin letters and
/// digits as they are (lower case); other characters are left out.
///
/// ```
/// assert_eq!(sanshe::search::initials("望江门社区银龄互助会"), "wjmsqylhzh");
/// assert_eq!(sanshe::search::initials("ABC 3号楼"), "abc3hl");
/// ```
pub fn initials(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().map(fold) {
        if let Some(reading) = primary(c) {
            out.extend(reading.chars().next());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by_key(|n| sort_key(n));
        v.into_iter().map(String::from).collect()
    }

    #[test]
    fn pinyin_order() {
        assert_eq!(sorted(&["长寿", "北山", "阿姨"]), ["阿姨", "北山", "长寿"]);
        assert_eq!(sorted(&["先锋", "西安", "西湖"]), ["西安", "西湖", "先锋"]);
        assert_eq!(sorted(&["湖滨社区", "湖滨"]), ["湖滨", "湖滨社区"]);
        assert_eq!(sorted(&["Zoo", "abc", "北山"]), ["abc", "北山", "Zoo"]);
        assert_eq!(
            sorted(&["第10网格", "第2网格", "第1网格"]),
            ["第1网格", "第2网格", "第10网格"]
        );
        assert_eq!(sorted(&["“西湖”志愿队", "北山"]), ["北山", "“西湖”志愿队"]);
    }

    #[test]
    fn homophones_are_ordered_and_keys_distinct() {
        // 湖 and 胡 are both hu: still a total order, by character.
        let a = sort_key("湖滨");
        let b = sort_key("胡滨");
        assert_ne!(a, b);
        assert!(a.starts_with("hu bin "));
    }

    #[test]
    fn stable_for_odd_input() {
        assert_eq!(sort_key(""), "\u{1}");
        assert_eq!(sort_key("😀"), "\u{1}😀");
        assert_eq!(sort_key("007"), "0000000007 \u{1}007");
        assert_eq!(
            sort_key("12345678901234"),
            "12345678901234 \u{1}12345678901234"
        );
    }

    #[test]
    fn initials_examples() {
        assert_eq!(initials("望江门社区银龄互助会"), "wjmsqylhzh");
        assert_eq!(initials("湖滨晴雨"), "hbqy");
        assert_eq!(initials("长寿"), "cs");
        assert_eq!(initials("重阳"), "zy");
        assert_eq!(initials(""), "");
        assert_eq!(initials("“（）”😀"), "");
    }
}
