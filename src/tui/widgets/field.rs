//! One field of a form: what it is (`FieldSpec`), what it holds
//! (`FieldValue`), and its editing state (text, picked options, the open
//! dropdown, live status and error).

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::{Deserialize, Serialize};

use super::picker;
use super::text_input::TextInput;
use crate::model::activity::tenths_text;
use crate::model::bounds::{self, TextLimit};
use crate::model::credit_code::{self, CreditCheck, MalformedReason};
use crate::model::org::malformed_detail;
use crate::model::{date, phone, Rule};
use crate::text::rule_message;

/// One option of a choice, multi-choice or place field: a stable key (what
/// is stored) and a label (what is shown and searched, pinyin included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

impl Choice {
    /// An option.
    pub fn new(key: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            key: key.into(),
            label: label.into(),
        }
    }
}

/// What a field edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text of at most `max` characters.
    Text { max: usize },
    /// One of `options`, picked by typing a few letters (pinyin works).
    Choice { options: Vec<Choice> },
    /// Several of `options` (service domains...).
    Multi { options: Vec<Choice> },
    /// One place of `options` (label like `宝石社区 / 宝石一网格 (BSJ-01-01)`).
    Place { options: Vec<Choice> },
    /// A date as staff type it (`2026-11-03`, `11-3`, `t`, `-1`).
    Date,
    /// A whole number from `min` to `max`.
    Number { min: i64, max: i64 },
    /// A number from 0 to `max` with at most one decimal (`7.5` points),
    /// read as the command line reads it; the value is in tenths.
    Tenths { max: u32 },
    /// A unified social credit code, checked as it is typed.
    CreditCode,
    /// A mainland phone number.
    Phone,
}

impl FieldKind {
    /// The options of a choice, multi-choice or place field (empty for others).
    pub fn options(&self) -> &[Choice] {
        match self {
            FieldKind::Choice { options }
            | FieldKind::Multi { options }
            | FieldKind::Place { options } => options,
            _ => &[],
        }
    }

    fn options_mut(&mut self) -> Option<&mut Vec<Choice>> {
        match self {
            FieldKind::Choice { options }
            | FieldKind::Multi { options }
            | FieldKind::Place { options } => Some(options),
            _ => None,
        }
    }

    /// True for fields picked from a list.
    pub fn is_picker(&self) -> bool {
        matches!(
            self,
            FieldKind::Choice { .. } | FieldKind::Multi { .. } | FieldKind::Place { .. }
        )
    }

    /// True for a field that holds several options.
    pub fn is_multi(&self) -> bool {
        matches!(self, FieldKind::Multi { .. })
    }

    /// Columns the input needs, for kinds with short values (`None`: as wide
    /// as the form allows).
    pub fn input_width(&self) -> Option<usize> {
        match self {
            FieldKind::Date => Some(12),
            FieldKind::Number { .. } => Some(10),
            FieldKind::Tenths { .. } => Some(14),
            FieldKind::CreditCode => Some(20),
            FieldKind::Phone => Some(18),
            _ => None,
        }
    }
}

/// The description of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's key: the JSON field name (`name`, `credit_code`...).
    pub key: &'static str,
    /// The label shown to the left of the field.
    pub label: String,
    pub kind: FieldKind,
    /// Whether saving needs a value.
    pub required: bool,
    /// Shown dimmed while the field is empty.
    pub hint: Option<String>,
}

impl FieldSpec {
    /// An optional field without a hint.
    pub fn new(key: &'static str, label: impl Into<String>, kind: FieldKind) -> Self {
        FieldSpec {
            key,
            label: label.into(),
            kind,
            required: false,
            hint: None,
        }
    }

    /// Sets whether the field is required.
    pub fn with_required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// Sets the hint shown while the field is empty.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The value of a field, as the caller reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldValue {
    /// Text, credit-code and phone fields: the text as typed.
    Text(String),
    /// The key of the picked option of a choice or place field.
    Choice(Option<String>),
    /// The keys of the picked options, in the order they were picked.
    Multi(Vec<String>),
    /// `None` when empty or not a date (`Form::validate` reports the latter).
    Date(Option<NaiveDate>),
    /// `None` when empty or not a number in range (`Form::validate` reports
    /// the latter). In tenths for a [`FieldKind::Tenths`] field.
    Number(Option<i64>),
}

