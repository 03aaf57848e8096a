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
