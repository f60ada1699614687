-- ictappraise database schema, version 2.
-- The ORM mappings in ictappraise/store/models.py must match this file exactly
-- (tests/store/test_schema.py compares them). Change both, and add a migration.

-- Facts about this database file (application, schema, round). Never travels.
CREATE TABLE schema_meta (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

-- The append-only edit log (domain.md §7). Rows are never updated or deleted.
CREATE TABLE edits (
    seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,  -- local arrival order, never travels
    id TEXT NOT NULL UNIQUE,                         -- UUID of the edit
    scope TEXT NOT NULL,                             -- agency id, or 'round'
    field TEXT NOT NULL,                             -- e.g. agency/<id>/crit/III.5/appraised
    value TEXT NOT NULL,                             -- JSON
    author TEXT NOT NULL,                            -- team member UUID
    device TEXT NOT NULL,                            -- device id of the laptop
    created_at TEXT NOT NULL,                        -- ISO 8601, for display only
    reason TEXT,
    parents TEXT NOT NULL DEFAULT '[]',              -- JSON list of replaced head edit ids
    basis TEXT NOT NULL DEFAULT '[]',                -- JSON list of status heads seen
    key TEXT,                                        -- signing public key (base64), schema 2
    signature TEXT                                   -- Ed25519 signature (base64), schema 2
);
CREATE INDEX ix_edits_scope ON edits (scope);
CREATE INDEX ix_edits_field ON edits (field);

-- Evidence files and signature images, content-addressed, travel with the edits.
CREATE TABLE attachments (
    sha256 TEXT NOT NULL PRIMARY KEY,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    added_at TEXT NOT NULL
);

-- Per-file bookkeeping that never travels (e.g. the last export to the lead).
CREATE TABLE local_state (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
