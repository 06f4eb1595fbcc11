//! Brute-force protection: failed password attempts per client address (per local user over
//! a Unix socket) in the last minute, and the refusal of further attempts from a source that
//! reached the limit.
//!
//! Invariants:
//! - Only failures count; a successful login neither counts nor resets the window, so a
//!   guesser who also knows one valid password gains nothing.
//! - Memory is bounded: addresses without a failure in the last minute are forgotten, and at
//!   most `MAX_TRACKED` addresses are tracked (beyond that the oldest entries are dropped).
//! - A limit of 0 disables the check.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The window failures are counted in.
const WINDOW: Duration = Duration::from_secs(60);
/// Most addresses tracked at once.
const MAX_TRACKED: usize = 100_000;

/// Whom failures are counted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Source {
    /// A TCP client's IP address.
    Ip(IpAddr),
    /// A Unix-socket client's user id: every local process shares the socket's one address,
    /// so one user's guessing must not lock out the others.
    LocalUser(u32),
}

/// Failed authentications per source.
pub(crate) struct AuthLimiter {
    per_minute: u32,
    failures: Mutex<HashMap<Source, VecDeque<Instant>>>,
}

impl AuthLimiter {
    /// A limiter allowing `per_minute` failures per address and minute (0: unlimited).
    pub(crate) fn new(per_minute: u32) -> AuthLimiter {
        AuthLimiter {
            per_minute,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// True when `peer` used up its failures for the last minute and must wait.
    pub(crate) fn is_blocked(&self, peer: Source) -> bool {
        if self.per_minute == 0 {
            return false;
        }
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(times) = failures.get_mut(&peer) else {
            return false;
        };
        forget_old(times, now);
        if times.is_empty() {
            failures.remove(&peer);
            return false;
        }
        times.len() >= self.per_minute as usize
    }

    /// Counts a failed authentication from `peer`; returns the failures in the last minute.
    pub(crate) fn record_failure(&self, peer: Source) -> usize {
        if self.per_minute == 0 {
            return 0;
        }
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() >= MAX_TRACKED && !failures.contains_key(&peer) {
            failures.retain(|_, times| {
                forget_old(times, now);
                !times.is_empty()
            });
            if failures.len() >= MAX_TRACKED
                && let Some(oldest) = failures
                    .iter()
                    .min_by_key(|(_, times)| times.back().copied())
                    .map(|(source, _)| *source)
            {
                failures.remove(&oldest);
            }
        }
        let times = failures.entry(peer).or_default();
        forget_old(times, now);
        times.push_back(now);
        // Only the newest `per_minute` matter for the decision.
        while times.len() > self.per_minute as usize {
            times.pop_front();
        }
        times.len()
    }
}

fn forget_old(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|time| now.duration_since(*time) >= WINDOW)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_per_address_only() {
        let limiter = AuthLimiter::new(3);
        let guesser = Source::Ip(IpAddr::from([10, 0, 0, 1]));
        let bystander = Source::Ip(IpAddr::from([10, 0, 0, 2]));
        let local = Source::LocalUser(1000);
        for n in 1..=3 {
            assert!(!limiter.is_blocked(guesser));
            assert_eq!(limiter.record_failure(guesser), n);
        }
        assert!(limiter.is_blocked(guesser));
        assert!(!limiter.is_blocked(bystander));
        assert!(!limiter.is_blocked(local));
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = AuthLimiter::new(0);
        let peer = Source::Ip(IpAddr::from([10, 0, 0, 1]));
        for _ in 0..100 {
            limiter.record_failure(peer);
        }
        assert!(!limiter.is_blocked(peer));
    }
}
