"""RSS and Atom feeds: fetched by us, parsed by feedparser, items followed.

feedparser is only ever given bytes, never a URL, so all network traffic
goes through the Fetcher's limits. Feeds that declare XML entities are
refused before parsing (entity-expansion and external-entity attacks).
"""
from __future__ import annotations

import asyncio
import calendar
from datetime import datetime, timezone
from typing import Optional

import defusedxml.ElementTree as SafeET
import feedparser
from defusedxml import DefusedXmlException

from ..config import Source
from ..errors import FetchError, ParseError
from ..models import SourceResult
from ..store import documents as docstore
from ..text import html_fragment_to_text
from .web import Context, Hint, count, fetch_article


def check_xml_safety(content: bytes) -> None:
    """Raise ParseError for entity declarations; malformed XML is left to
    feedparser's lenient parser."""
    try:
        SafeET.fromstring(content, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise ParseError(f"feed declares XML entities or external references; refused ({type(e).__name__})") from None
    except SafeET.ParseError:
        pass
    except (ValueError, RecursionError):
        pass


def parse_feed(content: bytes, url: str) -> feedparser.FeedParserDict:
    if not content.strip():
        raise ParseError(f"{url}: empty feed")
    check_xml_safety(content)
    parsed = feedparser.parse(content, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        reason = _bozo_reason(parsed)
        if reason:
            raise ParseError(f"{url}: malformed feed ({reason})")
        if not parsed.get("feed") or not parsed.get("version"):
            raise ParseError(f"{url}: not an RSS or Atom feed")
    return parsed


def _bozo_reason(parsed: feedparser.FeedParserDict) -> str | None:
    """A real XML fault, not feedparser's notes about encodings."""
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if exc is None or type(exc).__name__ in ("CharacterEncodingOverride", "NonXMLContentType"):
        return None
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _when(entry: dict, *keys: str) -> Optional[str]:
    for key in keys:
        st = dict.get(entry, key)  # bypass feedparser's deprecated key aliasing
        if st:
            try:
                return datetime.fromtimestamp(calendar.timegm(st), tz=timezone.utc).isoformat()
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def _entry_link(entry: dict, base: str) -> Optional[str]:
    from urllib.parse import urljoin

    link = entry.get("link")
    if not link:
        for candidate in entry.get("links", []):
            if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                link = candidate["href"]
                break
    if not link:
        guid = entry.get("id") or ""
        if guid.startswith(("http://", "https://")):
            link = guid
    if not link:
        return None
    link = urljoin(base, link.strip())
    return link if link.startswith(("http://", "https://")) else None


async def collect_feed(ctx: Context, source: Source) -> SourceResult:
    result = SourceResult(source=source.name, kind="feed")
    etag, last_modified = docstore.get_validators(ctx.db, source.url)
    try:
        resp = await ctx.fetcher.get(source.url, etag=etag, last_modified=last_modified)
        if resp.not_modified:
            return result
        parsed = parse_feed(resp.content, source.url)
    except (FetchError, ParseError) as e:
        result.status, result.error = "failed", str(e)
        return result
    entries = list(parsed.entries)[: source.max_items]
    result.items = len(entries)

    async def one(entry: dict) -> None:
        link = _entry_link(entry, resp.url)
        if not link:
            result.failed_items += 1
            result.errors.append(f"entry {entry.get('title', '?')[:80]!r} has no link")
            return
        hint = Hint(
            title=(entry.get("title") or "").strip() or None,
            published_at=_when(entry, "published_parsed", "updated_parsed"),
            updated_at=_when(entry, "updated_parsed"),
            summary=html_fragment_to_text(
                (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""),
        )
        try:
            count(result, await fetch_article(ctx, link, source.name, hint=hint))
        except FetchError as e:
            result.failed_items += 1
            result.errors.append(str(e))

    await asyncio.gather(*(one(e) for e in entries))
    malformed = _bozo_reason(parsed)
    if malformed:
        # Keep what could be recovered, but say the feed is broken.
        result.errors.insert(0, f"{source.url}: malformed feed ({malformed}); "
                                f"{result.items - result.failed_items} of {result.items} items recovered")
    if result.failed_items and result.failed_items == result.items:
        result.status = "failed"
        result.error = (result.errors[0] if malformed else
                        f"all {result.items} items failed; first: {result.errors[0]}")
    if not result.failed_items:
        # Only a fully handled feed may answer 304 next time: otherwise the
        # failed items would never be offered again.
        docstore.set_validators(ctx.db, source.url, resp.etag, resp.last_modified, resp.status)
    return result
