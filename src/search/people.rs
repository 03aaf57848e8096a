//! Finding an organization by its person in charge or its phone number, as
//! pane 1's search and `sanshe org list --search` both do: a query typed as
//! a phone number (at least three digits, separators and full-width digits
//! allowed) is looked for anywhere in the number; a query of two characters
//! or more is matched against the person's name as names are.

use super::Query;

/// Fewest digits a phone search needs (fewer match too much).
const PHONE_MIN_DIGITS: usize = 3;

/// The digits of a query typed as a phone number (`138 1234`, `0571-8`,
/// full-width digits too), or `None` if it is not one.
pub fn phone_query(query: &str) -> Option<String> {
    let mut digits = String::new();
    for c in query.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => digits.push(char::from_u32(c as u32 - 0xFEE0)?),
            ' ' | '-' | '－' | '　' => {}
            _ => return None,
        }
    }
    (digits.len() >= PHONE_MIN_DIGITS).then_some(digits)
}

/// True if the digits of `phone` as stored (`0571-8765 4321`) contain
/// `digits`; no allocation (this runs for every row on every key).
pub fn phone_has(phone: &str, digits: &str) -> bool {
    let mut buf = [0u8; 64];
    let mut n = 0;
    for b in phone.bytes().filter(u8::is_ascii_digit) {
        if n == buf.len() {
            break;
        }
        buf[n] = b;
        n += 1;
    }
    let want = digits.as_bytes();
    !want.is_empty() && buf[..n].windows(want.len()).any(|w| w == want)
}

/// Whether a query is worth looking for among people and phones: a phone
/// number (`digits`), or at least two characters (one letter would find
/// every 王 and 吴).
pub fn people_query(query: &Query, digits: Option<&str>) -> bool {
    digits.is_some() || query.len() >= 2
}

/// The score of a person in charge (`contact`) or phone number matching,
/// comparable with name scores for the same query; `None` if neither does.
/// `digits`: [`phone_query`] of the query.
pub fn people_score(
    query: &Query,
    digits: Option<&str>,
    contact: &str,
    phone: &str,
) -> Option<i64> {
    let by_phone = digits
        .filter(|d| phone_has(phone, d))
        .map(|d| 16 * d.len() as i64 + 8);
    let by_contact = (!contact.is_empty())
        .then(|| query.score(contact))
        .flatten();
    by_phone.max(by_contact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_queries() {
        assert_eq!(phone_query("8765 43").as_deref(), Some("876543"));
        assert_eq!(phone_query("１３８").as_deref(), Some("138"));
        assert_eq!(phone_query("13"), None);
        assert_eq!(phone_query("13a8"), None);
        assert!(phone_has("0571-8765 4321", "876543"));
        assert!(!phone_has("0571-8765 4321", "8888"));
        assert!(people_query(&Query::new("zw"), None));
        assert!(!people_query(&Query::new("z"), None));
        assert!(people_query(&Query::new("138"), Some("138")));
    }

    #[test]
    fn people_are_scored_by_name_or_number() {
        let q = Query::new("zhangwei");
        assert!(people_score(&q, None, "张伟", "").is_some());
        assert!(people_score(&q, None, "李娜", "").is_none());
        let d = phone_query("138");
        let q = Query::new("138");
        assert!(people_score(&q, d.as_deref(), "", "138 1234 5678").is_some());
        assert!(people_score(&q, d.as_deref(), "", "").is_none());
    }
}
