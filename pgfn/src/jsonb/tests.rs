//! `jsonb` against PostgreSQL 15's answers (testdata/jsonb_*.expected), plus the laws the
//! executor relies on: output reads back equal, equal values hash alike, no input panics.

use std::hash::{BuildHasher, RandomState};

use proptest::prelude::*;

use super::*;
use crate::sql::SqlValue;
use crate::testdata::{
    Case, array_literal, check, record_base, record_columns, sql_text, test_input, typed_arg,
};
use crate::{Error, Result};

fn one(value: Result<impl ToString>) -> Result<Vec<Option<String>>> {
    value.map(|v| vec![Some(v.to_string())])
}

fn run_io(case: &Case) -> Result<Vec<Option<String>>> {
    let a = || parse(case.arg(0));
    match case.function.as_str() {
        "jsonb_in" => one(a()),
        "jsonb_pretty" => one(a().map(|v| v.pretty())),
        "jsonb_cmp" => one(Ok(a()?.cmp(&parse(case.arg(1))?) as i32)),
        "json_in" => one(crate::json::validate(case.arg(0)).map(|()| case.arg(0).to_string())),
        other => panic!("no runner for {other}"),
    }
}

#[test]
fn io_matches_postgres() {
    check("jsonb_io", run_io);
}

fn text_opt(value: Option<String>) -> Vec<Option<String>> {
    vec![value]
}

fn json_opt(value: Option<&Jsonb>) -> Vec<Option<String>> {
    vec![value.map(Jsonb::to_string)]
}

fn text_array(text: &str) -> Vec<Option<String>> {
    array_literal(text).1
}

fn refs(items: &[Option<String>]) -> Vec<Option<&str>> {
    items.iter().map(|s| s.as_deref()).collect()
}

