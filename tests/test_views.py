"""The analyst views (schema v3: claim_figures, deal_summary; v2: conflict_sides)
on a hand-written corpus with known answers, on the demo corpus, and the
canned queries (tracker.serve.CANNED_QUERIES) in plain sqlite3 and in
docs/queries.md."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tracker.store import open_db, transaction

ROOT = Path(__file__).resolve().parent.parent

DEMO_FEEDS = """
feeds:
  - name: ledger
    url: {base}/feeds/the-compute-ledger.xml
  - name: margins
    url: {base}/feeds/silicon-margins.xml
  - name: cloud
    url: {base}/feeds/cloud-desk.xml
"""

# documents: id -> (source, kind, published_at, filing_date, fetched_at, title)
_DOCS = {
    1: ("the-compute-ledger", "article", "2026-05-12T09:30:00+00:00", None, "2026-05-12T10:00:00+00:00",
        "Anthropic to rent xAI's Colossus 1 for $1.25 billion a month"),
    2: ("silicon-margins", "article", "2026-05-14T16:00:00+00:00", None, "2026-05-14T17:00:00+00:00",
        "Why Anthropic is renting a rival's supercomputer"),
    3: ("the-compute-ledger", "article", "2026-04-02T12:00:00+00:00", None, "2026-04-02T13:00:00+00:00",
        "OpenAI commits $300 billion to Oracle"),
    4: ("SEC", "filing", None, "2026-06-01", "2026-06-02T08:00:00+00:00", "Oracle 8-K"),
    5: ("cloud-desk", "article", "2026-02-10T14:00:00+00:00", None, "2026-02-10T15:00:00+00:00",
        "Nebius lands $17.4 billion Microsoft contract"),
}
_DEALS = {1: ("Anthropic", "xAI"), 2: ("OpenAI", "Oracle"), 3: ("Microsoft", "Nebius"), 4: ("Meta", "Google")}
PAYMENT_QUOTE_1 = "Anthropic to rent xAI's Colossus 1 for $1.25 billion a month."
PAYMENT_QUOTE_2 = "Under the deal, Anthropic pays xAI about $12 billion a year for access to Colossus 1."
# claims: id -> (deal, doc, field, value, number, unit, period, approx, min, max, scope, quote)
_CLAIMS = {
    1: (1, 1, "payment", "$1.25B per month", 1.25e9, "USD", "month", 0, None, None, None, PAYMENT_QUOTE_1),
    2: (1, 1, "capacity_power", "300 MW", 300.0, "MW", None, 1, None, None, None, "roughly 300 MW of power."),
    3: (1, 1, "gpu_type", "H100", None, None, None, 0, None, None, None, "Nvidia H100 and B200 GPUs."),
    4: (1, 1, "gpu_type", "B200", None, None, None, 0, None, None, None, "Nvidia H100 and B200 GPUs."),
    5: (1, 1, "term_end", "2029-05", None, None, None, 0, None, None, None, "runs to May 2029."),
    6: (1, 1, "facility", "Colossus 1", None, None, None, 0, None, None, None, "xAI's Colossus 1."),
    7: (1, 2, "payment", "$12B per year", 12e9, "USD", "year", 1, None, None, None, PAYMENT_QUOTE_2),
    8: (1, 2, "gpu_type", "GB200", None, None, None, 0, None, None, None, "Nvidia GB200 systems."),
    9: (1, 2, "model", "Claude 3", None, None, None, 0, None, None, None, "to serve Claude 3."),
    10: (1, 2, "gpu_count", "100,000", 100000.0, "GPUs", None, 0, None, None, None, "100,000 GPUs."),
    11: (2, 3, "payment", "$300B", 300e9, "USD", "total", 0, None, None, None, "$300 billion over five years."),
    12: (2, 3, "term_years", "5 years", 5.0, "years", None, 0, None, None, None, "over five years."),
    13: (2, 3, "capacity_power", "4.5 GW", 4.5, "GW", None, 0, None, None, None, "4.5 gigawatts."),
    14: (2, 3, "capacity_power", "1,200 MW", 1200.0, "MW", None, 0, None, None, "phase", "a 1.2 GW first phase."),
    15: (2, 3, "location", "Abilene, Texas", None, None, None, 0, None, None, None, "in Abilene, Texas."),
    16: (2, 4, "capacity_power", "4,600 MW", 4600.0, "MW", None, 0, None, None, None, "4,600 MW in total."),
    17: (2, 4, "payment", "$320B", 320e9, "USD", "total", 0, None, None, None, "$320 billion."),
    18: (2, 4, "capacity_power", "more than 900 MW", None, "MW", None, 0, 900.0, None, "site", "a 900 MW site."),
    19: (3, 5, "payment", "$17.4B", 17.4e9, "USD", "total", 0, None, None, None, "$17.4 billion."),
    20: (3, 5, "location", "Vineland, New Jersey", None, None, None, 0, None, None, None, "in Vineland."),
}
# conflicts: id -> (deal, field, claim_ids, status, first_detected)
_CONFLICTS = {
    1: (1, "payment", [1, 7], "open", "2026-05-14T17:00:00+00:00"),
    2: (1, "gpu_type", [3, 4, 8], "open", "2026-05-14T17:00:00+00:00"),
    3: (2, "capacity_power", [13, 16], "resolved", "2026-06-02T08:00:00+00:00"),
    4: (1, "model", [9], "ignored", "2026-05-14T17:00:00+00:00"),
}


def make_known_db(path: str):
    """A tracker database with the hand-written corpus above (answers known)."""
    db = open_db(path)
    with transaction(db) as conn:
        for i, (source, kind, pub, filed, fetched, title) in _DOCS.items():
            conn.execute(
                "INSERT INTO documents (id, url, url_key, source, kind, title, published_at, filing_date, "
                "fetched_at, text) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (i, f"https://example.com/{i}", f"example.com/{i}", source, kind, title, pub, filed, fetched,
                 f"{title}. Colossus text {i}."))
        for i, (buyer, provider) in _DEALS.items():
            conn.execute("INSERT INTO deals (id, buyer, provider, agreement, first_seen, last_seen) "
                         "VALUES (?,?,?,'',?,?)", (i, buyer, provider, "2026-02-10T15:00:00+00:00",
                                                    "2026-06-02T08:00:00+00:00"))
        for i, c in _CLAIMS.items():
            doc = _DOCS[c[1]]
            conn.execute(
                "INSERT INTO claims (id, deal_id, document_id, field, value, number, unit, period, approx, "
                "min, max, scope, quote, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (i, *c, doc[4]))
        for i, (deal, field, ids, status, first) in _CONFLICTS.items():
            conn.execute(
                "INSERT INTO conflicts (id, deal_id, field, key, claim_ids, summary, status, first_detected, "
                "updated_at, user_status) VALUES (?,?,?,'',?,?,?,?,?,?)",
                (i, deal, field, json.dumps(ids), f"{field}: sides disagree (conflict {i})", status, first,
                 first, "ignored" if status == "ignored" else None))
    return db


@pytest.fixture
def known_db(tmp_path):
    db = make_known_db(str(tmp_path / "known.db"))
    yield db
    db.conn.close()


def _rows(db, sql, args=()):
    return [dict(r) for r in db.query(sql, args)]


def test_deal_summary_latest_normalised_figures(known_db):
    rows = {r["deal_id"]: r for r in _rows(known_db, "SELECT * FROM deal_summary")}
    assert set(rows) == {1, 2, 3}, "a deal without claims is left out"

    a = rows[1]
    assert a["deal"] == "Anthropic/xAI" and (a["buyer"], a["provider"]) == ("Anthropic", "xAI")
    # latest report (silicon-margins, 05-14) wins: about $12B a year
    assert a["payment_usd_per_year"] == pytest.approx(12e9)
    assert a["payment_as_reported"] == "~$12B per year [year]"
    assert a["payment_total_usd"] is None
    assert a["capacity_mw"] == 300.0
    assert a["gpu_count"] == 100000
    assert a["gpu_types"] == "B200, GB200, H100"
    assert a["models"] == "Claude 3"
    assert (a["facility"], a["location"], a["term_end"], a["start"]) == ("Colossus 1", None, "2029-05", None)
    assert (a["claims"], a["documents"], a["sources"]) == (10, 2, 2)
    assert a["source_names"] == "silicon-margins, the-compute-ledger"
    assert a["open_conflicts"] == 2, "the ignored model conflict does not count"
    assert a["open_conflict_fields"] == "gpu_type, payment"
    assert a["first_reported"].startswith("2026-05-12") and a["last_reported"].startswith("2026-05-14")

    b = rows[2]
    # the filing (06-01, filing_date only) is the latest: $320B over the deal's 5-year term
    assert b["payment_usd_per_year"] == pytest.approx(64e9)
    assert b["payment_total_usd"] == pytest.approx(320e9)
    assert b["payment_as_reported"] == "$320B [total]"
    # whole-deal capacity from the filing, not the "site" claim (also in the filing) nor the phase
    assert b["capacity_mw"] == 4600.0
    assert b["term_years"] == 5.0 and b["location"] == "Abilene, Texas"
    assert b["open_conflicts"] == 0 and b["open_conflict_fields"] is None, "resolved does not count"
    assert b["sources"] == 2 and b["last_reported"] == "2026-06-01"

    c = rows[3]
    assert c["payment_usd_per_year"] is None, "a total without a known term has no yearly rate"
    assert c["payment_total_usd"] == pytest.approx(17.4e9)
    assert c["capacity_mw"] is None and c["gpu_types"] is None and c["open_conflicts"] == 0


def test_claim_figures_normalises_each_claim(known_db):
    f = {r["claim_id"]: r for r in _rows(known_db, "SELECT * FROM claim_figures")}
    assert len(f) == len(_CLAIMS)
    assert f[1]["usd_per_year"] == pytest.approx(15e9)  # $1.25B a month
    assert f[7]["usd_per_year"] == pytest.approx(12e9)
    assert f[11]["usd_per_year"] == pytest.approx(60e9) and f[11]["term_years_used"] == 5.0
    assert f[11]["usd_total"] == pytest.approx(300e9)
    assert f[17]["usd_per_year"] == pytest.approx(64e9), "another document's term is used when its own has none"
    assert f[19]["usd_per_year"] is None and f[19]["usd_total"] == pytest.approx(17.4e9)
    assert f[13]["mw"] == 4500.0, "GW converted"
    assert f[14]["mw"] == 1200.0 and f[14]["scope"] == "phase"
    assert f[18]["mw"] == 900.0, "a lower bound alone stands for the figure"
    assert f[3]["mw"] is None and f[3]["usd_per_year"] is None
    assert (f[1]["open_conflicts"], f[1]["open_conflict_ids"]) == (1, "1")
    assert (f[8]["open_conflicts"], f[8]["open_conflict_ids"]) == (1, "2")
    assert f[9]["open_conflicts"] == 0, "ignored"
    assert f[13]["open_conflicts"] == 0, "resolved"
    assert f[16]["date"] == "2026-06-01" and f[16]["kind"] == "filing" and f[16]["source"] == "SEC"
    assert f[1]["deal"] == "Anthropic/xAI" and f[1]["quote"] == PAYMENT_QUOTE_1
    assert f[1]["url"] == "https://example.com/1"


def test_conflict_sides_one_row_per_side(known_db):
    rows = _rows(known_db, "SELECT * FROM conflict_sides WHERE status = 'open' ORDER BY conflict_id, claim_id")
    assert [(r["conflict_id"], r["claim_id"]) for r in rows] == [(1, 1), (1, 7), (2, 3), (2, 4), (2, 8)]
    pay = [r for r in rows if r["conflict_id"] == 1]
    assert [r["quote"] for r in pay] == [PAYMENT_QUOTE_1, PAYMENT_QUOTE_2]
    assert [r["source"] for r in pay] == ["the-compute-ledger", "silicon-margins"]
    assert {r["buyer"] for r in rows} == {"Anthropic"}


def test_old_database_gets_the_views(tmp_path):
    path = str(tmp_path / "old.db")
    db = make_known_db(path)
    db.execute("DROP VIEW deal_summary")
    db.execute("DROP VIEW claim_figures")
    db.execute("PRAGMA user_version = 2")
    db.conn.close()
    db = open_db(path)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] >= 3
    assert {"deal_summary", "claim_figures", "conflict_sides"} <= set(db.view_names())
    assert db.conn.execute("SELECT COUNT(*) FROM deal_summary").fetchone()[0] == 3


def test_views_on_the_demo_corpus(demo_server, write_config, db_path, run_cli):
    """The demo corpus (extractor output may evolve): the views agree with the
    store's own accounting, and the Anthropic/xAI conflicts are there."""
    from tracker.store.claims import deal_rows

    r = run_cli("collect", "--db", db_path, "--config", write_config(DEMO_FEEDS.format(base=demo_server.base)))
    assert r.exit_code == 0, r.output
    db = open_db(db_path)
    summary = {r["deal_id"]: r for r in _rows(db, "SELECT * FROM deal_summary")}
    expected = {r["id"]: r for r in deal_rows(db)}
    assert set(summary) == set(expected) and summary
    for i, e in expected.items():
        s = summary[i]
        assert (s["buyer"], s["provider"]) == (e["buyer"], e["provider"])
        assert (s["claims"], s["documents"], s["open_conflicts"]) == (e["claims"], e["documents"],
                                                                     e["open_conflicts"])
    ax = next(s for s in summary.values() if (s["buyer"], s["provider"]) == ("Anthropic", "xAI"))
    assert ax["open_conflicts"] >= 1 and ax["sources"] >= 2
    assert "payment" in ax["open_conflict_fields"]
    assert ax["payment_usd_per_year"] in (pytest.approx(12e9), pytest.approx(15e9))
    open_sides = _rows(db, "SELECT * FROM conflict_sides WHERE status = 'open'")
    assert {s["claim_id"] for s in open_sides} == {
        r["claim_id"] for r in _rows(db, "SELECT claim_id FROM claim_figures WHERE open_conflicts > 0")}


