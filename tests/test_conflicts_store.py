"""Conflict lifecycle on a real SQLite file."""
from __future__ import annotations

import json

import pytest

from tracker.errors import TrackerError
from tracker.models import ExtractedClaim
from tracker.store import open_db, transaction, utcnow
from tracker.store.claims import replace_document_claims
from tracker.store.conflicts import list_conflicts, refresh_conflicts, set_user_status


@pytest.fixture
def db(tmp_path):
    d = open_db(tmp_path / "t.db")
    yield d
    d.conn.close()


def add_doc(db, n, kind="article", date="2025-07-03", source=None, fetched=None):
    with transaction(db) as conn:
        cur = conn.execute(
            "INSERT INTO documents (url, url_key, source, kind, title, published_at, fetched_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (f"https://example.com/{n}", f"example.com/{n}", source or f"Outlet {n}", kind,
             f"Title {n}", date, fetched or date + "T00:00:00+00:00"))
        return cur.lastrowid


def pay(value, number, period, quote=None, **kw):
    return ExtractedClaim(buyer="Anthropic", provider="xAI", field="payment", value=value,
                          quote=quote or f"Anthropic pays {value}.", number=number, period=period, **kw)


def extract(db, doc_id, claims, version=1):
    """What the pipeline does: replace a document's claims and refresh touched deals."""
    counts = {}

    def after(d, touched):
        counts.update(refresh_conflicts(d, touched))

    replace_document_claims(db, doc_id, claims, version, after=after)
    return counts


def rows(db):
    return [dict(zip(("id", "status", "user_status", "first_detected", "resolved_at", "claim_ids"), r))
            for r in db.conn.execute(
                "SELECT id, status, user_status, first_detected, resolved_at, claim_ids FROM conflicts ORDER BY id")]


def test_open_update_resolve_reopen(db):
    a, b, c = add_doc(db, 1), add_doc(db, 2, date="2025-09-10"), add_doc(db, 3, date="2025-10-01")
    assert extract(db, a, [pay("$12B per year", 12e9, "year")])["opened"] == 0
    counts = extract(db, b, [pay("$90B over 5 years", 90e9, "total")])
    assert counts["opened"] == 1
    (r,) = rows(db)
    assert r["status"] == "open" and len(json.loads(r["claim_ids"])) == 2
    first = r["first_detected"]
    db.conn.execute("UPDATE conflicts SET first_detected = '2000-01-01T00:00:00+00:00' WHERE id = ?", (r["id"],))

    # a third source weighs in: the conflict gains a claim, keeps first_detected
    counts = extract(db, c, [pay("$18B a year", 18e9, "year")])
    assert counts["updated"] == 1 and counts["opened"] == 0
    (r2,) = rows(db)
    assert r2["id"] == r["id"] and len(json.loads(r2["claim_ids"])) == 3
    assert r2["first_detected"] == "2000-01-01T00:00:00+00:00" != first

    # re-extraction removes the disagreement: resolved, not deleted
    extract(db, a, [pay("$18B per year", 18e9, "year")], version=2)
    (r3,) = rows(db)
    assert r3["status"] == "resolved" and r3["resolved_at"]

    # it comes back: same row reopened, first_detected kept
    counts = extract(db, a, [pay("$12B per year", 12e9, "year")], version=3)
    assert counts["reopened"] == 1
    (r4,) = rows(db)
    assert r4["id"] == r["id"] and r4["status"] == "open" and r4["resolved_at"] is None
    assert r4["first_detected"] == "2000-01-01T00:00:00+00:00"


def test_user_ignored_survives_new_claims(db):
    a, b, c = add_doc(db, 1), add_doc(db, 2), add_doc(db, 3)
    extract(db, a, [pay("$1B", 1e9, "total")])
    extract(db, b, [pay("$3B", 3e9, "total")])
    (r,) = rows(db)
    set_user_status(db, r["id"], "ignored", note="known typo")
    extract(db, c, [pay("$3B", 3e9, "total")])
    (r2,) = rows(db)
    assert r2["status"] == "ignored" and r2["user_status"] == "ignored"
    assert len(json.loads(r2["claim_ids"])) == 3
    assert list_conflicts(db) == []
    (ig,) = list_conflicts(db, status="ignored")
    assert ig["note"] == "known typo"


