"""Hostile HTTP from 127.0.0.1: every fault is contained to its source, with a
clear one-line error, in bounded time and memory, and the other sources are
still collected. See docs/reliability.md for the matrix."""
from __future__ import annotations

import asyncio
import gzip
import os
import sqlite3
import subprocess
import sys
import time
import zlib

import pytest

from tracker.config import FetchConfig
from tracker.demo import load_articles, render_page
from tracker.errors import FetchError, HTTPStatusError, ParseError, TooLargeError
from tracker.fetch import Fetcher
from tracker.sources.feeds import parse_feed

from .hostile_server import BILLION_LAUGHS, SECRET, HostileServer, xxe_feed

RELEVANT = [a for a in load_articles() if a["slug"] != "stadium-naming-rights"]
FAST = FetchConfig(timeout=1.0, retries=1, backoff=0.05, max_retry_after=5)


@pytest.fixture
def hostile():
    with HostileServer() as srv:
        yield srv


def get(url: str, cfg: FetchConfig = FAST):
    async def go():
        async with Fetcher(cfg, "fault-tests test@example.com") as f:
            return await f.get(url)
    return asyncio.run(go())


def fails(url: str, cfg: FetchConfig = FAST, exc=FetchError):
    t0 = time.monotonic()
    with pytest.raises(exc) as info:
        get(url, cfg)
    msg = str(info.value)
    assert "\n" not in msg and url.split("?")[0] in msg
    return msg, time.monotonic() - t0


# --- the fetcher, one fault at a time ----------------------------------------

@pytest.mark.parametrize("path, expect", [
    ("/status/500", "HTTP 500 Internal Server Error (after 2 attempts)"),
    ("/status/502", "HTTP 502"),
    ("/reset", "connection reset"),
    ("/reset-mid", "connection reset"),
    ("/truncated", "connection broken mid-response"),
    ("/loop/a", "too many redirects"),
    ("/loop/self", "too many redirects"),
])
def test_fast_failures_are_one_line_and_quick(hostile, path, expect):
    msg, took = fails(hostile.url(path))
    assert expect in msg
    assert took < 3
    if path.startswith("/status/5"):
        assert hostile.hits[path] == 2  # retried once, then given up


def test_redirect_loop_stops_at_max_redirects(hostile):
    fails(hostile.url("/loop/a"))
    assert hostile.hits["/loop/a"] + hostile.hits["/loop/b"] == FAST.max_redirects + 1


def test_503_with_retry_after_is_honoured_then_succeeds(hostile):
    url = hostile.fail_then_serve("/busy", 1, 503, "<p>fine now</p>", retry_after="1")
    t0 = time.monotonic()
    resp = get(url)
    assert resp.content == b"<p>fine now</p>"
    assert 0.9 <= time.monotonic() - t0 < 3
    assert hostile.hits["/busy"] == 2


def test_503_with_long_retry_after_is_left_for_next_run(hostile):
    msg, took = fails(hostile.url("/status/503?retry_after=3600"), exc=HTTPStatusError)
    assert "retry after 3600s; left for the next run" in msg
    assert took < 1
    assert hostile.hits["/status/503"] == 1


@pytest.mark.parametrize("path", ["/stall", "/stall-body"])
def test_server_that_never_answers_is_bounded_by_timeout(hostile, path):
    msg, took = fails(hostile.url(path))
    assert "timed out" in msg
    # (retries + 1) attempts of one read timeout each, plus backoff
    assert took < (FAST.retries + 1) * FAST.timeout + 2


def test_trickling_server_is_bounded_by_whole_response_deadline(hostile):
    """A byte every 0.2 s never trips a read timeout; the per-attempt deadline
    (3 x timeout) still ends it."""
    msg, took = fails(hostile.url("/trickle"))
    assert "timed out" in msg
    assert took < (FAST.retries + 1) * FAST.timeout * 3 + 2


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_50_mb_page_is_refused_at_the_cap(hostile, path):
    msg, took = fails(hostile.url(path), exc=TooLargeError)
    assert "10,485,760-byte cap" in msg
    assert took < 5


