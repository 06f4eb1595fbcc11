//! The test-data runner: reads `testdata/AREA.expected` (PostgreSQL 15's answers, written by
//! `testdata/pg_expected.py`) and checks a function against every case.
//!
//! Invariants:
//! - A case's expectation is either result rows (`ok`) or a condition, message and detail
//!   (`err`); a mismatch anywhere fails the test with every failing case listed.

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
