"""Claim extractor: document text -> facts about AI compute deals.

Two passes over the sentences that pass a cheap keyword pre-filter:
1. find company mentions and buyer/provider relations, and so the deals the
   document is about (roles from verbs, else from earlier sentences, else from
   the companies' usual roles in companies.yaml);
2. read figures (amounts, power, GPUs, hardware, models, places, terms) and
   give each to the deal its sentence is about: the sentence's own parties,
   else the company it names, else the nearest deal before it in the
   paragraph/document.
"""
from __future__ import annotations

import bisect
import dataclasses
import logging
import re
from dataclasses import dataclass, field, replace
from typing import Optional

from ..models import Document, ExtractedClaim
from . import tables
from .amounts import find_amounts
from .numwords import digitize
from .capacity import find_gpu_counts, find_power
from .companies import _STOP as _STOP_WORDS, _SHORT_TAIL, _plausible_unknown, short_forms, clean_unknown, DocTerms, Mention, Registry, doc_terms, find_mentions, is_public_body, public_body_name, recase_shouting, registry, with_names
from .geo import COUNTRIES, STATE_CANON, canon_region, doc_places, gazetteer
from .hardware import (facility_owners, find_facilities, find_gpu_types, find_locations, find_models, find_named_models,
                       known_facilities)
from .roles import DEAL_NOUN, NEVER_PARTY, NOT_DEAL, Half, Pair, find_pairs, is_hw_adjective, party_names
from .scope import scope_for
from .sentences import Sentence, normalise, split_sentences
from .filters import (
    _ATTRIB, _DEAL_WORD, _KNOWN_FOR, _PAST_RECALL, _PROFILE, _SEPARATE, _STATE, _Fig, _emit, _keep, _site_scopes,
)
from .terms import find_terms
from .confidence import confident

EXTRACTOR_VERSION = 26

log = logging.getLogger(__name__)

__all__ = ["EXTRACTOR_VERSION", "extract_claims"]

COMPUTE_CUE = re.compile(
    r"\b(?=\w)(?:comput\w*|capacity|cloud|GPUs?|chips?|TPUs?|Trainium\d?|accelerators?|data[\s-]cent(?:er|re)s?|"
    r"infrastructure|servers?|clusters?|supercomputers?|megawatts?|gigawatts?|MW|GW|workloads|neocloud\w*|"
    r"UltraServers?|racks?|GB[23]00s?|H[12]00s?|B[23]00s?|Colossus|Stargate|\d+(?:\.\d+)?[GM]W)\b", re.I)
_COMPARE = re.compile(
    # "6/ Compare: Anthropic pays xAI ...", "For scale: ...", "For context: ...": another deal as a yardstick
    r"^\W{0,3}(?:\d{1,2}/\s*)?(?:[A-Za-z]+:\s+)?(?i:compare|for\s+(?:scale|comparison))\b\s*[:,\-—–]|"
    r"\b(?:(?:small|tiny|modest|rounding\s+error|pales?)\s+(?:\w+\s+){0,2}?next\s+to|dwarf\w*|compared\s+(?:with|to)|in\s+comparison|by\s+comparison|echo(?:es|ing)?|mirrors?|"
    r"similar\s+to|eclips\w*|confus\w*\s+(?:this|it|the\s+(?:deal|contract|agreement))\s+with|(?:bigger|larger|smaller)\s+than|(?:well|far|just|comfortably|slightly)\s+(?:below|above|under|short\s+of)\b|[Uu]nlike|rivals?\s+have|"
    # "The deal follows X's $30 billion agreement with Y announced last year":
    # background about an earlier deal.
    r"(?:(?<=\s)follows|on\s+the\s+heels\s+of|comes\s+(?:\w+\s+){0,2}?after)\s+(?=[^.;]*\b(?:last\s+(?:year|month|week|quarter|spring|summer|"
    r"fall|autumn|winter)|earlier\s+this\s+(?:year|month)|previously|in\s+20\d\d|a\s+year\s+ago)\b))")
_LOC_CUE = re.compile(r"\b(?=\w)(?:campus(?:es)?|sites?|facilit(?:y|ies)|MW|GW|megawatts?|gigawatts?|deal|contract|lease|data[\s-]cent(?:er|re)s?|supercomputer|cluster|located|capacity|"
                      r"GPUs?|chips?|built|housed|hosted|deployed|compute|infrastructure|region|power|live|online|racks?|halls?|operational)\b", re.I)
# Power purchase agreements are not compute deals, though they mention data centers.
_ENERGY = re.compile(r"\b(?=\w)(?:power\s+purchase|PPAs?|electricity|nuclear|reactors?|solar|wind\s+farms?|renewables?|grid|utility|utilities|"
                     r"(?:power|gas|coal|nuclear|generating)\s+plants?|turbines?|hydro\w*|geothermal|MWh|megawatt-hours?|"
                     r"(?:clean|carbon-free|green)\s+(?:energy|power|electricity))\b", re.I)
# Making chips is not renting compute: "Samsung will fabricate wafers for Tesla".
_FAB = re.compile(r"\b(?=\w)(?:foundry|foundries|fabs?|fabricat\w*|wafers?|manufactur\w*|\d+-?nanomet(?:er|re)|\d+\s?nm)\b", re.I)
_RENTAL = re.compile(r"\b(?=\w)(?:rent\w*|leas\w*|cloud|capacity|hosting|colocation|data\s+cent(?:er|re)s?|megawatts?|MW|GW|gigawatts?)\b", re.I)
# Hosting bitcoin miners is not AI compute (unless the paragraph also speaks of AI).
_CRYPTO = re.compile(r"\b(?=\w)(?:ASICs?|hash\s?rate|self-mining|(?:bitcoin\s+)?mining\s+(?:servers|rigs|machines|equipment|hosting))\b", re.I)
_AI_WORDS = re.compile(r"\b(?=\w)(?:AI|HPC|high-performance|GPUs?|TPUs?|accelerat\w*|inference|training|models?|neocloud|Trainium\d?)\b")
_LAND = re.compile(r"\b(?=\w)(?:acres?|hectares?|parcels?|land|real\s+estate|deeds?|plots?)\b", re.I)
_STRICT_COMPUTE = re.compile(r"\b(?=\w)(?:comput\w*|GPUs?|chips?|TPUs?|Trainium\d?|accelerators?|cloud|servers?|clusters?|"
                             r"supercomputers?|AI\s+workloads|hosting|colocation|inference|training)\b", re.I)
# Talks and rumours are not deals; hypotheticals are not figures.
_TENTATIVE = re.compile(r"\b(?=\w)(?:shopping\s+for|word\s+is|(?:letter\s+of\s+intent|LOI|term\s+sheet|MOU)\s+(?:\w+\s+){0,2}?contemplat\w*|in\s+talks|talks\s+with|held\s+talks|negotiat\w*|rumou?r\w*|nothing\s+(?:is\s+|has\s+been\s+)?signed|"
                        r"not\s+(?:yet\s+)?(?:signed|concluded|awarded)|preferred\s+(?:bidder|tenderer|supplier|vendor)|shortlist\w*|exploring|considering|could\s+sign|may\s+sign|would\s+sign|"
                        r"discuss(?:ing|ions?|ed\s+whether)|in\s+discussions|(?:being|was|were)\s+(?:discussed|negotiated|considered|weighed)|under\s+discussion|weighing|mulling|nearing\s+(?:a|an)\s+(?:deal|agreement)|"
                        r"close\s+to\s+(?:a|an)\s+(?:deal|agreement)|(?:market|industry)\s+chatter|\bnear\s+(?:a|an)\s+(?:deal|agreement)|"
                        r"(?:is|are|was|were)\s+(?:said|reported|rumou?red|understood)\s+to\s+be\s+(?:near|nearing|close\s+to|in\s+talks|negotiating|weighing|considering|exploring)|talks\s+(?:could|may|might)\s+(?:still\s+)?(?:collapse|fail|fall))\b", re.I)
_INCENTIVE = re.compile(r"\b(?=\w)(?:tax\s+(?:exemptions?|abatements?|credits?|incentives?|breaks?|rebates?|relief)|(?:property|sales)[\s-]tax|"
                        r"abatements?|incentives?\s+(?:package|program|programme|agreement)|payments?\s+in\s+lieu\s+of\s+taxes|PILOTs?\b|"
                        r"(?:large[\s-]load|energy|electricity|demand|transmission)\s+(?:tariff|rate|charges?)s?|\d\s?kV\b|"
                        r"community\s+(?:fund|benefit|investment)s?|workforce\s+(?:training|development)|infrastructure\s+grants?|"
                        r"(?:state|federal|county|city)\s+(?:grants?|funding|appropriations?)|appropriation)", re.I)
_RENTED_FROM = re.compile(r"\b(?:GPUs|chips|accelerators|capacity|clusters?|nodes|servers|compute|instances)\s+(?:[\w-]+\s+){0,2}?"
                          r"(?:rented|leased|reserved|sourced|contracted|procured|bought|provided|supplied)\s+(?:\w+\s+)?from\s+(?:the\s+)?$")
_WITH_LEAD = re.compile(r"\s*(?:[Aa]nd\s+|[Ss]o\s+)?(?:[Ww]ith|WITH)\s+(?:the\s+)?")  # "With Nscale, the agreement covers ..."
_SITE_LEASE = re.compile(r"\b(?:site|campus|facility|data\s+cent(?:er|re)|building|hall|premises)s?\b[^.;]{0,80}?\b"
                         r"(?:is|are|was|were|has\s+been)?\s*(?:leasing|leases|leased|renting|rents|rented)\s+from\b", re.I)


def _headed_by(above: list[str], pairs: list[Pair], reg: Registry, filer: Optional[str], dterms) -> bool:
    """The line above is a heading or a question naming one of the pair
    ("What did Cipher Mining sign?", "March 2026 - Second customer: Lumen"):
    a timeline or Q&A entry about that deal, not a deal recalled in passing."""
    if not above:
        return False
    head = above[-1]
    if len(head) > 120 or not (head.rstrip().endswith("?") or not re.search(r"[.!]\s*$", head)):
        return False
    names = {m.name for m in reg_mentions(head, filer, reg, None, dterms)}
    return any(p.buyer in names or p.provider in names for p in pairs)


def _site_aside(s: str, m: Mention) -> bool:
    """``m`` is a tenant named in a clause about a site ("at a site near
    Barstow that Nscale is leasing from Ionic Digital"): that lease describes
    the site; it is not the sentence's deal."""
    before, after = s[max(0, m.start - 90):m.start], s[m.end:m.end + 40]
    return bool(re.search(r"\b(?:site|campus|facility|data\s+cent(?:er|re)|building|hall|premises)s?\b(?:\s+(?:near|in|at|outside)\s+[^,;]{0,50}?)?\s*(?:that|which)?\s*(?:the\s+)?$", before, re.I)
                and re.match(r"\s+(?:is|are|was|were|has\s+been)?\s*(?:leasing|leases|leased|renting|rents|rented)\s+from\b", after, re.I)
                and re.search(r"\d", s[:m.start]))


_PAIR_ITEM = re.compile(r"\s*(?:\d{1,3}[.)]\s+|[-•*]\s+)?(?!NOT\b)(?P<a>[A-Z][\w.&']*(?:\s+[A-Z][\w.&']*){0,2})\s?(?:-|–|—|×|/|\s+x\s+)\s?"
                        r"(?P<b>[A-Z][\w.&']*(?:\s+[A-Z][\w.&']*){0,2})(?:,[^.:;]{0,40})?(?:[.:]|\s+-)(?:\s|$)")


def _item_party(raw: str, reg: Registry) -> Optional[str]:
    """One side of a list item's "A-B" heading: a known company, or a name
    that ends like one ("Pellow AI", "Sablewood Cloud")."""
    ms0 = reg_mentions(raw, None, reg)
    if ms0 and ms0[0].start == 0 and ms0[0].end >= len(raw.rstrip()) - 1:
        return ms0[0].name
    name = _plausible_unknown(raw, reg, suffixed=True)
    return name if name and _COMPANY_END.search(name) else None


_COMPANY_END = re.compile(r"\s(?:AI|Labs?|Cloud|Compute|Computing|Digital|Data\s+Cent(?:er|re)s|Grid|Infrastructure|Networks|Technologies|Mining|Bio|Research)$")
_PRELIM = re.compile(r"\b(?:term\s+sheet|letter\s+of\s+intent|LOI|MOU|memorandum\s+of\s+understanding)\b", re.I)  # a sentence about a preliminary paper states no deal
_NON_BINDING = re.compile(r"\bnon-?\s?binding\b", re.I)
# A signed deal: "agreed", "signed", "will pay", "under the agreement".
_FINAL = re.compile(r"\b(?=\w)(?:agreed|signed|inked|struck|sealed|finali[sz]ed|definitive|will\s+pay|has\s+committed|"
                    r"under\s+the\s+(?:agreement|contract|deal|lease)|letter\s+of\s+intent)\b", re.I)
# Speculation: what a deal "could be worth", what analysts estimate a buyer
# "could spend" -- not a stated term of a signed deal.
_OWN_FOR = re.compile(r"\bfor\s+(?:its|their|our)\s+own\s+(?:use|services|products|workloads|models|operations|needs|business)\b", re.I)
_HW_PURCHASE = re.compile(r"\b(?:servers?|systems|racks|hardware|equipment|chips|accelerators|GPUs)\s+(?:\w+\s+)?(?:bought|purchased|ordered|sourced)\s+(?:through|from|via)\b|"
                          r"\b(?:buy|buys|buying|bought|purchas\w*|order\w*)\s+(?:[\w$.,~-]+\s+){0,5}?(?:servers|systems|racks|hardware|equipment|chips|accelerators|GPUs)\s+(?:from|through|via)\b", re.I)
_HOURLY = re.compile(r"\$\s?\d[\d.,]*\s*(?:/|per\s+|an\s+)(?:GPU[\s-])?(?:hour|hr)\b", re.I)
_OWN_ESTIMATE = re.compile(r"\b(?:our|my)\s+(?:own\s+)?(?:estimates?|guess|view|model|math|calc\w*|assumptions?|base\s+case|numbers)\b|"
                           r"\b[Ww]e\s+(?:estimate|think|assume|use|model|add|had\s+pencil\w*|pencil\w*)\b|\bfor\s+modell?ing\s+purposes\b|"
                           r"\bback[\s-]of[\s-](?:the[\s-])?envelope\b", re.I)
_PER_YEAR_W = re.compile(r"\b(?:a|per)\s+year\b|\bannually\b|/\s?yr\b", re.I)
_MIGHT_DEAL = re.compile(r"(?<!which\s)(?<!whom\s)\b(?:might|could)\s+(?:soon\s+|eventually\s+|one\s+day\s+)?(?:rent|buy|lease|use|sign|tap|pay|take)\b"
                         r"(?![^.;]{0,40}\b(?:additional|more|further|extra)\b)", re.I)
_SPECULATE = re.compile(r"\b(?=\w)(?:could|would|might|may)\s+(?:eventually\s+|ultimately\s+|potentially\s+)?"
                        r"(?:be\s+worth|be\s+valued|value\s+the|cover|spend|total|generate|reach|include|involve)\b", re.I)
