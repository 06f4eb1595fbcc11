//! W11: what read auditing costs. Point reads (prepared, many clients) and a whole-table
//! `SELECT *` on MindooDB with `audit_reads = on`, against PostgreSQL doing the same unaudited
//! (the ratio), with MindooDB's own unaudited numbers of the same rounds in the note.
//!
//! Invariants:
//! - The table's auditing is back off when this returns, so later workloads are unaffected.
//! - Nothing here is a test: numbers are printed and written down, never asserted.

use std::time::Duration;

use crate::error::Result;
use crate::report::{Better, Measurement, median};
use crate::system::{Kind, System};
use crate::{push, workload};

/// What W11 measures on, and how long.
pub(crate) struct Plan<'a> {
    pub(crate) table: &'a str,
    pub(crate) n: u64,
    pub(crate) rounds: usize,
    pub(crate) clients: usize,
    pub(crate) timed: Duration,
}

/// Runs W11: one row for point reads and one for the scan.
pub(crate) async fn read_audit(
    postgres: &System,
    mindoo: &System,
    plan: &Plan<'_>,
) -> Result<Vec<Measurement>> {
    let mut points = Measurement::new(
        "W11",
        format!(
            "point read by id, {} clients, prepared, MindooDB with audit_reads = on",
            plan.clients
        ),
        "queries/s",
        Better::Higher,
    );
    let mut scans = Measurement::new(
        "W11",
        format!(
            "SELECT * of {} documents, MindooDB with audit_reads = on",
            plan.n
        ),
        "docs/s",
        Better::Higher,
    );
    let (mut points_off, mut scans_off) = (Vec::new(), Vec::new());
    for _ in 0..plan.rounds {
        let rate = point_reads(postgres, plan).await?;
        push(&mut points, Kind::Postgres, rate);
        let rate = workload::read_all(postgres, plan.table, plan.n).await?;
        push(&mut scans, Kind::Postgres, rate);
        for audited in [false, true] {
            set_audit(mindoo, plan.table, audited).await?;
            let point_rate = point_reads(mindoo, plan).await?;
            let scan_rate = workload::read_all(mindoo, plan.table, plan.n).await?;
            if audited {
                push(&mut points, Kind::Mindoo, point_rate);
                push(&mut scans, Kind::Mindoo, scan_rate);
            } else {
                points_off.push(point_rate);
                scans_off.push(scan_rate);
            }
        }
        set_audit(mindoo, plan.table, false).await?;
    }
    for (row, off) in [(&mut points, &points_off), (&mut scans, &scans_off)] {
        row.note = match (median(off), median(&row.mindoo)) {
            (Some(off), Some(on)) => format!(
                "MindooDB with audit_reads = off: {off:.0} {}; auditing costs {:.0}%",
                row.unit,
                (1.0 - on / off) * 100.0
            ),
            _ => String::new(),
        };
    }
    Ok(vec![points, scans])
}

async fn point_reads(system: &System, plan: &Plan<'_>) -> Result<f64> {
    workload::point_reads(system, plan.table, plan.n, plan.clients, plan.timed).await
}

async fn set_audit(system: &System, table: &str, on: bool) -> Result<()> {
    let client = system.connect().await?;
    let value = if on { "on" } else { "off" };
    client
        .batch_execute(&format!("ALTER TABLE {table} SET (audit_reads = {value})"))
        .await
        .map_err(|e| system.sql(e))
}
