"""`tracker serve`: the database in Datasette, ready to explore.

Everything Datasette needs is built here: metadata that titles and describes
every table, view and column; facets; full-text search on documents; canned
queries (their SQL is also in docs/queries.md for sqlite3 users, and a test
keeps the two in step); a small in-process plugin that adds
`/-/tracker/deal/<id>.png` (the timeline from tracker.charts) and links the
views' deal ids to the deal's page; and a row template that shows the chart
on each deal's page. The database is always mounted as `/tracker`, whatever the
file is called. Needs the `serve` extra (datasette).
"""
from __future__ import annotations

import socket
from pathlib import Path
from typing import Any, Callable, Optional

from .errors import TrackerError

DB_NAME = "tracker"

# A deal's page (the deals table's row page) also shows its timeline chart.
# Kept here rather than in a template file so it ships in any install.
ROW_TEMPLATE = """{% extends "default:row.html" %}
{% block content %}
{{ super() }}
{% if table == "deals" and primary_key_values %}
{% set deal_id = primary_key_values[0] %}
<h2>Figures as reported over time</h2>
<p class="tracker-chart">
  <img src="{{ urls.path('/-/tracker/deal/' ~ deal_id ~ '.png') }}" style="max-width: 100%; height: auto"
       alt="Timeline of deal {{ deal_id }}'s reported figures by source; conflicting reports ringed in red">
</p>
<p>
  <a href="{{ urls.table(database, 'deal_summary') }}?deal_id={{ deal_id }}">Latest figures</a> ·
  <a href="{{ urls.query(database, 'deal_figures_over_time') }}?deal={{ deal_id }}">every figure over time</a> ·
  <a href="{{ urls.table(database, 'conflict_sides') }}?deal_id={{ deal_id }}&amp;status=open">open conflicts with quotes</a>
</p>
{% endif %}
{% endblock %}
"""
SERVE_EXTRA_HINT = "tracker serve needs the serve extra: pip install -e '.[serve]'"

# --- canned queries ---------------------------------------------------------
# Named parameters (:deal, :since) are optional: empty or unset means "all".

CANNED_QUERIES: dict[str, dict[str, str]] = {
    "open_conflicts": {
        "title": "Open conflicts, with both sides' quotes",
        "description": "One row per side of every open conflict: the value, who reported it, when, and "
                       "the sentence it came from. Rows of one conflict share conflict_id.",
        "sql": """SELECT conflict_id, buyer || '/' || provider AS deal, field, value, source, kind,
       substr(date, 1, 10) AS date, quote, url, summary, deal_id, claim_id
FROM conflict_sides
WHERE status = 'open'
ORDER BY first_detected, conflict_id, date, claim_id""",
    },
    "deal_latest_figures": {
        "title": "Each deal's latest figures",
        "description": "One row per deal: the latest reported payment (normalised to USD per year), "
                       "capacity, GPUs, models, site and term, with claim, source and open-conflict counts.",
        "sql": """SELECT *
FROM deal_summary
ORDER BY last_reported DESC, deal_id""",
    },
    "deal_figures_over_time": {
        "title": "Figures per deal over time",
        "description": "Every figure reported for a deal, oldest report first, with payments normalised "
                       "to USD per year and capacity to MW. deal: an id, or part of \"Buyer/Provider\" "
                       "(empty: every deal).",
        "sql": """SELECT deal, field, substr(date, 1, 10) AS date, source, value, period, scope,
       usd_per_year, mw, open_conflicts, quote, url, deal_id, claim_id
FROM claim_figures
WHERE COALESCE(:deal, '') = ''
   OR CAST(deal_id AS TEXT) = :deal
   OR deal LIKE '%' || :deal || '%'
ORDER BY deal, field, date, claim_id""",
    },
    "new_since": {
        "title": "New since a date",
        "description": "Documents fetched, claims extracted and open conflicts detected at or after "
                       "since (ISO date or date-time, UTC; empty: everything), newest first.",
        "sql": """SELECT * FROM (
  SELECT 'document' AS what, fetched_at AS at, NULL AS deal, source, title AS detail, url, id AS ref
  FROM documents WHERE fetched_at >= COALESCE(:since, '')
  UNION ALL
  SELECT 'claim', created_at, deal, source, field || ': ' || value, url, claim_id
  FROM claim_figures WHERE created_at >= COALESCE(:since, '')
  UNION ALL
  SELECT 'conflict', k.first_detected, dl.buyer || '/' || dl.provider, NULL, k.summary, NULL, k.id
  FROM conflicts k JOIN deals dl ON dl.id = k.deal_id
  WHERE k.status = 'open' AND k.first_detected >= COALESCE(:since, '')
)
ORDER BY at DESC, what, ref""",
    },
    "sources_by_conflicts": {
        "title": "Sources ranked by how often their figures end up in conflicts",
        "description": "Per source: documents, claims, and how many of its claims are a side of a "
                       "conflict (open or resolved; conflicts marked ignored do not count).",
        "sql": """WITH disputed AS (
  SELECT DISTINCT claim_id FROM conflict_sides WHERE status <> 'ignored'
)
SELECT f.source, COUNT(DISTINCT f.document_id) AS documents, COUNT(*) AS claims,
       COUNT(d.claim_id) AS claims_in_conflicts,
       SUM(f.open_conflicts > 0) AS claims_in_open_conflicts,
       ROUND(100.0 * COUNT(d.claim_id) / COUNT(*), 1) AS pct_in_conflicts
FROM claim_figures f LEFT JOIN disputed d ON d.claim_id = f.claim_id
GROUP BY f.source
ORDER BY claims_in_conflicts DESC, pct_in_conflicts DESC, f.source""",
    },
}

