//! Regression guard: values nested to the crate's depth limit go through every recursive
//! operation on a 2 MiB thread stack (what tokio and the test harness give a thread) without
//! overflowing, in unoptimised builds too; one level deeper is an error, never a crash.

use std::hash::{BuildHasher, RandomState};

use mindoodb_pgfn::json::MAX_DEPTH;
use mindoodb_pgfn::jsonpath::{JsonPath, MAX_ITEMS, MAX_NESTING, PathArgs, path_query};
use mindoodb_pgfn::sql::SqlValue;
use mindoodb_pgfn::{Jsonb, json, jsonb};

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn nested(depth: usize, open: &str, close: &str, leaf: &str) -> String {
    format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deepest_arrays_survive_every_operation() {
    on_small_stack(|| {
        let text = nested(MAX_DEPTH, "[", "]", "1");
        let value = jsonb::parse(&text).unwrap();
        let same = jsonb::parse(&text).unwrap();
        assert_eq!(value.to_string(), text);
        assert!(value.pretty().starts_with("[\n    ["));
        assert_eq!(value, same);
        let state = RandomState::new();
        assert_eq!(state.hash_one(&value), state.hash_one(&same));
        assert!(jsonb::contains(&value, &same));
        let _ = jsonb::strip_nulls(&value);
        assert_eq!(
            jsonb::concat(&value, &Jsonb::Null).unwrap().depth(),
            MAX_DEPTH
        );
        let _ = jsonb::to_jsonb(&SqlValue::Jsonb(value.clone())).unwrap();
        let path: Vec<String> = vec!["0".to_string(); MAX_DEPTH - 1];
        let steps: Vec<Option<&str>> = path.iter().map(|s| Some(s.as_str())).collect();
        assert!(jsonb::path(&value, &steps).is_some());
        let _ = jsonb::set(&value, &steps, &Jsonb::Bool(true), true).unwrap();
        let found = path_query(
            &value,
            &JsonPath::parse("$.**").unwrap(),
            PathArgs::OPERATOR,
        )
        .unwrap();
        assert_eq!(found.len(), MAX_DEPTH + 1);
        let _ = path_query(
            &value,
            &JsonPath::parse("$.**.keyvalue()").unwrap(),
            PathArgs::OPERATOR,
        );
        json::validate(&text).unwrap();
        assert_eq!(json::strip_nulls(&text).unwrap(), text);
        assert_eq!(json::path(&text, &steps).unwrap().as_deref(), Some("[1]"));
        drop(value);
    });
}

#[test]
fn deepest_objects_survive_every_operation() {
    on_small_stack(|| {
        let text = nested(MAX_DEPTH, "{\"a\":", "}", "null");
        let value = jsonb::parse(&text).unwrap();
        assert_eq!(value.depth(), MAX_DEPTH);
        assert_eq!(jsonb::strip_nulls(&value).depth(), MAX_DEPTH);
        let _ = path_query(
            &value,
            &JsonPath::parse("$.**.keyvalue()").unwrap(),
            PathArgs::OPERATOR,
        )
        .unwrap();
        let _ = json::each(&text).unwrap();
        assert_eq!(
            json::strip_nulls(&text).unwrap().len(),
            text.len() - 4 * MAX_DEPTH + 4 * (MAX_DEPTH - 1) - 4
        );
    });
}

#[test]
fn one_level_deeper_is_an_error() {
    on_small_stack(|| {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = nested(MAX_DEPTH + 1, open, close, "1");
            assert_eq!(
                jsonb::parse(&text).unwrap_err().message,
                "stack depth limit exceeded"
            );
            assert_eq!(
                json::validate(&text).unwrap_err().message,
                "stack depth limit exceeded"
            );
        }
        let deepest = jsonb::parse(&nested(MAX_DEPTH, "[", "]", "1")).unwrap();
        let wrapped = jsonb::build_array(&[SqlValue::Jsonb(deepest)]);
        assert_eq!(wrapped.unwrap_err().message, "stack depth limit exceeded");
    });
}

#[test]
fn longest_and_deepest_jsonpaths_evaluate() {
    on_small_stack(|| {
        let doc = jsonb::parse(&nested(MAX_DEPTH, "{\"a\":", "}", "1")).unwrap();
        // The longest chain a jsonpath may have: `$` and MAX_ITEMS - 1 accessors.
        let long = format!("${}", ".a".repeat(MAX_ITEMS - 1));
        let found = path_query(&doc, &JsonPath::parse(&long).unwrap(), PathArgs::OPERATOR).unwrap();
        assert_eq!(found.len(), 1);
        let too_long = JsonPath::parse(&format!("${}", ".a".repeat(MAX_ITEMS))).unwrap_err();
        assert_eq!(too_long.message, "stack depth limit exceeded");
        // The deepest nesting of filters, and of parentheses.
        let depth = MAX_NESTING;
        let filters = format!(
            "$.a{}{}",
            " ? (exists(@.a".repeat(depth / 2),
            "))".repeat(depth / 2)
        );
        let _ = path_query(
            &doc,
            &JsonPath::parse(&filters).unwrap(),
            PathArgs::OPERATOR,
        )
        .unwrap();
        let parens = format!("{}$.a{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(JsonPath::parse(&parens).unwrap().to_string(), "$.\"a\"");
        assert!(
            JsonPath::parse(&format!(
                "{}1{}",
                "(".repeat(depth + 1),
                ")".repeat(depth + 1)
            ))
            .is_err()
        );
        let unary = format!("{}$", "-".repeat(depth));
        let _ = path_query(
            &jsonb::parse("1").unwrap(),
            &JsonPath::parse(&unary).unwrap(),
            PathArgs::OPERATOR,
        )
        .unwrap();
        // A filter at every level of the deepest document.
        let every_level = JsonPath::parse("$.** ? (@.a.a == 1)").unwrap();
        assert_eq!(
            path_query(&doc, &every_level, PathArgs::OPERATOR)
                .unwrap()
                .len(),
            1
        );
    });
}
