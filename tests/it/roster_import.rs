//! Real rosters through the real binary (issue [2/6], "Real rosters"): the
//! header spellings of the registration system and of townships' own
//! sheets, a title row above the header, a 序号 column, notes rows at the
//! bottom, dates and amounts as they come, personal ID numbers never
//! imported, the column report before anything is written, `--map` for
//! unknown headers, and no duplicates when the same roster comes again.

use std::path::{Path, PathBuf};

use crate::cli_support::{assert_success, text, Sanshe, PLACES};
use serde_json::Value;

/// The committed roster (fixtures/roster/generate.py writes it).
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/roster-real.csv")
}

fn zh(db: &Path) -> Sanshe {
    Sanshe::at(db).lang("zh")
}

/// Runs `args`, which must succeed; returns standard error (the column
/// report and the summary go there).
fn ok_err(s: &Sanshe, args: &[&str]) -> String {
    let o = s.run(args);
    assert_success(args, &o);
    text(&o.stderr)
}

fn orgs(db: &Path) -> Vec<Value> {
    let out = zh(db).ok(&["org", "list", "--format", "json"]);
    let mut v: Vec<Value> = serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    v.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    v
}

fn by_name<'a>(all: &'a [Value], name: &str) -> &'a Value {
    all.iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {all:#?}"))
}

/// The fixture's six organizations, as the fixture's cells say.
fn check_the_six(all: &[Value]) {
    assert_eq!(all.len(), 6, "{all:#?}");
    let reading = by_name(all, "杭州市西湖区宝石山社区读书会");
    // A lower-case code with a space in it.
    assert_eq!(reading["credit_code"], "51330106MA2HXHUN1X");
    assert_eq!(reading["registration_number"], "浙西民证字第0101号");
    assert_eq!(reading["type"], "social-group");
    assert_eq!(reading["state"], "registered", "正常");
    assert_eq!(reading["legal_representative"], "王芳");
    assert_eq!(reading["contact"], "李强");
    assert_eq!(reading["founded"], "2019-06-10");
    assert_eq!(reading["valid_from"], "2019-06-10");
    assert_eq!(reading["valid_until"], "2024-06-09");
    assert_eq!(reading["capital_fen"], 3_000_000, "3 in a 万元 column");
    assert_eq!(reading["capital_kind"], "registered");
    assert_eq!(reading["direct_registration"], true);
    assert_eq!(reading["supervising_unit"], Value::Null, "直接登记");
    assert_eq!(reading["party"], "own", "是");
    assert_eq!(reading["grid"], "BSJ-01", "宝石山社区 by name");
    assert_eq!(reading["business_scope"], "组织读书交流活动");
    let elderly = by_name(all, "杭州市西湖区北山街道助老服务中心");
    assert_eq!(elderly["type"], "service-org", "民办非企业单位");
    assert_eq!(elderly["state"], "registered", "存续");
    assert_eq!(elderly["contact"], Value::Null, "无");
    assert_eq!(elderly["founded"], "2020-03-05");
    assert_eq!(elderly["valid_until"], "2025-03-04");
    assert_eq!(elderly["capital_fen"], 10_500_000, "10.5万元 exactly");
    assert_eq!(elderly["capital_kind"], "founding");
    assert_eq!(elderly["party"], "none", "否");
    let volunteers = by_name(all, "杭州市西湖区曙光社区志愿者协会");
    assert_eq!(volunteers["registration_number"], Value::Null, "—");
    assert_eq!(volunteers["founded"], "2018-09-01");
    assert_eq!(volunteers["valid_until"], "2023-08-31");
    assert_eq!(volunteers["capital_fen"], 5_000_000, "5万元");
    let team = by_name(all, "宝石山社区银龄互助队");
    assert_eq!(team["credit_code"], Value::Null, "/");
    assert_eq!(team["state"], "filed");
    assert_eq!(team["founded"], "2021-04-15");
    assert_eq!(team["capital_fen"], Value::Null);
    let fund = by_name(all, "杭州市西湖区北山街道慈善基金会");
    assert_eq!(fund["founded"], "2017-12-20");
    assert_eq!(fund["valid_until"], "2022-12-19");
    assert_eq!(fund["capital_fen"], 200_000_000);
    assert_eq!(fund["capital_kind"], "original-fund");
    let art = by_name(all, "杭州市西湖区宝石山社区书画社");
    assert_eq!(art["founded"], "2016-05-20", "an Excel serial");
    assert_eq!(art["capital_fen"], 3_200_000);
    // Personal ID numbers are never imported.
    let json = serde_json::to_string(all).unwrap();
    assert!(!json.contains("330106198001011234"), "{json}");
    assert!(!json.contains("合计") && !json.contains("说明"), "{json}");
}