/// How a live status reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tone {
    /// Confirmation (a resolved date, a credit code that checks).
    Good,
    /// Neutral information (characters typed, matches).
    Info,
    /// A problem.
    Bad,
}

/// A field and its editing state.
#[derive(Debug, Clone)]
pub struct Field {
    pub spec: FieldSpec,
    /// The text of text-like fields; the filter query of pickers.
    pub input: TextInput,
    /// Picked options (indices into the options), in the order picked.
    pub selected: Vec<usize>,
    /// Options matching the query, best first (pickers).
    pub matches: Vec<usize>,
    /// Position of the highlighted option in `matches`.
    pub highlight: usize,
    /// First row of `matches` shown in the dropdown.
    pub dropdown_top: usize,
    /// Whether the dropdown is open.
    pub open: bool,
    /// The value, kept up to date after every change.
    pub value: FieldValue,
    /// A live status shown beside the field.
    pub status: Option<(String, Tone)>,
    /// An error from validation or the store, shown below the field.
    pub error: Option<String>,
}

/// Rows of options a dropdown shows at most.
pub const DROPDOWN_ROWS: usize = 6;

/// A whole number as typed (the model's rule, as the command line reads it).
fn parse_number(s: &str) -> Option<i64> {
    crate::model::parse::whole_number(s)
}

/// Tenths as typed: digits and one decimal, full-width digits and the
/// full-width stop accepted (`７．５`), as the command line reads them.
fn parse_tenths(s: &str) -> Option<u32> {
    crate::model::parse::tenths(s)
}

fn credit_rule(code: &str) -> Option<Rule> {
    match credit_code::check(code) {
        CreditCheck::Valid => None,
        CreditCheck::ChecksumMismatch { pos, expected } => {
            Some(Rule::CreditChecksum { pos, expected })
        }
        CreditCheck::Malformed(why) => Some(Rule::CreditMalformed {
            detail: malformed_detail(&why),
        }),
    }
}

/// The live status of a credit code being typed: characters so far, a bad
/// character as soon as it is typed, and at 18 characters the verdict with
/// the expected check character.
fn credit_status(raw: &str) -> Option<(String, Tone)> {
    let code = credit_code::normalize(raw);
    let n = code.chars().count();
    if n == 0 {
        return None;
    }
    if n > 18 {
        return Some((crate::tr!("tui.form.credit_too_long", n = n), Tone::Bad));
    }
    // Pad with a character valid everywhere, so only what was typed can fail.
    let padded = format!("{code}{}", "0".repeat(18 - n));
    let check = credit_code::check(&padded);
    match check {
        CreditCheck::Malformed(MalformedReason::BadChar { pos, ch }) => Some((
            crate::tr!("tui.form.credit_bad_char", pos = pos, ch = ch),
            Tone::Bad,
        )),
        CreditCheck::Malformed(MalformedReason::RegionNotDigits { pos }) => {
            Some((crate::tr!("tui.form.credit_region", pos = pos), Tone::Bad))
        }
        _ if n < 18 => Some((crate::tr!("tui.form.credit_count", n = n), Tone::Info)),
        CreditCheck::Valid => Some((crate::tr!("tui.form.credit_ok"), Tone::Good)),
        CreditCheck::ChecksumMismatch { pos, expected } => Some((
            rule_message(&Rule::CreditChecksum { pos, expected }),
            Tone::Bad,
        )),
        CreditCheck::Malformed(MalformedReason::Length(_)) => None,
    }
}

/// True once a phone number has as many digits as a complete one.
fn phone_complete(raw: &str) -> bool {
    raw.chars()
        .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .count()
        >= 11
}

/// The rule typed text of at most `max` characters breaks: the model's rule
/// for one line of text (no control or direction-changing characters).
fn text_rule(raw: &str, max: usize) -> Option<Rule> {
    bounds::text_rule(
        raw,
        TextLimit {
            max,
            multiline: false,
            items: 1,
        },
    )
}

