"""How cost grows with work (not part of the test suite).

    python benchmarks/scale.py collect [--feeds 1,10,100,1000] [--latency 0.05]
    python benchmarks/scale.py claims  [--sizes 10000,100000,1000000]

collect: N feeds on a local server that answers every request after
`latency` seconds; each feed lists one distinct relevant article. Times one
`tracker collect` (fetch + store + extract) per N, in a fresh database.

claims: a database with N claims (1,000 per simulated day, ~10 claims per
document, ~5 per deal), its size on disk, and the time of the digest's
queries for the last day's window (new claims, new deals, changed
conflicts, open-conflict count), median of 5 runs after one warm-up.
Results go to stdout as Markdown rows for docs/benchmarks-scale.md.
"""
from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# --- collect vs number of feeds ---------------------------------------------------

def _server(n_feeds: int, latency: float):
    from tracker.demo import load_articles, render_page

    arts = [a for a in load_articles() if a["slug"] != "stadium-naming-rights"]

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            time.sleep(latency)
            host = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            path = self.path.split("?")[0]
            if path.startswith("/feed/"):
                i = int(path.rsplit("/", 1)[1])
                a = arts[i % len(arts)]
                body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>f{i}</title>'
                        f"<item><title>{a['title']} ({i})</title><link>{host}/a/{i}</link></item>"
                        "</channel></rss>").encode()
                ctype = "application/rss+xml"
            elif path.startswith("/a/"):
                i = int(path.rsplit("/", 1)[1])
                a = dict(arts[i % len(arts)])
                a["paragraphs"] = a["paragraphs"] + [f"Filed under story number {i}."]
                body, ctype = render_page(a).encode(), "text/html; charset=utf-8"
            else:
                body, ctype = b"no", "text/plain"
                self.send_response(404)
            if not path.startswith(("/feed/", "/a/")):
                pass
            else:
                self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def bench_collect(counts: list[int], latency: float) -> None:
    print("| feeds | requests | collect wall time | per feed | documents | claims |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in counts:
        srv = _server(n, latency)
        base = f"http://127.0.0.1:{srv.server_address[1]}"
        with tempfile.TemporaryDirectory() as d:
            cfg = Path(d) / "sources.yaml"
            feeds = "".join(f"  - name: f{i}\n    url: {base}/feed/{i}\n" for i in range(n))
            cfg.write_text(f'user_agent: "bench bench@example.com"\nfeeds:\n{feeds}'
                           "fetch:\n  per_host: 32\n  concurrency: 32\n  retries: 0\n  timeout: 30\n")
            db = Path(d) / "t.db"
            t0 = time.monotonic()
            p = subprocess.run([sys.executable, "-m", "tracker", "collect", "--db", str(db), "--config", str(cfg),
                                "--quiet"], cwd=str(ROOT), capture_output=True, text=True)
            took = time.monotonic() - t0
            conn = sqlite3.connect(db)
            docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
            conn.close()
            if p.returncode:
                print(p.stderr[-500:], file=sys.stderr)
        srv.shutdown()
        print(f"| {n:,} | {2 * n:,} | {took:.1f} s | {1000 * took / n:.0f} ms | {docs:,} | {claims:,} |", flush=True)


# --- digest queries vs number of claims ---------------------------------------------

FIELDS = ["payment", "capacity_power", "gpu_count", "gpu_type", "facility", "location", "start", "term_years"]


def build_db(path: Path, n_claims: int) -> None:
    from tracker.store import open_db

    open_db(path).conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = WAL")
    rng = random.Random(1)
    per_day = 1000
    days = max(1, n_claims // per_day)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    start = now - timedelta(days=days)
    n_docs = max(1, n_claims // 10)
    n_deals = max(1, n_claims // 5 // 10)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO deals (id, buyer, provider, agreement, first_seen, last_seen) VALUES (?,?,?,?,?,?)",
        ((i + 1, f"Buyer{i % 997}", f"Provider{i}", "",
          (start + timedelta(days=days * i / n_deals)).isoformat(),
          (start + timedelta(days=days * i / n_deals)).isoformat()) for i in range(n_deals)))
    conn.executemany(
        "INSERT INTO documents (id, url, url_key, source, kind, title, published_at, fetched_at, content_sha256, text) "
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        ((i + 1, f"https://news.example.com/{i}", f"news.example.com/{i}", "wire", "article", f"Story {i}",
          (start + timedelta(days=days * i / n_docs)).date().isoformat(),
          (start + timedelta(days=days * i / n_docs)).isoformat(), f"{i:064x}",
          "OpenAI will pay Oracle $30 billion a year for compute. " * 8) for i in range(n_docs)))

    def claims():
        for i in range(n_claims):
            when = start + timedelta(seconds=86400 * days * i / n_claims)
            doc = i // 10 + 1
            deal = min(n_deals, max(1, int(n_deals * i / n_claims) + rng.randint(0, 2)))
            f = FIELDS[i % len(FIELDS)]
            yield (deal, doc, f, f"${rng.randint(1, 90)}B per year", rng.random() * 1e11, "USD", "year",
                   f"Quote number {i}: OpenAI will pay Oracle ${rng.randint(1, 90)} billion a year.",
                   when.isoformat())

    conn.executemany("INSERT INTO claims (deal_id, document_id, field, value, number, unit, period, quote, created_at) "
                     "VALUES (?,?,?,?,?,?,?,?,?)", claims())
    conn.executemany(
        "INSERT INTO conflicts (deal_id, field, key, claim_ids, summary, status, first_detected, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?)",
        ((d, "payment", "", "[1,2]", "differs", "open" if d % 3 else "resolved",
          (start + timedelta(days=days * d / n_deals)).isoformat(),
          (start + timedelta(days=days * d / n_deals)).isoformat()) for d in range(1, n_deals + 1, 20)))
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def digest_queries(path: Path) -> float:
    from tracker.store import digests as ds
    from tracker.store import open_db

    db = open_db(path)
    end = datetime.now(timezone.utc).replace(microsecond=0)
    lo, hi = (end - timedelta(days=1)).isoformat(), end.isoformat()

    def once():
        t0 = time.perf_counter()
        ds.new_deals(db, lo, hi)
        claims = ds.new_claims(db, lo, hi)
        ds.changed_conflicts(db, lo, hi)
        ds.count_open_conflicts(db)
        ds.last_sent(db)
        return time.perf_counter() - t0, len(claims)

    once()
    times = [once()[0] for _ in range(5)]
    n = once()[1]
    db.conn.close()
    return statistics.median(times), n


def bench_claims(sizes: list[int]) -> None:
    print("| claims | database size | build time | digest queries (last day) | claims in window |")
    print("|---:|---:|---:|---:|---:|")
    for n in sizes:
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "t.db"
            t0 = time.monotonic()
            build_db(path, n)
            built = time.monotonic() - t0
            size = os.path.getsize(path)
            q, in_window = digest_queries(path)
            print(f"| {n:,} | {size / 1e6:,.1f} MB | {built:.0f} s | {q * 1000:.1f} ms | {in_window:,} |", flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["collect", "claims"])
    ap.add_argument("--feeds", default="1,10,100,1000")
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    a = ap.parse_args()
    if a.what == "collect":
        bench_collect([int(x) for x in a.feeds.split(",")], a.latency)
    else:
        bench_claims([int(x) for x in a.sizes.split(",")])
