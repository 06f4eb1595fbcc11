//! A key holder's connection to a MindooDB server: documents are sealed and signed here and
//! pushed with `mindoo.apply`, sealed entries are fetched with `mindoo.entries` /
//! `mindoo.proof` and opened here. The server stores what it cannot read.
//!
//! Invariants:
//! - No key, token or plaintext is ever sent: only sealed entries travel to the server.
//! - Nothing the server returns is believed unchecked: entries are verified, documents are
//!   read through `verify_proof`, and a held key must open what claims to be under it.
//! - Updates and deletes name every current head as a parent, so they also resolve conflicts.
//!
//! See: client/examples/, docs/SQL.md#mindooapply

use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures_util::SinkExt as _;
use mindoodb_protocol::{
    AuthorClock, AuthorKey, DataKey, DocId, Draft, EntryHash, EntryKind, Identity, KeyName, Nonce,
    Plaintext, Receiver, UnverifiedEntry, VerifiedEntry, carry_proof, open, seal,
};
use zeroize::Zeroizing;

use crate::binary_copy::{CopyRow, binary_copy};
use crate::keyring::Keyring;
use crate::peer::Peer;
use crate::proof::{ProofEntry, VerifiedHistory, verify_proof};
use crate::{Error, Result};

/// A connection that seals, signs and opens with the keys of a keyring.
pub struct Client {
    peer: Peer,
    keyring: Keyring,
}

/// A document as its verified history gives it.
pub struct Document {
    /// Its id.
    pub id: DocId,
    /// The winning head (`rev` in SQL).
    pub rev: EntryHash,
    /// Every head; more than one is a conflict.
    pub heads: Vec<EntryHash>,
    /// Who signed the winning head.
    pub author: AuthorKey,
    /// The JSON of the winning head; `None` when it is a delete.
    pub json: Option<Zeroizing<String>>,
}

/// One entry of `mindoo.entries`, verified, and opened when the keyring holds its key.
pub struct OpenedEntry {
    /// Its seq in the server's log.
    pub seq: i64,
    /// The entry.
    pub entry: VerifiedEntry,
    /// Its plaintext, when the key is held (empty for deletes).
    pub plaintext: Option<Plaintext>,
}

impl Client {
    /// Connects to the server at `conninfo`; the keyring's identity signs every write.
    pub async fn connect(conninfo: &str, keyring: Keyring) -> Result<Client> {
        if keyring.identity().is_none() {
            return Err(Error::Invalid(
                "the keyring has no identity to sign with; create one (mindoodb identity new)"
                    .into(),
            ));
        }
        Ok(Client {
            peer: Peer::connect(conninfo).await?,
            keyring,
        })
    }

    /// The underlying tokio-postgres client, for plain SQL.
    pub fn sql(&self) -> &tokio_postgres::Client {
        self.peer.client()
    }

    /// The keyring.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// Creates document `id` in `table`, sealed with the newest version of `key`.
    pub async fn insert(&self, table: &str, id: &str, json: &str, key: &str) -> Result<EntryHash> {
        check_json(json)?;
        let doc_id = DocId::new(id)?;
        if self.history(table, &doc_id).await?.is_some() {
            return Err(Error::Invalid(format!("document {doc_id} exists already")));
        }
        let key_name = KeyName::new(key)?;
        let key = self
            .keyring
            .newest(&key_name)
            .ok_or_else(|| Error::Invalid(format!("the keyring holds no key {key_name}")))?;
        self.write(
            table,
            EntryKind::Create,
            doc_id,
            Vec::new(),
            json.as_bytes(),
            key,
        )
        .await
    }

    /// Replaces document `id`'s JSON; the new revision names every head as its parent and is
    /// sealed with the newest held version of the document's key.
    pub async fn update(&self, table: &str, id: &str, json: &str) -> Result<EntryHash> {
        check_json(json)?;
        self.revise(table, id, EntryKind::Update, json.as_bytes())
            .await
    }

    /// Deletes document `id` (a tombstone naming every head).
    pub async fn delete(&self, table: &str, id: &str) -> Result<EntryHash> {
        self.revise(table, id, EntryKind::Delete, b"").await
    }

    /// Document `id` as its verified history gives it; `None` if the server has no entry of it.
    pub async fn get(&self, table: &str, id: &str) -> Result<Option<Document>> {
        let doc_id = DocId::new(id)?;
        let Some(history) = self.history(table, &doc_id).await? else {
            return Ok(None);
        };
        let winner = history
            .entries
            .iter()
            .find(|e| e.hash() == history.winner)
            .ok_or_else(|| Error::Peer("a proof without its winner".into()))?;
        let json = match winner.header().kind() {
            EntryKind::Delete => None,
            EntryKind::Create | EntryKind::Update => {
                let key = self.keyring.key(winner.header().key()).ok_or_else(|| {
                    Error::Invalid(format!(
                        "the keyring holds no key {} for document {doc_id}",
                        winner.header().key()
                    ))
                })?;
                let plain = open(winner, key)?;
                let text = String::from_utf8(plain.to_vec())
                    .map_err(|_| Error::Peer(format!("document {doc_id} is not UTF-8")))?;
                Some(Zeroizing::new(text))
            }
        };
        Ok(Some(Document {
            id: doc_id,
            rev: history.winner,
            heads: history.heads,
            author: winner.header().author(),
            json,
        }))
    }

