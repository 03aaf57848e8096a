//! Mainland China phone numbers: mobile (11 digits starting 13-19) or
//! landline (area code 0xx/0xxx, then 7-8 digits, optional extension).

/// Normalises a phone number: removes spaces, a `+86`/`0086` prefix, and
/// accepts full-width digits and dashes. Returns `None` if it is not valid.
pub fn normalize(input: &str) -> Option<String> {
    let mut s: String = input
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '－' | '—' | '–' => Some('-'),
            ' ' | '\u{3000}' | '(' | ')' | '（' | '）' => None,
            c => Some(c),
        })
        .collect();
    if let Some(rest) = s.strip_prefix("+86") {
        s = rest.trim_start_matches('-').to_string();
    } else if let Some(rest) = s.strip_prefix("0086") {
        s = rest.trim_start_matches('-').to_string();
    }
    if is_mobile(&s) {
        return Some(s);
    }
    landline(&s)
}

/// True for a valid number.
pub fn is_valid(input: &str) -> bool {
    normalize(input).is_some()
}

fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
}

/// Landline: `0571-87654321`, `057187654321`, `0571-8765432-123`.
/// A number of 7-8 digits with no area code is accepted too (local calls),
/// as long as it does not start with 0 or 1.
fn landline(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !parts.iter().all(|p| digits(p)) {
        return None;
    }
    let local_ok = |p: &str| (7..=8).contains(&p.len()) && !p.starts_with(['0', '1']);
    let area_ok = |p: &str| (3..=4).contains(&p.len()) && p.starts_with('0') && p != "000";
    match parts.as_slice() {
        [one] if one.starts_with('0') => {
            // Area code glued to the number: try 3- and 4-digit area codes.
            for n in [3, 4] {
                if one.len() > n && area_ok(&one[..n]) && local_ok(&one[n..]) {
                    return Some(format!("{}-{}", &one[..n], &one[n..]));
                }
            }
            None
        }
        [one] if local_ok(one) => Some(one.to_string()),
        [area, local] if area_ok(area) && local_ok(local) => Some(format!("{area}-{local}")),
        [area, local, ext] if area_ok(area) && local_ok(local) && ext.len() <= 6 => {
            Some(format!("{area}-{local}-{ext}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert_eq!(normalize("13812345678").as_deref(), Some("13812345678"));
        assert_eq!(
            normalize("+86 138 1234 5678").as_deref(),
            Some("13812345678")
        );
        assert_eq!(
            normalize("１３８１２３４５６７８").as_deref(),
            Some("13812345678")
        );
        assert!(normalize("12812345678").is_none());
        assert!(normalize("1381234567").is_none());
        assert!(normalize("138123456789").is_none());
    }

    #[test]
    fn landlines() {
        assert_eq!(normalize("0571-87654321").as_deref(), Some("0571-87654321"));
        assert_eq!(normalize("057187654321").as_deref(), Some("0571-87654321"));
        assert_eq!(normalize("010-12345678").as_deref(), None); // local part starts with 1
        assert_eq!(normalize("010-62345678").as_deref(), Some("010-62345678"));
        assert_eq!(normalize("(0571)8765432").as_deref(), Some("0571-8765432"));
        assert_eq!(
            normalize("0571-87654321-808").as_deref(),
            Some("0571-87654321-808")
        );
        assert_eq!(normalize("87654321").as_deref(), Some("87654321"));
        assert!(normalize("abc").is_none());
        assert!(normalize("").is_none());
        assert!(normalize("0571-876").is_none());
    }
}
