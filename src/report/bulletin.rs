//! The monthly publicity bulletin (宣传发布): totals, highlights from
//! publishable activities, best-evaluated organizations and brand projects,
//! as Markdown or as one self-contained HTML page.

use std::collections::{BTreeSet, HashMap};

use crate::model::activity::{prev_month, tenths_text, BRAND_TAG};
use crate::model::evaluation::points_text;
use crate::model::{Evaluation, Lang, Organization, Rubric};
use crate::text::t_in;

use super::log::{ActivityLog, Slot};
use super::totals::Totals;

/// Highlights of each kind (largest, most beneficial) at most.
pub const HIGHLIGHTS: usize = 5;
/// Best-evaluated organizations listed at most.
pub const BEST: usize = 5;

/// One highlighted activity.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlight {
    pub date: String,
    pub orgs: String,
    pub title: String,
    pub participants: u32,
    pub beneficiaries: u32,
    pub summary: Option<String>,
}

/// One well-evaluated organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Best {
    pub org: String,
    pub period: String,
    pub total: String,
    pub grade: String,
}

/// One brand project: an organization tagged 品牌项目 or a publishable
/// activity tagged so this month.
#[derive(Debug, Clone, PartialEq)]
pub struct Brand {
    pub name: String,
    /// Activities of the month (of the organization), or the activity's date.
    pub detail: String,
}

/// The bulletin's content, before formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct Bulletin {
    pub lang: Lang,
    pub month: u32,
    pub totals: Totals,
    pub previous: Totals,
    /// Organizations that held at least one activity this month.
    pub active_orgs: usize,
    pub highlights: Vec<Highlight>,
    pub best: Vec<Best>,
    pub brands: Vec<Brand>,
    /// The 公益创投 round of the bulletin's year (else the newest): its title
    /// and `(label, value)` rows.
    pub venture: Option<(String, Vec<(String, String)>)>,
}

fn org_names(ids: &[String], orgs: &HashMap<String, Organization>) -> String {
    ids.iter()
        .map(|id| orgs.get(id).map(|o| o.name.as_str()).unwrap_or(id.as_str()))
        .collect::<Vec<_>>()
        .join("、")
}

fn highlight(s: &Slot, orgs: &HashMap<String, Organization>) -> Highlight {
    let a = &s.activity;
    Highlight {
        date: a.date.to_string(),
        orgs: org_names(&a.orgs, orgs),
        title: a.title.clone(),
        participants: a.participants.unwrap_or(0),
        beneficiaries: a.beneficiaries.unwrap_or(0),
        summary: a.summary.clone(),
    }
}

impl Bulletin {
    /// Gathers the bulletin of month `month` (a month key).
    pub fn build(
        month: u32,
        log: &ActivityLog,
        orgs: &HashMap<String, Organization>,
        evaluations: &[(String, Evaluation)],
        rubric: &Rubric,
        lang: Lang,
    ) -> Bulletin {
        let mut totals = Totals::default();
        let mut active = BTreeSet::new();
        let mut public: Vec<&Slot> = Vec::new();
        let mut brand_counts: HashMap<&str, u64> = HashMap::new();
        let this_month: Vec<Slot> = log.month(month).collect();
        for s in &this_month {
            totals.add(&s.activity);
            for o in &s.activity.orgs {
                active.insert(o.as_str());
                *brand_counts.entry(o.as_str()).or_default() += 1;
            }
            if s.activity.publishable {
                public.push(s);
            }
        }
        let mut previous = Totals::default();
        for s in log.month(prev_month(month)) {
            previous.add(&s.activity);
        }
        // Highlights: the largest, then the most beneficial not already shown.
        let mut by_people = public.clone();
        by_people.sort_by(|a, b| {
            b.activity
                .participants
                .cmp(&a.activity.participants)
                .then(a.id.cmp(&b.id))
        });
        let mut by_benefit = public.clone();
        by_benefit.sort_by(|a, b| {
            b.activity
                .beneficiaries
                .cmp(&a.activity.beneficiaries)
                .then(a.id.cmp(&b.id))
        });
        let mut shown = BTreeSet::new();
        let mut highlights = Vec::new();
        for list in [&by_people, &by_benefit] {
            for s in list.iter().take(HIGHLIGHTS) {
                if shown.insert(s.id.as_str()) {
                    highlights.push(highlight(s, orgs));
                }
            }
        }
        // Best evaluations: each organization's latest, highest totals first.
        let mut latest: HashMap<&str, &Evaluation> = HashMap::new();
        for (_, e) in evaluations {
            if !orgs.contains_key(&e.org) {
                continue;
            }
            let key = |e: &Evaluation| e.period().map(|p| p.sort_key());
            match latest.get(e.org.as_str()) {
                Some(cur) if key(cur) >= key(e) => {}
                _ => {
                    latest.insert(e.org.as_str(), e);
                }
            }
        }
        let mut graded: Vec<(u32, &str, &Evaluation)> = latest
            .into_iter()
            .map(|(org, e)| (e.grade(rubric).total_tenths, org, e))
            .collect();
        graded.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let best = graded
            .into_iter()
            .take(BEST)
            .map(|(total, org, e)| Best {
                org: org_names(&[org.to_string()], orgs),
                period: e.period.clone(),
                total: points_text(total),
                grade: rubric
                    .grade(total)
                    .map(|b| b.label(lang).to_string())
                    .unwrap_or_default(),
            })
            .collect();
        let mut brands: Vec<Brand> = Vec::new();
        let mut brand_orgs: Vec<(&String, &Organization)> = orgs
            .iter()
            .filter(|(_, o)| o.tags.iter().any(|t| t == BRAND_TAG))
            .collect();
        brand_orgs.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        for (id, o) in brand_orgs {
            let n = brand_counts.get(id.as_str()).copied().unwrap_or(0);
            brands.push(Brand {
                name: o.name.clone(),
                detail: crate::text::fill(t_in(lang, "activity.bulletin.brand_org"), &[("n", &n)]),
            });
        }
        for s in &public {
            if s.activity.is_brand() {
                brands.push(Brand {
                    name: s.activity.title.clone(),
                    detail: format!("{} {}", s.activity.date, org_names(&s.activity.orgs, orgs)),
                });
            }
        }
        Bulletin {
            lang,
            month,
            totals,
            previous,
            active_orgs: active.len(),
            highlights,
            best,
            brands,
            venture: None,
        }
    }

