//! Spreadsheet interchange through the real binary: export then import
//! gives the same organizations (CSV with BOM, GBK CSV, Excel), with
//! Chinese text, empty cells, formula-like cells; bad rows are reported by
//! row and column and nothing is written; duplicates are skipped or
//! updated. Other kinds come out for people: labels instead of keys,
//! places and organizations by name.

use std::path::Path;

use crate::cli_support::{assert_success, config_dir, text, Sanshe, PLACES};
use serde_json::Value;

/// The binary on `db`, in Chinese (`--lang zh`).
fn zh(db: &Path) -> Sanshe {
    Sanshe::at(db).lang("zh")
}

/// Runs `args` in Chinese, which must succeed; returns standard output and
/// standard error together (reports and warnings go to both).
fn ok(db: &Path, args: &[&str]) -> String {
    let o = zh(db).run(args);
    assert_success(args, &o);
    format!("{}{}", text(&o.stdout), text(&o.stderr))
}

/// The four places of [`PLACES`], down to 第一网格 BSJ-01-01.
fn places(db: &Path) {
    zh(db).add_places(&PLACES);
}

/// Organizations without their ids, sorted by name.
fn orgs(db: &Path) -> Vec<Value> {
    let out = ok(db, &["org", "list", "--format", "json"]);
    let mut v: Vec<Value> = serde_json::from_str::<Value>(out.trim_end_matches(|c| c != ']'))
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    for o in &mut v {
        o.as_object_mut().unwrap().remove("id");
    }
    v.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    v
}

fn source(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("src");
    places(&db);
    ok(
        &db,
        &[
            "org",
            "add",
            "--name",
            "宝石山社区读书会",
            "--grid",
            "BSJ-01-01",
            "--phone",
            "13812345678",
            "--domain",
            "文化娱乐",
            "--domain",
            "elderly",
            "--tag",
            "读书",
            "--tag",
            "周末",
            "--members",
            "25",
            "--founded",
            "2019-03-01",
            "--rating",
            "3A",
            "--rating-expires",
            "2027-12-31",
            "--notes",
            "=SUM(A1:A9) 不是公式",
            "--contact",
            "张三",
        ],
    );
    ok(
        &db,
        &[
            "org",
            "add",
            "--name",
            "北山老年合唱团",
            "--type",
            "social-group",
            "--code",
            "51330106MJ8888888J",
            "--accept-bad-checksum",
            "--address",
            "北山路 1 号",
            "--workstation",
            "A-3",
            "--incubation-start",
            "2024-01-01",
        ],
    );
    ok(&db, &["org", "add", "--name=-减号开头的组织"]);
    db
}

/// Organizations as they come back from a CSV file: CSV neutralises
/// formula-like cells with a leading `'`, and import keeps it (it cannot
/// tell our own export from a file that neutralised a live formula).
fn neutralised(orgs: &[Value]) -> Vec<Value> {
    let mut orgs = orgs.to_vec();
    for o in &mut orgs {
        for (_, v) in o.as_object_mut().unwrap() {
            if let Some(s) = v.as_str().filter(|s| s.starts_with(['=', '+', '-', '@'])) {
                *v = Value::String(format!("'{s}"));
            }
        }
    }
    orgs
}

#[test]
fn csv_xlsx_and_json_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let src = source(dir.path());
    let exact = orgs(&src);
    for (file, format) in [("orgs.csv", "csv"), ("orgs.xlsx", "xlsx")] {
        // Excel cells are written as text: nothing to neutralise.
        let want = match format {
            "csv" => neutralised(&exact),
            _ => exact.clone(),
        };
        let path = dir.path().join(file);
        let p = path.to_string_lossy();
        ok(&src, &["export", "orgs", "--format", format, "--out", &p]);
        let dst = dir.path().join(format!("dst-{format}"));
        places(&dst);
        let out = ok(&dst, &["import", "orgs", &p, "--dry-run"]);
        assert!(out.contains("将新增 3 个"), "{out}");
        assert!(orgs(&dst).is_empty());
        let out = ok(&dst, &["import", "orgs", &p]);
        assert!(out.contains("新增 3 个"), "{out}");
        assert_eq!(orgs(&dst), want, "{format}");
        // Again: everything is a duplicate.
        let out = ok(&dst, &["import", "orgs", &p]);
        assert!(out.contains("跳过 3 个"), "{out}");
        assert_eq!(orgs(&dst), want);
    }
    let csv = std::fs::read(dir.path().join("orgs.csv")).unwrap();
    assert!(csv.starts_with(b"\xef\xbb\xbf"), "BOM");
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.contains("'=SUM(A1:A9)") && text.contains("'-减号"),
        "{text}"
    );
    assert!(text.lines().next().unwrap().contains("名称"));

    let json = dir.path().join("orgs.json");
    ok(&src, &["export", "orgs", "--out", &json.to_string_lossy()]);
    let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    let places_csv = dir.path().join("places.csv");
    let out = ok(
        &src,
        &["export", "places", "--out", &places_csv.to_string_lossy()],
    );
    assert!(out.contains("4"), "{out}");
}

