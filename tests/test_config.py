from datetime import date

import pytest

from tracker.config import load_config, parse_config
from tracker.errors import ConfigError


def test_full_config_loads(write_config):
    path = write_config("""
        user_agent: "Tracker ops@example.com"
        feeds:
          - name: news
            url: https://example.com/feed.xml
            max_items: 5
        pages:
          - name: one
            url: https://example.com/a
          - name: listing
            url: https://example.com/list
            follow: '/news/\\d+'
        sec:
          queries: ['"compute capacity"']
          ciks: [1234567, "0000765"]
          since: 2025-02-01
        schedule: {collect: "*/15 * * * *", digest: "0 6 * * *", timezone: Europe/Paris}
        digest: {to: [a@example.com], from: t@example.com, send_empty: false}
        relevance: {compute: [GPU], deal: [contract]}
    """)
    cfg = load_config(path)
    assert [f.name for f in cfg.feeds] == ["news"] and cfg.feeds[0].max_items == 5
    assert cfg.pages[1].follow == r"/news/\d+"
    assert cfg.sec.ciks == [1234567, 765] and cfg.sec.since == date(2025, 2, 1)
    assert cfg.sec_enabled
    assert cfg.schedule.timezone == "Europe/Paris"
    assert cfg.digest.to == ["a@example.com"] and cfg.digest.sender == "t@example.com"
    assert cfg.digest.send_empty is False
    assert cfg.relevance == {"compute": ["GPU"], "deal": ["contract"]}


def test_typo_names_key_line_and_suggestion():
    with pytest.raises(ConfigError) as e:
        parse_config("user_agent: x\nfeedz:\n  - url: https://example.com/f\n", "s.yaml")
    msg = str(e.value)
    assert "feedz" in msg and "line 2" in msg and "did you mean 'feeds'" in msg


def test_nested_typo_and_bad_url():
    with pytest.raises(ConfigError, match=r"feeds\[0\]\.urll \(line 3\).*did you mean 'url'"):
        parse_config("feeds:\n  - name: a\n    urll: https://x.example.com\n")
    with pytest.raises(ConfigError, match=r"feeds\[0\]\.url \(line 3\): not an http"):
        parse_config("feeds:\n  - name: a\n    url: ftp://x.example.com/feed\n")


def test_invalid_yaml_gives_line():
    with pytest.raises(ConfigError, match=r"not valid YAML \(line \d+, column \d+\): expected ',' or ']'"):
        parse_config("feeds:\n  - name: [unclosed\n")


def test_bad_values():
    with pytest.raises(ConfigError, match="sec.since"):
        parse_config("sec:\n  since: yesterday\n")
    with pytest.raises(ConfigError, match="at most 10 requests"):
        parse_config("sec:\n  requests_per_second: 50\n")
    with pytest.raises(ConfigError, match="5-field cron"):
        parse_config("schedule:\n  collect: every hour\n")
    with pytest.raises(ConfigError, match="not an e-mail"):
        parse_config("digest:\n  to: [nobody]\n")
    with pytest.raises(ConfigError, match="duplicate key 'feeds'"):
        parse_config("feeds: []\nfeeds: []\n")


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_shipped_sources_yaml_is_valid():
    from pathlib import Path

    cfg = load_config(Path(__file__).parent.parent / "sources.yaml")
    assert len(cfg.feeds) >= 5 and cfg.sec_enabled and "@" in cfg.user_agent
