//! The demo township in `fixtures/demo/` (places.toml, orgs.toml), embedded
//! in the binary so `sanshe demo` works from any directory.
//!
//! The files are read into structs of this module, which name every field
//! the files may hold (unknown keys are refused, so a typo names its line),
//! let every optional field be left out, and are then turned into model
//! values.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use super::DemoError;
use crate::model::{
    Domain, Incubation, Inspection, InspectionResult, OrgType, Organization, Party, Place,
    PlaceLevel, Rating, RatingLevel, Record, RegState,
};

/// Name of the embedded places file, as shown in errors.
pub const PLACES_FILE: &str = "fixtures/demo/places.toml";
/// Name of the embedded organizations file, as shown in errors.
pub const ORGS_FILE: &str = "fixtures/demo/orgs.toml";

const PLACES_TOML: &str = include_str!("../../fixtures/demo/places.toml");
const ORGS_TOML: &str = include_str!("../../fixtures/demo/orgs.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlacesFile {
    #[serde(default)]
    place: Vec<PlaceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceEntry {
    code: String,
    name: String,
    level: PlaceLevel,
    #[serde(default)]
    parent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgsFile {
    #[serde(default)]
    org: Vec<OrgEntry>,
}

/// One `[[org]]`: the fields of [`Organization`], all but `name` and `type`
/// optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgEntry {
    name: String,
    #[serde(rename = "type")]
    kind: OrgType,
    #[serde(default)]
    credit_code: Option<String>,
    #[serde(default)]
    credit_code_unchecked: bool,
    #[serde(default)]
    state: RegState,
    #[serde(default)]
    filing_number: Option<String>,
    #[serde(default)]
    registering_authority: Option<String>,
    #[serde(default)]
    supervising_unit: Option<String>,
    #[serde(default)]
    contact: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    grid: Option<String>,
    #[serde(default)]
    domains: Vec<Domain>,
    #[serde(default)]
    founded: Option<NaiveDate>,
    #[serde(default)]
    members: Option<u32>,
    #[serde(default)]
    staff: Option<u32>,
    #[serde(default)]
    volunteers: Option<u32>,
    #[serde(default)]
    party: Party,
    #[serde(default)]
    party_members: Option<u32>,
    #[serde(default, deserialize_with = "by_year")]
    inspections: BTreeMap<i32, InspectionEntry>,
    #[serde(default)]
    rating: Option<RatingEntry>,
    #[serde(default)]
    incubation: Option<IncubationEntry>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InspectionEntry {
    result: InspectionResult,
    #[serde(default)]
    submitted: Option<NaiveDate>,
    #[serde(default)]
    rectify_due: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RatingEntry {
    level: RatingLevel,
    #[serde(default)]
    expires: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IncubationEntry {
    #[serde(default)]
    workstation: Option<String>,
    #[serde(default)]
    start: Option<NaiveDate>,
    #[serde(default)]
    end: Option<NaiveDate>,
}

/// Inspections are TOML tables keyed by year (`[org.inspections.2025]`);
/// TOML keys are strings, so the year is parsed here.
fn by_year<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<i32, InspectionEntry>, D::Error> {
    let raw = BTreeMap::<String, InspectionEntry>::deserialize(d)?;
    raw.into_iter()
        .map(|(k, v)| match k.trim().parse::<i32>() {
            Ok(y) if (1949..=2200).contains(&y) => Ok((y, v)),
            _ => Err(serde::de::Error::custom(format!(
                "inspection year `{k}` is not a year such as 2025"
            ))),
        })
        .collect()
}

impl From<PlaceEntry> for Place {
    fn from(p: PlaceEntry) -> Place {
        Place {
            code: p.code,
            name: p.name,
            level: p.level,
            parent: p.parent,
        }
    }
}

impl From<OrgEntry> for Organization {
    fn from(o: OrgEntry) -> Organization {
        Organization {
            name: o.name,
            kind: o.kind,
            credit_code: o.credit_code,
            credit_code_unchecked: o.credit_code_unchecked,
            state: o.state,
            filing_number: o.filing_number,
            registering_authority: o.registering_authority,
            supervising_unit: o.supervising_unit,
            contact: o.contact,
            phone: o.phone,
            address: o.address,
            grid: o.grid,
            domains: o.domains,
            founded: o.founded,
            members: o.members,
            staff: o.staff,
            volunteers: o.volunteers,
            party: o.party,
            party_members: o.party_members,
            inspections: o
                .inspections
                .into_iter()
                .map(|(y, i)| {
                    (
                        y,
                        Inspection {
                            result: i.result,
                            submitted: i.submitted,
                            rectify_due: i.rectify_due,
                        },
                    )
                })
                .collect(),
            rating: o.rating.map(|r| Rating {
                level: r.level,
                expires: r.expires,
            }),
            incubation: o.incubation.map(|i| Incubation {
                workstation: i.workstation,
                start: i.start,
                end: i.end,
            }),
            tags: o.tags,
            notes: o.notes,
            ..Organization::default()
        }
    }
}

/// Parses a places file (`[[place]]` tables). `file` names it in errors.
pub fn parse_places(file: &str, text: &str) -> Result<Vec<Place>, DemoError> {
    let parsed: PlacesFile = toml::from_str(text).map_err(|e| DemoError::Toml {
        file: file.to_string(),
        source: Box::new(e),
    })?;
    Ok(parsed.place.into_iter().map(Place::from).collect())
}

/// Parses an organizations file (`[[org]]` tables). `file` names it in errors.
pub fn parse_orgs(file: &str, text: &str) -> Result<Vec<Organization>, DemoError> {
    let parsed: OrgsFile = toml::from_str(text).map_err(|e| DemoError::Toml {
        file: file.to_string(),
        source: Box::new(e),
    })?;
    Ok(parsed.org.into_iter().map(Organization::from).collect())
}

/// Depth of a level in the hierarchy, for parent-first ordering.
fn depth(level: PlaceLevel) -> u8 {
    match level {
        PlaceLevel::District => 0,
        PlaceLevel::Township => 1,
        PlaceLevel::Community => 2,
        PlaceLevel::Grid => 3,
        PlaceLevel::MicroGrid => 4,
    }
}

/// Turns parsed places and organizations into records in the order a store
/// can create them: places parent-first (by level, file order within a
/// level), then organizations. Each record is normalised and validated; the
/// first invalid one is an error naming its file and title.
pub fn to_records(
    places_file: &str,
    mut places: Vec<Place>,
    orgs_file: &str,
    orgs: Vec<Organization>,
) -> Result<Vec<Record>, DemoError> {
    places.sort_by_key(|p| depth(p.level));
    let mut records = Vec::with_capacity(places.len() + orgs.len());
    let tagged = places
        .into_iter()
        .map(|p| (places_file, Record::Place(p)))
        .chain(orgs.into_iter().map(|o| (orgs_file, Record::Org(o))));
    for (file, mut record) in tagged {
        record.normalize();
        if let Err(errors) = record.validate() {
            return Err(DemoError::Invalid {
                file: file.to_string(),
                title: record.title().to_string(),
                errors,
            });
        }
        records.push(record);
    }
    Ok(records)
}

/// The embedded demo township as records: places parent-first, then
/// organizations.
pub fn fixture_records() -> Result<Vec<Record>, DemoError> {
    let places = parse_places(PLACES_FILE, PLACES_TOML)?;
    let orgs = parse_orgs(ORGS_FILE, ORGS_TOML)?;
    to_records(PLACES_FILE, places, ORGS_FILE, orgs)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashSet};

    use super::*;
    use crate::model::credit_code::{self, CreditCheck};
    use crate::model::Labeled;

    fn split(records: &[Record]) -> (Vec<&Place>, Vec<&Organization>) {
        let mut places = Vec::new();
        let mut orgs = Vec::new();
        for r in records {
            match r {
                Record::Place(p) => places.push(p),
                Record::Org(o) => orgs.push(o),
                _ => {}
            }
        }
        (places, orgs)
    }

    #[test]
    fn fixtures_parse_and_have_enough_of_everything() {
        let records = fixture_records().unwrap();
        let (places, orgs) = split(&records);
        let count = |l: PlaceLevel| places.iter().filter(|p| p.level == l).count();
        assert_eq!(count(PlaceLevel::District), 1);
        assert_eq!(count(PlaceLevel::Township), 1);
        assert!(count(PlaceLevel::Community) >= 8);
        assert!(count(PlaceLevel::Grid) >= 40);
        assert!(count(PlaceLevel::MicroGrid) >= 1);
        assert!(orgs.len() >= 150, "{} organizations", orgs.len());
        for kind in OrgType::ALL {
            assert!(orgs.iter().any(|o| o.kind == *kind), "no {kind}");
        }
        for state in RegState::ALL {
            assert!(orgs.iter().any(|o| o.state == *state), "no {state}");
        }
        for party in Party::ALL {
            assert!(orgs.iter().any(|o| o.party == *party), "no {party}");
        }
        for result in InspectionResult::ALL {
            assert!(
                orgs.iter()
                    .any(|o| o.inspections.values().any(|i| i.result == *result)),
                "no inspection {result}"
            );
        }
        for level in RatingLevel::ALL {
            assert!(
                orgs.iter()
                    .any(|o| o.rating.as_ref().map(|r| r.level) == Some(*level)),
                "no rating {level}"
            );
        }
        // Most community organizations are filed, without a credit code.
        let community: Vec<_> = orgs
            .iter()
            .filter(|o| o.kind == OrgType::Community)
            .collect();
        let filed = community
            .iter()
            .filter(|o| o.state == RegState::Filed)
            .count();
        assert!(filed * 2 > community.len());
        for o in &community {
            if o.state == RegState::Filed {
                assert!(o.credit_code.is_none(), "{}", o.name);
                assert!(o.filing_number.is_some(), "{}", o.name);
            }
        }
    }

    #[test]
    fn places_come_parent_first_and_parents_exist() {
        let records = fixture_records().unwrap();
        let mut seen: HashSet<&str> = HashSet::new();
        let mut after_orgs = false;
        for r in &records {
            match r {
                Record::Place(p) => {
                    assert!(!after_orgs, "place {} after an organization", p.code);
                    if let Some(parent) = &p.parent {
                        assert!(seen.contains(parent.as_str()), "{} before {parent}", p.code);
                    }
                    assert!(seen.insert(&p.code), "duplicate place {}", p.code);
                }
                _ => after_orgs = true,
            }
        }
        // Each parent is exactly one level up.
        let (places, _) = split(&records);
        for p in &places {
            if let Some(parent) = &p.parent {
                let parent = places.iter().find(|q| &q.code == parent).unwrap();
                assert_eq!(Some(parent.level), p.level.parent_level(), "{}", p.code);
            }
        }
    }

    #[test]
    fn every_org_is_valid_with_unique_valid_codes_and_known_grids() {
        let records = fixture_records().unwrap();
        let (places, orgs) = split(&records);
        let grids: HashSet<&str> = places
            .iter()
            .filter(|p| p.level == PlaceLevel::Grid)
            .map(|p| p.code.as_str())
            .collect();
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        let mut filings = HashSet::new();
        for o in &orgs {
            o.validate().unwrap();
            assert!(names.insert(o.name.as_str()), "duplicate name {}", o.name);
            let grid = o.grid.as_deref().unwrap();
            assert!(grids.contains(grid), "{}: unknown grid {grid}", o.name);
            if let Some(code) = &o.credit_code {
                assert_eq!(credit_code::check(code), CreditCheck::Valid, "{code}");
                assert!(!o.credit_code_unchecked);
                assert!(codes.insert(code.as_str()), "duplicate code {code}");
                let prefix = match o.kind {
                    OrgType::SocialGroup => "51",
                    OrgType::ServiceOrg => "52",
                    OrgType::Foundation => "53",
                    OrgType::Community => &code[..2],
                };
                assert!(code.starts_with(prefix), "{} {code}", o.name);
            }
            if matches!(o.state, RegState::Registered | RegState::Revoked) {
                assert!(o.credit_code.is_some(), "{} has no code", o.name);
            }
            if let Some(f) = &o.filing_number {
                assert!(filings.insert(f.as_str()), "duplicate filing number {f}");
            }
            assert!(o.phone.is_some() && o.contact.is_some(), "{}", o.name);
            assert!(!o.domains.is_empty(), "{}", o.name);
        }
        assert!(!codes.is_empty());
    }

    #[test]
    fn names_the_search_tests_rely_on_exist() {
        let records = fixture_records().unwrap();
        let (places, orgs) = split(&records);
        assert!(orgs.iter().any(|o| o.name == "望江门社区银龄互助会"));
        assert!(orgs.iter().any(|o| o.name.starts_with("湖滨")));
        assert!(places.iter().any(|p| p.name == "西湖社区"));
        assert!(orgs.iter().any(|o| o.name.starts_with("西湖社区")));
    }

    #[test]
    fn ratings_expire_around_the_reference_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let soon = today + chrono::Duration::days(90);
        let records = fixture_records().unwrap();
        let (_, orgs) = split(&records);
        let expiries: Vec<NaiveDate> = orgs
            .iter()
            .filter_map(|o| o.rating.as_ref().and_then(|r| r.expires))
            .collect();
        assert!(expiries.iter().filter(|d| **d < today).count() >= 2);
        assert!(
            expiries
                .iter()
                .filter(|d| **d >= today && **d <= soon)
                .count()
                >= 2
        );
        assert!(orgs.iter().any(|o| o.incubation.is_some()));
        let years: BTreeSet<i32> = orgs
            .iter()
            .flat_map(|o| o.inspections.keys().copied())
            .collect();
        assert!(years.is_superset(&[2023, 2024, 2025].into_iter().collect()));
    }

    #[test]
    fn omitted_fields_take_defaults() {
        let orgs = parse_orgs(
            "t.toml",
            "[[org]]\nname = \"宝石社区读书会\"\ntype = \"community\"\n",
        )
        .unwrap();
        assert_eq!(orgs.len(), 1);
        assert_eq!(
            orgs[0],
            Organization::new("宝石社区读书会", OrgType::Community)
        );
        let orgs = parse_orgs(
            "t.toml",
            "[[org]]\nname = \"甲\"\ntype = \"基金会\"\nstate = \"revoked\"\n\
             [org.inspections.2024]\nresult = \"absent\"\n",
        )
        .unwrap();
        assert_eq!(orgs[0].kind, OrgType::Foundation);
        assert_eq!(orgs[0].inspections[&2024].result, InspectionResult::Absent);
        assert!(parse_orgs("t.toml", "").unwrap().is_empty());
    }

    #[test]
    fn errors_name_file_and_line() {
        let text = "[[org]]\nname = \"甲\"\ntype = \"community\"\nstat = \"filed\"\n";
        let msg = parse_orgs("orgs.toml", text).unwrap_err().to_string();
        assert!(msg.contains("orgs.toml"), "{msg}");
        assert!(msg.contains("line 4"), "{msg}");
        assert!(msg.contains("stat"), "{msg}");

        let text = "[[org]]\nname = \"甲\"\ntype = \"club\"\n";
        let msg = parse_orgs("orgs.toml", text).unwrap_err().to_string();
        assert!(msg.contains("line 3") && msg.contains("club"), "{msg}");

        let text = "[[org]]\nname = \"甲\"\ntype = \"community\"\n[org.inspections.last]\nresult = \"pass\"\n";
        let msg = parse_orgs("orgs.toml", text).unwrap_err().to_string();
        assert!(msg.contains("`last`"), "{msg}");

        let text = "[[place]]\ncode = \"X\"\nname = \"甲\"\nlevel = \"county\"\n";
        let msg = parse_places("places.toml", text).unwrap_err().to_string();
        assert!(
            msg.contains("places.toml") && msg.contains("line 4"),
            "{msg}"
        );
    }

    #[test]
    fn invalid_records_are_refused_by_title() {
        let orgs = parse_orgs(
            "o.toml",
            "[[org]]\nname = \"乙\"\ntype = \"community\"\nphone = \"12345\"\n",
        )
        .unwrap();
        let err = to_records("p.toml", vec![], "o.toml", orgs).unwrap_err();
        match &err {
            DemoError::Invalid {
                file,
                title,
                errors,
            } => {
                assert_eq!(file, "o.toml");
                assert_eq!(title, "乙");
                assert!(errors.for_field("phone").is_some());
            }
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("phone"));
    }
}
