//! PostgreSQL 15's jsonb operators and scalar functions (chapter 9.16) as DataFusion scalar
//! functions, each delegating to `mindoodb-pgfn`: `-> ->> #> #>> @> <@ ? ?| ?& || - #- @? @@`,
//! `jsonb_typeof`, `jsonb_array_length`, `jsonb_build_object`, `jsonb_build_array`,
//! `to_jsonb`, `jsonb_strip_nulls`, `jsonb_set`, `jsonb_set_lax`, `jsonb_insert`,
//! `jsonb_pretty`, `jsonb_extract_path(_text)`, the `jsonb_path_*` scalars, and the per-row
//! and finishing halves of `jsonb_agg`/`jsonb_object_agg` (see `rewrite/json_agg.rs`).
//!
//! Invariants:
//! - A strict function gives NULL when any argument is NULL, as PostgreSQL's strict functions.
//! - Values, text and errors are pgfn's, which are PostgreSQL's; results are jsonb text in a
//!   jsonb-marked field.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result as DfResult, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    TypeSignature, Volatility,
};
use mindoodb_pgfn::jsonb as pj;
use mindoodb_pgfn::jsonpath::{self, JsonPath, PathArgs};

use super::args::{Arg, Out, Returns, parse, pg, steps};
use crate::error::Error;

/// A jsonb operator or function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Get,
    GetText,
    Path,
    PathText,
    Contains,
    ContainedBy,
    Exists,
    ExistsAny,
    ExistsAll,
    Concat,
    Delete,
    DeletePath,
    PathExistsOp,
    PathMatchOp,
    Set,
    SetLax,
    Insert,
    Typeof,
    ArrayLength,
    StripNulls,
    Pretty,
    ExtractPath,
    ExtractPathText,
    BuildObject,
    BuildArray,
    ToJsonb,
    PathExists,
    PathMatch,
    PathQueryArray,
    PathQueryFirst,
    AggItem,
    ObjectAggItem,
    AggFinish,
    ObjectAggFinish,
}

impl Kind {
    pub(crate) const ALL: [Kind; 34] = [
        Kind::Get,
        Kind::GetText,
        Kind::Path,
        Kind::PathText,
        Kind::Contains,
        Kind::ContainedBy,
        Kind::Exists,
        Kind::ExistsAny,
        Kind::ExistsAll,
        Kind::Concat,
        Kind::Delete,
        Kind::DeletePath,
        Kind::PathExistsOp,
        Kind::PathMatchOp,
        Kind::Set,
        Kind::SetLax,
        Kind::Insert,
        Kind::Typeof,
        Kind::ArrayLength,
        Kind::StripNulls,
        Kind::Pretty,
        Kind::ExtractPath,
        Kind::ExtractPathText,
        Kind::BuildObject,
        Kind::BuildArray,
        Kind::ToJsonb,
        Kind::PathExists,
        Kind::PathMatch,
        Kind::PathQueryArray,
        Kind::PathQueryFirst,
        Kind::AggItem,
        Kind::ObjectAggItem,
        Kind::AggFinish,
        Kind::ObjectAggFinish,
    ];

