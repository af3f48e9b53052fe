"""Conflict detection for one deal (pure logic, no SQL).

`find_conflicts(claims)` takes every claim of one deal and returns one
`ConflictFinding` per (field, part) whose claims cannot all be true.

Rules (tolerances are described in tracker/compare.py):

* Parts. Claims are compared only within one part of the deal: the whole deal
  (scope NULL, key ""), the initial contract, the cumulative value, the value
  with options exercised, and each identified site / phase / expansion
  (identified by a site or facility name, or a phase number, in the quote;
  a site-scoped figure in a deal with a single known site belongs to that
  site). Unidentified sites, phases and expansions are never compared: a deal
  can have several. A whole-deal figure that matches another source's scoped
  figure (e.g. an early article's "$11.9B" when a later one gives $11.9B as
  the initial contract) is taken to describe that part and left out of the
  whole-deal comparison.
* Numbers (payment, capacity_power, gpu_count, term_years,
  termination_notice_days) compare as tolerant intervals (tracker.compare).
  Payments are annualised (month x12); a total compares with a rate only
  over a known term: "over N years" in the claim itself, a term_years claim,
  or start and term_end claims (from the total's document first, then the
  rate's, then the rest of the deal) — with an extra 15% allowance for ramps.
  Without a term, a total and a rate are not compared. Cumulative figures may
  grow: a later source giving a larger cumulative total agrees.
* Dates (start, term_end) compare at the precision given.
* Sets (gpu_type, model, facility, location): each document's set of values
  in one part. Two documents conflict when no value of one is compatible with
  any value of the other (equal, or one generalises the other); naming a
  subset, a superset or an overlapping set agrees. Models: a version named
  "and its successors" agrees with later versions of the family; a document
  naming a bare family beside a version ("its Claude models, including the
  upcoming Claude 5"), or calling a version upcoming/next/future, agrees with
  the adjacent generation (Claude 4 vs Claude 5), not with Claude 3.
* One document never conflicts with itself, except two exact figures for the
  same field, part and period that differ by more than 2x.
* Authority: SEC filings outrank news; the summary names the side a filing
  supports.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field as dc_field
from functools import lru_cache
from typing import Callable, Optional

from .compare import (
    INF, TERM_TOL, Interval, agree, dates_agree, family_version, month_interval,
    name_tokens, names_compatible, number_interval, open_upward, site_of,
)
from .models import FIELDS, Claim, ConflictFinding

NUMERIC = {"payment", "capacity_power", "gpu_count", "term_years", "termination_notice_days"}
DATES = {"start", "term_end"}
SETS = {"gpu_type", "model", "facility", "location"}
SINGLE_SCOPES = {"initial", "cumulative", "option"}
SELF_CONTRADICTION = 2.0  # same-document exact figures further apart than this

_PERIOD_FACTOR = {"month": 12.0, "monthly": 12.0, "year": 1.0, "annual": 1.0, "yearly": 1.0,
                  "quarter": 4.0, "week": 52.0, "day": 365.0}
_UNIT_FACTOR = {
    "capacity_power": {"gw": 1000.0, "gigawatt": 1000.0, "gigawatts": 1000.0, "kw": 0.001},
    "term_years": {"month": 1 / 12, "months": 1 / 12},
    "termination_notice_days": {"week": 7.0, "weeks": 7.0, "month": 30.0, "months": 30.0},
}
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(_WORDNUM) + r")"
_TERM_RE = [
    re.compile(r"\b(?:over|for|across|spanning|during|within)\s+(?:the\s+next\s+|a\s+period\s+of\s+|about\s+|roughly\s+)?"
               + _NUM + r"\s+years?\b", re.I),
    re.compile(r"\b" + _NUM + r"[- ]year\b", re.I),
]
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "initial": 1}
_PHASE_RE = [
    re.compile(r"\b(?:phase|tranche|stage)\s+(\d+|one|two|three|four|five|i{1,3}|iv|v)\b", re.I),
    re.compile(r"\b(first|second|third|fourth|fifth)\s+(?:phase|tranche|stage)\b", re.I),
]
_PERIOD_TEXT = [(re.compile(r"\b(per|a|each|every)[\s-]+month\b|\bmonthly\b|/\s*mo(nth)?\b", re.I), "month"),
                (re.compile(r"\b(per|a|each|every)[\s-]+year\b|\bannual(ly)?\b|\byearly\b|/\s*y(ea)?r\b"
                            r"|\bper annum\b", re.I), "year")]


# ---------------------------------------------------------------- formatting

def money(n: float) -> str:
    a = abs(n)
    for div, suf in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if a >= div:
            return f"${n / div:.4g}{suf}"
    return f"${n:,.0f}"


def _num(n: float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() or abs(n) >= 100 else f"{n:.3g}"


def claim_period(c: Claim) -> Optional[str]:
    return _period(c.period, c.field, c.value)


@lru_cache(maxsize=65536)  # a deal's claims are re-read on every refresh
def _period(period: Optional[str], field: str, value: Optional[str]) -> Optional[str]:
    if period:
        return period.lower()
    if field == "payment":
        for rx, p in _PERIOD_TEXT:
            if rx.search(value or ""):
                return p
        return "total"
    return None


def stated_term(c: Claim) -> Optional[float]:
    """"$90B over five years" -> 5.0 (from the value, else the quote)."""
    return _stated_term(c.value, c.quote)


@lru_cache(maxsize=65536)
def _stated_term(value: Optional[str], quote: Optional[str]) -> Optional[float]:
    for text in (value, quote):
        for rx in _TERM_RE:
            m = rx.search(text or "")
            if m:
                g = m.group(1).lower()
                return float(_WORDNUM.get(g, g))
    return None


def format_value(c: Claim) -> str:
    """A compact, normalised rendering: "$1.25B/month", "~300 MW", "more than $40B"."""
    if c.field not in NUMERIC or (c.number is None and c.min is None and c.max is None):
        return c.value
    if c.field == "payment":
        fmt = money
    elif c.field == "capacity_power":
        fmt = lambda n: f"{_num(n)} MW"  # noqa: E731
    elif c.field == "gpu_count":
        fmt = lambda n: f"{_num(n)} GPUs"  # noqa: E731
    elif c.field == "term_years":
        fmt = lambda n: f"{_num(n)} years"  # noqa: E731
    else:
        fmt = lambda n: f"{_num(n)} days"  # noqa: E731
    f = _unit_factor(c)
    if c.min is not None and c.max is not None:
        s = f"{fmt(c.min * f)}–{fmt(c.max * f)}"
    elif c.min is not None:
        s = f"more than {fmt(c.min * f)}"
    elif c.max is not None:
        s = f"up to {fmt(c.max * f)}"
    else:
        iv = number_interval(c.number, c.value, c.approx)
        if iv is not None and iv.hi == c.number * 10 and iv.lo != iv.hi:
            return c.value  # a vague magnitude: "tens of billions"
        s = ("~" if c.approx else "") + fmt(c.number * f)
    if c.field == "payment":
        p = claim_period(c)
        if p in ("month", "year", "quarter", "week"):
            s += f"/{p}"
        elif p == "total":
            t = stated_term(c)
            if t:
                s += f" over {_num(t)} years"
            elif c.min is None and c.max is None:
                s += " total"
    return s


def source_label(c: Claim) -> str:
    date = (c.doc_date or "")[:10]
    src = c.doc_source or c.doc_url or f"document {c.document_id}"
    if src == "ingest" and c.doc_url:
        # Hand-ingested documents share one source name; the file or page tells them apart.
        src = c.doc_url.rstrip("/").rsplit("/", 1)[-1] or c.doc_url
    if c.doc_kind == "filing":
        src += " [SEC filing]"
    return f"{src}, {date}" if date else src


# ---------------------------------------------------------------- deal context

def _unit_factor(c: Claim) -> float:
    u = (c.unit or "").strip().lower()
    return _UNIT_FACTOR.get(c.field, {}).get(u, 1.0)


def claim_interval(c: Claim) -> Optional[Interval]:
    iv = number_interval(c.number, c.value, c.approx, c.min, c.max)
    if iv is None:
        return None
    f = _unit_factor(c)
    return iv.scaled(f) if f != 1.0 else iv


def _is_exact_point(c: Claim) -> bool:
    iv = claim_interval(c)
    return iv is not None and iv.lo == iv.hi and not c.approx and c.min is None and c.max is None


@dataclass
class DealContext:
    claims: list[Claim]
    by_field: dict = dc_field(default_factory=dict)
    site_names: list = dc_field(default_factory=list)  # (label, match tokens)
    single_site: Optional[str] = None
    _memo: dict = dc_field(default_factory=dict)  # per-claim results: the rules are pure

    def __post_init__(self):
        by = defaultdict(list)
        for c in self.claims:
            by[c.field].append(c)
        self.by_field = by
        names = {}
        for c in by.get("location", []) + by.get("facility", []):
            toks = name_tokens(c.value, c.field)
            if not toks:
                continue
            # the most specific part of the name identifies the site: the city
            # of "City, State", the whole of a facility name
            label = toks[0] if c.field == "location" else " ".join(toks)
            names.setdefault(label, label.split(" ") if c.field == "facility" else [label])
        self.site_names = list(names.items())
        site_locs = []
        for c in by.get("location", []):
            if c.scope == "site" and not any(names_compatible(c.value, s, "location") for s in site_locs):
                site_locs.append(c.value)
        if len(site_locs) == 1:
            self.single_site = name_tokens(site_locs[0], "location")[0]

    def part_label(self, c: Claim) -> Optional[str]:
        q = (c.quote or "").lower()
        if c.scope == "phase":
            for rx in _PHASE_RE:
                m = rx.search(q)
                if m:
                    g = m.group(1).lower()
                    n = _ORDINAL.get(g) or _WORDNUM.get(g) or {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}.get(g) or g
                    return f"phase {n}"
        if c.field in ("location", "facility") and c.scope == "site":
            return None  # each named site is its own part: a deal can have several
        hits = {label for label, toks in self.site_names
                if all(re.search(r"\b" + re.escape(t) + r"\b", q) for t in toks)}
        # a facility and its city may both match; keep the distinct ones
        if len(hits) == 1:
            return hits.pop()
        if not hits and c.scope == "site" and self.single_site:
            return self.single_site
        return None

    def cached(self, kind: str, key, fn):
        k = (kind, key)
        if k not in self._memo:
            self._memo[k] = fn()
        return self._memo[k]

    def part_key(self, c: Claim) -> str:
        return self.cached("part", c.id, lambda: self._part_key(c))

    def _part_key(self, c: Claim) -> str:
        if not c.scope:
            return ""
        s = c.scope.lower()
        if s in SINGLE_SCOPES:
            return s
        label = self.part_label(c)
        return f"{s}:{label}" if label else f"{s}#{c.id}"  # '#': unidentified, compared with nothing

    def term_years(self, total: Claim, rate: Optional[Claim], key: str) -> Optional[tuple[float, float]]:
        """The term (years, as an interval) over which `total` is paid."""
        return self.cached("term", (total.id, rate.document_id if rate else None, key),
                           lambda: self._term_years(total, rate, key))

    def _term_years(self, total: Claim, rate: Optional[Claim], key: str) -> Optional[tuple[float, float]]:
        t = stated_term(total)
        if t:
            return (t, t)
        docs = [total.document_id] + ([rate.document_id] if rate else [])

        def pick(field: str, doc: Optional[int]) -> list[Claim]:
            out = [c for c in self.by_field.get(field, [])
                   if (doc is None or c.document_id == doc) and self.part_key(c) in (key, "")]
            exact = [c for c in out if self.part_key(c) == key]
            return exact or out

        def years(cs: list[Claim]) -> Optional[tuple[float, float]]:
            ivs = [claim_interval(c) for c in cs]
            ivs = [i for i in ivs if i is not None and i.hi < INF and i.lo > 0]
            if not ivs:
                return None
            return (min(i.lo * (1 - i.tol) for i in ivs), max(i.hi * (1 + i.tol) for i in ivs))

        def months(field: str) -> Optional[tuple[int, int]]:
            for doc in docs + [None]:
                ivs = [month_interval(c.value) for c in pick(field, doc)]
                ivs = [i for i in ivs if i]
                if ivs:
                    return (min(i[0] for i in ivs), max(i[1] for i in ivs))
            return None

        own = years(pick("term_years", total.document_id))
        if own:
            return own
        s, e = months("start"), months("term_end")
        if s and e:
            lo, hi = e[0] - s[1], e[1] - s[0] + 1
            if hi > 0:
                return (max(lo, 1) / 12, hi / 12)
        for doc in docs[1:] + [None]:
            y = years(pick("term_years", doc))
            if y:
                return y
        return None


# ---------------------------------------------------------------- comparisons

def _annual(c: Claim, ctx: Optional[DealContext] = None) -> tuple[str, Optional[Interval]]:
    if ctx is not None:
        return ctx.cached("annual", c.id, lambda: _annual(c))
    iv = claim_interval(c)
    if c.field != "payment" or iv is None:
        return "plain", iv
    p = claim_period(c)
    if p in _PERIOD_FACTOR:
        return "rate", iv.scaled(_PERIOD_FACTOR[p])
    return "total", iv


def _total_as_rate(ctx: DealContext, total: Claim, rate: Optional[Claim], key: str) -> Optional[Interval]:
    term = ctx.term_years(total, rate, key)
    iv = _annual(total, ctx)[1]
    if not term or iv is None or term[0] <= 0:
        return None
    return Interval(iv.lo / term[1], iv.hi / term[0] if iv.hi < INF else INF, iv.tol)


def compare_numeric(ctx: DealContext, a: Claim, b: Claim, key: str) -> Optional[bool]:
    """True: can both be true; False: cannot; None: not comparable."""
    ba, ia = _annual(a, ctx)
    bb, ib = _annual(b, ctx)
    if ia is None or ib is None:
        return None
    same_doc = a.document_id == b.document_id
    if same_doc:
        if ba != bb or not (ia.lo == ia.hi and ib.lo == ib.hi and _is_exact_point(a) and _is_exact_point(b)):
            return None
        big, small = max(ia.lo, ib.lo), min(ia.lo, ib.lo)
        return not (small > 0 and big / small > SELF_CONTRADICTION)
    extra = 0.0
    if ba != bb:
        total, rate = (a, b) if ba == "total" else (b, a)
        conv = _total_as_rate(ctx, total, rate, key)
        if conv is None:
            return None
        ia, ib = (conv, ib) if ba == "total" else (ia, conv)
        extra = TERM_TOL
    if agree(ia, ib, extra):
        return True
    if key == "cumulative" and a.doc_date and b.doc_date and a.doc_date[:10] != b.doc_date[:10]:
        earlier, later = (ia, ib) if a.doc_date < b.doc_date else (ib, ia)
        if later.hi * (1 + later.tol) >= earlier.lo:
            return True  # a cumulative total grows as expansions are signed
    return False


def compare_dates(a: Claim, b: Claim) -> Optional[bool]:
    if a.document_id == b.document_id:
        return None
    return dates_agree(a.value, b.value, 3 if (a.approx or b.approx) else 0)


def _values_compatible(field: str, a: Claim, b: Claim) -> bool:
    if names_compatible(a.value, b.value, field):
        return True
    if field == "model":
        # One generation: "Claude Opus 4.1" and "Claude Sonnet 4.5" are both Claude 4.
        fa, va = family_version(a.value, "model")
        fb, vb = family_version(b.value, "model")
        if fa == fb and va is not None and vb is not None and int(va) == int(vb):
            return True
        for x, y in ((a, b), (b, a)):
            if open_upward(x.quote):
                fx, vx = family_version(x.value, "model")
                fy, vy = family_version(y.value, "model")
                if fx == fy and vx is not None and vy is not None and vy >= vx:
                    return True
    return False


_OPEN_DOC = re.compile(r"\b(upcoming|future|next|forthcoming|successors?|later)\b", re.I)


def _model_view(claims: list[Claim]) -> tuple[list[Claim], bool]:
    """A document's model set: a bare family named beside specific versions of
    it ("its Claude models, including the upcoming Claude 5") adds no value of
    its own but marks the document as speaking of the family over time."""
    fv = [(c, family_version(c.value, "model")) for c in claims]
    versioned_families = {f for _, (f, v) in fv if v is not None}
    kept = [c for c, (f, v) in fv if v is not None or f not in versioned_families]
    open_ = len(kept) < len(claims) or any(_open_doc(c.quote) for c in claims)
    return kept, open_


def _adjacent_versions(x: Claim, y: Claim) -> bool:
    fx, vx = family_version(x.value, "model")
    fy, vy = family_version(y.value, "model")
    return fx == fy and vx is not None and vy is not None and abs(int(vx) - int(vy)) <= 1


# A place named as a new or further site of a multi-site deal adds to the
# deal's places; it cannot contradict the others.
_ADDED_SITE = re.compile(
    r"\b(?:new|next|another|additional|second|third|fourth|latest|adding|adds|added|"
    r"expan(?:d|ds|ded|sion|sions)|also|further)\b", re.I)


@lru_cache(maxsize=65536)
def _added_site(quote: Optional[str]) -> bool:
    return bool(_ADDED_SITE.search(quote or ""))


@lru_cache(maxsize=65536)
def _open_doc(quote: Optional[str]) -> bool:
    return bool(_OPEN_DOC.search(quote or ""))


def compare_sets(field: str, a: list[Claim], b: list[Claim]) -> Optional[bool]:
    if a[0].document_id == b[0].document_id:
        return None
    if field in ("location", "facility"):
        a = [c for c in a if not _added_site(c.quote)]
        b = [c for c in b if not _added_site(c.quote)]
        if not a or not b:
            return None
    if field == "model":
        (a, open_a), (b, open_b) = _model_view(a), _model_view(b)
        if (open_a or open_b) and any(_adjacent_versions(x, y) for x in a for y in b):
            return True  # "Claude 4" now, "the upcoming Claude 5" later: one deal over time
    return any(_values_compatible(field, x, y) for x in a for y in b)


# ---------------------------------------------------------------- grouping

@dataclass
class _Unit:
    claims: list[Claim]

    @property
    def first(self) -> Claim:
        return self.claims[0]


def _rank(u: _Unit) -> tuple:
    c = u.first
    return (0 if any(x.doc_kind == "filing" for x in u.claims) else 1, c.doc_date or "", c.id)


def _conflict(units: list[_Unit], cmp: Callable[[_Unit, _Unit], Optional[bool]],
              sig: Optional[Callable[[_Unit], object]] = None):
    """Sides (clusters of mutually consistent units) if some pair disagrees.

    With `sig`, units whose signatures are equal compare alike with everyone
    (two hundred articles repeating "$1.25B a month" are one view), so only
    one representative per signature is compared: the cost follows the number
    of distinct reports, not of documents.
    """
    if sig is not None:
        grouped = _conflict_grouped(units, cmp, sig)
        if grouped is not NotImplemented:
            return grouped
    return _conflict_pairs(units, cmp)


def _conflict_pairs(units: list, cmp: Callable, rank: Callable = None):
    rank = rank or _rank
    n = len(units)
    res = {}
    bad = set()
    for i in range(n):
        for j in range(i + 1, n):
            r = cmp(units[i], units[j])
            res[i, j] = res[j, i] = r
            if r is False:
                bad.update((i, j))
    if not bad:
        return None
    members = sorted({i for i in range(n) if i in bad or any(res.get((i, j)) is True for j in bad)},
                     key=lambda i: rank(units[i]))
    clusters: list[list[int]] = []
    for i in members:
        for cl in clusters:
            if all(res.get((i, j)) is not False for j in cl) and any(res.get((i, j)) is True for j in cl):
                cl.append(i)
                break
        else:
            clusters.append([i])
    if len(clusters) < 2:
        return None
    return [[units[i] for i in cl] for cl in clusters]


def _doc(u: _Unit) -> int:
    return u.first.document_id


def _conflict_grouped(units: list[_Unit], cmp, sig):
    groups: dict[object, list[_Unit]] = {}
    for u in sorted(units, key=_rank):
        groups.setdefault(sig(u), []).append(u)
    if len(groups) == len(units):
        return NotImplemented  # nothing repeats: the plain algorithm is as fast
    for g in groups.values():
        if len(g) > 1 and cmp(g[0], g[1]) is False:
            return NotImplemented  # a report that contradicts itself: compare every pair
    gs = list(groups.values())
    by_doc = [{_doc(u): u for u in reversed(g)} for g in gs]

    def gcmp(i: int, j: int) -> Optional[bool]:
        """Members of a group compare alike with other documents, so one
        cross-document pair decides; a document that gives both figures is
        asked too, since a source can contradict itself."""
        shared = by_doc[i].keys() & by_doc[j].keys()
        d = next(iter(shared), None)
        same = cmp(by_doc[i][d], by_doc[j][d]) if d is not None else None
        if same is False:
            return False
        u = gs[i][0]
        v = next((w for w in gs[j] if _doc(w) != _doc(u)), None)
        if v is None and len(gs[i]) > 1:
            u = gs[i][1]
            v = next((w for w in gs[j] if _doc(w) != _doc(u)), None)
        return cmp(u, v) if v is not None else same

    sides = _conflict_pairs(list(range(len(gs))), gcmp, rank=lambda i: _rank(gs[i][0]))
    if not sides:
        return None
    return [sorted((u for i in side for u in gs[i]), key=_rank) for side in sides]


def _side_text(ctx: DealContext, field: str, side: list[_Unit], key: str, mixed: bool) -> str:
    rep = side[0]
    if field in SETS:
        vals = []
        for c in rep.claims:
            if c.value not in vals:
                vals.append(c.value)
        text = " and ".join(vals)
    else:
        c = rep.first
        text = format_value(c)
        if mixed and field == "payment" and _annual(c)[0] == "total":
            conv = _total_as_rate(ctx, c, None, key)
            if conv is not None and conv.hi < INF:
                text += f" = {money((conv.lo + conv.hi) / 2)}/year"
        elif mixed and field == "payment" and claim_period(c) == "month":
            text += f" = {money(_annual(c)[1].mid())}/year"
    seen, labels = set(), []
    for u in side:
        lab = source_label(u.first)
        if lab not in seen:
            seen.add(lab)
            labels.append(lab)
    src = "; ".join(labels[:2]) + (f"; +{len(labels) - 2} more" if len(labels) > 2 else "")
    return f"{text} ({src})"


def _summary(ctx: DealContext, field: str, key: str, sides: list[list[_Unit]]) -> str:
    mixed = False
    if field == "payment":
        kinds = {_annual(u.first)[0] for s in sides for u in s}
        periods = {claim_period(u.first) for s in sides for u in s}
        mixed = len(kinds) > 1 or len(periods) > 1
    head = field + (f" ({key.replace('#', ' ')})" if key else "")
    parts = [_side_text(ctx, field, s, key, mixed) for s in sides]
    text = f"{head}: " + " vs ".join(parts)
    filed = [i for i, s in enumerate(sides) if any(c.doc_kind == "filing" for u in s for c in u.claims)]
    if len(filed) == 1:
        text += f" — the SEC filing supports {parts[filed[0]].split(' (')[0]}"
    elif len(filed) > 1:
        text += " — SEC filings disagree"
    return text


PART_FIELDS = {"capacity_power", "gpu_count"}


def _figure_key(c: Claim, field: str) -> tuple:
    """What the numeric comparison reads of one figure and its sentence."""
    return (c.value, c.number, c.unit, claim_period(c), bool(c.approx), c.min, c.max,
            stated_term(c), site_of(c.quote) if field in PART_FIELDS else None)


def _doc_terms(ctx: DealContext, doc: int) -> tuple:
    """A document's own term claims, with which its totals are converted."""
    return ctx.cached("doc_terms", doc, lambda: tuple(sorted(
        (t.field, t.value, t.number, ctx.part_key(t))
        for f in ("term_years", "start", "term_end") for t in ctx.by_field.get(f, [])
        if t.document_id == doc)))