    /// Adds the 公益创投 round of the bulletin's year (else the newest):
    /// its figures, and its approved brand projects among the brand
    /// projects.
    pub fn with_venture(mut self, v: &crate::report::venture::Ventures) -> Bulletin {
        let year = (self.month / 100) as i32;
        let Some((id, round)) = v
            .rounds
            .iter()
            .find(|(_, r)| r.year == year)
            .or_else(|| v.rounds.first())
        else {
            return self;
        };
        let t = v.totals(id);
        let lang = self.lang;
        let money = crate::model::money::format;
        let rows = vec![
            (
                t_in(lang, "activity.bulletin.venture_approved").to_string(),
                format!("{}/{}", t.approved, t.applications),
            ),
            (
                t_in(lang, "activity.bulletin.venture_awarded").to_string(),
                format!("{} / {}", money(t.awarded_fen), money(round.budget_fen)),
            ),
            (
                t_in(lang, "activity.bulletin.venture_paid").to_string(),
                money(t.paid_fen),
            ),
            (
                t_in(lang, "activity.bulletin.activities").to_string(),
                t.figures.activities.to_string(),
            ),
            (
                t_in(lang, "activity.bulletin.beneficiaries").to_string(),
                t.figures.beneficiaries.to_string(),
            ),
        ];
        for (pid, a) in v.apps_of(id) {
            if a.brand
                && a.reached(crate::model::venture::AppState::Approved)
                    .is_some()
            {
                let f = v.figures(pid);
                self.brands.push(Brand {
                    name: a.title.clone(),
                    detail: crate::text::fill(
                        t_in(lang, "activity.bulletin.brand_project"),
                        &[
                            ("org", &v.org_name(&a.org)),
                            ("round", &round.title),
                            ("n", &f.activities),
                            ("b", &f.beneficiaries),
                        ],
                    ),
                });
            }
        }
        self.venture = Some((round.title.clone(), rows));
        self
    }

    fn t(&self, key: &str) -> String {
        t_in(self.lang, key).to_string()
    }

    fn title(&self) -> String {
        crate::text::fill(
            &self.t("activity.bulletin.title"),
            &[
                ("year", &(self.month / 100)),
                ("month", &(self.month % 100)),
            ],
        )
    }

    /// `(label, value)` rows of the totals.
    fn total_rows(&self) -> Vec<(String, String)> {
        let change = self.totals.activities as i64 - self.previous.activities as i64;
        vec![
            (
                self.t("activity.bulletin.activities"),
                format!(
                    "{} ({}{})",
                    self.totals.activities,
                    if change >= 0 { "+" } else { "" },
                    change
                ),
            ),
            (
                self.t("activity.bulletin.active_orgs"),
                self.active_orgs.to_string(),
            ),
            (
                self.t("activity.bulletin.participants"),
                self.totals.participants.to_string(),
            ),
            (
                self.t("activity.bulletin.beneficiaries"),
                self.totals.beneficiaries.to_string(),
            ),
            (
                self.t("activity.bulletin.hours"),
                tenths_text(self.totals.volunteer_tenths),
            ),
        ]
    }

