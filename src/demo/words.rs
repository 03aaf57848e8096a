//! Word lists the generator composes Chinese names, people and addresses from.
//! Every combination is invented.

use crate::model::Domain;
use Domain::*;

/// First syllables of township and community names.
pub const PLACE_HEAD: &[&str] = &[
    "翠", "文", "古", "青", "云", "金", "银", "龙", "凤", "桂", "梅", "兰", "竹", "松", "柳", "桃",
    "枫", "荷", "湖", "溪", "江", "东", "西", "南", "北", "新", "嘉", "和", "安", "宁", "永", "长",
    "丰", "德", "明", "瑞", "福", "景", "华", "春",
];

/// Second syllables of township and community names.
pub const PLACE_TAIL: &[&str] = &[
    "苑", "塘", "桥", "湾", "港", "山", "岭", "坞", "浦", "堤", "园", "林", "坊", "庄", "墩", "埠",
    "洲", "田", "坝", "河", "泉", "亭", "门", "溪", "湖", "村", "阳", "兴", "城", "源",
];

/// Kinds of road in addresses.
pub const ROADS: &[&str] = &["路", "街", "巷", "弄", "新村"];

/// Community organization themes: name ending and service domains.
pub const COMMUNITY_THEMES: &[(&str, &[Domain])] = &[
    ("银龄互助会", &[Elderly, Neighbourhood]),
    ("四点半课堂志愿队", &[Children, Education, Volunteer]),
    ("平安巡防队", &[Safety, Volunteer]),
    ("书画社", &[Culture]),
    ("太极拳队", &[Sports, Elderly]),
    ("垃圾分类督导队", &[Environment, Volunteer]),
    ("邻里调解工作室", &[Mediation, Neighbourhood]),
    ("助残服务社", &[Disability, Volunteer]),
    ("家庭教育指导站", &[Family, Children, Education]),
    ("广场舞队", &[Sports, Culture]),
    ("合唱团", &[Culture]),
    ("读书会", &[Culture, Education]),
    ("红色宣讲团", &[Education, Culture]),
    ("反诈宣传队", &[Safety]),
    ("义剪服务队", &[Livelihood, Elderly, Volunteer]),
    ("便民维修服务队", &[Livelihood, Volunteer]),
    ("爱心助餐志愿队", &[Elderly, Livelihood, Volunteer]),
    ("时间银行互助社", &[Volunteer, Neighbourhood]),
    ("楼道议事会", &[Neighbourhood]),
    ("应急救援队", &[Emergency, Safety]),
    ("健康义诊服务队", &[Health, Elderly]),
    ("心理疏导工作室", &[Health, Family]),
    ("妇女微家", &[Family]),
    ("亲子阅读会", &[Children, Family, Culture]),
    ("越剧社", &[Culture, Elderly]),
    ("摄影小组", &[Culture]),
    ("绿植养护队", &[Environment]),
    ("困难家庭帮扶队", &[Assistance, Volunteer]),
    ("文明养犬劝导队", &[Environment, Neighbourhood]),
    ("禁毒宣传队", &[Safety, Education]),
    ("旗袍队", &[Culture, Sports]),
    ("乒乓球队", &[Sports]),
    ("门球队", &[Sports, Elderly]),
    ("编织手工坊", &[Culture, Family]),
    ("法律咨询服务队", &[Mediation, Volunteer]),
    ("青少年科普社", &[Children, Education]),
    ("数字助老服务队", &[Elderly, Education, Volunteer]),
    ("新杭州人之家", &[Neighbourhood, Assistance]),
    ("消防安全宣传队", &[Safety, Emergency]),
    ("茶艺社", &[Culture]),
    ("护河志愿队", &[Environment, Volunteer]),
    ("残疾人康复小组", &[Disability, Health]),
    ("健身操队", &[Sports, Elderly]),
    ("口琴队", &[Culture]),
    ("农技互助组", &[Rural, Neighbourhood]),
];

/// Words put before a theme to tell teams apart (`阳光` 银龄互助会).
pub const MODIFIERS: &[&str] = &[
    "阳光",
    "暖心",
    "同心",
    "和美",
    "幸福",
    "红色",
    "银发",
    "青春",
    "爱心",
    "邻里",
    "心连心",
    "彩虹",
    "向日葵",
    "小橘灯",
    "老兵",
    "巾帼",
    "明月",
    "清风",
    "夕阳红",
    "常青藤",
    "蒲公英",
    "春风",
    "满天星",
    "微光",
    "乐活",
    "益家",
    "启明",
    "和睦",
    "四季",
    "百合",
];

