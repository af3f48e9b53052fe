"""One collect at a time: an advisory lock beside the database.

flock is released by the kernel when the holder dies, so a kill -9 never
leaves a stale lock behind for cron to trip over.
"""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Optional

from .errors import DatabaseError, LockError


class RunLock:
    def __init__(self, db_path: str | os.PathLike, name: str = "collect"):
        self.path = Path(f"{db_path}.{name}.lock")
        self.name = name
        self._fd: Optional[int] = None

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            # Permanent (permissions, read-only or full disk), not "busy": a
            # LockError's exit 75 would tell cron to just try again later.
            raise DatabaseError(f"cannot create lock file {self.path}: {e.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockError(
                f"another `tracker {self.name}` is running (pid {holder}); this one exits"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the flock
            self._fd = None


def _read_holder(fd: int) -> str:
    """The holder's pid. It writes it just after taking the lock (truncate,
    then write), so a process arriving in that instant sees an empty file:
    wait a moment for the pid rather than report 'unknown'."""
    for _ in range(50):
        pid = os.pread(fd, 100, 0).decode("ascii", "replace").strip()
        if pid:
            return pid
        time.sleep(0.01)
    return "unknown"