# "X would have hosted the chips": what a deal that did not happen would have done.
_COUNTERFACTUAL = re.compile(r"\b(?:would|could|might)\s+have\s+(?:been\s+)?[a-z]+(?:ed|en|id|ld|ng|ot)\b")
_OPTION_CUE = re.compile(r"\b(?=\w)(?:options?|renew\w*|extend\w*|extension|if\s+exercised)\b", re.I)
_ANALYST = re.compile(r"\banalysts?\b[^.;]{0,80}?\b(?:estimat\w*|expect\w*|forecast\w*|predict\w*|project\w*|wrote|see|note)\b"
                      r"|\b(?:estimat\w*|wrote|forecast\w*)\b[^.;]{0,40}?\banalysts?\b|\bthe\s+analysts\s+(?:wrote|said)", re.I)
_FORWARD = re.compile(r"\b(?=\w)(?:could|would|might|may|eventually|by\s+20\d\d)\b|^Analysts\s+see\b", re.I)
_HYPO = re.compile(r"(?=[ifnsbhIN])\bif\s+(?:it|they|that|this|we|you)(?:\s+[\w$.,]+){0,4}?\s*(?:were|was|is|'s|are|went|go|turns?|ends?)\b|\bif\s+(?:you|one)\s+(?!look\b)\w+|\bnapkin\b|\bsay,|"
                   r"\b(?:nobody|no\s+one)\s+(?:has|will|would)\s+(?:said|say|confirm\w*|disclos\w*)\b|"
                   r"\b(?:won't|will\s+not|would\s+not|declined\s+to)\s+say\b(?=[^.;]{0,3}$)|"
                   r"\b(?:an\s+)?earlier\s+version\s+of\s+this\s+(?:article|story|report|post|item|alert|note|release|update|newsletter|thread)\b|"
                   r"\bsomething\s+like\b|\bhypothetic\w*|\bback[\s-]of[\s-]the[\s-]envelope\b", re.I)
_TENT_W = ("talk", "negotiat", "rumo", "sign", "explor", "consider", "discuss", "weigh", "mull", "nearing", "close to", "near a", "chatter", "said to be",
           "contemplat", "shopping", "word is", "conclud", "awarded", "preferred", "shortlist")
_HYPO_W = ("if ", "napkin", "say,", "something like", "hypothetic", "envelope", "nobody has", "no one has",
           "nobody will", "no one will", "nobody would", " say", "earlier version")
_FINANCE = re.compile(r"\b(?=\w)(?:bonds?|notes\s+(?:offering|due)|financing|loans?|credit\s+(?:facility|deal)|private\s+credit|debt|"
                      r"equity|IPO|shares|stock|dividend|distribution|warrants?)\b", re.I)
_PRESENTATION = re.compile(r"\b(?:investor|earnings|results|company|corporate)\s+(?:presentation|deck|day\s+slides)\b|\bslides\s+as\s+text\b", re.I)
_SPEAKER_DOC = re.compile(r"\b(?=\w)(?:earnings|results|conference|investor)\s+call\b|\btranscript\b|\bletter\s+to\s+(?:shareholders|"
                          r"stockholders|investors)|\bshareholder\s+letter\b|\bin\s+conversation\b|\bQ&A\b|\binterview\b|\bfireside\b|" + _PRESENTATION.pattern, re.I)
_NTH_CUSTOMER = re.compile(r"^\W*(?:[A-Z][\w ]{0,20}:\s+)?(?:The|Our)\s+(?:first|second|third|other|next|new|latest|biggest|largest)\s+(?:one\s+|new\s+)?(?:customer\s+|client\s+|tenant\s+)?is\s+[A-Z]")
_THEY_WITH_US = re.compile(r"^\W*(?:They|It|She|He)(?:['’]ve|['’]s|\s+have|\s+has)?\s+(?:just\s+|also\s+)?(?:signed|struck|inked|agreed)\b[^.;]{0,60}?\b(?:with\s+us|with\s+our\s+company)\b")
_DEAL_WITH = re.compile(r"\b(?:agreement|contract|lease|deal|order|arrangement)s?\s+with\s+(?:the\s+)?$", re.I)
_GREETING = re.compile(r"^\s*(?:Dear|To)\s+(?:[\w-]+\s+){0,3}?(?:shareholders|stockholders|investors|customers|partners|owners)\b", re.I | re.M)
_SIGNER = re.compile(r"^\s*(?:(?:Co-)?[Ff]ounder|CEO|Chief\s+[A-Z]\w+\s+Officer|Chair(?:man|woman)?|President)\b[^\n]{0,80}$")
# "We're Tinyfold Bio, ~25 people", "I'm the CTO of Parallax Labs": a post's
# writer says whose "we" it is.
_SELF_INTRO = re.compile(r"(?:^|[.!?]\s+|\n)(?:[Ww]e(?:'re|’re|\s+are)|I(?:'m|’m|\s+am)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:at|of|for))\s+"
                         r"(?P<name>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})(?=[\s,.;:)!]|$)")
_DOC_TYPE = re.compile(r"\b(?:news(?:room)?|blog|(?:customer\s+)?stor(?:y|ies)|spotlight|internal|confidential|memo(?:randum)?|minutes|"
                       r"post-?mortem|incident|planning|procurement|retrospective|press|engineering|updates?|announcements?|"
                       r"case\s+stud(?:y|ies)|insights|review|board|newsletter|partners?\s+program(?:me)?)\b", re.I)
_MASTHEAD_CO = re.compile(r"(?P<co>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3}(?:,?\s+(?:Inc|Ltd|LLC|Corp|PLC|plc)\.?)?)")
_MASTHEAD = re.compile(_MASTHEAD_CO.pattern + r"(?:\s*(?:/|\||:|·)|\s+-)\s+(?P<rest>.{2,90})$")
_DOC_TAIL = re.compile(r"(?:\s+(?:Engineering|Research|Tech|Technology|Developer|Developers|AI)?\s*(?:Blog|News|Newsroom|Updates|Team|Journal|Insights))+$")
_AUTHOR = r"[A-Z][a-zà-ÿ'-]+(?:\s+[A-Z]\.)?\s+[A-Z][a-zà-ÿ'-]+[*†‡\d,]*"
_AUTHORS = re.compile(_AUTHOR + r"(?:,?\s+(?:and\s+)?" + _AUTHOR + r"){1,30}")
_DATE_ONLY = re.compile(r"(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                        r"(?:\s+\d{1,2},)?\s+(?:19|20)\d\d")
_SUFFIX_END = re.compile(r",?\s+(?:Inc|Ltd|LLC|Corp|PLC|plc)\.?$")
_WE = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Uu]s)\b")


_BYLINE = re.compile(r"^\s*(?:By|From|Posted\s+by)\s+(?:the\s+)?([A-Z][^\n]{0,60}?)\s+(?:team|teams|staff|blog|newsroom|engineering)\b", re.I)
# "Dana Whitfield -- Chief Executive Officer:", "MARCO:", "Jane Smith (CFO):" opening transcript lines
_NAMED_SPEAKER = re.compile(r"^\s*[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+){0,3}(?:\s*(?:,|--|–|—|\()\s*[^:\n]{0,50})?:\s+\S")
_ROLE_OF = re.compile(r"\((?:[^()\n]{0,40}?\b(?:CEO|CFO|COO|CTO|founder|co-founder|chief\s+\w+\s+officer|president|chair\w*|head\s+of\s+\w+)\b[^(),\n]{0,20}),\s*"
                      r"(?P<co>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})\)\s*:")
_GUEST_INTRO = re.compile(r"\b(?:guest|joining\s+(?:me|us))\b[^.\n]{0,40}?,\s*(?:the\s+)?(?:co-?founder\s+and\s+|founder\s+and\s+)?"
                          r"(?:CEO|chief\s+\w+\s+officer|CFO|CTO|COO|founder|co-founder|president|head\s+of\s+\w+)\s+(?:of|at)\s+"
                          r"(?P<co>(?-i:[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3}))", re.I)
_HOST_LINE = re.compile(r"^\s*(?:HOST|INTERVIEWER|Q|MODERATOR)\b[^:\n]{0,40}:")
_SPEAKER_LABEL = re.compile(r"(?:Q|A|CEO|CFO|Co-CEO|COO|CTO|Operator|Analyst|EXEC|HOST|Host|Moderator|Interviewer)\s*:")
_UNNAMED = re.compile(r"\b(?=\w)(?:with|to|for|from|by)\s+(?:a|an|one|another)\s+(?:[\w.-]+\s+){0,4}?(?:customer|client|tenant|hyperscaler|"
                      r"lab|buyer|counterparty|company|party|cloud\s+provider|firm|enterprise|entity)(?:s|ies)?\b|(?-i:\b(?:Customer|Tenant|Client|Counterparty)\s+(?:[A-H]|No\.\s?\d|\d)\b)|\bentered\s+into\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:lease|agreement|contract)\s+for\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:powered\s+shell|building|office|space|site|land|parcel)\b(?![^.;]{0,80}\bwith\b)|\b(?:unnamed|undisclosed|unidentified)\b", re.I)
# "An AI inference company took 8 MW", "A financial services firm renewed 6 MW": an unnamed tenant as subject
_UNNAMED_SUBJ = re.compile(r"^\W*(?:A|An|One|Another)\s+(?:[\w.-]+\s+){0,4}?(?:company|firm|tenant|customer|client|hyperscaler|lab|start-?up|"
                      r"provider|operator|user|buyer|developer|enterprise|bank|insurer|retailer)\s+(?:has\s+|have\s+|had\s+|also\s+)?"
                      r"(?:took|takes|signed|leased|leases|renewed|renews|pre-?leased|committed|contracted|bought|rented|rents|expanded|added)\b", re.I)
_VALUE_Q = re.compile(r"\b(?:worth|cost|costs|value|pay|paying|price|how\s+much)\b", re.I)
# "That customer is Microsoft", "I can now tell you the counterparty is Meta":
# the unnamed customer of the paragraph, named.
_NAMED_LATER = re.compile(r"\b(?:that|the|this|our|my)\s+(?:[\w-]+\s+){0,2}?(?:customer|counterparty|client|tenant|buyer)\s+"
                          r"(?:is|was|turns\s+out\s+to\s+be|has\s+been\s+(?:named|revealed)\s+as)\s+(?:none\s+other\s+than\s+)?$", re.I)
_UNNAMED_TERM = re.compile(r"\b(?:Customer|Tenant|Client|Counterparty)\s+(?:[A-H]|No\.\s?\d|\d)\b")
# Teasers and navigation, not the article's own statements.
_SIDEBAR = re.compile(r"\s*(?:RELATED|Related(?:\s+(?:articles?|stories|reading|coverage|news))?|Read\s+(?:more|also|next)|"
                      r"See\s+also|Also\s+read|More\s+from|Trending|Recommended|Most\s+(?:read|popular)|Popular|"
                      r"Further\s+reading|Sponsored|Advertisement|You\s+(?:may|might)\s+also\s+like|Also\s+in\s+this\s+issue|"
                      r"From\s+the\s+archives?|In\s+case\s+you\s+missed\s+it|ICYMI|(?:Recent|Past|Previous)\s+(?:issues|posts|coverage))\s*[:|\-]", re.I)
# A list of other deals recalled for context: "A few of the markers worth remembering:", "For comparison:"
_CONTEXT_LEAD = re.compile(r"\b(?:markers?|precedents?|for\s+comparison|by\s+comparison|for\s+context|worth\s+remembering|earlier\s+deals|"
                           r"other\s+(?:deals|contracts|agreements|conversions)|previous\s+(?:deals|contracts)|recent\s+(?:deals|history)|"
                           r"the\s+list\s+of|examples?|comparables?|peers?)\b", re.I)
_SIDEBAR_HEAD = re.compile(r"(?:RELATED|Related(?:\s+(?:articles?|stories|reading|coverage|news|posts))?|Read\s+(?:more|also|next)|See\s+also|"
                           r"Also\s+read|More\s+from\s+[\w ]{1,30}|Trending|Recommended(?:\s+for\s+you)?|Most\s+(?:read|popular)|"
                           r"Further\s+reading|You\s+(?:may|might)\s+also\s+like|Also\s+in\s+this\s+issue|From\s+the\s+archives?|"
                           r"In\s+case\s+you\s+missed\s+it|ICYMI|(?:Recent|Past|Previous)\s+(?:issues|posts|coverage))\s*:?", re.I)
_SIDEBAR_FIRST = re.compile(r"\s*(?:RELATED|Related|Read|See|Also|More|Trending|Recommended|Most|Popular|Further|"
                            r"Sponsored|Advertisement|You\s+(?:may|might)|From\s+the\s+archive|In\s+case\s+you|ICYMI|(?:Recent|Past|Previous)\s+(?:issues|posts|coverage))\b", re.I)
_BOILER = re.compile(r"\s*(?:(?:About|ABOUT)\s+(?:the\s+)?[A-Z][\w.&'-]*(?:\s+(?:[A-Z0-9][\w.&'-]*|of|for|and|&))*\s*(?:$|[:|]\s)|"
                     r"(?:Forward[\s-]Looking\s+Statements?|FORWARD[\s-]LOOKING\s+STATEMENTS?|Cautionary\s+(?:Note|Statement)|Safe\s+Harbou?r|"
                     r"Media\s+(?:Contacts?|Inquiries|Enquiries)|Press\s+Contacts?|Investor\s+(?:Contacts?|Relations))\b\s*:?\s*$)")
_BOILER_FIRST = frozenset(" \tAFCMPIS")
_DIGIT = re.compile(r"[\d$€£|]")
_CUE_WORDS = tuple("""gpu tpu trainium comput capacit cloud chip data cent infrastructure cluster supercomputer
server notice ramp discount reduced lower rate price month -year years deal contract agreement partnership lease workload customer
tenant megawatt gigawatt colossus stargate claude grok gpt gemini llama pay paid rent purchas buy suppl provid
host serv sign select chose pick tap order site campus facilit located model train""".split())


_CONTEXT_HEAD = re.compile(r"\W*(?:context|background|previously|earlier\s+deals|other\s+deals)\b", re.I)
_PPA_SENT = re.compile(r"\b(?:power|energy|electricity)\s+(?:purchase|supply|offtake)\s+(?:agreement|contract|deal)s?\b|\bPPAs?\b", re.I)
_QUESTION_END = re.compile(r"\?[\s\"”’)]*$")


def _cue_re() -> re.Pattern[str]:
    from .companies import trie_regex
    return re.compile(trie_regex(_CUE_WORDS))


_CUE_RE = _cue_re()


def _para_cue(line: str) -> bool:
    """Cheap test: can this paragraph hold a claim or name a deal? (Substring
    tests on the lower-cased line are far faster than one big regex.)"""
    if _DIGIT.search(line):
        return True
    return _CUE_RE.search(line.lower()) is not None


_LABEL_REST = re.compile(r"\W{0,3}(?:\s*\([A-Z$]{2,6}\))?\s*[.:\u2014\u2013-]?\s*")
_SCOPED = ("payment", "capacity_power", "gpu_count", "term_years")
_RANK = {"lab": 0, "hyperscaler": 1, "unknown": 2, "neocloud": 2, "vendor": 3}


