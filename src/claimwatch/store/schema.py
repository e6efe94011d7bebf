"""The schema of a claimwatch store: every table, index and the full-text index, and the
migration of older stores (`migrate`, run when a store is opened for writing)."""
import sqlite3

SCHEMA_VERSION = 2

SCHEMA = """
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
-- an edited file or an updated article (same place, new text) is a new document linked to the one
-- before; `url` is the place: a URL, a file's path, a JSONL record's path:line (#k for the k-th of
-- several stories in one file)
CREATE TABLE IF NOT EXISTS document_versions (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    version INTEGER NOT NULL,
    previous_id TEXT
);
CREATE INDEX IF NOT EXISTS document_versions_url ON document_versions(url, version);
-- inputs already read, by content: re-ingesting the same bytes adds nothing
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (path, sha256)
);
-- how far a streamed input (JSONL) is stored: a re-run after an interruption goes on from there
CREATE TABLE IF NOT EXISTS input_progress (
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    offset INTEGER NOT NULL,         -- byte offset after the last record whose batch was committed
    line INTEGER NOT NULL,
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
-- id: from the document id and idx (the mention's place in its document), so that the same
-- input gives the same ids whatever the order it arrives in. block: what resolve says two
-- mentions must share to be one event (resolve.block_key), to find the mentions a new one may join.
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
    trigger TEXT,
    block TEXT,
    idx INTEGER
);
CREATE INDEX IF NOT EXISTS mentions_doc ON event_mentions(doc_id);
CREATE INDEX IF NOT EXISTS mentions_block ON event_mentions(block, date);
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
-- without rowid: read in key order, whatever order the events were written in
CREATE TABLE IF NOT EXISTS event_links (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    mention_id INTEGER NOT NULL,
    PRIMARY KEY (event_id, mention_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_links_mention ON event_links(mention_id);
CREATE TABLE IF NOT EXISTS event_claims (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    claim_id TEXT NOT NULL,
    PRIMARY KEY (event_id, claim_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_claims_claim ON event_claims(claim_id);
-- what each sentence says of a ceasefire, truce or peace deal (claimwatch.agreements)
CREATE TABLE IF NOT EXISTS agreement_mentions (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    kind TEXT NOT NULL, phase TEXT NOT NULL, report_day TEXT,
    agreed_on TEXT, agreed_precision TEXT, agreed_reason TEXT, effective_from TEXT, effective_time TEXT,
    parties TEXT NOT NULL DEFAULT '[]', brokers TEXT NOT NULL DEFAULT '[]', terms TEXT NOT NULL DEFAULT '[]',
    ordinal TEXT, claim_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS agreement_mentions_doc ON agreement_mentions(doc_id);
-- who accuses whom of what, who denies it (claimwatch.allegations)
CREATE TABLE IF NOT EXISTS allegations (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    claim_id TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    stance TEXT NOT NULL, accuser TEXT NOT NULL, accuser_side TEXT, accused TEXT, accused_text TEXT,
    what TEXT NOT NULL, day TEXT, about_agreement INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS allegations_doc ON allegations(doc_id);
CREATE INDEX IF NOT EXISTS allegations_day ON allegations(day);
-- full-text search over articles, claims and places (events' locations). An event's row has a
-- negative rowid derived from its id (writer.event_search_rowid), so that replacing one event does
-- not scan the index; documents and claims take the positive rowids SQLite assigns.
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    kind UNINDEXED, ref UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
);
"""

# Fetched documents, the feeds polled and the stories near-duplicates form (feeds and URLs, issue 13).
SCHEMA += """
-- feeds and pages watched: what `claimwatch sources` lists
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,              -- feed | page
    outlet TEXT,
    every_s REAL,
    title TEXT,
    added_at TEXT NOT NULL
);
-- the last fetch of every URL: validators for conditional requests, the body's hash, the outcome
CREATE TABLE IF NOT EXISTS fetch_state (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    sha256 TEXT,
    fetched_at TEXT NOT NULL,
    status INTEGER,                  -- HTTP status, null when no answer came
    error TEXT,
    ok_at TEXT                       -- last fetch that answered 200 or 304
);
-- entries of a feed already taken: a new entry is fetched once
CREATE TABLE IF NOT EXISTS feed_entries (
    feed_url TEXT NOT NULL,
    entry_key TEXT NOT NULL,         -- the entry's id, else its link
    url TEXT,
    first_seen TEXT NOT NULL,
    status TEXT NOT NULL,            -- stored | failed
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (feed_url, entry_key)
);
-- where and when a document was fetched (one row per URL it came from)
CREATE TABLE IF NOT EXISTS document_fetches (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    final_url TEXT,
    feed_url TEXT,
    outlet TEXT,
    fetched_at TEXT NOT NULL,
    http_status INTEGER NOT NULL,
    PRIMARY KEY (doc_id, url)
);
CREATE INDEX IF NOT EXISTS document_fetches_url ON document_fetches(url);
-- an updated article (same URL, new text) is a new document linked to the one before
-- one story, many copies: near-duplicates linked to the story's first copy (whose id is the story's)
CREATE TABLE IF NOT EXISTS stories (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL,
    role TEXT NOT NULL,              -- first | copy | version | merged (all but copy hold their own records)
    similarity REAL                  -- estimated Jaccard similarity to the copy it was matched with
);
CREATE INDEX IF NOT EXISTS stories_story ON stories(story_id);
-- MinHash signatures of documents that take part in near-duplicate detection
CREATE TABLE IF NOT EXISTS minhashes (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    shingles INTEGER NOT NULL,
    signature BLOB NOT NULL
);
"""

def migrate(conn: sqlite3.Connection) -> None:
    """Bring an older store to SCHEMA_VERSION (one transaction; a concurrent opener waits for it).

    Version 1 -> 2: columns for mention blocks, link tables without rowid (their rows are copied). The events themselves stay until the next ingest rebuilds them under
    the current merge rules (meta 'resolve_rules' is cleared)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() \
            if _has_table(conn, "meta") else None
        version = int(row[0]) if row else SCHEMA_VERSION
        if version < 2:
            conn.execute("ALTER TABLE event_mentions ADD COLUMN block TEXT")
            conn.execute("ALTER TABLE event_mentions ADD COLUMN idx INTEGER")
            for table, cols in (("event_links", "event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE, "
                                                "mention_id INTEGER NOT NULL, PRIMARY KEY (event_id, mention_id)"),
                                ("event_claims", "event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE, "
                                                 "claim_id TEXT NOT NULL, PRIMARY KEY (event_id, claim_id)")):
                conn.execute(f"CREATE TABLE {table}_v2 ({cols}) WITHOUT ROWID")
                conn.execute(f"INSERT INTO {table}_v2 SELECT * FROM {table}")
                conn.execute(f"DROP TABLE {table}")
                conn.execute(f"ALTER TABLE {table}_v2 RENAME TO {table}")
            conn.execute("DELETE FROM meta WHERE key = 'resolve_rules'")
        if row and version < SCHEMA_VERSION:
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None
