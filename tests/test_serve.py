"""`tracker serve`: Datasette on the tracker database, started for real in a
subprocess on 127.0.0.1, queried over HTTP, and rendered in headless Chromium
(skipped, with the reason, where Chromium is not installed)."""
from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytest.importorskip("datasette", reason="tracker serve needs datasette (the serve or test extra)")
pytest.importorskip("matplotlib", reason="tracker serve needs matplotlib (the serve or test extra)")

from tracker.errors import TrackerError  # noqa: E402
from tracker.serve import (  # noqa: E402
    _COMMON, _TABLES, CANNED_QUERIES, SERVE_EXTRA_HINT, build_metadata, database_columns, serve,
)
from tracker.store import open_db  # noqa: E402

from .test_views import PAYMENT_QUOTE_1, PAYMENT_QUOTE_2, make_known_db  # noqa: E402

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def known_path(tmp_path) -> str:
    path = str(tmp_path / "known.db")
    make_known_db(path).conn.close()
    return path


@pytest.fixture
def server(known_path, tmp_path):
    """`tracker serve` in a subprocess; yields its base URL once it answers."""
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker", "serve", "--db", known_path, "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, cwd=str(tmp_path),
        env={**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"tracker serve exited with {proc.returncode}: {log.read()[-2000:]}")
            try:
                if httpx.get(base + "/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"tracker serve did not answer within 60s: {log.read()[-2000:]}")
            time.sleep(0.2)
        log.seek(0)
        assert f"http://127.0.0.1:{port}/tracker" in log.read(), "prints where it serves"
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def _json(base: str, path: str):
    r = httpx.get(base + path, timeout=30)
    assert r.status_code == 200, (path, r.status_code, r.text[:500])
    return r.json()


# --- over HTTP ----------------------------------------------------------------


def test_serve_answers_json_api_and_canned_queries(server):
    deals = _json(server, "/tracker/deals.json?_shape=array")
    assert {(d["buyer"], d["provider"]) for d in deals} == {
        ("Anthropic", "xAI"), ("OpenAI", "Oracle"), ("Microsoft", "Nebius"), ("Meta", "Google")}

    summary = _json(server, "/tracker/deal_summary.json?_shape=array&deal_id=2")
    assert len(summary) == 1 and summary[0]["payment_usd_per_year"] == pytest.approx(64e9)

    sides = _json(server, "/tracker/open_conflicts.json?_shape=array")
    assert [(s["conflict_id"], s["claim_id"]) for s in sides] == [(1, 1), (1, 7), (2, 3), (2, 4), (2, 8)]
    assert sides[0]["quote"] == PAYMENT_QUOTE_1 and sides[1]["quote"] == PAYMENT_QUOTE_2

    over_time = _json(server, "/tracker/deal_figures_over_time.json?_shape=array&deal=OpenAI")
    assert {r["deal_id"] for r in over_time} == {2} and len(over_time) == 8
    since = _json(server, "/tracker/new_since.json?_shape=array&since=2026-06-01")
    assert {(r["what"], r["ref"]) for r in since} == {("document", 4), ("claim", 16), ("claim", 17),
                                                      ("claim", 18)}
    ranked = _json(server, "/tracker/sources_by_conflicts.json?_shape=array")
    assert ranked[0]["source"] == "the-compute-ledger"


def test_serve_metadata_facets_and_search(server):
    meta = _json(server, "/-/metadata.json")
    tables = meta["databases"]["tracker"]["tables"]
    assert tables["deal_summary"]["columns"]["payment_usd_per_year"].startswith("Latest payment")
    assert set(CANNED_QUERIES) <= set(meta["databases"]["tracker"]["queries"])

    claims = _json(server, "/tracker/claim_figures.json")
    assert {"deal", "field", "source", "kind"} <= set(claims["facet_results"])
    deal_facet = {f["value"]: f["count"] for f in claims["facet_results"]["deal"]["results"]}
    assert deal_facet["Anthropic/xAI"] == 10

    found = _json(server, "/tracker/documents.json?_shape=array&_search=Nebius")
    assert [d["id"] for d in found] == [5]


def test_serve_deal_page_shows_the_chart(server):
    page = httpx.get(server + "/tracker/deals/1", timeout=30)
    assert page.status_code == 200
    assert '<img src="/-/tracker/deal/1.png"' in page.text
    assert "Figures as reported over time" in page.text
    png = httpx.get(server + "/-/tracker/deal/1.png", timeout=60)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(PNG_SIGNATURE) and len(png.content) > 10_000
    assert httpx.get(server + "/-/tracker/deal/3.png", timeout=30).status_code == 404  # nothing to draw
    assert httpx.get(server + "/-/tracker/deal/999.png", timeout=30).status_code == 404
    # the views' deal ids link to the deal's page
    summary = httpx.get(server + "/tracker/deal_summary", timeout=30).text
    assert '<a href="/tracker/deals/1">1</a>' in summary


# --- in headless Chromium --------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver); browser test skipped")


def _run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"chromium-profile-{time.monotonic_ns()}"
    proc = subprocess.run([_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=120)
    return proc


def test_open_conflicts_page_renders_in_chromium(server, tmp_path):
    proc = _run_chromium(tmp_path, "--dump-dom", server + "/tracker/open_conflicts")
    dom = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0 and not dom:
        pytest.skip(f"Chromium could not run here: {proc.stderr.decode('utf-8', 'replace')[-500:]}")
    assert "Open conflicts, with both sides" in dom
    assert PAYMENT_QUOTE_1 in dom and PAYMENT_QUOTE_2 in dom
    assert "$1.25B per month" in dom and "GB200" in dom


def test_deal_page_chart_loads_in_chromium(server, tmp_path):
    """Screenshots of two deal pages: the chart of the deal with conflicts
    brings its conflict red; the other deal's page has hardly any."""
    from PIL import Image
    import numpy as np

    from tracker.charts import CONFLICT_RED

    target = np.array([int(CONFLICT_RED[i:i + 2], 16) for i in (1, 3, 5)])
    red = {}
    for deal in (1, 2):
        shot = tmp_path / f"deal{deal}.png"
        proc = _run_chromium(tmp_path, "--window-size=1000,2200", f"--screenshot={shot}",
                             "--virtual-time-budget=10000", f"{server}/tracker/deals/{deal}")
        if proc.returncode != 0 and not shot.exists():
            pytest.skip(f"Chromium could not run here: {proc.stderr.decode('utf-8', 'replace')[-500:]}")
        pixels = np.asarray(Image.open(io.BytesIO(shot.read_bytes())).convert("RGB"), dtype=int)
        red[deal] = int((np.abs(pixels - target).sum(axis=2) < 60).sum())
    assert red[1] - red[2] > 300, red


# --- in-process ------------------------------------------------------------------


def test_metadata_describes_every_table_view_and_column(known_path):
    db = open_db(known_path)
    cols = database_columns(db)
    db.conn.close()
    assert {"deals", "claims", "conflicts", "documents", "deal_summary", "claim_figures",
            "conflict_sides"} <= set(cols)
    meta = build_metadata(cols)["databases"]["tracker"]["tables"]
    for table, columns in cols.items():
        assert table in _TABLES, f"{table}: add a title and description in tracker/serve.py _TABLES"
        assert meta[table]["title"] and meta[table]["description"]
        for c in columns:
            assert c in _TABLES[table].get("columns", {}) or c in _COMMON, \
                f"{table}.{c}: add a description in tracker/serve.py"
            assert meta[table]["columns"][c]
    assert meta["documents"]["fts_table"] == "documents_fts"
    assert set(meta["claim_figures"]["facets"]) == {"deal", "field", "source", "kind"}


def test_serve_without_the_extra_says_how_to_install(known_path, monkeypatch, run_cli):
    monkeypatch.setitem(sys.modules, "datasette", None)  # import fails as if not installed
    with pytest.raises(TrackerError, match=r"pip install -e '\.\[serve\]'"):
        serve(known_path, port=_free_port())
    r = run_cli("serve", "--db", known_path)
    assert r.exit_code == 1 and SERVE_EXTRA_HINT in r.output


def test_serve_refuses_a_busy_port_and_a_missing_database(known_path, tmp_path, run_cli):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = run_cli("serve", "--db", known_path, "--port", str(port))
        assert r.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in r.output
    r = run_cli("serve", "--db", str(tmp_path / "missing.db"))
    assert r.exit_code == 3 and "no such database" in r.output
