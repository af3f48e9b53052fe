"""SEC EDGAR collector: full-text search queries and watched companies.

`collect_sec(cfg, fetcher, db, sink)` runs every `sec.queries` entry through
EDGAR full-text search and every `sec.ciks` entry through the company's
submissions file, fetches each filing document not stored yet, converts it to
text (`tracker.filings.filing_to_text`) and hands a `Document` to `sink`.
It returns one `SourceResult` per query ("sec:<query>") and per company
("sec:cik:<cik>").

Fair access is enforced here, not left to configuration:

* no request at all unless the User-Agent carries a contact e-mail
  (ConfigError otherwise);
* one sliding-window limiter shared by every SEC host (efts, data, www) and
  every concurrent task of a run, at `sec.requests_per_second` (capped at 10,
  with a small margin on the window so network jitter cannot make the SEC see
  more than that in any second);
* 429/503 are retried by the Fetcher honouring Retry-After; a 403 or a 429
  that outlasts the Fetcher's retries counts as a refusal, is retried here
  after a backoff, and after three refusals in a row (or a Retry-After longer
  than the Fetcher accepts) the SEC part of the run stops: every source not
  finished records why, and cursors are left where they were.

Per-source state (`source_state.cursor`):

* query:   {"enddt": "YYYY-MM-DD"} after a complete run, the next run searches
  from enddt minus one day; when `max_results_per_query` cut the paging short:
  {"startdt": ..., "from": offset} so the next run continues the same window.
* company: {"last_filing_date": "YYYY-MM-DD"}; the submissions file is also
  fetched with its ETag / Last-Modified, so an unchanged company costs one
  304 answer.

A cursor is written only after that source's documents are stored and only
when nothing failed for a reason that may go away (5xx, timeouts, refusals);
documents that are gone (404), too large or empty are reported and skipped.
"""
from __future__ import annotations

import asyncio
import json
import re
import weakref
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, Optional
from urllib.parse import quote, urlencode

from ..config import Config
from ..errors import ConfigError, DatabaseError, FetchError, HTTPStatusError, ParseError, TooLargeError
from ..fetch import Fetcher, RateLimiter, Response
from ..filings import filing_to_text
from ..models import Document, SourceResult
from ..store.documents import get_cursor, get_validators, known, set_cursor, set_validators

__all__ = ["collect_sec", "check_user_agent", "sec_limiter", "PacedLimiter", "clean_filer_name", "normalise_accession"]

MAX_RPS = 10.0  # the SEC's fair-access limit, whatever the configuration says
# Limiter window in seconds: the SEC measures arrivals, and a request that
# leaves late (busy event loop, slow connect) can land in the next second;
# 10% slack absorbs up to 0.1 s of such jitter.
WINDOW_MARGIN = 1.1
REFUSALS_TO_STOP = 3  # consecutive 403/429 failures that end the SEC part of a run
DOC_CONCURRENCY = 4  # documents in flight at once (the limiter still rules)
MAX_OFFSET = 10_000  # EDGAR full-text search does not page deeper
THREAD_CONVERT_BYTES = 512 * 1024  # convert bigger documents off the event loop

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_TEXT_EXT = (".htm", ".html", ".txt", ".xhtml")


class _Stopped(Exception):
    """The SEC keeps refusing; nothing more is sent to it in this run."""


# ---------------------------------------------------------------- fair access

def check_user_agent(user_agent: Optional[str]) -> str:
    """Return the User-Agent if it carries a contact e-mail, else ConfigError."""
    if not user_agent or not _EMAIL.search(user_agent):
        raise ConfigError(
            "sec: the SEC refuses requests without a User-Agent naming you and a contact "
            f"e-mail (current: {user_agent!r}); set user_agent in sources.yaml, e.g. "
            "'Compute Deal Tracker ops@example.com'. Nothing was sent to the SEC."
        )
    return user_agent


_LIMITERS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[float, RateLimiter]]" = (
    weakref.WeakKeyDictionary()
)


def sec_limiter(requests_per_second: float) -> RateLimiter:
    """The one limiter every request to an SEC host goes through.

    Shared per event loop (asyncio locks belong to one loop), so every
    concurrent task in a run - and any other module that asks for it - draws
    from the same budget. Never more than 10 per second.
    """
    loop = asyncio.get_running_loop()
    rps = min(MAX_RPS, max(0.01, float(requests_per_second)))
    cached = _LIMITERS.get(loop)
    if cached is not None and cached[0] == rps:
        return cached[1]
    limiter = PacedLimiter(rps)
    _LIMITERS[loop] = (rps, limiter)
    return limiter


