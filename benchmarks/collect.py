"""Collect throughput: 200 feed items, every response delayed 100 ms.

Ten loopback web servers (127.0.0.2-11), 20 articles each, behind one feed
on 127.0.0.1. Serial fetching would take 201 x 100 ms = 20 s of latency
alone; concurrent fetching with the default per-host limit of 4 should take
about (200 / 40) x 100 ms = 0.5 s of latency plus CPU for text extraction
and claims. A second run with nothing new costs one conditional GET.

    python benchmarks/collect.py [--items 200] [--latency 0.1]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.config import parse_config  # noqa: E402
from tracker.demo import render_page  # noqa: E402
from tracker.pipeline import collect  # noqa: E402

BUYERS = ["Anthropic", "OpenAI", "Meta", "Microsoft", "Mistral"]
PROVIDERS = ["CoreWeave", "Nebius", "Oracle", "Lambda", "Crusoe", "Nscale", "Fluidstack"]


def article(i: int) -> dict:
    b, p = BUYERS[i % len(BUYERS)], PROVIDERS[i % len(PROVIDERS)]
    filler = ("Analysts said demand for AI infrastructure continues to outstrip supply, and that "
              "power availability has become the main constraint on new data center projects. ") * 12
    return {
        "slug": f"story-{i}", "outlet": "Bench Wire", "date": "2026-05-01T00:00:00+00:00",
        "title": f"{b} signs compute deal with {p} (story {i})",
        "paragraphs": [
            f"{b} agreed to pay {p} ${1 + i % 9}.{i % 10} billion over {2 + i % 5} years for GPU capacity.",
            f"The contract covers {100 + i} megawatts of data center capacity and {10000 + i * 10:,} Nvidia GB200 chips.",
            filler,
            f"Deliveries begin in {2026 + i % 3}, the companies said.",
        ],
        "related": ["OpenAI raises $40 billion in new funding"],
    }


def make_handler(pages: dict[str, bytes], latency: float, counter: dict):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            time.sleep(latency)
            counter["n"] += 1
            etag = '"bench-v1"'
            if self.path == "/feed.xml" and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = pages.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml" if self.path.endswith(".xml") else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if self.path == "/feed.xml":
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    return H


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=200)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--hosts", type=int, default=10)
    args = ap.parse_args()

    counter = {"n": 0}
    servers = []
    page_sets: list[dict[str, bytes]] = [{} for _ in range(args.hosts)]
    for h in range(args.hosts):
        srv = ThreadingHTTPServer((f"127.0.0.{h + 2}", 0), make_handler(page_sets[h], args.latency, counter))
        srv.daemon_threads = True
        servers.append(srv)
    items = []
    for i in range(args.items):
        h = i % args.hosts
        host, port = servers[h].server_address[:2]
        page_sets[h][f"/story-{i}"] = render_page(article(i)).encode()
        items.append(f"<item><title>story {i}</title><link>http://{host}:{port}/story-{i}</link></item>")
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title>'
            + "".join(items) + "</channel></rss>").encode()
    feed_pages = {"/feed.xml": feed}
    feed_srv = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(feed_pages, args.latency, counter))
    feed_srv.daemon_threads = True
    servers.append(feed_srv)
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{feed_srv.server_address[1]}"
    cfg = parse_config(f"""
user_agent: "bench bench@example.com"
feeds:
  - name: bench
    url: {base}/feed.xml
    max_items: {args.items}
""")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        s1 = collect(cfg, db)
        t1 = time.perf_counter()
        n1 = counter["n"]
        s2 = collect(cfg, db)
        t2 = time.perf_counter()
    serial = (args.items + 1) * args.latency
    print(f"items: {args.items}, latency per response: {args.latency * 1000:.0f} ms, "
          f"hosts: {args.hosts} (per-host limit {cfg.fetch.per_host})")
    print(f"first collect:  {t1 - t0:6.2f} s  ({n1} requests; serial latency alone would be {serial:.1f} s; "
          f"latency bound with these limits {((args.items / min(args.hosts * cfg.fetch.per_host, cfg.fetch.concurrency)) + 1) * args.latency:.2f} s)")
    print(f"  {s1.line()}")
    print(f"second collect: {t2 - t1:6.2f} s  ({counter['n'] - n1} requests)")
    print(f"  {s2.line()}")


if __name__ == "__main__":
    main()
