//! Staging commits and receipts: a format-2 entry's commit stored once per tenant, authors'
//! chain heads, commits the commit thread signs, commits and receipts imported alone.
//!
//! Invariants:
//! - A commit is stored once per tenant (by hash), at the next seq of the tenant's commit log.
//! - An author's chain head moves to a newly stored commit only when that commit names the
//!   head as its previous one (or the author had none): imports of older or forked commits
//!   never move it back, and a signing transaction always extends it. A commit to be signed is
//!   chained by its body's hash, which its signature does not change.
//! - A `Write::Local` commit must name a previous commit the tenant holds (no gap made here).
//! - A receipt of one server never overlaps another of the same server: it is stored once, or
//!   refused when a different one covers any of its seqs.
//!
//! See: docs/FORMAT.md#commits, docs/FORMAT.md#receipts

use mindoodb_protocol::{
    AuthorKey, CommitDraft, CommitHash, Inclusion, VerifiedReceipt, prepare_commit,
};

use crate::commit::{CommitImport, Outcome, SigningTransaction};
use crate::layout::{self, CF_COMMIT_INDEX};
use crate::record::{self, Leaf};
use crate::stage::{
    Ctx, KnownCommit, NewCommit, NewReceipt, PendingSignature, ReceiptRange, Staged, next_seq,
};
use crate::{CommitSeq, Error, ReceiptSeq, Result, TenantId};

impl Staged {
    /// Where an appended format-2 entry sits: its commit, stored now if the tenant lacks it.
    pub(crate) fn stage_inclusion(
        &mut self,
        ctx: &mut Ctx<'_>,
        tenant: TenantId,
        inclusion: &Inclusion,
        local: bool,
    ) -> Result<Leaf> {
        let commit = inclusion.commit();
        let known = match self.known_commit(ctx, tenant, &commit.hash())? {
            Some(known) => known,
            None => {
                if local
                    && let Some(prev) = commit.prev()
                    && self.known_commit(ctx, tenant, &prev)?.is_none()
                {
                    return Err(Error::UnknownPrevCommit {
                        commit: commit.hash(),
                        prev,
                    });
                }
                let import = match inclusion.tree() {
                    Some(tree) => CommitImport::Tree(tree.clone()),
                    None => CommitImport::Bare(commit.clone()),
                };
                self.stage_new_commit(ctx, tenant, &import)?
            }
        };
        Ok(if known.has_leaves {
            Leaf::at(known.seq, inclusion.index())
        } else {
            Leaf {
                commit: known.seq,
                path: inclusion.path(),
            }
        })
    }

    /// Stages a signing transaction's entries, then prepares its commit on the author's chain
    /// head as it stands now (this member and the group's earlier ones included); the commit
    /// thread signs it once the whole group staged (`pending`).
    pub(crate) fn stage_signing(
        &mut self,
        ctx: &mut Ctx<'_>,
        txn: SigningTransaction,
    ) -> Result<Vec<Outcome>> {
        let tenant = match txn.writes.first() {
            Some((table, _)) => table.tenant,
            None => {
                return Err(Error::InvalidCommit(
                    "a commit holds at least one entry".into(),
                ));
            }
        };
        if txn.writes.iter().any(|(table, _)| table.tenant != tenant) {
            return Err(Error::InvalidCommit(
                "a commit's entries belong to one tenant".into(),
            ));
        }
        let mut outcomes = Vec::with_capacity(txn.writes.len());
        for (table, entry) in &txn.writes {
            outcomes.push(self.stage_entry(ctx, *table, entry, true)?);
        }
        let author = txn.signer.public();
        let draft = CommitDraft {
            clock: txn.clock,
            prev: self.head(ctx, tenant, &author)?.map(|(_, hash)| hash),
        };
        let unsigned = prepare_commit(author, draft, txn.writes.iter().map(|(_, entry)| entry))
            .map_err(|err| Error::InvalidCommit(err.to_string()))?;
        let known = self.stage_commit(ctx, tenant, unsigned.hash(), author, draft.prev, None)?;
        for ((table, entry), (outcome, index)) in
            txn.writes.into_iter().zip(outcomes.iter().zip(0u32..))
        {
            if let Outcome::Appended(seq) = outcome {
                self.push_entry(
                    table,
                    *seq,
                    entry.into_entry(),
                    Some(Leaf::at(known.seq, index)),
                );
            }
        }
        self.pending = Some(PendingSignature {
            unsigned,
            signer: txn.signer,
            tenant,
            seq: known.seq,
        });
        Ok(outcomes)
    }

