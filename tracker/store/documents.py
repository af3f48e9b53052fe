"""Documents, HTTP validators, rejected URLs and per-source cursors."""
from __future__ import annotations

import hashlib
import json
from typing import Optional

import sqlite_utils

from ..models import Document
from ..urls import url_key
from . import transaction, utcnow

DOC_COLUMNS = (
    "id, url, source, kind, title, published_at, fetched_at, text, form_type, "
    "filer, filer_cik, accession, filing_date"
)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def known(db: sqlite_utils.Database, url: str) -> Optional[str]:
    """Why `url` need not be fetched again: "stored", "rejected" or None."""
    key = url_key(url)
    conn = db.conn
    if conn.execute("SELECT 1 FROM documents WHERE url_key = ?", (key,)).fetchone():
        return "stored"
    if conn.execute("SELECT 1 FROM rejected_urls WHERE url_key = ?", (key,)).fetchone():
        return "rejected"
    return None


def save_document(db: sqlite_utils.Database, doc: Document) -> tuple[str, int]:
    """Insert or update one document; returns ("new"|"updated"|"unchanged", id).

    The same article reached by another URL form (tracking parameters, http vs
    https, trailing slash) has the same url_key and is updated in place; the
    same text under a different URL is recognised by its hash and not stored
    twice. A changed text clears extractor_version so claims are redone.
    """
    key = url_key(doc.url)
    digest = content_hash(doc.text)
    now = utcnow()
    with transaction(db) as conn:
        row = conn.execute(
            "SELECT id, content_sha256, title FROM documents WHERE url_key = ?", (key,)
        ).fetchone()
        if row is None:
            same = conn.execute(
                "SELECT id FROM documents WHERE content_sha256 = ? AND kind = ? LIMIT 1",
                (digest, doc.kind),
            ).fetchone()
            if same is not None:
                return "unchanged", same[0]
            cur = conn.execute(
                "INSERT INTO documents (url, url_key, source, kind, title, published_at, "
                "fetched_at, updated_at, content_sha256, text, form_type, filer, filer_cik, "
                "accession, filing_date) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.url, key, doc.source, doc.kind, doc.title, doc.published_at,
                    doc.fetched_at or now, now, digest, doc.text, doc.form_type,
                    doc.filer, doc.filer_cik, doc.accession, doc.filing_date,
                ),
            )
            return "new", cur.lastrowid
        doc_id, old_hash, old_title = row
        if old_hash == digest and (old_title == doc.title or not doc.title):
            return "unchanged", doc_id
        conn.execute(
            "UPDATE documents SET title = COALESCE(?, title), "
            "published_at = COALESCE(?, published_at), updated_at = ?, content_sha256 = ?, "
            "text = ?, extractor_version = CASE WHEN content_sha256 = ? "
            "THEN extractor_version ELSE NULL END WHERE id = ?",
            (doc.title, doc.published_at, now, digest, doc.text, digest, doc_id),
        )
        return "updated", doc_id


def get_document(db: sqlite_utils.Database, doc_id: int) -> Optional[Document]:
    row = db.conn.execute(f"SELECT {DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return _doc(row) if row else None


def documents_to_extract(db: sqlite_utils.Database, version: int, *, all_docs: bool = False) -> list[int]:
    """Ids of documents whose claims are missing or from an older extractor."""
    if all_docs:
        sql, args = "SELECT id FROM documents ORDER BY id", ()
    else:
        sql = "SELECT id FROM documents WHERE extractor_version IS NULL OR extractor_version < ? ORDER BY id"
        args = (version,)
    return [r[0] for r in db.conn.execute(sql, args)]


def _doc(row: tuple) -> Document:
    (id_, url, source, kind, title, published_at, fetched_at, text, form_type,
     filer, filer_cik, accession, filing_date) = row
    return Document(
        id=id_, url=url, source=source, kind=kind, title=title, published_at=published_at,
        fetched_at=fetched_at, text=text or "", form_type=form_type, filer=filer,
        filer_cik=filer_cik, accession=accession, filing_date=filing_date,
    )


def reject_url(db: sqlite_utils.Database, url: str, source: str, reason: str) -> None:
    """Remember a URL that is not about compute deals, so it is not fetched again."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO rejected_urls (url_key, url, source, reason, seen_at) "
            "VALUES (?,?,?,?,?)",
            (url_key(url), url, source, reason[:500], utcnow()),
        )


def get_validators(db: sqlite_utils.Database, url: str) -> tuple[Optional[str], Optional[str]]:
    row = db.conn.execute(
        "SELECT etag, last_modified FROM http_cache WHERE url = ?", (url,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def set_validators(db: sqlite_utils.Database, url: str, etag: Optional[str],
                   last_modified: Optional[str], status: int) -> None:
    """Store ETag/Last-Modified exactly as received, to send back next time."""
    if not etag and not last_modified:
        with transaction(db) as conn:
            conn.execute("DELETE FROM http_cache WHERE url = ?", (url,))
        return
    with transaction(db) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO http_cache (url, etag, last_modified, status, fetched_at) "
            "VALUES (?,?,?,?,?)",
            (url, etag, last_modified, status, utcnow()),
        )


def get_cursor(db: sqlite_utils.Database, source: str) -> Optional[dict]:
    row = db.conn.execute(
        "SELECT cursor, last_success_at FROM source_state WHERE source = ?", (source,)
    ).fetchone()
    if not row:
        return None
    data = json.loads(row[0]) if row[0] else {}
    data.setdefault("last_success_at", row[1])
    return data


def set_cursor(db: sqlite_utils.Database, source: str, cursor: dict) -> None:
    """Remember how far a source got, written only after its documents are stored."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO source_state (source, last_success_at, cursor) VALUES (?,?,?)",
            (source, utcnow(), json.dumps(cursor, sort_keys=True)),
        )
