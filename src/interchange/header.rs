//! The header of an organization roster: which row it is (title rows and
//! blank rows may come first), which field each column is, and which
//! columns are left out and why. Rosters from the registration system, the
//! grid platform or typed by hand name their columns in many ways
//! (`../shared/mission/ROSTER-HEADERS.md`); [`SPELLINGS`] lists them.
//! Headers are compared without spaces (full-width ones too), a leading
//! `*`, and a unit in brackets (`注册资金（万元）`); full-width and ASCII
//! brackets are the same.

use crate::model::money::Unit;
use crate::model::Lang;

use super::orgs::COLUMNS;
use super::table::Table;

/// Spellings of each field seen in real rosters, best first: when two
/// columns name the same field, the better spelling is used and the other
/// left out (with its reason). Our own column keys and labels come before
/// all of them. Some fields exist only here (see [`ROSTER_ONLY`]).
pub const SPELLINGS: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "社会组织名称",
            "组织名称",
            "单位名称",
            "机构名称",
            "社会团体名称",
            "民办非企业单位名称",
            "社会服务机构名称",
            "基金会名称",
        ],
    ),
    ("credit_code", &["社会信用代码", "统一信用代码", "信用代码"]),
    (
        "code_any",
        &["社会信用代码/组织机构代码", "统一社会信用代码/组织机构代码"],
    ),
    (
        "registration_number",
        &["社会团体登记证号", "基金会登记证号", "登记证书号", "注册号"],
    ),
    (
        "type",
        &[
            "社会组织类型",
            "社会组织类别",
            "社会组织种类",
            "社会组织性质",
            "组织类型",
            "组织类别",
        ],
    ),
    (
        "registering_authority",
        &[
            "登记管理机关名称",
            "登记机关",
            "登记机构",
            "登记管理部门名称",
            "登记管理部门",
        ],
    ),
    (
        "supervising_unit",
        &["业务主管机构", "主管单位", "业务指导单位"],
    ),
    (
        "legal_representative",
        &[
            "法定代表人姓名",
            "法定代表人(负责人)",
            "法定代表人或负责人姓名",
            "法定代表人(负责人)姓名",
            "法人代表",
            "法人",
        ],
    ),
    ("contact", &["负责人姓名", "机构负责人", "联系人"]),
    (
        "founded",
        &[
            "成立登记日期",
            "设立登记时间",
            "成立时间",
            "登记日期",
            "批准日期",
            "核准日期",
            "发证日期",
            "备案日期",
        ],
    ),
    ("validity", &["证书有效期", "有效期", "登记证书有效期"]),
    ("valid_from", &["有效期限自", "有效期自", "有效期起"]),
    ("valid_until", &["有效期限至", "有效期至", "有效期止"]),
    (
        "capital",
        &[
            "注册资金",
            "开办资金",
            "原始基金",
            "开办资金数额",
            "注册/开办资金",
            "注册资本",
            "资金数额",
        ],
    ),
    ("state", &["状态", "社会组织状态", "登记状况"]),
    ("deregistered", &["是否注销"]),
    (
        "address",
        &[
            "住所",
            "注册地址",
            "办公地址",
            "社会组织地址",
            "单位地址",
            "住址",
        ],
    ),
    ("business_scope", &["经营范围"]),
    (
        "phone",
        &[
            "电话",
            "电话号码",
            "手机",
            "手机号码",
            "社会组织电话",
            "单位联系电话",
            "负责人联系方式",
            "法人联系方式",
            "联系方式",
        ],
    ),
    (
        "grid",
        &["所属网格", "所属社区", "社区", "所属街道", "街道"],
    ),
    (
        "party",
        &[
            "是否有中共党组织",
            "党组织建立情况",
            "是否建立党组织",
            "党组织情况",
        ],
    ),
    ("party_members", &["中共党员数量", "党员人数", "党员数量"]),
    ("staff", &["专职工作人员数量", "专职人员数", "工作人员数量"]),
    (
        "members",
        &[
            "会员数量",
            "会员数",
            "社团会员(个人会员)数量",
            "个人会员数量",
        ],
    ),
    ("volunteers", &["志愿者人数", "志愿者数量"]),
    ("rating", &["评估等级", "社会组织评估等级"]),
    ("rating_expires", &["等级有效期", "评估等级有效期"]),
    ("inspection_year", &["年检年份", "年检年度", "年报年度"]),
    (
        "inspection_result",
        &["年检结果", "年检结论", "年检状态", "年报结果"],
    ),
];

