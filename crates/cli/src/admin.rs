//! Admin subcommands: first-run set-up, accounts, the audit log, backup and restore.

use std::io::Write;
use std::path::{Path, PathBuf};

use clinic::admin::ExportFormat;
use clinic::{Clinic, ClinicError, NewAccount, Role};
use serde_json::json;
use store::{AuditFilter, Key};

use crate::commands::Output;
use crate::session::{self, Session};

#[derive(clap::Args)]
pub struct InitArgs {
    /// The first admin's user name.
    #[arg(long)]
    admin: String,
    /// The admin's name as shown.
    #[arg(long, default_value = "")]
    display_name: String,
    /// Encrypt with a random key in a file (`bedside.key` in the data directory, or
    /// $BEDSIDE_KEY_FILE) instead of a passphrase typed at each start.
    #[arg(long)]
    key_file: bool,
}

/// Creates the encrypted database and the first admin: `BEDSIDE_PASSPHRASE` (unless
/// `--key-file`) and `BEDSIDE_PASSWORD`, or asked twice at the terminal.
pub fn init(data_dir: &Path, args: &InitArgs, out: &Output) -> Result<(), ClinicError> {
    if !clinic::keys::is_first_run(data_dir) {
        return Err(ClinicError::InvalidInput(format!(
            "{} already holds a Bedside database",
            data_dir.display()
        )));
    }
    clinic::create_data_dir(data_dir)?;
    let password = session::new_secret("BEDSIDE_PASSWORD", "admin password")?;
    access_checks(&args.admin, &password)?;
    let (key, key_file) = if args.key_file {
        let path = std::env::var_os("BEDSIDE_KEY_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join(clinic::keys::KEY_FILE));
        (Key::create_file(&path)?, Some(path))
    } else {
        let passphrase = session::new_secret("BEDSIDE_PASSPHRASE", "database passphrase")?;
        (Key::new_passphrase(&passphrase)?, None)
    };
    let clinic = Clinic::open(data_dir, &key)?;
    let admin = clinic.create_first_admin(&args.admin, &args.display_name, &password)?;
    if out.json {
        out.line(&json!({
            "data_dir": data_dir.display().to_string(),
            "admin": admin,
            "key_file": key_file.as_ref().map(|p| p.display().to_string()),
        }));
    } else {
        println!(
            "created {} with admin {}",
            data_dir.display(),
            admin.username()
        );
        match key_file {
            Some(p) => println!(
                "key file: {} (keep a copy somewhere safe: without it the data cannot be read)",
                p.display()
            ),
            None => {
                println!("keep the passphrase somewhere safe: without it the data cannot be read")
            }
        }
    }
    Ok(())
}

/// Refuses a bad admin name or password before a database is created for it.
fn access_checks(username: &str, password: &str) -> Result<(), ClinicError> {
    clinic::access::password::check_username(username)?;
    clinic::access::password::check_new(password, username)?;
    Ok(())
}

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Create an account; its password comes from BEDSIDE_NEW_PASSWORD or the terminal.
    Add {
        username: String,
        /// nurse, clinician or admin.
        #[arg(long)]
        role: Role,
        /// Name as shown in the UI and on signed notes.
        #[arg(long, default_value = "")]
        display_name: String,
    },
    /// Refuse the account's logins from now on.
    Disable { username: String },
    /// Allow a disabled account again.
    Enable { username: String },
    /// Set a new password (BEDSIDE_NEW_PASSWORD or the terminal) and lift a lockout.
    ResetPassword { username: String },
    /// List accounts.
    List,
    /// Change your own password: the current one from BEDSIDE_PASSWORD, the new one from
    /// BEDSIDE_NEW_PASSWORD (or the terminal). Required before anything else after an admin
    /// set it (`user add`, `user reset-password`).
    Passwd,
}

/// `bedside user passwd`: any role, and the only subcommand allowed while a change is due.
pub fn passwd(s: &Session, current: &str, out: &Output) -> Result<(), ClinicError> {
    let new = session::new_secret("BEDSIDE_NEW_PASSWORD", "password")?;
    let actor = s.clinic.change_password(&s.actor, current, &new)?;
    done(
        out,
        json!({"username": actor.username()}),
        &format!("new password set for {}", actor.username()),
    );
    Ok(())
}

pub fn user(s: &Session, command: &UserCommand, out: &Output) -> Result<(), ClinicError> {
    let (clinic, actor) = (&s.clinic, &s.actor);
    match command {
        // `main` runs it through [`passwd`], which needs the current password, not an admin.
        UserCommand::Passwd => {
            return Err(ClinicError::InvalidInput(
                "`user passwd` changes the password of the user logging in".into(),
            ))
        }
        UserCommand::Add {
            username,
            role,
            display_name,
        } => {
            let password = session::new_secret("BEDSIDE_NEW_PASSWORD", "password")?;
            let user = clinic.add_user(
                actor,
                &NewAccount {
                    username: username.clone(),
                    display_name: display_name.clone(),
                    role: *role,
                    password,
                },
            )?;
            done(
                out,
                json!({"user": user}),
                &format!("added {} ({})", user.username, user.role),
            );
        }
        UserCommand::Disable { username } | UserCommand::Enable { username } => {
            let disabled = matches!(command, UserCommand::Disable { .. });
            clinic.set_user_disabled(actor, username, disabled)?;
            let word = if disabled { "disabled" } else { "enabled" };
            done(
                out,
                json!({"username": username, "disabled": disabled}),
                &format!("{word} {username}"),
            );
        }
        UserCommand::ResetPassword { username } => {
            let password = session::new_secret("BEDSIDE_NEW_PASSWORD", "password")?;
            clinic.reset_password(actor, username, &password)?;
            done(
                out,
                json!({"username": username}),
                &format!("new password set for {username}"),
            );
        }
        UserCommand::List => {
            let users = clinic.users(actor)?;
            if out.json {
                out.line(&json!({ "users": users }));
            } else {
                for u in users {
                    let state = if u.disabled { "disabled" } else { "" };
                    println!(
                        "{:<20} {:<10} {:<24} {state}",
                        u.username, u.role, u.display_name
                    );
                }
            }
        }
    }
    Ok(())
}

