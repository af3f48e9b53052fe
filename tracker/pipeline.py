"""`collect` and `ingest`: the stages in order.

1. fetch every source concurrently, storing each document as soon as it is
   judged relevant (a crash keeps what was stored);
2. extract claims for every document whose claims are missing or stale, one
   transaction per document that also re-evaluates that document's deals'
   conflicts (a crash leaves each document either done or pending);
3. record the run.
A run that dies anywhere is picked up by the next: pending documents are
found by `extractor_version IS NULL`, failed items are not marked as seen.
"""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

import sqlite_utils

from .config import Config
from .errors import DatabaseError, FetchError, TrackerError
from .fetch import Fetcher
from .lock import RunLock
from .models import Document, SourceResult
from .store import documents as docstore
from .store import open_db, runs
from .store.claims import replace_document_claims
from .urls import canonical_url

Progress = Callable[[SourceResult], None]


@dataclass
class RunSummary:
    run_id: Optional[int]
    sources: list[SourceResult] = field(default_factory=list)
    extracted: int = 0
    claims_new: int = 0
    extract_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(r.status == "ok" for r in self.sources)

    @property
    def failed(self) -> int:
        return sum(r.status != "ok" for r in self.sources)

    def total(self, what: str) -> int:
        return sum(getattr(r, what) for r in self.sources)

    def line(self) -> str:
        return (
            f"sources: {self.ok} ok, {self.failed} failed; documents: {self.total('new')} new, "
            f"{self.total('updated')} updated, {self.total('unchanged')} unchanged, "
            f"{self.total('rejected')} not about compute deals; claims: {self.claims_new} new"
        )


def _sink(db: sqlite_utils.Database) -> Callable[[Document], str]:
    def sink(doc: Document) -> str:
        doc.url = canonical_url(doc.url)
        outcome, doc.id = docstore.save_document(db, doc)
        return outcome

    return sink


async def _collect_sources(cfg: Config, db: sqlite_utils.Database, run_id: int,
                           progress: Optional[Progress]) -> list[SourceResult]:
    from .sources.feeds import collect_feed
    from .sources.pages import collect_page
    from .sources.web import Context

    results: list[SourceResult] = []

    def done(r: SourceResult) -> None:
        results.append(r)
        runs.record_source(db, run_id, r)
        if progress:
            progress(r)

    async with Fetcher(cfg.fetch, cfg.user_agent, sec_requests_per_second=cfg.sec.requests_per_second) as fetcher:
        ctx = Context(cfg=cfg, fetcher=fetcher, db=db, sink=_sink(db))

        async def guarded(coro, name: str, kind: str) -> None:
            try:
                r = await coro
            except DatabaseError:
                raise  # the database, not this source, is broken: stop the run
            except TrackerError as e:
                r = SourceResult(source=name, kind=kind, status="failed", error=str(e))
            except Exception as e:  # a bug in one collector must not sink the run
                r = SourceResult(source=name, kind=kind, status="failed",
                                 error=f"internal error: {type(e).__name__}: {e}")
            done(r)

        tasks = [guarded(collect_feed(ctx, s), s.name, "feed") for s in cfg.feeds]
        tasks += [guarded(collect_page(ctx, s), s.name, "page") for s in cfg.pages]
        if cfg.sec_enabled:
            tasks.append(_sec(cfg, fetcher, db, done))
        await asyncio.gather(*tasks)
    return results


async def _sec(cfg: Config, fetcher: Fetcher, db: sqlite_utils.Database,
               done: Callable[[SourceResult], None]) -> None:
    try:
        from .sources.sec import collect_sec

        for r in await collect_sec(cfg, fetcher, db, _sink(db)):
            done(r)
    except DatabaseError:
        raise
    except TrackerError as e:
        done(SourceResult(source="sec", kind="sec", status="failed", error=str(e)))
    except Exception as e:
        done(SourceResult(source="sec", kind="sec", status="failed",
                          error=f"internal error: {type(e).__name__}: {e}"))


