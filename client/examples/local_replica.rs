//! An embedded local replica: pull a table's sealed entries from a MindooDB server into a
//! RocksDB directory on this machine, resumably, then open them here with the keyring.
//!
//! ```sh
//! MINDOODB_URL="host=hub.example.com user=alice dbname=acme" \
//!     cargo run -p mindoodb-client --example local_replica -- ./replica crm2025
//! ```
//! Run it again later: it continues from where it stopped (the cursor is in the replica's
//! catalog). The keyring is `MINDOODB_KEYRING`, unlocked with `MINDOODB_KEYRING_PASSPHRASE`.

use std::path::PathBuf;

use mindoodb_client::{
    DEFAULT_BATCH, Direction, KEYRING_PASSPHRASE_ENV, Keyring, Peer, StoreTenant, SyncConfig,
    passphrase, sync,
};
use mindoodb_protocol::{EntryKind, open};
use mindoodb_storage::{Store, StoreConfig};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, table] = args.as_slice() else {
        return Err("usage: local_replica DIR TABLE".into());
    };
    let url = std::env::var("MINDOODB_URL")?;

    std::fs::create_dir_all(dir)?;
    let store = Store::open(
        &PathBuf::from(dir),
        &StoreConfig {
            cache_bytes: 16 << 20,
        },
    )?;
    let peer = Peer::connect(&url).await?;
    let tenant = match store.tenant(peer.dbname()) {
        Some(info) => info.id,
        None => store.create_tenant(peer.dbname())?.id,
    };
    let replica = StoreTenant { store, tenant };
    let config = SyncConfig {
        direction: Direction::Pull,
        batch: DEFAULT_BATCH,
    };
    let reports = sync(&replica, &peer, table, &config, &mut |_| {}).await?;
    for report in &reports {
        println!(
            "{}: {} entries pulled, {} new, now at the server's seq {}",
            report.table, report.pulled, report.pulled_new, report.pull_seq
        );
    }

    // Everything stored was verified on the way in; open what the keyring can.
    let keyring_path = std::env::var_os("MINDOODB_KEYRING").ok_or("set MINDOODB_KEYRING")?;
    let secret = passphrase(KEYRING_PASSPHRASE_ENV, "keyring passphrase: ", false)?;
    let keyring = Keyring::open(&PathBuf::from(keyring_path), secret.as_bytes())?;
    let info = replica
        .store
        .table(tenant, table)
        .ok_or("the server has no such table")?;
    let snapshot = replica.store.snapshot();
    for doc in snapshot.scan(info.table, None, 100)? {
        let header = doc.winner.header();
        let text = match (header.kind(), keyring.key(header.key())) {
            (EntryKind::Delete, _) => "<deleted>".to_owned(),
            (_, Some(key)) => String::from_utf8(open(&doc.winner, key)?.to_vec())?,
            (_, None) => format!("<sealed with {}, not in the keyring>", header.key()),
        };
        println!("{}: {text}", doc.id);
    }
    let report = snapshot.verify(info.table)?;
    println!(
        "verified {} entries of {} documents: {}",
        report.entries,
        report.documents,
        if report.is_ok() { "ok" } else { "PROBLEMS" }
    );
    Ok(())
}
