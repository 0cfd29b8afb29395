-- Patients as known at the triage desk: any field may still be unknown (an unconscious
-- patient has no name yet). Shaped for FHIR R4 Patient.
CREATE TABLE patients (
    id          INTEGER PRIMARY KEY,
    hospital_id TEXT,
    name        TEXT NOT NULL DEFAULT '',
    sex         TEXT NOT NULL DEFAULT 'unknown',
    birth_date  TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX patients_by_hospital_id ON patients(hospital_id)
    WHERE hospital_id IS NOT NULL AND hospital_id != '';

-- One visit, from triage on (FHIR R4 Encounter: class EMER, status, priority = final level).
-- The computed, model-suggested and final levels are all kept: the model can only have raised
-- the suggestion (clinic::triage::merge), and a final level that differs from the suggestion
-- needs the nurse's reason.
CREATE TABLE encounters (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patients(id),
    status          TEXT NOT NULL CHECK (status IN ('triaged', 'in-progress', 'finished', 'cancelled')),
    arrived_at      TEXT NOT NULL,
    arrival_mode    TEXT NOT NULL DEFAULT '',
    complaint       TEXT NOT NULL,
    intake_json     TEXT NOT NULL,
    grades_json     TEXT NOT NULL,
    assist_json     TEXT,
    computed_esi    INTEGER NOT NULL CHECK (computed_esi BETWEEN 1 AND 5),
    computed_cn     INTEGER NOT NULL CHECK (computed_cn BETWEEN 1 AND 4),
    suggested_esi   INTEGER NOT NULL CHECK (suggested_esi BETWEEN 1 AND 5),
    suggested_cn    INTEGER NOT NULL CHECK (suggested_cn BETWEEN 1 AND 4),
    final_esi       INTEGER NOT NULL CHECK (final_esi BETWEEN 1 AND 5),
    final_cn        INTEGER NOT NULL CHECK (final_cn BETWEEN 1 AND 4),
    override_reason TEXT,
    response_minutes INTEGER NOT NULL,
    news2_score     INTEGER NOT NULL,
    news2_risk      TEXT NOT NULL,
    news2_complete  INTEGER NOT NULL,
    triaged_by      TEXT NOT NULL,
    triaged_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (suggested_esi <= computed_esi AND suggested_cn <= computed_cn),
    CHECK ((final_esi = suggested_esi AND final_cn = suggested_cn)
           OR length(trim(coalesce(override_reason, ''))) > 0)
);
CREATE INDEX encounters_waiting ON encounters(status, final_cn, arrived_at);

-- Vital signs as FHIR R4 Observations (LOINC codes where one exists, `bedside:` otherwise).
CREATE TABLE observations (
    id           INTEGER PRIMARY KEY,
    encounter_id INTEGER NOT NULL REFERENCES encounters(id),
    system       TEXT NOT NULL,
    code         TEXT NOT NULL,
    display      TEXT NOT NULL,
    value        REAL,
    value_text   TEXT,
    unit         TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL
);
CREATE INDEX observations_by_encounter ON observations(encounter_id);

-- The intake form a user was filling in, kept so that it survives a crash or a restart.
CREATE TABLE triage_drafts (
    username   TEXT PRIMARY KEY,
    intake_json TEXT NOT NULL,
    saved_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
