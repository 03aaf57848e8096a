//! The linkage pane's forms: a need (add `a`, edit `e`), an offer (add
//! `A`), a social worker (`W`) and a partner (`P`), with the quick-entry rules of the other panes: places,
//! domains, target groups and providers are picked by typing a few letters
//! (pinyin initials work), dates are typed as `t`, `-1`, `11-20`.
//!
//! Field keys are the model's field names, so model and store errors land
//! on them.

use chrono::NaiveDate;

use crate::model::need::PEOPLE_MAX;
use crate::model::org::{NAME_MAX, NOTES_MAX, TEXT_MAX};
use crate::model::{
    Cost, Domain, Labeled, Need, Offer, OfferType, Partner, PartnerType, Place, PlaceLevel,
    ProviderKind, Qualification, RaisedBy, TargetGroup, Urgency, Worker,
};
use crate::text::{label, rule_message};
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
    /// A new social worker.
    NewWorker,
    /// A new partner.
    NewPartner,
}

/// A provider of offers: organization, social worker or partner.
#[derive(Debug, Clone, PartialEq, Eq)]
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

struct Reader<'a> {
    form: &'a Form,
    errors: FieldErrors,
}

impl<'a> Reader<'a> {
    fn new(form: &'a Form) -> Self {
        let errors = form
            .check(form.today())
            .into_iter()
            .map(|(k, r)| (k.to_string(), rule_message(&r)))
            .collect();
        Reader { form, errors }
    }

    fn text(&self, key: &str) -> String {
        self.form.text(key).unwrap_or("").trim().to_string()
    }

    fn opt(&self, key: &str) -> Option<String> {
        Some(self.text(key)).filter(|s| !s.is_empty())
    }

    fn choice(&self, key: &str) -> Option<String> {
        match self.form.value(key) {
            Some(FieldValue::Choice(k)) => k.clone(),
            _ => None,
        }
    }

    fn keys(&self, key: &str) -> Vec<String> {
        match self.form.value(key) {
            Some(FieldValue::Multi(v)) => v.clone(),
            _ => Vec::new(),
        }
    }

    fn labeled<T: Labeled>(&self, key: &str) -> Option<T> {
        self.choice(key).and_then(|k| T::parse(&k))
    }

    fn set<T: Labeled>(&self, key: &str) -> Vec<T> {
        self.keys(key).iter().filter_map(|k| T::parse(k)).collect()
    }

    fn date(&self, key: &str) -> Option<NaiveDate> {
        match self.form.value(key) {
            Some(FieldValue::Date(d)) => *d,
            _ => None,
        }
    }

    fn number(&self, key: &str) -> Option<u32> {
        match self.form.value(key) {
            Some(FieldValue::Number(n)) => n.and_then(|n| u32::try_from(n).ok()),
            _ => None,
        }
    }