def _numeric_sig(ctx: DealContext, field: str, key: str, members: list[Claim]):
    """What compare_numeric and _numeric_cmp read of a claim, so that equal
    signatures compare alike: the figure, its period and stated term, the
    site its sentence names, its document's own term claims (a total is
    converted with them) and its other figures for this field (a source's
    figures are read together), and its date for growing cumulative totals."""
    per_doc: dict[int, list[tuple]] = defaultdict(list)
    for c in members:
        per_doc[c.document_id].append(_figure_key(c, field))

    def sig(u: _Unit) -> tuple:
        c = u.first
        return (
            _figure_key(c, field),
            tuple(sorted(map(repr, per_doc[c.document_id]))),  # the source's figures, read together
            _doc_terms(ctx, c.document_id) if field == "payment" else None,
            (c.doc_date or "")[:10] if key == "cumulative" else None,
        )

    return sig


def _set_sig(field: str):
    """What compare_sets reads of one document's claims."""
    def sig(u: _Unit) -> frozenset:
        return frozenset(
            (c.value, open_upward(c.quote), _open_doc(c.quote), _added_site(c.quote))
            for c in u.claims)
    return sig


def _numeric_cmp(ctx: DealContext, field: str, key: str, members: list[Claim]):
    """compare_numeric, plus two readings a careful analyst makes:

    * values one source states together ("nearly 500,000 chips now, a million
      by year end") are compatible by that source's account, so another source
      repeating either one does not contradict it;
    * a smaller capacity or GPU figure tied to one named site is a part of the
      deal ("23,000 GPUs at its Loughton site" within "200,000 across Europe
      and the US"), unless the other figure is tied to the same site.
    """
    by_doc: dict[int, list[Claim]] = defaultdict(list)
    for c in members:
        by_doc[c.document_id].append(c)

    def co_asserted(x: Claim, y: Claim) -> bool:
        return any(z.id not in (x.id, y.id) and compare_numeric(ctx, z, y, key) is True
                   for z in by_doc[x.document_id])

    def cmp(u: _Unit, v: _Unit) -> Optional[bool]:
        a, b = u.first, v.first
        r = compare_numeric(ctx, a, b, key)
        if r is not False:
            return r
        if a.document_id != b.document_id and (co_asserted(a, b) or co_asserted(b, a)):
            return None
        if field in PART_FIELDS and key == "" and a.number is not None and b.number is not None:
            small, big = (a, b) if a.number < b.number else (b, a)
            site = site_of(small.quote)
            if site and site_of(big.quote) != site:
                return None
        return r

    return cmp


