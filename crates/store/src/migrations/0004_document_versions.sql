-- A guideline imported again with new content (same file name and language) is a new version:
-- the old one stays, superseded and unsearchable, so the citations of answers given from it
-- still open the passage they quoted.
ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE documents ADD COLUMN superseded_by INTEGER REFERENCES documents(id);
ALTER TABLE documents ADD COLUMN superseded_at TEXT;
CREATE INDEX documents_current ON documents(file_name, lang) WHERE superseded_by IS NULL;
