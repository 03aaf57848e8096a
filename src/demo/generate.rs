//! Synthetic townships for benchmarks (`sanshe demo --scale N`).
//!
//! Deterministic for a given `(n_orgs, seed)`. Shape: one district (西湖区,
//! `XH`), one township per [`ORGS_PER_TOWNSHIP`] organizations, each with
//! [`COMMUNITIES_PER_TOWNSHIP`] communities of [`GRIDS_PER_COMMUNITY`] grid
//! cells. Kinds, states, domains and party building are mixed like the demo
//! fixtures; registered organizations get valid, unique credit codes.
//! Organization names are distinct as long as community names are (up to
//! about 1,200 communities, i.e. 600,000 organizations).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use super::rng::Rng;
use super::words;
use crate::model::credit_code::{expected_17, CreditCode};
use crate::model::{
    Domain, Incubation, Inspection, InspectionResult, Labeled, OrgType, Organization, Party, Place,
    PlaceLevel, Rating, RatingLevel, Record, RegState,
};

/// Most organizations [`generate`] makes (`sanshe demo --scale` refuses
/// more): names stay distinct up to about 600,000, and every record is
/// held in memory before it is loaded.
pub const MAX_ORGS: usize = 500_000;

/// Organizations per generated township.
pub const ORGS_PER_TOWNSHIP: usize = 5_000;
/// Communities in each generated township.
pub const COMMUNITIES_PER_TOWNSHIP: usize = 10;
/// Grid cells in each generated community.
pub const GRIDS_PER_COMMUNITY: usize = 5;

/// Region code of the registering authority (西湖区民政局).
const REGION: &str = "330106";
/// 31^6: the number of distinct 6-character bodies after `MA`.
const BODY_SPACE: u64 = 887_503_681;
/// Multiplier that scrambles the body counter (coprime to 31, so a bijection).
const BODY_MULTIPLIER: u64 = 1_000_003;
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CN_DIGITS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("invalid constant date"),
    }
}

/// The reference date of the demo data ("today" for ratings and incubation).
pub const REFERENCE_DATE: NaiveDate = date(2026, 11, 28);
const EARLIEST_FOUNDING: NaiveDate = date(2005, 1, 1);

/// Index `k` of a walk through `0..space` that visits every value once
/// (stride coprime to `space`), starting at `start`.
fn permute(k: usize, space: usize, start: usize) -> usize {
    if space == 0 {
        return 0;
    }
    let stride = [997usize, 991, 983, 977]
        .into_iter()
        .find(|p| !space.is_multiple_of(*p))
        .unwrap_or(1);
    (start + k * stride) % space
}

/// A place name of two syllables; the `k`-th of a walk that repeats only
/// after every combination was used.
fn place_stem(k: usize, start: usize) -> String {
    let space = words::PLACE_HEAD.len() * words::PLACE_TAIL.len();
    let i = permute(k, space, start);
    let head = words::PLACE_HEAD[i / words::PLACE_TAIL.len()];
    let tail = words::PLACE_TAIL[i % words::PLACE_TAIL.len()];
    format!("{head}{tail}")
}

/// The `k`-th distinct (modifier, item) pair of a list of `n_items` items
/// and `n_mods` modifiers: first every item plain (`None`), then each with a
/// modifier. Returns the item index, the modifier index and a repeat count
/// (non-zero only after every pair was used).
fn nth_pair(
    k: usize,
    n_items: usize,
    n_mods: usize,
    start: usize,
) -> (usize, Option<usize>, usize) {
    let n_items = n_items.max(1);
    let round = k / n_items;
    let pos = k % n_items;
    let item = permute(pos, n_items, start);
    let rounds = n_mods + 1;
    let (modifier, repeat) = match round % rounds {
        0 => (None, round / rounds),
        r => (Some((r - 1 + pos) % n_mods.max(1)), round / rounds),
    };
    (item, modifier, repeat)
}

struct Community {
    index: usize,
    code: String,
    name: String,
    stem: String,
    /// Names handed out so far, per kind (index of `OrgType::ALL`).
    named: [usize; 4],
}