#[test]
fn gbk_csv_with_english_headers_and_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    places(&db);
    ok(
        &db,
        &[
            "org",
            "add",
            "--name",
            "宝石山社区读书会",
            "--grid",
            "BSJ-01-01",
        ],
    );
    let text = "name,Phone,grid,type,notes,unknown column\r\n\
                宝石山社区读书会,13812345678,BSJ-01-01,,,x\r\n\
                西溪志愿服务队,,BSJ-01-01,社区社会组织,,\r\n\
                ,,,,,\r\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let path = dir.path().join("gbk.csv");
    std::fs::write(&path, &gbk).unwrap();
    let p = path.to_string_lossy();
    let out = ok(&db, &["import", "orgs", &p, "--on-duplicate", "update"]);
    assert!(out.contains("新增 1 个，更新 1 个"), "{out}");
    assert!(out.contains("unknown column"), "{out}");
    let all = orgs(&db);
    assert_eq!(all.len(), 2);
    let reading = all
        .iter()
        .find(|o| o["name"] == "宝石山社区读书会")
        .unwrap();
    assert_eq!(reading["phone"], "13812345678");
    // Forcing UTF-8 on GBK bytes is refused.
    zh(&db).refused(&["import", "orgs", &p, "--encoding", "utf-8"], "");
}

#[test]
fn bad_rows_are_reported_by_row_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    places(&db);
    let text = "\u{feff}名称,联系电话,类型,网格,成员数\n\
                好的组织,13812345678,,BSJ-01-01,10\n\
                坏电话,12345,,,\n\
                坏类型,,不存在的类型,NOPE,-3\n\
                好的组织,,,BSJ-01-01,\n";
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, text).unwrap();
    let err = zh(&db).refused(&["import", "orgs", &path.to_string_lossy()], "");
    assert!(err.contains("第 3 行，「联系电话」列"), "{err}");
    assert!(err.contains("第 4 行，「类型」列"), "{err}");
    assert!(
        err.contains("第 5 行，「名称」列") && err.contains("与第 2 行重复"),
        "{err}"
    );
    assert!(err.contains("未写入任何数据"), "{err}");
    assert!(orgs(&db).is_empty());
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "电话,地址\n1,2\n").unwrap();
    zh(&db).refused(&["import", "orgs", &empty.to_string_lossy()], "");
}

/// Exports `kind` as CSV in `lang`; the one data row by header.
fn exported_row(db: &Path, lang: &str, kind: &str) -> Vec<(String, String)> {
    let path = db.with_extension(format!("{kind}-{lang}.csv"));
    Sanshe::at(db).lang(lang).ok(&[
        "export",
        kind,
        "--format",
        "csv",
        "--out",
        &path.to_string_lossy(),
    ]);
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("BOM");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "{text}");
    headers
        .into_iter()
        .zip(rows[0].iter().map(str::to_string))
        .collect()
}

fn cell<'a>(row: &'a [(String, String)], header: &str) -> &'a str {
    row.iter()
        .find(|(h, _)| h == header)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no column {header}: {row:?}"))
}