# --- tables, views and columns ----------------------------------------------

_COMMON = {
    "id": "Row id.",
    "deal_id": "The deal (deals.id).",
    "document_id": "The document the claim was read from (documents.id).",
    "claim_id": "The claim (claims.id).",
    "conflict_id": "The conflict (conflicts.id).",
    "deal": "The deal as Buyer/Provider (and the agreement in brackets, when a pair has several).",
    "buyer": "Who pays for the compute (canonical company name).",
    "provider": "Who supplies the compute (canonical company name).",
    "agreement": "Empty unless the pair has clearly separate agreements; then tells them apart.",
    "field": "What the claim is about: payment, capacity_power, gpu_count, gpu_type, model, facility, "
             "location, start, term_end, term_years, termination_notice_days, ramp.",
    "value": "The value as stated in the source (canonical text, e.g. \"$1.25B per month\").",
    "number": "The value as a number (USD for payments, MW for capacity, years, days, GPUs); NULL for names.",
    "unit": "Unit of number: USD, MW, years, days...",
    "period": "For payments: month, year or total (how often the amount is paid).",
    "approx": "1 when the source hedges (\"about\", \"roughly\"), else 0.",
    "min": "Lower bound when the source gives one (\"more than X\", a range).",
    "max": "Upper bound when the source gives one (\"up to X\", a range).",
    "scope": "NULL for the whole deal, else site, phase, initial, expansion, cumulative or option.",
    "quote": "The sentence the claim came from, verbatim from documents.text.",
    "source": "The source's name from sources.yaml (a feed, page or SEC).",
    "kind": "article or filing.",
    "url": "The document's canonical URL.",
    "title": "The document's title.",
    "date": "When the document was published (filing date for filings; fetch time if unknown).",
    "created_at": "When the tracker stored the row (ISO 8601 UTC).",
    "status": "Status of the row.",
    "error": "The error message, if any.",
}

