//! The linkage pane's forms: a need (add `a`, edit `e`), an offer (add
//! `A`, edit `e`), a social worker (add `W`) and a partner (add `P`; both
//! edited with `E` as an offer's provider), with the quick-entry rules of the other panes: places,
//! domains, target groups and providers are picked by typing a few letters
//! (pinyin initials work), dates are typed as `t`, `-1`, `11-20`.
//!
//! Field keys are the model's field names, so model and store errors land
//! on them. What is typed is read as the model's input type of the kind
//! (`NeedInput`, `OfferInput`, `WorkerInput`, `PartnerInput`), as the
//! command line's flags are: the same text gives the same value or error.

use crate::model::Record;
use crate::tui::draft::{Draft, DraftMode};
use chrono::NaiveDate;

use crate::model::need::PEOPLE_MAX;
use crate::model::org::{NAME_MAX, NOTES_MAX, TEXT_MAX};
use crate::model::{need_input, offer_input, people_input};
use crate::model::{
    Cost, Domain, Labeled, Need, NeedInput, Offer, OfferInput, OfferType, Partner, PartnerInput,
    PartnerType, Place, PlaceLevel, ProviderKind, Qualification, RaisedBy, TargetGroup, Urgency,
    ValidationErrors, Worker, WorkerInput,
};
use crate::text::{label, lang};
use crate::tui::org_form::place_choices;
use crate::tui::widgets::{Choice, FieldKind, FieldSpec, FieldValue, Form};

/// What a form open in the pane is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Editing {
    /// A new need.
    NewNeed,
    /// Need `id`, as it was when the form opened.
    Need { id: String, before: Box<Need> },
    /// A new offer.
    NewOffer,
    /// Offer `id`, as it was when the form opened.
    Offer { id: String, before: Box<Offer> },
    /// A new social worker.
    NewWorker,
    /// Social worker `id`, as they were when the form opened.
    Worker { id: String, before: Box<Worker> },
    /// A new partner.
    NewPartner,
    /// Partner `id`, as it was when the form opened.
    Partner { id: String, before: Box<Partner> },
}

impl Editing {
    /// The draft key of this form and what it was doing.
    pub fn draft_mode(&self) -> (&'static str, DraftMode) {
        let edit = |id: &String, r: Record| DraftMode::Edit {
            id: id.clone(),
            before: Box::new(r),
        };
        match self {
            Editing::NewNeed => ("need-form", DraftMode::Add),
            Editing::Need { id, before } => {
                ("need-form", edit(id, Record::Need((**before).clone())))
            }
            Editing::NewOffer => ("offer-form", DraftMode::Add),
            Editing::Offer { id, before } => {
                ("offer-form", edit(id, Record::Offer((**before).clone())))
            }
            Editing::NewWorker => ("worker-form", DraftMode::Add),
            Editing::Worker { id, before } => {
                ("worker-form", edit(id, Record::Worker((**before).clone())))
            }
            Editing::NewPartner => ("partner-form", DraftMode::Add),
            Editing::Partner { id, before } => (
                "partner-form",
                edit(id, Record::Partner((**before).clone())),
            ),
        }
    }

    /// What the form of a draft was doing, if it is one of this pane's.
    pub fn from_draft(d: &Draft) -> Option<Editing> {
        let edit = |d: &Draft| match &d.mode {
            DraftMode::Edit { id, before } => Some((id.clone(), (**before).clone())),
            DraftMode::Add => None,
        };
        Some(match (d.key.as_str(), edit(d)) {
            ("need-form", None) => Editing::NewNeed,
            ("need-form", Some((id, Record::Need(n)))) => Editing::Need {
                id,
                before: Box::new(n),
            },
            ("offer-form", None) => Editing::NewOffer,
            ("offer-form", Some((id, Record::Offer(o)))) => Editing::Offer {
                id,
                before: Box::new(o),
            },
            ("worker-form", None) => Editing::NewWorker,
            ("worker-form", Some((id, Record::Worker(w)))) => Editing::Worker {
                id,
                before: Box::new(w),
            },
            ("partner-form", None) => Editing::NewPartner,
            ("partner-form", Some((id, Record::Partner(p)))) => Editing::Partner {
                id,
                before: Box::new(p),
            },
            _ => return None,
        })
    }
}

/// A provider of offers: organization, social worker or partner.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub kind: ProviderKind,
}