/// Issue [2/6]: `社会组织名称`, `法定代表人`, `住所`, `成立登记日期` were
/// refused ("找不到「名称」列"); the fixture carries the spellings and
/// value forms of ROSTER-HEADERS.md.
#[test]
fn the_real_roster_is_imported_and_its_columns_are_reported_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    zh(&db).add_places(&PLACES);
    let file = fixture();
    let file = file.to_str().unwrap();
    let report = ok_err(&zh(&db), &["import", "orgs", file, "--dry-run"]);
    for line in [
        "表头在第 3 行",
        "「社会组织名称」→ 名称",
        "「法定代表人」→ 法定代表人",
        "「住所」→ 地址",
        "「成立登记日期」→ 成立日期",
        "「注册资金（万元）」→ 资金数额（单位：万元）",
        "「序号」未导入：序号列",
        "「法定代表人身份证号」未导入：个人证件号码属于个人信息，从不导入",
        "「理事人数」未导入：未识别的列",
        "末尾的说明行未导入：第 10, 11 行",
        "将新增 6 个",
    ] {
        assert!(report.contains(line), "{line:?} not in:\n{report}");
    }
    assert!(orgs(&db).is_empty(), "--dry-run wrote");
    let written = ok_err(&zh(&db), &["import", "orgs", file]);
    // The report comes before the summary, as with --dry-run.
    let report_at = written.find("「社会组织名称」→ 名称").unwrap();
    let summary_at = written.find("已导入：新增 6 个").unwrap();
    assert!(report_at < summary_at, "{written}");
    check_the_six(&orgs(&db));
    // The same in English.
    let en = ok_err(
        &Sanshe::at(&db).lang("en"),
        &["import", "orgs", file, "--dry-run"],
    );
    assert!(en.contains("Header in row 3"), "{en}");
    assert!(
        en.contains("\"法定代表人身份证号\" not imported: ID numbers of people are personal data"),
        "{en}"
    );
    // Issue [2/6]: re-importing the same roster creates no duplicates.
    let again = ok_err(&zh(&db), &["import", "orgs", file]);
    assert!(again.contains("新增 0 个，更新 0 个，跳过 6 个"), "{again}");
    let again = ok_err(
        &zh(&db),
        &["import", "orgs", file, "--on-duplicate", "update"],
    );
    assert!(again.contains("新增 0 个，更新 0 个，跳过 6 个"), "{again}");
    assert_eq!(orgs(&db).len(), 6);
}

/// The same roster as a workbook: dates as date cells, one as a number
/// formatted as a number (an Excel serial), amounts as numbers (10.2 is
/// 10.199999999999999 as a double).
#[test]
fn the_real_roster_as_a_workbook() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    zh(&db).add_places(&PLACES);
    let csv = std::fs::read_to_string(fixture()).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy/m/d");
    for (r, line) in csv.trim_start_matches('\u{feff}').lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c16) = (r as u32, c as u16);
            match (c, cell) {
                (_, "") => {}
                // 成立登记日期 in ISO form: a real date cell.
                (9, d) if d.len() == 10 && d.as_bytes()[4] == b'-' => {
                    let d = rust_xlsxwriter::ExcelDateTime::parse_from_str(d).unwrap();
                    ws.write_datetime_with_format(r, c16, &d, &date).unwrap();
                }
                // 注册资金 and the serial: numbers.
                (9 | 11, n) if n.parse::<f64>().is_ok() => {
                    ws.write_number(r, c16, n.parse::<f64>().unwrap()).unwrap();
                }
                (_, s) => {
                    ws.write_string(r, c16, s).unwrap();
                }
            }
        }
    }
    ws.write_number(4, 11, 10.2 - 0.000_000_000_000_001)
        .unwrap();
    let path = dir.path().join("名册.xlsx");
    wb.save(&path).unwrap();
    let report = ok_err(&zh(&db), &["import", "orgs", path.to_str().unwrap()]);
    assert!(report.contains("已导入：新增 6 个"), "{report}");
    let all = orgs(&db);
    assert_eq!(
        by_name(&all, "杭州市西湖区宝石山社区读书会")["founded"],
        "2019-06-10"
    );
    assert_eq!(
        by_name(&all, "杭州市西湖区宝石山社区书画社")["founded"],
        "2016-05-20"
    );
    assert_eq!(
        by_name(&all, "杭州市西湖区北山街道助老服务中心")["capital_fen"],
        10_200_000,
        "10.2万元 read as Excel shows it"
    );
}