@pytest.mark.parametrize("path", ["/gzip-bomb", "/gzip-bomb-huge"])
def test_gzip_bomb_is_refused_without_inflating_it(hostile, path):
    msg, took = fails(hostile.url(path), exc=TooLargeError)
    assert "cap once decompressed" in msg
    assert took < 5


def test_gzip_bomb_memory_stays_near_the_cap(hostile):
    """In a fresh process: peak RSS stays far below what inflating even one
    network read of the bomb would take (httpx alone inflates a 64 KB read
    of zeros into ~64 MB; ten concurrent bombs were ~1 GB before the fix)."""
    code = f"""
import asyncio, resource
from tracker.config import FetchConfig
from tracker.fetch import Fetcher
async def main():
    async with Fetcher(FetchConfig(timeout=5, retries=0, max_bytes=2_000_000), "t") as f:
        async def one(p):
            try:
                await f.get({hostile.base!r} + p)
            except Exception as e:
                return type(e).__name__
        print(await asyncio.gather(*(one(p) for p in ["/gzip-bomb", "/gzip-bomb-huge"] * 5)))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
asyncio.run(main())
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    kinds, growth_mb = out.stdout.splitlines()
    assert kinds.count("TooLargeError") == 10
    assert int(growth_mb) < 100, f"RSS grew {growth_mb} MB while refusing 10 gzip bombs"


def test_ordinary_gzip_and_deflate_still_decode(hostile):
    body = render_page(RELEVANT[0]).encode()
    hostile.serve("/gz", gzip.compress(body), headers={"Content-Encoding": "gzip"})
    hostile.serve("/zl", zlib.compress(body), headers={"Content-Encoding": "deflate"})
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    hostile.serve("/raw", raw.compress(body) + raw.flush(), headers={"Content-Encoding": "deflate"})
    for p in ("/gz", "/zl", "/raw"):
        assert get(hostile.url(p)).content == body
    hostile.serve("/badgz", b"\x1f\x8b\x08\x00garbage-not-gzip", headers={"Content-Encoding": "gzip"})
    msg, _ = fails(hostile.url("/badgz"))
    assert "undecodable body" in msg


def test_cap_applies_to_decompressed_size_exactly(hostile):
    cfg = FetchConfig(timeout=2, retries=0, max_bytes=100_000)
    hostile.serve("/at-cap", gzip.compress(b"a" * 100_000), headers={"Content-Encoding": "gzip"})
    hostile.serve("/over-cap", gzip.compress(b"a" * 100_001), headers={"Content-Encoding": "gzip"})
    assert len(get(hostile.url("/at-cap"), cfg).content) == 100_000
    fails(hostile.url("/over-cap"), cfg, exc=TooLargeError)


# --- feeds: XML attacks and not-XML --------------------------------------------

def test_billion_laughs_is_refused_quickly():
    t0 = time.monotonic()
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_feed(BILLION_LAUGHS, "http://x/feed")
    assert time.monotonic() - t0 < 1


@pytest.mark.parametrize("body", [
    BILLION_LAUGHS.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0"?>\n<!-- \x01 -->'),
    b"\x01" + BILLION_LAUGHS,
    BILLION_LAUGHS.replace(b"</channel></rss>", b"<item><title>unterminated"),
], ids=["control-char-before-dtd", "garbage-prolog", "unterminated"])
def test_malformed_laughs_fall_to_lenient_parser_without_expansion(body):
    """When the strict pre-check cannot parse, feedparser's lenient parser
    runs: it must not expand entities either."""
    t0 = time.monotonic()
    try:
        parsed = parse_feed(body, "http://x/feed")
    except ParseError:
        return
    assert time.monotonic() - t0 < 2
    for e in parsed.entries:
        assert "lollollol" not in (e.get("title", "") + e.get("summary", ""))


def test_xxe_never_reads_files_or_calls_urls(hostile):
    hostile.serve("/x.dtd", f'<!ENTITY xxe SYSTEM "{hostile.url("/secret")}">', "application/xml-dtd")
    link = hostile.url("/article")
    cases = [
        xxe_feed("file:///etc/passwd", link),
        xxe_feed(hostile.url("/secret"), link),
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{hostile.url("/x.dtd")}"><rss version="2.0">'
        f"<channel><title>t &xxe;</title><item><title>x &xxe;</title><link>{link}</link></item>"
        "</channel></rss>".encode(),
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "{hostile.url("/x.dtd")}"> %p;]>'
        f'<rss version="2.0"><channel><item><title>x &xxe;</title><link>{link}</link></item></channel></rss>'.encode(),
    ]
    for body in cases:
        try:
            parsed = parse_feed(body, "http://x/feed")
        except ParseError:
            continue
        text = repr(parsed)
        assert SECRET not in text and "root:x:0:0" not in text
    assert hostile.hits["/secret"] == 0 and hostile.hits["/x.dtd"] == 0


@pytest.mark.parametrize("body, reason", [
    (b"<!DOCTYPE html><html><body><h1>Welcome</h1></body></html>", "not an RSS or Atom feed"),
    (b'{"items": [1, 2, 3]}', "malformed feed"),
    (bytes(range(256)) * 64, "malformed feed"),
    (b"   \n\t  ", "empty feed"),
], ids=["html", "json", "binary", "blank"])
def test_not_a_feed_is_a_clear_parse_error(body, reason):
    with pytest.raises(ParseError, match=reason) as info:
        parse_feed(body, "http://x/feed")
    assert "\n" not in str(info.value)


# --- charsets --------------------------------------------------------------------

def _page(title: str, body_text: str, meta: str = "") -> str:
    return (f"<html><head>{meta}<title>{title}</title></head><body><article><h1>{title}</h1>"
            + "".join(f"<p>{body_text} Paragraph {i} about GPU compute capacity and cloud contracts.</p>"
                      for i in range(6)) + "</article></body></html>")


TEXT = "Nébula signs €2 billion GPU deal with Zürich’s Fábrica"


@pytest.mark.parametrize("encoding, ctype", [
    ("windows-1252", "text/html; charset=utf-8"),          # says utf-8, is cp1252
    ("windows-1252", "text/html"),                         # says nothing
    ("utf-8", "text/html; charset=iso-8859-1"),            # says latin-1, is utf-8
    ("utf-8", "text/html; charset=no-such-charset"),       # unknown label
    ("utf-16", "text/html"),                               # BOM only
    ("windows-1252", "text/html; charset=utf-16"),         # absurd label
], ids=["cp1252-as-utf8", "cp1252-unlabelled", "utf8-as-latin1", "unknown-label", "utf16-bom",
        "cp1252-as-utf16"])
def test_wrong_or_missing_charset_decodes_to_the_right_text(encoding, ctype):
    from tracker.text import html_to_article
    from tracker.fetch import Response
    import httpx

    raw = _page(TEXT, TEXT).encode(encoding)
    resp = Response(url="http://x/a", status=200, headers=httpx.Headers({"content-type": ctype}), content=raw)
    page = html_to_article(raw, url=resp.url, charset=resp.charset)
    assert page.title == TEXT
    assert TEXT in page.text


@pytest.mark.parametrize("text, encoding", [
    ("Яндекс подписал контракт на GPU", "koi8-r"),
    ("東京のデータセンターとGPU契約", "shift_jis"),
])
def test_unlabelled_page_uses_its_own_meta_charset(text, encoding):
    from tracker.text import html_to_article

    raw = _page(text, text, meta=f'<meta charset="{encoding}">').encode(encoding)
    page = html_to_article(raw, url="http://x/a", charset=None)
    assert page.title == text


def test_mislabelled_feed_titles_decode(hostile):
    """feedparser gets bytes only; a feed declaring utf-8 but written in
    windows-1252 still yields readable titles, not an error."""
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            f"<item><title>{TEXT}</title><link>http://x/a</link></item></channel></rss>").encode("cp1252")
    parsed = parse_feed(body, "http://x/feed")
    assert len(parsed.entries) == 1
    assert "signs" in parsed.entries[0].title and "\ufffd" not in parsed.entries[0].title


# --- everything at once, through `tracker collect` -------------------------------

def test_collect_against_every_fault_at_once(hostile, demo_server, tmp_path, write_config):
    """One real `tracker collect` process with 16 hostile sources and the good
    demo feed: the good feed is collected in full, each hostile source fails
    with its own clear error, the run ends in bounded time and memory, and no
    secret reaches the database."""
    h = hostile
    h.serve("/article", render_page(RELEVANT[0]))
    bad = {
        "http-500": ("/status/500", "HTTP 500"),
        "http-503-retry-after": ("/status/503?retry_after=1", "HTTP 503"),
        "http-503-long-wait": ("/status/503?retry_after=7200", "left for the next run"),
        "reset": ("/reset", "connection reset"),
        "reset-mid-body": ("/reset-mid", "connection reset"),
        "never-answers": ("/stall", "timed out"),
        "stalls-mid-body": ("/stall-body", "timed out"),
        "truncated": ("/truncated", "connection broken mid-response"),
        "redirect-loop": ("/loop/a", "too many redirects"),
        "fifty-mb": ("/big", "cap"),
        "gzip-bomb": ("/gzip-bomb", "cap once decompressed"),
        "billion-laughs": ("/laughs.xml", "declares XML entities"),
        "xxe-file": ("/xxe-file.xml", "declares XML entities"),
        "xxe-http": ("/xxe-http.xml", "declares XML entities"),
        "not-xml": ("/notxml.xml", "not an RSS or Atom feed"),
        "binary": ("/binary.xml", "malformed feed"),
    }
    feeds = "".join(f"  - name: {name}\n    url: {h.url(path)}\n" for name, (path, _) in bad.items())
    cfg = write_config(f"""
