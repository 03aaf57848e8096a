//! A reviewer's scores as typed (`venture review --score KEY=POINTS`, the
//! app's sheet), checked against the stage's rubric: an unknown indicator
//! or points above an indicator's maximum are refused on the field
//! `scores.<key>`, every error collected; a sheet that is not recused must
//! score every indicator.

use super::ReviewSheet;
use crate::model::evaluation_input::score_field;
use crate::model::parse::parse_tenths;
use crate::model::{Rubric, Rule, ValidationErrors};

/// Applies `(indicator, points)` pairs onto `sheet` under `rubric`
/// (`key` names it in messages), then normalises and validates it.
pub fn apply(
    sheet: &mut ReviewSheet,
    pairs: &[(String, String)],
    key: &str,
    rubric: &Rubric,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    score_into(
        &mut sheet.scores,
        pairs,
        key,
        rubric,
        !sheet.recused,
        &mut e,
    );
    sheet.normalize();
    if let Err(found) = sheet.validate() {
        for f in found.0 {
            if (e.is_empty() || f.field != "scores") && e.for_field(&f.field).is_none() {
                e.0.push(f);
            }
        }
    }
    e.into_result()
}

/// Puts `(indicator, points)` pairs as typed into `scores` (tenths by
/// indicator) under `rubric` (`key` names it in messages): an unknown
/// indicator or points above its maximum are errors on `scores.<key>`;
/// with `complete`, every scored indicator must then have points. The one
/// way scores typed against a named rubric are read (review sheets, the
/// incubation exit assessment).
pub fn score_into(
    scores: &mut std::collections::BTreeMap<String, u32>,
    pairs: &[(String, String)],
    key: &str,
    rubric: &Rubric,
    complete: bool,
    e: &mut ValidationErrors,
) {
    let known = || {
        rubric
            .indicators()
            .map(|i| i.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (k, points) in pairs {
        match rubric.indicator(k) {
            None => e.push(
                &score_field(k),
                Rule::Other {
                    message: crate::tr!(
                        "venture.unknown_indicator",
                        rubric = key,
                        key = k,
                        known = known()
                    ),
                },
            ),
            Some((_, ind)) => match parse_tenths(points, ind.max) {
                Ok(t) => {
                    scores.insert(k.clone(), t);
                }
                Err(rule) => e.push(&score_field(k), rule),
            },
        }
    }
    if complete && e.is_empty() {
        let missing: Vec<&str> = rubric
            .indicators()
            .map(|i| i.key.as_str())
            .filter(|k| !scores.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            e.push(
                "scores",
                Rule::Other {
                    message: crate::tr!("venture.missing_indicators", keys = missing.join(", ")),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::venture::Stage;

    fn blank() -> ReviewSheet {
        ReviewSheet {
            application: "a".into(),
            stage: Stage::Review,
            reviewer: "甲".into(),
            scores: Default::default(),
            recused: false,
            date: "2026-05-01".parse().unwrap(),
            notes: None,
        }
    }

    fn rubric() -> Rubric {
        crate::model::rubric::SHIPPED_ALL
            .iter()
            .find(|(k, _)| *k == "venture-review")
            .map(|(_, t)| Rubric::from_toml(t).unwrap())
            .unwrap()
    }

    #[test]
    fn every_indicator_scored_within_its_maximum() {
        let r = rubric();
        let all: Vec<(String, String)> = r
            .indicators()
            .map(|i| (i.key.clone(), format!("{}.5", i.max - 1)))
            .collect();
        let mut s = blank();
        apply(&mut s, &all, "venture-review", &r).unwrap();
        assert_eq!(s.scores.len(), all.len());
        let first = r.indicators().next().unwrap();
        let mut s = blank();
        let e = apply(
            &mut s,
            &[
                (first.key.clone(), format!("{}", first.max + 1)),
                ("nope".into(), "1".into()),
            ],
            "venture-review",
            &r,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [format!("scores.{}", first.key).as_str(), "scores.nope"]
        );
        let mut s = blank();
        let e = apply(&mut s, &all[..1], "venture-review", &r).unwrap_err();
        assert_eq!(e.0[0].field, "scores", "the others are missing");
        let mut s = blank();
        s.recused = true;
        apply(&mut s, &[], "venture-review", &r).unwrap();
    }
}