def test_user_resolved_reopens_only_on_new_evidence(db):
    a, b, old = add_doc(db, 1), add_doc(db, 2), add_doc(db, 3)
    extract(db, a, [pay("$1B", 1e9, "total")])
    extract(db, b, [pay("$3B", 3e9, "total")])
    (r,) = rows(db)
    set_user_status(db, r["id"], "resolved", note="filing says $1B")
    # an old document, re-extracted by a newer extractor, is not new evidence
    extract(db, old, [pay("$3B", 3e9, "total")])
    assert rows(db)[0]["status"] == "resolved"
    c = add_doc(db, 4, fetched=utcnow())
    # re-running, and re-extracting a known document, keep it resolved
    with transaction(db):
        assert refresh_conflicts(db, {1})["reopened"] == 0
    extract(db, b, [pay("$3B", 3e9, "total", quote="It pays $3B, sources said.")], version=2)
    (r2,) = rows(db)
    assert r2["status"] == "resolved" and r2["user_status"] == "resolved" and r2["resolved_at"]
    # a new document joins: reopened
    extract(db, c, [pay("$3.1B", 3.1e9, "total")])
    (r3,) = rows(db)
    assert r3["status"] == "open" and r3["user_status"] is None and r3["resolved_at"] is None


def test_user_open_hands_back_to_rules(db):
    a, b = add_doc(db, 1), add_doc(db, 2)
    extract(db, a, [pay("$1B", 1e9, "total")])
    extract(db, b, [pay("$3B", 3e9, "total")])
    (r,) = rows(db)
    set_user_status(db, r["id"], "ignored")
    out = set_user_status(db, r["id"], "open")
    assert out["status"] == "open" and out["user_status"] is None


def test_unknown_id_and_status(db):
    with pytest.raises(TrackerError, match="no conflict with id 42"):
        set_user_status(db, 42, "resolved")
    with pytest.raises(TrackerError, match="unknown conflict status"):
        set_user_status(db, 1, "maybe")


def test_list_conflicts_sides_and_view(db):
    a = add_doc(db, 1, kind="filing", source="sec-xai", date="2025-08-01")
    b = add_doc(db, 2, date="2025-09-10")
    extract(db, a, [pay("$1.25B per month", 1.25e9, "month")])
    extract(db, b, [pay("$2B per month", 2e9, "month")])
    (cf,) = list_conflicts(db)
    assert cf["buyer"] == "Anthropic" and cf["provider"] == "xAI" and cf["field"] == "payment"
    assert "the SEC filing supports $1.25B/month" in cf["summary"]
    assert {s["kind"] for s in cf["sides"]} == {"filing", "article"}
    side = cf["sides"][0]
    for k in ("value", "source", "date", "url", "title", "quote", "kind", "claim_id"):
        assert k in side
    assert cf["first_detected"]
    view = db.conn.execute(
        "SELECT conflict_id, deal_id, buyer, provider, field, status, summary, claim_id, value, number, "
        "unit, period, scope, quote, document_id, source, kind, url, title, date "
        "FROM conflict_sides ORDER BY claim_id").fetchall()
    assert len(view) == 2
    assert view[0][2:6] == ("Anthropic", "xAI", "payment", "open")
    assert view[0][15:17] == ("sec-xai", "filing") and view[0][19] == "2025-08-01"
    assert list_conflicts(db, status=None, deal_id=cf["deal_id"])[0]["id"] == cf["id"]
    assert list_conflicts(db, deal_id=cf["deal_id"] + 1) == []


