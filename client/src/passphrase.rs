//! Reading passphrases: from an environment variable for scripts, else from the terminal with
//! echo switched off.
//!
//! Invariants:
//! - A passphrase is never echoed, printed, logged or written anywhere; it lives in
//!   `Zeroizing` memory only.
//! - The terminal's echo setting is restored before returning, also after a read error.
//! - Without a terminal and without the variable, reading fails instead of blocking.

use std::fs::OpenOptions;
use std::io::{BufRead as _, BufReader, Write as _};

use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
use zeroize::Zeroizing;

use crate::{Error, Result};

/// The environment variable that supplies the keyring passphrase to scripts.
pub const KEYRING_PASSPHRASE_ENV: &str = "MINDOODB_KEYRING_PASSPHRASE";
/// The environment variable that supplies a key export's one-time passphrase to scripts.
pub const ONE_TIME_PASSPHRASE_ENV: &str = "MINDOODB_ONE_TIME_PASSPHRASE";

/// The passphrase in `env`, else one typed at the terminal after `prompt`; `confirm` asks
/// twice (for new keyrings). Empty passphrases are refused.
pub fn passphrase(env: &str, prompt: &str, confirm: bool) -> Result<Zeroizing<String>> {
    if let Some(value) = std::env::var_os(env) {
        let value = Zeroizing::new(
            value
                .into_string()
                .map_err(|_| Error::Passphrase(format!("{env} is not UTF-8")))?,
        );
        return non_empty(value);
    }
    let first = read_hidden(prompt)?;
    if confirm {
        let second = read_hidden("again: ")?;
        if *first != *second {
            return Err(Error::Passphrase("the two entries differ".into()));
        }
    }
    non_empty(first)
}

/// One line from the controlling terminal, with echo off.
fn read_hidden(prompt: &str) -> Result<Zeroizing<String>> {
    let tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| {
            Error::Passphrase(format!(
                "no terminal to ask on; set {KEYRING_PASSPHRASE_ENV} (or {ONE_TIME_PASSPHRASE_ENV} for exports)"
            ))
        })?;
    let saved = tcgetattr(&tty).map_err(|e| Error::Passphrase(format!("terminal: {e}")))?;
    let mut quiet = saved.clone();
    quiet.local_modes -= LocalModes::ECHO;
    tcsetattr(&tty, OptionalActions::Flush, &quiet)
        .map_err(|e| Error::Passphrase(format!("terminal: {e}")))?;
    let read = (|| {
        let mut writer = &tty;
        writer.write_all(prompt.as_bytes())?;
        writer.flush()?;
        let mut line = Zeroizing::new(String::new());
        BufReader::new(&tty).read_line(&mut line)?;
        // The user's Enter was not echoed either.
        writer.write_all(b"\n")?;
        Ok::<_, std::io::Error>(line)
    })();
    let restored = tcsetattr(&tty, OptionalActions::Flush, &saved);
    let mut line = read.map_err(|e| Error::Passphrase(format!("terminal: {e}")))?;
    restored.map_err(|e| Error::Passphrase(format!("terminal: {e}")))?;
    while line.ends_with(['\n', '\r']) {
        line.pop();
    }
    Ok(line)
}

fn non_empty(value: Zeroizing<String>) -> Result<Zeroizing<String>> {
    if value.is_empty() {
        Err(Error::Passphrase("empty passphrase".into()))
    } else {
        Ok(value)
    }
}
