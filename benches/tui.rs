//! The terminal app on 100,000 generated organizations (`demo::generate`)
//! at 120x40: one key handled and the screen drawn on ratatui's
//! `TestBackend`, for Down, PageDown and a search keystroke; and the app's
//! share of start-up (taking the loaded rows, sorting them, first frame).
//!
//! The store is replaced by an in-memory map answering the app's detail
//! requests (the store's own reads are measured by `benches/store.rs`),
//! so these figures are the app's work: update + render.
//!
//! `cargo bench --bench tui` (add `-- --quick` for a short run).

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use sanshe::model::{Lang, Organization, Place, Record};
use sanshe::search::NameIndex;
use sanshe::tui::app::{App, Effect};
use sanshe::tui::keymap::Keymap;
use sanshe::tui::panes::orgs::rows::{OrgRow, PlaceNames};
use sanshe::tui::theme::Theme;
use sanshe::tui::ui;
use sanshe::tui::worker::{build_rows, Request, Response};

const N: usize = 100_000;

struct Data {
    places: Vec<Place>,
    rows: Vec<OrgRow>,
    orgs: HashMap<String, Organization>,
}

fn data() -> Data {
    let mut places = Vec::new();
    let mut orgs = Vec::new();
    for (i, r) in sanshe::demo::generate(N, 1).into_iter().enumerate() {
        match r {
            Record::Place(p) => places.push(p),
            Record::Org(o) => orgs.push((format!("bench-{i}"), o)),
            _ => {}
        }
    }
    let names = PlaceNames::new(&places);
    let rows = build_rows(&orgs, &names);
    Data {
        places,
        rows,
        orgs: orgs.into_iter().collect(),
    }
}

/// An app holding the data, with its search index, at 120x40.
fn app(d: &Data) -> App {
    sanshe::text::set_lang(Lang::Zh);
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let mut app = App::new(Keymap::default_map().unwrap(), Theme::colored(), today);
    app.resize(120, 40);
    app.on_store(Response::Places(d.places.clone()));
    let fx = app.on_store(Response::Loaded {
        rows: d.rows.clone(),
    });
    answer(&mut app, d, fx);
    let mut index = NameIndex::new();
    for (i, r) in d.rows.iter().enumerate() {
        index.insert(i as u32, &r.name);
    }
    let fx = app.on_store(Response::Index(index));
    answer(&mut app, d, fx);
    app
}

/// Answers detail requests from memory, as the worker would from the store.
fn answer(app: &mut App, d: &Data, fx: Vec<Effect>) {
    for e in fx {
        if let Effect::Store(Request::Detail { id }) = e {
            let org = d.orgs.get(&id).cloned().map(Box::new);
            let more = app.on_store(Response::Detail {
                id,
                org,
                superseded: false,
            });
            answer(app, d, more);
        }
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Handles one key (answering the detail request) and draws.
fn press(app: &mut App, d: &Data, term: &mut Terminal<TestBackend>, k: KeyEvent) {
    let fx = app.on_key(k);
    answer(app, d, fx);
    term.draw(|f| ui::draw(app, f)).unwrap();
}

fn benches(c: &mut Criterion) {
    let d = data();
    let mut g = c.benchmark_group("tui_100k");
    g.sample_size(50);

    g.bench_function("start_rows_to_first_frame", |b| {
        b.iter_batched(
            || (d.places.clone(), d.rows.clone()),
            |(places, rows)| {
                sanshe::text::set_lang(Lang::Zh);
                let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
                let mut app = App::new(Keymap::default_map().unwrap(), Theme::colored(), today);
                app.resize(120, 40);
                app.on_store(Response::Places(places));
                let fx = app.on_store(Response::Loaded { rows });
                answer(&mut app, &d, fx);
                let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
                term.draw(|f| ui::draw(&app, f)).unwrap();
                black_box(app.panes.orgs.view.len())
            },
            BatchSize::LargeInput,
        )
    });

    let mut a = app(&d);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| ui::draw(&a, f)).unwrap();

    g.bench_function("down_update_and_draw", |b| {
        b.iter(|| {
            if a.panes.orgs.list.sel + 2 >= a.panes.orgs.view.len() {
                press(&mut a, &d, &mut term, key(KeyCode::Home));
            }
            press(&mut a, &d, &mut term, key(KeyCode::Down));
        })
    });

    g.bench_function("pagedown_update_and_draw", |b| {
        b.iter(|| {
            if a.panes.orgs.list.sel + a.panes.orgs.page + 2 >= a.panes.orgs.view.len() {
                press(&mut a, &d, &mut term, key(KeyCode::Home));
            }
            press(&mut a, &d, &mut term, key(KeyCode::PageDown));
        })
    });

    // Search keystrokes, timed one by one (the key that restores the state
    // before the next sample is not timed): the first letter (the largest
    // result, ~40% of all names), and a third letter narrowing the second.
    press(&mut a, &d, &mut term, key(KeyCode::Home));
    press(&mut a, &d, &mut term, key(KeyCode::Char('/')));
    g.bench_function("search_first_letter_w", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                press(&mut a, &d, &mut term, key(KeyCode::Char('w')));
                total += t.elapsed();
                press(&mut a, &d, &mut term, key(KeyCode::Backspace));
            }
            total
        })
    });
    press(&mut a, &d, &mut term, key(KeyCode::Char('w')));
    press(&mut a, &d, &mut term, key(KeyCode::Char('j')));
    g.bench_function("search_third_letter_wjm", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                press(&mut a, &d, &mut term, key(KeyCode::Char('m')));
                total += t.elapsed();
                press(&mut a, &d, &mut term, key(KeyCode::Backspace));
            }
            total
        })
    });
    g.finish();
}

criterion_group!(tui, benches);
criterion_main!(tui);
