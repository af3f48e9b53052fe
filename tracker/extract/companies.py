"""Company mentions: alias table (tracker/data/companies.yaml), unknown
companies recognised by corporate suffixes or descriptive appositions, and
filing voice ("we", "the Company") resolved to the filer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"

_SUFFIX = (r"(?:,?\s+(?:Inc\.?|Incorporated|Corp\.?|Corporation|Co\.|Ltd\.?|Limited|LLC|L\.L\.C\.|"
           r"plc|PLC|N\.V\.|S\.A\.|SAS|AG|GmbH|PBC|B\.V\.|Pty\.? Ltd\.?|OpCo,? LLC|"
           # Nordic, Japanese, Asian and European forms: "Kuura Labs Oy", "Polarlys Compute ASA"
           r"Oy|Oyj|AB|ASA|AS|ApS|A/S|K\.K\.|SE|S\.p\.A\.|S\.r\.l\.|Pte\.? Ltd\.?|Sdn\.? Bhd\.?|SpA|NV|BV|"
           # Gulf, Indian, Indonesian, Korean and Latin American forms
           r"PJSC|QPSC|SAOG|SAOC|JSC|Tbk|Ltda\.?|S\.A\.B\.(?:\s+de\s+C\.V\.)?)(?![\w/]))")
_SUFFIX_RE = re.compile(_SUFFIX + r"+$")


# "Helios Nuclear", "Prairie Power", "Gulf Coast Energy": a power producer.
_ENERGY_NAME = re.compile(r"\b(?:Energy|Power|Nuclear|Electric|Utilities|Utility|Renewables|Solar|Hydro|Gas|Cooperative|Co-op|Transmission)$")


@dataclass
class Company:
    name: str
    kind: str  # lab | hyperscaler | neocloud | vendor | financier | energy | unknown
    models: tuple[str, ...] = ()
    rank: Optional[float] = None  # buyer (0) .. provider (2); None: from kind
    parent: Optional[str] = None  # "Core42" -> "G42": one corporate family, never each other's counterparty


@dataclass
class Mention:
    start: int  # offsets inside the sentence
    end: int
    name: str  # canonical
    pronoun: bool = False  # "we", "the Company", "us", "our"
    strong: bool = False  # an unknown company vouched for by a suffix or a description


class Registry:
    """The alias table plus a compiled matcher."""

    def __init__(self, path: Path = DATA / "companies.yaml") -> None:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        self.companies: dict[str, Company] = {}
        self.alias: dict[str, str] = {}
        for name, info in (raw.get("companies") or {}).items():
            info = info or {}
            self.companies[name] = Company(name, info.get("kind", "unknown"),
                                           tuple(info.get("models") or ()), info.get("rank"), info.get("parent"))
            for a in [name, *(info.get("aliases") or [])]:
                self.alias[str(a)] = name
        # "the ChatGPT developer", "the Claude maker": a model family + maker noun.
        for name, info in (raw.get("companies") or {}).items():
            for fam in (info or {}).get("models") or []:
                for noun in ("maker", "developer", "creator", "owner", "parent"):
                    self.alias.setdefault(f"{fam} {noun}", name)
        self.pattern = re.compile(r"(?<![\w.])(" + trie_regex(self.alias) + r")(?![\w])" + _SUFFIX + "?")
        # Shouted wire headlines ("OPENAI SIGNS ... WITH AMAZON WEB SERVICES"):
        # aliases found case-insensitively, written back in their own case.
        self.upper_alias = {a.upper(): a for a in sorted(self.alias, key=len) if len(a) >= 3 and a.upper() != a.lower()}
        self.shout_pattern = re.compile(r"(?<![\w.])(" + trie_regex(self.upper_alias) + r")(?![\w])")
        self.model_owner: dict[str, str] = {}
        for c in self.companies.values():
            for m in c.models:
                self.model_owner[m.lower()] = c.name
        self.families: tuple[str, ...] = tuple(sorted(self.model_owner_display()))
        # Cheap case-sensitive gate: does a sentence name any model family?
        self.family_re = re.compile(r"(?<![\w-])(?:" + trie_regex(self.families or ("\0",)) + r")(?![a-zA-Z])")

    def model_owner_display(self) -> list[str]:
        """Model family names as written in the table (for the matcher)."""
        return [m for c in self.companies.values() for m in c.models]

    def kind(self, name: str) -> str:
        c = self.companies.get(name)
        if c:
            return c.kind
        return "energy" if _ENERGY_NAME.search(name) else "unknown"

    def parent(self, name: str) -> Optional[str]:
        c = self.companies.get(name)
        return c.parent if c else None

    def rank(self, name: str) -> float:
        """Where a company usually sits in a deal: 0 buyer .. 2 provider, 3 vendor."""
        c = self.companies.get(name)
        if c and c.rank is not None:
            return float(c.rank)
        return {"lab": 0.0, "hyperscaler": 1.0, "unknown": 2.0, "neocloud": 2.0, "vendor": 3.0, "financier": 4.0, "energy": 4.0}.get(
            c.kind if c else "unknown", 2.0)

    def canonical(self, raw: str) -> str:
        """Canonical name for a free-form company name (e.g. a filer)."""
        raw = raw.strip().strip(",")
        m = self.pattern.search(raw)
        if m and m.start() == 0:
            return self.alias[m.group(1)]
        return clean_unknown(raw)


# A line with no lower-case letter (linear: one character class, no nesting).
_SHOUT_LINE = re.compile(r"^[^a-z\n]{12,}$", re.M)
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")
_CAPS_RUN = re.compile(r"[A-Z0-9&.\-]{2,}(?:\s+[A-Z0-9&.,\-]+){0,5},?\s+(?:INC|CORP|LLC|LTD|LIMITED|PLC|CORPORATION|COMPANY|L\.L\.C)\b\.?")
_SHOUT_WORD = re.compile(r"[A-Za-z][A-Za-z'.&-]*")
_LEGAL_SHOUT = (" INC", " CORP", " LLC", " LTD", " LIMITED", " PLC", " COMPANY", " L.L.C")
_LEGAL_CAPS = {"INC", "CORP", "LLC", "LTD", "PLC", "LP", "LLP", "USA", "US", "UK", "L.L.C", "II", "III", "IV"}


def recase_shouting(norm: str, reg: "Registry") -> str:
    """Lines written in capitals (wire "flash" headlines) rewritten in ordinary
    case, keeping the length: company aliases in their own case, words with
    digits ("GB200", "$38B") as they are, everything else in lower case with
    the line's first letter capitalised. Quotes still come from the original
    text, so nothing the user sees changes."""
    out = list(norm)
    if any(w in norm for w in _LEGAL_SHOUT) and _CAPS_RUN.search(norm):
        # A party's legal name in capitals inside ordinary prose, as contracts
        # write it ("and FLUIDSTACK USA I INC., a Delaware corporation").
        for am in reg.shout_pattern.finditer(norm):
            alias = reg.upper_alias[am.group(1)]
            if len(alias) == am.end(1) - am.start(1) and sum(c.isalpha() for c in alias) >= 4 \
                    and _CAPS_RUN.match(norm, am.start(1)):
                out[am.start(1):am.end(1)] = alias
        # Unknown legal names in capitals read as names ("ACME HOLDINGS LLC"
        # -> "Acme Holdings LLC"); suffixes and short tokens stay as written.
        for cm in _CAPS_RUN.finditer(norm):
            if any(c.islower() for c in out[cm.start():cm.end()]):
                continue  # already recased as a known alias
            for wm in _SHOUT_WORD.finditer(cm.group()):
                w = wm.group()
                if len(w) < 3 or w.rstrip(".") in _LEGAL_CAPS or not w.isalpha():
                    continue
                a = cm.start() + wm.start()
                out[a:a + len(w)] = w[0] + w[1:].lower()
    if not _SHOUT_LINE.search(norm):
        return "".join(out)
    for lm in _SHOUT_LINE.finditer(norm):
        line = lm.group()
        if len(_CAPS_WORD.findall(line)) < 3 or sum(c.isalpha() for c in line) < 12:
            continue  # a table row of figures, a ticker line
        a = lm.start()
        new = list(line)
        for wm in _SHOUT_WORD.finditer(line):
            w = wm.group()
            low = w.lower()
            if len(low) == len(w):
                new[wm.start():wm.end()] = low
        for am in reg.shout_pattern.finditer(line):
            alias = reg.upper_alias[am.group(1)]
            if len(alias) == am.end(1) - am.start(1):
                new[am.start(1):am.end(1)] = alias
        first = next((i for i, c in enumerate(new) if c.isalpha()), None)
        if first is not None:
            new[first] = new[first].upper()
        out[a:a + len(line)] = new
    return "".join(out)


def trie_regex(words) -> str:
    """An alternation of literal words as a prefix trie: re tries each
    alternative in turn, so "Oracle|OpenAI|Open AI" scanned over 10 MB costs far
    more than "O(?:racle|pen(?:AI| AI))". Longer words win (greedy, ordered)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


