"""Runs and per-source outcomes, written as they happen so a crash leaves a record."""
from __future__ import annotations

import json
import os
from typing import Optional

import sqlite_utils

from ..models import SourceResult
from . import transaction, utcnow


def start_run(db: sqlite_utils.Database, command: str) -> int:
    """Open a run row; runs left 'running' by a killed process become 'interrupted'.

    Called with the collect lock held, so no other run can still be going.
    """
    with transaction(db) as conn:
        conn.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = COALESCE(finished_at, ?) "
            "WHERE status = 'running' AND command = ?",
            (utcnow(), command),
        )
        cur = conn.execute(
            "INSERT INTO runs (command, started_at, status, pid) VALUES (?,?,?,?)",
            (command, utcnow(), "running", os.getpid()),
        )
        return cur.lastrowid


def record_source(db: sqlite_utils.Database, run_id: int, r: SourceResult) -> None:
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO run_sources (run_id, source, kind, status, error, items, new, updated, "
            "unchanged, rejected, failed_items, errors, finished_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, r.source, r.kind, r.status, r.error, r.items, r.new, r.updated, r.unchanged,
             r.rejected, r.failed_items, json.dumps(r.errors[:50]), utcnow()),
        )


def finish_run(db: sqlite_utils.Database, run_id: int, status: str, results: list[SourceResult],
               claims_new: int = 0, error: Optional[str] = None) -> None:
    with transaction(db) as conn:
        conn.execute(
            "UPDATE runs SET finished_at = ?, status = ?, sources_ok = ?, sources_failed = ?, "
            "documents_new = ?, documents_updated = ?, documents_unchanged = ?, claims_new = ?, "
            "error = ? WHERE id = ?",
            (utcnow(), status, sum(r.status == "ok" for r in results),
             sum(r.status != "ok" for r in results), sum(r.new for r in results),
             sum(r.updated for r in results), sum(r.unchanged for r in results), claims_new,
             error, run_id),
        )


def recent_runs(db: sqlite_utils.Database, limit: int = 10) -> list[dict]:
    rows = db.conn.execute(
        "SELECT id, command, started_at, finished_at, status, sources_ok, sources_failed, "
        "documents_new, documents_updated, documents_unchanged, claims_new, error "
        "FROM runs ORDER BY id DESC LIMIT ?", (limit,)
    )
    cols = [d[0] for d in rows.description]
    return [dict(zip(cols, r)) for r in rows]


def run_sources(db: sqlite_utils.Database, run_id: int) -> list[dict]:
    rows = db.conn.execute(
        "SELECT source, kind, status, error, items, new, updated, unchanged, rejected, failed_items "
        "FROM run_sources WHERE run_id = ? ORDER BY id", (run_id,)
    )
    cols = [d[0] for d in rows.description]
    return [dict(zip(cols, r)) for r in rows]
