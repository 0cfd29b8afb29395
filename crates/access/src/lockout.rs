//! Locking an account after repeated failed logins.
//!
//! A short, automatic lock stops someone at the shared terminal from guessing a colleague's
//! password, without leaving a nurse locked out for the rest of a shift: the lock expires, and
//! an admin can lift it at once by resetting the password.

/// Failed attempts in a row that lock the account.
pub const MAX_FAILURES: u32 = 5;

/// How long the lock lasts.
pub const LOCK_SECONDS: u64 = 5 * 60;

/// After `failures` consecutive failures, how long the account should be locked (if at all).
pub fn lock_after(failures: u32) -> Option<u64> {
    (failures >= MAX_FAILURES).then_some(LOCK_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_at_the_fifth_failure() {
        assert_eq!(lock_after(MAX_FAILURES - 1), None);
        assert_eq!(lock_after(MAX_FAILURES), Some(LOCK_SECONDS));
    }
}