/// `--map "单位全称=name"` names a header the importer does not know; a
/// map to a field that does not exist is refused naming it.
#[test]
fn a_map_names_an_unknown_header() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    zh(&db).add_places(&PLACES);
    let file = dir.path().join("roster.csv");
    std::fs::write(&file, "单位全称,当家人,住所\n宝石山读书会,王芳,宝石一弄\n").unwrap();
    let file = file.to_str().unwrap();
    zh(&db).refused(&["import", "orgs", file], "找不到「名称」列");
    let err = zh(&db).refused(
        &["import", "orgs", file, "--map", "单位全称=nmae"],
        "「nmae」不存在",
    );
    assert!(err.contains("name,"), "lists the fields: {err}");
    zh(&db).refused(
        &["import", "orgs", file, "--map", "单位=name"],
        "表头「单位」在文件的表头行中找不到",
    );
    zh(&db).refused(&["import", "orgs", file, "--map", "单位全称"], "表头=字段");
    let report = ok_err(
        &zh(&db),
        &[
            "import",
            "orgs",
            file,
            "--map",
            "单位全称=name",
            "--map",
            "当家人=法定代表人",
        ],
    );
    assert!(report.contains("「单位全称」→ 名称"), "{report}");
    assert!(report.contains("「当家人」→ 法定代表人"), "{report}");
    let all = orgs(&db);
    assert_eq!(all[0]["name"], "宝石山读书会");
    assert_eq!(all[0]["legal_representative"], "王芳");
    assert_eq!(zh(&db).run(&["org", "list"]).status.code(), Some(0));
    // No database was created by the refusals before.
    assert!(db.exists());
    // A place named in the file that is neither a name nor a code here.
    let file = dir.path().join("place.csv");
    std::fs::write(&file, "社会组织名称,所属社区\n灵隐读书会,灵隐社区\n").unwrap();
    zh(&db).refused(
        &["import", "orgs", file.to_str().unwrap()],
        "没有名称或代码为「灵隐社区」的地点",
    );
}

