//! Progress of the offline tools (backup, restore, verify) on stderr: an indicatif bar with
//! rate and ETA on a terminal, plain lines (start, every tenth, end) otherwise.
//!
//! Invariants:
//! - Writes only to stderr, so stdout carries the tools' results alone.
//! - Reports counts of entries, never their content.

use std::io::{IsTerminal as _, Write as _};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mindoodb_storage::Progress;

/// A `Progress` for stderr; chooses bar or lines once, from whether stderr is a terminal.
pub(crate) struct Reporter {
    terminal: bool,
    bar: Option<ProgressBar>,
    step: String,
    total: u64,
    done: u64,
    next_line: u64,
    started: Instant,
}

impl Reporter {
    pub(crate) fn stderr() -> Reporter {
        Reporter {
            terminal: std::io::stderr().is_terminal(),
            bar: None,
            step: String::new(),
            total: 0,
            done: 0,
            next_line: 0,
            started: Instant::now(),
        }
    }

    fn line(&self) {
        let secs = self.started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 {
            self.done as f64 / secs
        } else {
            0.0
        };
        let _ = writeln!(
            std::io::stderr(),
            "mindoodb {}: {}/{} entries ({rate:.0}/s)",
            self.step,
            self.done,
            self.total
        );
    }
}

impl Progress for Reporter {
    fn start(&mut self, step: &str, total: u64) {
        self.step = step.to_owned();
        self.total = total;
        self.done = 0;
        self.started = Instant::now();
        if self.terminal {
            let style = ProgressStyle::with_template(
                "{msg:>8} [{bar:40}] {pos}/{len} entries {per_sec} ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                .with_style(style)
                .with_message(step.to_owned());
            self.bar = Some(bar);
        } else {
            self.next_line = total / 10;
            self.line();
        }
    }

    fn advance(&mut self, n: u64) {
        self.done += n;
        if let Some(bar) = &self.bar {
            bar.inc(n);
        } else if self.next_line > 0 && self.done >= self.next_line && self.done < self.total {
            self.line();
            self.next_line = self.done + self.total / 10;
        }
    }

    fn finish(&mut self) {
        match self.bar.take() {
            Some(bar) => bar.finish(),
            None => self.line(),
        }
    }
}
