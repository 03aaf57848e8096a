//! What others did: the bottom bar's line when a change notice carries
//! changes by another staff member ("王丽 修改了 望江门社区银龄互助会").

use crate::store::Notice;
use crate::tr;

/// The line for the changes in `notice` made by someone other than `me`;
/// `None` when there are none (this user's own changes are told by the
/// pane that made them).
pub fn told(notice: &Notice, me: Option<&str>) -> Option<String> {
    // Without knowing who we are, nobody is "someone else".
    let me = me?;
    let theirs: Vec<_> = notice
        .changes
        .iter()
        .filter(|c| c.author != me && !c.author.is_empty())
        .collect();
    let first = theirs.first()?;
    let who = crate::server::access::display_name(&first.author);
    let record = match (&first.before, &first.after) {
        (_, Some(r)) | (Some(r), None) => r.title().to_string(),
        (None, None) => return None,
    };
    let record = crate::sync::words::named(first.kind, &record);
    let line = match (&first.before, &first.after) {
        (None, Some(_)) => tr!("server.they_added", who = who, record = record),
        (Some(_), None) => tr!("server.they_deleted", who = who, record = record),
        _ => tr!("server.they_changed", who = who, record = record),
    };
    Some(if theirs.len() > 1 {
        tr!("server.they_more", line = line, n = theirs.len())
    } else {
        line
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, OrgType, Organization, Record};
    use crate::store::Changed;

    fn change(author: &str, before: Option<&str>, after: Option<&str>) -> Changed {
        let org = |n: &str| Record::Org(Organization::new(n, OrgType::Community));
        Changed {
            kind: Kind::Org,
            id: "o1".into(),
            author: author.into(),
            before: before.map(org),
            after: after.map(org),
        }
    }

    #[test]
    fn names_who_changed_what_and_not_my_own_changes() {
        crate::text::set_lang(crate::model::Lang::Zh);
        let mut n = Notice::default();
        n.changes.push(change("me", None, Some("甲")));
        assert_eq!(told(&n, Some("me")), None);
        assert_eq!(told(&n, None), None);
        n.changes.push(change(
            "nosuchuser9",
            Some("望江门"),
            Some("望江门社区银龄互助会"),
        ));
        let line = told(&n, Some("me")).unwrap();
        assert!(line.contains("nosuchuser9"), "{line}");
        assert!(line.contains("望江门社区银龄互助会"), "{line}");
        assert!(!line.contains("o1"), "no ids: {line}");
    }
}
