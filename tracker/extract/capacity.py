"""Power capacity (MW; GW converted) and accelerator counts.

A cluster's or campus's *total* size is not the deal's size, so figures
phrased as the site's own size ("a 750-megawatt campus", "houses 230,000
GPUs in total") are dropped here; the caller decides which deal a kept figure
belongs to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .amounts import _BEFORE_APPROX, _BEFORE_MAX, _BEFORE_MIN

_WORDNUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "half a": 0.5, "a half": 0.5, "first": 1}
_NUM = r"\d(?:[\d,]*\d)?(?:\.\d+)?"
_WN = r"(?:half\s+a|a|an|first|one|two|three|four|five|six|seven|eight|nine|ten)"

POWER_RE = re.compile(
    r"(?<![\w.])(?P<n>" + _NUM + r"|\(" + _NUM + r"\)|" + _WN + r")(?P<mult>\s+million|\s+thousand)?\s?-?\s?"
    r"(?P<u>GW|MW|gigawatts?|megawatts?|gigawatt|megawatt|gigs?)(?![\w])", re.I)
# A site's own size, not the deal's: "a 750-megawatt campus", "its 1.2 GW campus".
_SITE_SIZE_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,2}?(?:campus|site|facility|data\s+cent(?:er|re)s?|park|complex|portfolio|footprint)\b", re.I)
_SITE_SIZE_BEFORE = re.compile(r"(?:'s|\bits|\btheir|\bour)\s+(?:\w+\s+){0,2}$", re.I)
_TAKES_WHOLE = re.compile(r"\b(?:use|uses|using|rent|rents|renting|lease|leases|leasing|take|takes|taking|occupy|occupies|"
                          r"reserve[sd]?|contract(?:ed|s)?\s+for)\s+(?:(?:the\s+)?(?:whole|entire|full|all\s+of)\s+)?(?:a|an|the)\s+(?:new\s+)?$", re.I)
_TOTAL_CTX = re.compile(r"\b(?=\w)(?:(?:net\s+)?absorption|vacancy|inventory|in\s+total|houses?|housing|home\s+to|contains?|active\s+power|contracted\s+power|gross\s+power|across\s+(?:its|their|our)\s+(?:entire\s+|whole\s+|global\s+|existing\s+)?(?:fleet|portfolio|footprint|platform|network|data\s+cent(?:er|re)s|facilities|operations|business)|portfolio|pipeline|fleet|when\s+(?:fully\s+)?(?:built|complete[d]?)|fully\s+built|at\s+full\s+(?:build\w*|capacity)|once\s+complete[d]?)\b", re.I)

_GPU_WORD = (r"(?:GPUs?|graphics\s+processing\s+units?|chips?|accelerators?|TPUs?|tensor\s+processing\s+units?|"
             r"superchips?|processors?|Trainium\s?\d?\s+chips|units|(?:GB|B|H|A)\s?\d00s|MI\d{3}X?s|Trainium\s?\d?s)")
_HW_TOKEN = r"(?:[A-Z][\w.\-/]*|and|or|of|the|latest|next-generation|new|custom|AI|its|their|graphics|more)"
GPU_COUNT_RE = re.compile(
    r"(?<![\w.$])(?P<n>" + _NUM + r"|one|two|three|four|five|ten|a)(?P<mult>\s+million|\s+thousand|\s?[mk]\b)?[\s-]"
    r"(?:of\s+the\s+|of\s+(?:its|their|our)\s+|of\s+[A-Z][\w.]*'s?\s+)?(?:" + _HW_TOKEN + r"\s+){0,5}?" + _GPU_WORD + r"(?![\w])")
# "GPUs: 16,384 Nvidia GB300": a labelled field
GPU_LABEL_RE = re.compile(r"\b(?:GPUs?|GPU\s+count|chips|accelerators|hardware)\s*:\s*(?P<ap>~|about\s+|approximately\s+|roughly\s+|up\s+to\s+)?"
                          r"(?P<n>\d{1,3}(?:,\d{3})+|\d{3,7})(?![\d.,]*\s*(?:MW|GW|%|megawatts|gigawatts|million|billion))", re.I)
VAGUE_GPU_RE = re.compile(
    r"\b(?P<mag>tens|hundreds)\s+of\s+thousands\s+of\s+(?:" + _HW_TOKEN + r"\s+){0,6}?" + _GPU_WORD + r"(?![\w])"
    r"|\b(?P<mil>millions)\s+of\s+(?:" + _HW_TOKEN + r"\s+){0,4}?" + _GPU_WORD + r"(?![\w])")


# "GB300 systems, something like 60,000 of them": a count of the hardware just named
_OF_THEM_RE = re.compile(r"(?<![\w.$])(?P<n>" + _NUM + r")(?P<mult>\s+million|\s+thousand|\s?k\b)?\s+of\s+(?:them|those|these)\b")
_HW_BEFORE = re.compile(r"\b(?:(?:GB|B|H|A)\s?\d00|MI\d{3}X?|TPU|Trainium\s?\d?|GPU|chip|accelerator)s?\b")


@dataclass
class Figure:
    start: int
    end: int
    number: float
    value: str
    approx: bool = False
    min: Optional[float] = None
    max: Optional[float] = None


def _to_num(tok: str) -> Optional[float]:
    t = tok.lower().strip().strip("()")
    if t in _WORDNUM:
        return float(_WORDNUM[t])
    t = re.sub(r"\s+", " ", t)
    if t in _WORDNUM:
        return float(_WORDNUM[t])
    if re.fullmatch(r"\d{1,3},\d{1,2}", t):
        t = t.replace(",", ".")  # "1,2 GW": a European decimal comma, not 12 GW
    try:
        return float(t.replace(",", ""))
    except ValueError:
        return None


def _qualify(f: Figure, before: str) -> Figure:
    if _BEFORE_MIN.search(before) or re.search(r"well\s+(?:over|above|beyond)\s*$", before, re.I):
        f.approx, f.min = True, f.number
    elif _BEFORE_MAX.search(before):
        f.approx, f.max = True, f.number
    elif _BEFORE_APPROX.search(before):
        f.approx = True
    return f


_UNIT_RE = re.compile(r"(?:GW|MW|[Gg]igawatts?|[Mm]egawatts?|GIGAWATTS?|MEGAWATTS?|\bgigs?)(?![\w])")


def _power_matches(s: str):
    """POWER_RE matches, found by scanning only the text just before each unit
    (the number-word alternatives make a whole-sentence scan slow)."""
    last = 0
    for u in _UNIT_RE.finditer(s):
        a = max(last, u.start() - 40)
        for m in POWER_RE.finditer(s, a, u.end()):
            if m.end() == u.end():
                yield m
                break
        last = u.end()


def find_power(s: str) -> list[Figure]:
    out = []
    for m in _power_matches(s):
        n = _to_num(m.group("n"))
        if n is None or n == 0:
            continue
        if m.group("mult"):
            n *= 1e6 if "million" in m.group("mult").lower() else 1e3
        u = m.group("u").lower()
        if u.startswith("g"):
            n *= 1000
        a, b = m.start(), m.end()
        after, before = s[b:b + 40], s[max(0, a - 60):a]
        if m.group("n").lower() in ("a", "an") and re.match(r"(?:\s+(?:figure|number|count|estimate|breakdown|split|share|target|total|value|mark|threshold)s?\b|-(?:scale|class|level|sized?|plus)\b)", after, re.I):
            continue  # "has not given a megawatt figure", "gigawatt-scale": no quantity
        if u.startswith("gig") and not u.startswith("giga") and re.match(r"\s*(?:economy|workers?|work)\b", after, re.I):
            continue  # spoken "a gig" is a gigawatt; the gig economy is not
        hyphen_adj = bool(re.search(r"\d-\s?(?:GW|MW|giga|mega)", m.group(), re.I))
        if _SITE_SIZE_AFTER.search(after) and (hyphen_adj or _SITE_SIZE_BEFORE.search(before)) \
                and not _TAKES_WHOLE.search(before):
            continue  # ... unless the deal takes the whole site: "xAI will use a 500-megawatt data center"
        if _TOTAL_CTX.search(s[max(0, a - 60):b + 50]):
            continue
        if re.match(r"\s*(?:of\s+)?(?:solar|wind|battery|gas|nuclear|grid\s+(?:connection|interconnection|capacity|power)|interconnection|(?:[\w-]+\s+)?(?:requests|demand|load\s+requests|queue)|(?:sites|projects|pipeline)\b)\b", after, re.I):
            continue
        f = Figure(a, b, n, f"{n:.0f} MW" if n == int(n) else f"{n:g} MW")
        out.append(_qualify(f, before))
    return out


def find_gpu_counts(s: str) -> list[Figure]:
    out = []
    for m in GPU_COUNT_RE.finditer(s):
        n = _to_num(m.group("n"))
        if n is None:
            continue
        mult = (m.group("mult") or "").strip().lower()
        if mult in ("million", "m"):
            n *= 1e6
        elif mult in ("thousand", "k"):
            n *= 1e3
        if n < 100 or n > 5e7:  # "two chips" or a year; not a deal's GPU count
            continue
        a, b = m.start(), m.end()
        if re.match(r"(?:19|20)\d\d$", m.group("n")) and not mult and not re.match(
                r"\s+(?:GPUs|(?:GB|B|H)\s?\d00s|chips|accelerators)\b", s[m.end("n"):m.end("n") + 14]):
            continue  # "in 2026 Nvidia GPUs will ..." is a year; "2000 B200s", "2048 GPUs" are counts
        if re.search(r"graphics\s+cards|gaming", s[a:b + 20], re.I):
            continue
        if _TOTAL_CTX.search(s[max(0, a - 50):b + 25]):
            continue
        before = s[max(0, a - 40):a]
        f = Figure(a, b, n, f"{n:.0f} GPUs")
        out.append(_qualify(f, before))
    if ":" in s:
        for m in GPU_LABEL_RE.finditer(s):
            n = float(m.group("n").replace(",", ""))
            if 100 <= n <= 5e7 and not any(f.start <= m.start("n") < f.end for f in out):
                f = Figure(m.start("n"), m.end("n"), n, f"{n:.0f} GPUs", approx=bool(m.group("ap")))
                out.append(f)
    if " of th" in s:
        for m in _OF_THEM_RE.finditer(s):
            n = _to_num(m.group("n"))
            mult = (m.group("mult") or "").strip().lower()
            n = None if n is None else n * (1e6 if mult == "million" else 1e3 if mult in ("thousand", "k") else 1)
            hw = _HW_BEFORE.search(s, max(0, m.start() - 90), m.start())
            if n is None or not 100 <= n <= 5e7 or not hw or any(f.start <= m.start() < f.end for f in out):
                continue
            if re.search(r"[.;:]", s[hw.end():m.start()]):
                continue
            out.append(_qualify(Figure(m.start(), m.end(), n, f"{n:.0f} GPUs"), s[max(0, m.start() - 40):m.start()]))
    for m in VAGUE_GPU_RE.finditer(s):
        if m.group("mil"):
            lo = 1e6
        else:
            lo = 1e4 if m.group("mag").lower() == "tens" else 1e5
        a, b = m.start(), m.end()
        if _TOTAL_CTX.search(s[max(0, a - 50):b + 25]):
            continue
        txt = s[a:b]
        out.append(Figure(a, b, lo, txt, True, lo, lo * 10))
    return out