def _drop_figures_of_parts(ctx: DealContext, field: str, members: list[Claim]) -> list[Claim]:
    """Whole-deal figures that another source gives as a part (its initial
    contract, one site) describe that part, not the deal: leave them out.

    Compared per distinct report, not per claim: equal figures with equal
    term context compare alike (see _numeric_sig)."""
    scoped = [c for c in ctx.by_field[field] if c.scope]
    if not scoped:
        return members

    def content(c: Claim) -> tuple:
        return (_figure_key(c, field), _doc_terms(ctx, c.document_id) if field == "payment" else None)

    groups: dict[tuple, list[Claim]] = {}
    for s in scoped:
        groups.setdefault((content(s), ctx.part_key(s)), []).append(s)
    verdict: dict[tuple, bool] = {}
    kept = []
    for c in members:
        mine = content(c)
        part_of = False
        for (sc, key), ss in groups.items():
            other = next((s for s in ss if s.document_id != c.document_id), None)
            if other is None:
                continue
            k = (mine, sc, key)
            if k not in verdict:
                verdict[k] = compare_numeric(ctx, c, other, key) is True
            if verdict[k]:
                part_of = True
                break
        if not part_of:
            kept.append(c)
    return kept


def find_conflicts(claims: list[Claim]) -> list[ConflictFinding]:
    """Every disagreement among one deal's claims, one finding per field and part."""
    if not claims:
        return []
    deal_id = claims[0].deal_id
    ctx = DealContext(list(claims))
    findings: list[ConflictFinding] = []
    order = {f: i for i, f in enumerate(FIELDS)}
    for field in sorted(ctx.by_field, key=lambda f: order.get(f, 99)):
        if field not in NUMERIC and field not in DATES and field not in SETS:
            continue  # ramp and unknown fields: free text, never a conflict
        groups: dict[str, list[Claim]] = defaultdict(list)
        for c in ctx.by_field[field]:
            groups[ctx.part_key(c)].append(c)
        for key in sorted(groups):
            if "#" in key:
                continue
            members = groups[key]
            if field in NUMERIC and key == "":
                members = _drop_figures_of_parts(ctx, field, members)
            if len(members) < 2 or len({c.document_id for c in members}) < 2 and field not in NUMERIC:
                continue
            if field in SETS:
                per_doc: dict[int, list[Claim]] = defaultdict(list)
                for c in members:
                    per_doc[c.document_id].append(c)
                units = [_Unit(v) for v in per_doc.values()]
                cmp = lambda x, y, f=field: compare_sets(f, x.claims, y.claims)  # noqa: E731
                sig = _set_sig(field)
            elif field in DATES:
                units = [_Unit([c]) for c in members]
                cmp = lambda x, y: compare_dates(x.first, y.first)  # noqa: E731
                sig = lambda u: (u.first.value, bool(u.first.approx))  # noqa: E731
            else:
                units = [_Unit([c]) for c in members]
                cmp = _numeric_cmp(ctx, field, key, members)
                sig = _numeric_sig(ctx, field, key, members)
            sides = _conflict(units, cmp, sig)
            if not sides:
                continue
            ids = sorted({c.id for s in sides for u in s for c in u.claims})
            findings.append(ConflictFinding(
                deal_id=deal_id, field=field, claim_ids=ids,
                summary=_summary(ctx, field, key, sides), key=key))
    return findings
