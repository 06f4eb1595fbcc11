//! The test-data runner: reads `testdata/AREA.expected` (PostgreSQL 15's answers, written by
//! `testdata/pg_expected.py`) and checks a function against every case.
//!
//! Invariants:
//! - A case's expectation is either result rows (`ok`) or a condition, message and detail
//!   (`err`: condition, message, detail, hint); a mismatch anywhere fails the test with every
//!   failing case listed.

use crate::{Condition, Error};

/// One case: the function's name and arguments (`None` is SQL NULL).
pub(crate) struct Case {
    pub(crate) function: String,
    pub(crate) args: Vec<Option<String>>,
    expected: Vec<String>,
}

impl Case {
    /// The argument at `idx`, which the template never passes as NULL.
    pub(crate) fn arg(&self, idx: usize) -> &str {
        self.args.get(idx).and_then(|a| a.as_deref()).unwrap_or("")
    }
}

/// Runs `run` over every case of `area` and panics listing the mismatches.
pub(crate) fn check(area: &str, run: impl Fn(&Case) -> Result<Vec<Option<String>>, Error>) {
    let path = format!("{}/testdata/{area}.expected", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut failures = Vec::new();
    let mut n_cases = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let arrow = fields
            .iter()
            .position(|f| *f == "=>")
            .unwrap_or_else(|| panic!("no => in {line}"));
        let case = Case {
            function: fields[0].to_string(),
            args: fields[1..arrow].iter().map(|f| unescape(f)).collect(),
            expected: fields[arrow + 1..].iter().map(|f| f.to_string()).collect(),
        };
        n_cases += 1;
        let got = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&case))) {
            Ok(Ok(rows)) => {
                let mut fields = vec!["ok".to_string()];
                fields.extend(rows.iter().map(|r| escape(r.as_deref())));
                fields
            }
            Ok(Err(err)) => vec![
                "err".to_string(),
                condition_name(err.condition),
                escape(Some(&err.message)),
                escape(err.detail.as_deref()),
                escape(err.hint.as_deref()),
            ],
            Err(_) => vec!["panic".to_string()],
        };
        if got != case.expected {
            failures.push(format!(
                "{}({})\n    expected {}\n    got      {}",
                case.function,
                fields[1..arrow].join(", "),
                case.expected.join(" | "),
                got.join(" | ")
            ));
        }
    }
    assert!(n_cases > 0, "{path} has no cases");
    if !failures.is_empty() {
        let shown: Vec<_> = failures.iter().take(60).cloned().collect();
        panic!(
            "{area}: {} of {n_cases} cases differ from PostgreSQL 15:\n{}",
            failures.len(),
            shown.join("\n")
        );
    }
}

