//! A form of labelled fields for quick data entry.
//!
//! The form edits; the caller decides. Keys that move between fields
//! (`form.next`/`form.prev`), save (`form.save`) and cancel (`form.cancel`)
//! go through the caller's keymap, which calls [`Form::focus_next`] and
//! friends; [`Form::handle_key`] takes the editing keys and returns false
//! for the rest. While a dropdown is open ([`Form::dropdown_open`]) it also
//! takes Up/Down, Enter and Esc, so the caller must offer those keys to the
//! form first.
//!
//! Layout: labels right-aligned in a column (by display width), the fields
//! beside them, a live status (resolved date, credit-code check) beside a
//! field when it fits, errors on the row below, a dropdown under an open
//! picker; the rows scroll so the focused field stays visible.

use std::cell::Cell;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use serde::{Deserialize, Serialize};

use super::field::{Field, FieldSpec, FieldValue, Tone, DROPDOWN_ROWS};
use super::picker;
use super::width::{ellipsize, fill, put_marked, put_str, str_width, wrap};
use crate::text::rule_message;
use crate::tui::theme::Theme;

/// The raw content of a form, to keep an unsaved form across an SSH drop
/// and offer it back on the next start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormDraft {
    /// The form's title when the draft was taken.
    pub title: String,
    /// Key of the focused field.
    pub focused: String,
    pub fields: Vec<DraftField>,
}

/// The raw content of one field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftField {
    pub key: String,
    /// The text as typed (the filter query for pickers).
    pub text: String,
    /// Keys of the picked options (pickers only).
    pub picked: Vec<String>,
}

/// A form being filled in.
#[derive(Debug, Clone)]
pub struct Form {
    title: String,
    fields: Vec<Field>,
    focus: usize,
    today: NaiveDate,
    dirty: bool,
    warning: Option<String>,
    /// Errors for keys that are not fields of this form.
    form_errors: Vec<String>,
    /// First field row shown; adjusted when drawing.
    scroll: Cell<usize>,
}

/// One screen row of the field area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Input(usize),
    Option(usize, usize),
    Message(usize, usize),
}

/// Where a field's input and status go, for a given width.
struct Line {
    input_width: usize,
    beside: Option<(String, Tone)>,
    below: Vec<String>,
}

/// Columns kept for typing in a picker when its picked values are shown.
const QUERY_MIN: usize = 8;

impl Form {
    /// A form with `fields`, focus on the first one, dates relative to the
    /// local date (see [`Form::set_today`]).
    pub fn new(title: String, fields: Vec<FieldSpec>) -> Self {
        let today = chrono::Local::now().date_naive();
        Form {
            title,
            fields: fields.into_iter().map(|s| Field::new(s, today)).collect(),
            focus: 0,
            today,
            dirty: false,
            warning: None,
            form_errors: Vec::new(),
            scroll: Cell::new(0),
        }
    }

    /// Sets the date that relative dates (`t`, `-1`, `11-3`) resolve against.
    pub fn set_today(&mut self, today: NaiveDate) {
        if today != self.today {
            self.today = today;
            for f in &mut self.fields {
                f.refresh(today);
            }
        }
    }

    /// The date relative dates resolve against.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The title given at creation (or set since).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Changes the title (a form reused to correct a record).
    pub fn set_title(&mut self, title: String) {
        self.title = title;
    }

