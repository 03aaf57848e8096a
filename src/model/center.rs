//! The center itself (policy section 五): its profile (registration, the
//! two managing bodies' contacts, the office, how it is run, director,
//! staff, board, funding, coordination meetings) and the compliance
//! checklist tied to the clauses of section 五 and 六, answered from the
//! data where the data can answer and by hand with evidence otherwise.
//!
//! One center record per office (its `office` is the database's office
//! name), so a district database that imports several offices' bundles
//! holds each office's center side by side.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::venture::Mark;
use super::{bounds, Kind, OrgType, Organization, RegState, Rule, ValidationErrors};

crate::labeled_enum! {
    /// Whether the office is the center's own.
    #[derive(Default)]
    pub enum OfficeUse {
        #[default]
        Independent = ("independent", "独立使用", "Independent"),
        Shared = ("shared", "与其他单位共用", "Shared"),
    }
}

crate::labeled_enum! {
    /// Who runs the center.
    #[derive(Default)]
    pub enum Operation {
        #[default]
        SelfRun = ("self-run", "自主运营", "Self-run"),
        Contracted = ("contracted", "委托运营", "Run under contract"),
    }
}

crate::labeled_enum! {
    /// A seat on the board.
    #[derive(Default)]
    pub enum BoardRole {
        Chair = ("chair", "理事长", "Chair"),
        #[default]
        Member = ("member", "理事", "Board member"),
        Supervisor = ("supervisor", "监事", "Supervisor"),
    }
}

crate::labeled_enum! {
    /// Where money comes from (section 五(五)).
    #[derive(Default)]
    pub enum FundingKind {
        #[default]
        Purchase = ("purchase", "政府购买服务", "Government purchase of services"),
        Grant = ("grant", "资助", "Grant"),
        Award = ("award", "奖励", "Award"),
        Donation = ("donation", "社会捐赠", "Donation"),
        Other = ("other", "其他", "Other"),
    }
}