class PacedLimiter(RateLimiter):
    """A sliding window (at most int(rps) starts in any WINDOW_MARGIN seconds)
    plus even spacing (starts at least 1/rps apart).

    The spacing matters: a window alone lets a full second's budget go out as
    one burst, and a burst delayed by a few milliseconds then shares a
    server-side second with the next burst. Spaced starts need about 0.1 s of
    jitter before the SEC could count one request too many.
    """

    def __init__(self, requests_per_second: float):
        rps = min(MAX_RPS, max(0.01, float(requests_per_second)))
        if rps >= 1:
            super().__init__(int(rps), WINDOW_MARGIN, min_interval=1.0 / rps)
        else:
            super().__init__(1, WINDOW_MARGIN / rps, min_interval=1.0 / rps)


class _Session:
    """Every SEC request of one run: limiter, User-Agent, refusal counting."""

    def __init__(self, cfg: Config, fetcher: Fetcher, user_agent: str):
        self.cfg = cfg
        self.fetcher = fetcher
        self.user_agent = user_agent
        self.limiter = sec_limiter(cfg.sec.requests_per_second)
        self.refusals = 0
        self.stopped: Optional[str] = None
        self.backoff = max(0.0, float(cfg.fetch.backoff))
        self.handled: set[str] = set()  # document URLs handled in this run

    async def get(self, url: str, *, max_bytes: Optional[int] = None,
                  etag: Optional[str] = None, last_modified: Optional[str] = None) -> Response:
        while True:
            if self.stopped:
                raise _Stopped(self.stopped)
            try:
                resp = await self.fetcher.get(
                    url, max_bytes=max_bytes, limiter=self.limiter, etag=etag,
                    last_modified=last_modified, headers={"User-Agent": self.user_agent},
                )
            except HTTPStatusError as e:
                if e.status not in (403, 429):
                    self.refusals = 0  # an answer, if not the one we wanted
                    raise
                self.refusals += 1
                if self.refusals >= REFUSALS_TO_STOP or "left for the next run" in str(e):
                    self.stopped = (
                        f"SEC stopped for this run after {self.refusals} refusal(s) in a row "
                        f"(last: {e}); left for the next run"
                    )
                    raise _Stopped(self.stopped) from None
                # The server's own Retry-After when it gave one (403s carry it
                # too), else our back-off.
                wait = e.retry_after if e.retry_after is not None else self.backoff * (2 ** self.refusals)
                await asyncio.sleep(min(wait, self.cfg.fetch.max_retry_after))
                continue
            self.refusals = 0
            return resp


# ---------------------------------------------------------------- helpers

