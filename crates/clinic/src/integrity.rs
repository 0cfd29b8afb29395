//! Whether the audit log and the clinical records are still what Bedside wrote.
//!
//! Three checks, because each catches what the others cannot: the hash chain finds a row
//! changed, inserted or removed in the middle of the log; the head written down beside the
//! data directory ([`store::HeadFile`]) finds rows cut off its end; and the digest each
//! change of a clinical record leaves in its audit row finds the record edited in the
//! database afterwards (a vital sign, a level). The window runs all three at start and warns
//! an admin; `bedside audit verify` and the admin's Verify button run them on demand.

use access::Action;
use serde::Serialize;
use serde_json::json;
use store::{AuditFilter, AuditRecord, ChainReport, HeadCheck, HeadFile, Outcome, RecordCheck};

use crate::auth::{entry, Actor};
use crate::{Clinic, Result};

/// The audit row of a failed check at start.
pub const ALARM_ACTION: &str = "audit_alarm";

/// The audit row of an admin acknowledging alarms up to a row (`detail.up_to`).
pub const ALARM_ACK_ACTION: &str = "audit_alarm_ack";

/// What the three checks found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditCheck {
    /// True when all three hold.
    pub intact: bool,
    /// The hash chain (its fields at the top level, as before the other two existed).
    #[serde(flatten)]
    pub chain: ChainReport,
    /// The log against the head written down outside the database.
    pub head: HeadCheck,
    /// The clinical records against the digests in their audit rows.
    pub records: RecordCheck,
}

impl AuditCheck {
    fn new(chain: ChainReport, head: HeadCheck, records: RecordCheck) -> AuditCheck {
        AuditCheck {
            intact: chain.intact() && head.holds() && records.altered.is_empty(),
            chain,
            head,
            records,
        }
    }

    /// A line for the system log and the process log: row numbers and states, never a
    /// patient's data.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(row) = self.chain.first_broken {
            parts.push(format!("chain broken at row {row}"));
        }
        match &self.head {
            HeadCheck::RowsMissing {
                recorded_id,
                head_id,
                ..
            } => parts.push(format!(
                "rows {}..={recorded_id} are missing from the end",
                head_id + 1
            )),
            HeadCheck::Differs { recorded_id, .. } => parts.push(format!(
                "row {recorded_id} differs from the head written down"
            )),
            HeadCheck::FileMissing { path } => {
                parts.push(format!("head file {} is missing", path.display()))
            }
            HeadCheck::Unreadable { reason } => {
                parts.push(format!("head file unreadable: {reason}"))
            }
            HeadCheck::Unwritable { path, reason } => parts.push(format!(
                "the head cannot be written down in {}: {reason}",
                path.display()
            )),
            HeadCheck::Matches { .. } | HeadCheck::NotYetRecorded => {}
        }
        if !self.records.altered.is_empty() {
            let ids: Vec<String> = self
                .records
                .altered
                .iter()
                .map(|r| format!("{} {}", r.kind, r.id))
                .collect();
            parts.push(format!(
                "records changed outside Bedside: {}",
                ids.join(", ")
            ));
        }
        if parts.is_empty() {
            format!("audit log intact to row {}", self.chain.head_id)
        } else {
            parts.join("; ")
        }
    }
}

impl Clinic {
    /// The head file of this data directory.
    pub fn head_file(&self) -> &HeadFile {
        &self.head_file
    }

    /// Runs the three checks. Not audited and not role-checked: the window runs it at start
    /// for everyone's protection; [`Clinic::audit_verify`] is the admin's audited way in.
    pub(crate) fn audit_check(&self) -> Result<AuditCheck> {
        let chain = self.store().verify_audit_chain()?;
        let head = self.store().check_head(&self.head_file)?;
        let records = self.store().verify_records()?;
        Ok(AuditCheck::new(chain, head, records))
    }

    /// Writes the chain's head down beside the data directory and in the system log, after
    /// `event` (`login`, `logout`, `record` after each change to a clinical record, `end` of a
    /// CLI command, `hourly`, `start`, `exit` of the window). Best effort: a workstation whose parent
    /// folder is read-only still lets its users work; the missing file then shows in every
    /// check as "not yet recorded", and the failure goes to the process log.
    pub fn mark_audit_head(&self, event: &str) {
        if let Err(e) = self.try_mark_audit_head(event, None) {
            tracing::warn!(event, error = %e, "the audit head could not be written down");
        }
    }

    fn try_mark_audit_head(&self, event: &str, note: Option<&str>) -> Result<()> {
        let mark = self.store().head_mark(event)?;
        let created = self
            .head_file
            .append(&mark)
            .map_err(|e| crate::ClinicError::DataDir {
                path: self.head_file.path().to_path_buf(),
                message: e.to_string(),
            })?;
        self.head_file.tell_system_log(
            false,
            &format!(
                "audit head {event} {} row {} {}{}",
                self.data_dir.display(),
                mark.head_id,
                mark.head_hash,
                note.map(|n| format!(" ({n})")).unwrap_or_default()
            ),
        );
        if created {
            self.store().audit(&entry(
                None,
                store::audit_head::HEAD_STARTED_ACTION,
                ("audit", ""),
                Outcome::Ok,
                json!({"path": self.head_file.path().display().to_string()}),
            ))?;
        }
        Ok(())
    }

