"""The SQLite store: the one package that owns the schema and all SQL.

`schema` holds the tables, `writer` the transactional writes of the pipeline, `queries` the reads
every surface shares. `Store` is one connection with both halves.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .queries import *  # noqa: F401,F403  (the query API: list_page, list_rows, iter_rows, ...)
from .queries import READ_INDEXES, Reader, row_to_dict  # noqa: F401
from .schema import SCHEMA, SCHEMA_VERSION, migrate
from .sources import SourceLog
from .writer import Writer


# how long a writer waits for another one's transaction (two ingests into one store take turns)
BUSY_SECONDS = 600


def default_db_path() -> str:
    return os.environ.get("CLAIMWATCH_DB") or "claimwatch.db"


class Store(Writer, Reader, SourceLog):
    """A claimwatch store in one SQLite file."""

    def __init__(self, path: str | os.PathLike, readonly: bool = False):
        self.path = str(path)
        if readonly:
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=BUSY_SECONDS)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            migrate(self.conn)
            self.conn.executescript(SCHEMA + READ_INDEXES)
            self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self.conn.commit()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
