//! The place tree as small integers, so distances on the grid cost a few
//! comparisons: every place code gets a number, and each place knows its
//! community and township.

use std::collections::HashMap;

use crate::model::{Place, PlaceLevel};

/// Number of a place in a [`PlaceIndex`].
pub type PlaceId = u32;

/// No place.
pub const NONE: PlaceId = u32::MAX;

/// The ancestors of one place that matter for distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Chain {
    pub id: PlaceId,
    pub level: PlaceLevel,
    /// The grid cell it is in (itself for a grid cell), or [`NONE`].
    pub grid: PlaceId,
    /// Its community (itself for a community), or [`NONE`].
    pub community: PlaceId,
    /// Its township (itself for a township), or [`NONE`].
    pub township: PlaceId,
    /// Its district, or [`NONE`].
    pub district: PlaceId,
}

impl Chain {
    /// Whether `other` is this place or one of its ancestors.
    pub fn within(&self, other: &Chain) -> bool {
        other.id == self.id
            || other.id == self.grid
            || other.id == self.community
            || other.id == self.township
            || other.id == self.district
    }
}

/// Every place by code, with its chain of ancestors.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PlaceIndex {
    ids: HashMap<String, PlaceId>,
    chains: Vec<Chain>,
    places: Vec<Place>,
}

impl PlaceIndex {
    /// Builds the index. A place whose parent is missing, or a loop in the
    /// parents, simply ends its chain.
    pub fn new(places: &[Place]) -> PlaceIndex {
        let ids: HashMap<String, PlaceId> = places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.clone(), i as PlaceId))
            .collect();
        let mut chains = Vec::with_capacity(places.len());
        for (i, p) in places.iter().enumerate() {
            let mut c = Chain {
                id: i as PlaceId,
                level: p.level,
                grid: NONE,
                community: NONE,
                township: NONE,
                district: NONE,
            };
            let mut at = Some(i);
            // Five levels at most; the bound also stops a loop of parents.
            for _ in 0..6 {
                let Some(j) = at else { break };
                let q = &places[j];
                let slot = match q.level {
                    PlaceLevel::Grid => &mut c.grid,
                    PlaceLevel::Community => &mut c.community,
                    PlaceLevel::Township => &mut c.township,
                    PlaceLevel::District => &mut c.district,
                    PlaceLevel::MicroGrid => &mut c.id,
                };
                if *slot == NONE {
                    *slot = j as PlaceId;
                }
                at = q
                    .parent
                    .as_deref()
                    .and_then(|code| ids.get(code))
                    .map(|&k| k as usize);
            }
            chains.push(c);
        }
        PlaceIndex {
            ids,
            chains,
            places: places.to_vec(),
        }
    }

    /// The chain of a place code.
    pub fn chain(&self, code: &str) -> Option<&Chain> {
        self.ids.get(code).map(|&i| &self.chains[i as usize])
    }

    /// The place of a number.
    pub fn place(&self, id: PlaceId) -> Option<&Place> {
        self.places.get(id as usize)
    }

    /// Every place, in the order given.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The chains, in the order of [`places`](Self::places).
    pub fn chains(&self) -> &[Chain] {
        &self.chains
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn place(code: &str, name: &str, level: PlaceLevel, parent: Option<&str>) -> Place {
        Place {
            code: code.into(),
            name: name.into(),
            level,
            parent: parent.map(str::to_string),
        }
    }

    /// A district with one township of two communities, two grid cells each,
    /// and a second township.
    pub fn township() -> Vec<Place> {
        use PlaceLevel::*;
        vec![
            place("XH", "西湖区", District, None),
            place("BSJ", "北山街道", Township, Some("XH")),
            place("BSJ-01", "宝石社区", Community, Some("BSJ")),
            place("BSJ-01-01", "宝石一网格", Grid, Some("BSJ-01")),
            place("BSJ-01-02", "宝石二网格", Grid, Some("BSJ-01")),
            place("BSJ-02", "西湖社区", Community, Some("BSJ")),
            place("BSJ-02-01", "西湖一网格", Grid, Some("BSJ-02")),
            place("BSJ-02-02", "西湖二网格", Grid, Some("BSJ-02")),
            place("LYJ", "灵隐街道", Township, Some("XH")),
            place("LYJ-01", "玉泉社区", Community, Some("LYJ")),
            place("LYJ-01-01", "玉泉一网格", Grid, Some("LYJ-01")),
        ]
    }

    #[test]
    fn chains_know_their_ancestors() {
        let idx = PlaceIndex::new(&township());
        let g = *idx.chain("BSJ-01-02").unwrap();
        let c = *idx.chain("BSJ-01").unwrap();
        let t = *idx.chain("BSJ").unwrap();
        assert_eq!(g.community, c.id);
        assert_eq!(g.township, t.id);
        assert_eq!(c.grid, NONE);
        assert!(g.within(&c) && g.within(&t) && g.within(&g));
        assert!(!c.within(&g));
        assert!(!g.within(idx.chain("BSJ-02").unwrap()));
        assert!(idx.chain("NOPE").is_none());
    }
}