@dataclass
class _Sent:
    sent: Sentence
    mentions: list[Mention]
    pairs: list[Pair]
    cut: int  # figures after a comparison cue are ignored
    table_deal: Optional[tuple[str, str]] = None
    table_cells: list[tuple[int, int, str]] = field(default_factory=list)
    table_units: dict[int, str] = field(default_factory=dict)  # cell start -> header text
    halves: list[Half] = field(default_factory=list)
    cue: bool = False  # COMPUTE_CUE in the sentence
    deal: bool = False  # DEAL_NOUN in the sentence
    boiler: bool = False  # press-release boilerplate ("About X", forward-looking statements)
    label: bool = False  # "AWS." leading a paragraph: names the company the paragraph is about
    ask: bool = False  # a question: it says which deal is discussed but asserts no figure


def extract_claims(doc: Document, learned: bool = True) -> list[ExtractedClaim]:
    """Every compute-deal fact ``doc`` states, each with its verbatim sentence.

    ``learned=False`` skips the learned filter (confidence.py), giving the
    rules' own output, which is what the filter is trained on.
    Never raises on odd input: a bug in a rule costs that document's claims,
    not the pipeline run."""
    if not doc.text or not doc.text.strip():
        return []
    try:
        claims = _one_ramp(_short_named(_extract(doc), doc.text))
        return confident(claims, doc) if learned else claims
    except Exception:  # pragma: no cover - defensive
        log.exception("extractor failed on %s", doc.url)
        return []


_SELF_SHORT = re.compile(r"\b(?P<full>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){1,4}?)(?:,?\s+(?:Inc|Corp|Corporation|LLC|Ltd|Limited|plc|PLC|AS|ASA|AB|SA|AG|GmbH|N\.V)\.?)?,?\s*"
                         r"(?:\([^()\"]{0,80}\)\s*)?\((?:[^()\"]{0,60}?[;,]\s*)?(?:the\s+)?[\"“](?P<short>[A-Z][\w&.-]*(?:\s[A-Z][\w&.-]*)?)[\"”]")


_GENERIC_TAIL = re.compile(r"\s+(Data\s+Cent(?:er|re)s|(?:Digital|AI)\s+Infrastructure|Infrastructure|Technologies|Holdings|Group)$")


