//! A tenant's trusted-writer list: the signed records that change it (canonical bytes,
//! signing, verification) and the rules that fold them into the list every node enforces.
//!
//! ```text
//! record = body ‖ signature(64)
//!
//!  0      4     5         13          45             77              109      110    118   119
//!  +------+-----+---------+-----------+--------------+---------------+--------+------+-----+-------+
//!  |"MDBW"| ver | seq u64 | prev (32) | signer (32)  | subject (32)  | action | time | len | label |
//!  +------+-----+---------+-----------+--------------+---------------+--------+------+-----+-------+
//! ```
//! `action` is 1 (trust as writer), 3 (trust as writer and list admin) or 2 (revoke); `time`
//! is the signing server's clock (i64 microseconds since the Unix epoch, little-endian like
//! every integer here); `label` is UTF-8, at most 255 bytes; `prev` is the hash of the record
//! at `seq - 1` (zeros for seq 0); `hash = BLAKE3(body)` and
//! `signature = Ed25519(signer, hash)`.
//!
//! The root of trust is the genesis record (seq 0): its signer trusts itself as an admin, and
//! every later record must be signed by a key that the records before it left trusted,
//! unrevoked and admin. A list is therefore judged from its own records alone: a node that
//! holds no key (a mirror) enforces exactly what the hub does.
//!
//! Invariants:
//! - A `WriterRecord` exists only after its signature checked out, or because this process
//!   signed it.
//! - `WriterList::apply` accepts exactly the next record of the chain (seq, prev) when its
//!   signer may change the list; otherwise the list is unchanged.
//! - Revocation is final: a revoked key is never trusted again, and the last unrevoked admin
//!   cannot be revoked (the list would be frozen for good).
//!
//! See: docs/FORMAT.md#writer-records, docs/SECURITY.md#trusted-writers

use std::collections::BTreeMap;

use ed25519_dalek::{Signature, VerifyingKey};

use crate::entry::{SIGNATURE_LEN, array};
use crate::receipt::ServerTime;
use crate::{AuthorKey, Error, Identity, Result, VerifyError};

const MAGIC: [u8; 4] = *b"MDBW";
const VERSION: u8 = 1;
const SEQ_OFFSET: usize = 5;
const PREV_OFFSET: usize = SEQ_OFFSET + 8;
const SIGNER_OFFSET: usize = PREV_OFFSET + 32;
const SUBJECT_OFFSET: usize = SIGNER_OFFSET + 32;
const ACTION_OFFSET: usize = SUBJECT_OFFSET + 32;
const TIME_OFFSET: usize = ACTION_OFFSET + 1;
const LABEL_LEN_OFFSET: usize = TIME_OFFSET + 8;
const LABEL_OFFSET: usize = LABEL_LEN_OFFSET + 1;
/// The longest label a record carries, in bytes.
pub const MAX_LABEL_LEN: usize = 255;

const TRUST: u8 = 1;
const REVOKE: u8 = 2;
const TRUST_ADMIN: u8 = 3;

/// What a record does to its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriterAction {
    /// Trust the subject's signatures on entries; an admin may also change the list.
    Trust {
        /// May sign later records of the list.
        admin: bool,
    },
    /// Stop trusting the subject, for good.
    Revoke,
}

impl WriterAction {
    fn to_byte(self) -> u8 {
        match self {
            WriterAction::Trust { admin: false } => TRUST,
            WriterAction::Trust { admin: true } => TRUST_ADMIN,
            WriterAction::Revoke => REVOKE,
        }
    }

    fn from_byte(byte: u8) -> Option<WriterAction> {
        match byte {
            TRUST => Some(WriterAction::Trust { admin: false }),
            TRUST_ADMIN => Some(WriterAction::Trust { admin: true }),
            REVOKE => Some(WriterAction::Revoke),
            _ => None,
        }
    }
}

/// What a record says, before it is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterChange {
    /// Whose signatures it is about.
    pub subject: AuthorKey,
    /// Trust or revoke.
    pub action: WriterAction,
    /// A name for people (`alice's laptop`); not interpreted.
    pub label: String,
    /// The signing server's clock.
    pub time: ServerTime,
}

/// One signed record of a writer list, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterRecord {
    bytes: Vec<u8>,
    seq: u64,
    prev: [u8; 32],
    signer: AuthorKey,
    change: WriterChange,
    hash: [u8; 32], // Invariant: BLAKE3(body).
}

