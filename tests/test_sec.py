"""The SEC EDGAR collector against the local EDGAR look-alike (tests/edgar_server.py)."""
from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from tracker.errors import ConfigError, HTTPStatusError, ParseError
from tracker.fetch import Fetcher
from tracker.sources import sec as secmod
from tracker.sources.sec import clean_filer_name, collect_sec, normalise_accession
from tracker.store import open_db
from tracker.store.documents import get_cursor, save_document

from tests.edgar_server import USER_AGENT, EdgarServer, default_filings

QUERIES = ["compute capacity", '"data center"', "edgar is down"]
CIKS = [1769628, 1513845, 1878848]


@pytest.fixture
def srv():
    with EdgarServer() as s:
        yield s


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "tracker.db")


def run(cfg, db, sink=None):
    sink = sink or (lambda d: save_document(db, d)[0])

    async def go():
        async with Fetcher(cfg.fetch, cfg.user_agent) as f:
            return await collect_sec(cfg, f, db, sink)
    return asyncio.run(go())


def by_source(results):
    return {r.source: r for r in results}


def stored(db):
    return db.conn.execute(
        "SELECT url, source, kind, title, form_type, filer, filer_cik, accession, filing_date, "
        "published_at, text FROM documents ORDER BY url"
    ).fetchall()


def test_full_run_then_quiet_second_run(srv, db):
    cfg = srv.config(queries=QUERIES, ciks=CIKS)
    t0 = datetime.now(timezone.utc).date()
    results = run(cfg, db)
    res = by_source(results)
    assert [r.source for r in results] == [
        "sec:compute capacity", 'sec:"data center"', "sec:edgar is down",
        "sec:cik:1769628", "sec:cik:1513845", "sec:cik:1878848",
    ]
    assert all(r.kind == "sec" for r in results)

    # Fair access, as the server saw it.
    assert srv.requests, "no request reached the server"
    for r in srv.requests:
        assert re.search(r"[\w.+-]+@[\w-]+\.\w+", r.headers.get("User-Agent", "")), r
        assert "gzip" in r.headers.get("Accept-Encoding", "")
    assert srv.max_in_window(1.0) <= 10
    assert {r.host for r in srv.requests} == {"efts", "data", "www"}

    # The first request got a 429 with Retry-After: 1; it was waited out.
    first = srv.requests[0]
    assert first.status == 429
    again = [r for r in srv.requests[1:] if r.path == first.path and r.query == first.query]
    assert again and again[0].status == 200
    assert again[0].t - first.t >= 0.95

    # Per-source outcomes.
    assert res["sec:edgar is down"].status == "failed"
    assert "not JSON" in res["sec:edgar is down"].error
    assert res["sec:cik:1513845"].status == "failed"
    assert "lacks the array(s) primaryDocument" in res["sec:cik:1513845"].error
    assert res["sec:cik:1878848"].status == "failed"
    assert "differ in length" in res["sec:cik:1878848"].error
    cc = res["sec:compute capacity"]
    assert cc.status == "ok" and cc.error is None
    assert any("document gone (HTTP 404)" in e and "ccmp-ex10_1.htm" in e for e in cc.errors)
    assert any("max_document_bytes" in e and "twh-20250630x10k.htm" in e for e in cc.errors)
    assert res['sec:"data center"'].status == "ok" and not res['sec:"data center"'].errors
    assert res["sec:cik:1769628"].status == "ok"
    assert res["sec:cik:1769628"].new == 1  # the Meta 8-K, only in the submissions file

    # Every filing offered is stored exactly once, as a filing.
    rows = stored(db)
    urls = [r[0] for r in rows]
    assert len(urls) == len(set(urls))
    expected = {srv.url_of(f) for f in srv.filings
                if f.body is not None and not f.filename.startswith("twh-")}
    assert set(urls) == expected
    assert all(r[2] == "filing" for r in rows)
    assert sum(r.new for r in results) == len(expected)

    docs = {r[0].rsplit("/", 1)[1]: r for r in rows}
    (url, source, kind, title, form, filer, cik, acc, fdate, pub, text) = docs["crwv-20250925.htm"]
    assert source == "sec:compute capacity"
    assert title == "8-K: COREWEAVE, INC. (2025-09-25) crwv-20250925.htm"
    assert (form, filer, cik, acc, fdate, pub) == (
        "8-K", "COREWEAVE, INC.", "1769628", "0001769628-25-000091", "2025-09-25", "2025-09-25")
    assert url.endswith("/Archives/edgar/data/1769628/000176962825000091/crwv-20250925.htm")
    assert "approximately $6.5 billion" in text and "$22.4 billion" in text
    assert "Item 1.01 Entry into a Material Definitive Agreement." in text
    assert "trackPageView" not in text and "0001769628" not in text  # script and ix:header gone
    assert docs["iren-ex99_1.htm"][3].endswith("[EX-99.1]")
    assert docs["iren-ex99_1.htm"][4] == "8-K"
    assert docs["crwv-20250930.htm"][1] == "sec:cik:1769628"
    assert docs["tm2525383d1_6k.htm"][5] == "NEBIUS GROUP N.V."
    # Big table flattened, big filing kept whole, plain text and broken HTML read.
    tenq = docs["crwv-20250930x10q.htm"][10]
    assert "Order form 001 — committed GPU capacity, delivery year 2025 | $ 177 | $ 63 | 19%" in tenq
    assert "Total | $ 55,600 | $ 9,870 | 18%" in tenq
    big = docs["gwc-20250630x10k.htm"][10]
    assert big.rstrip().endswith("END OF BIG FILING") and "XBRLHIDDEN" not in big
    fab = docs["0000912057-25-004411.txt"][10]
    assert "120 megawatts" in fab and "begin 644" not in fab and "SEC-HEADER" not in fab
    nw = docs["nwai-8k-20251014.htm"][10]
    assert "48 MW of data center capacity" in nw and "Contract value | $ 2.1 billion" in nw

    # Cursors: written for sources that completed.
    assert get_cursor(db, "sec:compute capacity")["enddt"] == t0.isoformat()
    assert get_cursor(db, "sec:cik:1769628")["last_filing_date"] == "2025-11-10"
    assert get_cursor(db, "sec:edgar is down") is None
    assert get_cursor(db, "sec:cik:1513845") is None

    # Second run: nothing new, hardly any requests.
    srv.clear()
    results2 = run(cfg, db)
    assert sum(r.new + r.updated for r in results2) == 0
    assert len(srv.requests) <= len(QUERIES) + len(CIKS)
    assert not any(r.path.startswith("/Archives/") for r in srv.requests)
    searches = [r for r in srv.requests if r.host == "efts" and r.query["q"] == "compute capacity"]
    assert searches[0].query["startdt"] == (t0 - timedelta(days=1)).isoformat()
    crwv = [r for r in srv.requests if r.path.endswith("CIK0001769628.json")]
    assert crwv[0].status == 304  # ETag sent back, nothing changed
    assert len(stored(db)) == len(expected)


