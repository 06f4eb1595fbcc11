//! INSERT ... ON CONFLICT: which conflict a statement names (a document's id is the only
//! unique thing, so the arbiter is `(id)` or the constraint `<table>_pkey`) and what it does on
//! one: nothing, or an UPDATE of the document it met. The new `data` is computed by a
//! DataFusion SELECT of that one document, in which `excluded.id`, `excluded.data` and
//! `excluded.key_id` stand for the proposed row's values.
//!
//! Invariants:
//! - As PostgreSQL 15: a target other than `id` is 42P10, an unknown column in it 42703, an
//!   unknown constraint 42704, DO UPDATE without a target 42601; a row proposed twice in one
//!   statement is skipped by DO NOTHING and is 21000 for DO UPDATE; a document whose DO UPDATE
//!   `WHERE` is not true stays as it is and is not counted or returned.
//! - A conflict is a live document with the id, whether or not the session holds its key (as a
//!   plain INSERT's 23505 is); DO UPDATE of a document the session cannot read is 23505, since
//!   its new revision cannot be computed.
//! - The updated revision keeps the document's key and names its heads as parents; if the
//!   document changed after it was read, the statement fails with 40001 (`modify.rs`'s rule).
//! - Reading the met document goes through a table scan, so a read-audited table records it.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CastKind, ConflictTarget, DataType, DoUpdate, Expr, Ident, ObjectName,
    OnConflictAction, OnInsert, Query, TableAlias, TableAliasWithoutColumns, TableFactor,
    Value as SqlValue, VisitMut, VisitorMut,
};
use mindoodb_protocol::{AuthorClock, DocId, EntryKind, KeyName};
use mindoodb_storage::TableInfo;

use super::insert::{Proposed, inserted};
use super::modify::assigned_data;
use super::revision::{self, Revision};
use crate::catalog::doc_columns::doc_column;
use crate::catalog::names;
use crate::engine::read::query;
use crate::engine::read::visible::Current;
use crate::engine::session::Session;
use crate::engine::sql::ast::{select, table};
use crate::error::{Error, Result};

/// The proposed row's columns a DO UPDATE may read as `excluded.<column>`: the ones an INSERT
/// gives. The others are generated when the revision is written.
const EXCLUDED_COLUMNS: [&str; 3] = ["id", "data", "key_id"];

/// An INSERT's ON CONFLICT clause, checked against its table.
pub(crate) struct OnConflict {
    action: Action,
}

enum Action {
    Nothing,
    Update(Box<Update>),
}

impl OnConflict {
    /// The clause `on` of an INSERT into `info` (named `name`, aliased `alias`), if it has one.
    pub(crate) fn of(
        on: Option<OnInsert>,
        info: &TableInfo,
        name: &ObjectName,
        alias: Option<&TableAliasWithoutColumns>,
    ) -> Result<Option<OnConflict>> {
        let conflict = match on {
            None => return Ok(None),
            Some(OnInsert::OnConflict(conflict)) => conflict,
            // MySQL's ON DUPLICATE KEY UPDATE, and whatever sqlparser adds.
            Some(_) => return Err(Error::Syntax("ON DUPLICATE KEY UPDATE".into())),
        };
        if let Some(target) = &conflict.conflict_target {
            check_target(target, info)?;
        }
        let action = match conflict.action {
            OnConflictAction::DoNothing => Action::Nothing,
            OnConflictAction::DoUpdate(_) if conflict.conflict_target.is_none() => {
                return Err(Error::Syntax(
                    "ON CONFLICT DO UPDATE requires inference specification or constraint name"
                        .into(),
                ));
            }
            OnConflictAction::DoUpdate(DoUpdate {
                assignments,
                selection,
            }) => Action::Update(Box::new(Update {
                target: name.clone(),
                alias: alias.map(|alias| alias.alias.clone()),
                data: assigned_data(assignments)?,
                selection,
            })),
        };
        Ok(Some(OnConflict { action }))
    }

    /// The revision, if any, that the proposed row `proposed` writes where its document is
    /// `current`: an insert where no live document has its id, else this clause's action.
    /// `proposed_ids` are the ids the statement proposed before it.
    pub(crate) async fn resolve(
        &self,
        session: &mut Session,
        proposed_ids: &mut HashSet<DocId>,
        proposed: Proposed,
        current: Current,
        now: AuthorClock,
    ) -> Result<Option<Revision>> {
        if !proposed_ids.insert(proposed.doc_id.clone()) {
            return match self.action {
                Action::Nothing => Ok(None),
                Action::Update(_) => Err(Error::CardinalityViolation(
                    "ON CONFLICT DO UPDATE command cannot affect row a second time",
                )),
            };
        }
        if !matches!(current, Current::Live { .. }) {
            return inserted(session, proposed, current, now).map(Some);
        }
        match &self.action {
            Action::Nothing => Ok(None),
            Action::Update(update) => update.revision(session, proposed, current).await,
        }
    }
}

/// `ON CONFLICT (columns)` must name exactly the id; `ON CONSTRAINT` the table's primary key.
fn check_target(target: &ConflictTarget, info: &TableInfo) -> Result<()> {
    match target {
        ConflictTarget::Columns(columns) => {
            let mut only_id = !columns.is_empty();
            for column in columns {
                let name = names::fold(column);
                let (_, doc_column) =
                    doc_column(&name).ok_or_else(|| Error::UndefinedColumn(name.clone()))?;
                only_id &= doc_column.name == "id";
            }
            if !only_id {
                return Err(Error::NoConflictArbiter);
            }
        }
        ConflictTarget::OnConstraint(constraint) => {
            let constraint = names::single(constraint)?;
            if constraint != format!("{}_pkey", info.name) {
                return Err(Error::UndefinedObject(format!(
                    "constraint \"{constraint}\" for table \"{}\"",
                    info.name
                )));
            }
        }
    }
    Ok(())
}