    /// Writes down that a restore rewound the chain on purpose, in the head file and the
    /// system log, naming the head it replaced.
    pub(crate) fn mark_restore(&self, replaced: &ChainReport) {
        let note = format!(
            "rewound on purpose by a restore; the replaced log ended at row {} {}",
            replaced.head_id, replaced.head_hash
        );
        if let Err(e) = self.try_mark_audit_head(store::audit_head::RESTORE_EVENT, Some(&note)) {
            tracing::warn!(error = %e, "the restore could not be written down beside the data directory");
        }
    }

    /// The window's check at start: runs the three checks; when one fails, records an
    /// `audit_alarm` row, warns in the system log and the process log, and returns the finding
    /// for the admin's screen. Then writes the head down (after the alarm row, so that cutting
    /// it off the log is itself found at the next start); after an alarm the mark says so, and
    /// later starts compare with the log as it was found.
    pub fn check_at_start(&self) -> Result<AuditCheck> {
        let mut check = self.audit_check()?;
        if check.intact {
            // A head that cannot be written down leaves the log's end unprotected for as long
            // as that lasts: an admin must hear of it, not only the process log.
            if let Err(e) = self.try_mark_audit_head("start", None) {
                check = AuditCheck::new(
                    check.chain,
                    HeadCheck::Unwritable {
                        path: self.head_file.path().to_path_buf(),
                        reason: e.to_string(),
                    },
                    check.records,
                );
            }
        }
        if check.intact && !self.store().records_sealed()? {
            self.seal_records_once();
        }
        if !check.intact {
            let summary = check.summary();
            tracing::warn!(finding = %summary, "the audit log failed its start check");
            self.head_file.tell_system_log(
                true,
                &format!("audit check failed {}: {summary}", self.data_dir.display()),
            );
            self.store().audit(&entry(
                None,
                ALARM_ACTION,
                ("audit", ""),
                Outcome::Failed,
                json!({
                    "first_broken": check.chain.first_broken,
                    "head": check.head,
                    "altered": check.records.altered,
                }),
            ))?;
            self.mark_audit_head(store::audit_head::ALARM_EVENT);
        }
        Ok(check)
    }
}

impl Clinic {
    /// Seals, once and only after a check that passed, the encounters stored before digests
    /// existed, as they stand (`encounter_seal` rows, then `records_sealed`). After a failed
    /// check nothing is sealed: that would vouch for what may have been edited. A failure to
    /// seal is only logged: the next start tries again.
    fn seal_records_once(&self) {
        let sealed = self.store().seal_unsealed_encounters(
            |id| {
                entry(
                    None,
                    "encounter_seal",
                    ("encounter", &id.to_string()),
                    Outcome::Ok,
                    json!({"reason": "stored before records were sealed"}),
                )
            },
            |count| {
                entry(
                    None,
                    "",
                    ("audit", ""),
                    Outcome::Ok,
                    json!({ "sealed": count }),
                )
            },
        );
        match sealed {
            Ok(_) => self.mark_audit_head("seal"),
            Err(e) => tracing::warn!(code = e.code(), "the older encounters could not be sealed"),
        }
    }

    /// The alarms (failed checks at start) no admin has acknowledged yet, newest first (admins
    /// only). Neither recorded nor role-refused in the log: the window asks on every refresh
    /// of an admin's session and shows them at every login, on every workstation, until one
    /// acknowledges them, however the window that raised them ended.
    pub fn pending_audit_alarms(&self, actor: &Actor) -> Result<Vec<AuditRecord>> {
        Action::ReadAudit.check(actor.role())?;
        let newest = |action: &str, limit: u32| {
            self.store().audit_list(&AuditFilter {
                action: Some(action.to_string()),
                limit: Some(limit),
                ..AuditFilter::default()
            })
        };
        // An acknowledgement covers alarms before it, never later ones, whatever it says.
        let acknowledged = newest(ALARM_ACK_ACTION, 1)?
            .first()
            .map(|r| {
                let up_to = serde_json::from_str::<serde_json::Value>(&r.detail)
                    .ok()
                    .and_then(|d| d["up_to"].as_i64())
                    .unwrap_or(0);
                up_to.min(r.id)
            })
            .unwrap_or(0);
        Ok(newest(ALARM_ACTION, 50)?
            .into_iter()
            .filter(|r| r.id > acknowledged)
            .collect())
    }

    /// An admin has seen the alarms up to row `up_to` and taken them on (admin only; recorded).
    /// The findings stay in the log; only the banner goes.
    pub fn acknowledge_audit_alarms(&self, actor: &Actor, up_to: i64) -> Result<()> {
        self.authorize(actor, Action::ReadAudit)?;
        let newest = self
            .store()
            .audit_list(&AuditFilter {
                action: Some(ALARM_ACTION.to_string()),
                limit: Some(1),
                ..AuditFilter::default()
            })?
            .first()
            .map_or(0, |r| r.id);
        if up_to < 1 || up_to > newest {
            return Err(crate::ClinicError::InvalidInput(format!(
                "there is no audit alarm at row {up_to} to acknowledge"
            )));
        }
        self.store().audit(&entry(
            Some(actor),
            ALARM_ACK_ACTION,
            ("audit", &up_to.to_string()),
            Outcome::Ok,
            json!({ "up_to": up_to }),
        ))?;
        // Witnessed outside the database: an acknowledgement forged into the log later has
        // no line in the system log.
        self.mark_audit_head("alarm_ack");
        Ok(())
    }
}
