//! Every named action a key can be bound to, and the keymap section
//! (context) each one belongs to.
//!
//! The keymap files name actions by their dotted name (`org.add`); this file
//! is the one list of them. Each action's description, shown in help and in
//! the bottom bar, is the text key `tui.action.<name>`.

use std::fmt;

/// A keymap section: where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere outside popups and text fields.
    Global,
    /// Moving in any list (organizations, help, pickers).
    List,
    /// The organizations pane.
    Orgs,
    /// The linkage pane (三社联动).
    Linkage,
    /// The activities pane (活动).
    Activities,
    /// The dashboard (概览).
    Dashboard,
    /// The evaluations pane (评价).
    Evaluations,
    /// The sync pane (同步).
    Sync,
    /// The venture pane (创投).
    Venture,
    /// The incubation pane (孵化).
    Incubation,
    /// The training pane (培训).
    Training,
    /// The center pane (中心).
    Center,
    /// The search line while typing a query.
    Search,
    /// A form popup.
    Form,
    /// A yes/no question.
    Confirm,
    /// The help popup.
    Help,
    /// A picker popup (filters, choices).
    Picker,
}

impl Context {
    /// Every context, in the order help lists them.
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::List,
        Context::Orgs,
        Context::Linkage,
        Context::Activities,
        Context::Dashboard,
        Context::Evaluations,
        Context::Sync,
        Context::Venture,
        Context::Incubation,
        Context::Training,
        Context::Center,
        Context::Search,
        Context::Form,
        Context::Picker,
        Context::Confirm,
        Context::Help,
    ];

    /// The section name in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Orgs => "orgs",
            Context::Linkage => "linkage",
            Context::Activities => "activities",
            Context::Dashboard => "dashboard",
            Context::Evaluations => "evaluations",
            Context::Sync => "sync",
            Context::Venture => "venture",
            Context::Incubation => "incubation",
            Context::Training => "training",
            Context::Center => "center",
            Context::Search => "search",
            Context::Form => "form",
            Context::Confirm => "confirm",
            Context::Help => "help",
            Context::Picker => "picker",
        }
    }

    /// The context for a section name.
    pub fn parse(s: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == s)
    }

    /// True if a text field has the focus in this context, so printable keys
    /// are typed and never reach the keymap.
    pub fn is_text(self) -> bool {
        matches!(self, Context::Search | Context::Form | Context::Picker)
    }

    /// The text key of this section's title in help.
    pub fn title_key(self) -> String {
        if self == Context::Linkage {
            return "linkage.tui.section".to_string();
        }
        if self == Context::Activities {
            return "activity.tui.section".to_string();
        }
        if self == Context::Dashboard {
            return "activity.dash.section".to_string();
        }
        if self == Context::Evaluations {
            return "activity.eval_tui.section".to_string();
        }
        if self == Context::Sync {
            return "sync.tui.section".to_string();
        }
        if self == Context::Venture {
            return "venture.tui.section".to_string();
        }
        if self == Context::Incubation {
            return "incubation.tui.section".to_string();
        }
        if self == Context::Training {
            return "training.tui.section".to_string();
        }
        if self == Context::Center {
            return "center.tui.section".to_string();
        }
        format!("tui.section.{}", self.name())
    }
}

macro_rules! actions {
    ($( $(#[$m:meta])* $variant:ident = $name:literal in [$($ctx:ident),+] ),+ $(,)?) => {
        /// A named action. Keys map to actions through the keymap.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $( $(#[$m])* $variant ),+
        }

        impl Action {
            /// Every action, in the order help lists them.
            pub const ALL: &'static [Action] = &[ $( Action::$variant ),+ ];

            /// The dotted name used in keymap files.
            pub fn name(self) -> &'static str {
                match self { $( Action::$variant => $name ),+ }
            }

            /// The sections this action may be bound in.
            pub fn contexts(self) -> &'static [Context] {
                match self { $( Action::$variant => &[$(Context::$ctx),+] ),+ }
            }
        }
    };
}

