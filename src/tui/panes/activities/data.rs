//! What the activities pane asks of the store, and the worker's side of it:
//! every activity in a month-indexed [`ActivityLog`], the organizations by
//! name for the pickers, saving a new activity, and changing or deleting
//! one.

use std::collections::HashMap;

use crate::model::{Activity, Kind, Record};
use crate::report::{community_map, ActivityLog, Slot};
use crate::search::sort_key;
use crate::store::{Command, Store, StoreError};

/// A request of the activities pane.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ActRequest {
    /// Every activity and organization.
    Load,
    /// Save a new activity.
    Create(Box<Activity>),
    /// Change (`Command::Update`) or delete (`Command::Delete`) an activity.
    Execute(Box<Command>),
}

/// An answer to an [`ActRequest`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum ActResponse {
    /// The pane's data.
    Loaded(Box<ActData>),
    /// A new activity: its id and the record as stored, or why not.
    Created(Result<(String, Box<Activity>), StoreError>),
    /// A change or deletion: the command, and the activity's id, the
    /// number of fields written and the record as stored afterwards
    /// (`None` once deleted), or why not.
    Executed {
        cmd: Box<Command>,
        result: Result<Executed, StoreError>,
    },
    /// Reading failed.
    Failed(String),
}

/// What an executed command did to an activity.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Executed {
    pub id: String,
    /// Operations written (0: nothing changed).
    pub ops: usize,
    /// The activity as stored now (`None`: deleted).
    pub stored: Option<Box<Activity>>,
}

/// Where activities are counted: each grid or community's community, and
/// each organization's grid.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Places {
    pub community_of: HashMap<String, String>,
    /// `(organization id, grid)`, sorted by id (100,000 of them at district
    /// scale: a sorted list takes half the memory of a map).
    pub org_grid: Vec<(Box<str>, Box<str>)>,
}

impl Places {
    /// The grid cell of organization `id`.
    fn grid_of(&self, id: &str) -> Option<&str> {
        let i = self
            .org_grid
            .binary_search_by(|(o, _)| o.as_ref().cmp(id))
            .ok()?;
        self.org_grid.get(i).map(|(_, g)| g.as_ref())
    }

    /// The community an activity counts for: its place's, else its first
    /// organization's (as `report::activity_community`).
    pub fn community(&self, a: &Activity) -> Option<String> {
        a.grid
            .as_deref()
            .or_else(|| a.orgs.iter().find_map(|id| self.grid_of(id)))
            .and_then(|g| self.community_of.get(g))
            .cloned()
    }

    /// `activity` as a log slot.
    pub fn slot(&self, id: String, activity: Activity) -> Slot {
        let community = self.community(&activity);
        Slot {
            id,
            activity,
            community,
        }
    }
}

/// Everything the pane shows.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ActData {
    pub log: ActivityLog,
    /// Organizations `(id, name)`, in pinyin order of the name.
    pub orgs: Vec<(String, String)>,
    /// Positions in `orgs`, in the order of the ids (to find a name by id
    /// without a second copy of every id and name).
    pub by_id: Vec<u32>,
    pub places: Places,
}

impl ActData {
    /// The name of organization `id` without the city and district (see
    /// [`short_name`]), for the list's narrow column; the id itself if it
    /// is unknown.
    pub fn org_name<'a>(&'a self, id: &'a str) -> &'a str {
        let found = self
            .by_id
            .binary_search_by(|&i| {
                let at = self.orgs.get(i as usize);
                at.map_or("", |(o, _)| o.as_str()).cmp(id)
            })
            .ok();
        match found.and_then(|k| self.orgs.get(self.by_id[k] as usize)) {
            Some((_, name)) => short_name(name),
            None => id,
        }
    }
}

/// Positions of `orgs` in the order of their ids.
pub fn by_id(orgs: &[(String, String)]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..orgs.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| orgs[a as usize].0.cmp(&orgs[b as usize].0));
    order
}

/// A name without its leading city and district (`杭州市西湖区北山书画协会`
/// -> `北山书画协会`): in a township's list they are the same for every
/// organization and would fill a narrow column. Names that would be left
/// too short are kept whole.
pub fn short_name(name: &str) -> &str {
    let mut rest = name;
    for suffix in ['市', '区'] {
        let chars: Vec<(usize, char)> = rest.char_indices().take(4).collect();
        // 社区, 小区, 园区, 景区, 校区 are not districts.
        let at = chars.iter().enumerate().find(|(k, (_, c))| {
            *c == suffix
                && !(suffix == '区'
                    && k.checked_sub(1)
                        .and_then(|j| chars.get(j))
                        .is_some_and(|(_, p)| "社小园景校".contains(*p)))
        });
        if let Some((_, (i, _))) = at {
            rest = &rest[i + suffix.len_utf8()..];
        }
    }
    if rest.chars().count() < 2 {
        name
    } else {
        rest
    }
}