fn choices<T: Labeled>() -> Vec<Choice> {
    T::ALL
        .iter()
        .map(|&v| Choice::new(v.key(), label(v)))
        .collect()
}

fn spec(key: &'static str, kind: FieldKind) -> FieldSpec {
    FieldSpec::new(
        key,
        crate::text::t(&format!("linkage.tui.field.{key}")),
        kind,
    )
}

fn text(max: usize) -> FieldKind {
    FieldKind::Text { max }
}

fn count() -> FieldKind {
    FieldKind::Number {
        min: 0,
        max: PEOPLE_MAX,
    }
}

fn multi_hint() -> String {
    crate::text::t("tui.form.multi_hint").to_string()
}

fn date_hint() -> String {
    crate::text::t("tui.form.date_hint").to_string()
}

fn keys_of<T: Labeled>(v: &[T]) -> FieldValue {
    FieldValue::Multi(v.iter().map(|x| x.key().to_string()).collect())
}

fn opt_text(v: &Option<String>) -> FieldValue {
    FieldValue::Text(v.clone().unwrap_or_default())
}

/// The need form: empty (raised today) or filled with `need`.
pub fn need_form(places: &[Place], need: Option<&Need>, today: NaiveDate) -> Form {
    let fields = vec![
        spec("title", text(NAME_MAX)).with_required(true),
        spec(
            "grid",
            FieldKind::Place {
                options: place_choices(places),
            },
        )
        .with_required(true),
        spec(
            "domains",
            FieldKind::Multi {
                options: choices::<Domain>(),
            },
        )
        .with_required(true)
        .with_hint(multi_hint()),
        spec(
            "urgency",
            FieldKind::Choice {
                options: choices::<Urgency>(),
            },
        ),
        spec(
            "targets",
            FieldKind::Multi {
                options: choices::<TargetGroup>(),
            },
        )
        .with_hint(multi_hint()),
        spec("people", count()),
        spec(
            "raised_by",
            FieldKind::Choice {
                options: choices::<RaisedBy>(),
            },
        ),
        spec("contact", text(TEXT_MAX)),
        spec("raised", FieldKind::Date).with_hint(date_hint()),
        spec("wanted_by", FieldKind::Date).with_hint(date_hint()),
        spec("description", text(NOTES_MAX)),
    ];
    let title = if need.is_some() {
        "linkage.tui.form.edit_need"
    } else {
        "linkage.tui.form.new_need"
    };
    let mut form = Form::new(crate::text::t(title).to_string(), fields);
    form.set_today(today);
    let blank = Need {
        raised: Some(today),
        ..Default::default()
    };
    let n = need.unwrap_or(&blank);
    form.set_value("title", FieldValue::Text(n.title.clone()));
    if !n.grid.is_empty() {
        form.set_value("grid", FieldValue::Choice(Some(n.grid.clone())));
    }
    form.set_value("domains", keys_of(&n.domains));
    form.set_value("urgency", FieldValue::Choice(Some(n.urgency.key().into())));
    form.set_value("targets", keys_of(&n.targets));
    form.set_value("people", FieldValue::Number(n.people.map(i64::from)));
    form.set_value(
        "raised_by",
        FieldValue::Choice(Some(n.raised_by.key().into())),
    );
    form.set_value("contact", opt_text(&n.contact));
    form.set_value("raised", FieldValue::Date(n.raised));
    form.set_value("wanted_by", FieldValue::Date(n.wanted_by));
    form.set_value("description", opt_text(&n.description));
    form.focus("title");
    form
}

/// Errors of a form: field key and message.
pub type FieldErrors = Vec<(String, String)>;

/// Reads a form as a model input: text fields (dates and numbers too) as
/// typed, pickers as the keys picked. The form's own checks (required
/// fields, lengths) come first, then the input's rules, the same as the
/// command line's ([`Form::errors_with`]).
struct Reader<'a> {
    form: &'a Form,
}

impl<'a> Reader<'a> {
    fn new(form: &'a Form) -> Self {
        Reader { form }
    }

    /// The text of a text, date or number field as typed.
    fn text(&self, key: &str) -> Option<String> {
        Some(self.form.text(key).unwrap_or("").to_string())
    }

    /// The key picked in a choice or place field, if any.
    fn choice(&self, key: &str) -> Option<String> {
        match self.form.value(key) {
            Some(FieldValue::Choice(k)) => k.clone(),
            _ => None,
        }
    }