actions! {
    /// Unbinds a key (in a user keymap) or does nothing.
    Noop = "noop" in [Global, List, Orgs, Linkage, Activities, Dashboard, Evaluations, Sync, Venture, Incubation, Training, Center, Search, Form, Confirm, Help, Picker],
    /// Leave the app.
    Quit = "app.quit" in [Global],
    /// Open the help popup.
    Help = "app.help" in [Global, Form, Picker, Search],
    /// Next pane.
    PaneNext = "pane.next" in [Global],
    /// Previous pane.
    PanePrev = "pane.prev" in [Global],
    /// Pane 1 ... 9.
    Pane1 = "pane.1" in [Global],
    Pane2 = "pane.2" in [Global],
    Pane3 = "pane.3" in [Global],
    Pane4 = "pane.4" in [Global],
    Pane5 = "pane.5" in [Global],
    Pane6 = "pane.6" in [Global],
    Pane7 = "pane.7" in [Global],
    Pane8 = "pane.8" in [Global],
    Pane9 = "pane.9" in [Global],
    /// Pane 10 (key 0).
    Pane10 = "pane.10" in [Global],
    /// One row up.
    Up = "list.up" in [List, Search, Picker, Help],
    /// One row down.
    Down = "list.down" in [List, Search, Picker, Help],
    /// One page up.
    PageUp = "list.page_up" in [List, Search, Picker, Help],
    /// One page down.
    PageDown = "list.page_down" in [List, Search, Picker, Help],
    /// First row.
    Top = "list.top" in [List, Search, Picker, Help],
    /// Last row.
    Bottom = "list.bottom" in [List, Search, Picker, Help],
    /// Export the list shown (with its filter and search) to an Excel file
    /// in `DB/exports/`.
    ExportXlsx = "export.xlsx" in [List],
    /// Export the list shown to a CSV file in `DB/exports/`.
    ExportCsv = "export.csv" in [List],
    /// New organization.
    OrgAdd = "org.add" in [Orgs],
    /// Edit the selected organization.
    OrgEdit = "org.edit" in [Orgs],
    /// Delete the selected organization (asks first).
    OrgDelete = "org.delete" in [Orgs],
    /// Undo the last change made in this session (organizations,
    /// linkages, activities and evaluations share one undo log).
    Undo = "org.undo" in [Orgs, Linkage, Activities, Evaluations, Venture, Incubation, Training, Center],
    /// Show or hide the detail panel.
    DetailToggle = "org.detail" in [Orgs],
    /// The detail over the whole pane (every line, the id last), or back
    /// to the panel.
    DetailFull = "org.detail_full" in [Orgs],
    /// Start typing a search.
    SearchStart = "search.start" in [Orgs, Evaluations],
    /// Keep the search as a filter and leave the search line.
    SearchAccept = "search.accept" in [Search],
    /// Clear the search and leave the search line.
    SearchCancel = "search.cancel" in [Search],
    /// Filter by community or grid cell.
    FilterPlace = "filter.place" in [Orgs, Linkage, Activities],
    /// Filter by organization type.
    FilterType = "filter.type" in [Orgs],
    /// Filter by registration state.
    FilterState = "filter.state" in [Orgs],
    /// Filter by service domain.
    FilterDomain = "filter.domain" in [Orgs],
    /// Clear the search, then the filters.
    FilterClear = "filter.clear" in [Orgs, Linkage, Activities, Evaluations],
    /// Propose a linkage of the selected need with the selected offer.
    LinkagePropose = "linkage.propose" in [Linkage],
    /// Take the selected need's linkage one step further.
    LinkageNext = "linkage.next" in [Linkage],
    /// Cancel the selected need's linkage (asks first).
    LinkageCancel = "linkage.cancel" in [Linkage],
    /// Move in the need list.
    LinkageNeeds = "linkage.needs" in [Linkage],
    /// Move in the ranked offers.
    LinkageOffers = "linkage.offers" in [Linkage],
    /// Show or hide the grid overview.
    LinkageOverview = "linkage.overview" in [Linkage],
    /// Read the needs, offers and linkages again.
    LinkageReload = "linkage.reload" in [Linkage],
    /// Add a need (form).
    LinkageAddNeed = "linkage.add_need" in [Linkage],
    /// Edit the selected need (form).
    LinkageEditNeed = "linkage.edit_need" in [Linkage],
    /// Add an offer (form).
    LinkageAddOffer = "linkage.add_offer" in [Linkage],
    /// Add a social worker (form).
    LinkageAddWorker = "linkage.add_worker" in [Linkage],
    /// Add a partner (form).
    LinkageAddPartner = "linkage.add_partner" in [Linkage],
    /// Edit the selected offer's provider (social worker or partner, form).
    LinkageEditProvider = "linkage.edit_provider" in [Linkage],
    /// Log an activity (quick entry).
    ActivityAdd = "activity.add" in [Activities],
    /// Edit the selected activity (the quick-entry form, filled in).
    ActivityEdit = "activity.edit" in [Activities],
    /// Delete the selected activity (asks first).
    ActivityDelete = "activity.delete" in [Activities],
    /// Show the month before.
    ActivityMonthPrev = "activity.month_prev" in [Activities],
    /// Show the month after.
    ActivityMonthNext = "activity.month_next" in [Activities],
    /// Filter by organization.
    ActivityFilterOrg = "activity.filter_org" in [Activities],
    /// Filter by kind of activity.
    ActivityFilterKind = "activity.filter_kind" in [Activities],
    /// Compute the dashboard again (after changes made elsewhere).
    DashboardReload = "dashboard.reload" in [Dashboard],
    /// Enter scores for the selected organization.
    EvalAdd = "eval.add" in [Evaluations],
    /// Correct the selected organization's latest evaluation (score entry,
    /// filled in).
    EvalEdit = "eval.edit" in [Evaluations],
    /// Delete the selected organization's latest evaluation (asks first).
    EvalDelete = "eval.delete" in [Evaluations],
    /// Change the order (name, total, grade).
    EvalSort = "eval.sort" in [Evaluations],
    /// Write this month's publicity bulletin beside the database.
    EvalBulletin = "eval.bulletin" in [Evaluations],
    /// Read the evaluations again (after changes made elsewhere).
    EvalReload = "eval.reload" in [Evaluations],
    /// Enter review sheets for the selected project, one reviewer after
    /// another.
    VentureReview = "venture.review" in [Venture],
    /// Step the selected project on (pick the state, then confirm).
    VentureStep = "venture.step" in [Venture],
    /// Pay the next payable tranche (asks first).
    VenturePay = "venture.pay" in [Venture],
    /// Record a monitoring visit.
    VentureVisit = "venture.visit" in [Venture],
    /// Show what is due (again: the projects).
    VentureDue = "venture.due" in [Venture],
    /// The next round.
    VentureRoundNext = "venture.round_next" in [Venture],
    /// The previous round.
    VentureRoundPrev = "venture.round_prev" in [Venture],
    /// Read the rounds again.
    VentureReload = "venture.reload" in [Venture],
    /// Move the selected enrollment one stage on (pick, then confirm).
    IncubationStep = "incubation.step" in [Incubation],
    /// Record a service given to the selected enrollment's organization.
    IncubationService = "incubation.service" in [Incubation],
    /// Read the base again.
    IncubationReload = "incubation.reload" in [Incubation],
    /// Quick sign-in to the selected event: initials, Ctrl-s, the next.
    TrainingSignIn = "training.sign_in" in [Training],
    /// Read the events again.
    TrainingReload = "training.reload" in [Training],
    /// The next view of the center pane (概况, 合规, 备案, 党建, 线索).
    CenterNextView = "center.next_view" in [Center],
    /// The previous view.
    CenterPrevView = "center.prev_view" in [Center],
    /// Answer the selected checklist item by hand, with its evidence.
    CenterCheck = "center.check" in [Center],
    /// Read the center's records again.
    CenterReload = "center.reload" in [Center],
    /// Export a bundle for another office (asks which).
    SyncExport = "sync.export" in [Sync],
    /// Import a bundle file (asks for its path).
    SyncImport = "sync.import" in [Sync],
    /// Import an organization roster (CSV, Excel): asks for its path,
    /// shows what it would do, asks before writing.
    SyncImportOrgs = "sync.import_orgs" in [Sync],
    /// Restore the selected overwritten value (asks first).
    SyncRestore = "sync.restore" in [Sync],
    /// Read the status and conflicts again.
    SyncReload = "sync.reload" in [Sync],
    /// Sort by name (pinyin order).
    SortName = "sort.name" in [Orgs],
    /// Sort by founding date.
    SortFounded = "sort.founded" in [Orgs],
    /// Sort by rating.
    SortRating = "sort.rating" in [Orgs],
    /// Reverse the sort order.
    SortReverse = "sort.reverse" in [Orgs],
    /// Save the form.
    FormSave = "form.save" in [Form],
    /// Close the form (asks first if something was typed).
    FormCancel = "form.cancel" in [Form],
    /// Next field.
    FormNext = "form.next" in [Form],
    /// Previous field.
    FormPrev = "form.prev" in [Form],
    /// Yes.
    ConfirmYes = "confirm.yes" in [Confirm],
    /// No.
    ConfirmNo = "confirm.no" in [Confirm],
    /// Close the help.
    HelpClose = "help.close" in [Help],
    /// Take the highlighted choice.
    PickerAccept = "picker.accept" in [Picker],
    /// Close the picker without choosing.
    PickerCancel = "picker.cancel" in [Picker],
}

