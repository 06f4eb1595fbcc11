//! `json` functions against PostgreSQL 15's answers (testdata/json_funcs.expected).

use super::*;
use crate::Result;
use crate::sql::SqlValue;
use crate::testdata::{
    Case, array_literal, check, record_base, record_columns, sql_text, test_input, typed_arg,
};

fn refs(items: &[Option<String>]) -> Vec<Option<&str>> {
    items.iter().map(|s| s.as_deref()).collect()
}

fn run(case: &Case) -> Result<Vec<Option<String>>> {
    let a = case.arg(0);
    // The SQL functions take `json`: its input check comes first.
    if !matches!(
        case.function.as_str(),
        "json_object" | "json_object2" | "json_object_agg"
    ) && !matches!(
        case.function.as_str(),
        "to_json"
            | "json_build_array"
            | "json_build_object"
            | "json_agg"
            | "row_to_json"
            | "row_to_json_pretty"
            | "array_to_json"
            | "array_to_json_pretty"
    ) {
        validate(a)?;
    }
    let one = |v: Option<String>| vec![v];
    let typed = || -> Vec<SqlValue> { case.args.iter().map(|a| typed_arg(a.as_deref())).collect() };
    let int = |idx: usize| case.arg(idx).trim().parse::<i32>().expect("int argument");
    Ok(match case.function.as_str() {
        "json_field" => one(field(a, case.arg(1))?),
        "json_field_text" => one(field_text(a, case.arg(1))?),
        "json_element" => one(element(a, int(1))?),
        "json_element_text" => one(element_text(a, int(1))?),
        "json_path" => one(path(a, &refs(&array_literal(case.arg(1)).1))?),
        "json_path_text" => one(path_text(a, &refs(&array_literal(case.arg(1)).1))?),
        "json_typeof" => one(Some(type_of(a)?.to_string())),
        "json_array_length" => one(Some(array_length(a)?.to_string())),
        "json_each" => each(a)?
            .into_iter()
            .map(|(k, v)| Some(format!("{k}={v}")))
            .collect(),
        "json_each_text" => each_text(a)?
            .into_iter()
            .map(|(k, v)| Some(format!("{k}={}", v.unwrap_or_else(|| "<NULL>".into()))))
            .collect(),
        "json_array_elements" => array_elements(a)?.into_iter().map(Some).collect(),
        "json_array_elements_text" => array_elements_text(a)?,
        "json_object_keys" => object_keys(a)?.into_iter().map(Some).collect(),
        "json_strip_nulls" => one(Some(strip_nulls(a)?)),
        "to_json" => match &typed()[0] {
            SqlValue::Null => vec![None],
            value => one(Some(to_json(value)?)),
        },
        "json_build_array" => one(Some(build_array(&typed())?)),
        "json_build_object" => one(Some(build_object(&typed())?)),
        "json_object" => {
            let (dims, items) = array_literal(a);
            one(Some(object_from_array(&dims, &refs(&items))?))
        }
        "json_object2" => {
            let (kdims, keys) = array_literal(a);
            let (vdims, values) = array_literal(case.arg(1));
            one(Some(object_from_arrays(
                kdims.len(),
                &refs(&keys),
                vdims.len(),
                &refs(&values),
            )?))
        }
        "json_agg" => {
            let values = typed();
            let structured = case.arg(0).starts_with("rec::")
                || case
                    .arg(0)
                    .split("::")
                    .next()
                    .is_some_and(|k| k.ends_with("[]"));
            let mut agg = JsonAgg::new(structured);
            for value in &values {
                agg.push(value)?;
            }
            one(Some(agg.finish()))
        }
        "json_object_agg" => {
            let values = typed();
            let (SqlValue::Array(keys), SqlValue::Array(vals)) = (&values[0], &values[1]) else {
                panic!("arrays")
            };
            let mut agg = JsonObjectAgg::default();
            for (k, v) in keys.elements.iter().zip(&vals.elements) {
                agg.push(k, v)?;
            }
            one(Some(agg.finish()))
        }
        "row_to_json" | "row_to_json_pretty" => {
            let SqlValue::Record(columns) = &typed()[0] else {
                panic!("record")
            };
            one(Some(row_to_json(
                columns,
                case.function.ends_with("pretty"),
            )?))
        }
        "array_to_json" | "array_to_json_pretty" => {
            let SqlValue::Array(array) = &typed()[0] else {
                panic!("array")
            };
            one(Some(array_to_json(
                array,
                case.function.ends_with("pretty"),
            )?))
        }
        "json_to_record"
        | "json_populate_record"
        | "json_to_recordset"
        | "json_populate_recordset" => {
            let columns = record_columns();
            let base_row = record_base();
            let base = case
                .args
                .get(1)
                .and_then(|a| a.as_deref())
                .map(|_| base_row.as_slice());
            let rows = match case.function.as_str() {
                "json_to_record" => vec![populate_record(a, &columns, None, &mut test_input)?],
                "json_populate_record" => {
                    vec![populate_record(a, &columns, base, &mut test_input)?]
                }
                "json_to_recordset" => {
                    populate_recordset(a, &columns, None, true, &mut test_input)?
                }
                _ => populate_recordset(a, &columns, base, false, &mut test_input)?,
            };
            rows.iter().flatten().map(sql_text).collect()
        }
        other => panic!("no runner for {other}"),
    })
}

#[test]
fn json_matches_postgres() {
    check("json_funcs", run);
}

proptest::proptest! {
    #[test]
    fn json_functions_never_panic(text in "[\\[\\]{}:,\" 0-9a-z.\\\\-]{0,40}", key in "[a-z0-9-]{0,2}") {
        let _ = validate(&text);
        let _ = type_of(&text);
        let _ = array_length(&text);
        let _ = each(&text);
        let _ = each_text(&text);
        let _ = array_elements(&text);
        let _ = array_elements_text(&text);
        let _ = object_keys(&text);
        let _ = strip_nulls(&text);
        let _ = field(&text, &key);
        let _ = field_text(&text, &key);
        let _ = element(&text, key.parse().unwrap_or(-1));
        let _ = path(&text, &[Some(key.as_str()), Some("0")]);
        let mut input = |_: &str, t: &str| Ok(SqlValue::Text(t.to_string()));
        let columns = vec![("a".to_string(), crate::jsonb::FieldType::Array(Box::new(crate::jsonb::FieldType::Scalar("text".into()))))];
        let _ = populate_record(&text, &columns, None, &mut input);
        let _ = populate_recordset(&text, &columns, None, true, &mut input);
    }
}
