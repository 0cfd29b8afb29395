-- GGUF models an admin imported into the data directory, and which model (and sampling)
-- each task uses. The file itself lives in <data dir>/models/<file_name>; its SHA-256 was
-- computed while it was copied there.
CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    file_name TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size_bytes INTEGER NOT NULL,
    architecture TEXT NOT NULL,
    parameters INTEGER NOT NULL,
    quantization TEXT,
    context_length INTEGER,
    chat_template INTEGER NOT NULL CHECK (chat_template IN (0, 1)),
    -- llama.cpp's built-in template to use when the file has none (a base model).
    template_fallback TEXT,
    kv_bytes_per_token INTEGER,
    languages TEXT NOT NULL DEFAULT '',
    source_name TEXT NOT NULL,
    imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    imported_by INTEGER REFERENCES users(id)
);

-- One row per task that has a chosen model or sampling. A model chosen for a task cannot be
-- removed (the foreign key refuses it) until another is chosen.
CREATE TABLE model_tasks (
    task TEXT PRIMARY KEY CHECK (task IN ('chat', 'drafting', 'triage_summary')),
    model_id INTEGER REFERENCES models(id),
    sampling_json TEXT
);