_TABLES: dict[str, dict[str, Any]] = {
    "deals": {
        "title": "Deals",
        "description": "One row per buyer-provider compute deal. Each deal's page shows a timeline chart "
                       "of its figures as reported, by source.",
        "facets": ["buyer", "provider"],
        "sort_desc": "last_seen",
        "columns": {
            "first_seen": "When the tracker first found a claim about the deal.",
            "last_seen": "When the tracker last found a claim about the deal.",
        },
    },
    "claims": {
        "title": "Claims",
        "description": "Every figure extracted from a document, with the sentence it came from.",
        "facets": ["field", "deal_id", "scope"],
        "columns": {},
    },
    "conflicts": {
        "title": "Conflicts",
        "description": "Claims about one deal and field that cannot all be true. Sides: claim_ids "
                       "(see the conflict_sides view).",
        "facets": ["status", "field", "deal_id"],
        "columns": {
            "key": "Separates several conflicts on one deal and field (e.g. a site or a phase).",
            "claim_ids": "JSON array of the claims (claims.id) on either side.",
            "summary": "One line: each side's value, source and date.",
            "status": "open, resolved or ignored.",
            "first_detected": "When the disagreement was first found.",
            "updated_at": "When the row last changed.",
            "resolved_at": "When it was resolved (automatically, or by hand).",
            "user_status": "Set by a person (tracker conflicts --resolve/--ignore): resolved or ignored; sticks.",
            "note": "A person's note on the decision.",
        },
    },
    "documents": {
        "title": "Documents",
        "description": "Articles and SEC filings about AI compute deals, main text with boilerplate "
                       "removed. Full-text search over title and text.",
        "facets": ["source", "kind", "form_type"],
        "sort_desc": "published_at",
        "fts_table": "documents_fts",
        "fts_pk": "id",
        "label_column": "title",
        "columns": {
            "url_key": "Scheme-less, www-less form of the URL, for de-duplication.",
            "source": "The source's name from sources.yaml.",
            "published_at": "Publication date given by the source (ISO 8601).",
            "fetched_at": "When the tracker first fetched it.",
            "updated_at": "When its content last changed.",
            "content_sha256": "SHA-256 of the text, to spot unchanged re-fetches and duplicates.",
            "text": "Main text, boilerplate removed; claims quote it verbatim.",
            "form_type": "SEC form (8-K, 10-Q, ...) for filings.",
            "filer": "SEC filer name.",
            "filer_cik": "SEC filer CIK.",
            "accession": "SEC accession number.",
            "filing_date": "SEC filing date.",
            "extractor_version": "Version of the claim extractor that last read it (NULL: not yet).",
            "extracted_at": "When claims were last extracted.",
        },
    },
    "documents_fts": {
        "title": "Documents full-text index",
        "description": "FTS5 index over documents.title and documents.text (rowid = documents.id).",
        "columns": {"title": "Document title (indexed).", "text": "Document text (indexed)."},
    },
    "conflict_sides": {
        "title": "Conflict sides",
        "description": "View: one row per side (claim) of each conflict, with its value, source, date "
                       "and quote.",
        "facets": ["status", "field", "source", "buyer"],
        "columns": {
            "key": "Separates several conflicts on one deal and field.",
            "status": "The conflict's status: open, resolved or ignored.",
            "user_status": "The conflict's status set by a person, if any.",
            "summary": "The conflict in one line.",
            "first_detected": "When the conflict was first found.",
        },
    },
    "claim_figures": {
        "title": "Claim figures",
        "description": "View: one row per claim with its deal, source and date, payments normalised to "
                       "USD per year and capacity to MW, and the open conflicts it is part of.",
        "facets": ["deal", "field", "source", "kind"],
        "sort_desc": "date",
        "columns": {
            "usd_per_year": "Payments only: USD per year (monthly x12; a total divided by the deal's "
                            "term in years, when known).",
            "usd_total": "Payments stated as a total: the amount in USD.",
            "term_years_used": "The term (years) a total was divided by: the same document's, else the latest.",
            "mw": "Capacity only: megawatts (GW x1000).",
            "open_conflicts": "How many open conflicts the claim is a side of.",
            "open_conflict_ids": "Those conflicts' ids, comma-separated.",
        },
    },
    "deal_summary": {
        "title": "Deal summary",
        "description": "View: one row per deal with its latest figures (whole-deal claims preferred over "
                       "site/phase/option ones, then the newest report).",
        "facets": ["buyer", "provider", "open_conflicts"],
        "sort_desc": "last_reported",
        "columns": {
            "payment_usd_per_year": "Latest payment, normalised to USD per year.",
            "payment_as_reported": "The latest payment as stated, with its period in brackets.",
            "payment_total_usd": "Latest payment stated as a total contract value, USD.",
            "capacity_mw": "Latest capacity, MW.",
            "gpu_count": "Latest GPU count.",
            "gpu_types": "Every GPU type reported, comma-separated (conflicting ones included).",
            "models": "Every model reported, comma-separated.",
            "facility": "Latest facility (data centre or cluster name).",
            "location": "Latest location.",
            "start": "Latest start date (YYYY or YYYY-MM).",
            "term_end": "Latest end of term (YYYY or YYYY-MM).",
            "term_years": "Latest term, years.",
            "claims": "Number of claims.",
            "documents": "Number of documents with a claim about the deal.",
            "sources": "Number of distinct sources.",
            "source_names": "Those sources, comma-separated.",
            "open_conflicts": "Number of open conflicts.",
            "open_conflict_fields": "Fields with an open conflict, comma-separated.",
            "first_reported": "Date of the earliest report.",
            "last_reported": "Date of the latest report.",
            "first_seen": "When the tracker first found a claim about it.",
            "last_seen": "When the tracker last found a claim about it.",
        },
    },
    "runs": {
        "title": "Runs",
        "description": "Every collect run: when, how it ended, and what it found.",
        "facets": ["command", "status"],
        "sort_desc": "id",
        "columns": {
            "command": "collect, ingest, ...",
            "started_at": "Start (ISO 8601 UTC).",
            "finished_at": "End (NULL while running, or if the process died).",
            "status": "running, ok, partial, failed or interrupted.",
            "pid": "Process id.",
            "sources_ok": "Sources fetched without error.",
            "sources_failed": "Sources that failed.",
            "documents_new": "New documents stored.",
            "documents_updated": "Documents whose content changed.",
            "documents_unchanged": "Documents fetched again, unchanged.",
            "claims_new": "New claims extracted.",
            "error": "Why the run failed, if it did.",
        },
    },
    "run_sources": {
        "title": "Run sources",
        "description": "How each source fared in each run, errors included.",
        "facets": ["source", "status", "kind"],
        "sort_desc": "id",
        "columns": {
            "run_id": "The run (runs.id).",
            "kind": "feed, page or sec.",
            "status": "ok or failed.",
            "error": "Why the source failed.",
            "items": "Items listed by the source.",
            "new": "New documents.",
            "updated": "Changed documents.",
            "unchanged": "Unchanged documents.",
            "rejected": "Items that were not about compute deals.",
            "failed_items": "Items that could not be fetched.",
            "errors": "JSON array of per-item error messages.",
            "finished_at": "When the source finished.",
        },
    },
    "http_cache": {
        "title": "HTTP cache",
        "description": "Validators for conditional GET, per URL.",
        "columns": {
            "url": "The URL.",
            "etag": "Last ETag.",
            "last_modified": "Last Last-Modified header.",
            "status": "Last HTTP status.",
            "fetched_at": "When it was last fetched.",
        },
    },
    "rejected_urls": {
        "title": "Rejected URLs",
        "description": "Items judged not about AI compute deals; not fetched again.",
        "facets": ["source"],
        "columns": {
            "url_key": "Normalised URL (de-duplication key).",
            "url": "The URL.",
            "reason": "Why it was rejected.",
            "seen_at": "When it was rejected.",
        },
    },
    "source_state": {
        "title": "Source state",
        "description": "Per-source cursors, such as the SEC date window.",
        "columns": {
            "source": "The source's name.",
            "last_success_at": "The last successful fetch.",
            "cursor": "Where the next run continues (source-specific JSON or text).",
        },
    },
    "digests": {
        "title": "Digests",
        "description": "Every digest e-mail built: its window, recipients and delivery status.",
        "facets": ["status"],
        "sort_desc": "id",
        "columns": {
            "window_start": "Changes covered from (ISO 8601 UTC).",
            "window_end": "Changes covered up to.",
            "sent_at": "When it was handed to the SMTP server.",
            "status": "building, sent, failed, written or printed.",
            "recipients": "Who it went to.",
            "subject": "Subject line.",
            "message_id": "Message-ID header.",
            "error": "Why delivery failed.",
        },
    },
}


