//! Trusted writers and quarantine as `mindoo.*` functions: `trust_writer`, `revoke_writer`
//! and `writers()` (the tenant's list), `writer_log` and `add_writer_record` (how sync moves
//! the list's signed records between nodes), `quarantine` and `drop_quarantined` (the entries
//! a table refused on arrival).
//!
//! Invariants:
//! - Changing the list takes both the tenant's owner (or a superuser) as the SQL role and a
//!   list admin's identity presented in the session: the identity signs the record, so a
//!   keyless mirror can check it; the server's node key never signs one.
//! - Records from elsewhere (`add_writer_record`) need no privilege: their signatures decide,
//!   exactly as on the node that made them (storage's `add_writer_record`).
//! - Quarantined entries are listed to roles that may SELECT the table (they are ciphertext
//!   and metadata, like `mindoo.entries`); only superusers drop them.
//!
//! See: docs/SECURITY.md#trusted-writers, docs/SQL.md#trusted-writers-and-quarantine

use std::sync::Arc;

use mindoodb_protocol::{
    AuthorKey, EntryHash, Identity, ServerTime, Writer, WriterAction, WriterChange, WriterList,
    WriterRecord,
};
use mindoodb_storage::{QuarantineRecord, WriterAdded};

use crate::catalog::acl;
use crate::engine::read::table_fn::{Cell, Columns, FnCtx, Out, TableFn, optional, param};
use crate::engine::session::clock;
use crate::error::{Error, Result};
use crate::output::PgType;

const WRITER_COLUMNS: &str = "writer text, label text, admin bool, revoked bool, \
     trusted_at timestamptz, revoked_at timestamptz";

/// `mindoo.trust_writer(key [, label [, admin]])`.
pub(crate) static TRUST_WRITER: TableFn = TableFn {
    name: "trust_writer",
    params: &[
        param("writer", PgType::Text),
        optional("label", PgType::Text),
        optional("admin", PgType::Bool),
    ],
    columns: Columns::Fixed(WRITER_COLUMNS),
    sorted_by: &[],
    writes: true,
    run: |ctx, args, _limit, out| {
        let key = writer_key(args.text(0)?)?;
        let label = args.optional_text(1)?.unwrap_or_default().to_owned();
        let admin = args.optional_bool(2)?.unwrap_or(false);
        let writer = change(ctx, key, WriterAction::Trust { admin }, label)?;
        push_writer(out, &writer)
    },
};

/// `mindoo.revoke_writer(key)`.
pub(crate) static REVOKE_WRITER: TableFn = TableFn {
    name: "revoke_writer",
    params: &[param("writer", PgType::Text)],
    columns: Columns::Fixed(WRITER_COLUMNS),
    sorted_by: &[],
    writes: true,
    run: |ctx, args, _limit, out| {
        let key = writer_key(args.text(0)?)?;
        let writer = change(ctx, key, WriterAction::Revoke, String::new())?;
        push_writer(out, &writer)
    },
};

/// `mindoo.writers()`.
pub(crate) static WRITERS: TableFn = TableFn {
    name: "writers",
    params: &[],
    columns: Columns::Fixed(WRITER_COLUMNS),
    sorted_by: &["writer"],
    writes: false,
    run: |ctx, _args, _limit, out| {
        for writer in ctx.store.writer_list(ctx.tenant).writers() {
            push_writer(out, writer)?;
        }
        Ok(())
    },
};

/// `mindoo.writer_log(from [, limit])`: the list's signed records from seq `from` on.
pub(crate) static WRITER_LOG: TableFn = TableFn {
    name: "writer_log",
    params: &[param("from", PgType::Int8), optional("limit", PgType::Int4)],
    columns: Columns::Fixed("seq int8, record bytea"),
    sorted_by: &["seq"],
    writes: false,
    run: |ctx, args, limit, out| {
        let limit = args.limit(1)?.or(limit).unwrap_or(usize::MAX);
        for record in ctx
            .store
            .writer_records(ctx.tenant, args.seq(0)?.0, limit)?
        {
            out.push(vec![
                Cell::Int(record.seq() as i64),
                Cell::Bytes(record.bytes().to_vec()),
            ])?;
        }
        Ok(())
    },
};

/// `mindoo.add_writer_record(record)`: a record made elsewhere, appended when it is the list's
/// next and its signer may make it.
pub(crate) static ADD_WRITER_RECORD: TableFn = TableFn {
    name: "add_writer_record",
    params: &[param("record", PgType::Bytea)],
    columns: Columns::Fixed("seq int8, added bool"),
    sorted_by: &[],
    writes: true,
    run: |ctx, args, _limit, out| {
        let record = WriterRecord::verify(args.bytes(0)?).map_err(|err| {
            Error::InvalidParameter(format!("argument record is not a writer record: {err}"))
        })?;
        let added = ctx.store.add_writer_record(ctx.tenant, &record)?;
        out.push(vec![
            Cell::Int(record.seq() as i64),
            Cell::Bool(added == WriterAdded::Appended),
        ])
    },
};

/// `mindoo.quarantine(table)`.
pub(crate) static QUARANTINE: TableFn = TableFn {
    name: "quarantine",
    params: &[param("table", PgType::Text)],
    columns: Columns::Fixed(
        "hash text, signer text, reason text, quarantined_at timestamptz, source text, \
         sealed bytea, proof bytea",
    ),
    sorted_by: &["hash"],
    writes: false,
    run: |ctx, args, _limit, out| {
        let table = args.table(ctx, 0, acl::SELECT)?;
        let mut after: Option<[u8; 32]> = None;
        loop {
            let page = ctx
                .store
                .quarantined(table, after.as_ref(), QUARANTINE_PAGE)?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = Some(last.hash);
            let full = page.len() == QUARANTINE_PAGE;
            for record in page {
                push_quarantined(out, record)?;
            }
            if !full {
                return Ok(());
            }
        }
    },
};

