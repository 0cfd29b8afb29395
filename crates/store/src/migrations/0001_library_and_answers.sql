-- Guideline documents as imported: the extracted text is kept so the search index can be
-- rebuilt at any time without the original files.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    file_name   TEXT NOT NULL,
    source_path TEXT NOT NULL,
    title       TEXT NOT NULL,
    lang        TEXT NOT NULL,
    format      TEXT NOT NULL,
    text        TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Passages: exact slices of documents.text; the id is stable for the same content.
CREATE TABLE chunks (
    id          TEXT PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    section     TEXT NOT NULL,
    page        INTEGER,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    text        TEXT NOT NULL
);
CREATE INDEX chunks_by_document ON chunks(document_id, ord);

-- Every grounded answer shown to a user, with what produced it: the model drafts, and the
-- record says which model, which prompt version and which passages.
CREATE TABLE answers (
    id             INTEGER PRIMARY KEY,
    question       TEXT NOT NULL,
    answer         TEXT NOT NULL,
    model          TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    passages_json  TEXT NOT NULL,
    citations_json TEXT NOT NULL,
    stopped        INTEGER NOT NULL,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
