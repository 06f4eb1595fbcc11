//! jsonpath arithmetic (`+ - * / %`, unary `+ -`) and item methods (`.abs()`, `.floor()`,
//! `.ceiling()`, `.double()`, `.keyvalue()`), as PostgreSQL 15's `jsonpath_exec.c` runs them.
//!
//! Invariants:
//! - Operands must be single numbers (after lax unwrapping), else PostgreSQL's error, which
//!   `silent` suppresses; arithmetic errors (division by zero) likewise.
//! - `.keyvalue()` ids are the object's offset in its base object's binary jsonb plus the
//!   base's id times 10^10, so they match PostgreSQL's.

use std::rc::Rc;

use super::ast::{BinOp, Item, Method};
use super::exec::{Base, Cx, Found, Status, return_error};
use super::value::{Val, offset_in};
use crate::jsonb::{Jsonb, Object};
use crate::{Condition, Error, Numeric, Result};

impl<'a> Cx<'a> {
    pub(crate) fn binary_arithmetic(
        &mut self,
        op: BinOp,
        left: &Item,
        right: &Item,
        next: Option<&Item>,
        jb: &Val<'a>,
        found: Found<'_, 'a>,
    ) -> Result<Status> {
        let mut lseq = Vec::new();
        if self.item_opt_unwrap_result(left, jb, true, &mut lseq)? == Status::Failed {
            return Ok(Status::Failed);
        }
        let mut rseq = Vec::new();
        if self.item_opt_unwrap_result(right, jb, true, &mut rseq)? == Status::Failed {
            return Ok(Status::Failed);
        }
        let single_number = |seq: &[Val<'a>]| match seq {
            [v] => match v.get() {
                Jsonb::Number(n) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        };
        let Some(l) = single_number(&lseq) else {
            return_error!(
                self,
                Error::new(
                    Condition::SingletonSqlJsonItemRequired,
                    format!(
                        "left operand of jsonpath operator {} is not a single numeric value",
                        op.name()
                    )
                )
            )
        };
        let Some(r) = single_number(&rseq) else {
            return_error!(
                self,
                Error::new(
                    Condition::SingletonSqlJsonItemRequired,
                    format!(
                        "right operand of jsonpath operator {} is not a single numeric value",
                        op.name()
                    )
                )
            )
        };
        let result = match op {
            BinOp::Add => l.add(&r),
            BinOp::Sub => l.sub(&r),
            BinOp::Mul => l.mul(&r),
            BinOp::Div => l.div(&r),
            _ => l.rem(&r),
        };
        let result = match result {
            Ok(n) => n,
            Err(err) => {
                if self.throw_errors {
                    return Err(err);
                }
                return Ok(Status::Failed);
            }
        };
        if next.is_none() && found.is_none() {
            return Ok(Status::Ok);
        }
        self.next_item(next, Val::own(Jsonb::Number(result)), found)
    }

    pub(crate) fn unary_arithmetic(
        &mut self,
        negate: bool,
        arg: &Item,
        next: Option<&Item>,
        jb: &Val<'a>,
        mut found: Found<'_, 'a>,
    ) -> Result<Status> {
        let mut seq = Vec::new();
        if self.item_opt_unwrap_result(arg, jb, true, &mut seq)? == Status::Failed {
            return Ok(Status::Failed);
        }
        let mut res = Status::NotFound;
        for val in seq {
            let number = match val.get() {
                Jsonb::Number(n) => n.clone(),
                _ => {
                    if found.is_none() && next.is_none() {
                        continue;
                    }
                    return_error!(
                        self,
                        Error::new(
                            Condition::SqlJsonNumberNotFound,
                            format!(
                                "operand of unary jsonpath operator {} is not a numeric value",
                                if negate { "-" } else { "+" }
                            )
                        )
                    );
                }
            };
            if found.is_none() && next.is_none() {
                return Ok(Status::Ok);
            }
            let number = if negate { number.neg() } else { number };
            let res2 =
                self.next_item(next, Val::own(Jsonb::Number(number)), found.as_deref_mut())?;
            if res2 == Status::Failed {
                return Ok(res2);
            }
            if res2 == Status::Ok {
                if found.is_none() {
                    return Ok(Status::Ok);
                }
                res = Status::Ok;
            }
        }
        Ok(res)
    }

    pub(crate) fn numeric_method(
        &mut self,
        method: Method,
        jsp: &Item,
        jb: &Val<'a>,
        unwrap: bool,
        found: Found<'_, 'a>,
    ) -> Result<Status> {
        if unwrap && jb.is_array() {
            return self.unwrap_target_array(Some(jsp), jb, found, false);
        }
        let Jsonb::Number(n) = jb.get() else {
            return_error!(
                self,
                Error::new(
                    Condition::NonNumericSqlJsonItem,
                    format!(
                        "jsonpath item method .{}() can only be applied to a numeric value",
                        method.name()
                    )
                )
            )
        };
        let value = match method {
            Method::Abs => n.abs(),
            Method::Floor => n.floor()?,
            _ => n.ceil()?,
        };
        let next = jsp.next.as_deref();
        if next.is_none() && found.is_none() {
            return Ok(Status::Ok);
        }
        self.next_item(next, Val::own(Jsonb::Number(value)), found)
    }

    pub(crate) fn double_method(
        &mut self,
        jsp: &Item,
        jb: &Val<'a>,
        unwrap: bool,
        found: Found<'_, 'a>,
    ) -> Result<Status> {
        if unwrap && jb.is_array() {
            return self.unwrap_target_array(Some(jsp), jb, found, false);
        }
        let value = match jb.get() {
            Jsonb::Number(n) => {
                let ok = n.to_f64().is_ok_and(f64::is_finite);
                if !ok {
                    return_error!(
                        self,
                        Error::new(
                            Condition::NonNumericSqlJsonItem,
                            "numeric argument of jsonpath item method .double() is out of range for type double precision"
                        )
                    );
                }
                jb.clone()
            }
            Jsonb::String(s) => {
                let parsed = crate::float::float8_in(s).ok().filter(|v| v.is_finite());
                let Some(v) = parsed else {
                    return_error!(
                        self,
                        Error::new(
                            Condition::NonNumericSqlJsonItem,
                            "string argument of jsonpath item method .double() is not a valid representation of a double precision number"
                        )
                    )
                };
                Val::own(Jsonb::Number(Numeric::from_f64(v)?))
            }
            _ => {
                return_error!(
                    self,
                    Error::new(
                        Condition::NonNumericSqlJsonItem,
                        "jsonpath item method .double() can only be applied to a string or numeric value"
                    )
                )
            }
        };
        self.next_item(jsp.next.as_deref(), value, found)
    }

    /// PostgreSQL's `executeKeyValueMethod`: `{"id": ..., "key": ..., "value": ...}` per pair.
    pub(crate) fn keyvalue(
        &mut self,
        next: Option<&Item>,
        jb: &Val<'a>,
        mut found: Found<'_, 'a>,
    ) -> Result<Status> {
        let Jsonb::Object(obj) = jb.get() else {
            return_error!(
                self,
                Error::new(
                    Condition::SqlJsonObjectNotFound,
                    "jsonpath item method .keyvalue() can only be applied to an object"
                )
            )
        };
        if obj.is_empty() {
            return Ok(Status::NotFound);
        }
        let id = self.object_id(jb);
        let pairs: Vec<(String, Jsonb)> = obj
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let mut res = Status::NotFound;
        for (key, value) in pairs {
            res = Status::Ok;
            if next.is_none() && found.is_none() {
                break;
            }
            let generated = Rc::new(Jsonb::Object(Object::from_pairs(vec![
                ("key".to_string(), Jsonb::String(key)),
                ("value".to_string(), value),
                ("id".to_string(), Jsonb::Number(Numeric::from(id))),
            ])));
            let generated_id = self.last_generated_id;
            self.last_generated_id += 1;
            let saved =
                std::mem::replace(&mut self.base, Base::Gen(generated.clone(), generated_id));
            let result = self.next_item(
                next,
                Val::Gen(generated, Rc::from(Vec::new())),
                found.as_deref_mut(),
            );
            self.base = saved;
            res = result?;
            if res == Status::Failed {
                return Ok(res);
            }
            if res == Status::Ok && found.is_none() {
                break;
            }
        }
        Ok(res)
    }

    /// The id PostgreSQL gives an object: its byte offset inside the current base object plus
    /// the base object's id times 10^10.
    fn object_id(&self, jb: &Val<'a>) -> i64 {
        let target = jb.get();
        let (offset, base_id) = match &self.base {
            Base::Doc(root, id) => (offset_in(root, target), *id),
            Base::Gen(root, id) => (offset_in(root, target), *id),
            Base::None => (None, 0),
        };
        offset.unwrap_or(0) + base_id * 10_000_000_000
    }
}