    /// The function's name; operators have PostgreSQL's names of their implementing functions.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Get => "jsonb_object_field",
            Kind::GetText => "jsonb_object_field_text",
            Kind::Path => "jsonb_extract_path_op",
            Kind::PathText => "jsonb_extract_path_text_op",
            Kind::Contains => "jsonb_contains",
            Kind::ContainedBy => "jsonb_contained",
            Kind::Exists => "jsonb_exists",
            Kind::ExistsAny => "jsonb_exists_any",
            Kind::ExistsAll => "jsonb_exists_all",
            Kind::Concat => "jsonb_concat",
            Kind::Delete => "jsonb_delete",
            Kind::DeletePath => "jsonb_delete_path",
            Kind::PathExistsOp => "jsonb_path_exists_opr",
            Kind::PathMatchOp => "jsonb_path_match_opr",
            Kind::Set => "jsonb_set",
            Kind::SetLax => "jsonb_set_lax",
            Kind::Insert => "jsonb_insert",
            Kind::Typeof => "jsonb_typeof",
            Kind::ArrayLength => "jsonb_array_length",
            Kind::StripNulls => "jsonb_strip_nulls",
            Kind::Pretty => "jsonb_pretty",
            Kind::ExtractPath => "jsonb_extract_path",
            Kind::ExtractPathText => "jsonb_extract_path_text",
            Kind::BuildObject => "jsonb_build_object",
            Kind::BuildArray => "jsonb_build_array",
            Kind::ToJsonb => "to_jsonb",
            Kind::PathExists => "jsonb_path_exists",
            Kind::PathMatch => "jsonb_path_match",
            Kind::PathQueryArray => "jsonb_path_query_array",
            Kind::PathQueryFirst => "jsonb_path_query_first",
            Kind::AggItem => "jsonb_agg_item",
            Kind::ObjectAggItem => "jsonb_object_agg_item",
            Kind::AggFinish => "jsonb_agg_finish",
            Kind::ObjectAggFinish => "jsonb_object_agg_finish",
        }
    }

    fn returns(self) -> Returns {
        match self {
            Kind::Get
            | Kind::Path
            | Kind::Concat
            | Kind::Delete
            | Kind::DeletePath
            | Kind::Set
            | Kind::SetLax
            | Kind::Insert
            | Kind::StripNulls
            | Kind::ExtractPath
            | Kind::BuildObject
            | Kind::BuildArray
            | Kind::ToJsonb
            | Kind::PathQueryArray
            | Kind::PathQueryFirst
            | Kind::AggItem
            | Kind::ObjectAggItem
            | Kind::AggFinish
            | Kind::ObjectAggFinish => Returns::Jsonb,
            Kind::GetText
            | Kind::PathText
            | Kind::Typeof
            | Kind::Pretty
            | Kind::ExtractPathText => Returns::Text,
            Kind::Contains
            | Kind::ContainedBy
            | Kind::Exists
            | Kind::ExistsAny
            | Kind::ExistsAll
            | Kind::PathExistsOp
            | Kind::PathMatchOp
            | Kind::PathExists
            | Kind::PathMatch => Returns::Bool,
            Kind::ArrayLength => Returns::Int,
        }
    }

    /// How many arguments it takes (PostgreSQL's defaults fill the optional ones).
    fn arity(self) -> std::ops::RangeInclusive<usize> {
        match self {
            Kind::Typeof
            | Kind::ArrayLength
            | Kind::StripNulls
            | Kind::Pretty
            | Kind::ToJsonb
            | Kind::AggItem
            | Kind::AggFinish
            | Kind::ObjectAggFinish => 1..=1,
            Kind::Set | Kind::Insert => 3..=4,
            Kind::SetLax => 3..=5,
            Kind::ExtractPath | Kind::ExtractPathText => 1..=usize::MAX,
            Kind::BuildObject | Kind::BuildArray => 0..=usize::MAX,
            Kind::PathExists | Kind::PathMatch | Kind::PathQueryArray | Kind::PathQueryFirst => {
                2..=4
            }
            _ => 2..=2,
        }
    }

    /// False for the functions that see NULL arguments themselves.
    fn strict(self) -> bool {
        !matches!(
            self,
            Kind::BuildObject
                | Kind::BuildArray
                | Kind::SetLax
                | Kind::AggItem
                | Kind::ObjectAggItem
        )
    }

    /// Evaluates one row.
    pub(crate) fn eval(self, args: &[Arg]) -> DfResult<Out> {
        if self.strict() && args.iter().any(Arg::is_null) {
            return Ok(Out::Null);
        }
        let json = |i: usize| args[i].jsonb();
        let found = |v: Option<&mindoodb_pgfn::Jsonb>| v.cloned().map_or(Out::Null, Out::Jsonb);
        let text = |v: Option<String>| v.map_or(Out::Null, Out::Text);
        let flag = |i: usize, default: bool| match args.get(i) {
            Some(Arg::Bool(b)) => *b,
            _ => default,
        };
        Ok(match self {
            Kind::Get => match &args[1] {
                Arg::Int(i) => found(pj::element(&json(0)?, index(*i))),
                key => found(pj::field(&json(0)?, &key_text(key))),
            },
            Kind::GetText => match &args[1] {
                Arg::Int(i) => text(pj::element_text(&json(0)?, index(*i))),
                key => text(pj::field_text(&json(0)?, &key_text(key))),
            },
            Kind::Path => found(pj::path(&json(0)?, &steps(&args[1].path()?))),
            Kind::PathText => text(pj::path_text(&json(0)?, &steps(&args[1].path()?))),
            Kind::Contains => Out::Bool(pj::contains(&json(0)?, &json(1)?)),
            Kind::ContainedBy => Out::Bool(pj::contains(&json(1)?, &json(0)?)),
            Kind::Exists => Out::Bool(pj::exists(&json(0)?, &key_text(&args[1]))),
            Kind::ExistsAny => Out::Bool(pj::exists_any(&json(0)?, &steps(&args[1].path()?))),
            Kind::ExistsAll => Out::Bool(pj::exists_all(&json(0)?, &steps(&args[1].path()?))),
            Kind::Concat => Out::Jsonb(pg(pj::concat(&json(0)?, &json(1)?))?),
            Kind::Delete => Out::Jsonb(match &args[1] {
                Arg::Int(i) => pg(pj::delete_index(&json(0)?, index(*i)))?,
                Arg::List(_) => pg(pj::delete_keys(&json(0)?, &steps(&args[1].path()?)))?,
                Arg::Text(key) | Arg::Jsonb(key) | Arg::Other(key) => {
                    pg(pj::delete_key(&json(0)?, key))?
                }
                other => {
                    // PostgreSQL has `jsonb - text`, `- int` and `- text[]` only.
                    return Err(Error::UndefinedFunction(format!(
                        "operator jsonb - {}",
                        other.sql_type_name()
                    ))
                    .into_datafusion());
                }
            }),
            Kind::DeletePath => {
                Out::Jsonb(pg(pj::delete_path(&json(0)?, &steps(&args[1].path()?)))?)
            }
            Kind::PathExistsOp => bool_or_null(pg(jsonpath::path_exists(
                &json(0)?,
                &path_arg(&args[1])?,
                PathArgs::OPERATOR,
            ))?),
            Kind::PathMatchOp => bool_or_null(pg(jsonpath::path_match(
                &json(0)?,
                &path_arg(&args[1])?,
                PathArgs::OPERATOR,
            ))?),
            Kind::Set => Out::Jsonb(pg(pj::set(
                &json(0)?,
                &steps(&args[1].path()?),
                &json(2)?,
                flag(3, true),
            ))?),
            Kind::SetLax => return set_lax(args),
            Kind::Insert => Out::Jsonb(pg(pj::insert(
                &json(0)?,
                &steps(&args[1].path()?),
                &json(2)?,
                flag(3, false),
            ))?),
            Kind::Typeof => Out::Text(json(0)?.type_name().to_owned()),
            Kind::ArrayLength => Out::Int(pg(pj::array_length(&json(0)?))?),
            Kind::StripNulls => Out::Jsonb(pj::strip_nulls(&json(0)?)),
            Kind::Pretty => Out::Text(json(0)?.pretty()),
            Kind::ExtractPath => found(pj::path(&json(0)?, &steps(&variadic_path(args)))),
            Kind::ExtractPathText => text(pj::path_text(&json(0)?, &steps(&variadic_path(args)))),
            Kind::BuildObject => Out::Jsonb(pg(pj::build_object(&sql_values(args)?))?),
            Kind::BuildArray => Out::Jsonb(pg(pj::build_array(&sql_values(args)?))?),
            Kind::ToJsonb => Out::Jsonb(pg(pj::to_jsonb(&args[0].sql_value()?))?),
            Kind::AggItem => Out::Jsonb(pg(pj::to_jsonb(&args[0].sql_value()?))?),
            Kind::ObjectAggItem => {
                let mut one = pj::JsonbObjectAgg::default();
                pg(one.push(&args[0].sql_value()?, &args[1].sql_value()?))?;
                Out::Jsonb(pg(one.finish())?)
            }
            Kind::AggFinish => Out::Jsonb(mindoodb_pgfn::Jsonb::Array(aggregated(&args[0])?)),
            Kind::ObjectAggFinish => {
                let mut pairs = Vec::new();
                for item in aggregated(&args[0])? {
                    if let mindoodb_pgfn::Jsonb::Object(object) = item {
                        pairs.extend(object.into_pairs());
                    }
                }
                Out::Jsonb(mindoodb_pgfn::Jsonb::Object(pj::Object::from_pairs(pairs)))
            }
            Kind::PathExists | Kind::PathMatch | Kind::PathQueryArray | Kind::PathQueryFirst => {
                let vars = vars(args)?;
                let (target, path) = (json(0)?, path_arg(&args[1])?);
                let with = path_args(&vars, flag(3, false));
                match self {
                    Kind::PathExists => {
                        bool_or_null(pg(jsonpath::path_exists(&target, &path, with))?)
                    }
                    Kind::PathMatch => {
                        bool_or_null(pg(jsonpath::path_match(&target, &path, with))?)
                    }
                    Kind::PathQueryArray => {
                        Out::Jsonb(pg(jsonpath::path_query_array(&target, &path, with))?)
                    }
                    _ => found(pg(jsonpath::path_query_first(&target, &path, with))?.as_ref()),
                }
            }
        })
    }
}

