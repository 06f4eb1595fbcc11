//! The differential test of issue 18: the same seeded documents in a throwaway PostgreSQL 15
//! and a real MindooDB server, the corpus of tests/differential/ run on both, and every
//! difference of column name, column type OID, parameter type, value (text format, byte for
//! byte), command tag, SQLSTATE, notice or warning (severity and SQLSTATE) or transaction
//! status reported, unless tests/differential/known-differences.txt lists it.
//!
//! Environment:
//! - `DIFFERENTIAL_UPDATE=1` rewrites the known-differences file from this run (reasons kept,
//!   new differences under an UNCLASSIFIED heading) instead of failing on it.
//! - `DIFFERENTIAL_FILES=<text>` runs only the corpus files whose name contains it.
//!
//! Invariants:
//! - Nothing is silenced here: the comparison is `Outcome`'s equality and nothing else; the
//!   only exceptions are the lines of the known-differences file, each with its reason.
//! - The test fails on a difference not listed, on a listed record that no longer differs
//!   (the list never goes stale), on a listed record the corpus lacks, and on UNCLASSIFIED
//!   entries.
//! - Every difference, known or new, is written with both outcomes to
//!   `differential-report.txt` in the test's target tmp dir.

mod corpus;
mod known;
mod outcome;
mod postgres;
mod run;
mod seed;
mod wire;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::support::{PASSWORD, TestServer, USER};

use corpus::Record;
use known::Entry;
use outcome::Outcome;
use postgres::Postgres;
use run::{Session, System};

/// New differences printed in the failure message; the report file has them all.
const SHOWN_DIFFERENCES: usize = 60;

#[test]
fn postgres_15_and_mindoodb_answer_the_corpus_alike() {
    let dir = corpus_dir();
    let filter = std::env::var("DIFFERENTIAL_FILES").ok();
    let update = std::env::var("DIFFERENTIAL_UPDATE").is_ok_and(|v| v == "1");
    let records = corpus::load(&dir, filter.as_deref());
    assert!(
        !records.is_empty(),
        "no corpus records in {}",
        dir.display()
    );
    let known_path = dir.join("known-differences.txt");
    let known_text = std::fs::read_to_string(&known_path).unwrap_or_default();
    let known =
        known::parse(&known_text).unwrap_or_else(|e| panic!("{}: {e}", known_path.display()));

    let pg = Postgres::start(USER, USER);
    let server = TestServer::start();
    let systems = [
        System {
            name: "PostgreSQL 15",
            port: pg.port,
            user: USER.to_owned(),
            password: String::new(),
            database: USER.to_owned(),
            keys: None,
        },
        mindoo_system(&server),
    ];
    let tables = seed::tables();
    for system in &systems {
        system.load(&tables);
    }

    let differences = run_corpus(&records, &systems);
    let verdict = judge(&records, &differences, &known, filter.is_some());
    let report = report(&records, &differences, &known);
    let report_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential-report.txt");
    std::fs::write(&report_path, &report).expect("write the differential report");
    let summary = summary(&records, &differences, &verdict);
    println!(
        "{summary}\nall differences with both outcomes: {}",
        report_path.display()
    );

    if update {
        let entries = updated_entries(&records, &differences, &known, filter.is_some());
        std::fs::write(&known_path, known::render(&entries)).expect("write known differences");
        println!("rewrote {}", known_path.display());
        return;
    }
    assert!(
        verdict.is_clean(),
        "{}\n{summary}\nall differences with both outcomes: {}\n(DIFFERENTIAL_UPDATE=1 rewrites \
         the known-differences file from this run; classify what it marks UNCLASSIFIED)",
        verdict.explain(&records, &differences),
        report_path.display()
    );
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/differential")
}

/// MindooDB's first role with a fresh `default` key that every session presents.
fn mindoo_system(server: &TestServer) -> System {
    let mut system = System {
        name: "MindooDB",
        port: server.addr.port(),
        user: USER.to_owned(),
        password: PASSWORD.to_owned(),
        database: USER.to_owned(),
        keys: None,
    };
    let mut conn = system.connect();
    let created = conn
        .simple("SELECT mindoo.create_key('default')")
        .expect("create a key");
    let token = created
        .results
        .first()
        .and_then(|result| result.rows.first())
        .and_then(|row| row.first().cloned().flatten())
        .unwrap_or_else(|| panic!("mindoo.create_key returned no token: {created:?}"));
    system.keys = Some(token);
    system
}

/// A record whose outcomes differ: its index and both outcomes (PostgreSQL's first).
struct Difference {
    record: usize,
    postgres: Outcome,
    mindoo: Outcome,
}