struct Township {
    code: String,
    name: String,
    /// Filing numbers handed out per year since 2005.
    filings: [u32; 32],
}

struct Generator {
    rng: Rng,
    code_offset: u64,
    codes_issued: u64,
    ratings_given: u32,
}

/// Generates a township (or several) with `n_orgs` organizations (at most
/// [`MAX_ORGS`]). Records come places parent-first, then organizations.
pub fn generate(n_orgs: usize, seed: u64) -> Vec<Record> {
    let n_orgs = n_orgs.min(MAX_ORGS);
    let n_townships = n_orgs.div_ceil(ORGS_PER_TOWNSHIP).max(1);
    let n_communities = n_townships * COMMUNITIES_PER_TOWNSHIP;
    let n_places = 1 + n_townships + n_communities * (1 + GRIDS_PER_COMMUNITY);
    let mut records = Vec::with_capacity(n_places + n_orgs);
    let mut g = Generator {
        rng: Rng::new(seed),
        code_offset: seed % BODY_SPACE,
        codes_issued: 0,
        ratings_given: 0,
    };
    let start_t = g.rng.below(1_000) as usize;
    let start_c = g.rng.below(1_000) as usize;

    records.push(Record::Place(Place {
        code: "XH".into(),
        name: "西湖区".into(),
        level: PlaceLevel::District,
        parent: None,
    }));
    let mut townships = Vec::with_capacity(n_townships);
    for t in 0..n_townships {
        let code = format!("J{:03}", t + 1);
        let name = format!("{}街道", place_stem(t, start_t));
        records.push(Record::Place(Place {
            code: code.clone(),
            name: name.clone(),
            level: PlaceLevel::Township,
            parent: Some("XH".into()),
        }));
        townships.push(Township {
            code,
            name,
            filings: [0; 32],
        });
    }
    let mut communities = Vec::with_capacity(n_communities);
    for c in 0..n_communities {
        let township = c / COMMUNITIES_PER_TOWNSHIP;
        let stem = place_stem(c, start_c);
        let code = format!(
            "{}-{:02}",
            townships[township].code,
            c % COMMUNITIES_PER_TOWNSHIP + 1
        );
        records.push(Record::Place(Place {
            code: code.clone(),
            name: format!("{stem}社区"),
            level: PlaceLevel::Community,
            parent: Some(townships[township].code.clone()),
        }));
        communities.push(Community {
            index: c,
            code,
            name: format!("{stem}社区"),
            stem,
            named: [0; 4],
        });
    }
    for c in &communities {
        for k in 0..GRIDS_PER_COMMUNITY {
            records.push(Record::Place(Place {
                code: format!("{}-{:02}", c.code, k + 1),
                name: format!("{}{}网格", c.stem, CN_DIGITS[k % CN_DIGITS.len()]),
                level: PlaceLevel::Grid,
                parent: Some(c.code.clone()),
            }));
        }
    }

    for i in 0..n_orgs {
        let t = (i / ORGS_PER_TOWNSHIP).min(n_townships - 1);
        let c =
            t * COMMUNITIES_PER_TOWNSHIP + g.rng.below(COMMUNITIES_PER_TOWNSHIP as u64) as usize;
        let org = g.org(&mut communities[c], &mut townships[t]);
        records.push(Record::Org(org));
    }
    records
}

