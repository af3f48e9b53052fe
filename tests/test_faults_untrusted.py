"""Text from web pages is hostile: it must stay inert in the terminal, in the
HTML e-mail and in mail headers, and never become SQL."""
from __future__ import annotations

import ast
import re
import sqlite3
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tracker.demo import load_articles, render_feed, render_page
from tracker.store import open_db, transaction

from .hostile_server import HostileServer

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ("<script>alert(1)</script><img src=x onerror=alert(2)> \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 "
           "\x9b2J \u202eevil\u202c \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ \r\nBcc: victim@evil.example\r\nX-Evil: 1")
# What a terminal would act on: ESC, 8-bit CSI/OSC, other C0/C1 controls, bidi overrides.
TERMINAL_DANGER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _assert_terminal_safe(text: str) -> None:
    bad = TERMINAL_DANGER.findall(text)
    assert not bad, f"control characters reached the terminal: {bad[:5]!r}"


@pytest.fixture
def hostile_db(tmp_path):
    """A database whose every untrusted column carries the hostile string."""
    path = tmp_path / "tracker.db"
    db = open_db(path)
    now = "2026-01-01T00:00:00+00:00"
    with transaction(db) as c:
        d1 = c.execute("INSERT INTO documents (url, url_key, source, kind, title, published_at, fetched_at, text) "
                       "VALUES (?,?,?,?,?,?,?,?)",
                       ("https://a.example/x", "a.example/x", "wire" + HOSTILE, "article", "Title " + HOSTILE,
                        "2026-01-01", now, "text")).lastrowid
        deal = c.execute("INSERT INTO deals (buyer, provider, agreement, first_seen, last_seen) VALUES (?,?,?,?,?)",
                         ("OpenAI" + HOSTILE, "Oracle", "", now, now)).lastrowid
        ids = [c.execute("INSERT INTO claims (deal_id, document_id, field, value, number, period, quote, created_at) "
                         "VALUES (?,?,?,?,?,?,?,?)",
                         (deal, d1, "payment", v + HOSTILE, n, "year", "Quote " + HOSTILE, now)).lastrowid
               for v, n in (("$30B per year", 3e10), ("$25B per year", 2.5e10))]
        c.execute("INSERT INTO conflicts (deal_id, field, key, claim_ids, summary, status, first_detected, updated_at) "
                  "VALUES (?,?,?,?,?,?,?,?)", (deal, "payment", "", f"[{ids[0]},{ids[1]}]",
                                               "Summary " + HOSTILE, "open", now, now))
    db.conn.close()
    return str(path)


@pytest.mark.parametrize("args", [
    ["conflicts"], ["conflicts", "--status", "all"], ["deals"], ["claims", "--quotes"], ["claims", "1", "--quotes"],
    ["runs"],
])
def test_reader_commands_print_no_escapes(hostile_db, run_cli, args):
    result = run_cli(*args, "--db", hostile_db)
    assert result.exit_code == 0, result.output
    _assert_terminal_safe(result.stdout)
    _assert_terminal_safe(result.stderr)


def test_json_output_escapes_controls(hostile_db, run_cli):
    result = run_cli("conflicts", "--json", "--db", hostile_db)
    assert result.exit_code == 0
    _assert_terminal_safe(result.stdout)  # json.dumps escapes them as \u001b


def test_digest_html_inert_and_headers_clean(hostile_db, write_config, run_cli, tmp_path):
    cfg = write_config("digest:\n  to: [a@example.com]\n  from: t@example.com\n")
    out = tmp_path / "d.eml"
    result = run_cli("digest", "--db", hostile_db, "--config", cfg, "--output", str(out), "--since", "2025-01-01")
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    msg = message_from_bytes(raw, policy=policy.default)
    header_block = raw.split(b"\n\n", 1)[0].decode("ascii", "replace")
    assert "Bcc" not in header_block and "X-Evil" not in header_block
    for name, value in msg.items():
        assert "\r" not in value and "\n" not in value, name
    html = msg.get_body(("html",)).get_content()
    assert "<script" not in html and "<img src=x" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;" in html
    assert "\x1b" not in html and "\x9b" not in html
    plain = msg.get_body(("plain",)).get_content()
    _assert_terminal_safe(plain)
    dry = run_cli("digest", "--db", hostile_db, "--config", cfg, "--dry-run", "--since", "2025-01-01")
    _assert_terminal_safe(dry.stdout)