/// Runs every record on both systems, file by file, and keeps the differing outcomes.
fn run_corpus(records: &[Record], systems: &[System; 2]) -> Vec<Difference> {
    let mut differences = Vec::new();
    let mut sessions: Option<(String, Session<'_>, Session<'_>)> = None;
    for (idx, record) in records.iter().enumerate() {
        if sessions
            .as_ref()
            .is_none_or(|(file, ..)| *file != record.file)
        {
            sessions = Some((
                record.file.clone(),
                Session::open(&systems[0]),
                Session::open(&systems[1]),
            ));
        }
        let (_, postgres, mindoo) = sessions.as_mut().expect("sessions just opened");
        let postgres = postgres.run(record);
        let mindoo = mindoo.run(record);
        if postgres != mindoo {
            differences.push(Difference {
                record: idx,
                postgres,
                mindoo,
            });
        }
    }
    differences
}

/// What the run means for the known-differences list.
struct Verdict {
    /// Differing records the list lacks (indexes into `differences`).
    new: Vec<usize>,
    /// Listed records that now answer alike: `(file, key)`.
    fixed: Vec<(String, String)>,
    /// Listed records the corpus (of the selected files) lacks.
    stale: Vec<(String, String)>,
    /// Listed records still marked UNCLASSIFIED.
    unclassified: usize,
}

impl Verdict {
    fn is_clean(&self) -> bool {
        self.new.is_empty()
            && self.fixed.is_empty()
            && self.stale.is_empty()
            && self.unclassified == 0
    }

    fn explain(&self, records: &[Record], differences: &[Difference]) -> String {
        let mut out = String::new();
        if !self.new.is_empty() {
            let _ = writeln!(
                out,
                "{} new difference(s) between PostgreSQL 15 and MindooDB:\n",
                self.new.len()
            );
            for &idx in self.new.iter().take(SHOWN_DIFFERENCES) {
                out.push_str(&describe(records, &differences[idx]));
            }
            if self.new.len() > SHOWN_DIFFERENCES {
                let _ = writeln!(out, "... and {} more\n", self.new.len() - SHOWN_DIFFERENCES);
            }
        }
        if !self.fixed.is_empty() {
            let _ = writeln!(
                out,
                "{} listed difference(s) no longer differ: delete their lines from \
                 known-differences.txt:",
                self.fixed.len()
            );
            for (file, key) in &self.fixed {
                let _ = writeln!(out, "  {file}: {key}");
            }
        }
        if !self.stale.is_empty() {
            let _ = writeln!(
                out,
                "{} listed record(s) are not in the corpus (edited or removed queries):",
                self.stale.len()
            );
            for (file, key) in &self.stale {
                let _ = writeln!(out, "  {file}: {key}");
            }
        }
        if self.unclassified > 0 {
            let _ = writeln!(
                out,
                "{} listed difference(s) are still under `## {}`",
                self.unclassified,
                known::UNCLASSIFIED
            );
        }
        out
    }
}

fn judge(
    records: &[Record],
    differences: &[Difference],
    known: &[Entry],
    filtered: bool,
) -> Verdict {
    let listed: HashSet<(&str, &str)> = known
        .iter()
        .map(|e| (e.file.as_str(), e.key.as_str()))
        .collect();
    let in_corpus: HashSet<(&str, &str)> = records
        .iter()
        .map(|r| (r.file.as_str(), r.key.as_str()))
        .collect();
    let files: HashSet<&str> = records.iter().map(|r| r.file.as_str()).collect();
    let differing: HashSet<(&str, &str)> = differences
        .iter()
        .map(|d| {
            (
                records[d.record].file.as_str(),
                records[d.record].key.as_str(),
            )
        })
        .collect();
    let new = differences
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            let record = &records[d.record];
            !listed.contains(&(record.file.as_str(), record.key.as_str()))
        })
        .map(|(idx, _)| idx)
        .collect();
    let mut fixed = Vec::new();
    let mut stale = Vec::new();
    for entry in known {
        // With a file filter, entries of files not run say nothing about this run.
        if filtered && !files.contains(entry.file.as_str()) {
            continue;
        }
        let id = (entry.file.as_str(), entry.key.as_str());
        if !in_corpus.contains(&id) {
            stale.push((entry.file.clone(), entry.key.clone()));
        } else if !differing.contains(&id) {
            fixed.push((entry.file.clone(), entry.key.clone()));
        }
    }
    Verdict {
        new,
        fixed,
        stale,
        unclassified: known
            .iter()
            .filter(|e| e.reason == known::UNCLASSIFIED)
            .count(),
    }
}

