CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,             -- content hash of the clean text
    source TEXT NOT NULL,            -- base name of the input (or URL)
    path TEXT NOT NULL,
    url TEXT,
    title TEXT,
    outlet TEXT,
    published TEXT,
    published_reason TEXT NOT NULL,
    text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
-- every input an article arrived from: a duplicate under another name is linked here
CREATE TABLE IF NOT EXISTS document_sources (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (doc_id, path)
);
-- inputs already read, by content: re-ingesting the same bytes adds nothing
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (path, sha256)
);
CREATE TABLE IF NOT EXISTS sections (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    heading TEXT, day TEXT, day_reason TEXT,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    section INTEGER,
    PRIMARY KEY (doc_id, idx)
);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    claimant TEXT NOT NULL,
    claimant_affiliation TEXT,
    claimant_type TEXT,
    stance TEXT NOT NULL,
    cue TEXT,
    outlet TEXT,
    said_on TEXT,
    said_on_reason TEXT
);
CREATE INDEX IF NOT EXISTS claims_doc ON claims(doc_id);
CREATE INDEX IF NOT EXISTS claims_said_on ON claims(said_on);
CREATE TABLE IF NOT EXISTS figures (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    value REAL NOT NULL, high REAL,
    value_text TEXT, value_start INTEGER, value_end INTEGER,
    metric TEXT NOT NULL, qualifier TEXT, population TEXT,
    subject TEXT, side TEXT, claimant TEXT,
    as_of TEXT, as_of_reason TEXT,
    total_of TEXT
);
CREATE INDEX IF NOT EXISTS figures_doc ON figures(doc_id);
CREATE INDEX IF NOT EXISTS figures_series ON figures(metric, subject, as_of);
CREATE TABLE IF NOT EXISTS event_mentions (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    event_type TEXT NOT NULL, sub_event_type TEXT,
    date TEXT, date_precision TEXT, date_reason TEXT,
    location TEXT, latitude REAL, longitude REAL, country TEXT, admin_level TEXT,
    actor1 TEXT, actor2 TEXT, fatalities INTEGER,
    claim_ids TEXT NOT NULL DEFAULT '[]',
    trigger TEXT
);
CREATE INDEX IF NOT EXISTS mentions_doc ON event_mentions(doc_id);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL, sub_event_type TEXT,
    date TEXT, date_precision TEXT,
    location TEXT, latitude REAL, longitude REAL, country TEXT, admin_level TEXT,
    actor1 TEXT, actor2 TEXT, fatalities INTEGER,
    status TEXT NOT NULL, status_reason TEXT
);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE INDEX IF NOT EXISTS events_status ON events(status);
CREATE TABLE IF NOT EXISTS event_links (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    mention_id INTEGER NOT NULL,
    PRIMARY KEY (event_id, mention_id)
);
CREATE TABLE IF NOT EXISTS event_claims (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    claim_id TEXT NOT NULL,
    PRIMARY KEY (event_id, claim_id)
);
CREATE INDEX IF NOT EXISTS event_claims_claim ON event_claims(claim_id);
-- full-text search over articles, claims and places (events' locations)
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    kind UNINDEXED, ref UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
);
