//! The known-differences file (tests/differential/known-differences.txt): every corpus record
//! on which MindooDB answers differently from PostgreSQL 15 today, grouped under the reason.
//!
//! Format: `## <reason>` opens a group; each following `<file>: <record key>` line is a record
//! that differs for that reason. Lines starting with `#` and blank lines are comments.
//!
//! Invariants:
//! - A record is listed at most once, under exactly one reason.
//! - `render` writes the groups in the order of their first entry, entries within a group in
//!   the order given, so rewriting a file that did not change yields the same bytes.

use std::collections::HashSet;

/// The heading new differences get from `DIFFERENTIAL_UPDATE=1` until a person gives them
/// their reason.
pub(crate) const UNCLASSIFIED: &str =
    "UNCLASSIFIED: new differences (replace this heading with the reason, or fix them)";

const HEADER: &str = "\
# Known differences between PostgreSQL 15 and MindooDB on the differential corpus
# (tests/differential/*.sql), checked by `cargo test -p mindoodb-server --test it differential`.
#
# Each `## reason` heading groups the records (`<file>: <record key>`, the key being the
# record's SQL with whitespace collapsed) that differ for that reason. The test fails on a
# difference listed nowhere and on a listed record that no longer differs, so this list is
# always exactly today's differences: fixing one means deleting its line.
# `DIFFERENTIAL_UPDATE=1 cargo test -p mindoodb-server --test it differential` rewrites it from
# a run, keeping reasons and putting new differences under an UNCLASSIFIED heading.
";

/// One listed record.
#[derive(Clone)]
pub(crate) struct Entry {
    pub(crate) file: String,
    pub(crate) key: String,
    pub(crate) reason: String,
}

/// The entries of a known-differences file, in file order.
pub(crate) fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    let mut reason: Option<String> = None;
    let mut seen = HashSet::new();
    for (idx, line) in text.lines().enumerate() {
        let at = idx + 1;
        if let Some(heading) = line.strip_prefix("## ") {
            reason = Some(heading.trim().to_owned());
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (file, key) = line
            .split_once(": ")
            .ok_or_else(|| format!("line {at}: expected `<file>: <key>`, got {line:?}"))?;
        let reason = reason
            .clone()
            .ok_or_else(|| format!("line {at}: an entry before any `## reason` heading"))?;
        if !seen.insert((file.to_owned(), key.to_owned())) {
            return Err(format!("line {at}: {file}: {key} is listed twice"));
        }
        entries.push(Entry {
            file: file.to_owned(),
            key: key.to_owned(),
            reason,
        });
    }
    Ok(entries)
}

/// The file's text for `entries`.
pub(crate) fn render(entries: &[Entry]) -> String {
    let mut reasons: Vec<&str> = Vec::new();
    for entry in entries {
        if !reasons.contains(&entry.reason.as_str()) {
            reasons.push(&entry.reason);
        }
    }
    let mut out = HEADER.to_owned();
    for reason in reasons {
        out.push_str(&format!("\n## {reason}\n"));
        for entry in entries.iter().filter(|e| e.reason == reason) {
            out.push_str(&format!("{}: {}\n", entry.file, entry.key));
        }
    }
    out
}

mod tests {
    use super::*;

    #[test]
    fn render_and_parse_round_trip() {
        let entries = vec![
            Entry {
                file: "01-a.sql".into(),
                key: "SELECT '{\"a\": 1}'::jsonb".into(),
                reason: "jsonb output".into(),
            },
            Entry {
                file: "02-b.sql".into(),
                key: "SELECT 1".into(),
                reason: "other".into(),
            },
            Entry {
                file: "01-a.sql".into(),
                key: "SELECT 2 (#2)".into(),
                reason: "jsonb output".into(),
            },
        ];
        let text = render(&entries);
        let parsed = parse(&text).expect("parses");
        assert_eq!(render(&parsed), text);
        assert_eq!(parsed[0].key, "SELECT '{\"a\": 1}'::jsonb");
        assert_eq!(parsed[1].key, "SELECT 2 (#2)");
        assert!(
            parse("01-a.sql: SELECT 1\n").is_err(),
            "an entry needs a reason"
        );
    }
}