/// `mindoo.drop_quarantined(table [, hash])`.
pub(crate) static DROP_QUARANTINED: TableFn = TableFn {
    name: "drop_quarantined",
    params: &[param("table", PgType::Text), optional("hash", PgType::Text)],
    columns: Columns::Fixed("dropped int8"),
    sorted_by: &[],
    writes: true,
    run: |ctx, args, _limit, out| {
        if !ctx.superuser {
            return Err(Error::InsufficientPrivilege(
                "only a superuser may drop quarantined entries".into(),
            ));
        }
        let table = args.table(ctx, 0, 0)?;
        let hash = match args.optional_text(1)? {
            None => None,
            Some(text) => Some(EntryHash::from_hex(text).ok_or_else(|| {
                Error::InvalidParameter(format!("{text:?} is not an entry hash (64 hex digits)"))
            })?),
        };
        let dropped = ctx
            .store
            .drop_quarantined(table, hash.as_ref().map(EntryHash::as_bytes))?;
        out.push(vec![Cell::Int(dropped as i64)])
    },
};

/// Quarantine records read per storage call: they carry sealed bytes, so a listing is paged.
const QUARANTINE_PAGE: usize = 64;

/// Signs `action` on `key` with the session's identity and appends it (and, on a tenant with
/// no list yet, the genesis record that makes that identity the list's root) to the list.
fn change(ctx: &FnCtx, key: AuthorKey, action: WriterAction, label: String) -> Result<Writer> {
    ctx.require_tenant_admin("change its writer list")?;
    let identity: Arc<Identity> = ctx.state.read().keys.identity().cloned().ok_or_else(|| {
        Error::InsufficientPrivilege(
            "changing the writer list needs a list admin's identity in the session \
             (SET mindoo.keys = 'mdbi1...')"
                .into(),
        )
    })?;
    let signer = identity.public();
    let time = ServerTime(clock::now_micros());
    let mut list = ctx.store.writer_list(ctx.tenant);
    if list.is_empty() {
        let root_label = if key == signer {
            label.clone()
        } else {
            "root".to_owned()
        };
        let genesis = WriterChange {
            subject: signer,
            action: WriterAction::Trust { admin: true },
            label: root_label,
            time,
        };
        append(ctx, &identity, &mut list, genesis)?;
        // The root is an admin: trusting it again as a plain writer would leave no admin.
        if key == signer && matches!(action, WriterAction::Trust { .. }) {
            return current(&list, &key);
        }
    }
    let unchanged = match (list.writer(&key), action) {
        (Some(writer), WriterAction::Trust { admin }) => {
            writer.revoked.is_none() && writer.admin == admin && writer.label == label
        }
        _ => false,
    };
    if !unchanged {
        let change = WriterChange {
            subject: key,
            action,
            label,
            time,
        };
        append(ctx, &identity, &mut list, change)?;
    }
    current(&list, &key)
}

/// Signs `change` as the list's next record, stores it, and folds it into `list`.
fn append(
    ctx: &FnCtx,
    identity: &Identity,
    list: &mut WriterList,
    change: WriterChange,
) -> Result<()> {
    let prev = list.head().map_or([0; 32], |(_, hash)| hash);
    let record = WriterRecord::sign(list.next_seq(), prev, change, identity)
        .map_err(|err| Error::InvalidParameter(err.to_string()))?;
    // Checked here first so that a refusal names the rule, not a storage failure.
    list.apply(&record).map_err(mindoodb_storage::Error::from)?;
    ctx.store.add_writer_record(ctx.tenant, &record)?;
    Ok(())
}

fn current(list: &WriterList, key: &AuthorKey) -> Result<Writer> {
    list.writer(key)
        .cloned()
        .ok_or_else(|| Error::Internal("a writer just changed is not on the list".into()))
}

fn writer_key(text: &str) -> Result<AuthorKey> {
    AuthorKey::from_hex(text).ok_or_else(|| {
        Error::InvalidParameter(format!(
            "{text:?} is not a writer's public key (64 hex digits, as mindoo.entries shows signer)"
        ))
    })
}

fn push_writer(out: &mut Out<'_>, writer: &Writer) -> Result<()> {
    out.push(vec![
        Cell::Text(writer.key.to_string()),
        Cell::text_or_null(&writer.label),
        Cell::Bool(writer.admin),
        Cell::Bool(writer.revoked.is_some()),
        Cell::Time(writer.trusted.1.0),
        writer
            .revoked
            .map_or(Cell::Null, |(_, time)| Cell::Time(time.0)),
    ])
}

fn push_quarantined(out: &mut Out<'_>, record: QuarantineRecord) -> Result<()> {
    out.push(vec![
        Cell::Text(EntryHash(record.hash).to_string()),
        record
            .signer
            .map_or(Cell::Null, |key| Cell::Text(key.to_string())),
        Cell::Text(record.reason),
        Cell::Time(record.at),
        Cell::Text(record.source),
        Cell::Bytes(record.sealed),
        record.proof.map_or(Cell::Null, Cell::Bytes),
    ])
}