impl Action {
    /// The action with this dotted name.
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// The text key of this action's description.
    pub fn text_key(self) -> String {
        // The linkage pane keeps its text in its own table.
        if let Some(rest) = self.name().strip_prefix("linkage.") {
            return format!("linkage.tui.action.{rest}");
        }
        if let Some(rest) = self.name().strip_prefix("activity.") {
            return format!("activity.tui.action.{rest}");
        }
        if let Some(rest) = self.name().strip_prefix("dashboard.") {
            return format!("activity.dash.action.{rest}");
        }
        if let Some(rest) = self.name().strip_prefix("eval.") {
            return format!("activity.eval_tui.action.{rest}");
        }
        if let Some(rest) = self.name().strip_prefix("sync.") {
            return format!("sync.tui.action.{rest}");
        }
        if let Some(rest) = self.name().strip_prefix("venture.") {
            return format!("venture.tui.action.{rest}");
        }
        if let Some(rest) = self.name().strip_prefix("incubation.") {
            return format!("incubation.tui.action.{rest}");
        }
        if let Some(rest) = self.name().strip_prefix("training.") {
            return format!("training.tui.action.{rest}");
        }
        if let Some(rest) = self.name().strip_prefix("center.") {
            return format!("center.tui.action.{rest}");
        }
        format!("tui.action.{}", self.name())
    }