def test_no_contact_email_means_no_request(srv, db):
    cfg = srv.config(queries=["compute capacity"], ciks=[1769628],
                     user_agent="Compute Deal Tracker (contact: set user_agent in sources.yaml)")
    with pytest.raises(ConfigError, match="contact e-mail"):
        run(cfg, db)
    assert srv.requests == []


def test_nothing_configured_returns_nothing(srv, db):
    assert run(srv.config(), db) == []
    assert srv.requests == []


@pytest.mark.parametrize("status,retries", [(403, 2), (429, 0)])
def test_stops_cleanly_when_sec_keeps_refusing(srv, db, status, retries):
    srv.refuse_status = status
    cfg = srv.config(queries=QUERIES, ciks=CIKS)
    cfg.fetch.retries = retries
    results = run(cfg, db)
    assert len(results) == len(QUERIES) + len(CIKS)
    assert all(r.status == "failed" for r in results)
    assert "refusal(s) in a row" in results[0].error
    assert all(r.error.startswith("not run: SEC stopped") for r in results[1:])
    assert len(srv.requests) == 3  # three refusals, then silence
    assert stored(db) == []
    assert get_cursor(db, "sec:compute capacity") is None


def test_a_few_refusals_are_waited_out(srv, db):
    srv.first_429 = False
    srv.refuse_next = 2  # two 403s in a row: below the stop threshold
    cfg = srv.config(queries=['"data center"'])
    res = run(cfg, db)[0]
    assert res.status == "ok"
    assert all("max_document_bytes" in e for e in res.errors)  # only the oversized 10-K
    assert [r.status for r in srv.requests[:3]] == [403, 403, 200]
    assert srv.requests[2].query == srv.requests[0].query
    assert res.new == res.items - 1 > 10


def test_paging_and_result_cap(db):
    with EdgarServer(page_size=4, first_429=False) as srv:
        cfg = srv.config(queries=["compute capacity"], max_results=10)
        res = run(cfg, db)[0]
        searches = [r for r in srv.requests if r.host == "efts"]
        assert [r.query.get("from") for r in searches] == [None, "4", "8"]
        assert res.items == 10
        cur = get_cursor(db, "sec:compute capacity")
        assert cur["from"] == 10 and cur["startdt"] == "2025-01-01"
        # The next run continues the same window where this one stopped.
        srv.clear()
        res2 = run(cfg, db)[0]
        searches = [r for r in srv.requests if r.host == "efts"]
        assert searches[0].query["from"] == "10" and searches[0].query["startdt"] == "2025-01-01"
        matched = len(srv._search({"q": "compute capacity", "dateRange": "custom",
                                   "startdt": "2025-01-01", "enddt": "2099-01-01"})["hits"]["hits"])
        assert res.items + res2.items >= min(matched, 20)
        assert "enddt" in get_cursor(db, "sec:compute capacity")


