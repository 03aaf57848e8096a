//! CSV as we write it: UTF-8 with a byte-order mark (so Excel reads Chinese
//! correctly) and formula cells neutralised. Used by `sanshe export` and by
//! the `--format csv` of list and show commands.

/// Neutralises a CSV cell that a spreadsheet would read as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return at the start) by prefixing `'`.
pub fn csv_safe(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// CSV in UTF-8 with a byte-order mark, every cell through [`csv_safe`]
/// (the header as is). The error is a message for the user.
pub fn csv(header: &[String], rows: &[Vec<String>]) -> Result<String, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| e.to_string();
    w.write_record(header).map_err(fail)?;
    for r in rows {
        w.write_record(r.iter().map(|c| csv_safe(c)))
            .map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    let body = String::from_utf8(bytes).map_err(|e| e.to_string())?;
    Ok(format!("\u{feff}{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_bom_and_neutralises_formulas() {
        let s = csv(
            &["a".into(), "b".into()],
            &[vec!["=SUM(A1)".into(), "社区".into()]],
        )
        .unwrap();
        assert!(s.starts_with('\u{feff}'));
        assert!(s.contains("'=SUM(A1)"));
        assert!(s.contains("社区"));
        assert_eq!(csv_safe("-1"), "'-1");
        assert_eq!(csv_safe("普通"), "普通");
    }
}