fn run_funcs(case: &Case) -> Result<Vec<Option<String>>> {
    let a = || parse(case.arg(0));
    let b = || parse(case.arg(1));
    let path = || text_array(case.arg(1));
    let int = |idx: usize| case.arg(idx).trim().parse::<i32>().expect("int argument");
    let typed = || -> Vec<SqlValue> { case.args.iter().map(|a| typed_arg(a.as_deref())).collect() };
    Ok(match case.function.as_str() {
        "jsonb_field" => json_opt(field(&a()?, case.arg(1))),
        "jsonb_field_text" => text_opt(field_text(&a()?, case.arg(1))),
        "jsonb_element" => json_opt(element(&a()?, int(1))),
        "jsonb_element_text" => text_opt(element_text(&a()?, int(1))),
        "jsonb_path" | "jsonb_extract_path" => json_opt(super::path(&a()?, &refs(&path()))),
        "jsonb_path_text" | "jsonb_extract_path_text" => text_opt(path_text(&a()?, &refs(&path()))),
        "jsonb_exists" => text_opt(Some(exists(&a()?, case.arg(1)).to_string())),
        "jsonb_exists_any" => text_opt(Some(exists_any(&a()?, &refs(&path())).to_string())),
        "jsonb_exists_all" => text_opt(Some(exists_all(&a()?, &refs(&path())).to_string())),
        "jsonb_contains" => text_opt(Some(contains(&a()?, &b()?).to_string())),
        "jsonb_contained" => {
            let container = a()?;
            text_opt(Some(contains(&b()?, &container).to_string()))
        }
        "jsonb_concat" => json_opt(Some(&concat(&a()?, &b()?)?)),
        "jsonb_delete_key" => json_opt(Some(&delete_key(&a()?, case.arg(1))?)),
        "jsonb_delete_keys" => {
            let (dims, keys) = array_literal(case.arg(1));
            let value = a()?;
            if dims.len() > 1 {
                return Err(Error::new(
                    crate::Condition::ArraySubscriptError,
                    "wrong number of array subscripts",
                ));
            }
            json_opt(Some(&delete_keys(&value, &refs(&keys))?))
        }
        "jsonb_delete_index" => json_opt(Some(&delete_index(&a()?, int(1))?)),
        "jsonb_delete_path" | "jsonb_set" | "jsonb_insert" | "jsonb_set_lax" => {
            let value = a()?;
            let (dims, steps) = array_literal(case.arg(1));
            let new_value = case
                .args
                .get(2)
                .and_then(|a| a.as_deref())
                .map(parse)
                .transpose()?;
            let flag = case.arg(3) == "true";
            if dims.len() > 1 {
                return Err(Error::new(
                    crate::Condition::ArraySubscriptError,
                    "wrong number of array subscripts",
                ));
            }
            let steps = refs(&steps);
            let out = match case.function.as_str() {
                "jsonb_delete_path" => delete_path(&value, &steps)?,
                "jsonb_set" => set(&value, &steps, new_value.as_ref().expect("new value"), flag)?,
                "jsonb_insert" => {
                    insert(&value, &steps, new_value.as_ref().expect("new value"), flag)?
                }
                _ => set_lax(
                    &value,
                    &steps,
                    new_value.as_ref(),
                    flag,
                    case.args.get(4).and_then(|a| a.as_deref()),
                )?,
            };
            json_opt(Some(&out))
        }
        "jsonb_strip_nulls" => json_opt(Some(&strip_nulls(&a()?))),
        "jsonb_array_length" => text_opt(Some(array_length(&a()?)?.to_string())),
        "jsonb_array_elements" => array_elements(&a()?)?
            .iter()
            .map(|v| Some(v.to_string()))
            .collect(),
        "jsonb_array_elements_text" => array_elements_text(&a()?)?,
        "jsonb_each" => each(&a()?)?
            .into_iter()
            .map(|(k, v)| Some(format!("{k}={v}")))
            .collect(),
        "jsonb_each_text" => each_text(&a()?)?
            .into_iter()
            .map(|(k, v)| Some(format!("{k}={}", v.unwrap_or_else(|| "<NULL>".into()))))
            .collect(),
        "jsonb_object_keys" => object_keys(&a()?)?
            .into_iter()
            .map(|k| Some(k.to_string()))
            .collect(),
        "jsonb_typeof" => text_opt(Some(a()?.type_name().to_string())),
        "jsonb_subscript" => {
            let subs: Vec<Option<String>> = case.args[1..]
                .iter()
                .map(|s| subscript_text(s.as_deref()))
                .collect();
            let value = a()?;
            json_opt(if subs.iter().any(Option::is_none) {
                None
            } else {
                super::path(&value, &refs(&subs))
            })
        }
        "jsonb_subscript_assign" => {
            let target = case.args[0].as_deref().map(parse).transpose()?;
            let new_value = case.args[1].as_deref().map(parse).transpose()?;
            let subs: Vec<Option<String>> = case.args[2..]
                .iter()
                .map(|s| subscript_text(s.as_deref()))
                .collect();
            let first_is_integer = case.args[2]
                .as_deref()
                .is_some_and(|s| s.starts_with("int4::"));
            json_opt(Some(&subscript_assign(
                target.as_ref(),
                &refs(&subs),
                first_is_integer,
                new_value.as_ref(),
            )?))
        }
        "jsonb_cast_bool" => text_opt(Some(to_bool(&a()?)?.to_string())),
        "jsonb_cast_numeric" => text_opt(Some(to_numeric(&a()?, "numeric")?.to_string())),
        "jsonb_cast_int2" => text_opt(Some(to_i16(&a()?)?.to_string())),
        "jsonb_cast_int4" => text_opt(Some(to_i32(&a()?)?.to_string())),
        "jsonb_cast_int8" => text_opt(Some(to_i64(&a()?)?.to_string())),
        "jsonb_cast_float4" => text_opt(Some(crate::float::float4_out(to_f32(&a()?)?))),
        "jsonb_cast_float8" => text_opt(Some(crate::float::float8_out(to_f64(&a()?)?))),
        "to_jsonb" => match &typed()[0] {
            SqlValue::Null => vec![None],
            value => json_opt(Some(&to_jsonb(value)?)),
        },
        "jsonb_build_array" => json_opt(Some(&build_array(&typed())?)),
        "jsonb_build_object" => json_opt(Some(&build_object(&typed())?)),
        "jsonb_object" => {
            let (dims, items) = array_literal(case.arg(0));
            json_opt(Some(&object_from_array(&dims, &refs(&items))?))
        }
        "jsonb_object2" => {
            let (kdims, keys) = array_literal(case.arg(0));
            let (vdims, values) = array_literal(case.arg(1));
            json_opt(Some(&object_from_arrays(
                kdims.len(),
                &refs(&keys),
                vdims.len(),
                &refs(&values),
            )?))
        }
        "jsonb_agg" => {
            let mut agg = JsonbAgg::default();
            for value in &typed() {
                agg.push(value)?;
            }
            json_opt(Some(&agg.finish()?))
        }
        "jsonb_object_agg" => {
            let typed = typed();
            let (SqlValue::Array(keys), SqlValue::Array(values)) = (&typed[0], &typed[1]) else {
                panic!("arrays")
            };
            let mut agg = JsonbObjectAgg::default();
            for (k, v) in keys.elements.iter().zip(&values.elements) {
                agg.push(k, v)?;
            }
            json_opt(Some(&agg.finish()?))
        }
        other => panic!("no runner for {other}"),
    })
}

