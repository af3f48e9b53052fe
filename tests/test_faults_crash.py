"""kill -9 at every transaction boundary and at random moments: `tracker
collect` run again afterwards ends with exactly the database of a clean,
uninterrupted run (same documents, claims, deals, conflicts; no duplicates,
nothing lost) and PRAGMA integrity_check is ok. `tracker digest` killed at
every step never loses a window.

Crash points come from tests/crashing_tracker.py, which SIGKILLs the real
CLI at its N-th BEGIN or COMMIT (SQLite trace callback)."""
from __future__ import annotations

import asyncio
import os
import random
import threading
import signal
import sqlite3
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tracker.demo import DemoServer, demo_config_text

ROOT = Path(__file__).resolve().parent.parent
CRASHER = str(Path(__file__).with_name("crashing_tracker.py"))
CLEAN_TRANSACTIONS = 26  # BEGIN/COMMIT pairs in a clean demo collect (asserted below)


def run(args: list[str], *, crash: str | None = None, log: str | None = None, env: dict | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess:
    e = dict(os.environ, **(env or {}))
    e.pop("TRACKER_CRASH_AT", None)
    if crash:
        e["TRACKER_CRASH_AT"] = crash
    if log:
        e["TRACKER_CRASH_LOG"] = log
    return subprocess.run([sys.executable, CRASHER, *args], capture_output=True, text=True,
                          timeout=timeout, env=e, cwd=str(ROOT))


def state(db_path: str) -> dict:
    """Everything a user relies on, without ids and timestamps; lists (not
    sets) so a duplicate shows up."""
    conn = sqlite3.connect(db_path)
    try:
        q = lambda sql: sorted(tuple(r) for r in conn.execute(sql))  # noqa: E731
        claim_key = {}
        for r in conn.execute(
            "SELECT c.id, d.url, dl.buyer, dl.provider, dl.agreement, c.field, c.value, c.number, c.unit, "
            "c.period, c.approx, c.min, c.max, c.scope, c.quote FROM claims c "
            "JOIN documents d ON d.id = c.document_id JOIN deals dl ON dl.id = c.deal_id"
        ):
            claim_key[r[0]] = tuple(r[1:])
        import json

        conflicts = sorted(
            (buyer, provider, agreement, field, key, summary, status,
             tuple(sorted(claim_key.get(i, ("missing", i)) for i in json.loads(ids))))
            for buyer, provider, agreement, field, key, summary, status, ids in conn.execute(
                "SELECT dl.buyer, dl.provider, dl.agreement, k.field, k.key, k.summary, k.status, k.claim_ids "
                "FROM conflicts k JOIN deals dl ON dl.id = k.deal_id")
        )
        return dict(
            documents=q("SELECT url, source, kind, title, published_at, content_sha256, text, "
                        "extractor_version FROM documents"),
            claims=sorted(claim_key.values()),
            deals=q("SELECT buyer, provider, agreement FROM deals"),
            conflicts=conflicts,
            rejected=q("SELECT url, reason FROM rejected_urls"),
            fts=conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0],
            integrity=conn.execute("PRAGMA integrity_check").fetchone()[0],
            foreign_keys=conn.execute("PRAGMA foreign_key_check").fetchall(),
            running=conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0],
        )
    finally:
        conn.close()


def phase(db_path: str) -> str:
    """Where a killed collect was, judged from what it left."""
    if not os.path.exists(db_path):
        return "before-open"
    conn = sqlite3.connect(db_path)
    try:
        try:
            running = conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0]
            docs, pending = conn.execute(
                "SELECT count(*), sum(extractor_version IS NULL) FROM documents").fetchone()
        except sqlite3.OperationalError:
            return "migrating"
        if not running:
            return "opened"
        if docs == 0:
            return "fetching"
        return "extracting" if docs and not pending else "fetching+storing"
    finally:
        conn.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    with DemoServer() as server:
        d = tmp_path_factory.mktemp("crash")
        cfg = d / "sources.yaml"
        cfg.write_text(demo_config_text(server.base))
        ref = str(d / "reference.db")
        log = str(d / "clean.log")
        p = run(["collect", "--db", ref, "--config", str(cfg)], log=log)
        assert p.returncode == 0, p.stderr
        yield dict(cfg=str(cfg), reference=state(ref), ref_path=ref, dir=d,
                   transactions=sum(1 for x in Path(log).read_text().split() if x.startswith("commit:")))