    /// Stores commits alone (their entries come later or elsewhere); each once.
    pub(crate) fn stage_commit_imports(
        &mut self,
        ctx: &mut Ctx<'_>,
        tenant: TenantId,
        commits: Vec<CommitImport>,
    ) -> Result<Vec<CommitSeq>> {
        check_tenant(ctx, tenant)?;
        let mut seqs = Vec::with_capacity(commits.len());
        for import in &commits {
            let known = match self.known_commit(ctx, tenant, &import.commit().hash())? {
                Some(known) => known,
                None => self.stage_new_commit(ctx, tenant, import)?,
            };
            seqs.push(known.seq);
        }
        Ok(seqs)
    }

    /// Stores a receipt whose commits the caller checked, once; refuses an overlapping one.
    pub(crate) fn stage_receipt(
        &mut self,
        ctx: &mut Ctx<'_>,
        tenant: TenantId,
        receipt: &VerifiedReceipt,
        commits: &[CommitHash],
    ) -> Result<ReceiptSeq> {
        check_tenant(ctx, tenant)?;
        let server = receipt.server();
        if let Some((last, range)) = self.receipt_covering(ctx, tenant, &server, receipt.first())?
            && range.first <= receipt.last()
        {
            if last == receipt.last()
                && range.first == receipt.first()
                && range.hash == receipt.hash()
            {
                return Ok(range.seq);
            }
            return Err(Error::ReceiptConflict {
                server,
                first: receipt.first(),
                last: receipt.last(),
            });
        }
        let shared = ctx.shared;
        let seq = ReceiptSeq(next_seq(
            &mut ctx.counters.receipts,
            &ctx.group.next_receipt_seq,
            &mut self.next_receipt_seq,
            tenant,
            || shared.last_tagged_seq(&layout::receipts_prefix(tenant)),
        )?);
        let range = ReceiptRange {
            seq,
            first: receipt.first(),
            hash: receipt.hash(),
        };
        self.receipt_ranges
            .insert((tenant, server, receipt.last()), range);
        self.new_receipts.push(NewReceipt {
            tenant,
            seq,
            server,
            range,
            last: receipt.last(),
            record: record::encode_receipt(receipt.bytes(), commits),
        });
        Ok(seq)
    }

    /// The tenant's commit of that hash: staged by this member or the group, or stored.
    fn known_commit(
        &mut self,
        ctx: &Ctx<'_>,
        tenant: TenantId,
        hash: &CommitHash,
    ) -> Result<Option<KnownCommit>> {
        let key = (tenant, *hash);
        if let Some(known) = self
            .commits
            .get(&key)
            .or_else(|| ctx.group.commits.get(&key))
        {
            return Ok(Some(*known));
        }
        let Some(value) = ctx.shared.db.get_pinned_cf(
            &ctx.shared.cf(CF_COMMIT_INDEX),
            layout::commit_hash_key(tenant, hash),
        )?
        else {
            return Ok(None);
        };
        let known = record::decode_known(&value)
            .ok_or_else(|| Error::Corrupted("bad commit index value".into()))?;
        self.commits.insert(key, known);
        Ok(Some(known))
    }

    /// The author's chain head in `tenant`: as this member or the group moved it, or stored.
    fn head(
        &self,
        ctx: &Ctx<'_>,
        tenant: TenantId,
        author: &AuthorKey,
    ) -> Result<Option<(CommitSeq, CommitHash)>> {
        let key = (tenant, *author);
        if let Some(head) = self.heads.get(&key).or_else(|| ctx.group.heads.get(&key)) {
            return Ok(Some(*head));
        }
        ctx.shared
            .db
            .get_pinned_cf(
                &ctx.shared.cf(CF_COMMIT_INDEX),
                layout::head_key(tenant, author),
            )?
            .map(|value| {
                record::decode_head(&value)
                    .ok_or_else(|| Error::Corrupted("bad chain head value".into()))
            })
            .transpose()
    }