def test_shared_limiter_across_concurrent_runs(tmp_path):
    filings = default_filings(big_bytes=10_000, oversized_bytes=10_000, fillers=30)
    with EdgarServer(filings, first_429=False) as srv:
        db1, db2 = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
        cfg = srv.config(queries=["compute capacity"], ciks=[1769628], rps=10)
        cfg.fetch.per_host = 8

        async def go():
            async with Fetcher(cfg.fetch, cfg.user_agent) as f1, Fetcher(cfg.fetch, cfg.user_agent) as f2:
                return await asyncio.gather(
                    collect_sec(cfg, f1, db1, lambda d: save_document(db1, d)[0]),
                    collect_sec(cfg, f2, db2, lambda d: save_document(db2, d)[0]),
                )
        r1, r2 = asyncio.run(go())
        assert len(srv.requests) > 40
        assert srv.max_in_window(1.0) <= 10
        assert r1[0].new > 30 and r2[0].new > 30


def test_rate_below_one_per_second(db):
    filings = default_filings(big_bytes=10_000, oversized_bytes=10_000, fillers=0)
    with EdgarServer([f for f in filings if f.filename.startswith("crwv-2025092")], first_429=False) as srv:
        cfg = srv.config(queries=["compute capacity"], rps=2.5)
        res = run(cfg, db)[0]
        assert res.new == 1
        assert srv.max_in_window(1.0) <= 2


def test_item_failures_are_reported_and_cursor_rules(srv, db, tmp_path):
    srv.first_429 = False
    srv.filings[0].body = None  # the CoreWeave 8-K is now gone (404)

    def sink(doc):
        if "iren-20251103" in doc.url:
            raise ValueError("sink exploded")
        return save_document(db, doc)[0]

    cfg = srv.config(queries=["compute capacity"])
    res = run(cfg, db, sink)[0]
    assert res.status == "ok"
    assert any("sink exploded" in e and "iren-20251103.htm" in e for e in res.errors)
    assert any("document gone" in e and "crwv-20250925" in e for e in res.errors)
    assert res.failed_items == 4  # 404 x2, over the cap, sink
    assert res.new == res.items - res.failed_items
    # 404, size cap, a sink that refuses: permanent, so the cursor moves on.
    assert get_cursor(db, "sec:compute capacity") is not None

    # A document that keeps answering 503 may work next time: cursor stays.
    db2 = open_db(tmp_path / "other.db")

    async def go():
        async with Fetcher(cfg.fetch, cfg.user_agent) as f:
            real_get = f.get

            async def get(url, **kw):
                if url.endswith("crwv-20250930x10q.htm"):
                    raise HTTPStatusError(f"{url}: HTTP 503 Service Unavailable (after 3 attempts)", 503)
                return await real_get(url, **kw)
            f.get = get
            return await collect_sec(cfg, f, db2, lambda d: save_document(db2, d)[0])
    res2 = asyncio.run(go())[0]
    assert any("HTTP 503" in e for e in res2.errors)
    assert res2.new > 5
    assert get_cursor(db2, "sec:compute capacity") is None


def test_efts_answer_without_hits_list(srv, db):
    srv.first_429 = False
    orig = srv._search
    srv._search = lambda q: {"error": "query too complex"}
    try:
        res = run(srv.config(queries=["compute capacity"]), db)[0]
    finally:
        srv._search = orig
    assert res.status == "failed" and "no hits.hits list" in res.error


def test_helpers():
    assert clean_filer_name("EXAMPLE CORP  (EXMP)  (CIK 0001234567)") == "EXAMPLE CORP"
    assert clean_filer_name("NEBIUS GROUP N.V.  (NBIS, NBIS-WT)  (CIK 0001513845)") == "NEBIUS GROUP N.V."
    assert clean_filer_name("Fabrikam (Holdings) Ltd  (CIK 0000000001)") == "Fabrikam (Holdings) Ltd"
    assert normalise_accession("000119312526123456") == "0001193125-26-123456"
    assert normalise_accession("0001193125-26-123456") == "0001193125-26-123456"
    assert normalise_accession("12-34") is None
    with pytest.raises(ParseError, match="no filings.recent"):
        secmod._recent_rows({"cik": "1"}, 1)
    with pytest.raises(ParseError, match="differ in length"):
        secmod._recent_rows({"filings": {"recent": {"accessionNumber": [1, 2], "filingDate": [1],
                                                    "form": [1, 2], "primaryDocument": [1, 2]}}}, 1)
    assert secmod.check_user_agent(USER_AGENT) == USER_AGENT
    for bad in (None, "", "Compute Deal Tracker", "tracker (contact: ops at example dot com)"):
        with pytest.raises(ConfigError):
            secmod.check_user_agent(bad)
