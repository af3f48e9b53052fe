"""Which figures in a deal sentence are the deal's, and turning them into claims.

Split from the orchestration in `__init__`: these are the per-figure tests
(money that is funding, revenue, capex or another deal's; a third company in
the clause; the provider's own use) that decide precision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..models import ExtractedClaim
from .companies import Mention, Registry, find_mentions, registry
from .hardware import facility_owners
from .roles import DEAL_NOUN, is_hw_adjective

_NEG_BEFORE = re.compile(
    r"\b(?:valu(?:ation|ed|ing)|(?:round|Series\s+[A-Z]|funding|financing|investment|deal)\s+values\s+(?:\w+\s+){0,3}?at|raise[ds]?|raising|funding|round|invest(?!ors?\b)\w*|stake|market\s+(?:value|cap\w*)|"
    r"shares?|stock|IPO|capex|capital\s+expenditures?|price\s+target|revenue|sales|profit|loss|EBITDA|"
    r"earnings|backlog|debt|bonds?|loans?|financ\w*|guidance|guid(?:e|es|ed|ing)|forecast|ARR|target|net\s+income|cash|sold|selling|"
    r"backstop\w*|guarant\w*|capital\s+spending|spending\s+plan|budget|performance\s+obligations|RPO|bookings|run-rate|"
    r"market\s+(?:size|opportunity)|addressable\s+market|TAM|sav(?:e|es|ed|ing|ings)|(?:will|to|plans\s+to|would)\s+(?:invest|spend)\s+(?:up\s+to\s+|about\s+|some\s+)?(?=[$€£])|"
    r"worth\s+of\s+(?:shares|stock)|(?:purchase|buy|acquire)\s+(?:[\w,-]+\s+){0,5}?(?:GPUs|servers|equipment|chips|hardware|racks)\b|contract\s+liabilit\w*|deferred\s+revenue|customer\s+deposits?|deposits?\s+of|prepayments?|revenue\s+recogni[sz]ed|recogni[sz]ed\s+revenue|not\s+yet\s+commenced|lease\s+(?:cost|expense|liabilit\w*)|depreciation|amortization|impairment|construction\s+costs?|(?:development|project|build(?:ing)?)\s+costs?|cost\s+of\s+(?:the\s+|building\s+)|fit-?out|build-?out|(?:intends?|plans?|expects?)\s+to\s+fund|fund(?:s|ed|ing)?\s+the\s+(?:purchase|acquisition|construction|build)|indebtedness|acquisition|all-stock|buyout|prize|fine[ds]?|penalt\w*|salary|compensation)\b[^$€£]{0,50}$", re.I)
# A deal noun bound to the figure ("an arrangement worth", "a contract valued at").
_DEAL_WORTH = re.compile(r"\b(?:deal|contract|agreement|pact|arrangement|lease|commitment)s?\s+(?:[\w-]+\s+){0,2}?"
                         r"(?:worth|valued\s+at|totall?ing)\s+(?:about\s+|roughly\s+|around\s+|some\s+|up\s+to\s+|nearly\s+|approximately\s+|~\s?)?(?:US)?$", re.I)
_NEG_AFTER = re.compile(
    r"^[^$€£;]{0,35}?\b(?:Series\s+[A-H]\b|seed\s+round|(?:asset-backed|credit|debt|loan|term\s+loan|revolving)\s+(?:facility|financing|notes)|valuation|in\s+(?:funding|financing|new\s+capital|debt)|round|to\s+(?:its|their)\s+market\s+value|"
    r"market\s+(?:value|cap)|of\s+(?:revenue|sales)|in\s+(?:revenue|sales)|on\s+capital\s+expenditures?|"
    r"capex|in\s+capital\s+spending|stake|investment|in\s+(?:quarterly|annual|yearly)\s+(?:revenue|sales)|(?:a|per|each)\s+quarter\b|(?:all-stock\s+|cash\s+|takeover\s+)?(?:offer|bid)\s+for|to\s+licen[sc]e|of\s+ARR|ARR|per\s+(?:card|share|unit|chip|GPU|hour|GPU-hour|rack|server|node)|"
    r"of\s+(?:convertible\s+|senior\s+|new\s+)?(?:notes|bonds|debt|equity|preferred)|"
    r"of\s+(?:[A-Z]\w+\s+)?(?:kit|gear|equipment|servers|hardware)|for\s+(?:the\s+)?(?:purchase|acquisition|construction|build-?out)\s+of|"
    r"(?:primarily|mainly|mostly|largely|chiefly)\s+for\s+(?:computer\s+|network(?:ing)?\s+|server\s+|IT\s+)?(?:hardware|equipment)|"
    r"an\s+hour|(?:term\s+|construction\s+|bridge\s+|secured\s+|senior\s+)?loans?|(?:credit|debt)\s+facility|bonds?|notes\s+(?:offering|due)|"
    r"(?:debt|equity|project|lease)\s+financing|(?:on|in|into|to\s+build(?:\s+out)?)\s+(?:[\w.,-]+\s+){0,4}?(?:data\s+cent(?:er|re)s?|campus(?:es)?|facilit(?:y|ies)|"
    r"construction|build-?outs?|sites?)(?!\s+(?:deal|contract|agreement|lease|pact)))\b", re.I)
_HW_BUY = re.compile(r"\b(?:buy|buys|bought|buying|purchas(?:e|es|ed|ing)|order(?:s|ed)?|acquir(?:e|es|ed|ing))\b", re.I)
_PLAN_BEFORE = re.compile(r"\b(?:plans?|aims?|ambitions?|target|goal|roadmap)\s+(?:to|of|for)\b[^.;]{0,80}$", re.I)
_AGGREGATE = re.compile(r"\b(?=\w)(?:overall|in\s+aggregate|and\s+other\s+(?:customers|clients|tenants)|across\s+(?:the|all|its|their)\s+(?!(?:(?:two|three|four|five|\d+|[\w-]+-year|initial|base)\s+)*(?:leases|contracts|agreements|phases|buildings|terms?|tranches|order\s+forms)\b)\w+|combined\s+market|altogether|add(?:s|ing)?\s+(?:it\s+|them\s+)?up(?!\s+to\b)|add\s+(?:the|all|up\s+the)\s+(?:[\w-]+\s+)?(?:values|items|deals|contracts|figures)|running\s+total|total\s+(?:compute\s+|cloud\s+)?commitments|commitments\s+to\s+(?:such|these|those|other|all)\s+(?:[\w-]+\s+)?(?:providers|companies|neoclouds|suppliers|clouds)|(?:commitments|deals|contracts)\s+in\s+total|of\s+which\s+[\w.-]+\s+(?:accounts\s+for\s+)?~?\d+(?:\.\d+)?\s?%)", re.I)

@dataclass
class _Fig:
    field: str
    start: int
    end: int
    value: str
    number: Optional[float] = None
    unit: Optional[str] = None
    period: Optional[str] = None
    approx: bool = False
    min: Optional[float] = None
    max: Optional[float] = None
    maker: Optional[str] = None  # model's maker


def foreign_in(clause: str, deal: tuple[str, str], ms: Optional[list[Mention]] = None, s: str = "", off: int = 0) -> bool:
    """True if the clause names a company other than the deal's parties and
    names neither party (the figure then belongs to that other company).
    ``ms``: the sentence's mentions inside the clause (``clause`` starts at
    ``off`` in sentence ``s``), to avoid finding them again."""
    if ms is None:
        reg = registry()
        names = {m.name for m in find_mentions(clause, None, reg) if not is_hw_adjective(clause, m)}
    else:
        names = {m.name for m in ms if not m.pronoun and not is_hw_adjective(s, m)}
    return bool(names) and not (names & set(deal))


def _own_use(s: str, deal: tuple[str, str]) -> bool:
    """The sentence is about a party's own models that the deal does not
    serve ("xAI will keep training its own Grok models at Colossus 2")."""
    reg = registry()
    for m in reg.family_re.finditer(s):
        fam = m.group()
        if reg.model_owner.get(fam.lower(), deal[0]) != deal[0] and not s[m.end():m.end() + 1].isalnum():
            return True
    return False


# A company's own period figures ("reported third-quarter revenue of").
_COMPANY_PERIOD = re.compile(r"\b(?=\w)(?:reported|quarter(?:ly)?|fiscal|full-year|year-earlier|total|its\s+(?:\w+\s+)?revenue|"
                             r"guid\w*|run-rate|annuali[sz]ed)\b", re.I)
_VALUE_CUE = re.compile(r"\b(?=\w)(?:pay|paying|paid|spend|commit\w*|size|value[ds]?|worth|TCV|priced|costs?|(?:base\s+|aggregate\s+|total\s+|annual\s+|monthly\s+)rent|rent\s+payments?|lease\s+payments?|fees\s+payable|contract(?:ed)?\s+(?:base[\s-]term\s+)?(?:revenue|rent|value)|base[\s-]term\s+rent|top-?ups?|add-?ons?|added\s+(?:up\s+to\s+|about\s+|another\s+|roughly\s+)?\$)\b", re.I)


# "the cost of building a gigawatt ... at $50bn", "$10bn per gigawatt": unit
# economics, not a deal's figures.
_UNIT_COST = re.compile(r"\b(?=\w)(?:(?:cost|price|costs)\s+(?:of\s+|to\s+)?(?:building\s+|build\s+|buy(?:ing)?\s+|deploying\s+)?"
                        r"(?:a|one|each|per|every)\s+(?:gigawatt|megawatt|GW|MW|GPU|chip|rack)|per\s+(?:gigawatt|megawatt|GW|MW)(?:-year)?|(?<=/)(?:MW|GW)(?:-?yr|-year)?|"
                        r"industry\s+estimates?)\b", re.I)


# Market context, hardware in general, a provider's own fleet, a campus
# without a named tenant: figures not about any one deal.
_GENERIC = re.compile(r"\b(?=\w)(?:(?:the|a)\s+(?:report|study|survey|index)\s+(?:found|said|says|shows|showed|estimates)|"
                      r"according\s+to\s+(?:a|the)\s+(?:market\s+)?(?:study|report|survey)|(?:rental|spot|list|market)\s+prices?|"
                      r"in\s+high\s+demand|demand\s+for\s+(?:its|their|the|Nvidia's|\w+'s)\s+(?:[\w-]+\s+){0,2}?(?:chips|GPUs|TPUs|processors|accelerators|hardware)|"
                      r"sold\s+out|installed\s+base|also\s+(?:runs|operates|owns|has)\s+(?:\w+\s+){0,2}?(?:data\s+cent(?:er|re)s|sites|campuses|facilities)|(?:across|in)\s+(?:its|their|our)\s+(?:entire\s+|global\s+|whole\s+)?fleet|"
                      r"without\s+naming\s+(?:a|an|the|its)\s+(?:tenant|customer|client)|has\s+not\s+(?:named|disclosed|identified)\s+(?:a|an|the|its)\s+(?:tenant|customer)|"
                      r"(?:single|each|every)\s+(?:[\w-]+\s+){0,2}?(?:rack|server|GPU|chip|node|card)s?\s+(?:now\s+|currently\s+)?(?:costs?|sells?|lists?|rents?\s+for|is\s+priced))\b", re.I)
_SEPARATE = re.compile(r"\b(?:under|in|through|via)\s+(?:a|an)\s+separate\s+(?:[\w$.,-]+\s+){0,3}?(?:deal|agreement|contract|arrangement|pact|lease)\b", re.I)
_POLITICAL_AFTER = re.compile(r",?\s+where\s+(?:\w+\s+){0,2}?(?:lawmakers|legislators|regulators|officials|politicians|senators|"
                              r"investors|analysts|critics|protesters|residents)\b", re.I)
_POLITICAL_BEFORE = re.compile(r"\b(?:watched|lawmakers|legislators|regulators|officials|politicians|lobbying|hearings?|"
                               r"headquartered|incorporated|listed|traded)\s+(?:\w+\s+){0,2}?(?:in|at)\s+(?:the\s+)?$", re.I)
_CONSTRUCTION = re.compile(r"\b(?=\w)(?:construction|groundbreaking|break\s+ground|broke\s+ground)\b[^.;]{0,50}$", re.I)


_EQUITY_AFTER = re.compile(r"\s+(?:worth\s+)?of\s+(?:[\w'.-]+\s+){0,2}?(?:stock|shares|equity|warrants)\b", re.I)
_INVEST = re.compile(r"\b(?=\w)(?:(?P<put>(?:put|puts|putting|pour(?:s|ed|ing)?|inject(?:s|ed|ing)?)\s+(?:up\s+to\s+|as\s+much\s+as\s+|about\s+|some\s+)?"
                     r"(?:US)?\$?\d[^.;]{0,80}?\binto\b)|(?:is|was|as|be)\s+an\s+(?:equity\s+)?investment\b|an\s+investment\s+rather\s+than)", re.I)
_PART_OF = re.compile(r"\bonly\s+(?:a\s+)?(?:part|portion|fraction|slice)\s+of\s+(?:it|that|this|the)\b|"
                      r"\b(?:not|isn't|is\s+not)\s+(?:part\s+of|included\s+in|covered\s+by)\s+(?:the|its|their|this)\b|"
                      r"\b(?:the|this)\s+program(?:me)?(?:'s)?\s+(?:(?:now\s+)?counts|(?:stated\s+)?(?:goal|target|total)|as\s+a\s+whole)\b", re.I)
_OTHERS = re.compile(r"\b(?=\w)(?:and\s+other\s+(?:customers|clients|tenants|buyers)|"
                     r"(?:from|with|across)\s+(?:two|three|four|five|several|multiple|various|\d)\s+(?:[\w-]+\s+)?"
                     r"(?:suppliers|providers|vendors|companies|partners|deals)|"
                     r"between\s+(?:three|four|five|several|multiple|various|\d)\s+(?:[\w-]+\s+)?(?:suppliers|providers|vendors|companies|partners)|"
                     r"between\s+two\s+(?:[\w-]+\s+)?(?:suppliers|providers|vendors))\b", re.I)


def _pattern_of(rx: re.Pattern[str]) -> str:
    return rx.pattern


# One scan per sentence for the sentence-level precision cues of _keep (named
# groups), instead of one search per cue and per figure.
_SENT_CUES = re.compile("|".join(f"(?P<{name}>{_pattern_of(rx)})" for name, rx in (
    ("oth", _OTHERS), ("unit", _UNIT_COST), ("part", _PART_OF), ("agg", _AGGREGATE), ("gen", _GENERIC))), re.I)


@lru_cache(maxsize=256)
def _sent_cues(s: str) -> frozenset[str]:
    return frozenset(m.lastgroup for m in _SENT_CUES.finditer(s))


@lru_cache(maxsize=256)
def _invest_spans(s: str) -> tuple[tuple[int, int, bool], ...]:
    if "invest" not in s and "into" not in s:
        return ()
    return tuple((m.start(), m.end(), bool(m.group("put"))) for m in _INVEST.finditer(s))


# A company's own spending plan or borrowing, and an earlier value of a
# company metric, are never a deal's figures.
_SPEND_BEFORE = re.compile(r"\b(?:(?:will|to|would|could|plans?\s+to|expects?\s+to|expected\s+to|set\s+to|intends?\s+to)\s+(?:invest|spend)|"
                           r"(?:drawn|drew|draws|borrow(?:s|ed|ing)?)(?:\s+down)?)\s+(?:(?:up\s+to|about|some|roughly|around|nearly|"
                           r"more\s+than|over|as\s+much\s+as|an\s+additional|another)\s+)?$", re.I)
_SITE_TOTAL = re.compile(r"\b(?=\w)(?:room\s+for|as\s+a\s+whole|design\s+capacity|(?:was|is|were)\s+designed\s+for|(?:can|could|may|might)\s+(?:eventually\s+|ultimately\s+)?(?:scale|grow|expand)\s+to|designed\s+to\s+(?:scale|reach|grow|accommodate|support|hold|house)|"
                         r"(?:scale|grow|expand)\s+to\s+(?:as\s+much\s+as|up\s+to)|potential\s+(?:capacity|power)|approved\s+power|"
                         r"(?:is|are|was)\s+planned\s+(?:at|for\s+up\s+to)|(?:campus|site|development|complex)\s+(?:is|was)\s+(?:about\s+|roughly\s+|~\s?)?(?=\d)|"
                         r"could\s+(?:eventually\s+|ultimately\s+)?(?:reach|grow\s+(?:to|past|beyond)|scale\s+(?:to|past|beyond)|support|host|house|accommodate|exceed)|in\s+later\s+phases|(?:building|developing|constructing)\s+a\s+new\s+(?:[\w-]+\s+)?(?:facility|campus|site|data\s+cent(?:er|re))|existing\s+(?:operations|facilities|portfolio)|(?:contracted|total|aggregate)\s+(?:[\w-]+\s+){0,3}?capacity\s+(?:rises|rose|grows|grew|increases|increased|climbs|climbed|(?:now\s+)?stands|totals)|existing\s+[\w-]+\s+(?:facility|campus|site))\b", re.I)
_COMMIT_SUBJ = re.compile(r"(?:'s?|\bits|\btheir)\s+(?:[\w-]+\s+)?(?:commitments?|contracts?|orders?|spend(?:ing)?\s+with)\s+"
                          r"(?:had|have|has|were|was|is|are|now|grew|rose|total\w*|came\s+to|reached)\b", re.I)
_CHIP_MARKET = re.compile(r"\b(?=\w)(?:spot\s+(?:pric\w*|rates?|market)|pricing|premium\s+to|discount\s+to|indices|index|per\s+GPU-hour|"
                          r"shipping\s+in\s+volume|ships?\s+in|roadmap|supply\s+(?:chain|constraints?|shortages?)|(?:GB\d00|H\d00|B\d00|MI\d+X?)\s+supply|"
                          r"rental\s+rates?|resale|secondary\s+market|benchmarks?)\b", re.I)
_SITE_ADJ_AFTER = re.compile(r"[\s-]*(?:(?:[A-Z][\w-]*|AI|data|hyperscale|new|planned|existing|greenfield|mega|multi-building)\s+){0,3}"
                             r"(?:campus|site|development|complex|park|hub|monster|region)\b")
_SITE_ADJ_BEFORE = re.compile(r"\b(?:a|an|its|their|the|planned|that)\s+(?:~|about\s+|roughly\s+)?$", re.I)
_TAKE_BEFORE = re.compile(r"\b(?:tenants?\s+(?:at|of|for)|lease[sd]?|leasing|rent(?:s|ed|ing)?|tak(?:e|es|ing)|took|occup\w*|contracted|reserved|secured)\s+(?:all\s+of\s+)?(?:the\s+|a\s+|an\s+)?(?:entire\s+|whole\s+|full\s+)?(?:~|about\s+|roughly\s+)?$", re.I)
_OTHER_SITE = re.compile(r"\b(?:also\s+(?:operates|runs|owns|has)|(?:is|are)\s+(?:also\s+)?building\s+(?:a|an)\s+new|existing\s+(?:operations|facilities|sites|portfolio|capacity|clusters?|footprint|fleet|data\s+cent(?:er|re)s)|"
                         r"(?:continues?\s+to\s+)?(?:evaluat\w+|marketing)|another\s+(?:site|campus|facility)|(?:a\s+)?second\s+(?:site|campus)|other\s+(?:sites|campuses|facilities)|"
                         r"operates\s+\d+\s+data\s+cent(?:er|re)s)\b[^.;]{0,80}$", re.I)
_RENEWAL_BEFORE = re.compile(r"\b(?:additional|renewal|extension)\s+(?:period|term)s?\s+of\b|\b(?:extend|renew)\w*\s+(?:the\s+(?:term|agreement|lease)\s+)?(?:by|for)\b|"
                             r"\b(?:renewal|extension)\s+options?\s+of\b", re.I)
_VESTING = re.compile(r"\b(?:warrants?|vests?|vesting|vested)\b", re.I)
_OWN_SITES = re.compile(r"\b(?:its|their|our)\s+own\s+(?:[\w-]+\s+){0,3}?(?:campus(?:es)?|data\s+cent(?:er|re)s?|sites?|facilities|clusters?)\b[^.;]{0,40}$", re.I)
_UNDER_IT = re.compile(r"\s+under\s+(?:it|(?:the|this|that)\s+(?:agreement|contract|deal|lease|order))\b", re.I)
_OVER_TERM = re.compile(r"\s+(?:of\s+)?(?:additional\s+|cumulative\s+|contracted\s+|total\s+)*(?:revenue|rent)\s+"
                        r"(?:over|during|across)\s+(?:its|the|their)\s+(?:initial\s+|base\s+|full\s+)?(?:[\w-]+\s+)?terms?\b", re.I)
_EARLIER_AFTER = re.compile(r"\s*(?:in\s+the\s+)?(?:a|one|the)\s+(?:year|quarter)\s+(?:earlier|ago|before)\b", re.I)
_UP_FROM = re.compile(r"\b(?:up|down|rising|falling|rose|fell|climbed|jumped)\s+from\s+(?:about\s+|roughly\s+)?$|"
                      r"\bto\s+(?:about\s+|roughly\s+|around\s+)?(?:US)?\$[\d.,]+\s*(?:billion|million|bn|m|b)?\s+from\s+(?:about\s+|roughly\s+|around\s+)?$", re.I)
_PAST_RECALL = re.compile(r"\b(?=\w)(?:[Pp]reviously|[Ee]arlier\s+this\s+(?:year|month)|[Ll]ast\s+(?:year|month|week|quarter)|earlier\s+this\s+(?:year|month)|last\s+(?:year|month|week|quarter|spring|summer|fall|autumn|winter)|"
                          r"in\s+the\s+same\s+month|(?:a|one|two|three|several)\s+(?:years?|months?)\s+ago|"
                          r"[Ii]n\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)(?!\s+20\d\d)|"
                          r"(?:January|February|March|April|May|June|July|August|September|October|November|December)(?=\s+it\s+(?:agreed|signed))|"
                          r"(?<=\s)(?:signed|agreed|struck|inked)\s+(?:[\w$.,'-]+\s+){1,10}?in\s+20\d\d(?!\s+(?:and|through|to|until)))\b")
_KNOWN_FOR = re.compile(r"\b(?=\w)(?:(?:best|widely|mostly|perhaps)\s+known\s+(?:as|for)|made\s+its\s+name|began\s+as|started\s+(?:out\s+)?as)\b", re.I)
_PROFILE = re.compile(r"\b(?=\w)(?:raised\s+(?:about\s+|roughly\s+|nearly\s+|more\s+than\s+|over\s+|some\s+)?(?:US)?[$€£]|raised\s+[^.;]{0,40}?\b(?:funding|round|from\s+investors|in\s+(?:debt|equity))|(?:was|is|been)\s+valued|valuing\s+(?:it|the\s+company|the\s+startup)|valuation|market\s+(?:value|capitali[sz]ation|cap)|was\s+founded|founded\s+in|"
                      r"best\s+known|began\s+as|started\s+(?:out\s+)?as|employees|funding\s+round|went\s+public|"
                      r"filed\s+(?:confidentially\s+)?for|(?:runs|operates|owns)\s+(?:\w+\s+){0,2}?data\s+cent(?:er|re)s\s+in)\b", re.I)
# "The Childress campus has 750 MW of grid capacity", "It aims to operate 1.9
# gigawatts by 2030", "Nebius also operates a data center in Finland", "The
# company reported revenue of $72 million": one company's own state, plans or
# results, not a term of a deal (the caller checks the sentence names no deal).
_STATE = re.compile(r"^(?:\W{0,3})(?:(?:[Tt]he|[Ii]ts|[Tt]his|[Tt]hat)\s+)?(?:[\w.'&-]+\s+){0,4}?(?:also\s+|now\s+|already\s+|still\s+|currently\s+)?"
                    r"(?<!will\s)(?:has|have|had|operates|operated|owns|runs(?!\s+(?:for|through|until|till|to)\b)|(?:aims|plans|intends|hopes)(?=\s+to\s+(?:[^.;]|\.\d){0,80}?\bby\s+(?:the\s+end\s+of\s+)?20\d\d)|"
                    r"expects\s+to\s+(?:operate|have|reach|bring|add)|"
                    r"(?:is|are)\s+(?:also\s+)?(?:developing|building|planning|expanding|targeting)|targets|(?<![Ww]idely\s)(?<![Pp]reviously\s)(?<![Aa]s\s)(?<!was\s)(?<!is\s)reported|holds|controls|"
                    r"(?:is|was)\s+planned\s+to|(?:can|could)\s+(?:grow|expand|reach|scale))\b(?!\s+(?:agreed|signed|committed|contracted|leased|rented|been\s+(?:renting|leasing|paying)))")
_DEAL_WORD = re.compile(r"\b(?=\w)(?:phase|tranche|initial|options?\s+to\s+(?:add|expand|extend|take|buy|lease|increase)|first\s+(?:block|building|hall)|deal|agreement|pay|paid|paying|leas\w*|rent\w*|suppl\w*|provid\w*|serv(?:e|es|ed|ing)|deliver\w*|dedicat\w*|reserv\w*|"
                        r"set\s+aside|contract\w*|orders?|commitments?|customers?|tenants?|clients?|for\s+(?:the\s+)?(?:deal|agreement|customer))\b", re.I)
_ATTRIB = re.compile(r"\b(?:an?\s+|the\s+)?(?:\w+\s+)?(?:analysts?|strategist|portfolio\s+manager|partner|economist|research\s+director)\s+(?:at|with)\s+(?=[A-Z])")
_NON_USD_BEFORE = re.compile(r"[€£]\s?\d|\d\s?(?:euros?|pounds)\b", re.I)


_REL_OPEN = re.compile(r",\s+(?:which|who)\s+(?!will\b|would\b|is\s+to\b|agreed\b|signed\b|has\s+(?:agreed|signed|contracted)\b)[^,;()]*$")


_LIST_OF_DEALS = re.compile(r"\b(?:list|string|series|run|number)\s+of\s+(?:[\w-]+\s+){0,2}?(?:deals|contracts|agreements|leases|commitments)|"
                            r"\b(?:deals|contracts|agreements|leases)\b[^.;]{0,60}?\bincluding\b", re.I)
_WITH_AFTER = re.compile(r"^[^,;.()]{0,40}?\b(?:deal|contract|agreement|lease|commitment|order|pact)s?\s+(?:\w+\s+){0,2}?with\s+(?:the\s+)?$", re.I)
_NAMED_BEFORE = re.compile(r"^\s*(?:deal|contract|agreement|lease|commitment|order|pact)s?,?\s+(?:(?:is|was)\s+)?(?:worth|valued\s+at|of|for)\s+"
                           r"(?:(?:about|roughly|around|some|nearly|approximately|up\s+to|more\s+than)\s+)?$", re.I)


def _other_deals_figure(f: _Fig, s: str, deal: tuple[str, str], ms: list[Mention]) -> bool:
    """The figure is bound to a deal with another company: "a $17.4 billion
    contract with Nebius", "the IREN deal, worth $9.7 billion"."""
    for m in ms:
        if m.pronoun or m.name in deal:
            continue
        if 0 <= m.start - f.end <= 60 and _WITH_AFTER.match(s[f.end:m.start]):
            return True
        if 0 <= f.start - m.end <= 40 and _NAMED_BEFORE.match(s[m.end:f.start]):
            return True
    if f.field in ("payment", "term_years", "location", "capacity_power", "gpu_count") and _LIST_OF_DEALS.search(s):
        # In a list of other deals, a figure whose own segment names another
        # company and neither party is that company's.
        a = max(s.rfind(", ", 0, f.start), s.rfind(" and a", 0, f.start), s.rfind(";", 0, f.start))
        b = min([x for x in (s.find(", ", f.end), s.find(" and a", f.end), s.find(";", f.end)) if x >= 0] or [len(s)])
        inside = {m.name for m in ms if a <= m.start < b and not m.pronoun}
        if inside and not inside & set(deal):
            return True
    return False


