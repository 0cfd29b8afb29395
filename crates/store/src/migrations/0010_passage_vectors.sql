-- One vector per passage from the embedding model, for retrieval by meaning. Stored beside the
-- passages, not in the search index, so that rebuilding the index does not recompute them; the
-- model's SHA-256 says which vector space a row belongs to, and rows of another model are
-- replaced when the model changes. A vector is little-endian f32, L2-normalised. `lang` is the
-- passage's own language ('zh' or 'en'), which retrieval needs to offset the embedding model's
-- preference for passages in the question's language.
CREATE TABLE passage_vectors (
    chunk_id TEXT PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    model    TEXT NOT NULL,
    lang     TEXT NOT NULL,
    vector   BLOB NOT NULL
);
CREATE INDEX passage_vectors_by_model ON passage_vectors(model);
