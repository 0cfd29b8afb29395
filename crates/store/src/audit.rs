//! The audit trail: an append-only, hash-chained log of who did what.
//!
//! Each row's hash is SHA-256 over the previous row's hash and this row's fields, each
//! length-prefixed so that no two different rows encode alike. Changing, inserting or removing
//! a row in the middle breaks every link after it; [`Store::verify_audit_chain`] finds the first
//! broken one. Removing rows at the end leaves a shorter, valid chain, which is why the report
//! includes the head hash: an auditor who wrote it down can compare (docs/security.md).

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Result, Store};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How an attempted action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It happened.
    Ok,
    /// The role policy, a lock or a wrong password refused it.
    Denied,
    /// It was allowed but failed.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// A row to append. `detail` is JSON chosen by the caller: ids, model names, counts; never
/// a patient's words.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// User name, or empty when nobody is logged in.
    pub username: String,
    /// Their role, or empty.
    pub role: String,
    /// What was attempted (`access::Action` names, plus `login`, `logout`, …).
    pub action: String,
    /// What kind of object: `patient`, `encounter`, `document`, `model`, `setting`, `user`, …
    pub object_kind: String,
    /// Which one.
    pub object_id: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Details as JSON text.
    pub detail: String,
}

/// A stored row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Sequence number.
    pub id: i64,
    /// UTC, RFC 3339 with milliseconds.
    pub at: String,
    /// User name.
    pub username: String,
    /// Role.
    pub role: String,
    /// Action.
    pub action: String,
    /// Object kind.
    pub object_kind: String,
    /// Object id.
    pub object_id: String,
    /// `ok`, `denied` or `failed`.
    pub outcome: String,
    /// JSON.
    pub detail: String,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// Which rows to list; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this user.
    pub username: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this outcome.
    pub outcome: Option<String>,
    /// At or after (RFC 3339 prefix, e.g. `2026-11-28`).
    pub since: Option<String>,
    /// Before (RFC 3339 prefix).
    pub until: Option<String>,
    /// Only rows with a smaller id (paging backwards).
    pub before_id: Option<i64>,
    /// At most this many, newest first.
    pub limit: Option<u32>,
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Rows checked.
    pub rows: u64,
    /// The last row's id and hash, to write down outside the machine.
    pub head_id: i64,
    /// See `head_id`.
    pub head_hash: String,
    /// The first row whose link does not hold, if any.
    pub first_broken: Option<i64>,
    /// Why it does not hold.
    pub reason: Option<String>,
}

impl ChainReport {
    /// True when every link holds.
    pub fn intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

fn row_hash(prev_hash: &str, id: i64, r: &RowFields<'_>) -> String {
    let mut h = Sha256::new();
    for field in [
        prev_hash,
        &id.to_string(),
        r.at,
        r.username,
        r.role,
        r.action,
        r.object_kind,
        r.object_id,
        r.outcome,
        r.detail,
    ] {
        h.update((field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    hex::encode(h.finalize())
}

struct RowFields<'a> {
    at: &'a str,
    username: &'a str,
    role: &'a str,
    action: &'a str,
    object_kind: &'a str,
    object_id: &'a str,
    outcome: &'a str,
    detail: &'a str,
}

/// Appends one row on `conn`, which should be inside the caller's transaction so that the
/// change and its record commit together.
pub(crate) fn append(conn: &Connection, e: &AuditEntry) -> Result<i64> {
    let (last_id, prev_hash): (i64, String) = conn
        .query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS.to_string()));
    let id = last_id + 1;
    let at: String = conn.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", [], |r| {
        r.get(0)
    })?;
    let fields = RowFields {
        at: &at,
        username: &e.username,
        role: &e.role,
        action: &e.action,
        object_kind: &e.object_kind,
        object_id: &e.object_id,
        outcome: e.outcome.as_str(),
        detail: &e.detail,
    };
    let hash = row_hash(&prev_hash, id, &fields);
    conn.execute(
        "INSERT INTO audit_log (id, at, username, role, action, object_kind, object_id, outcome,
                                detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            id,
            at,
            e.username,
            e.role,
            e.action,
            e.object_kind,
            e.object_id,
            fields.outcome,
            e.detail,
            prev_hash,
            hash
        ],
    )?;
    Ok(id)
}

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRecord> {
    Ok(AuditRecord {
        id: r.get(0)?,
        at: r.get(1)?,
        username: r.get(2)?,
        role: r.get(3)?,
        action: r.get(4)?,
        object_kind: r.get(5)?,
        object_id: r.get(6)?,
        outcome: r.get(7)?,
        detail: r.get(8)?,
        prev_hash: r.get(9)?,
        hash: r.get(10)?,
    })
}

const COLUMNS: &str =
    "id, at, username, role, action, object_kind, object_id, outcome, detail, prev_hash, hash";

/// `detail` with the record's digest after a change (`"digest"`) and before it (`"previous"`,
/// null for a new record).
pub(crate) fn with_digest(
    conn: &Connection,
    detail: &str,
    after: &str,
    before: Option<&str>,
) -> Result<String> {
    Ok(conn.query_row(
        "SELECT json_set(CASE WHEN json_valid(?1) THEN ?1 ELSE '{}' END,
                         '$.digest', ?2, '$.previous', ?3)",
        params![detail, after, before],
        |r| r.get(0),
    )?)
}

