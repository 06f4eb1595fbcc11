//! Full-text search never panics and never overflows the stack, whatever the input: random
//! strings through every parser and function, text round trips of tsvector and tsquery, and
//! query trees 60,000 levels deep (PostgreSQL accepts those from `plainto_tsquery`).
//! Issue 18, item 6.

use mindoodb_pgfn::tsearch::{self, TsConfig, TsQuery, TsVector};
use proptest::prelude::*;

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,40}",
        "[a-c !&|()<>:*'\\\\AB0-9-]{0,30}",
        "[a-zA-Z0-9@./:_~<>&;#?=%'\" -]{0,60}",
        proptest::collection::vec(
            prop_oneof![
                Just("http://"),
                Just("www."),
                Just(".com"),
                Just("@"),
                Just("-"),
                Just("<b>"),
                Just("&amp;"),
                Just("1.2"),
                Just("é"),
                Just("\0"),
                Just(" "),
                Just("/"),
                Just("x"),
                Just("<!--"),
                Just("'"),
                Just("\\"),
            ],
            0..20
        )
        .prop_map(|parts| parts.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic(text in any_text(), other in any_text()) {
        let _ = tsearch::ts_parse(&text);
        for config in [TsConfig::Simple, TsConfig::English] {
            let _ = tsearch::to_tsvector(config, &text);
            let _ = tsearch::to_tsquery(config, &text);
            let _ = tsearch::plainto_tsquery(config, &text);
            let _ = tsearch::phraseto_tsquery(config, &text);
            let _ = tsearch::websearch_to_tsquery(config, &text);
            if let Ok(query) = tsearch::websearch_to_tsquery(config, &other) {
                let _ = tsearch::ts_headline(config, &text, &query, Some(&other));
                let _ = tsearch::ts_headline(config, &text, &query, None);
            }
        }
        let _ = TsConfig::from_name(&text);
        let _ = tsearch::ts_lexize("english_stem", &text);
    }

    #[test]
    fn vector_and_query_text_round_trips(text in any_text(), other in any_text()) {
        if let Ok(vector) = TsVector::parse(&text) {
            let printed = vector.to_string();
            prop_assert_eq!(TsVector::parse(&printed), Ok(vector.clone()));
            let _ = tsearch::setweight(&vector, b'A');
            let _ = tsearch::concat(&vector, &vector);
            if let Ok(query) = TsQuery::parse(&other) {
                let _ = tsearch::matches(&vector, &query);
                let _ = tsearch::ts_rank(None, &vector, &query, 63);
                let _ = tsearch::ts_rank_cd(None, &vector, &query, 63);
            }
        }
        if let Ok(query) = TsQuery::parse(&text) {
            let printed = query.to_string();
            let reparsed = TsQuery::parse(&printed);
            prop_assert_eq!(reparsed.map(|q| q.to_string()), Ok(printed));
            let _ = query.querytree();
            let _ = query.not().and(&query).or(&query).phrase(&query, 3);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn binary_input_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(vector) = tsearch::tsvector_recv(&bytes) {
            prop_assert_eq!(tsearch::tsvector_recv(&tsearch::tsvector_send(&vector)), Ok(vector));
        }
        if let Ok(query) = tsearch::tsquery_recv(&bytes) {
            let printed = query.to_string();
            prop_assert_eq!(tsearch::tsquery_recv(&tsearch::tsquery_send(&query)), Ok(query));
            prop_assert!(printed.len() < 1 << 20);
        }
    }
}

#[test]
fn query_trees_60000_deep_do_not_overflow_the_stack() {
    let text: String = (0..30_000).map(|i| format!("w{i} ")).collect();
    let query = tsearch::plainto_tsquery(TsConfig::Simple, &text).expect("plainto_tsquery");
    assert_eq!(query.numnode(), 59_999);
    let printed = query.to_string();
    assert!(printed.starts_with("'w0' & 'w1' & "));
    let vector = tsearch::to_tsvector(TsConfig::Simple, "w0 w1 w2").expect("to_tsvector");
    assert!(!tsearch::matches(&vector, &query));
    assert_eq!(query.querytree(), printed);
    let reparsed = TsQuery::parse(&printed).expect("tsquery input");
    assert_eq!(reparsed.numnode(), 59_999);
    let phrase = tsearch::phraseto_tsquery(TsConfig::English, &text).expect("phraseto_tsquery");
    assert!(!tsearch::matches(&vector, &phrase));
    let rank = tsearch::ts_rank_cd(None, &vector, &query, 0).expect("ts_rank_cd");
    assert_eq!(rank, 0.0);
}

#[test]
fn deeply_nested_parentheses_parse() {
    let nested = format!("{}a{}", "(".repeat(50_000), ")".repeat(50_000));
    assert_eq!(
        TsQuery::parse(&nested).map(|q| q.to_string()),
        Ok("'a'".to_string())
    );
}