# --- canned queries ---------------------------------------------------------


def _canned():
    from tracker.serve import CANNED_QUERIES

    return CANNED_QUERIES


@pytest.mark.parametrize("bind", ["", None])
def test_canned_queries_run_in_plain_sqlite(tmp_path, bind):
    """What sqlite3 users get from docs/queries.md: parameters unset (NULL) or
    empty mean "all"."""
    path = str(tmp_path / "known.db")
    make_known_db(path).conn.close()
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    out = {}
    for name, q in _canned().items():
        params = {p: bind for p in re.findall(r":(\w+)", q["sql"])}
        out[name] = [dict(r) for r in conn.execute(q["sql"], params)]
    assert [(r["conflict_id"], r["claim_id"]) for r in out["open_conflicts"]] == [(1, 1), (1, 7), (2, 3), (2, 4),
                                                                                 (2, 8)]
    assert out["open_conflicts"][0]["quote"] == PAYMENT_QUOTE_1
    assert [r["deal_id"] for r in out["deal_latest_figures"]] == [2, 1, 3]
    assert len(out["deal_figures_over_time"]) == len(_CLAIMS)
    assert len(out["new_since"]) == len(_DOCS) + len(_CLAIMS) + 2  # 2 open conflicts
    ranked = out["sources_by_conflicts"]
    assert [r["source"] for r in ranked][:2] == ["the-compute-ledger", "silicon-margins"]
    ledger = ranked[0]
    # the ledger's claims 1, 3, 4 (open conflicts) and 13 (resolved) are sides; margins' 9 is ignored
    assert (ledger["claims"], ledger["claims_in_conflicts"], ledger["claims_in_open_conflicts"]) == (11, 4, 3)
    margins = ranked[1]
    assert (margins["claims"], margins["claims_in_conflicts"], margins["pct_in_conflicts"]) == (4, 2, 50.0)
    conn.close()


def test_canned_query_parameters(known_db):
    q = _canned()
    by_id = _rows(known_db, q["deal_figures_over_time"]["sql"], {"deal": "2"})
    by_name = _rows(known_db, q["deal_figures_over_time"]["sql"], {"deal": "OpenAI/Ora"})
    assert by_id == by_name and {r["deal_id"] for r in by_id} == {2} and len(by_id) == 8
    for field in {r["field"] for r in by_id}:
        dates = [r["date"] for r in by_id if r["field"] == field]
        assert dates == sorted(dates)
    since = _rows(known_db, q["new_since"]["sql"], {"since": "2026-06-01"})
    assert {(r["what"], r["ref"]) for r in since} == {("document", 4), ("claim", 16), ("claim", 17),
                                                      ("claim", 18)}


@pytest.mark.parametrize("doc", ["docs/queries.md", "README.md"])
def test_docs_have_every_canned_query(doc):
    text = (ROOT / doc).read_text()
    for name, q in _canned().items():
        assert q["sql"] in text, f"{doc} is missing the {name} query (copy it from tracker/serve.py)"
        assert q["title"] in text