    /// The record if the form and the model both accept it.
    fn finish<T>(
        self,
        record: T,
        validate: impl Fn(&T) -> Result<(), crate::model::ValidationErrors>,
    ) -> Result<T, FieldErrors> {
        let mut errors = self.errors;
        if let Err(e) = validate(&record) {
            for fe in &e.0 {
                if !errors.iter().any(|(k, _)| k == fe.field.as_str()) {
                    errors.push((fe.field.to_string(), rule_message(&fe.rule)));
                }
            }
        }
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
    let mut n = base;
    n.title = r.text("title");
    n.grid = r.choice("grid").unwrap_or_default();
    n.domains = r.set("domains");
    n.urgency = r.labeled("urgency").unwrap_or_default();
    n.targets = r.set("targets");
    n.people = r.number("people");
    n.raised_by = r.labeled("raised_by").unwrap_or_default();
    n.contact = r.opt("contact");
    n.raised = r.date("raised");
    n.wanted_by = r.date("wanted_by");
    n.description = r.opt("description");
    n.normalize();
    r.finish(n, Need::validate)
}

/// The offer form: `providers` are organizations, social workers and
/// partners in the order to offer them; the offer is available from `today`.
pub fn offer_form(places: &[Place], providers: &[Provider], today: NaiveDate) -> Form {
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
    let mut form = Form::new(
        crate::text::t("linkage.tui.form.new_offer").to_string(),
        fields,
    );
    form.set_today(today);
    form.set_value(
        "type",
        FieldValue::Choice(Some(OfferType::default().key().into())),
    );
    form.set_value(
        "cost",
        FieldValue::Choice(Some(Cost::default().key().into())),
    );
    form.set_value("available_from", FieldValue::Date(Some(today)));
    form.focus("title");
    form
}

/// The offer the form stands for, or the errors of its fields; the
/// provider's kind comes from `providers`.
pub fn form_to_offer(form: &Form, providers: &[Provider]) -> Result<Offer, FieldErrors> {
    let r = Reader::new(form);
    let provider = r.choice("provider").unwrap_or_default();
    let mut o = Offer {
        title: r.text("title"),
        kind: r.labeled("type").unwrap_or_default(),
        domains: r.set("domains"),
        provider_kind: providers
            .iter()
            .find(|p| p.id == provider)
            .map(|p| p.kind)
            .unwrap_or_default(),
        provider,
        covers: r.keys("covers"),
        targets: r.set("targets"),
        capacity: r.number("capacity"),
        unit: r.opt("unit"),
        schedule: r.opt("schedule"),
        cost: r.labeled("cost").unwrap_or_default(),
        available_from: r.date("available_from"),
        available_until: r.date("available_until"),
        contact: r.opt("contact"),
        ..Default::default()
    };
    o.normalize();
    r.finish(o, Offer::validate)
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

/// The social worker form: the community is one of `places`' communities,
/// the organization one of `providers`' organizations.
pub fn worker_form(places: &[Place], providers: &[Provider], today: NaiveDate) -> Form {
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
    let mut form = Form::new(
        crate::text::t("linkage.tui.form.new_worker").to_string(),
        fields,
    );
    form.set_today(today);
    form.set_value(
        "qualification",
        FieldValue::Choice(Some(Qualification::default().key().into())),
    );
    form.focus("name");
    form
}

/// The social worker the form stands for, or the errors of its fields.
pub fn form_to_worker(form: &Form) -> Result<Worker, FieldErrors> {
    let r = Reader::new(form);
    let mut w = Worker {
        name: r.text("name"),
        qualification: r.labeled("qualification").unwrap_or_default(),
        community: r.choice("community"),
        domains: r.set("domains"),
        phone: r.opt("phone"),
        org: r.choice("org"),
        notes: r.opt("notes"),
    };
    w.normalize();
    r.finish(w, Worker::validate)
}

/// The partner form (agreements are added with the command line).
pub fn partner_form(today: NaiveDate) -> Form {
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
    let mut form = Form::new(
        crate::text::t("linkage.tui.form.new_partner").to_string(),
        fields,
    );
    form.set_today(today);
    form.set_value(
        "type",
        FieldValue::Choice(Some(PartnerType::default().key().into())),
    );
    form.focus("name");
    form
}

/// The partner the form stands for, or the errors of its fields.
pub fn form_to_partner(form: &Form) -> Result<Partner, FieldErrors> {
    let r = Reader::new(form);
    let mut p = Partner {
        name: r.text("name"),
        kind: r.labeled("type").unwrap_or_default(),
        contact: r.opt("contact"),
        phone: r.opt("phone"),
        provides: r.opt("provides"),
        domains: r.set("domains"),
        notes: r.opt("notes"),
        ..Default::default()
    };
    p.normalize();
    r.finish(p, Partner::validate)
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
        let mut f = worker_form(&places(), &providers, day());
        assert!(form_to_worker(&f).is_err(), "a name is required");
        f.paste("陈静");
        f.focus("community");
        type_str(&mut f, "bs");
        enter(&mut f);
        f.focus("org");
        type_str(&mut f, "bssh");
        enter(&mut f);
        let w = form_to_worker(&f).unwrap();
        assert_eq!(w.community.as_deref(), Some("BSJ-01"));
        assert_eq!(w.org.as_deref(), Some("o1"));
    }

    #[test]
    fn a_partner_with_a_bad_phone_is_refused() {
        let mut f = partner_form(day());
        f.paste("浙江大学社会学系");
        f.focus("phone");
        type_str(&mut f, "123");
        let errs = form_to_partner(&f).unwrap_err();
        assert_eq!(errs[0].0, "phone");
        f.set_value("phone", FieldValue::Text(String::new()));
        f.set_value("type", FieldValue::Choice(Some("university".into())));
        let p = form_to_partner(&f).unwrap();
        assert_eq!(p.kind, PartnerType::University);
    }

    #[test]
    fn an_offer_takes_its_provider_kind() {
        let providers = vec![Provider {
            id: "w1".into(),
            name: "王社工".into(),
            kind: ProviderKind::Worker,
        }];
        let mut f = offer_form(&places(), &providers, day());
        f.paste("上门理发");
        let errs = form_to_offer(&f, &providers).unwrap_err();
        let keys: Vec<&str> = errs.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            keys.contains(&"provider") && keys.contains(&"domains"),
            "{keys:?}"
        );
        f.set_value("provider", FieldValue::Choice(Some("w1".into())));
        f.set_value("domains", FieldValue::Multi(vec!["elderly".into()]));
        let o = form_to_offer(&f, &providers).unwrap();
        assert_eq!(o.provider_kind, ProviderKind::Worker);
        assert_eq!(o.available_from, Some(day()));
    }
}
