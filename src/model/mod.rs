//! The domain: plain data with validation. No I/O, no terminal, no storage.
//!
//! Every record type is a plain serde struct. The store keeps each record as a
//! per-field last-writer-wins map derived from these structs (see
//! `store::fields`), so the rules for these types are:
//! - no `skip_serializing_if`, `flatten` or `untagged` (values are bincode-encoded);
//! - lists are *sets* of strings or string-like enums (order is normalised);
//! - maps have string or integer keys.

pub mod activity;
pub mod activity_input;
pub mod bounds;
pub mod center;
pub mod credit_code;
pub mod date;
pub mod domain;
pub mod enums;
pub mod error;
pub mod evaluation;
pub mod evaluation_input;
pub mod filing;
pub mod incubation;
pub mod inspection_input;
pub mod labels;
pub mod lead;
pub mod linkage;
pub mod money;
pub mod names;
pub mod need;
pub mod need_input;
pub mod offer;
pub mod offer_input;
pub mod org;
pub mod org_input;
pub mod parse;
pub mod party;
pub mod people_input;
pub mod phone;
pub mod place;
pub mod record;
pub mod review;
pub mod rubric;
pub mod training;
pub mod venture;
pub mod worker;

pub use activity::{Activity, ActivityKind};
pub use activity_input::ActivityInput;
pub use credit_code::{CreditCheck, CreditCode};
pub use domain::Domain;
pub use enums::*;
pub use error::{FieldError, Rule, ValidationErrors};
pub use evaluation::{Evaluation, Period, Score};
pub use evaluation_input::EvaluationInput;
pub use inspection_input::InspectionInput;
pub use labels::{Labeled, Lang};
pub use linkage::{Linkage, LinkageState};
pub use need::{Need, NeedState, RaisedBy, TargetGroup, Urgency};
pub use need_input::NeedInput;
pub use offer::{Cost, Offer, OfferType, ProviderKind};
pub use offer_input::OfferInput;
pub use org::{CapitalKind, Incubation, Inspection, Organization, Rating};
pub use org_input::OrgInput;
pub use people_input::{PartnerInput, WorkerInput};
pub use place::{Place, PlaceLevel};
pub use record::{Kind, Record};
pub use rubric::{Rubric, RubricError};
pub use worker::{Agreement, Partner, PartnerType, Qualification, Worker};

#[cfg(test)]
mod serde_rules {
    /// The rules above, checked over every source file for every type that
    /// is read back (derives `Deserialize`): values cross the app's socket
    /// and the store in bincode, which has no field names, so a field
    /// skipped when serialising (or flattened, or an untagged enum) cannot
    /// be read back. One such attribute once left a pane
    /// waiting for an answer that never decoded.
    #[test]
    fn no_serde_attribute_that_bincode_cannot_read_back() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let lines: Vec<&str> = text.lines().collect();
                    for (n, line) in lines.iter().enumerate() {
                        let code = line.trim_start();
                        // A type only written (JSON output) may: the
                        // nearest derive above says whether it is read.
                        let read_back = lines[..n]
                            .iter()
                            .rev()
                            .find(|l| l.trim_start().starts_with("#[derive("))
                            .is_none_or(|d| d.contains("Deserialize"));
                        if read_back
                            && code.starts_with("#[serde(")
                            && ["skip_serializing_if", "flatten", "untagged"]
                                .iter()
                                .any(|bad| code.contains(bad))
                        {
                            out.push(format!("{}:{}: {code}", p.display(), n + 1));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
