//! The rules of leads that need the database: a filed or registered
//! organization of that very name is not a lead (it is lawful); a lead
//! moves one state at a time.

use super::api::StoreError;
use super::tx::Tx;
use crate::model::lead::Lead;
use crate::model::{Kind, Labeled, Record, RegState, Rule, ValidationErrors};

impl Tx<'_> {
    pub(super) fn check_lead(
        &mut self,
        was: Option<&Lead>,
        l: &Lead,
        errors: &mut ValidationErrors,
    ) -> Result<(), StoreError> {
        let lang = crate::text::lang();
        match was {
            None => {
                for (_, r) in self.live_all(Kind::Org)? {
                    let Record::Org(o) = r else { continue };
                    if o.name == l.name_used
                        && matches!(o.state, RegState::Filed | RegState::Registered)
                    {
                        errors.push(
                            "name_used",
                            Rule::Other {
                                message: crate::tr!(
                                    "lead.lawful",
                                    name = o.name,
                                    state = o.state.label(lang)
                                ),
                            },
                        );
                    }
                }
            }
            Some(w) if w.state != l.state && !w.state.can_step(l.state) => {
                let next: Vec<&str> = w.state.next().iter().map(|s| s.label(lang)).collect();
                errors.push(
                    "step",
                    Rule::Other {
                        message: crate::tr!(
                            "venture.out_of_order",
                            from = w.state.label(lang),
                            to = l.state.label(lang),
                            next = next.join("、")
                        ),
                    },
                );
            }
            Some(_) => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::lead::Lead;
    use crate::model::{Kind, Record};
    use crate::store::{Command, Store};

    #[test]
    fn a_lead_is_never_in_a_change_notice_for_the_apps() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.watch();
        let l = Lead {
            name_used: "西湖国学研究会".into(),
            founder: None,
            place: "宝石山".into(),
            channels: vec![],
            facts: "收会费".into(),
            evidence: None,
            source: Default::default(),
            category: Default::default(),
            state: Default::default(),
            steps: Default::default(),
            reported_to: None,
            reporter: Some("匿名".into()),
            reporter_phone: None,
            notes: None,
        };
        store
            .execute(Command::Create {
                record: Record::Lead(l),
            })
            .unwrap();
        let n = store.take_notice();
        assert!(!n.touches(Kind::Lead), "{n:?}");
        assert_eq!(store.count(Kind::Lead), 1);
    }
}