    /// Keys of the fields, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.spec.key)
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.spec.key == key)
    }

    fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.spec.key == key)
    }

    /// The key of the focused field (`""` for a form without fields).
    pub fn focused_key(&self) -> &'static str {
        self.fields.get(self.focus).map_or("", |f| f.spec.key)
    }

    fn leave_focused(&mut self) {
        let today = self.today;
        if let Some(f) = self.fields.get_mut(self.focus) {
            if f.leave(today) {
                self.dirty = true;
            }
        }
    }

    /// Moves to the next field (from the last, to the first). An open
    /// picker first takes its highlighted option, as Tab accepts.
    pub fn focus_next(&mut self) {
        if self.fields.is_empty() {
            return;
        }
        self.leave_focused();
        self.focus = (self.focus + 1) % self.fields.len();
    }

    /// Moves to the previous field (from the first, to the last).
    pub fn focus_prev(&mut self) {
        if self.fields.is_empty() {
            return;
        }
        self.leave_focused();
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// Moves to the field `key`; false if there is none.
    pub fn focus(&mut self, key: &str) -> bool {
        match self.index(key) {
            Some(i) => {
                if i != self.focus {
                    self.leave_focused();
                    self.focus = i;
                }
                true
            }
            None => false,
        }
    }

    /// Moves to the first field with an error; false if none has one.
    pub fn focus_first_error(&mut self) -> bool {
        match self.fields.iter().position(|f| f.error.is_some()) {
            Some(i) => {
                let key = self.fields[i].spec.key;
                self.focus(key)
            }
            None => false,
        }
    }

    /// True while the focused picker shows its options: Up/Down, Enter and
    /// Esc then belong to the form.
    pub fn dropdown_open(&self) -> bool {
        self.fields.get(self.focus).is_some_and(|f| f.open)
    }

    /// Handles an editing key for the focused field: printable input,
    /// Backspace/Delete, Left/Right/Home/End, Ctrl-a/e/w/u/k; in a picker,
    /// Enter or Space opens the options, and with the dropdown open,
    /// Up/Down (Ctrl-p/Ctrl-n), Enter (Space toggles in a multi-choice) and
    /// Esc. Returns false for keys it does not use.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let today = self.today;
        let Some(f) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let (used, changed) = f.handle_key(key, today);
        if changed {
            self.dirty = true;
        }
        used
    }

    /// Pastes into the focused field; line breaks become spaces, a paste
    /// never submits. Returns whether anything changed.
    pub fn paste(&mut self, s: &str) -> bool {
        let today = self.today;
        let Some(f) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let changed = f.paste(s, today);
        if changed {
            self.dirty = true;
        }
        changed
    }

    /// The value of field `key`.
    pub fn value(&self, key: &str) -> Option<&FieldValue> {
        self.field(key).map(|f| &f.value)
    }

    /// The text of field `key` as typed (the filter query for pickers).
    pub fn text(&self, key: &str) -> Option<&str> {
        self.field(key).map(|f| f.input.value())
    }

    /// Sets field `key` (not counted as typing). False if there is no such
    /// field or the value does not fit its kind.
    pub fn set_value(&mut self, key: &str, value: FieldValue) -> bool {
        let today = self.today;
        match self.index(key) {
            Some(i) => self.fields[i].set_value(&value, today),
            None => false,
        }
    }

    /// The rule each field breaks, with dates resolved against `today`
    /// (required fields included). Does not change the form.
    pub fn check(&self, today: NaiveDate) -> Vec<(&'static str, crate::model::Rule)> {
        self.fields
            .iter()
            .filter_map(|f| f.check(true, today).map(|r| (f.spec.key, r)))
            .collect()
    }

    /// The errors of the form's own checks (required fields, lengths), then
    /// those of `applied` (a model input's rules: `model::*_input`) on
    /// fields without one yet: keys and messages, empty when both accept.
    pub fn errors_with(
        &self,
        applied: Result<(), crate::model::ValidationErrors>,
    ) -> Vec<(String, String)> {
        let mut errors: Vec<(String, String)> = self
            .check(self.today)
            .into_iter()
            .map(|(k, r)| (k.to_string(), rule_message(&r)))
            .collect();
        if let Err(e) = applied {
            for fe in e.0 {
                if !errors.iter().any(|(k, _)| *k == fe.field) {
                    errors.push((fe.field, rule_message(&fe.rule)));
                }
            }
        }
        errors
    }

    /// Checks every field (required, parse errors, lengths) and sets the
    /// error shown below each failing field. True when the form is valid.
    pub fn validate(&mut self, today: NaiveDate) -> bool {
        self.set_today(today);
        let mut ok = true;
        for f in &mut self.fields {
            f.error = f.check(true, today).map(|r| rule_message(&r));
            ok &= f.error.is_none();
        }
        ok
    }

    /// Shows `message` below field `key` (an error from the store, such as a
    /// duplicate credit code). For a key the form does not show, the
    /// message goes at the top of the form.
    pub fn set_error(&mut self, key: &str, message: String) {
        match self.index(key) {
            Some(i) => self.fields[i].error = Some(message),
            None => {
                if !self.form_errors.contains(&message) {
                    self.form_errors.push(message);
                }
            }
        }
    }

    /// The error shown for field `key`.
    pub fn error(&self, key: &str) -> Option<&str> {
        self.field(key).and_then(|f| f.error.as_deref())
    }

    /// True when any field or the form has an error.
    pub fn has_errors(&self) -> bool {
        !self.form_errors.is_empty() || self.fields.iter().any(|f| f.error.is_some())
    }

    /// Removes every error (not the warning).
    pub fn clear_errors(&mut self) {
        self.form_errors.clear();
        for f in &mut self.fields {
            f.error = None;
        }
    }

    /// Shows a notice at the top of the form (a possible duplicate).
    pub fn set_warning(&mut self, message: String) {
        self.warning = Some(message);
    }

    /// The notice at the top of the form.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Removes the notice.
    pub fn clear_warning(&mut self) {
        self.warning = None;
    }

    /// True when anything was typed, picked or pasted since the form opened
    /// (or a draft was restored).
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The raw content of every field.
    pub fn to_draft(&self) -> FormDraft {
        FormDraft {
            title: self.title.clone(),
            focused: self.focused_key().to_string(),
            fields: self
                .fields
                .iter()
                .map(|f| DraftField {
                    key: f.spec.key.to_string(),
                    text: f.input.value().to_string(),
                    picked: f.selected_keys(),
                })
                .collect(),
        }
    }

    /// Restores the content of a draft taken from a form with the same
    /// fields (keys the form does not have are ignored). The form counts
    /// as changed.
    pub fn apply_draft(&mut self, draft: &FormDraft) {
        let today = self.today;
        for d in &draft.fields {
            let Some(i) = self.index(&d.key) else {
                continue;
            };
            let f = &mut self.fields[i];
            if f.spec.kind.is_picker() {
                f.select_keys(&d.picked);
            }
            f.input.set_value(&d.text);
            f.error = None;
            f.refresh(today);
        }
        if let Some(i) = self.index(&draft.focused) {
            self.focus = i;
        }
        self.dirty = true;
    }

    fn label_text(f: &Field) -> String {
        if f.spec.required {
            format!("*{}", f.spec.label)
        } else {
            f.spec.label.clone()
        }
    }

    fn line(f: &Field, room: usize) -> Line {
        let error = f.error.as_ref();
        let status = f
            .status
            .clone()
            .filter(|(_, tone)| !(error.is_some() && *tone == Tone::Bad));
        let mut input_width = room;
        let mut beside = None;
        let mut below_status = None;
        match (f.spec.kind.input_width(), status) {
            (_, None) => {
                input_width = f.spec.kind.input_width().map_or(room, |w| w.min(room));
            }
            (Some(w), Some(st)) => {
                input_width = w.min(room);
                if input_width + 1 + str_width(&st.0) <= room {
                    beside = Some(st);
                } else if st.1 == Tone::Bad {
                    below_status = Some(st);
                }
            }
            (None, Some(st)) => {
                let sw = str_width(&st.0);
                if st.1 != Tone::Bad && room >= sw + 1 + QUERY_MIN + 2 {
                    input_width = room - sw - 1;
                    beside = Some(st);
                } else if st.1 == Tone::Bad {
                    below_status = Some(st);
                }
            }
        }
        let message = error.cloned().or(below_status.map(|s| s.0));
        let below = message
            .map(|m| {
                let mut l = wrap(&m, room.max(1));
                l.truncate(2);
                l
            })
            .unwrap_or_default();
        Line {
            input_width,
            beside,
            below,
        }
    }

    /// Draws the form inside `area` (the caller draws the frame and the
    /// title) and returns where the terminal cursor goes: the caret of the
    /// focused field.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) -> Option<Position> {
        let area = area.intersection(buf.area);
        if area.width < 4 || area.height == 0 {
            return None;
        }
        let width = area.width as usize;
        for row in area.rows() {
            fill(buf, row.x, row.y, width, theme.text());
        }
        let mut y = area.y;
        let bottom = area.bottom();
        // Notices at the top, keeping at least three rows for the fields.
        let mut notices: Vec<(String, Style)> = Vec::new();
        if let Some(w) = &self.warning {
            for l in wrap(w, width).into_iter().take(2) {
                notices.push((l, theme.warning()));
            }
        }
        for e in &self.form_errors {
            notices.push((ellipsize(e, width), theme.error()));
        }
        let keep = area.height.saturating_sub(3) as usize;
        for (text, style) in notices.into_iter().take(keep) {
            put_str(buf, area.x, y, &text, width, style);
            y += 1;
        }

        let label_w = self
            .fields
            .iter()
            .map(|f| str_width(&Self::label_text(f)))
            .max()
            .unwrap_or(0)
            .min(width / 3);
        let x_input = area.x + label_w as u16 + 1;
        // One column on the right for the scroll marks.
        let room = width.saturating_sub(label_w + 2).max(1);

        let lines: Vec<Line> = self.fields.iter().map(|f| Self::line(f, room)).collect();
        let mut rows = Vec::new();
        let mut focus_rows = (0, 0);
        for (i, f) in self.fields.iter().enumerate() {
            let first = rows.len();
            rows.push(Row::Input(i));
            if i == self.focus && f.open {
                let n = f.matches.len().clamp(1, DROPDOWN_ROWS);
                rows.extend((0..n).map(|k| Row::Option(i, k)));
            }
            rows.extend((0..lines[i].below.len()).map(|k| Row::Message(i, k)));
            if i == self.focus {
                focus_rows = (first, rows.len() - 1);
            }
        }

        let height = bottom.saturating_sub(y) as usize;
        if height == 0 {
            return None;
        }
        let mut scroll = self.scroll.get();
        if focus_rows.1 >= scroll + height {
            scroll = focus_rows.1 + 1 - height;
        }
        if focus_rows.0 < scroll {
            scroll = focus_rows.0;
        }
        scroll = scroll.min(rows.len().saturating_sub(height));
        self.scroll.set(scroll);

        // Matched characters of the options shown, with one compiled query.
        let marks = match self.fields.get(self.focus) {
            Some(f) if f.open => {
                let end = (f.dropdown_top + DROPDOWN_ROWS).min(f.matches.len());
                let shown = f.matches.get(f.dropdown_top..end).unwrap_or(&[]);
                picker::matched_positions(f.input.value(), f.options(), shown)
            }
            _ => Vec::new(),
        };
        let mut caret = None;
        for (n, row) in rows.iter().skip(scroll).take(height).enumerate() {
            let ry = y + n as u16;
            match *row {
                Row::Input(i) => {
                    let f = &self.fields[i];
                    let focused = i == self.focus;
                    let label = ellipsize(&Self::label_text(f), label_w);
                    let lw = str_width(&label);
                    let label_style = if focused {
                        theme.title()
                    } else if f.error.is_some() {
                        theme.error()
                    } else {
                        theme.text()
                    };
                    put_str(
                        buf,
                        area.x + (label_w - lw) as u16,
                        ry,
                        &label,
                        lw,
                        label_style,
                    );
                    let line = &lines[i];
                    let rect = Rect::new(x_input, ry, line.input_width as u16, 1);
                    let pos = self.render_input(f, focused, rect, buf, theme);
                    if focused {
                        caret = pos;
                    }
                    if let Some((text, tone)) = &line.beside {
                        let style = match tone {
                            Tone::Good => theme.ok(),
                            Tone::Info => theme.dim(),
                            Tone::Bad => theme.error(),
                        };
                        let x = x_input + line.input_width as u16 + 1;
                        put_str(buf, x, ry, text, room - line.input_width - 1, style);
                    }
                }
                Row::Option(i, k) => {
                    let rect = Rect::new(x_input, ry, lines[i].input_width as u16, 1);
                    Self::render_option(&self.fields[i], k, &marks, rect, buf, theme);
                }
                Row::Message(i, k) => {
                    if let Some(text) = lines[i].below.get(k) {
                        put_str(buf, x_input, ry, text, room, theme.error());
                    }
                }
            }
        }
        let mark_x = area.right() - 1;
        if scroll > 0 {
            put_str(buf, mark_x, y, "^", 1, theme.dim());
        }
        if scroll + height < rows.len() {
            put_str(buf, mark_x, bottom - 1, "v", 1, theme.dim());
        }
        caret
    }

    fn render_input(
        &self,
        f: &Field,
        focused: bool,
        rect: Rect,
        buf: &mut Buffer,
        theme: &Theme,
    ) -> Option<Position> {
        let w = rect.width as usize;
        let hint = f.spec.hint.as_deref();
        if !focused {
            let text = if f.spec.kind.is_picker() {
                let sep = crate::text::t("tui.form.list_sep");
                f.selected_labels().join(sep)
            } else {
                f.input.value().to_string()
            };
            if text.is_empty() {
                if let Some(h) = hint {
                    put_str(buf, rect.x, rect.y, &ellipsize(h, w), w, theme.dim());
                }
            } else {
                put_str(buf, rect.x, rect.y, &ellipsize(&text, w), w, theme.text());
            }
            return None;
        }
        let style = theme.input_focused();
        fill(buf, rect.x, rect.y, w, style);
        let mut input_rect = rect;
        let mut show_hint = f.input.is_empty();
        if f.spec.kind.is_picker() {
            let prefix = picked_prefix(f, w.saturating_sub(QUERY_MIN));
            if !prefix.is_empty() {
                let pw = put_str(buf, rect.x, rect.y, &prefix, w, style);
                input_rect.x += pw as u16;
                input_rect.width = rect.width.saturating_sub(pw as u16);
                show_hint = false;
            }
        }
        let pos = f.input.render(input_rect, buf, style);
        if show_hint {
            if let Some(h) = hint {
                let hw = w.saturating_sub(1);
                put_str(
                    buf,
                    rect.x + 1,
                    rect.y,
                    &ellipsize(h, hw),
                    hw,
                    theme.dim().patch(style),
                );
            }
        }
        pos
    }

    fn render_option(
        f: &Field,
        k: usize,
        marks: &[Vec<usize>],
        rect: Rect,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let w = rect.width as usize;
        if f.matches.is_empty() {
            fill(buf, rect.x, rect.y, w, theme.text());
            let msg = crate::text::t("tui.form.no_match");
            put_str(
                buf,
                rect.x + 1,
                rect.y,
                msg,
                w.saturating_sub(1),
                theme.dim(),
            );
            return;
        }
        let idx = f.dropdown_top + k;
        let (Some(&opt), Some(choice)) = (
            f.matches.get(idx),
            f.matches.get(idx).and_then(|&o| f.options().get(o)),
        ) else {
            fill(buf, rect.x, rect.y, w, theme.text());
            return;
        };
        let style = if idx == f.highlight {
            theme.selected()
        } else {
            theme.text()
        };
        let prefix = match (f.spec.kind.is_multi(), f.selected.contains(&opt)) {
            (true, true) => " [x] ",
            (true, false) => " [ ] ",
            (false, _) => " ",
        };
        let shift = prefix.chars().count();
        let marked: Vec<usize> = marks
            .get(k)
            .map(|m| m.iter().map(|p| p + shift).collect())
            .unwrap_or_default();
        fill(buf, rect.x, rect.y, w, style);
        put_marked(
            buf,
            rect.x,
            rect.y,
            &format!("{prefix}{}", choice.label),
            w,
            (style, style.patch(theme.matched())),
            &marked,
        );
    }
}

