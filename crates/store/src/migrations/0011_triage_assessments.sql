-- The grades and the model's suggestion as Bedside made them for one intake, kept under an id
-- so that saving the nurse's decision names the assessment instead of carrying the suggestion
-- back from the window, where "raised by the model" could be forged. `intake_digest` is the
-- SHA-256 of the intake it graded: a save for any other intake cannot borrow it. A save uses
-- it up, a new grading by the same user replaces it, one nobody saved is gone after
-- `expires_at`. AUTOINCREMENT: an id is never given twice, so an audit row naming one names
-- one assessment. Kept in the database, it survives a
-- restart, as the form's draft does.
CREATE TABLE triage_assessments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL,
    intake_digest TEXT NOT NULL,
    assist_json   TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at    TEXT NOT NULL
);
CREATE INDEX triage_assessments_by_expiry ON triage_assessments(expires_at);
