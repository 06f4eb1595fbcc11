//! `jsonb` against PostgreSQL 15's answers (testdata/jsonb_*.expected), plus the laws the
//! executor relies on: output reads back equal, equal values hash alike, no input panics.

use std::hash::{BuildHasher, RandomState};

use proptest::prelude::*;

use super::{Jsonb, parse};
use crate::Result;
use crate::testdata::{Case, check};

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