/// The known-differences entries after this run: today's differences with their old reasons,
/// new ones UNCLASSIFIED; entries of files not run (with a filter) are kept as they were.
fn updated_entries(
    records: &[Record],
    differences: &[Difference],
    known: &[Entry],
    filtered: bool,
) -> Vec<Entry> {
    let files: HashSet<&str> = records.iter().map(|r| r.file.as_str()).collect();
    let reasons: HashMap<(&str, &str), &str> = known
        .iter()
        .map(|e| ((e.file.as_str(), e.key.as_str()), e.reason.as_str()))
        .collect();
    let mut entries: Vec<Entry> = known
        .iter()
        .filter(|e| filtered && !files.contains(e.file.as_str()))
        .cloned()
        .collect();
    let mut current: Vec<Entry> = differences
        .iter()
        .map(|d| {
            let record = &records[d.record];
            let reason = reasons
                .get(&(record.file.as_str(), record.key.as_str()))
                .copied()
                .unwrap_or(known::UNCLASSIFIED);
            Entry {
                file: record.file.clone(),
                key: record.key.clone(),
                reason: reason.to_owned(),
            }
        })
        .collect();
    // Keep the file's order of reasons; new reasons (UNCLASSIFIED) come last.
    let rank = |reason: &str| {
        known
            .iter()
            .position(|e| e.reason == reason)
            .unwrap_or(usize::MAX)
    };
    current.sort_by_key(|e| rank(&e.reason));
    entries.extend(current);
    entries
}

/// One difference as a reader wants it: where, what, and both outcomes.
fn describe(records: &[Record], difference: &Difference) -> String {
    let record = &records[difference.record];
    let mut out = String::new();
    let _ = writeln!(out, "--- {}:{}", record.file, record.line);
    for line in record.sql.lines() {
        let _ = writeln!(out, "    {line}");
    }
    if let Some(spec) = &record.extended {
        let _ = writeln!(
            out,
            "    (extended protocol, params {:?}{})",
            spec.params,
            if spec.binary { ", binary results" } else { "" }
        );
    }
    let _ = writeln!(out, "  PostgreSQL 15:");
    out.push_str(&difference.postgres.render("    "));
    let _ = writeln!(out, "  MindooDB:");
    out.push_str(&difference.mindoo.render("    "));
    out.push('\n');
    out
}

/// Every difference of the run, grouped by the reason the known list gives it.
fn report(records: &[Record], differences: &[Difference], known: &[Entry]) -> String {
    let reasons: HashMap<(&str, &str), &str> = known
        .iter()
        .map(|e| ((e.file.as_str(), e.key.as_str()), e.reason.as_str()))
        .collect();
    let mut groups: BTreeMap<&str, Vec<&Difference>> = BTreeMap::new();
    for difference in differences {
        let record = &records[difference.record];
        let reason = reasons
            .get(&(record.file.as_str(), record.key.as_str()))
            .copied()
            .unwrap_or("NEW (not in known-differences.txt)");
        groups.entry(reason).or_default().push(difference);
    }
    let mut out = String::new();
    for (reason, group) in groups {
        let _ = writeln!(out, "======== {reason} ({})\n", group.len());
        for difference in group {
            out.push_str(&describe(records, difference));
        }
    }
    out
}

/// The closing summary: per area and in total, records run, equal, known and new differences.
fn summary(records: &[Record], differences: &[Difference], verdict: &Verdict) -> String {
    #[derive(Default)]
    struct Count {
        run: usize,
        differ: usize,
        new: usize,
    }
    let mut areas: BTreeMap<u32, Count> = BTreeMap::new();
    for record in records {
        areas.entry(record.area).or_default().run += 1;
    }
    for difference in differences {
        areas
            .entry(records[difference.record].area)
            .or_default()
            .differ += 1;
    }
    for &idx in &verdict.new {
        areas
            .entry(records[differences[idx].record].area)
            .or_default()
            .new += 1;
    }
    let line = |label: String, count: &Count| {
        format!(
            "{label}: {} run, {} equal, {} known differences, {} new differences",
            count.run,
            count.run - count.differ,
            count.differ - count.new,
            count.new
        )
    };
    let mut out = String::from("differential summary (PostgreSQL 15 vs MindooDB)\n");
    let mut total = Count::default();
    for (area, count) in &areas {
        out.push_str(&line(format!("  area {area}"), count));
        out.push('\n');
        total.run += count.run;
        total.differ += count.differ;
        total.new += count.new;
    }
    out.push_str(&line("  total".to_owned(), &total));
    if !verdict.fixed.is_empty() {
        let _ = write!(out, "; {} listed but now equal", verdict.fixed.len());
    }
    out
}