/// Re-importing matches by credit code, then registration number, then
/// name within the township: a roster that lost its codes, or renamed an
/// organization, still finds it.
#[test]
fn a_roster_matches_by_code_then_number_then_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    zh(&db).add_places(&PLACES);
    let file = fixture();
    ok_err(&zh(&db), &["import", "orgs", file.to_str().unwrap()]);
    let second = dir.path().join("second.csv");
    std::fs::write(
        &second,
        "社会组织名称,统一社会信用代码,登记证号,所属社区,法定代表人\n\
         宝石山社区读书会(更名),,浙西民证字 第0101号,宝石山社区,孙丽\n\
         宝石山社区银龄互助队,,,宝石山社区,周红\n\
         新成立的合唱团,,,宝石山社区,\n",
    )
    .unwrap();
    let second = second.to_str().unwrap();
    let out = ok_err(&zh(&db), &["import", "orgs", second]);
    assert!(out.contains("新增 1 个，更新 0 个，跳过 2 个"), "{out}");
    let out = ok_err(
        &zh(&db),
        &["import", "orgs", second, "--on-duplicate", "update"],
    );
    assert!(out.contains("新增 0 个，更新 2 个，跳过 1 个"), "{out}");
    let all = orgs(&db);
    assert_eq!(all.len(), 7);
    let reading = all
        .iter()
        .find(|o| o["credit_code"] == "51330106MA2HXHUN1X")
        .unwrap();
    assert_eq!(reading["legal_representative"], "孙丽", "matched by number");
    assert_eq!(
        by_name(&all, "宝石山社区银龄互助队")["legal_representative"],
        "周红",
        "matched by name in the township"
    );
    // The same name with another registration number is another
    // organization: added, never written over the one on record.
    let write = |file: &str, number: &str, rep: &str| {
        let path = dir.path().join(file);
        std::fs::write(
            &path,
            format!("社会组织名称,登记证号,所属社区,法定代表人\n宝石山书画社,{number},宝石山社区,{rep}\n"),
        )
        .unwrap();
        path
    };
    let first = write("first.csv", "浙西民证字第0500号", "吴刚");
    ok_err(&zh(&db), &["import", "orgs", first.to_str().unwrap()]);
    let other = write("other.csv", "浙西民证字第0999号", "郑敏");
    let out = ok_err(
        &zh(&db),
        &[
            "import",
            "orgs",
            other.to_str().unwrap(),
            "--on-duplicate",
            "update",
        ],
    );
    assert!(out.contains("新增 1 个，更新 0 个"), "{out}");
    let all = orgs(&db);
    assert_eq!(all.len(), 9);
    let reps: Vec<_> = all
        .iter()
        .filter(|o| o["name"] == "宝石山书画社")
        .map(|o| o["legal_representative"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(reps.len(), 2, "{reps:?}");
    assert!(reps.contains(&"吴刚".to_string()), "{reps:?}");
    // The same number twice in one file is refused, naming the rows.
    let twice = dir.path().join("twice.csv");
    std::fs::write(
        &twice,
        "名称,登记证号\n甲,浙民证字第1号\n乙,浙民证字第1号\n",
    )
    .unwrap();
    zh(&db).refused(
        &["import", "orgs", twice.to_str().unwrap()],
        "与第 2 行重复",
    );
}

/// The new fields by flag, shown back, cleared, and carried by an export
/// and an import into another database.
#[test]
fn roster_fields_by_flag_and_through_a_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let s = zh(&db);
    let id = s.id(&[
        "org",
        "add",
        "--name",
        "宝石山书画社",
        "--type",
        "民办非企业单位",
        "--registration-number",
        "浙西民证字第0106号",
        "--legal-rep",
        "吴敏",
        "--capital",
        "3.2",
        "--scope",
        "书画培训",
        "--valid-from",
        "2016年5月20日",
        "--valid-until",
        "2021/5/19",
        "--supervisor",
        "直接登记",
        "--org-code",
        "12345678-x",
    ]);
    let o = s.json(&["org", "show", &id, "--format", "json"]);
    assert_eq!(o["capital_fen"], 3_200_000);
    assert_eq!(o["capital_kind"], "founding");
    assert_eq!(o["direct_registration"], true);
    assert_eq!(o["organization_code"], "12345678X");
    assert_eq!(o["valid_from"], "2016-05-20");
    s.refused(&["org", "edit", &id, "--capital", "3.2.1"], "资金数额");
    s.refused(&["org", "edit", &id, "--org-code", "123"], "组织机构代码");
    let out = dir.path().join("out.csv");
    s.ok(&["export", "orgs", "--out", out.to_str().unwrap()]);
    let other = dir.path().join("other");
    ok_err(&zh(&other), &["import", "orgs", out.to_str().unwrap()]);
    let o2 = orgs(&other).remove(0);
    for k in [
        "capital_fen",
        "capital_kind",
        "registration_number",
        "legal_representative",
        "business_scope",
        "valid_from",
        "valid_until",
        "direct_registration",
        "organization_code",
    ] {
        assert_eq!(o2[k], o[k], "{k}");
    }
    s.ok(&["org", "edit", &id, "--clear", "capital", "--direct", "no"]);
    let o = s.json(&["org", "show", &id, "--format", "json"]);
    assert_eq!(o["capital_fen"], Value::Null);
    assert_eq!(o["direct_registration"], Value::Null);
}
