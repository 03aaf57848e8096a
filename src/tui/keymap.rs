//! Keymaps: TOML files with one section per context, each a list of
//! bindings `{ on = ["g", "g"], run = "list.top", desc = "..." }`.
//!
//! The shipped keymaps (`keymaps/*.toml`) are embedded in the binary;
//! `--keymap NAME|PATH` picks one (or a whole file of the user's), and
//! `keymap.toml` in the config directory is laid over it: its bindings
//! replace those on the same keys, add new ones, or unbind (`run = "noop"`).
//! Every error names the file and line.
//!
//! Help, the bottom bar and the which-key popup are generated from the
//! active keymap, so they are never out of date.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::action::{Action, Context};
use super::key::{show_seq, Code, Key};

/// The keymaps shipped with sanshe, by name.
pub const SHIPPED: &[(&str, &str)] = &[
    ("default", include_str!("../../keymaps/default.toml")),
    ("emacs", include_str!("../../keymaps/emacs.toml")),
    ("vim", include_str!("../../keymaps/vim.toml")),
];

/// Actions every keymap must reach, or the user could be locked in a popup.
const REQUIRED: &[(Context, Action)] = &[
    (Context::Global, Action::Quit),
    (Context::Global, Action::Help),
    (Context::Form, Action::FormSave),
    (Context::Form, Action::FormCancel),
    (Context::Confirm, Action::ConfirmYes),
    (Context::Confirm, Action::ConfirmNo),
    (Context::Help, Action::HelpClose),
    (Context::Picker, Action::PickerAccept),
    (Context::Picker, Action::PickerCancel),
    (Context::Search, Action::SearchAccept),
    (Context::Search, Action::SearchCancel),
];

/// One key binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The key sequence (one key, or a chord like `g g`).
    pub keys: Vec<Key>,
    pub action: Action,
    /// A text key (`tui.action.org.add`) or literal text; `None` uses the
    /// action's own description.
    pub desc: Option<String>,
    /// True when `desc` is a key of the text tables (decided at load).
    pub desc_is_key: bool,
    /// Line in the file it came from (for error messages).
    pub line: usize,
}

impl Binding {
    /// The description in the current language.
    pub fn describe(&self) -> String {
        match &self.desc {
            Some(d) if self.desc_is_key => crate::text::t(d).to_string(),
            Some(d) => d.clone(),
            None => crate::text::t(&self.action.text_key()).to_string(),
        }
    }
}

/// A keymap error: file, line (0 when the whole file is concerned) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for KeymapError {}

/// What a key sequence means in the active contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// A complete binding.
    Action(Action),
    /// The start of a chord: wait for the next key.
    Pending,
    /// Not bound.
    Unbound,
}

#[derive(Debug, Clone, Default)]
struct Section {
    bindings: Vec<Binding>,
    exact: HashMap<Vec<Key>, Action>,
    prefixes: HashSet<Vec<Key>>,
}

impl Section {
    fn rebuild(&mut self) {
        self.exact.clear();
        self.prefixes.clear();
        for b in &self.bindings {
            self.exact.insert(b.keys.clone(), b.action);
            for n in 1..b.keys.len() {
                self.prefixes.insert(b.keys[..n].to_vec());
            }
        }
    }
}

/// The active keymap.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    sections: BTreeMap<Context, Section>,
    /// Where it came from (`default`, a path), for messages.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionDe {
    #[serde(default)]
    keymap: Vec<EntryDe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryDe {
    on: Spanned<toml::Value>,
    run: Spanned<String>,
    #[serde(default)]
    desc: Option<String>,
}

type FileDe = BTreeMap<Spanned<String>, Spanned<SectionDe>>;

