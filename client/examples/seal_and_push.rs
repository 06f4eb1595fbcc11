//! Seal a document on this machine, push it to a MindooDB server that holds no key, and read
//! it back, verified and opened here.
//!
//! ```sh
//! mindoodb keyring init && mindoodb key new default && mindoodb identity new
//! MINDOODB_URL="host=localhost user=mindoo dbname=mindoo" \
//!     cargo run -p mindoodb-client --example seal_and_push -- notes n1 '{"text":"hello"}'
//! ```
//! The keyring is `MINDOODB_KEYRING` (default `~/.mindoodb/keyring`); its passphrase comes
//! from `MINDOODB_KEYRING_PASSPHRASE` or the terminal.

use std::path::PathBuf;

use mindoodb_client::{Client, KEYRING_PASSPHRASE_ENV, Keyring, passphrase};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [table, id, json] = args.as_slice() else {
        return Err("usage: seal_and_push TABLE ID JSON".into());
    };
    let url = std::env::var("MINDOODB_URL")?;
    let keyring_path = match std::env::var_os("MINDOODB_KEYRING") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME").ok_or("HOME is not set")?)
            .join(".mindoodb/keyring"),
    };
    let secret = passphrase(KEYRING_PASSPHRASE_ENV, "keyring passphrase: ", false)?;
    let keyring = Keyring::open(&keyring_path, secret.as_bytes())?;

    let client = Client::connect(&url, keyring).await?;
    // The table is only a name to the server; creating it needs no key.
    client
        .sql()
        .batch_execute(&format!("CREATE TABLE IF NOT EXISTS {table} ()"))
        .await?;
    let rev = match client.get(table, id).await? {
        Some(_) => client.update(table, id, json).await?,
        None => client.insert(table, id, json, "default").await?,
    };
    println!("stored {id} as revision {rev}");

    // Read it back: the proof is verified and the document opened on this machine.
    let doc = client
        .get(table, id)
        .await?
        .ok_or("the document vanished")?;
    println!(
        "{id}: {} (signed by {}, {} head(s))",
        doc.json.as_ref().map_or("<deleted>", |json| json.as_str()),
        doc.author,
        doc.heads.len()
    );
    Ok(())
}
