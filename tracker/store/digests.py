"""SQL for the daily digest: what is new in a time window, and the digests log.

Windows are half-open, [start, end): an item stamped exactly at `end` belongs
to the next digest, so consecutive windows never overlap and never leave a gap.
`start=None` means "since the beginning".

Every query reads through an index:
  claims(created_at)            new figures
  deals(last_seen)              new deals (first_seen >= start implies last_seen >= start)
  conflicts(updated_at)         new, changed and resolved conflicts
  conflicts(status)             count of open conflicts
  claims(deal_id, field)        earlier values of a field, payments for ranking
  digests(status, window_end)   the last sent digest, 'sending' rows
  runs (rowid range)            is a collect running (the last 50 runs)
"""
from __future__ import annotations

import json
import sqlite3
from typing import Optional

import sqlite_utils

from ..models import Claim
from . import transaction
from .claims import CLAIM_SELECT, _claim, claims_by_ids

_FAR_PAST = ""  # sorts before every ISO timestamp
_FAR_FUTURE = "9999"


def _bounds(start: Optional[str], end: Optional[str]) -> tuple[str, str]:
    return (start or _FAR_PAST, end or _FAR_FUTURE)


# --- what is new ------------------------------------------------------------

def new_deals(db: sqlite_utils.Database, start: Optional[str], end: Optional[str]) -> list[dict]:
    """Deals first seen in [start, end), oldest first."""
    lo, hi = _bounds(start, end)
    rows = db.conn.execute(
        "SELECT id, buyer, provider, agreement, first_seen, last_seen FROM deals "
        "WHERE last_seen >= ? AND first_seen >= ? AND first_seen < ? ORDER BY first_seen, id",
        (lo, lo, hi),
    ).fetchall()
    return [
        dict(id=r[0], buyer=r[1], provider=r[2], agreement=r[3] or "", first_seen=r[4], last_seen=r[5])
        for r in rows
    ]


def new_claims(db: sqlite_utils.Database, start: Optional[str], end: Optional[str]) -> list[tuple[Claim, str]]:
    """Claims created in [start, end) with their documents: (claim, created_at)."""
    lo, hi = _bounds(start, end)
    sql = CLAIM_SELECT.replace("SELECT ", "SELECT c.created_at, ", 1)
    rows = db.conn.execute(
        sql + " WHERE c.created_at >= ? AND c.created_at < ? ORDER BY c.deal_id, c.id", (lo, hi)
    ).fetchall()
    return [(_claim(r[1:]), r[0]) for r in rows]


