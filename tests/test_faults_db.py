"""The database file under abuse: garbage, corruption, a foreign or newer
SQLite file, an old schema, a read-only directory, a full disk. Each is a
clear one-line error with its exit code, and never a partial write."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tracker.demo import DemoServer, demo_config_text
from tracker.errors import DatabaseError
from tracker.store import open_db, transaction
from tracker.store.schema import MIGRATIONS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent


def _drop_dac_capabilities() -> None:
    """In a forked child, before exec: remove the capabilities that let root
    ignore permission bits (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER)
    from the bounding set, so the exec'd process, still uid 0, is refused
    writes to a 0555 directory exactly like an ordinary user."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    PR_CAPBSET_DROP = 24
    for cap in (1, 2, 3):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def cli(*args, env=None, unprivileged=False, timeout=60):
    kw = {}
    if unprivileged and os.geteuid() == 0:
        kw["preexec_fn"] = _drop_dac_capabilities
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=str(ROOT), env=dict(os.environ, **(env or {})), **kw)


def one_line_error(proc, code, *needles):
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("Error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for n in needles:
        assert n in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A database from a real demo collect, and its config."""
    d = tmp_path_factory.mktemp("dbfaults")
    with DemoServer() as server:
        cfg = d / "sources.yaml"
        cfg.write_text(demo_config_text(server.base))
        db = d / "tracker.db"
        p = cli("collect", "--db", str(db), "--config", str(cfg))
        assert p.returncode == 0, p.stderr
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        yield dict(db=db, cfg=cfg, server=server, dir=d)


def counts(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # constant table names
                for t in ("documents", "claims", "deals", "conflicts", "runs")}
    finally:
        conn.close()


# --- not our file ------------------------------------------------------------------

@pytest.mark.parametrize("content, needle", [
    (os.urandom(8192), "not a usable SQLite database"),
    (b"SQLite format 3\x00" + os.urandom(4000), "not a usable SQLite database"),
    (b"id,buyer,provider\n1,OpenAI,Oracle\n", "not a usable SQLite database"),
], ids=["random-bytes", "sqlite-header-then-garbage", "a-csv-file"])
@pytest.mark.parametrize("command", ["deals", "collect"])
def test_garbage_file_is_exit_3_and_left_untouched(tmp_path, write_config, content, needle, command):
    db = tmp_path / "tracker.db"
    db.write_bytes(content)
    args = [command, "--db", str(db)]
    if command == "collect":
        args += ["--config", write_config("feeds: []\n")]
    one_line_error(cli(*args), 3, needle)
    assert db.read_bytes() == content


def test_foreign_sqlite_file_is_refused_untouched(tmp_path, write_config):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    one_line_error(cli("collect", "--db", str(db), "--config", write_config("feeds: []\n")), 3,
                   "not a tracker database", "invoices")
    assert db.read_bytes() == before


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "tracker.db"
    open_db(db).conn.close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    one_line_error(cli("deals", "--db", str(db)), 3, "newer than this tracker understands")


def test_corrupted_tracker_database_is_a_clear_error(collected, tmp_path):
    """Pages in the middle overwritten (a bad disk, a copy cut short)."""
    db = tmp_path / "tracker.db"
    shutil.copy(collected["db"], db)
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    for p in range(2, len(data) // page):
        data[p * page + 8: p * page + 200] = os.urandom(192)
    db.write_bytes(bytes(data))
    for args in (["deals"], ["claims", "--quotes"], ["conflicts"]):
        proc = cli(*args, "--db", str(db))
        assert proc.returncode in (3,), (args, proc.returncode, proc.stderr)
        one_line_error(proc, 3, "malformed")


def test_truncated_tracker_database_is_a_clear_error(collected, tmp_path, write_config):
    db = tmp_path / "tracker.db"
    shutil.copy(collected["db"], db)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    proc = cli("collect", "--db", str(db), "--config", write_config("feeds: []\n"))
    one_line_error(proc, 3)


# --- an older schema ---------------------------------------------------------------------

def test_v1_database_is_migrated_in_place_without_loss(tmp_path, run_cli):
    """A database made by the first release (only MIGRATIONS[0] applied),
    with data in it, opened by this one."""
    import sqlite_utils

    path = tmp_path / "tracker.db"
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    MIGRATIONS[0](db)
    conn.execute("PRAGMA user_version = 1")
    cols = {c.name for c in db["documents"].columns}
    row = dict(url="https://news.example.com/a", url_key="news.example.com/a", source="wire",
               kind="article", title="OpenAI signs with Oracle", published_at="2025-01-02",
               fetched_at="2025-01-02T00:00:00+00:00", text="OpenAI will pay Oracle $30 billion a year.")
    conn.execute(f"INSERT INTO documents ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                 list(row.values()))
    deal = conn.execute("INSERT INTO deals (buyer, provider, agreement, first_seen, last_seen) "
                        "VALUES ('OpenAI', 'Oracle', '', '2025-01-02', '2025-01-02')").lastrowid
    conn.execute("INSERT INTO claims (deal_id, document_id, field, value, number, period, quote, created_at) "
                 "VALUES (?, 1, 'payment', '$30B per year', 3e10, 'year', "
                 "'OpenAI will pay Oracle $30 billion a year.', '2025-01-02T00:00:00+00:00')", (deal,))
    before = {t: db.execute(f"SELECT * FROM {t}").fetchall() for t in ("documents", "claims", "deals")}
    conn.close()
    assert "url" in cols

    db = open_db(path)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    for table, rows in before.items():
        n = len(rows[0])
        after = [r[:n] for r in db.conn.execute(f"SELECT * FROM {table}").fetchall()]
        assert after == rows, table
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.conn.close()
    result = run_cli("claims", "--db", str(path), "--quotes")
    assert result.exit_code == 0 and "OpenAI will pay Oracle $30 billion a year." in result.stdout


# --- read-only ----------------------------------------------------------------------------

def _readonly_env(collected):
    """A directory the test user cannot write to. As root (CI containers),
    permission bits do not stop root, so the tracker runs with root's
    permission-bypassing capabilities dropped: the kernel really refuses the
    writes (checked first; skipped, saying why, where that is impossible)."""
    base = Path(tempfile.mkdtemp(prefix="tracker-ro-"))
    os.chmod(base, 0o755)
    ro = base / "db"
    ro.mkdir()
    shutil.copy(collected["db"], ro / "tracker.db")
    shutil.copy(collected["cfg"], base / "sources.yaml")
    os.chmod(ro / "tracker.db", 0o444)
    os.chmod(ro, 0o555)
    os.chmod(base / "sources.yaml", 0o444)
    probe = subprocess.run([sys.executable, "-c", f"open({str(ro / 'probe')!r}, 'w')"],
                           capture_output=True, preexec_fn=_drop_dac_capabilities if os.geteuid() == 0 else None)
    if probe.returncode == 0:
        os.chmod(ro, 0o755)
        shutil.rmtree(base)
        pytest.skip("cannot make a directory read-only for this user here (capabilities cannot be dropped)")
    return base, ro, True


def test_read_only_directory_collect_is_a_clear_error_not_a_lock_error(collected):
    base, ro, user = _readonly_env(collected)
    try:
        before = (ro / "tracker.db").read_bytes()
        proc = cli("collect", "--db", str(ro / "tracker.db"), "--config", str(base / "sources.yaml"), unprivileged=user)
        # 3 (database error), not 75: cron must not read a permission problem as "busy, try later"
        one_line_error(proc, 3, "tracker.db")
        assert "read-only" in proc.stderr or "ermission" in proc.stderr
        assert (ro / "tracker.db").read_bytes() == before
    finally:
        os.chmod(ro, 0o755)
        shutil.rmtree(base)


def test_read_only_directory_readers_still_work_or_fail_clearly(collected):
    base, ro, user = _readonly_env(collected)
    try:
        proc = cli("deals", "--db", str(ro / "tracker.db"), unprivileged=user)
        assert "Traceback" not in proc.stderr
        if proc.returncode == 0:
            assert "OpenAI" in proc.stdout or "Anthropic" in proc.stdout
        else:
            one_line_error(proc, 3, "read-only")
    finally:
        os.chmod(ro, 0o755)
        shutil.rmtree(base)


# --- a full disk --------------------------------------------------------------------------

def _limit_pages(monkeypatch, extra_pages: int):
    """Every connection the pipeline opens may grow the file by only
    `extra_pages` pages (SQLite's max_page_count): a disk that fills up."""
    import tracker.pipeline as pipeline
    import tracker.store as store

    real = store.open_db

    def small_disk(*args, **kwargs):
        db = real(*args, **kwargs)
        pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
        db.conn.execute(f"PRAGMA max_page_count = {int(pages) + int(extra_pages)}")
        return db

    monkeypatch.setattr(pipeline, "open_db", small_disk)


@pytest.mark.parametrize("fraction", [0.0, 0.3, 0.7], ids=["no-room", "a-third", "two-thirds"])
def test_full_disk_is_a_clear_error_with_no_partial_writes(collected, tmp_path, monkeypatch, run_cli, fraction):
    """The disk fills up before, early in, and late in a collect."""
    db = tmp_path / "tracker.db"
    empty = open_db(db)
    empty_pages = empty.conn.execute("PRAGMA page_count").fetchone()[0]
    empty.conn.close()
    ref = sqlite3.connect(collected["db"])
    needed = ref.execute("PRAGMA page_count").fetchone()[0] - empty_pages
    ref.close()
    extra_pages = int(needed * fraction)
    cfg = str(collected["cfg"])
    _limit_pages(monkeypatch, extra_pages)
    result = run_cli("collect", "--db", str(db), "--config", cfg)
    assert result.exit_code == 3, (result.exit_code, result.stdout, result.stderr)
    assert "database or disk is full" in result.stderr
    assert "internal error" not in result.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every stored document is whole: text and hash agree, and any claims it has are complete
        import hashlib
        for text, sha in conn.execute("SELECT text, content_sha256 FROM documents"):
            assert hashlib.sha256(text.encode()).hexdigest() == sha
    finally:
        conn.close()
    # with space again, the next run completes to the same result as a clean run
    monkeypatch.undo()
    again = run_cli("collect", "--db", str(db), "--config", cfg)
    assert again.exit_code == 0, again.stderr
    ref = counts(collected["db"])
    got = counts(db)
    for t in ("documents", "claims", "deals", "conflicts"):
        assert got[t] == ref[t], t


def test_transaction_turns_disk_full_into_database_error(tmp_path):
    db = open_db(tmp_path / "t.db")
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DatabaseError, match="database or disk is full"):
        with transaction(db) as conn:
            conn.execute("INSERT INTO rejected_urls (url_key, url, source, reason, seen_at) VALUES "
                         "(?, ?, 'x', ?, '2025')", ("k", "u", "r" * 200_000))
    assert not db.conn.in_transaction
    assert db.conn.execute("SELECT count(*) FROM rejected_urls").fetchone()[0] == 0
