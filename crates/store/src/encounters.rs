//! Patients, triage encounters, their vital-sign observations, and unsaved intake drafts.
//!
//! Shaped for FHIR R4 (Patient, Encounter, Observation) so that an export is a mapping, not a
//! migration. Saving a triage writes the patient, the encounter, its observations and the audit
//! row in one transaction.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{AuditEntry, Result, Store, StoreError};

/// A patient as entered at the desk.
#[derive(Debug, Clone)]
pub struct NewPatient<'a> {
    /// Hospital ID (medical record number); the same ID finds the same patient again.
    pub hospital_id: Option<&'a str>,
    /// Name, possibly empty (not yet known).
    pub name: &'a str,
    /// `male`, `female`, `other` or `unknown` (FHIR administrative gender).
    pub sex: &'a str,
    /// ISO date, if known.
    pub birth_date: Option<&'a str>,
}

/// One vital sign.
#[derive(Debug, Clone)]
pub struct NewObservation<'a> {
    /// Code system: `http://loinc.org` or `urn:bedside`.
    pub system: &'a str,
    /// The code.
    pub code: &'a str,
    /// Human-readable name.
    pub display: &'a str,
    /// Numeric value.
    pub value: Option<f64>,
    /// Coded or text value (ACVPU, yes/no).
    pub value_text: Option<&'a str>,
    /// UCUM unit.
    pub unit: &'a str,
}

/// A triage decision to store.
#[derive(Debug, Clone)]
pub struct NewEncounter<'a> {
    /// RFC 3339; now when `None`.
    pub arrived_at: Option<&'a str>,
    /// Walk-in, ambulance, …
    pub arrival_mode: &'a str,
    /// Chief complaint.
    pub complaint: &'a str,
    /// The whole intake, JSON.
    pub intake_json: &'a str,
    /// The computed grades with their rule paths, JSON.
    pub grades_json: &'a str,
    /// The model's suggestion, JSON, if any.
    pub assist_json: Option<&'a str>,
    /// Computed by the rules.
    pub computed_esi: u8,
    /// Computed by the rules.
    pub computed_cn: u8,
    /// After the model's proposal (never less urgent than computed).
    pub suggested_esi: u8,
    /// After the model's proposal.
    pub suggested_cn: u8,
    /// The nurse's decision.
    pub final_esi: u8,
    /// The nurse's decision.
    pub final_cn: u8,
    /// Required when the decision differs from the suggestion.
    pub override_reason: Option<&'a str>,
    /// The final level's target time to be seen.
    pub response_minutes: u32,
    /// NEWS2 total (of the parameters known).
    pub news2_score: u8,
    /// NEWS2 risk band.
    pub news2_risk: &'a str,
    /// Whether every NEWS2 parameter was known.
    pub news2_complete: bool,
    /// User name of the nurse.
    pub triaged_by: &'a str,
    /// The kept assessment this decision was made on ([`Store::keep_assessment`]) and the
    /// digest of the intake being saved: the save uses it up, and only if it is still
    /// `triaged_by`'s, of this intake and unexpired.
    pub assessment: Option<(i64, &'a str)>,
}

/// A triage assessment as kept for the save that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAssessment {
    /// SHA-256 of the intake it graded.
    pub intake_digest: String,
    /// The model's suggestion, JSON, if the model made one.
    pub assist_json: Option<String>,
    /// Whether it is past its expiry (by the database's clock).
    pub expired: bool,
}

/// A stored encounter with its patient.
#[derive(Debug, Clone, Serialize)]
pub struct EncounterRecord {
    /// Encounter id.
    pub id: i64,
    /// Patient id.
    pub patient_id: i64,
    /// Hospital ID.
    pub hospital_id: Option<String>,
    /// Patient name.
    pub name: String,
    /// Patient sex.
    pub sex: String,
    /// Patient birth date.
    pub birth_date: Option<String>,
    /// FHIR status.
    pub status: String,
    /// Arrival time.
    pub arrived_at: String,
    /// Arrival mode.
    pub arrival_mode: String,
    /// Chief complaint.
    pub complaint: String,
    /// Intake JSON.
    pub intake_json: String,
    /// Grades JSON.
    pub grades_json: String,
    /// Model suggestion JSON.
    pub assist_json: Option<String>,
    /// Computed ESI.
    pub computed_esi: u8,
    /// Computed Chinese grade.
    pub computed_cn: u8,
    /// Suggested ESI.
    pub suggested_esi: u8,
    /// Suggested Chinese grade.
    pub suggested_cn: u8,
    /// Final ESI.
    pub final_esi: u8,
    /// Final Chinese grade.
    pub final_cn: u8,
    /// The nurse's reason for an override.
    pub override_reason: Option<String>,
    /// Target minutes to be seen.
    pub response_minutes: u32,
    /// NEWS2 total.
    pub news2_score: u8,
    /// NEWS2 risk band.
    pub news2_risk: String,
    /// Whether NEWS2 was complete.
    pub news2_complete: bool,
    /// Who triaged.
    pub triaged_by: String,
    /// When the triage ended (the decision was saved): the response time counts from here.
    pub triaged_at: String,
    /// The final level is less urgent than the computed one (safety floor included).
    pub downgraded: bool,
}