def test_reference_run_is_sane(corpus):
    ref = corpus["reference"]
    assert len(ref["documents"]) == 5 and len(ref["claims"]) >= 20 and ref["conflicts"]
    assert ref["integrity"] == "ok" and ref["foreign_keys"] == [] and ref["running"] == 0
    # if the pipeline's transactions change, update CLEAN_TRANSACTIONS so every point is tried
    assert corpus["transactions"] == CLEAN_TRANSACTIONS


# Mid-transaction kills at every COMMIT, and between-transaction kills at a
# sample of BEGINs (a kill at BEGIN k leaves the same committed state as a
# kill at COMMIT k, minus uncommitted WAL frames).
POINTS = [f"commit:{k}" for k in range(1, CLEAN_TRANSACTIONS + 1)] + \
         [f"begin:{k}" for k in range(2, CLEAN_TRANSACTIONS + 1, 4)]
CHUNKS = 4


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_kill_at_every_transaction_boundary_then_rerun_equals_clean_run(corpus, tmp_path, chunk):
    tried = 0
    for point in POINTS[chunk::CHUNKS]:
        db = str(tmp_path / f"{point.replace(':', '-')}.db")
        killed = run(["collect", "--db", db, "--config", corpus["cfg"]], crash=point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.returncode, killed.stderr)
        again = run(["collect", "--db", db, "--config", corpus["cfg"]])
        assert again.returncode == 0, (point, again.stderr)
        assert "database is locked" not in again.stderr
        got = state(db)
        assert got == corpus["reference"], point
        runs = sqlite3.connect(db).execute("SELECT status FROM runs ORDER BY id").fetchall()
        # the killed run (if it got as far as recording itself) is marked interrupted
        assert [r[0] for r in runs][-1] == "ok" and all(r[0] in ("interrupted", "ok") for r in runs)
        tried += 1
    assert tried == len(POINTS[chunk::CHUNKS])


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_repeated_random_kills_then_rerun_equals_clean_run(corpus, tmp_path, seed):
    """Kill -9 at random moments, several times in a row on the same
    database (each restart meets what the last crash left), then let one run
    finish."""
    rng = random.Random(seed)
    db = str(tmp_path / "tracker.db")
    phases = []
    cmd = [sys.executable, "-m", "tracker", "collect", "--db", db, "--config", corpus["cfg"]]
    for _ in range(8):
        proc = subprocess.Popen(cmd, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.3, 1.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        phases.append(phase(db) if proc.returncode == -signal.SIGKILL else "finished")
    final = subprocess.run(cmd, cwd=str(ROOT), capture_output=True, text=True, timeout=60)
    assert final.returncode == 0, final.stderr
    assert state(db) == corpus["reference"], phases
    print("phases hit:", phases)


# --- digest ---------------------------------------------------------------------

@pytest.fixture
def smtp():
    import socket

    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.accepted = []  # parsed messages the server said 250 to
            self.hold = None  # (entered, release) events: park the next DATA
            self.dropped = 0

        async def handle_DATA(self, server, session, envelope):
            if self.hold is not None:
                entered, release = self.hold
                self.hold = None
                entered.set()
                await asyncio.get_running_loop().run_in_executor(None, release.wait, 30)
                self.dropped += 1
                return "451 client went away"
            self.accepted.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.env = {"TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": str(port), "TRACKER_SMTP_TLS": "none"}
    try:
        yield handler
    finally:
        controller.stop()


def _aged_copy(corpus, tmp_path) -> str:
    """The reference database with every row an hour old (so it falls in the
    digest window, which ends SETTLE_SECONDS ago)."""
    db = str(tmp_path / "digest.db")
    src = sqlite3.connect(corpus["ref_path"])
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    with dst:
        hour_ago = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '-1 hour')"
        dst.execute(f"UPDATE claims SET created_at = {hour_ago}")
        dst.execute(f"UPDATE deals SET first_seen = {hour_ago}, last_seen = {hour_ago}")
        dst.execute(f"UPDATE conflicts SET first_detected = {hour_ago}, updated_at = {hour_ago}")
    dst.close()
    return db


def _digest_rows(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, window_start, window_end, status, message_id FROM digests "
                            "ORDER BY id").fetchall()
    finally:
        conn.close()


