//! When a pane that reads its data from the store reads it again: once
//! shown first, after a change notice that touches its kinds (at once when
//! shown, else when next shown), after the link to the server came back;
//! never twice at once, and not for the notice of its own write (it read
//! again already). One mechanism for the panes that read on demand.

#[derive(Debug, Default)]
pub struct Freshness {
    /// A read is on its way.
    pub loading: bool,
    /// Changed since read, while not shown: read when shown.
    stale: bool,
    /// The pane read again after its own write: the notice that follows
    /// is not read again.
    just_read: bool,
}

impl Freshness {
    /// A read was requested.
    pub fn started(&mut self) {
        self.loading = true;
        self.stale = false;
    }

    /// The answer came (data or failure).
    pub fn done(&mut self) {
        self.loading = false;
    }

    /// Whether the answer just handled was of the pane's own write (it
    /// reads again itself: the notice that follows is skipped).
    pub fn own_write(&mut self, yes: bool) {
        self.just_read = yes;
    }

    /// A change notice: true when the pane should read again now.
    pub fn changed(&mut self, touched: bool, has_data: bool, shown: bool) -> bool {
        if std::mem::take(&mut self.just_read) || !touched || !has_data {
            return false;
        }
        if shown {
            !self.loading
        } else {
            self.stale = true;
            false
        }
    }

    /// The link to the server is back: true when the pane should read now.
    pub fn reconnected(&mut self, shown: bool) -> bool {
        self.loading = false;
        self.stale = true;
        shown
    }

    /// The pane is shown: true when it should read now.
    pub fn shown(&self, has_data: bool) -> bool {
        (!has_data || self.stale) && !self.loading
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_once_per_change_and_not_for_its_own_write() {
        let mut f = Freshness::default();
        assert!(f.shown(false));
        f.started();
        assert!(!f.shown(false), "not twice at once");
        f.done();
        assert!(!f.shown(true));
        f.own_write(true);
        assert!(!f.changed(true, true, true), "its own write");
        assert!(f.changed(true, true, true));
        assert!(!f.changed(false, true, true), "not its kinds");
        assert!(!f.changed(true, true, false));
        assert!(f.shown(true), "stale: read when shown");
        assert!(f.reconnected(true));
    }
}
