//! House rules over the workspace's own sources, checked on every `cargo test` so that no
//! reviewer has to remember them: every Rust file opens with a `//!` header; SQLSTATEs are
//! spelled only in `server/src/pg/sqlstate.rs` (and in the tests of `pg/error.rs` and
//! `pg/notice.rs`); the error enums `pg/error.rs` matches carry no `#[non_exhaustive]` (so
//! its matches need no `_ =>` arm); the server's layers import one way (pg/ → engine/ →
//! catalog/, and engine/'s folders in the order `engine/mod.rs` lists); and no file of
//! `server/src` is over 700 lines.

use std::path::{Path, PathBuf};

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("server/ has a parent")
        .to_path_buf()
}

/// Every `.rs` file under `dir`, skipping build output and fuzz inputs.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !["target", "corpus", "node_modules", ".git"].contains(&name.as_str()) {
                out.extend(rust_files(&path));
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

const CRATES: [&str; 8] = [
    "protocol", "storage", "client", "server", "bench", "pgfn", "fuzz", "tests",
];

#[test]
fn every_rust_file_opens_with_a_module_header() {
    let missing: Vec<String> = CRATES
        .iter()
        .flat_map(|dir| rust_files(&root().join(dir)))
        .filter(|path| !read(path).starts_with("//!"))
        .map(|path| relative(&path))
        .collect();
    assert!(missing.is_empty(), "no `//!` header: {missing:#?}");
}

/// Postgres' SQLSTATE classes (errcodes.txt), so that five-digit numbers are not mistaken
/// for codes.
const SQLSTATE_CLASSES: [&str; 43] = [
    "00", "01", "02", "03", "08", "09", "0A", "0B", "0F", "0L", "0P", "0Z", "20", "21", "22", "23",
    "24", "25", "26", "27", "28", "2B", "2D", "2F", "34", "38", "39", "3B", "3D", "3F", "40", "42",
    "44", "53", "54", "55", "57", "58", "72", "F0", "HV", "P0", "XX",
];

/// The SQLSTATE-looking string literals of `text`: `"` + five digits or capitals of a known
/// class + `"`.
fn sqlstate_literals(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (idx, window) in bytes.windows(7).enumerate() {
        let is_code = window[0] == b'"'
            && window[6] == b'"'
            && window[1..6]
                .iter()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            && SQLSTATE_CLASSES.contains(&&text[idx + 1..idx + 3]);
        if is_code {
            found.push(text[idx..idx + 7].to_owned());
        }
    }
    found
}

#[test]
fn sqlstates_are_spelled_only_in_pg_sqlstate() {
    let src = root().join("server/src");
    // pg/error.rs and pg/notice.rs spell codes only in their tests, which pin each code.
    let allowed = ["sqlstate.rs", "error.rs", "notice.rs"].map(|file| src.join("pg").join(file));
    let found: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|path| !allowed.contains(path))
        .flat_map(|path| {
            sqlstate_literals(&read(&path))
                .into_iter()
                .map(move |code| format!("{}: {code}", relative(&path)))
        })
        .collect();
    assert!(
        found.is_empty(),
        "SQLSTATE literals outside pg/sqlstate.rs: {found:#?}"
    );
    assert_eq!(
        sqlstate_literals(r#"x = "42P01"; y = "10000";"#),
        ["\"42P01\""]
    );
}

#[test]
fn error_enums_are_matched_exhaustively() {
    for path in [
        "server/src/error.rs",
        "storage/src/error.rs",
        "protocol/src/error.rs",
        "client/src/error.rs",
        "pgfn/src/error.rs",
    ] {
        let text = read(&root().join(path));
        // The enum whose variants pg/error.rs classifies is the first in each file.
        let first_enum = text
            .find("pub enum Error")
            .or(text.find("pub(crate) enum Error"));
        let Some(at) = first_enum else { continue };
        let before = &text[..at];
        let attrs = &before[before.rfind("\n\n").unwrap_or(0)..];
        assert!(
            !attrs.contains("non_exhaustive"),
            "{path}: the error enum is #[non_exhaustive]"
        );
    }
    let pg_error = read(&root().join("server/src/pg/error.rs"));
    assert!(
        !pg_error.contains("_ =>"),
        "pg/error.rs has a catch-all arm: every error must be classified"
    );
}