def build_metadata(db_columns: Optional[dict[str, list[str]]] = None) -> dict:
    """Datasette metadata for a tracker database.

    `db_columns` ({table or view: [columns]}, as read from the file) fills in
    a plain description for anything added after this was written, so every
    table and column always has one.
    """
    tables: dict[str, dict] = {}
    names = list(_TABLES) + [t for t in (db_columns or {}) if t not in _TABLES]
    for name in names:
        spec = _TABLES.get(name, {})
        cols = list((db_columns or {}).get(name) or [])
        described = dict(spec.get("columns", {}))
        for c in cols or described:
            described.setdefault(c, _COMMON.get(c, c.replace("_", " ").capitalize() + "."))
        if not cols:
            cols = list(described)
        entry = {k: v for k, v in spec.items() if k != "columns"}
        entry.setdefault("title", name.replace("_", " ").capitalize())
        entry.setdefault("description", f"The {name} table.")
        entry["columns"] = {c: described[c] for c in cols}
        tables[name] = entry
    return {
        "title": "Compute Deal Tracker",
        "description_html": (
            "AI compute deals from news and SEC filings: every figure with its source sentence, "
            "conflicting claims flagged. Start with "
            f"<a href=\"/{DB_NAME}/deal_summary\">deal summary</a>, "
            f"<a href=\"/{DB_NAME}/open_conflicts\">open conflicts</a> or the "
            f"<a href=\"/{DB_NAME}/deals\">deals</a> (each deal's page has a timeline chart)."
        ),
        "databases": {
            DB_NAME: {
                "title": "Compute Deal Tracker",
                "description": "Deals, claims, conflicts and the documents they came from. "
                               "Views: deal_summary, claim_figures, conflict_sides.",
                "tables": tables,
                "queries": {k: dict(v) for k, v in CANNED_QUERIES.items()},
            }
        },
    }


