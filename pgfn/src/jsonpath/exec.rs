//! The jsonpath evaluator of PostgreSQL 15 (`jsonpath_exec.c`): accessors, filters, methods,
//! arithmetic and variables over a jsonb document, in lax or strict mode.
//!
//! Invariants:
//! - Each function mirrors its PostgreSQL namesake, including when evaluation stops early
//!   (no result list wanted: the first item answers), when lax mode unwraps arrays or
//!   ignores structural errors, and which errors `silent` suppresses (`Status::Failed`, where
//!   PostgreSQL returns `jperError`) and which are always raised.
//! - `.datetime()` is not implemented: evaluating it is `feature_not_supported`.

use std::rc::Rc;

use super::ast::{BinOp, Item, Kind, Method, UnOp};
use super::predicate::PBool;
use super::value::Val;
use crate::jsonb::Jsonb;
use crate::{Condition, Error, Numeric, Result};

/// PostgreSQL's `JsonPathExecResult`: found something, found nothing, or a suppressed error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Ok,
    NotFound,
    Failed,
}

/// The object `.keyvalue()` ids are relative to.
#[derive(Clone)]
pub(crate) enum Base<'a> {
    None,
    Doc(&'a Jsonb, i64),
    Gen(Rc<Jsonb>, i64),
}

/// PostgreSQL's `JsonPathExecContext`.
pub(crate) struct Cx<'a> {
    pub(crate) vars: Option<&'a Jsonb>,
    pub(crate) root: &'a Jsonb,
    pub(crate) current: Val<'a>,
    pub(crate) base: Base<'a>,
    pub(crate) last_generated_id: i64,
    pub(crate) innermost_array_size: i64,
    pub(crate) lax: bool,
    pub(crate) ignore_structural_errors: bool,
    pub(crate) throw_errors: bool,
}

pub(crate) type Found<'f, 'a> = Option<&'f mut Vec<Val<'a>>>;

/// PostgreSQL's `RETURN_ERROR`: raise when errors are thrown, else report a failure.
macro_rules! return_error {
    ($cx:expr, $err:expr) => {{
        if $cx.throw_errors {
            return Err($err);
        }
        return Ok(Status::Failed);
    }};
}
pub(crate) use return_error;

impl<'a> Cx<'a> {
    /// PostgreSQL's `executeJsonPath` (after the vars check): the whole path against `$`.
    pub(crate) fn run(&mut self, expr: &Item, found: Found<'_, 'a>) -> Result<Status> {
        let root = Val::Doc(self.root);
        if !self.lax && found.is_none() {
            let mut vals = Vec::new();
            let res = self.item(expr, &root, Some(&mut vals))?;
            if res == Status::Failed {
                return Ok(res);
            }
            return Ok(if vals.is_empty() {
                Status::NotFound
            } else {
                Status::Ok
            });
        }
        self.item(expr, &root, found)
    }

    pub(crate) fn item(
        &mut self,
        jsp: &Item,
        jb: &Val<'a>,
        found: Found<'_, 'a>,
    ) -> Result<Status> {
        self.item_opt_unwrap_target(jsp, jb, found, self.lax)
    }

    /// PostgreSQL's `executeNextItem`: run `next` on `v`, or collect `v`.
    pub(crate) fn next_item(
        &mut self,
        next: Option<&Item>,
        v: Val<'a>,
        found: Found<'_, 'a>,
    ) -> Result<Status> {
        match next {
            Some(next) => self.item(next, &v, found),
            None => {
                if let Some(found) = found {
                    found.push(v);
                }
                Ok(Status::Ok)
            }
        }
    }

