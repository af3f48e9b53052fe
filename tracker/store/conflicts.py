"""Conflict lifecycle in the database.

`refresh_conflicts(db, deal_ids)` re-evaluates only the given deals (two
indexed queries per deal: claims by deal_id, conflicts by deal_id) and
reconciles the `conflicts` rows:

* a new disagreement is inserted (status open, first_detected now);
* a known one keeps its id and first_detected; its claim_ids and summary
  follow the evidence (claims join as more sources weigh in);
* one no longer found becomes status 'resolved' with resolved_at set — rows
  are never deleted; if it comes back it is reopened (first_detected kept);
* user_status 'ignored' sticks: the conflict stays 'ignored' however many
  claims join (if the disagreement disappears it is marked resolved, and
  comes back as ignored);
* user_status 'resolved' sticks until genuinely new evidence arrives: a
  claim joins from a document that had no claim in the conflict when the
  user resolved it and was first fetched after that decision
  (documents.fetched_at >= resolved_at). Re-running, or re-extracting known
  documents, does not reopen it. On reopening user_status is cleared, the
  note kept.
"""
from __future__ import annotations

import json
from typing import Iterable, Optional

import sqlite_utils

from ..conflicts import find_conflicts
from ..errors import TrackerError
from . import transaction, utcnow
from .claims import claims_by_ids, claims_for_deal

USER_STATUSES = ("resolved", "ignored", "open")


def _ids(text: Optional[str]) -> list[int]:
    try:
        return [int(x) for x in json.loads(text or "[]")]
    except (ValueError, TypeError):
        return []