def test_only_touched_deals_refreshed(db):
    a, b = add_doc(db, 1), add_doc(db, 2)
    extract(db, a, [pay("$1B", 1e9, "total")])
    counts = extract(db, b, [pay("$3B", 3e9, "total"),
                             ExtractedClaim(buyer="Meta", provider="Google", field="gpu_type", value="TPU", quote="TPU")])
    assert counts["deals"] == 2 and counts["opened"] == 1


def test_no_false_flags_on_consistent_sources(db):
    a, b, c = add_doc(db, 1), add_doc(db, 2, kind="filing"), add_doc(db, 3)
    extract(db, a, [pay("$1.25B per month", 1.25e9, "month", approx=True),
                    ExtractedClaim(buyer="Anthropic", provider="xAI", field="facility", value="Colossus", quote="q"),
                    ExtractedClaim(buyer="Anthropic", provider="xAI", field="model", value="Claude", quote="q"),
                    ExtractedClaim(buyer="Anthropic", provider="xAI", field="model", value="Claude 5", quote="q")])
    extract(db, b, [pay("$1.25B per month", 1.25e9, "month"),
                    ExtractedClaim(buyer="Anthropic", provider="xAI", field="facility", value="Colossus 1", quote="q"),
                    ExtractedClaim(buyer="Anthropic", provider="xAI", field="term_end", value="2029-05", quote="q")])
    extract(db, c, [pay("$15B per year", 15e9, "year"),
                    ExtractedClaim(buyer="Anthropic", provider="xAI", field="model", value="Claude 4", quote="q"),
                    ExtractedClaim(buyer="Anthropic", provider="xAI", field="term_end", value="2029", quote="q")])
    assert rows(db) == []


def test_explain_query_plans_use_indexes(db):
    plans = []
    for sql, args in [
        ("SELECT c.id FROM claims c JOIN documents d ON d.id = c.document_id WHERE c.deal_id = ?", (1,)),
        ("SELECT id FROM conflicts WHERE deal_id = ?", (1,)),
    ]:
        plan = " ".join(r[3] for r in db.conn.execute("EXPLAIN QUERY PLAN " + sql, args))
        plans.append(plan)
        assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), plan
    assert "idx_claims_deal_id_field" in plans[0]


def test_benchmark_small_scale_uses_indexes_and_is_fast(tmp_path, capsys):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "bench_conflicts", Path(__file__).resolve().parents[1] / "benchmarks" / "conflicts.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    path = tmp_path / "bench.db"
    bench.build(path, 400)
    r = bench.run(path)
    assert r["full_scans"] == []
    assert r["claims_added"] == 1000 and r["touched_deals"] > 100
    assert r["refresh_calls_total_s"] / (r["documents"] * 10) < 0.05  # seconds per deal evaluation
    assert r["opened"] + r["updated"] > 0


def test_a_company_written_with_and_without_its_tail_is_one_deal(db):
    """One source writes "Orrin Labs", another "Orrin": one deal, so their
    payments are compared (and conflict); "Orrin Compute" stays another company."""
    def claim(buyer, provider, number):
        return ExtractedClaim(buyer=buyer, provider=provider, field="payment", value=f"${number / 1e6:g}M",
                              quote=f"{buyer} pays {provider}.", number=number, period="total")
    d1, d2, d3 = add_doc(db, 1), add_doc(db, 2), add_doc(db, 3)
    extract(db, d1, [claim("Orrin Labs", "Arcfield Compute", 142e6)])
    extract(db, d2, [claim("Orrin", "Arcfield", 190e6)])
    extract(db, d3, [claim("Orrin Compute", "Arcfield Compute", 80e6)])
    deals = db.conn.execute("SELECT id, buyer, provider FROM deals ORDER BY id").fetchall()
    assert [(b, p) for _, b, p in deals] == [("Orrin Labs", "Arcfield Compute"), ("Orrin Compute", "Arcfield Compute")]
    first = deals[0][0]
    assert db.conn.execute("SELECT COUNT(*) FROM claims WHERE deal_id = ?", (first,)).fetchone()[0] == 2
    assert [r["status"] for r in rows(db)] == ["open"]