@lru_cache(maxsize=1)
def registry() -> Registry:
    return Registry()


_NAME_TAIL_WORD = re.compile(r"\s+(?:AI|Labs?|Cloud|Compute|Computing|Technologies|Technology|Digital|Data\s+Cent(?:er|re)s|Partners|"
                             r"Infrastructure|Bio|Networks|Group|Holdings|Systems|Intelligence|Research|Capital|Grid|"
                             r"Rechenzentr(?:um|en)|Data(?:cent(?:er|re)s?|hall)|Datacent(?:er|re)s?)$")


def _tail_stripped(name: str):
    """``name`` with one, two, ... generic tail words removed, shortest last."""
    while True:
        m = _NAME_TAIL_WORD.search(name)
        if m is None or m.start() == 0:
            return
        name = name[:m.start()]
        yield name


def same_company(a: str, b: str) -> bool:
    """Two spellings of one company: equal, or one is the other without
    generic tail words ("Orrin" and "Orrin Labs", "Pinecrest Digital" and
    "Pinecrest Digital Infrastructure"). "Halcyon Labs" and "Halcyon
    Compute" stay two companies."""
    if a == b:
        return True
    if not a or not b or a.split()[0] != b.split()[0]:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return short in _tail_stripped(long_)


def clean_unknown(raw: str) -> str:
    """Strip corporate suffixes and a leading article from an unknown name."""
    name = _SUFFIX_RE.sub("", raw.strip()).strip(" ,")
    name = re.sub(r"^(?:the|The)\s+", "", name)
    name = re.sub(r"^[A-Z][\w.-]*-(?:based|headquartered|listed|born)\s+(?=[A-Z])", "", name)  # "Bengaluru-based Vaani Labs"
    name = re.sub(r"\s+(?:Private|Pvt\.?)$", "", name)  # Indian "Private Limited"
    name = re.sub(r"^(\S+(?:\s+\S+)+?)\s+(?:Holdings|Group)$", r"\1", name)  # "Boreal Digital Holdings" -> "Boreal Digital"
    name = re.sub(r"^(\S+(?:\s+\S+)+?)\s+Company$", r"\1", name)  # "Al-Rimal Data Systems Company"
    return name


