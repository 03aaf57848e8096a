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
use crate::tui::app::{Shared, Status};
use crate::tui::worker::Request;

use super::{Cx, Pane, RenderCx};
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
    pub fn on_response(&mut self, r: DashResponse, cx: &mut Cx) {
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

impl Pane for DashboardPane {
    fn title_key(&self) -> &'static str {
        "activity.dash.title"
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Dashboard]
    }

    fn forget(&mut self) {
        self.data = None;
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
