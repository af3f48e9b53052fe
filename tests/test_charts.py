"""Deal timeline charts (tracker.charts): real PNGs from real databases."""
from __future__ import annotations

import io
import sqlite3
import struct
import threading

import pytest

pytest.importorskip("matplotlib", reason="charts need matplotlib (the serve or test extra)")

from tracker.charts import CONFLICT_RED, deal_chart_alt, deal_chart_png  # noqa: E402
from tracker.store import open_db  # noqa: E402

from .test_views import DEMO_FEEDS, make_known_db  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _red_pixels(png: bytes) -> int:
    """Pixels close to the conflict red (the rings, labels and band edges)."""
    import numpy as np
    from PIL import Image

    target = np.array([int(CONFLICT_RED[i:i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(pixels - target).sum(axis=2) < 60).sum())


@pytest.fixture
def known_db(tmp_path):
    db = make_known_db(str(tmp_path / "known.db"))
    yield db
    db.conn.close()


def test_chart_for_a_deal_with_conflicting_reports(known_db, tmp_path):
    png = deal_chart_png(known_db, 1)  # Anthropic/xAI: payment and gpu_type in conflict
    assert png is not None and png.startswith(PNG_SIGNATURE)
    assert len(png) > 10_000
    width, height = _size(png)
    assert width == 800 and 400 < height < 2000
    (tmp_path / "deal1.png").write_bytes(png)

    calm = deal_chart_png(known_db, 2)  # OpenAI/Oracle: no open conflict (one resolved)
    assert calm is not None and calm.startswith(PNG_SIGNATURE) and calm != png
    assert _red_pixels(png) > 300, "conflicting reports are ringed and labelled in red"
    assert _red_pixels(calm) < 50, "no open conflict: nothing in conflict red"


def test_chart_panels_follow_the_data(known_db):
    # deal 1: payment, capacity, GPU count and a strip of conflicting names
    # deal 3: one payment total without a term (no yearly rate): nothing numeric, no conflicts
    h1 = _size(deal_chart_png(known_db, 1))[1]
    h2 = _size(deal_chart_png(known_db, 2))[1]
    assert h1 > h2
    assert deal_chart_png(known_db, 3) is None
    assert deal_chart_png(known_db, 4) is None, "a deal without claims"
    assert deal_chart_png(known_db, 999) is None and deal_chart_png(known_db, "nope") is None


def test_chart_accepts_a_plain_connection_and_a_string_id(tmp_path):
    path = str(tmp_path / "known.db")
    make_known_db(path).conn.close()
    conn = sqlite3.connect(path)
    try:
        png = deal_chart_png(conn, "1")
    finally:
        conn.close()
    assert png is not None and png.startswith(PNG_SIGNATURE)


def test_no_matplotlib_means_no_chart(known_db, monkeypatch):
    """The digest can call deal_chart_png unconditionally: without the extra it gets None."""
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert deal_chart_png(known_db, 1) is None
    assert deal_chart_alt(known_db, 1).startswith("Timeline of Anthropic")


def test_alt_text_says_what_the_chart_shows(known_db):
    alt = deal_chart_alt(known_db, 1)
    assert alt.startswith("Timeline of Anthropic \u2192 xAI figures as reported, 2 open conflicts")
    assert "$15B/yr (the-compute-ledger, 2026-05-12, in conflict)" in alt
    assert "$12B/yr (silicon-margins, 2026-05-14, in conflict)" in alt
    assert "gpu_type GB200" in alt
    assert "no open conflicts" in deal_chart_alt(known_db, 2) and "4,600 MW" in deal_chart_alt(known_db, 2)
    assert deal_chart_alt(known_db, 999) == ""


def test_charts_render_concurrently(tmp_path):
    """The server renders charts in worker threads, each on its own connection."""
    path = str(tmp_path / "known.db")
    results: list = []

    def work(deal_id):
        conn = sqlite3.connect(path)
        try:
            results.append(deal_chart_png(conn, deal_id))
        finally:
            conn.close()

    make_known_db(path).conn.close()
    threads = [threading.Thread(target=work, args=(1 + i % 2,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 6 and all(r and r.startswith(PNG_SIGNATURE) for r in results)


def test_chart_on_the_demo_corpus(demo_server, write_config, db_path, run_cli):
    r = run_cli("collect", "--db", db_path, "--config", write_config(DEMO_FEEDS.format(base=demo_server.base)))
    assert r.exit_code == 0, r.output
    db = open_db(db_path)
    conflicted = db.conn.execute(
        "SELECT id FROM deals WHERE buyer = 'Anthropic' AND provider = 'xAI'").fetchone()[0]
    png = deal_chart_png(db, conflicted)
    assert png is not None and png.startswith(PNG_SIGNATURE) and len(png) > 10_000
    assert _red_pixels(png) > 300
    others = [i for (i,) in db.conn.execute(
        "SELECT deal_id FROM deal_summary WHERE open_conflicts = 0 AND "
        "(payment_usd_per_year IS NOT NULL OR capacity_mw IS NOT NULL)")]
    assert others, "the demo corpus has a deal without conflicts"
    calm = deal_chart_png(db, others[0])
    assert calm is not None and calm != png and _red_pixels(calm) < 50
