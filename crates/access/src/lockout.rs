//! Locking an account after repeated failed logins, and slowing guesses at a lock screen.
//!
//! A short, automatic lock stops someone at the shared terminal from guessing a colleague's
//! password, without leaving a nurse locked out for the rest of a shift: the lock expires, and
//! an admin can lift it at once by resetting the password.

use crate::AccessError;

/// Failed attempts in a row that lock the account.
pub const MAX_FAILURES: u32 = 5;

/// How long the lock lasts.
pub const LOCK_SECONDS: u64 = 5 * 60;

/// After `failures` consecutive failures, how long the account should be locked (if at all).
pub fn lock_after(failures: u32) -> Option<u64> {
    (failures >= MAX_FAILURES).then_some(LOCK_SECONDS)
}

/// Wrong passwords at one workstation's lock screen before it makes the next try wait: a
/// typo or two costs nothing.
pub const UNLOCK_FREE_FAILURES: u32 = 3;

/// The first wait after the free failures; it doubles with each further failure.
pub const UNLOCK_FIRST_WAIT_SECONDS: u64 = 15;

/// The longest wait: slow enough that guessing is hopeless (about 12 tries an hour), short
/// enough that the owner, back at their desk, is never kept out for long.
pub const UNLOCK_MAX_WAIT_SECONDS: u64 = 5 * 60;

/// After `failures` wrong passwords in a row at a lock screen, how long the next try waits.
pub fn unlock_wait_after(failures: u32) -> u64 {
    let Some(doublings) = failures.checked_sub(UNLOCK_FREE_FAILURES) else {
        return 0;
    };
    UNLOCK_FIRST_WAIT_SECONDS
        .saturating_mul(1u64 << doublings.min(32))
        .min(UNLOCK_MAX_WAIT_SECONDS)
}

/// Wrong passwords typed at one workstation's lock screen.
///
/// Anyone can type at a locked workstation, so these failures must not count towards the
/// account's lockout: five guesses by a passer-by would otherwise lock the owner out of their
/// own session, and their unsaved work with it. The workstation slows guesses down instead.
#[derive(Debug, Clone, Default)]
pub struct UnlockThrottle {
    failures: u32,
    next_try: Option<std::time::Instant>,
}

impl UnlockThrottle {
    /// Refuses a try made before the wait is over.
    pub fn check(&self, now: std::time::Instant) -> Result<(), AccessError> {
        match self.next_try {
            Some(at) if at > now => Err(AccessError::TryAgainLater {
                seconds_left: (at - now).as_secs_f64().ceil() as u64,
            }),
            _ => Ok(()),
        }
    }

    /// Counts a wrong password and starts the wait it earns.
    pub fn failed(&mut self, now: std::time::Instant) {
        self.failures = self.failures.saturating_add(1);
        let wait = unlock_wait_after(self.failures);
        self.next_try = (wait > 0).then(|| now + std::time::Duration::from_secs(wait));
    }

    /// The right password: the count starts again.
    pub fn succeeded(&mut self) {
        *self = UnlockThrottle::default();
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn lock_screen_guesses_wait_longer_and_longer_but_never_lock_for_good() {
        let waits: Vec<u64> = (0..10).map(unlock_wait_after).collect();
        assert_eq!(waits, [0, 0, 0, 15, 30, 60, 120, 240, 300, 300]);
        assert_eq!(unlock_wait_after(u32::MAX), UNLOCK_MAX_WAIT_SECONDS);
    }

    #[test]
    fn the_throttle_refuses_early_tries_and_forgets_after_the_right_password() {
        let start = Instant::now();
        let mut throttle = UnlockThrottle::default();
        for _ in 0..UNLOCK_FREE_FAILURES {
            assert!(throttle.check(start).is_ok());
            throttle.failed(start);
        }
        match throttle.check(start + Duration::from_secs(1)) {
            Err(AccessError::TryAgainLater { seconds_left }) => assert_eq!(seconds_left, 14),
            other => panic!("expected a wait, got {other:?}"),
        }
        assert!(throttle.check(start + Duration::from_secs(15)).is_ok());
        throttle.succeeded();
        throttle.failed(start);
        assert!(
            throttle.check(start).is_ok(),
            "one typo after a success is free"
        );
    }

    #[test]
    fn locks_at_the_fifth_failure() {
        assert_eq!(lock_after(MAX_FAILURES - 1), None);
        assert_eq!(lock_after(MAX_FAILURES), Some(LOCK_SECONDS));
    }
}