#[test]
fn needs_and_activities_export_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    places(&db);
    let org = zh(&db).id(&[
        "org",
        "add",
        "--name",
        "宝石山社区读书会",
        "--grid",
        "BSJ-01-01",
    ]);
    let need = zh(&db).id(&[
        "need",
        "add",
        "--title",
        "独居老人助餐",
        "--domain",
        "elderly",
        "--grid",
        "BSJ-01-01",
        "--urgency",
        "high",
        "--target",
        "elderly",
        "--raised-by",
        "grid-worker",
        "--people",
        "6",
        "--raised",
        "2026-11-03",
    ]);
    zh(&db).id(&[
        "activity",
        "add",
        "--org",
        &org,
        "--date",
        "2026-11-03",
        "--title",
        "重阳敬老",
        "--kind",
        "volunteer",
        "--grid",
        "BSJ-01-01",
        "--hours",
        "12.5",
        "--start",
        "09:00",
        "--publish",
    ]);

    let n = exported_row(&db, "zh", "needs");
    assert_eq!(cell(&n, "编号"), need);
    assert_eq!(cell(&n, "标题"), "独居老人助餐");
    assert_eq!(cell(&n, "紧急程度"), "紧急");
    assert_eq!(cell(&n, "需求状态"), "待对接");
    assert_eq!(cell(&n, "服务领域"), "养老服务");
    assert_eq!(cell(&n, "服务对象"), "老年人");
    assert_eq!(cell(&n, "提出人"), "网格员");
    assert_eq!(cell(&n, "网格"), "BSJ-01-01");
    assert_eq!(cell(&n, "网格名称"), "第一网格");
    assert_eq!(cell(&n, "社区名称"), "宝石山社区");
    assert_eq!(cell(&n, "提出日期"), "2026-11-03");
    assert_eq!(cell(&n, "涉及人数"), "6");
    for (_, v) in &n {
        assert!(
            !["high", "open", "elderly", "grid-worker"].contains(&v.as_str()),
            "{n:?}"
        );
    }

    let a = exported_row(&db, "zh", "activities");
    assert_eq!(cell(&a, "标题"), "重阳敬老");
    assert_eq!(cell(&a, "日期"), "2026-11-03");
    assert_eq!(cell(&a, "开始时间"), "09:00");
    assert_eq!(cell(&a, "类别"), "志愿服务");
    assert_eq!(cell(&a, "组织"), org);
    assert_eq!(cell(&a, "组织名称"), "宝石山社区读书会");
    assert_eq!(cell(&a, "网格名称"), "第一网格");
    assert_eq!(cell(&a, "志愿时长"), "12.5");
    assert_eq!(cell(&a, "可发布"), "是");

    // In English with --lang en.
    let n = exported_row(&db, "en", "needs");
    assert_eq!(cell(&n, "urgency"), "High");
    assert_eq!(cell(&n, "need state"), "Open");
    assert_eq!(cell(&n, "grid cell name"), "第一网格");
    let a = exported_row(&db, "en", "activities");
    assert_eq!(cell(&a, "kind"), "Volunteer action");
    assert_eq!(cell(&a, "organization name"), "宝石山社区读书会");
    assert_eq!(cell(&a, "publishable"), "yes");

    // JSON stays the serde form, keys and ids, for scripts.
    let json = dir.path().join("needs.json");
    ok(&db, &["export", "needs", "--out", &json.to_string_lossy()]);
    let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v[0]["id"], need.as_str());
    assert_eq!(v[0]["urgency"], "high");
    assert_eq!(v[0]["grid"], "BSJ-01-01");
    assert_eq!(v[0]["targets"], serde_json::json!(["elderly"]));
}

#[test]
fn evaluations_export_names_a_broken_rubric_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    places(&db);
    let config = config_dir(&db);
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("rubric.toml"), "this is not a rubric").unwrap();
    let out = dir.path().join("评价.csv");
    zh(&db).refused(
        &["export", "evaluations", "--out", &out.to_string_lossy()],
        "rubric.toml",
    );
    assert!(!out.exists());
}

