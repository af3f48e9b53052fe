"""The daily digest against a real SQLite file and a real SMTP server
(aiosmtpd on 127.0.0.1): structure, escaping, exactly-once, failures."""
from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tracker import digest as digest_mod
from tracker.config import Config, DigestConfig, ScheduleConfig
from tracker.digest import build_digest, clean, run_digest
from tracker.errors import ConfigError, DeliveryError, LockError
from tracker.mail import SMTPSettings
from tracker.store import open_db, transaction
from tracker.store import digests as dstore

HOSTILE_TITLE = ('Deal <script>alert(1)</script> "><img src=x onerror=alert(2)>'
                 "\r\nBcc: victim@evil.example\r\nX-Evil: 1 \x1b[31mRED\x1b[0m \x1b]0;pwned\x07")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ago(**kw) -> str:
    return (datetime.now(timezone.utc) - timedelta(**kw)).replace(microsecond=0).isoformat()


class Recorder:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    handler = Recorder()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.settings = SMTPSettings(host="127.0.0.1", port=port, tls="none")
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def cfg():
    return Config(
        digest=DigestConfig(to=["alice@example.com", "bob@example.com"], sender="tracker@example.org"),
        schedule=ScheduleConfig(digest="0 7 * * *", timezone="UTC"),
    )


@pytest.fixture
def db(tmp_path):
    d = open_db(tmp_path / "tracker.db")
    yield d
    d.conn.close()


_doc_id = [0]


def add_doc(db, title, url, source="wire", when=None):
    with transaction(db) as c:
        cur = c.execute(
            "INSERT INTO documents (url, url_key, source, kind, title, published_at, fetched_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (url, url, source, "article", title, "2026-05-19", when or _ago(hours=2)),
        )
        return cur.lastrowid


def add_deal(db, buyer, provider, when):
    with transaction(db) as c:
        return c.execute(
            "INSERT INTO deals (buyer, provider, agreement, first_seen, last_seen) VALUES (?,?,?,?,?)",
            (buyer, provider, "", when, when),
        ).lastrowid


def add_claim(db, deal_id, doc_id, field, value, quote, when, number=None, period=None):
    with transaction(db) as c:
        return c.execute(
            "INSERT INTO claims (deal_id, document_id, field, value, number, period, quote, created_at) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (deal_id, doc_id, field, value, number, period, quote, when),
        ).lastrowid


def add_conflict(db, deal_id, field, claim_ids, summary, status, first, updated, resolved=None):
    with transaction(db) as c:
        return c.execute(
            "INSERT INTO conflicts (deal_id, field, key, claim_ids, summary, status, first_detected, "
            "updated_at, resolved_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (deal_id, field, "", "[" + ",".join(map(str, claim_ids)) + "]", summary, status,
             first, updated, resolved),
        ).lastrowid


@pytest.fixture
def seeded(db):
    """Two deals with figures an hour old, one open and one resolved conflict."""
    t = _ago(hours=1)
    d1 = add_doc(db, HOSTILE_TITLE, "https://news.example.com/a")
    d2 = add_doc(db, "Oracle and OpenAI sign", "javascript:alert(3)", source="blog")
    small = add_deal(db, "Mistral", "Fluidstack", t)
    big = add_deal(db, "OpenAI", "Oracle", t)
    add_claim(db, small, d1, "payment", "$10M per month", "Mistral pays $10M per month.", t, 1e7, "month")
    c1 = add_claim(db, big, d1, "payment", "$30B per year", "OpenAI will pay $30B a year \x1b[2J.", t, 3e10, "year")
    c2 = add_claim(db, big, d2, "payment", "$25B per year", "About $25B per year.", t, 2.5e10, "year")
    add_conflict(db, big, "payment", [c1, c2], "$30B vs $25B per year", "open", t, t)
    add_conflict(db, small, "payment", [c1], "old disagreement", "resolved", _ago(days=3), t, t)
    return dict(small=small, big=big, d1=d1, d2=d2)