def _docs_of(conn, claim_ids: list[int]) -> set[int]:
    out: set[int] = set()
    for i in range(0, len(claim_ids), 500):
        chunk = claim_ids[i : i + 500]
        out.update(r[0] for r in conn.execute(
            f"SELECT document_id FROM claims WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return out


def _new_documents(conn, doc_ids: set, since: Optional[str]) -> list[int]:
    """Documents first fetched at or after `since` (the user's decision):
    genuinely new evidence, as opposed to a re-extraction of a known one."""
    doc_ids = sorted(d for d in doc_ids if d is not None)
    if not doc_ids:
        return []
    if not since:
        return doc_ids
    out = []
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        out += [r[0] for r in conn.execute(
            f"SELECT id, fetched_at FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            if (r[1] or "")[:19] >= since[:19]]
    return out


def refresh_conflicts(db: sqlite_utils.Database, deal_ids: Iterable[int]) -> dict:
    """Re-evaluate the conflicts of `deal_ids`. Runs inside the caller's
    transaction (no BEGIN/COMMIT here). Returns counts."""
    conn = db.conn
    now = utcnow()
    counts = {"deals": 0, "opened": 0, "reopened": 0, "updated": 0, "resolved": 0, "unchanged": 0}
    for deal_id in sorted(set(deal_ids)):
        counts["deals"] += 1
        claims = claims_for_deal(db, deal_id)
        findings = {(f.field, f.key): f for f in find_conflicts(claims)}
        current_docs = {c.id: c.document_id for c in claims}
        rows = conn.execute(
            "SELECT id, field, key, claim_ids, summary, status, user_status, resolved_at "
            "FROM conflicts WHERE deal_id = ?",
            (deal_id,),
        ).fetchall()
        known = set()
        for cid, field, key, claim_ids, summary, status, user_status, resolved_at in rows:
            known.add((field, key))
            f = findings.get((field, key))
            new_ids = json.dumps(f.claim_ids) if f else None
            if f is None:
                if status != "resolved" and user_status != "resolved":
                    conn.execute(
                        "UPDATE conflicts SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?",
                        (now, now, cid))
                    counts["resolved"] += 1
                else:
                    counts["unchanged"] += 1
            elif user_status == "resolved":
                acknowledged = _docs_of(conn, _ids(claim_ids))
                unseen = {current_docs.get(i) for i in f.claim_ids} - acknowledged
                if _new_documents(conn, unseen, resolved_at):
                    conn.execute(
                        "UPDATE conflicts SET status = 'open', user_status = NULL, resolved_at = NULL, "
                        "claim_ids = ?, summary = ?, updated_at = ? WHERE id = ?",
                        (new_ids, f.summary, now, cid))
                    counts["reopened"] += 1
                else:
                    counts["unchanged"] += 1
            else:
                target = "ignored" if user_status == "ignored" else "open"
                if status != target:
                    conn.execute(
                        "UPDATE conflicts SET status = ?, resolved_at = NULL, claim_ids = ?, summary = ?, "
                        "updated_at = ? WHERE id = ?", (target, new_ids, f.summary, now, cid))
                    counts["reopened" if status == "resolved" else "updated"] += 1
                elif new_ids != claim_ids or f.summary != summary:
                    conn.execute(
                        "UPDATE conflicts SET claim_ids = ?, summary = ?, updated_at = ? WHERE id = ?",
                        (new_ids, f.summary, now, cid))
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
        for (field, key), f in findings.items():
            if (field, key) in known:
                continue
            conn.execute(
                "INSERT INTO conflicts (deal_id, field, key, claim_ids, summary, status, first_detected, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'open', ?, ?)",
                (deal_id, field, key, json.dumps(f.claim_ids), f.summary, now, now))
            counts["opened"] += 1
    return counts


def refresh_all_conflicts(db: sqlite_utils.Database, batch: int = 1000) -> dict:
    """Re-evaluate every deal (e.g. after changing the rules), one transaction per batch."""
    ids = [r[0] for r in db.conn.execute("SELECT id FROM deals ORDER BY id")]
    total: dict = {}
    for i in range(0, len(ids), batch):
        with transaction(db):
            for k, v in refresh_conflicts(db, ids[i : i + batch]).items():
                total[k] = total.get(k, 0) + v
    return total


_LIST_SQL = (
    "SELECT cf.id, cf.deal_id, dl.buyer, dl.provider, dl.agreement, cf.field, cf.key, cf.status, "
    "cf.user_status, cf.note, cf.summary, cf.claim_ids, cf.first_detected, cf.updated_at, cf.resolved_at "
    "FROM conflicts cf JOIN deals dl ON dl.id = cf.deal_id"
)


def list_conflicts(db: sqlite_utils.Database, status: Optional[str] = "open",
                   deal_id: Optional[int] = None) -> list[dict]:
    """Conflicts (status None = all), each with its sides, oldest first."""
    where, args = [], []
    if status is not None:
        where.append("cf.status = ?")
        args.append(status)
    if deal_id is not None:
        where.append("cf.deal_id = ?")
        args.append(int(deal_id))
    sql = _LIST_SQL + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY cf.first_detected, cf.id"
    rows = db.conn.execute(sql, args).fetchall()
    all_ids = sorted({i for r in rows for i in _ids(r[11])})
    claims = {c.id: c for c in claims_by_ids(db, all_ids)}
    out = []
    for r in rows:
        sides = []
        for i in _ids(r[11]):
            c = claims.get(i)
            if c is None:
                continue  # removed by re-extraction since
            sides.append({
                "claim_id": c.id, "value": c.value, "number": c.number, "unit": c.unit,
                "period": c.period, "scope": c.scope, "quote": c.quote, "document_id": c.document_id,
                "source": c.doc_source, "kind": c.doc_kind, "url": c.doc_url, "title": c.doc_title,
                "date": c.doc_date,
            })
        out.append({
            "id": r[0], "deal_id": r[1], "buyer": r[2], "provider": r[3], "agreement": r[4],
            "field": r[5], "key": r[6], "status": r[7], "user_status": r[8], "note": r[9],
            "summary": r[10], "claim_ids": _ids(r[11]), "first_detected": r[12], "updated_at": r[13],
            "resolved_at": r[14], "sides": sides,
        })
    return out


def set_user_status(db: sqlite_utils.Database, conflict_id: int, status: str,
                    note: Optional[str] = None) -> dict:
    """Mark a conflict resolved or ignored by hand (sticks across runs), or
    hand it back to automatic tracking with "open". Returns the updated row."""
    if status not in USER_STATUSES:
        raise TrackerError(f"unknown conflict status {status!r}: use one of {', '.join(USER_STATUSES)}")
    try:
        cid = int(conflict_id)
    except (TypeError, ValueError):
        raise TrackerError(f"conflict id must be a number, got {conflict_id!r}") from None
    now = utcnow()
    with transaction(db) as conn:
        row = conn.execute("SELECT deal_id, note FROM conflicts WHERE id = ?", (cid,)).fetchone()
        if row is None:
            raise TrackerError(f"no conflict with id {cid} (see `tracker conflicts --all` for ids)")
        new_note = note if note is not None else row[1]
        if status == "resolved":
            conn.execute(
                "UPDATE conflicts SET status = 'resolved', user_status = 'resolved', resolved_at = ?, "
                "updated_at = ?, note = ? WHERE id = ?", (now, now, new_note, cid))
        elif status == "ignored":
            conn.execute(
                "UPDATE conflicts SET status = 'ignored', user_status = 'ignored', resolved_at = NULL, "
                "updated_at = ?, note = ? WHERE id = ?", (now, new_note, cid))
        else:
            # back to automatic: open now, and let the rules settle it at once
            conn.execute(
                "UPDATE conflicts SET status = 'open', user_status = NULL, resolved_at = NULL, "
                "updated_at = ?, note = ? WHERE id = ?", (now, new_note, cid))
            refresh_conflicts(db, {row[0]})
    return next(c for c in list_conflicts(db, status=None, deal_id=row[0]) if c["id"] == cid)
