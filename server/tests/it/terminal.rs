//! The keyring passphrase prompt through a real pseudo-terminal: `mindoodb keyring init` and
//! unlocking commands run under util-linux `script`, which gives them a fresh pty as their
//! controlling terminal with echo on (`--echo always`), and the test types at it like a user.
//!
//! Invariants:
//! - Every passphrase is typed only after its prompt appeared, so the terminal would echo it
//!   unless the prompt switched echo off; what the terminal shows must never contain it.
//! - No passphrase variable reaches the child: the prompt is the only way in.

use std::io::{Read as _, Write as _};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const PASSPHRASE: &str = "pty-typed correct horse";
const WRONG: &str = "pty-typed wrong battery";
const PROMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// A command running on a fresh pseudo-terminal (under `script`), and that terminal's keyboard
/// and screen.
struct OnTerminal {
    child: Child,
    keyboard: Option<ChildStdin>,
    /// Everything the terminal showed so far.
    shown: Vec<u8>,
    screen: Receiver<Vec<u8>>,
}

impl OnTerminal {
    /// `mindoodb <args>` on a terminal.
    fn mindoodb(args: &[&str]) -> OnTerminal {
        let mut line = quote(env!("CARGO_BIN_EXE_mindoodb"));
        for arg in args {
            line.push(' ');
            line.push_str(&quote(arg));
        }
        OnTerminal::start(&line)
    }

    /// A shell command line on a terminal.
    fn start(line: &str) -> OnTerminal {
        let mut child = Command::new("script")
            .args(["--quiet", "--return", "--echo", "always", "--command", line])
            .arg("/dev/null")
            .env_remove("MINDOODB_KEYRING")
            .env_remove("MINDOODB_KEYRING_PASSPHRASE")
            .env_remove("MINDOODB_ONE_TIME_PASSPHRASE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run script (util-linux)");
        let keyboard = child.stdin.take();
        let mut output = child.stdout.take().expect("script's stdout");
        let (tx, screen) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = output.read(&mut buf) {
                if tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        OnTerminal {
            child,
            keyboard,
            shown: Vec::new(),
            screen,
        }
    }

    /// Waits until the terminal shows `text` after what earlier calls consumed.
    fn expect(&mut self, text: &str) {
        let deadline = Instant::now() + PROMPT_TIMEOUT;
        let from = self.shown.len();
        while !contains(&self.shown[from..], text.as_bytes()) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.screen.recv_timeout(left) {
                Ok(bytes) => self.shown.extend(bytes),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => panic!(
                    "the terminal never showed {text:?}; it showed {:?}",
                    String::from_utf8_lossy(&self.shown)
                ),
            }
        }
    }

    /// Types `line` and Enter.
    fn type_line(&mut self, line: &str) {
        let keyboard = self.keyboard.as_mut().expect("the terminal is open");
        keyboard
            .write_all(format!("{line}\n").as_bytes())
            .expect("type at the terminal");
        keyboard.flush().expect("type at the terminal");
    }

    /// Waits for the command to end; returns its status and everything the terminal showed.
    fn finish(mut self) -> (ExitStatus, String) {
        let deadline = Instant::now() + PROMPT_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.screen.recv_timeout(left) {
                Ok(bytes) => self.shown.extend(bytes),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "the command never ended; the terminal showed {:?}",
                    String::from_utf8_lossy(&self.shown)
                ),
            }
        }
        self.keyboard.take();
        let status = self.child.wait().expect("wait for script");
        (status, String::from_utf8_lossy(&self.shown).into_owned())
    }
}

/// Single-quoted for the shell `script` runs the command with.
fn quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn assert_not_echoed(shown: &str) {
    for secret in [PASSPHRASE, WRONG] {
        assert!(
            !shown.contains(secret),
            "the terminal showed a passphrase: {shown:?}"
        );
    }
}

#[test]
fn the_test_terminal_echoes_what_is_typed() {
    // The control: a program that leaves echo on shows what is typed, so the absence of a
    // passphrase below means the prompt switched echo off.
    let mut head = OnTerminal::start("head -n 1 >/dev/null");
    head.type_line("typed-and-visible");
    let (status, shown) = head.finish();
    assert!(status.success());
    assert!(shown.contains("typed-and-visible"), "{shown:?}");
}

#[test]
fn keyring_passphrases_are_prompted_for_without_echo() {
    let dir = TempDir::new().unwrap();
    let keyring = dir.path().join("keyring");
    let keyring = keyring.to_str().unwrap();

    let mut init = OnTerminal::mindoodb(&["keyring", "init", "--keyring", keyring]);
    init.expect("new keyring passphrase: ");
    init.type_line(PASSPHRASE);
    init.expect("again: ");
    init.type_line(PASSPHRASE);
    let (status, shown) = init.finish();
    assert!(status.success(), "keyring init: {shown}");
    assert_not_echoed(&shown);
    assert!(std::fs::metadata(keyring).is_ok(), "init wrote the keyring");

    // A mistyped confirmation creates nothing.
    let other = dir.path().join("other");
    let other = other.to_str().unwrap();
    let mut mistyped = OnTerminal::mindoodb(&["keyring", "init", "--keyring", other]);
    mistyped.expect("new keyring passphrase: ");
    mistyped.type_line(PASSPHRASE);
    mistyped.expect("again: ");
    mistyped.type_line(WRONG);
    let (status, shown) = mistyped.finish();
    assert!(!status.success(), "differing entries are refused: {shown}");
    assert!(shown.contains("the two entries differ"), "{shown}");
    assert_not_echoed(&shown);
    assert!(std::fs::metadata(other).is_err(), "no keyring was written");

    // Unlocking with the wrong passphrase is refused.
    let mut wrong = OnTerminal::mindoodb(&["key", "new", "hr", "--keyring", keyring]);
    wrong.expect("keyring passphrase: ");
    wrong.type_line(WRONG);
    let (status, shown) = wrong.finish();
    assert!(
        !status.success(),
        "a wrong passphrase unlocks nothing: {shown}"
    );
    assert!(shown.contains("wrong passphrase"), "{shown}");
    assert_not_echoed(&shown);

    // The right one unlocks: the key is created, and the next unlock lists it.
    let mut right = OnTerminal::mindoodb(&["key", "new", "hr", "--keyring", keyring]);
    right.expect("keyring passphrase: ");
    right.type_line(PASSPHRASE);
    let (status, shown) = right.finish();
    assert!(status.success(), "key new: {shown}");
    assert!(shown.contains("created key hr.1"), "{shown}");
    assert_not_echoed(&shown);
    let mut list = OnTerminal::mindoodb(&["key", "list", "--keyring", keyring]);
    list.expect("keyring passphrase: ");
    list.type_line(PASSPHRASE);
    let (status, shown) = list.finish();
    assert!(status.success(), "key list: {shown}");
    assert!(shown.contains("hr\t1\tkcv "), "{shown}");
    assert_not_echoed(&shown);
}
