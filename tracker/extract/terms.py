"""Contract terms: start, end, length in years, termination notice, ramp.

Dates are reduced to "YYYY" or "YYYY-MM". Only dates introduced by a start or
end cue count, so a filing's "three months ended September 30" or a
dateline never becomes a term.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
_MON_ABBR = {k[:3]: v for k, v in _MONTHS.items()}
_MON_ABBR["sept"] = 9
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_DATE = (r"(?:(?:the\s+)?(?:(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:quarter|half)\s+of\s+|Q[1-4]\s+|H[12]\s+|"
         r"(?:early|mid|late|the\s+end\s+of|end\s+of|the\s+start\s+of|the\s+beginning\s+of|fiscal(?:\s+year)?)[\s-]+|FY\s?)?"
         r"(?P<mon>" + _MON + r")?(?:(?<=[A-Za-z.])-|\s*)(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?P<year>(?:19|20)\d\d))(?![\d])(?!E\b|e\b)")

_END_RE = re.compile(
    r"\b(?P<cue>through|thru|until|till|to|ending\s+in|ends\s+in|end\s+in|expir(?:es|ing|e)\s+in|expir(?:es|ing|e)|"
    r"runs?\s+(?:through|until|to|into)|running\s+(?:through|until|to)|term\s+ending|terminates\s+in)\s+"
    + _DATE, re.I)
# "from 2026 to 2031", "2026-2031 contract"
_SPAN_RE = re.compile(r"\bfrom\s+(?:" + _MON + r"\s+)?(?:19|20)\d\d\s+(?:to|through|until)\s+" + _DATE, re.I)
_START_RE = re.compile(
    r"\b(?P<cue>begin(?:s|ning)?|start(?:s|ing)?|first\s+(?:rent|revenue|billing|invoices?|payments?)|commenc(?:e|es|ing|ement(?:\s+date)?)|starts?\s+up|com(?:e|es|ing)\s+online|"
    r"online|effective|kick(?:s|ing)?\s+off|from|as\s+of|(?:go|goes|going|went|gone|be|is|are)\s+live|live\s+for|"
    r"due\s+for\s+completion|ready|arriv(?:e|es|ing|al)|deliver(?:y|ies|ed)|energi[sz](?:e|ed|ing)|switch(?:ed)?\s+on|"
    r"enter(?:s|ed)?\s+service|(?:be|become|is|are)\s+available|slated|came\s+online|hand(?:ed)?\s+over|handed\s+to|handover|"
    r"not\s+(?:due|expected|scheduled|slated|ready|online|live|available)\s+(?:\w+\s+)?until|(?:begin|start)\s+operating|operational|"
    r"deliver(?:s|ing)?\s+(?:the\s+)?first|(?:placed|put)\s+in(?:to)?\s+service|kick(?:s|ing|ed)?\s+in|"
    r"commencement\s+date[^.;]{0,80}?\b(?:to\s+occur|will\s+(?:occur|fall|be))\b)\b(?![-‐])(?P<gap>[^.;]{0,60}?)\b(?:in|from|on|by)?\s*" + _DATE, re.I)
_PART_OF_YEAR = re.compile(r"\b(?:quarter|half|early|mid|late|end|Q[1-4]|H[12])\b", re.I)
_NOT_END_CTX = re.compile(r"\b(?=\w)(?:deploy\w*|deliver\w*|roll\w*\s+out|phases?|install\w*|built|construct\w*|guidance|forecast|season|fiscal|"
                          r"tranches?|stages|arriv\w*|exercisable|rights)\b[^.;]{0,40}$", re.I)

_NUMWORD = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
            "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90, "forty-five": 45,
            "one hundred twenty": 120, "one hundred eighty": 180, "eighteen": 18, "twenty-four": 24,
            "thirty-six": 36, "forty-eight": 48}
_NW = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
_DEAL_NOUN = r"(?:contract|deal|agreement|term|lease|pact|commitment|partnership|arrangement|period|order|MSA|tenure)"
_TERM_RE = re.compile(
    r"\b(?P<n1>" + _NW + r")[\s-](?:years?|yrs?)(?:[\s-]long)?\b(?=(?:[^.;]|\.\d){0,40}?\b" + _DEAL_NOUN + r")"
    r"|\b(?:over|for|across|spanning|during|lasting|lasts|ran|runs|run|running|covering|term\s+of|period\s+of|duration\s+of)\s+(?:the\s+next\s+|a\s+(?:period|term)\s+of\s+|about\s+|roughly\s+|approximately\s+|around\s+|nearly\s+)?"
    r"(?:(?P<n2>" + _NW + r")(?:\s+\(\d{1,2}\))?|\((?P<n3>\d{1,2})\))\s+years?\b(?!['’]\s*(?:time|notice))"
    r"|^\s*(?P<n4>\d{1,2})\s*(?:yrs?|years?)\.?\s*$"
    # "Term: 5 years", "Duration: five years, starting ...": a labelled field
    r"|\b(?:term|duration|tenor|length|contract\s+length|initial\s+term)\s*:\s*(?:about\s+|approximately\s+|roughly\s+|~\s?)?(?P<n8>" + _NW + r")[\s-]*(?:years?|yrs?)\b"
    r"|(?<=/)\s*(?P<n6>\d{1,2})\s*(?:yrs?|years?|y)\b|\b(?P<n9>\d{1,2})[\s-]?yrs?\b(?!\s+(?:ago|old|later|earlier))|\b(?P<n7>\d{1,2})\s?(?:y|yr)\s+(?:term|deal|contract|lease)\b"
    r"|\b(?:term|tenure|duration)\s+(?:of\s+(?:the|this|each)\s+(?:[\w-]+\s+){0,2}?(?:lease|contract|agreement|deal|order(?:\s+form)?)\s+)?(?:is|was|will\s+be|would\s+be)\s+"
    r"(?:about\s+|roughly\s+|approximately\s+)?(?P<n5>" + _NW + r")(?:\s+\(\d{1,2}\))?\s+years?\b", re.I)
_TERM_MONTHS = re.compile(
    r"\b(?P<m1>\d{1,3}|six|nine|twelve|eighteen|twenty-four|thirty|thirty-six|forty-eight|sixty)[\s-]months?(?:[\s-]long)?\s+"
    r"(?:initial\s+|base\s+|fixed\s+|minimum\s+|reserved\s+|dedicated\s+|committed\s+|GPU\s+|compute\s+|cloud\s+){0,2}"
    r"(?:term|contract|agreement|lease|deal|commitment|engagement|reservation|cluster|order)\b"
    r"|\b(?:six|nine|twelve|eighteen|twenty-four|thirty|thirty-six|forty-eight|sixty)\s+\((?P<m5>\d{1,3})\)\s+months\s+(?:from|following|after|commencing|beginning)\b"
    r"|\bfor\s+(?P<m4>six|nine|twelve|eighteen|twenty-four|thirty-six|forty-eight|sixty|\d{1,2})(?:\s+\(\d{1,3}\))?\s+months\b(?!\s+(?:ago|earlier|before|after|now))"
    r"|\b(?:term|period)\s+of\s+(?:(?:twelve|eighteen|twenty-four|thirty|thirty-six|forty-eight|sixty)\s+\((?P<m3>\d{1,3})\)|(?P<m2>\d{1,3}|twelve|eighteen|twenty-four|thirty-six))\s+months\b", re.I)
_NOTICE_RE = re.compile(
    r"\b(?:(?P<w>" + r"ninety|sixty|thirty|forty-five|one\s+hundred\s+(?:twenty|eighty)" + r")\s*(?:\((?P<p>\d+)\)\s*)?|(?P<n>\d{1,3}))"
    r"[\s-]days?(?:['’]s?)?\s+(?:(?:prior|advance|written|of)\s+)*(?:written\s+)?(?:notice|termination|cancell?ation|exit)"
    r"|\bnotice\s+(?:period\s+)?of\s+(?:(?P<n2>\d{1,3})|(?P<w2>ninety|sixty|thirty))\s+days"
    r"|\b(?P<mo>\d{1,2}|one|two|three|four|six|twelve)[\s-]months?(?:['’]s?)?\s+(?:(?:prior|advance|written|of)\s+)*(?:notice|termination)", re.I)
_RAMP_RE = re.compile(
    r"\b(?:(?:reduced|discounted|lower|introductory|partial|ramp(?:ed)?(?:-up)?|free|waived|smaller)\s+"
    r"(?:rate|fee|fees|price|pricing|payments?|charges?|monthly\s+fee|amount)s?"
    r"(?:\s+(?:during|for|in|over))?\s+(?:the\s+)?(?:first|initial|opening)\s+(?:\w+\s+){0,2}(?:days?|weeks?|months?|quarters?|year)"
    r"|ramp(?:-|\s)?up\s+(?:period|phase)[^.;]{0,60}"
    # "the monthly fee is reduced by 40% for the first three months", "fees are halved for the first two months",
    # "discounted 10% for the first twelve months", "half the regular monthly fee during the first three months"
    r"|(?:(?:monthly\s+)?(?:fees?|rate|rent|price|charges?|payments?)\s+(?:\w+\s+){0,2}?)?(?:reduced|discounted|halved|cut|lowered|waived|abated)"
    r"(?:\s+(?:by\s+)?(?:\d{1,2}(?:\.\d)?\s?%|half|a\s+(?:third|quarter)))?\s+(?:during|for|in|over)\s+(?:the\s+)?(?:first|initial|opening)\s+(?!time\b)(?:[\w-]+\s+){0,2}"
    r"(?:days?|weeks?|months?|quarters?|year)\b[^.;]{0,60}"
    r"|\bhalf\s+(?:the\s+)?(?:regular\s+|normal\s+|standard\s+|contracted\s+)?(?:monthly\s+)?(?:fee|rate|rent|price)s?\s+(?:during|for|in)\s+(?:the\s+)?first\s+(?:[\w-]+\s+){0,2}(?:months?|weeks?|quarters?)[^.;]{0,40}"
    r"|\b(?:[\w-]+\s+){1}(?:months?|weeks?)\s+of\s+(?:free|reduced|discounted)\s+(?:rent|fees?|service)[^.;]{0,60}"
    r"|(?:first|initial)\s+(?:\w+\s+){0,2}(?:months?|weeks?|quarters?)\s+(?:will\s+be\s+|are\s+|is\s+)?(?:billed|charged|priced|discounted|free)[^.;]{0,40})", re.I)


@dataclass
class TermFact:
    start: int
    end: int
    field: str
    value: str
    number: Optional[float] = None
    approx: bool = False


def _date_val(m: re.Match[str]) -> str:
    y = m.group("year")
    mon = m.group("mon")
    if mon:
        k = mon.lower().rstrip(".")
        n = _MONTHS.get(k) or _MON_ABBR.get(k[:4] if k.startswith("sept") else k[:3])
        if n:
            return f"{y}-{n:02d}"
    return y


def _n(tok: Optional[str]) -> Optional[int]:
    if not tok:
        return None
    t = re.sub(r"\s+", " ", tok.lower())
    if t.isdigit():
        return int(t)
    return _NUMWORD.get(t)


def _has(low: str, words: tuple[str, ...]) -> bool:
    return any(w in low for w in words)


_END_W = ("through", "thru", "until", "till", "end", "expir", "run", "terminat", " to ")
_START_W = ("begin", "start", "commenc", "online", "effective", "kick", "from", "as of", "live", "complet", "ready", "arriv",
            "deliver", "operat", "hand", "first r", "first b", "first i", "first p", "energi", "switch", "service",
            "available", "slated", "came online", "placed in", "put in", "commencement", "not due", "not expected", "not scheduled")
_TERM_W = ("year", "yr", "month", "y term", "y deal", "y contract", "y lease", "/")
_NOTICE_W = ("notice", "termination", "cancel", "exit")
_RAMP_W = ("reduced", "discount", "lower", "introductory", "partial", "ramp", "free", "waived", "smaller", "halved", "half",
           "abated", " cut ",
           "billed", "charged", "priced")


def find_terms(s: str, table_cell: bool = False) -> list[TermFact]:
    out: list[TermFact] = []
    low = " " + s.lower() + " "
    has_year = bool(re.search(r"(?:19|20)\d\d", s))
    if has_year and _has(low, _END_W):
        _ends(s, out, table_cell)
    if has_year and _has(low, _START_W):
        _starts(s, out)
        starts = [f for f in out if f.field == "start"]
        if len(starts) > 1:
            # "handed over during 2026, and rent kicks in in August 2026": the
            # finer date of the same year says more.
            fine = {f.value[:4] for f in starts if len(f.value) > 4}
            out[:] = [f for f in out if not (f.field == "start" and len(f.value) == 4 and f.value in fine
                                             and not _PART_OF_YEAR.search(s, f.start, f.end))]
    if _has(low, _TERM_W):
        _years(s, out, table_cell)
    if _has(low, _NOTICE_W):
        _notices(s, out)
    if _has(low, _RAMP_W):
        for m in _RAMP_RE.finditer(s):
            out.append(TermFact(m.start(), m.end(), "ramp", m.group().strip()))
    if _has(low, _PHASE_W) and not any(f.field == "ramp" for f in out):
        m = _RAMP_PHASED.search(s)
        if m:
            out.append(TermFact(m.start(), m.end(), "ramp", m.group().strip(" ,;")))
    return out


# A delivery schedule: "the first tranche goes live before the end of this
# year, and the remaining tranches follow through 2026", "phased through
# 2026", "deploy it over roughly the next three months".
_PHASE_W = ("tranche", "phase", "stage", "remaining", "the rest", "first ", "over the next", "within the next", "over roughly")
_RAMP_PHASED = re.compile(
    r"\b(?:the\s+)?(?:first|initial)\s+(?:[\w,.-]+\s+){0,3}?(?:tranches?|phases?|build(?:ing)?s?|halls?|blocks?|racks|capacity|MW|GPUs|deliver(?:y|ies))\b"
    r"[^.;]{0,140}?\b(?:remaining|the\s+rest|remainder|further|subsequent|second(?!\s+(?:half|quarter))|full|all)\b[^.;]{0,80}?(?:(?:19|20)\d\d|months?|quarters?)\b"
    r"|\b(?:phased|staged|deployed\s+in\s+phases|in\s+(?:stages|phases|tranches))\s+(?:in\s+)?(?:through|over|during|until|into)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:19|20)\d\d\b"
    r"|\b(?:deploy|deliver|bring\s+online)\w*\s+(?:it\s+|the\s+capacity\s+)?(?:over|within)\s+(?:roughly\s+|about\s+)?(?:the\s+next\s+)?(?:\w+\s+)?(?:months?|weeks?)\b", re.I)


def _ends(s: str, out: list[TermFact], table_cell: bool) -> None:
    for m in _END_RE.finditer(s):
        cue = m.group("cue").lower()
        if cue == "to" and not table_cell:
            continue
        if cue in ("through", "thru", "until", "till") and _NOT_END_CTX.search(s[max(0, m.start() - 60):m.start()]):
            continue
        if cue in ("until", "till") and re.search(r"\bnot\s+(?:due|expected|scheduled|slated|ready|online|live|available)\s+(?:\w+\s+)?$",
                                                  s[max(0, m.start() - 40):m.start()], re.I):
            continue  # "the first hall is not due until 2027": when it starts
        out.append(TermFact(m.start(), m.end(), "term_end", _date_val(m)))


def _starts(s: str, out: list[TermFact]) -> None:
    for m in _SPAN_RE.finditer(s):
        if not any(f.field == "term_end" and f.start <= m.start("year") < f.end for f in out):
            out.append(TermFact(m.start(), m.end(), "term_end", _date_val(m)))
    pos = 0
    while True:
        # A rejected cue ("from a new facility in Ohio, ... 2026") must not hide a
        # later one in the same span ("arriving in the second half of 2026").
        m = _START_RE.search(s, pos)
        if m is None:
            break
        pos = m.end("cue")
        cue = m.group("cue").lower()
        gap = m.group("gap") or ""
        if cue in ("from", "as of", "effective") and gap.strip() and not re.fullmatch(r"\s*\d{1,2}(?:st|nd|rd|th)?\s*", gap):
            continue
        if cue == "as of" and not re.search(r"\b(?:effective|start|begin|commenc)", s, re.I):
            continue  # "590 MW of active power as of September 30": a reporting date
        if re.search(r"\b(?:close|closing|ended|ending|through|until|revenue|rose|fell)\b", gap, re.I):
            continue
        if cue == "from" and re.search(r"\b(?:EBITDA|revenue|earnings|margins?|cash\s+flows?|profits?|sales|dividends?)\b[^.;]{0,30}$", s[max(0, m.start() - 40):m.start()], re.I):
            continue  # "EBITDA of ~US$190M from 2029": a forecast, not the deal's start
        if cue.startswith("deliver") and re.search(r"\bby\b", s[m.end("cue"):m.end()], re.I):
            continue  # "with the full 200 MW delivered by the end of 2027": completion, not start
        if cue == "online" and not re.search(r"\b(?:bring|brings|bringing|brought|come|comes|coming|go|goes|going|be|is|are|capacity|compute)\b[^.;]{0,50}$", s[max(0, m.start() - 60):m.start()], re.I):
            continue
        pos = m.end()
        out.append(TermFact(m.start(), m.end(), "start", _date_val(m)))


def _years(s: str, out: list[TermFact], table_cell: bool) -> None:
    for m in _TERM_RE.finditer(s):
        n = _n(m.group("n1") or m.group("n2") or m.group("n5") or m.group("n6") or m.group("n7") or m.group("n8") or m.group("n9")) or _n(m.group("n3")) \
            or (_n(m.group("n4")) if table_cell else None)
        if not n or n > 30:
            continue
        before = s[max(0, m.start() - 25):m.start()]
        approx = bool(re.search(r"(?:about|roughly|approximately|around|nearly|some)\s*$", before, re.I)) or \
            bool(re.search(r"\b(?:about|roughly|approximately|around|nearly)\s+", m.group(), re.I))
        if re.search(r"\b(?:ago|old|earlier|later|since)\b", s[m.end():m.end() + 12], re.I):
            continue
        if not s[:m.start()].strip(" \"“'") and m.group().lower().startswith("for "):
            continue  # "For six years, the simplest way to describe ...": time past, not a term
        out.append(TermFact(m.start(), m.end(), "term_years", _year_text(n), float(n), approx))
    if "month" in s:
        for m in _TERM_MONTHS.finditer(s):
            n = _n(m.group("m1") or m.group("m2") or m.group("m3") or m.group("m4") or m.group("m5"))
            if m.group("m4") and re.search(r"\b(?:has|have|had)\s+been\b[^.;]{0,50}$", s[:m.start()], re.I):
                continue  # "has been marketing it for eighteen months": time past
            if n and n >= 6 and n <= 360:  # "a 24-month term": two years
                out.append(TermFact(m.start(), m.end(), "term_years", _year_text(n / 12), n / 12))


def _year_text(n: float) -> str:
    return f"{n:g} year" + ("" if n == 1 else "s")


def _notices(s: str, out: list[TermFact]) -> None:
    for m in _NOTICE_RE.finditer(s):
        n = _n(m.group("p")) or _n(m.group("n")) or _n(m.group("w")) or _n(m.group("n2")) or _n(m.group("w2"))
        if not n and m.group("mo"):
            n = (_n(m.group("mo")) or 0) * 30
        if not n:
            continue
        out.append(TermFact(m.start(), m.end(), "termination_notice_days", f"{n} days", float(n)))
