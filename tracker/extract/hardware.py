"""Accelerator types, AI models, facility names and locations.

Patterns for accelerators and the named facilities live in
tracker/data/hardware.yaml; model families and their makers in
companies.yaml (so a model is only credited to the maker's own deal).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import yaml

from .companies import DATA, Registry
from .geo import _CITY, BARE_LOC_RE, COUNTRIES, CALLED_RE, COUNTY_RE, REGION_MOD_RE, KNOWN_SITE_PREP, KNOWN_SITE_RE, KNOWN_SITES, LOCATION_ADJ_RE, LOCATION_RE, PLACE_WORDS, STATE_CANON, TOWN_RE, _TOWN_HOME, _EXTRA, STATES, canon_region, gazetteer


@dataclass
class TextFact:
    start: int
    end: int
    value: str


@lru_cache(maxsize=1)
def _hw() -> tuple[list[tuple[re.Pattern[str], str]], re.Pattern[str], list[str]]:
    raw = yaml.safe_load((DATA / "hardware.yaml").read_text(encoding="utf-8")) or {}
    pats = [(re.compile(r"(?<![\w])(?:" + e["pattern"] + r")(?![\w])", re.I), e["canonical"])
            for e in raw.get("gpu_types", [])]
    # One pass: an alternation in table order, one group per entry (at a
    # position the first entry that matches wins, as in the table).
    # The lookahead on the possible first letters lets re skip most positions.
    firsts = {e["pattern"][0] for e in raw.get("gpu_types", [])}
    look = ("(?=[" + "".join(sorted({c for f in firsts for c in (f.lower(), f.upper())})) + "])"
            if all(c.isalpha() for c in firsts) else "")
    combined = re.compile(r"(?<![\w])" + look + "(?:" + "|".join("(" + p.pattern + ")" for p, _ in pats) + ")", re.I)
    return pats, combined, list(raw.get("facilities", []))


# Case-sensitive pre-test, much cheaper than the case-insensitive patterns.
_GPU_GATE = re.compile(r"[BHA]\s?\d{3}|GB|MI\s?\d|[Tt]rainium|TPU|tpu|[Tt]ensor|Ironwood|Trillium|Grace|Rubin|gb\d")


def find_gpu_types(s: str) -> list[TextFact]:
    pats, combined, _ = _hw()
    if not _GPU_GATE.search(s):
        return []
    return [TextFact(m.start(), m.end(), pats[m.lastindex - 1][1]) for m in combined.finditer(s)]


_MODEL_CUE = re.compile(
    r"\b(?=\w)(?:train|trains|training|trained|serve|serves|serving|served|power|powers|powering|powered|"
    r"run|runs|running|inference|deploy|deploying|develop|developing|development|build|building|scale|scales|scaling|workloads?)\b", re.I)
# "capacity ... for Gemini", "the compute will go toward Llama": a bare family
# after for/toward in a sentence about compute.
_FOR_MODEL = re.compile(r"\b(?:for|toward|towards)\s+(?:its\s+|the\s+|future\s+|new\s+|next\s+)?$", re.I)
_FOR_MODEL_CTX = re.compile(r"\b(?=\w)(?:capacity|compute|computing|GPUs?|chips|servers|clusters?|megawatts|gigawatts?)\b", re.I)
_MAKER_OF = re.compile(r"\b(?=\w)(?:maker|makers|developer|creator|owner)\s+of\s+(?:the\s+)?$", re.I)


@lru_cache(maxsize=4)
def _model_re(families: tuple[str, ...]) -> re.Pattern[str]:
    fam = "|".join(re.escape(f) for f in sorted(families, key=len, reverse=True))
    return re.compile(
        r"(?<![\w-])(?P<fam>" + fam + r")(?:\s+(?P<tier0>Opus|Sonnet|Haiku))?(?:(?P<sep>[\s-]?)(?P<ver>\d+(?:\.\d+)?[a-z]?))?"
        r"(?:\s+(?P<tier>Opus|Sonnet|Haiku|Pro|Ultra|Flash|Mini|Large|Medium))?(?![\w])")


def find_models(s: str, reg: Registry) -> list[tuple[TextFact, str]]:
    """(model, maker) pairs in a sentence that speaks of training/serving."""
    if not reg.family_re.search(s):
        return []
    cue = bool(_MODEL_CUE.search(s))
    if not cue and not _FOR_MODEL_CTX.search(s):
        return []
    fams = reg.families
    out = []
    for m in _model_re(fams).finditer(s):
        fam = m.group("fam")
        if not cue and not _FOR_MODEL.search(s, max(0, m.start() - 20), m.start()):
            continue
        if _MAKER_OF.search(s[max(0, m.start() - 30):m.start()]):
            continue
        # Bare family must be used as a model name ("its Claude models"), not
        # as a brand in a company name ("the ChatGPT maker").
        after = s[m.end():m.end() + 20]
        if not m.group("ver") and not re.match(r"\s*(?:(?:models?|family|series|and|assistant|training|inference|workloads?)\b|,)", after) \
                and not re.search(r"\b(?:train\w*|serv\w*|run\w*|power\w*|host\w*|deploy\w*|scal\w*)\s+(?:its\s+|the\s+|future\s+|new\s+|next\s+)?"
                                  r"(?:(?:versions?|generations?|iterations?)\s+of\s+)?$",
                                  s[max(0, m.start() - 30):m.start()], re.I) \
                and not (_FOR_MODEL.search(s, max(0, m.start() - 20), m.start()) and _FOR_MODEL_CTX.search(s)
                         and reg.model_owner[fam.lower()].lower() != fam.lower()):  # "for Mistral": the company
            continue
        if re.match(r"\s*(?:maker|chatbot)\b", after) and not m.group("ver"):
            continue
        val = fam + (" " + m.group("tier0") if m.group("tier0") else "")
        if m.group("tier0") and not m.group("ver"):
            val = fam
        if m.group("ver"):
            sep = "-" if fam.upper() == "GPT" else " "
            val = f"{val}{sep}{m.group('ver')}"
        if m.group("tier"):
            val += " " + m.group("tier")
        out.append((TextFact(m.start(), m.end(), val), reg.model_owner[fam.lower()]))
    return out


# "to train new versions of Moshi, its real-time speech model": a model the
# alias table cannot know, named by its appositive.
_MODEL_VERB = r"\b(?:(?:pre-|post-)?train\w*|serv\w*|run\w*|power\w*|host\w*|deploy\w*|develop\w*|build\w*|improv\w*|scal\w*|inference\s+(?:on|for))\s+"
_NEXT_OF = (r"(?:(?:the\s+)?(?:new|future|next|later|larger|upcoming)\s+)?"
            r"(?:(?:versions?|generations?|iterations?|releases?)\s+of\s+)?")
_MODEL_NAME = r"(?P<name>[A-Z][A-Za-z0-9.\-]+(?:\s(?:[0-9][\w.]*|[A-Z][a-z]+)){0,2})"
_NAMED_MODELS = (
    # "to train new versions of Moshi, its real-time speech model", "training Fold-7B, our next structure model"
    re.compile(_MODEL_VERB + _NEXT_OF + _MODEL_NAME + r",\s+(?:its|their|our|a|an)\s+(?:[\w-]+\s+){0,3}?"
               r"(?:model|LLM|language\s+model|foundation\s+model|assistant|chatbot|flagship)s?\b"),
    # "train the next generation of its Lyra models", "its Selat family of models", "its V7 image models"
    re.compile(_MODEL_VERB + _NEXT_OF + r"(?:its|their|our)\s+" + _MODEL_NAME +
               r"\s+(?:(?:[\w-]+\s+)?(?:models?|LLMs?|model\s+family|series)|family\s+of\s+models)\b"),
    # "to train Ray3 and its successors"
    re.compile(_MODEL_VERB + _MODEL_NAME + r"\s+and\s+(?:its|their)\s+successors?\b"),
)
_NOT_MODEL_NAMES = {"Nvidia", "NVIDIA", "AMD", "GPU", "GPUs", "AI", "Blackwell", "Hopper", "Rubin", "Grace", "H100", "H200",
                    "B200", "GB200", "GB300", "TPU", "Trainium", "Azure", "Google", "Cloud", "Large", "Frontier", "Own"}


def find_named_models(s: str) -> list[TextFact]:
    """Models introduced by name and appositive; their maker is the subject
    the sentence's "its" points to, decided by the caller."""
    out: list[TextFact] = []
    for rx in _NAMED_MODELS:
        for m in rx.finditer(s):
            name = m.group("name")
            if name in _GEN_STOP or name in _NOT_MODEL_NAMES or name.split()[0] in ("The", "A", "An", "This", "That", "It", "Its"):
                continue
            if any(f.start <= m.start("name") < f.end for f in out):
                continue
            out.append(TextFact(m.start("name"), m.end("name"), name))
    return out


