"""Spoken and spelt-out numbers -> digits, keeping a map back to the text.

Call transcripts and interviews say "one point two five billion a month",
"three hundred megawatts", "two hundred and fifty thousand GPUs". The figure
rules read digits; :func:`digitize` rewrites such phrases as digits ("1.25
billion", "300", "250000") and returns, for every character of the new
string, its offset in the original, so figure spans still point into the
sentence the claim quotes.
"""
from __future__ import annotations

import re

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SMALL_SCALES = {"hundred": 100, "thousand": 1_000}
_BIG_SCALES = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORDS = "|".join(sorted([*_UNITS, *_TENS, *_SMALL_SCALES, *_BIG_SCALES, "hundreds"], key=len, reverse=True))
_W = r"(?:" + _WORDS + r")"
# A run of number words, with "and", "point", hyphens, "a"/"an" before a scale,
# and "and a half"/"and a quarter" after.
_PHRASE = re.compile(
    r"(?<![\w-])(?:(?:an?)(?=\s+(?:hundred|thousand|million|billion|trillion)\b)|" + _W + r"\b)"
    r"(?:(?:\s+and\s+|\s+|-)(?:" + _W + r"\b|point\b|a\s+(?:half|quarter)\b))*", re.I)
# Cheap gate: a number word other than "one"/"a" somewhere in the text.
_GATE = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                   r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
                   r"point|half)\b", re.I)


def _value(tokens: list[str]) -> tuple[float, str] | None:
    """Value of a number-word phrase and the big scale word it ends with (kept
    as a word so "1.25 billion dollars" still reads as money)."""
    toks = [t.lower() for t in tokens if t.lower() != "and"]
    frac = 0.0
    if toks[-2:] in (["a", "half"], ["a", "quarter"]):
        frac = 0.5 if toks[-1] == "half" else 0.25
        toks = toks[:-2]  # "one and a half gigawatts", "a billion and a half"
    scale_word = ""
    bigs = [i for i, t in enumerate(toks) if t in _BIG_SCALES]
    if len(bigs) > 1:
        # "thirteen billion five hundred million": each scale multiplies its own
        # group; read in the largest scale ("13.5 billion")
        total, start = 0.0, 0
        for i in bigs:
            n = _int(toks[start:i]) if toks[start:i] else 1
            if n is None:
                return None
            total += n * _BIG_SCALES[toks[i]]
            start = i + 1
        rest = _int(toks[start:]) if toks[start:] else 0
        if rest is None:
            return None
        top = max((toks[i] for i in bigs), key=lambda w: _BIG_SCALES[w])
        return (total + rest) / _BIG_SCALES[top], top
    if toks and toks[-1] in _BIG_SCALES:
        scale_word = toks.pop()
    if not toks and scale_word:
        toks = ["a"]
    if not toks:
        return None
    yr = _year(toks)
    if yr is not None and not scale_word and not frac:
        return float(yr), ""
    if "point" in toks:
        i = toks.index("point")
        whole = _int(toks[:i]) if i else 0
        digits = toks[i + 1:]
        if whole is None or not digits or any(d not in _UNITS or _UNITS[d] > 9 for d in digits):
            return None
        val = float(f"{whole}." + "".join(str(_UNITS[d]) for d in digits))
    else:
        whole = _int(toks)
        if whole is None:
            return None
        val = float(whole)
    val += frac
    if scale_word and scale_word in toks:
        return None
    return val, scale_word


def _year(toks: list[str]) -> int | None:
    """"twenty twenty-six" -> 2026, "nineteen ninety-nine" -> 1999."""
    if len(toks) >= 2 and toks[0] in ("twenty", "nineteen") and toks[1] in _TENS:
        rest = _int(toks[1:])
        if rest is not None and 10 <= rest <= 99:
            return (20 if toks[0] == "twenty" else 19) * 100 + rest
    return None


def _int(toks: list[str]) -> int | None:
    total, cur = 0, 0
    seen = False
    for t in toks:
        if t in ("a", "an"):
            cur = max(cur, 1)
            seen = True
            continue
        if t in _UNITS:
            cur += _UNITS[t]
        elif t in _TENS:
            cur += _TENS[t]
        elif t == "hundred":
            cur = (cur or 1) * 100
        elif t == "thousand":
            total += (cur or 1) * 1000
            cur = 0
        elif t in _BIG_SCALES:
            total += int((cur or 1) * _BIG_SCALES[t])
            cur = 0
        else:
            return None
        seen = True
    return total + cur if seen else None


def digitize(s: str) -> tuple[str, list[int] | None]:
    """``s`` with number-word phrases as digits, and the offset map (None when
    nothing changed: the caller can use ``s`` as it is)."""
    if not _GATE.search(s):
        return s, None
    out: list[str] = []
    pos_map: list[int] = []
    last = 0
    changed = False
    for m in _PHRASE.finditer(s):
        phrase = m.group()
        tokens = re.split(r"[\s-]+", phrase)
        low = [t.lower() for t in tokens]
        if len(low) == 1 and low[0] in ("one", "zero"):
            continue  # "one of the", "zero-emission": words, not figures
        if all(t in _SMALL_SCALES or t in _BIG_SCALES or t in ("and", "hundreds") for t in low):
            continue  # "$1.25 billion", "hundreds": the digits are already there
        if re.search(r"\d[\d.,]*\s*$", s[max(0, m.start() - 12):m.start()]):
            continue  # "1.5 million", "12 thousand"
        if re.match(r"\s*\(\d", s[m.end():m.end() + 4]):
            continue  # "ninety (90) days": the legal form says it twice; its rules read it
        plural = low[-1] == "hundreds" and len(low) > 1  # "B three hundreds": chips said aloud
        if plural:
            tokens = tokens[:-1] + ["hundred"]
        elif "hundreds" in low:
            continue
        v = _value(tokens)
        if v is None:
            continue
        val, scale = v
        txt = (f"{val:g}" if val < 1e15 else str(int(val))) + (f" {scale}" if scale else "") + ("s" if plural else "")
        if "e+" in txt:
            txt = str(int(val)) + (f" {scale}" if scale else "")
        out.append(s[last:m.start()])
        pos_map.extend(range(last, m.start()))
        out.append(txt)
        # every new character maps into the phrase (its last one to the phrase's end)
        n = len(txt)
        pos_map.extend(m.start() + min(i * len(phrase) // max(n, 1), len(phrase) - 1) for i in range(n))
        last = m.end()
        changed = True
    if not changed:
        return s, None
    out.append(s[last:])
    pos_map.extend(range(last, len(s)))
    pos_map.append(len(s))
    return "".join(out), pos_map
