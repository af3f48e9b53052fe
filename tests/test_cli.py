"""The command line as users and cron meet it."""
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import cli
from tracker.demo import load_articles, render_page

ROOT = Path(__file__).resolve().parent.parent


def collect_demo(run_cli, write_config, demo_server, db_path):
    cfg = write_config(f"""
        feeds:
          - name: ledger
            url: {demo_server.base}/feeds/the-compute-ledger.xml
          - name: margins
            url: {demo_server.base}/feeds/silicon-margins.xml
          - name: cloud-desk
            url: {demo_server.base}/feeds/cloud-desk.xml
    """)
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert result.exit_code == 0, result.output
    return cfg


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_db_option(run_cli, name):
    result = run_cli(name, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.output
    if name != "demo":
        assert "--db" in result.output


def test_cli_reference_is_current():
    from tracker.clidoc import render

    assert (ROOT / "docs" / "cli.md").read_text() == render(), \
        "docs/cli.md is stale: run `python -m tracker.clidoc > docs/cli.md`"
    readme = (ROOT / "README.md").read_text()
    for name in cli.commands:
        assert f"`tracker {name}" in readme, f"README does not document `tracker {name}`"


def test_python_dash_m_entry_point():
    proc = subprocess.run([sys.executable, "-m", "tracker", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "tracker" in proc.stdout


def test_deals_claims_json(run_cli, write_config, demo_server, db_path):
    collect_demo(run_cli, write_config, demo_server, db_path)
    deals = json.loads(run_cli("deals", "--db", db_path, "--json").stdout)
    pairs = {(d["buyer"], d["provider"]) for d in deals}
    assert ("Anthropic", "xAI") in pairs and ("Microsoft", "Nebius") in pairs
    claims = json.loads(run_cli("claims", "Anthropic/xAI", "--db", db_path, "--json", "--field", "payment").stdout)
    assert {c["period"] for c in claims} == {"month", "year"}
    for c in claims:
        text = sqlite3.connect(db_path).execute("SELECT text FROM documents WHERE id = ?", (c["document_id"],)).fetchone()[0]
        assert c["quote"] in text  # verbatim provenance
    table = run_cli("claims", "xAI", "--db", db_path, "--quotes").stdout
    assert "$1.25B/month" in table and "Colossus 1" in table
    missing = run_cli("claims", "Nobody/Else", "--db", db_path)
    assert missing.exit_code == 1 and "no deal matches" in missing.stderr


def test_conflicts_listing_and_manual_status(run_cli, write_config, demo_server, db_path):
    cfg = collect_demo(run_cli, write_config, demo_server, db_path)
    data = json.loads(run_cli("conflicts", "--db", db_path, "--json").stdout)
    by_field = {c["field"]: c for c in data}
    assert {"payment", "gpu_type", "model"} <= set(by_field)
    pay = by_field["payment"]
    assert {s["source"] for s in pay["sides"]} == {"ledger", "margins"}
    assert all(s["quote"] and s["url"] for s in pay["sides"])
    out = run_cli("conflicts", "--db", db_path).stdout
    assert "Anthropic / xAI" in out and "Claude 3" in out
    # Ignore one by hand: it stays ignored after another collect and a re-extract.
    assert run_cli("conflicts", "--db", db_path, "--ignore", str(pay["id"]), "--note", "checked").exit_code == 0
    run_cli("collect", "--db", db_path, "--config", cfg)
    run_cli("extract", "--db", db_path, "--all")
    still = json.loads(run_cli("conflicts", "--db", db_path, "--json", "--status", "all").stdout)
    assert {c["id"]: c["status"] for c in still}[pay["id"]] == "ignored"
    assert pay["id"] not in {c["id"] for c in json.loads(run_cli("conflicts", "--db", db_path, "--json").stdout)}
    bad = run_cli("conflicts", "--db", db_path, "--resolve", "9999")
    assert bad.exit_code != 0 and "9999" in bad.stderr


def test_extract_all_is_idempotent(run_cli, write_config, demo_server, db_path):
    collect_demo(run_cli, write_config, demo_server, db_path)
    q = "SELECT id, deal_id, document_id, field, value FROM claims ORDER BY id"
    before = sqlite3.connect(db_path).execute(q).fetchall()
    result = run_cli("extract", "--db", db_path, "--all")
    assert result.exit_code == 0 and "claims: 0 new" in result.stdout
    assert sqlite3.connect(db_path).execute(q).fetchall() == before


def test_ingest_file_and_url(run_cli, httpserver, tmp_path, db_path):
    article = load_articles()[4]  # Nebius / Microsoft
    page = tmp_path / "nebius.html"
    page.write_text(render_page(article))
    txt = tmp_path / "note.txt"
    txt.write_text("Analyst note\nMistral agreed to buy GPU capacity from Fluidstack for 1.2 billion euros.\n")
    httpserver.expect_request("/oracle").respond_with_data(render_page(load_articles()[2]), content_type="text/html")
    result = run_cli("ingest", "--db", db_path, str(page), str(txt), httpserver.url_for("/oracle"),
                     str(tmp_path / "missing.html"))
    assert result.exit_code == 0, result.output
    assert "3 new" in result.stdout
    assert "missing.html: cannot read" in result.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM documents WHERE source = 'ingest'").fetchone()[0] == 3
    providers = {r[0] for r in conn.execute("SELECT provider FROM deals")}
    assert {"Nebius", "Oracle"} <= providers
    again = run_cli("ingest", "--db", db_path, str(page))
    assert "0 new" in again.stdout and "1 unchanged" in again.stdout


def test_runs_shows_failures(run_cli, write_config, demo_server, db_path):
    cfg = write_config(f"""
        feeds:
          - name: ok
            url: {demo_server.base}/feeds/cloud-desk.xml
          - name: down
            url: http://127.0.0.1:9/feed.xml
    """)
    run_cli("collect", "--db", db_path, "--config", cfg)
    out = run_cli("runs", "--db", db_path).stdout
    assert "partial" in out and "down" in out
    data = json.loads(run_cli("runs", "--db", db_path, "--json").stdout)
    assert data[0]["sources_failed"] == 1
    errors = {s["source"]: s["error"] for s in data[0]["sources"]}
    assert errors["ok"] is None and "connection refused" in errors["down"]


def test_foreign_and_corrupt_databases_are_refused(run_cli, tmp_path):
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    r = run_cli("deals", "--db", str(foreign))
    assert r.exit_code == 3 and "not a tracker database" in r.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    r = run_cli("deals", "--db", str(junk))
    assert r.exit_code == 3 and "not a usable SQLite database" in r.stderr
    assert r.stderr.count("\n") == 1


def test_readme_sql_examples_run(run_cli, write_config, demo_server, db_path):
    """Every statement in the README's SQL block runs against a real database."""
    import re

    collect_demo(run_cli, write_config, demo_server, db_path)
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sql\n(.*?)```", readme, re.S)
    assert blocks
    conn = sqlite3.connect(db_path)
    ran = 0
    for block in blocks:
        for stmt in filter(None, (s.strip() for s in block.split(";"))):
            sql = "\n".join(l for l in stmt.splitlines() if not l.strip().startswith("--"))
            conn.execute(sql, {"deal": "", "since": ""}).fetchall()  # canned queries' parameters
            ran += 1
    assert ran >= 9
    sides = conn.execute("SELECT count(*) FROM conflict_sides WHERE status = 'open'").fetchone()[0]
    assert sides >= 2