    /// The bulletin as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}\n\n", md(&self.title()));
        out.push_str(&format!("## {}\n\n", self.t("activity.bulletin.totals")));
        out.push_str(&format!(
            "| {} | {} |\n| --- | ---: |\n",
            self.t("activity.bulletin.item"),
            self.t("activity.bulletin.value")
        ));
        for (k, v) in self.total_rows() {
            out.push_str(&format!("| {} | {} |\n", md(&k), md(&v)));
        }
        out.push_str(&format!(
            "\n## {}\n\n",
            self.t("activity.bulletin.highlights")
        ));
        if self.highlights.is_empty() {
            out.push_str(&format!("{}\n", self.t("activity.bulletin.none")));
        }
        for h in &self.highlights {
            out.push_str(&format!(
                "- **{}** ({}, {}): {}\n",
                md(&h.title),
                md(&h.date),
                md(&h.orgs),
                md(&self.people(h)),
            ));
            if let Some(s) = &h.summary {
                out.push_str(&format!("  {}\n", md(&one_line(s))));
            }
        }
        out.push_str(&format!("\n## {}\n\n", self.t("activity.bulletin.best")));
        if self.best.is_empty() {
            out.push_str(&format!("{}\n", self.t("activity.bulletin.none")));
        } else {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n| --- | --- | ---: | --- |\n",
                self.t("activity.bulletin.org"),
                self.t("activity.bulletin.period"),
                self.t("activity.bulletin.total"),
                self.t("activity.bulletin.grade"),
            ));
            for b in &self.best {
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    md(&b.org),
                    md(&b.period),
                    md(&b.total),
                    md(&b.grade)
                ));
            }
        }
        if let Some((title, rows)) = &self.venture {
            out.push_str(&format!(
                "\n## {}\n\n| {} | {} |\n| --- | ---: |\n",
                md(&crate::text::fill(
                    &self.t("activity.bulletin.venture"),
                    &[("round", title)]
                )),
                self.t("activity.bulletin.item"),
                self.t("activity.bulletin.value")
            ));
            for (k, v) in rows {
                out.push_str(&format!("| {} | {} |\n", md(k), md(v)));
            }
        }
        out.push_str(&format!("\n## {}\n\n", self.t("activity.bulletin.brands")));
        if self.brands.is_empty() {
            out.push_str(&format!("{}\n", self.t("activity.bulletin.none")));
        }
        for b in &self.brands {
            out.push_str(&format!("- **{}**: {}\n", md(&b.name), md(&b.detail)));
        }
        out
    }

    fn people(&self, h: &Highlight) -> String {
        crate::text::fill(
            &self.t("activity.bulletin.people"),
            &[("p", &h.participants), ("b", &h.beneficiaries)],
        )
    }

    /// The bulletin as one HTML page with inline CSS.
    pub fn html(&self) -> String {
        let title = html(&self.title());
        let lang = match self.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        };
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
        );
        out.push_str(&format!(
            "<h2>{}</h2>\n<table class=\"totals\">\n",
            html(&self.t("activity.bulletin.totals"))
        ));
        for (k, v) in self.total_rows() {
            out.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                html(&k),
                html(&v)
            ));
        }
        out.push_str("</table>\n");
        out.push_str(&format!(
            "<h2>{}</h2>\n",
            html(&self.t("activity.bulletin.highlights"))
        ));
        if self.highlights.is_empty() {
            out.push_str(&format!(
                "<p>{}</p>\n",
                html(&self.t("activity.bulletin.none"))
            ));
        } else {
            out.push_str("<ul>\n");
            for h in &self.highlights {
                out.push_str(&format!(
                    "<li><strong>{}</strong> <span class=\"meta\">{} · {} · {}</span>",
                    html(&h.title),
                    html(&h.date),
                    html(&h.orgs),
                    html(&self.people(h))
                ));
                if let Some(s) = &h.summary {
                    out.push_str(&format!("<p>{}</p>", html(s)));
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        out.push_str(&format!(
            "<h2>{}</h2>\n",
            html(&self.t("activity.bulletin.best"))
        ));
        if self.best.is_empty() {
            out.push_str(&format!(
                "<p>{}</p>\n",
                html(&self.t("activity.bulletin.none"))
            ));
        } else {
            out.push_str(&format!(
                "<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                html(&self.t("activity.bulletin.org")),
                html(&self.t("activity.bulletin.period")),
                html(&self.t("activity.bulletin.total")),
                html(&self.t("activity.bulletin.grade")),
            ));
            for b in &self.best {
                out.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                    html(&b.org),
                    html(&b.period),
                    html(&b.total),
                    html(&b.grade)
                ));
            }
            out.push_str("</table>\n");
        }
        if let Some((title, rows)) = &self.venture {
            out.push_str(&format!(
                "<h2>{}</h2>\n<table class=\"totals\">\n",
                html(&crate::text::fill(
                    &self.t("activity.bulletin.venture"),
                    &[("round", title)]
                ))
            ));
            for (k, v) in rows {
                out.push_str(&format!(
                    "<tr><th>{}</th><td>{}</td></tr>\n",
                    html(k),
                    html(v)
                ));
            }
            out.push_str("</table>\n");
        }
        out.push_str(&format!(
            "<h2>{}</h2>\n",
            html(&self.t("activity.bulletin.brands"))
        ));
        if self.brands.is_empty() {
            out.push_str(&format!(
                "<p>{}</p>\n",
                html(&self.t("activity.bulletin.none"))
            ));
        } else {
            out.push_str("<ul>\n");
            for b in &self.brands {
                out.push_str(&format!(
                    "<li><strong>{}</strong>: {}</li>\n",
                    html(&b.name),
                    html(&b.detail)
                ));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

pub const CSS: &str =
    "body{font-family:\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif;\
max-width:48em;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}\n\
h1{border-bottom:3px solid #b22;padding-bottom:.3em}\n\
h2{color:#b22;margin-top:1.6em}\n\
table{border-collapse:collapse;width:100%}\n\
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}\n\
td.num,.totals td{text-align:right}\n\
.meta{color:#666;font-size:.9em}\n\
@media print{body{margin:0;max-width:none}}\n";

/// Escapes text for HTML.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown (inline, and inside table cells).
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activity, OrgType, Score};
    use chrono::NaiveDate;

    fn d(m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, dd).unwrap()
    }

    fn slot(id: &str, m: u32, title: &str, p: u32, b: u32, publish: bool) -> Slot {
        let mut a = Activity::new("o1", d(m, 5), title);
        a.participants = Some(p);
        a.beneficiaries = Some(b);
        a.publishable = publish;
        Slot {
            id: id.into(),
            activity: a,
            community: None,
        }
    }

    fn fixture() -> Bulletin {
        let mut brand = slot("e", 11, "红色管家", 1, 1, true);
        brand.activity.tags = vec![BRAND_TAG.into()];
        let log = ActivityLog::build(vec![
            slot("a", 11, "大型义诊 <免费>", 120, 300, true),
            slot("b", 11, "内部会议", 500, 0, false),
            slot("c", 11, "助老送餐", 20, 800, true),
            slot("d", 10, "十月活动", 5, 5, true),
            brand,
        ]);
        let mut orgs = HashMap::new();
        let mut o = Organization::new("银龄*互助会", OrgType::Community);
        o.tags = vec![BRAND_TAG.into()];
        orgs.insert("o1".to_string(), o);
        let rubric = Rubric::shipped();
        let e = Evaluation {
            org: "o1".into(),
            period: "2026H1".into(),
            evaluators: vec![],
            scores: [(
                "satisfaction".to_string(),
                Score {
                    tenths: 95,
                    note: None,
                },
            )]
            .into_iter()
            .collect(),
            date: d(7, 1),
            notes: None,
        };
        Bulletin::build(202611, &log, &orgs, &[("e1".into(), e)], &rubric, Lang::Zh)
    }

    #[test]
    fn content_is_gathered() {
        let b = fixture();
        assert_eq!(b.totals.activities, 4);
        assert_eq!(b.totals.participants, 641);
        assert_eq!(b.previous.activities, 1);
        assert_eq!(b.active_orgs, 1);
        // The unpublishable meeting is left out; the largest comes first.
        let titles: Vec<&str> = b.highlights.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles, ["大型义诊 <免费>", "助老送餐", "红色管家"]);
        assert_eq!(b.best.len(), 1);
        assert_eq!(b.best[0].total, "9.5");
        assert_eq!(b.brands.len(), 2);
    }

    #[test]
    fn markdown_and_html_escape_text() {
        let b = fixture();
        let m = b.markdown();
        assert!(m.starts_with("# "), "{m}");
        assert!(m.contains("大型义诊 \\<免费\\>"), "{m}");
        assert!(m.contains("银龄\\*互助会"), "{m}");
        assert!(!m.contains("内部会议"));
        let h = b.html();
        assert!(h.starts_with("<!DOCTYPE html>"));
        assert!(h.contains("<style>"));
        assert!(h.contains("大型义诊 &lt;免费&gt;"));
        assert!(!h.contains("<免费>"));
        assert!(h.trim_end().ends_with("</html>"));
        assert_eq!(md("a|b"), "a\\|b");
        assert_eq!(html("\"x\" & 'y'"), "&quot;x&quot; &amp; &#39;y&#39;");
    }
}
