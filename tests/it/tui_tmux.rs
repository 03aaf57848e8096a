//! End to end in tmux: the real binary in a detached tmux session of
//! 120x40, driven with `send-keys` (Chinese typed with `-l`), read with
//! `capture-pane`. Skipped, with a message, when tmux is not installed.
//!
//! - add an organization with a Chinese name through the form, save, quit,
//!   and find it with `sanshe org list --format json`;
//! - SIGTERM while a form is open: the terminal is restored (alternate
//!   screen left, cursor shown, raw mode off) and the form kept as a draft;
//! - the tmux pane closed (SIGHUP, as when SSH drops): the draft is kept;
//! - kill -9 right after 已保存: the saved organization is still there.

use crate::tmux_support::*;

#[test]
fn add_an_organization_with_a_chinese_name_then_list_it() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    assert_eq!(
        t.format("#{alternate_on}"),
        "1",
        "the app uses the alternate screen"
    );
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("测试社区读书会");
    t.wait_for("测试社区读书会");
    t.keys(&["C-s"]);
    t.wait_for("已保存");
    t.wait_for("183/183");
    t.keys(&["q"]);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");
    assert_eq!(t.format("#{alternate_on}"), "0");
    let json = sanshe(&t.db(), &["org", "list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let found = list
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "测试社区读书会")
        .unwrap_or_else(|| panic!("not in the list: {json}"));
    assert_eq!(found["type"], "community");
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_form_as_a_draft() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("半截表单");
    t.wait_for("半截表单");
    assert_eq!(
        t.format("#{cursor_flag}"),
        "1",
        "the cursor is at the caret"
    );
    let pid = t.app_pid();
    kill(pid, libc::SIGTERM);
    let screen = t.wait_for("SANSHE-DONE");
    assert!(screen.contains("SANSHE-EXIT 0"), "{screen}");
    // Raw mode is off: canonical input and echo are back.
    let modes: Vec<&str> = screen.lines().map(str::trim).collect();
    assert!(modes.contains(&"icanon"), "{screen}");
    assert!(modes.contains(&"echo"), "{screen}");
    assert_eq!(t.format("#{alternate_on}"), "0", "alternate screen left");
    assert_eq!(t.format("#{cursor_flag}"), "1", "cursor shown");
    assert!(
        !screen.contains("新增组织"),
        "the app's screen is gone:\n{screen}"
    );
    let draft =
        std::fs::read_to_string(t.db().join("drafts").join("org-form.json")).expect("draft kept");
    assert!(draft.contains("半截表单"), "{draft}");
    // The next start offers the draft back (the database moved while no
    // server holds it).
    let t2 = Tmux::new();
    crate::cli_support::stop_server(&t.db());
    std::fs::rename(t.db(), t2.db()).unwrap();
    t2.start();
    t2.wait_for("继续填写吗");
    t2.keys(&["y"]);
    t2.wait_for("半截表单");
    t2.keys(&["C-s"]);
    t2.wait_for("183/183");
    t2.keys(&["q"]);
    t2.wait_for("SANSHE-DONE");
    assert!(!t2.db().join("drafts").join("org-form.json").exists());
}

#[test]
fn a_dropped_connection_keeps_the_form_as_a_draft() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("断线草稿");
    t.wait_for("断线草稿");
    let pid = t.app_pid();
    // Closing the pane hangs up its terminal, as an SSH drop does.
    t.tmux(&["kill-pane", "-t", "main"]);
    wait_gone(pid);
    let draft =
        std::fs::read_to_string(t.db().join("drafts").join("org-form.json")).expect("draft kept");
    assert!(draft.contains("断线草稿"), "{draft}");
}

/// Every pane's form is kept too: activity quick entry, open in pane 3
/// when the connection drops, comes back at the next start in its pane.
#[test]
fn a_dropped_connection_keeps_a_pane_form_as_a_draft() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["3"]);
    t.wait_for("共");
    t.keys(&["a"]);
    t.wait_for("记录活动");
    t.keys(&["Tab", "Tab"]);
    t.type_text("半截活动");
    t.wait_for("半截活动");
    let pid = t.app_pid();
    t.tmux(&["kill-pane", "-t", "main"]);
    wait_gone(pid);
    let path = t.db().join("drafts").join("activity-form.json");
    let draft = std::fs::read_to_string(&path).expect("activity draft");
    assert!(draft.contains("半截活动"), "{draft}");
    // The next start offers it back, in pane 3 (the database moved while
    // no server holds it).
    let t2 = Tmux::new();
    crate::cli_support::stop_server(&t.db());
    std::fs::rename(t.db(), t2.db()).unwrap();
    t2.start();
    t2.wait_for("继续填写吗");
    t2.keys(&["y"]);
    // The form itself (the question named it too): its organization field.
    let screen = t2.wait_for("拼音首字母");
    assert!(screen.contains("半截活动"), "{screen}");
    t2.keys(&["Escape"]);
    t2.wait_for("放弃");
    t2.keys(&["y", "q"]);
    t2.wait_for("SANSHE-DONE");
    assert!(!t2.db().join("drafts").join("activity-form.json").exists());
}

/// A save the user saw succeed survives `kill -9` right after: the store
/// flushes before the app says 已保存.
#[test]
fn a_save_the_user_saw_survives_kill_9() {
    if !have_tmux() {
        return;
    }
    let t = Tmux::new();
    t.start();
    t.wait_for("182/182");
    t.keys(&["a"]);
    t.wait_for("新增组织");
    t.type_text("断电测试志愿队");
    t.wait_for("断电测试志愿队");
    t.keys(&["C-s"]);
    t.wait_for("已保存");
    let pid = t.app_pid();
    kill(pid, libc::SIGKILL);
    wait_gone(pid);
    let json = sanshe(
        &t.db(),
        &["org", "list", "--search", "断电测试", "--format", "json"],
    );
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "断电测试志愿队"),
        "the saved organization is there after kill -9: {json}"
    );
}
