//! Amounts of money as rosters and staff write them (`10万元`, `100000元`,
//! `10.5` in a 万元 column, `1,000元`, `人民币10万元`), kept exactly as
//! whole fen (分): never a float.

/// Fen in one yuan (元) and in one 万元.
pub const FEN_PER_YUAN: u64 = 100;
pub const FEN_PER_WAN: u64 = 1_000_000;
/// The largest amount a record holds: 100 亿元 (a foundation's original
/// fund is far below; a slip of the unit is not).
pub const MAX_FEN: u64 = 10_000_000_000 * FEN_PER_YUAN;

/// The unit of a bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// 万元: what the registration system and most rosters use.
    #[default]
    Wan,
    Yuan,
}

impl Unit {
    fn fen(self) -> u64 {
        match self {
            Unit::Wan => FEN_PER_WAN,
            Unit::Yuan => FEN_PER_YUAN,
        }
    }
}

/// An amount in fen, or `None` when it is not an amount, is negative, has
/// more decimals than a fen, or is above [`MAX_FEN`]. A number without a
/// unit is in `bare`.
pub fn parse(input: &str, bare: Unit) -> Option<u64> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，'))
        .collect();
    let s = s
        .trim_start_matches("人民币")
        .trim_start_matches(['¥', '￥']);
    let (number, unit) = if let Some(n) = s.strip_suffix("万元").or_else(|| s.strip_suffix('万'))
    {
        (n, Unit::Wan)
    } else if let Some(n) = s.strip_suffix('元') {
        (n, Unit::Yuan)
    } else {
        (s, bare)
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if whole.len() > 15 {
        return None;
    }
    let per = unit.fen();
    // Decimals a fen allows in this unit: 2 in yuan, 6 in 万元; zeros past
    // them are fine (an Excel number written as 10.5000000).
    let places = per.ilog10() as usize;
    let frac = frac.trim_end_matches('0');
    if frac.len() > places {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut frac_fen: u64 = 0;
    for (i, b) in frac.bytes().enumerate() {
        frac_fen += u64::from(b - b'0') * 10u64.pow((places - 1 - i) as u32);
    }
    let fen = whole.checked_mul(per)?.checked_add(frac_fen)?;
    (fen <= MAX_FEN).then_some(fen)
}

/// An amount as 万元 when it is at least 1万元 (`10.5万元`), else in yuan
/// (`500元`, `12.34元`): exact, no trailing zeros.
pub fn format(fen: u64) -> String {
    fn decimal(n: u64, per: u64) -> String {
        let places = per.ilog10() as usize;
        let (w, f) = (n / per, n % per);
        if f == 0 {
            w.to_string()
        } else {
            let f = format!("{f:0places$}");
            format!("{w}.{}", f.trim_end_matches('0'))
        }
    }
    if fen >= FEN_PER_WAN {
        format!("{}万元", decimal(fen, FEN_PER_WAN))
    } else {
        format!("{}元", decimal(fen, FEN_PER_YUAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_fen() {
        assert_eq!(parse("10万元", Unit::Yuan), Some(10_000_000));
        assert_eq!(parse("10.5", Unit::Wan), Some(10_500_000));
        assert_eq!(parse("0.3", Unit::Wan), Some(300_000));
        assert_eq!(parse("10.500000", Unit::Wan), Some(10_500_000));
        assert_eq!(parse("1,000元", Unit::Wan), Some(100_000));
        assert_eq!(parse("人民币 3 万元", Unit::Yuan), Some(3_000_000));
        assert_eq!(parse("12.34元", Unit::Wan), Some(1234));
        assert_eq!(parse("￥500", Unit::Yuan), Some(50_000));
        assert_eq!(parse("12.345元", Unit::Wan), None, "less than a fen");
        assert_eq!(parse("-3", Unit::Wan), None);
        assert_eq!(parse("十万", Unit::Wan), None);
        assert_eq!(parse("", Unit::Wan), None);
        assert_eq!(parse(".", Unit::Wan), None);
        assert_eq!(parse("99999999999999999999", Unit::Wan), None);
        assert_eq!(parse("1000000万元", Unit::Wan), Some(MAX_FEN));
        assert_eq!(parse("1000001万元", Unit::Wan), None);
    }

    #[test]
    fn amounts_read_back() {
        assert_eq!(format(10_500_000), "10.5万元");
        assert_eq!(format(10_000_000), "10万元");
        assert_eq!(format(1234), "12.34元");
        assert_eq!(format(50_000), "500元");
        for fen in [1, 99, 100, 999_999, 1_000_000, 1_234_567, MAX_FEN] {
            assert_eq!(parse(&format(fen), Unit::Wan), Some(fen), "{fen}");
        }
    }
}
