//! The DataFusion function of each full-text search kind: reads every row's arguments with
//! their SQL types, evaluates the row (`eval.rs`) and builds the result column, typed and
//! marked as `Kind::returns` says.
//!
//! Invariants:
//! - The result field is a function of the kind and the argument fields only, so planning
//!   and execution agree on it.
//! - Functions of one session share its settings: the default configuration is read when a
//!   row needs it, so `SET default_text_search_config` applies to the next statement.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Float32Array, Int32Array, ListBuilder, StringArray, StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result as DfResult, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature,
    TypeSignature,
};
use mindoodb_pgfn::tsearch::TsConfig;

use super::eval::{Input, Out, eval};
use super::kind::{Kind, Returns};
use crate::catalog::{Settings, format_type};
use crate::engine::functions::jsonb::{Arg, pg};
use crate::error::Error;
use crate::output::{PgType, is_jsonb};

/// The setting that names the default configuration.
const DEFAULT_CONFIG: &str = "default_text_search_config";

/// Makes the functions of one session.
#[derive(Debug, Clone)]
pub(super) struct Functions {
    defaults: Defaults,
}

impl Functions {
    pub(super) fn new(settings: Settings) -> Functions {
        Functions {
            defaults: Defaults(settings),
        }
    }

    pub(super) fn udf(&self, kind: Kind) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(TsFn {
            kind,
            signature: Signature::one_of(
                vec![TypeSignature::Nullary, TypeSignature::VariadicAny],
                kind.volatility(),
            ),
            defaults: self.defaults.clone(),
        }))
    }
}

/// The session's settings, for the default configuration. Every function of a session holds
/// the same map, so two calls of one kind are equal whatever they hold.
#[derive(Clone)]
struct Defaults(Settings);

impl Defaults {
    fn config(&self) -> DfResult<TsConfig> {
        match self.0.get(DEFAULT_CONFIG, &[]) {
            Some(name) => pg(TsConfig::from_name(&name)),
            None => Ok(TsConfig::English),
        }
    }
}

impl fmt::Debug for Defaults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(DEFAULT_CONFIG)
    }
}

impl PartialEq for Defaults {
    fn eq(&self, _other: &Defaults) -> bool {
        true
    }
}

impl Eq for Defaults {}

impl Hash for Defaults {
    fn hash<H: Hasher>(&self, _state: &mut H) {}
}

/// One kind as a DataFusion function.
#[derive(Debug, PartialEq, Eq, Hash)]
struct TsFn {
    kind: Kind,
    signature: Signature,
    defaults: Defaults,
}

impl TsFn {
    /// PostgreSQL has no overload with another number of arguments, nor one taking a number,
    /// boolean, date or bytes where these functions take text or a search type: such a call
    /// is an undefined function (42883), found at planning as in PostgreSQL.
    fn check_argument_types(&self, arg_fields: &[FieldRef]) -> DfResult<()> {
        let n = arg_fields.len();
        let wrong = !self.kind.arity().contains(&n)
            || arg_fields.iter().enumerate().any(|(i, field)| {
                !self.kind.numeric_argument(i, n)
                    && matches!(
                        PgType::of_field(field),
                        Some(
                            PgType::Bool
                                | PgType::Int2
                                | PgType::Int4
                                | PgType::Int8
                                | PgType::Float4
                                | PgType::Float8
                                | PgType::Numeric
                                | PgType::Bytea
                                | PgType::Timestamptz
                                | PgType::Date
                                | PgType::Oid
                        )
                    )
            });
        if !wrong {
            return Ok(());
        }
        let types: Vec<String> = arg_fields
            .iter()
            .map(|field| {
                PgType::of_field(field)
                    .and_then(|t| format_type(t.oid(), None))
                    .unwrap_or_else(|| field.data_type().to_string())
            })
            .collect();
        Err(
            Error::UndefinedFunction(format!("{}({})", self.name(), types.join(", ")))
                .into_datafusion(),
        )
    }

    fn returns(&self, arg_fields: &[FieldRef]) -> Returns {
        let jsonb_document = self.kind == Kind::Headline
            && document_index(arg_fields).is_some_and(|i| is_jsonb(&arg_fields[i]));
        self.kind.returns(jsonb_document)
    }
}

