//! The organizations pane: a table of every organization (virtualised:
//! only the visible rows are drawn), a detail panel for the selected one,
//! filters, sort orders, and live pinyin search.
//!
//! The table rows come from the store once at start ([`OrgRow`]s) and are
//! kept in step with every change made here; the full record of the
//! selected organization is asked from the store when the selection
//! changes. Nothing here reads the store directly.

pub mod data;
pub mod detail;
pub mod filter;
pub mod rows;
pub mod table;

use std::collections::HashMap;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::model::{Domain, Kind, Labeled, OrgType, Organization, Record, RegState};
use crate::search::{NameIndex, Query};
use crate::store::Command;
use crate::store::{Notice, StoreError, Warning};
use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::draft::Draft;
use crate::tui::key::show_seq;
use crate::tui::popups::form::{FormPopup, Submit};
use crate::tui::popups::picker::{PickFor, Picker};
use crate::tui::popups::Popup;
use crate::tui::popups::Reply;
use crate::tui::undo::Change;
use crate::tui::widgets::field::Choice;
use crate::tui::widgets::{Follow, ListState, TextInput};
use crate::tui::worker::{Purpose, Request, Response};

use filter::{
    contact_mask, found_by, list_view, merge_hits, people_hits, people_query, phone_query,
    search_view, Filters, PlaceFilter,
};
use rows::{insert_sorted, order, OrgRow, PlaceNames, SortBy};

use super::{Cx, Pane, RenderCx, Token};

/// What this pane asks (the answer comes back with it).
#[derive(Debug)]
pub enum Question {
    /// Delete this organization.
    Delete { id: String },
    /// Someone else changed fields this user changed too: keep this user's
    /// values (yes) or theirs (no) on those fields; the user's other
    /// changes are saved either way.
    Clash {
        clash: Box<crate::store::EditClash>,
        before: Box<crate::model::Record>,
        after: Box<crate::model::Record>,
    },
}

/// The selected organization in full, as last read from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub id: String,
    /// `None`: the organization no longer exists.
    pub org: Option<Organization>,
}

/// The organizations pane's state.
#[derive(Debug, Default)]
pub struct OrgsPane {
    /// Every organization known, by key (its position; never reused).
    pub rows: Vec<OrgRow>,
    ids: HashMap<String, u32>,
    /// Keys in name, founding-date and rating order (the last two are
    /// computed when first used).
    orders: [Option<Vec<u32>>; 3],
    index: Option<NameIndex>,
    /// The last search: its query and every key it found (before the
    /// filters), to narrow from when the user types one more character.
    last_search: Option<(String, Vec<u32>)>,
    /// The last search that looked at people and phones: its query,
    /// whether it was a phone number, and every key it found (names,
    /// people, phones): where people and phones are looked for when the
    /// user types one more character.
    last_found: Option<(String, bool, Vec<u32>)>,
    /// [`contact_mask`] of every row, built at the first search that looks
    /// at people and kept in step with changes.
    contact_masks: Vec<u64>,
    /// Keys changed before the search index arrived.
    index_stale: Vec<u32>,
    pub places: PlaceNames,
    /// True once the first load has arrived.
    pub loaded: bool,
    pub sort: SortBy,
    pub reverse: bool,
    pub filters: Filters,
    /// The search query.
    pub search: TextInput,
    /// True while the search line has the focus.
    pub searching: bool,
    /// Keys shown, in order.
    pub view: Vec<u32>,
    /// Position of the selection in `view` and the first position on
    /// screen (jumping half a page: fewer repaints on a slow link).
    pub list: ListState,
    /// Table rows on screen.
    pub page: usize,
    pub detail_shown: bool,
    /// The detail fills the pane below the selected row (`I`).
    pub detail_full: bool,
    pub detail: Option<Detail>,
    /// The id of the last detail request.
    requested: Option<String>,
    /// Open the edit form once this id's detail arrives.
    edit_when_loaded: Option<String>,
    /// Matched character positions of the visible rows' names (and of
    /// what follows a name in `found_by`).
    pub highlights: HashMap<u32, Vec<usize>>,
    /// For visible rows the search found by person in charge or phone
    /// number: the name cell, that person or number followed by the short
    /// name (`highlights` mark what matched in it).
    pub found_by: HashMap<u32, String>,
    area: Rect,
    live: usize,
}