/// Fields a roster column can stand for that are not columns of our own
/// sheet: two dates in one cell (`2019-06-10 至 2024-06-09`), a code that is
/// either a credit code or a legacy organization code, 是否注销, and one
/// year's annual inspection.
pub const ROSTER_ONLY: &[&str] = &[
    "code_any",
    "validity",
    "deregistered",
    "inspection_year",
    "inspection_result",
];

/// Headers of a serial-number column (序号): left out.
const SERIAL: &[&str] = &["序号", "序", "no", "no.", "行号"];

/// Header text for matching: no spaces (full-width too), no `*`, no unit in
/// brackets, ASCII brackets, lower case.
pub fn norm(s: &str) -> String {
    let mut out: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '\u{feff}')
        .map(|c| match c {
            '（' | '【' | '[' => '(',
            '）' | '】' | ']' => ')',
            '／' => '/',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    for unit in [
        "(万元)",
        "(元)",
        "(人)",
        "(个)",
        "(名)",
        "(家)",
        "(人民币万元)",
    ] {
        out = out.replace(unit, "");
    }
    out.trim_end_matches([':', '：']).to_string()
}

/// The unit a capital column's header names (`（万元）`, `（元）`).
pub fn unit_of(header: &str) -> Option<Unit> {
    let n: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    if n.contains("万元") {
        Some(Unit::Wan)
    } else if n.contains("(元)") || n.contains("（元）") {
        Some(Unit::Yuan)
    } else {
        None
    }
}

/// What a header stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// A field; `rank` 0 for our own key or label, then the spellings in
    /// order (a lower rank wins when two columns name one field).
    Field {
        key: &'static str,
        rank: usize,
    },
    /// 序号.
    Serial,
    /// Our own record id (the `id` column of an export): records are
    /// matched by credit code, registration number and name instead.
    RecordId,
    /// ID numbers of people (身份证号...): never imported.
    Personal,
    Unknown,
}

/// The field a header names by its key or label in either language.
pub fn column_for(header: &str) -> Option<&'static str> {
    let h = norm(header);
    if h.is_empty() {
        return None;
    }
    COLUMNS.iter().chain(ROSTER_ONLY).copied().find(|c| {
        norm(c) == h
            || norm(&c.replace('_', "-")) == h
            || norm(&super::header(c, Lang::Zh)) == h
            || norm(&super::header(c, Lang::En)) == h
    })
}

/// What a header stands for (see [`Meaning`]).
pub fn meaning(header: &str) -> Meaning {
    let h = norm(header);
    if h.is_empty() {
        return Meaning::Unknown;
    }
    if h.contains("身份证") || h.contains("证件号") {
        return Meaning::Personal;
    }
    if SERIAL.contains(&h.as_str()) {
        return Meaning::Serial;
    }
    if let Some(key) = column_for(header) {
        if key == "id" {
            return Meaning::RecordId;
        }
        return Meaning::Field { key, rank: 0 };
    }
    for (key, spellings) in SPELLINGS {
        if let Some(i) = spellings.iter().position(|s| norm(s) == h) {
            return Meaning::Field { key, rank: i + 1 };
        }
    }
    Meaning::Unknown
}

/// Why a column is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Its header names no field (a `--map` can name one).
    Unknown,
    Serial,
    /// Our own record id: not imported (see [`Meaning::RecordId`]).
    RecordId,
    /// ID numbers of people are personal data: never imported.
    Personal,
    /// Another column (this header) names the same field better.
    SameField(String),
}

/// A column left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignored {
    pub header: String,
    pub why: Why,
}

/// A `--map "HEADER=FIELD"` that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapError {
    /// Not `HEADER=FIELD`.
    Form(String),
    /// The field named is none of ours.
    UnknownField(String),
    /// No column of the header row has this header.
    NoSuchHeader(String),
}

/// Reads `HEADER=FIELD` (the field by key or label).
pub fn parse_map(s: &str) -> Result<(String, &'static str), MapError> {
    let Some((h, f)) = s.split_once(['=', '＝']) else {
        return Err(MapError::Form(s.to_string()));
    };
    if h.trim().is_empty() || f.trim().is_empty() {
        return Err(MapError::Form(s.to_string()));
    }
    let field = column_for(f)
        .filter(|k| *k != "id")
        .ok_or_else(|| MapError::UnknownField(f.trim().to_string()))?;
    Ok((h.trim().to_string(), field))
}