# Capitalised words that are never company names on their own.
_STOP = set("""
The This That These Those It Its In On At Under Over For From With By As A An And But Or If When
While After Before Since Analysts Shares Investors Separately Meanwhile However Together Either Both
Neither Each All Our We Us They He She His Her Their Company Agreement Item Exhibit Revenue Figures
Takeaway Related RELATED Sign Let Why Chief CEO Nasdaq NASDAQ NYSE Wire Reuters Bloomberg January
February March April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday
Wednesday Thursday Friday Saturday Sunday AI GPU GPUs TPU TPUs Claude Grok GPT Gemini Llama Stargate
Colossus Hyperion Prometheus Fairwater Project United States US U.S. Europe EU Texas Under Such Some
Other Another New North South East West Central Data Center Centers Cloud Nvidia NVIDIA Blackwell
Hopper Rubin Grace The Customer Customers Provider Buyer TCV Term Hardware Total Sources Source
Terms Deal Deals Contract Contracts Phase Initial Notes Note Per Under Pursuant Upon Any Up
Microsoft's Also Then Now Last Next First Second Third Fourth Q1 Q2 Q3 Q4 FY Fiscal Item Form
Quarterly Annual Report Statements Financial Subsequent Events Recent Developments Results Operations
Street Wall Journal Times Post News Inc Corp Ltd Holdings Group Capital Partners Management
Everyone Everybody Someone Somebody Nobody Anyone Nothing Something Everything Here There What Who How
Where Yes No Update Correction Deal Q A HOST EXEC Host Exec Transcript InfiniBand Ethernet NVLink
Spectrum-X Quantum-X Mellanox Kubernetes Slurm Linux CUDA ROCm Section Sections Article Exhibit Schedule
Tensor Processing Processors Accelerators Units Unit
Plaintiff Plaintiffs Defendant Defendants Petitioner Respondent Claimant Appellant Appellee Movant Intervenor Counterclaimant
Letter Letters Transcript Interview Podcast Episode Call Calls Webcast Panel Keynote Remarks Part Parts Clause Regulation Regulations Rule Rules Circular RPO RPOs ARR EBITDA CAPEX Capex FCF EPS PT TCV MSA LOI MOU
British American French German Japanese Chinese Indian Korean Saudi Emirati Canadian Australian Dutch Swedish
Norwegian Finnish Danish Spanish Portuguese Italian Irish Israeli Brazilian Mexican Malaysian Singaporean
Indonesian Taiwanese Swiss Austrian Polish European Asian African Nordic Gulf Arab Qatari Kuwaiti Thai
Vietnamese Chilean Argentine Belgian Scottish Welsh English Texan Californian Icelandic Turkish Egyptian
Does Do Did Can Could Should Would Has Have Had Is Are Was Were Why How When
Product Products Major Key Main Name Contract Counterparty Amount Details Summary Background Outline Overview Purpose Reason
Published Updated Posted Author Authors Filed Released Division Category Availability Status Version Master Services Service
""".split())

_CAP = r"[A-Z][A-Za-zÀ-ÖØ-öø-ÿ0-9&.\-]*[A-Za-zÀ-ÖØ-öø-ÿ0-9]"  # "Atlântico Data", "Søren Compute"
_ADJ_WORD = re.compile(r"-(?:based|backed|owned|led|funded|founded|controlled|listed|born|headquartered)$", re.I)
_NAME = _CAP + r"(?:\s+" + _CAP + r"){0,3}"
# "Firmus Technologies Ltd", "Acme Compute Inc."
_UNK_SUFFIX = re.compile(r"\b(" + _NAME + r")" + _SUFFIX)
# "Firmus, an Australian AI infrastructure provider"
_UNK_APPOS = re.compile(
    # ("Calcul Atlantique (Euronext Growth Paris - ALCAT), French operator of ...": a listing in brackets, no article)
    r"\b(" + _NAME + r")(?:\s+\([^()\n]{2,60}\))?,\s+(?:(?:a|an|the)\s+|(?=[A-Z][a-z]+\s+(?:[\w\-]+\s+){0,2}?(?:operator|provider|developer|company|neocloud)\s+of\b))(?:[\w\-]+\s+){0,5}?"
    r"(?:neocloud|provider|operator|startup|start-up|company|firm|developer|specialist|miner|host|arm|unit|division|affiliate|"
    r"lab|laboratory|maker|unicorn)\b(?!['’])")
# "Lumora is a 60-person AI lab founded in Amsterdam": a copular introduction vouches like an apposition
_UNK_COPULA = re.compile(
    r"\b(" + _NAME + r")\s+(?:is|was|has\s+been)\s+(?:a|an)\s+(?:[\w\-]+\s+){0,5}?"
    r"(?:neocloud|provider|operator|startup|start-up|company|firm|developer|specialist|miner|lab|laboratory|maker|unicorn)\b(?!['’])")
# "neocloud Firmus", "British neocloud Nscale", "data-center operator Acme"
_UNK_DESC = re.compile(
    r"\b(?:neocloud|provider|operator|startup|start-up|developer|miner|specialist|host)\s+(" + _NAME + r")")
# A name that ends like a company ("Halvard Labs", "Quarry Compute", "Skylark
# Cloud", "Wrenfield AI") is one wherever it stands, unless its first word is
# a generic adjective ("Generative AI", "Sovereign Cloud").
_CO_TAIL = (r"(?:Labs?|AI|Cloud|Compute|Computing|Digital|Networks|Technologies|Robotics|Bio|Intelligence|"
            r"Infrastructure|Data\s+Cent(?:er|re)s|Datacenters?|Hosting|Mining|Dynamics|Analytics|Semiconductor)")
_CO_TAIL_WORDS = (" Lab", " AI", " Cloud", " Comput", " Digital", " Networks", " Technologies", " Robotics", " Bio",
                  " Intelligence", " Infrastructure", " Data Cent", " Datacenter", " Hosting", " Mining", " Dynamics",
                  " Analytics", " Semiconductor")