/// One member of staff, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub full_time: bool,
    pub qualification: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One board seat, by the person's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardSeat {
    pub role: BoardRole,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One source of money for a period, by its key ([`Funding::key`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funding {
    pub kind: FundingKind,
    pub payer: String,
    pub contract: Option<String>,
    pub amount_fen: u64,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Funding {
    /// The key a funding is kept under: its contract number, else the
    /// start date and payer (so two offices recording the same contract
    /// meet on one entry).
    pub fn key(&self) -> String {
        match &self.contract {
            Some(c) => c.clone(),
            None => format!("{} {}", self.from, self.payer),
        }
    }

    /// Whether the funding covers any day of `year`.
    pub fn in_year(&self, year: i32) -> bool {
        self.from.year() <= year && self.to.year() >= year
    }
}

/// A coordination meeting (定期会商) with the street, committees or others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub date: NaiveDate,
    /// With whom (街道办事处, 居委会...).
    pub with: String,
    pub topic: String,
    pub notes: Option<String>,
}

impl Meeting {
    /// The key a meeting is kept under.
    pub fn key(&self) -> String {
        format!("{} {}", self.date, self.topic)
    }
}

/// A checklist item answered by hand, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub ok: bool,
    pub evidence: String,
    pub mark: Mark,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Center {
    /// The office this center is (the database's office name).
    pub office: String,
    pub name: String,
    /// Its own record in the register.
    pub org: Option<String>,
    /// Contact at the registering authority (登记管理机关).
    pub authority_contact: Option<String>,
    /// Contact at the street or township (共同管理).
    pub street_contact: Option<String>,
    /// How the public makes a complaint (phone, mailbox...).
    pub complaints: Option<String>,
    pub address: Option<String>,
    /// Office area in tenths of a square metre.
    pub office_area_tenths: Option<u32>,
    pub office_use: OfficeUse,
    pub equipment: Vec<String>,
    pub operation: Operation,
    /// The contracted operator, its contract and period.
    pub operator: Option<String>,
    pub contract: Option<String>,
    pub contract_from: Option<NaiveDate>,
    pub contract_to: Option<NaiveDate>,
    pub director: Option<String>,
    /// Staff by name.
    pub staff: BTreeMap<String, Staff>,
    /// Board seats by name.
    pub board: BTreeMap<String, BoardSeat>,
    /// Funding by [`Funding::key`].
    pub funding: BTreeMap<String, Funding>,
    /// Coordination meetings by [`Meeting::key`].
    pub meetings: BTreeMap<String, Meeting>,
    /// Items answered by hand, by item key.
    pub checks: BTreeMap<String, Check>,
    pub notes: Option<String>,
}

fn clean(o: &mut Option<String>) {
    if let Some(s) = o {
        let t = s.trim();
        *o = (!t.is_empty()).then(|| t.to_string());
    }
}

impl Center {
    /// An empty profile of `office`'s center.
    pub fn new(office: &str, name: &str) -> Center {
        Center {
            office: office.to_string(),
            name: name.to_string(),
            org: None,
            authority_contact: None,
            street_contact: None,
            complaints: None,
            address: None,
            office_area_tenths: None,
            office_use: OfficeUse::default(),
            equipment: Vec::new(),
            operation: Operation::default(),
            operator: None,
            contract: None,
            contract_from: None,
            contract_to: None,
            director: None,
            staff: BTreeMap::new(),
            board: BTreeMap::new(),
            funding: BTreeMap::new(),
            meetings: BTreeMap::new(),
            checks: BTreeMap::new(),
            notes: None,
        }
    }

    pub fn normalize(&mut self) {
        self.office = self.office.trim().to_string();
        self.name = self.name.trim().to_string();
        for o in [
            &mut self.org,
            &mut self.authority_contact,
            &mut self.street_contact,
            &mut self.complaints,
            &mut self.address,
            &mut self.operator,
            &mut self.contract,
            &mut self.director,
            &mut self.notes,
        ] {
            clean(o);
        }
        bounds::unix_lines(&mut self.notes);
        for e in self.equipment.iter_mut() {
            *e = e.trim().to_string();
        }
        self.equipment.retain(|e| !e.is_empty());
        self.equipment.sort();
        self.equipment.dedup();
        for s in self.staff.values_mut() {
            clean(&mut s.qualification);
        }
        for f in self.funding.values_mut() {
            f.payer = f.payer.trim().to_string();
            clean(&mut f.contract);
        }
        for m in self.meetings.values_mut() {
            m.with = m.with.trim().to_string();
            m.topic = m.topic.trim().to_string();
            clean(&mut m.notes);
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let k = Kind::Center;
        if self.office.is_empty() {
            e.push("office", Rule::Required);
        }
        super::need::check_title(&mut e, k, "name", &self.name);
        for (f, v) in [
            ("org", &self.org),
            ("authority_contact", &self.authority_contact),
            ("street_contact", &self.street_contact),
            ("complaints", &self.complaints),
            ("address", &self.address),
            ("operator", &self.operator),
            ("contract", &self.contract),
            ("director", &self.director),
            ("notes", &self.notes),
        ] {
            bounds::opt_text(&mut e, k, f, v);
        }
        if self
            .office_area_tenths
            .is_some_and(|a| a == 0 || a > 1_000_000)
        {
            e.push("office_area", Rule::Tenths { max: 100_000 });
        }
        bounds::texts(&mut e, k, "equipment", self.equipment.iter());
        if let (Some(a), Some(b)) = (self.contract_from, self.contract_to) {
            if b < a {
                e.push("contract_to", Rule::DateOrder);
            }
        }
        bounds::opt_date(&mut e, "contract_from", self.contract_from);
        bounds::opt_date(&mut e, "contract_to", self.contract_to);
        bounds::texts(&mut e, k, "staff", self.staff.keys());
        for s in self.staff.values() {
            bounds::opt_text(&mut e, k, "qualification", &s.qualification);
            if let (Some(a), Some(b)) = (s.from, s.to) {
                if b < a {
                    e.push("staff_to", Rule::DateOrder);
                }
            }
        }
        bounds::texts(&mut e, k, "board", self.board.keys());
        for b in self.board.values() {
            bounds::opt_date(&mut e, "board_from", Some(b.from));
            if b.to < b.from {
                e.push("board_to", Rule::DateOrder);
            }
        }
        bounds::texts(&mut e, k, "funding", self.funding.keys());
        for f in self.funding.values() {
            if f.payer.is_empty() {
                e.push("payer", Rule::Required);
            }
            bounds::text(&mut e, k, "payer", &f.payer);
            bounds::opt_text(&mut e, k, "contract", &f.contract);
            if f.to < f.from {
                e.push("funding_to", Rule::DateOrder);
            }
            bounds::opt_date(&mut e, "funding_from", Some(f.from));
        }
        bounds::texts(&mut e, k, "meetings", self.meetings.keys());
        for m in self.meetings.values() {
            if m.topic.is_empty() {
                e.push("topic", Rule::Required);
            }
            bounds::text(&mut e, k, "topic", &m.topic);
            bounds::text(&mut e, k, "with", &m.with);
            bounds::opt_text(&mut e, k, "notes", &m.notes);
            bounds::opt_date(&mut e, "meeting_date", Some(m.date));
        }
        bounds::texts(&mut e, k, "checks", self.checks.keys());
        for c in self.checks.values() {
            bounds::text(&mut e, k, "evidence", &c.evidence);
        }
        e.into_result()
    }

    /// Board seats whose term covers `day`.
    pub fn board_on(&self, day: NaiveDate) -> impl Iterator<Item = (&String, &BoardSeat)> {
        self.board
            .iter()
            .filter(move |(_, b)| b.from <= day && day <= b.to)
    }

    /// Funding that covers any day of `year`.
    pub fn funding_in(&self, year: i32) -> impl Iterator<Item = &Funding> {
        self.funding.values().filter(move |f| f.in_year(year))
    }

    /// Staff at work on `day` (no dates: at work).
    pub fn staff_on(&self, day: NaiveDate) -> impl Iterator<Item = (&String, &Staff)> {
        self.staff
            .iter()
            .filter(move |(_, s)| s.from.is_none_or(|f| f <= day) && s.to.is_none_or(|t| day <= t))
    }
}

/// What a checklist item says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Fail,
    Unknown,
}

/// A checklist item answered by hand (`[[center.check]]` in config.toml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualItem {
    pub key: String,
    /// The clause it is tied to, as written in the policy: `五(二)`.
    pub clause: String,
    pub zh: String,
    pub en: String,
}

/// The thresholds and hand-answered items of the checklist
/// (`[center]` in config.toml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Minimum office area in square metres (policy: 50; some local
    /// standards ask 100 for centers that run 双孵化).
    pub min_office_m2: u32,
    /// One member of staff per this many organizations served (0: not
    /// checked).
    pub orgs_per_staff: u32,
    /// Items answered by hand; replaces the default list when given.
    #[serde(rename = "check")]
    pub checks: Vec<ManualItem>,
}

