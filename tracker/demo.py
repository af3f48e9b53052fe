"""`tracker demo`: the whole pipeline offline, on a corpus we wrote.

The sample articles are served as real web pages (with navigation, cookie
banners, "related" teasers carrying dollar figures, and footers) plus an RSS
feed, from a loopback HTTP server; collect runs against them exactly as it
would against the web.
"""
from __future__ import annotations

import html
import tempfile
import threading
from email.utils import format_datetime
from datetime import datetime
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Callable, Optional

import yaml


def load_articles() -> list[dict]:
    text = resources.files("tracker").joinpath("demo_corpus/articles.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def outlet_slug(outlet: str) -> str:
    return "-".join(outlet.lower().split())


def outlets() -> list[str]:
    return sorted({a["outlet"] for a in load_articles()})


def render_page(article: dict) -> str:
    """An article page dressed like a real news site."""
    e = html.escape
    paras = "\n".join(f"<p>{e(p)}</p>" for p in article["paragraphs"])
    related = "".join(f'<li><a href="/news/other-{i}">{e(t)}</a></li>' for i, t in enumerate(article.get("related", [])))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(article['title'])} | {e(article['outlet'])}</title>
<meta property="og:title" content="{e(article['title'])}">
<meta property="article:published_time" content="{e(article['date'])}">
</head><body>
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience. Accept all cookies?</p><button>Accept</button></div>
<header class="site-header"><nav class="main-nav"><a href="/">Home</a> <a href="/markets">Markets</a> <a href="/ai">AI</a> <a href="/chips">Chips</a></nav></header>
<div class="ticker">NVDA +2.1% ORCL +9.0% MSFT -0.4%</div>
<main><article class="story">
<h1>{e(article['title'])}</h1>
<p class="byline">By Staff Reporter, {e(article['outlet'])}</p>
{paras}
</article>
<aside class="related-articles"><h3>Related</h3><ul>{related}</ul></aside>
<section class="newsletter-signup"><p>Get the AI infrastructure briefing: $9 a month, cancel any time.</p></section>
</main>
<div class="trending"><h3>Trending</h3><ol><li>Data center power demand to hit 100 GW by 2030</li></ol></div>
<footer class="site-footer"><p>&copy; 2026 {e(article['outlet'])}. All rights reserved.</p></footer>
</body></html>"""


def render_feed(articles: list[dict], base: str) -> str:
    e = html.escape
    items = []
    for a in articles:
        when = format_datetime(datetime.fromisoformat(a["date"]))
        items.append(
            f"<item><title>{e(a['title'])}</title><link>{base}/news/{a['slug']}?utm_source=rss</link>"
            f"<guid isPermaLink=\"false\">{e(a['slug'])}</guid><pubDate>{when}</pubDate>"
            f"<description>{e(a['paragraphs'][0])}</description></item>"
        )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Demo AI infrastructure news</title><link>{base}/</link>"
            "<description>Sample feed for tracker demo</description>" + "".join(items) + "</channel></rss>")


class _Handler(BaseHTTPRequestHandler):
    def __init__(self, *args, articles: dict[str, dict], **kwargs):
        self.articles = articles
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        if path == "/feed.xml":
            self._send(render_feed(list(self.articles.values()), base), "application/rss+xml")
        elif path.startswith("/feeds/") and path.endswith(".xml"):
            outlet = path[len("/feeds/"):-len(".xml")]
            mine = [a for a in self.articles.values() if outlet_slug(a["outlet"]) == outlet]
            if mine:
                self._send(render_feed(mine, base), "application/rss+xml")
            else:
                self._send("<h1>Not found</h1>", "text/html", 404)
        elif path.startswith("/news/") and path[6:] in self.articles:
            self._send(render_page(self.articles[path[6:]]), "text/html; charset=utf-8")
        else:
            self._send("<h1>Not found</h1>", "text/html", 404)

    def _send(self, body: str, ctype: str, status: int = 200) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:  # keep the demo's output readable
        pass


class DemoServer:
    """The sample corpus on 127.0.0.1, on a free port, in a thread."""

    def __init__(self) -> None:
        articles = {a["slug"]: a for a in load_articles()}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, articles=articles))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "DemoServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def demo_config_text(base: str) -> str:
    """One feed per outlet, as in real life, so conflicts name the outlets."""
    feeds = "".join(f"  - name: {outlet_slug(o)}\n    url: {base}/feeds/{outlet_slug(o)}.xml\n"
                    for o in outlets())
    return f"""user_agent: "Compute Deal Tracker demo demo@example.com"
feeds:
{feeds}digest:
  to: [analyst@example.com]
  from: tracker@example.com
fetch:
  retries: 0
  timeout: 10
"""


def run_demo(db_path: Optional[str], echo: Callable[[str], None] = print) -> None:
    from .cli import cli  # the demo shows the real commands' output
    from .config import parse_config
    from .pipeline import collect

    tmp = tempfile.TemporaryDirectory(prefix="tracker-demo-")
    db = db_path or str(Path(tmp.name) / "demo.db")
    try:
        with DemoServer() as server:
            cfg_text = demo_config_text(server.base)
            cfg_file = Path(tmp.name) / "demo-sources.yaml"
            cfg_file.write_text(cfg_text)
            cfg = parse_config(cfg_text, str(cfg_file))
            echo(f"Serving the sample corpus ({len(cfg.feeds)} outlets' feeds) at {server.base}/feeds/; database: {db}")
            summary = collect(cfg, db)
            echo("collect: " + summary.line())
        for title, args in (("Deals", ["deals"]), ("Claims", ["claims"]), ("Conflicts", ["conflicts"]),
                            ("Digest preview", ["digest", "--dry-run"])):
            echo("\n== " + title + " ==")
            extra = ["--config", str(cfg_file)] if args[0] == "digest" else []
            try:
                cli.main(args=args + ["--db", db] + extra, prog_name="tracker", standalone_mode=False)
            except SystemExit:
                pass
    finally:
        tmp.cleanup()
