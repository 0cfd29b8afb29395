-- Pages of paged formats (PDF): the count, and the character offset in `text` where each page
-- starts (a JSON array), so the document viewer can show page numbers anywhere in the text.
ALTER TABLE documents ADD COLUMN pages INTEGER;
ALTER TABLE documents ADD COLUMN page_starts TEXT;

-- An import is a job with one row per file, so that it survives a restart: a job whose runner
-- is gone (the window closed, the machine lost power) shows as interrupted and resumes with the
-- files still pending. `state` is what the runner last wrote; `running` with no live runner
-- (no lock on its file in the data directory) means interrupted.
CREATE TABLE import_jobs (
    id INTEGER PRIMARY KEY,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'cancelled', 'done')),
    finished_at TEXT
);

CREATE TABLE import_job_files (
    job_id INTEGER NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    path TEXT NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'imported', 'skipped', 'failed')),
    code TEXT,
    message TEXT,
    document_id INTEGER,
    pages INTEGER,
    chunks INTEGER,
    PRIMARY KEY (job_id, ord)
);
CREATE INDEX import_job_files_pending ON import_job_files(job_id, status, ord);
