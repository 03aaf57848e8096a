//! Character folding for matching: full-width ASCII (typed with a Chinese
//! input method in full-width mode) becomes ASCII, and letters become lower
//! case. Folding maps one character to exactly one character, so a position
//! in folded text is the same position in the original name.

/// Folds one character (see the module documentation).
#[inline]
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // Chinese characters, the common case, need no work.
    if ('\u{3400}'..='\u{9FFF}').contains(&c) {
        return c;
    }
    let c = match c {
        // Full-width forms of ASCII `!`..`~`.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        // Ideographic space.
        '\u{3000}' => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The digit a Chinese numeral stands for (`四` -> `4`), so a query typed
/// with digits finds names written with numerals: `bs4` finds 宝石四网格.
/// Only the ten single numerals; `十`, `百` and `两` are left alone.
#[inline]
pub(crate) fn numeral_digit(c: char) -> Option<char> {
    Some(match c {
        '〇' | '零' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        _ => return None,
    })
}

/// Whether a query character is ignored: white space, and the apostrophe
/// used to separate pinyin syllables (`xi'an`).
#[inline]
pub(crate) fn ignored_in_query(c: char) -> bool {
    c.is_whitespace() || c == '\''
}

/// What a character of a name is, for matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An ASCII letter.
    Letter,
    /// An ASCII digit.
    Digit,
    /// Any other letter or number (Chinese characters included).
    Word,
    /// White space, punctuation, symbols, emoji, combining marks: skipping
    /// them costs nothing.
    Other,
}

/// The kind of an already folded character.
#[inline]
pub(crate) fn kind(c: char) -> Kind {
    if c.is_ascii_lowercase() {
        Kind::Letter
    } else if c.is_ascii_digit() {
        Kind::Digit
    } else if c.is_ascii() {
        Kind::Other
    } else if c.is_alphanumeric() {
        Kind::Word
    } else {
        Kind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_width() {
        assert_eq!(fold('A'), 'a');
        assert_eq!(fold('ｗ'), 'w');
        assert_eq!(fold('Ｗ'), 'w');
        assert_eq!(fold('３'), '3');
        assert_eq!(fold('　'), ' ');
        assert_eq!(fold('湖'), '湖');
        assert_eq!(fold('É'), 'é');
        // Lower case of U+0130 is two characters: kept as is.
        assert_eq!(fold('\u{130}'), '\u{130}');
    }

    #[test]
    fn numerals_stand_for_digits() {
        assert_eq!(numeral_digit('四'), Some('4'));
        assert_eq!(numeral_digit('〇'), Some('0'));
        assert_eq!(numeral_digit('十'), None);
        assert_eq!(numeral_digit('4'), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind('a'), Kind::Letter);
        assert_eq!(kind('7'), Kind::Digit);
        assert_eq!(kind('湖'), Kind::Word);
        assert_eq!(kind('é'), Kind::Word);
        assert_eq!(kind('-'), Kind::Other);
        assert_eq!(kind('（'), Kind::Other);
        assert_eq!(kind('😀'), Kind::Other);
        assert_eq!(kind('\u{301}'), Kind::Other);
    }
}
