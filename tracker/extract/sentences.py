"""Sentence splitting with character offsets.

Quotes must be exact substrings of ``Document.text``, so we never rewrite the
text: we build a same-length *normalised* copy (full-width digits, NBSPs,
curly quotes mapped one-to-one) for the regexes to read, and cut quotes from
the original by offset.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# One-to-one character map, so offsets in the normalised copy equal offsets in
# the original.
_TRANS = {0x00A0: " ", 0x2007: " ", 0x202F: " ", 0x2009: " ", 0x200A: " ",
          0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x2032: "'",
          0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-",
          0x2212: "-", 0xFE63: "-", 0x3000: " ", 0xFFE5: "$", 0x200B: " ",
          0xFEFF: " "}
_TRANS.update({c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})  # full-width ASCII


# "1 024 GPUs", "EUR 48 740 000": thousands grouped by spaces (European and
# SI style; NBSP and thin spaces are spaces by now) read as commas.
_SPACE_THOUSANDS = re.compile(r"(?<![\d.,:/])(?<!\d )\d{1,3}(?: \d{3})+(?![\d,]|\.\d)")


# Numeric dates ("01/01/2026", "31.12.2028", "2026-03-01") become month names of
# the same length ("Jan.  2026"), so the date rules read them like "January 2026".
_NUM_DATE = re.compile(r"(?<![\w/.\-])(\d{1,2})([/.])(\d{1,2})\2((?:19|20)\d\d)(?![\w/]|\.\d)")
_ISO_DATE = re.compile(r"(?<![\d\-/.])((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d\-])")
_MON3 = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_date(mon: int, year: str, width: int) -> str:
    head = _MON3[mon - 1] + "."
    return head + " " * max(1, width - len(head) - 4) + year if width >= 9 else (_MON3[mon - 1] + " " * (width - 7) + year)


# Cheap scans that find the lines worth the strict patterns (a 10 MB filing
# must not pay for lookbehinds at every character).
_PRE_SPACE = re.compile(r"[0-9] [0-9]{3}")
_PRE_BRACKET = re.compile(r"\([0-9]{1,3}[0-9,]{2}")
_PRE_DATES = (re.compile(r"/[0-9]{4}"), re.compile(r"\.[0-9]{4}"), re.compile(r"-[01][0-9]-"))  # (literal first: fast)


def _hit_lines(out: str, pre: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of each line holding a match of ``pre``."""
    spans: list[tuple[int, int]] = []
    for m in pre.finditer(out):
        if spans and m.start() < spans[-1][1]:
            continue
        a = out.rfind("\n", 0, m.start()) + 1
        b = out.find("\n", m.end())
        spans.append((a, len(out) if b < 0 else b))
    return spans


def _sub_lines(out: str, spans: list[tuple[int, int]], fn) -> str:
    if not spans:
        return out
    parts, last = [], 0
    for a, b in spans:
        parts.append(out[last:a])
        parts.append(fn(out[a:b]))
        last = b
    parts.append(out[last:])
    return "".join(parts)


def _dates(out: str, spans: list[tuple[int, int]]) -> str:
    nums = [(int(m.group(1)), int(m.group(3))) for a, b in spans for m in _NUM_DATE.finditer(out, a, b)]
    day_first = False
    if nums:
        # Day first where any date says so (31/12) or the text is European; else US month first.
        day_first = any(a > 12 for a, _ in nums) or (not any(b > 12 for _, b in nums)
                                                      and ("EUR" in out or "€" in out or "£" in out))

    def num(m: re.Match[str]) -> str:
        a, b = int(m.group(1)), int(m.group(3))
        mon = b if day_first else a
        if not 1 <= mon <= 12 or not 1 <= (a if day_first else b) <= 31:
            return m.group()
        return _month_date(mon, m.group(4), len(m.group()))

    def line(t: str) -> str:
        t = _NUM_DATE.sub(num, t) if nums else t
        return _ISO_DATE.sub(lambda m: _month_date(int(m.group(2)), m.group(1), len(m.group())), t) if "-" in t else t
    return _sub_lines(out, spans, line)