def _one_ramp(claims: list[ExtractedClaim]) -> list[ExtractedClaim]:
    """One delivery schedule per deal: later sentences restate the first."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in claims:
        if c.field == "ramp":
            k = (c.buyer, c.provider, c.agreement)
            if k in seen:
                continue
            seen.add(k)
        out.append(c)
    return out


def _in_brackets(s: str, m: Mention) -> bool:
    return s.rfind("(", 0, m.start) > s.rfind(")", 0, m.start) and s.find(")", m.end) >= 0


def _short_named(claims: list[ExtractedClaim], text: str) -> list[ExtractedClaim]:
    """A new company that names itself ('Skarvik Data Holdings Ltd ("Skarvik")')
    is recorded under the short name it chose, however the text writes it."""
    if not claims:
        return claims
    reg = registry()
    short: dict[str, str] = {}
    # "Scala Data Centers ... Scala says": a generic tail the text itself drops.
    for n in {c.buyer for c in claims} | {c.provider for c in claims}:
        m = _GENERIC_TAIL.search(n)
        if m and reg.kind(n) == "unknown":
            s = n[:m.start()]
            if re.search(r"(?<![\w-])" + re.escape(s) + r"(?![\w-]|\s+" + re.escape(m.group(1)) + ")", text):
                short[n] = s
        # "LIVE: Halvorsen Cloud Q3 call" in the headline only, "Halvorsen is the
        # Oslo-listed neocloud" in the body: the body introduces the name.
        words = n.split()
        if len(words) >= 2 and reg.kind(n) == "unknown" and n not in short:
            body = text.split("\n", 1)[1] if "\n" in text else ""
            head = words[0]
            if n not in text:
                body = text  # named only in the metadata or on a shouted cover ("LARKSPUR AI, INC."): the text's own name
            if n not in body and (
                    re.search(r"(?<![\w-])" + re.escape(head) + r"(?:\s+is|,)\s+(?:a|an|the)\s", body)
                    or len(re.findall(r"(?<![\w-])" + re.escape(head) + r"(?!\s+[A-Z]|[\w-])", body)) >= 1):
                short[n] = head  # "SOLVANCE CLOUD CORP." on the cover, "Solvance operates ..." throughout
    if '("' not in text and "(“" not in text and '"' not in text and not short:
        return claims
    for m in _SELF_SHORT.finditer(text):
        full, s = clean_unknown(m.group("full")), m.group("short")
        words = full.split()
        while len(words) > 1 and words[0] != s.split()[0] and (words[0] in _STOP_WORDS or words[0].isupper()):
            words = words[1:]  # "Plaintiff Arclight Cloud Services, LLC (\"Arclight\")"
        full = " ".join(words)
        if s != full and words[:len(s.split())] == s.split() and reg.kind(full) == "unknown" \
                and reg.kind(s) == "unknown":
            short[full] = s
            if words[-1] in ("Holdings", "Group"):
                short[" ".join(words[:-1])] = s
    if not short:
        return claims
    out = [replace(c, buyer=short.get(c.buyer, c.buyer), provider=short.get(c.provider, c.provider)) for c in claims]
    seen, uniq = set(), []
    for c in out:
        k = (c.buyer, c.provider, c.field, c.value, c.scope, c.quote)
        if k not in seen:
            seen.add(k)
            uniq.append(c)
    return uniq


# Award notices and contract records label their parties: "Awardee: X",
# "Contractor: X", "Winner: X" sell; "Agency: X", "Contracting office: X",
# "Official name: X" (under a Buyer section) buy.
_FORM_LABEL = re.compile(
    r"\s*(?:[\d.]+\s+|[-*•]\s*|\(?[a-z]\)\s+|\(?[ivx]+\)\s+)?(?:(?P<prov>Awardee|Contractor|Vendor|Supplier|Winner|Successful\s+(?:bidder|tenderer|offeror)|"
    r"Service\s+provider|Provider|Lessor|Landlord|Name\s+of\s+(?:the\s+)?(?:contractor|supplier|winner|awardee|service\s+provider)|"
    # Indian Regulation 30 intimations: "Name of the entity to which the order is awarded: X"
    r"Name\s+of\s+the\s+(?:entity|company|party)\s+to\s+which\s+the\s+(?:order|contract)\s+(?:is|has\s+been)\s+awarded)(?:\s+name)?|"
    r"(?P<buy>Agency|Awarding\s+(?:agency|office|body|authority|entity)|Contracting\s+(?:office|authority|agency|activity|entity)|"
    r"Buyer|Purchaser|Customer|Procuring\s+(?:entity|agency|authority)|Lessee|Tenant|Requiring\s+(?:agency|activity)|"
    r"Name\s+of\s+the\s+(?:entity|company|party)\s+(?:awarding|placing)\s+the\s+(?:order|contract)|Counterparty|Name\s+of\s+(?:the\s+)?(?:customer|counterparty)|"
    r"(?P<official>Official\s+name)))\s*:\s+(?P<v>\S.{1,200})$", re.I)
_FORM_BUYER_SECTION = re.compile(r"\b(?:Buyer|Contracting\s+authority|Purchaser|Awarding\s+(?:body|authority))\b", re.I)


def _unshout(w: str, reg: Registry) -> str:
    """One word of a shouted masthead in its usual case: "HALDEN" -> "Halden",
    "INC." -> "Inc.", while "AI", "IREN" and "LLC" stay as they are."""
    core = w.strip(",.")
    if reg.pattern.fullmatch(core) or len(core) < 4 and core not in ("INC", "LTD"):
        return w
    return w.replace(core, core.title())


def _form_parties(norm: str, reg: Registry, dterms: Optional[DocTerms]) -> tuple[dict[int, tuple[str, str]], set[int]]:
    """The deals an award notice or order intimation labels: {paragraph of the
    block's first label: (buyer, provider)}, and the paragraphs of all labels.
    A notice may list several orders ("ORDER - I", "ORDER - II"): a role
    labelled again after both are known starts the next block."""
    blocks: dict[int, tuple[str, str]] = {}
    labels: set[int] = set()
    if ":" not in norm:
        return blocks, labels
    found: dict[str, str] = {}
    first, pending = -1, set()
    off = 0
    for i, line in enumerate(norm.split("\n"), 1):
        lstart, off = off, off + len(line) + 1
        if ":" not in line[:90]:
            continue
        fm = _FORM_LABEL.match(line)
        if not fm:
            continue
        if fm.group("official") and not _FORM_BUYER_SECTION.search(norm[max(0, lstart - 300):lstart]):
            continue
        who = _form_party(fm.group("v"), reg, dterms)
        role = "provider" if fm.group("prov") else "buyer"
        if not who:
            continue
        if role in found and len(found) == 2:
            found, first, pending = {}, -1, set()  # the next order's labels
        if role not in found and who not in found.values():
            found[role] = who
            pending.add(i)
            first = i if first < 0 else first
            if len(found) == 2:
                blocks[first] = (found["buyer"], found["provider"])
                labels |= pending
    return blocks, labels


def _form_party(v: str, reg: Registry, dterms: Optional[DocTerms]) -> Optional[str]:
    """The company a form label names: its first mention (a subsidiary
    resolves to its parent), else the text up to the first comma."""
    v = v.strip()
    sub = re.search(r",\s+(?:a|an)\s+(?:(?:wholly|majority|fully)[\s-]owned\s+|indirect\s+|direct\s+)*subsidiary\s+of\s+(.+)$", v, re.I)
    for part in ((sub.group(1),) if sub else ()) + (v,):
        ms = [m for m in find_mentions(part, None, reg, doc=dterms) if not m.pronoun]
        if ms and ms[0].start <= 2:
            name = ms[0].name
            return None if reg.kind(name) in ("vendor", *NEVER_PARTY) else name
    head = re.split(r",|\s+\(|;", v, maxsplit=1)[0].strip()
    name = public_body_name(head, reg) or _plausible_unknown(head, reg, suffixed=True)
    return name if name and not any(c.isdigit() for c in name) else None


def _context_company(sents: list["_Sent"], topic: list[str], exclude: set[str]) -> str:
    """The company the text so far is about: most named (headline first), for
    the missing side of a one-sided table."""
    counts: dict[str, int] = {}
    for st in sents:
        for m in st.mentions:
            if m.name not in exclude:
                counts[m.name] = counts.get(m.name, 0) + 1
    for t in topic:
        if t not in exclude:
            counts[t] = counts.get(t, 0) + 2
    return max(counts, key=lambda n: counts[n]) if counts else ""


def _cloud_pair(p: Pair, reg: Registry) -> bool:
    """A known buyer paying a known cloud further down the chain."""
    kb, kp = reg.kind(p.buyer), reg.kind(p.provider)
    return kb in ("lab", "hyperscaler") and kp in ("hyperscaler", "neocloud") and reg.rank(p.buyer) < reg.rank(p.provider)


# What an unknown company is, from its name or the way the document
# introduces it: "Tessaract Labs, a developer of AI models" buys compute;
# "Lodestar Digital Infrastructure", "KT Cloud", "a GPU cloud operator" sell it.
_LAB_TAIL = re.compile(r"\s(?:Labs?|AI|Intelligence|Research|Bio|Robotics)$")
_CLOUD_TAIL = re.compile(r"\s(?:Cloud|Compute|Computing|Networks|GPU\s+Cloud)$")
_LANDLORD_TAIL = re.compile(r"\s(?:Data\s+Cent(?:er|re)s?|Datacenters?|(?:Digital|AI)\s+Infrastructure|Infrastructure|Mining|Hosting|Digital|DC)$")
_LAB_DESC = re.compile(r"\b(?:developer|maker|builder|creator)s?\s+of\s+(?:[\w-]+\s+){0,4}?(?:models?|AI|artificial\s+intelligence|chatbots?|agents?)\b|"
                       r"\b(?:AI|research|model|robotics)[\s-]+(?:lab|laboratory|start-?up|developer|company)\b|"
                       r"\b(?:start-?up|lab)\s+(?:building|training|developing|behind)\b", re.I)
_CLOUD_DESC = re.compile(r"\b(?:neocloud|cloud\s+(?:provider|operator|platform|company)|GPU\s+cloud|AI\s+cloud|(?:compute|capacity)\s+provider)\b", re.I)
_LANDLORD_DESC = re.compile(r"\b(?:data[\s-]?cent(?:er|re)s?\s+(?:operator|developer|owner|company|provider|landlord)|"
                            r"(?:developer|operator|owner)\s+of\s+(?:[\w-]+\s+){0,3}?data[\s-]?cent(?:er|re)s|"
                            r"colocation|hosting\s+(?:provider|company)|(?:bitcoin|crypto)\s+miner|infrastructure\s+(?:provider|company|operator|developer)|"
    # "the Portuguese developer X", "X, a developer": a property developer (an AI developer reads as a lab first)
    r"(?:^|\|\s|(?:the|a|an)\s+(?:[A-Z][\w-]*\s+)?)(?:property\s+|real[\s-]estate\s+)?(?:developer|landlord|lessor)(?=\s*(?:$|\||[A-Z]|,|\s+(?:and|that|which|whose|based|owned)\b)))\b", re.I)


def _unknown_rank(name: str, norm: str) -> Optional[float]:
    """Where an unknown company sits in a deal, from its name or the way the
    document introduces it: 0 an AI lab (buys), 2 a GPU cloud, 2.5 a data
    center landlord (sells to clouds); None if unclear. The introduction may
    come at a later mention ("Orrin Labs picks Arcfield" ... "Orrin, the San
    Francisco research lab behind ...")."""
    i = norm.find(name)
    for _ in range(3):
        if i < 0:
            break
        r = _described_rank(name, norm, i)
        if r is not None:
            return r
        i = norm.find(name, i + len(name))
    if is_public_body(name):
        return 0.0
    for rx, tail, rank in ((_LAB_DESC, _LAB_TAIL, 0.0), (_LANDLORD_DESC, _LANDLORD_TAIL, 2.5), (_CLOUD_DESC, _CLOUD_TAIL, 2.0)):
        if tail.search(name):
            return rank
    return None


def _described_rank(name: str, norm: str, i: int) -> Optional[float]:
    """The rank the description around the mention at ``i`` gives, if any."""
    desc = ""
    if i >= 0:
        desc = norm[i + len(name):i + len(name) + 160]
        desc = re.sub(r"^,?\s*(?:Inc|Corp|Ltd|LLC|plc|PLC|S\.A|SA|AG|SE|GmbH|AB|ASA|Oyj?|N\.V|B\.V|Pty\s+Ltd|K\.K|S\.p\.A)\.?(?=,|\s)", "", desc)
        m = re.match(r"[^.;:]{0,40}?(?:\)|,)\s+(?:a|an|the)\s+([^.;,()]{0,110})", desc)
        desc = m.group(1) if m else ""
        before = norm[max(0, i - 80):i]
        b = re.search(r"(?:^|[.;]\s)([^.;]*)$", before)
        if b and not re.search(r"\b(?:with|and|from|to|by)\s+(?:the\s+)?$", b.group(1)):
            desc = b.group(1)[-60:] + " | " + desc  # "Bengaluru-based AI lab Sarvam"
    for rx, tail, rank in ((_LAB_DESC, _LAB_TAIL, 0.0), (_LANDLORD_DESC, _LANDLORD_TAIL, 2.5), (_CLOUD_DESC, _CLOUD_TAIL, 2.0)):
        if rx.search(desc):
            return rank
    return None


_NO_NEW_DEALS = re.compile(r"\b(?:nobody|no\s+one|no\s+company|none\s+of\s+them)\s+(?:\w+\s+){0,2}?announced\s+(?:a\s+|any\s+)?new\b|"
                           r"\bno\s+new\s+(?:[\w-]+\s+){0,2}?(?:deals?|contracts?|agreements?)\s+(?:were|was)\s+(?:announced|signed)\b|"
                           r"\bquiet\s+week\s+for\s+(?:deals|contracts)\b", re.I)


_SAID_THAT = re.compile(r"\b(?:said|says|announced|confirmed)\s+(?:on\s+\w+\s+)?that\b")
_SPEAKER_LINE = re.compile(r"^\s*(?P<label>[A-Z][A-Za-z.'\- ]{1,40}?)\s*(?:\((?P<paren>[^()\n]{0,100})\))?\s*:\s")


def _speaker_companies(norm: str, reg: Registry) -> dict[str, Optional[str]]:
    """Speaker surname (upper case) -> the company in their transcript label;
    None for hosts, moderators and analysts."""
    out: dict[str, Optional[str]] = {}
    for line in norm.split("\n"):
        m = _SPEAKER_LINE.match(line)
        if not m:
            continue
        key = m.group("label").split()[-1].upper()
        label = m.group("label").upper()
        if re.match(r"(?:HOST|MODERATOR|OPERATOR|ANALYST|INTERVIEWER|Q|QUESTION|AUDIENCE)\b", label):
            out.setdefault(key, None)
            continue
        paren = m.group("paren")
        if paren and "," in paren:
            co = paren.rsplit(",", 1)[1].strip()
            ms0 = reg_mentions(co, None, reg)
            name = ms0[0].name if ms0 and ms0[0].start == 0 else _plausible_unknown(co, reg, suffixed=False)
            if name and reg.kind(name) not in ("vendor",):
                out[key] = name
    return out


def _same_group(a: str, b: str, reg: Registry) -> bool:
    """Two names of one corporate family: "Halberd Compute" and "Halberd GPU Cloud",
    or a subsidiary and its parent in companies.yaml (Core42 and G42)."""
    if reg.parent(a) == b or reg.parent(b) == a:
        return True
    if reg.kind(a) != "unknown" or reg.kind(b) != "unknown":
        return False
    wa, wb = a.split(), b.split()
    return len(wa[0]) >= 4 and wa[0] == wb[0] and (len(wa) > 1 or len(wb) > 1)


def _settle(pair: Pair, roles: dict[frozenset[str], tuple[str, str]], reg: Registry,
            defined: Optional[dict[str, str]] = None, norm: str = "") -> Optional[tuple[str, str]]:
    if pair.directed:
        return pair.buyer, pair.provider
    key = frozenset((pair.buyer, pair.provider))
    if key in roles:
        return roles[key]
    if defined:
        # The document defines one of them as "the Customer" or "the Provider".
        a, b = pair.buyer, pair.provider
        if defined.get(a) == "buyer" or defined.get(b) == "provider":
            return a, b
        if defined.get(b) == "buyer" or defined.get(a) == "provider":
            return b, a
    ra, rb = reg.rank(pair.buyer), reg.rank(pair.provider)
    if norm:
        ga = _unknown_rank(pair.buyer, norm) if reg.kind(pair.buyer) == "unknown" else None
        gb = _unknown_rank(pair.provider, norm) if reg.kind(pair.provider) == "unknown" else None
        ra, rb = (ra if ga is None else ga), (rb if gb is None else gb)
    if max(ra, rb) >= 3:
        return None  # a vendor or financier: not a compute relation
    if ra == rb:
        # Same usual role: use the roles these companies play in this
        # document's other deals ("Fluidstack leases from Cipher ... a pact
        # Fluidstack struck with TeraWulf").
        buys = {b for b, _ in roles.values()}
        sells = {p for _, p in roles.values()}
        a, b = pair.buyer, pair.provider
        a_b = (a in buys and a not in sells) or (b in sells and b not in buys)
        b_a = (b in buys and b not in sells) or (a in sells and a not in buys)
        if a_b != b_a:
            return (a, b) if a_b else (b, a)
        return None
    return (pair.buyer, pair.provider) if ra < rb else (pair.provider, pair.buyer)


def _extract(doc: Document, trace: Optional[dict] = None,
             known: Optional[frozenset[str]] = None) -> list[ExtractedClaim]:
    text = doc.text
    reg = registry()
    norm = recase_shouting(normalise(text), reg)
    filer = reg.canonical(doc.filer) if doc.kind == "filing" and doc.filer else None
    doc_cues = 0
    for _ in COMPUTE_CUE.finditer(norm):
        doc_cues += 1
        if doc_cues >= 3:
            break

    wanted = _candidate_paras(norm, reg) if len(norm) > _LONG else None

    # ---- pass 1: sentences, mentions, relations -------------------------
    sents: list[_Sent] = []
    pos = 0
    para = 0
    table: Optional[tuple[int, int, int]] = None  # provider col, buyer col, n cells
    theads: list[str] = []
    prev_subject: Optional[str] = None
    main_pair: Optional[set[str]] = None
    topic = title_names(doc, norm, reg, filer)
    dterms = doc_terms(norm, reg, filer) if len(norm) <= _LONG else None
    if known:
        dterms = with_names(dterms, set(known), norm)
    proper = set(_MID_CAP.findall(norm)) if len(norm) <= _LONG else None
    speaker_doc = bool(_SPEAKER_DOC.search((doc.title or "") + "\n" + norm[:400]))
    guest: Optional[str] = None
    if filer is None and (speaker_doc or "):" in norm[:6000]):
        # "MARISOL QUINTERO (co-founder and CEO, Tessellate):" - the guest's company speaks as "we"
        rm = _ROLE_OF.search(norm[:6000]) or _GUEST_INTRO.search(norm[:6000])
        if rm:
            ms0 = reg_mentions(rm.group("co"), None, reg)
            name = ms0[0].name if ms0 and ms0[0].start == 0 else _plausible_unknown(rm.group("co"), reg, suffixed=False)
            if name and reg.kind(name) not in ("vendor", *NEVER_PARTY):
                filer = guest = name
                topic = title_names(doc, norm, reg, filer)
    if filer is None and topic and (reg.kind(topic[0]) != "unknown" or speaker_doc) and (
            speaker_doc
            or any(_SPEAKER_LABEL.match(ln) for ln in norm[:3000].split("\n")[:40] if ":" in ln[:16])
            or sum(1 for ln in norm[:6000].split("\n")[:80] if _NAMED_SPEAKER.match(ln)) >= 3):
        # Calls, interviews, shareholder letters: "we"/"our" is the company
        # whose call or letter it is, just as in a filing.
        filer = topic[0]
        head = (doc.title or "") + "\n" + norm[:400]
        sm = _PRESENTATION.search(head)
        if sm:
            # "Lodeston Compute — Investor Presentation": the company named just before it
            near = [t for t in topic if t in head[max(0, sm.start() - 60):sm.start()]]
            if near:
                filer = near[-1]
    if filer is None and dterms is not None and dterms.terms.get("Company") and norm.find('"the Company"') < 3000:
        # A press release: 'Lodestar Digital Infrastructure, Inc. ("Lodestar"
        # or "the Company")' -- its "we" and "the Company" are the issuer.
        filer = dterms.terms["Company"]
        topic = title_names(doc, norm, reg, filer)
    if filer is None:
        # A company's own blog: "By the Microsoft Cloud Operations team" —
        # its "we" is that company.
        for ln in norm[:1500].split("\n")[:8]:
            bm = _BYLINE.match(ln)
            if bm:
                ms0 = [m for m in reg_mentions(bm.group(1), None, reg) if reg.kind(m.name) != "unknown"]
                if ms0:
                    filer = ms0[0].name
                    break
    if filer is None and _WE.search(norm[:8000]):
        # A company's own page or paper: "Arcfield Compute / News", "HALCYON LABS
        # - INTERNAL", "Brisa AI - Incident Post-Mortem", "VANTOR LABS, INC." over
        # board minutes: its "we" (and "the Company") is the masthead's company.
        # (read from the text before shouted lines are recased: "HALDEN LABS - INTERNAL")
        first_lines = [ln.strip() for ln in normalise(text[:1200]).split("\n") if ln.strip()][:6]
        head = first_lines[:3]
        if head and head[0].isupper():
            head[0] = " ".join(_unshout(w, reg) for w in head[0].split())
        mm = None
        for k, ln in enumerate(head):
            # "Arcfield Compute / News", or a byline under the title: "Pelagic Research - August 2026"
            m1 = _MASTHEAD.match(ln)
            if m1 is not None and (_DOC_TYPE.search(m1.group("rest")) and k == 0 or _DATE_ONLY.fullmatch(m1.group("rest"))):
                mm = m1
                break
        if mm is None and len(head) >= 2 and _MASTHEAD_CO.fullmatch(head[0]) and _DOC_TYPE.search(head[1]):
            mm = _MASTHEAD_CO.fullmatch(head[0])
        if mm is None:
            # A paper: title, author list, then the authors' company ("Tessellate Labs")
            for a, b in zip(first_lines, first_lines[1:]):
                if _AUTHORS.fullmatch(a) and _MASTHEAD_CO.fullmatch(b):
                    mm = _MASTHEAD_CO.fullmatch(b)
                    break
        if mm:
            raw = _DOC_TAIL.sub("", mm.group("co")) or mm.group("co")  # "Corvid Engineering Blog": Corvid
            ms0 = reg_mentions(raw, None, reg)
            name = ms0[0].name if ms0 and ms0[0].start == 0 else _plausible_unknown(raw, reg, suffixed=bool(_SUFFIX_END.search(raw)))
            if name and reg.kind(name) not in ("vendor", *NEVER_PARTY):
                filer = name
                topic = title_names(doc, norm, reg, filer)
    if filer is None and ("e're" in norm[:4000] or "e are" in norm[:4000] or "I'm" in norm[:4000] or "I am" in norm[:4000]):
        for sm in _SELF_INTRO.finditer(norm[:4000]):
            raw = sm.group("name")
            later = re.match(r"\s+(?:for|at|of)\s+(?P<n>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})", norm[sm.end("name"):sm.end("name") + 80])
            if later:
                raw = later.group("n")  # "Vice President of Development for Pinecrest Digital": the company, not the department
            ms0 = reg_mentions(raw, None, reg)
            name = ms0[0].name if ms0 and ms0[0].start == 0 else _plausible_unknown(raw, reg, suffixed=False)
            if name and reg.kind(name) not in ("vendor", *NEVER_PARTY):
                filer = name
                topic = title_names(doc, norm, reg, filer)
                break
    if filer is None and _GREETING.search(norm[:600]):
        # A signed letter ("Dear fellow shareholders, ... Chief Executive
        # Officer, CoreWeave"): its "we" is the signer's company.
        tail = norm[-2500:].split("\n")
        for i, ln in enumerate(tail):
            if _SIGNER.match(ln):
                ms0 = [m for m in reg_mentions(" ".join(tail[i:i + 2]), None, reg) if reg.kind(m.name) != "unknown"]
                if ms0:
                    filer = ms0[0].name
                    break
    boiler = False
    side_list = False
    context_list = False
    label: Optional[tuple[str, int]] = None  # (company, paragraph) a leading name labels
    # A panel: each speaker's "we" is the company in their label ("SAM ORTEGA (Chief
    # Development Officer, Crusoe):"), and the moderator's "we" is nobody's.
    speakers = _speaker_companies(norm, reg) if "):" in norm[:8000] else {}
    panel = len(set(speakers.values()) - {None}) >= 2
    speaking = filer
    last_lines: list[str] = []  # the non-blank lines before this one (a table's heading)
    context_sec = False  # under a "Context"/"Background" heading, until the next heading
    form_blocks, form_lines = _form_parties(norm, reg, dterms)  # an award notice's labelled parties
    named_later: dict[int, tuple[str, str]] = {}  # paragraph -> the deal whose unnamed customer it names
    for line in norm.split("\n"):
        lstart = pos
        pos += len(line) + 1
        para += 1
        if not line.strip():
            table = None
            continue
        if para in form_blocks:
            # An award notice names both sides in labelled lines: the deal is
            # stated from its first label on, and its unlabelled lines ("Base
            # period value: $186.4M") are that deal's. (ask: the label's own
            # address is no site.)
            a, b = lstart + (len(line) - len(line.lstrip())), lstart + len(line.rstrip())
            buyer_, prov_ = form_blocks[para]
            sents.append(_Sent(Sentence(a, b, para, norm[a:b]), [], [Pair(buyer_, prov_, True, 0, 0, b - a)],
                               b - a, cue=True, deal=True, ask=True))
            continue
        above, last_lines = last_lines, (last_lines + [line.strip()])[-3:]
        if panel:
            lab = _SPEAKER_LINE.match(line)
            if lab:
                speaking = speakers.get(lab.group("label").split()[-1].upper())
        if not boiler and line[:1] in _BOILER_FIRST and _BOILER.match(line):
            # "About Nscale", "Forward-looking statements", "Media contact":
            # press-release boilerplate to the end of the document. It still
            # says who provides what (roles), but its figures are not the deal's.
            boiler = True
        h = tables.header(line)
        if h:
            table = (h[0], h[1], len(h[2]))
            theads = h[2]
            if above and (tables.COMPARE_HEAD.search(above[-1]) and len(above[-1]) < 120 or (
                    len(above) > 1 and tables.COMPARE_HEAD.search(above[-2]) and len(above[-2]) < 120 and len(above[-1]) < 80)):
                table = (h[0], h[1], -1)  # rows of other deals, under a comparison heading: read none of them
            if h[0] == -2:
                table = (-2, -2, -1)  # "Vendor | Customer | Units": hardware shipments, not compute deals
            continue
        if table:
            cs = tables.cells(line)
            if table[2] == -1 and len(cs) >= 3:
                continue  # a row of a table that states no deal of this document
            if len(cs) == table[2]:
                prov = reg.canonical(cs[table[0]]) if table[0] >= 0 and cs[table[0]] else ""
                buyer = reg.canonical(cs[table[1]]) if table[1] >= 0 and cs[table[1]] else ""
                if table[0] < 0 or table[1] < 0:
                    side = _context_company(sents, topic, {buyer, prov})
                    prov, buyer = (side, buyer) if table[0] < 0 else (prov, side)
                if _UNNAMED_CELL.match(prov) or _UNNAMED_CELL.match(buyer):
                    prov = buyer = ""  # "Undisclosed hyperscaler": a party we cannot name
                if any(_TALKS_CELL.fullmatch(c) for c in cs):
                    prov = buyer = ""  # a row for talks, not a signed deal
                if prov and buyer and prov != buyer:
                    a = lstart + (len(line) - len(line.lstrip()))
                    b = lstart + len(line.rstrip())
                    st = _Sent(Sentence(a, b, para, norm[a:b]), [], [], b - a, (buyer, prov))
                    off = 0
                    for i, c in enumerate(cs):
                        k = st.sent.text.find(c, off) if c else -1
                        if k >= 0 and i not in (table[0], table[1]):
                            st.table_cells.append((k, k + len(c), c))
                            st.table_units[k] = theads[i] if i < len(theads) else ""
                            off = k + len(c)
                    sents.append(st)
                continue
            table = None
        if wanted is not None and para not in wanted and not table:
            continue
        if side_list and _BULLET.match(line):
            continue  # an item under "You may also like"
        if context_list and _BULLET.match(line) and not (len(topic) >= 2 and all(t in line for t in topic[:2])):
            continue  # "A few of the markers worth remembering:" - other deals recalled for context
        side_list = False
        short = len(line) < 90 and not _BULLET.match(line)
        heading = short and not re.search(r"[.!?\"”]\s*$", line)
        if heading:
            # "Context: a busy year for Nebius": the section under it recalls other deals
            context_sec = bool(_CONTEXT_HEAD.match(line)) and speaking is None  # (a company's own background is its deal's)
        elif context_sec and not _BULLET.match(line):
            continue
        context_list = bool(line.rstrip().endswith(":") and _CONTEXT_LEAD.search(line)) or bool(
            short and not line.rstrip().endswith(".") and (tables.COMPARE_HEAD.search(line) or _CONTEXT_HEAD.match(line)))
        if _SIDEBAR_FIRST.match(line) and _SIDEBAR_HEAD.fullmatch(line.strip()):
            side_list = True  # "You may also like" on its own line: the bullets under it are teasers
            continue
        if not _para_cue(line) or (_SIDEBAR_FIRST.match(line) and _SIDEBAR.match(line)):
            continue
        for s in split_sentences(line, line):
            s = Sentence(s.start + lstart, s.end + lstart, para, s.text)
            ms = reg_mentions(s.text, speaking, reg, proper, dterms,
                              guest if guest and not panel and _HOST_LINE.match(line) else None)
            cmp = _COMPARE.search(s.text)
            cut = cmp.start() if cmp else len(s.text)
            distinct = {m.name for m in ms if m.start < cut}
            halves: list[Half] = []
            low = s.text.lower()
            if "binding" in low and _NON_BINDING.search(s.text):
                distinct, cut = set(), 0  # "a non-binding letter of intent for up to 50 MW": no deal yet
            elif any(w in low for w in _TENT_W) and _TENTATIVE.search(s.text):
                distinct = set()
                if not _FINAL.search(s.text):
                    cut = 0  # talks: no figures either
            elif ("might" in low or "could" in low) and _MIGHT_DEAL.search(s.text) \
                    and not _FINAL.search(s.text) and not _OPTION_CUE.search(s.text):
                distinct, cut = set(), 0  # "The reporting says Meta might rent TPU capacity from Google"
            if ("analyst" in low and _ANALYST.search(s.text) and _FORWARD.search(s.text)) or (
                    _SPECULATE.search(s.text) and not _FINAL.search(s.text) and not _OPTION_CUE.search(s.text)) or (
                    "have" in low and _COUNTERFACTUAL.search(s.text)):
                cut = 0
            # An analyst's own estimate ("We use $50B ... for modelling purposes")
            # states no figure of the deal, though it still says which deal the
            # text is on (a total spread per year stays: the deal's, on the writer's math).
            est = _OWN_ESTIMATE.search(s.text) if filer is None and ("we " in low or "our " in low or "my " in low) \
                and not _PER_YEAR_W.search(s.text) else None
            hypo = _HYPO.search(s.text) if any(w in low for w in _HYPO_W) else None
            if hypo:
                cut = min(cut, hypo.start())
                if re.match(r"(?:nobody|no\s+one|won't|will|would|declined)", hypo.group(), re.I) and \
                        re.search(r"\bwhether\b", s.text[:hypo.start()], re.I):
                    cut = 0  # "whether TPUs are in the mix, nobody will say": nothing stated
            has_cue = bool(COMPUTE_CUE.search(s.text))
            has_deal = bool(DEAL_NOUN.search(s.text))
            if len(distinct) >= 2 or (distinct and prev_subject and prev_subject not in distinct) or (
                    distinct and (has_cue or has_deal)):
                pairs = find_pairs(s.text[:cut], [m for m in ms if m.start < cut], reg, prev_subject, halves)
            else:
                pairs = []
            if (pairs or halves) and ("leas" in low or "rent" in low) and _SITE_LEASE.search(s.text):
                # "104,000 GPUs at a campus Nscale is leasing from Ionic Digital":
                # the landlord describes the site; the figures are the main deal's.
                tenants = {m.name for m in ms if _site_aside(s.text, m)}
                if tenants:
                    pairs = [p for p in pairs if p.buyer not in tenants]
                    halves[:] = [h for h in halves if not (h.role == "buyer" and h.name in tenants)]
                    # (and the landlord is no party of the sentence's figures)
                    ms = [m for m in ms if not re.search(r"(?:leasing|leases|leased|renting|rents|rented)\s+from\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?$",
                                                         s.text[max(0, m.start - 60):m.start], re.I)]
            main = set(topic[:2]) if len(topic) >= 2 else main_pair
            if pairs and main and (_PAST_RECALL.search(s.text) or _KNOWN_FOR.search(s.text)) and not any(
                    {p.buyer, p.provider} == main for p in pairs) and not _headed_by(above, pairs, reg, speaking, dterms):
                # "Microsoft signed a $17.4 billion contract with Nebius in
                # September": another, earlier deal recalled as background
                # (the main deal: the headline's two companies, else the
                # first relation the document states).
                pairs, cut = [], 0
            if not pairs and filer and cut == len(s.text) and (" with " in s.text or _NTH_CUSTOMER.match(s.text)
                                                                 or _WITH_LEAD.match(s.text) or " from " in s.text):
                # The speaker's own deal: "That's a ten-year colocation
                # agreement with Fluidstack" (filing, call or interview).
                xs = [m for m in ms if not m.pronoun and m.name != filer and not is_hw_adjective(s.text, m)]
                if len({m.name for m in xs}) == 1 and reg.kind(xs[0].name) not in ("vendor", *NEVER_PARTY) \
                        and (_DEAL_WITH.search(s.text, max(0, xs[0].start - 40), xs[0].start)
                             or _WITH_LEAD.fullmatch(s.text[:xs[0].start])):
                    pairs = [Pair(xs[0].name, filer, False, xs[0].start, xs[0].start, xs[0].end)]
                elif len({m.name for m in xs}) == 1 and _NTH_CUSTOMER.match(s.text) and "customer" in norm[max(0, s.start - 400):s.end].lower():
                    # "Two customers we can finally talk about. ... The second is Black Forest Labs."
                    pairs = [Pair(xs[0].name, filer, False, xs[0].start, xs[0].start, xs[0].end, topic=True)]
                elif len({m.name for m in xs}) == 1 and reg.kind(xs[0].name) not in ("vendor", *NEVER_PARTY) \
                        and _RENTED_FROM.search(s.text, max(0, xs[0].start - 40), xs[0].start):
                    # "Pretraining ran on 2,048 H100 GPUs rented from Lambda": the writer rents from Lambda
                    pairs = [Pair(filer, xs[0].name, True, xs[0].start, xs[0].start, xs[0].end)]
                elif not xs and prev_subject and prev_subject != filer and _THEY_WITH_US.search(s.text):
                    # "The first is Character.AI. They've signed a two-year contract with us"
                    pairs = [Pair(prev_subject, filer, False, 0, 0, len(s.text), topic=True)]
            if not pairs and cut == len(s.text) and (filer or topic) and any(
                    w in low for w in (" is ", " was ", " be ", " as ")) and ("customer" in low or "counterparty" in low or "client" in low or "tenant" in low or "buyer" in low):
                host = filer or topic[0]
                for m in ms:
                    if not m.pronoun and m.name != host and _NAMED_LATER.search(s.text, max(0, m.start - 70), m.start) \
                            and reg.kind(m.name) not in ("vendor", *NEVER_PARTY):
                        pairs = [Pair(m.name, host, True, m.start, m.start, m.end, topic=True)]
                        named_later[para] = (m.name, host)
                        break
            if not pairs and not filer and cut == len(s.text) and _NTH_CUSTOMER.match(s.text):
                # "The second customer is Black Forest Labs": a customer of the company the story is about
                xs = [m for m in ms if not m.pronoun]
                host = next((t for t in topic if xs and t != xs[0].name and reg.kind(t) not in ("vendor", *NEVER_PARTY)), None)
                if len({m.name for m in xs}) == 1 and host and reg.kind(xs[0].name) not in ("vendor", *NEVER_PARTY):
                    pairs = [Pair(xs[0].name, host, True, xs[0].start, xs[0].start, xs[0].end, topic=True)]
            if pairs and main_pair is None and not _PAST_RECALL.search(s.text):
                main_pair = {pairs[0].buyer, pairs[0].provider}
            if len(ms) == 1 and not ms[0].pronoun and s.text == line.strip()[:len(s.text)] \
                    and (_LABEL_REST.fullmatch(s.text[:ms[0].start] + s.text[ms[0].end:])
                         # a section heading led by the company: "Nscale: the chip count"
                         or (heading and ms[0].start == 0 and len(s.text) == len(line.strip())
                             and re.match(r"\s*(?::|\s[-|])\s+[a-z]", s.text[ms[0].end:]))):
                # "Galaxy Digital. After taking up its last option, CoreWeave ...":
                # a paragraph led by a company's name is about that company
                # (a label on its own line: the next paragraph is).
                label = (ms[0].name, para if len(s.text) < len(line.strip()) else para + 2)
                sents.append(_Sent(s, ms, [], 0, cue=False, deal=False, boiler=boiler, label=True))
                continue
            if not pairs and label and label[1] == para and cut == len(s.text) and (has_cue or has_deal or _DEAL_FIG.search(s.text)):
                xs = party_names(s.text, ms, reg) - {label[0]}
                if len(xs) == 1 and reg.kind(next(iter(xs))) != "vendor":
                    x = next(m for m in ms if m.name in xs)
                    pairs = [Pair(x.name, label[0], False, x.start, x.start, x.end, topic=True)]
            if not pairs and s.start - lstart <= 6 + len(line) - len(line.lstrip()) and ("-" in s.text[:80] or "×" in s.text[:80]):
                # A list item headed by its pair: "2. OpenAI-CoreWeave, round one. A five-year contract worth $11.9 billion."
                im = _PAIR_ITEM.match(s.text)
                if im:
                    na, nb = _item_party(im.group("a"), reg), _item_party(im.group("b"), reg)
                    if na and nb and na != nb and not any(reg.kind(n) in ("vendor", *NEVER_PARTY) for n in (na, nb)):
                        pairs = [Pair(na, nb, False, 0, 0, im.end(), topic=True)]
            if not pairs and not halves and len(distinct) == 1 and topic:
                p1 = _topic_pair(s.text[:cut], line, [m for m in ms if m.start < cut], topic, reg)
                if p1:
                    pairs = [p1]
            sents.append(_Sent(s, ms, pairs, min(cut, est.start()) if est else cut, halves=halves, cue=has_cue, deal=has_deal,
                               boiler=boiler, ask=bool(_QUESTION_END.search(s.text)) or para in form_lines))
            subj = next((m.name for m in ms if not m.pronoun and not is_hw_adjective(s.text, m)), None)
            if subj:
                prev_subject = subj

    if known is None and len(norm) <= _LONG:
        # An unknown company introduced once (in the headline, or as "Acme
        # Compute Inc." / "Acme, a GPU cloud provider") is the same company
        # where later sentences name it bare: read them again knowing it.
        unk = {m.name for st in sents for m in st.mentions if m.strong and reg.kind(m.name) == "unknown"}
        unk |= {t for t in topic if reg.kind(t) == "unknown"}
        unk |= {n for st in sents for p in st.pairs for n in (p.buyer, p.provider) if reg.kind(n) == "unknown" and " " in n}
        if "$" in norm and re.search(r"(?<![\w$])\$[A-Z]{3,5}\b", norm):
            # an unknown cashtag ("$BRWD") may stand for a company named later: read again knowing it
            unk |= {m.name for st in sents for m in st.mentions if reg.kind(m.name) == "unknown" and " " in m.name
                    and re.search(r"(?<![\w$])\$" + re.escape(m.name[0]) + r"[A-Z]{2,4}\b", norm)}
        unk -= set(dterms.terms) if dterms else set()
        shorts = set(short_forms(unk, norm)) - unk
        if unk and (any(m.name in shorts for st in sents for m in st.mentions) or any(
                re.search(r"(?<![\w\"])" + re.escape(n) + r"(?![\"\w]|'(?!s\b))", st.sent.text)
                and not any(m.name == n for m in st.mentions) for st in sents for n in unk | shorts)):
            return _extract(doc, trace, frozenset(unk))

    # Deals: directed statements first, then undirected ones settled by them.
    roles: dict[frozenset[str], tuple[str, str]] = {}
    defined: dict[str, str] = {}  # company -> "buyer"/"provider" from its defined term
    for term, who in (dterms.terms.items() if dterms else ()):
        if _BUYER_LABEL.match(term):
            defined[who] = "buyer"
        elif _PROVIDER_LABEL.match(term):
            defined[who] = "provider"

    # A relation sentence without compute words ("Fluidstack has signed on as a
    # tenant at TeraWulf's campus.") borrows them from the next sentence of its
    # paragraph when that one names no company ("The lease ... 200 megawatts").
    next_cue: set[int] = set()
    for a, b in zip(sents, sents[1:]):
        if a.sent.para == b.sent.para and b.cue and not b.pairs and (
                not b.mentions or {m.name for m in b.mentions} <= {n for p in a.pairs for n in (p.buyer, p.provider)}):
            next_cue.add(id(a))  # (the next sentence may name the same parties: "It's 24 megawatts, we upsized it")

    crypto_paras: set[int] = set()
    if _CRYPTO.search(norm):
        paras: dict[int, str] = {}
        for st in sents:
            paras[st.sent.para] = paras.get(st.sent.para, "") + " " + st.sent.text
        crypto_paras = {k for k, t in paras.items() if _CRYPTO.search(t) and not _AI_WORDS.search(t)}

    def compute_ctx(st: _Sent, p: Pair) -> bool:
        s = st.sent.text
        if (_ENERGY.search(s) or _LAND.search(s)) and not _STRICT_COMPUTE.search(s):
            return False  # electricity or land changing hands, not compute
        if _FAB.search(s) and not _RENTAL.search(s):
            return False  # a foundry making chips, not compute
        if st.sent.para in crypto_paras:
            return False  # hosting bitcoin miners
        if not st.cue and _FINANCE.search(s):
            return False  # bonds, loans, equity: money between companies, not compute
        if reg.kind(p.provider) == "vendor" and _HW_PURCHASE.search(s):
            return False  # "servers bought through Dell and Supermicro": hardware, not compute
        if any(w in s for w in ("/hour", "/hr", "per hour", "per GPU-hour", "an hour")) and _HOURLY.search(s):
            return False  # a price list ("H200 at $3.50/hour on-demand"), not a deal
        if st.cue or id(st) in next_cue or (p.topic and doc_cues >= (1 if p.directed else 2)):
            return True
        if p.directed and doc_cues >= 2 and _cloud_pair(p, reg):
            return True  # "OpenAI's running tab at CoreWeave": a lab paying a GPU cloud is compute
        if not st.deal:
            return False
        if doc_cues >= 3:
            return True
        ka, kb = reg.kind(p.buyer), reg.kind(p.provider)
        return "unknown" not in (ka, kb) and "vendor" not in (ka, kb) and reg.rank(p.buyer) != reg.rank(p.provider)

    # Each directed statement votes for its direction (a headline counts half):
    # one odd verb ("How Character.AI serves ... on Google Cloud") must not
    # outweigh the body that says who pays whom.
    votes: dict[frozenset[str], dict[tuple[str, str], float]] = {}
    for st in sents:
        if st.table_deal:
            v = votes.setdefault(frozenset(st.table_deal), {})
            v[st.table_deal] = v.get(st.table_deal, 0.0) + 1.0
            continue
        for p in st.pairs:
            if p.directed and compute_ctx(st, p) and st.cut == len(st.sent.text):
                v = votes.setdefault(frozenset((p.buyer, p.provider)), {})
                # A headline or a quoted remark ("... our platform was built for," said X) counts half.
                w = 0.5 if st.sent.para <= 1 or st.sent.text[:1] in "\"“" else 1.0
                if any(m.pronoun for m in st.mentions) and not all(
                        any(m.name == n and not m.pronoun for m in st.mentions) for n in (p.buyer, p.provider)):
                    w *= 0.75  # "give us one big cluster" in a customer's quoted brief: a pronoun's reading is weaker than names
                v[(p.buyer, p.provider)] = v.get((p.buyer, p.provider), 0.0) + w
    for k, v in votes.items():
        roles[k] = max(v, key=lambda r: v[r])  # ties: the first stated (dicts keep order)
    # Reciprocal deals ("in a second arrangement running the other way, B
    # will rent from A"): where the document says the relation runs both
    # ways, a directed statement against the majority is the other deal.
    reverse: dict[frozenset[str], tuple[str, str]] = {}
    if any(len(v) > 1 for v in votes.values()) and _RECIPROCAL.search(norm):
        for k, v in votes.items():
            minor = [r for r in v if r != roles[k] and v[r] >= 1.0]
            if minor:
                reverse[k] = minor[0]

    def deal_of(p: Pair) -> Optional[tuple[str, str]]:
        k = frozenset((p.buyer, p.provider))
        if p.directed and k in reverse and reverse[k] == (p.buyer, p.provider) and k in roles:
            return reverse[k]
        return roles.get(k)
    takeovers = {frozenset((h.name, h.role.split(":", 1)[1])) for st in sents for h in st.halves
                 if h.role.startswith("acquirer:")}
    for st in sents:
        st.halves = [h for h in st.halves if not h.role.startswith("acquirer:")]
        if takeovers:
            st.pairs = [p for p in st.pairs if frozenset((p.buyer, p.provider)) not in takeovers]
    for k in takeovers:
        roles.pop(k, None)
    _resolve_halves(sents, roles, reg, compute_ctx, topic, takeovers, filer)
    for st in sents:
        for p in st.pairs:
            if not p.directed and compute_ctx(st, p) and st.cut == len(st.sent.text):
                r = _settle(p, roles, reg, defined, norm)
                if r:
                    roles.setdefault(frozenset(r), r)
    for k, r in list(roles.items()):
        a, b = r
        if defined.get(a) == "provider" and defined.get(b) == "buyer":
            roles[k] = (b, a)  # the contract defines who is "Licensee" and who "Licensor": that settles it
    for k in [k for k, r in roles.items() if any(reg.kind(n) in NEVER_PARTY for n in r)]:
        roles.pop(k)  # a financier or a power producer, reached through context
    for k in [k for k, r in roles.items() if _same_group(*r, reg)]:
        roles.pop(k)  # "Halberd Compute", the borrower, is the filer Halberd GPU Cloud's subsidiary
    if _NO_NEW_DEALS.search(norm[:4000]):
        # "Nobody announced a new capacity deal this week": a roundup of other news;
        # a relation it only mentions in passing is no deal it reports.
        directed = {frozenset((p.buyer, p.provider)) for st in sents for p in st.pairs if p.directed}
        for k in [k for k in roles if k not in directed]:
            roles.pop(k)
    if crypto_paras:
        # A bitcoin miner's hosting customer named only where miners are hosted
        # is not a compute customer, even if another paragraph's half reaches it.
        elsewhere = {m.name for st in sents if st.sent.para not in crypto_paras for m in st.mentions}
        for k in [k for k, r in roles.items() if any(n != filer and n not in elsewhere for n in r)]:
            roles.pop(k)
    if trace is not None:  # for debugging tools (benchmarks/explain.py)
        trace.update(sents=sents, roles=dict(roles), topic=topic, filer=filer)
    if not roles:
        return []
    if len(topic) < 2 and _roundup(sents, norm, doc):
        return []
    if _financing_story(norm, doc):
        return []
    collapsed = [st for st in sents if any(w in st.sent.text.lower() for w in _COLLAPSE_W) and _COLLAPSED.search(st.sent.text)]
    if collapsed:
        # "The talks ended without an agreement": the parties named there (or
        # in the headline) have no deal in this document.
        for st in collapsed:
            names = {m.name for m in st.mentions if not m.pronoun}
            if len(names) < 2:
                # "No agreement has been signed": the talks its paragraph names.
                names |= {m.name for o in sents if o.sent.para == st.sent.para for m in o.mentions if not m.pronoun}
            if len(names) < 2:
                names |= set(topic[:2])
            if len(names) < 2 and len(roles) == 1:
                names |= set(next(iter(roles)))  # "No definitive agreement was signed": the document's one relation
            for k in [k for k in roles if k <= names]:
                if not any(frozenset((p.buyer, p.provider)) == k and p.directed and o not in collapsed
                           and not _PRELIM.search(o.sent.text) for o in sents for p in o.pairs):
                    roles.pop(k)  # unless the document also states the relation as a fact
        if not roles:
            return []

    # ---- pass 2: figures and attribution ----------------------------------
    countries: list[tuple[int, str]] = []
    if _THE_COUNTRY.search(norm):
        countries = [(m.start(), canon_region(m.group())) for m in _COUNTRY_RX.finditer(norm)]
    # Sites the document names by appositive or nickname ("at Polaris Forge 1,
    # the Company's campus"), recognised again where they recur bare.
    doc_facs = tuple(sorted({t.value for st in sents if any(w in st.sent.text.lower() for w in _FAC_W)
                             for t in find_facilities(st.sent.text)
                             if " " in t.value or any(c.isdigit() for c in t.value)}, key=len, reverse=True))
    # Towns the document names in full ("Clarington, Ohio"), sited again
    # where they recur bare ("capacity at Clarington").
    named_places = doc_places(norm) if len(norm) <= _LONG else None
    dplaces = {k: v for k, v in named_places.items() if k.count(" ") < 2} if named_places is not None else None
    claims: list[ExtractedClaim] = []
    seen: set[tuple] = set()
    last_deal: Optional[tuple[str, str]] = None
    last_para = -1
    para_deal: Optional[tuple[str, str]] = None
    # First deal of each paragraph, for figures that precede it ("$1.25B/month. That is what A pays B").
    first_in_para: dict[int, tuple[str, str]] = {}
    for st in sents:
        for p in st.pairs:
            r = deal_of(p)
            if r and st.sent.para not in first_in_para:
                first_in_para[st.sent.para] = r
    # Where each deal is first stated: a sentence naming only one of its
    # parties before that ("Oracle to spend $25 billion on a campus ... Oracle
    # already serves OpenAI") is not about the deal.
    first_seen: dict[tuple[str, str], int] = {}
    for si, st in enumerate(sents):
        for p in st.pairs:
            r = deal_of(p)
            if r:
                first_seen.setdefault(r, si)
        if st.table_deal and roles.get(frozenset(st.table_deal)):
            first_seen.setdefault(roles[frozenset(st.table_deal)], si)
    # Deals only mentioned as asides ("under a separate agreement").
    side_deals = set()
    for st in sents:
        if st.pairs and _SEPARATE.search(st.sent.text):
            side_deals.update(roles[frozenset((p.buyer, p.provider))] for p in st.pairs
                              if frozenset((p.buyer, p.provider)) in roles)
    unnamed_para = -1
    # Company background (funding, valuation, fleet, history) and analysts'
    # commentary: a sentence naming no deal there gives the deal no figures,
    # nor do the sentences after it in its paragraph.
    bg_paras: set[int] = set()
    bg_sents: set[int] = set()
    main_deal = min(first_seen, key=lambda r: first_seen[r]) if first_seen else None
    for si, st in enumerate(sents):
        if st.table_deal or st.pairs:
            continue
        t = st.sent.text
        if (" at " in t or " with " in t) and _ATTRIB.search(t):
            bg_paras.add(st.sent.para)
        elif not st.deal and _STATE.match(t) and not _DEAL_WORD.search(_NO_CUSTOMER.sub("", t)):
            bg_sents.add(si)
        elif _PROFILE.search(t) and not st.deal:
            bg_sents.add(si)
            if not any(o.sent.para == st.sent.para and o.pairs for o in sents[max(0, si - 3):si]):
                bg_paras.add(st.sent.para)
        elif _INCENTIVE.search(t) and not _STRICT_COMPUTE.search(t):
            bg_sents.add(si)  # tax abatements, power tariffs, substations: public money and utilities, not the deal
    for si, st in enumerate(sents):
        s = st.sent.text
        if st.boiler:
            continue
        if st.sent.para != last_para:
            last_para, para_deal = st.sent.para, None
        quote = text[st.sent.start:st.sent.end]
        if st.table_deal:
            deal = roles.get(frozenset(st.table_deal))
            if deal:
                for a, b, c in st.table_cells:
                    for f in _cell_figures(c, st.table_units.get(a, "")):
                        f.start += a
                        f.end += a
                        _emit(claims, seen, deal, f, quote, s, None, reg)
            continue
        sent_deals = []
        for p in st.pairs:
            r = deal_of(p)
            if r:
                sent_deals.append(((p.lo if p.lo >= 0 else p.pos, p.hi if p.hi >= 0 else p.pos), r))
        parties = [m for m in st.mentions if (m.start < st.cut or st.label) and not is_hw_adjective(s, m)]
        anchor = st.deal if not st.table_deal else bool(DEAL_NOUN.search(s))
        if sent_deals:
            default = None
        else:
            # (a partner in brackets, "(with Vantage)", is an aside)
            names = {m.name for m in parties if not _in_brackets(s, m) or any(m.name in r for r in roles.values())}
            cands = [r for r in [*roles.values(), *reverse.values()] if names & set(r)
                     and (first_seen.get(r, -1) <= si or first_in_para.get(st.sent.para) == r or set(r) <= names
                          or set(r) <= set(topic)) and (r not in side_deals or set(r) <= names)]
            if len(cands) > 1:
                # "Project Rainier, a cluster ... for Anthropic": the facility's
                # owner picks which of Anthropic's deals the sentence is about.
                owned = [r for r in cands if set(facility_owners(s)) & set(r)]
                if len(owned) == 1:
                    cands = owned
            foreign = [n for n in names if not any(n in r for r in roles.values())]
            if foreign:
                default = None
            elif len(cands) == 1 or (cands and last_deal in cands):
                default = cands[0] if len(cands) == 1 else last_deal
            elif cands:
                default = None
            elif names:
                default = None
            elif unnamed_para == st.sent.para:
                default = None
            else:
                default = para_deal or last_deal or first_in_para.get(st.sent.para)
            if ((anchor or _UNNAMED_TERM.search(s)) and _UNNAMED.search(s)) or (not names and _UNNAMED_SUBJ.match(s)):
                # "an agreement with a customer, a leading AI lab": another,
                # unnamed deal; this paragraph's figures are not ours.
                later = named_later.get(st.sent.para)
                if later and frozenset(later) in roles:
                    # "... with a large hyperscale customer. That customer is Microsoft."
                    default = last_deal = para_deal = roles[frozenset(later)]
                else:
                    default, last_deal, para_deal, unnamed_para = None, None, None, st.sent.para
        if not sent_deals and (si in bg_sents or (st.sent.para in bg_paras and not st.deal)):
            default = None
        if not sent_deals and default and _PPA_SENT.search(s) and not _STRICT_COMPUTE.search(s):
            default = None  # "The Group has also entered into a 15-year solar power purchase agreement": power, not the deal
        if not sent_deals and not default:
            if trace is not None:
                trace.setdefault("why", {})[si] = "no deal for this sentence"
            continue  # nothing to attribute figures to: skip the costly rules
        if sent_deals and main_deal and st.sent.para in bg_paras and main_deal not in [d for _, d in sent_deals]:
            # "It also rents computing power from Google and Amazon" in a
            # paragraph of company background: another relation, no figures,
            # and not the deal later sentences are about.
            continue
        if sent_deals and main_deal and filer is None and main_deal not in [d for _, d in sent_deals] \
                and _ALSO.search(s) and not _SEPARATE.search(s):
            # "Meta has also signed a $3 billion agreement with Nebius" in a
            # story about Meta and Oracle: another deal recalled in passing.
            continue
        if sent_deals and _SEPARATE.search(s):
            # "... provides capacity to OpenAI under a separate agreement": an
            # aside about another deal; the sentences after it are not about it.
            sent_deals_side, keep_last = True, (last_deal, para_deal)
        else:
            sent_deals_side, keep_last = False, None
        # "When does it start? In the second quarter of 2026.": an answer reads
        # with its question (the cue words are in the question).
        q = sents[si - 1] if si and sents[si - 1].sent.para == st.sent.para and sents[si - 1].sent.text.rstrip().endswith("?") \
            and not sents[si - 1].pairs else None
        if q is not None:
            qt = q.sent.text + " "
            figs = [f for f in _figures(qt + s[:0 if st.ask else st.cut], reg, bool(sent_deals), doc_facs, dplaces) if f.end > len(qt)]
            for f in figs:
                f.start = max(0, f.start - len(qt))
                f.end -= len(qt)
            anchor = anchor or q.deal or bool(_VALUE_Q.search(q.sent.text))
        else:
            figs = _figures(s[:0 if st.ask else st.cut], reg, bool(sent_deals), doc_facs, dplaces)
        if countries and (km := _THE_COUNTRY.search(s, 0, st.cut)):
            # "a data center Humain is building in the kingdom": the country
            # the document last named.
            i = bisect.bisect_right([p for p, _ in countries], st.sent.start + km.start()) - 1
            if i >= 0 and not any(f.field == "location" for f in figs):
                figs.append(_Fig("location", km.start("the"), km.end(), countries[i][1]))
        if not figs:
            if sent_deals_side:
                last_deal, para_deal = keep_last
            elif sent_deals:
                last_deal = para_deal = sent_deals[0][1]
            elif default:
                last_deal = para_deal = default
            continue
        compute = st.cue or (q is not None and q.cue)
        for i, f in enumerate(figs):
            if sent_deals:
                deal = min(sent_deals, key=lambda d: 0 if d[0][0] <= f.start <= d[0][1]
                           else min(abs(d[0][0] - f.start), abs(d[0][1] - f.end)))[1]
            else:
                deal = default
            if not deal:
                continue
            if not _keep(f, s, deal, bool(sent_deals), anchor, compute, st.mentions):
                if trace is not None:
                    trace.setdefault("why", {}).setdefault(si, []).append(f"filtered {f.field}={f.value}")
                continue
            prev_end = max((g.end for g in figs[:i] if g.field == f.field), default=0)
            nxt = min((g.start for g in figs[i + 1:] if g.field == f.field), default=len(s))
            sc = scope_for(s, f.start, f.end, prev_end, nxt) if f.field in _SCOPED else None
            if f.field == "term_years" and sc not in ("initial", "option"):
                sc = None
            _emit(claims, seen, deal, f, quote, s, sc, reg)
        if sent_deals_side:
            last_deal, para_deal = keep_last
        elif sent_deals:
            last_deal = para_deal = sent_deals[-1][1]
        elif default:
            last_deal = para_deal = default
    scoped = {(c.buyer, c.provider, c.field, round(c.number, 3), c.period) for c in claims
              if c.scope and c.number is not None}
    specific = {(c.buyer, c.provider, re.sub(r"\d+$", "", c.value)) for c in claims
                if c.field == "gpu_type" and re.fullmatch(r"[A-Za-z]{4,}\d+", c.value)}
    if any(c.field == "facility" for c in claims):
        places = named_places if named_places is not None else doc_places(norm)
        # "Sesterce's Marseille data center" in a release datelined "MARSEILLE,
        # France": the facility word is the town the deal is sited in.
        sited = {(c.buyer, c.provider) for c in claims if c.field == "location" and ", " in c.value}
        towns = gazetteer()
        for i, c in enumerate(claims):
            town = places.get(c.value) or (towns.get(c.value) if " " not in c.value and c.value not in known_facilities() else None)
            if c.field == "facility" and town and (c.buyer, c.provider) not in sited:
                # "on our Lyon campus": a town the gazetteer knows is where the deal is, not a site name
                claims[i] = replace(c, field="location", value=town)
                sited.add((c.buyer, c.provider))
    facs_loc = {(c.buyer, c.provider, c.value.split(",")[0].lower()) for c in claims if c.field == "location"}
    regions = {(c.buyer, c.provider, c.value.split(", ", 1)[1].lower()) for c in claims
               if c.field == "location" and ", " in c.value}
    claims = [c for c in claims if not (c.field == "location" and ", " not in c.value
                                        and (c.buyer, c.provider, c.value.lower()) in regions)]
    claims = [c for c in claims if not (
        c.scope is None and c.number is not None
        and (c.buyer, c.provider, c.field, round(c.number, 3), c.period) in scoped)
        and not (c.field == "gpu_type" and (c.buyer, c.provider, c.value) in specific)
        and not (c.field == "facility" and (c.buyer, c.provider, c.value.lower()) in facs_loc)]
    _site_scopes(claims)
    out, keys = [], set()
    for c in claims:
        k = (c.buyer, c.provider, c.field, round(c.number, 3) if c.number is not None else c.value.lower(),
             c.period, c.scope)
        if c.scope == "site":
            k = k + (c.quote,)
        if k not in keys:
            keys.add(k)
            out.append(c)
    return out


# "for which it has not announced a customer": no deal word after all.
_NO_CUSTOMER = re.compile(r"\b(?:no|not\s+(?:yet\s+)?(?:announced|named|signed|disclosed|found)\s+(?:a|an|any))\s+(?:[\w-]+\s+)?(?:customer|tenant|client)s?\b", re.I)
_RECIPROCAL = re.compile(r"\b(?:the\s+other\s+(?:way|direction)|in\s+return|both\s+directions|two-way|reciprocal|"
                         r"in\s+reverse|the\s+reverse\s+(?:deal|arrangement|direction)|vice\s+versa|"
                         r"(?:also|in\s+turn)\s+(?:becomes?|became|be)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:customer|tenant|client))\b", re.I)
_ALSO = re.compile(r"\b(?=\w)(?:(?:has|have|had|is|was)\s+also\s+(?:signed|agreed|struck|inked|been|taken|committed|turned)|"
                   r"also\s+(?:signed|agreed|struck|inked|develops|runs|operates|builds|hosts|serves|supplies|provides)|elsewhere|adds?\s+to\s+(?:a|the)\s+(?:\w+\s+)?(?:list|string|series|run|tally))\b", re.I)
_BULLET = re.compile(r"^\s*(?:[•·▪●◦*+\-–—]|\d{1,2}[.)])\s+")
_LABEL = re.compile(r"^\s*(?:[•·▪●◦*+\-–—]\s*)?(?P<label>[A-Za-z][\w /&-]{1,25}?)\s*:\s+")
_BUYER_LABEL = re.compile(r"^(?:customer|buyer|client|tenant|offtaker|off-taker|lessee|licensee|subscriber|purchaser|counterparty|who\s+buys)s?$", re.I)
_PROVIDER_LABEL = re.compile(r"^(?:provider|service\s+provider|supplier|vendor|host|landlord|lessor|licensor|seller|cloud|cloud\s+provider|operator)s?$", re.I)
_ITEM_LEAD = re.compile(r"^\s*(?:[•·▪●◦*+\-–—]|\d{1,2}[.)])?\s*(?:the\s+)?$", re.I)
_DEAL_FIG = re.compile(r"[$€£]\s?\d|\d\s?(?:MW|GW|bn|B)\b|\b(?:megawatts?|gigawatts?|GPUs?|TPUs?|years?|billion)\b", re.I)


def _topic_pair(s: str, line: str, ms: list[Mention], topic: list[str], reg: Registry) -> Optional[Pair]:
    """A sentence naming one company X in a document about company T: a
    labelled field ("Customer: Microsoft"), a list item led by X
    ("• CoreWeave — $14.2B, through 2031") or X used as a deal's name ("the
    smaller Meta contract") is a deal between X and T. A label gives the
    direction; otherwise the pair is undirected and settled as usual."""
    parties = [m for m in ms if not m.pronoun and not is_hw_adjective(s, m)]
    if not parties:
        return None
    x = parties[0]
    if reg.kind(x.name) == "vendor":
        return None
    t = next((n for n in topic if n != x.name), None)
    if t is None:
        return None
    lab = _LABEL.match(s)
    if lab and lab.end() <= x.start and not s[lab.end():x.start].strip():
        word = lab.group("label").strip()
        if _BUYER_LABEL.match(word):
            return Pair(x.name, t, True, x.start, x.start, x.end, topic=True)
        if _PROVIDER_LABEL.match(word):
            return Pair(t, x.name, True, x.start, x.start, x.end, topic=True)
    item = s is line.strip() or line.lstrip().startswith(s[:20])
    if item and _BULLET.match(line) and _ITEM_LEAD.match(s[:x.start]) and _DEAL_FIG.search(s[x.end:]):
        return Pair(x.name, t, False, x.start, x.start, len(s), topic=True)
    from .roles import _NAME_DEAL
    if _NAME_DEAL.match(s[x.end:x.end + 40]) and not NOT_DEAL.search(s):
        return Pair(x.name, t, False, x.start, x.start, x.end + 20, topic=True)
    return None




_CAPEX = re.compile(r"\b(?=\w)(?:capital\s+(?:expenditures?|spending)|capex|(?:expects?|plans?|set|intends?)\s+to\s+spend|will\s+spend|"
                    r"spent|spending\s+(?:forecast|plans?|would|will))\b", re.I)


_COLLAPSE_W = ("talks", "alks ", "negotiations", "discussions", "deal", "agreement", "walked", "failed", "never", "term sheet",
               "expire", "lapse", "terminated", "cancel", "unwound", "rescinded", "scrapped")
_FIN_HEAD = re.compile(r"(?:US)?\$\s?\d[\d.,]*\s*(?:bn|mn|b|m|billion|million)?\s+(?:[\w-]+\s+){0,2}?"
                       r"(?:bonds?|debt|loans?|financing|notes|credit\s+(?:facility|line)|refinancing|borrowing|"
                       r"(?:share|stock|equity|public|note|notes|bond|convertible)\s+(?:offering|sale|placement)|offering|IPO|"
                       r"(?:class\s+[AB]\s+|ordinary\s+|common\s+)shares)\b", re.I)
_COLLAPSED = re.compile(r"\b(?=\w)(?:no\s+(?:definitive\s+|binding\s+|final\s+)?(?:agreement|contract|deal)\s+(?:was|has\s+been|had\s+been|is|were)\s+(?:ever\s+)?(?:signed|reached|executed|concluded)|"
                        r"term\s+sheet\s+(?:\w+\s+){0,4}?(?:lapsed|has\s+lapsed|expired|was\s+terminated)|"
                        r"(?:talks|negotiations|discussions)\s+(?:\w+\s+){0,3}?(?:ended|broke\s+down|collapsed|fell\s+(?:apart|through)|stalled|were\s+(?:called\s+off|abandoned|suspended))|"
                        r"(?:deal|agreement|talks)\s+(?:\w+\s+){0,2}?(?:fell\s+(?:apart|through)|collapsed|was\s+(?:called\s+off|scrapped|abandoned))|"
                        r"(?:deal|agreement|contract|lease)\s+(?:[\w,.'-]+\s+){0,12}?(?:was|were|has\s+been|had\s+been)\s+(?:cancell?ed|terminated|scrapped|unwound|rescinded|called\s+off)|"
                        r"walked\s+away\s+from|failed\s+to\s+(?:reach|agree|strike|clinch|close)|(?:no|without\s+(?:a|an|any))\s+(?:final\s+)?(?:deal|agreement)\s+(?:was|has\s+been|being)?\s*(?:reached|signed)?|"
                        r"never\s+(?:signed|finali[sz]ed|concluded|closed)|"
                        r"(?:letter\s+of\s+intent|LOI|term\s+sheet|memorandum\s+of\s+understanding|MOU)\s+(?:\w+\s+){0,3}?(?:expired|expires|lapsed|terminated|was\s+terminated)|"
                        r"expir(?:ed|es)\s+without\s+(?:a\s+)?definitive\s+agreement)\b", re.I)


def _financing_story(norm: str, doc: Document) -> bool:
    """A headline about raising money ("Crusoe lines up $2.3 billion of debt
    for campus", "X lands $7.5 billion loan") with no deal noun: the story is
    the financing; tenants and earlier deals named in it are background."""
    lines = [ln.strip() for ln in norm[:2000].split("\n") if ln.strip()]
    # The headline, and in a filing the exhibit's press-release headline too.
    heads = [ln for ln in lines[:8] if len(ln) < 250 and not ln.endswith(".")][:3] if doc.kind == "filing" else lines[:1]
    head = (doc.title or "") + "\n" + "\n".join(h[:300] for h in heads)
    return bool(_FIN_HEAD.search(head)) and not DEAL_NOUN.search(head)


_HEAD_DEAL_VERB = re.compile(r"\b(?=\w)(?:rent|rents|lease|leases|supply|supplies|provide|provides|pay|pays|sign|signs|buy|buys|"
                             r"taps?|to\s+use|uses|selects?|wins?|lands?|inks?|strikes?)\b", re.I)


def _roundup(sents: list[_Sent], norm: str, doc: Document) -> bool:
    """A roundup of several companies' spending plans ("Alphabet raised its
    capex forecast ...; Amazon expects to spend ...; Meta lifted ..."), whose
    headline names no deal: the companies it names are not parties to a
    deal the story reports, whatever they buy from each other in passing."""
    head = (doc.title or "") + "\n" + norm.lstrip().split("\n", 1)[0][:300]
    if DEAL_NOUN.search(head) or _HEAD_DEAL_VERB.search(head):
        return False
    spenders: set[str] = set()
    for st in sents:
        if st.mentions and "$" in st.sent.text:
            for cm in _CAPEX.finditer(st.sent.text):
                who = [m for m in st.mentions if m.end <= cm.start() and not m.pronoun]
                if who:
                    spenders.add(who[-1].name)
    return len(spenders) >= 3


def title_names(doc: Document, norm: str, reg: Registry, filer: Optional[str]) -> list[str]:
    """Companies the document is about: those its title (``doc.title``, else
    the first line) names, in order; a filing's filer first."""
    out: list[str] = [filer] if filer else []
    first = norm.lstrip().split("\n", 1)[0][:300]
    for t in (doc.title or "", first):
        for m in reg_mentions(normalise(t), None, reg):
            if m.name not in out and reg.kind(m.name) != "vendor":
                out.append(m.name)
    # Known companies before names guessed from capitalisation.
    return sorted(out, key=lambda n: (n != filer, reg.kind(n) == "unknown"))


def _resolve_halves(sents: list[_Sent], roles: dict, reg: Registry, compute_ctx, topic: list[str],
                    takeovers: frozenset | set = frozenset(), filer: Optional[str] = None) -> None:
    """Give a lone party of a deal verb its counterparty: the other party of an
    undirected pair naming it (so the verb settles that pair's direction), else
    the nearest company named before it (same sentence, earlier sentences, the
    title), else the document's topic company. The pair becomes a relation of
    its sentence. The usual roles must agree: a lab does not supply a cloud."""
    recent: list[str] = []  # companies in document order, latest last
    for st in sents:
        for h in st.halves:
            x = h.name
            if "own" in st.sent.text and _OWN_FOR.search(st.sent.text):
                continue  # "capacity online for its own services": no counterparty
            # A party already in a deal still pairs with the one other company
            # its own sentence names ("CoreWeave told investors that Meta had
            # committed $14.2 billion", in a story about Meta's landlords).
            here = {m.name for m in st.mentions if not m.pronoun and m.name != x
                    and reg.kind(m.name) not in ("vendor", *NEVER_PARTY)
                    and (reg.kind(m.name) != "unknown" or m.strong or (m.start == 0 and _SAID_THAT.search(st.sent.text)))}
            if len(here) == 1 and frozenset((x, *here)) not in roles:
                y = next(iter(here))
                b, pv = (x, y) if h.role == "buyer" else (y, x)
                pair = Pair(b, pv, True, h.pos, h.pos, h.pos)
                if reg.rank(pv) >= reg.rank(b) and frozenset((b, pv)) not in takeovers \
                        and compute_ctx(st, pair) and st.cut == len(st.sent.text):
                    roles.setdefault(frozenset((b, pv)), (b, pv))
                    st.pairs.append(pair)
            elif x not in {n for k in roles for n in k}:
                # (nearby only: a pair four paragraphs on is another deal's)
                undirected = [p for s2 in sents if abs(s2.sent.para - st.sent.para) <= 1
                              for p in s2.pairs if not p.directed and x in (p.buyer, p.provider)]
                cands = [(p.provider if p.buyer == x else p.buyer) for p in undirected]
                if not cands:
                    before = [m.name for m in st.mentions if m.start < h.pos and m.name != x]
                    owners = [o for o in facility_owners(st.sent.text) if o != x]
                    cands = owners[:1] or ([n for n in reversed(recent + before) if n != x][:1] + [n for n in topic if n != x][:1])
                    if filer and filer != x and not owners and not before:
                        cands = [filer, *cands]  # the issuer of a filing or release: "X has agreed to lease 24 MW"
                    if h.chip:  # the customer the vendor's racks are built for, named anywhere in the sentence
                        cands = [m.name for m in st.mentions if m.name != x and reg.kind(m.name) != "vendor"][:1] or cands
                for y in cands:
                    if ("vendor" in (reg.kind(x), reg.kind(y)) and not (h.chip and reg.kind(y) != "vendor")) or (
                            not undirected and "unknown" in (reg.kind(x), reg.kind(y)) and y != filer):
                        continue
                    b, pv = (x, y) if h.role == "buyer" else (y, x)
                    if reg.rank(pv) < reg.rank(b) or frozenset((b, pv)) in takeovers:
                        continue
                    pair = Pair(b, pv, True, h.pos, h.pos, h.pos)
                    if compute_ctx(st, pair) and st.cut == len(st.sent.text):
                        roles.setdefault(frozenset((b, pv)), (b, pv))
                        st.pairs.append(pair)
                    break
        for m in st.mentions:
            if not m.pronoun and reg.kind(m.name) != "vendor":
                if m.name in recent:
                    recent.remove(m.name)
                recent.append(m.name)


_LONG = 200_000  # bytes; longer texts get a whole-text pre-scan first
# Literal keywords found with str.find (C speed); one small regex for "300 MW".
_STRONG_WORDS = ("GPU", "TPU", "Trainium", "egawatt", "igawatt", "Colossus", "Stargate", " Inc.", " Corp.",
                 " Ltd", " LLC", " plc", " Limited", "N.V.", "|")
_POWER_UNIT = re.compile(r"\d\s?[MG]W\b")


def _candidate_paras(norm: str, reg: Registry) -> set[int]:
    """Paragraph numbers (1-based, as in _extract) worth reading in a long
    text: those naming a known company or a compute/corporate keyword, plus
    the two paragraphs after each (figures often follow the naming one)."""
    starts = [0]
    find = norm.find
    i = find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = find("\n", i + 1)
    hits: set[int] = set()

    def hit(pos: int) -> None:
        p = bisect.bisect_right(starts, pos)
        hits.update((p, p + 1, p + 2))

    for rx in (reg.pattern, _POWER_UNIT):
        for m in rx.finditer(norm):
            hit(m.start())
    for w in _STRONG_WORDS:
        i = find(w)
        while i >= 0:
            hit(i)
            nxt = norm.find("\n", i)  # one hit per paragraph is enough
            if nxt < 0:
                break
            i = find(w, nxt)
    return hits


def reg_mentions(s: str, filer: Optional[str], reg: Registry, proper: Optional[set[str]] = None,
                 dterms: Optional[DocTerms] = None, guest: Optional[str] = None) -> list[Mention]:
    return find_mentions(s, filer, reg, proper, dterms, guest)


# A word written capitalised in mid-sentence somewhere in the document.
_MID_CAP = re.compile(r"(?<=[a-z0-9,;:)] )[A-Z][\w&.-]*[A-Za-z0-9]")


_MONEY_W = ("$", "dollar", "usd", "billion", "million")
_GPU_W = ("gpu", "chip", "tpu", "accelerator", "processor", "units", "graphics", "trainium", "00s", "0xs")
_FAC_W = ("campus", "site", "facilit", "data cent", "supercomputer", "cluster", "project", "initiative",
          "colossus", "stargate", "hyperion", "prometheus", "fairwater", "rainier", "horizon")


def _figures(s: str, reg: Registry, own: bool = False, facs: tuple[str, ...] = (),
             places: Optional[dict[str, str]] = None) -> list[_Fig]:
    """Every figure in a sentence; numbers said in words are read as digits
    ("three hundred megawatts"), with spans mapped back to ``s``."""
    ds, pmap = digitize(s)
    figs = _figures_in(ds, reg, own, facs, spoken=pmap is not None, places=places)
    if pmap is not None:
        for f in figs:
            a, b = f.start, f.end
            f.start = pmap[a]
            f.end = pmap[b - 1] + 1 if b > a else f.start
            if f.field == "ramp":
                f.value = s[f.start:f.end].strip()  # free text: as the document says it
    return figs


def _figures_in(s: str, reg: Registry, own: bool = False, facs: tuple[str, ...] = (), spoken: bool = False,
                places: Optional[dict[str, str]] = None) -> list[_Fig]:
    """Every figure in a sentence; cheap substring gates skip rule sets that
    cannot match."""
    out: list[_Fig] = []
    low = s.lower()
    if any(w in low for w in _MONEY_W):
        for a in find_amounts(s, spoken):
            if a.currency != "USD":
                continue
            out.append(_Fig("payment", a.start, a.end, a.text, a.number, "USD", a.period, a.approx, a.min, a.max))
    if "w" in low and ("mw" in low or "gw" in low or "watt" in low):
        for p in find_power(s):
            out.append(_Fig("capacity_power", p.start, p.end, p.value, p.number, "MW", None, p.approx, p.min, p.max))
    if any(w in low for w in _GPU_W) or " of them" in low or " of those" in low:
        for g in find_gpu_counts(s):
            out.append(_Fig("gpu_count", g.start, g.end, g.value, g.number, "GPUs", None, g.approx, g.min, g.max))
    for t in find_gpu_types(s):
        out.append(_Fig("gpu_type", t.start, t.end, t.value))
    for t, maker in find_models(s, reg):
        out.append(_Fig("model", t.start, t.end, t.value, maker=maker))
    if "model" in low or "assistant" in low or "chatbot" in low or "LLM" in s:
        for t in find_named_models(s):
            if not any(g.field == "model" and g.start <= t.start < g.end for g in out):
                out.append(_Fig("model", t.start, t.end, t.value, maker=""))
    if any(w in low for w in _FAC_W) or (facs and any(f in s for f in facs)):
        for t in find_facilities(s, facs):
            out.append(_Fig("facility", t.start, t.end, t.value))
    if own or _LOC_CUE.search(s):
        for t in find_locations(s, places):
            out.append(_Fig("location", t.start, t.end, t.value))
    for t in find_terms(s):
        unit = {"term_years": "years", "termination_notice_days": "days"}.get(t.field)
        out.append(_Fig(t.field, t.start, t.end, t.value, t.number, unit, None, t.approx))
    out.sort(key=lambda f: f.start)
    return out


_UNNAMED_CELL = re.compile(r"(?:undisclosed|unnamed|unidentified|confidential|anonymous|n/?d|n/?a|tbd|-|—|–)\b|(?:an?|one)\s|[\"“']"
                           r"|.*\b(?:undisclosed|unnamed|unidentified|confidential)\b", re.I)
_TALKS_CELL = re.compile(r"\s*(?:in\s+)?(?:talks|negotiations?|negotiating|rumou?red?|rumou?rs|discussed|proposed|mooted|exploratory|"
                         r"terminated|cancell?ed|denied|withdrawn|unwound|expired|lapsed|LOI|MOU|pending|unconfirmed)\s*", re.I)
_THE_COUNTRY = re.compile(r"\b(?:in|across|inside|within)\s+(?P<the>the\s+(?:kingdom|emirates?|country))\b(?!['’])")
_COUNTRY_RX = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True)) + r")\b")
_CELL_PLACE = re.compile(r"(?:^|,\s*)(?P<city>[A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+){0,2}),?\s+(?P<region>[A-Z]{2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s*$")
_MW_HEAD = re.compile(r"^(?:(?:capacity|power|critical\s+IT|IT\s+load)\s*\(?)?(MW|GW|megawatts|gigawatts)\)?(?:\s*\([^()]{0,30}\))?$", re.I)
_SITE_HEAD = re.compile(r"^(?:site|facility|campus|location|data\s+cent(?:er|re))s?$", re.I)
_START_HEAD = re.compile(r"^(?:(?:rent|service|revenue|billing|lease|contract)\s+)?(?:start|starts|commencement|begins|online|go-live|COD)(?:\s+date)?$", re.I)
_CELL_PAREN_PLACE = re.compile(r"\((?P<city>[A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+){0,2}),\s+(?P<region>[A-Z]{2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\)")
_CELL_FAC = re.compile(r"^\s*(?P<name>[A-Z][\w'-]*(?:\s+[A-Z0-9][\w'-]*){0,3})(?=\s*(?:\(|$|\s+(?:expansion|phase|campus|site)\b))")
_CELL_DATE = re.compile(r"^\s*(?:(?P<mon>[A-Z][a-z]{2,8})[\s-]+|(?:Q[1-4]|[12]H|H[12])\s+)?(?P<year>20\d\d)(?:-(?P<mm>0[1-9]|1[0-2])|-Q[1-4])?\s*$")
_TERM_HEAD = re.compile(r"^(?:(?:contract\s+|initial\s+|lease\s+)?term|tenor|duration)\s*(?:\((?P<u>years?|yrs?|months?|mos?)\)|(?P<u2>years?|yrs?|months?|mos?))?$", re.I)
_CELL_COUNT = re.compile(r"\s*(?P<ap>~|about\s+|approx\.?\s+|up\s+to\s+|>)?(?P<n>\d{1,3}(?:,\d{3})+|\d{3,8})(?![\d.,]*\s*(?:MW|GW|%|bn|m\b|B\b))")
_COUNT_HEAD = re.compile(r"\b(?:GPUs?|chips|accelerators|units)\b", re.I)
_HEAD_MONEY = re.compile(r"(?:US)?\$\s?(?P<u>bn|b|billions?|mn|m|millions?)\b|\b(?:USD|US\$)\s?(?P<u2>bn|b|billions?|mn|m|millions?)\b", re.I)