    /// PostgreSQL's `executeItemOptUnwrapTarget`.
    fn item_opt_unwrap_target(
        &mut self,
        jsp: &Item,
        jb: &Val<'a>,
        mut found: Found<'_, 'a>,
        unwrap: bool,
    ) -> Result<Status> {
        let next = jsp.next.as_deref();
        match &jsp.kind {
            Kind::Binary(
                BinOp::And
                | BinOp::Or
                | BinOp::Equal
                | BinOp::NotEqual
                | BinOp::Less
                | BinOp::Greater
                | BinOp::LessOrEqual
                | BinOp::GreaterOrEqual
                | BinOp::StartsWith,
                _,
                _,
            )
            | Kind::Unary(UnOp::Not | UnOp::IsUnknown | UnOp::Exists, _)
            | Kind::LikeRegex { .. } => {
                let st = self.bool_item(jsp, jb, true)?;
                if next.is_none() && found.is_none() {
                    return Ok(Status::Ok);
                }
                let value = match st {
                    PBool::Unknown => Jsonb::Null,
                    PBool::True => Jsonb::Bool(true),
                    PBool::False => Jsonb::Bool(false),
                };
                self.next_item(next, Val::own(value), found)
            }
            Kind::Key(key) => {
                if jb.is_object() {
                    match jb.key(key) {
                        Some(v) => self.next_item(next, v, found),
                        None if !self.ignore_structural_errors => {
                            if !self.throw_errors {
                                return Ok(Status::Failed);
                            }
                            Err(Error::new(
                                Condition::SqlJsonMemberNotFound,
                                format!("JSON object does not contain key \"{key}\""),
                            ))
                        }
                        None => Ok(Status::NotFound),
                    }
                } else if unwrap && jb.is_array() {
                    self.unwrap_target_array(Some(jsp), jb, found, false)
                } else if !self.ignore_structural_errors {
                    return_error!(
                        self,
                        Error::new(
                            Condition::SqlJsonMemberNotFound,
                            "jsonpath member accessor can only be applied to an object"
                        )
                    )
                } else {
                    Ok(Status::NotFound)
                }
            }
            Kind::Root => {
                let root = Val::Doc(self.root);
                let saved = std::mem::replace(&mut self.base, Base::Doc(self.root, 0));
                let res = self.next_item(next, root, found);
                self.base = saved;
                res
            }
            Kind::Current => {
                let current = self.current.clone();
                self.next_item(next, current, found)
            }
            Kind::AnyArray => {
                if jb.is_array() {
                    self.any_item(next, jb, found, 1, 1, 1, false, self.lax)
                } else if self.lax {
                    self.next_item(next, jb.clone(), found)
                } else if !self.ignore_structural_errors {
                    return_error!(
                        self,
                        Error::new(
                            Condition::SqlJsonArrayNotFound,
                            "jsonpath wildcard array accessor can only be applied to an array"
                        )
                    )
                } else {
                    Ok(Status::NotFound)
                }
            }
            Kind::IndexArray(subscripts) => self.index_array(subscripts, next, jb, found),
            Kind::Last => {
                if next.is_none() && found.is_none() {
                    return Ok(Status::Ok);
                }
                let last = Numeric::from(self.innermost_array_size - 1);
                self.next_item(next, Val::own(Jsonb::Number(last)), found)
            }
            Kind::AnyKey => {
                if jb.is_object() {
                    self.any_item(next, jb, found, 1, 1, 1, false, self.lax)
                } else if unwrap && jb.is_array() {
                    self.unwrap_target_array(Some(jsp), jb, found, false)
                } else if !self.ignore_structural_errors {
                    return_error!(
                        self,
                        Error::new(
                            Condition::SqlJsonObjectNotFound,
                            "jsonpath wildcard member accessor can only be applied to an object"
                        )
                    )
                } else {
                    Ok(Status::NotFound)
                }
            }
            Kind::Binary(op, left, right) => {
                self.binary_arithmetic(*op, left, right, next, jb, found)
            }
            Kind::Unary(UnOp::Plus | UnOp::Minus, arg) => {
                let negate = matches!(jsp.kind, Kind::Unary(UnOp::Minus, _));
                self.unary_arithmetic(negate, arg, next, jb, found)
            }
            Kind::Unary(UnOp::Filter, arg) => {
                if unwrap && jb.is_array() {
                    return self.unwrap_target_array(Some(jsp), jb, found, false);
                }
                if self.nested_bool_item(arg, jb)? != PBool::True {
                    return Ok(Status::NotFound);
                }
                self.next_item(next, jb.clone(), found)
            }
            Kind::Any { first, last } => {
                let mut res = Status::NotFound;
                if *first == 0 {
                    let saved = std::mem::replace(&mut self.ignore_structural_errors, true);
                    let result = self.next_item(next, jb.clone(), found.as_deref_mut());
                    self.ignore_structural_errors = saved;
                    res = result?;
                    if res == Status::Ok && found.is_none() {
                        return Ok(res);
                    }
                }
                if jb.is_container() {
                    res = self.any_item(next, jb, found, 1, *first, *last, true, self.lax)?;
                }
                Ok(res)
            }
            Kind::Null | Kind::Bool(_) | Kind::Numeric(_) | Kind::String(_) | Kind::Variable(_) => {
                if next.is_none() && found.is_none() && !matches!(jsp.kind, Kind::Variable(_)) {
                    return Ok(Status::Ok);
                }
                let saved = self.base.clone();
                let value = self.scalar_or_variable(jsp)?;
                let res = self.next_item(next, value, found);
                self.base = saved;
                res
            }
            Kind::Method(Method::Type) => {
                let name = jb.get().type_name();
                self.next_item(next, Val::own(Jsonb::String(name.to_string())), found)
            }
            Kind::Method(Method::Size) => {
                let mut size = jb.array_size();
                if size < 0 {
                    if !self.lax {
                        if !self.ignore_structural_errors {
                            return_error!(
                                self,
                                Error::new(
                                    Condition::SqlJsonArrayNotFound,
                                    "jsonpath item method .size() can only be applied to an array"
                                )
                            );
                        }
                        return Ok(Status::NotFound);
                    }
                    size = 1;
                }
                self.next_item(next, Val::own(Jsonb::Number(Numeric::from(size))), found)
            }
            Kind::Method(method @ (Method::Abs | Method::Floor | Method::Ceiling)) => {
                self.numeric_method(*method, jsp, jb, unwrap, found)
            }
            Kind::Method(Method::Double) => self.double_method(jsp, jb, unwrap, found),
            Kind::Method(Method::KeyValue) => {
                if unwrap && jb.is_array() {
                    return self.unwrap_target_array(Some(jsp), jb, found, false);
                }
                self.keyvalue(next, jb, found)
            }
            Kind::Datetime(_) => {
                if unwrap && jb.is_array() {
                    return self.unwrap_target_array(Some(jsp), jb, found, false);
                }
                Err(Error::new(
                    Condition::FeatureNotSupported,
                    "jsonpath item method .datetime() is not supported",
                ))
            }
        }
    }