def parse(envelope):
    return message_from_bytes(envelope.content, policy=policy.default)


def parts(msg):
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    return plain, html


# --- structure and escaping -----------------------------------------------------

def test_message_structure_escaping_and_headers(db, cfg, seeded, smtp_server):
    result = run_digest(db, cfg, smtp=smtp_server.settings)
    assert result.status == "sent"
    assert len(smtp_server.envelopes) == 1
    env = smtp_server.envelopes[0]
    assert sorted(env.rcpt_tos) == ["alice@example.com", "bob@example.com"]
    assert env.mail_from == "tracker@example.org"
    msg = parse(env)
    assert msg.get_content_type() == "multipart/alternative"
    # The HTML travels with its conflict chart inline: alternative[plain, related[html, png]].
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "multipart/related"]
    related = list(msg.iter_parts())[1]
    assert [p.get_content_type() for p in related.iter_parts()] == ["text/html", "image/png"]
    png = list(related.iter_parts())[1]
    assert png.get_content().startswith(b"\x89PNG") and png["Content-ID"].startswith("<")
    # No header injection through the CR/LF title.
    assert msg["Bcc"] is None and msg["X-Evil"] is None
    assert "victim" not in str(msg["Subject"]) and "\n" not in str(msg["Subject"])
    assert msg["Subject"].startswith("Compute deals: 2 new deals, 3 new figures, 1 conflict, 1 resolved")
    assert msg["Message-ID"] == result.message["Message-ID"]
    plain, html = parts(msg)
    # HTML: hostile title is text, nothing executable or external.
    low = html.lower()
    imgs = re.findall(r"<img[^>]*>", low)
    assert imgs and all(re.search(r'src="cid:[^"]+"', i) and 'alt="' in i for i in imgs)
    assert png["Content-ID"][1:-1].lower() in imgs[0]
    low = re.sub(r"<img[^>]*>", "", low)  # the inline charts; nothing else may load anything
    assert "<script" not in low and "<img" not in low and "onerror=alert(2)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "javascript:" not in low  # unsafe link dropped, title kept as text
    assert "Oracle and OpenAI sign" in html
    assert 'href="https://news.example.com/a"' in html
    for bad in ("<style", "<link", "src=", "url(", "<iframe", "<form"):
        assert bad not in low.replace("src=x", "")
    # Plain text: readable, everything on its lines, no escape sequences.
    assert "\x1b" not in plain and "\x07" not in plain
    assert "https://news.example.com/a" in plain
    assert "NEW CONFLICTS" in plain and "RESOLVED CONFLICTS" in plain
    assert '"OpenAI will pay $30B a year .' in plain or "OpenAI will pay $30B a year" in plain
    # Largest first: OpenAI-Oracle ($30B/yr) before Mistral-Fluidstack ($120M/yr).
    assert plain.index("## OpenAI – Oracle") < plain.index("## Mistral – Fluidstack")
    # Conflict sides carry value, source, date and quote.
    conflict_part = plain[plain.index("NEW CONFLICTS"):]
    assert "$30B per year, wire, 2026-05-19" in conflict_part
    assert "$25B per year, blog, 2026-05-19" in conflict_part
    assert "About $25B per year." in conflict_part
    # The row says sent.
    row = dstore.get_digest(db, result.digest_id)
    assert row["status"] == "sent" and row["sent_at"] and row["message_id"] == msg["Message-ID"]
    assert row["window_start"] is None and row["window_end"] == result.window_end


def test_changed_figure_shows_earlier_value(db, cfg, smtp_server):
    doc = add_doc(db, "t", "https://e.com/1")
    deal = add_deal(db, "Meta", "Google", _ago(days=5))
    add_claim(db, deal, doc, "gpu_count", "100,000", "100,000 GPUs", _ago(days=5))
    with transaction(db) as c:
        dstore.insert_digest(c, window_start=None, window_end=_ago(days=2), created_at=_ago(days=2),
                             status="sent", recipients="x", subject="s", message_id="<m@x>")
        c.execute("UPDATE digests SET sent_at = ?", (_ago(days=2),))
    add_claim(db, deal, doc, "gpu_count", "150,000", "150,000 GPUs", _ago(hours=1))
    msg, info = build_digest(db, cfg)
    assert "[changed]" in info["text"] and "earlier: 100,000" in info["text"]
    assert info["counts"]["new_deals"] == 0 and info["counts"]["new_figures"] == 1


