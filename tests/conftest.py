"""Shared fixtures: a fresh database file per test, the demo corpus served on
127.0.0.1, and config files pointing at local servers. No test reaches the
internet."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.demo import DemoServer


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "tracker.db")


@pytest.fixture
def demo_server():
    with DemoServer() as server:
        yield server


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a sources.yaml from YAML text (plus fast fetch settings); returns its path."""

    def write(text: str, name: str = "sources.yaml") -> str:
        text = textwrap.dedent(text)
        if "fetch:" not in text:
            text += FAST_FETCH  # tests should not wait out production back-offs
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write


@pytest.fixture
def run_cli():
    """Invoke the real click command in-process; returns click's Result."""

    def run(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return run


FAST_FETCH = """
fetch:
  retries: 1
  backoff: 0.05
  timeout: 3
"""


@pytest.fixture(scope="session")
def make_httpserver():
    """pytest-httpserver's server, but threaded (concurrency is part of what we
    test) and bound to 127.0.0.1 only."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()