impl WriterRecord {
    /// Signs `change` as the record at `seq` after the record hashed `prev`.
    pub fn sign(seq: u64, prev: [u8; 32], change: WriterChange, signer: &Identity) -> Result<Self> {
        let label = change.label.as_bytes();
        if label.len() > MAX_LABEL_LEN {
            return Err(Error::Oversize {
                field: "writer label",
                len: label.len(),
                max: MAX_LABEL_LEN,
            });
        }
        let mut bytes = Vec::with_capacity(LABEL_OFFSET + label.len() + SIGNATURE_LEN);
        bytes.extend_from_slice(&MAGIC);
        bytes.push(VERSION);
        bytes.extend_from_slice(&seq.to_le_bytes());
        bytes.extend_from_slice(&prev);
        bytes.extend_from_slice(&signer.public().0);
        bytes.extend_from_slice(&change.subject.0);
        bytes.push(change.action.to_byte());
        bytes.extend_from_slice(&change.time.0.to_le_bytes());
        bytes.push(label.len() as u8); // Bounded above.
        bytes.extend_from_slice(label);
        let hash = *blake3::hash(&bytes).as_bytes();
        bytes.extend_from_slice(&signer.sign(&hash));
        Ok(WriterRecord {
            bytes,
            seq,
            prev,
            signer: signer.public(),
            change,
            hash,
        })
    }

    /// Parses a record and checks its signature (strict).
    pub fn verify(bytes: &[u8]) -> Result<Self, WriterRecordError> {
        if bytes.len() < LABEL_OFFSET + SIGNATURE_LEN {
            return Err(Error::Malformed("truncated writer record").into());
        }
        if bytes[..4] != MAGIC {
            return Err(Error::Malformed("bad writer record magic").into());
        }
        if bytes[4] != VERSION {
            return Err(Error::UnsupportedVersion(bytes[4]).into());
        }
        let label_len = usize::from(bytes[LABEL_LEN_OFFSET]);
        let body_len = LABEL_OFFSET + label_len;
        match bytes.len().cmp(&(body_len + SIGNATURE_LEN)) {
            std::cmp::Ordering::Less => {
                return Err(Error::Malformed("truncated writer record").into());
            }
            std::cmp::Ordering::Greater => return Err(Error::TrailingBytes.into()),
            std::cmp::Ordering::Equal => {}
        }
        let action = WriterAction::from_byte(bytes[ACTION_OFFSET])
            .ok_or(Error::Malformed("unknown writer record action"))?;
        let label = std::str::from_utf8(&bytes[LABEL_OFFSET..body_len])
            .map_err(|_| Error::Malformed("writer label is not UTF-8"))?;
        let signer = AuthorKey(array(&bytes[SIGNER_OFFSET..SUBJECT_OFFSET]));
        let hash = *blake3::hash(&bytes[..body_len]).as_bytes();
        let key = VerifyingKey::from_bytes(&signer.0).map_err(|_| VerifyError::BadAuthorKey)?;
        key.verify_strict(&hash, &Signature::from_bytes(&array(&bytes[body_len..])))
            .map_err(|_| VerifyError::BadSignature)?;
        Ok(WriterRecord {
            seq: u64::from_le_bytes(array(&bytes[SEQ_OFFSET..PREV_OFFSET])),
            prev: array(&bytes[PREV_OFFSET..SIGNER_OFFSET]),
            signer,
            change: WriterChange {
                subject: AuthorKey(array(&bytes[SUBJECT_OFFSET..ACTION_OFFSET])),
                action,
                label: label.to_owned(),
                time: ServerTime(i64::from_le_bytes(array(
                    &bytes[TIME_OFFSET..LABEL_LEN_OFFSET],
                ))),
            },
            hash,
            bytes: bytes.to_vec(),
        })
    }

    /// The signed record, as stored and sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    /// Its position in the list, from 0.
    pub fn seq(&self) -> u64 {
        self.seq
    }
    /// BLAKE3 of the body: what the next record names as `prev`.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }
    /// Who signed it.
    pub fn signer(&self) -> AuthorKey {
        self.signer
    }
    /// What it says.
    pub fn change(&self) -> &WriterChange {
        &self.change
    }
}

