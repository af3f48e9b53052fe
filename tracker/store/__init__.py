"""The SQLite store: the only package that speaks SQL.

Connections run in autocommit mode and every write goes through
`transaction()` (BEGIN IMMEDIATE ... COMMIT), so a crash or a kill -9 leaves
either all of a step or none of it, and two processes queue for the write
lock (busy timeout) instead of failing with "database is locked".
"""
from __future__ import annotations

import os
import re
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import sqlite_utils

from ..errors import DatabaseError
from .schema import SCHEMA_VERSION, migrate

BUSY_TIMEOUT_S = 60.0  # a collect's longest write transaction is well under this


def utcnow() -> str:
    """Timestamps are ISO 8601 UTC with seconds, so they sort as text."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def open_db(path: str | os.PathLike, *, create: bool = True, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open (and create or migrate) the tracker database at `path`.

    Raises DatabaseError with a one-line reason for a file that is not SQLite,
    a SQLite file that is not ours, or a directory we cannot write.
    """
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"{path}: is a directory, expected a database file")
    if not path.exists():
        if not create:
            raise DatabaseError(f"{path}: no such database (run `tracker collect` first)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DatabaseError(f"{path.parent}: cannot create directory ({e.strerror})") from None
    try:
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # Before anything that writes (switching to WAL rewrites the header):
        # someone else's file must be left exactly as it was.
        _check_ours(sqlite_utils.Database(conn), path)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as e:
        if "readonly" in str(e) or "unable to open" in str(e):
            raise DatabaseError(f"{path}: database is read-only or its directory is not writable "
                                f"({e}); check permissions on the file and its directory") from None
        raise DatabaseError(f"{path}: not a usable SQLite database ({e})") from None
    if mode.lower() != "wal" and str(path) != ":memory:":
        # Read-only files or directories cannot switch to WAL.
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseError(f"{path}: database is read-only (check permissions on the file and its directory)")
    db = sqlite_utils.Database(conn)
    try:
        _check_ours(db, path)
        if migrate_schema:
            migrate(db)
    except sqlite3.OperationalError as e:
        msg = str(e)
        if "readonly" in msg or "read-only" in msg:
            raise DatabaseError(f"{path}: database is read-only ({msg})") from None
        if "disk" in msg or "full" in msg:
            raise DatabaseError(f"{path}: cannot write the database ({msg})") from None
        raise DatabaseError(f"{path}: {msg}") from None
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"{path}: not a usable SQLite database ({e})") from None
    return db


def _check_ours(db: sqlite_utils.Database, path: Path) -> None:
    """Refuse to write into someone else's SQLite file."""
    version = db.conn.execute("PRAGMA user_version").fetchone()[0]
    tables = set(db.table_names())
    if version == 0 and tables:
        raise DatabaseError(
            f"{path}: is a SQLite database but not a tracker database "
            f"(found tables: {', '.join(sorted(tables)[:5])}); choose another --db"
        )
    if version > 0 and "documents" not in tables:
        raise DatabaseError(f"{path}: not a tracker database (no documents table)")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One atomic write; waits for other writers rather than failing."""
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raise _write_error(e) from None
    try:
        yield conn
    except BaseException as e:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(e, sqlite3.OperationalError) and _WRITE_FAULT.search(str(e)):
            raise _write_error(e) from None
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise _write_error(e) from None


# What the machine (not our SQL) can make a write fail with.
_WRITE_FAULT = re.compile(r"full|readonly|read-only|disk I/O|locked|busy|unable to open", re.I)


def _write_error(e: sqlite3.OperationalError) -> DatabaseError:
    """A one-line DatabaseError (exit 3) for a write the machine refused:
    a full disk, a read-only file, a lock held past the busy timeout."""
    return DatabaseError(f"cannot write the database: {e}")


__all__ = ["open_db", "transaction", "utcnow", "SCHEMA_VERSION", "migrate"]