def _in_relative_aside(f: _Fig, s: str, deal: tuple[str, str], ms: list[Mention]) -> bool:
    """A figure inside a relative clause hung on a company's name and closed by
    a comma ("X, which bought ... for $650 million, has agreed"), when the
    clause does not name the deal's other party."""
    m = _REL_OPEN.search(s, max(0, f.start - 160), f.start)
    if not m or "," not in s[f.end:f.end + 120]:
        return False
    if not any(x.end == m.start() for x in ms if not x.pronoun):
        return False
    close = s.index(",", f.end)
    if DEAL_NOUN.search(s, m.start(), close):
        return False  # "AMD, which expects the arrangement to bring ...,": about the deal
    inside = [x.name for x in ms if m.start() < x.start < close]
    return not any(n in deal for n in inside)


_HW_BUY_FOR = re.compile(r"\b(?:buy|buys|buying|bought|purchas\w*|order\w*|sourc\w*)\s+(?:[\w$.,~-]+\s+){0,5}?"
                         r"(?:servers|systems|racks|hardware|equipment|chips|accelerators|GPUs)\s+(?:from|through|via)\s+"
                         r"(?:[\w&.-]+\s+){1,3}?(?:for|at|worth)\s+(?:(?:about|roughly|around|approximately|some|nearly|up\s+to|~)\s*)?$", re.I)