/// Social group topics (社会团体).
pub const GROUP_TOPICS: &[(&str, &[Domain])] = &[
    ("老年协会", &[Elderly, Hub]),
    ("老年人体育协会", &[Sports, Elderly]),
    ("志愿者协会", &[Volunteer, Hub]),
    ("书画协会", &[Culture]),
    ("摄影协会", &[Culture]),
    ("慈善分会", &[Assistance, Hub]),
    ("残疾人协会", &[Disability]),
    ("商会", &[Livelihood]),
    ("越剧爱好者协会", &[Culture]),
    ("人民调解协会", &[Mediation]),
    ("家庭教育研究会", &[Family, Education]),
    ("茶文化研究会", &[Culture]),
    ("体育舞蹈协会", &[Sports, Culture]),
    ("社区教育协会", &[Education]),
    ("平安志愿者协会", &[Safety, Volunteer]),
    ("科普协会", &[Education, Children]),
    ("社会组织联合会", &[Hub]),
    ("文体协会", &[Culture, Sports]),
    ("退役军人互助会", &[Assistance, Neighbourhood]),
    ("应急救护协会", &[Health, Emergency]),
];

/// Brand words of social service institutions and foundations.
pub const BRANDS: &[&str] = &[
    "善行",
    "同心圆",
    "暖阳",
    "益心",
    "知行",
    "和衷",
    "乐龄",
    "青禾",
    "明德",
    "安康",
    "悦邻",
    "仁爱",
    "润泽",
    "启航",
    "众合",
    "恒爱",
    "向阳",
    "晴川",
    "慧心",
    "颐和",
    "朗悦",
    "微光",
    "禾苗",
    "春晖",
    "守望",
    "爱邻",
    "颐养",
    "邻聚",
    "乐善",
    "弘德",
    "树人",
    "惠民",
    "康宁",
    "馨语",
    "常乐",
    "如意",
    "正心",
    "思源",
    "怡然",
    "同行",
];

/// Social service institution kinds (社会服务机构).
pub const SERVICE_KINDS: &[(&str, &[Domain])] = &[
    ("社会工作服务中心", &[Assistance, Family, Hub]),
    ("居家养老服务中心", &[Elderly, Livelihood]),
    ("家庭教育指导中心", &[Family, Children, Education]),
    ("心理咨询服务中心", &[Health, Family]),
    ("助残服务社", &[Disability, Health]),
    ("青少年成长服务中心", &[Children, Education]),
    ("社区发展服务中心", &[Hub, Neighbourhood]),
    ("综合为老服务中心", &[Elderly, Health]),
    ("公益服务中心", &[Volunteer, Hub]),
    ("应急救援服务中心", &[Emergency, Safety]),
    ("法律服务中心", &[Mediation]),
    ("健康管理服务中心", &[Health, Elderly]),
    ("文化艺术培训中心", &[Culture, Education]),
    ("环保服务中心", &[Environment, Education]),
];

/// Foundation kinds (基金会).
pub const FOUNDATION_KINDS: &[(&str, &[Domain])] = &[
    ("公益基金会", &[Hub, Assistance]),
    ("慈善基金会", &[Assistance]),
    ("助学基金会", &[Education, Children, Assistance]),
    ("社区发展基金会", &[Neighbourhood, Hub]),
    ("助老基金会", &[Elderly, Assistance]),
];

/// Common surnames.
pub const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "叶", "程", "魏", "苏", "吕", "丁", "沈", "姚",
    "卢", "钟", "姜", "陆", "范", "汪", "金", "方", "钱", "严", "孔", "楼",
];

/// Characters of given names.
pub const GIVEN: &[&str] = &[
    "建", "国", "秀", "英", "桂", "兰", "志", "强", "丽", "华", "明", "芳", "海", "燕", "晓", "红",
    "伟", "军", "玉", "梅", "文", "杰", "淑", "珍", "春", "振", "宇", "佳", "琪", "雪", "卫", "东",
    "德", "美", "玲", "平", "慧", "敏", "金", "凤", "永", "子", "涵", "思", "远", "丹", "阳", "宏",
    "亮", "静", "怡", "霞", "利", "民", "爱", "萍",
];

/// Mobile number prefixes.
pub const MOBILE_PREFIXES: &[&str] = &[
    "133", "135", "137", "138", "139", "150", "151", "153", "158", "159", "177", "186", "187",
    "188", "189", "199",
];

/// Tags.
pub const TAGS: &[&str] = &[
    "品牌项目",
    "公益创投",
    "重点培育",
    "时间银行",
    "老年友好",
    "儿童友好",
    "党建示范",
    "优秀志愿团队",
    "共富工坊",
    "数字化试点",
];

/// Short notes on an organization's activity.
pub const NOTES: &[&str] = &[
    "每周固定在社区党群服务中心开展活动。",
    "骨干成员多为退休教师和老党员。",
    "活动经费主要来自公益创投和社区微基金。",
    "与辖区学校、卫生服务站签订共建协议。",
    "已建立成员名册和活动台账。",
    "参加街道年度社会组织公益集市。",
    "承接社区“微心愿”认领服务。",
    "计划明年申请登记为社会服务机构。",
];
