//! Entry points of the libFuzzer targets in `fuzz/` (`sql`, `wire`, `json`), which the stable
//! corpus replay `server/tests/it/fuzz_corpus.rs` runs too. Each takes arbitrary bytes and
//! drives the server's own input-handling code the way a connection would, with no store and
//! no I/O, so a fuzzer reaches millions of inputs.
//!
//! Invariants:
//! - An error is a normal outcome; only a panic (or a sanitizer report) is a finding. The
//!   `assert!`s state properties of MindooDB's code (redaction, canonical JSON), never of a
//!   dependency's.
//! - Nothing here is used by the server itself: these functions only call into it.

use datafusion::sql::sqlparser::ast::{Set, Statement};

use crate::engine::fuzz_hooks as engine;
use crate::pg::fuzz_hooks as pg;

/// What redaction (logs, `mindoo.activity`) must never let through: a token prefix starts
/// every key and identity token.
const TOKEN_PREFIXES: [&str; 2] = ["mdbk1", "mdbi1"];
/// What error scrubbing replaces the rest of a token after.
const SCRUBBED_PREFIXES: [&str; 2] = ["mdbk1.", "mdbi1."];

/// The SQL front end: parsing (with the recursion limit and the COPY-data check), statement
/// classification, the AST rewrites before planning, redaction for logs and the activity
/// view, error scrubbing, and our own statements' values (`SET`, `SHOW`, array literals).
pub fn sql(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    assert_scrubbed(&pg::scrub(text));
    let _ = engine::array_literal(text);
    let Ok(statements) = engine::parse(text) else {
        return;
    };
    for parsed in statements {
        let _ = engine::classify(parsed.clone());
        let redacted = engine::redact(&parsed);
        assert!(
            !TOKEN_PREFIXES.iter().any(|p| redacted.contains(p)),
            "redaction let a token prefix through: {redacted}"
        );
        let engine::Parsed::Sql(mut statement) = parsed else {
            continue;
        };
        own_statement(&statement);
        let _ = engine::rewrite(&mut statement, &|name| {
            matches!(name, "count" | "sum" | "min" | "max" | "avg" | "row_number")
        });
    }
}

/// The values of the statements MindooDB answers itself rather than DataFusion.
fn own_statement(statement: &Statement) {
    match statement {
        Statement::Set(Set::SingleAssignment { values, .. }) => {
            for value in values {
                let _ = engine::value_text(value);
            }
        }
        Statement::Set(Set::SetTimeZone { value, .. }) => {
            let _ = engine::value_text(value);
        }
        Statement::ShowVariable { variable } => {
            let _ = engine::show_name(variable);
        }
        _ => {}
    }
}

/// Every token prefix left in scrubbed text is followed by the redaction marker, never by
/// the token's secret part.
fn assert_scrubbed(scrubbed: &str) {
    for prefix in SCRUBBED_PREFIXES {
        for (idx, _) in scrubbed.match_indices(prefix) {
            assert!(
                scrubbed[idx + prefix.len()..].starts_with("<redacted>"),
                "scrub left a token: {scrubbed}"
            );
        }
    }
}

/// The wire-message path of a connection: frontend messages decoded in the order the codec
/// expects them (SSL negotiation, startup, then typed messages), the startup `options` read
/// for `mindoo.keys`, and every Bind's parameters decoded as the extended-query handler does,
/// typed by the preceding Parse (or by the input, for the types a Parse cannot name).
pub fn wire(bytes: &[u8]) {
    pg::wire(bytes);
}

/// True while `wire` has pgwire decode a message. A panic there is pgwire's, and the server
/// contains it (`pg/connection.rs` ends that connection with 08P01), so the `wire` target's
/// panic hook lets it unwind instead of reporting a crash.
pub fn in_pgwire_decoder() -> bool {
    pg::in_pgwire_decoder()
}

/// JSON input: a document's text normalised for storage (which must be canonical: normalising
/// the result changes nothing), the `jsonb` operators and `jsonb_set` over it with a path
/// taken from the input, and the `cursors` argument of the feed functions. The input is a
/// document, then optionally a NUL byte and a Postgres text[] path.
pub fn json(bytes: &[u8]) {
    let (doc_bytes, path_bytes) = match bytes.iter().position(|b| *b == 0) {
        Some(nul) => (&bytes[..nul], &bytes[nul + 1..]),
        None => (bytes, &b"{}"[..]),
    };
    let (Ok(text), Ok(path_text)) = (
        std::str::from_utf8(doc_bytes),
        std::str::from_utf8(path_bytes),
    ) else {
        pg::json_params(doc_bytes, path_bytes);
        return;
    };
    let _ = engine::cursors(text);
    let Ok(normal) = engine::normalize_json(text) else {
        return;
    };
    assert_eq!(
        engine::normalize_json(&normal).ok().as_deref(),
        Some(normal.as_str()),
        "normalised JSON is not canonical"
    );
    json_operators(&normal, path_text);
}

/// `->`, `->>`, `#>`, `#>>`, `@>`, `||`, `#-` and `jsonb_set` on a valid document, as the SQL
/// operators call them; containment is reflexive.
fn json_operators(text: &str, path_text: &str) {
    use engine::{JsonbArg as Arg, JsonbKind as Kind, JsonbOut as Out};
    let doc = Arg::Jsonb(text.to_owned());
    assert!(
        matches!(
            Kind::Contains.eval(&[doc.clone(), doc.clone()]),
            Ok(Out::Bool(true))
        ),
        "a document does not contain itself"
    );
    let path = Arg::Text(path_text.to_owned());
    if let Ok(Out::Jsonb(found)) = Kind::Path.eval(&[doc.clone(), path.clone()]) {
        let found = Arg::Jsonb(found.to_text());
        assert!(
            matches!(
                Kind::Contains.eval(&[found.clone(), found]),
                Ok(Out::Bool(true))
            ),
            "a value does not contain itself"
        );
    }
    for kind in [Kind::PathText, Kind::Get, Kind::GetText, Kind::DeletePath] {
        let _ = kind.eval(&[doc.clone(), path.clone()]);
    }
    let _ = Kind::Set.eval(&[doc.clone(), path, doc.clone()]);
    let _ = Kind::Concat.eval(&[doc.clone(), doc]);
}
