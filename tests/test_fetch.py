"""The HTTP client against a real local server: retries, Retry-After,
validators, limits. Every request goes to 127.0.0.1."""
import asyncio
import threading
import time

import pytest
from werkzeug import Response

from tracker.config import FetchConfig
from tracker.errors import FetchError, HTTPStatusError, TooLargeError
from tracker.fetch import Fetcher, RateLimiter, parse_retry_after

UA = "Compute Deal Tracker tests tests@example.com"


def fetch(url, cfg=None, **kw):
    async def go():
        async with Fetcher(cfg or FetchConfig(retries=2, backoff=0.01, timeout=2), UA) as f:
            return await f.get(url, **kw)
    return asyncio.run(go())


def test_user_agent_and_body(httpserver):
    httpserver.expect_request("/a", headers={"User-Agent": UA}).respond_with_data("hello")
    assert fetch(httpserver.url_for("/a")).content == b"hello"


def test_retries_5xx_then_succeeds(httpserver):
    httpserver.expect_oneshot_request("/flaky").respond_with_data("down", status=503)
    httpserver.expect_oneshot_request("/flaky").respond_with_data("down", status=500)
    httpserver.expect_request("/flaky").respond_with_data("up")
    assert fetch(httpserver.url_for("/flaky")).content == b"up"


def test_gives_up_after_bounded_retries(httpserver):
    httpserver.expect_request("/down").respond_with_data("no", status=502)
    with pytest.raises(HTTPStatusError, match=r"HTTP 502 .*after 3 attempts") as e:
        fetch(httpserver.url_for("/down"))
    assert e.value.status == 502
    assert len([r for r, _ in httpserver.log if r.path == "/down"]) == 3


def test_404_is_not_retried(httpserver):
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    with pytest.raises(HTTPStatusError, match="HTTP 404"):
        fetch(httpserver.url_for("/gone"))
    assert len([r for r, _ in httpserver.log if r.path == "/gone"]) == 1


def test_429_retry_after_is_honoured(httpserver):
    httpserver.expect_oneshot_request("/slow-down").respond_with_data("", status=429, headers={"Retry-After": "1"})
    httpserver.expect_request("/slow-down").respond_with_data("ok")
    start = time.monotonic()
    assert fetch(httpserver.url_for("/slow-down")).content == b"ok"
    assert time.monotonic() - start >= 0.95


def test_long_retry_after_is_left_for_next_run(httpserver):
    httpserver.expect_request("/later").respond_with_data("", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(HTTPStatusError, match="retry after 3600s; left for the next run"):
        fetch(httpserver.url_for("/later"))


def test_conditional_get_sends_validators_back_verbatim(httpserver):
    etag, lm = 'W/"abc-123"', "Tue, 12 May 2026 09:30:00 GMT"
    httpserver.expect_request("/feed", headers={"If-None-Match": etag, "If-Modified-Since": lm}).respond_with_data("", status=304)
    resp = fetch(httpserver.url_for("/feed"), etag=etag, last_modified=lm)
    assert resp.not_modified and resp.content == b""


def test_size_cap_declared_and_streamed(httpserver):
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(TooLargeError, match="over the 1,000-byte cap"):
        fetch(httpserver.url_for("/big"), max_bytes=1000)

    def chunked(request):
        return Response((b"y" * 1000 for _ in range(50)), mimetype="text/html")  # no Content-Length
    httpserver.expect_request("/stream").respond_with_handler(chunked)
    with pytest.raises(TooLargeError):
        fetch(httpserver.url_for("/stream"), max_bytes=10_000)


def test_redirect_loop_is_an_error(httpserver):
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="too many redirects"):
        fetch(httpserver.url_for("/loop"))


def test_timeout_is_bounded(httpserver):
    def sleepy(request):
        time.sleep(2)
        return Response("late")
    httpserver.expect_request("/sleepy").respond_with_handler(sleepy)
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(httpserver.url_for("/sleepy"), cfg=FetchConfig(retries=0, timeout=0.3))
    assert time.monotonic() - start < 1.5


def test_unreachable_host_message():
    with pytest.raises(FetchError, match="connection refused|cannot connect"):
        fetch("http://127.0.0.1:9/nothing", cfg=FetchConfig(retries=0, timeout=1))


def test_per_host_limit_and_overlap(httpserver):
    active = {"now": 0, "max": 0}
    lock = threading.Lock()

    def handler(request):
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.2)
        with lock:
            active["now"] -= 1
        return Response("ok")
    httpserver.expect_request("/p").respond_with_handler(handler)

    async def go():
        async with Fetcher(FetchConfig(per_host=3, timeout=5), UA) as f:
            return await asyncio.gather(*(f.get(httpserver.url_for("/p")) for _ in range(9)))
    start = time.monotonic()
    asyncio.run(go())
    elapsed = time.monotonic() - start
    assert active["max"] == 3
    assert elapsed < 1.2  # 3 rounds of 0.2 s, not 9


def test_rate_limiter_never_exceeds_window():
    async def go():
        limiter = RateLimiter(5, 0.5)
        stamps = []
        for _ in range(12):
            await limiter.acquire()
            stamps.append(time.monotonic())
        return stamps
    stamps = asyncio.run(go())
    for i in range(len(stamps) - 5):
        assert stamps[i + 5] - stamps[i] >= 0.5


def test_parse_retry_after():
    assert parse_retry_after("7") == 7
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert parse_retry_after("soon") is None


def test_403_is_not_retried_but_carries_retry_after(httpserver):
    httpserver.expect_request("/refused").respond_with_data("", status=403, headers={"Retry-After": "5"})
    with pytest.raises(HTTPStatusError) as e:
        fetch(httpserver.url_for("/refused"))
    assert e.value.status == 403 and e.value.retry_after == 5
    assert len([r for r, _ in httpserver.log if r.path == "/refused"]) == 1
