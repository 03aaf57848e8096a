//! Drawing the 创投 pane: the round and its totals on the first line, the
//! projects (title, organization, state, score, amounts) on the left, the
//! selected project on the right; or the due list; forms over it all.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};

use crate::model::evaluation::points_text;
use crate::model::money::format as money;
use crate::model::venture::Condition;
use crate::model::Labeled;
use crate::text::{lang, t};
use crate::tr;
use crate::tui::popups::{centered, form_frame};
use crate::tui::widgets::list::render_rows;
use crate::tui::widgets::width::{ellipsize, fill, put_str, str_width, wrap};
use crate::tui::widgets::TitledBox;

use super::data::{AppRow, VentureData};
use super::{RenderCx, VenturePane};

const FORM_ROWS: u16 = 20;
const STATE_W: usize = 10;
const SCORE_W: usize = 5;
const MONEY_W: usize = 9;

fn split(area: Rect) -> [Rect; 3] {
    let (first, list, detail) = crate::tui::panes::layout::list_and_detail(area, 1, 70);
    [first, list, detail]
}

fn split_list(list: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(list)
}

/// Rows of the list in `area`.
pub fn list_rows(area: Rect) -> usize {
    split_list(split(area)[1])[1].height as usize
}

fn right(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(str_width(s))))
}

pub fn render(p: &VenturePane, area: Rect, buf: &mut Buffer, rx: &RenderCx) -> Option<Position> {
    let th = rx.theme;
    let w = area.width as usize;
    let Some(d) = &p.data else {
        let msg = p
            .error
            .clone()
            .unwrap_or_else(|| t("venture.tui.loading").to_string());
        put_str(buf, area.x + 1, area.y, &msg, w.saturating_sub(2), th.dim());
        return None;
    };
    let Some(round) = d.rounds.get(p.round) else {
        put_str(
            buf,
            area.x + 1,
            area.y,
            &tr!("venture.tui.no_rounds"),
            w.saturating_sub(2),
            th.dim(),
        );
        return None;
    };
    let line = tr!(
        "venture.tui.round_line",
        title = round.title,
        approved = round.approved,
        apps = round.applications,
        awarded = money(round.awarded_fen),
        budget = money(round.budget_fen),
        paid = money(round.paid_fen)
    );
    let pos = if d.rounds.len() > 1 {
        format!("  {}/{}", p.round + 1, d.rounds.len())
    } else {
        String::new()
    };
    put_str(
        buf,
        area.x + 1,
        area.y,
        &format!("{line}{pos}"),
        w.saturating_sub(2),
        th.title(),
    );
    let [_, list, detail] = split(area);
    if p.due {
        render_due(
            p,
            d,
            Rect::new(area.x, list.y, area.width, list.height),
            buf,
            rx,
        );
    } else {
        render_list(p, list, buf, rx);
        if let Some(a) = p.selected() {
            render_detail(a, detail, buf, rx);
        }
    }
    let form = p.form.as_ref()?;
    let popup = centered(area, 96, FORM_ROWS);
    let body = form_frame(popup, buf, form.title(), rx);
    form.render(body, buf, &th)
}

/// The columns that fit in `w`: (key, width, right-aligned). Title,
/// state and score always; the awarded amount, the organization and the
/// requested amount while there is room.
fn columns(w: usize) -> Vec<(&'static str, usize, bool)> {
    let mut cols = vec![
        ("title", 0, false),
        ("state", STATE_W, false),
        ("total", SCORE_W, true),
    ];
    let used = |c: &[(&str, usize, bool)]| c.iter().map(|(_, cw, _)| cw + 1).sum::<usize>() + 1;
    for (key, cw, min_title) in [
        ("awarded", MONEY_W, 12),
        ("org", 0, 16),
        ("requested", MONEY_W, 14),
    ] {
        let room = w.saturating_sub(used(&cols) + cw + 1);
        if room >= min_title + if key == "org" { 8 } else { 0 } {
            cols.push((key, cw, cw > 0));
        }
    }
    // Title and organization share what is left, three to two.
    let rest = w.saturating_sub(used(&cols));
    let has_org = cols.iter().any(|(k, _, _)| *k == "org");
    let org_w = if has_org { rest * 2 / 5 } else { 0 };
    for c in cols.iter_mut() {
        match c.0 {
            "title" => c.1 = rest - org_w,
            "org" => c.1 = org_w,
            _ => {}
        }
    }
    // In reading order.
    let order = ["title", "org", "state", "total", "requested", "awarded"];
    cols.sort_by_key(|(k, _, _)| order.iter().position(|o| o == k));
    cols
}