    /// The keys picked in a multi-choice field.
    fn keys(&self, key: &str) -> Option<Vec<String>> {
        match self.form.value(key) {
            Some(FieldValue::Multi(v)) => Some(v.clone()),
            _ => Some(Vec::new()),
        }
    }

    fn today(&self) -> NaiveDate {
        self.form.today()
    }

    /// The record if the form and the input's rules both accept it.
    fn finish<T>(self, record: T, applied: Result<(), ValidationErrors>) -> Result<T, FieldErrors> {
        let errors = self.form.errors_with(applied);
        if errors.is_empty() {
            Ok(record)
        } else {
            Err(errors)
        }
    }
}

/// The need the form stands for, starting from `base` (the need edited, or
/// a new one), or the errors of its fields.
pub fn form_to_need(form: &Form, base: Need) -> Result<Need, FieldErrors> {
    let r = Reader::new(form);
    let input = NeedInput {
        title: r.text("title"),
        grid: Some(r.choice("grid").unwrap_or_default()),
        domains: r.keys("domains"),
        urgency: r.choice("urgency"),
        targets: r.keys("targets"),
        people: r.text("people"),
        raised_by: r.choice("raised_by"),
        contact: r.text("contact"),
        raised: r.text("raised"),
        wanted_by: r.text("wanted_by"),
        description: r.text("description"),
        state: None,
    };
    let mut n = base;
    let applied = need_input::apply(&input, &mut n, r.today(), lang());
    r.finish(n, applied)
}

/// The offer form, empty (available from `today`) or filled with `offer`:
/// `providers` are organizations, social workers and partners in the order
/// to offer them.
pub fn offer_form(
    places: &[Place],
    providers: &[Provider],
    offer: Option<&Offer>,
    today: NaiveDate,
) -> Form {
    let provider_options = providers
        .iter()
        .map(|p| Choice::new(p.id.clone(), format!("{} ({})", p.name, label(p.kind))))
        .collect();
    let fields = vec![
        spec("title", text(NAME_MAX)).with_required(true),
        spec(
            "provider",
            FieldKind::Choice {
                options: provider_options,
            },
        )
        .with_required(true),
        spec(
            "type",
            FieldKind::Choice {
                options: choices::<OfferType>(),
            },
        ),
        spec(
            "domains",
            FieldKind::Multi {
                options: choices::<Domain>(),
            },
        )
        .with_required(true)
        .with_hint(multi_hint()),
        spec(
            "covers",
            FieldKind::Multi {
                options: place_choices(places),
            },
        )
        .with_hint(multi_hint()),
        spec(
            "targets",
            FieldKind::Multi {
                options: choices::<TargetGroup>(),
            },
        )
        .with_hint(multi_hint()),
        spec("capacity", count()),
        spec("unit", text(16)),
        spec("schedule", text(TEXT_MAX)),
        spec(
            "cost",
            FieldKind::Choice {
                options: choices::<Cost>(),
            },
        ),
        spec("available_from", FieldKind::Date).with_hint(date_hint()),
        spec("available_until", FieldKind::Date).with_hint(date_hint()),
        spec("contact", text(TEXT_MAX)),
    ];
    let title = if offer.is_some() {
        "linkage.tui.form.edit_offer"
    } else {
        "linkage.tui.form.new_offer"
    };
    let mut form = Form::new(crate::text::t(title).to_string(), fields);
    form.set_today(today);
    let blank = Offer {
        available_from: Some(today),
        ..Default::default()
    };
    let o = offer.unwrap_or(&blank);
    form.set_value("title", FieldValue::Text(o.title.clone()));
    if !o.provider.is_empty() {
        form.set_value("provider", FieldValue::Choice(Some(o.provider.clone())));
    }
    form.set_value("type", FieldValue::Choice(Some(o.kind.key().into())));
    form.set_value("domains", keys_of(&o.domains));
    form.set_value("covers", FieldValue::Multi(o.covers.clone()));
    form.set_value("targets", keys_of(&o.targets));
    form.set_value("capacity", FieldValue::Number(o.capacity.map(i64::from)));
    form.set_value("unit", opt_text(&o.unit));
    form.set_value("schedule", opt_text(&o.schedule));
    form.set_value("cost", FieldValue::Choice(Some(o.cost.key().into())));
    form.set_value("available_from", FieldValue::Date(o.available_from));
    form.set_value("available_until", FieldValue::Date(o.available_until));
    form.set_value("contact", opt_text(&o.contact));
    form.focus("title");
    form
}