_UNK_TAIL = re.compile(r"(?<![\w'’-])((?:" + _CAP + r"\s+){1,2}" + _CO_TAIL + r")(?![\w-])")
_GENERIC_LEAD = frozenset("""Generative Sovereign Physical Enterprise Agentic Frontier Open Responsible Conversational
Edge Embodied General Artificial Hybrid Public Private Multi Multi-Cloud Neo Next Global Local National Regional
Industrial Consumer Mobile Creative Scientific Medical Clinical Legal Financial Trusted Secure Safe Ethical Green Clean
Big Small Large Smart Modern Quantum Classic Classical Hyperscale Hyperscaler Cheap Expensive Domestic Foreign Digital
Accelerated Distributed Decentralized Federated Vertical Horizontal Specialized Specialised Native Dedicated Shared
Managed Bare Custom Premium Efficient Frontier-Scale On-Prem On-Premises Inference Training Compute GPU GPUs Data
Center Centre Nvidia NVIDIA AMD Intel Apple Tesla Azure Google Amazon Microsoft Oracle IBM Meta Samsung Dell HPE
Lenovo Cisco Broadcom Arm Qualcomm Mistral Anthropic OpenAI Sovereign-AI Stargate Colossus Hyperion Fairwater
Computing Web High Performance Processing Storage Network Networking Hosting Colocation Telecom IT Related
Building Scaling Powering Training Running Serving Bringing Making Growing Expanding Delivering Accelerating
Enabling Driving Leading Turning Moving Democratizing Democratising Unlocking Powered Purpose-Built
""".split())
# Public bodies buy compute too: "National Laboratory for Applied Intelligence",
# "Directorate for National AI Infrastructure", "Northern Rockies University
# System", "Flemish AI Research Facility". The head noun vouches for the name.
_PUBLIC_HEAD = (r"(?:Laborator(?:y|ies)|Directorate|Agency|Ministry|Department|University(?:\s+System)?|Institute|"
                r"Office|Administration|Authority|Commission|Consortium|Research\s+(?:Facility|Cent(?:er|re)|Council)|"
                r"(?:Supercomputing|Computing|Computer)\s+Cent(?:er|re)|Bureau|Directorate-General)")
_PUBLIC_WORDS = ("Laborator", "Directorate", "Agency", "Ministry", "Department", "University", "Institute", "Office",
                 "Administration", "Authority", "Commission", "Consortium", "Research ", "Cent", "Bureau")
_UNK_PUBLIC = re.compile(
    r"(?<![\w'’-])((?:" + _CAP + r"\s+){0,4}" + _PUBLIC_HEAD +
    r"(?:\s+(?:for|of|on)\s+(?:the\s+)?" + _CAP + r"(?:\s+(?:and\s+)?" + _CAP + r"){0,3})?)(?![\w-])")
_AFFILIATION = re.compile(r"\b(?:of|at)\s+(?:the\s+)?$|\b(?:spin-?(?:out|off)|alumni|graduates?|researchers?|professors?|scientists?)\s+(?:\w+\s+)?(?:of|at|from)\s+(?:the\s+)?$", re.I)
# The generic body is no party: "the Department", "Research Center".
_PUBLIC_GENERIC = frozenset("""The This That Its Our Their A An Government Federal State National Regional City County
Municipal Public Research University Procurement Contracting Acquisition Program Programme Budget Finance Legal
Press Media Communications Technology Information Executive Back Front Home Head Main Oval Patent Trademark""".split())
# "Multi-year AI", "Large-scale AI", "Full-stack Cloud": a hyphenated adjective, not a name
_HYPHEN_ADJ = re.compile(r"[A-Z][a-z]+-(?:year|term|scale|stack|gen|generation|purpose|tenant|site|cloud|size[d]?|class|grade|"
                         r"billion|million|gigawatt|megawatt|GW|MW|dollar|based|owned|led)")


# Role positions: a capitalised name straight after a deal preposition/verb,
# or opening the sentence before a deal verb.
_UNK_ROLE_AFTER = re.compile(
    r"\b(?:from|with|through|via|pay|paying|pays|supply|supplies|supplying|provide|provides|providing|by|tapped|taps|hired|disposal\s+of|"
    r"(?:deliver|sell|lease|rent|supply|provid|allocat)\w*\s+(?:[\w,.$~-]+\s+){1,8}?to)\s+(" + _NAME + r")")
# "..., which Related Digital is developing for us": a relative clause's subject.
_UNK_ROLE_REL = re.compile(
    r"\b(?:which|that|whom|while|where)\s+(" + _NAME + r")\s+(?:is|was|will|has|had|are|were|agreed|signed|"
    r"develops|developed|builds|built|operates|operated|owns|owned|leases|leased|provides|provided|supplies|supplied)\b")
_UNK_ROLE_SUBJ = re.compile(
    r"^(?:[A-Z][A-Z .,-]{2,40}(?::|\s+--|\s+[—–])\s+|[^:\n]{0,40}:\s+|\d{1,2}[/.)]\s+|[-•*]\s+)?(?:[A-Z][\w-]*-based\s+)?"
    r"(" + _CAP + r"(?:\s+" + _CAP + r"){0,3}?)\s+(?:(?:just|also|now|today|quietly|officially|recently|has|have)\s+)?(?:will|has|have|had|agreed|signed|struck|inked|said|is|says|plans|to|won|landed|secured|"
    r"(?i:commits|signs|inks|taps|picks|selects|rents|leases|books|buys|lands|wins|secures|reserves|locks|grabs|snaps|takes|adds|expands|strikes))\b")

_SUFFIX_WORDS = (" Inc", " Corp", " Co.", " Ltd", " Limited", " LLC", " L.L.C.", " plc", " PLC", "N.V.", "S.A.",
                 " SAS", " AG", " GmbH", " PBC", "B.V.", "Pty", "OpCo")
_DESC_WORDS = ("neocloud", "provider", "operator", "startup", "start-up", "developer", "miner", "specialist", "host")
_PRONOUN = re.compile(r"\b(?:[Ww]e|[Uu]s|[Oo]ur|[Tt]he\s+(?:Company|Group|Registrant|Corporation)(?:'s)?)\b")
_YOU = re.compile(r"\b(?:[Yy]ou|[Yy]our)\b(?!\s+know\b)")
_COMPANY_WORD = re.compile(r"^(?:the\s+)?company$", re.I)


