//! Bytes written to the terminal per key, measured on the real drawing
//! path (`Screen`, the same code that writes to the terminal) at 120x40 on
//! the demo township: a regression guard for the slow-link budget of issue
//! [2/5] (first screen <= 12,000 bytes, Down <= 800 with the detail panel,
//! PageDown <= 6,000, nothing while idle). The figures for 100,000
//! organizations, measured with ttymeter, are in docs/PERFORMANCE.md.

use crate::tui_support::Harness;
use ratatui::layout::Rect;
use sanshe::model::Lang;
use sanshe::tui::screen::Screen;
use sanshe::tui::ui;

fn draw(h: &Harness, s: &mut Screen<Vec<u8>>) -> usize {
    let area = Rect::new(0, 0, 120, 40);
    s.writer_mut().clear();
    s.draw(area, |buf| ui::render(&h.app, area, buf)).unwrap()
}

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v[v.len() / 2]
}

#[test]
fn bytes_per_key_stay_within_budget() {
    for lang in [Lang::Zh, Lang::En] {
        let mut h = Harness::demo(lang, 120, 40);
        let mut s = Screen::new(Vec::new());
        let first = draw(&h, &mut s);
        assert!(first <= 12_000, "first screen {first} bytes");
        assert_eq!(draw(&h, &mut s), 0, "an unchanged frame writes nothing");
        let downs: Vec<usize> = (0..20)
            .map(|_| {
                h.key("<Down>");
                draw(&h, &mut s)
            })
            .collect();
        let pages: Vec<usize> = (0..5)
            .map(|_| {
                h.key("<PageDown>");
                draw(&h, &mut s)
            })
            .collect();
        let (md, mp) = (median(downs.clone()), median(pages.clone()));
        println!(
            "{lang:?}: first {first}, Down median {md} {downs:?}, PageDown median {mp} {pages:?}"
        );
        assert!(md <= 800, "Down median {md}: {downs:?}");
        assert!(mp <= 6_000, "PageDown median {mp}: {pages:?}");
    }
}

#[test]
fn typing_in_a_form_costs_little() {
    let mut h = Harness::demo(Lang::Zh, 120, 40);
    let mut s = Screen::new(Vec::new());
    draw(&h, &mut s);
    h.key("a");
    draw(&h, &mut s);
    let per_char: Vec<usize> = "望江门社区"
        .chars()
        .map(|c| {
            h.type_text(&c.to_string());
            draw(&h, &mut s)
        })
        .collect();
    println!("form typing: {per_char:?}");
    assert!(median(per_char) <= 100);
}