/// A write transaction that takes the write lock at once. Appending reads the last row and
/// then inserts after it; a deferred transaction could see another process (the CLI beside
/// the window) commit in between and fail with `SQLITE_BUSY_SNAPSHOT` instead of waiting.
pub(crate) fn immediate(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>> {
    Ok(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
}

/// Walks the chain on `conn` from the first row.
pub(crate) fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))?;
    let mut rows = stmt.query([])?;
    let mut report = ChainReport {
        rows: 0,
        head_id: 0,
        head_hash: GENESIS.to_string(),
        first_broken: None,
        reason: None,
    };
    let mut expected_id = 1;
    while let Some(row) = rows.next()? {
        let r = record(row)?;
        report.rows += 1;
        let reason = if r.id != expected_id {
            Some(format!("expected row {expected_id}, found row {}", r.id))
        } else if r.prev_hash != report.head_hash {
            Some("does not link to the row before it".to_string())
        } else {
            let fields = RowFields {
                at: &r.at,
                username: &r.username,
                role: &r.role,
                action: &r.action,
                object_kind: &r.object_kind,
                object_id: &r.object_id,
                outcome: &r.outcome,
                detail: &r.detail,
            };
            (row_hash(&r.prev_hash, r.id, &fields) != r.hash)
                .then(|| "its contents do not match its hash".to_string())
        };
        if let Some(reason) = reason {
            report.first_broken = Some(r.id);
            report.reason = Some(reason);
            break;
        }
        report.head_id = r.id;
        report.head_hash = r.hash;
        expected_id += 1;
    }
    Ok(report)
}

impl Store {
    /// Appends one audit row on its own (a denied attempt, a read).
    pub fn audit(&self, entry: &AuditEntry) -> Result<i64> {
        let mut conn = self.conn();
        let tx = immediate(&mut conn)?;
        let id = append(&tx, entry)?;
        tx.commit()?;
        Ok(id)
    }

    /// Rows matching `filter`, newest first.
    pub fn audit_list(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>> {
        let conn = self.conn();
        let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE 1=1");
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        let mut narrow = |clause: &str, value: Box<dyn rusqlite::ToSql>| {
            args.push(value);
            sql.push_str(&format!(" AND {clause} ?{}", args.len()));
        };
        if let Some(u) = &filter.username {
            narrow("username =", Box::new(u.clone()));
        }
        if let Some(a) = &filter.action {
            narrow("action =", Box::new(a.clone()));
        }
        if let Some(o) = &filter.outcome {
            narrow("outcome =", Box::new(o.clone()));
        }
        if let Some(s) = &filter.since {
            narrow("at >=", Box::new(s.clone()));
        }
        if let Some(u) = &filter.until {
            narrow("at <", Box::new(u.clone()));
        }
        if let Some(b) = filter.before_id {
            narrow("id <", Box::new(b));
        }
        sql.push_str(&format!(
            " ORDER BY id DESC LIMIT {}",
            filter.limit.unwrap_or(200).min(10_000)
        ));
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), record)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every row in order, for export.
    pub fn audit_for_each(&self, mut f: impl FnMut(AuditRecord) -> Result<()>) -> Result<()> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(record(row)?)?;
        }
        Ok(())
    }

    /// Walks the whole chain and reports the first broken link.
    pub fn verify_audit_chain(&self) -> Result<ChainReport> {
        verify_chain(&self.conn())
    }

    /// Runs `change` and appends `entry` in one transaction: either both are stored or
    /// neither is, so no change escapes the record.
    pub fn audited<T>(
        &self,
        entry: &AuditEntry,
        change: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        self.audited_with(change, |_| entry.clone())
    }

    /// Like [`Store::audited_with`], for a change to a clinical record. The audit row also
    /// carries `digest` of the record after the change (`"digest"` in `detail`) and, for a
    /// record that existed (`existing`), before it (`"previous"`): a later edit made outside
    /// Bedside no longer matches the last row about the record, and one made between two
    /// changes breaks the link from one row to the next ([`Store::verify_records`]).
    pub(crate) fn audited_record<T>(
        &self,
        existing: Option<i64>,
        digest: impl Fn(&Connection, i64) -> Result<String>,
        change: impl FnOnce(&Connection) -> Result<T>,
        id_of: impl FnOnce(&T) -> i64,
        entry: impl FnOnce(&T) -> AuditEntry,
    ) -> Result<T> {
        let mut conn = self.conn();
        let tx = immediate(&mut conn)?;
        let before = existing.map(|id| digest(&tx, id)).transpose()?;
        let out = change(&tx)?;
        let after = digest(&tx, id_of(&out))?;
        let mut e = entry(&out);
        e.detail = with_digest(&tx, &e.detail, &after, before.as_deref())?;
        append(&tx, &e)?;
        tx.commit()?;
        Ok(out)
    }

    /// Like [`Store::audited`], for a record that names what the change produced (the new
    /// row's id, a counter's new value).
    pub fn audited_with<T>(
        &self,
        change: impl FnOnce(&Connection) -> Result<T>,
        entry: impl FnOnce(&T) -> AuditEntry,
    ) -> Result<T> {
        let mut conn = self.conn();
        let tx = immediate(&mut conn)?;
        let out = change(&tx)?;
        append(&tx, &entry(&out))?;
        tx.commit()?;
        Ok(out)
    }
}
