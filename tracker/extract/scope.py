"""Scope of a figure: whole deal (None), initial contract, expansion,
cumulative total, option, phase or site. Read from the words just before the
figure (back to the previous figure) and a few words after it."""
from __future__ import annotations

import re
from typing import Optional

_OPTION = re.compile(r"\b(?=\w)(?:options?|if\s+(?:\w+\s+){0,4}(?:exercis\w*|expand\w*|acquir\w*|extend\w*)|would\s+(?:bring|take|rise|raise|increase|lift)|(?:can|may|could)\s+(?:also\s+)?(?:buy|acquire|purchase|add|contract)\s+(?:\w+\s+){0,2}?(?:additional|more|further)|could\s+(?:bring|rise|reach|grow|increase|expand)|may\s+(?:increase|rise|grow|expand)|potentially)\b", re.I)
_CUMUL = re.compile(r"\b(?=\w)(?:bring(?:s|ing)?|took|taking|lift(?:s|ing)?|rais(?:es|ing))\s+(?:the\s+|[\w']+\s+){0,2}(?:total|overall|cumulative|combined|aggregate)|\bcumulative|\bin\s+total\b|\bcombined\b|\baltogether\b|\bnow\s+(?:exceeds?|totals?|stands?|tops?)|\badd(?:s|ed)?\s+up\s+to|\b(?:takes?|took|taking|brings?|brought|bringing)\s+(?:it|them|that|this|the\s+(?:[\w-]+\s+){0,2}?(?:deal|contract|lease|commitment|agreement)s?)\s+to|\bfor\s+a\s+total\s+of|\bstands?\s+at\s+(?:the\s+full\s+)?|\btogether\s+with\b|\bto\s+date\b|\ball\s+told\b|\ball\s+in\b|\bwith\s+the\s+full\s+\d[\d,.]*\s*(?:MW|GW|megawatts|gigawatts)\b|\bacross\s+(?:the|all|its|their)\s+(?:two|three|four|five|\d+)\s+(?:leases|contracts|agreements|buildings|order\s+forms|deals)\b"
                    r"|\b(?:original|existing)\s+(?:\w+\s+){0,2}?(?:lease|agreement|contract)s?\s+and\s+(?:this|the)\s+(?:amendment|expansion)"
                    r"|^\W*total\s+(?:[\w-]+\s+){0,4}?(?:leased|contracted|committed)\b", re.I)
_EXPAN = re.compile(r"\b(?=\w)(?:expand(?:s|ed|ing)?\s+(?:[\w-]+\s+){0,6}?by|expansion\s+of|additional|another|add(?:s|ed|ing)?|add-on|extra|further|top-up|upsized?|increas(?:e|ed|es|ing)\s+(?:\w+\s+){0,3}by|follow-on|incremental|expansion\s+(?:premises|term|capacity|buildings?|sites?|phase|space|block|commencement))\b", re.I)
# "an initial term of five years" is about the term, not the first tranche of value.
_INITIAL = re.compile(r"\b(?=\w)(?:initial(?:ly)?(?!\s+(?:term|period|duration|tenor|length|contract\s+term))|original(?!\s+(?:term|period))|originally\s+(?:signed|agreed|valued|announced|contracted|struck|worth|set|inked|priced)|first\s+(?:signed|agreed|inked|struck|announced)|first\s+(?:contract|deal|agreement))\b", re.I)
_FIRST_FIG = re.compile(r"\b[Tt]he\s+first\s+(?:[~≈]\s?)?$")
_PHASE = re.compile(r"\b(?=\w)(?:phase|tranche|stage)\b", re.I)
_AFTER_EXP = re.compile(r"^\s*(?:[\w-]+\s+){0,1}?(?:expansion|add-on|top-up|upsizing|extension)\b", re.I)
_AFTER_OPT = re.compile(r"^[^.;]{0,40}?\b(?:if|should)\s+(?:\w+\s+){0,4}(?:exercis\w*|expand\w*|acquir\w*)\b|^[^.;]{0,20}\boptions?\b", re.I)


# "... $1 billion of annual revenue across the three leases / the full 800 MW"
_CUMUL_AFTER = re.compile(r"^[^.;]{0,40}?\bacross\s+(?:the|all|its|their)\s+(?:(?:two|three|four|five|\d+)\s+(?:leases|contracts|agreements|buildings|deals)|(?:full\s+)?\d[\d,.]*\s*(?:MW|GW|megawatts|gigawatts)\b)", re.I)


def scope_for(s: str, start: int, end: int, prev_end: int, next_start: int) -> Optional[str]:
    """Scope of the figure at s[start:end]; prev_end/next_start bound the
    context so a neighbouring figure's cue is not borrowed."""
    before = s[max(prev_end, start - 120):start]
    if re.match(r"(?:term|period|duration)\s+of\s", s[start:end], re.I) and re.search(r"\binitial\s*$", before, re.I):
        before = before[:before.lower().rfind("initial")]  # "an initial term of ten years": the term itself
    after = s[end:min(next_start, end + 60)]
    exercised = re.search(r"\b(?:exercised|exercising|took\s+up|taking\s+up|taken\s+up)\b", before, re.I)
    if exercised and _CUMUL.search(before[exercised.end():]):
        return "cumulative"  # "after taking up its last option, the commitment now stands at 800 MW"
    if not exercised and (_OPTION.search(before) or _AFTER_OPT.search(after)):
        return "option"
    if re.match(r"\s*more\b", after) and re.search(r"\badd(?:s|ed|ing)?\s+(?:up\s+to\s+|about\s+|roughly\s+|another\s+)?$", before, re.I):
        return "expansion"  # "OpenAI added up to $4 billion more in May"
    if _CUMUL.search(before) or re.match(r"^\s*(?:in\s+)?cumulative\b", after, re.I) or _CUMUL_AFTER.match(after):
        return "cumulative"
    if exercised:
        return "expansion"
    if _AFTER_EXP.search(after) or _EXPAN.search(before[-70:]):
        return "expansion"
    if _FIRST_FIG.search(before) or re.match(r"first\s", s[start:end], re.I):
        return "phase"  # "the first 1 gigawatt", "the first 200 MW": a first phase
    if _INITIAL.search(before) or re.match(r"^\s*(?:initial|original)\b", after, re.I):
        return "initial"
    if _PHASE.search(before[-60:]):
        return "phase"
    return None