/// An int8 index as PostgreSQL's int4 argument; out of range finds nothing either way.
fn index(i: i64) -> i32 {
    i32::try_from(i).unwrap_or(if i < 0 { i32::MIN } else { i32::MAX })
}

fn key_text(arg: &Arg) -> String {
    arg.text().unwrap_or_default()
}

fn bool_or_null(value: Option<bool>) -> Out {
    value.map_or(Out::Null, Out::Bool)
}

fn path_arg(arg: &Arg) -> DfResult<JsonPath> {
    pg(JsonPath::parse(&key_text(arg)))
}

/// The `vars` argument, `'{}'` when not given.
fn vars(args: &[Arg]) -> DfResult<Option<mindoodb_pgfn::Jsonb>> {
    args.get(2).map(Arg::jsonb).transpose()
}

fn path_args(vars: &Option<mindoodb_pgfn::Jsonb>, silent: bool) -> PathArgs<'_> {
    PathArgs {
        vars: vars.as_ref(),
        silent,
    }
}

/// The jsonb items `array_agg` collected for a `*_finish` function, in its order.
fn aggregated(list: &Arg) -> DfResult<Vec<mindoodb_pgfn::Jsonb>> {
    match list {
        Arg::List(items) => items.iter().map(Arg::jsonb).collect(),
        _ => Ok(Vec::new()),
    }
}