def database_columns(db: Any) -> dict[str, list[str]]:
    """{table or view: [columns]} of a tracker database (FTS shadow tables left out)."""
    conn = getattr(db, "conn", db)
    out = {}
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'documents_fts_%' ORDER BY name"
    ):
        out[name] = [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")]
    return out


# --- the plugin ---------------------------------------------------------------


class TrackerPlugin:
    """Registered in-process on Datasette's plugin manager (see _register)."""

    __name__ = "tracker"

    def __init__(self):
        from datasette import hookimpl

        def register_routes(datasette):
            return [(r"^/-/tracker/deal/(?P<deal_id>\d+)\.png$", _chart_view)]

        def render_cell(value, column, table, database, datasette):
            # views carry no foreign keys: link their deal ids to the deal's page
            if column == "deal_id" and table in ("deal_summary", "claim_figures", "conflict_sides") \
                    and isinstance(value, int):
                from markupsafe import Markup

                return Markup('<a href="{}">{}</a>').format(
                    datasette.urls.row(database, "deals", str(value)), value)
            return None

        self.register_routes = hookimpl(register_routes)
        self.render_cell = hookimpl(render_cell)


async def _chart_view(datasette, request):
    from datasette.utils.asgi import Response

    from .charts import deal_chart_png

    deal_id = int(request.url_vars["deal_id"])
    db = datasette.get_database(DB_NAME)
    png = await db.execute_fn(lambda conn: deal_chart_png(conn, deal_id))
    if png is None:
        return Response.text(f"no chart for deal {deal_id}", status=404)
    return Response(png, content_type="image/png", headers={"Cache-Control": "no-store"})


_PLUGIN: Optional[TrackerPlugin] = None


def _register() -> None:
    global _PLUGIN
    from datasette.plugins import pm

    if _PLUGIN is None:
        _PLUGIN = TrackerPlugin()
    if not pm.is_registered(_PLUGIN):
        pm.register(_PLUGIN, name="tracker")


def _require_datasette() -> None:
    try:
        import datasette  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError:
        raise TrackerError(SERVE_EXTRA_HINT) from None


def build_datasette(db_path: str | Path):
    """A Datasette instance on the tracker database (migrated first, so the
    views exist), with metadata, templates and the chart plugin."""
    _require_datasette()
    from datasette.app import Datasette
    from datasette.database import Database

    from .store import open_db

    store = open_db(db_path, create=False)  # migrates: the views exist from v3
    try:
        columns = database_columns(store)
    finally:
        store.conn.close()
    _register()
    ds = Datasette(
        metadata=build_metadata(columns),
        settings={"sql_time_limit_ms": 5000, "default_page_size": 100, "facet_time_limit_ms": 500},
    )
    from jinja2 import ChoiceLoader, DictLoader

    ds.jinja_env.loader = ChoiceLoader([DictLoader({"row.html": ROW_TEMPLATE}), ds.jinja_env.loader])
    ds.add_database(Database(ds, path=str(Path(db_path).resolve()), is_mutable=True), name=DB_NAME)
    return ds


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            raise TrackerError(f"cannot listen on {host}:{port} ({e.strerror or e}); "
                               "choose another --port or --host") from None


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001,
          echo: Callable[[str], None] = print) -> None:
    """Run Datasette on the tracker database until interrupted."""
    ds = build_datasette(db_path)
    _check_port(host, port)
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    echo(f"Serving {db_path} at http://{shown}:{port}/{DB_NAME} (Ctrl-C to stop)")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