/// The picked labels shown before a picker's query, in at most `max`
/// columns: the last ones that fit, after a `+N` count of the hidden ones.
fn picked_prefix(f: &Field, max: usize) -> String {
    let labels = f.selected_labels();
    if labels.is_empty() {
        return String::new();
    }
    let sep = if f.spec.kind.is_multi() {
        crate::text::t("tui.form.list_sep")
    } else {
        " "
    };
    for skip in 0..labels.len() {
        let shown = labels[skip..].join(sep);
        let text = if skip == 0 {
            format!("{shown} ")
        } else {
            format!("+{skip}{sep}{shown} ")
        };
        if str_width(&text) <= max {
            return text;
        }
    }
    let n = labels.len();
    let count = format!("+{n} ");
    if str_width(&count) <= max {
        count
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, Labeled, Lang, OrgType};
    use crate::tui::widgets::field::{Choice, FieldKind};
    use crossterm::event::{KeyCode, KeyModifiers};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_str(form: &mut Form, s: &str) {
        for c in s.chars() {
            assert!(form.handle_key(key(KeyCode::Char(c))), "{c}");
        }
    }

    fn options<T: Labeled>() -> Vec<Choice> {
        T::ALL
            .iter()
            .map(|v| Choice::new(v.key(), v.zh()))
            .collect()
    }

    fn sample() -> Form {
        crate::text::set_lang(Lang::Zh);
        let mut f = Form::new(
            "新增组织".into(),
            vec![
                FieldSpec::new("name", "名称", FieldKind::Text { max: 80 }).with_required(true),
                FieldSpec::new(
                    "type",
                    "类型",
                    FieldKind::Choice {
                        options: options::<OrgType>(),
                    },
                )
                .with_required(true),
                FieldSpec::new(
                    "domains",
                    "服务领域",
                    FieldKind::Multi {
                        options: options::<Domain>(),
                    },
                ),
                FieldSpec::new("founded", "成立日期", FieldKind::Date),
                FieldSpec::new("members", "成员数", FieldKind::Number { min: 0, max: 999 }),
                FieldSpec::new("credit_code", "统一社会信用代码", FieldKind::CreditCode),
                FieldSpec::new("phone", "联系电话", FieldKind::Phone),
            ],
        );
        f.set_today(today());
        f
    }

    fn lines(buf: &Buffer) -> Vec<String> {
        let mut out = Vec::new();
        for y in buf.area.top()..buf.area.bottom() {
            let mut s = String::new();
            let mut skip = 0;
            for x in buf.area.left()..buf.area.right() {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                s.push_str(sym);
                skip = str_width(sym).saturating_sub(1);
            }
            out.push(s.trim_end().to_string());
        }
        out
    }

    #[test]
    fn choice_filter_with_pinyin() {
        let mut f = sample();
        f.focus("type");
        type_str(&mut f, "jjh");
        assert!(f.dropdown_open());
        assert!(f.handle_key(key(KeyCode::Enter)));
        assert!(!f.dropdown_open());
        assert_eq!(
            f.value("type"),
            Some(&FieldValue::Choice(Some("foundation".into())))
        );
        // Tab (the caller's form.next) accepts the highlighted match.
        f.focus("type");
        type_str(&mut f, "sq");
        f.focus_next();
        assert_eq!(
            f.value("type"),
            Some(&FieldValue::Choice(Some("community".into())))
        );
        assert_eq!(f.focused_key(), "domains");
        assert!(f.is_dirty());
    }

    #[test]
    fn dropdown_keys() {
        let mut f = sample();
        f.focus("type");
        // Down with the dropdown closed belongs to the caller.
        assert!(!f.handle_key(key(KeyCode::Down)));
        assert!(f.handle_key(key(KeyCode::Enter)));
        assert!(f.dropdown_open());
        assert!(f.handle_key(key(KeyCode::Down)));
        assert!(f.handle_key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)));
        assert!(f.handle_key(key(KeyCode::Up)));
        assert!(f.handle_key(key(KeyCode::Enter)));
        assert_eq!(
            f.value("type"),
            Some(&FieldValue::Choice(Some("social-group".into())))
        );
        // Esc closes without changing.
        type_str(&mut f, "jj");
        assert!(f.handle_key(key(KeyCode::Esc)));
        assert!(!f.dropdown_open());
        assert_eq!(
            f.value("type"),
            Some(&FieldValue::Choice(Some("social-group".into())))
        );
        assert!(!f.handle_key(key(KeyCode::Esc)));
        // Browsing the list, then Tab, takes the highlighted option.
        assert!(f.handle_key(key(KeyCode::Enter)));
        assert!(f.handle_key(key(KeyCode::Down)));
        f.focus_next();
        assert_eq!(
            f.value("type"),
            Some(&FieldValue::Choice(Some("service-org".into())))
        );
        f.focus_prev();
        // A query that matches nothing, then Tab: nothing changes.
        type_str(&mut f, "qqqq");
        f.focus_next();
        assert_eq!(
            f.value("type"),
            Some(&FieldValue::Choice(Some("service-org".into())))
        );
    }

    #[test]
    fn multi_choice() {
        let mut f = sample();
        f.focus("domains");
        type_str(&mut f, "yl");
        assert!(f.handle_key(key(KeyCode::Enter)));
        type_str(&mut f, "zyfw");
        assert!(f.handle_key(key(KeyCode::Enter)));
        assert_eq!(
            f.value("domains"),
            Some(&FieldValue::Multi(vec![
                "elderly".into(),
                "volunteer".into()
            ]))
        );
        // Enter on a picked one removes it; Space toggles and stays open.
        type_str(&mut f, "yl");
        f.handle_key(key(KeyCode::Enter));
        assert_eq!(
            f.value("domains"),
            Some(&FieldValue::Multi(vec!["volunteer".into()]))
        );
        // Space opens the list on the current choice; Space toggles and
        // keeps the list open.
        f.handle_key(key(KeyCode::Char(' ')));
        assert!(f.dropdown_open());
        f.handle_key(key(KeyCode::Down));
        f.handle_key(key(KeyCode::Char(' ')));
        assert!(f.dropdown_open());
        assert_eq!(
            f.value("domains"),
            Some(&FieldValue::Multi(vec![
                "volunteer".into(),
                "neighbourhood".into()
            ]))
        );
        assert!(f.handle_key(key(KeyCode::Esc)));
        assert!(!f.dropdown_open());
        // Backspace with an empty query removes the last.
        assert!(f.handle_key(key(KeyCode::Backspace)));
        assert_eq!(
            f.value("domains"),
            Some(&FieldValue::Multi(vec!["volunteer".into()]))
        );
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 20));
        f.focus_next();
        f.render(buf.area, &mut buf, &Theme::monochrome());
        assert!(lines(&buf).iter().any(|l| l.ends_with("服务领域 志愿服务")));
    }

    #[test]
    fn date_field() {
        let mut f = sample();
        f.focus("founded");
        type_str(&mut f, "t");
        assert_eq!(f.value("founded"), Some(&FieldValue::Date(Some(today()))));
        f.handle_key(key(KeyCode::Backspace));
        type_str(&mut f, "-1");
        let yesterday = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(f.value("founded"), Some(&FieldValue::Date(Some(yesterday))));
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 20));
        f.render(buf.area, &mut buf, &Theme::monochrome());
        assert!(
            lines(&buf)
                .iter()
                .any(|l| l.contains("-1") && l.contains("= 2026-11-27")),
            "{:#?}",
            lines(&buf)
        );
        f.set_value("founded", FieldValue::Text(String::new()));
        type_str(&mut f, "11-3");
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(f.value("founded"), Some(&FieldValue::Date(Some(d))));
        f.set_value("founded", FieldValue::Text(String::new()));
        type_str(&mut f, "2026-02-30");
        assert_eq!(f.value("founded"), Some(&FieldValue::Date(None)));
        f.render(buf.area, &mut buf, &Theme::monochrome());
        assert!(lines(&buf).iter().any(|l| l.contains("日期无效")));
        // Leaving the field reports the error below it; validate too.
        f.focus_next();
        assert_eq!(
            f.error("founded"),
            Some(rule_message(&crate::model::Rule::Date).as_str())
        );
        f.set_value("name", FieldValue::Text("望江门社区银龄互助会".into()));
        f.set_value("type", FieldValue::Choice(Some("community".into())));
        assert!(!f.validate(today()));
        assert!(f.focus_first_error());
        assert_eq!(f.focused_key(), "founded");
    }

    #[test]
    fn credit_code_expected_check_character() {
        let mut f = sample();
        f.focus("credit_code");
        type_str(&mut f, "53100000500021676A");
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 20));
        f.render(buf.area, &mut buf, &Theme::monochrome());
        let expected = rule_message(&crate::model::Rule::CreditChecksum {
            pos: 18,
            expected: 'K',
        });
        assert!(
            lines(&buf).iter().any(|l| l.contains(&expected)),
            "{:#?}",
            lines(&buf)
        );
        f.handle_key(key(KeyCode::Backspace));
        type_str(&mut f, "k");
        f.render(buf.area, &mut buf, &Theme::monochrome());
        assert!(!lines(&buf).iter().any(|l| l.contains(&expected)));
    }

    #[test]
    fn required_name_error() {
        let mut f = sample();
        assert!(!f.validate(today()));
        let required = rule_message(&crate::model::Rule::Required);
        assert_eq!(f.error("name"), Some(required.as_str()));
        assert_eq!(f.error("type"), Some(required.as_str()));
        assert_eq!(f.error("phone"), None);
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 20));
        f.render(buf.area, &mut buf, &Theme::monochrome());
        let l = lines(&buf);
        assert!(l[0].contains("*名称"), "{l:#?}");
        assert_eq!(l[1].trim(), required, "{l:#?}");
        // Typing clears the field's error.
        type_str(&mut f, "湖滨");
        assert_eq!(f.error("name"), None);
        f.clear_errors();
        assert!(!f.has_errors());
    }

    #[test]
    fn caret_and_alignment() {
        let mut f = sample();
        type_str(&mut f, "社区");
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 20));
        let pos = f.render(buf.area, &mut buf, &Theme::monochrome()).unwrap();
        // "统一社会信用代码" is 16 columns: fields start at column 17.
        assert_eq!(pos, Position::new(17 + 4, 0));
        let l = lines(&buf);
        assert_eq!(l[0], "           *名称 社区");
        assert!(l.iter().any(|x| x == "统一社会信用代码"), "{l:#?}");
        // Labels end in the same column.
        for line in l.iter().take(7) {
            let label = line.split_whitespace().next().unwrap_or("");
            let lead = line.len() - line.trim_start().len();
            assert_eq!(lead + str_width(label), 16, "{line:?}");
        }
    }

    #[test]
    fn scrolls_to_keep_focus_visible() {
        let mut f = sample();
        let mut buf = Buffer::empty(Rect::new(0, 0, 60, 4));
        for _ in 0..6 {
            f.focus_next();
        }
        assert_eq!(f.focused_key(), "phone");
        let pos = f.render(buf.area, &mut buf, &Theme::monochrome()).unwrap();
        assert_eq!(pos.y, 3);
        let l = lines(&buf);
        assert!(l[3].contains("联系电话"), "{l:#?}");
        assert!(l[0].ends_with('^'), "{l:#?}");
        f.focus_next();
        let pos = f.render(buf.area, &mut buf, &Theme::monochrome()).unwrap();
        assert_eq!(pos.y, 0);
    }

    #[test]
    fn warning_and_store_errors() {
        let mut f = sample();
        f.set_warning("可能重复：望江门社区银龄互助会（BSJ-01-03）".into());
        f.set_error("credit_code", "已被 湖滨晴雨志愿队 使用".into());
        f.set_error("incubation_end", "结束日期不能早于开始日期".into());
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 20));
        f.render(buf.area, &mut buf, &Theme::monochrome());
        let l = lines(&buf);
        assert!(l[0].starts_with("可能重复"), "{l:#?}");
        assert!(l[1].starts_with("结束日期"), "{l:#?}");
        assert!(l.iter().any(|x| x.trim() == "已被 湖滨晴雨志愿队 使用"));
        f.clear_warning();
        f.clear_errors();
        assert!(f.warning().is_none() && !f.has_errors());
    }

    #[test]
    fn paste_never_submits() {
        let mut f = sample();
        assert!(f.paste("望江门\n社区\r\n"));
        assert_eq!(
            f.value("name"),
            Some(&FieldValue::Text("望江门 社区".into()))
        );
        assert_eq!(f.focused_key(), "name");
        // Into a picker, a paste filters.
        f.focus("type");
        f.paste("jjh\n");
        assert!(f.dropdown_open());
    }

    #[test]
    fn any_size_renders_without_panic() {
        let mut f = sample();
        f.set_warning("可能重复：望江门社区银龄互助会".into());
        f.set_error("incubation_end", "结束日期不能早于开始日期".into());
        f.validate(today());
        f.focus("domains");
        type_str(&mut f, "f");
        for w in 0..40 {
            for h in 0..8 {
                let mut buf = Buffer::empty(Rect::new(0, 0, 40, 8));
                if let Some(p) = f.render(Rect::new(0, 0, w, h), &mut buf, &Theme::colored()) {
                    assert!(p.x < w.max(1) && p.y < h, "{w}x{h}: {p:?}");
                }
            }
        }
    }

    #[test]
    fn draft_round_trip() {
        let mut f = sample();
        type_str(&mut f, "望江门社区银龄互助会");
        f.focus("domains");
        type_str(&mut f, "yl");
        f.handle_key(key(KeyCode::Enter));
        f.focus("founded");
        type_str(&mut f, "2026-02-30");
        let draft = f.to_draft();
        let json = serde_json::to_string(&draft).unwrap();
        let back: FormDraft = serde_json::from_str(&json).unwrap();
        let mut g = sample();
        assert!(!g.is_dirty());
        g.apply_draft(&back);
        assert!(g.is_dirty());
        assert_eq!(g.focused_key(), "founded");
        for k in ["name", "type", "domains", "founded", "members"] {
            assert_eq!(g.value(k), f.value(k), "{k}");
            assert_eq!(g.text(k), f.text(k), "{k}");
        }
        assert_eq!(g.text("founded"), Some("2026-02-30"));
        assert_eq!(g.to_draft(), draft);
    }
}