# Legal drafting writes a number twice, "two thousand forty-eight (2,048) GPUs":
# the figure in brackets is read as a bare number (padding keeps the length).
_WORDS_THEN_DIGITS = re.compile(r"(?<=[a-z] )\((\d{1,3}(?:,\d{3})+|\d{3,})\)(?=\s)")


def normalise(text: str) -> str:
    """Return a copy of ``text`` of identical length that regexes can read."""
    out = text.translate(_TRANS)
    if ") " in out and "(" in out:
        out = _sub_lines(out, _hit_lines(out, _PRE_BRACKET), lambda t: _WORDS_THEN_DIGITS.sub(lambda m: "  " + m.group(1), t))
    out = _sub_lines(out, _hit_lines(out, _PRE_SPACE),
                     lambda t: _SPACE_THOUSANDS.sub(lambda m: m.group().replace(" ", ","), t))
    spans = sorted({sp for pre in _PRE_DATES for sp in _hit_lines(out, pre)})
    if spans:
        out = _dates(out, spans)
    return out


# Words after which a full stop does not end a sentence.
_ABBREV = {
    "inc", "corp", "co", "ltd", "llc", "plc", "n.v", "s.a", "mr", "ms", "mrs",
    "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "no", "vs", "approx", "e.g", "i.e", "u.s", "u.k",
    "tenn", "calif", "n.j", "n.y", "wash", "ariz", "ga", "la", "ore", "mass",
    "va", "penn", "pa", "tex", "wis", "ill", "fla", "ohio", "okla", "al",
    "nev", "mich", "minn", "miss", "colo", "conn", "md", "ind", "ky", "neb",
    "x.ai", "fig", "est", "jr", "sr", "gov", "sen", "rep", "mt", "ft",
}
# Candidate sentence ends: terminal punctuation (optionally closed by quotes or
# brackets) then whitespace.
_END = re.compile(r"[.!?;]+[\"')\]]*(?=\s)|\n")
_CAMEL = re.compile(r"[a-z]{1,3}[A-Z]")
_MAX_SENT = 1500  # enormous single lines are cut into chunks of this size


@dataclass
class Sentence:
    start: int
    end: int
    para: int  # paragraph index (a paragraph is one line of the text)
    text: str  # normalised text of the sentence


def _is_abbrev(norm: str, dot: int) -> bool:
    """True if the '.' at ``dot`` closes an abbreviation or a number."""
    j = dot
    while j > 0 and (norm[j - 1].isalnum() or norm[j - 1] == "."):
        j -= 1
    word = norm[j:dot].lower()
    if word in _ABBREV:
        return True
    # Single capital initial ("J. Smith"); not a lone digit.
    if len(word) == 1 and word.isalpha():
        return True
    return False


def split_sentences(text: str, norm: str | None = None) -> list[Sentence]:
    """Split ``text`` into sentences; each paragraph is one line."""
    if norm is None:
        norm = normalise(text)
    out: list[Sentence] = []
    para = 0
    start = 0
    n = len(norm)

    def emit(a: int, b: int) -> None:
        while a < b and norm[a].isspace():
            a += 1
        while b > a and norm[b - 1].isspace():
            b -= 1
        while b - a > _MAX_SENT:  # cut at a space so words stay whole
            cut = norm.rfind(" ", a, a + _MAX_SENT)
            if cut <= a:
                cut = a + _MAX_SENT
            out.append(Sentence(a, cut, para, norm[a:cut]))
            a = cut
            while a < b and norm[a].isspace():
                a += 1
        if b > a:
            out.append(Sentence(a, b, para, norm[a:b]))

    for m in _END.finditer(norm):
        if m.group() == "\n":
            emit(start, m.start())
            start = m.end()
            para += 1
            continue
        p = m.start()
        if norm[p] == "." and m.end() - p == 1 and _is_abbrev(norm, p):
            continue
        # Next visible character must plausibly open a sentence.
        k = m.end()
        while k < n and norm[k] in " \t":
            k += 1
        if k < n and not (norm[k].isupper() or norm[k].isdigit() or norm[k] in "\"'($\n"
                          or _CAMEL.match(norm, k)):  # "xAI will ...", "eBay said ..."
            continue
        if norm[p] == ";":
            continue  # semicolons split clauses, not sentences
        emit(start, m.end())
        start = m.end()
    emit(start, n)
    return out