    /// The verified history of document `id` (`mindoo.proof` checked by `verify_proof`).
    pub async fn history(&self, table: &str, doc_id: &DocId) -> Result<Option<VerifiedHistory>> {
        let rows = self
            .sql()
            .query(
                "SELECT seq, rev, signer, header, signature, sealed, head, winner, proof, \
                 receipt FROM mindoo.proof($1::text, $2::text)",
                &[&table, &doc_id.as_str()],
            )
            .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let proof = rows
            .iter()
            .map(|row| {
                Ok(ProofEntry {
                    seq: row.try_get(0)?,
                    rev: row.try_get(1)?,
                    signer: row.try_get(2)?,
                    header: row.try_get(3)?,
                    signature: row.try_get(4)?,
                    sealed: row.try_get(5)?,
                    head: row.try_get(6)?,
                    winner: row.try_get(7)?,
                    proof: row.try_get(8)?,
                    receipt: row.try_get(9)?,
                })
            })
            .collect::<Result<Vec<_>, tokio_postgres::Error>>()?;
        Ok(Some(verify_proof(doc_id, &proof)?))
    }

    /// Up to `limit` entries of `table` after seq `since`, verified, opened where a key is held.
    pub async fn entries(&self, table: &str, since: i64, limit: i32) -> Result<Vec<OpenedEntry>> {
        let rows = self
            .sql()
            .query(
                "SELECT seq, sealed, proof FROM mindoo.entries($1::text, $2::int8, $3::int4)",
                &[&table, &since, &limit],
            )
            .await?;
        let mut receiver = Receiver::new();
        rows.iter()
            .map(|row| {
                let seq: i64 = row.try_get(0)?;
                let entry = UnverifiedEntry::parse(row.try_get::<_, Vec<u8>>(1)?)?;
                let proof: Option<&[u8]> = row.try_get(2)?;
                let entry = receiver.verify(entry, proof)?;
                let plaintext = match self.keyring.key(entry.header().key()) {
                    Some(key) => Some(open(&entry, key)?),
                    None => None,
                };
                Ok(OpenedEntry {
                    seq,
                    entry,
                    plaintext,
                })
            })
            .collect()
    }

    /// Sends entries sealed elsewhere with one `COPY ... FROM STDIN (FORMAT binary)`;
    /// returns how many the server took (entries it held already count too).
    pub async fn push(&self, table: &str, entries: &[VerifiedEntry]) -> Result<u64> {
        let table = checked_table_name(table)?;
        let proofs: Vec<Option<Vec<u8>>> = entries
            .iter()
            .map(|e| {
                e.inclusion()
                    .map(|inclusion| carry_proof(inclusion.commit().bytes(), &inclusion.path()))
            })
            .collect();
        let sealed: Vec<CopyRow<'_>> = entries
            .iter()
            .zip(&proofs)
            .map(|(e, proof)| (e.bytes(), proof.as_deref()))
            .collect();
        let sink = self
            .sql()
            .copy_in::<_, Bytes>(&format!("COPY {table} FROM STDIN (FORMAT binary)"))
            .await?;
        let mut sink = std::pin::pin!(sink);
        sink.send(binary_copy(&sealed)).await?;
        Ok(sink.finish().await?)
    }

    async fn revise(
        &self,
        table: &str,
        id: &str,
        kind: EntryKind,
        plaintext: &[u8],
    ) -> Result<EntryHash> {
        let doc_id = DocId::new(id)?;
        let history = self
            .history(table, &doc_id)
            .await?
            .ok_or_else(|| Error::Invalid(format!("document {doc_id} does not exist")))?;
        let winner = history
            .entries
            .iter()
            .find(|e| e.hash() == history.winner)
            .ok_or_else(|| Error::Peer("a proof without its winner".into()))?;
        let name = winner.header().key().name.clone();
        let key = self
            .keyring
            .newest(&name)
            .ok_or_else(|| Error::Invalid(format!("the keyring holds no key {name}")))?;
        self.write(table, kind, doc_id, history.heads, plaintext, key)
            .await
    }

    async fn write(
        &self,
        table: &str,
        kind: EntryKind,
        doc_id: DocId,
        parents: Vec<EntryHash>,
        plaintext: &[u8],
        key: &DataKey,
    ) -> Result<EntryHash> {
        let identity: &Identity = self
            .keyring
            .identity()
            .ok_or_else(|| Error::Invalid("the keyring has no identity".into()))?;
        let draft = Draft {
            kind,
            doc_id,
            parents,
            clock: now(),
            signer_role: String::new(),
        };
        let entry = seal(draft, plaintext, key, identity, Nonce::random()?)?;
        self.sql()
            .query_one(
                "SELECT applied FROM mindoo.apply($1::text, $2::bytea)",
                &[&table, &entry.bytes()],
            )
            .await?;
        Ok(entry.hash())
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("peer", &self.peer)
            .field("keyring", &self.keyring)
            .finish()
    }
}

/// The author clock: microseconds since the Unix epoch.
fn now() -> AuthorClock {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX));
    AuthorClock(micros)
}

fn check_json(json: &str) -> Result<()> {
    serde_json::from_str::<serde_json::Value>(json)
        .map(|_| ())
        .map_err(|e| Error::Invalid(format!("not JSON: {e}")))
}

/// Table names go into COPY's text unquoted: allow only what storage allows.
fn checked_table_name(table: &str) -> Result<&str> {
    let mut bytes = table.bytes();
    let valid = matches!(bytes.next(), Some(b'a'..=b'z' | b'_'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_'))
        && table.len() <= 63;
    if valid {
        Ok(table)
    } else {
        Err(Error::Invalid(format!("{table:?} is not a table name")))
    }
}
