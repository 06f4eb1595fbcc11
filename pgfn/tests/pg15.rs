//! Differential cases against a real PostgreSQL 15: every `pg15/*.cases` line run through the
//! library must give exactly the answer PostgreSQL gave (`pg15/*.expected`: value text, or
//! error condition and message). Regenerate answers with `python3 pgfn/tests/pg15/generate.py`.

use std::fs;
use std::path::Path;

use mindoodb_pgfn::datetime::{Context, TimestampTz, Zone};
use mindoodb_pgfn::{Condition, Error, Result};

#[path = "pg15/kinds.rs"]
mod pg15_kinds;

/// PostgreSQL's condition name, as the generator writes it.
#[allow(unreachable_patterns)] // other branches add conditions this file does not name
fn condition_name(c: Condition) -> &'static str {
    match c {
        Condition::InvalidTextRepresentation => "invalid_text_representation",
        Condition::InvalidParameterValue => "invalid_parameter_value",
        Condition::NumericValueOutOfRange => "numeric_value_out_of_range",
        Condition::DivisionByZero => "division_by_zero",
        Condition::InvalidDatetimeFormat => "invalid_datetime_format",
        Condition::DatetimeFieldOverflow => "datetime_field_overflow",
        Condition::IntervalFieldOverflow => "interval_field_overflow",
        Condition::InvalidTimeZoneDisplacementValue => "invalid_time_zone_displacement_value",
        Condition::InvalidBinaryRepresentation => "invalid_binary_representation",
        Condition::SyntaxError => "syntax_error",
        Condition::FeatureNotSupported => "feature_not_supported",
        _ => "unmapped_condition",
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

/// The expected-file form of one answer.
fn render(res: Result<Option<String>>) -> String {
    match res {
        Ok(Some(text)) => format!("ok:{}", escape(&text)),
        Ok(None) => "null".to_string(),
        Err(Error {
            condition,
            message,
            detail,
            hint,
        }) => {
            let mut s = format!("err:{}:{}", condition_name(condition), escape(&message));
            if let Some(d) = detail {
                s.push_str(&format!("\tdetail:{d}"));
            }
            if let Some(h) = hint {
                s.push_str(&format!("\thint:{h}"));
            }
            s
        }
    }
}

#[test]
fn pg15_differential() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pg15");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("read pg15 dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "cases"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut total = 0usize;
    for path in files {
        let cases = fs::read_to_string(&path).expect("read cases");
        let expected = fs::read_to_string(path.with_extension("expected")).expect("read expected");
        let mut expected = expected.lines();
        let mut ctx = Context::new(Zone::utc(), TimestampTz(0));
        for (lineno, line) in cases.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix("@zone ") {
                ctx.zone = Zone::by_name(name).expect("known zone");
                continue;
            }
            let want = expected.next().expect("an answer per case");
            let mut parts = line.split('\t');
            let kind = parts.next().unwrap_or("");
            let args: Vec<&str> = parts.collect();
            let got = match std::panic::catch_unwind(|| pg15_kinds::run(kind, &args, &ctx)) {
                Ok(res) => render(res),
                Err(_) => "PANIC".to_string(),
            };
            total += 1;
            if got != want {
                failures.push(format!(
                    "{}:{}: {line}\n    want {want}\n    got  {got}",
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    lineno + 1
                ));
            }
        }
    }
    if !failures.is_empty() {
        let shown: Vec<_> = failures.iter().take(400).cloned().collect();
        panic!(
            "{} of {total} cases differ from PostgreSQL 15:\n{}",
            failures.len(),
            shown.join("\n")
        );
    }
    eprintln!("{total} cases agree with PostgreSQL 15");
}