fn sort_slot(by: SortBy) -> usize {
    match by {
        SortBy::Name => 0,
        SortBy::Founded => 1,
        SortBy::Rating => 2,
    }
}

const SORTS: [SortBy; 3] = [SortBy::Name, SortBy::Founded, SortBy::Rating];

impl OrgsPane {
    /// An empty pane, waiting for the first load.
    pub fn new() -> Self {
        OrgsPane {
            detail_shown: true,
            detail_full: false,
            page: 1,
            list: ListState::new(Follow::HalfPage),
            ..Default::default()
        }
    }

    /// Takes the first load: the rows (the places are in `cx.shared`).
    fn on_loaded(&mut self, mut rows: Vec<OrgRow>, cx: &mut Cx) {
        self.places = PlaceNames::new(&cx.shared.places);
        // Rows travel without their place's name (a row keeps the code;
        // places are renamed): named here, from the places sent first.
        for row in &mut rows {
            if let Some(g) = &row.grid {
                row.place = self.places.name(g).to_string();
            }
        }
        self.ids = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i as u32))
            .collect();
        self.rows = rows;
        self.contact_masks.clear();
        self.orders = [Some(order(&self.rows, SortBy::Name)), None, None];
        self.forget_search();
        self.recount();
        self.loaded = true;
        self.index = None;
        self.index_stale.clear();
        self.refresh_view(false);
        self.after_move(cx);
    }

    /// Takes the search index built by the worker over the loaded rows.
    fn on_index(&mut self, mut index: NameIndex, cx: &mut Cx) {
        for k in std::mem::take(&mut self.index_stale) {
            index.remove(k);
            if let Some(r) = self.rows.get(k as usize) {
                index.insert(k, &r.name);
            }
        }
        self.index = Some(index);
        self.last_search = None;
        if !self.query().is_empty() {
            self.refresh_view(true);
            self.after_move(cx);
        }
    }

    /// True once the search index is ready.
    pub fn has_index(&self) -> bool {
        self.index.is_some()
    }

    /// Takes a detail answer (ignored if the selection moved on since).
    fn on_detail(&mut self, id: String, org: Option<Organization>, cx: &mut Cx) {
        if self.requested.as_deref() != Some(id.as_str()) {
            return;
        }
        self.detail = Some(Detail {
            id: id.clone(),
            org: org.clone(),
        });
        if self.edit_when_loaded.as_deref() == Some(id.as_str()) {
            self.edit_when_loaded = None;
            if let Some(org) = org {
                cx.open(Popup::Form(Box::new(FormPopup::edit(
                    &cx.shared.places,
                    id,
                    org,
                    cx.shared.today,
                ))));
            }
        }
    }

    /// The search query.
    pub fn query(&self) -> &str {
        self.search.value().trim()
    }

    /// The row shown at position `i` of the view.
    pub fn row_at(&self, i: usize) -> Option<&OrgRow> {
        self.view.get(i).and_then(|&k| self.rows.get(k as usize))
    }

    /// The selected row.
    pub fn selected_row(&self) -> Option<&OrgRow> {
        self.row_at(self.list.sel)
    }

    /// Number of organizations (deleted ones not counted).
    pub fn live(&self) -> usize {
        self.live
    }

    fn recount(&mut self) {
        self.live = self.rows.iter().filter(|r| !r.deleted).count();
    }

    /// The order for `by`, computed on first use.
    fn order_for(&mut self, by: SortBy) -> &[u32] {
        let slot = &mut self.orders[sort_slot(by)];
        if slot.is_none() {
            *slot = Some(order(&self.rows, by));
        }
        slot.as_deref().unwrap_or(&[])
    }

    /// Every key whose name, person in charge or phone number matches
    /// `query`, best first (names first among equal scores). When the
    /// query only grew, people and phones are looked for among the last
    /// result only (a longer query only narrows).
    fn hits(&mut self, query: &str) -> Vec<(u32, i64)> {
        let (hits, typos) = self.name_hits(query);
        let q = Query::new(query);
        let digits = phone_query(query);
        if !people_query(&q, digits.as_deref()) {
            // One letter would find every 王 and 吴: names only.
            self.last_found = None;
            return hits;
        }
        // Rows found by name are not looked at again; near misses do not
        // count (a person may match for real).
        let mut skip = vec![false; self.rows.len()];
        if !typos {
            for h in &hits {
                if let Some(s) = skip.get_mut(h.0 as usize) {
                    *s = true;
                }
            }
        }
        let within = match &self.last_found {
            Some((last, phone, keys))
                if query.starts_with(last.as_str()) && *phone == digits.is_some() =>
            {
                Some(keys.as_slice())
            }
            _ => None,
        };
        if self.contact_masks.len() != self.rows.len() {
            self.contact_masks = self.rows.iter().map(contact_mask).collect();
        }
        let people = people_hits(
            &self.rows,
            &self.contact_masks,
            &q,
            digits.as_deref(),
            &skip,
            within,
        );
        let hits = if typos && !people.is_empty() {
            // Slips are only for when nothing really matched.
            people
        } else {
            merge_hits(hits, people)
        };
        self.last_found = Some((
            query.to_string(),
            digits.is_some(),
            hits.iter().map(|h| h.0).collect(),
        ));
        hits
    }

    /// Forgets the last search (the rows changed): the next one starts
    /// afresh.
    fn forget_search(&mut self) {
        self.last_search = None;
        self.last_found = None;
    }

    /// Every key whose name matches `query`, best first, and whether they
    /// are near misses (nothing matched for real). Narrows the last search
    /// when the query only grew.
    fn name_hits(&mut self, query: &str) -> (Vec<(u32, i64)>, bool) {
        let Some(ix) = &self.index else {
            // The index is still being built (first second after start):
            // match every name directly.
            let q = Query::new(query);
            let mut hits: Vec<(u32, i64)> = self
                .rows
                .iter()
                .enumerate()
                .filter_map(|(i, r)| q.score(&r.name).map(|s| (i as u32, s)))
                .collect();
            let rows = &self.rows;
            hits.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| rows::cmp_name(&rows[a.0 as usize], &rows[b.0 as usize]))
            });
            return (hits, false);
        };
        let found = match &self.last_search {
            Some((last, keys)) if !last.is_empty() && query.starts_with(last.as_str()) => {
                ix.search_within(query, keys)
            }
            _ => ix.search(query),
        };
        if found.is_empty() {
            // No real match: offer matches for typing slips (`hbn` for 湖滨),
            // and search afresh on the next key (slips do not narrow).
            self.last_search = None;
            let typos = ix
                .search_typos(query)
                .into_iter()
                .map(|h| (h.key, h.score))
                .collect();
            return (typos, true);
        }
        let hits: Vec<(u32, i64)> = found.into_iter().map(|h| (h.key, h.score)).collect();
        self.last_search = Some((query.to_string(), hits.iter().map(|h| h.0).collect()));
        (hits, false)
    }

    /// Recomputes the view. `to_top`: select the first row (a new search);
    /// otherwise the selected organization stays selected if still shown.
    fn refresh_view(&mut self, to_top: bool) {
        let keep = self.view.get(self.list.sel).copied();
        let q = self.query().to_string();
        self.view = if q.is_empty() {
            self.forget_search();
            let (reverse, sort) = (self.reverse, self.sort);
            self.order_for(sort);
            let order = self.orders[sort_slot(sort)].as_deref().unwrap_or(&[]);
            list_view(&self.rows, order, reverse, &self.filters)
        } else {
            let hits = self.hits(&q);
            search_view(&self.rows, &hits, &self.filters)
        };
        if to_top {
            self.list.reset();
        } else if let Some(pos) = keep.and_then(|k| self.view.iter().position(|&v| v == k)) {
            self.select(pos);
        } else {
            self.select(self.list.sel);
        }
        self.list.clamp(self.view.len(), self.page);
    }

    /// Selects position `i` (see [`ListState::select`]).
    fn select(&mut self, i: usize) {
        self.list.select(i, self.view.len(), self.page);
    }

    /// After the selection or the view changed: ask for the detail of the
    /// selected organization and compute the highlights of visible rows.
    fn after_move(&mut self, cx: &mut Cx) {
        let id = self.selected_row().map(|r| r.id.clone());
        if id != self.requested {
            self.requested = id.clone();
            if let Some(id) = id {
                if self.detail_shown || self.edit_when_loaded.is_some() {
                    cx.request(Request::Detail { id });
                } else {
                    self.requested = None;
                }
            }
        }
        self.refresh_highlights();
    }

    fn refresh_highlights(&mut self) {
        self.highlights.clear();
        self.found_by.clear();
        let q = self.query();
        if q.is_empty() {
            return;
        }
        let query = Query::new(q);
        let digits = phone_query(q);
        for &k in &self.view[self.list.visible(self.view.len(), self.page)] {
            let Some(r) = self.rows.get(k as usize) else {
                continue;
            };
            if let Some(m) = query.find(&r.name) {
                self.highlights.insert(k, m.positions);
            } else if let Some((text, at)) = found_by(r, &query, digits.as_deref()) {
                // What matched first (it is what was typed), then the name
                // without city and district.
                let name = crate::tui::panes::activities::data::short_name(&r.name);
                self.highlights.insert(k, at);
                self.found_by.insert(k, format!("{text}  {name}"));
            }
        }
    }

    fn open_picker(&self, what: PickFor, cx: &mut Cx) {
        let all = Choice::new("", crate::tr!("tui.filter.all"));
        let mut options = vec![all];
        let (title, current): (&str, Option<String>) = match what {
            // Not a filter of this pane.
            PickFor::Step | PickFor::Stage => return,
            PickFor::Place => {
                for p in &cx.shared.places {
                    if matches!(
                        p.level,
                        crate::model::PlaceLevel::Community
                            | crate::model::PlaceLevel::Grid
                            | crate::model::PlaceLevel::MicroGrid
                    ) {
                        options.push(Choice::new(p.code.clone(), p.name.clone()));
                    }
                }
                (
                    "tui.filter.place_title",
                    self.filters.place.as_ref().map(|p| p.code.clone()),
                )
            }
            PickFor::Type => {
                options.extend(labels::<OrgType>());
                (
                    "tui.filter.type_title",
                    self.filters.kind.map(|k| k.key().to_string()),
                )
            }
            PickFor::State => {
                options.extend(labels::<RegState>());
                (
                    "tui.filter.state_title",
                    self.filters.state.map(|k| k.key().to_string()),
                )
            }
            PickFor::Domain => {
                options.extend(labels::<Domain>());
                (
                    "tui.filter.domain_title",
                    self.filters.domain.map(|k| k.key().to_string()),
                )
            }
        };
        cx.open(Popup::Picker(Box::new(Picker::new(
            crate::tr!(title),
            options,
            current.as_deref().unwrap_or(""),
            what,
        ))));
    }

    /// A filter was picked (`key` empty: all).
    fn picked(&mut self, what: PickFor, key: &str, cx: &mut Cx) {
        match what {
            PickFor::Step | PickFor::Stage => return,
            PickFor::Place => {
                self.filters.place = (!key.is_empty()).then(|| PlaceFilter {
                    code: key.to_string(),
                    name: self.places.name(key).to_string(),
                    covered: self.places.covered(key),
                });
            }
            PickFor::Type => self.filters.kind = OrgType::parse(key),
            PickFor::State => self.filters.state = RegState::parse(key),
            PickFor::Domain => self.filters.domain = Domain::parse(key),
        }
        self.refresh_view(false);
        self.after_move(cx);
    }

    /// The user confirmed the deletion of `id`.
    fn delete(&mut self, id: String, cx: &mut Cx) {
        cx.request(Request::Execute {
            cmd: Box::new(Command::Delete {
                kind: Kind::Org,
                id,
            }),
            purpose: Purpose::Delete,
        });
    }

    /// Puts an organization written by the store (created, changed or
    /// restored) into the table, and selects it.
    pub fn upsert(&mut self, id: &str, org: &Organization, cx: &mut Cx) {
        let row = OrgRow::new(id.to_string(), org, &self.places);
        let key = match self.ids.get(id) {
            Some(&k) => {
                for o in self.orders.iter_mut().flatten() {
                    o.retain(|&x| x != k);
                }
                self.rows[k as usize] = row;
                k
            }
            None => {
                let k = self.rows.len() as u32;
                self.rows.push(row);
                self.ids.insert(id.to_string(), k);
                k
            }
        };
        if !self.contact_masks.is_empty() {
            let m = contact_mask(&self.rows[key as usize]);
            match self.contact_masks.get_mut(key as usize) {
                Some(x) => *x = m,
                None => self.contact_masks.push(m),
            }
        }
        for by in SORTS {
            let slot = sort_slot(by);
            if let Some(mut o) = self.orders[slot].take() {
                insert_sorted(&mut o, &self.rows, by, key);
                self.orders[slot] = Some(o);
            }
        }
        self.forget_search();
        self.recount();
        match &mut self.index {
            Some(ix) => {
                ix.remove(key);
                ix.insert(key, &org.name);
            }
            None => self.index_stale.push(key),
        }
        if self.detail.as_ref().is_some_and(|d| d.id == id) {
            self.detail = Some(Detail {
                id: id.to_string(),
                org: Some(org.clone()),
            });
        }
        self.refresh_view(false);
        if let Some(pos) = self.view.iter().position(|&k| k == key) {
            self.select(pos);
        }
        self.after_move(cx);
    }

    /// Removes an organization the store deleted from the table.
    pub fn mark_deleted(&mut self, id: &str, cx: &mut Cx) {
        if let Some(&k) = self.ids.get(id) {
            if let Some(r) = self.rows.get_mut(k as usize) {
                r.deleted = true;
            }
        }
        self.forget_search();
        self.recount();
        self.refresh_view(false);
        self.after_move(cx);
    }

    /// The name of an organization by id (for messages).
    pub fn name_of(&self, id: &str) -> Option<&str> {
        self.ids
            .get(id)
            .and_then(|&k| self.rows.get(k as usize))
            .map(|r| r.name.as_str())
    }

    /// Follows a change made anywhere (the store's notice): the row
    /// changes in place, the selection stays on the same organization.
    fn follow(&mut self, id: &str, org: Option<&Organization>, cx: &mut Cx) {
        let current = self.ids.get(id).and_then(|&k| self.rows.get(k as usize));
        match org {
            Some(o) => {
                if current.is_some_and(|r| *r == OrgRow::new(id.to_string(), o, &self.places)) {
                    return;
                }
            }
            None => {
                if current.is_none_or(|r| r.deleted) {
                    return;
                }
            }
        }
        let keep = self.selected_row().map(|r| r.id.clone());
        match org {
            Some(o) => self.upsert(id, o, cx),
            None => self.mark_deleted(id, cx),
        }
        let at = keep
            .and_then(|k| self.ids.get(&k).copied())
            .and_then(|k| self.view.iter().position(|&x| x == k));
        if let Some(pos) = at {
            self.select(pos);
            self.after_move(cx);
        }
    }

    /// The store wrote what this pane asked (the organization form saved,
    /// the selected organization deleted).
    fn executed(
        &mut self,
        purpose: Purpose,
        cmd: Command,
        id: &str,
        org: Option<Organization>,
        warnings: &[Warning],
        cx: &mut Cx,
    ) {
        let old_name = self.name_of(id).map(str::to_string);
        match purpose {
            Purpose::FormSave => {
                if matches!(cx.popups.last(), Some(Popup::Form(_))) {
                    cx.popups.pop();
                }
                if let Some(c) = change_of(&cmd, id, org.as_ref(), old_name.as_deref()) {
                    cx.shared.undo.push(c);
                }
                let name = org.as_ref().map(|o| o.name.clone()).unwrap_or_default();
                if let Some(o) = &org {
                    self.upsert(id, o, cx);
                }
                cx.say(match warnings.first() {
                    Some(w) => Status::warn(crate::tr!(
                        "tui.saved_warnings",
                        name = name,
                        warning = w.message()
                    )),
                    None => Status::ok(crate::tr!("tui.saved", name = name)),
                });
            }
            Purpose::Delete => {
                let name = old_name.unwrap_or_else(|| id.to_string());
                cx.shared.undo.push(Change::Deleted {
                    kind: Kind::Org,
                    id: id.to_string(),
                    title: name.clone(),
                });
                self.mark_deleted(id, cx);
                let key = cx
                    .keymap
                    .first_keys(&[Context::Orgs], Action::Undo)
                    .map(show_seq)
                    .unwrap_or_default();
                cx.say(Status::ok(crate::tr!(
                    "tui.deleted",
                    name = name,
                    key = key
                )));
            }
        }
    }

    /// The form's save met changes someone else made meanwhile to the
    /// same fields: the user sees both values of each and chooses.
    fn clashed(&mut self, cmd: Command, clash: Box<crate::store::EditClash>, cx: &mut Cx) {
        let Command::Update { before, after, .. } = cmd else {
            return;
        };
        let text = crate::tr!(
            "server.clash_ask",
            message = StoreError::EditClash(clash.clone()).message()
        );
        cx.ask(
            text,
            Question::Clash {
                clash,
                before: Box::new(before),
                after: Box::new(after),
            },
        );
    }

    /// The store refused what this pane asked: on the form's fields, and
    /// in the bottom bar.
    fn failed(&mut self, purpose: Purpose, e: &StoreError, cx: &mut Cx) {
        if purpose == Purpose::FormSave {
            if let Some(Popup::Form(f)) = cx.popups.last_mut() {
                f.show_error(e);
            }
        }
        cx.say(Status::error(crate::tr!(
            "tui.store_error",
            message = e.message()
        )));
    }

    fn edit_selected(&mut self, cx: &mut Cx) {
        let Some(row) = self.selected_row() else {
            cx.say(Status::info(crate::tr!("tui.no_selection")));
            return;
        };
        let id = row.id.clone();
        match &self.detail {
            Some(Detail {
                id: d,
                org: Some(org),
            }) if *d == id => {
                let popup = FormPopup::edit(&cx.shared.places, id, org.clone(), cx.shared.today);
                cx.open(Popup::Form(Box::new(popup)));
            }
            _ => {
                // The detail has not arrived yet: open when it does.
                self.edit_when_loaded = Some(id.clone());
                self.requested = Some(id.clone());
                cx.request(Request::Detail { id });
            }
        }
    }

    /// Layout of the pane: status line, table, detail panel.
    pub fn layout(&self, area: Rect) -> (Rect, Rect, Option<Rect>) {
        use ratatui::layout::{Constraint::*, Layout};
        let [status, rest] = Layout::vertical([Length(1), Min(0)]).areas(area);
        if !self.detail_shown || rest.height < 8 {
            return (status, rest, None);
        }
        let [table, detail] = if self.detail_full {
            // The header and the selected row, the detail below.
            Layout::vertical([Length(2), Min(0)]).areas(rest)
        } else if rest.width >= 150 {
            Layout::horizontal([Min(0), Length(60.min(rest.width / 2))]).areas(rest)
        } else {
            // As many rows as the fields need in the panel's columns, at
            // most two fifths of the pane.
            let per_col = detail::FIELDS.div_ceil(detail::columns(rest.width)) as u16;
            let h = (per_col + 1).min(rest.height * 2 / 5).max(4);
            Layout::vertical([Min(0), Length(h)]).areas(rest)
        };
        (status, table, Some(detail))
    }
}

