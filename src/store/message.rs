//! Store errors and warnings in the user's language (text tables, `[store]`).

use super::api::{StoreError, Warning};
use crate::text;
use crate::tr;

impl StoreError {
    /// The message for the user, in this thread's language.
    pub fn message(&self) -> String {
        match self {
            StoreError::Invalid(e) => text::validation_errors(e),
            StoreError::DuplicateCreditCode {
                code,
                existing_name,
                ..
            } => tr!(
                "store.duplicate_credit_code",
                code = code,
                name = existing_name
            ),
            StoreError::DuplicatePlace { code } => tr!("store.duplicate_place", code = code),
            StoreError::PlaceInUse {
                code,
                places,
                orgs,
                others: 0,
            } => tr!(
                "store.place_in_use",
                code = code,
                places = places,
                orgs = orgs
            ),
            StoreError::PlaceInUse {
                code,
                places,
                orgs,
                others,
            } => tr!(
                "store.place_in_use_others",
                code = code,
                places = places,
                orgs = orgs,
                others = others
            ),
            StoreError::NotFound { kind, id } => {
                tr!("store.not_found", kind = text::label(*kind), id = id)
            }
            StoreError::InUse { path, holder } => {
                let path = path.display();
                match holder {
                    Some(h) => tr!(
                        "store.in_use_by",
                        path = path,
                        user = h.user,
                        pid = h.pid,
                        since = h.since
                    ),
                    None => tr!("store.in_use", path = path),
                }
            }
            StoreError::NewerSchema { found, supported } => {
                tr!("store.newer_schema", found = found, supported = supported)
            }
            StoreError::NoDatabase { path } => tr!("store.no_database", path = path.display()),
            StoreError::DiskFull { path } => tr!("store.disk_full", path = path.display()),
            StoreError::Damaged { path, detail } => {
                tr!("store.damaged", path = path.display(), detail = detail)
            }
            StoreError::Storage(detail) => tr!("store.storage", detail = detail),
            StoreError::ReadOnly { user } => tr!("store.read_only", user = user),
            StoreError::EditClash(c) => edit_clash(c),
        }
    }
}

impl Warning {
    /// The message for the user, in this thread's language.
    pub fn message(&self) -> String {
        match self {
            Warning::PossibleDuplicate { name, .. } => {
                tr!("store.possible_duplicate", name = name)
            }
        }
    }
}

/// "望江门社区银龄互助会 was changed meanwhile: 联系电话 (now 138..., yours 139...)".
fn edit_clash(c: &super::EditClash) -> String {
    let value = |v: &Option<super::Value>| match v {
        None => tr!("store.clash_empty"),
        Some(super::Value::Text(s)) => crate::text::printable(s).into_owned(),
        Some(super::Value::Int(n)) => n.to_string(),
        Some(super::Value::Float(x)) => x.to_string(),
        Some(super::Value::Bool(b)) => tr!(if *b {
            "store.clash_yes"
        } else {
            "store.clash_no"
        }),
    };
    let fields: Vec<String> = c
        .fields
        .iter()
        .map(|f| {
            tr!(
                "store.clash_field",
                field = crate::text::field_label(&super::fields::top_field(&f.path)),
                theirs = value(&f.theirs),
                mine = value(&f.mine)
            )
        })
        .collect();
    tr!(
        "store.edit_clash",
        record = crate::text::printable(c.current.title()),
        fields = fields.join(tr!("store.clash_sep").as_str())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lang, Rule, ValidationErrors};
    use crate::store::Holder;
    use std::path::PathBuf;

    #[test]
    fn in_use_names_path_user_and_process() {
        text::set_lang(Lang::Zh);
        let e = StoreError::InUse {
            path: PathBuf::from("/x/y"),
            holder: Some(Holder {
                user: "zhang".into(),
                pid: 1234,
                since: "2026-11-28 09:00".into(),
            }),
        };
        assert_eq!(
            e.message(),
            "数据库 /x/y 正被其他程序使用（用户 zhang，进程 1234，自 2026-11-28 09:00 起）。请先关闭它再试。"
        );
        let e = StoreError::InUse {
            path: PathBuf::from("/x/y"),
            holder: None,
        };
        assert!(e.message().contains("/x/y"));
        text::set_lang(Lang::En);
        assert!(e.message().contains("in use"));
        text::set_lang(Lang::Zh);
    }

    #[test]
    fn every_error_has_a_message() {
        text::set_lang(Lang::En);
        let errors = [
            StoreError::Invalid(ValidationErrors(vec![crate::model::FieldError::new(
                "phone",
                Rule::Phone,
            )])),
            StoreError::DuplicateCreditCode {
                code: "51330106MJ9999999X".into(),
                existing_id: "k5d2wa-3".into(),
                existing_name: "宝石山社区书画社".into(),
            },
            StoreError::DuplicatePlace { code: "BSJ".into() },
            StoreError::PlaceInUse {
                code: "BSJ".into(),
                places: 2,
                orgs: 3,
                others: 0,
            },
            StoreError::PlaceInUse {
                code: "BSJ-01-01".into(),
                places: 0,
                orgs: 0,
                others: 4,
            },
            StoreError::NotFound {
                kind: crate::model::Kind::Org,
                id: "k5d2wa-9".into(),
            },
            StoreError::NewerSchema {
                found: 7,
                supported: 1,
            },
            StoreError::Storage("disk full".into()),
            StoreError::NoDatabase {
                path: PathBuf::from("/tmp/typo"),
            },
            StoreError::DiskFull {
                path: PathBuf::from("/mnt/full/db"),
            },
            StoreError::Damaged {
                path: PathBuf::from("/x/db"),
                detail: "Read corrupted data".into(),
            },
        ];
        for e in errors {
            let m = e.message();
            assert!(!m.contains("store."), "{m}");
            assert!(!m.contains('{'), "{m}");
        }
        let m = StoreError::NewerSchema {
            found: 7,
            supported: 1,
        }
        .message();
        assert!(m.contains('7') && m.contains("Upgrade"), "{m}");
        let full = StoreError::DiskFull {
            path: PathBuf::from("/mnt/full/db"),
        };
        let m = full.message();
        assert!(m.contains("/mnt/full/db") && m.contains("Disk full"), "{m}");
        text::set_lang(Lang::Zh);
        let m = full.message();
        assert!(m.contains("/mnt/full/db") && m.contains("磁盘已满"), "{m}");
        text::set_lang(Lang::En);
        let w = Warning::PossibleDuplicate {
            id: "k5d2wa-3".into(),
            name: "银龄互助会".into(),
        };
        assert!(w.message().contains("银龄互助会"));
        text::set_lang(Lang::Zh);
    }

    /// The other organization is named by its name; its id means nothing
    /// to the person reading (the form, the status bar, standard error).
    #[test]
    fn the_other_organization_is_named_not_numbered() {
        let dup = StoreError::DuplicateCreditCode {
            code: "51330106MJ9999999X".into(),
            existing_id: "k5d2wa-3".into(),
            existing_name: "宝石山社区书画社".into(),
        };
        let w = Warning::PossibleDuplicate {
            id: "k5d2wa-3".into(),
            name: "银龄互助会".into(),
        };
        for lang in [Lang::Zh, Lang::En] {
            text::set_lang(lang);
            let (m, n) = (dup.message(), w.message());
            assert!(
                m.contains("宝石山社区书画社") && !m.contains("k5d2wa"),
                "{m}"
            );
            assert!(n.contains("银龄互助会") && !n.contains("k5d2wa"), "{n}");
        }
        text::set_lang(Lang::Zh);
    }
}