/// The offer the form stands for, starting from `base` (the offer edited,
/// or a new one), or the errors of its fields; the provider's kind comes
/// from `providers`. A capacity below what accepted linkages already
/// committed is an error of the capacity field.
pub fn form_to_offer(
    form: &Form,
    providers: &[Provider],
    base: Offer,
) -> Result<Offer, FieldErrors> {
    let r = Reader::new(form);
    let input = OfferInput {
        title: r.text("title"),
        kind: r.choice("type"),
        domains: r.keys("domains"),
        provider: Some(r.choice("provider").unwrap_or_default()),
        covers: r.keys("covers"),
        targets: r.keys("targets"),
        capacity: r.text("capacity"),
        unit: r.text("unit"),
        schedule: r.text("schedule"),
        cost: r.choice("cost"),
        available_from: r.text("available_from"),
        available_until: r.text("available_until"),
        contact: r.text("contact"),
        ..OfferInput::default()
    };
    let mut o = base;
    let kind_of = |id: &str| providers.iter().find(|p| p.id == id).map(|p| p.kind);
    let applied = offer_input::apply(&input, &mut o, r.today(), lang(), kind_of);
    let committed = o.committed;
    r.finish(o, applied).map_err(|errors| {
        errors
            .into_iter()
            .map(|(k, m)| match k.as_str() {
                "committed" => (
                    "capacity".to_string(),
                    crate::tr!("linkage.tui.below_committed", committed = committed),
                ),
                _ => (k, m),
            })
            .collect()
    })
}

fn domains_field() -> FieldSpec {
    spec(
        "domains",
        FieldKind::Multi {
            options: choices::<Domain>(),
        },
    )
    .with_hint(multi_hint())
}

/// The social worker form, empty or filled with `worker`: the community is
/// one of `places`' communities, the organization one of `providers`'
/// organizations.
pub fn worker_form(
    places: &[Place],
    providers: &[Provider],
    worker: Option<&Worker>,
    today: NaiveDate,
) -> Form {
    let communities = place_choices(places)
        .into_iter()
        .filter(|c| {
            places
                .iter()
                .any(|p| p.code == c.key && p.level == PlaceLevel::Community)
        })
        .collect();
    let orgs = providers
        .iter()
        .filter(|p| p.kind == ProviderKind::Org)
        .map(|p| Choice::new(p.id.clone(), p.name.clone()))
        .collect();
    let fields = vec![
        spec("name", text(NAME_MAX)).with_required(true),
        spec(
            "qualification",
            FieldKind::Choice {
                options: choices::<Qualification>(),
            },
        ),
        spec(
            "community",
            FieldKind::Place {
                options: communities,
            },
        ),
        domains_field(),
        spec("phone", FieldKind::Phone),
        spec("org", FieldKind::Choice { options: orgs }),
        spec("notes", text(NOTES_MAX)),
    ];
    let title = if worker.is_some() {
        "linkage.tui.form.edit_worker"
    } else {
        "linkage.tui.form.new_worker"
    };
    let mut form = Form::new(crate::text::t(title).to_string(), fields);
    form.set_today(today);
    let w = worker.cloned().unwrap_or_default();
    form.set_value("name", FieldValue::Text(w.name));
    form.set_value(
        "qualification",
        FieldValue::Choice(Some(w.qualification.key().into())),
    );
    form.set_value("community", FieldValue::Choice(w.community));
    form.set_value("domains", keys_of(&w.domains));
    form.set_value("phone", opt_text(&w.phone));
    form.set_value("org", FieldValue::Choice(w.org));
    form.set_value("notes", opt_text(&w.notes));
    form.focus("name");
    form
}

/// The social worker the form stands for, starting from `base` (the worker
/// edited, or a new one), or the errors of its fields.
pub fn form_to_worker(form: &Form, base: Worker) -> Result<Worker, FieldErrors> {
    let r = Reader::new(form);
    let input = WorkerInput {
        name: r.text("name"),
        qualification: r.choice("qualification"),
        community: Some(r.choice("community").unwrap_or_default()),
        domains: r.keys("domains"),
        phone: r.text("phone"),
        org: Some(r.choice("org").unwrap_or_default()),
        notes: r.text("notes"),
    };
    let mut w = base;
    let applied = people_input::apply_worker(&input, &mut w, lang());
    r.finish(w, applied)
}

