//! jsonpath against PostgreSQL 15's answers (testdata/jsonpath*.expected).

use proptest::prelude::*;

use super::*;
use crate::Result;
use crate::jsonb::parse as jsonb;
use crate::testdata::{Case, check};

type Rows = Result<Vec<Option<String>>>;
type PathFn<'f> = &'f dyn Fn(&Jsonb, &JsonPath, PathArgs<'_>) -> Rows;

fn run(case: &Case) -> Rows {
    let vars_arg = case.args.get(2).and_then(|a| a.as_deref());
    let silent = case.args.get(3).and_then(|a| a.as_deref()) == Some("true");
    let target = || jsonb(case.arg(0));
    let path = || JsonPath::parse(case.arg(1));
    let call = |f: PathFn<'_>| -> Rows {
        let target = target()?;
        let path = path()?;
        let vars = vars_arg
            .map(jsonb)
            .transpose()?
            .unwrap_or(Jsonb::Object(crate::jsonb::Object::new()));
        let args = PathArgs {
            vars: Some(&vars),
            silent,
        };
        f(&target, &path, args)
    };
    let opt_bool = |b: Option<bool>| vec![b.map(|b| b.to_string())];
    match case.function.as_str() {
        "jsonpath_in" => Ok(vec![Some(JsonPath::parse(case.arg(0))?.to_string())]),
        "jsonb_path_exists" => call(&|t, p, a| Ok(opt_bool(path_exists(t, p, a)?))),
        "jsonb_path_match" => call(&|t, p, a| Ok(opt_bool(path_match(t, p, a)?))),
        "jsonb_path_query" => call(&|t, p, a| {
            Ok(path_query(t, p, a)?
                .iter()
                .map(|v| Some(v.to_string()))
                .collect())
        }),
        "jsonb_path_query_array" => {
            call(&|t, p, a| Ok(vec![Some(path_query_array(t, p, a)?.to_string())]))
        }
        "jsonb_path_query_first" => {
            call(&|t, p, a| Ok(vec![path_query_first(t, p, a)?.map(|v| v.to_string())]))
        }
        "jsonb_path_exists_op" => {
            let (t, p) = (target()?, path()?);
            Ok(opt_bool(path_exists(&t, &p, PathArgs::OPERATOR)?))
        }
        "jsonb_path_match_op" => {
            let (t, p) = (target()?, path()?);
            Ok(opt_bool(path_match(&t, &p, PathArgs::OPERATOR)?))
        }
        other => panic!("no runner for {other}"),
    }
}

#[test]
fn jsonpath_matches_postgres() {
    check("jsonpath", run);
}

proptest! {
    #[test]
    fn parse_never_panics(text in "\\PC{0,40}") {
        let _ = JsonPath::parse(&text);
    }

    #[test]
    fn parse_never_panics_on_near_paths(text in "(strict |lax )?[$@]([.][a-z*]{1,3}|\\[[0-9*, to last]{0,8}\\]|[ ?()&|!=<>+*/%-]|\"[a-z]{0,3}\"|[0-9.e]{1,4}|like_regex|starts with|exists|\\.size\\(\\)|\\*\\*\\{[0-9 tolas]{0,6}\\}){0,12}") {
        if let Ok(path) = JsonPath::parse(&text) {
            // Output reads back to the same output.
            let printed = path.to_string();
            let again = JsonPath::parse(&printed).map(|p| p.to_string());
            prop_assert_eq!(Ok(printed), again);
        }
    }
}

proptest! {
    #[test]
    fn evaluation_never_panics(
        text in "(strict |lax )?\\$([.][a-c*]{1,2}|\\[([0-9]|last|\\*)( to (last|[0-9]))?\\]|\\.\\*\\*(\\{[0-9]( to last)?\\})?|\\.(size|type|double|abs|floor|ceiling|keyvalue)\\(\\)| \\? \\(@[.a-c]{0,3} [<>=!]= [0-9\"a]{1,2}\\)| [-+*/%] \\$[.a-c]{0,2}){0,6}",
        silent in any::<bool>(),
    ) {
        let docs = ["{\"a\":[1,2,{\"b\":\"x\"}],\"c\":{\"a\":1.5}}", "[1,[2,[3]],\"a\",null,true]", "\"s\"", "0", "{}", "[]"];
        if let Ok(path) = JsonPath::parse(&text) {
            for doc in docs {
                let target = jsonb(doc).unwrap();
                let vars = jsonb("{\"a\": 1}").unwrap();
                let args = PathArgs { vars: Some(&vars), silent };
                let _ = path_query(&target, &path, args);
                let _ = path_match(&target, &path, args);
                let _ = path_exists(&target, &path, PathArgs::OPERATOR);
            }
        }
    }
}