# Stop words that can open a multiword company name in mid-sentence
# ("which Related Digital is developing"), though "Related articles" opens a teaser.
_NAME_TAILS = ("Cloud", "Compute", "Digital", "Labs", "Lab", "Data", "Networks", "Systems", "Technologies")
_SOFT_LEAD = {"Related", "Together", "Sign", "Wall", "Central", "North", "South", "East", "West", "New"}


def _plausible_unknown(name: str, reg: Registry, suffixed: bool = False,
                       mid: bool = False, vouched: bool = False) -> Optional[str]:
    """Cleaned unknown company name, or None if it looks like something else.
    A corporate suffix ("Acme Cloud Inc.") vouches for the inner words;
    ``mid``: the name sits mid-sentence, so a soft stop word may open it."""
    words = name.split()
    while words and (words[0] in _STOP or words[0].lower() in ("the", "a", "an")):
        if (mid and words[0] in _SOFT_LEAD and len(words) > 1 and words[1] not in _STOP):
            break
        words.pop(0)
    while words and words[-1] in _STOP and not suffixed:
        if words[-1] == "AI" and len(words) > 1 and words[-2] not in _STOP:
            break  # "Luma AI", "Sarvam AI": part of the name
        if words[-1] in _NAME_TAILS and len(words) > 1 and words[0] not in _STOP:
            break  # "KT Cloud", "YTL AI Cloud", "Tessellate Cloud": the company's name
        if words[-2:] in (["Data", "Centers"], ["Data", "Centres"]) and len(words) > 2 and words[-3] not in _STOP:
            break  # "Vantage Data Centers", "Prime Data Centers": the company's name
        words.pop()
    if not words or _ADJ_WORD.search(words[-1]):
        return None  # "London-based", "Microsoft-backed": a modifier, not a name
    cand = clean_unknown(" ".join(words))
    if not cand or cand in _STOP or len(cand) < 2 or cand.isdigit():
        return None
    lead_ok = suffixed or (mid and cand.split()[0] in _SOFT_LEAD)
    if cand.split()[-1] in _THING_WORDS and cand.split()[-1] not in ("Services", "Service") and not suffixed:
        return None  # "This First Amendment is made ...": a document, not a company
    inner = cand.split()[(1 if lead_ok else 0):]
    while inner and inner[-1] in (*_NAME_TAILS, "AI") and len(inner) > 1:
        inner = inner[:-1]
    if inner[-2:] in (["Data", "Centers"], ["Data", "Centres"]) and len(inner) > 2:
        inner = inner[:-2]
    if any(w in _STOP for w in inner) and not suffixed:
        return None
    if (_is_place(cand) and not (vouched and " " not in cand and cand not in _places())) or reg.pattern.fullmatch(cand):
        return None  # (a town's name is a company's when a description says so: "Quillon, a Boston AI lab")
    if cand.isupper() and len(cand) > 6:  # a shouted headline word
        return None
    if any(c.isdigit() for c in cand) and _is_hardware(cand):
        return None  # "with GB200 racks": a chip, not a company
    return cand


def _public_body(raw: str, reg: Registry) -> Optional[str]:
    """A public body's full name, or None for a generic one ("the Department",
    "National Research Council" is a name; "Research Center" alone is not)."""
    words = raw.split()
    while words and (words[0] in ("The", "the", "A", "An", "Its", "Our", "Their", "This", "That")
                     or (words[0] in _STOP and words[0] not in ("AI", "Federal", "European"))):
        words.pop(0)
    if not words:
        return None
    name = " ".join(words)
    head = _PUBLIC_HEAD_RE.search(name)
    lead = name[:head.start()].split() if head else []
    if not lead and not re.search(r"\s(?:for|of|on)\s", name[head.end():] if head else ""):
        return None  # "Department", "University": no name of its own
    if lead and all(w in _PUBLIC_GENERIC for w in lead) and not re.search(r"\s(?:for|of|on)\s", name):
        return None  # "the Procurement Office", "Federal Agency"
    if _is_place(name) or reg.pattern.fullmatch(name):
        return None
    if any(w in _REGULATOR_WORDS for w in words):
        return None  # "the Securities and Exchange Commission": a regulator rents no compute
    return name


_REGULATOR_WORDS = frozenset("""Securities Exchange Regulatory Utilities Utility Trade Competition Communications Patent
Trademark Tax Taxation Revenue Customs Election Elections Planning Zoning Publications Audit Accountability Budget
Ombudsman Statistics Standards Markets Conduct Prudential Antitrust Consumer Labor Labour Immigration""".split())


_PUBLIC_HEAD_RE = re.compile(r"\b" + _PUBLIC_HEAD + r"\b")


def public_body_name(raw: str, reg: Registry) -> Optional[str]:
    """``raw`` read as a public body's name, or None."""
    m = _UNK_PUBLIC.fullmatch(raw.strip())
    return _public_body(m.group(1), reg) if m else None


def is_public_body(name: str) -> bool:
    """A laboratory, ministry, agency or university: it buys compute, it does not sell it."""
    return bool(_PUBLIC_HEAD_RE.search(name))


def _is_hardware(name: str) -> bool:
    from .hardware import _hw
    return any(m.group() == name for m in _hw()[1].finditer(name))


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    from .geo import PLACE_WORDS
    return PLACE_WORDS


@lru_cache(maxsize=1)
def _known_sites() -> frozenset[str]:
    from .geo import KNOWN_SITES
    return frozenset(KNOWN_SITES)


def _is_place(name: str) -> bool:
    if name in _places():
        return True
    if " " not in name and name[:1].isupper() and not _caps_inside(name):
        from .geo import gazetteer
        return name in gazetteer()  # "north of Helsinki", "in Mäntsälä": a town, not a company
    return False


def _caps_inside(name: str) -> bool:
    """'IREN', 'CoreWeave', 'TeraWulf': tickers and CamelCase brands are never
    read as towns, even when a town shares the letters."""
    return name.isupper() or any(c.isupper() for c in name[1:])


