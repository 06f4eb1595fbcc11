//! `scalar_subquery(x)`: the aggregate a plain scalar subquery's value is wrapped in, so that
//! DataFusion can decorrelate `(SELECT x FROM t WHERE t.a = outer.b)`, which it plans only
//! when aggregated, with Postgres' meaning kept.
//!
//! Invariants:
//! - Zero rows give NULL, one row gives its value, more than one row is Postgres' error
//!   21000 "more than one row returned by a subquery used as an expression".
//! - The result has the argument's type (and field metadata, so jsonb stays jsonb).

use std::mem::size_of_val;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result as DfResult, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};

use crate::error::Error;

/// The aggregate's name.
pub(crate) const NAME: &str = "scalar_subquery";

/// The aggregate, for registration.
pub(crate) fn udaf() -> AggregateUDF {
    AggregateUDF::new_from_impl(ScalarSubquery {
        signature: Signature::any(1, Volatility::Immutable),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ScalarSubquery {
    signature: Signature,
}

impl AggregateUDFImpl for ScalarSubquery {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> DfResult<DataType> {
        match arg_types {
            [only] => Ok(only.clone()),
            _ => exec_err!("{NAME} takes one argument"),
        }
    }

    fn return_field(&self, arg_fields: &[FieldRef]) -> DfResult<FieldRef> {
        match arg_fields {
            [only] => Ok(Arc::new(
                only.as_ref().clone().with_name(NAME).with_nullable(true),
            )),
            _ => exec_err!("{NAME} takes one argument"),
        }
    }

    fn accumulator(&self, args: AccumulatorArgs) -> DfResult<Box<dyn Accumulator>> {
        Ok(Box::new(Single {
            value: ScalarValue::try_from(args.return_field.data_type())?,
            rows: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> DfResult<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(
                args.return_field
                    .as_ref()
                    .clone()
                    .with_name(format!("{}[value]", args.name))
                    .with_nullable(true),
            ),
            Arc::new(Field::new(
                format!("{}[rows]", args.name),
                DataType::UInt64,
                false,
            )),
        ])
    }
}

#[derive(Debug)]
struct Single {
    value: ScalarValue,
    rows: u64,
}

impl Single {
    fn add(&mut self, value: ScalarValue, rows: u64) -> DfResult<()> {
        if rows == 0 {
            return Ok(());
        }
        self.rows += rows;
        if self.rows > 1 {
            return Err(Error::CardinalityViolation(
                "more than one row returned by a subquery used as an expression",
            )
            .into_datafusion());
        }
        self.value = value;
        Ok(())
    }
}

impl Accumulator for Single {
    fn update_batch(&mut self, values: &[ArrayRef]) -> DfResult<()> {
        let Some(values) = values.first() else {
            return Ok(());
        };
        for row in 0..values.len() {
            self.add(ScalarValue::try_from_array(values, row)?, 1)?;
        }
        Ok(())
    }

    fn evaluate(&mut self) -> DfResult<ScalarValue> {
        Ok(self.value.clone())
    }

    fn size(&self) -> usize {
        size_of_val(self) + self.value.size()
    }

    fn state(&mut self) -> DfResult<Vec<ScalarValue>> {
        Ok(vec![
            self.value.clone(),
            ScalarValue::UInt64(Some(self.rows)),
        ])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> DfResult<()> {
        let [values, rows] = states else {
            return exec_err!("{NAME} state has two columns");
        };
        let Some(rows) = rows.as_any().downcast_ref::<UInt64Array>() else {
            return exec_err!("{NAME} row counts are not UInt64");
        };
        for idx in 0..values.len() {
            self.add(ScalarValue::try_from_array(values, idx)?, rows.value(idx))?;
        }
        Ok(())
    }
}
