"""A hostile web server on 127.0.0.1 for fault tests.

Raw control over the socket, so a route can do what real servers do to a
crawler left running for months: answer 500 or 503 with Retry-After, reset
the connection, never answer, trickle bytes, promise more body than it sends,
redirect in a loop, stream 50 MB, send a gzip bomb, serve XML with entity
expansion or external entities, or label its charset wrongly.

    with HostileServer() as srv:
        srv.url("/reset")             # a built-in route
        srv.serve("/a.html", b"...")  # a static route
        srv.hits["/secret"]           # how often a path was requested

Stalling routes end when the server stops, so a test never hangs on them.
"""
from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional
from urllib.parse import parse_qs, urlsplit

MB = 1024 * 1024
SECRET = "TOP-SECRET-XXE-CANARY-7f3a9"  # served at /secret; must never reach the database


def _gzip_bomb_parts(chunk_mb: int = 1) -> tuple[bytes, bytes]:
    """(head, repeat): a gzip stream is head + repeat * n (no trailer needed:
    the client must give up long before the end). Each `repeat` is `chunk_mb`
    MB of zeros compressed with a full flush, so every copy is identical and
    the stream can be produced lazily at any length."""
    co = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(chunk_mb * MB)
    head = co.compress(zeros) + co.flush(zlib.Z_FULL_FLUSH)
    one = co.compress(zeros) + co.flush(zlib.Z_FULL_FLUSH)
    two = co.compress(zeros) + co.flush(zlib.Z_FULL_FLUSH)
    assert one == two, "full-flush blocks of zeros should be identical"
    return head, one


BOMB_HEAD, BOMB_REPEAT = _gzip_bomb_parts()
BOMB_COPIES = 4 * 1024  # 4 GB once inflated, ~4 MB on the wire: under the size cap
BOMB_COMPRESSED_SIZE = len(BOMB_HEAD) + BOMB_COPIES * len(BOMB_REPEAT)
HUGE_BOMB_COPIES = 10 * 1024  # 10 GB once inflated, ~10 MB on the wire, no Content-Length

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://127.0.0.1:9/never</link><description>&lol9;</description></item>
</channel></rss>"""


def xxe_feed(system_id: str, link: str) -> bytes:
    """A feed whose title and description pull in an external entity."""
    return f"""<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "{system_id}"> ]>
<rss version="2.0"><channel><title>Compute news &xxe;</title>
<item><title>OpenAI signs GPU cloud deal &xxe;</title><link>{link}</link>
<description>&xxe; OpenAI will pay CoreWeave $1 billion for GPU compute capacity.</description></item>
</channel></rss>""".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        self.query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        owner = self.server.owner
        with owner._lock:
            owner.hits[path] += 1
            owner.requests.append((path, dict(self.headers)))
        route = owner.routes.get(path)
        if route is None:
            for prefix, fn in owner.prefix_routes.items():
                if path.startswith(prefix):
                    route = fn
                    break
        try:
            if route is None:
                self.respond(404, b"not found", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            self.close_connection = True

    # --- helpers for routes ---------------------------------------------
    def respond(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
                headers: Optional[dict] = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def reset(self) -> None:
        """Close with RST (SO_LINGER 0): the client sees 'connection reset'."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
        self.wfile = _Null()

    def stall(self, max_s: float = 120.0) -> None:
        """Hold the connection open until the server stops (or max_s)."""
        self.server.owner.stopping.wait(max_s)
        self.close_connection = True


class _Null:
    closed = False

    def write(self, *_):
        return 0

    def flush(self):
        pass

    def close(self):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: "HostileServer"