/// A stored observation.
#[derive(Debug, Clone, Serialize)]
pub struct ObservationRecord {
    /// Code system.
    pub system: String,
    /// Code.
    pub code: String,
    /// Name.
    pub display: String,
    /// Numeric value.
    pub value: Option<f64>,
    /// Text value.
    pub value_text: Option<String>,
    /// Unit.
    pub unit: String,
    /// When.
    pub recorded_at: String,
}

const COLUMNS: &str = "e.id, e.patient_id, p.hospital_id, p.name, p.sex, p.birth_date, e.status,
    e.arrived_at, e.arrival_mode, e.complaint, e.intake_json, e.grades_json, e.assist_json,
    e.computed_esi, e.computed_cn, e.suggested_esi, e.suggested_cn, e.final_esi, e.final_cn,
    e.override_reason, e.response_minutes, e.news2_score, e.news2_risk, e.news2_complete,
    e.triaged_by, e.triaged_at, e.downgraded";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<EncounterRecord> {
    Ok(EncounterRecord {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        hospital_id: r.get(2)?,
        name: r.get(3)?,
        sex: r.get(4)?,
        birth_date: r.get(5)?,
        status: r.get(6)?,
        arrived_at: r.get(7)?,
        arrival_mode: r.get(8)?,
        complaint: r.get(9)?,
        intake_json: r.get(10)?,
        grades_json: r.get(11)?,
        assist_json: r.get(12)?,
        computed_esi: r.get(13)?,
        computed_cn: r.get(14)?,
        suggested_esi: r.get(15)?,
        suggested_cn: r.get(16)?,
        final_esi: r.get(17)?,
        final_cn: r.get(18)?,
        override_reason: r.get(19)?,
        response_minutes: r.get(20)?,
        news2_score: r.get(21)?,
        news2_risk: r.get(22)?,
        news2_complete: r.get(23)?,
        triaged_by: r.get(24)?,
        triaged_at: r.get(25)?,
        downgraded: r.get(26)?,
    })
}

