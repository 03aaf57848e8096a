//! Record ids, assigned without coordination: `{tag}-{seq}`, where `tag` is
//! six lowercase Crockford base-32 characters from the first 30 bits of the
//! database's replica id and `seq` a counter of that database (`k5d2wa-17`).
//! Two offices never hand out the same id. A place's id is its code.

use super::api::ReplicaId;

/// Crockford's base-32 alphabet (no i, l, o, u), lower case.
const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// The id tag of a replica.
pub fn replica_tag(replica: &ReplicaId) -> String {
    let bits = u32::from_be_bytes([replica[0], replica[1], replica[2], replica[3]]) >> 2;
    (0..6)
        .rev()
        .map(|i| CROCKFORD[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// The id of the `seq`-th record made by the replica with this tag.
pub fn record_id(tag: &str, seq: u64) -> String {
    format!("{tag}-{seq}")
}

/// Whether an id is acceptable in operations from elsewhere: 1-64 bytes of
/// printable characters (no separators or control characters).
pub fn id_ok(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && !id.chars().any(|c| c.is_control())
}

/// A new random replica id.
pub fn new_replica() -> Result<ReplicaId, String> {
    let mut r = [0u8; 16];
    getrandom::fill(&mut r).map_err(|e| format!("random replica id: {e}"))?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_uses_first_30_bits() {
        let mut r = [0u8; 16];
        assert_eq!(replica_tag(&r), "000000");
        r[0] = 0xff;
        r[1] = 0xff;
        r[2] = 0xff;
        r[3] = 0xfc;
        assert_eq!(replica_tag(&r), "zzzzzz");
        // The last two bits of byte 3 and the bytes after do not count.
        r[3] = 0xff;
        r[4] = 0x12;
        assert_eq!(replica_tag(&r), "zzzzzz");
        r = [0u8; 16];
        r[3] = 0b0000_0100;
        assert_eq!(replica_tag(&r), "000001");
        assert_eq!(record_id("k5d2wa", 17), "k5d2wa-17");
    }

    #[test]
    fn random_replicas_differ() {
        let a = new_replica().unwrap();
        let b = new_replica().unwrap();
        assert_ne!(a, b);
        let t = replica_tag(&a);
        assert_eq!(t.len(), 6);
        assert!(t.bytes().all(|c| CROCKFORD.contains(&c)));
    }

    #[test]
    fn ids_from_elsewhere() {
        assert!(id_ok("k5d2wa-17"));
        assert!(id_ok("BSJ-01"));
        assert!(!id_ok(""));
        assert!(!id_ok("a\0b"));
        assert!(!id_ok(&"x".repeat(65)));
    }
}