# --- exactly once ---------------------------------------------------------------

def test_second_run_sends_nothing_unless_forced(db, cfg, seeded, smtp_server):
    first = run_digest(db, cfg, smtp=smtp_server.settings)
    assert first.status == "sent"
    second = run_digest(db, cfg, smtp=smtp_server.settings)
    assert second.status == "already-sent" and second.message is None
    assert len(smtp_server.envelopes) == 1
    forced = run_digest(db, cfg, smtp=smtp_server.settings, force=True)
    assert forced.status == "sent"
    assert len(smtp_server.envelopes) == 2
    # The forced one covers only what came after the first: nothing.
    assert forced.window_start == first.window_end
    assert forced.counts["empty"]
    rows = dstore.list_digests(db)
    assert [r["status"] for r in rows] == ["sent", "sent"]


def test_failed_send_is_retried_and_covers_both_windows(db, cfg, seeded, smtp_server):
    closed = SMTPSettings(host="127.0.0.1", port=_free_port(), tls="none")
    with pytest.raises(DeliveryError) as exc:
        run_digest(db, cfg, smtp=closed)
    message = str(exc.value)
    assert f"127.0.0.1:{closed.port}" in message and "\n" not in message
    assert exc.value.exit_code != 0
    failed = dstore.list_digests(db)
    assert [r["status"] for r in failed] == ["failed"] and failed[0]["sent_at"] is None
    assert dstore.last_sent(db) is None
    # Something new arrives before the retry.
    doc = add_doc(db, "Later news", "https://e.com/later")
    add_claim(db, seeded["small"], doc, "capacity_power", "50 MW", "50 MW of capacity", _ago(minutes=30))
    result = run_digest(db, cfg, smtp=smtp_server.settings)
    assert result.status == "sent" and result.window_start is None
    plain, _ = parts(parse(smtp_server.envelopes[0]))
    assert "$30B per year" in plain and "50 MW" in plain  # both windows


def test_server_stopped_mid_life_raises_and_loses_nothing(db, cfg, seeded):
    handler = Recorder()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    controller.stop()
    with pytest.raises(DeliveryError, match=rf"cannot reach SMTP server 127\.0\.0\.1:{port}"):
        run_digest(db, cfg, smtp=SMTPSettings(host="127.0.0.1", port=port))
    assert dstore.last_sent(db) is None


def test_stale_sending_row_is_resent_and_live_one_blocks(db, cfg, seeded, smtp_server):
    # A digest killed while sending: its process is gone.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    tag = digest_mod._host_tag()
    with transaction(db) as c:
        stale = dstore.insert_digest(
            c, window_start=None, window_end=_ago(minutes=50), created_at=_ago(minutes=49),
            status="sending", recipients="x", subject="s",
            message_id=f"<cdt.20260520070000.{dead.pid}.{tag}.abcdef@example.org>")
    result = run_digest(db, cfg, smtp=smtp_server.settings)
    assert result.status == "sent" and result.window_start is None  # covers the stale window
    assert dstore.get_digest(db, stale)["status"] == "failed"
    # A digest being sent right now by a live process: refuse, send nothing.
    with transaction(db) as c:
        dstore.insert_digest(
            c, window_start=result.window_end, window_end=_ago(minutes=1), created_at=_ago(seconds=5),
            status="sending", recipients="x", subject="s",
            message_id=f"<cdt.20260520070000.{os.getppid()}.{tag}.abcdef@example.org>")
    with pytest.raises(LockError):
        run_digest(db, cfg, smtp=smtp_server.settings, force=True)
    assert len(smtp_server.envelopes) == 1