/// The partner form, empty or filled with `partner` (agreements are kept
/// and added with the command line).
pub fn partner_form(partner: Option<&Partner>, today: NaiveDate) -> Form {
    let fields = vec![
        spec("name", text(NAME_MAX)).with_required(true),
        spec(
            "type",
            FieldKind::Choice {
                options: choices::<PartnerType>(),
            },
        ),
        spec("contact", text(TEXT_MAX)),
        spec("phone", FieldKind::Phone),
        spec("provides", text(TEXT_MAX)),
        domains_field(),
        spec("notes", text(NOTES_MAX)),
    ];
    let title = if partner.is_some() {
        "linkage.tui.form.edit_partner"
    } else {
        "linkage.tui.form.new_partner"
    };
    let mut form = Form::new(crate::text::t(title).to_string(), fields);
    form.set_today(today);
    let blank = Partner::default();
    let p = partner.unwrap_or(&blank);
    form.set_value("name", FieldValue::Text(p.name.clone()));
    form.set_value("type", FieldValue::Choice(Some(p.kind.key().into())));
    form.set_value("contact", opt_text(&p.contact));
    form.set_value("phone", opt_text(&p.phone));
    form.set_value("provides", opt_text(&p.provides));
    form.set_value("domains", keys_of(&p.domains));
    form.set_value("notes", opt_text(&p.notes));
    form.focus("name");
    form
}