/// Rows looked at for the header (title rows and blank rows first).
pub const HEADER_WITHIN: usize = 30;

/// The meanings of a row's cells, `--map`s first.
fn meanings(cells: &[&str], maps: &[(String, &'static str)]) -> Vec<Meaning> {
    cells
        .iter()
        .map(|h| {
            let n = norm(h);
            match maps.iter().find(|(m, _)| !n.is_empty() && norm(m) == n) {
                Some((_, key)) => Meaning::Field { key, rank: 0 },
                None => meaning(h),
            }
        })
        .collect()
}

/// The fields a row of meanings names.
fn fields_named(m: &[Meaning]) -> Vec<&'static str> {
    m.iter()
        .filter_map(|m| match m {
            Meaning::Field { key, .. } => Some(*key),
            _ => None,
        })
        .collect()
}

/// The index of the header row: the first of the first [`HEADER_WITHIN`]
/// rows that names the name column and another known column; else the
/// first row with a filled cell, if it names the name column.
pub fn find_row(rows: &Table, maps: &[(String, &'static str)]) -> Option<usize> {
    let mut first_filled = None;
    for i in 0..rows.len().min(HEADER_WITHIN) {
        let cells = rows.row(i);
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let named = fields_named(&meanings(&cells, maps));
        if named.contains(&"name") && named.len() >= 2 {
            return Some(i);
        }
        if first_filled.is_none() {
            first_filled = Some((i, named.contains(&"name")));
        }
    }
    match first_filled {
        Some((i, true)) => Some(i),
        _ => None,
    }
}

/// Several columns name one field as well as each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SameColumns(pub Vec<String>);

/// The columns of a header row: the field of each, the ones left out.
/// Two columns naming one field equally well (two of our labels, two
/// `--map`s) are refused, both named: one would be dropped without a word.
pub fn columns(
    cells: &[&str],
    maps: &[(String, &'static str)],
) -> Result<(Vec<Option<&'static str>>, Vec<Ignored>), SameColumns> {
    let m = meanings(cells, maps);
    let mut columns = vec![None; cells.len()];
    let mut ignored = Vec::new();
    let mut same = Vec::new();
    for (i, mi) in m.iter().enumerate() {
        let header = cells[i].trim().to_string();
        match *mi {
            Meaning::Field { key, rank } => {
                let best = m
                    .iter()
                    .enumerate()
                    .filter_map(|(j, o)| match o {
                        Meaning::Field { key: k, rank: r } if *k == key => Some((*r, j)),
                        _ => None,
                    })
                    .min();
                let Some((best_rank, first)) = best else {
                    continue;
                };
                let ties = m
                    .iter()
                    .filter(|o| matches!(o, Meaning::Field { key: k, rank: r } if *k == key && *r == best_rank))
                    .count();
                if rank == best_rank && ties > 1 {
                    same.push(header);
                } else if rank == best_rank {
                    columns[i] = Some(key);
                } else {
                    ignored.push(Ignored {
                        header,
                        why: Why::SameField(cells[first].trim().to_string()),
                    });
                }
            }
            Meaning::Serial => ignored.push(Ignored {
                header,
                why: Why::Serial,
            }),
            Meaning::RecordId => ignored.push(Ignored {
                header,
                why: Why::RecordId,
            }),
            Meaning::Personal => ignored.push(Ignored {
                header,
                why: Why::Personal,
            }),
            Meaning::Unknown if header.is_empty() => {}
            Meaning::Unknown => ignored.push(Ignored {
                header,
                why: Why::Unknown,
            }),
        }
    }
    if !same.is_empty() {
        // Grouped by field, in the order of the fields' first columns.
        let mut grouped = Vec::new();
        for (i, mi) in m.iter().enumerate() {
            let Meaning::Field { key, .. } = mi else {
                continue;
            };
            if grouped.iter().any(|(k, _)| k == key) {
                continue;
            }
            let in_same: Vec<String> = m
                .iter()
                .enumerate()
                .skip(i)
                .filter(|(j, o)| {
                    matches!(o, Meaning::Field { key: k, .. } if k == key)
                        && same.contains(&cells[*j].trim().to_string())
                })
                .map(|(j, _)| cells[j].trim().to_string())
                .collect();
            if !in_same.is_empty() {
                grouped.push((*key, in_same));
            }
        }
        return Err(SameColumns(
            grouped.into_iter().flat_map(|(_, v)| v).collect(),
        ));
    }
    Ok((columns, ignored))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(h: &str) -> Option<&'static str> {
        match meaning(h) {
            Meaning::Field { key, .. } => Some(key),
            _ => None,
        }
    }

    #[test]
    fn every_spelling_of_the_roster_headers_is_known() {
        for (field, spellings) in SPELLINGS {
            for s in *spellings {
                assert_eq!(key(s), Some(*field), "{s}");
            }
        }
        assert_eq!(key(" 社会组织 名称 "), Some("name"));
        assert_eq!(key("*单位名称"), Some("name"));
        assert_eq!(key("注册资金（万元）"), Some("capital"));
        assert_eq!(key("注册/开办资金(万元)"), Some("capital"));
        assert_eq!(key("法定代表人（负责人）"), Some("legal_representative"));
        assert_eq!(key("社团会员（个人会员）数量"), Some("members"));
        assert_eq!(key("统一社会信用代码"), Some("credit_code"));
        assert_eq!(key("组织机构代码"), Some("organization_code"));
        assert_eq!(key("登记证号"), Some("registration_number"));
        assert_eq!(key("　住所　"), Some("address"));
        assert_eq!(key("Phone"), Some("phone"));
        assert_eq!(meaning("序号"), Meaning::Serial);
        assert_eq!(meaning("编号"), Meaning::RecordId);
        assert_eq!(meaning("id"), Meaning::RecordId);
        assert_eq!(meaning("身份证号"), Meaning::Personal);
        assert_eq!(meaning("法定代表人(负责人)身份证件号"), Meaning::Personal);
        assert_eq!(meaning("负责人证件号码"), Meaning::Personal);
        assert_eq!(meaning("理事人数"), Meaning::Unknown);
        assert_eq!(unit_of("注册资金（万元）"), Some(Unit::Wan));
        assert_eq!(unit_of("注册资金(元)"), Some(Unit::Yuan));
        assert_eq!(unit_of("注册资金"), None);
    }

    #[test]
    fn the_header_is_found_below_a_title() {
        let t = Table::from_rows([
            vec!["西湖区社会组织名册（2026年11月）"],
            vec![],
            vec!["序号", "社会组织名称", "住所"],
            vec!["1", "西湖读书会", "文三路"],
        ]);
        assert_eq!(find_row(&t, &[]), Some(2));
        // A header naming only the name column, as the first row.
        let t = Table::from_rows([vec!["名称"], vec!["读书会"]]);
        assert_eq!(find_row(&t, &[]), Some(0));
        let t = Table::from_rows([vec!["标题"], vec!["名称"]]);
        assert_eq!(find_row(&t, &[]), None);
        // A map names a header.
        let t = Table::from_rows([vec!["单位全称", "地址"]]);
        assert_eq!(find_row(&t, &[]), None);
        assert_eq!(find_row(&t, &[("单位全称".into(), "name")]), Some(0));
    }

    #[test]
    fn the_better_spelling_wins_and_the_other_is_named() {
        let (cols, ignored) = columns(
            &[
                "序号",
                "社会组织名称",
                "成立日期",
                "发证日期",
                "身份证号",
                "理事人数",
                "",
            ],
            &[],
        )
        .unwrap();
        assert_eq!(
            cols,
            vec![None, Some("name"), Some("founded"), None, None, None, None]
        );
        assert_eq!(
            ignored,
            vec![
                Ignored {
                    header: "序号".into(),
                    why: Why::Serial
                },
                Ignored {
                    header: "发证日期".into(),
                    why: Why::SameField("成立日期".into())
                },
                Ignored {
                    header: "身份证号".into(),
                    why: Why::Personal
                },
                Ignored {
                    header: "理事人数".into(),
                    why: Why::Unknown
                },
            ]
        );
    }

    #[test]
    fn maps_name_fields_by_key_or_label() {
        assert_eq!(parse_map("单位全称=name"), Ok(("单位全称".into(), "name")));
        assert_eq!(
            parse_map(" 主管 = 业务主管单位 "),
            Ok(("主管".into(), "supervising_unit"))
        );
        assert_eq!(
            parse_map("单位全称=nmae"),
            Err(MapError::UnknownField("nmae".into()))
        );
        assert_eq!(
            parse_map("单位全称"),
            Err(MapError::Form("单位全称".into()))
        );
    }
}
