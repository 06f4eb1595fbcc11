//! No acknowledged write is lost on kill -9 (docs/ARCHITECTURE.md#durability): a child
//! process appends from 8 threads and reports each acknowledged commit; it is SIGKILLed at
//! seeded-random moments, 20 times; after each reopen every acknowledged document is present at
//! its seq, seqs have no gaps and verification passes. Half the child's commits are signed
//! format-2 commits over two tables (issue 21): after each reopen every stored commit has all
//! its entries, and every stored entry its commit.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use mindoodb_storage::{CommitSeq, Seq, Store, Table};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::{config, doc_id};

const KILLS: u32 = 20;

#[test]
fn sigkill_never_loses_an_acknowledged_commit() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = StdRng::seed_from_u64(0x5eed_c0de);
    let mut acked: Vec<(String, u64)> = Vec::new();
    let mut signed: Vec<(u64, Vec<(String, u64)>)> = Vec::new();
    for cycle in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mindoodb-storage-crash-child"))
            .arg(dir.path())
            .arg(cycle.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (ready_tx, ready) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            let (mut out, mut line) = (String::new(), Vec::new());
            while stdout.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                if line == b"ready\n" {
                    let _ = ready_tx.send(());
                }
                out.push_str(&String::from_utf8(std::mem::take(&mut line)).unwrap());
            }
            out
        });
        ready
            .recv_timeout(Duration::from_secs(120))
            .expect("the child opened its store");
        std::thread::sleep(Duration::from_millis(rng.random_range(50..400)));
        child.kill().unwrap();
        child.wait().unwrap();
        // Only newline-terminated lines count: a line torn by the kill was never a complete
        // acknowledgement.
        let printed = reader.join().unwrap();
        for line in printed
            .split_inclusive('\n')
            .filter_map(|l| l.strip_suffix('\n'))
        {
            let mut parts = line.split(' ');
            if let (Some("ok"), Some(doc), Some(seq)) = (parts.next(), parts.next(), parts.next())
                && let Ok(seq) = seq.parse()
                && parts.next().is_none()
            {
                acked.push((doc.to_owned(), seq));
            }
            if let Some(rest) = line.strip_prefix("signed ") {
                signed.push(parse_signed(rest));
            }
        }

        let store = Store::open(dir.path(), &config()).unwrap();
        let tenant = store.tenant("crash").expect("the child created the tenant");
        let table = store.table(tenant.id, "t").unwrap().table;
        let snap = store.snapshot();
        for (doc, seq) in &acked {
            let found = snap.doc(table, &doc_id(doc)).unwrap();
            let found =
                found.unwrap_or_else(|| panic!("cycle {cycle}: acknowledged {doc} is lost"));
            assert_eq!(found.winner_seq, Seq(*seq), "cycle {cycle}: {doc} moved");
        }
        let other = store.table(tenant.id, "u").unwrap().table;
        let tables = [table, other, table];
        for (commit, docs) in &signed {
            let stored = snap.commit(tenant.id, CommitSeq(*commit)).unwrap();
            let stored = stored.unwrap_or_else(|| panic!("cycle {cycle}: commit {commit} is lost"));
            for ((doc, seq), table) in docs.iter().zip(tables) {
                let found = snap.doc(table, &doc_id(doc)).unwrap();
                let found = found.unwrap_or_else(|| panic!("cycle {cycle}: {doc} is lost"));
                assert_eq!(found.winner_seq, Seq(*seq), "cycle {cycle}: {doc} moved");
                assert_eq!(
                    snap.entry_proof(table, Seq(*seq))
                        .unwrap()
                        .unwrap()
                        .commit
                        .commit
                        .hash(),
                    stored.commit.hash()
                );
            }
        }
        for table in [table, other] {
            let report = snap.verify(table).unwrap();
            assert!(report.is_ok(), "cycle {cycle}: {:?}", report.problems);
            assert_eq!(
                report.entries,
                snap.last_seq(table).unwrap().0,
                "cycle {cycle}: seqs have gaps"
            );
        }
        let commits = snap.verify_commits(tenant.id).unwrap();
        assert!(commits.is_ok(), "cycle {cycle}: {:?}", commits.problems);
        every_commit_has_all_its_entries(&store, tenant.id, [table, other], cycle);
    }
    assert!(
        signed.len() > 50,
        "the child acknowledged only {} signed commits",
        signed.len()
    );
    assert!(
        acked.len() > 100,
        "the child acknowledged only {} commits",
        acked.len()
    );
}

/// `<commit_seq> <doc>:<seq> <doc>:<seq> <doc>:<seq>`
fn parse_signed(rest: &str) -> (u64, Vec<(String, u64)>) {
    let mut parts = rest.split(' ');
    let commit = parts.next().unwrap().parse().unwrap();
    let docs = parts
        .map(|part| {
            let (doc, seq) = part.rsplit_once(':').unwrap();
            (doc.to_owned(), seq.parse().unwrap())
        })
        .collect();
    (commit, docs)
}

/// No commit without all its entries: every leaf of every stored commit is an entry of one of
/// the tables (a crash never leaves a commit whose entries did not land).
fn every_commit_has_all_its_entries(
    store: &Store,
    tenant: mindoodb_storage::TenantId,
    tables: [Table; 2],
    cycle: u32,
) {
    let snap = store.snapshot();
    let mut held = HashSet::new();
    for table in tables {
        for record in snap.log(table, Seq(0), usize::MAX).unwrap() {
            held.insert(record.entry.hash());
        }
    }
    for stored in snap.commits(tenant, CommitSeq(0), usize::MAX).unwrap() {
        for leaf in stored.leaves.unwrap() {
            assert!(
                held.contains(&leaf),
                "cycle {cycle}: commit {} lacks entry {leaf}",
                stored.seq.0
            );
        }
    }
}