def normalise_accession(value: str) -> Optional[str]:
    """'000119312526123456' or '0001193125-26-123456' -> '0001193125-26-123456'."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 18:
        return None
    return f"{digits[:10]}-{digits[10:12]}-{digits[12:]}"


_DISPLAY_CIK = re.compile(r"\s*\(CIK\s*\d+\)\s*$", re.I)
_DISPLAY_TICKERS = re.compile(r"\s*\(\s*[A-Z0-9.\-]{1,12}(\s*,\s*[A-Z0-9.\-]{1,12})*\s*\)\s*$")


def clean_filer_name(display_name: str) -> str:
    """'EXAMPLE CORP  (EXMP, EXMP-WT)  (CIK 0001234567)' -> 'EXAMPLE CORP'."""
    name = _DISPLAY_CIK.sub("", display_name or "")
    name = _DISPLAY_TICKERS.sub("", name)
    return re.sub(r"\s+", " ", name).strip()


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _json(resp: Response, what: str) -> Any:
    try:
        return json.loads(resp.content)
    except (ValueError, UnicodeDecodeError):
        head = resp.content[:60].decode("utf-8", "replace").replace("\n", " ").strip()
        ctype = resp.headers.get("content-type", "no content type")
        raise ParseError(f"{resp.url}: {what} is not JSON ({ctype}; starts {head!r})") from None


def _date(value: Any) -> Optional[date]:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


@dataclass
class _Filing:
    url: str
    accession: str
    cik: int
    filename: str
    form: str
    file_type: str
    filer: str
    file_date: str

    @property
    def label(self) -> str:
        return f"{self.form} {self.filer} {self.accession} {self.filename}"

    def title(self) -> str:
        t = f"{self.form}: {self.filer} ({self.file_date}) {self.filename}"
        if self.file_type and self.file_type.upper().startswith("EX-"):
            t += f" [{self.file_type}]"
        return t


def _doc_url(cfg: Config, cik: int, accession: str, filename: str) -> str:
    return f"{cfg.sec.archives_url.rstrip('/')}/{cik}/{accession.replace('-', '')}/{quote(filename)}"


def _hit_to_filing(cfg: Config, hit: Any) -> _Filing:
    """One full-text search hit; ValueError with a reason when unusable."""
    if not isinstance(hit, dict):
        raise ValueError("hit is not an object")
    src = hit.get("_source") or {}
    hid = str(hit.get("_id") or "")
    acc_part, _, filename = hid.partition(":")
    accession = normalise_accession(src.get("adsh") or acc_part)
    if not accession or not filename:
        raise ValueError(f"hit {hid!r} has no accession number and file name")
    ciks = src.get("ciks") or []
    try:
        cik = int(str(ciks[0]))
    except (IndexError, ValueError):
        raise ValueError(f"hit {hid!r} has no filer CIK") from None
    names = src.get("display_names") or []
    filer = clean_filer_name(str(names[0])) if names else f"CIK {cik}"
    form = str(src.get("form") or src.get("file_type") or "").strip()
    file_date = str(src.get("file_date") or "")[:10]
    return _Filing(
        url=_doc_url(cfg, cik, accession, filename), accession=accession, cik=cik,
        filename=filename, form=form, file_type=str(src.get("file_type") or form),
        filer=filer, file_date=file_date,
    )


class _Run:
    """Fetch, convert and store the documents of one source."""

    def __init__(self, sess: _Session, db, sink: Callable[[Document], str], res: SourceResult):
        self.sess = sess
        self.db = db
        self.sink = sink
        self.res = res
        self.transient = False  # something failed that may work next time

    def _fail(self, msg: str, transient: bool = False) -> None:
        self.res.failed_items += 1
        self.res.errors.append(msg)
        self.transient = self.transient or transient

    async def documents(self, filings: list[_Filing]) -> None:
        sem = asyncio.Semaphore(DOC_CONCURRENCY)

        async def one(f: _Filing) -> None:
            async with sem:
                await self.document(f)

        tasks = [asyncio.ensure_future(one(f)) for f in filings]
        try:
            results = await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            for t in tasks:
                t.cancel()
        for r in results:
            if isinstance(r, BaseException):
                raise r

    async def document(self, f: _Filing) -> None:
        self.res.items += 1
        if f.url in self.sess.handled or known(self.db, f.url) in ("stored", "rejected"):
            self.res.unchanged += 1
            return
        self.sess.handled.add(f.url)
        if not f.filename.lower().endswith(_TEXT_EXT):
            self._fail(f"{f.label}: not a text document, skipped")
            return
        try:
            resp = await self.sess.get(f.url, max_bytes=self.sess.cfg.sec.max_document_bytes)
        except TooLargeError as e:
            self._fail(f"{f.label}: skipped, over max_document_bytes ({e})")
            return
        except HTTPStatusError as e:
            if e.status in (404, 410):
                self._fail(f"{f.label}: document gone (HTTP {e.status}): {f.url}")
            else:
                self._fail(f"{f.label}: {e}", transient=e.status >= 500 or e.status in (403, 429))
            return
        except FetchError as e:
            self._fail(f"{f.label}: {e}", transient=True)
            return
        try:
            ctype = resp.headers.get("content-type")
            if len(resp.content) > THREAD_CONVERT_BYTES:
                text = await asyncio.to_thread(filing_to_text, resp.content, ctype)
            else:
                text = filing_to_text(resp.content, ctype)
        except Exception as e:  # noqa: BLE001 - a converter bug must not end the run
            self._fail(f"{f.label}: could not convert to text ({type(e).__name__}: {e})")
            return
        if not text.strip():
            self._fail(f"{f.label}: no text in document {f.url}")
            return
        doc = Document(
            url=f.url, source=self.res.source, kind="filing", title=f.title(),
            published_at=f.file_date or None, text=text, form_type=f.form or None,
            filer=f.filer, filer_cik=str(f.cik), accession=f.accession,
            filing_date=f.file_date or None,
        )
        try:
            outcome = self.sink(doc)
        except DatabaseError:
            raise
        except Exception as e:  # noqa: BLE001
            self._fail(f"{f.label}: not stored ({type(e).__name__}: {e})")
            return
        if outcome in ("new", "updated", "unchanged", "rejected"):
            setattr(self.res, outcome, getattr(self.res, outcome) + 1)


# ---------------------------------------------------------------- sources

async def _search(sess: _Session, cfg: Config, db, sink, query: str, res: SourceResult) -> SourceResult:
    name = res.source
    run = _Run(sess, db, sink, res)
    cursor = get_cursor(db, name) or {}
    today = _today()
    offset = 0
    if cursor.get("from") and _date(cursor.get("startdt")):
        start = _date(cursor["startdt"])
        offset = int(cursor["from"])
    elif _date(cursor.get("enddt")):
        start = _date(cursor["enddt"]) - timedelta(days=1)
    else:
        start = cfg.sec.since
    start = min(start, today)
    base = {"q": query, "dateRange": "custom", "startdt": start.isoformat(), "enddt": today.isoformat()}
    if cfg.sec.forms:
        base["forms"] = ",".join(cfg.sec.forms)
    efts = cfg.sec.efts_url
    considered = 0
    complete = False
    while True:
        params = dict(base)
        if offset:
            params["from"] = str(offset)
        url = f"{efts}?{urlencode(params, quote_via=quote)}"
        try:
            resp = await sess.get(url)
            data = _json(resp, "full-text search answer")
            hits_obj = data.get("hits") if isinstance(data, dict) else None
            if not isinstance(hits_obj, dict) or not isinstance(hits_obj.get("hits"), list):
                raise ParseError(f"{url}: full-text search answer has no hits.hits list")
        except (FetchError, ParseError) as e:
            res.status, res.error = "failed", str(e)
            return res
        total_obj = hits_obj.get("total")
        total = total_obj.get("value") if isinstance(total_obj, dict) else total_obj
        total = total if isinstance(total, int) else None
        hits = hits_obj["hits"][: max(0, cfg.sec.max_results_per_query - considered)]
        filings: list[_Filing] = []
        for hit in hits:
            try:
                filings.append(_hit_to_filing(cfg, hit))
            except ValueError as e:
                res.items += 1
                run._fail(f"search hit skipped: {e}")
        await run.documents(filings)
        considered += len(hits)
        offset += len(hits)
        if not hits_obj["hits"] or (total is not None and offset >= total) or offset >= MAX_OFFSET:
            complete = True
            break
        if considered >= cfg.sec.max_results_per_query:
            break
    if run.transient:
        return res  # leave the cursor: the same window is searched again
    if complete:
        set_cursor(db, name, {"enddt": today.isoformat()})
    else:
        set_cursor(db, name, {"startdt": start.isoformat(), "from": offset})
    return res


_RECENT_REQUIRED = ("accessionNumber", "filingDate", "form", "primaryDocument")


def _recent_rows(data: Any, cik: int) -> list[dict]:
    """filings.recent as rows; ParseError with the reason when malformed."""
    filings = data.get("filings") if isinstance(data, dict) else None
    recent = filings.get("recent") if isinstance(filings, dict) else None
    if not isinstance(recent, dict):
        raise ParseError(f"submissions of CIK {cik}: no filings.recent object")
    missing = [k for k in _RECENT_REQUIRED if not isinstance(recent.get(k), list)]
    if missing:
        raise ParseError(f"submissions of CIK {cik}: filings.recent lacks the array(s) {', '.join(missing)}")
    lengths = {k: len(recent[k]) for k in _RECENT_REQUIRED}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k} {n}" for k, n in lengths.items())
        raise ParseError(f"submissions of CIK {cik}: filings.recent arrays differ in length ({desc})")
    return [{k: recent[k][i] for k in _RECENT_REQUIRED} for i in range(lengths["form"])]


async def _company(sess: _Session, cfg: Config, db, sink, cik: int, res: SourceResult) -> SourceResult:
    name = res.source
    run = _Run(sess, db, sink, res)
    cursor = get_cursor(db, name) or {}
    url = f"{cfg.sec.data_url.rstrip('/')}/submissions/CIK{cik:010d}.json"
    etag, last_mod = get_validators(db, url) if cursor else (None, None)
    try:
        resp = await sess.get(url, etag=etag, last_modified=last_mod)
        if resp.not_modified:
            set_cursor(db, name, {k: v for k, v in cursor.items() if k != "last_success_at"})
            return res
        data = _json(resp, "submissions file")
        rows = _recent_rows(data, cik)
    except (FetchError, ParseError) as e:
        res.status, res.error = "failed", str(e)
        return res
    filer = str(data.get("name") or f"CIK {cik}").strip()
    floor = _date(cursor.get("last_filing_date")) or cfg.sec.since
    forms = {f.upper() for f in cfg.sec.forms}
    wanted: list[_Filing] = []
    newest: Optional[date] = _date(cursor.get("last_filing_date"))
    for row in rows:
        form = str(row["form"] or "").strip()
        if forms and form.upper() not in forms and form.upper().removesuffix("/A") not in forms:
            continue
        filed = _date(row["filingDate"])
        if filed is None or filed < floor:
            continue
        accession = normalise_accession(str(row["accessionNumber"] or ""))
        if not accession:
            res.items += 1
            run._fail(f"{name}: filing with a bad accession number {row['accessionNumber']!r} skipped")
            continue
        # No primary document listed: the full submission text holds it.
        filename = str(row["primaryDocument"] or "").strip() or f"{accession}.txt"
        wanted.append(_Filing(
            url=_doc_url(cfg, cik, accession, filename), accession=accession, cik=cik,
            filename=filename, form=form, file_type=form, filer=filer, file_date=filed.isoformat(),
        ))
    # Stored ones cost nothing; the cap counts documents to fetch.
    todo: list[_Filing] = []
    capped = False
    for f in wanted:
        if known(db, f.url) in ("stored", "rejected") or f.url in sess.handled:
            res.items += 1
            res.unchanged += 1
        elif len(todo) < cfg.sec.max_results_per_query:
            todo.append(f)
        else:
            capped = True  # the rest waits for the next run
    await run.documents(todo)
    if run.transient or capped:
        return res
    for f in wanted:
        d = _date(f.file_date)
        if d and (newest is None or d > newest):
            newest = d
    set_cursor(db, name, {"last_filing_date": (newest or floor).isoformat()})
    set_validators(db, url, resp.etag, resp.last_modified, resp.status)
    return res


# ---------------------------------------------------------------- entry point

async def collect_sec(cfg: Config, fetcher: Fetcher, db, sink: Callable[[Document], str]) -> list[SourceResult]:
    """Collect filings for every configured query and company.

    Raises ConfigError, before any request, when the User-Agent has no contact
    e-mail. Every other problem ends up in the returned SourceResults.
    """
    sec = cfg.sec
    if not sec.queries and not sec.ciks:
        return []
    ua = getattr(fetcher, "user_agent", None)
    if not (ua and _EMAIL.search(ua)):
        ua = cfg.user_agent if cfg.user_agent and _EMAIL.search(cfg.user_agent) else ua
    ua = check_user_agent(ua)
    sess = _Session(cfg, fetcher, ua)
    jobs: list[tuple[str, Callable]] = []
    for q in sec.queries:
        jobs.append((f"sec:{q}", lambda res, q=q: _search(sess, cfg, db, sink, q, res)))
    for cik in sec.ciks:
        jobs.append((f"sec:cik:{int(cik)}", lambda res, c=int(cik): _company(sess, cfg, db, sink, c, res)))
    results: list[SourceResult] = []
    for name, job in jobs:
        res = SourceResult(source=name, kind="sec")
        results.append(res)
        if sess.stopped:
            res.status, res.error = "failed", f"not run: {sess.stopped}"
            continue
        try:
            await job(res)
        except _Stopped as e:
            res.status, res.error = "failed", str(e)
        except (DatabaseError, ConfigError):
            raise
        except Exception as e:  # noqa: BLE001 - one source's bug must not end the run
            res.status, res.error = "failed", f"{name}: unexpected {type(e).__name__}: {e}"
    return results
