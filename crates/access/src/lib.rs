//! Who may do what in Bedside.
//!
//! Bedside runs on a shared ward workstation, so every person has their own account with one
//! [`Role`], and every operation that touches data is an [`Action`] with a fixed set of roles
//! allowed to perform it ([`Action::allows`]). The table lives here, in one place, so that the
//! window, the CLI and the workflows all enforce the same policy and a test can enumerate it.
//!
//! Passwords are hashed with Argon2id ([`password`]); repeated failures lock the account for a
//! while ([`lockout`]).
#![deny(missing_docs)]

pub mod error;
pub mod lockout;
pub mod password;
pub mod policy;
pub mod role;

pub use error::AccessError;
pub use policy::Action;
pub use role::Role;