fn line_of(src: &str, span: &Range<usize>) -> usize {
    let end = span.start.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Keymap {
    /// The embedded default keymap.
    pub fn default_map() -> Result<Keymap, KeymapError> {
        Keymap::shipped("default").unwrap_or_else(|| {
            Err(KeymapError {
                file: "default".into(),
                line: 0,
                message: "missing".into(),
            })
        })
    }

    /// A shipped keymap by name, `None` if there is none of that name.
    pub fn shipped(name: &str) -> Option<Result<Keymap, KeymapError>> {
        SHIPPED.iter().find(|(n, _)| *n == name).map(|(n, src)| {
            let file = format!("keymaps/{n}.toml");
            Keymap::parse(src, &file).and_then(|k| k.check_complete(&file).map(|_| k))
        })
    }

    /// Loads the keymap to use: `choice` is a shipped name or a file path
    /// (`None`: the default); then `keymap.toml` in `config_dir`, if there
    /// is one, is laid over it.
    pub fn load(choice: Option<&str>, config_dir: Option<&Path>) -> Result<Keymap, KeymapError> {
        let name = choice.unwrap_or("default");
        let mut map = match Keymap::shipped(name) {
            Some(r) => r?,
            None => {
                let path = Path::new(name);
                if !path.exists() {
                    let shipped: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
                    return Err(KeymapError {
                        file: name.to_string(),
                        line: 0,
                        message: crate::tr!(
                            "tui.keymap.not_found",
                            name = name,
                            shipped = shipped.join(", ")
                        ),
                    });
                }
                let file = path.display().to_string();
                let src = read(path)?;
                let map = Keymap::parse(&src, &file)?;
                map.check_complete(&file)?;
                map
            }
        };
        if let Some(dir) = config_dir {
            let path = dir.join("keymap.toml");
            if path.exists() {
                let file = path.display().to_string();
                let src = read(&path)?;
                let user = Keymap::parse(&src, &file)?;
                map.overlay(user);
                map.check_complete(&file)?;
            }
        }
        Ok(map)
    }

    /// Parses and validates one keymap file. `file` names it in errors.
    pub fn parse(src: &str, file: &str) -> Result<Keymap, KeymapError> {
        let err = |span: Option<Range<usize>>, message: String| KeymapError {
            file: file.to_string(),
            line: span.map(|s| line_of(src, &s)).unwrap_or(0),
            message,
        };
        let de: FileDe = toml::from_str(src).map_err(|e| err(e.span(), e.message().to_string()))?;
        let mut map = Keymap {
            sections: BTreeMap::new(),
            source: file.to_string(),
        };
        for (name, section) in de {
            let Some(ctx) = Context::parse(name.get_ref()) else {
                let allowed: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                return Err(err(
                    Some(name.span()),
                    crate::tr!(
                        "tui.keymap.unknown_section",
                        name = name.get_ref(),
                        allowed = allowed.join(", ")
                    ),
                ));
            };
            let mut seen: HashMap<Vec<Key>, usize> = HashMap::new();
            let mut out = Section::default();
            for entry in section.into_inner().keymap {
                let on_span = entry.on.span();
                let line = line_of(src, &on_span);
                let keys =
                    parse_on(entry.on.get_ref()).map_err(|bad| err(Some(on_span.clone()), bad))?;
                let run_span = entry.run.span();
                let Some(action) = Action::parse(entry.run.get_ref().trim()) else {
                    return Err(err(
                        Some(run_span),
                        crate::tr!("tui.keymap.unknown_action", name = entry.run.get_ref()),
                    ));
                };
                if !action.allowed_in(ctx) {
                    let allowed: Vec<&str> = action.contexts().iter().map(|c| c.name()).collect();
                    return Err(err(
                        Some(run_span),
                        crate::tr!(
                            "tui.keymap.wrong_section",
                            name = action.name(),
                            section = ctx.name(),
                            allowed = allowed.join(", ")
                        ),
                    ));
                }
                if ctx.is_text() && keys[0].is_printable() && action != Action::Noop {
                    return Err(err(
                        Some(on_span),
                        crate::tr!(
                            "tui.keymap.typed",
                            key = keys[0].notation(),
                            section = ctx.name()
                        ),
                    ));
                }
                if let Some(first) = seen.get(&keys) {
                    return Err(err(
                        Some(on_span),
                        crate::tr!(
                            "tui.keymap.duplicate",
                            keys = show_seq(&keys),
                            section = ctx.name(),
                            first = first
                        ),
                    ));
                }
                if let Some(other) = out
                    .bindings
                    .iter()
                    .find(|b| is_prefix(&b.keys, &keys) || is_prefix(&keys, &b.keys))
                {
                    return Err(err(
                        Some(on_span),
                        crate::tr!(
                            "tui.keymap.prefix",
                            keys = show_seq(&keys),
                            other = show_seq(&other.keys),
                            first = other.line
                        ),
                    ));
                }
                seen.insert(keys.clone(), line);
                let desc_is_key = entry.desc.as_deref().is_some_and(is_text_key);
                out.bindings.push(Binding {
                    keys,
                    action,
                    desc: entry.desc,
                    desc_is_key,
                    line,
                });
            }
            out.rebuild();
            map.sections.insert(ctx, out);
        }
        Ok(map)
    }

    /// Lays `over` on this keymap: its bindings replace ours on the same
    /// keys (and on keys that would make a chord ambiguous), `noop` unbinds.
    pub fn overlay(&mut self, over: Keymap) {
        for (ctx, section) in over.sections {
            let base = self.sections.entry(ctx).or_default();
            for b in section.bindings {
                base.bindings
                    .retain(|old| !is_prefix(&old.keys, &b.keys) && !is_prefix(&b.keys, &old.keys));
                if b.action != Action::Noop {
                    base.bindings.push(b);
                }
            }
            base.rebuild();
        }
        self.source = format!("{} + {}", self.source, over.source);
    }

    /// Checks that the keymap reaches every action a user cannot do without.
    pub fn check_complete(&self, file: &str) -> Result<(), KeymapError> {
        for (ctx, action) in REQUIRED {
            if self.first_keys(&[*ctx], *action).is_none() {
                return Err(KeymapError {
                    file: file.to_string(),
                    line: 0,
                    message: crate::tr!(
                        "tui.keymap.missing",
                        name = action.name(),
                        section = ctx.name()
                    ),
                });
            }
        }
        Ok(())
    }

    /// What `seq` means in `contexts` (searched in order: the first context
    /// that knows the sequence, as a binding or a chord prefix, decides).
    pub fn lookup(&self, contexts: &[Context], seq: &[Key]) -> Lookup {
        for ctx in contexts {
            if let Some(s) = self.sections.get(ctx) {
                if let Some(a) = s.exact.get(seq) {
                    return if *a == Action::Noop {
                        Lookup::Unbound
                    } else {
                        Lookup::Action(*a)
                    };
                }
                if s.prefixes.contains(seq) {
                    return Lookup::Pending;
                }
            }
        }
        Lookup::Unbound
    }

    /// [`lookup`](Self::lookup) for a sequence as typed: when it is not
    /// bound and its last key is a character a Chinese input method sends
    /// for an ASCII key (`、` for `/`, `？` for `?`, full-width forms), the
    /// sequence with that ASCII key instead. Returns the sequence that
    /// decided.
    pub fn lookup_typed(&self, contexts: &[Context], seq: Vec<Key>) -> (Lookup, Vec<Key>) {
        let found = self.lookup(contexts, &seq);
        if found != Lookup::Unbound {
            return (found, seq);
        }
        let Some(twin) = seq.last().and_then(|k| ascii_twin(*k)) else {
            return (found, seq);
        };
        let mut other = seq.clone();
        if let Some(last) = other.last_mut() {
            *last = twin;
        }
        match self.lookup(contexts, &other) {
            Lookup::Unbound => (found, seq),
            f => (f, other),
        }
    }

    /// The bindings of one section, in file order.
    pub fn bindings(&self, ctx: Context) -> &[Binding] {
        self.sections
            .get(&ctx)
            .map(|s| s.bindings.as_slice())
            .unwrap_or(&[])
    }

    /// The first binding of `action` in `contexts` that is not shadowed by a
    /// context searched earlier.
    pub fn first_binding(&self, contexts: &[Context], action: Action) -> Option<&Binding> {
        for (i, ctx) in contexts.iter().enumerate() {
            for b in self.bindings(*ctx) {
                if b.action == action
                    && matches!(self.lookup(&contexts[..=i], &b.keys), Lookup::Action(a) if a == action)
                {
                    return Some(b);
                }
            }
        }
        None
    }

    /// The keys of the first binding of `action` in `contexts`.
    pub fn first_keys(&self, contexts: &[Context], action: Action) -> Option<&[Key]> {
        self.first_binding(contexts, action)
            .map(|b| b.keys.as_slice())
    }

    /// Every key sequence bound to `action` in `ctx`.
    pub fn keys_of(&self, ctx: Context, action: Action) -> Vec<&[Key]> {
        self.bindings(ctx)
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.keys.as_slice())
            .collect()
    }

    /// Bindings that continue the chord `prefix` in `contexts` (for the
    /// which-key popup): the next key and the binding.
    pub fn continuations(&self, contexts: &[Context], prefix: &[Key]) -> Vec<(Key, &Binding)> {
        let mut out: Vec<(Key, &Binding)> = Vec::new();
        for ctx in contexts {
            for b in self.bindings(*ctx) {
                if b.keys.len() > prefix.len()
                    && b.keys.starts_with(prefix)
                    && matches!(self.lookup(contexts, &b.keys), Lookup::Action(a) if a == b.action)
                    && !out.iter().any(|(k, _)| *k == b.keys[prefix.len()])
                {
                    out.push((b.keys[prefix.len()], b));
                }
            }
        }
        out
    }
}

