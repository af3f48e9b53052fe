"""Money amounts: "$1.25 billion per month", "$1.25B/month", "US$6.2 billion",
"80 billion dollars", "$4.1bn", "$40+ billion", "$10-12 billion",
"tens of billions of dollars". Returns USD; other currencies are skipped
(we would rather miss a claim than invent an exchange rate).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

_MULT = {
    "trillion": 1e12, "tn": 1e12, "t": 1e12, "trn": 1e12,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9,
    "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "mm": 1e6,
    "thousand": 1e3, "k": 1e3,
}
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1, "twelve": 12, "twenty": 20}
_NUM = r"\d(?:[\d,]*\d)?(?:\.\d+)?"
_MUL = r"(?:trillion|billion|million|thousand|bn|bln|mln|mn|trn|tn|mm|[bmkt])"
# "R$9.9 billion", "S$2 billion", "HK$": other dollars, not US dollars.
_CUR = r"(?P<cur>US\s?\$|USD\s?|(?<![A-Za-z])\$|€|EUR\s?|£|GBP\s?|[A-Z]{1,3}\$)"

# "$10-12 billion", "$10 billion to $12 billion", "$40+ billion", "$1.25B"
AMOUNT_RE = re.compile(
    _CUR + r"\s?(?P<n1>" + _NUM + r")(?P<plus>\+)?\s?(?:(?P<m1>" + _MUL + r")\b\.?)?"
    r"(?:\s?(?P<join>-|to|and)\s?(?P<cur2>US\s?\$|\$|€)?\s?(?P<n2>" + _NUM + r")\s?(?P<m2>" + _MUL + r")?\b)?"
    r"(?P<plus2>\+|-plus)?"
    r"|(?<![\w$.])(?P<n3>" + _NUM + r")\s?(?P<m3>trillion|billion|million)\s+(?P<cur3>(?:US\s|U\.S\.\s)?dollars|USD|euros?|EUR|pounds)\b",
    re.I)
VAGUE_RE = re.compile(
    r"\b(?P<mag>tens|hundreds|dozens)\s+of\s+(?P<unit>billions|millions)\s+(?:of\s+)?(?:US\s+)?(?P<cur>dollars|euros)\b"
    r"|\b(?P<mag2>tens|hundreds)\s+of\s+(?P<unit2>billions|millions)\b(?=\s+(?:in|worth)\b)",
    re.I)

_BEFORE_MIN = re.compile(r"(?:more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|exceeding|exceeds?|north\s+of|above|well\s+over|minimum\s+of)\s*$", re.I)
_BEFORE_MAX = re.compile(r"(?:up\s+to|as\s+much\s+as|no\s+more\s+than|maximum\s+of|at\s+most|as\s+high\s+as|capped\s+at)\s*(?:about\s+|approximately\s+|roughly\s+)?$", re.I)
_BEFORE_APPROX = re.compile(r"(?:about|approximately|approx\.|roughly|around|nearly|almost|some|an\s+estimated|estimated|close\s+to|~|circa|just\s+under|just\s+over|as\s+many\s+as|like)\s*$", re.I)

_OF_WHAT = r"(?:\s*of\s+(?:contracted\s+|base\s+|annual\s+)?(?:revenue|rent|payments?|sales|fees?|billings?)\s+)?"
_PER_MONTH = re.compile(r"^" + _OF_WHAT + r"\s*(?:-\s?|\s)?(?:per|a|an|each|every|/)\s?-?(?:month|mo)\b|^-a-month\b|^\s*monthly\b|^\s*a\s+month\b", re.I)
_PER_YEAR = re.compile(r"^" + _OF_WHAT + r"\s*(?:-\s?|\s)?(?:per|a|an|each|every|/)\s?-?(?:year|yr|annum)\b|^-a-year\b|^\s*(?:annually|yearly|per\s+annum)\b|^\s*a\s+year\b|^\s*(?:of|in)\s+(?:average\s+|additional\s+)?(?:annual(?:i[sz]ed)?|yearly)\s+(?:revenue|rent|payments?|sales|fees?|billings?)\b", re.I)
_PRE_MONTH = re.compile(r"\b(?=\w)(?:monthly|per-month|month-to-month)\s+(?:\w+\s+){0,3}(?:of|at|is|was|will\s+be)?\s*(?:about|approximately|roughly|around|nearly)?\s*$", re.I)
_PRE_YEAR = re.compile(r"\b(?=\w)(?:annual(?:ized|ised)?|yearly|per-year)\s+(?:\w+\s+){0,3}(?:of|at|is|was|will\s+be)?\s*(?:about|approximately|roughly|around|nearly)?\s*$", re.I)


@dataclass
class Amount:
    start: int
    end: int
    text: str
    number: float
    period: str  # month | year | total
    approx: bool = False
    min: Optional[float] = None
    max: Optional[float] = None
    currency: str = "USD"


def _num(s: str) -> Optional[float]:
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def _fmt(x: float) -> str:
    for div, suf in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if x >= div:
            v = x / div
            return "$" + (f"{v:.2f}".rstrip("0").rstrip(".")) + suf
    return f"${x:,.0f}"


def _period(s: str, a: int, b: int) -> str:
    after, before = s[b:b + 45], s[max(0, a - 45):a]
    if _PER_MONTH.search(after) or _PRE_MONTH.search(before) or re.match(r"\s*(?:-\s?)?(?:per-month|a-month)\b", after, re.I):
        return "month"
    if _PER_YEAR.search(after) or _PRE_YEAR.search(before) or re.match(r"\s*(?:-\s?)?(?:annual|yearly|per-year|a-year)\b", after, re.I) or re.search(r"run[- ]rate\s+(?:of|at)\s*(?:about|roughly|approximately)?\s*$", before, re.I):
        return "year"
    return "total"


def _currency(cur: str) -> str:
    c = cur.upper().replace(" ", "")
    if c in ("$", "US$", "USD", "DOLLARS", "USDOLLARS", "U.S.DOLLARS"):
        return "USD"
    if c in ("€", "EUR", "EURO", "EUROS"):
        return "EUR"
    return "OTHER"


_WN = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a|an)"
# "one and a quarter billion dollars a month", "five and a half billion dollars", "north of a billion a month"
WORD_AMOUNT_RE = re.compile(
    r"(?<![\w$])(?P<w>" + _WN + r")(?:\s+and\s+a\s+(?P<frac>half|quarter)|\s+and\s+three\s+quarters)?\s+(?P<m>billion|million|trillion)"
    r"(?P<usd>\s+(?:US\s+|U\.S\.\s+)?dollars)?\b", re.I)
_WORD_VAL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
             "fifty": 50, "a": 1, "an": 1}
_MONEY_CTX = re.compile(r"\b(?=\w)(?:pay|pays|paying|paid|price[ds]?|costs?|worth|rent|fee|dollars|value[ds]?)\b", re.I)


# "9.7 billion over five years" (a transcript's digits, no currency): money
# when the sentence speaks of paying or of a contract, and no other unit follows.
_BARE_AMOUNT = re.compile(r"(?<![\w$.,])(?P<n>\d+(?:\.\d+)?)\s+(?P<m>billion|million|trillion)\b"
                          r"(?!\s+(?:dollars|US\s+dollars|euros?|pounds|yen|won|rupees|(?:[\w-]+\s+)?(?:GPUs?|chips|users|people|parameters|"
                          r"tokens|shares|hours|devices|units|customers|subscribers|queries|requests|downloads|images|words|miles|"
                          r"gallons|tons|tonnes|barrels|square|kilowatt|kWh|MWh|views|visitors|words|lines)\b))", re.I)
_BARE_CTX = re.compile(r"\b(?=\w)(?:pay|pays|paying|paid|worth|value[ds]?|contract|deal|agreement|commitment|committed|revenue|bucks|"
                       r"spend\w*|cost|costs|price[ds]?|lease|backlog|TCV|booked|bookings|over\s+\d+\s+years)\b", re.I)


_FOREIGN_BEFORE = re.compile(r"(?:[¥₹€£₩]|\b(?:SR|Dh|AED|RM|NOK|SEK|DKK|CHF|Rs\.?|INR|JPY|KRW|EUR|GBP|yen|won))\s*$")


def _bare_amounts(s: str, out: list[Amount]) -> None:
    for m in _BARE_AMOUNT.finditer(s):
        if any(a.start <= m.start() < a.end for a in out) or _FOREIGN_BEFORE.search(s, max(0, m.start() - 6), m.start()):
            continue
        a, b = m.start(), m.end()
        period = _period(s, a, b)
        if not (_BARE_CTX.search(s) or period != "total"):
            continue
        n = float(m.group("n")) * _MULT[m.group("m").lower()]
        amt = Amount(a, b, "", n, period)
        before = s[max(0, a - 40):a]
        if _BEFORE_MIN.search(before):
            amt.approx, amt.min = True, n
        elif _BEFORE_MAX.search(before):
            amt.approx, amt.max = True, n
        elif _BEFORE_APPROX.search(before):
            amt.approx = True
        amt.text = _fmt(n) + {"month": " per month", "year": " per year"}.get(period, "")
        out.append(amt)


def _word_amounts(s: str, out: list[Amount]) -> None:
    """Amounts spelt out in words: need "dollars" or a period plus money words."""
    for m in WORD_AMOUNT_RE.finditer(s):
        if any(a.start <= m.start() < a.end for a in out):
            continue
        a, b = m.start(), m.end()
        period = _period(s, a, b)
        if not m.group("usd") and not (period != "total" and _MONEY_CTX.search(s)):
            continue
        n = _WORD_VAL[m.group("w").lower()]
        frac = m.group("frac")
        n += 0.5 if frac == "half" else 0.25 if frac == "quarter" else 0.75 if "three quarters" in m.group().lower() else 0
        n *= _MULT[m.group("m").lower()]
        amt = Amount(a, b, "", n, period)
        before = s[max(0, a - 40):a]
        if _BEFORE_MIN.search(before):
            amt.approx, amt.min = True, n
        elif _BEFORE_MAX.search(before):
            amt.approx, amt.max = True, n
        elif _BEFORE_APPROX.search(before):
            amt.approx = True
        amt.text = _fmt(n) + {"month": " per month", "year": " per year"}.get(period, "")
        out.append(amt)


def find_amounts(s: str, spoken: bool = False) -> list[Amount]:
    """All money amounts in sentence ``s`` (USD and others; caller filters).
    ``spoken``: ``s`` had its numbers said in words ("nine point seven
    billion over five years"), where the currency often goes unsaid."""
    out: list[Amount] = []
    pos = 0
    while True:
        m = AMOUNT_RE.search(s, pos)
        if not m:
            break
        pos = m.end()
        if m.group("n3"):
            n1, mul1, cur = _num(m.group("n3")), m.group("m3"), m.group("cur3")
            n2 = mul2 = None
            plus = False
        else:
            n1, mul1, cur = _num(m.group("n1")), m.group("m1"), m.group("cur")
            n2 = _num(m.group("n2")) if m.group("n2") else None
            mul2 = m.group("m2")
            plus = bool(m.group("plus") or m.group("plus2"))
        if n1 is None:
            continue
        # "$1.25 billion-a-month": the 'b' of "billion" etc. Guard against
        # "$5 a month" style matches where [bmkt] swallowed a word start.
        mult = _MULT.get((mul1 or mul2 or "").lower(), 1.0)
        mult2 = _MULT.get((mul2 or mul1 or "").lower(), 1.0)
        a, b = m.start(), m.end()
        if n2 is not None and (
                (m.group("join").lower() == "and" and not re.search(r"between\s*$", s[max(0, a - 12):a], re.I))
                or (m.group("cur2") and _currency(m.group("cur2")) != _currency(cur))):
            # "$3 billion and €5 billion": two amounts, not a range.
            n2, mul2 = None, None
            mult = mult2 = _MULT.get((mul1 or "").lower(), 1.0)
            b = max(x for x in (m.end("n1"), m.end("m1"), m.end("plus")) if x is not None and x >= 0)
            pos = b
        if n2 is None and s[b - 1:b] == " ":
            b -= 1
        before = s[max(0, a - 40):a]
        amt = Amount(a, b, s[a:b].strip(), n1 * mult, _period(s, a, b), currency=_currency(cur))
        if n2 is not None and n2 * mult2 > n1 * mult:
            amt.min, amt.max, amt.approx = n1 * mult, n2 * mult2, True
        elif n2 is not None:
            continue  # "$5-a" oddities; not a range
        if plus:
            amt.approx, amt.min = True, amt.number
        if _BEFORE_MIN.search(before):
            amt.approx, amt.min = True, amt.number
        elif _BEFORE_MAX.search(before):
            amt.approx, amt.max = True, amt.number
        elif _BEFORE_APPROX.search(before):
            amt.approx = True
        amt.text = (_fmt(amt.number) if amt.min is None or amt.max is None
                    else _fmt(amt.min) + "-" + _fmt(amt.max)) + {"month": " per month", "year": " per year"}.get(amt.period, "")
        out.append(amt)
    if "illion" in s:
        _word_amounts(s, out)
        if spoken:
            _bare_amounts(s, out)
    for m in VAGUE_RE.finditer(s):
        mag = (m.group("mag") or m.group("mag2")).lower()
        unit = (m.group("unit") or m.group("unit2")).lower()
        cur = m.group("cur") or "dollars"
        base = 1e9 if unit == "billions" else 1e6
        lo = base * (10 if mag == "tens" else 100 if mag == "hundreds" else 12)
        hi = lo * 10
        a, b = m.start(), m.end()
        out.append(Amount(a, b, m.group().strip(), lo, _period(s, a, b), True, lo, hi,
                          _currency(cur)))
    out.sort(key=lambda x: x.start)
    return out