# Patterns whose match vouches for an unknown name (a suffix, a description, a company tail, a public body).
_STRONG_RX = (_UNK_SUFFIX, _UNK_APPOS, _UNK_DESC, _UNK_TAIL, _UNK_PUBLIC, _UNK_COPULA)


def find_mentions(s: str, filer: Optional[str], reg: Registry,
                  proper: Optional[set[str]] = None, doc: Optional["DocTerms"] = None,
                  guest: Optional[str] = None) -> list[Mention]:
    """All company mentions in sentence text ``s`` (normalised), left to right.
    ``doc``: the document's defined terms and subsidiaries."""
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in reg.pattern.finditer(s):
        out.append(Mention(m.start(), m.end(), reg.alias[m.group(1)]))
        taken.append((m.start(), m.end()))
    if doc is not None and doc.rx is not None:
        for m in doc.rx.finditer(s):
            if free(m.start(), m.end()):
                out.append(Mention(m.start(), m.end(), doc.terms[m.group(1)]))
                taken.append((m.start(), m.end()))
    if filer:
        for m in _PRONOUN.finditer(s):
            if free(m.start(), m.end()):
                out.append(Mention(m.start(), m.end(), filer, pronoun=True))
                taken.append((m.start(), m.end()))
    if guest and ("you" in s or "You" in s):
        # an interviewer's "you signed a deal with CoreWeave": the guest's company
        for m in _YOU.finditer(s):
            if free(m.start(), m.end()):
                out.append(Mention(m.start(), m.end(), guest, pronoun=True))
                taken.append((m.start(), m.end()))
    low = s.lower()
    rxs = [_UNK_ROLE_AFTER, _UNK_ROLE_SUBJ, _UNK_ROLE_REL]
    if any(w in s for w in _SUFFIX_WORDS):
        rxs.insert(0, _UNK_SUFFIX)
    if any(w in s for w in _PUBLIC_WORDS):
        rxs.insert(0, _UNK_PUBLIC)  # before the company tails: "Flemish AI Research Facility", not "Flemish AI"
    if any(w in s for w in _CO_TAIL_WORDS):
        rxs.append(_UNK_TAIL)
    if ", a" in s or ", the" in s or "), " in s:
        rxs.append(_UNK_APPOS)
    if " is a" in s or " was a" in s or " been a" in s:
        rxs.append(_UNK_COPULA)
    if any(w in low for w in _DESC_WORDS):
        rxs.append(_UNK_DESC)
    for rx in rxs:
        for m in rx.finditer(s):
            a, b = m.start(1), m.end(1)
            if not free(a, b):
                if rx in _STRONG_RX:
                    # "with Halcyon Labs, a model developer": found by its role
                    # position first, vouched for by the description too
                    for o in out:
                        if not o.strong and o.start <= a and o.end >= b and o.name in m.group(1) and reg.kind(o.name) == "unknown":
                            o.strong = True
                continue
            if re.match(r"'s?\s", s[b:b + 3]) and rx is not _UNK_SUFFIX and rx is not _UNK_TAIL:
                continue  # "Elon Musk's xAI": a person's possessive
            if re.match(r"(?:\s+[a-z]+)?-(?:backed|owned|based|led|funded|controlled|listed)\b", s[b:b + 24]):
                continue  # "Hiranandani group-backed Yotta": the backer, not the party
            if rx is _UNK_TAIL:
                words = m.group(1).split()
                if len(words) == 3 and words[0] in _STOP and words[0][:1].isupper():
                    # "With Sablewood Cloud, ...": the name after a capitalised stop word
                    words = words[1:]
                    a = m.start(1) + m.group(1).index(words[0])
                lead = words[0]
                if lead in _GENERIC_LEAD or lead in _STOP or _ADJ_WORD.search(lead) or _is_place(lead) or _HYPHEN_ADJ.fullmatch(lead) \
                        or lead in _known_sites() or re.search(r"(?:['’]s|\b(?:its|their|our))\s+$", s[max(0, a - 8):a]) \
                        or re.match(r"\s+(?:brand|platform|service|product|offering|unit|division|business|arm|region)s?\b", s[m.end(1):m.end(1) + 14]):
                    continue  # "London-based AI", "Abilene AI Campus", "Yotta's Shakti Cloud": not a company
            if rx is _UNK_PUBLIC:
                # "former researchers of Aalto University", "a professor at the
                # University of Texas": an affiliation, not a party
                name = None if _AFFILIATION.search(s, max(0, a - 40), a) else _public_body(m.group(1), reg)
            else:
                name = _plausible_unknown(m.group(1), reg, suffixed=rx is _UNK_SUFFIX,
                                          mid=rx in (_UNK_ROLE_REL, _UNK_DESC),
                                          vouched=rx in (_UNK_SUFFIX, _UNK_COPULA, _UNK_DESC) or (
                                              rx is _UNK_APPOS and re.match(r",\s+an?\s", s[b:b + 5]) is not None
                                              and not re.search(r"\b(?:of|in|near|from|outside|at|to)\s+$", s[max(0, a - 8):a])))
            if name and doc is not None and doc.stop and any(w in doc.stop for w in name.split()):
                continue  # a word of a defined term ("the Colocation Agreements"), not a company
            if name and proper is not None and rx is _UNK_ROLE_SUBJ and " " not in name and name not in proper:
                continue  # "Capacity will be delivered": capitalised only because it opens the sentence
            if name:
                off = s.find(name, a, b + 1)
                a2 = off if off >= 0 else a
                end = m.end() if rx is _UNK_SUFFIX else a2 + len(name)
                out.append(Mention(a2, end, name, strong=rx in _STRONG_RX))
                taken.append((a2, end))
    if doc is not None and doc.sub:
        for m in out:
            m.name = doc.sub.get(m.name, m.name)
    out.sort(key=lambda x: x.start)
    return out