class HostileServer:
    def __init__(self) -> None:
        self.routes: dict[str, Callable[[_Handler], None]] = {}
        self.prefix_routes: dict[str, Callable[[_Handler], None]] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict]] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._builtin()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> "HostileServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- configuring ------------------------------------------------------
    def route(self, path: str, fn: Callable[[_Handler], None]) -> None:
        self.routes[path] = fn

    def serve(self, path: str, body: bytes | str, ctype: str = "text/html; charset=utf-8",
              status: int = 200, headers: Optional[dict] = None) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda h: h.respond(status, data, ctype, headers)
        return self.url(path)

    def fail_then_serve(self, path: str, failures: int, status: int, body: bytes | str,
                        ctype: str = "text/html; charset=utf-8", retry_after: Optional[str] = None) -> str:
        """`failures` answers of `status` (with Retry-After), then the body."""
        data = body.encode("utf-8") if isinstance(body, str) else body

        def fn(h: _Handler) -> None:
            if self.hits[path] <= failures:
                hdrs = {"Retry-After": retry_after} if retry_after else {}
                h.respond(status, b"try later", "text/plain", hdrs)
            else:
                h.respond(200, data, ctype)

        self.routes[path] = fn
        return self.url(path)

    # --- the built-in hostile routes -----------------------------------------
    def _builtin(self) -> None:
        r = self.routes

        def status(h: _Handler) -> None:
            code = int(h.path.split("?")[0].rsplit("/", 1)[1])
            hdrs = {"Retry-After": h.query["retry_after"]} if "retry_after" in h.query else {}
            h.respond(code, f"status {code}".encode(), "text/plain", hdrs)

        self.prefix_routes["/status/"] = status
        r["/reset"] = lambda h: h.reset()

        def reset_mid(h: _Handler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            h.wfile.write(b"<html><body><p>" + b"partial " * 500)
            h.reset()

        r["/reset-mid"] = reset_mid
        r["/stall"] = lambda h: h.stall()

        def stall_body(h: _Handler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            h.wfile.write(b"<html><body><p>first bytes")
            h.wfile.flush()
            h.stall()

        r["/stall-body"] = stall_body

        def trickle(h: _Handler) -> None:
            """A byte every 0.2 s forever: no read ever times out; only a
            bound on the whole response stops it."""
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.end_headers()
            while not self.stopping.wait(0.2):
                h.wfile.write(b"x")
                h.wfile.flush()

        r["/trickle"] = trickle

        def truncated(h: _Handler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            h.wfile.write(b"<html><body><p>" + b"cut short " * 100)
            h.wfile.flush()
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_WR)

        r["/truncated"] = truncated

        def redirect(target: str) -> Callable[[_Handler], None]:
            return lambda h: h.respond(302, b"", "text/plain", {"Location": target})

        r["/loop/a"] = redirect("/loop/b")
        r["/loop/b"] = redirect("/loop/a")
        r["/loop/self"] = redirect("/loop/self")

        def big(declared: bool) -> Callable[[_Handler], None]:
            def fn(h: _Handler) -> None:
                size = 50 * MB
                h.send_response(200)
                h.send_header("Content-Type", "text/html")
                if declared:
                    h.send_header("Content-Length", str(size))
                else:
                    h.send_header("Connection", "close")
                    h.close_connection = True
                h.end_headers()
                chunk = b"<p>" + b"a" * (64 * 1024 - 7) + b"</p>\n"
                sent = 0
                while sent < size and not self.stopping.is_set():
                    h.wfile.write(chunk)
                    sent += len(chunk)
            return fn

        r["/big"] = big(False)
        r["/big-declared"] = big(True)

        def bomb(copies: int, declared: bool) -> Callable[[_Handler], None]:
            def fn(h: _Handler) -> None:
                h.send_response(200)
                h.send_header("Content-Type", "text/html")
                h.send_header("Content-Encoding", "gzip")
                if declared:
                    h.send_header("Content-Length", str(len(BOMB_HEAD) + copies * len(BOMB_REPEAT)))
                else:
                    h.send_header("Connection", "close")
                    h.close_connection = True
                h.end_headers()
                h.wfile.write(BOMB_HEAD)
                for _ in range(copies):
                    if self.stopping.is_set():
                        break
                    h.wfile.write(BOMB_REPEAT)
            return fn

        r["/gzip-bomb"] = bomb(BOMB_COPIES, True)
        r["/gzip-bomb-huge"] = bomb(HUGE_BOMB_COPIES, False)
        r["/laughs.xml"] = lambda h: h.respond(200, BILLION_LAUGHS, "application/rss+xml")
        r["/secret"] = lambda h: h.respond(200, SECRET.encode(), "text/plain")
        r["/xxe-file.xml"] = lambda h: h.respond(
            200, xxe_feed("file:///etc/passwd", self.url("/article")), "application/rss+xml")
        r["/xxe-http.xml"] = lambda h: h.respond(
            200, xxe_feed(self.url("/secret"), self.url("/article")), "application/rss+xml")
        r["/notxml.xml"] = lambda h: h.respond(
            200, b"<!DOCTYPE html><html><body><h1>Welcome</h1><p>Not a feed.</p></body></html>",
            "application/rss+xml")
        r["/json.xml"] = lambda h: h.respond(200, b'{"items": [1, 2, 3]}', "application/json")
        r["/binary.xml"] = lambda h: h.respond(200, bytes(range(256)) * 64, "application/rss+xml")