_FAC_NOUN = r"(?:supercomputers?|clusters?|campus(?:es)?|data\s+cent(?:er|re)s?|facilit(?:y|ies)|sites?|project|initiative)"


@lru_cache(maxsize=1)
def _facility_re() -> re.Pattern[str]:
    _, _, facs = _hw()
    known = "|".join(re.escape(f) for f in sorted(facs, key=len, reverse=True))
    return re.compile(
        r"(?<![\w-])(?=[A-Z]|project\s)(?P<name>(?P<known>(?i:" + known + r"))(?:\s+(?:\d+|I{1,3}|[A-Z][a-z]+|U\.?K\.?|UAE|U\.?S\.?|EU))?)(?![\w])"
        r"|(?:\b(?:its|our|their|the)|'s)\s+(?:(?:flagship|new|entire|whole|planned|existing|first|second|purpose-built)\s+)?"
        r"(?P<gen>[A-Z][A-Za-z]+\d{0,2}(?:-\d{1,2})?(?:\s+[A-Z][A-Za-z]+){0,2}(?:\s+\d+)?)\s+"
        r"(?:supercomputer|cluster|campus|data\s+cent(?:er|re)|facility|site)\b"
        # "the Australian data center operator": a company, not a named site.
        r"(?!\s+(?:operator|company|firm|provider|developer|business|group|owner|REIT|giant|startup|specialist|"
        r"industry|market|sector|landlord|builder)s?\b)")