# ---- document-level defined terms (legal voice) ----------------------------
# `Lake Mariner Data LLC, a wholly owned subsidiary of TeraWulf Inc.` and
# `TeraWulf Inc., through its wholly owned subsidiary Lake Mariner Data LLC`:
# the parent is the party. `TeraWulf Inc. (together with its subsidiaries, the
# "Provider")`: "the Provider" names TeraWulf. `(together, the "Colocation
# Agreements")`: a quoted defined term that names no company is never one.
_DEF_TERM = re.compile(r'\((?:[^()"]{0,80}?,\s*|"(?P<alt>[A-Z][\w .&-]{0,40}?)"\s+or\s+)?(?:the\s+)?"(?:the\s+)?(?P<term>[A-Z][\w .&-]{0,40}?)"\s*\)')
_TICKER_BEFORE = re.compile(r"\s*\((?:NASDAQ|Nasdaq|NYSE|NYSE American|TSX|TSXV|LSE|AIM|ASX|NSE|BSE|OTC\w*)\s*:\s*[A-Z.]{1,6}\)\s*$")
_APPOS_GAP = re.compile(r"^(?:,?\s+(?:[A-Z0-9][\w&.-]*\s+){0,3}(?:Inc|INC|Corp|CORP|LLC|Ltd|LTD|L\.L\.C|PLC|plc|Limited|LIMITED|Corporation|CORPORATION)\b\.?)?\s*,?\s*(?:(?:a|an|the)\s[^()\"]{0,90}?)?,?\s*$")
_DEF_TERM_FIRST = re.compile(r'\((?P<alt>)(?:the\s+)?"(?:the\s+)?(?P<term>[A-Z][\w .&-]{0,40}?)",\s')
_ITS_SUB = re.compile(r"\b(?:its|their|the\s+Company['’]s|our)\s+(?:(?:wholly|majority|fully)[\s-]owned\s+|indirect\s+|direct\s+|project\s+|operating\s+|local\s+|site\s+)*subsidiary,?\s+[^\",;]{0,40}(?:,\s*[^\",;]{0,30})?,?\s*$", re.I)
_SUB_OF = re.compile(r",\s+(?:a|an)\s+(?:(?:wholly|majority|fully)[\s-]owned\s+|indirect\s+|direct\s+)*subsidiary\s+of\s+$", re.I)
_THROUGH_SUB = re.compile(r"\b(?:through|via|by|together\s+with)\s+(?:its|their)\s+(?:(?:wholly|majority|fully)[\s-]owned\s+|indirect\s+|direct\s+|project\s+|operating\s+|local\s+|site\s+)*"
                          r"subsidiar(?:y|ies),?\s+$", re.I)


@dataclass
class DocTerms:
    sub: dict[str, str]  # subsidiary name -> parent name
    terms: dict[str, str]  # defined term ("Provider") -> company name
    stop: set[str]  # words of defined terms that name no company
    rx: Optional[re.Pattern[str]] = None  # matches "the Provider", "Customer"


_SHORT_TAIL = re.compile(r"\s+(?:AI|Labs?|Cloud|Compute|Technologies|Digital|Data\s+Centers)$")


def short_forms(names: set[str], norm: str) -> dict[str, str]:
    """Short names the text uses for unknown companies: a generic tail dropped
    ("Luma AI" ... "Luma"), or the first word alone where the text writes it
    mid-sentence by itself ("Sakura Internet" ... "that Sakura will install")."""
    out: dict[str, str] = {}
    firsts: dict[str, list[str]] = {}
    for n in names:
        short = _SHORT_TAIL.sub("", n)
        if short != n and short not in _STOP and len(short) > 2:
            out.setdefault(short, n)
        words = n.split()
        if len(words) >= 2 and len(words[0]) >= 4 and words[0] not in _STOP and not _is_place(words[0]) \
                and words[0] not in _known_sites() \
                and words[0][0].isupper() and not words[0].isupper():
            firsts.setdefault(words[0], []).append(n)
    for w, full in firsts.items():
        if len(full) != 1 or w in out or w in names:
            continue
        if re.search(r"[a-z,;]\s+" + re.escape(w) + r"(?=['’]s\s+[a-z]|\s+[a-z]|[,.;:)])", norm):
            out[w] = full[0]
    for n in names:
        if " " in n and n + " (" in norm:
            # "Federal Earth System Prediction Office (FESPO)": the acronym it defines
            am = re.search(re.escape(n) + r"\s+\(([A-Z][A-Z0-9&-]{1,9})\)", norm)
            if am and am.group(1) not in _STOP and am.group(1) not in names:
                out.setdefault(am.group(1), n)
    return out


def with_names(dt: Optional[DocTerms], names: set[str], norm: str = "") -> DocTerms:
    """``dt`` plus unknown company names the document introduced somewhere
    ("Kyutai" in the headline, "Acme Compute Inc." in the first paragraph), so
    later sentences that name them bare ("to Kyutai") see them too."""
    dt = dt or DocTerms({}, {}, set(), None)
    terms = dict(dt.terms)
    for n in names:
        terms.setdefault(n, n)
    for short, n in short_forms(names, norm).items():
        terms.setdefault(short, n)
    if "$" in norm:
        # "$BRWD 8-K just dropped ... Brightwater Digital's 8-K": a cashtag whose
        # letters spell the start of an introduced name, in order
        for tick in set(re.findall(r"(?<![\w$])\$([A-Z]{3,5})\b", norm)):
            if tick in registry().alias or "$" + tick in registry().alias:
                continue
            fits = [n for n in names if n[0] == tick[0] and re.match(
                r"(?i)" + r"[\w\s.&-]*?".join(re.escape(c) for c in tick), n)]
            if len(fits) == 1:
                terms.setdefault(tick, fits[0])
    # (a name the document introduced may be possessive: "Thornbury's Cold Creek campus")
    rx = re.compile(r"(?<![\w\"])(?:[Tt]he\s+)?(" + trie_regex(terms) + r")(?![\"\w]|'(?!s\b))") if terms else None
    return DocTerms(dt.sub, terms, dt.stop, rx)


_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z0-9&-]{1,9})\)")


