//! Loading demo records into a store.

use crate::model::Record;
use crate::store::{Command, Store, StoreError};

/// Records per `execute_all` call: large enough that a 100,000-organization
/// township loads in a few transactions, small enough to bound memory.
pub const LOAD_CHUNK: usize = 1_000;

/// Creates every record in `store`, in order (so places must come
/// parent-first, as [`super::fixture_records`] and [`super::generate`] give
/// them), [`LOAD_CHUNK`] records per store call. Returns how many records
/// were created. Stops at the first error; the chunks before it stay written.
pub fn load(store: &Store, records: impl IntoIterator<Item = Record>) -> Result<usize, StoreError> {
    let mut created = 0;
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        let commands: Vec<Command> = records
            .by_ref()
            .take(LOAD_CHUNK)
            .map(|record| Command::Create { record })
            .collect();
        created += store.execute_all(commands)?.len();
    }
    Ok(created)
}

/// The office and network of the demo township: `sanshe demo` names its
/// new database with them, so that pane 6 exports at once.
pub const DEMO_OFFICE: &str = "北山街道";
pub const DEMO_NETWORK: &str = "西湖区";

/// Names the database's office and network as the demo township's, unless
/// a network is set already (then nothing changes). True when named.
pub fn name_office(store: &Store) -> Result<bool, StoreError> {
    if store.network().is_some() {
        return Ok(false);
    }
    store.set_office_and_network(DEMO_OFFICE, DEMO_NETWORK)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn fixtures_load_into_a_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(store.is_empty());
        let records = super::super::fixture_records().unwrap();
        let n_places = records
            .iter()
            .filter(|r| matches!(r, Record::Place(_)))
            .count();
        let n_orgs = records.len() - n_places;
        let with_code: Vec<String> = records
            .iter()
            .filter_map(|r| match r {
                Record::Org(o) => o.credit_code.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(load(&store, records).unwrap(), n_places + n_orgs);
        assert!(!store.is_empty());
        assert_eq!(store.count(Kind::Place), n_places);
        assert_eq!(store.count(Kind::Org), n_orgs);
        assert_eq!(store.orgs().unwrap().len(), n_orgs);
        // The credit-code index finds every registered organization.
        for code in &with_code {
            assert!(store.org_by_credit_code(code).unwrap().is_some(), "{code}");
        }
        let wjm = store
            .orgs()
            .unwrap()
            .into_iter()
            .find(|(_, o)| o.name == "望江门社区银龄互助会")
            .unwrap();
        assert_eq!(
            wjm.1.grid.as_deref().map(|g| g.starts_with("BSJ-06")),
            Some(true)
        );
    }

    #[test]
    fn the_demo_office_is_named_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(name_office(&store).unwrap());
        assert_eq!(store.office(), DEMO_OFFICE);
        assert_eq!(store.network().as_deref(), Some(DEMO_NETWORK));
        store.set_office_and_network("西溪街道", "余杭区").unwrap();
        assert!(!name_office(&store).unwrap(), "a network set is kept");
        assert_eq!(store.network().as_deref(), Some("余杭区"));
    }

    #[test]
    fn generated_data_loads_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let records = super::super::generate(LOAD_CHUNK + 500, 3);
        let total = records.len();
        assert_eq!(load(&store, records).unwrap(), total);
        assert_eq!(store.count(Kind::Org), LOAD_CHUNK + 500);
    }

    #[test]
    fn a_refused_record_stops_the_load() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let records = super::super::fixture_records().unwrap();
        // Loading the same records twice: the place codes are taken.
        load(&store, records.clone()).unwrap();
        let err = load(&store, records).unwrap_err();
        assert!(matches!(err, StoreError::DuplicatePlace { .. }), "{err:?}");
    }
}