/// The ASCII key a Chinese input method's punctuation mode sends another
/// character for: `、` for `/`, `。` for `.`, `《》` for `<>`, `【】` for
/// `[]`, `·` for `` ` ``, `￥` for `$`, curly quotes, and the full-width
/// forms of every ASCII character (`？` for `?`, `（` for `(`).
pub fn ascii_twin(key: Key) -> Option<Key> {
    let Code::Char(c) = key.code else {
        return None;
    };
    let twin = match c {
        '、' => '/',
        '。' => '.',
        '《' => '<',
        '》' => '>',
        '【' | '「' => '[',
        '】' | '」' => ']',
        '·' => '`',
        '￥' => '$',
        '‘' | '’' => '\'',
        '“' | '”' => '"',
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0)?,
        _ => return None,
    };
    Some(Key {
        code: Code::Char(twin),
        ..key
    })
}

/// True if `s` is a key of the text tables (`tui.action.org.add`), not
/// literal text.
fn is_text_key(s: &str) -> bool {
    s.contains('.')
        && !s.contains(char::is_whitespace)
        && crate::text::t_in(crate::model::Lang::Zh, s) != s
}

fn is_prefix(a: &[Key], b: &[Key]) -> bool {
    a.len() <= b.len() && b.starts_with(a)
}