# --- quiet days ----------------------------------------------------------------------

def _sent_yesterday(db):
    with transaction(db) as c:
        i = dstore.insert_digest(c, window_start=None, window_end=_ago(minutes=30),
                                 created_at=_ago(days=1), status="sent", recipients="x",
                                 subject="s", message_id="<m@x>")
        c.execute("UPDATE digests SET sent_at = ? WHERE id = ?", (_ago(days=1), i))


def test_empty_day_sends_one_line(db, cfg, seeded, smtp_server):
    _sent_yesterday(db)
    result = run_digest(db, cfg, smtp=smtp_server.settings)
    assert result.status == "sent" and result.counts["empty"]
    msg = parse(smtp_server.envelopes[0])
    plain, html = parts(msg)
    lines = [l for l in plain.splitlines() if l.startswith("Nothing new")]
    assert len(lines) == 1 and "no new deals, figures or conflicts" in lines[0]
    assert "NEW DEALS" not in plain and "Nothing new since" in html
    assert "nothing new" in msg["Subject"]


def test_empty_day_skipped_when_send_empty_false(db, cfg, seeded, smtp_server):
    _sent_yesterday(db)
    cfg.digest.send_empty = False
    result = run_digest(db, cfg, smtp=smtp_server.settings)
    assert result.status == "skipped-empty"
    assert smtp_server.envelopes == []
    assert len(dstore.list_digests(db)) == 1  # nothing recorded


# --- dry run, output, --since ------------------------------------------------------

def test_dry_run_and_output_do_not_mark_sent(db, cfg, seeded, smtp_server, tmp_path):
    out = io.StringIO()
    printed = run_digest(db, cfg, dry_run=True, out=out)
    assert printed.status == "printed"
    shown = out.getvalue()
    assert "Subject: Compute deals" in shown and "OpenAI – Oracle" in shown
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    assert printed.text and "\x1b" not in printed.text
    eml = tmp_path / "digest.eml"
    written = run_digest(db, cfg, output=str(eml))
    assert written.status == "written"
    msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative"
    assert dstore.list_digests(db) == [] and smtp_server.envelopes == []
    # The real run still covers everything.
    result = run_digest(db, cfg, smtp=smtp_server.settings)
    assert result.status == "sent" and result.counts["new_figures"] == 3


def test_since_overrides_window(db, cfg, seeded, smtp_server):
    _sent_yesterday(db)
    msg, info = build_digest(db, cfg)
    assert info["counts"]["empty"]
    msg, info = build_digest(db, cfg, since=_ago(days=2))
    assert info["counts"]["new_figures"] == 3
    msg, info = build_digest(db, cfg, since="2000-01-01")
    assert info["window_start"] == "2000-01-01T00:00:00+00:00"
    with pytest.raises(ConfigError, match="--since"):
        build_digest(db, cfg, since="last tuesday")
    # --since with a send: sent despite today's digest? No: --since is explicit.
    result = run_digest(db, cfg, smtp=smtp_server.settings, since=_ago(days=2))
    assert result.status == "sent" and result.counts["new_figures"] == 3


def test_fresh_rows_included_unless_a_collect_is_running(db, cfg, smtp_server):
    doc = add_doc(db, "t", "https://e.com/1")
    deal = add_deal(db, "A", "B", _ago(seconds=10))
    add_claim(db, deal, doc, "gpu_type", "H100", "H100s", _ago(seconds=10))
    msg, info = build_digest(db, cfg)
    assert info["counts"]["new_figures"] == 1  # right after a collect: shown
    with transaction(db) as c:
        c.execute("INSERT INTO runs (command, started_at, status, pid) VALUES ('collect', ?, 'running', 1)",
                  (_ago(minutes=5),))
    msg, info = build_digest(db, cfg)
    assert info["counts"]["empty"]  # a collect is writing: stamped inside the lag, next digest
    result = run_digest(db, cfg, smtp=smtp_server.settings)
    assert result.counts["empty"]
    with transaction(db) as c:
        c.execute("UPDATE runs SET status = 'ok'")
    result = run_digest(db, cfg, smtp=smtp_server.settings, force=True)
    assert result.counts["new_figures"] == 1  # the next digest has it