def public_acronyms(norm: str, reg: Registry) -> dict[str, str]:
    """'Federal Earth System Prediction Office (FESPO)': acronym -> the body's name."""
    out: dict[str, str] = {}
    if not any(w in norm for w in _PUBLIC_WORDS):
        return out
    for m in _UNK_PUBLIC.finditer(norm):
        am = _ACRONYM_AFTER.match(norm, m.end())
        if am and am.group(1) not in _STOP and not reg.pattern.fullmatch(am.group(1)):
            name = _public_body(m.group(1), reg)
            if name:
                out.setdefault(am.group(1), name)
    return out


def doc_terms(norm: str, reg: Registry, filer: Optional[str] = None) -> Optional[DocTerms]:
    """Defined terms and subsidiaries declared anywhere in the document."""
    acr = public_acronyms(norm, reg)
    if "subsidiar" not in norm and ('"' not in norm or _DEF_TERM.search(norm) is None):
        if not acr:
            return None
        return DocTerms({}, dict(acr), set(), _terms_rx(acr))
    sub: dict[str, str] = {}
    terms: dict[str, str] = dict(acr)
    stop: set[str] = set()
    for para in norm.split("\n"):
        if "subsidiar" not in para and ('"' not in para or _DEF_TERM.search(para) is None):
            continue
        ms = find_mentions(para, filer, reg)  # "a wholly owned subsidiary of the Company": the filer
        if "subsidiar" in para.lower():
            for i, m in enumerate(ms):
                if i + 1 < len(ms) and _SUB_OF.search(para[m.end:ms[i + 1].start]):
                    sub[m.name] = ms[i + 1].name
                if i > 0 and _THROUGH_SUB.search(para[max(0, m.start - 80):m.start]):
                    parent = next((p for p in reversed(ms[:i]) if p.name != m.name), None)
                    if parent is not None:
                        sub[m.name] = parent.name
        defs = list(_DEF_TERM.finditer(para))
        if '", ' in para:
            # '(the "Company", and together with its subsidiaries, the "Group")': the first of several terms
            defs += [d for d in _DEF_TERM_FIRST.finditer(para) if not any(e.start() == d.start() for e in defs)]
        for d in defs:
            for term in filter(None, (d.group("alt"), d.group("term"))):
                term = term.strip()
                if d.re is _DEF_TERM_FIRST and _is_thing(term):
                    continue  # '(each, a "Colocation Agreement", ...)': a thing, not a party
                prev = [m for m in ms if m.end <= d.start()]
                owner = None
                # 'Acme, Inc. (NASDAQ: ACME) ("Acme")': the ticker sits between.
                tick = _TICKER_BEFORE.search(para, max(0, d.start() - 40), d.start())
                at = tick.start() if tick else d.start()
                if prev and _APPOS_GAP.match(para[prev[-1].end:at]):
                    owner = prev[-1].name
                if owner is None and d.group(0).startswith('("'):
                    owner = _named_by_term(para[:at], d.group("alt") or term, reg)
                if owner is None and _ITS_SUB.search(para, max(0, d.start() - 140), d.start()) \
                        and not _is_thing(term):
                    # 'its wholly-owned subsidiary, Straits Digital (Johor) Sdn. Bhd. ("SDJ")': the parent acts through it
                    parent = terms.get("Company") or next((m.name for m in reversed(prev) if not m.pronoun), None) or filer
                    if parent:
                        owner = parent
                if owner is not None and (term not in _STOP_TERMS or d.group(0).startswith('("') or d.re is _DEF_TERM_FIRST):
                    terms[term] = owner
                elif owner is None:
                    for w in term.split():
                        stop.add(w)
                        stop.add(w.rstrip("s"))
    for k, v in list(terms.items()):
        terms[k] = sub.get(v, v)
    if not (sub or terms or stop):
        return None
    return DocTerms(sub, terms, stop, _terms_rx(terms) if terms else None)


def _terms_rx(terms) -> re.Pattern[str]:
    """Defined terms wherever the text writes them ("the Provider", "FESPO")."""
    return re.compile(r"(?<![\w\"])(?:[Tt]he\s+)?(" + trie_regex(terms) + r")(?!['\"\w])")


_NAME_BEFORE = re.compile(r"(" + _NAME + r")" + _SUFFIX + r"?,?\s*$")
# Capitalised words of things that are not companies: 'Master Services Agreement ("MSA")'.
_THING_WORDS = frozenset("""Agreement Agreements Lease Leases Contract Contracts Order Form Notes Note Facility Facilities
Services Service Plan Amendment Campus Project Site Term Effective Date Closing Transaction Transactions Shares Stock
Credit Loan Offering Warrants Act Rule Program Programme Fund Trust""".split())


def _is_thing(term: str) -> bool:
    """'Colocation Agreements', 'Master Services Agreement': a defined thing, not a party."""
    return any(w in _THING_WORDS or w.rstrip("s") in _THING_WORDS for w in term.split())


def _named_by_term(before: str, term: str, reg: Registry) -> Optional[str]:
    """An unknown company introduced with its short name: 'Vantage Data
    Centers ("Vantage")', 'Northwind Compute, Inc. ("Northwind")'. The short
    name is the company's name in the rest of the document."""
    m = _NAME_BEFORE.search(before)
    if m is None:
        return None
    words = m.group(1).split()
    while words and (words[0] in _STOP or words[0].lower() in ("the", "a", "an")):
        words.pop(0)
    if not words or any(w in _THING_WORDS for w in words) or term in _STOP or term in _THING_WORDS:
        return None
    first = term.split()[0]
    acronym = "".join(w[0] for w in words).upper()
    if first not in words and term.upper() != acronym:
        return None
    if _is_place(term) or _is_place(" ".join(words)):
        return None
    known = reg.pattern.fullmatch(term)
    return reg.alias[known.group(1)] if known else term


# Filing voice is handled by the filer; a press release's ("Acme" or the
# "Company") still defines the term.
_STOP_TERMS = {"Company", "Registrant"}