def _keep(f: _Fig, s: str, deal: tuple[str, str], own: bool, anchor: bool, compute: bool,
          ms: Optional[list[Mention]] = None) -> bool:
    """Precision filters: is this figure really about the deal?"""
    cues = _sent_cues(s)
    if "=" in s and (re.search(r"=\s*(?:~|≈|about\s+|roughly\s+)?$", s[max(0, f.start - 12):f.start])
                     or re.match(r"\s*(?:[/x×*÷+-]\s*[\d$.,]+\s*)+=", s[f.end:f.end + 30])):
        return False  # "$300B / 5 = $60B a year": someone's arithmetic, not a stated term
    if f.field in ("gpu_type", "gpu_count") and re.search(r"\b(?:brings?|bringing|supplies|supply|provides?|installs?|uses?)\s+(?:its|their)\s+own\s+(?:[\w-]+\s+){0,2}$",
                                                         s[max(0, f.start - 50):f.start]):
        return False  # "Together brings its own GB200 racks": the buyer's hardware, not what the deal provides
    if "unit" in cues and f.field in ("payment", "capacity_power"):
        return False
    if "gen" in cues and not own:
        return False
    if f.field == "location" and (_POLITICAL_AFTER.match(s, f.end) or _POLITICAL_BEFORE.search(s, max(0, f.start - 40), f.start)):
        return False  # "closely watched in Washington, where lawmakers ...": politics, not the site
    if f.field == "start" and _CONSTRUCTION.search(s, max(0, f.start - 60), f.start):
        return False  # "construction is expected to begin in 2026": not the deal's start
    if not own and f.field in ("capacity_power", "gpu_count", "payment") and _PLAN_BEFORE.search(s, max(0, f.start - 90), f.start):
        return False  # "part of Sesterce's plan to ... 40,000 GPUs by 2027": the company's own ambition
    if f.field in ("gpu_count", "gpu_type") and ms:
        bm = None
        for bm in _HW_BUY.finditer(s, max(0, f.start - 60), f.start):
            pass
        if bm is not None:
            who = [m for m in ms if m.end <= bm.start()]
            if who and who[-1].name == deal[1]:
                return False  # "Humain has agreed to buy 18,000 of Nvidia's GB300 chips": the provider's own kit
    if f.field == "payment" and _HW_BUY_FOR.search(s, max(0, s.rfind(",", 0, f.start - 60) + 1, f.start - 120), f.start):
        return False  # "IREN is buying the hardware from Dell for about $5.8 billion": the kit, not the deal
    semi = s.find(";", f.end)
    if f.field in ("capacity_power", "gpu_count") and _SITE_TOTAL.search(
            s, max(0, s.rfind(";", 0, f.start) + 1, f.start - 70), min(len(s), f.end + 40, semi if semi >= 0 else len(s))):
        return False  # "the campus has room for more than 2 GW", "designed to scale to 300 MW over time": the site, not the deal
    if f.field == "capacity_power" and _SITE_ADJ_AFTER.match(s, f.end) and _SITE_ADJ_BEFORE.search(s, max(0, f.start - 14), f.start) \
            and not _TAKE_BEFORE.search(s, max(0, f.start - 40), f.start):
        return False  # "Project Horizon, a 2GW AI campus", "its 570-megawatt Clarington site": the site's size
    if f.field == "capacity_power" and re.match(r"\s+(?:of\s+)?(?:bitcoin|crypto(?:currency)?)\s+mining\b", s[f.end:f.end + 30], re.I):
        return False  # "210 MW of bitcoin mining capacity": not AI compute
    if "part" in cues and f.field == "capacity_power":
        return False  # "the site will reach 1.2 GW, although the deal takes only part of that"
    if f.field == "term_years" and re.search(r"\b(?:original\s+expected\s+duration|practical\s+expedient|useful\s+li(?:fe|ves)|depreciat\w+)\b", s, re.I):
        return False  # accounting policy ("contracts with an original expected duration of one year or less")
    if f.field == "term_years" and _RENEWAL_BEFORE.search(s, max(0, f.start - 60), f.end):
        return False  # "two options to extend the term, each for an additional period of five years"
    if f.field == "term_years" and _NON_USD_BEFORE.search(s, max(0, f.start - 70), f.start):
        return False  # "£22bn of spending over four years": the term of a non-USD pledge
    if f.field == "payment" and (_EQUITY_AFTER.match(s, f.end) or any(
            a <= f.start < b or not put for a, b, put in _invest_spans(s))):
        return False  # "$350 million of its stock", "put $5 billion into", "an investment rather than"
    if f.field == "payment":
        if f.number is None or f.number < (1e5 if f.period == "month" else 1e6):
            return False
        before, after = s[max(0, f.start - 70):f.start], s[f.end:f.end + 45]
        wide = s[max(0, f.start - 110):f.start]
        nb = _NEG_BEFORE.search(before)
        if nb and re.match(r"(?:revenue|valu|sales)", nb.group(), re.I) and (
                anchor and re.match(r"revenue", nb.group(), re.I) and not _COMPANY_PERIOD.search(before)
                or DEAL_NOUN.search(wide[max(0, len(wide) - len(before) + nb.start() - 60):len(wide) - len(before) + nb.start() + 1])):
            nb = None
        elif nb and re.match(r"valu(?:ed|es|ing)", nb.group(), re.I) and re.match(
                r"valu\w*\s+(?:the|its|their|this|that)\s+(?:[\w-]+\s+){0,2}?" + DEAL_NOUN.pattern + r"\s+at\b", nb.group(), re.I):
            nb = None  # "TeraWulf valued the lease at about $1.0 billion": the deal's value
        elif nb and re.match(r"rais\w*\s+(?:its|the|their)?\s*(?:total\s+)?(?:contract\s+)?value\b", nb.group(), re.I):
            nb = None  # "which would raise total contract value to $19.4 billion": the deal's value
        elif nb and nb.group().lower().startswith("valued") and re.search(r"(?<![A-Z][\w.]),\s+$", before[:nb.start()]) \
                and DEAL_NOUN.search(s, max(0, f.start - 160), f.start) \
                and not (ms and any(0 <= (f.start - len(before) + nb.start()) - m.end <= 3 for m in ms)):
            nb = None  # "an agreement with Meta ... over a five-year period, valued at $3 billion"
        elif nb and _COMMIT_SUBJ.search(nb.group()):
            nb = None  # "By the time of the IPO, Microsoft's commitments had grown to $10 billion"
        elif nb and _DEAL_WORTH.search(before, nb.start()):
            nb = None  # "... sold to Lambda, in a four-year arrangement worth $1.5bn": the deal's value
        elif nb and re.match(r"(?:performance|RPO|backlog)", nb.group(), re.I) and re.search(
                r"\bunder\s+(?:the|its|our|this)\s+(?:[\w-]+\s+){0,2}?" + DEAL_NOUN.pattern, nb.group(), re.I):
            nb = None  # "remaining performance obligations under the CoreWeave leases were $11.0 billion"
        if nb:
            return False
        spend_on = ms is not None and any(m.name == deal[1] and f.end <= m.start <= f.end + 30
                                          and re.match(r"\s+(?:of\s+[\w-]+\s+)?(?:on|with)\s+(?:the\s+)?$", s[f.end:m.start])
                                          for m in ms) or _UNDER_IT.match(after)  # "spend $10 billion on Google Cloud / under it"
        if (_SPEND_BEFORE.search(before) and not spend_on) or _EARLIER_AFTER.match(after) or _UP_FROM.search(before):
            return False  # "expects to spend about $125 billion", "drawn $7.5 billion", "up from $130 million a year earlier"
        # Another company's figure in the same clause ("; Google will backstop $1.8B").
        a = s.rfind(";", 0, f.start) + 1
        b = s.find(";", f.end)
        clause = s[a:b if b >= 0 else len(s)]
        if foreign_in(clause, deal, [m for m in ms if a <= m.start and m.end <= a + len(clause)] if ms is not None else None,
                      s, a):
            return False
        na = _NEG_AFTER.search(after)
        if na and _OVER_TERM.match(after):
            na = None  # "$2.0 billion of cumulative revenue over its initial term": what the deal pays
        if na and not (re.search(r"revenue", na.group(), re.I) and anchor and not _COMPANY_PERIOD.search(before + after)):
            return False
        if "agg" in cues and not own:
            return False
        if not (own or anchor or compute or f.period in ("month", "year")
                or _VALUE_CUE.search(s) or _OVER_TERM.match(after)):
            return False
    if f.field == "model" and f.maker == "":
        # A model named by "X, its ... model": its maker is the company the
        # sentence names last before it, which must be the buyer.
        prev = [m for m in (ms or []) if m.end <= f.start]
        if not prev:
            # "training Fold-7B, our next structure model": no company before
            # it; the possessive after it (or none at all) is the deal's buyer.
            prev = [m for m in (ms or []) if m.start >= f.end and m.start - f.end <= 12] or (
                [Mention(0, 0, deal[0])] if not ms and re.match(r",\s+(?:our|their)\s", s[f.end:f.end + 8]) else [])
        if not prev or prev[-1].name != deal[0]:
            return False
    elif f.field == "model" and f.maker != deal[0]:
        return False
    if f.field == "facility" and (f.value in deal or any(f.value == p.split()[0] for p in deal)
                                  or registry().pattern.fullmatch(f.value)):
        return False  # "the OpenAI cluster", "the Halcyon cluster": named for the customer, not a site name
    if f.field == "gpu_type" and not own and _CHIP_MARKET.search(s):
        return False  # "H100 spot pricing drifted down", "MI355X is shipping in volume": the chip market, not the deal
    if f.field in ("capacity_power", "gpu_count") and _VESTING.search(s):
        return False  # "The Warrant vests in tranches ..., starting with the first gigawatt": equity terms
    if f.field in ("location", "facility") and not own and _OTHER_SITE.search(s, max(0, f.start - 90), f.start):
        return False  # "KT Cloud ... is building a new facility in Busan", "also operates a data center in Finland"
    if f.field in ("location", "capacity_power", "facility") and _OWN_SITES.search(s, max(0, f.start - 60), f.start):
        return False  # "It is building its own multi-gigawatt campuses in Louisiana and Ohio"
    if f.field == "gpu_type" and ms and any(
            not m.pronoun and m.name not in deal and re.fullmatch(r"['’]s?\s+(?:own\s+)?", s[m.end:f.start])
            and registry().kind(m.name) != "vendor" for m in ms):
        return False  # "Google's TPUs, Amazon's Trainium": another company's chips, in a Google deal
    if ms and _other_deals_figure(f, s, deal, ms):
        return False  # "including the IREN deal, worth $9.7 billion, and a $17.4 billion contract with Nebius"
    if ms and _in_relative_aside(f, s, deal, ms):
        return False  # "Riot, which bought the site's operator for $650 million, has agreed ...": its history
    if f.field in ("facility", "location", "capacity_power", "gpu_count", "gpu_type") and (
            _own_use(s, deal) or deal[0] in facility_owners(s)):
        return False
    if "agg" in cues and f.field in ("capacity_power", "gpu_count", "gpu_type", "term_years") and not own:
        return False
    if "oth" in cues and f.field in ("payment", "capacity_power", "gpu_count", "term_years"):
        return False  # "from OpenAI and other customers": not this deal's figure
    return True


