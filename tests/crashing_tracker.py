"""`python tests/crashing_tracker.py ARGS...`: the real `tracker` CLI, which
SIGKILLs itself at a chosen SQL statement, for crash tests.

TRACKER_CRASH_AT="begin:N"  kill at the N-th BEGIN: everything before it
                            committed, nothing of this transaction started
TRACKER_CRASH_AT="commit:N" kill at the N-th COMMIT: the transaction's writes
                            are done but not committed (mid-transaction)
TRACKER_CRASH_LOG=FILE      append every BEGIN/COMMIT seen, to count points

The hook is SQLite's trace callback on every connection `open_db` returns,
so no tracker code changes; SIGKILL is what `kill -9` sends.
"""
from __future__ import annotations

import os
import signal
import sys


def _install() -> None:
    import tracker.store as store

    spec = os.environ.get("TRACKER_CRASH_AT", "")
    kind, _, n = spec.partition(":")
    target = int(n) if n else -1
    log_path = os.environ.get("TRACKER_CRASH_LOG")
    counts = {"begin": 0, "commit": 0}
    original = store.open_db

    def trace(sql: str) -> None:
        head = sql.lstrip()[:6].upper()
        which = "begin" if head.startswith("BEGIN") else "commit" if head.startswith("COMMIT") else None
        if which is None:
            return
        counts[which] += 1
        if log_path:
            with open(log_path, "a") as f:
                f.write(f"{which}:{counts[which]}\n")
        if which == kind and counts[which] == target:
            os.kill(os.getpid(), signal.SIGKILL)

    def open_db(*args, **kwargs):
        db = original(*args, **kwargs)
        db.conn.set_trace_callback(trace)
        return db

    store.open_db = open_db


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    _install()
    from tracker.cli import cli

    cli(sys.argv[1:], prog_name="tracker")