impl Default for Rules {
    fn default() -> Self {
        let item = |key: &str, clause: &str, zh: &str, en: &str| ManualItem {
            key: key.into(),
            clause: clause.into(),
            zh: zh.into(),
            en: en.into(),
        };
        Rules {
            min_office_m2: 50,
            orgs_per_staff: 0,
            checks: vec![
                item(
                    "equipment",
                    "五(三)",
                    "配备工作所需的办公设施与设备",
                    "Office furniture and equipment for the work",
                ),
                item(
                    "director_system",
                    "五(五)",
                    "理事会领导下的中心主任负责制",
                    "Director responsible under the board",
                ),
                item(
                    "disclosure",
                    "六(五)",
                    "信息公开，接受社会监督",
                    "Information disclosed for public oversight",
                ),
            ],
        }
    }
}

/// The automatic items, in checklist order: key and clause.
pub const AUTOMATIC: [(&str, &str); 8] = [
    ("registered", "五(一)"),
    ("joint_management", "五(二)"),
    ("office_area", "五(三)"),
    ("office_independent", "五(三)"),
    ("director", "五(四)"),
    ("staff", "五(四)"),
    ("board", "五(五)"),
    ("funding", "五(五)"),
];

/// One item of the checklist. `detail` carries the facts (numbers, names)
/// the words are built from; `key` names the item's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub key: String,
    pub clause: String,
    pub status: Status,
    /// The facts behind the answer, in words of the user's language (made
    /// by the caller from [`Fact`]).
    #[serde(skip)]
    pub fact: Fact,
    /// Whether the item is answered by hand.
    pub manual: bool,
}