def known_facilities() -> frozenset[str]:
    """Site names from hardware.yaml ("Colossus", "Stargate", "Rainier")."""
    return frozenset(_hw()[2])


_GEN_STOP = {"New", "Company", "Agreement", "AI", "GPU", "US", "U.S.", "The", "Our", "Its", "Data", "Center",
             "Nvidia", "NVIDIA", "AMD", "Trainium", "TPU", "Cloud", "Azure", "Company's", "North", "South",
             "East", "West", "Central", "European", "American", "British", "French", "German", "Texas"}


@lru_cache(maxsize=1)
def _owners() -> tuple[dict[str, str], Optional[re.Pattern[str]]]:
    raw = yaml.safe_load((DATA / "hardware.yaml").read_text(encoding="utf-8")) or {}
    own = {str(k): str(v) for k, v in (raw.get("facility_owners") or {}).items()}
    if not own:
        return own, None
    alt = "|".join(re.escape(k) for k in sorted(own, key=len, reverse=True))
    return own, re.compile(r"(?<![\w])(?:" + alt + r")(?![\w])", re.I)


def facility_owners(s: str) -> list[str]:
    """Owners of the named facilities in ``s`` (hardware.yaml facility_owners)."""
    own, rx = _owners()
    if rx is None:
        return []
    out = []
    for m in rx.finditer(s):
        o = next((v for k, v in own.items() if k.lower() == m.group().lower()), None)
        if o and o not in out:
            out.append(o)
    return out


@lru_cache(maxsize=1)
def _facility_aliases() -> dict[str, str]:
    raw = yaml.safe_load((DATA / "hardware.yaml").read_text(encoding="utf-8")) or {}
    return {str(k).lower(): str(v) for k, v in (raw.get("facility_aliases") or {}).items()}


def _canon_facility(raw: str) -> str:
    alias = _facility_aliases().get(raw.lower())
    if alias:
        return alias  # "Rainier" -> "Project Rainier"
    for f in _hw()[2]:
        if f.lower() == raw.lower():
            return f
    return raw


# "which the company calls Project Meridian": a project name is a facility.
_PROJECT_RE = re.compile(r"\bProject\s+(?P<n>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b")


