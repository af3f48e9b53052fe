"""Load and validate sources.yaml.

Read once at start-up; every error names the key and its line, and unknown
keys are errors with a suggestion, because a typo in a cron job's config
would otherwise silently disable a source.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

import yaml

from .errors import ConfigError

DEFAULT_USER_AGENT = "Compute Deal Tracker (contact: set user_agent in sources.yaml)"

# Words that make a document worth keeping. A document must mention at least
# one term from every group (case-insensitive, whole words or phrases).
DEFAULT_RELEVANCE = {
    "compute": [
        "compute", "computing", "computing power", "cloud computing", "GPU", "GPUs",
        "chips", "servers", "Nvidia", "AMD", "cloud", "AI infrastructure", "capacity", "data center", "data centre",
        "datacenter", "data centers", "megawatt", "megawatts", "gigawatt", "gigawatts",
        "MW", "GW", "H100", "H200", "B200", "B300", "GB200", "GB300", "MI300X", "MI450",
        "TPU", "TPUs", "Trainium", "Trainium2", "accelerators", "AI infrastructure",
        "cloud capacity", "cloud services", "supercomputer", "cluster", "Colossus",
        "Stargate", "Blackwell", "Hopper",
    ],
    "deal": [
        "agreement", "agreed", "deal", "contract", "contracted", "signed", "pay", "pays",
        "paying", "purchase", "purchases", "commitment", "commitments", "committed",
        "lease", "leases", "partnership", "order", "capacity from", "buy", "buys",
        "rent", "rents", "renting", "services agreement", "per month", "a month",
        "annually", "term", "ink", "inks", "inked", "strikes", "struck", "tie-up",
        "supply", "supplies", "provide", "provides", "expands", "expanded", "expansion",
        "billion", "offtake", "take-or-pay", "lease agreement",
    ],
    "ai": [
        "AI", "artificial intelligence", "model", "models", "training", "inference",
        "Anthropic", "OpenAI", "xAI", "Claude", "Grok", "GPT", "Gemini", "Llama",
        "machine learning", "LLM", "neocloud", "hyperscaler",
        # Renting GPUs or accelerators is AI compute in this market.
        "GPU", "GPUs", "accelerator", "accelerators", "Nvidia", "TPU", "TPUs", "Trainium",
        "Blackwell", "H100", "H200", "B200", "GB200", "GB300",
        # The buyers and providers of this market: their names mean AI compute here.
        "CoreWeave", "Nebius", "Lambda", "Crusoe", "Fluidstack", "Nscale", "IREN", "Together AI",
        "Mistral", "Cohere", "DeepSeek", "Meta", "Microsoft", "Azure", "Google", "Alphabet",
        "Amazon", "AWS", "Oracle", "OCI", "Cipher Mining", "TeraWulf", "Applied Digital",
        "Core Scientific", "Hut 8", "Galaxy Digital", "Stargate", "Colossus",
    ],
}


@dataclass
class Source:
    name: str
    url: str
    kind: str  # feed | page
    # Listing pages: follow links whose URL matches this regex (None: page only).
    follow: Optional[str] = None
    max_items: int = 50


@dataclass
class SecConfig:
    queries: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=lambda: ["S-1", "8-K", "10-K", "10-Q", "6-K"])
    ciks: list[int] = field(default_factory=list)
    since: date = date(2024, 1, 1)
    efts_url: str = "https://efts.sec.gov/LATEST/search-index"
    data_url: str = "https://data.sec.gov"
    archives_url: str = "https://www.sec.gov/Archives/edgar/data"
    max_results_per_query: int = 200  # hits fetched per query per run
    requests_per_second: float = 8.0  # SEC allows 10; stay under with margin
    max_document_bytes: int = 60 * 1024 * 1024


@dataclass
class ScheduleConfig:
    collect: str = "*/30 * * * *"
    digest: str = "0 7 * * *"
    timezone: str = "UTC"


@dataclass
class DigestConfig:
    to: list[str] = field(default_factory=list)
    sender: Optional[str] = None  # the `from` key
    send_empty: bool = True
    subject: str = "Compute deals"


@dataclass
class FetchConfig:
    timeout: float = 20.0  # seconds for connect, read and the whole response
    max_bytes: int = 10 * 1024 * 1024  # pages and feeds over this are refused
    retries: int = 2  # extra attempts after a 5xx, 429 or transport error
    backoff: float = 1.0  # seconds, doubled each retry
    max_retry_after: float = 60.0  # longer Retry-After: give up for this run
    per_host: int = 4  # concurrent requests to one host
    concurrency: int = 32  # concurrent requests overall
    max_redirects: int = 5


@dataclass
class Config:
    user_agent: str = DEFAULT_USER_AGENT
    feeds: list[Source] = field(default_factory=list)
    pages: list[Source] = field(default_factory=list)
    sec: SecConfig = field(default_factory=SecConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    digest: DigestConfig = field(default_factory=DigestConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    relevance: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_RELEVANCE))
    path: Optional[Path] = None
    sec_enabled: bool = False


_TOP_KEYS = {"user_agent", "feeds", "pages", "sec", "schedule", "digest", "fetch", "relevance"}


class _Loader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping key."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping = _LinedDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise ConfigError(f"duplicate key '{key}' at line {key_node.start_mark.line + 1}")
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    mapping.line = node.start_mark.line + 1
    return mapping


class _LinedDict(dict):
    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int] = {}
        self.line = 0


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Ctx:
    """Where we are in the file, for error messages."""

    def __init__(self, path: str):
        self.path = path

    def err(self, where: str, line: Optional[int], msg: str) -> ConfigError:
        at = f" (line {line})" if line else ""
        return ConfigError(f"{self.path}: {where}{at}: {msg}")

    def check_keys(self, mapping: dict, allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                tip = f"; did you mean '{hint[0]}'?" if hint else f"; known keys: {', '.join(sorted(allowed))}"
                name = f"{where}.{key}" if where else str(key)
                raise self.err(name, _line(mapping, key), f"unknown key{tip}")


def _line(mapping: Any, key: Any = None) -> Optional[int]:
    if isinstance(mapping, _LinedDict):
        return mapping.lines.get(key) if key is not None else mapping.line
    return None


def _str(ctx: _Ctx, m: dict, key: str, where: str, default: Any = None, required: bool = False) -> Any:
    if key not in m or m[key] is None:
        if required:
            raise ctx.err(where, _line(m), f"missing required key '{key}'")
        return default
    v = m[key]
    if not isinstance(v, (str, int, float)) or isinstance(v, bool):
        raise ctx.err(f"{where}.{key}", _line(m, key), "expected a string")
    return str(v)


def _list(ctx: _Ctx, m: dict, key: str, where: str, item=str) -> list:
    v = m.get(key)
    if v is None:
        return []
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        v = [v]
    if not isinstance(v, list):
        raise ctx.err(f"{where}.{key}", _line(m, key), "expected a list")
    out = []
    for x in v:
        if item is int:
            try:
                out.append(int(str(x).strip()))
            except ValueError:
                raise ctx.err(f"{where}.{key}", _line(m, key), f"expected whole numbers, got {x!r}") from None
        else:
            if not isinstance(x, (str, int, float)) or isinstance(x, bool):
                raise ctx.err(f"{where}.{key}", _line(m, key), f"expected strings, got {x!r}")
            out.append(str(x))
    return out


def _num(ctx: _Ctx, m: dict, key: str, where: str, default: float, kind=float, minimum: float = 0) -> Any:
    if key not in m or m[key] is None:
        return default
    v = m[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ctx.err(f"{where}.{key}", _line(m, key), f"expected a number, got {v!r}")
    if v < minimum:
        raise ctx.err(f"{where}.{key}", _line(m, key), f"must be at least {minimum}")
    return kind(v)


def _url(ctx: _Ctx, m: dict, key: str, where: str, required: bool = True, default: Optional[str] = None) -> Optional[str]:
    v = _str(ctx, m, key, where, default=default, required=required)
    if v is not None and not re.match(r"^https?://[^\s/]+", v):
        raise ctx.err(f"{where}.{key}", _line(m, key), f"not an http(s) URL: {v!r}")
    return v


def _sources(ctx: _Ctx, raw: dict, key: str, kind: str) -> list[Source]:
    items = raw.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ctx.err(key, _line(raw, key), "expected a list of {name, url} entries")
    out: list[Source] = []
    names: set[str] = set()
    for i, entry in enumerate(items):
        where = f"{key}[{i}]"
        if isinstance(entry, str):
            entry = {"name": entry, "url": entry}
        if not isinstance(entry, dict):
            raise ctx.err(where, _line(raw, key), "expected a mapping with name and url")
        ctx.check_keys(entry, {"name", "url", "follow", "max_items"}, where)
        url = _url(ctx, entry, "url", where)
        name = _str(ctx, entry, "name", where, default=url)
        if name in names:
            raise ctx.err(f"{where}.name", _line(entry, "name"), f"duplicate source name '{name}'")
        names.add(name)
        follow = _str(ctx, entry, "follow", where)
        if follow:
            try:
                re.compile(follow)
            except re.error as e:
                raise ctx.err(f"{where}.follow", _line(entry, "follow"), f"bad regular expression: {e}") from None
        out.append(Source(name=name, url=url, kind=kind, follow=follow,
                          max_items=_num(ctx, entry, "max_items", where, 50, int, 1)))
    return out


def parse_config(text: str, path: str = "sources.yaml") -> Config:
    ctx = _Ctx(path)
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        line = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{line}: {e.problem}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from None
    if raw is None:
        raw = _LinedDict()
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    ctx.check_keys(raw, _TOP_KEYS, "")
    cfg = Config(path=Path(path))
    cfg.user_agent = _str(ctx, raw, "user_agent", "user_agent", DEFAULT_USER_AGENT)
    cfg.feeds = _sources(ctx, raw, "feeds", "feed")
    cfg.pages = _sources(ctx, raw, "pages", "page")
    all_names = [s.name for s in cfg.feeds + cfg.pages]
    dup = {n for n in all_names if all_names.count(n) > 1}
    if dup:
        raise ctx.err("pages", _line(raw, "pages"), f"source name used twice: {sorted(dup)[0]}")

    sec = raw.get("sec")
    if sec is not None:
        if not isinstance(sec, dict):
            raise ctx.err("sec", _line(raw, "sec"), "expected a mapping")
        ctx.check_keys(sec, {"queries", "forms", "ciks", "since", "efts_url", "data_url",
                             "archives_url", "max_results_per_query", "requests_per_second",
                             "max_document_bytes"}, "sec")
        s = SecConfig()
        s.queries = _list(ctx, sec, "queries", "sec")
        s.forms = _list(ctx, sec, "forms", "sec") or s.forms
        s.ciks = _list(ctx, sec, "ciks", "sec", item=int)
        since = sec.get("since")
        if since is not None:
            if isinstance(since, date):
                s.since = since
            else:
                try:
                    s.since = date.fromisoformat(str(since))
                except ValueError:
                    raise ctx.err("sec.since", _line(sec, "since"), f"expected a date YYYY-MM-DD, got {since!r}") from None
        s.efts_url = _url(ctx, sec, "efts_url", "sec", False, s.efts_url)
        s.data_url = _url(ctx, sec, "data_url", "sec", False, s.data_url)
        s.archives_url = _url(ctx, sec, "archives_url", "sec", False, s.archives_url)
        s.max_results_per_query = _num(ctx, sec, "max_results_per_query", "sec", s.max_results_per_query, int, 1)
        s.requests_per_second = _num(ctx, sec, "requests_per_second", "sec", s.requests_per_second, float, 0.1)
        if s.requests_per_second > 10:
            raise ctx.err("sec.requests_per_second", _line(sec, "requests_per_second"),
                          "the SEC allows at most 10 requests per second")
        s.max_document_bytes = _num(ctx, sec, "max_document_bytes", "sec", s.max_document_bytes, int, 1024)
        cfg.sec = s
        cfg.sec_enabled = bool(s.queries or s.ciks)

    sched = raw.get("schedule")
    if sched is not None:
        if not isinstance(sched, dict):
            raise ctx.err("schedule", _line(raw, "schedule"), "expected a mapping")
        ctx.check_keys(sched, {"collect", "digest", "timezone"}, "schedule")
        sc = ScheduleConfig()
        for key in ("collect", "digest"):
            expr = _str(ctx, sched, key, "schedule", getattr(sc, key))
            if len(expr.split()) != 5:
                raise ctx.err(f"schedule.{key}", _line(sched, key),
                              f"expected a 5-field cron expression, got {expr!r}")
            setattr(sc, key, expr)
        sc.timezone = _str(ctx, sched, "timezone", "schedule", sc.timezone)
        cfg.schedule = sc

    dig = raw.get("digest")
    if dig is not None:
        if not isinstance(dig, dict):
            raise ctx.err("digest", _line(raw, "digest"), "expected a mapping")
        ctx.check_keys(dig, {"to", "from", "send_empty", "subject"}, "digest")
        d = DigestConfig()
        d.to = _list(ctx, dig, "to", "digest")
        d.sender = _str(ctx, dig, "from", "digest")
        for addr in d.to + ([d.sender] if d.sender else []):
            if not re.match(r"^[^@\s<>\r\n]+@[^@\s<>\r\n]+$", addr):
                raise ctx.err("digest", _line(dig, "to"), f"not an e-mail address: {addr!r}")
        se = dig.get("send_empty", True)
        if not isinstance(se, bool):
            raise ctx.err("digest.send_empty", _line(dig, "send_empty"), "expected true or false")
        d.send_empty = se
        d.subject = _str(ctx, dig, "subject", "digest", d.subject)
        cfg.digest = d

    fetch = raw.get("fetch")
    if fetch is not None:
        if not isinstance(fetch, dict):
            raise ctx.err("fetch", _line(raw, "fetch"), "expected a mapping")
        f = FetchConfig()
        ctx.check_keys(fetch, set(f.__dataclass_fields__), "fetch")
        for name, spec in f.__dataclass_fields__.items():
            default = getattr(f, name)
            setattr(f, name, _num(ctx, fetch, name, "fetch", default, type(default), 0))
        cfg.fetch = f

    rel = raw.get("relevance")
    if rel is not None:
        if not isinstance(rel, dict):
            raise ctx.err("relevance", _line(raw, "relevance"),
                          "expected a mapping of group name to a list of terms")
        groups = {}
        for group in rel:
            terms = _list(ctx, rel, group, "relevance")
            if not terms:
                raise ctx.err(f"relevance.{group}", _line(rel, group), "needs at least one term")
            groups[str(group)] = terms
        cfg.relevance = groups
    return cfg


def load_config(path: str | Path) -> Config:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: config file not found (pass --config PATH)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p}: cannot read config ({e})") from None
    return parse_config(text, str(p))