impl Generator {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.rng.pick(items).copied().unwrap_or_default()
    }

    fn date_in(&mut self, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
        let span = (to - from).num_days().max(0) as u64;
        from.checked_add_days(Days::new(self.rng.below(span + 1)))
    }

    fn person(&mut self) -> String {
        let mut s = String::with_capacity(9);
        s.push_str(self.pick(words::SURNAMES));
        for _ in 0..self.rng.range(1, 2) {
            s.push_str(self.pick(words::GIVEN));
        }
        s
    }

    fn phone(&mut self, landline_percent: u32) -> String {
        if self.rng.chance(landline_percent) {
            format!("0571-8{:07}", self.rng.below(10_000_000))
        } else {
            format!(
                "{}{:08}",
                self.pick(words::MOBILE_PREFIXES),
                self.rng.below(100_000_000)
            )
        }
    }

    fn address(&mut self, township: &str, c: &Community) -> String {
        let road = self.pick(words::ROADS);
        if road == "新村" {
            format!(
                "杭州市西湖区{township}{}新村{}幢{}单元",
                c.stem,
                self.rng.range(1, 40),
                self.rng.range(1, 3)
            )
        } else {
            format!(
                "杭州市西湖区{township}{}{road}{}号",
                c.stem,
                self.rng.range(1, 200)
            )
        }
    }

    /// A valid credit code, different from every other this generator issued.
    fn credit_code(&mut self, prefix: &str) -> Option<String> {
        let n = (self.codes_issued * BODY_MULTIPLIER + self.code_offset) % BODY_SPACE;
        self.codes_issued += 1;
        let mut body = *b"MA000000";
        let mut x = n;
        for slot in body[2..].iter_mut().rev() {
            *slot = CHARSET[(x % 31) as usize];
            x /= 31;
        }
        let body = std::str::from_utf8(&body).ok()?;
        let c17 = expected_17(body)?;
        CreditCode::complete(&format!("{prefix}{REGION}{body}{c17}"))
    }

    fn party(&mut self, kind: OrgType, size: u32) -> (Party, u32) {
        let weights: [u32; 4] = match kind {
            OrgType::Community => [30, 8, 22, 40],
            OrgType::Foundation => [10, 20, 40, 30],
            _ => [15, 35, 30, 20],
        };
        let party =
            [Party::None, Party::Own, Party::Joint, Party::Instructor][self.rng.weighted(&weights)];
        let members = match party {
            Party::Own => self.rng.range(3, (size / 3).clamp(4, 25)),
            Party::Joint => self.rng.range(1, 2),
            Party::Instructor => self.rng.range(0, 2),
            Party::None => self.rng.range(0, 1),
        };
        (party, members)
    }

    fn inspections(
        &mut self,
        founded: Option<NaiveDate>,
        last: i32,
        weights: &[u32; 4],
    ) -> BTreeMap<i32, Inspection> {
        use chrono::Datelike;
        let first = founded.map_or(2023, |d| d.year().max(2023));
        let mut out = BTreeMap::new();
        for year in first..=last {
            let result = [
                InspectionResult::Pass,
                InspectionResult::Basic,
                InspectionResult::Fail,
                InspectionResult::Absent,
            ][self.rng.weighted(weights)];
            let submitted = match result {
                InspectionResult::Absent => None,
                _ => self.date_in(date(year + 1, 3, 1), date(year + 1, 5, 31)),
            };
            let rectify_due = match result {
                InspectionResult::Basic | InspectionResult::Fail => {
                    submitted.and_then(|d| d.checked_add_days(Days::new(60)))
                }
                _ => None,
            };
            out.insert(
                year,
                Inspection {
                    result,
                    submitted,
                    rectify_due,
                },
            );
        }
        out
    }

    fn rating(&mut self) -> Rating {
        self.ratings_given += 1;
        let expires = match self.ratings_given % 5 {
            0 => self.date_in(date(2025, 6, 30), date(2026, 11, 27)),
            1 => self.date_in(date(2026, 11, 29), date(2027, 2, 25)),
            _ => self.date_in(date(2027, 6, 30), date(2030, 12, 31)),
        };
        let level = RatingLevel::ALL[self.rng.weighted(&[6, 18, 40, 26, 10])];
        Rating { level, expires }
    }

    fn incubation(&mut self, from: NaiveDate, to: NaiveDate) -> Incubation {
        let start = self.date_in(from, to);
        let n = self.rng.range(1, 12);
        Incubation {
            workstation: Some(format!("社会组织服务中心孵化工位A{n:02}")),
            start,
            end: start.and_then(|d| d.checked_add_days(Days::new(365))),
        }
    }

    fn tags(&mut self, extra: Option<&str>) -> Vec<String> {
        let mut tags: Vec<String> = extra.map(str::to_string).into_iter().collect();
        for _ in 0..[0, 1, 2][self.rng.weighted(&[50, 35, 15])] {
            tags.push(self.pick(words::TAGS).to_string());
        }
        tags.sort();
        tags.dedup();
        tags
    }

    /// A name for the next organization of `kind` in community `c`, distinct
    /// from the others there, and its service domains.
    fn name(&mut self, kind: OrgType, c: &mut Community) -> (String, &'static [Domain]) {
        let slot = match kind {
            OrgType::Community => 0,
            OrgType::SocialGroup => 1,
            OrgType::ServiceOrg => 2,
            OrgType::Foundation => 3,
        };
        let k = c.named[slot];
        c.named[slot] += 1;
        let start = c.index * 7 + slot * 3;
        let (name, domains, repeat) = match kind {
            OrgType::Community => {
                let (i, m, r) = nth_pair(
                    k,
                    words::COMMUNITY_THEMES.len(),
                    words::MODIFIERS.len(),
                    start,
                );
                let (theme, domains) = words::COMMUNITY_THEMES[i];
                let m = m.map_or("", |m| words::MODIFIERS[m]);
                (format!("{}{m}{theme}", c.name), domains, r)
            }
            OrgType::SocialGroup => {
                let (i, m, r) =
                    nth_pair(k, words::GROUP_TOPICS.len(), words::MODIFIERS.len(), start);
                let (topic, domains) = words::GROUP_TOPICS[i];
                let m = m.map_or("", |m| words::MODIFIERS[m]);
                (format!("杭州市西湖区{}{m}{topic}", c.stem), domains, r)
            }
            OrgType::ServiceOrg | OrgType::Foundation => {
                let list = if kind == OrgType::ServiceOrg {
                    words::SERVICE_KINDS
                } else {
                    words::FOUNDATION_KINDS
                };
                // Every name has a brand: the last brand stands in for the
                // plain round, so (kind, brand) pairs stay distinct.
                let last = words::BRANDS.len() - 1;
                let (i, m, r) = nth_pair(k, list.len(), last, start);
                let (what, domains) = list[i];
                let brand = words::BRANDS[m.unwrap_or(last)];
                (format!("杭州市西湖区{}{brand}{what}", c.stem), domains, r)
            }
        };
        if repeat > 0 {
            (format!("{name}{}", repeat + 1), domains)
        } else {
            (name, domains)
        }
    }

    fn org(&mut self, c: &mut Community, t: &mut Township) -> Organization {
        use chrono::Datelike;
        let kind = [
            OrgType::Community,
            OrgType::SocialGroup,
            OrgType::ServiceOrg,
            OrgType::Foundation,
        ][self.rng.weighted(&[72, 12, 14, 2])];
        let state = [
            RegState::Incubating,
            RegState::Filed,
            RegState::Registered,
            RegState::Deregistered,
            RegState::Revoked,
        ][if kind == OrgType::Community {
            self.rng.weighted(&[6, 85, 4, 5, 0])
        } else {
            self.rng.weighted(&[3, 0, 88, 6, 3])
        }];
        let (name, domains) = self.name(kind, c);
        let founded = match state {
            RegState::Incubating if self.rng.chance(50) => None,
            RegState::Incubating => self.date_in(date(2025, 6, 1), date(2026, 10, 31)),
            RegState::Filed => self.date_in(EARLIEST_FOUNDING, date(2025, 12, 31)),
            _ => self.date_in(EARLIEST_FOUNDING, date(2024, 6, 30)),
        };
        let grid = format!(
            "{}-{:02}",
            c.code,
            self.rng.below(GRIDS_PER_COMMUNITY as u64) + 1
        );
        let mut org = Organization::new(name, kind);
        org.state = state;
        org.domains = domains.to_vec();
        crate::model::domain::normalize(&mut org.domains);
        org.founded = founded;
        org.grid = Some(grid);
        org.contact = Some(self.person());
        let (members, staff, volunteers) = match kind {
            OrgType::Community => {
                let m = self.rng.range(8, 90);
                (Some(m), None, self.rng.range(3, m))
            }
            OrgType::SocialGroup => (
                Some(self.rng.range(30, 520)),
                Some(self.rng.range(1, 5)),
                self.rng.range(10, 200),
            ),
            OrgType::ServiceOrg => (None, Some(self.rng.range(3, 41)), self.rng.range(10, 320)),
            OrgType::Foundation => (None, Some(self.rng.range(2, 6)), self.rng.range(0, 60)),
        };
        org.members = members;
        org.staff = staff;
        org.volunteers = Some(volunteers);
        let size = members.unwrap_or(0).max(staff.unwrap_or(0) * 3).max(12);
        let (party, party_members) = self.party(kind, size);
        org.party = party;
        org.party_members = Some(party_members);
        let registered_kind = matches!(
            state,
            RegState::Registered | RegState::Deregistered | RegState::Revoked
        );
        org.phone = Some(self.phone(if registered_kind { 45 } else { 10 }));
        org.address = Some(self.address(&t.name, c));
        let mut extra_tag = None;

        if registered_kind {
            let prefix = match kind {
                OrgType::Community | OrgType::SocialGroup => "51",
                OrgType::ServiceOrg => "52",
                OrgType::Foundation => "53",
            };
            org.credit_code = self.credit_code(prefix);
            org.registering_authority = Some("杭州市西湖区民政局".into());
            org.supervising_unit = Some(format!("{}办事处", t.name));
        } else if kind == OrgType::Community {
            org.supervising_unit = Some(format!("{}居民委员会", c.name));
            if state != RegState::Incubating {
                org.registering_authority = Some(format!("杭州市西湖区{}办事处", t.name));
            }
        }
        match state {
            RegState::Filed | RegState::Deregistered if kind == OrgType::Community => {
                let year =
                    founded.map_or(2015, |d| d.year().max(2012)) + self.rng.range(0, 1) as i32;
                let slot = ((year - 2005).clamp(0, 31)) as usize;
                t.filings[slot] += 1;
                org.filing_number = Some(format!("{}备{year}-{:04}", t.code, t.filings[slot]));
                if self.rng.chance(35) {
                    org.inspections = self.inspections(founded, 2025, &[85, 8, 2, 5]);
                }
            }
            RegState::Registered => {
                org.inspections = self.inspections(founded, 2025, &[75, 12, 5, 8]);
                if org
                    .inspections
                    .values()
                    .any(|i| matches!(i.result, InspectionResult::Basic | InspectionResult::Fail))
                {
                    extra_tag = Some("年检整改");
                }
                if founded.is_some_and(|d| d.year() <= 2022) && self.rng.chance(60) {
                    org.rating = Some(self.rating());
                }
            }
            RegState::Deregistered => {
                org.inspections = self.inspections(founded, 2023, &[60, 30, 5, 5]);
            }
            RegState::Revoked => {
                org.inspections = self.inspections(founded, 2024, &[0, 0, 0, 1]);
                extra_tag = Some("活动异常");
            }
            _ => {}
        }
        if state == RegState::Incubating {
            org.incubation = Some(self.incubation(date(2025, 3, 1), date(2026, 10, 31)));
        }
        org.tags = self.tags(extra_tag);
        if self.rng.chance(50) {
            org.notes = Some(self.pick(words::NOTES).to_string());
        }
        org
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::model::credit_code::{check, CreditCheck};

    fn orgs(records: &[Record]) -> Vec<&Organization> {
        records
            .iter()
            .filter_map(|r| match r {
                Record::Org(o) => Some(o),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn deterministic_per_seed() {
        let a = generate(1000, 1);
        let b = generate(1000, 1);
        let c = generate(1000, 2);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn shape_of_one_township() {
        let records = generate(1000, 1);
        let places: Vec<&Place> = records
            .iter()
            .filter_map(|r| match r {
                Record::Place(p) => Some(p),
                _ => None,
            })
            .collect();
        let count = |l: PlaceLevel| places.iter().filter(|p| p.level == l).count();
        assert_eq!(count(PlaceLevel::District), 1);
        assert_eq!(count(PlaceLevel::Township), 1);
        assert_eq!(count(PlaceLevel::Community), COMMUNITIES_PER_TOWNSHIP);
        assert_eq!(
            count(PlaceLevel::Grid),
            COMMUNITIES_PER_TOWNSHIP * GRIDS_PER_COMMUNITY
        );
        assert_eq!(orgs(&records).len(), 1000);
        // Places first, parent-first.
        let mut seen = HashSet::new();
        let mut in_orgs = false;
        for r in &records {
            match r {
                Record::Place(p) => {
                    assert!(!in_orgs);
                    if let Some(parent) = &p.parent {
                        assert!(seen.contains(parent), "{} before {parent}", p.code);
                    }
                    assert!(seen.insert(p.code.clone()), "duplicate {}", p.code);
                }
                Record::Org(o) => {
                    in_orgs = true;
                    assert!(
                        seen.contains(o.grid.as_deref().unwrap_or("")),
                        "{:?}",
                        o.grid
                    );
                }
                _ => {}
            }
        }
        assert_eq!(generate(0, 1).len(), places.len());
        assert_eq!(
            generate(ORGS_PER_TOWNSHIP + 1, 1)
                .iter()
                .filter(|r| matches!(r, Record::Place(p) if p.level == PlaceLevel::Township))
                .count(),
            2
        );
    }

    #[test]
    fn every_record_valid_codes_unique_names_distinct() {
        let records = generate(1000, 1);
        for r in &records {
            let mut n = r.clone();
            n.normalize();
            assert_eq!(&n, r, "not normalised: {}", r.title());
            r.validate()
                .unwrap_or_else(|e| panic!("{}: {e:?}", r.title()));
        }
        let orgs = orgs(&records);
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        let mut filings = HashSet::new();
        for o in &orgs {
            if let Some(code) = &o.credit_code {
                assert_eq!(check(code), CreditCheck::Valid, "{code}");
                assert!(codes.insert(code.clone()), "duplicate code {code}");
            }
            if matches!(o.state, RegState::Registered | RegState::Revoked) {
                assert!(o.credit_code.is_some(), "{}", o.name);
            }
            if let Some(f) = &o.filing_number {
                assert!(filings.insert(f.clone()), "duplicate filing {f}");
            }
            assert!(names.insert(o.name.clone()), "duplicate name {}", o.name);
        }
        for kind in OrgType::ALL {
            assert!(orgs.iter().any(|o| o.kind == *kind), "no {kind}");
        }
        for state in RegState::ALL {
            assert!(orgs.iter().any(|o| o.state == *state), "no {state}");
        }
        for party in Party::ALL {
            assert!(orgs.iter().any(|o| o.party == *party), "no {party}");
        }
        let filed = orgs.iter().filter(|o| o.state == RegState::Filed).count();
        assert!(filed > orgs.len() / 2, "{filed} filed");
    }

    #[test]
    fn large_scale_codes_unique_names_mostly_distinct() {
        let records = generate(20_000, 7);
        let orgs = orgs(&records);
        assert_eq!(orgs.len(), 20_000);
        let codes: Vec<&String> = orgs.iter().filter_map(|o| o.credit_code.as_ref()).collect();
        let unique: HashSet<&String> = codes.iter().copied().collect();
        assert_eq!(codes.len(), unique.len());
        assert!(codes.len() > 3_000);
        let names: HashSet<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names.len(), orgs.len());
    }

    #[test]
    fn helpers() {
        // A walk visits every value once.
        for space in [1usize, 7, 45, 1200, 997 * 3] {
            let seen: HashSet<usize> = (0..space).map(|k| permute(k, space, 5)).collect();
            assert_eq!(seen.len(), space);
        }
        let pairs: HashSet<_> = (0..45 * 31 * 2).map(|k| nth_pair(k, 45, 30, 3)).collect();
        assert_eq!(pairs.len(), 45 * 31 * 2);
        assert_eq!(nth_pair(0, 45, 30, 0).1, None);
        assert!(nth_pair(45, 45, 30, 0).1.is_some());
    }
}