/// The patient with this hospital ID, or a new one. A known patient's details are only ever
/// filled in, never replaced: an ID typed wrong must not rename someone else in every past
/// encounter, so a name or birth date that contradicts the record is refused.
fn upsert_patient(c: &Connection, p: &NewPatient<'_>) -> Result<i64> {
    let hospital_id = p.hospital_id.map(str::trim).filter(|h| !h.is_empty());
    if let Some(hid) = hospital_id {
        let found: Option<(i64, String, Option<String>)> = c
            .query_row(
                "SELECT id, name, birth_date FROM patients WHERE hospital_id = ?1",
                [hid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        if let Some((id, name, birth_date)) = found {
            let name_differs = !p.name.is_empty()
                && !name.is_empty()
                && !name.trim().eq_ignore_ascii_case(p.name.trim());
            let birth_differs =
                matches!((p.birth_date, &birth_date), (Some(new), Some(old)) if new != old);
            if name_differs || birth_differs {
                return Err(StoreError::Conflict {
                    what: "patient with this hospital ID",
                    id: hid.to_string(),
                });
            }
            c.execute(
                "UPDATE patients SET
                   name = CASE WHEN name = '' THEN ?2 ELSE name END,
                   sex = CASE WHEN sex = 'unknown' THEN ?3 ELSE sex END,
                   birth_date = coalesce(birth_date, ?4)
                 WHERE id = ?1",
                params![id, p.name, p.sex, p.birth_date],
            )?;
            return Ok(id);
        }
    }
    c.execute(
        "INSERT INTO patients (hospital_id, name, sex, birth_date) VALUES (?1, ?2, ?3, ?4)",
        params![hospital_id, p.name, p.sex, p.birth_date],
    )?;
    Ok(c.last_insert_rowid())
}

/// The audit rows that seal an encounter: a change (or the one-time seal) that recorded its
/// digest. Sealing and checking use this one condition, so they cannot disagree.
const SEALS: &str = "object_kind = 'encounter' AND outcome = 'ok' AND json_valid(detail)
                     AND json_extract(detail, '$.digest') IS NOT NULL";

/// The audit row written once, when the encounters from before digests were sealed.
pub const RECORDS_SEALED_ACTION: &str = "records_sealed";

/// A clinical record named in a [`RecordCheck`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordRef {
    /// `encounter` (later: `note`).
    pub kind: &'static str,
    /// Its id.
    pub id: i64,
}

impl RecordRef {
    fn encounter(id: i64) -> RecordRef {
        RecordRef {
            kind: "encounter",
            id,
        }
    }
}

/// Whether the clinical records still match the digests their audit rows recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordCheck {
    /// Records looked at.
    pub checked: u64,
    /// Records with no digest yet (stored before digests were written).
    pub unsealed: u64,
    /// Records that differ from their last recorded digest, or are gone.
    pub altered: Vec<RecordRef>,
}

/// SHA-256 over the clinical content of encounter `id` as stored: the encounter's own columns
/// (intake, grades, the model's suggestion, the levels, the reason, the status), the hospital
/// ID of its patient (which Bedside never changes once set, so a swap is an edit) and its
/// observations in order. The rest of the patient row is left out: it is shared by the
/// patient's encounters, and a later one legitimately fills in a name, sex or birth date left
/// blank. Each value is written with its SQLite type and length, so that no two different
/// records encode alike.
pub(crate) fn encounter_digest(c: &Connection, id: i64) -> Result<String> {
    let mut h = Sha256::new();
    h.update(b"bedside-encounter-v1");
    let mut stmt = c.prepare_cached(
        "SELECT patient_id, (SELECT hospital_id FROM patients WHERE id = e.patient_id),
                status, arrived_at, arrival_mode, complaint, intake_json,
                grades_json, assist_json, computed_esi, computed_cn, suggested_esi, suggested_cn,
                final_esi, final_cn, override_reason, response_minutes, news2_score, news2_risk,
                news2_complete, triaged_by, triaged_at
         FROM encounters e WHERE id = ?1",
    )?;
    let mut rows = stmt.query([id])?;
    let row = rows.next()?.ok_or_else(|| StoreError::NotFound {
        what: "encounter",
        id: id.to_string(),
    })?;
    digest_row(&mut h, row, 22)?;
    let mut stmt = c.prepare_cached(
        "SELECT system, code, display, value, value_text, unit, recorded_at
         FROM observations WHERE encounter_id = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        h.update(b"observation");
        digest_row(&mut h, row, 7)?;
    }
    Ok(format!("sha256:{}", hex::encode(h.finalize())))
}

fn digest_row(h: &mut Sha256, row: &rusqlite::Row<'_>, columns: usize) -> Result<()> {
    use rusqlite::types::ValueRef;
    for i in 0..columns {
        match row.get_ref(i)? {
            ValueRef::Null => h.update([0u8]),
            ValueRef::Integer(n) => {
                h.update([1u8]);
                h.update(n.to_le_bytes());
            }
            ValueRef::Real(x) => {
                h.update([2u8]);
                h.update(x.to_bits().to_le_bytes());
            }
            ValueRef::Text(t) => {
                h.update([3u8]);
                h.update((t.len() as u64).to_le_bytes());
                h.update(t);
            }
            ValueRef::Blob(b) => {
                h.update([4u8]);
                h.update((b.len() as u64).to_le_bytes());
                h.update(b);
            }
        }
    }
    Ok(())
}