/// Which argument of `ts_headline` is the document: the one before the query, which is the
/// second or third argument (`ts_headline([config,] document, query [, options])`).
pub(super) fn document_index(arg_fields: &[FieldRef]) -> Option<usize> {
    match arg_fields.len() {
        2 => Some(0),
        3 if PgType::of_field(&arg_fields[2]) == Some(PgType::TsQuery) => Some(1),
        3 => Some(0),
        4 => Some(1),
        _ => None,
    }
}

impl ScalarUDFImpl for TsFn {
    fn name(&self) -> &str {
        self.kind.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> DfResult<DataType> {
        Ok(field(self.kind.returns(false), "").data_type().clone())
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> DfResult<FieldRef> {
        self.check_argument_types(args.arg_fields)?;
        Ok(Arc::new(field(self.returns(args.arg_fields), self.name())))
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
        let types: Vec<Option<PgType>> = args
            .arg_fields
            .iter()
            .map(|field| PgType::of_field(field))
            .collect();
        let headline_document = document_index(&args.arg_fields);
        let mut outs = Vec::with_capacity(n_rows);
        let mut row_args = Vec::with_capacity(arrays.len());
        for row in 0..n_rows {
            row_args.clear();
            for ((array, field), ty) in arrays.iter().zip(&args.arg_fields).zip(&types) {
                row_args.push(Input {
                    value: Arg::read(array, field, row)?,
                    ty: *ty,
                });
            }
            outs.push(eval(self.kind, &row_args, headline_document, &|| {
                self.defaults.config()
            })?);
        }
        Ok(ColumnarValue::Array(column(
            self.returns(&args.arg_fields),
            outs,
        )?))
    }
}

fn field(returns: Returns, name: &str) -> Field {
    let pg_type = match returns {
        Returns::TsVector => PgType::TsVector,
        Returns::TsQuery => PgType::TsQuery,
        Returns::RegConfig => PgType::RegConfig,
        Returns::Text => PgType::Text,
        Returns::TextArray => PgType::TextArray,
        Returns::Jsonb => PgType::Jsonb,
        Returns::Bool => PgType::Bool,
        Returns::Float4 => PgType::Float4,
        Returns::Int4 => PgType::Int4,
    };
    pg_type.field(name, true)
}

fn column(returns: Returns, outs: Vec<Out>) -> DfResult<ArrayRef> {
    Ok(match returns {
        Returns::TsVector
        | Returns::TsQuery
        | Returns::RegConfig
        | Returns::Text
        | Returns::Jsonb => Arc::new(
            outs.into_iter()
                .map(|out| match out {
                    Out::Text(text) => Ok(Some(text)),
                    Out::Null => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<DfResult<StringArray>>()?,
        ),
        Returns::TextArray => {
            let mut builder = ListBuilder::new(StringBuilder::new());
            for out in outs {
                match out {
                    Out::Strings(items) => {
                        for item in items {
                            builder.values().append_value(item);
                        }
                        builder.append(true);
                    }
                    Out::Null => builder.append(false),
                    _ => return Err(mismatch()),
                }
            }
            Arc::new(builder.finish())
        }
        Returns::Bool => Arc::new(
            outs.into_iter()
                .map(|out| match out {
                    Out::Bool(b) => Ok(Some(b)),
                    Out::Null => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<DfResult<BooleanArray>>()?,
        ),
        Returns::Float4 => Arc::new(
            outs.into_iter()
                .map(|out| match out {
                    Out::Float4(f) => Ok(Some(f)),
                    Out::Null => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<DfResult<Float32Array>>()?,
        ),
        Returns::Int4 => Arc::new(
            outs.into_iter()
                .map(|out| match out {
                    Out::Int(i) => Ok(Some(i)),
                    Out::Null => Ok(None),
                    _ => Err(mismatch()),
                })
                .collect::<DfResult<Int32Array>>()?,
        ),
    })
}

fn mismatch() -> datafusion::error::DataFusionError {
    Error::Internal("a full-text search function's result does not match its type".to_owned())
        .into_datafusion()
}