/// The partner the form stands for, starting from `base` (the partner
/// edited, with its agreements, or a new one), or the errors of its fields.
pub fn form_to_partner(form: &Form, base: Partner) -> Result<Partner, FieldErrors> {
    let r = Reader::new(form);
    let input = PartnerInput {
        name: r.text("name"),
        kind: r.choice("type"),
        contact: r.text("contact"),
        phone: r.text("phone"),
        provides: r.text("provides"),
        domains: r.keys("domains"),
        notes: r.text("notes"),
        agreements: Vec::new(),
    };
    let mut p = base;
    let applied = people_input::apply_partner(&input, &mut p, r.today(), lang());
    r.finish(p, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn places() -> Vec<Place> {
        vec![
            Place {
                code: "BSJ-01".into(),
                name: "宝石社区".into(),
                level: PlaceLevel::Community,
                parent: None,
            },
            Place {
                code: "BSJ-01-01".into(),
                name: "宝石一网格".into(),
                level: PlaceLevel::Grid,
                parent: Some("BSJ-01".into()),
            },
        ]
    }

    fn type_str(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    fn enter(f: &mut Form) {
        f.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    }

    #[test]
    fn an_empty_need_form_names_the_required_fields() {
        let f = need_form(&places(), None, day());
        let errs = form_to_need(&f, Need::default()).unwrap_err();
        let keys: Vec<&str> = errs.iter().map(|(k, _)| k.as_str()).collect();
        for k in ["title", "grid", "domains"] {
            assert!(keys.contains(&k), "{k} in {keys:?}");
        }
    }

    #[test]
    fn a_need_is_typed_with_pinyin_pickers() {
        let mut f = need_form(&places(), None, day());
        f.paste("独居老人助餐");
        f.focus("grid");
        type_str(&mut f, "bsyw");
        enter(&mut f);
        f.focus("domains");
        type_str(&mut f, "yl");
        enter(&mut f);
        let n = form_to_need(&f, Need::default()).unwrap();
        assert_eq!(n.title, "独居老人助餐");
        assert_eq!(n.grid, "BSJ-01-01");
        assert_eq!(n.domains, vec![Domain::Elderly]);
        assert_eq!(n.raised, Some(day()));
    }

    #[test]
    fn editing_keeps_what_the_form_does_not_show() {
        let before = Need {
            title: "助餐".into(),
            grid: "BSJ-01".into(),
            domains: vec![Domain::Elderly],
            state: crate::model::NeedState::Matched,
            ..Default::default()
        };
        let mut f = need_form(&places(), Some(&before), day());
        f.set_value("urgency", FieldValue::Choice(Some("urgent".into())));
        let n = form_to_need(&f, before.clone()).unwrap();
        assert_eq!(n.urgency, Urgency::Urgent);
        assert_eq!(n.state, crate::model::NeedState::Matched);
        assert_eq!(n.title, before.title);
    }

    #[test]
    fn a_worker_picks_a_community_not_a_grid() {
        let providers = vec![Provider {
            id: "o1".into(),
            name: "宝石社区书画社".into(),
            kind: ProviderKind::Org,
        }];
        let mut f = worker_form(&places(), &providers, None, day());
        assert!(
            form_to_worker(&f, Worker::default()).is_err(),
            "a name is required"
        );
        f.paste("陈静");
        f.focus("community");
        type_str(&mut f, "bs");
        enter(&mut f);
        f.focus("org");
        type_str(&mut f, "bssh");
        enter(&mut f);
        let w = form_to_worker(&f, Worker::default()).unwrap();
        assert_eq!(w.community.as_deref(), Some("BSJ-01"));
        assert_eq!(w.org.as_deref(), Some("o1"));
    }

    #[test]
    fn a_partner_with_a_bad_phone_is_refused() {
        let mut f = partner_form(None, day());
        f.paste("浙江大学社会学系");
        f.focus("phone");
        type_str(&mut f, "123");
        let errs = form_to_partner(&f, Partner::default()).unwrap_err();
        assert_eq!(errs[0].0, "phone");
        f.set_value("phone", FieldValue::Text(String::new()));
        f.set_value("type", FieldValue::Choice(Some("university".into())));
        let p = form_to_partner(&f, Partner::default()).unwrap();
        assert_eq!(p.kind, PartnerType::University);
    }

    #[test]
    fn an_offer_takes_its_provider_kind() {
        let providers = vec![Provider {
            id: "w1".into(),
            name: "王社工".into(),
            kind: ProviderKind::Worker,
        }];
        let mut f = offer_form(&places(), &providers, None, day());
        f.paste("上门理发");
        let errs = form_to_offer(&f, &providers, Offer::default()).unwrap_err();
        let keys: Vec<&str> = errs.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            keys.contains(&"provider") && keys.contains(&"domains"),
            "{keys:?}"
        );
        f.set_value("provider", FieldValue::Choice(Some("w1".into())));
        f.set_value("domains", FieldValue::Multi(vec!["elderly".into()]));
        let o = form_to_offer(&f, &providers, Offer::default()).unwrap();
        assert_eq!(o.provider_kind, ProviderKind::Worker);
        assert_eq!(o.available_from, Some(day()));
    }

    #[test]
    fn an_offer_edit_keeps_hidden_fields_and_guards_committed_capacity() {
        let providers = vec![Provider {
            id: "p1".into(),
            name: "浙江大学".into(),
            kind: ProviderKind::Partner,
        }];
        let before = Offer {
            title: "上门理发".into(),
            domains: vec![Domain::Elderly],
            provider: "p1".into(),
            provider_kind: ProviderKind::Partner,
            capacity: Some(10),
            committed: 6,
            description: Some("每月一次".into()),
            notes: Some("内部备注".into()),
            ..Default::default()
        };
        let mut f = offer_form(&places(), &providers, Some(&before), day());
        assert_eq!(f.text("title"), Some("上门理发"));
        f.set_value("capacity", FieldValue::Number(Some(12)));
        let o = form_to_offer(&f, &providers, before.clone()).unwrap();
        assert_eq!(o.capacity, Some(12));
        assert_eq!(
            Offer {
                capacity: Some(10),
                ..o
            },
            before
        );
        f.set_value("capacity", FieldValue::Number(Some(5)));
        let errs = form_to_offer(&f, &providers, before.clone()).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].0, "capacity");
        assert!(errs[0].1.contains('6'), "{}", errs[0].1);
    }

    #[test]
    fn a_partner_edit_keeps_its_agreements() {
        let mut before = Partner {
            name: "浙江大学社会学系".into(),
            ..Default::default()
        };
        before.agreements.insert(
            "实习基地".into(),
            crate::model::worker::Agreement {
                start: day(),
                end: None,
            },
        );
        let mut f = partner_form(Some(&before), day());
        assert_eq!(f.text("name"), Some("浙江大学社会学系"));
        f.set_value("provides", FieldValue::Text("志愿者".into()));
        let p = form_to_partner(&f, before.clone()).unwrap();
        assert_eq!(p.provides.as_deref(), Some("志愿者"));
        assert_eq!(p.agreements, before.agreements);
    }
}
