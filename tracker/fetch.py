"""HTTP fetching: politeness, retries, validators and limits, in one place.

Every collector goes through `Fetcher.get`, so the User-Agent, timeouts,
retry policy, size cap and per-host concurrency are decided here and nowhere
else. Errors come out as `FetchError` subclasses whose message names the URL
and the reason in one line.
"""
from __future__ import annotations

import asyncio
import email.utils
import random
import socket
import time
import zlib
from collections import deque
from dataclasses import dataclass
from typing import Awaitable, Callable, Optional
from urllib.parse import urlsplit

import httpx

from .config import FetchConfig
from .errors import FetchError, HTTPStatusError, TooLargeError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class Response:
    url: str  # final URL after redirects
    status: int
    headers: httpx.Headers
    content: bytes
    not_modified: bool = False

    @property
    def etag(self) -> Optional[str]:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> Optional[str]:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> Optional[str]:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            k, _, v = part.strip().partition("=")
            if k.lower() == "charset" and v:
                return v.strip("\"' ")
        return None


class RateLimiter:
    """At most `max_calls` request starts in any window of `period` seconds,
    and (optionally) starts at least `min_interval` apart.

    A sliding log rather than a token bucket, so no burst can ever exceed the
    limit in any window a server measures; the spacing keeps a full window's
    budget from leaving as one burst that a server might count twice.
    """

    def __init__(self, max_calls: int, period: float = 1.0, min_interval: float = 0.0):
        self.max_calls = max(1, int(max_calls))
        self.period = period
        self.min_interval = min_interval
        self._starts: deque[float] = deque()
        self._last = float("-inf")
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._starts and now - self._starts[0] >= self.period:
                    self._starts.popleft()
                wait = self._last + self.min_interval - now
                if len(self._starts) >= self.max_calls:
                    wait = max(wait, self.period - (now - self._starts[0]))
                if wait <= 0:
                    self._starts.append(now)
                    self._last = now
                    return
                await asyncio.sleep(wait + 0.001)


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _reason(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        # httpx says "All connection attempts failed"; the OS error says why.
        cause: Optional[BaseException] = exc
        while cause is not None:
            if isinstance(cause, ConnectionRefusedError):
                return "connection refused"
            if isinstance(cause, socket.gaierror):
                return "host not found"
            cause = cause.__cause__ or cause.__context__
        text = str(exc) or "connection failed"
        if "refused" in text.lower():
            return "connection refused"
        if "name" in text.lower() and ("resolution" in text.lower() or "not known" in text.lower()):
            return "host not found"
        return f"cannot connect ({text})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"connection broken mid-response ({exc})"
    if isinstance(exc, httpx.ReadError):
        return f"connection reset ({exc})" if str(exc) else "connection reset"
    if isinstance(exc, httpx.DecodingError):
        return f"undecodable body ({exc})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class Fetcher:
    """An httpx.AsyncClient with the tracker's policies; use as `async with`."""

    def __init__(
        self,
        config: FetchConfig,
        user_agent: str,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        sec_requests_per_second: float = 8.0,
    ):
        self.config = config
        self.sec_rps = sec_requests_per_second
        self.user_agent = user_agent
        self._sleep = sleep
        self._client: Optional[httpx.AsyncClient] = None
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._all = asyncio.Semaphore(max(1, config.concurrency))
        self.requests = 0  # attempts sent, for run statistics

    async def __aenter__(self) -> "Fetcher":
        t = self.config.timeout
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(t, connect=min(t, 10.0)),
            follow_redirects=True,
            max_redirects=int(self.config.max_redirects),
            limits=httpx.Limits(max_connections=max(1, self.config.concurrency),
                                max_keepalive_connections=max(1, self.config.concurrency)),
            trust_env=False,  # a stray proxy variable must not reroute collection
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _host_sem(self, url: str) -> asyncio.Semaphore:
        host = urlsplit(url).netloc.lower()
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(max(1, self.config.per_host))
        return sem

    async def get(
        self,
        url: str,
        *,
        etag: Optional[str] = None,
        last_modified: Optional[str] = None,
        max_bytes: Optional[int] = None,
        limiter: Optional[RateLimiter] = None,
        headers: Optional[dict[str, str]] = None,
        give_up_statuses: frozenset[int] = frozenset(),
    ) -> Response:
        """GET with retries; a 304 comes back as `not_modified=True`.

        Raises FetchError (HTTPStatusError, TooLargeError) after the retries.
        `give_up_statuses`: statuses that end the attempts at once even though
        they are normally retried (the SEC collector stops on repeated 403s).
        """
        assert self._client is not None, "use `async with Fetcher(...)`"
        if limiter is None and _is_sec_host(url):
            # A feed or page on an SEC host draws from the SEC's budget too.
            from .sources.sec import sec_limiter

            limiter = sec_limiter(self.sec_rps)
        cap = max_bytes or self.config.max_bytes
        req_headers = dict(headers or {})
        if etag:
            req_headers["If-None-Match"] = etag
        if last_modified:
            req_headers["If-Modified-Since"] = last_modified
        attempts = int(self.config.retries) + 1
        last_error: Optional[FetchError] = None
        for attempt in range(attempts):
            wait: Optional[float] = None
            try:
                async with self._all, self._host_sem(url):
                    if limiter is not None:
                        await limiter.acquire()
                    self.requests += 1
                    resp = await asyncio.wait_for(
                        self._once(url, req_headers, cap), timeout=self.config.timeout * 3
                    )
            except TooLargeError:
                raise
            except asyncio.TimeoutError:
                last_error = FetchError(f"{url}: timed out after {self.config.timeout * 3:.0f}s")
            except httpx.TooManyRedirects:
                raise FetchError(f"{url}: too many redirects (more than {self.config.max_redirects})") from None
            except httpx.UnsupportedProtocol as e:
                raise FetchError(f"{url}: unsupported URL ({e})") from None
            except (httpx.TransportError, httpx.DecodingError) as e:
                last_error = FetchError(f"{url}: {_reason(e)}")
            else:
                if resp.status == 304:
                    resp.not_modified = True
                    return resp
                if 200 <= resp.status < 300:
                    return resp
                phrase = httpx.codes.get_reason_phrase(resp.status) or "error"
                wait = parse_retry_after(resp.headers.get("retry-after"))
                last_error = HTTPStatusError(f"{url}: HTTP {resp.status} {phrase}", resp.status, wait)
                if resp.status not in RETRY_STATUSES or resp.status in give_up_statuses:
                    raise last_error
                if wait is not None and wait > self.config.max_retry_after:
                    raise HTTPStatusError(
                        f"{url}: HTTP {resp.status}, server asks to retry after {wait:.0f}s; "
                        "left for the next run",
                        resp.status,
                        wait,
                    )
            if attempt + 1 < attempts:
                if wait is None:
                    wait = self.config.backoff * (2 ** attempt) * (1 + random.random() / 4)
                await self._sleep(wait)
        assert last_error is not None
        if attempts > 1:
            raise type(last_error)(*_with_attempts(last_error, attempts))
        raise last_error

    async def _once(self, url: str, headers: dict[str, str], cap: int) -> Response:
        assert self._client is not None
        async with self._client.stream("GET", url, headers=headers) as r:
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > cap and r.status_code < 300:
                raise TooLargeError(f"{url}: response is {int(declared):,} bytes, over the {cap:,}-byte cap")
            chunks: list[bytes] = []
            size = 0
            if r.status_code < 300:
                decoder = _BoundedDecoder.for_encoding(r.headers.get("content-encoding", ""))
                if decoder is None:  # an encoding we did not ask for: httpx decodes it
                    stream = r.aiter_bytes()
                else:
                    stream = r.aiter_raw()
                async for raw in stream:
                    for chunk in (decoder.feed(raw, cap - size + 1) if decoder else (raw,)):
                        size += len(chunk)
                        if size > cap:
                            raise TooLargeError(f"{url}: response over the {cap:,}-byte cap"
                                                + (" once decompressed" if decoder and decoder.zlib else ""))
                        chunks.append(chunk)
            return Response(url=str(r.url), status=r.status_code, headers=r.headers,
                            content=b"".join(chunks))


class _BoundedDecoder:
    """gzip/deflate decoding that never inflates more than the cap allows.

    httpx inflates each network chunk whole, so a gzip bomb turns a 64 KB
    read into ~64 MB in memory before our size check can run; here each
    step inflates at most the bytes still allowed under the cap (+1, to
    notice going over).
    """

    def __init__(self, zlib_obj=None, deflate: bool = False):
        self.zlib = zlib_obj
        self._deflate = deflate
        self._first = True

    @classmethod
    def for_encoding(cls, header: str) -> "Optional[_BoundedDecoder]":
        enc = header.strip().lower()
        if enc in ("", "identity"):
            return cls()
        if enc in ("gzip", "x-gzip"):
            return cls(zlib.decompressobj(16 + zlib.MAX_WBITS))
        if enc == "deflate":
            return cls(zlib.decompressobj(), deflate=True)
        return None

    def feed(self, data: bytes, room: int) -> list[bytes]:
        if self.zlib is None:
            return [data]
        try:
            try:
                out = self.zlib.decompress(data, max(1, room))
            except zlib.error:
                if not (self._deflate and self._first):
                    raise
                # "deflate" sent as a raw stream without the zlib header.
                self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                out = self.zlib.decompress(data, max(1, room))
        except zlib.error as e:
            raise httpx.DecodingError(f"invalid {'deflate' if self._deflate else 'gzip'} data: {e}") from None
        self._first = False
        if self.zlib.unconsumed_tail and len(out) >= room:
            return [out]  # over the cap: the caller raises TooLargeError
        parts = [out]
        while self.zlib.unconsumed_tail:
            room -= len(out)
            out = self.zlib.decompress(self.zlib.unconsumed_tail, max(1, room))
            parts.append(out)
            if len(out) >= room:
                break
        return parts


def _is_sec_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "sec.gov" or host.endswith(".sec.gov")


def _with_attempts(err: FetchError, attempts: int) -> tuple:
    msg = f"{err} (after {attempts} attempts)"
    if isinstance(err, HTTPStatusError):
        return (msg, err.status, err.retry_after)
    return (msg,)