# "at Polaris Forge 1, the Company's purpose-built AI factory campus": a site named by its appositive.
_APPOS_FAC = re.compile(
    r"\b(?:at|in|to|from|building|builds|developing|develops|operating|operates|owns)\s+(?P<n>[A-Z][A-Za-z]+(?:-\d{1,2})?(?:\s+(?:[A-Z][A-Za-z]+|\d{1,2})){0,3}),\s+"
    r"(?:the|a|an|its|our|their|(?:[A-Z0-9][\w.&-]*\s+){0,2}[A-Z0-9][\w.&-]*['’]s?)\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:campus|site|facility|data\s+cent(?:er|re)|cluster|supercomputer)\b")
# 'which its developer calls "The Barn"', 'a site known as "Lighthouse"'.
_CALLED_BARE = re.compile(r"\b(?:campus|site|facility|data\s+cent(?:er|re)|cluster|park|project|supercomputer)\b[^.;]{0,60}?,?\s+"
                          r"(?:known\s+as|called|dubbed|nicknamed|code-?named)\s+(?P<q>(?:The\s+)?[A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){0,3})")
_QUOTED_FAC = re.compile(r"(?:['’]s|\b(?:the|its|their|our))\s+['‘](?P<q>[A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){0,3})['’](?=\s+(?:in|at|near|campus|site|facility|data|cluster|project)\b)")
_CALLED_FAC = re.compile(r"\b(?:calls?|called|dubbed|named|known\s+as|nicknamed|code-?named)\s+[\"“](?P<q>[A-Z][^\"”]{1,30}?)[,.]?[\"”]")


def find_facilities(s: str, known: tuple[str, ...] = ()) -> list[TextFact]:
    """Named sites in ``s``; ``known``: names the document has already
    introduced ("Polaris Forge 1"), found again wherever they recur."""
    out = []
    if ", " in s:
        for m in _APPOS_FAC.finditer(s):
            n = m.group("n")
            if n in PLACE_WORDS or n.split()[0] in _GEN_STOP or _is_hw_name(n):
                continue
            out.append(TextFact(m.start("n"), m.end("n"), n))
    if '"' in s or "“" in s:
        for m in _CALLED_FAC.finditer(s):
            out.append(TextFact(m.start("q"), m.end("q"), m.group("q")))
    if " as " in s or "called" in s or "dubbed" in s or "named" in s:
        # "Related Digital's campus outside Ann Arbor, known as The Barn", unquoted
        for m in _CALLED_BARE.finditer(s):
            n = m.group("q")
            if not any(f.start <= m.start("q") < f.end for f in out) and n not in PLACE_WORDS and n.split()[-1] not in _GEN_STOP:
                out.append(TextFact(m.start("q"), m.end("q"), n))
    if "'" in s or "‘" in s:
        # "Scala's 'AI City' in Rio Grande do Sul": a site name in single quotes
        for m in _QUOTED_FAC.finditer(s):
            if not any(f.start <= m.start("q") < f.end for f in out):
                out.append(TextFact(m.start("q"), m.end("q"), m.group("q")))
    for name in known:
        i = s.find(name)
        while i >= 0:
            if not any(f.start <= i < f.end for f in out) and not (s[i + len(name):i + len(name) + 1].isalnum()):
                out.append(TextFact(i, i + len(name), name))
            i = s.find(name, i + len(name))
    if "Project " in s:
        for m in _PROJECT_RE.finditer(s):
            n = m.group("n").split()
            if n[-1] in ("Will", "Is", "Was", "Has", "Said", "Would", "Could") or n[0] in _GEN_STOP:
                n = n[:-1] if n[-1] not in _GEN_STOP else []
            if n and n[0] not in _GEN_STOP:
                name = "Project " + " ".join(n)
                out.append(TextFact(m.start(), m.start() + len(name), name))
    for m in _facility_re().finditer(s):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        if m.group("name"):
            name = m.group("name")
            known = _canon_facility(m.group("known"))
            tail = name[len(m.group("known")):].strip()
            span = len(name)
            name = known + name[len(m.group("known")):]
            # "Stargate Abilene" keeps a place, "Stargate Will" does not.
            if tail and not tail.isdigit() and tail not in PLACE_WORDS and not re.fullmatch(r"I{1,3}", tail):
                name, span = known, len(m.group("known"))
            out.append(TextFact(m.start("name"), m.start("name") + span, name))
        else:
            name = m.group("gen")
            words = name.split()
            if any(f.start <= m.start("gen") < f.end for f in out) or _is_hw_name(name):
                continue
            if name in PLACE_WORDS or words[0] in _GEN_STOP or any(w in _GEN_STOP for w in words) or (
                    len(words) == 1 and re.search(r"(?:ian|ean|ese|ish)$", name)):  # "Australian", "Japanese"
                continue
            out.append(TextFact(m.start("gen"), m.end("gen"), name))
    out = [TextFact(f.start, f.end, _canon_facility(f.value)) for f in out if not _FAC_MODIFIER.match(s, f.end)]
    return [_range_base(s, f) for f in out]