impl Store {
    /// Stores a triage: the patient (found again by hospital ID), the encounter, its vital
    /// signs and the audit row, all or nothing. Returns (encounter id, patient id).
    pub fn save_triage(
        &self,
        patient: &NewPatient<'_>,
        e: &NewEncounter<'_>,
        observations: &[NewObservation<'_>],
        audit: impl FnOnce(i64, i64) -> AuditEntry,
    ) -> Result<(i64, i64)> {
        self.audited_record(
            None,
            encounter_digest,
            |c| {
                // Checked and used up in the same transaction: two saves cannot both use one
                // assessment, and nothing can change it between the check and the save.
                if let Some((id, digest)) = e.assessment {
                    let used = c.execute(
                        "DELETE FROM triage_assessments
                         WHERE id = ?1 AND username = ?2 AND intake_digest = ?3
                           AND julianday(expires_at) > julianday('now')",
                        params![id, e.triaged_by, digest],
                    )?;
                    if used == 0 {
                        return Err(StoreError::NotFound {
                            what: "triage assessment",
                            id: id.to_string(),
                        });
                    }
                }
                let patient_id = upsert_patient(c, patient)?;
                c.execute(
                    "INSERT INTO encounters (patient_id, status, arrived_at, arrival_mode,
                        complaint, intake_json, grades_json, assist_json, computed_esi,
                        computed_cn, suggested_esi, suggested_cn, final_esi, final_cn,
                        override_reason, response_minutes, news2_score, news2_risk,
                        news2_complete, triaged_by)
                     VALUES (?1, 'triaged', coalesce(?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
                             ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                             ?18, ?19)",
                    params![
                        patient_id,
                        e.arrived_at,
                        e.arrival_mode,
                        e.complaint,
                        e.intake_json,
                        e.grades_json,
                        e.assist_json,
                        e.computed_esi,
                        e.computed_cn,
                        e.suggested_esi,
                        e.suggested_cn,
                        e.final_esi,
                        e.final_cn,
                        e.override_reason,
                        e.response_minutes,
                        e.news2_score,
                        e.news2_risk,
                        e.news2_complete,
                        e.triaged_by
                    ],
                )?;
                let encounter_id = c.last_insert_rowid();
                let mut stmt = c.prepare(
                    "INSERT INTO observations (encounter_id, system, code, display, value,
                        value_text, unit, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
                             (SELECT triaged_at FROM encounters WHERE id = ?1))",
                )?;
                for o in observations {
                    stmt.execute(params![
                        encounter_id,
                        o.system,
                        o.code,
                        o.display,
                        o.value,
                        o.value_text,
                        o.unit
                    ])?;
                }
                Ok((encounter_id, patient_id))
            },
            |(encounter_id, _)| *encounter_id,
            |(encounter_id, patient_id)| audit(*encounter_id, *patient_id),
        )
    }