def test_rows_stamped_this_second_are_not_split(db, cfg):
    """A digest right after a collect (same second) waits for the next second
    so the half-open window includes what was just stamped."""
    doc = add_doc(db, "t", "https://e.com/1")
    now = _ago(seconds=0)
    deal = add_deal(db, "A", "B", now)
    add_claim(db, deal, doc, "gpu_type", "H100", "H100s", now)
    msg, info = build_digest(db, cfg)
    assert info["counts"]["new_figures"] == 1 and info["window_end"] > now


# --- configuration ----------------------------------------------------------------------

def test_missing_recipients_or_sender(db, smtp_server):
    with pytest.raises(ConfigError, match=r"digest\.to is empty in sources\.yaml"):
        run_digest(db, Config(digest=DigestConfig(to=[], sender="a@b.c")), smtp=smtp_server.settings)
    with pytest.raises(ConfigError, match=r"digest\.from"):
        run_digest(db, Config(digest=DigestConfig(to=["a@b.c"], sender=None)), smtp=smtp_server.settings)
    with pytest.raises(ConfigError, match=r"digest\.to is empty"):
        run_digest(db, Config(digest=DigestConfig(to=[], sender="a@b.c")), dry_run=True)
    assert smtp_server.envelopes == []


def test_smtp_settings_from_env():
    s = SMTPSettings.from_env({})
    assert (s.host, s.port, s.tls, s.user) == ("localhost", 25, "none", None)
    s = SMTPSettings.from_env({"TRACKER_SMTP_HOST": "mail.example.com", "TRACKER_SMTP_USER": "u",
                               "TRACKER_SMTP_PASSWORD": "hunter2-secret"})
    assert (s.port, s.tls) == (587, "starttls")
    assert "hunter2" not in repr(s) and "hunter2" not in str(s)
    assert SMTPSettings.from_env({"TRACKER_SMTP_TLS": "SSL"}).port == 465
    assert SMTPSettings.from_env({"TRACKER_SMTP_TLS": "none", "TRACKER_SMTP_PORT": "2525"}).port == 2525
    with pytest.raises(ConfigError, match="TRACKER_SMTP_TLS"):
        SMTPSettings.from_env({"TRACKER_SMTP_TLS": "yes"})
    with pytest.raises(ConfigError, match="TRACKER_SMTP_PORT"):
        SMTPSettings.from_env({"TRACKER_SMTP_PORT": "smtp"})
    with pytest.raises(ConfigError, match="TRACKER_SMTP_PORT"):
        SMTPSettings.from_env({"TRACKER_SMTP_PORT": "70000"})
    with pytest.raises(ConfigError) as exc:
        SMTPSettings.from_env({"TRACKER_SMTP_HOST": "mail.example.com", "TRACKER_SMTP_USER": "u",
                               "TRACKER_SMTP_PASSWORD": "hunter2-secret", "TRACKER_SMTP_TLS": "none"})
    assert "hunter2" not in str(exc.value)


def test_auth_failure_message_has_no_password(db, cfg, seeded, smtp_server):
    # aiosmtpd does not offer AUTH over plain text: the login fails cleanly.
    s = SMTPSettings(host="127.0.0.1", port=smtp_server.settings.port, user="u",
                     password="hunter2-secret", tls="none")
    with pytest.raises(DeliveryError) as exc:
        run_digest(db, cfg, smtp=s)
    assert "hunter2" not in str(exc.value) and f"127.0.0.1:{s.port}" in str(exc.value)
    assert dstore.last_sent(db) is None


def test_clean_strips_escapes_and_controls():
    assert clean("a\x1b[31mb\x1b[0m\r\nc\x07\u202ed") == "ab c d"
    assert clean("x" * 50, 10) == "x" * 9 + "…"