# "a Rainier-style campus", "by Stargate standards", "the Lake Mariner Capacity Agreement":
# the name describes something else.
_FAC_MODIFIER = re.compile(r"(?:-(?:style|like|type|class|sized?|scale)\b|\s+(?:standards?|style|playbook|model|template)\b|"
                           r"\s+(?:(?:Capacity|Lease|Colocation|Master|Services)\s+)*Agreements?\b)")


def _is_hw_name(name: str) -> bool:
    return any(m.group() == name for m in _hw()[1].finditer(name))


_RANGE_AFTER = re.compile(r"\s*(?:-|–|through|to|and)\s*\d\b")


def _range_base(s: str, f: TextFact) -> TextFact:
    """'Horizon 1 through 4', 'Horizon 1-4': the numbered buildings of one
    campus, named by its base name."""
    m = re.fullmatch(r"(.+?)\s+\d{1,2}", f.value)
    if m and _RANGE_AFTER.match(s, f.end):
        return TextFact(f.start, f.start + len(m.group(1)), m.group(1))
    return f


_NOT_DEAL_LOC = re.compile(r"(?:based|headquartered|incorporated)\s+in\s*$|\bof\s*$", re.I)


_PLACE_SUFFIX = re.compile(r"\s+(?:City|Springs|Falls|Beach|Heights|Creek|Park|Valley|Township)\b")


_COUNTRY_SET = frozenset(COUNTRIES)