/// Answers one request (on the worker thread).
pub fn serve(store: &Store, r: ActRequest) -> ActResponse {
    match r {
        ActRequest::Load => match load(store) {
            Ok(d) => ActResponse::Loaded(Box::new(d)),
            Err(e) => ActResponse::Failed(e.message()),
        },
        ActRequest::Create(a) => ActResponse::Created(create(store, *a)),
        ActRequest::Execute(cmd) => {
            let result = execute(store, &cmd);
            ActResponse::Executed { cmd, result }
        }
    }
}

fn execute(store: &Store, cmd: &Command) -> Result<Executed, StoreError> {
    let out = store.execute(cmd.clone())?;
    let stored = match store.get(Kind::Activity, &out.id)? {
        Some(Record::Activity(a)) => Some(Box::new(a)),
        _ => None,
    };
    Ok(Executed {
        id: out.id,
        ops: out.ops,
        stored,
    })
}

fn create(store: &Store, a: Activity) -> Result<(String, Box<Activity>), StoreError> {
    let out = store.execute(Command::Create {
        record: Record::Activity(a.clone()),
    })?;
    let stored = match store.get(Kind::Activity, &out.id)? {
        Some(Record::Activity(s)) => s,
        _ => a,
    };
    Ok((out.id, Box::new(stored)))
}

/// Reads the pane's data.
pub fn load(store: &Store) -> Result<ActData, StoreError> {
    let places = store.places()?;
    let orgs: Vec<(String, crate::model::Organization)> = store
        .all_cached(Kind::Org)?
        .into_iter()
        .filter_map(|(id, r)| match r {
            Record::Org(o) => Some((id, o)),
            _ => None,
        })
        .collect();
    let mut p = Places {
        community_of: community_map(&places),
        org_grid: Vec::with_capacity(orgs.len()),
    };
    let mut list = Vec::with_capacity(orgs.len());
    for (id, o) in orgs {
        if let Some(g) = &o.grid {
            p.org_grid.push((id.as_str().into(), g.as_str().into()));
        }
        list.push((sort_key(&o.name), id, o.name));
    }
    p.org_grid.sort_unstable();
    list.sort();
    let orgs: Vec<(String, String)> = list.into_iter().map(|(_, id, n)| (id, n)).collect();
    // Packed one by one: each record's strings are freed as it is packed.
    let activities = store.all_cached(Kind::Activity)?;
    let log = ActivityLog::build(activities.into_iter().filter_map(|(id, r)| match r {
        Record::Activity(a) => Some(p.slot(id, a)),
        _ => None,
    }));
    Ok(ActData {
        log,
        by_id: by_id(&orgs),
        orgs,
        places: p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_grids_are_found_by_id() {
        let orgs = vec![
            ("o3".to_string(), "杭州市西湖区北山书画协会".to_string()),
            ("o1".to_string(), "宝石社区口琴队".to_string()),
        ];
        let d = ActData {
            by_id: by_id(&orgs),
            orgs,
            places: Places {
                community_of: [("G1".to_string(), "C1".to_string())].into(),
                org_grid: vec![("o1".into(), "G1".into())],
            },
            ..ActData::default()
        };
        assert_eq!(d.org_name("o3"), "北山书画协会");
        assert_eq!(d.org_name("o1"), "宝石社区口琴队");
        assert_eq!(d.org_name("o2"), "o2");
        let a = Activity::new("o1", chrono::NaiveDate::MIN, "x");
        assert_eq!(d.places.community(&a).as_deref(), Some("C1"));
        let b = Activity::new("o3", chrono::NaiveDate::MIN, "x");
        assert_eq!(d.places.community(&b), None);
    }

    #[test]
    fn short_names_drop_city_and_district() {
        assert_eq!(short_name("杭州市西湖区北山书画协会"), "北山书画协会");
        assert_eq!(short_name("宝石社区口琴队"), "宝石社区口琴队");
        assert_eq!(short_name("西湖区夕阳红"), "夕阳红");
        assert_eq!(short_name("杭州市区"), "杭州市区");
        assert_eq!(short_name("Riverside club"), "Riverside club");
    }
}
