//! Keymap files: every file in `keymaps/` parses, is complete and is
//! shipped (embedded); errors in a user's file name the file and the line.

use sanshe::model::Lang;
use sanshe::tui::keymap::{Keymap, SHIPPED};

#[test]
fn every_file_in_keymaps_parses_and_is_shipped() {
    sanshe::text::set_lang(Lang::En);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        seen += 1;
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let src = std::fs::read_to_string(&path).unwrap();
        let file = path.display().to_string();
        let k = Keymap::parse(&src, &file).unwrap_or_else(|e| panic!("{e}"));
        k.check_complete(&file).unwrap_or_else(|e| panic!("{e}"));
        let shipped = SHIPPED.iter().find(|(n, _)| *n == name);
        assert!(shipped.is_some(), "{name}.toml is not embedded in SHIPPED");
        assert_eq!(
            shipped.unwrap().1,
            src,
            "{name}.toml differs from the embedded copy"
        );
        // Selecting it by path works as by name.
        assert!(Keymap::load(Some(path.to_str().unwrap()), None).is_ok());
        assert!(Keymap::load(Some(&name), None).is_ok());
    }
    assert_eq!(seen, SHIPPED.len());
}

#[test]
fn errors_in_a_user_keymap_name_the_file_and_line() {
    sanshe::text::set_lang(Lang::En);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(
        &path,
        "# my keys\n[orgs]\nkeymap = [\n  { on = \"n\", run = \"org.add\" },\n  { on = \"x\", run = \"org.explode\" },\n]\n",
    )
    .unwrap();
    let e = Keymap::load(None, Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with(&format!("{}:5: ", path.display())), "{e}");
    assert!(e.contains("org.explode"), "{e}");

    std::fs::write(
        &path,
        "[list]\nkeymap = [\n  { on = \"J\", run = \"list.down\" },\n  { on = \"J\", run = \"list.up\" },\n]\n",
    )
    .unwrap();
    let e = Keymap::load(None, Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with(&format!("{}:4: ", path.display())), "{e}");
    assert!(e.contains("bound twice") && e.contains("line 3"), "{e}");

    std::fs::write(
        &path,
        "[list]\nkeymap = [\n  { on = \"<Ctrl-j>\", run = \"list.down\" },\n]\n",
    )
    .unwrap();
    let e = Keymap::load(None, Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(e.contains(":3: ") && e.contains("<Ctrl-j>"), "{e}");

    std::fs::write(&path, "[list\nkeymap = []\n").unwrap();
    let e = Keymap::load(None, Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(e.contains(":1: "), "{e}");
}
