//! Unified social credit code (统一社会信用代码, GB 32100-2015).
//!
//! 18 characters from a 31-character set (digits and capitals without I, O,
//! S, V, Z). Position 17 is the GB 11714 organization-code check character;
//! position 18 the GB 32100 check character over positions 1 to 17.

use serde::{Deserialize, Serialize};

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS_18: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const WEIGHTS_17: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A credit code that is well-formed (its check characters may still be wrong
/// when it was accepted with `--accept-bad-checksum`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CreditCode(String);

/// Result of checking a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCheck {
    Valid,
    /// Well formed, but the check character at `pos` (17 or 18) should be `expected`.
    ChecksumMismatch {
        pos: u8,
        expected: char,
    },
    /// Not a credit code at all; `detail` says why (in English; the UI maps it).
    Malformed(MalformedReason),
}

/// Why a code is malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MalformedReason {
    /// Not 18 characters long; holds the length found.
    Length(usize),
    /// A character outside the set at the 1-based position.
    BadChar { pos: usize, ch: char },
    /// Positions 3 to 8 must be digits (region code).
    RegionNotDigits { pos: usize },
}

fn value_31(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// GB 11714 value: digits 0-9, letters A=10 ... Z=35.
fn value_36(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'A'..=b'Z' => (c - b'A') as u32 + 10,
        _ => 0,
    }
}

/// Normalises user input: trims, removes inner spaces, upper-cases.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(|c| c.to_uppercase())
        .collect()
}

/// The check character expected at position 18 for the first 17 characters.
/// `None` if any of them is outside the set.
pub fn expected_18(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().enumerate() {
        sum += value_31(c)? * WEIGHTS_18[i];
    }
    let r = (31 - sum % 31) % 31;
    Some(CHARSET[r as usize] as char)
}

/// The organization-code check character expected at position 17, computed
/// over positions 9 to 16.
pub fn expected_17(body8: &str) -> Option<char> {
    let b = body8.as_bytes();
    if b.len() != 8 {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS_17)
        .map(|(&c, w)| value_36(c) * w)
        .sum();
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).unwrap_or('0'),
    })
}

/// Checks a (normalised) code.
pub fn check(code: &str) -> CreditCheck {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return CreditCheck::Malformed(MalformedReason::Length(chars.len()));
    }
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii() || value_31(c as u8).is_none() {
            return CreditCheck::Malformed(MalformedReason::BadChar { pos: i + 1, ch: c });
        }
        if (2..8).contains(&i) && !c.is_ascii_digit() {
            return CreditCheck::Malformed(MalformedReason::RegionNotDigits { pos: i + 1 });
        }
    }
    // Position 17 checks the GB 11714 body only where that body is numeric or
    // an old-style code; new-style bodies (`MA...`) carry letters and follow
    // the same rule, so it applies to every code.
    let e17 = expected_17(&code[8..16]).unwrap_or('0');
    if chars[16] != e17 {
        return CreditCheck::ChecksumMismatch {
            pos: 17,
            expected: e17,
        };
    }
    let e18 = expected_18(&code[..17]).unwrap_or('0');
    if chars[17] != e18 {
        return CreditCheck::ChecksumMismatch {
            pos: 18,
            expected: e18,
        };
    }
    CreditCheck::Valid
}

impl CreditCode {
    /// Parses a code, refusing malformed ones and (unless
    /// `accept_bad_checksum`) ones with a wrong check character.
    pub fn parse(input: &str, accept_bad_checksum: bool) -> Result<CreditCode, CreditCheck> {
        let code = normalize(input);
        match check(&code) {
            CreditCheck::Valid => Ok(CreditCode(code)),
            CreditCheck::ChecksumMismatch { .. } if accept_bad_checksum => Ok(CreditCode(code)),
            other => Err(other),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Completes a 17-character prefix with its position-18 check character.
    pub fn complete(first17: &str) -> Option<String> {
        expected_18(first17).map(|c| format!("{first17}{c}"))
    }
}

impl std::fmt::Display for CreditCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &[&str] = &[
        "53100000500021676K",
        "12100000400009127B",
        "91512081MA62K0260E",
        "51100000500010993L",
        "52330106MA2H00014R",
        "51330102MA2CX00L37",
    ];

    #[test]
    fn domain_fixtures_are_valid() {
        for c in VALID {
            assert_eq!(check(c), CreditCheck::Valid, "{c}");
        }
    }

    #[test]
    fn tampered_and_malformed() {
        assert_eq!(
            check("53100000500021676A"),
            CreditCheck::ChecksumMismatch {
                pos: 18,
                expected: 'K'
            }
        );
        assert!(matches!(
            check("5110000050001099IL"),
            CreditCheck::Malformed(MalformedReason::BadChar { pos: 17, ch: 'I' })
        ));
        assert!(matches!(
            check("91350203M0001QAY9B"),
            CreditCheck::ChecksumMismatch { .. }
        ));
        assert!(matches!(
            check("5310000050002167"),
            CreditCheck::Malformed(MalformedReason::Length(16))
        ));
        assert!(matches!(
            check("531A0000500021676K"),
            CreditCheck::Malformed(MalformedReason::RegionNotDigits { pos: 4 })
        ));
    }

    #[test]
    fn every_single_character_change_is_caught() {
        for code in VALID {
            for pos in 0..18 {
                for &c in CHARSET.iter() {
                    let mut b = code.as_bytes().to_vec();
                    if b[pos] == c {
                        continue;
                    }
                    b[pos] = c;
                    let s = String::from_utf8(b).unwrap();
                    assert_ne!(check(&s), CreditCheck::Valid, "{s} from {code}");
                }
            }
        }
    }

    #[test]
    fn generated_codes_validate() {
        // Build codes the way the demo data does: body, then both checks.
        for n in 0..500u32 {
            let body = format!("MA{:06}", n * 7919 % 1_000_000);
            let c17 = expected_17(&body).unwrap();
            let first17 = format!("52330106{body}{c17}");
            let code = CreditCode::complete(&first17).unwrap();
            assert_eq!(check(&code), CreditCheck::Valid, "{code}");
        }
    }

    #[test]
    fn parse_normalises_and_honours_override() {
        assert_eq!(
            CreditCode::parse(" 53100000500021676k ", false)
                .unwrap()
                .as_str(),
            "53100000500021676K"
        );
        assert!(CreditCode::parse("53100000500021676A", false).is_err());
        assert!(CreditCode::parse("53100000500021676A", true).is_ok());
        assert!(CreditCode::parse("5110000050001099IL", true).is_err());
    }
}