fn variadic_path(args: &[Arg]) -> Vec<Option<String>> {
    args[1..].iter().map(Arg::text).collect()
}

fn sql_values(args: &[Arg]) -> DfResult<Vec<mindoodb_pgfn::sql::SqlValue>> {
    args.iter().map(Arg::sql_value).collect()
}

/// `jsonb_set_lax`: strict in its target, path and create flag only.
fn set_lax(args: &[Arg]) -> DfResult<Out> {
    if args[0].is_null() || args[1].is_null() || args.get(3).is_some_and(Arg::is_null) {
        return Ok(Out::Null);
    }
    let create = !matches!(args.get(3), Some(Arg::Bool(false)));
    let new_value = match &args[2] {
        Arg::Null => None,
        other => Some(other.jsonb()?),
    };
    let treatment = match args.get(4) {
        None => Some("use_json_null".to_owned()),
        Some(arg) => arg.text(),
    };
    Ok(Out::Jsonb(pg(pj::set_lax(
        &args[0].jsonb()?,
        &steps(&args[1].path()?),
        new_value.as_ref(),
        create,
        treatment.as_deref(),
    ))?))
}

/// The DataFusion function of one kind.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct JsonbFn {
    kind: Kind,
    signature: Signature,
}

impl JsonbFn {
    pub(crate) fn udf(kind: Kind) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(JsonbFn {
            kind,
            signature: Signature::one_of(
                vec![TypeSignature::Nullary, TypeSignature::VariadicAny],
                Volatility::Immutable,
            ),
        }))
    }
}

impl ScalarUDFImpl for JsonbFn {
    fn name(&self) -> &str {
        self.kind.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(self.kind.returns().field("").data_type().clone())
    }

    fn return_field_from_args(&self, _args: ReturnFieldArgs) -> DfResult<FieldRef> {
        Ok(Arc::new(self.kind.returns().field(self.name())))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let n_rows = args.number_rows;
        if !self.kind.arity().contains(&args.args.len()) {
            return exec_err!(
                "function {} does not take {} arguments",
                self.name(),
                args.args.len()
            );
        }
        let arrays = args
            .args
            .iter()
            .map(|arg| arg.to_array(n_rows))
            .collect::<DfResult<Vec<_>>>()?;
        let mut outs = Vec::with_capacity(n_rows);
        let mut row_args = Vec::with_capacity(arrays.len());
        for row in 0..n_rows {
            row_args.clear();
            for (array, field) in arrays.iter().zip(&args.arg_fields) {
                row_args.push(Arg::read(array, field, row)?);
            }
            outs.push(self.kind.eval(&row_args)?);
        }
        Ok(ColumnarValue::Array(self.kind.returns().column(outs)?))
    }
}

/// `text::jsonb` with PostgreSQL's validation, for callers outside this module.
pub(crate) fn jsonb_text(text: &str) -> DfResult<String> {
    Ok(parse(text)?.to_text())
}
