//! Statements our own code builds, as ASTs (never as text to parse): the SELECT with which
//! UPDATE and DELETE find the documents they change, Describe of a write types its parameters
//! and COPY TO reads a table, and the FROM item a `mindoo.*` call in a select list becomes.
//!
//! Invariants:
//! - A built query has exactly the projection, FROM and WHERE it is given: the WHERE clause
//!   of the statement, untouched, so the rows are those the statement names.

use datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken;
use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, GroupByExpr, ObjectName, Query, Select, SelectFlavor, SelectItem, SetExpr,
    Statement, TableFactor, TableFunctionArgs, TableWithJoins,
};

/// `SELECT <projection> [FROM <from>] [WHERE <selection>]`.
pub(crate) fn select(
    projection: Vec<Expr>,
    from: Option<TableWithJoins>,
    selection: Option<Expr>,
) -> Statement {
    let select = Select {
        select_token: AttachedToken::empty(),
        optimizer_hints: Vec::new(),
        distinct: None,
        select_modifiers: None,
        top: None,
        top_before_distinct: false,
        projection: projection
            .into_iter()
            .map(SelectItem::UnnamedExpr)
            .collect(),
        exclude: None,
        into: None,
        from: from.into_iter().collect(),
        lateral_views: Vec::new(),
        prewhere: None,
        selection,
        connect_by: Vec::new(),
        group_by: GroupByExpr::Expressions(Vec::new(), Vec::new()),
        cluster_by: Vec::new(),
        distribute_by: Vec::new(),
        sort_by: Vec::new(),
        having: None,
        named_window: Vec::new(),
        qualify: None,
        window_before_qualify: false,
        value_table_mode: None,
        flavor: SelectFlavor::Standard,
    };
    Statement::Query(Box::new(Query {
        with: None,
        body: Box::new(SetExpr::Select(Box::new(select))),
        order_by: None,
        limit_clause: None,
        fetch: None,
        locks: Vec::new(),
        for_clause: None,
        settings: None,
        format_clause: None,
        pipe_operators: Vec::new(),
    }))
}

/// The table `name` as a FROM item, or the table function `name(args)`.
pub(crate) fn table(name: ObjectName, args: Option<Vec<FunctionArg>>) -> TableWithJoins {
    TableWithJoins {
        relation: TableFactor::Table {
            name,
            alias: None,
            args: args.map(|args| TableFunctionArgs {
                args,
                settings: None,
            }),
            with_hints: Vec::new(),
            version: None,
            with_ordinality: false,
            partitions: Vec::new(),
            json_path: None,
            sample: None,
            index_hints: Vec::new(),
        },
        joins: Vec::new(),
    }
}