/// `Condition::InvalidTextRepresentation` → `invalid_text_representation`, errcodes.txt's name.
fn condition_name(condition: Condition) -> String {
    let mut out = String::new();
    for (idx, ch) in format!("{condition:?}").chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if idx > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

fn unescape(field: &str) -> Option<String> {
    if field == "\\N" {
        return None;
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn escape(value: Option<&str>) -> String {
    match value {
        None => "\\N".to_string(),
        Some(v) => v
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\t', "\\t")
            .replace('\r', "\\r"),
    }
}

/// A PostgreSQL array literal (`{a,"b c",NULL,{1,2}}`): its dimensions and its elements in
/// row-major order (`None` is NULL). Enough of array_in for the test data.
pub(crate) fn array_literal(text: &str) -> (Vec<usize>, Vec<Option<String>>) {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut dims: Vec<usize> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut items = Vec::new();
    let mut idx = 0;
    while idx < chars.len() {
        match chars[idx] {
            '{' => {
                counts.push(0);
                idx += 1;
            }
            '}' => {
                let depth = counts.len() - 1;
                let count = counts.pop().unwrap_or(0);
                if dims.len() <= depth {
                    dims.resize(depth + 1, 0);
                }
                dims[depth] = count;
                if let Some(parent) = counts.last_mut() {
                    *parent += 1;
                }
                idx += 1;
            }
            ',' | ' ' => idx += 1,
            '"' => {
                let mut s = String::new();
                idx += 1;
                while idx < chars.len() && chars[idx] != '"' {
                    if chars[idx] == '\\' {
                        idx += 1;
                    }
                    s.push(chars[idx]);
                    idx += 1;
                }
                idx += 1;
                items.push(Some(s));
                *counts.last_mut().unwrap() += 1;
            }
            _ => {
                let start = idx;
                while idx < chars.len() && !matches!(chars[idx], ',' | '}') {
                    idx += 1;
                }
                let word: String = chars[start..idx]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string();
                items.push(if word.eq_ignore_ascii_case("null") {
                    None
                } else {
                    Some(word)
                });
                *counts.last_mut().unwrap() += 1;
            }
        }
    }
    if items.is_empty() {
        dims.clear();
    }
    (dims, items)
}

/// A typed test argument (`int4::5`, `null::text`, `int4[]::{1,2}`, `rec::a=int4::1|b=text::x`)
/// as the server would pass it.
pub(crate) fn typed_arg(arg: Option<&str>) -> crate::sql::SqlValue {
    use crate::sql::{SqlArray, SqlValue};
    let Some(arg) = arg else {
        return SqlValue::Null;
    };
    let (kind, value) = arg.split_once("::").unwrap_or((arg, ""));
    if kind == "null" {
        return SqlValue::Null;
    }
    if kind == "rec" {
        let columns = value
            .split('|')
            .map(|col| {
                let (name, v) = col.split_once('=').unwrap_or((col, ""));
                (name.to_string(), typed_arg(Some(v)))
            })
            .collect();
        return SqlValue::Record(columns);
    }
    if let Some(elem_kind) = kind.strip_suffix("[]") {
        let (dims, items) = array_literal(value);
        let elements = items
            .iter()
            .map(|item| match item {
                None => SqlValue::Null,
                Some(v) => typed_arg(Some(&format!("{elem_kind}::{v}"))),
            })
            .collect();
        return SqlValue::Array(SqlArray { dims, elements });
    }
    match kind {
        "int2" | "int4" | "int8" => SqlValue::Int(value.parse().expect("int")),
        "float4" => SqlValue::Float4(crate::float::float4_in(value).expect("float4")),
        "float8" => SqlValue::Float8(crate::float::float8_in(value).expect("float8")),
        "numeric" => SqlValue::Numeric(value.parse().expect("numeric")),
        "bool" => SqlValue::Bool(matches!(value, "t" | "true")),
        "text" => SqlValue::Text(value.to_string()),
        "json" => SqlValue::Json(value.to_string()),
        "jsonb" => SqlValue::Jsonb(crate::jsonb::parse(value).expect("jsonb")),
        other => panic!("unknown typed argument kind {other}"),
    }
}

/// The test table's columns: `(a int, b text, c jsonb, d json, e int[], f numeric, g bool,
/// h float8, r pgfn_rec(x int, y text))`.
pub(crate) fn record_columns() -> Vec<(String, crate::jsonb::FieldType)> {
    let scalar = |t: &str| crate::jsonb::FieldType::Scalar(t.to_string());
    let rec = crate::jsonb::FieldType::Record(vec![
        ("x".into(), scalar("int4")),
        ("y".into(), scalar("text")),
    ]);
    vec![
        ("a".into(), scalar("int4")),
        ("b".into(), scalar("text")),
        ("c".into(), crate::jsonb::FieldType::Jsonb),
        ("d".into(), crate::jsonb::FieldType::Json),
        (
            "e".into(),
            crate::jsonb::FieldType::Array(Box::new(scalar("int4"))),
        ),
        ("f".into(), scalar("numeric")),
        ("g".into(), scalar("bool")),
        ("h".into(), scalar("float8")),
        ("r".into(), rec),
    ]
}

/// The base row of the templates: `ROW(7, 'base', '{"z": 1}', '[0]', '{9}', 1.5, false, 2.5, ROW(5, 'q'))`.
pub(crate) fn record_base() -> Vec<crate::sql::SqlValue> {
    vec![
        crate::sql::SqlValue::Int(7),
        crate::sql::SqlValue::Text("base".into()),
        crate::sql::SqlValue::Jsonb(crate::jsonb::parse("{\"z\": 1}").unwrap()),
        crate::sql::SqlValue::Json("[0]".into()),
        crate::sql::SqlValue::Array(crate::sql::SqlArray::from_vec(vec![
            crate::sql::SqlValue::Int(9),
        ])),
        crate::sql::SqlValue::Numeric("1.5".parse().unwrap()),
        crate::sql::SqlValue::Bool(false),
        crate::sql::SqlValue::Float8(2.5),
        crate::sql::SqlValue::Record(vec![
            ("x".into(), crate::sql::SqlValue::Int(5)),
            ("y".into(), crate::sql::SqlValue::Text("q".into())),
        ]),
    ]
}

/// PostgreSQL's input functions for the test columns' types (int4in, boolin, ...).
pub(crate) fn test_input(type_name: &str, text: &str) -> crate::Result<crate::sql::SqlValue> {
    use crate::Condition;
    let syntax = |t: &str| {
        crate::Error::new(
            Condition::InvalidTextRepresentation,
            format!("invalid input syntax for type {t}: \"{text}\""),
        )
    };
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    Ok(match type_name {
        "int4" => {
            let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax("integer"));
            }
            match trimmed.parse::<i32>() {
                Ok(v) => crate::sql::SqlValue::Int(i64::from(v)),
                Err(_) => {
                    return Err(crate::Error::new(
                        Condition::NumericValueOutOfRange,
                        format!("value \"{text}\" is out of range for type integer"),
                    ));
                }
            }
        }
        "text" => crate::sql::SqlValue::Text(text.to_string()),
        "numeric" => crate::sql::SqlValue::Numeric(text.parse()?),
        "float8" => crate::sql::SqlValue::Float8(crate::float::float8_in(text)?),
        "bool" => {
            let lower = trimmed.to_ascii_lowercase();
            let truthy = ["t", "true", "y", "yes", "on", "1"];
            let falsy = ["f", "false", "n", "no", "off", "0"];
            let prefix_of = |words: &[&str]| {
                !lower.is_empty()
                    && words.iter().any(|w| {
                        w.starts_with(&lower)
                            && (lower.len() > 1 || *w == lower || !lower.starts_with('o'))
                    })
            };
            if prefix_of(&truthy) {
                crate::sql::SqlValue::Bool(true)
            } else if prefix_of(&falsy) {
                crate::sql::SqlValue::Bool(false)
            } else {
                return Err(syntax("boolean"));
            }
        }
        "int4[]" => {
            let (dims, items) = array_literal(text);
            let elements = items
                .iter()
                .map(|item| match item {
                    None => Ok(crate::sql::SqlValue::Null),
                    Some(v) => test_input("int4", v),
                })
                .collect::<crate::Result<Vec<_>>>()?;
            crate::sql::SqlValue::Array(crate::sql::SqlArray { dims, elements })
        }
        other => panic!("no test input function for {other}"),
    })
}

/// PostgreSQL's text output of the test values (`::text` of each column).
pub(crate) fn sql_text(value: &crate::sql::SqlValue) -> Option<String> {
    Some(match value {
        crate::sql::SqlValue::Null => return None,
        crate::sql::SqlValue::Int(i) => i.to_string(),
        crate::sql::SqlValue::Text(s) | crate::sql::SqlValue::Json(s) => s.clone(),
        crate::sql::SqlValue::Numeric(n) => n.to_string(),
        crate::sql::SqlValue::Bool(b) => b.to_string(),
        crate::sql::SqlValue::Float8(f) => crate::float::float8_out(*f),
        crate::sql::SqlValue::Float4(f) => crate::float::float4_out(*f),
        crate::sql::SqlValue::Jsonb(j) => j.to_string(),
        crate::sql::SqlValue::Array(array) => {
            fn level(
                dims: &[usize],
                items: &mut std::slice::Iter<'_, crate::sql::SqlValue>,
            ) -> String {
                let parts: Vec<String> = (0..dims[0])
                    .map(|_| {
                        if dims.len() == 1 {
                            items
                                .next()
                                .and_then(sql_text)
                                .unwrap_or_else(|| "NULL".into())
                        } else {
                            level(&dims[1..], items)
                        }
                    })
                    .collect();
                format!("{{{}}}", parts.join(","))
            }
            if array.dims.is_empty() {
                "{}".to_string()
            } else {
                level(&array.dims, &mut array.elements.iter())
            }
        }
        crate::sql::SqlValue::Record(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .map(|(_, v)| sql_text(v).unwrap_or_default())
                .collect();
            format!("({})", parts.join(","))
        }
    })
}
