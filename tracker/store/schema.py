"""Schema and migrations.

The database is a public interface (users query it directly), so tables and
columns are only ever added, never renamed. Each migration is a function; the
number of applied migrations lives in `PRAGMA user_version`, so an older file
is brought up to date in place without losing data.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

import sqlite_utils


def _v1(db: sqlite_utils.Database) -> None:
    db["documents"].create(
        {
            "id": int,
            "url": str,  # canonical URL, unique
            "url_key": str,  # scheme-less, www-less, slash-less form for dedup
            "source": str,
            "kind": str,  # article | filing
            "title": str,
            "published_at": str,
            "fetched_at": str,
            "updated_at": str,
            "content_sha256": str,
            "text": str,
            "form_type": str,
            "filer": str,
            "filer_cik": str,
            "accession": str,
            "filing_date": str,
            "extractor_version": int,  # NULL until claims were extracted
            "extracted_at": str,
        },
        pk="id",
        not_null={"url", "url_key", "source", "kind", "fetched_at"},
        defaults={"kind": "article"},
    )
    db.execute("CREATE UNIQUE INDEX idx_documents_url ON documents(url)")
    db.execute("CREATE UNIQUE INDEX idx_documents_url_key ON documents(url_key)")
    db["documents"].create_index(["content_sha256"])
    db["documents"].create_index(["source"])
    db["documents"].create_index(["published_at"])
    db["documents"].create_index(["fetched_at"])
    db["documents"].create_index(["extractor_version"])
    # Same names and triggers sqlite-utils' enable_fts makes (so its .search()
    # works), written out because enable_fts uses executescript, which would
    # commit halfway through this migration's transaction.
    for sql in _FTS_SQL:
        db.execute(sql)

    db["deals"].create(
        {
            "id": int,
            "buyer": str,
            "provider": str,
            "agreement": str,  # "" unless the pair has clearly separate deals
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        not_null={"buyer", "provider", "agreement"},
        defaults={"agreement": ""},
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_deals_pair ON deals(buyer, provider, agreement)"
    )
    db["deals"].create_index(["last_seen"])

    db["claims"].create(
        {
            "id": int,
            "deal_id": int,
            "document_id": int,
            "field": str,
            "value": str,
            "number": float,
            "unit": str,
            "period": str,
            "approx": int,
            "min": float,
            "max": float,
            "scope": str,
            "quote": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("deal_id", "deals", "id"), ("document_id", "documents", "id")],
        not_null={"deal_id", "document_id", "field", "value", "quote"},
        defaults={"approx": 0},
    )
    db["claims"].create_index(["deal_id", "field"])
    db["claims"].create_index(["document_id"])
    db["claims"].create_index(["created_at"])

    db["conflicts"].create(
        {
            "id": int,
            "deal_id": int,
            "field": str,
            "key": str,  # separates several conflicts on one deal+field
            "claim_ids": str,  # JSON array of claims.id
            "summary": str,
            "status": str,  # open | resolved | ignored
            "first_detected": str,
            "updated_at": str,
            "resolved_at": str,
            "user_status": str,  # set by a person: resolved | ignored; sticks
            "note": str,
        },
        pk="id",
        foreign_keys=[("deal_id", "deals", "id")],
        not_null={"deal_id", "field", "key", "claim_ids", "summary", "status"},
        defaults={"status": "open", "key": ""},
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_conflicts_key ON conflicts(deal_id, field, key)"
    )
    db["conflicts"].create_index(["status"])
    db["conflicts"].create_index(["updated_at"])

    # Operational tables.
    db["runs"].create(
        {
            "id": int,
            "command": str,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | ok | partial | failed | interrupted
            "pid": int,
            "sources_ok": int,
            "sources_failed": int,
            "documents_new": int,
            "documents_updated": int,
            "documents_unchanged": int,
            "claims_new": int,
            "error": str,
        },
        pk="id",
    )
    db["run_sources"].create(
        {
            "id": int,
            "run_id": int,
            "source": str,
            "kind": str,
            "status": str,  # ok | failed
            "error": str,
            "items": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "rejected": int,
            "failed_items": int,
            "errors": str,  # JSON array of per-item messages
            "finished_at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["run_sources"].create_index(["run_id"])
    db["run_sources"].create_index(["source"])
    db["http_cache"].create(
        {
            "url": str,
            "etag": str,
            "last_modified": str,
            "status": int,
            "fetched_at": str,
        },
        pk="url",
    )
    db["rejected_urls"].create(
        {"url_key": str, "url": str, "source": str, "reason": str, "seen_at": str},
        pk="url_key",
    )
    db["source_state"].create(
        {"source": str, "last_success_at": str, "cursor": str}, pk="source"
    )
    db["digests"].create(
        {
            "id": int,
            "window_start": str,
            "window_end": str,
            "created_at": str,
            "sent_at": str,
            "status": str,  # building | sent | failed | written | printed
            "recipients": str,
            "subject": str,
            "message_id": str,
            "error": str,
        },
        pk="id",
    )
    db["digests"].create_index(["status", "window_end"])


_FTS_SQL = [
    "CREATE VIRTUAL TABLE documents_fts USING FTS5(title, text, "
    "content=[documents], content_rowid=[id])",
    "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts (rowid, title, text) "
    "VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts (documents_fts, rowid, title, text) "
    "VALUES('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN "
    "INSERT INTO documents_fts (documents_fts, rowid, title, text) "
    "VALUES('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts (rowid, title, text) "
    "VALUES (new.id, new.title, new.text); END",
]


def _v2(db: sqlite_utils.Database) -> None:
    """`conflict_sides`: one row per side (claim) of each conflict."""
    db.execute(
        "CREATE VIEW IF NOT EXISTS conflict_sides AS "
        "SELECT cf.id AS conflict_id, cf.deal_id AS deal_id, dl.buyer AS buyer, "
        "dl.provider AS provider, cf.field AS field, cf.key AS key, cf.status AS status, "
        "cf.user_status AS user_status, cf.summary AS summary, cf.first_detected AS first_detected, "
        "c.id AS claim_id, c.value AS value, c.number AS number, c.unit AS unit, "
        "c.period AS period, c.approx AS approx, c.min AS min, c.max AS max, c.scope AS scope, "
        "c.quote AS quote, d.id AS document_id, d.source AS source, d.kind AS kind, d.url AS url, "
        "d.title AS title, COALESCE(d.published_at, d.filing_date, d.fetched_at) AS date "
        "FROM conflicts cf JOIN deals dl ON dl.id = cf.deal_id "
        "JOIN json_each(cf.claim_ids) j "
        "JOIN claims c ON c.id = j.value "
        "JOIN documents d ON d.id = c.document_id"
    )


# Normalisation used by the views below (the SQL twin of tracker.compare):
# payments to USD per year (month x12, quarter x4, week x52, day x365; a total
# divided by the deal's term in years: the same document's term_years claim
# first, else the latest one), capacity to MW (GW x1000, kW /1000).
_DOC_DATE = "COALESCE(d.published_at, d.filing_date, d.fetched_at)"
_TERM_YEARS = "t.number * (CASE WHEN lower(COALESCE(t.unit, '')) LIKE 'month%' THEN 1.0 / 12 ELSE 1.0 END)"
_TERM_SQL = (
    f"COALESCE((SELECT {_TERM_YEARS} FROM claims t WHERE t.document_id = c.document_id "
    "AND t.deal_id = c.deal_id AND t.field = 'term_years' AND t.number > 0 ORDER BY t.id DESC LIMIT 1), "
    f"(SELECT {_TERM_YEARS} FROM claims t JOIN documents td ON td.id = t.document_id "
    "WHERE t.deal_id = c.deal_id AND t.field = 'term_years' AND t.number > 0 "
    "ORDER BY COALESCE(td.published_at, td.filing_date, td.fetched_at) DESC, t.id DESC LIMIT 1))"
)
_AMOUNT_SQL = "COALESCE(c.number, (c.min + c.max) / 2, c.min, c.max)"
_CLAIM_FIGURES_SQL = (
    "CREATE VIEW IF NOT EXISTS claim_figures AS "
    "SELECT c.id AS claim_id, c.deal_id AS deal_id, "
    "dl.buyer || '/' || dl.provider || CASE WHEN dl.agreement <> '' THEN ' (' || dl.agreement || ')' "
    "ELSE '' END AS deal, dl.buyer AS buyer, dl.provider AS provider, dl.agreement AS agreement, "
    "c.field AS field, c.value AS value, c.number AS number, c.unit AS unit, c.period AS period, "
    "c.approx AS approx, c.min AS min, c.max AS max, c.scope AS scope, "
    "CASE WHEN c.field = 'payment' AND COALESCE(upper(c.unit), 'USD') = 'USD' THEN "
    "CASE lower(COALESCE(c.period, '')) "
    f"WHEN 'year' THEN {_AMOUNT_SQL} WHEN 'annual' THEN {_AMOUNT_SQL} WHEN 'yearly' THEN {_AMOUNT_SQL} "
    f"WHEN 'month' THEN {_AMOUNT_SQL} * 12 WHEN 'monthly' THEN {_AMOUNT_SQL} * 12 "
    f"WHEN 'quarter' THEN {_AMOUNT_SQL} * 4 WHEN 'week' THEN {_AMOUNT_SQL} * 52 "
    f"WHEN 'day' THEN {_AMOUNT_SQL} * 365 WHEN 'total' THEN {_AMOUNT_SQL} / {_TERM_SQL} END "
    "END AS usd_per_year, "
    "CASE WHEN c.field = 'payment' AND COALESCE(upper(c.unit), 'USD') = 'USD' "
    f"AND lower(COALESCE(c.period, '')) = 'total' THEN {_AMOUNT_SQL} END AS usd_total, "
    "CASE WHEN c.field = 'payment' AND lower(COALESCE(c.period, '')) = 'total' "
    f"THEN {_TERM_SQL} END AS term_years_used, "
    f"CASE WHEN c.field = 'capacity_power' THEN {_AMOUNT_SQL} * "
    "(CASE lower(COALESCE(c.unit, 'mw')) WHEN 'gw' THEN 1000.0 WHEN 'kw' THEN 0.001 ELSE 1.0 END) "
    "END AS mw, "
    "COALESCE(oc.n, 0) AS open_conflicts, oc.ids AS open_conflict_ids, "
    "c.quote AS quote, c.document_id AS document_id, d.source AS source, d.kind AS kind, "
    f"d.url AS url, d.title AS title, {_DOC_DATE} AS date, c.created_at AS created_at "
    "FROM claims c JOIN deals dl ON dl.id = c.deal_id JOIN documents d ON d.id = c.document_id "
    "LEFT JOIN (SELECT CAST(j.value AS INTEGER) AS claim_id, COUNT(*) AS n, "
    "group_concat(k.id, ',') AS ids FROM conflicts k, json_each(k.claim_ids) j "
    "WHERE k.status = 'open' GROUP BY 1) oc ON oc.claim_id = c.id"
)


def _latest(field: str, column: str) -> str:
    """The deal's latest reported `column` for `field`: whole-deal claims before
    site/phase/option ones, then the newest document, then the newest claim."""
    return (
        f"(SELECT f.{column} FROM claim_figures f WHERE f.deal_id = dl.id AND f.field = '{field}' "
        f"AND f.{column} IS NOT NULL "
        "ORDER BY (f.scope IS NULL OR f.scope = 'cumulative') DESC, f.date DESC, f.claim_id DESC LIMIT 1)"
    )


def _distinct(field: str) -> str:
    return (
        "(SELECT group_concat(v, ', ') FROM (SELECT DISTINCT c.value AS v FROM claims c "
        f"WHERE c.deal_id = dl.id AND c.field = '{field}' ORDER BY c.value))"
    )


_DEAL_SUMMARY_SQL = (
    "CREATE VIEW IF NOT EXISTS deal_summary AS "
    "SELECT dl.id AS deal_id, "
    "dl.buyer || '/' || dl.provider || CASE WHEN dl.agreement <> '' THEN ' (' || dl.agreement || ')' "
    "ELSE '' END AS deal, dl.buyer AS buyer, dl.provider AS provider, dl.agreement AS agreement, "
    f"{_latest('payment', 'usd_per_year')} AS payment_usd_per_year, "
    "(SELECT CASE WHEN f.approx THEN '~' ELSE '' END || f.value || "
    "CASE WHEN f.period IS NOT NULL THEN ' [' || f.period || ']' ELSE '' END "
    "FROM claim_figures f WHERE f.deal_id = dl.id AND f.field = 'payment' "
    "ORDER BY (f.scope IS NULL OR f.scope = 'cumulative') DESC, f.date DESC, f.claim_id DESC LIMIT 1) "
    "AS payment_as_reported, "
    f"{_latest('payment', 'usd_total')} AS payment_total_usd, "
    f"{_latest('capacity_power', 'mw')} AS capacity_mw, "
    f"{_latest('gpu_count', 'number')} AS gpu_count, "
    f"{_distinct('gpu_type')} AS gpu_types, "
    f"{_distinct('model')} AS models, "
    f"{_latest('facility', 'value')} AS facility, "
    f"{_latest('location', 'value')} AS location, "
    f"{_latest('start', 'value')} AS start, "
    f"{_latest('term_end', 'value')} AS term_end, "
    f"{_latest('term_years', 'number')} AS term_years, "
    "(SELECT COUNT(*) FROM claims c WHERE c.deal_id = dl.id) AS claims, "
    "(SELECT COUNT(DISTINCT c.document_id) FROM claims c WHERE c.deal_id = dl.id) AS documents, "
    "(SELECT COUNT(DISTINCT d.source) FROM claims c JOIN documents d ON d.id = c.document_id "
    "WHERE c.deal_id = dl.id) AS sources, "
    "(SELECT group_concat(s, ', ') FROM (SELECT DISTINCT d.source AS s FROM claims c "
    "JOIN documents d ON d.id = c.document_id WHERE c.deal_id = dl.id ORDER BY d.source)) AS source_names, "
    "(SELECT COUNT(*) FROM conflicts k WHERE k.deal_id = dl.id AND k.status = 'open') AS open_conflicts, "
    "(SELECT group_concat(fl, ', ') FROM (SELECT DISTINCT k.field AS fl FROM conflicts k "
    "WHERE k.deal_id = dl.id AND k.status = 'open' ORDER BY k.field)) AS open_conflict_fields, "
    f"(SELECT MIN({_DOC_DATE}) FROM claims c JOIN documents d ON d.id = c.document_id "
    "WHERE c.deal_id = dl.id) AS first_reported, "
    f"(SELECT MAX({_DOC_DATE}) FROM claims c JOIN documents d ON d.id = c.document_id "
    "WHERE c.deal_id = dl.id) AS last_reported, "
    "dl.first_seen AS first_seen, dl.last_seen AS last_seen "
    "FROM deals dl WHERE EXISTS (SELECT 1 FROM claims c WHERE c.deal_id = dl.id)"
)


def _v3(db: sqlite_utils.Database) -> None:
    """Analyst views: `claim_figures` (one row per claim, with its source, date,
    normalised figures — usd_per_year, usd_total, mw — and open conflicts) and
    `deal_summary` (one row per deal with its latest normalised figures)."""
    db.execute(_CLAIM_FIGURES_SQL)
    db.execute(_DEAL_SUMMARY_SQL)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> int:
    """Apply pending migrations, each in its own transaction; return the version."""
    conn = db.conn
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        from ..errors import DatabaseError

        raise DatabaseError(
            f"database schema version {version} is newer than this tracker "
            f"understands ({SCHEMA_VERSION}); upgrade the tracker"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current != version:
                conn.execute("ROLLBACK")
                version = current
                continue
            step(db)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise
        version += 1
    return version
