//! Password hashing (Argon2id) and the rules for new passwords and user names.
//!
//! The stored form is the PHC string (`$argon2id$v=19$m=…`), which carries its own salt and
//! parameters, so the cost can be raised later without invalidating old hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::AccessError;

/// Shortest password accepted.
pub const MIN_LEN: usize = 8;

/// OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane): about 50 ms on a ward PC, which a
/// login can afford and an offline guesser cannot.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> Result<String, AccessError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| AccessError::CorruptHash)?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| AccessError::CorruptHash)?;
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|_| AccessError::CorruptHash)?
        .to_string())
}

/// Whether `password` matches the stored `hash`.
pub fn verify(password: &str, hash: &str) -> Result<bool, AccessError> {
    let parsed = PasswordHash::new(hash).map_err(|_| AccessError::CorruptHash)?;
    Ok(hasher()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

/// Spends the time a real verification takes, so that a login for an unknown user name
/// cannot be told from a wrong password by timing.
pub fn verify_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("bedside-timing-equaliser").unwrap_or_default());
    let _ = verify(password, dummy);
}

/// Refuses passwords too short to resist guessing, or that are only the user name.
pub fn check_new(password: &str, username: &str) -> Result<(), AccessError> {
    if password.chars().count() < MIN_LEN {
        return Err(AccessError::WeakPassword("at least 8 characters"));
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(AccessError::WeakPassword("must not be the user name"));
    }
    Ok(())
}

/// User names are what people type at a shared terminal: 1-64 characters, no spaces or control
/// characters at the ends, no control characters anywhere. Chinese names are welcome.
pub fn check_username(username: &str) -> Result<(), AccessError> {
    if username.is_empty() {
        return Err(AccessError::InvalidUsername("empty"));
    }
    if username.chars().count() > 64 {
        return Err(AccessError::InvalidUsername("longer than 64 characters"));
    }
    if username.trim() != username {
        return Err(AccessError::InvalidUsername("spaces at the start or end"));
    }
    if username.chars().any(char::is_control) {
        return Err(AccessError::InvalidUsername("control characters"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("correct horse").unwrap();
        let b = hash("correct horse").unwrap();
        assert_ne!(a, b, "each hash has its own salt");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("correct horse", &a).unwrap());
        assert!(!verify("correct hors", &a).unwrap());
        assert!(!a.contains("correct"));
    }

    #[test]
    fn unreadable_hash_is_an_error_not_a_match() {
        assert_eq!(verify("x", "not a hash"), Err(AccessError::CorruptHash));
    }

    #[test]
    fn new_password_and_username_rules() {
        assert_eq!(
            check_new("short", "ann").unwrap_err().code(),
            "weak_password"
        );
        assert_eq!(
            check_new("annsmith1", "annsmith1").unwrap_err().code(),
            "weak_password"
        );
        assert!(check_new("长城长城长城长城", "ann").is_ok());
        assert!(check_username("王护士").is_ok());
        assert_eq!(
            check_username(" ann").unwrap_err().code(),
            "invalid_username"
        );
        assert_eq!(check_username("").unwrap_err().code(), "invalid_username");
        assert_eq!(
            check_username("a\nb").unwrap_err().code(),
            "invalid_username"
        );
    }
}
