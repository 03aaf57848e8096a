//! Closed lists of values used by organizations.

crate::labeled_enum! {
    /// Kind of social organization (组织类型).
    #[derive(Default)]
    pub enum OrgType {
        #[default]
        Community = ("community", "社区社会组织", "Community organization"),
        SocialGroup = ("social-group", "社会团体", "Social group"),
        ServiceOrg = ("service-org", "社会服务机构", "Social service institution"),
        Foundation = ("foundation", "基金会", "Foundation"),
    }
}

crate::labeled_enum! {
    /// Registration state (登记状态).
    #[derive(Default)]
    pub enum RegState {
        Incubating = ("incubating", "孵化中", "Incubating"),
        #[default]
        Filed = ("filed", "已备案", "Filed"),
        Registered = ("registered", "已登记", "Registered"),
        Deregistered = ("deregistered", "已注销", "Deregistered"),
        Revoked = ("revoked", "已撤销", "Revoked"),
    }
}

crate::labeled_enum! {
    /// Party building (党组织).
    #[derive(Default)]
    pub enum Party {
        #[default]
        None = ("none", "未建立", "None"),
        Own = ("own", "单独组建", "Own party branch"),
        Joint = ("joint", "联合组建", "Joint party branch"),
        Instructor = ("instructor", "党建指导员", "Party-building instructor"),
    }
}

crate::labeled_enum! {
    /// Conclusion of an annual inspection or annual report (年检/年报结论).
    pub enum InspectionResult {
        Pass = ("pass", "合格", "Pass"),
        Basic = ("basic", "基本合格", "Basically pass"),
        Fail = ("fail", "不合格", "Fail"),
        Absent = ("absent", "未参检", "Not inspected"),
    }
}

crate::labeled_enum! {
    /// Rating level (等级评估).
    pub enum RatingLevel {
        A1 = ("1A", "1A", "1A"),
        A2 = ("2A", "2A", "2A"),
        A3 = ("3A", "3A", "3A"),
        A4 = ("4A", "4A", "4A"),
        A5 = ("5A", "5A", "5A"),
    }
}

impl Party {
    /// True when the organization has a party organization or instructor
    /// (counts towards 党组织覆盖率).
    pub fn covered(self) -> bool {
        self != Party::None
    }
}