/// Why record bytes are not a verified record.
#[derive(Debug, thiserror::Error)]
pub enum WriterRecordError {
    /// Not a well-formed record.
    #[error("{0}")]
    Format(#[from] Error),
    /// The signature does not check out.
    #[error("{0}")]
    Signature(#[from] VerifyError),
}

/// Why a verified record does not extend a list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriterListError {
    /// The record is not the next one: another seq, or `prev` names another record (a list
    /// that forked, or another tenant's).
    #[error("writer record {seq} does not continue this list (expected seq {expected})")]
    NotNext {
        /// The record's seq.
        seq: u64,
        /// The seq the list expects.
        expected: u64,
    },
    /// The first record must be signed by its subject, trusting itself as an admin.
    #[error("the first writer record must trust its own signer as an admin")]
    BadGenesis,
    /// The signer is not a trusted, unrevoked admin of the list.
    #[error("writer {0} may not change the writer list")]
    NotAdmin(AuthorKey),
    /// The subject was revoked before.
    #[error("writer {0} was revoked; revocation is final")]
    Revoked(AuthorKey),
    /// Revoking a key the list does not trust.
    #[error("writer {0} is not on the list")]
    Unknown(AuthorKey),
    /// Revoking the only admin left would freeze the list for good.
    #[error("writer {0} is the last admin of the list")]
    LastAdmin(AuthorKey),
}

/// What the list says of one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    /// The key.
    pub key: AuthorKey,
    /// Its label, from the newest record trusting it.
    pub label: String,
    /// May change the list.
    pub admin: bool,
    /// The seq and time of the record that first trusted it.
    pub trusted: (u64, ServerTime),
    /// The seq and time of the record that revoked it, if one did.
    pub revoked: Option<(u64, ServerTime)>,
}

/// A writer list folded from its records: who is trusted now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriterList {
    writers: BTreeMap<AuthorKey, Writer>,
    head: Option<(u64, [u8; 32])>,
}

impl WriterList {
    /// True before the genesis record: the tenant trusts any valid signature.
    pub fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// True when entries signed by `key` are accepted: the list is empty, or it trusts the
    /// key and has not revoked it.
    pub fn admits(&self, key: &AuthorKey) -> bool {
        self.is_empty()
            || self
                .writers
                .get(key)
                .is_some_and(|writer| writer.revoked.is_none())
    }

    /// The seq and hash of the newest record, or `None` for an empty list.
    pub fn head(&self) -> Option<(u64, [u8; 32])> {
        self.head
    }

    /// The seq the next record takes.
    pub fn next_seq(&self) -> u64 {
        self.head.map_or(0, |(seq, _)| seq + 1)
    }

    /// Every key the list names, revoked ones included, in key order.
    pub fn writers(&self) -> impl Iterator<Item = &Writer> {
        self.writers.values()
    }

    /// What the list says of `key`.
    pub fn writer(&self, key: &AuthorKey) -> Option<&Writer> {
        self.writers.get(key)
    }

    /// Checks that `record` is the next one and that its signer may make it, then folds it
    /// in. On error the list is unchanged.
    pub fn apply(&mut self, record: &WriterRecord) -> Result<(), WriterListError> {
        let expected = self.next_seq();
        let prev = self.head.map_or([0; 32], |(_, hash)| hash);
        if record.seq != expected || record.prev != prev {
            return Err(WriterListError::NotNext {
                seq: record.seq,
                expected,
            });
        }
        let change = &record.change;
        if self.is_empty() {
            if change.subject != record.signer
                || change.action != (WriterAction::Trust { admin: true })
            {
                return Err(WriterListError::BadGenesis);
            }
        } else if !self
            .writers
            .get(&record.signer)
            .is_some_and(|w| w.admin && w.revoked.is_none())
        {
            return Err(WriterListError::NotAdmin(record.signer));
        }
        let at = (record.seq, change.time);
        let admins = self.admins();
        match change.action {
            WriterAction::Trust { admin } => match self.writers.get_mut(&change.subject) {
                Some(writer) if writer.revoked.is_some() => {
                    return Err(WriterListError::Revoked(change.subject));
                }
                Some(writer) => {
                    if writer.admin && !admin && admins == 1 {
                        return Err(WriterListError::LastAdmin(change.subject));
                    }
                    writer.label.clone_from(&change.label);
                    writer.admin = admin;
                }
                None => {
                    self.writers.insert(
                        change.subject,
                        Writer {
                            key: change.subject,
                            label: change.label.clone(),
                            admin,
                            trusted: at,
                            revoked: None,
                        },
                    );
                }
            },
            WriterAction::Revoke => {
                let writer = match self.writers.get(&change.subject) {
                    None => return Err(WriterListError::Unknown(change.subject)),
                    Some(writer) if writer.revoked.is_some() => {
                        return Err(WriterListError::Revoked(change.subject));
                    }
                    Some(writer) => writer,
                };
                if writer.admin && admins == 1 {
                    return Err(WriterListError::LastAdmin(change.subject));
                }
                if let Some(writer) = self.writers.get_mut(&change.subject) {
                    writer.revoked = Some(at);
                }
            }
        }
        self.head = Some((record.seq, record.hash));
        Ok(())
    }

