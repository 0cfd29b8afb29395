//! Admin workflows: the audit log, settings, backup and restore.

use std::io::Write;
use std::path::Path;

use access::Action;
use serde_json::json;
use store::{AuditFilter, AuditRecord, Outcome, SnapshotReport};

use crate::auth::{entry, Actor};
use crate::{AuditCheck, Clinic, ClinicError, Result};

/// Minutes of inactivity before the window locks, unless an admin changed it.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 5;
/// The range an admin may choose from.
pub const IDLE_LOCK_RANGE: std::ops::RangeInclusive<u32> = 1..=60;
const IDLE_LOCK_KEY: &str = "idle_lock_minutes";

/// How an audit export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One header line, then one line per row, RFC 4180 quoting.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// One CSV field. A field a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab
/// or a carriage return first) gets a leading `'`: a user name such as `=HYPERLINK(…)`,
/// typed at the login screen, must not run when an auditor opens the export. Only the CSV is
/// changed this way; the JSON-lines export stays exact, so the chain can be re-verified
/// from it.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(r: &AuditRecord) -> String {
    [
        r.id.to_string().as_str(),
        &r.at,
        &r.username,
        &r.role,
        &r.action,
        &r.object_kind,
        &r.object_id,
        &r.outcome,
        &r.detail,
        &r.prev_hash,
        &r.hash,
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

impl Clinic {
    /// Audit rows, newest first (admin only). Reading the log is itself recorded, with the
    /// filter used: who looked at whose activity is part of the trail.
    pub fn audit_list(&self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<AuditRecord>> {
        self.authorize(actor, Action::ReadAudit)?;
        let rows = self.store().audit_list(filter)?;
        self.store().audit(&entry(
            Some(actor),
            "audit_read",
            ("audit", ""),
            Outcome::Ok,
            json!({
                "rows": rows.len(),
                "username": filter.username,
                "action": filter.action,
                "outcome": filter.outcome,
                "since": filter.since,
                "until": filter.until,
            }),
        ))?;
        Ok(rows)
    }

    /// Walks the audit chain, compares its end with the head written down outside the
    /// database and the clinical records with their digests (admin only); the check itself
    /// is recorded.
    pub fn audit_verify(&self, actor: &Actor) -> Result<AuditCheck> {
        self.authorize(actor, Action::ReadAudit)?;
        let check = self.audit_check()?;
        self.store().audit(&entry(
            Some(actor),
            "audit_verify",
            ("audit", ""),
            Outcome::Ok,
            json!({
                "rows": check.chain.rows,
                "intact": check.intact,
                "first_broken": check.chain.first_broken,
                "head": check.head,
                "altered": check.records.altered,
            }),
        ))?;
        Ok(check)
    }

    /// Writes the whole log for an auditor (admin only); returns the number of rows.
    pub fn audit_export(
        &self,
        actor: &Actor,
        format: ExportFormat,
        out: &mut dyn Write,
    ) -> Result<u64> {
        self.authorize(actor, Action::ReadAudit)?;
        let io = |e: std::io::Error| ClinicError::InvalidInput(format!("cannot write: {e}"));
        if format == ExportFormat::Csv {
            writeln!(
                out,
                "id,at,username,role,action,object_kind,object_id,outcome,detail,prev_hash,hash"
            )
            .map_err(io)?;
        }
        let mut n = 0;
        self.store().audit_for_each(|r| {
            let line = match format {
                ExportFormat::Csv => csv_line(&r),
                ExportFormat::JsonLines => serde_json::to_string(&r).unwrap_or_default(),
            };
            writeln!(out, "{line}").map_err(|e| store::StoreError::Open {
                path: "export".into(),
                message: e.to_string(),
            })?;
            n += 1;
            Ok(())
        })?;
        out.flush().map_err(io)?;
        self.store().audit(&entry(
            Some(actor),
            "audit_export",
            ("audit", ""),
            Outcome::Ok,
            json!({"rows": n}),
        ))?;
        Ok(n)
    }

    /// Minutes of inactivity before the window locks.
    pub fn idle_lock_minutes(&self) -> Result<u32> {
        Ok(self
            .store()
            .setting(IDLE_LOCK_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|m| IDLE_LOCK_RANGE.contains(m))
            .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES))
    }

    /// Changes the idle-lock time (admin only).
    pub fn set_idle_lock_minutes(&self, actor: &Actor, minutes: u32) -> Result<()> {
        self.authorize(actor, Action::ChangeSettings)?;
        if !IDLE_LOCK_RANGE.contains(&minutes) {
            return Err(ClinicError::InvalidInput(format!(
                "the idle lock must be between {} and {} minutes",
                IDLE_LOCK_RANGE.start(),
                IDLE_LOCK_RANGE.end()
            )));
        }
        let old = self.idle_lock_minutes()?;
        self.store().set_setting(
            IDLE_LOCK_KEY,
            &minutes.to_string(),
            &entry(
                Some(actor),
                "setting_change",
                ("setting", IDLE_LOCK_KEY),
                Outcome::Ok,
                json!({"from": old, "to": minutes}),
            ),
        )?;
        Ok(())
    }

    /// Writes a consistent encrypted snapshot of the database to `dest` (admin only).
    pub fn backup(&self, actor: &Actor, dest: &Path) -> Result<SnapshotReport> {
        self.authorize(actor, Action::Backup)?;
        let result = self.store().backup_to(dest);
        self.store().audit(&entry(
            Some(actor),
            "backup",
            ("database", &dest.display().to_string()),
            if result.is_ok() {
                Outcome::Ok
            } else {
                Outcome::Failed
            },
            json!({}),
        ))?;
        Ok(result?)
    }

    /// Replaces the database with a verified snapshot and rebuilds the search index from it
    /// (admin only). The restored log gains a row saying so, with the head of the log it
    /// replaced, so the auditor can tell what the restore rolled back.
    pub fn restore(&self, actor: &Actor, snapshot: &Path) -> Result<SnapshotReport> {
        self.authorize(actor, Action::Restore)?;
        let replaced = self.store().verify_audit_chain()?;
        let report = match self.store().restore_from(snapshot) {
            Ok(r) => r,
            Err(e) => {
                self.store().audit(&entry(
                    Some(actor),
                    "restore",
                    ("database", &snapshot.display().to_string()),
                    Outcome::Failed,
                    json!({"reason": e.code()}),
                ))?;
                return Err(e.into());
            }
        };
        // Recorded before anything else can fail: the data has been replaced.
        self.store().audit(&entry(
            Some(actor),
            "restore",
            ("database", &snapshot.display().to_string()),
            Outcome::Ok,
            json!({"replaced_head_id": replaced.head_id, "replaced_head_hash": replaced.head_hash}),
        ))?;
        self.mark_restore(&replaced);
        match self.rebuild_index() {
            Ok(_) => {}
            // Another process holds the index (an import in the window): the next open sees
            // the counts differ and rebuilds it from the restored database.
            Err(ClinicError::Library(library::LibraryError::Index(
                library::TantivyError::LockFailure(..),
            ))) => {}
            Err(e) => return Err(e),
        }
        Ok(report)
    }
}