fn render_list(p: &VenturePane, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let th = rx.theme;
    let w = area.width as usize;
    let cols = columns(w);
    let put_row = |buf: &mut Buffer, y: u16, value: &dyn Fn(&str) -> String, style| {
        let mut x = 1;
        for (key, cw, r) in &cols {
            let s = ellipsize(&value(key), *cw);
            let s = if *r { right(&s, *cw) } else { s };
            put_str(buf, area.x + x as u16, y, &s, *cw, style);
            x += cw + 1;
        }
    };
    let [head, rows] = split_list(area);
    fill(buf, head.x, head.y, w, th.header());
    put_row(
        buf,
        head.y,
        &|k| t(&format!("venture.col.{k}")).to_string(),
        th.header(),
    );
    let apps = p.apps();
    if apps.is_empty() {
        put_str(
            buf,
            rows.x + 1,
            rows.y,
            t("venture.tui.no_apps"),
            w.saturating_sub(2),
            th.dim(),
        );
        return;
    }
    let l = lang();
    render_rows(&p.list, apps.len(), rows, 1, |i, row, selected| {
        let Some(a) = apps.get(i) else {
            return;
        };
        let style = if selected { th.selected() } else { th.text() };
        if selected {
            fill(buf, row.x, row.y, w, style);
        }
        let r = &a.record;
        let value = |k: &str| match k {
            "title" => r.title.clone(),
            "org" => a.org_name.clone(),
            "state" => r.state.label(l).to_string(),
            "total" => a.total.map(points_text).unwrap_or_default(),
            "requested" => money(r.requested_fen),
            "awarded" => r.awarded_fen.map(money).unwrap_or_default(),
            _ => String::new(),
        };
        put_row(buf, row.y, &value, style);
    });
}

