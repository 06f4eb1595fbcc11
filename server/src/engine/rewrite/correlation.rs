//! Correlated predicates of a scalar subquery, reshaped so DataFusion can decorrelate it: it
//! handles `inner = outer` equalities only, while Postgres clients also write conditions on
//! outer columns alone (psql: `AND a.atthasdef`) and inequalities between inner and outer
//! columns (psql: `a.attcollation <> t.typcollation` next to `c.oid = a.attcollation`).
//!
//! Invariants:
//! - Every transformation is an equivalence: a conjunct on outer columns alone moves out as
//!   `CASE WHEN cond THEN (subquery) END` (a false or NULL condition means no rows, so NULL);
//!   an outer column in another conjunct is replaced by an inner column the WHERE clause
//!   equates it with.
//! - A column counts as outer only when it is qualified by a name that no relation in the
//!   subquery's own FROM clause has; anything unsure is left as written.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken;
use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CaseWhen, Expr, Ident, Query, SetExpr, TableFactor, visit_expressions,
    visit_expressions_mut,
};

use crate::catalog::names;

/// Reshapes the WHERE clause of `query`. With `extract`, the conjuncts on outer columns alone
/// are removed and returned, and the caller must test them before the subquery (`CASE WHEN
/// cond THEN (query) END`); that is only equivalent for a subquery that yields its rows'
/// value (not an aggregate, which has a value over no rows).
pub(crate) fn simplify(query: &mut Query, extract: bool) -> Option<Expr> {
    let SetExpr::Select(select) = query.body.as_mut() else {
        return None;
    };
    let inner = relation_names(select.from.iter().flat_map(|twj| {
        std::iter::once(&twj.relation).chain(twj.joins.iter().map(|j| &j.relation))
    }))?;
    let selection = select.selection.take()?;
    let mut conjuncts = Vec::new();
    split_and(selection, &mut conjuncts);
    // outer column -> inner column, from `inner = outer` conjuncts.
    let equalities: Vec<(Vec<Ident>, Vec<Ident>)> = conjuncts
        .iter()
        .filter_map(|conjunct| match conjunct {
            Expr::BinaryOp {
                left,
                op: BinaryOperator::Eq,
                right,
            } => match (column(left), column(right)) {
                (Some(l), Some(r)) if is_outer(&l, &inner) && !is_outer(&r, &inner) => Some((l, r)),
                (Some(l), Some(r)) if is_outer(&r, &inner) && !is_outer(&l, &inner) => Some((r, l)),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut kept = Vec::new();
    let mut outer_only = Vec::new();
    for mut conjunct in conjuncts {
        let (has_outer, has_inner) = references(&conjunct, &inner);
        let is_equality = matches!(&conjunct, Expr::BinaryOp { op: BinaryOperator::Eq, left, right }
            if column(left).is_some() && column(right).is_some());
        if extract && has_outer && !has_inner {
            outer_only.push(conjunct);
            continue;
        }
        if has_outer && !is_equality {
            substitute(&mut conjunct, &equalities, &inner);
        }
        kept.push(conjunct);
    }
    select.selection = join_and(kept);
    join_and(outer_only)
}

/// `CASE WHEN condition THEN value END`.
pub(crate) fn guarded(condition: Expr, value: Expr) -> Expr {
    Expr::Case {
        case_token: AttachedToken::empty(),
        end_token: AttachedToken::empty(),
        operand: None,
        conditions: vec![CaseWhen {
            condition,
            result: value,
        }],
        else_result: None,
    }
}

/// The names the FROM clause's relations are known by; `None` when a relation's name cannot
/// be told (then no column can safely be called outer).
fn relation_names<'a>(factors: impl Iterator<Item = &'a TableFactor>) -> Option<BTreeSet<String>> {
    factors
        .map(|factor| match factor {
            TableFactor::Table { name, alias, .. } => match alias {
                Some(alias) => Some(names::fold(&alias.name)),
                None => name.0.last().and_then(|p| p.as_ident()).map(names::fold),
            },
            TableFactor::Derived { alias, .. }
            | TableFactor::Function { alias, .. }
            | TableFactor::UNNEST { alias, .. } => alias.as_ref().map(|a| names::fold(&a.name)),
            _ => None,
        })
        .collect()
}

fn split_and(expr: Expr, out: &mut Vec<Expr>) {
    match expr {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            split_and(*left, out);
            split_and(*right, out);
        }
        Expr::Nested(inner)
            if matches!(
                inner.as_ref(),
                Expr::BinaryOp {
                    op: BinaryOperator::And,
                    ..
                }
            ) =>
        {
            split_and(*inner, out)
        }
        other => out.push(other),
    }
}

fn join_and(conjuncts: Vec<Expr>) -> Option<Expr> {
    conjuncts.into_iter().reduce(|left, right| Expr::BinaryOp {
        left: Box::new(left),
        op: BinaryOperator::And,
        right: Box::new(right),
    })
}

/// A column reference as its identifier parts.
fn column(expr: &Expr) -> Option<Vec<Ident>> {
    match expr {
        Expr::Identifier(ident) => Some(vec![ident.clone()]),
        Expr::CompoundIdentifier(parts) => Some(parts.clone()),
        Expr::Nested(inner) => column(inner),
        _ => None,
    }
}

/// Qualified by a relation name the subquery's FROM clause does not have.
fn is_outer(parts: &[Ident], inner: &BTreeSet<String>) -> bool {
    match parts {
        [.., qualifier, _] => !inner.contains(&names::fold(qualifier)),
        _ => false,
    }
}

/// Whether `expr` references outer and inner columns. Nested subqueries count as inner (their
/// own references are not examined), so a conjunct containing one never moves.
fn references(expr: &Expr, inner: &BTreeSet<String>) -> (bool, bool) {
    let mut has_outer = false;
    let mut has_inner = false;
    let _ = visit_expressions(expr, |e| {
        match e {
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => has_inner = true,
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) => match column(e) {
                Some(parts) if is_outer(&parts, inner) => has_outer = true,
                _ => has_inner = true,
            },
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    (has_outer, has_inner)
}

fn substitute(expr: &mut Expr, equalities: &[(Vec<Ident>, Vec<Ident>)], inner: &BTreeSet<String>) {
    let _ = visit_expressions_mut(expr, |e| {
        if let Some(parts) = column(e)
            && is_outer(&parts, inner)
            && let Some((_, replacement)) = equalities.iter().find(|(outer, _)| same(outer, &parts))
        {
            *e = match replacement.as_slice() {
                [only] => Expr::Identifier(only.clone()),
                _ => Expr::CompoundIdentifier(replacement.clone()),
            };
        }
        ControlFlow::<()>::Continue(())
    });
}

fn same(a: &[Ident], b: &[Ident]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| names::fold(x) == names::fold(y))
}