fn read(path: &Path) -> Result<String, KeymapError> {
    std::fs::read_to_string(path).map_err(|e| KeymapError {
        file: path.display().to_string(),
        line: 0,
        message: crate::tr!("tui.keymap.read", error = e),
    })
}

/// `on = "a"` or `on = ["g", "g"]`.
fn parse_on(v: &toml::Value) -> Result<Vec<Key>, String> {
    let parts: Vec<&str> = match v {
        toml::Value::String(s) => vec![s.as_str()],
        toml::Value::Array(a) => {
            let mut out = Vec::new();
            for item in a {
                match item.as_str() {
                    Some(s) => out.push(s),
                    None => return Err(crate::tr!("tui.keymap.bad_on")),
                }
            }
            out
        }
        _ => return Err(crate::tr!("tui.keymap.bad_on")),
    };
    if parts.is_empty() {
        return Err(crate::tr!("tui.keymap.bad_on"));
    }
    parts
        .iter()
        .map(|p| Key::parse(p).ok_or_else(|| crate::tr!("tui.keymap.unknown_key", key = p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() {
        crate::text::set_lang(crate::model::Lang::En);
    }

    #[test]
    fn every_shipped_keymap_parses_and_is_complete() {
        for (name, _) in SHIPPED {
            let k = Keymap::shipped(name).unwrap();
            if let Err(e) = k {
                panic!("{name}: {e}");
            }
        }
    }

    #[test]
    fn default_keeps_the_documented_keys() {
        let k = Keymap::default_map().unwrap();
        let normal = [Context::Orgs, Context::List, Context::Global];
        let expect = [
            ("q", Action::Quit),
            ("?", Action::Help),
            ("/", Action::SearchStart),
            ("<Esc>", Action::FilterClear),
            ("<Tab>", Action::PaneNext),
            ("1", Action::Pane1),
            ("9", Action::Pane9),
            ("0", Action::Pane10),
            ("a", Action::OrgAdd),
            ("e", Action::OrgEdit),
            ("<Enter>", Action::OrgEdit),
            ("d", Action::OrgDelete),
            ("u", Action::Undo),
            ("j", Action::Down),
            ("k", Action::Up),
            ("<Down>", Action::Down),
            ("<Up>", Action::Up),
            ("g", Action::Top),
            ("G", Action::Bottom),
            ("<Home>", Action::Top),
            ("<End>", Action::Bottom),
            ("<PageUp>", Action::PageUp),
            ("<PageDown>", Action::PageDown),
        ];
        for (key, action) in expect {
            let key = Key::parse(key).unwrap();
            assert_eq!(k.lookup(&normal, &[key]), Lookup::Action(action), "{key}");
        }
        assert_eq!(
            k.lookup(&[Context::Form], &[Key::ctrl('s')]),
            Lookup::Action(Action::FormSave)
        );
        assert_eq!(
            k.lookup(&[Context::Form], &[Key::plain(Code::Esc)]),
            Lookup::Action(Action::FormCancel)
        );
        assert_eq!(
            k.lookup(&[Context::Search], &[Key::plain(Code::Esc)]),
            Lookup::Action(Action::SearchCancel)
        );
        assert_eq!(
            k.lookup(&[Context::Search], &[Key::plain(Code::Enter)]),
            Lookup::Action(Action::SearchAccept)
        );
    }

    #[test]
    fn chinese_punctuation_finds_the_ascii_binding() {
        let k = Keymap::default_map().unwrap();
        let normal = vec![Context::Orgs, Context::List, Context::Global];
        let typed = |c: char| k.lookup_typed(&normal, vec![Key::ch(c)]);
        assert_eq!(
            typed('、'),
            (Lookup::Action(Action::SearchStart), vec![Key::ch('/')])
        );
        assert_eq!(typed('？').0, Lookup::Action(Action::Help));
        assert_eq!(typed('／').0, Lookup::Action(Action::SearchStart));
        // A chord goes on with the full-width minus.
        let (l, seq) = k.lookup_typed(&normal, vec![Key::ch('s'), Key::ch('－')]);
        assert_eq!(l, Lookup::Action(Action::SortReverse));
        assert_eq!(seq, vec![Key::ch('s'), Key::ch('-')]);
        // Bound as typed wins; Chinese characters have no twin.
        assert_eq!(typed('/').0, Lookup::Action(Action::SearchStart));
        assert_eq!(typed('社').0, Lookup::Unbound);
        assert_eq!(ascii_twin(Key::plain(Code::Esc)), None);
    }

    #[test]
    fn unknown_action_is_reported_with_file_and_line() {
        en();
        let src = "[orgs]\nkeymap = [\n  { on = \"a\", run = \"org.add\" },\n  { on = \"b\", run = \"org.fly\" },\n]\n";
        let e = Keymap::parse(src, "my.toml").unwrap_err();
        assert_eq!(e.file, "my.toml");
        assert_eq!(e.line, 4);
        assert!(e.message.contains("org.fly"), "{e}");
        assert!(e.to_string().starts_with("my.toml:4: "), "{e}");
    }

    #[test]
    fn duplicate_key_is_reported_with_both_lines() {
        en();
        let src = "[orgs]\nkeymap = [\n  { on = \"a\", run = \"org.add\" },\n\n  { on = \"a\", run = \"org.edit\" },\n]\n";
        let e = Keymap::parse(src, "dup.toml").unwrap_err();
        assert_eq!(e.line, 5);
        assert!(e.message.contains("line 3"), "{e}");
    }

    #[test]
    fn unknown_key_section_and_wrong_section() {
        en();
        let e = Keymap::parse(
            "[orgs]\nkeymap = [ { on = \"<Hyper-a>\", run = \"org.add\" } ]\n",
            "k.toml",
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("<Hyper-a>"), "{e}");
        let e = Keymap::parse("[nope]\nkeymap = []\n", "k.toml").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("nope"), "{e}");
        let e = Keymap::parse(
            "[orgs]\nkeymap = [\n { on = \"s\", run = \"form.save\" } ]\n",
            "k.toml",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("form.save"), "{e}");
        let e = Keymap::parse("[orgs]\nkeymap = [ { on = \"a\" } ]\n", "k.toml").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = Keymap::parse(
            "[form]\nkeymap = [ { on = \"x\", run = \"form.save\" } ]\n",
            "k.toml",
        )
        .unwrap_err();
        assert!(e.message.contains("typed"), "{e}");
    }

    #[test]
    fn chord_prefix_conflicts_are_errors() {
        en();
        let src = "[list]\nkeymap = [\n { on = \"g\", run = \"list.top\" },\n { on = [\"g\", \"g\"], run = \"list.bottom\" },\n]\n";
        let e = Keymap::parse(src, "k.toml").unwrap_err();
        assert_eq!(e.line, 4);
    }

    #[test]
    fn chords_pending_then_action() {
        let src = "[list]\nkeymap = [\n { on = [\"g\", \"g\"], run = \"list.top\" },\n { on = [\"g\", \"e\"], run = \"list.bottom\" },\n]\n";
        let k = Keymap::parse(src, "k.toml").unwrap();
        let g = Key::ch('g');
        assert_eq!(k.lookup(&[Context::List], &[g]), Lookup::Pending);
        assert_eq!(
            k.lookup(&[Context::List], &[g, g]),
            Lookup::Action(Action::Top)
        );
        assert_eq!(
            k.lookup(&[Context::List], &[g, Key::ch('x')]),
            Lookup::Unbound
        );
        let next = k.continuations(&[Context::List], &[g]);
        assert_eq!(next.len(), 2);
        assert_eq!(next[1].0, Key::ch('e'));
    }

    #[test]
    fn user_overlay_overrides_adds_and_unbinds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("keymap.toml"),
            "[orgs]\nkeymap = [\n { on = \"n\", run = \"org.add\" },\n { on = \"a\", run = \"noop\" },\n { on = \"d\", run = \"org.edit\" },\n]\n",
        )
        .unwrap();
        let k = Keymap::load(None, Some(dir.path())).unwrap();
        let ctx = [Context::Orgs];
        assert_eq!(
            k.lookup(&ctx, &[Key::ch('n')]),
            Lookup::Action(Action::OrgAdd)
        );
        assert_eq!(k.lookup(&ctx, &[Key::ch('a')]), Lookup::Unbound);
        assert_eq!(
            k.lookup(&ctx, &[Key::ch('d')]),
            Lookup::Action(Action::OrgEdit)
        );
        // Other sections are untouched.
        assert_eq!(
            k.lookup(&[Context::Global], &[Key::ch('q')]),
            Lookup::Action(Action::Quit)
        );
    }

    #[test]
    fn user_overlay_cannot_remove_the_way_out() {
        en();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("keymap.toml"),
            "[form]\nkeymap = [ { on = \"<Esc>\", run = \"noop\" } ]\n",
        )
        .unwrap();
        let e = Keymap::load(None, Some(dir.path())).unwrap_err();
        assert!(e.message.contains("form.cancel"), "{e}");
        assert!(e.file.ends_with("keymap.toml"), "{e}");
    }

    #[test]
    fn select_by_name_or_path() {
        en();
        let k = Keymap::load(Some("emacs"), None).unwrap();
        assert_eq!(
            k.lookup(&[Context::List], &[Key::ctrl('n')]),
            Lookup::Action(Action::Down)
        );
        let e = Keymap::load(Some("/nonexistent/keys.toml"), None).unwrap_err();
        assert!(e.message.contains("default"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("mine.toml");
        std::fs::write(&p, SHIPPED[0].1).unwrap();
        let k = Keymap::load(Some(p.to_str().unwrap()), None).unwrap();
        assert!(k.source.contains("mine.toml"));
    }

    #[test]
    fn descriptions_are_text_keys_or_literal_text() {
        let src = "[orgs]\nkeymap = [\n { on = \"a\", run = \"org.add\", desc = \"tui.action.org.edit\" },\n { on = \"b\", run = \"org.edit\", desc = \"新建一条\" },\n { on = \"c\", run = \"org.delete\" },\n]\n";
        let k = Keymap::parse(src, "k.toml").unwrap();
        crate::text::set_lang(crate::model::Lang::En);
        let b = k.bindings(Context::Orgs);
        assert_eq!(b[0].describe(), "edit");
        assert_eq!(b[1].describe(), "新建一条");
        assert_eq!(b[2].describe(), "delete");
    }

    #[test]
    fn shadowed_bindings_are_not_advertised() {
        let k = Keymap::default_map().unwrap();
        let b = k
            .first_binding(
                &[Context::Orgs, Context::List, Context::Global],
                Action::Quit,
            )
            .unwrap();
        assert_eq!(b.keys, vec![Key::ch('q')]);
    }
}