/// A typed subscript as the server passes it: its text (integers printed), `None` if NULL.
fn subscript_text(arg: Option<&str>) -> Option<String> {
    let (kind, value) = arg?.split_once("::")?;
    if kind == "null" {
        None
    } else {
        Some(value.to_string())
    }
}

#[test]
fn functions_match_postgres() {
    check("jsonb_funcs", run_funcs);
}

fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,10})?([eE][+-]?[0-9]{1,3})?",
        "\"([a-z é日]|\\\\n|\\\\u00e9){0,8}\"",
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("[a-c]{0,2}", inner), 0..6).prop_map(|v| {
                let pairs: Vec<String> =
                    v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", pairs.join(","))
            }),
        ]
    })
}

proptest! {
    #[test]
    fn parse_never_panics(text in "\\PC{0,60}") {
        let _ = parse(&text);
    }

    #[test]
    fn parse_never_panics_on_near_json(text in json_text(), cut in 0usize..80, junk in "[\\[\\]{}:,\"\\\\ue0-]{0,3}") {
        let mut mangled = text.clone();
        let at = (0..=cut.min(mangled.len())).rev().find(|i| mangled.is_char_boundary(*i)).unwrap_or(0);
        mangled.insert_str(at, &junk);
        let _ = parse(&mangled);
    }

    #[test]
    fn output_reads_back_equal(text in json_text()) {
        let value = parse(&text).unwrap();
        let printed = value.to_string();
        let again = parse(&printed).unwrap();
        prop_assert_eq!(&value, &again);
        prop_assert_eq!(printed, again.to_string());
        let state = RandomState::new();
        prop_assert_eq!(state.hash_one(&value), state.hash_one(&again));
    }

    #[test]
    fn text_field_reads_agree_with_the_parsed_value(text in json_text(), key in "[a-c]{0,2}") {
        let value = parse(&text).unwrap();
        let canonical = value.to_text();
        let want = field(&value, &key).map(Jsonb::to_text);
        prop_assert_eq!(field_in_text(&canonical, &key).map(str::to_string), want);
        prop_assert_eq!(field_text_in_text(&canonical, &key), field_text(&value, &key));
    }

    #[test]
    fn text_field_reads_never_panic(text in "\\PC{0,60}", key in "[a-c\"\\\\]{0,3}") {
        let _ = field_in_text(&text, &key);
        let _ = field_text_in_text(&text, &key);
    }

    #[test]
    fn order_is_total(a in json_text(), b in json_text(), c in json_text()) {
        let (a, b, c) = (parse(&a).unwrap(), parse(&b).unwrap(), parse(&c).unwrap());
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        if a <= b && b <= c {
            prop_assert!(a <= c);
        }
        if a == b {
            let state = RandomState::new();
            prop_assert_eq!(state.hash_one(&a), state.hash_one(&b));
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let depth = crate::json::MAX_DEPTH;
    let ok = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let value: Jsonb = parse(&ok).unwrap();
    assert_eq!(value.to_string(), ok);
    let too_deep = format!("{}{}", "[".repeat(depth + 1), "]".repeat(depth + 1));
    assert_eq!(
        parse(&too_deep).unwrap_err().message,
        "stack depth limit exceeded"
    );
}

fn run_record(case: &Case) -> Result<Vec<Option<String>>> {
    let value = parse(case.arg(0))?;
    let columns = record_columns();
    let base_row = record_base();
    let base = case
        .args
        .get(1)
        .and_then(|a| a.as_deref())
        .map(|_| base_row.as_slice());
    let rows = match case.function.as_str() {
        "jsonb_to_record" => vec![populate_record(&value, &columns, None, &mut test_input)?],
        "jsonb_populate_record" => vec![populate_record(&value, &columns, base, &mut test_input)?],
        "jsonb_to_recordset" => populate_recordset(&value, &columns, None, true, &mut test_input)?,
        "jsonb_populate_recordset" => {
            populate_recordset(&value, &columns, base, false, &mut test_input)?
        }
        other => panic!("no runner for {other}"),
    };
    Ok(rows.iter().flatten().map(sql_text).collect())
}

#[test]
fn records_match_postgres() {
    check("jsonb_record", run_record);
}
