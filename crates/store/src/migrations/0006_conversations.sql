-- The in-visit chat as conversations: each answer may belong to one, and keeps the exact user
-- message the model read (passages and question), so the next turn's prompt starts with this
-- one's and the engine's prefix cache applies.
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX conversations_user ON conversations(user_id, id);

ALTER TABLE answers ADD COLUMN conversation_id INTEGER REFERENCES conversations(id);
ALTER TABLE answers ADD COLUMN prompt_user TEXT;
CREATE INDEX answers_conversation ON answers(conversation_id, id);

-- When a conversation no longer fits the context, its older turns are condensed into a
-- summary, stored and shown to the clinician: turns are never dropped silently. A summary
-- covers every turn up to and including `through_answer_id` (and any earlier summary).
CREATE TABLE conversation_summaries (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
    through_answer_id INTEGER NOT NULL REFERENCES answers(id),
    summary TEXT NOT NULL,
    model TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