    fn admins(&self) -> usize {
        self.writers
            .values()
            .filter(|w| w.admin && w.revoked.is_none())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(subject: &Identity, action: WriterAction) -> WriterChange {
        WriterChange {
            subject: subject.public(),
            action,
            label: "laptop".into(),
            time: ServerTime(1_700_000_000_000_000),
        }
    }

    fn next(list: &WriterList, change: WriterChange, signer: &Identity) -> WriterRecord {
        let prev = list.head().map_or([0; 32], |(_, hash)| hash);
        WriterRecord::sign(list.next_seq(), prev, change, signer).unwrap()
    }

    #[test]
    fn records_round_trip_and_any_flipped_bit_fails() {
        let root = Identity::from_seed(&[1; 32]);
        let record = WriterRecord::sign(
            0,
            [0; 32],
            change(&root, WriterAction::Trust { admin: true }),
            &root,
        )
        .unwrap();
        assert_eq!(WriterRecord::verify(record.bytes()).unwrap(), record);
        for at in [0, 4, 5, 13, 45, 77, 109, 110, 118, record.bytes().len() - 1] {
            let mut bytes = record.bytes().to_vec();
            bytes[at] ^= 1;
            assert!(WriterRecord::verify(&bytes).is_err(), "flipped byte {at}");
        }
        let mut longer = record.bytes().to_vec();
        longer.push(0);
        assert!(WriterRecord::verify(&longer).is_err());
        assert!(WriterRecord::verify(&record.bytes()[..100]).is_err());
    }

    #[test]
    fn the_genesis_signer_is_the_root_and_only_admins_change_the_list() {
        let (root, laptop, thief) = (
            Identity::from_seed(&[1; 32]),
            Identity::from_seed(&[2; 32]),
            Identity::from_seed(&[3; 32]),
        );
        let mut list = WriterList::default();
        assert!(list.admits(&thief.public()));
        let bad_genesis = next(
            &list,
            change(&laptop, WriterAction::Trust { admin: true }),
            &root,
        );
        assert_eq!(list.apply(&bad_genesis), Err(WriterListError::BadGenesis));
        let genesis = next(
            &list,
            change(&root, WriterAction::Trust { admin: true }),
            &root,
        );
        list.apply(&genesis).unwrap();
        assert!(!list.admits(&thief.public()));
        let by_thief = next(
            &list,
            change(&thief, WriterAction::Trust { admin: false }),
            &thief,
        );
        assert_eq!(
            list.apply(&by_thief),
            Err(WriterListError::NotAdmin(thief.public()))
        );
        let trust = next(
            &list,
            change(&laptop, WriterAction::Trust { admin: false }),
            &root,
        );
        list.apply(&trust).unwrap();
        assert!(list.admits(&laptop.public()));
        // A replayed or stale record does not continue the list.
        assert!(matches!(
            list.apply(&trust),
            Err(WriterListError::NotNext { .. })
        ));
        let revoke = next(&list, change(&laptop, WriterAction::Revoke), &root);
        list.apply(&revoke).unwrap();
        assert!(!list.admits(&laptop.public()));
        let again = next(
            &list,
            change(&laptop, WriterAction::Trust { admin: false }),
            &root,
        );
        assert_eq!(
            list.apply(&again),
            Err(WriterListError::Revoked(laptop.public()))
        );
        let last = next(&list, change(&root, WriterAction::Revoke), &root);
        assert_eq!(
            list.apply(&last),
            Err(WriterListError::LastAdmin(root.public()))
        );
        assert_eq!(list.next_seq(), 3);
    }
}
