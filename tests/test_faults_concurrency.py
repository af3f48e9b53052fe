"""Processes at the same time: several collects, a digest and readers running
queries, all on one database. No "database is locked" reaches the user, no
duplicates, and the losing collects say so in one clean line (exit 75)."""
from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tracker.demo import DemoServer, demo_config_text

from .test_faults_crash import state

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def smtp_env():
    class H:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            H.count += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    c = Controller(H(), hostname="127.0.0.1", port=port)
    c.start()
    try:
        yield {"TRACKER_SMTP_HOST": "127.0.0.1", "TRACKER_SMTP_PORT": str(port), "TRACKER_SMTP_TLS": "none"}, H
    finally:
        c.stop()


READER = """
import subprocess, sys, time
from click.testing import CliRunner
from tracker.cli import cli
db = sys.argv[1]
deadline = time.monotonic() + float(sys.argv[2])
n = 0
while time.monotonic() < deadline:
    for args in (["deals"], ["claims", "--quotes"], ["conflicts"], ["runs"], ["deals", "--json"]):
        r = CliRunner().invoke(cli, [*args, "--db", db])
        if r.exit_code != 0 or "locked" in (r.output or ""):
            print("FAIL", args, r.exit_code, r.output, file=sys.stderr)
            sys.exit(1)
        n += 1
print(n)
"""


def test_collects_digest_and_readers_together(tmp_path, smtp_env):
    env_smtp, handler = smtp_env
    env = dict(os.environ, **env_smtp)
    with DemoServer() as server:
        cfg = tmp_path / "sources.yaml"
        cfg.write_text(demo_config_text(server.base))
        ref_db = str(tmp_path / "ref.db")
        assert subprocess.run([sys.executable, "-m", "tracker", "collect", "--db", ref_db, "--config", str(cfg)],
                              cwd=str(ROOT), capture_output=True).returncode == 0
        db = str(tmp_path / "tracker.db")
        # the database exists with its schema, as on any day after the first
        assert subprocess.run([sys.executable, "-m", "tracker", "deals", "--db", db], cwd=str(ROOT),
                              capture_output=True).returncode == 0

        def start(*args):
            return subprocess.Popen([sys.executable, *args], cwd=str(ROOT), env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        procs = {f"collect{i}": start("-m", "tracker", "collect", "--db", db, "--config", str(cfg))
                 for i in range(3)}
        procs["digest"] = start("-m", "tracker", "digest", "--db", db, "--config", str(cfg))
        procs["reader1"] = start("-c", READER, db, "4")
        procs["reader2"] = start("-c", READER, db, "4")
        outs = {k: p.communicate(timeout=120) for k, p in procs.items()}
        codes = {k: p.returncode for k, p in procs.items()}

        # a second round of collects while a digest runs again with --force
        procs2 = {f"again{i}": start("-m", "tracker", "collect", "--db", db, "--config", str(cfg)) for i in range(2)}
        procs2["digest2"] = start("-m", "tracker", "digest", "--db", db, "--config", str(cfg), "--force")
        outs.update({k: p.communicate(timeout=120) for k, p in procs2.items()})
        codes.update({k: p.returncode for k, p in procs2.items()})

    for name, (out, err) in outs.items():
        assert "locked" not in err.lower(), (name, err)
        assert "Traceback" not in err, (name, err)
    collect_codes = [c for k, c in codes.items() if k.startswith(("collect", "again"))]
    assert set(collect_codes) <= {0, 75} and 0 in collect_codes, codes
    for name, (out, err) in outs.items():
        if codes[name] == 75:
            assert err.count("\n") == 1 and err.startswith("Error: another `tracker collect` is running (pid ")
            assert "unknown" not in err  # the holder's pid is always readable
    assert codes["digest"] == 0 and codes["digest2"] == 0, (outs["digest"], outs["digest2"])
    assert codes["reader1"] == 0 and codes["reader2"] == 0, (outs["reader1"][1], outs["reader2"][1])
    assert int(outs["reader1"][0]) > 5
    # no duplicates, nothing lost: the same database as one clean run
    got, ref = state(db), state(ref_db)
    assert got == ref
    digests = sqlite3.connect(db).execute("SELECT status FROM digests").fetchall()
    assert [s for (s,) in digests].count("sent") == 2 and handler.count == 2


def test_lock_holder_pid_is_never_unknown(tmp_path):
    """The lock is taken and the pid written in two steps; a second process
    racing in between must not report 'pid unknown'."""
    from tracker.errors import LockError
    from tracker.lock import RunLock

    db = tmp_path / "tracker.db"
    code = f"""
import time
from tracker.lock import RunLock
for _ in range(200):
    with RunLock({str(db)!r}, "collect"):
        pass
"""
    p = subprocess.Popen([sys.executable, "-c", code], cwd=str(ROOT))
    unknown = 0
    busy = 0
    deadline = time.monotonic() + 20
    while p.poll() is None and time.monotonic() < deadline:
        try:
            with RunLock(db, "collect"):
                pass
        except LockError as e:
            busy += 1
            unknown += "unknown" in str(e)
    p.wait(timeout=30)
    assert unknown == 0, f"{unknown} of {busy} lock messages said 'pid unknown'"