/// What each part of `server/src` may import from the server's own layers: `(folder, may
/// import)`; a folder not listed may import anything. Within engine/, the folders form the
/// order `engine/mod.rs` lists.
const LAYERS: &[(&str, &[&str])] = &[
    ("catalog", &[]),
    ("engine/sql", &["catalog"]),
    ("engine/functions", &["catalog", "engine/sql"]),
    ("engine/session", &["catalog", "engine/sql"]),
    ("engine/rewrite", &["catalog", "engine/sql"]),
    (
        "engine/read",
        &[
            "catalog",
            "engine/sql",
            "engine/session",
            "engine/rewrite",
            "engine/functions",
        ],
    ),
    (
        "engine/write",
        &["catalog", "engine/sql", "engine/session", "engine/read"],
    ),
    (
        "engine/ddl",
        &["catalog", "engine/sql", "engine/session", "engine/read"],
    ),
    (
        "engine/mindoo",
        &[
            "catalog",
            "engine/sql",
            "engine/session",
            "engine/read",
            "engine/write",
        ],
    ),
    (
        "engine",
        &[
            "catalog",
            "engine/sql",
            "engine/functions",
            "engine/session",
            "engine/rewrite",
            "engine/read",
            "engine/write",
            "engine/ddl",
            "engine/mindoo",
        ],
    ),
];

/// The server layer (`catalog`, `engine/<folder>`, `pg`) a `crate::` path names, if any.
fn layer_of(path: &str) -> Option<String> {
    let mut parts = path.split("::").skip(1);
    match parts.next()? {
        "catalog" => Some("catalog".into()),
        "pg" => Some("pg".into()),
        "engine" => {
            let folder = parts.next().unwrap_or_default();
            let folders = [
                "sql",
                "functions",
                "session",
                "rewrite",
                "read",
                "write",
                "ddl",
                "mindoo",
            ];
            Some(if folders.contains(&folder) {
                format!("engine/{folder}")
            } else {
                "engine".into()
            })
        }
        _ => None,
    }
}

/// Every `crate::...` path in `text` (in `use` lines and inline), up to its first `{` or
/// non-path character.
fn crate_paths(text: &str) -> Vec<String> {
    text.match_indices("crate::")
        .filter(|(idx, _)| {
            let before = text[..*idx].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
        .map(|(idx, _)| {
            text[idx..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect::<String>()
                .trim_end_matches(':')
                .to_owned()
        })
        .collect()
}

#[test]
fn server_layers_import_one_way() {
    let src = root().join("server/src");
    let mut wrong = Vec::new();
    for path in rust_files(&src) {
        let rel = path
            .strip_prefix(&src)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        // The most specific listed folder holding the file.
        let Some((folder, allowed)) = LAYERS
            .iter()
            .filter(|(folder, _)| rel.starts_with(&format!("{folder}/")))
            .max_by_key(|(folder, _)| folder.len())
        else {
            continue;
        };
        for target in crate_paths(&read(&path)).iter().filter_map(|p| layer_of(p)) {
            if target != *folder && !allowed.contains(&target.as_str()) {
                wrong.push(format!("{rel}: {folder} imports {target}"));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "imports against the layering: {wrong:#?}");
}

#[test]
fn no_server_file_is_over_700_lines() {
    let long: Vec<String> = rust_files(&root().join("server/src"))
        .into_iter()
        .filter_map(|path| {
            let n = read(&path).lines().count();
            (n > 700).then(|| format!("{}: {n} lines", relative(&path)))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these by the ideas in them: {long:#?}"
    );
}
