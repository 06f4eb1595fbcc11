//! The differential corpus: files of SQL records under tests/differential/, parsed into
//! records with a stable key each (for the known-differences list) and the statements whose
//! rows are compared in order.
//!
//! File format (`NN-name.sql`; `NN` is the area of issue 18's "Must work" list):
//! - Lines starting with `# ` (or just `#`) are comments. Records are separated by blank lines.
//! - A record is one SQL statement, or several separated by `;`, sent as one simple-protocol
//!   Query (so `BEGIN; UPDATE ...; SELECT ...; ROLLBACK` is one record).
//! - Directive lines may precede the SQL:
//!   `-- params: ["42", null, "abc"]` runs the (single) statement through the extended
//!   protocol with these text-format values (JSON strings; `null` is SQL NULL) and lets the
//!   server infer every parameter type, which is compared;
//!   `-- extended` runs it through the extended protocol without parameters;
//!   `-- binary` (with or without params) asks for results in binary format, compared as hex;
//!   `-- startup: {"TimeZone": "Asia/Tokyo"}` runs the record on a new session whose startup
//!   packet carries these parameters (a refused startup is an outcome like any error).
//! - A statement's rows are compared in the order received when it has ORDER BY at its top
//!   level (outside parentheses); otherwise both systems' rows are sorted before comparing.
//!
//! Invariants:
//! - A record's key is its file and its SQL with whitespace runs collapsed, then its
//!   directives, then ` (#n)` for the n-th repetition of the same text in the file: editing
//!   other records never changes it.

use std::collections::HashMap;
use std::path::Path;

/// One record of the corpus.
pub(crate) struct Record {
    /// The file's name, e.g. `01-jsonb-operators.sql`.
    pub(crate) file: String,
    /// 1-based line of the record's first line (for messages; keys never use it).
    pub(crate) line: usize,
    /// The area number, from the file name.
    pub(crate) area: u32,
    pub(crate) key: String,
    pub(crate) sql: String,
    /// `Some` when the record runs through the extended protocol.
    pub(crate) extended: Option<ExtendedSpec>,
    /// Per statement: whether its rows are compared in order.
    pub(crate) ordered: Vec<bool>,
    /// Parameters for the startup packet of a session of the record's own (empty: the file's
    /// session).
    pub(crate) startup: Vec<(String, String)>,
}

/// Parameters and result format of an extended-protocol record.
pub(crate) struct ExtendedSpec {
    pub(crate) params: Vec<Option<String>>,
    pub(crate) binary: bool,
}

/// Every record of the `.sql` files in `dir` whose name contains `filter`, files in name order.
pub(crate) fn load(dir: &Path, filter: Option<&str>) -> Vec<Record> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".sql"))
        .filter(|name| filter.is_none_or(|f| name.contains(f)))
        .collect();
    names.sort();
    let mut records = Vec::new();
    for name in names {
        let text =
            std::fs::read_to_string(dir.join(&name)).unwrap_or_else(|e| panic!("read {name}: {e}"));
        records.extend(parse(&name, &text).unwrap_or_else(|e| panic!("{e}")));
    }
    records
}

/// The records of one file.
pub(crate) fn parse(file: &str, text: &str) -> Result<Vec<Record>, String> {
    let area: u32 = file
        .split('-')
        .next()
        .and_then(|prefix| prefix.parse().ok())
        .ok_or_else(|| format!("{file}: the name must start with the area number, e.g. 01-"))?;
    let mut records = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let lines = text.lines().enumerate().map(|(idx, line)| (idx + 1, line));
    for (number, line) in lines.chain(std::iter::once((0, ""))) {
        if line == "#" || line.starts_with("# ") {
            continue;
        }
        if !line.trim().is_empty() {
            block.push((number, line));
            continue;
        }
        if block.is_empty() {
            continue;
        }
        let record = record(file, area, &block, &mut seen)?;
        records.push(record);
        block.clear();
    }
    Ok(records)
}