/// Writes `text` to a CSV file in `dir`; returns its path as text.
fn csv_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Issue [1/6] 4: `'=1+1` stays `'=1+1` (a spreadsheet showed it as text;
/// without the `'` it would be a live formula in the next export's reader),
/// and exports neutralise as before.
#[test]
fn a_leading_apostrophe_is_kept_and_exports_stay_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    places(&db);
    let file = csv_file(
        dir.path(),
        "apostrophe.csv",
        "名称,备注,标签\n'=1+1 读书会,'=HYPERLINK(\"http://x\"),'+1\n'-减号队,'@SUM(A1),\n",
    );
    ok(&db, &["import", "orgs", &file]);
    let all = orgs(&db);
    let names: Vec<&str> = all.iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["'-减号队", "'=1+1 读书会"]);
    assert_eq!(all[1]["notes"], "'=HYPERLINK(\"http://x\")");
    assert_eq!(all[0]["notes"], "'@SUM(A1)");
    assert_eq!(all[1]["tags"], serde_json::json!(["'+1"]));
    // A cell that is a formula without the `'` (typed on the command line
    // here) is neutralised on export; one with it is written as it is.
    ok(&db, &["org", "add", "--name", "=1+2 合唱团"]);
    let out = dir.path().join("out.csv");
    ok(&db, &["export", "orgs", "--out", &out.to_string_lossy()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(",'=1+2 合唱团,"), "{text}");
    assert!(text.contains(",'=1+1 读书会,"), "{text}");
    assert!(!text.contains("''"), "{text}");
}

/// Issue [1/6] 4: two columns for one field used to keep the last one
/// silently.
#[test]
fn a_field_named_by_two_columns_is_refused_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    places(&db);
    let file = csv_file(
        dir.path(),
        "two-names.csv",
        "名称,联系电话,name\n宝石山读书会,13812345678,北山合唱团\n",
    );
    let err = zh(&db).refused(&["import", "orgs", &file], "two-names.csv");
    assert!(err.contains("「名称」 「name」"), "{err}");
    assert!(orgs(&db).is_empty());
    let err = Sanshe::at(&db)
        .lang("en")
        .refused(&["import", "orgs", &file, "--dry-run"], "two-names.csv");
    assert!(err.contains("\"名称\" \"name\""), "{err}");
}

/// Issue [1/6] 4: an unterminated quote used to swallow the rest of the
/// file into one name.
#[test]
fn an_unclosed_quote_is_refused_with_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    places(&db);
    let file = csv_file(
        dir.path(),
        "quote.csv",
        "名称,备注\n宝石山读书会,好\n北山合唱团,\"没有闭合\n保俶路太极队,x\n西溪志愿队,y\n",
    );
    let err = zh(&db).refused(&["import", "orgs", &file], "quote.csv");
    assert!(err.contains("第 3 行") && err.contains("引号"), "{err}");
    assert!(orgs(&db).is_empty());
    // Quotes that close (line breaks and "" inside) are fine.
    let file = csv_file(
        dir.path(),
        "quotes-ok.csv",
        "名称,备注\n\"北山\"\"合唱\"\"团\",\"两行\n备注\"\n",
    );
    ok(&db, &["import", "orgs", &file]);
    let all = orgs(&db);
    assert_eq!(all[0]["name"], "北山\"合唱\"团");
    assert_eq!(all[0]["notes"], "两行\n备注");
}

/// A file larger than one write transaction: every row is still checked
/// before anything is written (a bad last row writes nothing), then all
/// rows are written.
#[test]
fn a_large_file_is_checked_whole_then_written_in_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    places(&db);
    let n = sanshe::interchange::import::WRITE_CHUNK + 500;
    let mut text = String::from("名称,网格,联系电话\n");
    for i in 0..n {
        text.push_str(&format!("第{i}个组织,BSJ-01-01,\n"));
    }
    let bad = format!("{text}最后一个组织,BSJ-01-01,12345\n");
    let file = csv_file(dir.path(), "bad-last.csv", &bad);
    let err = zh(&db).refused(&["import", "orgs", &file], "联系电话");
    assert!(err.contains(&format!("第 {} 行", n + 2)), "{err}");
    assert!(orgs(&db).is_empty());
    let file = csv_file(dir.path(), "large.csv", &text);
    let out = ok(&db, &["import", "orgs", &file]);
    assert!(out.contains(&format!("新增 {n} 个")), "{out}");
    assert_eq!(orgs(&db).len(), n);
    // Again (as after an interrupted import): everything is there already.
    let out = ok(&db, &["import", "orgs", &file]);
    assert!(out.contains(&format!("跳过 {n} 个")), "{out}");
}