/// What an item found, for its detail text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Fact {
    #[default]
    Missing,
    /// The register record: its type and state (or none linked).
    Registration {
        kind: Option<OrgType>,
        state: Option<RegState>,
    },
    Contacts {
        authority: bool,
        street: bool,
    },
    Area {
        tenths: u32,
        min_m2: u32,
    },
    Use(OfficeUse),
    Director(String),
    Staff {
        staff: usize,
        orgs: usize,
        per: u32,
    },
    Board {
        seats: usize,
        until: NaiveDate,
    },
    Funding {
        sources: usize,
        fen: u64,
    },
    ByHand {
        evidence: String,
        mark: Mark,
    },
}

/// What the checklist needs beyond the center record.
pub struct Facts<'a> {
    pub center: &'a Center,
    /// The center's own record in the register, if linked and found.
    pub org: Option<&'a Organization>,
    /// Organizations served (active in the register).
    pub orgs_served: usize,
    pub today: NaiveDate,
}

/// The compliance checklist: the automatic items, then the items answered
/// by hand in `rules`.
pub fn compliance(f: &Facts, rules: &Rules) -> Vec<Item> {
    let c = f.center;
    let year = f.today.year();
    let auto = |key: &str, status: Status, fact: Fact| {
        let clause = AUTOMATIC
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, c)| c);
        Item {
            key: key.into(),
            clause: clause.into(),
            status,
            fact,
            manual: false,
        }
    };
    let yes = |b: bool| if b { Status::Ok } else { Status::Fail };
    let mut out = Vec::new();
    out.push(match f.org {
        None => auto("registered", Status::Unknown, Fact::Missing),
        Some(o) => auto(
            "registered",
            yes(o.kind == OrgType::ServiceOrg && o.state == RegState::Registered),
            Fact::Registration {
                kind: Some(o.kind),
                state: Some(o.state),
            },
        ),
    });
    let (a, s) = (c.authority_contact.is_some(), c.street_contact.is_some());
    out.push(auto(
        "joint_management",
        yes(a && s),
        Fact::Contacts {
            authority: a,
            street: s,
        },
    ));
    out.push(match c.office_area_tenths {
        None => auto("office_area", Status::Unknown, Fact::Missing),
        Some(t) => auto(
            "office_area",
            yes(u64::from(t) >= u64::from(rules.min_office_m2) * 10),
            Fact::Area {
                tenths: t,
                min_m2: rules.min_office_m2,
            },
        ),
    });
    out.push(match c.address {
        None => auto("office_independent", Status::Unknown, Fact::Missing),
        Some(_) => auto(
            "office_independent",
            yes(c.office_use == OfficeUse::Independent),
            Fact::Use(c.office_use),
        ),
    });
    out.push(match &c.director {
        None => auto("director", Status::Fail, Fact::Missing),
        Some(d) => auto("director", Status::Ok, Fact::Director(d.clone())),
    });
    let staff = c.staff_on(f.today).count();
    let per = rules.orgs_per_staff;
    out.push(auto(
        "staff",
        if staff == 0 {
            Status::Fail
        } else if per == 0 {
            Status::Ok
        } else {
            yes(staff * per as usize >= f.orgs_served)
        },
        Fact::Staff {
            staff,
            orgs: f.orgs_served,
            per,
        },
    ));
    let seats: Vec<&BoardSeat> = c.board_on(f.today).map(|(_, b)| b).collect();
    out.push(match seats.iter().map(|b| b.to).min() {
        None => auto("board", Status::Fail, Fact::Missing),
        Some(until) => auto(
            "board",
            yes(seats.iter().any(|b| b.role == BoardRole::Chair)),
            Fact::Board {
                seats: seats.len(),
                until,
            },
        ),
    });
    let funding: Vec<&Funding> = c.funding_in(year).collect();
    out.push(auto(
        "funding",
        yes(!funding.is_empty()),
        if funding.is_empty() {
            Fact::Missing
        } else {
            Fact::Funding {
                sources: funding.len(),
                fen: funding.iter().map(|f| f.amount_fen).sum(),
            }
        },
    ));
    for m in &rules.checks {
        let (status, fact) = match c.checks.get(&m.key) {
            None => (Status::Unknown, Fact::Missing),
            Some(ch) => (
                yes(ch.ok),
                Fact::ByHand {
                    evidence: ch.evidence.clone(),
                    mark: ch.mark.clone(),
                },
            ),
        };
        out.push(Item {
            key: m.key.clone(),
            clause: m.clause.clone(),
            status,
            fact,
            manual: true,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn status(items: &[Item], key: &str) -> Status {
        items.iter().find(|i| i.key == key).unwrap().status
    }

    #[test]
    fn items_turn_from_fail_to_ok_as_the_profile_is_filled() {
        let mut c = Center::new("西湖街道", "西湖街道社会组织服务中心");
        let rules = Rules::default();
        let today = day("2026-06-01");
        let facts = |c: &Center| {
            compliance(
                &Facts {
                    center: c,
                    org: None,
                    orgs_served: 40,
                    today,
                },
                &rules,
            )
        };
        let items = facts(&c);
        assert_eq!(status(&items, "office_area"), Status::Unknown);
        assert_eq!(status(&items, "director"), Status::Fail);
        assert_eq!(status(&items, "board"), Status::Fail);
        assert_eq!(status(&items, "funding"), Status::Fail);
        assert_eq!(status(&items, "disclosure"), Status::Unknown);
        c.office_area_tenths = Some(450);
        assert_eq!(status(&facts(&c), "office_area"), Status::Fail);
        c.office_area_tenths = Some(500);
        c.director = Some("王主任".into());
        c.board.insert(
            "李理事长".into(),
            BoardSeat {
                role: BoardRole::Chair,
                from: day("2024-01-01"),
                to: day("2026-12-31"),
            },
        );
        c.funding.insert(
            "HT-1".into(),
            Funding {
                kind: FundingKind::Purchase,
                payer: "西湖街道办事处".into(),
                contract: Some("HT-1".into()),
                amount_fen: 30_000_000,
                from: day("2026-01-01"),
                to: day("2026-12-31"),
            },
        );
        let items = facts(&c);
        for k in ["office_area", "director", "board", "funding"] {
            assert_eq!(status(&items, k), Status::Ok, "{k}");
        }
        // A board whose term ended is no board.
        assert_eq!(
            status(
                &compliance(
                    &Facts {
                        center: &c,
                        org: None,
                        orgs_served: 0,
                        today: day("2027-01-02"),
                    },
                    &rules
                ),
                "board"
            ),
            Status::Fail
        );
    }

    #[test]
    fn staff_scale_with_organizations_when_configured() {
        let mut c = Center::new("o", "中心");
        c.staff.insert(
            "张三".into(),
            Staff {
                full_time: true,
                qualification: None,
                from: None,
                to: None,
            },
        );
        let rules = Rules {
            orgs_per_staff: 30,
            ..Rules::default()
        };
        let check = |orgs| {
            status(
                &compliance(
                    &Facts {
                        center: &c,
                        org: None,
                        orgs_served: orgs,
                        today: day("2026-06-01"),
                    },
                    &rules,
                ),
                "staff",
            )
        };
        assert_eq!(check(30), Status::Ok);
        assert_eq!(check(31), Status::Fail);
    }

    #[test]
    fn manual_items_follow_the_configured_list() {
        let mut c = Center::new("o", "中心");
        c.checks.insert(
            "disclosure".into(),
            Check {
                ok: true,
                evidence: "公众号年报".into(),
                mark: Mark {
                    date: day("2026-03-01"),
                    author: None,
                    note: None,
                },
            },
        );
        let items = compliance(
            &Facts {
                center: &c,
                org: None,
                orgs_served: 0,
                today: day("2026-06-01"),
            },
            &Rules::default(),
        );
        assert_eq!(status(&items, "disclosure"), Status::Ok);
        assert!(items.iter().find(|i| i.key == "disclosure").unwrap().manual);
        assert_eq!(items.len(), AUTOMATIC.len() + Rules::default().checks.len());
    }
}