fn record(
    file: &str,
    area: u32,
    block: &[(usize, &str)],
    seen: &mut HashMap<String, usize>,
) -> Result<Record, String> {
    let line = block[0].0;
    let at = |what: String| format!("{file}:{line}: {what}");
    let mut params: Option<Vec<Option<String>>> = None;
    let mut extended = false;
    let mut binary = false;
    let mut startup = Vec::new();
    let mut directives = Vec::new();
    let mut sql_lines = Vec::new();
    for &(_, text) in block {
        let directive = text.trim().strip_prefix("-- ");
        match directive {
            Some(d) if sql_lines.is_empty() && d.starts_with("params:") => {
                let json = d["params:".len()..].trim();
                params = Some(param_values(json).map_err(at)?);
                directives.push(format!("-- params: {json}"));
            }
            Some("extended") if sql_lines.is_empty() => {
                extended = true;
                directives.push("-- extended".to_owned());
            }
            Some(d) if sql_lines.is_empty() && d.starts_with("startup:") => {
                let json = d["startup:".len()..].trim();
                startup = startup_params(json).map_err(at)?;
                directives.push(format!("-- startup: {json}"));
            }
            Some("binary") if sql_lines.is_empty() => {
                binary = true;
                directives.push("-- binary".to_owned());
            }
            _ => sql_lines.push(text),
        }
    }
    if sql_lines.is_empty() {
        return Err(at("a record without SQL".to_owned()));
    }
    let sql = sql_lines.join("\n");
    let statements = split_statements(&sql);
    let extended = if params.is_some() || extended || binary {
        if statements.len() != 1 {
            return Err(at(
                "an extended-protocol record must hold exactly one statement".to_owned(),
            ));
        }
        Some(ExtendedSpec {
            params: params.unwrap_or_default(),
            binary,
        })
    } else {
        None
    };
    let mut key = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    for directive in &directives {
        key.push(' ');
        key.push_str(directive);
    }
    let count = seen.entry(key.clone()).or_insert(0);
    *count += 1;
    if *count > 1 {
        key.push_str(&format!(" (#{count})"));
    }
    Ok(Record {
        file: file.to_owned(),
        line,
        area,
        key,
        ordered: statements
            .iter()
            .map(|s| has_top_level_order_by(s))
            .collect(),
        sql,
        extended,
        startup,
    })
}

/// `["1", null]` into values; anything but strings and nulls is refused so that a number's
/// spelling is always explicit.
fn param_values(json: &str) -> Result<Vec<Option<String>>, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("params are not JSON: {e}"))?;
    let items = value
        .as_array()
        .ok_or_else(|| "params must be a JSON array".to_owned())?;
    items
        .iter()
        .map(|item| match item {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(text) => Ok(Some(text.clone())),
            other => Err(format!("param {other} must be a string or null")),
        })
        .collect()
}

/// `{"TimeZone": "UTC"}` into startup parameters, in the order written.
fn startup_params(json: &str) -> Result<Vec<(String, String)>, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("startup is not JSON: {e}"))?;
    let fields = value
        .as_object()
        .ok_or_else(|| "startup must be a JSON object".to_owned())?;
    fields
        .iter()
        .map(|(name, value)| match value {
            serde_json::Value::String(text) => Ok((name.clone(), text.clone())),
            other => Err(format!(
                "startup parameter {name} = {other} must be a string"
            )),
        })
        .collect()
}

/// The statements of `sql`, split at `;` outside quotes, comments and parentheses (empty
/// ones dropped, as the server drops them).
pub(crate) fn split_statements(sql: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut start = 0;
    for token in tokens(sql) {
        if token.depth == 0 && token.text == ";" {
            statements.push(sql[start..token.start].to_owned());
            start = token.start + 1;
        }
    }
    statements.push(sql[start..].to_owned());
    statements.retain(|s| !s.trim().is_empty());
    statements
}

/// Whether `statement` ends in an ORDER BY of its own (not one inside parentheses: a window,
/// an aggregate or a subquery).
pub(crate) fn has_top_level_order_by(statement: &str) -> bool {
    let words: Vec<String> = tokens(statement)
        .into_iter()
        .filter(|t| t.depth == 0)
        .map(|t| t.text.to_ascii_uppercase())
        .collect();
    words
        .windows(2)
        .any(|pair| pair[0] == "ORDER" && pair[1] == "BY")
}

