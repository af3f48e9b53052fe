"""A local look-alike of the SEC EDGAR services, for tests.

Three threaded HTTP servers on 127.0.0.1 stand in for the three SEC hosts
(efts.sec.gov full-text search, data.sec.gov submissions, www.sec.gov
Archives) and share one request log, so tests can check fair access across
hosts. The JSON shapes follow the real services (see the facts gathered for
the collector): full-text search hits with `_id` "<accession>:<file>" and
`_source` adsh/ciks/display_names/form/file_type/file_date/items...,
`hits.total`, `aggregations`; submissions files with `filings.recent` parallel
arrays; `index.json` folder listings. Filing documents come from
tests/corpus/edgar/ (our own text), plus generated large ones.

Built-in trouble, each switchable:
* the very first request is answered 429 with `Retry-After: 1`;
* one search hit whose document is gone (404);
* a plain-text full submission, a broken-HTML filing;
* a several-MB 10-K, and a 10-K bigger than the size cap tests set;
* a query whose search answer is an HTML error page (not JSON);
* a company whose submissions file lacks arrays, one with arrays of
  different lengths;
* requests without a contact e-mail in the User-Agent get 403, as on EDGAR;
* `refuse_status`: answer every request with that status (e.g. 403);
  `refuse_next = n`: answer the next n requests 403 with Retry-After.

Use:
    with EdgarServer() as srv:
        cfg = srv.config(queries=[...], ciks=[...])
        ...
        srv.requests          # every request: host, path, query, headers, t, status
        srv.max_in_window(1.0)
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs, unquote, urlsplit

from tracker.config import Config, FetchConfig, SecConfig

CORPUS = Path(__file__).parent / "corpus" / "edgar"
USER_AGENT = "Compute Deal Tracker tests ops@example.com"
_EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}")


@dataclass
class FakeFiling:
    cik: int
    company: str
    ticker: Optional[str]
    accession: str  # ##########-##-######
    form: str  # the filing's form (root form)
    file_type: str  # this document's type: 8-K, EX-99.1, ...
    filename: str
    file_date: str
    items: list[str] = field(default_factory=list)
    description: str = ""
    body: Optional[bytes] = None  # None: listed, but the document is gone (404)
    content_type: str = "text/html"
    search_text: str = ""  # what full-text search matches against
    in_search: bool = True

    @property
    def folder(self) -> str:
        return f"/Archives/edgar/data/{self.cik}/{self.accession.replace('-', '')}"

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.filename}"

    def display_name(self) -> str:
        t = f"  ({self.ticker})" if self.ticker else ""
        return f"{self.company.upper()}{t}  (CIK {self.cik:010d})"


@dataclass
class Recorded:
    host: str  # efts | data | www
    path: str
    query: dict
    headers: dict
    t: float  # time.monotonic() at arrival
    status: int = 0


def big_filing_html(size: int, company: str = "Gigawatt Cloud Inc.") -> bytes:
    """A 10-K-like inline-XBRL document of about `size` bytes with huge tables."""
    head = (
        '<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><head><title>10-K</title></head><body>'
        '<div style="display:none"><ix:header><ix:hidden>'
        + "".join(f'<ix:nonNumeric name="dei:X{i}" contextRef="c">XBRLHIDDEN{i}</ix:nonNumeric>' for i in range(200))
        + "</ix:hidden></ix:header></div>"
        f"<div><b>FORM 10-K</b></div><div><b>{company}</b></div>"
        "<div>Item 1. Business. We sell compute capacity on dedicated GPU clusters under multi-year "
        "contracts; our largest customer committed to purchase $3.2 billion of capacity through 2030.</div>"
    )
    row = ('<tr><td style="padding:0 2pt">Data center lease {i}</td><td style="text-align:right">$</td>'
           '<td style="text-align:right">{a:,}</td><td>(</td><td>{b:,}</td><td>)</td><td>{p}</td><td>%</td></tr>')
    parts = [head]
    total = len(head)
    i = 0
    while total < size:
        chunk = (f'<div style="margin-top:6pt">Note {i}. Commitments. Committed power of {i % 500} MW.</div>'
                 '<table style="width:100%">'
                 + "".join(row.format(i=i * 50 + j, a=1000 + j * 17, b=j * 3, p=j % 100) for j in range(50))
                 + "</table>")
        parts.append(chunk)
        total += len(chunk)
        i += 1
    parts.append("<div>END OF BIG FILING</div></body></html>")
    return "".join(parts).encode()


def _acc(prefix: int, year: int, n: int) -> str:
    return f"{prefix:010d}-{year % 100:02d}-{n:06d}"


def default_filings(big_bytes: int = 4 * 2**20, oversized_bytes: int = 6 * 2**20,
                    fillers: int = 12) -> list[FakeFiling]:
    """The standard EDGAR look-alike content."""
    c = CORPUS
    crwv, nbis, iren = 1769628, 1513845, 1878848
    fs = [
        FakeFiling(crwv, "CoreWeave, Inc.", "CRWV", _acc(crwv, 2025, 91), "8-K", "8-K",
                   "crwv-20250925.htm", "2025-09-25", ["1.01", "9.01"], "FORM 8-K",
                   (c / "coreweave_8k_openai_expansion.htm").read_bytes()),
        FakeFiling(crwv, "CoreWeave, Inc.", "CRWV", _acc(crwv, 2025, 102), "10-Q", "10-Q",
                   "crwv-20250930x10q.htm", "2025-11-10", [], "FORM 10-Q",
                   (c / "coreweave_10q_rpo.htm").read_bytes()),
        FakeFiling(crwv, "CoreWeave, Inc.", None, "0001193125-25-044233", "S-1", "S-1",
                   "d899798ds1.htm", "2025-03-03", [], "FORM S-1",
                   (c / "coreweave_s1_excerpt.htm").read_bytes()),
        # Reachable only through the watched-company submissions file.
        FakeFiling(crwv, "CoreWeave, Inc.", "CRWV", _acc(crwv, 2025, 95), "8-K", "8-K",
                   "crwv-20250930.htm", "2025-09-30", ["1.01"], "FORM 8-K",
                   (c / "coreweave_8k_meta.htm").read_bytes(), in_search=False),
        FakeFiling(nbis, "Nebius Group N.V.", "NBIS", "0001104659-25-087311", "6-K", "6-K",
                   "tm2525383d1_6k.htm", "2025-09-08", [], "FORM 6-K",
                   (c / "nebius_6k.htm").read_bytes()),
        FakeFiling(iren, "IREN Ltd", "IREN", "0001628280-25-048120", "8-K", "8-K",
                   "iren-20251103.htm", "2025-11-03", ["1.01", "7.01", "9.01"], "FORM 8-K",
                   (c / "iren_8k.htm").read_bytes()),
        FakeFiling(iren, "IREN Ltd", "IREN", "0001628280-25-048120", "8-K", "EX-99.1",
                   "iren-ex99_1.htm", "2025-11-03", ["1.01", "7.01", "9.01"], "PRESS RELEASE",
                   (c / "iren_ex99_1.htm").read_bytes()),
        FakeFiling(1990001, "Northwind AI Holdings, Inc.", "NWAI", _acc(1990001, 2025, 7), "8-K", "8-K",
                   "nwai-8k-20251014.htm", "2025-10-14", ["1.01"], "FORM 8-K",
                   (c / "northwind_8k_broken.htm").read_bytes()),
        FakeFiling(912057, "Fabrikam Data Centers Inc", None, "0000912057-25-004411", "8-K", "8-K",
                   "0000912057-25-004411.txt", "2025-06-02", ["1.01"], "FORM 8-K",
                   (c / "fabrikam_8k_1999_style.txt").read_bytes(), content_type="text/plain"),
        # Listed by search, but the document is gone.
        FakeFiling(1990002, "Contoso Compute Corp", "CCMP", _acc(1990002, 2025, 3), "8-K", "EX-10.1",
                   "ccmp-ex10_1.htm", "2025-08-19", ["1.01"], "COMPUTE SERVICES AGREEMENT", None,
                   search_text="compute capacity master services agreement gpu"),
        FakeFiling(1990003, "Gigawatt Cloud Inc.", "GWC", _acc(1990003, 2025, 21), "10-K", "10-K",
                   "gwc-20250630x10k.htm", "2025-08-28", [], "FORM 10-K",
                   big_filing_html(big_bytes)),
        FakeFiling(1990004, "Terawatt Holdings Corp", "TWH", _acc(1990004, 2025, 30), "10-K", "10-K",
                   "twh-20250630x10k.htm", "2025-09-12", [], "FORM 10-K",
                   big_filing_html(oversized_bytes, "Terawatt Holdings Corp")),
    ]
    for i in range(fillers):
        cik = 1995000 + i
        body = (f"<html><body><p><b>FORM 8-K</b></p><p>Filler Compute Co. {i}</p>"
                f"<p>Item 1.01. On July {i + 1}, 2025, the company agreed to buy compute capacity of "
                f"{10 + i} MW from a regional data center operator for GPU inference.</p></body></html>").encode()
        fs.append(FakeFiling(cik, f"Filler Compute Co {i}", None, _acc(cik, 2025, i + 1), "8-K", "8-K",
                             f"filler{i}-8k.htm", f"2025-07-{i % 28 + 1:02d}", ["1.01"], "FORM 8-K", body))
    for f in fs:
        if not f.search_text:
            f.search_text = (f.body or b"").decode("utf-8", "replace")
        f.search_text = re.sub(r"<[^>]+>|&#?\w+;", " ", f.search_text)
        f.search_text = re.sub(r"\s+", " ", f.search_text).lower()
    return fs


def _terms(q: str) -> list[str]:
    phrases = re.findall(r'"([^"]+)"', q)
    rest = re.sub(r'"[^"]+"', " ", q)
    return [p.lower() for p in phrases] + [w.lower() for w in rest.split()]


class EdgarServer:
    def __init__(self, filings: Optional[list[FakeFiling]] = None, *, first_429: bool = True,
                 page_size: int = 100, non_json_queries: tuple[str, ...] = ("edgar is down",)):
        self.filings = filings if filings is not None else default_filings()
        self.first_429 = first_429
        self.page_size = page_size
        self.non_json_queries = set(non_json_queries)
        self.refuse_status: Optional[int] = None
        self.refuse_next = 0  # answer this many more requests 403 + Retry-After, then serve
        self.requests: list[Recorded] = []
        self._answered_first = False
        self._lock = threading.Lock()
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self.submissions: dict[int, dict] = self._default_submissions()

    # ------------------------------------------------------------ lifecycle
    def start(self) -> "EdgarServer":
        for host in ("efts", "data", "www"):
            handler = self._handler(host)
            srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
            srv.daemon_threads = True
            self._servers[host] = srv
            t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05},
                                 name=f"edgar-{host}", daemon=True)
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        for srv in self._servers.values():
            srv.shutdown()
            srv.server_close()
        self._servers.clear()

    def __enter__(self) -> "EdgarServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def base(self, host: str) -> str:
        return f"http://127.0.0.1:{self._servers[host].server_address[1]}"

    @property
    def efts_url(self) -> str:
        return self.base("efts") + "/LATEST/search-index"

    @property
    def data_url(self) -> str:
        return self.base("data")

    @property
    def archives_url(self) -> str:
        return self.base("www") + "/Archives/edgar/data"

    def url_of(self, f: FakeFiling) -> str:
        return self.base("www") + f.path

    def config(self, *, queries=(), ciks=(), since: date = date(2025, 1, 1), user_agent: str = USER_AGENT,
               rps: float = 10.0, max_results: int = 200, max_document_bytes: int = 5 * 2**20,
               forms: Optional[list[str]] = None) -> Config:
        sec = SecConfig(queries=list(queries), ciks=list(ciks), since=since, efts_url=self.efts_url,
                        data_url=self.data_url, archives_url=self.archives_url,
                        max_results_per_query=max_results, requests_per_second=rps,
                        max_document_bytes=max_document_bytes)
        if forms is not None:
            sec.forms = forms
        fetch = FetchConfig(timeout=10.0, retries=2, backoff=0.05, max_retry_after=5.0)
        return Config(user_agent=user_agent, sec=sec, fetch=fetch, sec_enabled=True)

    # ------------------------------------------------------------ assertions
    def max_in_window(self, seconds: float = 1.0) -> int:
        times = sorted(r.t for r in self.requests)
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] <= t - seconds:
                j += 1
            best = max(best, i - j + 1)
        return best

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    # ------------------------------------------------------------ content
    def _default_submissions(self) -> dict[int, dict]:
        crwv = [f for f in self.filings if f.cik == 1769628 and f.file_type == f.form]
        crwv.sort(key=lambda f: f.file_date, reverse=True)
        extra = [  # forms the collector must filter out, and one older than `since`
            ("0001769628-25-000120", "2025-11-14", "4", "xslF345X05/wk-form4_1.xml"),
            ("0001193125-25-065544", "2025-03-28", "424B4", "d899798d424b4.htm"),
            ("0001769628-24-000002", "2024-06-01", "8-K", "crwv-20240601.htm"),
        ]
        rows = [(f.accession, f.file_date, f.form, f.filename, f.items) for f in crwv]
        rows += [(a, d, fm, p, []) for a, d, fm, p in extra]
        rows.sort(key=lambda r: r[1], reverse=True)
        recent = {
            "accessionNumber": [r[0] for r in rows],
            "filingDate": [r[1] for r in rows],
            "reportDate": ["" for _ in rows],
            "acceptanceDateTime": [r[1] + "T16:05:12.000Z" for r in rows],
            "act": ["34" for _ in rows],
            "form": [r[2] for r in rows],
            "fileNumber": ["001-42563" for _ in rows],
            "filmNumber": ["251234567" for _ in rows],
            "items": [",".join(r[4]) for r in rows],
            "core_type": [r[2] for r in rows],
            "size": [12345 for _ in rows],
            "isXBRL": [1 for _ in rows],
            "isInlineXBRL": [1 for _ in rows],
            "primaryDocument": [r[3] for r in rows],
            "primaryDocDescription": [r[2] for r in rows],
        }
        subs = {
            1769628: {"cik": "1769628", "entityType": "operating", "sic": "7374",
                      "sicDescription": "Services-Computer Processing & Data Preparation",
                      "name": "CoreWeave, Inc.", "tickers": ["CRWV"], "exchanges": ["Nasdaq"],
                      "fiscalYearEnd": "1231", "stateOfIncorporation": "DE",
                      "filings": {"recent": recent, "files": []}},
            # Missing the primaryDocument array.
            1513845: {"cik": "1513845", "name": "Nebius Group N.V.", "tickers": ["NBIS"],
                      "filings": {"recent": {"accessionNumber": ["0001104659-25-087311"],
                                             "filingDate": ["2025-09-08"], "form": ["6-K"]},
                                  "files": []}},
            # Arrays of different lengths.
            1878848: {"cik": "1878848", "name": "IREN Ltd", "tickers": ["IREN"],
                      "filings": {"recent": {"accessionNumber": ["0001628280-25-048120", "0001628280-25-040001"],
                                             "filingDate": ["2025-11-03"], "form": ["8-K", "10-K"],
                                             "primaryDocument": ["iren-20251103.htm", "iren-10k.htm"]},
                                  "files": []}},
        }
        return subs

    def _search(self, q: dict) -> dict:
        query = q.get("q", "")
        forms = {x.strip().upper() for x in q.get("forms", "").split(",") if x.strip()}
        start = q.get("startdt") or "0000-00-00"
        end = q.get("enddt") or "9999-99-99"
        offset = int(q.get("from", "0") or 0)
        terms = _terms(query)
        matched = [f for f in self.filings if f.in_search
                   and all(t in f.search_text for t in terms)
                   and (not forms or f.form.upper() in forms)
                   and (q.get("dateRange") != "custom" or start <= f.file_date <= end)]
        matched.sort(key=lambda f: (f.file_date, f.filename), reverse=True)
        page = matched[offset: offset + self.page_size]
        hits = [{
            "_index": "edgar_file", "_id": f"{f.accession}:{f.filename}", "_score": 5.0 - i * 0.01,
            "_source": {
                "ciks": [f"{f.cik:010d}"], "period_ending": None, "file_num": ["001-00000"],
                "display_names": [f.display_name()], "xsl": None, "sequence": 1,
                "root_forms": [f.form], "file_date": f.file_date, "biz_states": ["NJ"],
                "sics": ["7374"], "form": f.form, "adsh": f.accession, "film_num": ["25000000"],
                "biz_locations": ["Livingston, NJ"], "file_type": f.file_type,
                "file_description": f.description, "inc_states": ["DE"], "items": f.items,
            },
        } for i, f in enumerate(page)]
        return {
            "took": 7, "timed_out": False,
            "_shards": {"total": 50, "successful": 50, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": len(matched), "relation": "eq"}, "max_score": 5.0, "hits": hits},
            "aggregations": {
                "entity_filter": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
                                  "buckets": [{"key": f.display_name(), "doc_count": 1} for f in matched[:5]]},
                "form_filter": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
                                "buckets": [{"key": fm, "doc_count": sum(1 for f in matched if f.form == fm)}
                                            for fm in sorted({f.form for f in matched})]},
                "sic_filter": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []},
                "biz_states_filter": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []},
            },
            "query": {"from": offset, "size": self.page_size},
        }

    def _index_json(self, cik: int, acc_nodash: str) -> Optional[dict]:
        files = [f for f in self.filings if f.cik == cik and f.accession.replace("-", "") == acc_nodash]
        if not files:
            return None
        folder = files[0].folder
        return {"directory": {"item": [
            {"last-modified": f.file_date + " 16:05:12", "name": f.filename, "type": "text.gif",
             "size": str(len(f.body or b""))} for f in files
        ], "name": folder, "parent-dir": folder.rsplit("/", 1)[0]}}

    # ------------------------------------------------------------ HTTP
    def _handler(self, host: str):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a) -> None:  # quiet
                pass

            def _send(self, status: int, body: bytes = b"", ctype: str = "text/html",
                      headers: Optional[dict] = None, rec: Optional[Recorded] = None) -> None:
                if rec is not None:
                    rec.status = status
                gz = ctype == "application/json" and "gzip" in self.headers.get("Accept-Encoding", "")
                if gz and body:
                    body = gzip.compress(body)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if gz and body:
                    self.send_header("Content-Encoding", "gzip")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body and self.command != "HEAD":
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up (e.g. over its size cap)

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                rec = Recorded(host, unquote(parts.path), query, dict(self.headers.items()), time.monotonic())
                with server._lock:
                    first = not server._answered_first
                    server._answered_first = True
                    server.requests.append(rec)
                ua = self.headers.get("User-Agent", "")
                if not _EMAIL.search(ua):
                    return self._send(403, b"<html><body>Your Request Originates from an Undeclared "
                                           b"Automated Tool</body></html>", rec=rec)
                with server._lock:
                    refuse = server.refuse_next > 0
                    server.refuse_next -= 1 if refuse else 0
                if refuse:
                    return self._send(403, b"<html>Request Rate Threshold Exceeded</html>",
                                      headers={"Retry-After": "1"}, rec=rec)
                if server.refuse_status:
                    return self._send(server.refuse_status, b"<html>Request Rate Threshold Exceeded</html>",
                                      headers={"Retry-After": "1"}, rec=rec)
                if first and server.first_429:
                    return self._send(429, b"<html>Too Many Requests</html>", headers={"Retry-After": "1"}, rec=rec)
                path = rec.path
                if host == "efts" and path == "/LATEST/search-index":
                    if query.get("q") in server.non_json_queries:
                        return self._send(200, b"<!DOCTYPE html><html><body><h1>EDGAR full-text search is "
                                               b"temporarily unavailable</h1></body></html>", rec=rec)
                    body = json.dumps(server._search(query)).encode()
                    return self._send(200, body, "application/json", rec=rec)
                m = re.fullmatch(r"/submissions/CIK(\d{10})\.json", path)
                if host == "data" and m:
                    sub = server.submissions.get(int(m.group(1)))
                    if sub is None:
                        return self._send(404, b"<html>Not Found</html>", rec=rec)
                    body = json.dumps(sub).encode()
                    etag = '"' + hashlib.md5(body).hexdigest() + '"'
                    if self.headers.get("If-None-Match") == etag:
                        return self._send(304, b"", "application/json", headers={"ETag": etag}, rec=rec)
                    return self._send(200, body, "application/json", headers={"ETag": etag}, rec=rec)
                m = re.fullmatch(r"/Archives/edgar/data/(\d+)/(\d{18})/index\.json", path)
                if host == "www" and m:
                    idx = server._index_json(int(m.group(1)), m.group(2))
                    if idx is None:
                        return self._send(404, b"<html>Not Found</html>", rec=rec)
                    return self._send(200, json.dumps(idx).encode(), "application/json", rec=rec)
                if host == "www":
                    for f in server.filings:
                        if f.path == path and f.body is not None:
                            return self._send(200, f.body, f.content_type, rec=rec)
                return self._send(404, b"<html><body>Not Found</body></html>", rec=rec)

        return Handler