    /// Encounters still waiting to be seen (status `triaged`), most urgent final level first,
    /// then by arrival, each with the minutes waited since the end of triage (by the database's
    /// clock): the consensus counts the response time from there, not from arrival.
    pub fn waiting_encounters(&self) -> Result<Vec<(EncounterRecord, f64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS}, (julianday('now') - julianday(e.triaged_at)) * 1440.0
             FROM encounters e JOIN patients p ON p.id = e.patient_id
             WHERE e.status = 'triaged'
             ORDER BY e.final_cn, julianday(e.arrived_at), e.id"
        ))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((record(r)?, r.get::<_, Option<f64>>(27)?.unwrap_or(0.0)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One encounter with its patient.
    pub fn encounter(&self, id: i64) -> Result<EncounterRecord> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM encounters e JOIN patients p ON p.id = e.patient_id
                     WHERE e.id = ?1"
                ),
                [id],
                record,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "encounter",
                id: id.to_string(),
            })
    }

    /// The encounter's vital signs.
    pub fn observations(&self, encounter_id: i64) -> Result<Vec<ObservationRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT system, code, display, value, value_text, unit, recorded_at
             FROM observations WHERE encounter_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([encounter_id], |r| {
                Ok(ObservationRecord {
                    system: r.get(0)?,
                    code: r.get(1)?,
                    display: r.get(2)?,
                    value: r.get(3)?,
                    value_text: r.get(4)?,
                    unit: r.get(5)?,
                    recorded_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Moves an encounter on (`in-progress` when the patient is called in), with its audit row.
    pub fn set_encounter_status(&self, id: i64, status: &str, audit: &AuditEntry) -> Result<()> {
        self.audited_record(
            Some(id),
            encounter_digest,
            |c| {
                let n = c.execute(
                    "UPDATE encounters SET status = ?2 WHERE id = ?1",
                    params![id, status],
                )?;
                if n == 0 {
                    return Err(StoreError::NotFound {
                        what: "encounter",
                        id: id.to_string(),
                    });
                }
                Ok(())
            },
            |_| id,
            |_| audit.clone(),
        )
    }

    /// Whether the encounters from before digests existed have been sealed (the audit row
    /// [`RECORDS_SEALED_ACTION`] exists). From then on an encounter without a digest was not
    /// stored by Bedside.
    pub fn records_sealed(&self) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = ?1)",
            [RECORDS_SEALED_ACTION],
            |r| r.get(0),
        )?)
    }

    /// Seals, once, the encounters no audit row has a digest of (stored before digests were
    /// written): one row each from `entry`, with the digest of the encounter as it stands,
    /// then `done` with their number, all in one transaction. From then on an edit to them is
    /// found like an edit to any other, and an encounter without a digest is reported as
    /// altered ([`Store::verify_records`]): only the first time may one be taken as it is.
    /// What they held before the seal cannot be vouched for. Returns how many were sealed.
    pub fn seal_unsealed_encounters(
        &self,
        entry: impl Fn(i64) -> AuditEntry,
        done: impl FnOnce(u64) -> AuditEntry,
    ) -> Result<u64> {
        let mut conn = self.conn();
        let tx = crate::audit::immediate(&mut conn)?;
        let ids: Vec<i64> = tx
            .prepare(&format!(
                "SELECT id FROM encounters
                 WHERE id NOT IN (SELECT CAST(object_id AS INTEGER) FROM audit_log WHERE {SEALS})
                 ORDER BY id"
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &ids {
            let digest = encounter_digest(&tx, *id)?;
            let mut e = entry(*id);
            e.detail = crate::audit::with_digest(&tx, &e.detail, &digest, None)?;
            crate::audit::append(&tx, &e)?;
        }
        let mut done = done(ids.len() as u64);
        done.action = RECORDS_SEALED_ACTION.to_string();
        crate::audit::append(&tx, &done)?;
        tx.commit()?;
        Ok(ids.len() as u64)
    }

    /// Compares every encounter with the digest in the last audit row that changed it, and
    /// each such row with the one before (the record as the change found it must be the
    /// record as the previous change left it). An encounter edited in the database (a vital
    /// sign, a level, a reason) outside Bedside no longer matches, even when a legitimate
    /// change came after the edit; one removed is reported too. Encounters stored before
    /// digests were written (schema 9 and earlier) have none until their next change and are
    /// counted as unsealed, not as altered.
    pub fn verify_records(&self) -> Result<RecordCheck> {
        let conn = self.conn();
        let mut seals: std::collections::BTreeMap<i64, String> = Default::default();
        let mut broken: std::collections::BTreeSet<i64> = Default::default();
        {
            let mut stmt = conn.prepare(&format!(
                "SELECT CAST(object_id AS INTEGER), json_extract(detail, '$.digest'),
                        json_extract(detail, '$.previous')
                 FROM audit_log WHERE {SEALS} ORDER BY id"
            ))?;
            // Read as any type: a row whose digest is not text (written around Bedside) marks
            // its record altered; it must not stop the check.
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, rusqlite::types::Value>(1)?,
                    r.get::<_, rusqlite::types::Value>(2)?,
                ))
            })?;
            for row in rows {
                let (id, digest, previous) = row?;
                let text = |v: rusqlite::types::Value| match v {
                    rusqlite::types::Value::Text(t) => Ok(Some(t)),
                    rusqlite::types::Value::Null => Ok(None),
                    _ => Err(()),
                };
                let (Ok(Some(digest)), Ok(previous)) = (text(digest), text(previous)) else {
                    broken.insert(id);
                    seals.insert(id, String::new());
                    continue;
                };
                // The first digest of a record stored before digests existed has a `previous`
                // nothing can be compared with; every later one must continue the last.
                if let Some(last) = seals.get(&id) {
                    if previous.as_ref() != Some(last) {
                        broken.insert(id);
                    }
                }
                seals.insert(id, digest);
            }
        }
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM encounters ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let sealed_once: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = ?1)",
            [RECORDS_SEALED_ACTION],
            |r| r.get(0),
        )?;
        let mut check = RecordCheck::default();
        for id in &ids {
            check.checked += 1;
            match seals.get(id) {
                // After the one-time seal, an encounter without a digest was put there
                // around Bedside.
                None if sealed_once => check.altered.push(RecordRef::encounter(*id)),
                None => check.unsealed += 1,
                Some(sealed) if broken.contains(id) || *sealed != encounter_digest(&conn, *id)? => {
                    check.altered.push(RecordRef::encounter(*id));
                }
                Some(_) => {}
            }
        }
        for id in seals.keys().filter(|id| ids.binary_search(id).is_err()) {
            check.altered.push(RecordRef::encounter(*id));
        }
        check.altered.sort_by_key(|r| r.id);
        Ok(check)
    }

    /// Keeps `username`'s unsaved intake form.
    pub fn save_draft(&self, username: &str, intake_json: &str) -> Result<()> {
        self.conn().execute(
            "INSERT INTO triage_drafts (username, intake_json) VALUES (?1, ?2)
             ON CONFLICT (username) DO UPDATE SET intake_json = excluded.intake_json,
                 saved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![username, intake_json],
        )?;
        Ok(())
    }

    /// Keeps an assessment made for `username` until `max_age_hours` from now and returns its
    /// id. It replaces the user's earlier ones (a nurse grades one form at a time: the latest
    /// grading is the one the save may use, so an older one without the model's raise cannot
    /// be chosen instead), and assessments past their expiry, anyone's, are deleted: one nobody
    /// saved holds a patient's complaint and should not outlive its use.
    pub fn keep_assessment(
        &self,
        username: &str,
        intake_digest: &str,
        assist_json: Option<&str>,
        max_age_hours: u32,
    ) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "DELETE FROM triage_assessments
             WHERE username = ?1 OR julianday(expires_at) <= julianday('now')",
            [username],
        )?;
        conn.execute(
            "INSERT INTO triage_assessments (username, intake_digest, assist_json, expires_at)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?4))",
            params![
                username,
                intake_digest,
                assist_json,
                format!("+{max_age_hours} hours")
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Forgets `username`'s kept assessments (the form was discarded, or they logged out).
    pub fn forget_assessments(&self, username: &str) -> Result<()> {
        self.conn().execute(
            "DELETE FROM triage_assessments WHERE username = ?1",
            [username],
        )?;
        Ok(())
    }

    /// The assessment `id` if it was kept for `username` and not yet used; `None` otherwise
    /// (another user's is as good as none).
    pub fn kept_assessment(&self, id: i64, username: &str) -> Result<Option<KeptAssessment>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT intake_digest, assist_json,
                        julianday(expires_at) <= julianday('now')
                 FROM triage_assessments WHERE id = ?1 AND username = ?2",
                params![id, username],
                |r| {
                    Ok(KeptAssessment {
                        intake_digest: r.get(0)?,
                        assist_json: r.get(1)?,
                        expired: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// `username`'s unsaved intake form and when it was kept, if any. A draft older than
    /// `max_age_hours` belongs to a patient long gone: it is deleted, not offered.
    pub fn draft(&self, username: &str, max_age_hours: u32) -> Result<Option<(String, String)>> {
        let conn = self.conn();
        conn.execute(
            "DELETE FROM triage_drafts WHERE username = ?1
               AND julianday(saved_at) < julianday('now', ?2)",
            params![username, format!("-{max_age_hours} hours")],
        )?;
        Ok(conn
            .query_row(
                "SELECT intake_json, saved_at FROM triage_drafts WHERE username = ?1",
                [username],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The time `text` (RFC 3339 with a zone) in UTC as `YYYY-MM-DDTHH:MM:SSZ`, and whether it
    /// lies more than five minutes in the future; `None` when SQLite cannot read it.
    pub fn utc_time(&self, text: &str) -> Result<Option<(String, bool)>> {
        Ok(self.conn().query_row(
            "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ?1),
                    julianday(?1) > julianday('now', '+5 minutes')",
            [text],
            |r| {
                let utc: Option<String> = r.get(0)?;
                let future: Option<bool> = r.get(1)?;
                Ok(utc.map(|u| (u, future.unwrap_or(false))))
            },
        )?)
    }

    /// Forgets `username`'s draft (after saving the triage, or when they discard it).
    pub fn delete_draft(&self, username: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM triage_drafts WHERE username = ?1", [username])?;
        Ok(())
    }
}