user_agent: "fault tests test@example.com"
feeds:
  - name: good
    url: {demo_server.base}/feed.xml
{feeds}
fetch:
  retries: 1
  backoff: 0.05
  timeout: 1.5
""")
    db_path = str(tmp_path / "tracker.db")
    t0 = time.monotonic()
    out_f, err_f = tmp_path / "out", tmp_path / "err"
    with open(out_f, "w") as o, open(err_f, "w") as e:
        proc = subprocess.Popen([sys.executable, "-m", "tracker", "collect", "--db", db_path,
                                 "--config", cfg], stdout=o, stderr=e)
    deadline = time.monotonic() + 120
    while (res := os.wait4(proc.pid, os.WNOHANG))[0] == 0:
        assert time.monotonic() < deadline, "collect did not finish"
        time.sleep(0.05)
    took = time.monotonic() - t0
    status, usage = os.waitstatus_to_exitcode(res[1]), res[2]
    proc.returncode = status
    out, err = out_f.read_text(), err_f.read_text()
    assert status == 0, err
    peak_mb = usage.ru_maxrss // 1024
    assert peak_mb < 400, f"collect peaked at {peak_mb} MB"
    assert f"sources: 1 ok, {len(bad)} failed" in out
    assert took < 30, f"collect took {took:.1f}s"
    failed_lines = [line for line in err.splitlines() if line.startswith("FAILED ")]
    assert len(failed_lines) == len(bad)
    conn = sqlite3.connect(db_path)
    try:
        errors = dict(conn.execute("SELECT source, error FROM run_sources WHERE status = 'failed'"))
        for name, (_, expect) in bad.items():
            assert expect in errors[name], (name, errors[name])
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(RELEVANT)
        dump = "\n".join(conn.iterdump())
        assert SECRET not in dump and "root:x:0:0" not in dump
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert h.hits["/secret"] == 0