/// A DO UPDATE: its `SET data = ...` and `WHERE`, over the table as the INSERT names it.
struct Update {
    target: ObjectName,
    alias: Option<Ident>,
    data: Expr,
    selection: Option<Expr>,
}

impl Update {
    /// The revision that updates the live document `current` as this DO UPDATE says, given the
    /// row `proposed`; `None` when its WHERE is not true.
    async fn revision(
        &self,
        session: &mut Session,
        proposed: Proposed,
        current: Current,
    ) -> Result<Option<Revision>> {
        let mut data = self.data.clone();
        let mut selection = self
            .selection
            .clone()
            .unwrap_or(Expr::Value(SqlValue::Boolean(true).with_empty_span()));
        let excluded = Excluded::of(&proposed);
        for expr in [&mut data, &mut selection] {
            if let ControlFlow::Break(err) = expr.visit(&mut ExcludedValues {
                excluded: &excluded,
                depth: 0,
            }) {
                return Err(err);
            }
        }
        let mut from = table(self.target.clone(), None);
        if let (Some(alias), TableFactor::Table { alias: slot, .. }) =
            (&self.alias, &mut from.relation)
        {
            *slot = Some(TableAlias {
                explicit: true,
                name: alias.clone(),
                columns: Vec::new(),
                at: None,
            });
        }
        let column = |name: &str| Expr::Identifier(Ident::new(name));
        let id_is = Expr::BinaryOp {
            left: Box::new(column("id")),
            op: BinaryOperator::Eq,
            right: Box::new(text(proposed.doc_id.as_str())),
        };
        let projection = vec![
            column("rev"),
            column("key_id"),
            Expr::Nested(Box::new(data)),
            Expr::Nested(Box::new(selection)),
        ];
        let rows =
            query::rows_as_text(session, select(projection, Some(from), Some(id_is))).await?;
        let Some([Some(rev), Some(key_id), data, applies]) = rows
            .into_iter()
            .next()
            .and_then(|row| <[Option<String>; 4]>::try_from(row).ok())
        else {
            // The document is under a key this session does not hold.
            return Err(Error::UniqueViolation(proposed.doc_id.to_string()));
        };
        if applies.as_deref() != Some("true") {
            return Ok(None);
        }
        let data = data.ok_or_else(|| Error::NotNull("data".into()))?;
        let key = revision::newest_key(session, &KeyName::new(key_id)?)?;
        let (parents, created) = current.live_heads(&proposed.doc_id, &rev)?;
        Ok(Some(Revision {
            kind: EntryKind::Update,
            doc_id: proposed.doc_id,
            parents,
            json: Some(revision::normalize_json(&data)?),
            key,
            created,
        }))
    }
}

/// The proposed row's values, as the expressions that replace `excluded.<column>`.
struct Excluded {
    id: Expr,
    data: Expr,
    key_id: Expr,
}

impl Excluded {
    fn of(proposed: &Proposed) -> Excluded {
        Excluded {
            id: text(proposed.doc_id.as_str()),
            data: Expr::Cast {
                kind: CastKind::Cast,
                expr: Box::new(text(&proposed.data)),
                data_type: DataType::JSONB,
                array: false,
                format: None,
            },
            key_id: text(proposed.key_name.as_str()),
        }
    }

    fn column(&self, name: &str) -> Option<&Expr> {
        match name {
            "id" => Some(&self.id),
            "data" => Some(&self.data),
            "key_id" => Some(&self.key_id),
            _ => None,
        }
    }
}

fn text(value: &str) -> Expr {
    Expr::Value(SqlValue::SingleQuotedString(value.to_owned()).with_empty_span())
}

/// Replaces `excluded.<column>` with the proposed row's value, and refuses a document column
/// named without its table where the statement's own FROM is in scope (PostgreSQL's 42702:
/// both the table and `excluded` have it).
struct ExcludedValues<'a> {
    excluded: &'a Excluded,
    /// How many subqueries deep the visitor is: inside one, a bare name is that query's.
    depth: usize,
}

impl VisitorMut for ExcludedValues<'_> {
    type Break = Error;

    fn pre_visit_query(&mut self, _query: &mut Query) -> ControlFlow<Error> {
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &mut Query) -> ControlFlow<Error> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<Error> {
        match expr {
            Expr::Identifier(ident) if self.depth == 0 => {
                let name = names::fold(ident);
                if doc_column(&name).is_some() {
                    return ControlFlow::Break(Error::AmbiguousColumn(name));
                }
            }
            Expr::CompoundIdentifier(parts)
                if parts.len() == 2 && names::is(&parts[0], "excluded") =>
            {
                let name = names::fold(&parts[1]);
                match self.excluded.column(&name) {
                    Some(value) => *expr = value.clone(),
                    None if doc_column(&name).is_some() => {
                        return ControlFlow::Break(Error::FeatureNotSupported(format!(
                            "excluded.{name}: only {} of the proposed row are known before \
                             it is written",
                            EXCLUDED_COLUMNS.join(", ")
                        )));
                    }
                    None => {
                        return ControlFlow::Break(Error::UndefinedColumn(format!(
                            "excluded.{name}"
                        )));
                    }
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}
