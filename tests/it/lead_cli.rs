//! Leads on illegal organizations ([6/6]): the reporter's name and phone
//! are kept but appear in no list, show, export or log, unless `lead show
//! --show-reporter` (the owner has the right); a filed organization is not
//! a lead; states one step at a time.

use crate::cli_support::Sanshe;

const REPORTER: &str = "匿名张大妈";
const PHONE: &str = "13912345678";

#[test]
fn the_reporter_never_leaks() {
    let dir = tempfile::tempdir().unwrap();
    let s = Sanshe::at(&dir.path().join("db"));
    s.id(&["org", "add", "--name", "宝石山读书会", "--state", "filed"]);
    let l = s.id(&[
        "lead",
        "add",
        "--name-used",
        "西湖国学研究会",
        "--place",
        "宝石山社区活动室",
        "--facts",
        "以研究会名义收取会费",
        "--channel",
        "微信群",
        "--source",
        "resident",
        "--reporter",
        REPORTER,
        "--reporter-phone",
        PHONE,
    ]);
    // A filed organization of that name is lawful, not a lead.
    s.refused(
        &[
            "lead",
            "add",
            "--name-used",
            "宝石山读书会",
            "--place",
            "x",
            "--facts",
            "y",
        ],
        "已备案",
    );
    s.refused(&["lead", "step", &l, "--to", "banned"], "线索");
    s.ok(&["lead", "step", &l, "--to", "checking"]);
    s.ok(&[
        "lead",
        "step",
        &l,
        "--to",
        "reported",
        "--reported-to",
        "区民政局执法科",
    ]);
    let mut outputs = vec![
        s.ok(&["lead", "list"]),
        s.ok(&["lead", "list", "--format", "json"]),
        s.ok(&["lead", "list", "--format", "csv"]),
        s.ok(&["lead", "show", &l]),
        s.ok(&["lead", "show", &l, "--format", "json"]),
        s.ok(&["log", "--limit", "100"]),
        s.ok(&["log", "--limit", "100", "--format", "json"]),
        s.ok(&["log", "--limit", "100", "--format", "csv"]),
    ];
    for (kind, ext) in [("leads", "csv"), ("leads", "json"), ("leads", "xlsx")] {
        let out = dir.path().join(format!("{kind}.{ext}"));
        s.ok(&["export", kind, "--out", out.to_str().unwrap()]);
        let bytes = std::fs::read(&out).unwrap();
        outputs.push(String::from_utf8_lossy(&bytes).into_owned());
        if ext == "xlsx" {
            // The sheet's strings are inside a zip: read them.
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap();
                let mut text = String::new();
                let _ = std::io::Read::read_to_string(&mut f, &mut text);
                outputs.push(text);
            }
        }
    }
    for (i, o) in outputs.iter().enumerate() {
        assert!(
            !o.contains(REPORTER) && !o.contains(PHONE),
            "output {i} leaks: {o}"
        );
    }
    assert!(outputs[1].contains("西湖国学研究会"));
    assert!(
        outputs[5].contains("举报人") && outputs[5].contains("保密"),
        "{}",
        outputs[5]
    );
    let j = s.json(&["lead", "show", &l, "--format", "json"]);
    assert_eq!(j["state"], "reported");
    assert_eq!(j["reported_to"], "区民政局执法科");
    assert!(j.get("reporter").is_none());
    // The owner may ask for it.
    let j = s.json(&["lead", "show", &l, "--show-reporter", "--format", "json"]);
    assert_eq!(j["reporter"], REPORTER);
    assert_eq!(j["reporter_phone"], PHONE);
}