    /// PostgreSQL's `executeItemUnwrapTargetArray`: `jsp` on each element of array `jb`.
    pub(crate) fn unwrap_target_array(
        &mut self,
        jsp: Option<&Item>,
        jb: &Val<'a>,
        found: Found<'_, 'a>,
        unwrap_elements: bool,
    ) -> Result<Status> {
        self.any_item(jsp, jb, found, 1, 1, 1, false, unwrap_elements)
    }

    /// PostgreSQL's `executeAnyItem`: `.**`, `.*` and `[*]` over the children of `jb`.
    #[allow(clippy::too_many_arguments)]
    fn any_item(
        &mut self,
        jsp: Option<&Item>,
        jb: &Val<'a>,
        mut found: Found<'_, 'a>,
        level: u32,
        first: u32,
        last: u32,
        ignore_structural_errors: bool,
        unwrap_next: bool,
    ) -> Result<Status> {
        let mut res = Status::NotFound;
        if level > last {
            return Ok(res);
        }
        for v in jb.children() {
            if level >= first || (first == u32::MAX && last == u32::MAX && !v.is_container()) {
                if let Some(jsp) = jsp {
                    if ignore_structural_errors {
                        let saved = std::mem::replace(&mut self.ignore_structural_errors, true);
                        let result =
                            self.item_opt_unwrap_target(jsp, &v, found.as_deref_mut(), unwrap_next);
                        self.ignore_structural_errors = saved;
                        res = result?;
                    } else {
                        res = self.item_opt_unwrap_target(
                            jsp,
                            &v,
                            found.as_deref_mut(),
                            unwrap_next,
                        )?;
                    }
                    if res == Status::Failed || (res == Status::Ok && found.is_none()) {
                        break;
                    }
                } else if let Some(found) = found.as_deref_mut() {
                    found.push(v.clone());
                } else {
                    return Ok(Status::Ok);
                }
            }
            if level < last && v.is_container() {
                res = self.any_item(
                    jsp,
                    &v,
                    found.as_deref_mut(),
                    level + 1,
                    first,
                    last,
                    ignore_structural_errors,
                    unwrap_next,
                )?;
                if res == Status::Failed || (res == Status::Ok && found.is_none()) {
                    break;
                }
            }
        }
        Ok(res)
    }

    /// PostgreSQL's `executeItemOptUnwrapResult`: a sequence, its arrays unwrapped in lax mode.
    pub(crate) fn item_opt_unwrap_result(
        &mut self,
        jsp: &Item,
        jb: &Val<'a>,
        unwrap: bool,
        found: &mut Vec<Val<'a>>,
    ) -> Result<Status> {
        if unwrap && self.lax {
            let mut seq = Vec::new();
            let res = self.item(jsp, jb, Some(&mut seq))?;
            if res == Status::Failed {
                return Ok(res);
            }
            for item in seq {
                if item.is_array() {
                    self.unwrap_target_array(None, &item, Some(&mut *found), false)?;
                } else {
                    found.push(item);
                }
            }
            return Ok(Status::Ok);
        }
        self.item(jsp, jb, Some(found))
    }

    /// The same with errors suppressed.
    pub(crate) fn item_opt_unwrap_result_no_throw(
        &mut self,
        jsp: &Item,
        jb: &Val<'a>,
        unwrap: bool,
        found: &mut Vec<Val<'a>>,
    ) -> Result<Status> {
        let saved = std::mem::replace(&mut self.throw_errors, false);
        let res = self.item_opt_unwrap_result(jsp, jb, unwrap, found);
        self.throw_errors = saved;
        res
    }