def test_collected_hostile_pages_stay_inert_end_to_end(write_config, db_path, run_cli):
    """Through the real pipeline: hostile titles and paragraphs in pages and
    in the feed, then every reader command and the digest."""
    arts = [dict(a) for a in load_articles() if a["slug"] != "stadium-naming-rights"]
    for a in arts:
        a["title"] = a["title"] + " " + HOSTILE
        a["paragraphs"] = [p.replace(". ", ". \x9b31m\u202e ", 1) for p in a["paragraphs"]]
    with HostileServer() as srv:
        for a in arts:
            srv.serve(f"/news/{a['slug']}", render_page(a))
        srv.serve("/feed.xml", render_feed(arts, srv.base), "application/rss+xml")
        cfg = write_config(f"feeds:\n  - name: wire\n    url: {srv.url('/feed.xml')}\n"
                           "digest:\n  to: [a@example.com]\n  from: t@example.com\n")
        result = run_cli("collect", "--db", db_path, "--config", cfg)
        assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(arts)
    assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] > 0
    conn.close()
    for args in (["deals"], ["claims", "--quotes"], ["conflicts", "--status", "all"], ["runs"]):
        r = run_cli(*args, "--db", db_path)
        assert r.exit_code == 0
        _assert_terminal_safe(r.stdout)
    r = run_cli("digest", "--db", db_path, "--config", cfg, "--dry-run", "--since", "2000-01-01")
    _assert_terminal_safe(r.stdout)


# --- SQL only with parameters -----------------------------------------------------------

# Interpolations allowed in SQL strings: each is a constant or built only from
# constants (column lists, '?' placeholders, integers). Anything else fails.
SAFE_INTERPOLATIONS = {
    "int(BUSY_TIMEOUT_S * 1000)", "DOC_COLUMNS", "', '.join(_DIGEST_COLS)", "','.join('?' * len(chunk))",
    "version + 1", "CLAIM_SELECT", "_TERM_YEARS", "_AMOUNT_SQL", "_DOC_DATE", "_TERM_SQL",
    # schema.py view builders _latest(field, column) / _distinct(field): only
    # ever called with string literals at import time (calls checked below).
    "column", "field",
    # serve.py database_columns: PRAGMA table_info([name]) for names read from
    # sqlite_master of our own database (schema objects, never page text).
    "name",
}
# Helpers whose every call must pass only literals.
LITERAL_ONLY_HELPERS = {"_latest", "_distinct"}
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WHERE|VALUES|FROM)\b")


def _sql_fstrings():
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                consts = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
                if SQL_WORDS.search(consts):
                    for v in node.values:
                        if isinstance(v, ast.FormattedValue):
                            e = v.value
                            if (isinstance(e, ast.Call) and isinstance(e.func, ast.Name)
                                    and e.func.id in LITERAL_ONLY_HELPERS):
                                continue  # checked by _helper_calls
                            yield path, node.lineno, ast.unparse(e)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "format" and isinstance(node.func.value, ast.Constant)
                  and isinstance(node.func.value.value, str) and SQL_WORDS.search(node.func.value.value)):
                yield path, node.lineno, "str.format(...)"
            elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
                  and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)
                  and SQL_WORDS.search(node.left.value)):
                yield path, node.lineno, "% formatting"


def test_sql_is_built_only_from_constants_and_parameters():
    """Every f-string / .format / % that builds SQL in tracker/ interpolates
    only audited constants; values always travel as ? parameters. A new
    interpolation fails here until audited and added above."""
    found = list(_sql_fstrings())
    assert found, "the scanner found no SQL f-strings at all: it is broken"
    unaudited = [f"{p.relative_to(ROOT)}:{line}: {{{expr}}}" for p, line, expr in found
                 if expr not in SAFE_INTERPOLATIONS]
    assert not unaudited, "SQL built from non-constant values:\n" + "\n".join(unaudited)


def test_sql_helpers_are_only_called_with_literals():
    calls = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in LITERAL_ONLY_HELPERS):
                calls.append(node)
                assert all(isinstance(a, ast.Constant) for a in node.args), \
                    f"{path}:{node.lineno}: {ast.unparse(node)} passes a non-literal into SQL"
    assert calls


def test_sql_injection_strings_are_stored_as_data(tmp_path, run_cli):
    """A title that is an injection attempt round-trips as plain text."""
    db = open_db(tmp_path / "t.db")
    evil = "x'); DROP TABLE documents; --"
    from tracker.models import Document
    from tracker.store.documents import save_document

    save_document(db, Document(url="https://e.example/a", source=evil, title=evil, text=evil + " text"))
    assert db.conn.execute("SELECT title, source FROM documents").fetchone() == (evil, evil)
    db.conn.close()
    r = run_cli("claims", "--db", str(tmp_path / "t.db"), "'; DROP TABLE deals; --")
    assert "DROP" in r.stderr or r.exit_code in (0, 1)
    conn = sqlite3.connect(tmp_path / "t.db")
    assert {"documents", "deals"} <= {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
