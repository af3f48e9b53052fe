"""Normalised comparison of claim values (pure, no SQL).

Used by `tracker.conflicts`. Everything here answers one question: can these
two stated values both be true?

Numbers become intervals with a tolerance:

* exact figures: rounding tolerance — half a unit of the last significant
  digit, at least 2% and at most 5% ("$17B" vs "$17.4B" agree; 40,000 vs
  45,000 GPUs do not);
* approximate figures ("about", "roughly", approx=1): 15%;
* vague magnitudes ("tens of billions", "hundreds of thousands"): [n, 10n);
* "more than X" / "at least X" (min only): [X, infinity);
  "up to X" (max only): [0, X]; a stated range: [min, max].

Two values agree when the gap between their intervals is within the larger
of the two tolerances (|a-b|/min(a,b) <= t for two points).

Dates are month intervals at the precision given ("2029" = 2029-01..2029-12,
so "2029" and "2029-05" agree).

Names (GPU types, models, facilities, locations) agree when one is the other
or a generalisation of it: the tokens of the general name are a subset of the
specific one's ("Colossus" < "Colossus 1", "Memphis" < "Memphis, Tennessee",
"Claude 4" < "Claude Opus 4", version "4" < "4.5"); "Colossus 1" vs
"Colossus 2" do not.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Optional

INF = math.inf
APPROX_TOL = 0.15
EXACT_MIN_TOL = 0.02
EXACT_MAX_TOL = 0.05
# Extra slack when a total is turned into a rate over a term: ramps (a reduced
# first couple of months), start dates known to the month only, etc.
TERM_TOL = 0.15

_VAGUE = re.compile(
    r"\b(tens|hundreds|thousands|dozens|several|multiple|multi)\b|\bmulti-|\bbillions of\b|\bmillions of\b",
    re.I,
)
# Qualifiers are read from the start of the canonical value text only (the
# extractor normally sets approx/min/max itself; this is a fallback).
_MORE = re.compile(r"^\s*(more than|over|at least|in excess of|upwards of|north of|exceeding|>)", re.I)
_UPTO = re.compile(r"^\s*(up to|as much as|as many as|at most|no more than|a maximum of)\b", re.I)
_NEARLY = re.compile(r"^\s*(nearly|almost|just under|close to)\b", re.I)
_ABOUT = re.compile(r"^\s*(about|around|roughly|approximately|some|~|an estimated|circa)", re.I)


@dataclass
class Interval:
    lo: float
    hi: float
    tol: float  # relative tolerance applied when comparing

    def scaled(self, factor: float) -> "Interval":
        return Interval(self.lo * factor, self.hi * factor, self.tol)

    def mid(self) -> float:
        if self.hi == INF:
            return self.lo
        return (self.lo + self.hi) / 2


def _rounding_tol(n: float) -> float:
    """Half a unit of the last significant digit, relative, clamped."""
    if not n:
        return EXACT_MIN_TOL
    a = abs(n)
    # significant digits of the number as written (at most 6)
    s = f"{a:.6g}"
    if "e" in s:
        mant, exp = s.split("e")
        exp = int(exp)
    else:
        mant, exp = s, 0
    if "." in mant:
        ip, fp = mant.split(".")
        fp = fp.rstrip("0")
    else:
        ip, fp = mant, ""
    if fp:
        ulp = 10.0 ** (-len(fp) + exp)
    else:
        stripped = ip.rstrip("0")
        ulp = 10.0 ** (len(ip) - len(stripped) + exp) if stripped else 1.0
    return min(EXACT_MAX_TOL, max(EXACT_MIN_TOL, 0.5 * ulp / a))


def number_interval(number: Optional[float], value: str = "", approx: bool = False,
                    vmin: Optional[float] = None, vmax: Optional[float] = None) -> Optional[Interval]:
    """The set of values a numeric claim allows."""
    text = value or ""
    if vmin is not None or vmax is not None:
        lo = vmin if vmin is not None else 0.0
        hi = vmax if vmax is not None else INF
        return Interval(lo, hi, APPROX_TOL if approx else EXACT_MIN_TOL)
    if number is None:
        return None
    n = float(number)
    if _VAGUE.search(text):
        return Interval(n, n * 10, APPROX_TOL)
    if _MORE.search(text):
        return Interval(n, INF, APPROX_TOL if approx else EXACT_MIN_TOL)
    if _UPTO.search(text):
        return Interval(0.0, n, APPROX_TOL if approx else EXACT_MIN_TOL)
    if _NEARLY.search(text):
        return Interval(n * (1 - APPROX_TOL), n, EXACT_MIN_TOL)
    if approx or _ABOUT.search(text):
        return Interval(n, n, APPROX_TOL)
    return Interval(n, n, _rounding_tol(n))


def gap(a: Interval, b: Interval) -> float:
    """Relative distance between two intervals (0 when they overlap)."""
    lo = max(a.lo, b.lo)
    hi = min(a.hi, b.hi)
    if lo <= hi:
        return 0.0
    if hi <= 0:
        return INF
    return lo / hi - 1.0


def agree(a: Interval, b: Interval, extra_tol: float = 0.0) -> bool:
    """The gap between the intervals is within the larger tolerance."""
    t = max(a.tol, b.tol, extra_tol)
    lo = max(a.lo, b.lo)
    hi = min(a.hi, b.hi)
    return lo <= hi * (1 + t) + 1e-9


# ---------------------------------------------------------------- dates

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-\d{1,2})?")


def month_interval(value: str) -> Optional[tuple[int, int]]:
    """'2029' -> (months of 2029-01, 2029-12); '2029-05' -> (2029-05, 2029-05)."""
    m = _DATE.match(value or "")
    if not m:
        return None
    y = int(m.group(1))
    if m.group(2):
        mo = int(m.group(2))
        if not 1 <= mo <= 12:
            return (y * 12, y * 12 + 11)
        v = y * 12 + mo - 1
        return (v, v)
    return (y * 12, y * 12 + 11)


def dates_agree(a: str, b: str, slack_months: int = 0) -> Optional[bool]:
    ia, ib = month_interval(a), month_interval(b)
    if ia is None or ib is None:
        return None
    return max(ia[0], ib[0]) <= min(ia[1], ib[1]) + slack_months


# ---------------------------------------------------------------- names

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}
_GENERIC = {
    "the", "a", "an", "of", "in", "at", "supercomputer", "supercluster", "cluster", "data", "center",
    "centers", "centre", "datacenter", "campus", "site", "facility", "project", "ai", "model", "models",
    "gpus", "gpu", "chips", "chip", "accelerators", "nvidia", "amd", "google", "aws", "family",
}
US_STATES = {
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware",
    "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky",
    "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri",
    "montana", "nebraska", "nevada", "new hampshire", "new jersey", "new mexico", "new york",
    "north carolina", "north dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "rhode island",
    "south carolina", "south dakota", "tennessee", "texas", "utah", "vermont", "virginia", "washington",
    "west virginia", "wisconsin", "wyoming",
}
_REGIONS = {
    "europe": {"portugal", "spain", "france", "germany", "united kingdom", "uk", "england", "scotland",
               "wales", "norway", "sweden", "finland", "denmark", "iceland", "netherlands", "belgium",
               "ireland", "italy", "poland", "austria", "switzerland", "czech republic", "greece"},
    "middle east": {"united arab emirates", "uae", "saudi arabia", "qatar", "israel", "bahrain", "oman"},
    "nordics": {"norway", "sweden", "finland", "denmark", "iceland"},
    "uk": {"england", "scotland", "wales", "northern ireland"},
    "united kingdom": {"england", "scotland", "wales", "northern ireland"},
}
# Architecture names that generalise canonical GPU types.
_FAMILIES = {
    "hopper": {"h100", "h200", "h800", "h20", "gh200"},
    "blackwell": {"b100", "b200", "b300", "gb200", "gb300"},
    "blackwell ultra": {"b300", "gb300"},
    "rubin": {"r100", "vr200", "vera rubin"},
}


# Tiers and variants within one model generation ("Claude Opus 5" is a Claude 5).
MODEL_TIERS = {
    "opus", "sonnet", "haiku", "pro", "ultra", "flash", "mini", "nano", "max", "turbo", "lite",
    "instant", "thinking", "heavy", "fast", "preview", "base", "chat", "instruct",
}


@lru_cache(maxsize=65536)  # pure, and called for every pair a deal compares
def name_tokens(value: str, field: str = "") -> tuple[str, ...]:
    s = (value or "").lower()
    s = re.sub(r"[’'`]s\b", "", s)
    if field == "location":
        parts = [p.strip() for p in s.split(",") if p.strip()]
        toks = []
        for p in parts:
            p = p.replace(".", "")
            if p in ("us", "usa", "united states", "united states of america", "america"):
                continue  # the country is implied by a US state or city
            toks.append(p)
        return tuple(toks)
    toks = []
    for t in re.split(r"[\s,/()\-–—_]+", s):
        t = t.strip(".:;!?\"")
        if not t:
            continue
        t = _ROMAN.get(t, t) if toks else t
        if t in _GENERIC or (field == "model" and t in MODEL_TIERS):
            continue
        toks.append(t)
    return tuple(toks)


def _tok_match(general: str, specific: str) -> bool:
    if general == specific:
        return True
    # version prefix: "4" generalises "4.5"; "v5" generalises "v5e"
    if re.fullmatch(r"v?\d+(\.\d+)*", general) and specific.startswith(general):
        rest = specific[len(general):]
        return rest.startswith(".") or rest.isalpha()
    return False


def generalises(general: str, specific: str, field: str = "") -> bool:
    """True when `general` names the same thing as `specific` or a broader one."""
    g, s = name_tokens(general, field), name_tokens(specific, field)
    if not g:
        # "US" / "United States" generalises any US location; empty names say nothing
        if field == "location" and (general or "").lower().replace(".", "").strip() in {"us", "usa", "united states", "america", "united states of america"}:
            return _is_us(s)
        return True
    if field == "location" and len(g) == 1 and g[0] in _REGIONS and s and s[-1] in _REGIONS[g[0]]:
        return True
    if field == "gpu_type":
        fam = " ".join(g)
        if fam in _FAMILIES and " ".join(s) in _FAMILIES[fam]:
            return True
    return all(any(_tok_match(gt, st) for st in s) for gt in g)


def _is_us(tokens: tuple[str, ...]) -> bool:
    return bool(tokens) and tokens[-1] in US_STATES


def names_compatible(a: str, b: str, field: str = "") -> bool:
    return generalises(a, b, field) or generalises(b, a, field)


_VERSION = re.compile(r"^v?(\d+(?:\.\d+)?)")


def family_version(value: str, field: str = "") -> tuple[tuple[str, ...], Optional[float]]:
    """('claude',), 4.0 for "Claude 4"; version None for a bare family."""
    toks = name_tokens(value, field)
    fam, ver = [], None
    for t in toks:
        m = _VERSION.match(t)
        if m and ver is None and fam:
            ver = float(m.group(1))
        else:
            fam.append(t)
    return tuple(fam), ver


_OPEN_UP = re.compile(
    r"\bsuccessors?\b|\band (later|beyond|newer|future|subsequent)\b|\bfuture (models|versions|generations)\b"
    r"|\blater (models|versions|generations)\b|\bnext[- ]generation\b|\bsubsequent (models|versions)\b",
    re.I,
)


@lru_cache(maxsize=65536)
def open_upward(quote: str) -> bool:
    """The claim names a version "and its successors"."""
    return bool(_OPEN_UP.search(quote or ""))


# A figure tied to one named site: "at its Loughton, UK site", "at the Abilene campus".
_SITE = re.compile(
    r"\b(?:at|in|for)\s+(?:its|the|their|our|a|an|this)?\s*((?:[A-Z][\w.'’-]*,?\s+){1,4})"
    r"(?:site|campus|facility|data\s+cent(?:er|re)|plant|cluster|location)\b"
)


@lru_cache(maxsize=65536)
def site_of(quote: str) -> Optional[str]:
    """The one site a sentence ties its figure to, lower-cased; None if none."""
    m = _SITE.search(quote or "")
    if not m:
        return None
    return re.sub(r"[\s,]+", " ", m.group(1)).strip().lower() or None
