"""Single pages and listing pages from `pages:` in sources.yaml.

A page without `follow` is one article, re-checked every run with a
conditional GET so a corrected article is updated. A page with `follow` (a
regular expression) is a listing: links matching it are fetched as articles.
"""
from __future__ import annotations

import asyncio
import re
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from ..config import Source
from ..errors import FetchError
from ..models import SourceResult
from ..text import decode
from .web import Context, count, fetch_article


def listing_links(content: bytes, base: str, pattern: str, limit: int, charset: str | None = None) -> list[str]:
    """Absolute http(s) links on a listing page whose URL matches `pattern`."""
    try:
        tree = lxml.html.document_fromstring(decode(content, charset).encode("utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return []
    rx = re.compile(pattern)
    seen: list[str] = []
    for href in tree.xpath("//a/@href"):
        url = urljoin(base, str(href).strip())
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        url = url.split("#", 1)[0]
        if rx.search(url) and url not in seen:
            seen.append(url)
        if len(seen) >= limit:
            break
    return seen


async def collect_page(ctx: Context, source: Source) -> SourceResult:
    result = SourceResult(source=source.name, kind="page")
    if not source.follow:
        result.items = 1
        try:
            count(result, await fetch_article(ctx, source.url, source.name, refresh=True))
        except FetchError as e:
            result.status, result.error = "failed", str(e)
        return result
    try:
        resp = await ctx.fetcher.get(source.url)
    except FetchError as e:
        result.status, result.error = "failed", str(e)
        return result
    links = listing_links(resp.content, resp.url, source.follow, source.max_items, resp.charset)
    result.items = len(links)

    async def one(link: str) -> None:
        try:
            count(result, await fetch_article(ctx, link, source.name))
        except FetchError as e:
            result.failed_items += 1
            result.errors.append(str(e))

    await asyncio.gather(*(one(link) for link in links))
    if result.items and result.failed_items == result.items:
        result.status = "failed"
        result.error = f"all {result.items} linked pages failed; first: {result.errors[0]}"
    return result
