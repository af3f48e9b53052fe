"""Fetching one article page: shared by the feed and page collectors."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Callable, Optional

import sqlite_utils

from ..config import Config
from ..errors import FetchError
from ..fetch import Fetcher
from ..models import Document, SourceResult
from ..relevance import judge
from ..store import documents as docstore
from ..store import utcnow
from ..text import decode, html_to_article, normalise_text
from ..urls import canonical_url, url_key

HTML_TYPES = {"text/html", "application/xhtml+xml", "", "application/octet-stream"}


@dataclass
class Context:
    """What a collector needs; built once per run by the pipeline."""

    cfg: Config
    fetcher: Fetcher
    db: sqlite_utils.Database
    sink: Callable[[Document], str]  # stores a document: new | updated | unchanged
    claimed: set[str] = field(default_factory=set)  # url_keys handled this run
    # Every URL form offered for a key this run (feed and page, slash or not),
    # so a form the server does not answer falls back to another.
    variants: dict[str, list[str]] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)  # URLs that failed this run


@dataclass
class Hint:
    """What a feed entry says about the article, used when the page is vague."""

    title: Optional[str] = None
    published_at: Optional[str] = None
    summary: str = ""
    updated_at: Optional[str] = None


def count(result: SourceResult, outcome: str) -> None:
    if outcome in ("new", "updated", "unchanged", "rejected"):
        setattr(result, outcome, getattr(result, outcome) + 1)


async def fetch_article(ctx: Context, url: str, source: str, *, refresh: bool = False,
                        hint: Optional[Hint] = None) -> str:
    """Fetch, clean, judge and store one article.

    Returns new | updated | unchanged | rejected. Raises FetchError with a
    one-line reason; nothing is stored for a failed article, so the next run
    tries it again.
    """
    url = canonical_url(url)
    key = url_key(url)
    forms = ctx.variants.setdefault(key, [])
    if url not in forms:
        forms.append(url)
    if key in ctx.claimed:
        return "unchanged"  # reached twice in this run (feed and page, two feeds)
    ctx.claimed.add(key)
    state = docstore.known(ctx.db, url)
    if state == "rejected":
        return "unchanged"
    if state == "stored" and not refresh and not _changed_since_stored(ctx, url, hint):
        return "unchanged"
    etag, last_modified = docstore.get_validators(ctx.db, url) if state == "stored" else (None, None)
    resp = await _get_any_form(ctx, key, url, etag, last_modified)
    url = canonical_url(resp.url) if url_key(resp.url) == key else url
    if resp.not_modified:
        return "unchanged"
    if not resp.content.strip():
        raise FetchError(f"{url}: empty response body")
    if resp.content_type == "text/plain":
        title = hint.title if hint else None
        text = normalise_text(decode(resp.content, resp.charset))
        published = None
    elif resp.content_type in HTML_TYPES or resp.content_type.endswith("+xml") or "html" in resp.content_type:
        page = await asyncio.to_thread(html_to_article, resp.content, url=resp.url, charset=resp.charset)
        title, text, published = page.title, page.text, page.published_at
    else:
        docstore.reject_url(ctx.db, url, source, f"not an article (content type {resp.content_type})")
        return "rejected"
    if hint:
        title = title or hint.title
        published = hint.published_at or published
        if len(text) < 200 and hint.summary and len(hint.summary) > len(text):
            text = hint.summary  # a stub page or paywall: the feed says more
    if not text.strip():
        raise FetchError(f"{url}: no article text found in the page")
    verdict = judge(title, text, ctx.cfg.relevance)
    if not verdict.relevant:
        docstore.reject_url(ctx.db, url, source, verdict.reason)
        return "rejected"
    doc = Document(url=url, source=source, kind="article", title=title,
                   published_at=_iso_date(published), text=text, fetched_at=utcnow())
    outcome = ctx.sink(doc)
    docstore.set_validators(ctx.db, url, resp.etag, resp.last_modified, resp.status)
    return outcome


async def _get_any_form(ctx: Context, key: str, url: str, etag: Optional[str],
                        last_modified: Optional[str]):
    """Fetch `url`, or another form of the same article offered in this run
    ("/a/" for "/a", http for https) when the server fails it. If every form
    fails, the article is released so a form offered later in the run still
    gets its turn; the first error is the one reported."""
    first_error: Optional[FetchError] = None
    while True:
        candidate = next((u for u in [url] + ctx.variants.get(key, []) if u not in ctx.failed), None)
        if candidate is None:
            ctx.claimed.discard(key)
            raise first_error or FetchError(f"{url}: failed earlier in this run")
        try:
            return await ctx.fetcher.get(candidate, etag=etag, last_modified=last_modified)
        except FetchError as e:
            ctx.failed.add(candidate)
            first_error = first_error or e


def _changed_since_stored(ctx: Context, url: str, hint: Optional[Hint]) -> bool:
    """A feed entry updated after we stored its page means the article changed."""
    if not hint or not hint.updated_at:
        return False
    row = ctx.db.conn.execute(
        "SELECT updated_at FROM documents WHERE url_key = ?", (url_key(url),)
    ).fetchone()
    return bool(row and row[0] and hint.updated_at > row[0])


def _iso_date(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    value = str(value).strip()
    return value[:32] or None
