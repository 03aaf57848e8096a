//! Name search over 100,000 generated organization names: index build,
//! single searches (initials, full pinyin, Chinese, one letter), and a
//! typed query narrowed keystroke by keystroke with `search_within`.
//!
//! `cargo bench --bench search` (add `-- --quick` for a short run).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use sanshe::search::{match_name, NameIndex, Query};

/// Communities and villages of Hangzhou (with a 西湖 and a 湖滨 among them).
const COMMUNITIES: &[&str] = &[
    "望江门",
    "西湖",
    "湖滨",
    "长寿",
    "北山",
    "灵隐",
    "翠苑",
    "古荡",
    "文新",
    "蒋村",
    "转塘",
    "留下",
    "三墩",
    "闸弄口",
    "彭埠",
    "九堡",
    "笕桥",
    "丁桥",
    "长庆",
    "朝晖",
    "潮鸣",
    "小营",
    "清波",
    "南星",
    "紫阳",
    "四季青",
    "凯旋",
    "采荷",
    "米市巷",
    "和睦",
    "大关",
    "上塘",
    "半山",
    "康桥",
    "拱宸桥",
    "西兴",
    "长河",
    "浦沿",
    "北干",
    "城厢",
    "宁围",
    "闻堰",
    "新街",
    "瓜沥",
    "临浦",
    "义桥",
    "所前",
    "河上",
    "戴村",
    "楼塔",
    "崇贤",
    "仁和",
    "良渚",
    "瓶窑",
    "余杭",
    "闲林",
    "五常",
    "仓前",
    "中泰",
    "东湖",
    "南苑",
    "星桥",
    "乔司",
    "临平",
    "运河",
    "塘栖",
    "径山",
    "黄湖",
    "鸬鸟",
    "百丈",
    "富春",
    "银湖",
    "新登",
    "场口",
    "万市",
    "洞桥",
    "渌渚",
    "湖源",
    "里山",
    "常安",
    "灵桥",
    "春江",
    "东洲",
    "新桐",
    "胥口",
    "受降",
    "大源",
    "龙门",
    "环山",
    "上官",
];
/// Kinds of community (社区, 村...).
const PLACES: &[&str] = &["社区", "村", "街道", "小区"];
/// Themes of the organizations.
const THEMES: &[&str] = &[
    "银龄",
    "邻里",
    "巾帼",
    "青少年",
    "红色",
    "文化",
    "体育",
    "助残",
    "环保",
    "平安",
    "法律",
    "调解",
    "健康",
    "书画",
    "舞蹈",
    "合唱",
    "太极",
    "读书",
    "亲子",
    "睦邻",
    "乐龄",
    "夕阳红",
    "爱心",
    "慈善",
    "科普",
    "家庭",
    "党员",
    "老年",
    "妇女",
    "退役军人",
    "垃圾分类",
    "文明",
    "养老",
    "心理",
    "关爱",
    "义工",
    "民乐",
    "戏曲",
    "摄影",
    "棋艺",
    "重阳",
    "长者",
    "便民",
    "银行",
    "阳光",
];
/// Kinds of organization.
const SUFFIXES: &[&str] = &[
    "志愿服务队",
    "协会",
    "互助会",
    "服务中心",
    "促进会",
    "联合会",
    "艺术团",
    "俱乐部",
    "工作室",
    "服务社",
    "联谊会",
    "调解委员会",
    "合唱团",
    "舞蹈队",
    "读书会",
    "服务站",
    "之家",
    "睦邻会",
    "志愿者协会",
    "议事会",
];

/// `count` distinct names, always the same ones.
fn names(count: usize) -> Vec<String> {
    let total = COMMUNITIES.len() * PLACES.len() * THEMES.len() * SUFFIXES.len();
    assert!(count <= total, "{count} > {total}");
    // Walk the combinations with a stride coprime to their number, so the
    // names come in a mixed order, as in a real database.
    let stride = (1..)
        .map(|k| total / 3 + k)
        .find(|s| gcd(*s, total) == 1)
        .unwrap_or(1);
    (0..count)
        .map(|i| {
            let mut n = (i * stride) % total;
            let suffix = SUFFIXES[n % SUFFIXES.len()];
            n /= SUFFIXES.len();
            let theme = THEMES[n % THEMES.len()];
            n /= THEMES.len();
            let place = PLACES[n % PLACES.len()];
            n /= PLACES.len();
            format!("{}{place}{theme}{suffix}", COMMUNITIES[n])
        })
        .collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn build(names: &[String]) -> NameIndex {
    let mut index = NameIndex::new();
    for (key, name) in names.iter().enumerate() {
        index.insert(key as u32, name);
    }
    // The first search sorts the names into pinyin order; count it as
    // part of the build.
    black_box(index.search(""));
    index
}

fn bench(c: &mut Criterion) {
    let names = names(100_000);
    let index = build(&names);
    eprintln!(
        "index of {} names: about {:.1} MB; hits: xhsq {}, wjm {}, hubin {}, 湖滨 {}, s {}",
        index.len(),
        index.memory() as f64 / 1e6,
        index.search("xhsq").len(),
        index.search("wjm").len(),
        index.search("hubin").len(),
        index.search("湖滨").len(),
        index.search("s").len(),
    );

    let mut group = c.benchmark_group("search_100k");
    group.sample_size(10);
    group.bench_function("build", |b| b.iter(|| build(black_box(&names))));
    group.finish();

    let mut group = c.benchmark_group("search_100k");
    for query in [
        "xhsq",
        "wjm",
        "hubin",
        "湖滨",
        "社区服务",
        "s",
        "w",
        "wangjiangmen",
    ] {
        group.bench_function(format!("search {query}"), |b| {
            b.iter(|| index.search(black_box(query)))
        });
    }
    group.bench_function("search empty", |b| b.iter(|| index.search(black_box(""))));
    // Typing `wjmylhzh` one key at a time, each keystroke narrowing the
    // previous result, as the TUI does.
    group.bench_function("type wjmylhzh narrowing", |b| {
        b.iter(|| {
            let typed = "wjmylhzh";
            let mut hits = index.search(&typed[..1]);
            for end in 2..=typed.len() {
                let keys: Vec<u32> = hits.iter().map(|h| h.key).collect();
                hits = index.search_within(&typed[..end], &keys);
            }
            hits
        })
    });
    // Highlight positions for the 40 visible rows.
    let visible: Vec<u32> = index
        .search("hubin")
        .iter()
        .take(40)
        .map(|h| h.key)
        .collect();
    group.bench_function("positions for 40 rows", |b| {
        b.iter(|| {
            visible
                .iter()
                .map(|&k| index.positions(k, black_box("hubin")).len())
                .sum::<usize>()
        })
    });
    // Without the index: compile once, score every name (a one-off CLI pass).
    group.bench_function("Query::score over 100k (no index)", |b| {
        b.iter(|| {
            let q = Query::new(black_box("xhsq"));
            names.iter().filter(|n| q.score(n).is_some()).count()
        })
    });
    group.bench_function("match_name one name", |b| {
        b.iter(|| match_name(black_box("wjmhzh"), black_box("望江门社区银龄互助会")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