def _emit(claims: list[ExtractedClaim], seen: set[tuple], deal: tuple[str, str], f: _Fig,
          quote: str, s: str, scope: Optional[str], reg: Registry) -> None:
    key_val = round(f.number, 3) if f.number is not None else f.value.lower()
    key = (deal, f.field, key_val, f.period, scope, quote)
    if key in seen:
        return
    seen.add(key)
    claims.append(ExtractedClaim(
        buyer=deal[0], provider=deal[1], field=f.field, value=f.value, quote=quote,
        number=f.number, unit=f.unit, period=f.period, approx=f.approx, min=f.min, max=f.max,
        scope=scope))


def _site_scopes(claims: list[ExtractedClaim]) -> None:
    """When one deal names two or more locations, figures stated in a sentence
    with a location are about that site, not the whole deal."""
    by_deal: dict[tuple[str, str], set[str]] = {}
    for c in claims:
        if c.field == "location":
            by_deal.setdefault((c.buyer, c.provider), set()).add(c.value.lower())
    multi = {d for d, locs in by_deal.items() if len(locs) >= 2}
    if not multi:
        return
    site_quotes = {(c.buyer, c.provider, c.quote) for c in claims if c.field == "location"}

    def key(c: ExtractedClaim) -> tuple:
        return (c.buyer, c.provider, c.field, c.value.lower(), c.period)

    # A figure the document also states in a sentence naming no place (the
    # headline's "$9.7 billion, five-year contract") is the deal's, not a site's.
    plain = {key(c) for c in claims if (c.buyer, c.provider, c.quote) not in site_quotes and c.scope is None}
    for c in claims:
        if (c.buyer, c.provider) in multi and (c.buyer, c.provider, c.quote) in site_quotes and c.scope is None \
                and key(c) not in plain:
            c.scope = "site"