fn ctrl_char(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

impl Field {
    /// A new, empty field.
    pub fn new(spec: FieldSpec, today: NaiveDate) -> Self {
        let mut f = Field {
            spec,
            input: TextInput::new(),
            selected: Vec::new(),
            matches: Vec::new(),
            highlight: 0,
            dropdown_top: 0,
            open: false,
            value: FieldValue::Text(String::new()),
            status: None,
            error: None,
        };
        f.refresh(today);
        f
    }

    /// The options of a picker.
    pub fn options(&self) -> &[Choice] {
        self.spec.kind.options()
    }

    /// Keys of the picked options.
    pub fn selected_keys(&self) -> Vec<String> {
        let opts = self.options();
        self.selected
            .iter()
            .filter_map(|&i| opts.get(i).map(|o| o.key.clone()))
            .collect()
    }

    /// Labels of the picked options.
    pub fn selected_labels(&self) -> Vec<&str> {
        let opts = self.options();
        self.selected
            .iter()
            .filter_map(|&i| opts.get(i).map(|o| o.label.as_str()))
            .collect()
    }

    /// Recomputes the value and the live status after a change.
    pub fn refresh(&mut self, today: NaiveDate) {
        let raw = self.input.value();
        self.value = match &self.spec.kind {
            FieldKind::Text { .. } | FieldKind::CreditCode | FieldKind::Phone => {
                FieldValue::Text(raw.to_string())
            }
            FieldKind::Choice { .. } | FieldKind::Place { .. } => {
                FieldValue::Choice(self.selected_keys().into_iter().next())
            }
            FieldKind::Multi { .. } => FieldValue::Multi(self.selected_keys()),
            FieldKind::Date => FieldValue::Date(if raw.trim().is_empty() {
                None
            } else {
                date::parse(raw, today)
            }),
            FieldKind::Number { min, max } => {
                FieldValue::Number(parse_number(raw).filter(|n| (*min..=*max).contains(n)))
            }
            FieldKind::Tenths { max } => FieldValue::Number(
                parse_tenths(raw)
                    .filter(|t| *t <= max.saturating_mul(10))
                    .map(i64::from),
            ),
        };
        self.status = self.live_status();
    }

    fn live_status(&self) -> Option<(String, Tone)> {
        let raw = self.input.value();
        let empty = raw.trim().is_empty();
        match &self.spec.kind {
            FieldKind::Text { max } => text_rule(raw, *max).map(|r| (rule_message(&r), Tone::Bad)),
            FieldKind::Date => match (&self.value, empty) {
                (_, true) => None,
                (FieldValue::Date(Some(d)), _) => {
                    if let Some(rule) = bounds::date_rule(self.spec.key, *d) {
                        return Some((rule_message(&rule), Tone::Bad));
                    }
                    let iso = d.format("%Y-%m-%d").to_string();
                    // Nothing to add when the text already is the date.
                    (raw.trim() != iso).then(|| (format!("= {iso}"), Tone::Good))
                }
                _ => Some((crate::tr!("tui.form.date_invalid"), Tone::Bad)),
            },
            FieldKind::Number { .. } | FieldKind::Tenths { .. } => match (&self.value, empty) {
                (_, true) | (FieldValue::Number(Some(_)), _) => None,
                _ => self.number_rule().map(|r| (rule_message(&r), Tone::Bad)),
            },
            FieldKind::CreditCode => credit_status(raw),
            FieldKind::Phone => {
                if empty {
                    None
                } else if phone::is_valid(raw) {
                    Some((crate::tr!("tui.form.phone_ok"), Tone::Good))
                } else if phone_complete(raw) {
                    Some((rule_message(&Rule::Phone), Tone::Bad))
                } else {
                    None
                }
            }
            FieldKind::Choice { .. } | FieldKind::Multi { .. } | FieldKind::Place { .. } => {
                if self.open && !self.matches.is_empty() {
                    Some((
                        format!("{}/{}", self.highlight + 1, self.matches.len()),
                        Tone::Info,
                    ))
                } else {
                    None
                }
            }
        }
    }

    /// The rule of a number field (for its message).
    fn number_rule(&self) -> Option<Rule> {
        match &self.spec.kind {
            FieldKind::Number { min, max } => Some(Rule::Number {
                min: *min,
                max: *max,
            }),
            FieldKind::Tenths { max } => Some(Rule::Tenths {
                max: i64::from(*max),
            }),
            _ => None,
        }
    }

    /// The rule the field breaks, if any. `required` adds the check for an
    /// empty required field (done on save, not while moving around); dates
    /// are resolved against `today`.
    pub fn check(&self, required: bool, today: NaiveDate) -> Option<Rule> {
        let raw = self.input.value();
        let empty = raw.trim().is_empty();
        if self.spec.kind.is_picker() {
            return (required && self.spec.required && self.selected.is_empty())
                .then_some(Rule::Required);
        }
        if empty {
            return (required && self.spec.required).then_some(Rule::Required);
        }
        match &self.spec.kind {
            FieldKind::Text { max } => text_rule(raw, *max),
            FieldKind::Date => match date::parse(raw, today) {
                None => Some(Rule::Date),
                Some(d) => bounds::date_rule(self.spec.key, d),
            },
            FieldKind::Number { .. } | FieldKind::Tenths { .. } => {
                matches!(self.value, FieldValue::Number(None))
                    .then(|| self.number_rule())
                    .flatten()
            }
            FieldKind::CreditCode => credit_rule(&credit_code::normalize(raw)),
            FieldKind::Phone => (!phone::is_valid(raw)).then_some(Rule::Phone),
            FieldKind::Choice { .. } | FieldKind::Multi { .. } | FieldKind::Place { .. } => None,
        }
    }

    /// Handles an editing key. Returns `(used, changed)`: whether the key was
    /// used, and whether the field's content (not just the caret) changed.
    pub fn handle_key(&mut self, key: KeyEvent, today: NaiveDate) -> (bool, bool) {
        if key.kind == KeyEventKind::Release {
            return (false, false);
        }
        if self.spec.kind.is_picker() {
            return self.picker_key(key, today);
        }
        let before = self.input.value().to_string();
        let used = self.input.handle_key(key);
        let changed = used && before != self.input.value();
        if changed {
            self.error = None;
            self.refresh(today);
        }
        (used, changed)
    }

    fn picker_key(&mut self, key: KeyEvent, today: NaiveDate) -> (bool, bool) {
        let multi = self.spec.kind.is_multi();
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if self.open {
            match key.code {
                KeyCode::Up if plain => self.move_highlight(-1),
                KeyCode::Down if plain => self.move_highlight(1),
                KeyCode::PageUp if plain => self.move_highlight(-(DROPDOWN_ROWS as isize)),
                KeyCode::PageDown if plain => self.move_highlight(DROPDOWN_ROWS as isize),
                _ if ctrl_char(&key, 'p') => self.move_highlight(-1),
                _ if ctrl_char(&key, 'n') => self.move_highlight(1),
                KeyCode::Enter if plain => {
                    let changed = self.accept(true);
                    self.refresh(today);
                    return (true, changed);
                }
                KeyCode::Char(' ') if plain && multi => {
                    let changed = self.toggle_highlighted();
                    self.refresh(today);
                    return (true, changed);
                }
                KeyCode::Esc => {
                    self.close();
                    self.refresh(today);
                }
                _ => return self.query_key(key, today),
            }
            self.refresh(today);
            return (true, false);
        }
        match key.code {
            KeyCode::Enter if plain => self.open_all(),
            KeyCode::Char(' ') if plain && self.input.is_empty() => self.open_all(),
            _ if ctrl_char(&key, 'n') || ctrl_char(&key, 'p') => self.open_all(),
            KeyCode::Backspace | KeyCode::Delete if plain && self.input.is_empty() => {
                let changed = if multi {
                    self.selected.pop().is_some()
                } else {
                    let had = !self.selected.is_empty();
                    self.selected.clear();
                    had
                };
                if changed {
                    self.error = None;
                }
                self.refresh(today);
                return (true, changed);
            }
            _ => return self.query_key(key, today),
        }
        self.refresh(today);
        (true, false)
    }

    /// A key for the query text: typing filters and opens the dropdown.
    fn query_key(&mut self, key: KeyEvent, today: NaiveDate) -> (bool, bool) {
        let before = self.input.value().to_string();
        if !self.input.handle_key(key) {
            return (false, false);
        }
        if before != self.input.value() {
            self.filter();
            if !self.input.is_empty() {
                self.open = true;
            }
            self.refresh(today);
            return (true, true);
        }
        (true, false)
    }

    /// Pastes text at the caret. Returns whether the content changed.
    pub fn paste(&mut self, s: &str, today: NaiveDate) -> bool {
        let before = self.input.value().len();
        self.input.paste(s);
        if self.input.value().len() == before {
            return false;
        }
        self.error = None;
        if self.spec.kind.is_picker() {
            self.filter();
            self.open = !self.input.is_empty();
        }
        self.refresh(today);
        true
    }

    fn filter(&mut self) {
        self.matches = picker::filter(self.input.value(), self.options());
        self.highlight = 0;
        self.dropdown_top = 0;
    }

    fn open_all(&mut self) {
        self.filter();
        // Start on the current choice, so Enter keeps it.
        if let Some(&cur) = self.selected.last() {
            if let Some(p) = self.matches.iter().position(|&m| m == cur) {
                self.highlight = p;
                self.dropdown_top = p.saturating_sub(DROPDOWN_ROWS - 1);
            }
        }
        self.open = true;
    }

    fn move_highlight(&mut self, delta: isize) {
        if self.matches.is_empty() {
            return;
        }
        let last = self.matches.len() - 1;
        let h = self.highlight as isize + delta;
        self.highlight = h.clamp(0, last as isize) as usize;
        if self.highlight < self.dropdown_top {
            self.dropdown_top = self.highlight;
        } else if self.highlight >= self.dropdown_top + DROPDOWN_ROWS {
            self.dropdown_top = self.highlight + 1 - DROPDOWN_ROWS;
        }
    }

    fn toggle_highlighted(&mut self) -> bool {
        let Some(&opt) = self.matches.get(self.highlight) else {
            return false;
        };
        if let Some(p) = self.selected.iter().position(|&s| s == opt) {
            self.selected.remove(p);
        } else {
            self.selected.push(opt);
        }
        self.error = None;
        true
    }

    /// Takes the highlighted option (single: replaces the choice; multi:
    /// toggles it, or only adds it when `toggle` is false), clears the query
    /// and closes the dropdown. Returns whether the choice changed.
    fn accept(&mut self, toggle: bool) -> bool {
        let changed = match self.matches.get(self.highlight).copied() {
            Some(opt) if self.spec.kind.is_multi() => {
                if self.selected.contains(&opt) {
                    toggle && self.toggle_highlighted()
                } else {
                    self.toggle_highlighted()
                }
            }
            Some(opt) => {
                let changed = self.selected != [opt];
                self.selected = vec![opt];
                if changed {
                    self.error = None;
                }
                changed
            }
            None => false,
        };
        self.close();
        changed
    }

    fn close(&mut self) {
        self.input.clear();
        self.open = false;
        self.matches.clear();
        self.highlight = 0;
        self.dropdown_top = 0;
    }

    /// Called when focus leaves the field: an open single-choice picker
    /// takes its highlighted option, a multi-choice one the highlighted
    /// match of a typed query (so Tab accepts, without adding whatever a
    /// browsed list was left on); a field whose text cannot be parsed gets
    /// its error. Returns whether the content changed.
    pub fn leave(&mut self, today: NaiveDate) -> bool {
        let mut changed = false;
        if self.spec.kind.is_picker() {
            let take = self.open && (!self.spec.kind.is_multi() || !self.input.is_empty());
            if take {
                changed = self.accept(false);
            } else {
                self.close();
            }
        } else if let Some(rule) = self.check(false, today) {
            self.error = Some(rule_message(&rule));
        }
        self.refresh(today);
        changed
    }

    /// Sets the content from a value (shown selected: the first character
    /// typed replaces it); returns false when the value does not fit the
    /// kind of field. Unknown option keys are added as options
    /// labelled with the key, so nothing stored is lost.
    pub fn set_value(&mut self, value: &FieldValue, today: NaiveDate) -> bool {
        let ok = match (&self.spec.kind, value) {
            (kind, FieldValue::Choice(key)) if kind.is_picker() => {
                let keys: Vec<String> = key.iter().cloned().collect();
                self.select_keys(&keys);
                true
            }
            (FieldKind::Multi { .. }, FieldValue::Multi(keys)) => {
                self.select_keys(keys);
                true
            }
            (kind, FieldValue::Text(s)) if !kind.is_picker() => {
                self.input.set_value(s);
                true
            }
            (FieldKind::Date, FieldValue::Date(d)) => {
                let text = d.map(|d| d.format("%Y-%m-%d").to_string());
                self.input.set_value(text.as_deref().unwrap_or(""));
                true
            }
            (FieldKind::Number { .. }, FieldValue::Number(n)) => {
                let text = n.map(|n| n.to_string());
                self.input.set_value(text.as_deref().unwrap_or(""));
                true
            }
            (FieldKind::Tenths { .. }, FieldValue::Number(n)) => {
                let text = n.map(|n| tenths_text(n.unsigned_abs()));
                self.input.set_value(text.as_deref().unwrap_or(""));
                true
            }
            _ => false,
        };
        if ok {
            // What the form filled in is replaced by the first key typed.
            self.input.select_all();
            self.error = None;
            self.refresh(today);
        }
        ok
    }

    /// Picks the options with these keys (in this order), adding unknown ones.
    pub fn select_keys(&mut self, keys: &[String]) {
        self.close();
        self.selected.clear();
        let multi = self.spec.kind.is_multi();
        for key in keys {
            if key.is_empty() {
                continue;
            }
            let idx = match self.options().iter().position(|o| &o.key == key) {
                Some(i) => i,
                None => match self.spec.kind.options_mut() {
                    Some(opts) => {
                        opts.push(Choice::new(key.clone(), key.clone()));
                        opts.len() - 1
                    }
                    None => return,
                },
            };
            if !self.selected.contains(&idx) {
                self.selected.push(idx);
            }
            if !multi {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn typed(kind: FieldKind, s: &str) -> Field {
        let mut f = Field::new(FieldSpec::new("f", "F", kind), today());
        for c in s.chars() {
            f.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), today());
        }
        f
    }

    #[test]
    fn numbers() {
        let f = typed(FieldKind::Number { min: 0, max: 100 }, "42");
        assert_eq!(f.value, FieldValue::Number(Some(42)));
        assert_eq!(f.check(true, today()), None);
        let f = typed(FieldKind::Number { min: 0, max: 100 }, "420");
        assert_eq!(f.value, FieldValue::Number(None));
        assert_eq!(
            f.check(false, today()),
            Some(Rule::Number { min: 0, max: 100 })
        );
        assert_eq!(parse_number("１,２00"), Some(1200));
        assert_eq!(parse_number("x"), None);
    }

    #[test]
    fn tenths_take_half_points() {
        let f = typed(FieldKind::Tenths { max: 8 }, "7.5");
        assert_eq!(f.value, FieldValue::Number(Some(75)));
        assert_eq!(f.check(true, today()), None);
        let f = typed(FieldKind::Tenths { max: 8 }, "７．５");
        assert_eq!(f.value, FieldValue::Number(Some(75)));
        let f = typed(FieldKind::Tenths { max: 8 }, "8.5");
        assert_eq!(f.value, FieldValue::Number(None));
        assert_eq!(f.check(false, today()), Some(Rule::Tenths { max: 8 }));
        assert_eq!(f.status.as_ref().unwrap().1, Tone::Bad);
        let f = typed(FieldKind::Tenths { max: 8 }, "7.25");
        assert_eq!(f.check(false, today()), Some(Rule::Tenths { max: 8 }));
        let mut f = Field::new(
            FieldSpec::new("f", "F", FieldKind::Tenths { max: 8 }),
            today(),
        );
        assert!(f.set_value(&FieldValue::Number(Some(65)), today()));
        assert_eq!(f.input.value(), "6.5");
    }

    #[test]
    fn a_value_set_by_the_form_is_replaced_by_typing() {
        let mut f = Field::new(FieldSpec::new("d", "D", FieldKind::Date), today());
        assert!(f.set_value(&FieldValue::Date(Some(today())), today()));
        for c in "-1".chars() {
            f.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), today());
        }
        assert_eq!(f.input.value(), "-1");
        assert_eq!(
            f.value,
            FieldValue::Date(NaiveDate::from_ymd_opt(2026, 11, 27))
        );
    }

    #[test]
    fn credit_code_status_while_typing() {
        crate::text::set_lang(crate::model::Lang::En);
        let f = typed(FieldKind::CreditCode, "5310");
        assert_eq!(f.status, Some(("4/18".to_string(), Tone::Info)));
        let f = typed(FieldKind::CreditCode, "53I");
        let (msg, tone) = f.status.clone().unwrap();
        assert_eq!(tone, Tone::Bad);
        assert!(msg.contains("3") && msg.contains('I'), "{msg}");
        let f = typed(FieldKind::CreditCode, "53100000500021676k");
        assert_eq!(f.status.as_ref().unwrap().1, Tone::Good);
        assert_eq!(f.check(true, today()), None);
        let f = typed(FieldKind::CreditCode, "5310000050002167");
        assert_eq!(
            f.check(false, today()),
            Some(Rule::CreditMalformed {
                detail: "length 16".into()
            })
        );
    }

    #[test]
    fn phone_checked_when_complete() {
        let f = typed(FieldKind::Phone, "1381234");
        assert_eq!(f.status, None);
        let f = typed(FieldKind::Phone, "12812345678");
        assert_eq!(f.status.as_ref().unwrap().1, Tone::Bad);
        assert_eq!(f.check(false, today()), Some(Rule::Phone));
        let f = typed(FieldKind::Phone, "0571-87654321");
        assert_eq!(f.status.as_ref().unwrap().1, Tone::Good);
    }

    #[test]
    fn text_too_long_is_reported_not_cut() {
        let f = typed(FieldKind::Text { max: 3 }, "望江门社区");
        assert_eq!(f.input.value(), "望江门社区");
        assert_eq!(f.check(false, today()), Some(Rule::TooLong { max: 3 }));
        assert_eq!(f.status.as_ref().unwrap().1, Tone::Bad);
    }

    #[test]
    fn pasted_direction_override_and_far_dates_are_refused() {
        let mut f = typed(FieldKind::Text { max: 80 }, "西湖");
        f.paste("\u{202E}读书会\x1b[2J", today());
        assert_eq!(
            f.check(false, today()),
            Some(Rule::Unprintable {
                found: "U+202E".into()
            })
        );
        assert_eq!(f.status.as_ref().unwrap().1, Tone::Bad);
        let f = typed(FieldKind::Date, "9999-12-31");
        assert!(matches!(
            f.check(false, today()),
            Some(Rule::DateRange { .. })
        ));
        assert_eq!(f.status.as_ref().unwrap().1, Tone::Bad);
        let f = typed(FieldKind::Date, "2026-11-03");
        assert_eq!(f.check(false, today()), None);
    }

    #[test]
    fn unknown_keys_are_kept() {
        let mut f = Field::new(
            FieldSpec::new(
                "grid",
                "网格",
                FieldKind::Place {
                    options: vec![Choice::new("BSJ-01", "宝石社区 (BSJ-01)")],
                },
            ),
            today(),
        );
        assert!(f.set_value(&FieldValue::Choice(Some("XX-9".into())), today()));
        assert_eq!(f.value, FieldValue::Choice(Some("XX-9".into())));
        assert_eq!(f.options().len(), 2);
        assert!(!f.set_value(&FieldValue::Number(Some(1)), today()));
    }
}