fn labels<T: Labeled>() -> Vec<Choice> {
    T::ALL
        .iter()
        .map(|v| Choice::new(v.key(), crate::text::label(*v)))
        .collect()
}

/// The organization form's command to the store: checked first (possible
/// duplicates), then saved.
fn submit(s: Submit, cx: &mut Cx) {
    let Submit { cmd, check } = s;
    let purpose = Purpose::FormSave;
    cx.request(if check {
        Request::Check { cmd, purpose }
    } else {
        Request::Execute { cmd, purpose }
    });
}

impl Pane for OrgsPane {
    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        match r {
            Response::Loaded { rows } => self.on_loaded(rows, cx),
            Response::Index(ix) => self.on_index(ix, cx),
            Response::Detail {
                id,
                org,
                superseded: false,
            } => self.on_detail(id, org.map(|o| *o), cx),
            Response::Checked {
                cmd,
                result: Err(StoreError::EditClash(clash)),
                ..
            } => self.clashed(*cmd, clash, cx),
            Response::Checked { cmd, result, .. } => {
                if let Some(Popup::Form(f)) = cx.popups.last_mut() {
                    if let Reply::Submit { what, .. } = f.on_checked(cmd, result, cx.keymap) {
                        submit(what, cx);
                    }
                }
            }
            Response::Executed {
                cmd,
                purpose,
                result,
            } => match result {
                Ok((outcome, org)) => self.executed(
                    purpose,
                    *cmd,
                    &outcome.id,
                    org.map(|o| *o),
                    &outcome.warnings,
                    cx,
                ),
                Err(StoreError::EditClash(clash)) if purpose == Purpose::FormSave => {
                    self.clashed(*cmd, clash, cx)
                }
                Err(e) => self.failed(purpose, &e, cx),
            },
            _ => {}
        }
    }

    fn on_answer(&mut self, question: &Token, yes: bool, cx: &mut Cx) {
        if let (Some(Question::Delete { id }), true) = (question.get(), yes) {
            self.delete(id.clone(), cx);
        }
        if let Some(Question::Clash {
            clash,
            before,
            after,
        }) = question.get()
        {
            if let Some(cmd) = clash.resolve(before, after, yes) {
                cx.request(Request::Execute {
                    cmd: Box::new(cmd),
                    purpose: Purpose::FormSave,
                });
            }
        }
        if let Some(s) = question.get::<Submit>() {
            submit(s.clone(), cx);
        }
    }

    fn on_pick(&mut self, what: PickFor, key: &str, cx: &mut Cx) {
        self.picked(what, key, cx);
    }

    fn reconnected(&mut self, cx: &mut Cx) {
        cx.request(Request::Load);
    }

    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        if !self.loaded {
            return;
        }
        if notice.too_many(Kind::Org) || notice.touches(Kind::Place) {
            // Many organizations (an import), or places renamed: the
            // table is read again.
            cx.request(Request::Load);
            return;
        }
        for c in notice.of(Kind::Org) {
            let org = match &c.after {
                Some(Record::Org(o)) => Some(o),
                _ => None,
            };
            self.follow(&c.id, org, cx);
            // The organization open in the form changed meanwhile (this
            // session's own save closes the form first): said now; on
            // save, the fields both changed are shown to choose.
            let editing = cx.popups.iter().any(|p| match p {
                Popup::Form(f) => matches!(&f.mode, crate::tui::popups::form::FormMode::Edit { id, .. } if *id == c.id),
                _ => false,
            });
            if editing {
                let name = org.map(|o| o.name.clone()).unwrap_or_default();
                cx.say(Status::warn(crate::tr!(
                    "server.form_changed",
                    who = crate::server::access::display_name(&c.author),
                    record = name
                )));
            }
        }
    }

    fn reveal(&mut self, kind: Kind, id: &str, cx: &mut Cx) {
        let at = (kind == Kind::Org)
            .then(|| self.ids.get(id).copied())
            .flatten()
            .and_then(|k| self.view.iter().position(|&x| x == k));
        if let Some(pos) = at {
            self.select(pos);
            self.after_move(cx);
        }
    }

    fn restore(&mut self, d: Box<Draft>, cx: &mut Cx) -> Result<(), Box<Draft>> {
        match FormPopup::from_draft(&cx.shared.places, &d, cx.shared.today) {
            Some(p) => {
                cx.open(Popup::Form(Box::new(p)));
                Ok(())
            }
            None => Err(d),
        }
    }

    fn title_key(&self) -> &'static str {
        "tui.pane.orgs"
    }

    fn contexts(&self) -> &'static [Context] {
        if self.searching {
            &[Context::Search]
        } else {
            &[Context::Orgs, Context::List]
        }
    }

    fn text_focus(&self) -> bool {
        self.searching
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                self.list.apply(action, self.view.len(), self.page);
            }
            Action::OrgAdd => {
                let popup = FormPopup::add(&cx.shared.places, cx.shared.today);
                cx.open(Popup::Form(Box::new(popup)));
                return true;
            }
            Action::OrgEdit => {
                self.edit_selected(cx);
                return true;
            }
            Action::OrgDelete => {
                match self.selected_row() {
                    Some(r) => {
                        let key = cx
                            .keymap
                            .first_keys(&[Context::Orgs], Action::Undo)
                            .map(crate::tui::key::show_seq)
                            .unwrap_or_default();
                        let text = crate::tr!("tui.confirm.delete", name = r.name, key = key);
                        let id = r.id.clone();
                        cx.ask(text, Question::Delete { id });
                    }
                    None => cx.say(Status::info(crate::tr!("tui.no_selection"))),
                }
                return true;
            }
            Action::Undo => {
                cx.undo();
                return true;
            }
            Action::DetailFull => {
                self.detail_full = !self.detail_full;
                self.detail_shown = true;
                let area = self.area;
                self.set_area(area);
                self.requested = None;
                self.after_move(cx);
            }
            Action::DetailToggle => {
                self.detail_shown = !self.detail_shown;
                self.detail_full = false;
                let area = self.area;
                self.set_area(area);
                self.requested = None;
                self.detail = None;
            }
            Action::SearchStart => {
                self.searching = true;
                return true;
            }
            Action::SearchAccept => {
                self.searching = false;
                return true;
            }
            Action::SearchCancel => {
                self.searching = false;
                if !self.search.is_empty() {
                    self.search.clear();
                    self.refresh_view(false);
                }
            }
            Action::FilterClear => {
                if !self.search.is_empty() {
                    self.search.clear();
                } else if !self.filters.is_empty() {
                    self.filters = Filters::default();
                } else {
                    // Nothing to clear.
                    return false;
                }
                self.refresh_view(false);
            }
            Action::FilterPlace => {
                self.open_picker(PickFor::Place, cx);
                return true;
            }
            Action::FilterType => {
                self.open_picker(PickFor::Type, cx);
                return true;
            }
            Action::FilterState => {
                self.open_picker(PickFor::State, cx);
                return true;
            }
            Action::FilterDomain => {
                self.open_picker(PickFor::Domain, cx);
                return true;
            }
            Action::SortName | Action::SortFounded | Action::SortRating => {
                self.sort = match action {
                    Action::SortFounded => SortBy::Founded,
                    Action::SortRating => SortBy::Rating,
                    _ => SortBy::Name,
                };
                self.reverse = false;
                self.refresh_view(false);
            }
            Action::SortReverse => {
                self.reverse = !self.reverse;
                self.refresh_view(false);
            }
            _ => return false,
        }
        self.after_move(cx);
        true
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx) -> bool {
        if !self.searching {
            return false;
        }
        let before = self.search.value().to_string();
        if !self.search.handle_key(key) {
            return false;
        }
        if self.search.value() != before {
            self.refresh_view(true);
            self.after_move(cx);
        }
        true
    }

    fn on_paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        if !self.searching {
            return false;
        }
        self.search.paste(text);
        self.refresh_view(true);
        self.after_move(cx);
        true
    }

    /// The organizations shown (filters and search), in the table's order.
    fn listed(&self) -> Option<crate::tui::export::Listed> {
        let rows = self.view.iter().filter_map(|&k| self.rows.get(k as usize));
        Some(crate::tui::export::Listed {
            kind: Kind::Org,
            ids: rows.map(|r| r.id.clone()).collect(),
        })
    }

    fn commands(&self, shared: &Shared) -> Vec<Action> {
        if self.searching {
            return vec![
                Action::SearchAccept,
                Action::SearchCancel,
                Action::Down,
                Action::Up,
            ];
        }
        let mut out = vec![Action::OrgAdd];
        if self.selected_row().is_some() {
            out.push(Action::OrgEdit);
            out.push(Action::OrgDelete);
        }
        out.push(Action::SearchStart);
        out.push(Action::FilterPlace);
        out.push(Action::SortName);
        if !shared.undo.is_empty() {
            out.push(Action::Undo);
        }
        if !self.search.is_empty() || !self.filters.is_empty() {
            out.push(Action::FilterClear);
        }
        out.push(Action::DetailToggle);
        out
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
        let (_, table, _) = self.layout(area);
        // One row for the header.
        self.page = (table.height as usize).saturating_sub(1).max(1);
        self.list.scroll(self.view.len(), self.page);
        self.refresh_highlights();
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        let (status, table_area, detail_area) = self.layout(area);
        let cursor = table::render_status(self, status, buf, rx);
        table::render_table(self, table_area, buf, rx);
        if let Some(d) = detail_area {
            detail::render(self, d, buf, rx);
        }
        cursor
    }
}

/// The change an executed command made, for the undo log.
pub fn change_of(
    cmd: &Command,
    id: &str,
    stored: Option<&Organization>,
    old_name: Option<&str>,
) -> Option<Change> {
    match cmd {
        Command::Create { record } => Some(Change::Created {
            kind: record.kind(),
            id: id.to_string(),
            title: stored
                .map(|o| o.name.clone())
                .unwrap_or_else(|| record.title().to_string()),
        }),
        Command::Update { before, .. } => stored.map(|o| Change::Updated {
            id: id.to_string(),
            before: Box::new(before.clone()),
            after: Box::new(Record::Org(o.clone())),
        }),
        Command::Delete { kind, .. } => Some(Change::Deleted {
            kind: *kind,
            id: id.to_string(),
            title: old_name.unwrap_or(id).to_string(),
        }),
        Command::Restore { .. } => None,
    }
}
