//! The 概览 (dashboard) pane: organizations by type, state and community,
//! 党组织覆盖率, open needs and linkages, what is due, the grades of the
//! latest evaluations, and activities, participants and volunteer hours of
//! the last twelve months as a bar chart.
//!
//! The figures are computed by the store worker ([`data`]) on first show
//! and on `r` (reload, after changes made elsewhere); drawing only lays
//! them out ([`view`]).

pub mod data;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::tui::action::{Action, Context};
use crate::tui::common::{Shared, Status};
use crate::tui::worker::Request;

use super::{Cx, Pane, RenderCx};
use crate::model::{Activity, Kind, Record};
use crate::store::Notice;
use crate::tui::worker::Response;
use data::{Dash, DashRequest, DashResponse};

/// The pane's state.
#[derive(Debug, Default)]
pub struct DashboardPane {
    /// The figures (`None` until loaded).
    pub data: Option<Box<Dash>>,
    pub loading: bool,
    /// Why the figures could not be computed.
    pub error: Option<String>,
    pub area: Rect,
}

impl DashboardPane {
    pub fn new() -> Self {
        DashboardPane::default()
    }

    fn load(&mut self, cx: &mut Cx) {
        self.loading = true;
        cx.request(Request::Dashboard(DashRequest::Load {
            today: cx.shared.today,
        }));
    }

    /// An answer from the store worker.
    fn on_response(&mut self, r: DashResponse, cx: &mut Cx) {
        self.loading = false;
        match r {
            DashResponse::Loaded(d) => {
                self.data = Some(d);
                self.error = None;
            }
            DashResponse::Failed(e) => {
                let msg = crate::tr!("tui.store_error", message = e);
                self.error = Some(msg.clone());
                cx.say(Status::error(msg));
            }
        }
    }
}

fn activity(r: &Option<Record>) -> Option<&Activity> {
    match r {
        Some(Record::Activity(a)) => Some(a),
        _ => None,
    }
}

impl Pane for DashboardPane {
    fn on_store(&mut self, r: Response, cx: &mut Cx) {
        if let Response::Dashboard(r) = r {
            self.on_response(*r, cx);
        }
    }

    /// Activities added, changed or deleted move the figures in place;
    /// anything else it counts (organizations, needs, linkages,
    /// evaluations, places) has them computed again (now if shown, else
    /// when next shown).
    fn on_change(&mut self, notice: &Notice, cx: &mut Cx) {
        if notice.is_empty() || self.data.is_none() {
            return;
        }
        let only_activities =
            notice.changes.iter().all(|c| c.kind == Kind::Activity) && notice.many.is_empty();
        if only_activities {
            if let Some(d) = self.data.as_mut() {
                for c in &notice.changes {
                    d.figures
                        .activity_changed(activity(&c.before), activity(&c.after));
                }
            }
        } else if cx.shown {
            self.load(cx);
        } else {
            self.data = None;
        }
    }

    fn title_key(&self) -> &'static str {
        "activity.dash.title"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Dashboard]
    }

    fn reconnected(&mut self, cx: &mut Cx) {
        self.loading = false;
        self.data = None;
        if cx.shown {
            self.load(cx);
        }
    }

    fn on_show(&mut self, cx: &mut Cx) {
        if self.data.is_none() && !self.loading {
            self.load(cx);
        }
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> bool {
        match action {
            Action::DashboardReload => {
                if !self.loading {
                    self.load(cx);
                }
                true
            }
            _ => false,
        }
    }

    fn commands(&self, _shared: &Shared) -> Vec<Action> {
        vec![Action::DashboardReload]
    }

    fn set_area(&mut self, area: Rect) {
        self.area = area;
    }

    fn render(&self, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
        view::render(self, area, buf, rx);
        None
    }
}
