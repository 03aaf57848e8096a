//! Service domains: a fixed, ordered list.

crate::labeled_enum! {
    /// A service domain (服务领域) of an organization, need or offer.
    pub enum Domain {
        Elderly = ("elderly", "养老服务", "Elderly care"),
        Children = ("children", "儿童青少年", "Children and youth"),
        Disability = ("disability", "助残服务", "Disability support"),
        Family = ("family", "妇女家庭", "Women and family"),
        Assistance = ("assistance", "困难帮扶", "Hardship assistance"),
        Health = ("health", "医疗健康", "Health"),
        Culture = ("culture", "文化娱乐", "Culture"),
        Sports = ("sports", "体育健身", "Sports and fitness"),
        Education = ("education", "教育培训", "Education and training"),
        Environment = ("environment", "生态环境", "Environment"),
        Mediation = ("mediation", "矛盾调解", "Mediation"),
        Safety = ("safety", "平安建设", "Public safety"),
        Volunteer = ("volunteer", "志愿服务", "Volunteering"),
        Neighbourhood = ("neighbourhood", "邻里互助", "Neighbourhood mutual aid"),
        Livelihood = ("livelihood", "便民服务", "Everyday services"),
        Rural = ("rural", "农村发展", "Rural development"),
        Emergency = ("emergency", "应急救援", "Emergency response"),
        Hub = ("hub", "枢纽支持", "Hub and support"),
    }
}

/// Sorts and deduplicates domains into the fixed display order.
pub fn normalize(domains: &mut Vec<Domain>) {
    domains.sort();
    domains.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Labeled;

    #[test]
    fn eighteen_domains_in_order() {
        assert_eq!(Domain::ALL.len(), 18);
        assert_eq!(Domain::ALL[0].key(), "elderly");
        assert_eq!(Domain::ALL[17].zh(), "枢纽支持");
        let mut d = vec![Domain::Hub, Domain::Elderly, Domain::Hub];
        normalize(&mut d);
        assert_eq!(d, vec![Domain::Elderly, Domain::Hub]);
    }
}