def find_locations(s: str, known: Optional[dict[str, str]] = None) -> list[TextFact]:
    """Places in ``s``; ``known`` maps towns the document named in full
    ("Clarington" -> "Clarington, Ohio") so a bare mention is sited too."""
    out = []
    for m in LOCATION_RE.finditer(s):
        prep = m.group("prep").lower()
        if prep in ("based in", "headquartered in", "of"):
            continue
        if m.group("city"):
            city = m.group("city")
            if city in ("The", "Inc", "Corp") or city.split()[0] in ("The",):
                continue
            val = f"{city}, {canon_region(m.group('region'))}"
        else:
            val = canon_region(m.group("alone"))
            if val in ("United States",):
                continue
            if _PLACE_SUFFIX.match(s, m.end()):
                continue  # "the Colorado City site", "Kansas City": a town named after a state
        out.append(TextFact(m.start(), m.end(), val))
    if "'s " in s or "’s " in s:
        for m in COUNTY_RE.finditer(s):
            if any(f.start <= m.start("region") < f.end for f in out):
                out = [f for f in out if not f.start <= m.start("region") < f.end]
            region = canon_region(m.group("region"))
            val = f"{m.group('city')}, {region}" if m.group("city") else f"{m.group('county')}, {region}"
            out = [f for f in out if not (m.start() <= f.start < m.end())]
            out.append(TextFact(m.start(), m.end(), val))
    for m in LOCATION_ADJ_RE.finditer(s):
        if any(f.start <= m.start("city") < f.end for f in out):
            continue
        out.append(TextFact(m.start("city"), m.end("region"), f"{m.group('city')}, {canon_region(m.group('region'))}"))
    if "called" in s or "named" in s or " of " in s:
        for m in CALLED_RE.finditer(s):
            if not any(f.start <= m.start("city") < f.end for f in out):
                out.append(TextFact(m.start(), m.end(), f"{m.group('city')}, {canon_region(m.group('region'))}"))
    if ", " in s:
        for m in BARE_LOC_RE.finditer(s):
            city = m.group("city")
            if city.split()[0] in ("The", "Inc", "Corp") or any(f.start <= m.start("city") < f.end for f in out):
                continue
            if re.search(r"\b(?:based|headquartered|of)\s+(?:in\s+)?$", s[max(0, m.start() - 20):m.start()]):
                continue
            prov = re.search(r"(?<![\w,])(" + _CITY + r"),\s+$", s[max(0, m.start() - 40):m.start()])
            if prov and m.group("region") in _COUNTRY_SET:
                city = prov.group(1)  # "Prince George, British Columbia, Canada": town, province, country
            out.append(TextFact(m.start(), m.end(), f"{city}, {canon_region(m.group('region'))}"))
    for m in REGION_MOD_RE.finditer(s):
        if not any(f.start <= m.start("alone") < f.end for f in out):
            out.append(TextFact(m.start("alone"), m.end("alone"), canon_region(m.group("alone"))))
    for m in KNOWN_SITE_RE.finditer(s):
        pm = KNOWN_SITE_PREP.search(s, max(0, m.start() - 12), m.start())
        prep = pm.group("prep") if pm else None
        if not (prep or m.group("noun")):
            continue
        if prep == "from" and not m.group("noun"):
            continue
        if prep and _TOWN_HOME.search(s, max(0, m.start() - 50), pm.start()):
            continue  # "Analysts in Riyadh said"
        if any(f.start <= m.start("city") < f.end or m.start("city") <= f.start < m.end("city") for f in out):
            continue
        out.append(TextFact(m.start("city"), m.end("city"), f"{m.group('city')}, {KNOWN_SITES[m.group('city')]}"))
    if " in " in s or " at " in s or "near " in s or "outside " in s:
        towns = gazetteer()
        reg = None
        for m in TOWN_RE.finditer(s):
            city = m.group("city")
            val = towns.get(city) or (known.get(city) if known else None)
            if val is None and " " in city:  # "Navi Mumbai Tower": the longest known prefix
                words = city.split()
                while len(words) > 1 and val is None:
                    words.pop()
                    val = towns.get(" ".join(words))
                rest = city.split()[len(words):]
                if not (val and rest and all(w in ("North", "South", "East", "West", "Central") for w in rest)):
                    city = " ".join(words) if val else city  # ("Laverton North" keeps its quarter)
            if val is None or city in KNOWN_SITES or (city in PLACE_WORDS and not (m.group("prov") and city in _BIG_CITIES)):
                continue  # (a big city is a site when the text gives its province: "in Toronto, Ontario")
            if any(f.start <= m.start("city") < f.end or m.start("city") <= f.start < m.end() for f in out):
                continue
            if _TOWN_HOME.search(s, max(0, m.start() - 40), m.start()):
                continue  # "headquartered in Toronto", "told reporters in Paris"
            if re.match(r"\w+\s+the\s", s[m.start():m.start("city")]) and " " not in city:
                continue  # "floating around in the Valley": a region's nickname, not the town of Valley
            if reg is None:
                from .companies import registry
                reg = registry()
            if reg.pattern.fullmatch(city) or city in _hw_words():
                continue  # a company or a product, not a town
            end = m.end() if m.group("prov") and canon_region(m.group("prov").strip(", ")) not in _REGIONS else m.start("city") + len(city)
            out.append(TextFact(m.start("city"), end, city + val[val.index(","):]))
    out.sort(key=lambda f: f.start)
    if len(out) > 1:
        # "Loughton site in Essex, United Kingdom": the county of the town just named
        keep = [out[0]]
        for f in out[1:]:
            p = keep[-1]
            if p.value.split(", ")[-1] == f.value.split(", ")[-1] and ", " in f.value and \
                    re.fullmatch(r"\s*(?:site|campus|facility|data\s+cent(?:er|re)|park|area)?\s*(?:(?:in|,)\s+)?(?:the\s+)?", s[p.end:f.start]):
                continue
            keep.append(f)
        out = keep
    return out


_REGIONS = frozenset(STATE_CANON) | frozenset(COUNTRIES) | {"United States"}
_BIG_CITIES = frozenset(_EXTRA) - frozenset(STATES) - frozenset(COUNTRIES)


@lru_cache(maxsize=1)
def _hw_words() -> frozenset[str]:
    """Named facilities and their aliases: never towns ("at Hyperion")."""
    raw = yaml.safe_load((DATA / "hardware.yaml").read_text(encoding="utf-8")) or {}
    words = set(raw.get("facilities") or ())
    for k, v in (raw.get("facility_aliases") or {}).items():
        words.update((k, v))
    return frozenset(w for w in words if isinstance(w, str))