# The digest's transactions: 1 = decide + build + record 'sending';
# then SMTP; 2 = settle 'sent'. commit:1 is "built, not recorded"; begin:2
# and commit:2 come after the server accepted the message.
DIGEST_POINTS = ["commit:1", "begin:2", "commit:2"]


@pytest.mark.parametrize("point", DIGEST_POINTS)
def test_digest_killed_then_rerun_never_loses_a_window(corpus, tmp_path, smtp, point):
    db = _aged_copy(corpus, tmp_path)
    args = ["digest", "--db", db, "--config", corpus["cfg"]]
    killed = run(args, crash=point, env=smtp.env)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    accepted_before = len(smtp.accepted)
    again = run(args, env=smtp.env)
    assert again.returncode == 0, again.stderr
    rows = _digest_rows(db)
    sent = [r for r in rows if r[3] == "sent"]
    assert len(sent) == 1, rows  # one recorded delivery for the window
    assert not [r for r in rows if r[3] == "sending"]
    # never a lost window: every claim's quote reached the server
    quotes = {q for (q,) in sqlite3.connect(db).execute("SELECT quote FROM claims")}
    bodies = " ".join(m.get_body(("plain",)).get_content() for m in smtp.accepted)
    flat = " ".join(bodies.split())
    missing = [q for q in quotes if " ".join(q.split())[:60] not in flat]
    assert not missing, missing[:3]
    # a third run sends nothing new
    third = run(args, env=smtp.env)
    assert third.returncode == 0 and "already sent" in third.stdout
    if point == "commit:1":  # killed before the hand-over: exactly one delivery
        assert accepted_before == 0 and len(smtp.accepted) == 1


def test_digest_killed_during_smtp_handover_is_sent_once_by_next_run(corpus, tmp_path, smtp):
    """Killed while the server holds DATA (recorded 'sending', not accepted):
    the next run sees the sender is dead, marks it failed and sends the window."""
    db = _aged_copy(corpus, tmp_path)
    env = dict(os.environ, **smtp.env)
    entered, release = threading.Event(), threading.Event()
    smtp.hold = (entered, release)
    cmd = [sys.executable, "-m", "tracker", "digest", "--db", db, "--config", corpus["cfg"]]
    proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert entered.wait(30), "digest never reached DATA"
        assert [r[3] for r in _digest_rows(db)] == ["sending"]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        release.set()
    again = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    rows = _digest_rows(db)
    assert [r[3] for r in rows] == ["failed", "sent"]
    assert rows[0][1:3] == rows[1][1:3] or rows[1][1] == rows[0][1]  # same window start: nothing skipped
    assert len(smtp.accepted) == 1  # the parked copy was never accepted


def test_digest_killed_after_acceptance_is_not_delivered_twice(corpus, tmp_path, smtp):
    db = _aged_copy(corpus, tmp_path)
    args = ["digest", "--db", db, "--config", corpus["cfg"]]
    killed = run(args, crash="begin:2", env=smtp.env)
    assert killed.returncode == -signal.SIGKILL
    assert run(args, env=smtp.env).returncode == 0
    ids = {m["Message-ID"] for m in smtp.accepted}
    assert len(ids) == 1, f"{len(smtp.accepted)} messages, {len(ids)} Message-IDs for one window"


@pytest.mark.slow
def test_digest_random_kills_never_lose_or_double_a_window(corpus, tmp_path, smtp):
    """Random kill -9 of `tracker digest` while the SMTP server is slow to
    answer DATA (so kills land before, during and after the hand-over)."""
    db = _aged_copy(corpus, tmp_path)
    rng = random.Random(7)
    env = dict(os.environ, **smtp.env)
    cmd = [sys.executable, "-m", "tracker", "digest", "--db", db, "--config", corpus["cfg"]]
    outcomes = []
    for _ in range(6):
        before = len(smtp.accepted)
        proc = subprocess.Popen(cmd, cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.2, 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        outcomes.append((proc.returncode, len(smtp.accepted) - before))
        if len([r for r in _digest_rows(db) if r[3] == "sent"]):
            break
    final = subprocess.run(cmd, cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=60)
    assert final.returncode == 0, final.stderr
    rows = _digest_rows(db)
    assert len([r for r in rows if r[3] == "sent"]) == 1, rows
    assert not [r for r in rows if r[3] == "sending"]
    assert len(smtp.accepted) >= 1, outcomes