/// A word or punctuation character of SQL, with its parenthesis depth; quoted strings,
/// quoted identifiers and comments are skipped.
struct Token<'a> {
    text: &'a str,
    start: usize,
    depth: usize,
}

fn tokens(sql: &str) -> Vec<Token<'_>> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\'' => {
                let escapes = i > 0
                    && matches!(bytes[i - 1], b'E' | b'e')
                    && (i < 2 || !is_word(bytes[i - 2]));
                i = skip_quoted(bytes, i, b'\'', escapes);
            }
            b'"' => i = skip_quoted(bytes, i, b'"', false),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'$' if i == 0 || !is_word(bytes[i - 1]) => i = skip_dollar(bytes, i),
            b'(' | b'[' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ if is_word(b) => {
                let start = i;
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
                out.push(Token {
                    text: &sql[start..i],
                    start,
                    depth,
                });
            }
            b';' => {
                out.push(Token {
                    text: ";",
                    start: i,
                    depth,
                });
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The index after the literal that opens at `i` (`''` doubles the quote; with `escapes` a
/// backslash escapes the next byte, as in E'...').
fn skip_quoted(bytes: &[u8], mut i: usize, quote: u8, escapes: bool) -> usize {
    i += 1;
    while i < bytes.len() {
        if escapes && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    i
}

fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut nesting = 0usize;
    while i + 1 < bytes.len() {
        if bytes[i] == b'/' && bytes[i + 1] == b'*' {
            nesting += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes[i + 1] == b'/' {
            nesting -= 1;
            i += 2;
            if nesting == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// After a `$tag$...$tag$` string starting at `i`, or just past `$` when it is a parameter
/// (`$1`) or not a dollar quote.
fn skip_dollar(bytes: &[u8], i: usize) -> usize {
    let mut end = i + 1;
    while end < bytes.len() && (bytes[end].is_ascii_alphabetic() || bytes[end] == b'_') {
        end += 1;
    }
    if bytes.get(end) != Some(&b'$') {
        return i + 1;
    }
    let tag = &bytes[i..=end];
    let body = end + 1;
    bytes[body..]
        .windows(tag.len())
        .position(|window| window == tag)
        .map_or(bytes.len(), |at| body + at + tag.len())
}

mod tests {
    use super::*;

    #[test]
    fn order_by_counts_only_at_the_top_level() {
        assert!(has_top_level_order_by("SELECT a FROM t ORDER BY a"));
        assert!(has_top_level_order_by(
            "SELECT 1 UNION SELECT 2 order\n by 1 LIMIT 3"
        ));
        assert!(!has_top_level_order_by(
            "SELECT jsonb_agg(x ORDER BY x) FROM t"
        ));
        assert!(!has_top_level_order_by(
            "SELECT row_number() OVER (ORDER BY a) FROM t"
        ));
        assert!(!has_top_level_order_by("SELECT 'ORDER BY' FROM t"));
        assert!(!has_top_level_order_by(
            "SELECT $$ ORDER BY $$, \"order\" FROM t"
        ));
        assert!(!has_top_level_order_by("SELECT 1 -- ORDER BY 1"));
    }

    #[test]
    fn statements_split_outside_literals() {
        let statements = split_statements("BEGIN; SELECT ';', E'\\';'; SELECT $x$;$x$ ;");
        assert_eq!(
            statements,
            vec!["BEGIN", " SELECT ';', E'\\';'", " SELECT $x$;$x$ "]
        );
        assert_eq!(split_statements("SELECT $1; SELECT 2").len(), 2);
    }

    #[test]
    fn keys_are_stable_and_repetitions_numbered() {
        let text = "# c\nSELECT  1\n\n-- params: [\"1\"]\nSELECT $1\n\nSELECT\n1\n";
        let records = parse("07-x.sql", text).expect("parses");
        let keys: Vec<&str> = records.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            vec!["SELECT 1", "SELECT $1 -- params: [\"1\"]", "SELECT 1 (#2)"]
        );
        assert_eq!(records[1].line, 4);
        assert_eq!(records[0].area, 7);
    }
}