def extract_pending(db: sqlite_utils.Database, *, all_docs: bool = False,
                    doc_ids: Optional[Iterable[int]] = None) -> tuple[int, int, list[str]]:
    """Extract claims for documents that need it; returns (docs, new claims, errors)."""
    from .extract import EXTRACTOR_VERSION, extract_claims
    from .store.conflicts import refresh_conflicts

    ids = list(doc_ids) if doc_ids is not None else docstore.documents_to_extract(
        db, EXTRACTOR_VERSION, all_docs=all_docs)
    done = new = 0
    errors: list[str] = []
    for doc_id in ids:
        doc = docstore.get_document(db, doc_id)
        if doc is None:
            continue
        try:
            claims = extract_claims(doc)
        except Exception as e:  # one odd document must not block the others
            errors.append(f"document {doc_id} ({doc.url}): extraction failed: {type(e).__name__}: {e}")
            claims = []
        n, _ = replace_document_claims(db, doc_id, claims, EXTRACTOR_VERSION, after=refresh_conflicts)
        done += 1
        new += n
    return done, new, errors


def collect(cfg: Config, db_path: str | os.PathLike, *, progress: Optional[Progress] = None) -> RunSummary:
    """One full pass; raises LockError if another collect holds the lock."""
    with RunLock(db_path, "collect"):
        db = open_db(db_path)
        run_id = runs.start_run(db, "collect")
        summary = RunSummary(run_id=run_id)
        try:
            summary.sources = asyncio.run(_collect_sources(cfg, db, run_id, progress))
            summary.extracted, summary.claims_new, summary.extract_errors = extract_pending(db)
        except BaseException as e:
            runs.finish_run(db, run_id, "failed", summary.sources, summary.claims_new,
                            error=f"{type(e).__name__}: {e}"[:500])
            raise
        status = "ok" if not summary.failed else ("partial" if summary.ok else "failed")
        if not summary.sources:
            status = "ok"
        runs.finish_run(db, run_id, status, summary.sources, summary.claims_new,
                        error="; ".join(summary.extract_errors)[:2000] or None)
        return summary


def ingest(cfg: Config, db_path: str | os.PathLike, targets: list[str]) -> RunSummary:
    """Add documents by hand: local files (HTML or text) or URLs. Hand-picked
    documents skip the relevance filter: the user chose them."""
    from .sources.web import Context, fetch_article
    from .store import utcnow
    from .text import decode, html_to_article, normalise_text

    with RunLock(db_path, "collect"):
        db = open_db(db_path)
        run_id = runs.start_run(db, "ingest")
        summary = RunSummary(run_id=run_id)
        sink = _sink(db)
        urls = [t for t in targets if t.startswith(("http://", "https://"))]
        for target in targets:
            if target in urls:
                continue
            r = SourceResult(source=target, kind="ingest", items=1)
            p = Path(target)
            try:
                raw = p.read_bytes()
            except OSError as e:
                r.status, r.error = "failed", f"{target}: cannot read ({e.strerror})"
            else:
                if p.suffix.lower() in (".html", ".htm", ".xhtml") or raw.lstrip()[:1] == b"<":
                    page = html_to_article(raw)
                    title, text, published = page.title, page.text, page.published_at
                else:
                    text = normalise_text(decode(raw))
                    title = text.split("\n", 1)[0][:200] if text else None
                    published = None
                if not text.strip():
                    r.status, r.error = "failed", f"{target}: no text found"
                else:
                    doc = Document(url=p.resolve().as_uri(), source="ingest", title=title,
                                   published_at=published, text=text, fetched_at=utcnow())
                    outcome = sink(doc)
                    setattr(r, outcome, getattr(r, outcome) + 1)
            summary.sources.append(r)
            runs.record_source(db, run_id, r)

        if urls:
            async def fetch_all() -> None:
                async with Fetcher(cfg.fetch, cfg.user_agent) as fetcher:
                    relaxed = Config(**{**cfg.__dict__, "relevance": {}})
                    ctx = Context(cfg=relaxed, fetcher=fetcher, db=db, sink=sink)
                    for url in urls:
                        r = SourceResult(source=url, kind="ingest", items=1)
                        try:
                            outcome = await fetch_article(ctx, url, "ingest", refresh=True)
                            setattr(r, outcome, getattr(r, outcome) + 1)
                        except FetchError as e:
                            r.status, r.error = "failed", str(e)
                        summary.sources.append(r)
                        runs.record_source(db, run_id, r)

            asyncio.run(fetch_all())
        summary.extracted, summary.claims_new, summary.extract_errors = extract_pending(db)
        runs.finish_run(db, run_id, "ok" if not summary.failed else "partial", summary.sources,
                        summary.claims_new)
        return summary