fn render_detail(a: &AppRow, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let th = rx.theme;
    if area.width < 16 || area.height < 4 {
        return;
    }
    let inner = TitledBox::new(&a.record.title).render(area, buf, &th);
    let iw = inner.width as usize;
    let l = lang();
    let r = &a.record;
    // (text, dim): each wrapped to the box.
    let mut lines: Vec<(String, bool)> = Vec::new();
    let since = r
        .reached(r.state)
        .map(|d| tr!("venture.tui.since", date = d))
        .unwrap_or_default();
    lines.push((
        format!("{}  {}{since}", a.org_name, r.state.label(l)),
        false,
    ));
    let mut money_line = format!(
        "{} {} ~ {}  {} {}",
        t("venture.tui.period"),
        r.from,
        r.to,
        t("venture.col.requested"),
        money(r.requested_fen)
    );
    if let Some(aw) = r.awarded_fen {
        money_line.push_str(&format!("  {} {}", t("venture.col.awarded"), money(aw)));
    }
    if let Some(no) = &r.agreement {
        money_line.push_str(&format!("  {no}"));
    }
    lines.push((money_line, true));
    let mut score = tr!(
        "venture.tui.score",
        total = a.total.map(points_text).unwrap_or_else(|| "-".into())
    );
    if let Some(p) = a.proposed.filter(|p| *p > 0) {
        score.push_str(&format!("  {} {}", t("venture.proposed"), money(p)));
    }
    lines.push((score, false));
    for (stage, total) in [
        (crate::model::venture::Stage::Review, a.total),
        (crate::model::venture::Stage::Midterm, a.midterm),
        (crate::model::venture::Stage::Final, a.final_total),
    ] {
        let sheets: Vec<String> = a
            .sheets
            .iter()
            .filter(|s| s.stage == stage)
            .map(|s| {
                if s.recused {
                    format!("{}（{}）", s.reviewer, crate::text::field_label("recused"))
                } else {
                    format!("{} {}", s.reviewer, points_text(s.total))
                }
            })
            .collect();
        if sheets.is_empty() {
            continue;
        }
        let head = match (stage, total) {
            (crate::model::venture::Stage::Review, _) | (_, None) => stage.label(l).to_string(),
            (_, Some(t)) => format!("{} {}", stage.label(l), points_text(t)),
        };
        let value = sheets.join(t("tui.form.list_sep"));
        lines.push((
            tr!("venture.tui.labelled", label = head, value = value),
            true,
        ));
    }
    for tr_ in &a.tranches {
        let cond = Condition::parse(&tr_.condition)
            .map(|c| c.label(l))
            .unwrap_or("");
        let state = match (tr_.paid, tr_.payable) {
            (Some(d), _) => tr!("venture.tui.paid_on", date = d),
            (None, true) => t("venture.tui.payable").to_string(),
            (None, false) => String::new(),
        };
        // Before the award, the plan's share.
        let amount = if r.awarded_fen.is_some() {
            money(tr_.amount_fen)
        } else {
            format!("{}%", tr_.percent)
        };
        lines.push((
            tr!(
                "venture.tui.tranche",
                seq = tr_.seq,
                amount = amount,
                condition = cond,
                state = state
            ),
            false,
        ));
    }
    lines.push((
        tr!(
            "venture.figures",
            a = a.activities,
            p = a.participants,
            b = a.beneficiaries,
            h = crate::model::activity::tenths_text(a.hours_tenths)
        ),
        true,
    ));
    if !a.kpis.is_empty() {
        let kpis: Vec<String> = a
            .kpis
            .iter()
            .map(|(name, target, reached)| {
                let got = reached.map(|x| x.to_string()).unwrap_or_else(|| "-".into());
                format!("{name} {got}/{target}")
            })
            .collect();
        lines.push((
            tr!(
                "venture.tui.labelled",
                label = t("venture.tui.kpis"),
                value = kpis.join(t("tui.form.list_sep"))
            ),
            true,
        ));
    }
    for v in &a.visits {
        let follow = match (v.follow_up, v.closed) {
            (Some(f), false) => tr!("venture.tui.follow_up", date = f),
            _ => String::new(),
        };
        lines.push((
            format!("{} {} {} {follow}", v.date, v.kind, v.findings),
            false,
        ));
    }
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    for (text, dim) in &lines {
        let style = if *dim { th.dim() } else { th.text() };
        for part in wrap(text, iw) {
            if y >= bottom {
                return;
            }
            put_str(buf, inner.x, y, &part, iw, style);
            y += 1;
        }
    }
}

fn render_due(p: &VenturePane, d: &VentureData, area: Rect, buf: &mut Buffer, rx: &RenderCx) {
    let th = rx.theme;
    let w = area.width as usize;
    let [head, rows] = split_list(area);
    fill(buf, head.x, head.y, w, th.header());
    let title = tr!("venture.tui.due_title", n = d.due.len());
    put_str(
        buf,
        head.x + 1,
        head.y,
        &title,
        w.saturating_sub(2),
        th.header(),
    );
    if d.due.is_empty() {
        put_str(
            buf,
            rows.x + 1,
            rows.y,
            t("venture.tui.nothing_due"),
            w.saturating_sub(2),
            th.dim(),
        );
        return;
    }
    render_rows(&p.list, d.due.len(), rows, 1, |i, row, selected| {
        let Some(x) = d.due.get(i) else {
            return;
        };
        let style = if selected {
            th.selected()
        } else if x.late {
            th.error()
        } else {
            th.text()
        };
        if selected {
            fill(buf, row.x, row.y, w, style);
        }
        let date = x.date.map(|d| d.to_string()).unwrap_or_default();
        let late = if x.late { t("venture.tui.late") } else { "" };
        let text = format!("{date} {late} {}  {}  {}", x.what, x.title, x.org_name);
        put_str(buf, row.x + 1, row.y, &text, w.saturating_sub(2), style);
    });
}
