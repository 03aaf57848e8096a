//! Activities and evaluations as spreadsheet rows.

use super::{date, join, num, opt, time, yes_no, Lookups};
use crate::model::activity::tenths_text;
use crate::model::evaluation::points_text;
use crate::model::{Activity, Evaluation, Kind, Labeled, Lang, Rubric};

/// Columns of an activity.
pub const ACTIVITY: &[&str] = &[
    "id",
    "title",
    "date",
    "start",
    "end",
    "kind",
    "domain",
    "orgs",
    "org_name",
    "grid",
    "grid_name",
    "community_name",
    "venue",
    "participants",
    "beneficiaries",
    "volunteer_hours",
    "needs",
    "need_name",
    "linkages",
    "summary",
    "publishable",
    "tags",
];

pub fn activity(id: &str, a: &Activity, lk: &Lookups, lang: Lang) -> Vec<String> {
    let grid = a.grid.as_deref().unwrap_or("");
    vec![
        id.to_string(),
        a.title.clone(),
        date(Some(a.date)),
        time(a.start),
        time(a.end),
        a.kind.label(lang).to_string(),
        a.domain.map(|d| d.label(lang)).unwrap_or("").to_string(),
        join(&a.orgs),
        lk.names(Kind::Org, &a.orgs),
        grid.to_string(),
        lk.place(grid).to_string(),
        lk.community(grid).to_string(),
        opt(&a.venue),
        num(a.participants),
        num(a.beneficiaries),
        a.volunteer_tenths
            .map(|t| tenths_text(u64::from(t)))
            .unwrap_or_default(),
        join(&a.needs),
        lk.names(Kind::Need, &a.needs),
        join(&a.linkages),
        opt(&a.summary),
        yes_no(a.publishable, lang),
        join(&a.tags),
    ]
}

/// Columns of an evaluation: one per dimension of the rubric (keyed by its
/// label, which is also its header) between the evaluators and the total.
/// Without a rubric there are no subtotals and no grade.
pub fn evaluation_columns(rubric: Option<&Rubric>, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = ["id", "period", "org", "org_name", "date", "evaluators"]
        .iter()
        .map(|c| c.to_string())
        .collect();
    if let Some(r) = rubric {
        out.extend(r.dimensions.iter().map(|d| d.label(lang).to_string()));
    }
    out.extend(["total", "grade", "notes"].iter().map(|c| c.to_string()));
    out
}

pub fn evaluation(id: &str, e: &Evaluation, lk: &Lookups, lang: Lang) -> Vec<String> {
    let mut out = vec![
        id.to_string(),
        e.period.clone(),
        e.org.clone(),
        lk.name(Kind::Org, &e.org).to_string(),
        date(Some(e.date)),
        join(&e.evaluators),
    ];
    match &lk.rubric {
        Some(r) => {
            let g = e.grade(r);
            out.extend(g.dimensions.iter().map(|t| points_text(*t)));
            out.push(points_text(g.total_tenths));
            out.push(g.band.map(|b| b.label(lang)).unwrap_or("").to_string());
        }
        None => {
            out.push(points_text(e.scores.values().map(|s| s.tenths).sum()));
            out.push(String::new());
        }
    }
    out.push(opt(&e.notes));
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{cell, lookups};
    use super::super::{sheet, Lookups, Sheet};
    use crate::model::{Activity, ActivityKind, Domain, Evaluation, Lang, Record, Rubric, Score};
    use chrono::{NaiveDate, NaiveTime};

    fn one(r: Record, lk: &Lookups, lang: Lang) -> Sheet {
        let kind = r.kind();
        sheet(kind, &[("x1-1".into(), r)], lk, lang).unwrap()
    }

    #[test]
    fn activity_with_organization_place_and_need_names() {
        let mut a = Activity::new(
            "k1-1",
            NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            "重阳敬老",
        );
        a.orgs.push("k1-9".into());
        a.start = NaiveTime::from_hms_opt(9, 0, 0);
        a.end = NaiveTime::from_hms_opt(11, 30, 0);
        a.kind = ActivityKind::Volunteer;
        a.domain = Some(Domain::Elderly);
        a.grid = Some("BSJ-01-01".into());
        a.venue = Some("活动室".into());
        a.participants = Some(30);
        a.beneficiaries = Some(45);
        a.volunteer_tenths = Some(125);
        a.needs = vec!["n1-1".into()];
        a.linkages = vec!["l1-1".into()];
        a.publishable = true;
        a.tags = vec!["品牌项目".into(), "敬老".into()];
        let lk = lookups();
        let zh = one(Record::Activity(a.clone()), &lk, Lang::Zh);
        assert_eq!(
            zh.rows[0],
            [
                "x1-1",
                "重阳敬老",
                "2026-11-03",
                "09:00",
                "11:30",
                "志愿服务",
                "养老服务",
                "k1-1、k1-9",
                "宝石山读书会",
                "BSJ-01-01",
                "第一网格",
                "宝石山社区",
                "活动室",
                "30",
                "45",
                "12.5",
                "n1-1",
                "独居老人助餐",
                "l1-1",
                "",
                "是",
                "品牌项目、敬老",
            ]
        );
        let en = one(Record::Activity(a), &lk, Lang::En);
        assert_eq!(cell(&en, "kind"), "Volunteer action");
        assert_eq!(cell(&en, "domain"), "Elderly care");
        assert_eq!(cell(&en, "publishable"), "yes");
    }

    fn eval() -> Evaluation {
        let score = |t| Score {
            tenths: t,
            note: None,
        };
        Evaluation {
            org: "k1-1".into(),
            period: "2026H1".into(),
            evaluators: vec!["王".into(), "李".into()],
            scores: [
                ("staff".to_string(), score(80)),
                ("methods".to_string(), score(85)),
                ("satisfaction".to_string(), score(100)),
            ]
            .into_iter()
            .collect(),
            date: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
            notes: Some("材料齐全".into()),
        }
    }

    #[test]
    fn evaluation_with_dimension_subtotals_total_and_grade() {
        let mut lk = lookups();
        lk.rubric = Some(Rubric::shipped());
        let zh = one(Record::Evaluation(eval()), &lk, Lang::Zh);
        assert_eq!(
            zh.columns,
            [
                "id",
                "period",
                "org",
                "org_name",
                "date",
                "evaluators",
                "专业水平",
                "服务效率",
                "管理规范",
                "社会经济效益",
                "total",
                "grade",
                "notes",
            ]
        );
        assert_eq!(
            zh.rows[0],
            [
                "x1-1",
                "2026H1",
                "k1-1",
                "宝石山读书会",
                "2026-07-01",
                "王、李",
                "16.5",
                "0",
                "0",
                "10",
                "26.5",
                "不合格",
                "材料齐全",
            ]
        );
        let en = one(Record::Evaluation(eval()), &lk, Lang::En);
        assert_eq!(en.columns[6], "Professional level");
        assert_eq!(cell(&en, "Professional level"), "16.5");
        assert_eq!(cell(&en, "grade"), "Fail");
        // Without a rubric: the plain sum, no subtotals, no grade.
        lk.rubric = None;
        let bare = one(Record::Evaluation(eval()), &lk, Lang::Zh);
        assert_eq!(bare.columns.len(), 9);
        assert_eq!(cell(&bare, "total"), "26.5");
        assert_eq!(cell(&bare, "grade"), "");
    }
}