    /// Stores a commit the tenant lacks, given whole.
    fn stage_new_commit(
        &mut self,
        ctx: &mut Ctx<'_>,
        tenant: TenantId,
        import: &CommitImport,
    ) -> Result<KnownCommit> {
        let commit = import.commit();
        let leaves = match import {
            CommitImport::Tree(tree) => Some(tree.leaves()),
            CommitImport::Bare(_) => None,
        };
        let record = record::encode_commit(commit.bytes(), leaves);
        let known = self.stage_commit(
            ctx,
            tenant,
            commit.hash(),
            commit.author(),
            commit.prev(),
            Some((record, leaves.is_some())),
        )?;
        Ok(known)
    }

    /// Gives a commit the tenant lacks its seq, and moves its author's head when it extends it.
    /// `record` (with whether it holds the leaves) is `None` for a commit not signed yet, whose
    /// record the commit thread puts once it is (with its leaves).
    fn stage_commit(
        &mut self,
        ctx: &mut Ctx<'_>,
        tenant: TenantId,
        hash: CommitHash,
        author: AuthorKey,
        prev: Option<CommitHash>,
        record: Option<(Vec<u8>, bool)>,
    ) -> Result<KnownCommit> {
        let shared = ctx.shared;
        let seq = CommitSeq(next_seq(
            &mut ctx.counters.commits,
            &ctx.group.next_commit_seq,
            &mut self.next_commit_seq,
            tenant,
            || shared.last_tagged_seq(&layout::commits_prefix(tenant)),
        )?);
        let known = KnownCommit {
            seq,
            has_leaves: record.as_ref().is_none_or(|(_, has_leaves)| *has_leaves),
        };
        self.new_commits.push(NewCommit {
            tenant,
            hash,
            known,
            record: record.map(|(record, _)| record),
        });
        self.commits.insert((tenant, hash), known);
        let head = self.head(ctx, tenant, &author)?;
        if head.is_none() || prev == head.map(|(_, head)| head) {
            self.heads.insert((tenant, author), (seq, hash));
        }
        Ok(known)
    }

    /// The receipt of `server` with the least last seq at or after `seq`, staged or stored.
    fn receipt_covering(
        &self,
        ctx: &Ctx<'_>,
        tenant: TenantId,
        server: &AuthorKey,
        seq: u64,
    ) -> Result<Option<(u64, ReceiptRange)>> {
        let staged = |staged: &Staged| {
            staged
                .receipt_ranges
                .range((tenant, *server, seq)..=(tenant, *server, u64::MAX))
                .next()
                .map(|((_, _, last), range)| (*last, *range))
        };
        let prefix = layout::receipt_ranges_prefix(tenant, server);
        let mut iter = ctx
            .shared
            .db
            .raw_iterator_cf(&ctx.shared.cf(CF_COMMIT_INDEX));
        iter.seek(layout::receipt_range_key(tenant, server, seq));
        let stored = match iter.item() {
            Some((key, value)) if key.starts_with(&prefix) => Some((
                layout::last_of_receipt_range_key(key)
                    .ok_or_else(|| Error::Corrupted("bad receipt index key".into()))?,
                record::decode_range(value)
                    .ok_or_else(|| Error::Corrupted("bad receipt index value".into()))?,
            )),
            _ => {
                iter.status()?;
                None
            }
        };
        Ok([staged(self), staged(ctx.group), stored]
            .into_iter()
            .flatten()
            .min_by_key(|(last, _)| *last))
    }
}

fn check_tenant(ctx: &Ctx<'_>, tenant: TenantId) -> Result<()> {
    if ctx.catalog.tenants.values().any(|t| t.id == tenant) {
        Ok(())
    } else {
        Err(Error::NoSuchTenant(tenant.0.to_string()))
    }
}