def _cell_figures(c: str, head: str = "") -> list[_Fig]:
    out: list[_Fig] = []
    head_period = ("month" if re.search(r"\b(?:monthly|per\s+month|a\s+month|/\s?mo(?:nth)?)\b", head, re.I)
                   else "year" if re.search(r"\b(?:annual(?:i[sz]ed)?|yearly|per\s+year|a\s+year|/\s?y(?:ea)?r|ARR)\b", head, re.I)
                   else None)
    for a in find_amounts(c):
        if a.currency == "USD":
            period = head_period if head_period and a.period == "total" else a.period
            text = a.text + (" per month" if period == "month" != a.period else " per year" if period == "year" != a.period else "")
            out.append(_Fig("payment", a.start, a.end, text, a.number, "USD", period, a.approx, a.min, a.max))
    hm = _HEAD_MONEY.search(head)
    bare = re.fullmatch(r"\s*~?(\d[\d,]*(?:\.\d+)?)\s*", c)
    if hm and bare and not out:
        u = (hm.group("u") or hm.group("u2")).lower()
        n = float(bare.group(1).replace(",", "")) * (1e9 if u.startswith("b") else 1e6)
        from .amounts import _fmt
        out.append(_Fig("payment", bare.start(1), bare.end(1), _fmt(n), n, "USD", "total", c.strip().startswith("~")))
    for p in find_power(c):
        out.append(_Fig("capacity_power", p.start, p.end, p.value, p.number, "MW", None, p.approx, p.min, p.max))
    pm = _MW_HEAD.search(head)
    bare_mw = re.fullmatch(r"\s*(~|\+)?(\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?(?:\s+(?:initial|total|contracted|committed|firm))?\s*", c)
    if pm and bare_mw and not any(f.field == "capacity_power" for f in out):
        # "300" or "168 initial" under an "MW" column
        n = float(bare_mw.group(2).replace(",", "")) * (1000 if pm.group(1).upper().startswith("G") else 1)
        if 0 < n < 20000:
            out.append(_Fig("capacity_power", bare_mw.start(2), bare_mw.end(), f"{n:g} MW", n, "MW", None, bool(bare_mw.group(1))))
    if head and _SITE_HEAD.match(head.strip()):
        # "Barber Lake (Colorado City, TX)" under a "Site" column
        pp = _CELL_PAREN_PLACE.search(c)
        if pp and (pp.group("region") in STATE_CANON or pp.group("region") in COUNTRIES):
            out.append(_Fig("location", pp.start("city"), pp.end("region"), f"{pp.group('city')}, {canon_region(pp.group('region'))}"))
        fm = _CELL_FAC.match(c)
        if fm and not _UNNAMED_CELL.match(c.strip()) and fm.group("name") not in STATE_CANON and fm.group("name") not in COUNTRIES \
                and not _CELL_PLACE.fullmatch(c.strip()) and not registry().pattern.match(fm.group("name")):
            out.append(_Fig("facility", fm.start("name"), fm.end("name"), fm.group("name")))
    if head and _START_HEAD.match(head.strip()):
        dm = _CELL_DATE.match(c)
        if dm:
            from .terms import _MON_ABBR
            mon = _MON_ABBR.get((dm.group("mon") or "")[:3].lower()) if dm.group("mon") else None
            if dm.group("mm"):
                mon = int(dm.group("mm"))  # "2027-01"
            if not dm.group("mon") or mon:
                val = f"{dm.group('year')}-{mon:02d}" if mon else dm.group("year")
                out.append(_Fig("start", dm.start(), dm.end(), val))
    tm = _TERM_HEAD.match(head.strip()) if head else None
    bare_t = re.fullmatch(r"\s*(\d{1,3}(?:\.\d)?)\s*(months?|mos?\.?)?\s*", c)
    if tm and bare_t and not any(f.field == "term_years" for f in out):
        # "3" under a "term_yrs" column; "30" under "term (months)"; "30 months" under "Term"
        n = float(bare_t.group(1))
        if (bare_t.group(2) or tm.group("u") or tm.group("u2") or "y").lower().startswith("m"):
            n /= 12
        if 0 < n <= 40:
            out.append(_Fig("term_years", bare_t.start(1), bare_t.end(1), f"{n:g} years", n, "years", None, False))
    lm = _CELL_PLACE.search(c)
    if lm and lm.group("region") in STATE_CANON or (lm and lm.group("region") in COUNTRIES):
        # "Childress, TX", "Lake Mariner, Barker NY": a site column
        out.append(_Fig("location", lm.start("city"), lm.end(), f"{lm.group('city')}, {canon_region(lm.group('region'))}"))
    types = find_gpu_types(c)
    for t in types:
        out.append(_Fig("gpu_type", t.start, t.end, t.value))
    for g in find_gpu_counts(c):
        out.append(_Fig("gpu_count", g.start, g.end, g.value, g.number, "GPUs", None, g.approx, g.min, g.max))
    if not any(f.field == "gpu_count" for f in out):
        # "~104,000 GB300", or a bare count under a "GPUs" column.
        gm = _CELL_COUNT.match(c)
        typed = gm and any(t.start >= gm.end() and re.fullmatch(r"\s*(?:Nvidia|NVIDIA|AMD|Google)?\s*", c[gm.end():t.start])
                           for t in types)
        if gm and (typed or (gm.end() == len(c.rstrip()) and _COUNT_HEAD.search(head))):
            n = float(gm.group("n").replace(",", ""))
            if 100 <= n <= 5e7:
                out.append(_Fig("gpu_count", gm.start("n"), gm.end("n"), f"{n:.0f} GPUs", n, "GPUs", None,
                                bool(gm.group("ap")), n if (gm.group("ap") or "").strip() in ("+", ">") else None))
    for t in find_terms(c, table_cell=True):
        unit = {"term_years": "years", "termination_notice_days": "days"}.get(t.field)
        out.append(_Fig(t.field, t.start, t.end, t.value, t.number, unit, None, t.approx))
    return out