    fn index_array(
        &mut self,
        subscripts: &[(Item, Option<Item>)],
        next: Option<&Item>,
        jb: &Val<'a>,
        mut found: Found<'_, 'a>,
    ) -> Result<Status> {
        if !(jb.is_array() || self.lax) {
            if !self.ignore_structural_errors {
                return_error!(
                    self,
                    Error::new(
                        Condition::SqlJsonArrayNotFound,
                        "jsonpath array accessor can only be applied to an array"
                    )
                );
            }
            return Ok(Status::NotFound);
        }
        let saved_size = self.innermost_array_size;
        let mut size = jb.array_size();
        let singleton = size < 0;
        if singleton {
            size = 1;
        }
        self.innermost_array_size = size;
        let mut res = Status::NotFound;
        for (from, to) in subscripts {
            let index_from = match self.array_index(from, jb)? {
                Ok(index) => index,
                Err(status) => {
                    res = status;
                    break;
                }
            };
            let index_to = match to {
                Some(to) => match self.array_index(to, jb)? {
                    Ok(index) => index,
                    Err(status) => {
                        res = status;
                        break;
                    }
                },
                None => index_from,
            };
            if !self.ignore_structural_errors
                && (index_from < 0 || index_from > index_to || index_to >= size)
            {
                return_error!(
                    self,
                    Error::new(
                        Condition::InvalidSqlJsonSubscript,
                        "jsonpath array subscript is out of bounds"
                    )
                );
            }
            let index_from = index_from.max(0);
            let index_to = index_to.min(size - 1);
            res = Status::NotFound;
            let mut index = index_from;
            while index <= index_to {
                let v = if singleton {
                    Some(jb.clone())
                } else {
                    jb.element(index as usize)
                };
                index += 1;
                let Some(v) = v else { continue };
                if next.is_none() && found.is_none() {
                    return Ok(Status::Ok);
                }
                res = self.next_item(next, v, found.as_deref_mut())?;
                if res == Status::Failed || (res == Status::Ok && found.is_none()) {
                    break;
                }
            }
            if res == Status::Failed || (res == Status::Ok && found.is_none()) {
                break;
            }
        }
        self.innermost_array_size = saved_size;
        Ok(res)
    }

    /// PostgreSQL's `getArrayIndex`: a subscript's value truncated to int4; `Err(status)` when
    /// its evaluation failed quietly.
    fn array_index(
        &mut self,
        jsp: &Item,
        jb: &Val<'a>,
    ) -> Result<std::result::Result<i64, Status>> {
        let mut found = Vec::new();
        let res = self.item(jsp, jb, Some(&mut found))?;
        if res == Status::Failed {
            return Ok(Err(res));
        }
        let number = match found.as_slice() {
            [single] => match single.get() {
                Jsonb::Number(n) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        };
        let Some(number) = number else {
            if self.throw_errors {
                return Err(Error::new(
                    Condition::InvalidSqlJsonSubscript,
                    "jsonpath array subscript is not a single numeric value",
                ));
            }
            return Ok(Err(Status::Failed));
        };
        match number.trunc(0).and_then(|n| n.to_i32()) {
            Ok(index) => Ok(Ok(i64::from(index))),
            Err(_) => {
                if self.throw_errors {
                    return Err(Error::new(
                        Condition::InvalidSqlJsonSubscript,
                        "jsonpath array subscript is out of integer range",
                    ));
                }
                Ok(Err(Status::Failed))
            }
        }
    }

    /// A literal's value, or a variable's (which makes the vars the base object).
    fn scalar_or_variable(&mut self, jsp: &Item) -> Result<Val<'a>> {
        Ok(match &jsp.kind {
            Kind::Null => Val::own(Jsonb::Null),
            Kind::Bool(b) => Val::own(Jsonb::Bool(*b)),
            Kind::Numeric(n) => Val::own(Jsonb::Number(n.clone())),
            Kind::String(s) => Val::own(Jsonb::String(s.clone())),
            Kind::Variable(name) => {
                let Some(vars) = self.vars else {
                    return Ok(Val::own(Jsonb::Null));
                };
                let value = match vars {
                    Jsonb::Object(obj) => obj.get(name),
                    _ => None,
                };
                let Some(value) = value else {
                    return Err(Error::new(
                        Condition::UndefinedObject,
                        format!("could not find jsonpath variable \"{name}\""),
                    ));
                };
                self.base = Base::Doc(vars, 1);
                Val::Doc(value)
            }
            _ => Val::own(Jsonb::Null),
        })
    }
}