    /// Pane number (0-based) for `pane.1` ... `pane.9`.
    pub fn pane_number(self) -> Option<usize> {
        let n = match self {
            Action::Pane1 => 0,
            Action::Pane2 => 1,
            Action::Pane3 => 2,
            Action::Pane4 => 3,
            Action::Pane5 => 4,
            Action::Pane6 => 5,
            Action::Pane7 => 6,
            Action::Pane8 => 7,
            Action::Pane9 => 8,
            Action::Pane10 => 9,
            _ => return None,
        };
        Some(n)
    }

    /// True if this action may be bound in `ctx`.
    pub fn allowed_in(self, ctx: Context) -> bool {
        self.contexts().contains(&ctx)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_parse_back() {
        let mut seen = HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.name()), "duplicate name {}", a.name());
            assert_eq!(Action::parse(a.name()), Some(*a));
        }
        assert_eq!(Action::parse("org.nope"), None);
    }

    #[test]
    fn contexts_parse_back() {
        for c in Context::ALL {
            assert_eq!(Context::parse(c.name()), Some(*c));
        }
        assert_eq!(Context::parse("nope"), None);
    }

    #[test]
    fn every_action_has_text_in_both_languages() {
        use crate::model::Lang;
        for a in Action::ALL {
            let k = a.text_key();
            for lang in [Lang::Zh, Lang::En] {
                assert_ne!(crate::text::t_in(lang, &k), k, "missing text {k}");
            }
        }
        for c in Context::ALL {
            let k = c.title_key();
            assert_ne!(crate::text::t_in(Lang::Zh, &k), k, "missing text {k}");
        }
    }

    #[test]
    fn pane_numbers() {
        assert_eq!(Action::Pane1.pane_number(), Some(0));
        assert_eq!(Action::Pane9.pane_number(), Some(8));
        assert_eq!(Action::Quit.pane_number(), None);
    }
}