def deals_by_ids(db: sqlite_utils.Database, ids: list[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    ids = sorted(set(ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for r in db.conn.execute(
            "SELECT id, buyer, provider, agreement, first_seen, last_seen FROM deals "
            f"WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[r[0]] = dict(id=r[0], buyer=r[1], provider=r[2], agreement=r[3] or "",
                             first_seen=r[4], last_seen=r[5])
    return out


def earlier_values(db: sqlite_utils.Database, deal_id: int, field: str, before: Optional[str]) -> list[str]:
    """Distinct values of a deal's field stated by claims created before `before`."""
    if before is None:
        return []
    rows = db.conn.execute(
        "SELECT DISTINCT value FROM claims WHERE deal_id = ? AND field = ? AND created_at < ? "
        "ORDER BY value",
        (deal_id, field, before),
    ).fetchall()
    return [r[0] for r in rows]


def deal_figures(db: sqlite_utils.Database, deal_id: int) -> list[tuple]:
    """(field, number, period, scope) of a deal's payment and term claims, for ranking."""
    return db.conn.execute(
        "SELECT field, number, period, scope FROM claims "
        "WHERE deal_id = ? AND field IN ('payment', 'term_years') AND number IS NOT NULL",
        (deal_id,),
    ).fetchall()


def changed_conflicts(db: sqlite_utils.Database, start: Optional[str], end: Optional[str]) -> list[dict]:
    """Conflicts whose row changed in [start, end) (detected, updated or resolved),
    each with its sides (the claims it cites, with their documents).

    Assumes whoever changes a conflict's status also bumps updated_at; a
    conflict resolved without touching updated_at would not be reported.
    """
    lo, hi = _bounds(start, end)
    rows = db.conn.execute(
        "SELECT id, deal_id, field, key, claim_ids, summary, status, first_detected, updated_at, "
        "resolved_at, user_status, note FROM conflicts "
        "WHERE updated_at >= ? AND updated_at < ? ORDER BY first_detected, id",
        (lo, hi),
    ).fetchall()
    out = []
    all_ids: set[int] = set()
    for r in rows:
        try:
            ids = [int(x) for x in json.loads(r[4] or "[]")]
        except (ValueError, TypeError):
            ids = []
        all_ids.update(ids)
        out.append(dict(
            id=r[0], deal_id=r[1], field=r[2], key=r[3], claim_ids=ids, summary=r[5] or "",
            status=r[6], first_detected=r[7], updated_at=r[8], resolved_at=r[9],
            user_status=r[10], note=r[11],
        ))
    claims = {c.id: c for c in claims_by_ids(db, sorted(all_ids))}
    for c in out:
        c["sides"] = [claims[i] for i in c["claim_ids"] if i in claims]
    return out


def run_in_progress(db: sqlite_utils.Database, since: str) -> bool:
    """Whether a collect/ingest run started after `since` is still 'running'.

    Looks at the last 50 runs only (rowid range: no index needed); a crashed
    run stays 'running' until the next one starts, which only costs a short lag.
    """
    row = db.conn.execute(
        "SELECT 1 FROM runs WHERE id > (SELECT COALESCE(MAX(id), 0) - 50 FROM runs) "
        "AND status = 'running' AND started_at >= ? LIMIT 1",
        (since,),
    ).fetchone()
    return row is not None


def latest_stamp(db: sqlite_utils.Database) -> str:
    """The latest created_at / updated_at / last_seen in the tables digests read."""
    row = db.conn.execute(
        "SELECT MAX(COALESCE((SELECT MAX(created_at) FROM claims), ''), "
        "COALESCE((SELECT MAX(updated_at) FROM conflicts), ''), "
        "COALESCE((SELECT MAX(last_seen) FROM deals), ''))"
    ).fetchone()
    return row[0] or ""


def count_open_conflicts(db: sqlite_utils.Database) -> int:
    return db.conn.execute("SELECT COUNT(*) FROM conflicts WHERE status = 'open'").fetchone()[0]


# --- the digests log ----------------------------------------------------------

_DIGEST_COLS = ("id", "window_start", "window_end", "created_at", "sent_at", "status",
                "recipients", "subject", "message_id", "error")


def _digest(row: Optional[tuple]) -> Optional[dict]:
    return dict(zip(_DIGEST_COLS, row)) if row else None


def last_sent(db: sqlite_utils.Database) -> Optional[dict]:
    """The sent digest with the latest window end (its end is the next window's start)."""
    return _digest(db.conn.execute(
        f"SELECT {', '.join(_DIGEST_COLS)} FROM digests WHERE status = 'sent' "
        "ORDER BY window_end DESC, id DESC LIMIT 1"
    ).fetchone())


def sending(db: sqlite_utils.Database) -> list[dict]:
    """Digests recorded as being handed to the SMTP server and not yet settled."""
    return [_digest(r) for r in db.conn.execute(
        f"SELECT {', '.join(_DIGEST_COLS)} FROM digests WHERE status = 'sending' ORDER BY id"
    )]


def get_digest(db: sqlite_utils.Database, digest_id: int) -> Optional[dict]:
    return _digest(db.conn.execute(
        f"SELECT {', '.join(_DIGEST_COLS)} FROM digests WHERE id = ?", (digest_id,)
    ).fetchone())


def list_digests(db: sqlite_utils.Database, limit: int = 20) -> list[dict]:
    return [_digest(r) for r in db.conn.execute(
        f"SELECT {', '.join(_DIGEST_COLS)} FROM digests ORDER BY id DESC LIMIT ?", (limit,)
    )]


def insert_digest(conn: sqlite3.Connection, *, window_start: Optional[str], window_end: str,
                  created_at: str, status: str, recipients: str, subject: str,
                  message_id: str, error: Optional[str] = None) -> int:
    """Insert a digests row; call inside a transaction()."""
    cur = conn.execute(
        "INSERT INTO digests (window_start, window_end, created_at, status, recipients, subject, "
        "message_id, error) VALUES (?,?,?,?,?,?,?,?)",
        (window_start, window_end, created_at, status, recipients, subject, message_id, error),
    )
    return cur.lastrowid


def set_status(conn: sqlite3.Connection, digest_id: int, status: str, *,
               sent_at: Optional[str] = None, error: Optional[str] = None) -> None:
    """Settle a digests row; call inside a transaction()."""
    conn.execute(
        "UPDATE digests SET status = ?, sent_at = COALESCE(?, sent_at), error = ? WHERE id = ?",
        (status, sent_at, error, digest_id),
    )


def settle(db: sqlite_utils.Database, digest_id: int, status: str, *,
           sent_at: Optional[str] = None, error: Optional[str] = None) -> None:
    with transaction(db) as conn:
        set_status(conn, digest_id, status, sent_at=sent_at, error=error)
