"""Benchmark: incremental conflict re-evaluation on a large database.

Builds (or reuses) a database of 100,000 deals / 1,000,000 claims, then adds
1,000 claims (new documents touching a few hundred deals) through the real
path — replace_document_claims(..., after=refresh_conflicts) — and reports
the time spent in refresh_conflicts per touched deal and in total. Also checks
with EXPLAIN QUERY PLAN that every query refresh_conflicts runs uses an index.

    /work/venv/bin/python benchmarks/conflicts.py [--db /tmp/bench-conflicts.db] [--deals 100000]
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.models import ExtractedClaim  # noqa: E402
from tracker.store import open_db, transaction, utcnow  # noqa: E402
from tracker.store.claims import CLAIM_SELECT, replace_document_claims  # noqa: E402
from tracker.store.conflicts import refresh_conflicts  # noqa: E402

GPU = ["H100", "H200", "B200", "GB200", "GB300", "MI450", "TPU", "Trainium2"]
MODELS = ["Claude 4", "Claude 5", "Grok 5", "GPT-5", "Llama 4", "Gemini 3"]
PLACES = ["Memphis, Tennessee", "Abilene, Texas", "Childress, Texas", "Vineland, New Jersey", "Sines, Portugal"]


def deal_claims(deal: int, rng: random.Random):
    """~10 claims from 3 sources for one deal; about 5% disagree on payment."""
    monthly = rng.choice([0.5, 1.0, 1.25, 2.0, 3.0]) * 1e9
    out = []
    for src in range(3):
        m = monthly * (1.6 if (src == 2 and deal % 20 == 0) else 1.0)
        out.append((src, "payment", f"${m / 1e9:g}B per month", m, None, "month", None))
    out.append((0, "payment", f"${monthly * 12 / 1e9:g}B per year", monthly * 12, None, "year", None))
    g = rng.choice(GPU)
    out.append((0, "gpu_type", g, None, None, None, None))
    out.append((1, "gpu_type", g, None, None, None, None))
    out.append((1, "term_years", "5 years", 5.0, "years", None, None))
    out.append((2, "location", rng.choice(PLACES), None, None, None, None))
    out.append((0, "model", rng.choice(MODELS), None, None, None, None))
    out.append((1, "capacity_power", "300 MW", 300.0, "MW", None, None))
    return out


def build(path: Path, n_deals: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    db = open_db(path)
    conn = db.conn
    conn.execute("PRAGMA synchronous = OFF")
    now = utcnow()
    t0 = time.perf_counter()
    # Three "sources" per block of 50 deals: each document covers 50 deals.
    block = 50
    with transaction(db):
        conn.executemany(
            "INSERT INTO deals (id, buyer, provider, agreement, first_seen, last_seen) VALUES (?,?,?,'',?,?)",
            ((i, f"Buyer{i}", f"Provider{i % 997}", now, now) for i in range(1, n_deals + 1)))
        n_docs = (n_deals // block + 1) * 3
        conn.executemany(
            "INSERT INTO documents (id, url, url_key, source, kind, title, published_at, fetched_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            ((i, f"https://news.example/{i}", f"news.example/{i}", f"outlet{i % 3}",
              "filing" if i % 30 == 0 else "article", f"Story {i}", "2025-07-01", now)
             for i in range(1, n_docs + 1)))

        def rows():
            for deal in range(1, n_deals + 1):
                base = ((deal - 1) // block) * 3 + 1
                for src, field, value, number, unit, period, scope in deal_claims(deal, rng):
                    yield (deal, base + src, field, value, number, unit, period, 0, scope,
                           f"{value} (deal {deal})", now)

        conn.executemany(
            "INSERT INTO claims (deal_id, document_id, field, value, number, unit, period, approx, scope, "
            "quote, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows())
    n_claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    print(f"built {n_deals:,} deals, {n_claims:,} claims in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    with transaction(db):
        for i in range(1, n_deals + 1, 5000):
            refresh_conflicts(db, range(i, min(i + 5000, n_deals + 1)))
    n_conf = conn.execute("SELECT count(*) FROM conflicts").fetchone()[0]
    print(f"initial conflicts: {n_conf:,} (full evaluation {time.perf_counter() - t0:.1f}s)")
    conn.close()


def explain(db) -> list[str]:
    """EXPLAIN QUERY PLAN for each query refresh_conflicts runs."""
    queries = [
        (CLAIM_SELECT + " WHERE c.deal_id = ? ORDER BY c.id", (1,)),
        ("SELECT id, field, key, claim_ids, summary, status, user_status, resolved_at "
         "FROM conflicts WHERE deal_id = ?", (1,)),
        ("SELECT document_id FROM claims WHERE id IN (?,?)", (1, 2)),
        ("SELECT id, fetched_at FROM documents WHERE id IN (?,?)", (1, 2)),
        ("UPDATE conflicts SET claim_ids = ?, summary = ?, updated_at = ? WHERE id = ?", ("[]", "", "", 1)),
    ]
    bad = []
    for sql, args in queries:
        plan = [r[3] for r in db.conn.execute("EXPLAIN QUERY PLAN " + sql, args)]
        text = "; ".join(plan)
        print(f"  {sql[:70]}...\n    -> {text}")
        if any(p.startswith("SCAN") and "CONSTANT" not in p for p in plan):
            bad.append(text)
    return bad


def run(path: Path, n_new: int = 1000, per_doc: int = 10, seed: int = 2) -> dict:
    rng = random.Random(seed)
    db = open_db(path)
    n_deals = db.conn.execute("SELECT max(id) FROM deals").fetchone()[0]
    deals = rng.sample(range(1, n_deals + 1), 300)
    refresh_time = 0.0
    touched_all: set[int] = set()
    totals = {"opened": 0, "updated": 0, "resolved": 0, "reopened": 0}

    def after(d, touched):
        nonlocal refresh_time
        t = time.perf_counter()
        counts = refresh_conflicts(d, touched)
        refresh_time += time.perf_counter() - t
        touched_all.update(touched)
        for k in totals:
            totals[k] += counts.get(k, 0)

    t0 = time.perf_counter()
    made = 0
    doc_n = 0
    stamp = time.time_ns()
    while made < n_new:
        doc_n += 1
        with transaction(db) as conn:
            now = utcnow()
            doc_id = conn.execute(
                "INSERT INTO documents (url, url_key, source, kind, title, published_at, fetched_at) "
                "VALUES (?,?,?,?,?,?,?)", (f"https://new.example/{stamp}/{doc_n}", f"new.example/{stamp}/{doc_n}",
                                           "newoutlet", "article", "New story", "2025-12-01", now)).lastrowid
        claims = []
        for k in range(per_doc):
            deal = rng.choice(deals)
            buyer, provider = db.conn.execute("SELECT buyer, provider FROM deals WHERE id = ?", (deal,)).fetchone()
            if k % 2:
                m = rng.choice([1.0, 2.0, 9.0]) * 1e9
                claims.append(ExtractedClaim(buyer, provider, "payment", f"${m / 1e9:g}B per month",
                                             f"It pays ${m / 1e9:g}B a month ({k}).", number=m, period="month"))
            else:
                claims.append(ExtractedClaim(buyer, provider, "gpu_type", rng.choice(GPU), f"GPUs ({k})."))
        replace_document_claims(db, doc_id, claims, 1, after=after)
        made += len(claims)
    wall = time.perf_counter() - t0
    # the same deals once more in one call, as a batch run would (nothing changes)
    t = time.perf_counter()
    with transaction(db):
        refresh_conflicts(db, touched_all)
    batch_s = time.perf_counter() - t
    print("EXPLAIN QUERY PLAN:")
    bad = explain(db)
    result = {
        "claims_added": made, "documents": doc_n, "touched_deals": len(touched_all),
        "refresh_calls_total_s": refresh_time, "wall_s": wall,
        "batch_refresh_s": batch_s, **totals, "full_scans": bad,
    }
    db.conn.close()
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench-conflicts.db")
    ap.add_argument("--deals", type=int, default=100_000)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args(argv)
    path = Path(args.db)
    if args.rebuild and path.exists():
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(path) + suffix)
            if p.exists():
                os.remove(p)
    if not path.exists():
        build(path, args.deals)
    r = run(path)
    # refresh is called once per document with the deals it touched, so the
    # per-deal figure is the refresh time over the (deal, document) evaluations
    evaluations = r["documents"] * 10
    print(f"added {r['claims_added']} claims in {r['documents']} documents, touching {r['touched_deals']} deals")
    print(f"refresh_conflicts: {r['refresh_calls_total_s'] * 1000:.0f} ms total, "
          f"{r['refresh_calls_total_s'] * 1000 / evaluations:.2f} ms per deal evaluation "
          f"({evaluations} evaluations), wall incl. claim writes {r['wall_s']:.2f}s")
    print(f"one batch call over all {r['touched_deals']} touched deals: {r['batch_refresh_s'] * 1000:.0f} ms "
          f"({r['batch_refresh_s'] * 1000 / max(1, r['touched_deals']):.2f} ms per deal)")
    print(f"conflicts opened {r['opened']}, updated {r['updated']}, resolved {r['resolved']}, reopened {r['reopened']}")
    if r["full_scans"]:
        print("FULL SCANS:", r["full_scans"])
        return 1
    print("all queries use indexes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