fn done(out: &Output, value: serde_json::Value, text: &str) {
    if out.json {
        out.line(&value);
    } else {
        println!("{text}");
    }
}

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain and report the first broken link; exits 1 when broken.
    Verify,
    /// Write the whole log for an auditor.
    Export {
        /// csv or jsonl.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Show recent rows, newest first.
    List {
        /// Only rows by this user. Not `--user`, which names who runs the command (and comes
        /// from `BEDSIDE_USER`): as the same argument it filtered every admin's listing down to
        /// their own rows.
        #[arg(long = "by", value_name = "USER")]
        by: Option<String>,
        #[arg(long)]
        action: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// How a user name that does not exist appears in the log (`hmac:…`), to find the failed
    /// logins of a name you suspect.
    NameDigest { name: String },
}

pub fn audit(s: &Session, command: &AuditCommand, out: &Output) -> Result<(), ClinicError> {
    let (clinic, actor) = (&s.clinic, &s.actor);
    match command {
        AuditCommand::NameDigest { name } => {
            let digest = clinic.unknown_name_digest(actor, name)?;
            done(out, json!({"digest": digest}), &digest);
        }
        AuditCommand::Verify => {
            let check = clinic.audit_verify(actor)?;
            if out.json {
                out.line(&json!({"intact": check.intact, "report": check}));
            } else if check.intact {
                println!(
                    "intact: {} rows; head {} {}; {}; {} records match their digests{}",
                    check.chain.rows,
                    check.chain.head_id,
                    check.chain.head_hash,
                    head_line(&check.head),
                    check.records.checked - check.records.unsealed,
                    match check.records.unsealed {
                        0 => String::new(),
                        n => format!(" ({n} stored before digests, not checked)"),
                    }
                );
            } else {
                println!("BROKEN: {}", check.summary());
            }
            if !check.intact {
                return Err(ClinicError::Store(store::StoreError::Tampered {
                    path: clinic.store().path().to_path_buf(),
                    detail: check.summary(),
                }));
            }
        }
        AuditCommand::Export { format, out: file } => {
            let format = match format.as_str() {
                "csv" => ExportFormat::Csv,
                "jsonl" | "json" => ExportFormat::JsonLines,
                other => {
                    return Err(ClinicError::InvalidInput(format!(
                        "unknown format {other:?} (csv or jsonl)"
                    )))
                }
            };
            let n = match file {
                Some(path) => {
                    let mut f = std::fs::File::create(path).map_err(|e| {
                        ClinicError::InvalidInput(format!("cannot write {}: {e}", path.display()))
                    })?;
                    clinic.audit_export(actor, format, &mut f)?
                }
                None => clinic.audit_export(actor, format, &mut std::io::stdout().lock())?,
            };
            if file.is_some() {
                done(out, json!({"rows": n}), &format!("exported {n} rows"));
            }
        }
        AuditCommand::List { by, action, limit } => {
            let rows = clinic.audit_list(
                actor,
                &AuditFilter {
                    username: by.clone(),
                    action: action.clone(),
                    limit: Some(*limit),
                    ..AuditFilter::default()
                },
            )?;
            if out.json {
                out.line(&json!({ "rows": rows }));
            } else {
                let mut stdout = std::io::stdout().lock();
                for r in rows {
                    let _ = writeln!(
                        stdout,
                        "{:>6} {} {:<16} {:<9} {:<20} {:<8} {}:{} {}",
                        r.id,
                        r.at,
                        r.username,
                        r.role,
                        r.action,
                        r.outcome,
                        r.object_kind,
                        r.object_id,
                        r.detail
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn backup(s: &Session, dest: &Path, out: &Output) -> Result<(), ClinicError> {
    let report = s.clinic.backup(&s.actor, dest)?;
    done(
        out,
        json!({"path": dest.display().to_string(), "snapshot": report}),
        &format!(
            "wrote {} ({} users, {} documents, audit head {})",
            dest.display(),
            report.users,
            report.documents,
            report.audit.head_id
        ),
    );
    Ok(())
}

pub fn restore(s: &Session, snapshot: &Path, out: &Output) -> Result<(), ClinicError> {
    let report = s.clinic.restore(&s.actor, snapshot)?;
    done(
        out,
        json!({"path": snapshot.display().to_string(), "snapshot": report}),
        &format!(
            "restored {} ({} users, {} documents); search index rebuilt",
            snapshot.display(),
            report.users,
            report.documents
        ),
    );
    Ok(())
}

/// How the log compares with the head written down beside the data directory, in words.
fn head_line(head: &store::HeadCheck) -> String {
    match head {
        store::HeadCheck::Matches {
            recorded_id,
            recorded_at,
        } => format!("reaches the head written down at {recorded_at} (row {recorded_id})"),
        store::HeadCheck::NotYetRecorded => "no head written down yet".to_string(),
        other => format!("{other:?}"),
    }
}
