//! The grid overview: per community and grid cell, how many needs are open,
//! how many offers reach it and how many linkages are in progress, so a
//! director sees where needs go unanswered.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::places::{PlaceIndex, NONE};
use crate::model::{Linkage, LinkageState, Need, Offer, PlaceLevel, Urgency};

/// One row: a community (its counts include its grid cells) or a grid cell.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OverviewRow {
    pub code: String,
    pub name: String,
    pub level: PlaceLevel,
    /// Open needs here.
    pub open_needs: usize,
    /// Of which urgent or high.
    pub urgent: usize,
    /// Available offers covering this place (or a place above or below it).
    pub offers: usize,
    /// Linkages in progress for needs here.
    pub in_progress: usize,
}

/// The rows, each community followed by its grid cells, in code order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Overview {
    pub rows: Vec<OverviewRow>,
}

/// Counts open needs, available offers and linkages in progress per
/// community and grid cell.
pub fn overview(
    places: &PlaceIndex,
    needs: &[(String, Need)],
    offers: &[(String, Offer)],
    linkages: &[(String, Linkage)],
    today: NaiveDate,
) -> Overview {
    // Rows: communities and grid cells, each community before its cells.
    let mut order: Vec<(String, String, u32)> = Vec::new();
    for (i, c) in places.chains().iter().enumerate() {
        let p = &places.places()[i];
        let key = match c.level {
            PlaceLevel::Community => (p.code.clone(), String::new()),
            PlaceLevel::Grid => match places.place(c.community) {
                Some(parent) => (parent.code.clone(), p.code.clone()),
                None => (p.code.clone(), String::new()),
            },
            _ => continue,
        };
        order.push((key.0, key.1, i as u32));
    }
    order.sort();
    let row_of: HashMap<u32, usize> = order
        .iter()
        .enumerate()
        .map(|(r, (_, _, id))| (*id, r))
        .collect();
    let mut rows: Vec<OverviewRow> = order
        .iter()
        .map(|(_, _, id)| {
            let p = &places.places()[*id as usize];
            OverviewRow {
                code: p.code.clone(),
                name: p.name.clone(),
                level: p.level,
                open_needs: 0,
                urgent: 0,
                offers: 0,
                in_progress: 0,
            }
        })
        .collect();
    // The rows a place counts in: its grid cell and its community.
    let rows_at = |code: &str| -> [Option<usize>; 2] {
        match places.chain(code) {
            Some(c) => [
                row_of.get(&c.grid).copied(),
                row_of.get(&c.community).copied(),
            ],
            None => [None, None],
        }
    };
    let mut need_rows: HashMap<&str, [Option<usize>; 2]> = HashMap::with_capacity(needs.len());
    for (id, n) in needs {
        let at = rows_at(&n.grid);
        need_rows.insert(id.as_str(), at);
        if !super::is_waiting(n) {
            continue;
        }
        for r in at.into_iter().flatten() {
            rows[r].open_needs += 1;
            if n.urgency >= Urgency::High {
                rows[r].urgent += 1;
            }
        }
    }
    // Offers: township-wide ones count everywhere in the township.
    let mut township_wide: HashMap<u32, usize> = HashMap::new();
    let mut touched: Vec<usize> = Vec::new();
    for (_, o) in offers {
        if !o.available(today) {
            continue;
        }
        touched.clear();
        let mut townships: Vec<u32> = Vec::new();
        for code in &o.covers {
            let Some(c) = places.chain(code) else {
                continue;
            };
            match c.level {
                PlaceLevel::District | PlaceLevel::Township => {
                    if c.level == PlaceLevel::Township {
                        townships.push(c.id);
                    } else {
                        // A district: every township under it.
                        for t in places.chains() {
                            if t.level == PlaceLevel::Township && t.district == c.id {
                                townships.push(t.id);
                            }
                        }
                    }
                }
                PlaceLevel::Community => {
                    touched.extend(row_of.get(&c.id));
                    for (i, g) in places.chains().iter().enumerate() {
                        if g.level == PlaceLevel::Grid && g.community == c.id {
                            touched.extend(row_of.get(&(i as u32)));
                        }
                    }
                }
                PlaceLevel::Grid | PlaceLevel::MicroGrid => {
                    touched.extend(row_of.get(&c.grid));
                    touched.extend(row_of.get(&c.community));
                }
            }
        }
        townships.sort_unstable();
        townships.dedup();
        for t in &townships {
            *township_wide.entry(*t).or_default() += 1;
        }
        touched.sort_unstable();
        touched.dedup();
        for &r in &touched {
            // Counted once: through its township if it covers that too.
            let t = places.chain(&rows[r].code).map_or(NONE, |c| c.township);
            if !townships.contains(&t) {
                rows[r].offers += 1;
            }
        }
    }
    if !township_wide.is_empty() {
        for row in &mut rows {
            if let Some(c) = places.chain(&row.code) {
                row.offers += township_wide.get(&c.township).copied().unwrap_or(0);
            }
        }
    }
    for (_, l) in linkages {
        if l.state != LinkageState::InProgress {
            continue;
        }
        if let Some(at) = need_rows.get(l.need.as_str()) {
            for r in at.iter().flatten() {
                rows[*r].in_progress += 1;
            }
        }
    }
    Overview { rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::places::tests::township;
    use crate::model::Domain;
    use crate::model::NeedState;

    #[test]
    fn counts_per_community_and_grid() {
        let idx = PlaceIndex::new(&township());
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let need = |grid: &str, urgency: Urgency, state: NeedState| Need {
            title: "需求".into(),
            domains: vec![Domain::Elderly],
            grid: grid.into(),
            urgency,
            state,
            ..Default::default()
        };
        let needs = vec![
            (
                "n1".to_string(),
                need("BSJ-01-01", Urgency::Urgent, NeedState::Open),
            ),
            (
                "n2".to_string(),
                need("BSJ-01-02", Urgency::Low, NeedState::Open),
            ),
            (
                "n3".to_string(),
                need("BSJ-01-02", Urgency::Low, NeedState::InProgress),
            ),
            (
                "n4".to_string(),
                need("BSJ-02", Urgency::High, NeedState::Open),
            ),
        ];
        let offer = |covers: &[&str]| Offer {
            title: "资源".into(),
            domains: vec![Domain::Elderly],
            provider: "o".into(),
            covers: covers.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        };
        let offers = vec![
            ("a".to_string(), offer(&["BSJ-01-01", "BSJ-01-02"])),
            ("b".to_string(), offer(&["BSJ-02"])),
            ("c".to_string(), offer(&["BSJ", "BSJ-01-01"])),
            ("d".to_string(), offer(&["LYJ-01-01"])),
        ];
        let linkages = vec![(
            "l".to_string(),
            Linkage {
                need: "n3".into(),
                offers: vec!["a".into()],
                state: LinkageState::InProgress,
                ..Default::default()
            },
        )];
        let o = overview(&idx, &needs, &offers, &linkages, day);
        let row = |code: &str| o.rows.iter().find(|r| r.code == code).unwrap().clone();
        let codes: Vec<&str> = o.rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "BSJ-01",
                "BSJ-01-01",
                "BSJ-01-02",
                "BSJ-02",
                "BSJ-02-01",
                "BSJ-02-02",
                "LYJ-01",
                "LYJ-01-01"
            ]
        );
        let c1 = row("BSJ-01");
        assert_eq!(
            (c1.open_needs, c1.urgent, c1.offers, c1.in_progress),
            (2, 1, 2, 1)
        );
        let g1 = row("BSJ-01-01");
        assert_eq!((g1.open_needs, g1.urgent, g1.offers), (1, 1, 2));
        let g2 = row("BSJ-01-02");
        assert_eq!((g2.open_needs, g2.offers, g2.in_progress), (1, 2, 1));
        let c2 = row("BSJ-02");
        assert_eq!((c2.open_needs, c2.urgent, c2.offers), (1, 1, 2));
        assert_eq!(row("BSJ-02-02").offers, 2);
        assert_eq!(row("LYJ-01-01").offers, 1);
    }
}
