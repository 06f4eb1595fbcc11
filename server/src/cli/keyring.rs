//! `mindoodb keyring|key|identity ...`: the keyring file's commands (client/src/keyring.rs
//! does the work).
//!
//! Invariants:
//! - The keyring passphrase comes from `MINDOODB_KEYRING_PASSPHRASE` or a prompt without
//!   echo, never from a flag (flags show in `ps`).
//! - Only `keyring token` prints keys (that is its purpose); `key export` prints the sealed
//!   export on stdout and a generated one-time passphrase on stderr, apart, so they can be
//!   handed over by different channels.
//!
//! See: README.md#local-node-sync-and-mirrors, docs/FORMAT.md#keyring-files-and-key-exports

use std::io::Read as _;
use std::os::unix::fs::DirBuilderExt as _;
use std::path::PathBuf;

use mindoodb_client::{KEYRING_PASSPHRASE_ENV, Keyring, ONE_TIME_PASSPHRASE_ENV, passphrase};
use mindoodb_protocol::{KdfParams, KeyName};
use zeroize::Zeroizing;

use super::CliError;

/// Where the keyring file is.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct KeyringPath {
    /// The keyring file (default: ~/.mindoodb/keyring).
    #[arg(long, env = "MINDOODB_KEYRING")]
    keyring: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum KeyringCommand {
    /// Create an empty keyring file (mode 0600), protected by a new passphrase.
    Init(KeyringPath),
    /// Print tokens for `SET mindoo.keys` (all keys, or every version of the named ones, and
    /// the identity).
    Token {
        #[command(flatten)]
        path: KeyringPath,
        /// Key names.
        names: Vec<String>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum KeyCommand {
    /// Add a new random key.
    New {
        #[command(flatten)]
        path: KeyringPath,
        /// Its name: 1 to 64 characters of a-z, 0-9, '_' and '-'.
        name: String,
    },
    /// List the keys: name, version and key check value (never the key).
    List(KeyringPath),
    /// Add the next version of a key; new writes use it, old entries keep opening.
    Rotate {
        #[command(flatten)]
        path: KeyringPath,
        /// The key's name.
        name: String,
    },
    /// Print every version of the named keys, sealed under a one-time passphrase, for
    /// out-of-band handover.
    Export {
        #[command(flatten)]
        path: KeyringPath,
        /// Key names.
        #[arg(required = true)]
        names: Vec<String>,
    },
    /// Add the keys of an export (from FILE, or stdin).
    Import {
        #[command(flatten)]
        path: KeyringPath,
        /// The file holding the `mdbx1.` export; stdin when absent.
        file: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Subcommand)]
pub(crate) enum IdentityCommand {
    /// Create the keyring's signing identity and print its public key.
    New {
        #[command(flatten)]
        path: KeyringPath,
        /// Replace an existing identity (entries it signed stay valid).
        #[arg(long)]
        replace: bool,
    },
    /// Print the identity's public key (as `author` and `signer` show it).
    Show(KeyringPath),
}

pub(crate) fn keyring(command: KeyringCommand) -> Result<(), CliError> {
    match command {
        KeyringCommand::Init(path) => {
            let path = path.resolve()?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::DirBuilder::new()
                    .recursive(true)
                    .mode(0o700)
                    .create(dir)?;
            }
            let secret = passphrase(KEYRING_PASSPHRASE_ENV, "new keyring passphrase: ", true)?;
            Keyring::create(&path, secret.as_bytes(), KdfParams::recommended()?)?;
            println!("created keyring {}", path.display());
        }
        KeyringCommand::Token { path, names } => {
            let keyring = path.open()?;
            let tokens = keyring.tokens(&key_names(&names)?)?;
            println!("{}", tokens.as_str());
        }
    }
    Ok(())
}

pub(crate) fn key(command: KeyCommand) -> Result<(), CliError> {
    match command {
        KeyCommand::New { path, name } => {
            let key_ref = path.open()?.new_key(KeyName::new(name)?)?;
            println!("created key {key_ref}");
        }
        KeyCommand::List(path) => {
            let keyring = path.open()?;
            for key in keyring.keys() {
                let key_ref = key.key_ref();
                let newest = keyring
                    .newest(&key_ref.name)
                    .is_some_and(|k| k.key_ref() == key_ref);
                println!(
                    "{}\t{}\tkcv {}{}",
                    key_ref.name,
                    key_ref.version,
                    short_hex(&key.kcv().0),
                    if newest { "\tnewest" } else { "" }
                );
            }
        }
        KeyCommand::Rotate { path, name } => {
            let key_ref = path.open()?.rotate(&KeyName::new(name)?)?;
            println!("created key {key_ref}; new writes use it");
        }
        KeyCommand::Export { path, names } => {
            let keyring = path.open()?;
            let one_time = match std::env::var_os(ONE_TIME_PASSPHRASE_ENV) {
                Some(_) => passphrase(ONE_TIME_PASSPHRASE_ENV, "", false)?,
                None => {
                    let generated = one_time_passphrase()?;
                    eprintln!(
                        "one-time passphrase (give it to the recipient by another channel): {}",
                        generated.as_str()
                    );
                    generated
                }
            };
            let text = keyring.export(&key_names(&names)?, one_time.as_bytes())?;
            println!("{text}");
        }
        KeyCommand::Import { path, file } => {
            let mut keyring = path.open()?;
            let text = match file {
                Some(file) => std::fs::read_to_string(file)?,
                None => {
                    let mut text = String::new();
                    std::io::stdin().read_to_string(&mut text)?;
                    text
                }
            };
            let one_time = passphrase(ONE_TIME_PASSPHRASE_ENV, "one-time passphrase: ", false)?;
            let added = keyring.import(&text, one_time.as_bytes())?;
            if added.is_empty() {
                println!("nothing new: the keyring held every key of the export");
            }
            for key_ref in added {
                println!("imported key {key_ref}");
            }
        }
    }
    Ok(())
}

pub(crate) fn identity(command: IdentityCommand) -> Result<(), CliError> {
    match command {
        IdentityCommand::New { path, replace } => {
            let public = path.open()?.new_identity(replace)?;
            println!("{public}");
        }
        IdentityCommand::Show(path) => match path.open()?.identity() {
            Some(identity) => println!("{}", identity.public()),
            None => {
                return Err(CliError::Usage(
                    "the keyring has no identity; create one with `mindoodb identity new`".into(),
                ));
            }
        },
    }
    Ok(())
}

impl KeyringPath {
    fn resolve(&self) -> Result<PathBuf, CliError> {
        if let Some(path) = &self.keyring {
            return Ok(path.clone());
        }
        let home = std::env::var_os("HOME").ok_or_else(|| {
            CliError::Usage("HOME is not set; name the keyring with --keyring".into())
        })?;
        Ok(PathBuf::from(home).join(".mindoodb").join("keyring"))
    }

    /// Opens the keyring with the passphrase from the environment or the terminal.
    pub(crate) fn open(&self) -> Result<Keyring, CliError> {
        open_keyring(&self.resolve()?)
    }
}

/// Opens `path` with the passphrase from the environment or the terminal.
pub(crate) fn open_keyring(path: &std::path::Path) -> Result<Keyring, CliError> {
    let secret = passphrase(KEYRING_PASSPHRASE_ENV, "keyring passphrase: ", false)?;
    Ok(Keyring::open(path, secret.as_bytes())?)
}

fn key_names(names: &[String]) -> Result<Vec<KeyName>, CliError> {
    Ok(names
        .iter()
        .map(|name| KeyName::new(name.as_str()))
        .collect::<Result<_, _>>()?)
}

/// Twenty characters of an alphabet without look-alikes, in groups of five: ~99 bits.
fn one_time_passphrase() -> Result<Zeroizing<String>, CliError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut out = Zeroizing::new(String::with_capacity(23));
    let mut n_chars = 0;
    while n_chars < 20 {
        let mut byte = [0u8; 1];
        getrandom::fill(&mut byte)
            .map_err(|_| CliError::Usage("random source unavailable".into()))?;
        // Rejection sampling keeps every character equally likely.
        let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
        if byte[0] >= limit {
            continue;
        }
        if n_chars > 0 && n_chars % 5 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
        n_chars += 1;
    }
    Ok(out)
}

fn short_hex(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
