"""Who buys compute from whom, read from one sentence.

Verb-centred: a deal verb's subject and object are the nearest company
mentions around it, and the verb's direction says which is the buyer
("A will pay B", "A buys capacity from B" -> A buys; "B will provide A",
"B supplies ... to A", "A is served by B" -> B provides). A party introduced
by "with" ("A signed a contract with B to purchase") is the counterparty when
the verb has no object of its own. Sentences that only say "a deal between A
and B" return an *undirected* pair; the caller settles it from earlier
sentences or the companies' usual roles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .companies import Mention, Registry

_BUY = (r"(?:take|takes|took|taking)(?=\s+(?:up\s+to\s+|about\s+|some\s+|roughly\s+|another\s+|an\s+additional\s+)?\d[\d,.]*\s*(?:MW\b|GW\b|megawatts|gigawatts|"
        r"(?:[A-Z][\w-]*\s+){0,2}(?:GPUs|chips|accelerators|[A-Z]{1,2}\d{3}s?\b)))|"  # "Kuura will take 12,000 Nvidia B200 GPUs"
        r"exercis(?:e|es|ed|ing)\s+(?:its|their|our|an|the|a)\s+(?:[\w-]+\s+){0,2}?option|"  # "CoreWeave exercised its option at Polaris Forge 1"
        r"(?:expand|increas|grow|deepen|doubl|scal|broaden)\w*\s+(?:its|their|our)\s+(?:use|usage|consumption)\s+of|occup(?:y|ies|ied|ying)|pay|pays|paid|paying|buy|buys|bought|buying|purchas(?:e|es|ed|ing)|rent(?:s|ed|ing)?|"
        r"procur(?:e|es|ed|ing)|spend(?:s|ing)?|spent|use|uses|used|using|tap(?:s|ped|ping)?|"
        r"access(?:es|ed|ing)?|lease(?:s|d)?\s+(?:[\w,.$~-]+\s+){0,7}?from|(?:lease|leases|leased|leasing|rent|rents|rented|renting)\s+back|"
        r"(?:lease|leases|leased|leasing|take|takes|took|taking|contracted|reserved|booked|secured)\s+(?:(?:the|an?|additional|full|rest|remaining|of|more|than|up|to|about|some|all|another|its|further|[\d.,]+|MW|GW|megawatts?|gigawatts?|critical|IT|load|capacity|power)\s+){1,10}?at|"
        r"(?:lease|leases|leased|leasing)\s+(?:the\s+)?(?:full|entire|whole|all|remaining)\s+(?:of\s+(?:the|a|an|its|their)\s+)?(?:[\w-]+\s+){0,2}?(?:campus|site|facility|buildings?|capacity)|leasing\s+(?:\w+\s+){0,4}?from|"
        r"contract(?:s|ed)?\s+(?:with\s+)?(?:\w+\s+){0,3}?for|commit(?:s|ted)?\s+(?:[\w'.,$-]+\s+){0,8}?to|commit(?:s|ted)(?=\s+(?:about\s+|roughly\s+|up\s+to\s+|more\s+than\s+|nearly\s+)?(?:US)?\$)|"
        r"(?:run|runs|running|train|trains|training|host|hosts|hosting)\s+(?:[\w'.,$-]+\s+){0,5}?on|"
        r"gain(?:s|ed|ing)?\s+access\s+to|(?:get|gets|getting|got|line[sd]?\s+up|lining\s+up|sourc(?:e|es|ed|ing))\s+(?:[\w$.,~-]+\s+){0,7}?(?:from|through|via)|"
        # "agreed to take up to 4.5 GW of Oracle capacity", "consume 2,000 GPUs of CoreWeave capacity"
        r"(?:take|takes|took|taking|consum(?:e|es|ed|ing))\s+(?:[\w.,$~-]+\s+){0,6}?of(?=\s+(?:the\s+)?(?-i:[A-Z])[\w&.-]*(?:\s+(?-i:[A-Z])[\w&.-]*)?(?:['’]s)?\s+"
        r"(?:capacity|compute|computing|cloud|GPUs|infrastructure|data\s+cent(?:er|re)s?)\b)|mov(?:e|es|ed|ing)\s+(?:[\w-]+\s+){0,3}?(?:training|workloads?|inference|compute|clusters?)\s+to|award(?:s|ed|ing)?|select(?:s|ed|ing)?|chose|choose|chooses|chosen|"
        r"pick(?:s|ed)?|hire(?:s|d)?|enlist(?:s|ed)?|"
        r"(?:capacity|compute|computing\s+power|GPUs|chips|servers|infrastructure|services)\s+(?:(?!(?:we|they|it|us)\b)[\w-]+\s+){0,2}?from|turn(?:s|ed)?\s+to|relies\s+on|rely\s+on|book(?:s|ed)?|reserv(?:e|es|ed)|secur(?:e|es|ed)\s+(?:\w+\s+){0,4}?from")
_PROVIDE = (r"provid(?:e|es|ed|ing)(?!\s+(?:an?\s+|further\s+|more\s+)?(?:update|updates|details|guidance|information|comments?|overview|clarity|colou?r|visibility|notice|assurance)\b)|suppl(?:y|ies|ied|ying)|deliver(?:s|ed|ing)?|host(?:s|ed|ing)?|"
            r"serv(?:e|es|ed|ing)|offer(?:s|ed|ing)?|sell(?:s|ing)?|sold|(?<=will\s)power|powers|powering|"
            r"lease(?:s|d)?\s+(?:\w+\s+){0,4}?to|leasing\s+(?:\w+\s+){0,4}?to|rent(?:s|ed|ing)?\s+out|"
            r"(?:build|builds|building|built|develop|develops|developing|developed|deploy|deploys|deploying|deployed|operate|operates|operating|run|runs|running|"
            r"install|installs|installing|installed|house|houses|housing)\s+"
            # ("develops large language models which are specialised for ...": its own product, not compute)
            r"(?!(?:[\w'.,$-]+\s+){0,3}?(?:models?|LLMs?|software|apps?|applications|agents?|chatbots?|products?|tools?)\b)"
            r"(?:[\w'.,$-]+\s+){0,10}?for(?!\s+(?:(?:an?|another|more\s+than|about|up\s+to|at\s+least|\d[\d.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several|many)\s+(?:(?:more|additional|further)\s+)?)?(?:years?|decades?|months?|weeks?|days?|the\s+(?:first|next|past|last|rest|remainder|duration|life|length|term)))|"
            r"sign(?:s|ed|ing)?(?=\s+(?-i:[A-Z])[\w&.-]*(?:\s+(?-i:[A-Z])[\w&.-]*){0,2}\s+(?:to|for)\s+(?:a|an|the\s+)?\s*(?:[\w$.,-]+\s+){0,4}?(?:deal|contract|lease|agreement)s?\b)|"
            # "we signed Together AI this summer at our Beauharnois site", "signed CoreWeave as anchor tenant"
            r"sign(?:s|ed)?(?=\s+(?-i:[A-Z])[\w&.-]*(?:\s+(?-i:[A-Z])[\w&.-]*){0,2}\s+(?:[\w-]+\s+){0,3}?(?:at\s+(?:our|its|their|the)\s|as\s+(?:a|an|our|its|their|the)?\s*(?:[\w-]+\s+)?(?:customer|tenant|client)))|"
            r"(?:put|puts|putting|place|places|placed|placing)\s+at\s+the\s+disposal\s+of|make\s+available|mak(?:e|es|ing)\s+(?:[\w,.$~-]+\s+){1,8}?available\s+to|made\s+(?:[\w,.$~-]+\s+){1,8}?available\s+to|(?:give|gives|giving|gave|given)(?!\s+(?:[\w'()]+\s+){0,8}?(?:notice|guidance|updates?|details|visibility|colou?r|warning|credit|a\s+call))|hand(?:s|ed|ing)?\s+over")
_WIN = (r"(?:win|wins|won|winning|land|lands|landed|landing|secure|secures|secured|clinch\w*|bag|bags|bagged|"
        r"snag\w*|score|scores|scored|disclosed|announced|reported|received|receives|booked|books)\s+(?:[\w$.,'-]+\s+){0,8}?(?:contract|deal|order|agreement|commitment)s?\s+from"
        # "Nebius lands Microsoft": the customer itself is the prize (object checked by the caller)
        r"|(?:lands|landed|wins|won|bags|bagged|snags|snagged|nabs|nabbed)(?=\s+(?-i:[A-Z]))")
_PROV_FIRST = r"(?:rent|rents|rented|renting|lease|leases|leased|leasing|dedicat(?:e|es|ed|ing)|allocat(?:e|es|ed|ing))(?!\s+back)\s+(?:(?!from\b|with\b)[\w,'.-]+\s+){0,16}?(?:to(?=\s+(?:(?-i:[A-Z])|the\s|us\b|our\s|their\s|customers))|out)"
# "Nordvik will reserve 3,072 GPUs for the Directorate": reserving for someone is providing.
_RESERVE_FOR = r"(?:reserv(?:e|es|ed|ing)|set(?:s|ting)?\s+aside)\s+(?:(?!from\b|with\b|for\b)[\w,'.-]+\s+){1,10}?for(?=\s+(?:the\s+)?(?-i:[A-Z]))"
VERB_RE = re.compile(r"\b(?=[a-zA-Z]{3})(?:(?P<prov1>" + _PROV_FIRST + r"|" + _WIN + r"|" + _RESERVE_FOR + r")|(?P<buy>" + _BUY + r")|(?P<prov>" + _PROVIDE + r"))\b", re.I)
_PASSIVE_BY = re.compile(r"^\s+(?:\w+\s+){0,4}?by\s*$", re.I)
_PREP_BEFORE = re.compile(r"(?:\b(?:with|from|to|for|by|of|between|and|at|on|including|than|via|through|like)|\bw/)\s+(?:the\s+)?$", re.I)
_WITH_BEFORE = re.compile(r"(?:\b(?:with|and)|\bw/)\s+(?:the\s+)?$", re.I)
_COREF = re.compile(r"\b(?=\w)(?:[Tt]he\s+(?:[\w-]+\s+){0,3}?(?:company|firm|startup|start-up|group|neocloud|lab|operator|provider|giant|\w*maker|developer|hyperscaler|supplier|miner|landlord)\b|[Ii]t|[Tt]hey|[Ii]ts(?=\s+(?:[\w$.,-]+\s+){0,4}?(?:deal|contract|agreement|pact|lease|commitment)s?\b))\b")
DEAL_NOUN = re.compile(r"\b(?=\w)(?:deal|contract|agreement|pact|partnership|arrangement|"
                       r"order\s+form|commitment|lease|MSA|tie-up|accord|relationship)s?\b", re.I)
_CUSTOMER_BEFORE = re.compile(r"\b(?=\w)(?:customer|customers|client|clients|tenant|tenants)(?:,)?\s+(?:is\s+|was\s+|are\s+)?(?:the\s+)?$", re.I)
_CUSTOMER_AFTER = re.compile(r"^,\s+(?:a|an|its|our|their|the)\s+(?:[\w-]+\s+){0,3}?(?:customer|client|tenant)s?\b"
                             r"|^\s+as\s+(?:a|an|its|our|their)\s+(?:[\w-]+\s+){0,3}?(?:customer|client|tenant)\b"
                             r"|^\s+(?:became|becomes|is|was|(?:will|would|is\s+to|(?:has\s+)?agreed\s+to|plans\s+to)\s+(?:become|be))\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:customer|client|tenant)\b"
                             r"|^\s+(?:has\s+|have\s+|had\s+)?(?:also\s+)?(?:signed\s+on|joined|come\s+on\s?board|came\s+on\s?board)\s+as\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:customer|client|tenant)\b"
                             # "Halvard Labs will be Nebius's anchor customer"
                             r"|^\s+(?:will\s+be|is|was|becomes|became|has\s+become)\s+(?:(?-i:[A-Z])[\w&.-]*\s+){0,3}?(?-i:[A-Z])[\w&.-]*['’]s?\s+(?:[\w-]+\s+){0,2}?(?:customer|client|tenant)\b", re.I)
_HW_AFTER = re.compile(r"^(?:'s)?\s*(?:(?:GB|B|H|A|MI|GH)\s?\d{3}|Blackwell|Hopper|Rubin|Grace|GPU|GPUs|chips?|graphics|accelerators?|hardware|processors?|H100|TPU|Trainium|DGX|HGX|Instinct|systems)", re.I)


# "a contract with B", "deal between A and B", "A and B announced/signed ...".
_DN = r"(?:deal|contract|agreement|pact|partnership|arrangement|lease|commitment|order\s+form|tie-up|accord|MSA|relationship|alliance)s?"
_UNDIRECTED = re.compile(
    r"\b" + _DN + r"\b[^.;]{0,60}?(?:\b(?:with|between)\b|\bw/)|\b(?:with|between)\b[^.;]{0,50}?\b" + _DN + r"\b"
    r"|(?:\b(?:and|&)|,)\s+[^.;]{0,40}?(?<!not )(?<!never )(?<!n't )\b(?:signed|announced|struck|inked|agreed|reached|unveiled|expanded|extended|sign|ink|strike|agree|unveil|expand|extend|seal|sealed)\b"
    r"|-\s?[A-Z][\w]*\s+" + _DN + r"\b"
    # "OpenAI signed with Oracle for about $300B of compute", "inked with Nebius"
    r"|\b(?:signed|signs|sign|inked|inks|struck|concluded|concludes|conclude|executed|executes)\s+(?:\w+\s+){0,2}?with\b"
    # a contract's opening: "This Order ... is entered into on November 24, 2025 under the Terms between A and B"
    r"|\b(?:entered\s+into|made\s+and\s+entered\s+into|is\s+made)\b[^.;]{0,160}?\b(?:by\s+and\s+)?between\b", re.I)
_SITE_N = r"(?:facility|campus|data\s+cent(?:er|re)|cluster|site|supercomputer|capacity)"
_NAME_RX = r"[A-Za-z][\w&.'-]*(?:\s+[A-Z][\w&.-]*){0,3}"
_TAKE_THAT_BUILDS = re.compile(
    r"(?P<a>" + _NAME_RX + r")\s+(?:will|would|has\s+agreed\s+to|agreed\s+to|is\s+to|plans\s+to|is\s+set\s+to)\s+(?:take|use|lease|rent|occupy|anchor)\s+"
    r"(?:[\w$.,-]+\s+){0,6}?" + _SITE_N + r"\s+(?:that|which)\s+(?P<b>" + _NAME_RX + r")\s+(?:is|was|has\s+been|will\s+be)?\s*"
    r"(?:building|built|developing|developed|constructing|operating|operates|builds|develops)\b")
_BUILDS_THAT_TAKES = re.compile(
    r"(?P<a>" + _NAME_RX + r")\s+(?:is|was|has\s+been|will\s+be)?\s*(?:building|developing|constructing|operating|builds|develops|built|developed)\s+"
    r"(?:[\w$.,-]+\s+){0,6}?" + _SITE_N + r"\s+(?:[\w,]+\s+){0,4}?(?:that|which)\s+(?P<b>" + _NAME_RX + r")\s+"
    r"(?:has|have|will|is|would)?\s*(?:agreed\s+to\s+|signed\s+(?:up\s+)?to\s+)?(?:use|lease|rent|take|occupy|anchor)\b")
_BILL_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:bill|tab|spend|spending|commitments?|contracts?|deal|lease|order|rental|capacity|cluster)s?\b", re.I)
_PLURAL_DEALS = re.compile(r"\b(?:deals|contracts|agreements|leases|pacts|partnerships)\s+with\s+(?:the\s+)?$|\b(?:two|three|both)\s+(?:[\w-]+\s+){0,2}?(?:deals|contracts|agreements|leases)\b", re.I)
# "after the Microsoft announcement, it signed ...": a name used as a modifier.
_NOUN_MOD = re.compile(r"\s+(?:announcement|news|deal|contract|agreement|transaction|partnership|lease|order|award|win)s?\b(?!\s+(?:with|to|for)\b)"
                       # "Crusoe leases 120 MW from Hut 8": a verb, not "the Crusoe leases"
                       r"(?<!leases)(?<!orders)(?<!contracts)|\s+(?:leases|orders|contracts)\b(?!\s+(?:\d|\$|US\$|(?:up\s+to|about|roughly|some|more|an?|the|its|additional|another|capacity|space|power|GPUs|compute)\b))")
_IT_OBJ = re.compile(r"\s+(?:it|them)\b(?!\s+(?:is|was|will|has|had|would|said|says)\b)")
_POSS_AT = re.compile(r"'s?\s+(?:[\w-]+\s+){0,2}?(?:tab|bill|spend|spending|commitments?|contracts?|orders?|purchases?|rentals?|leases?)\s+"
                      r"at\s+(?:the\s+)?", re.I)
_POSS_DEAL = re.compile(r"'s?\s+(?:[\w-]+\s+){0,3}?" + _DN + r"\s+(?:with|between)\b", re.I)
_NAME_DEAL = re.compile(r"\s+(?:cloud\s+|compute\s+|computing\s+|GPU\s+|capacity\s+|infrastructure\s+)?" + _DN + r"\b", re.I)
# "AI hosting capacity": a resource, not a verb. ("hosting agreements with Y"
# still counts: the party signing a hosting agreement is the host.)
_CLOUD_ALIAS = re.compile(r"Azure|AWS|Web\s+Services|Cloud|OCI|EC2")
_REDUCED_REL = re.compile(r"\b(?:clusters|GPUs|chips|blocks|nodes|instances|servers|racks|systems|capacity|hours)\s+$", re.I)
_GERUND_NOUN = re.compile(r"\s+(?:capacity|services|business|sites?|campus|customers?|"
                          r"revenue|market|platform|space|rates?|costs?|fees?)\b", re.I)
# "X to acquire Y", "X's acquisition of Y", "X will take over Y": the pair is a
# takeover, not a compute deal, anywhere in the document.
# A company renamed ("Redfield Mining renames itself Corvane Compute") is one company, not two parties.
_ACQUIRE = re.compile(r"\b(?=\w)(?:acquir(?:e|es|ed|ing)|take\s+over|takes\s+over|took\s+over|(?:acquisition|takeover|purchase)\s+of|merge\s+with|"
                      r"renam(?:e|es|ed|ing)\s+(?:itself\s+)?(?:as\s+)?|rebrand(?:s|ed|ing)?\s+(?:itself\s+)?as|formerly\s+(?:known\s+as\s+)?)\s*(?:the\s+)?(?=[A-Z])"
                      # "the purchase of the Cohere cluster": a thing named for the company, not the company
                      r"(?![A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)?(?:['’]s)?\s+(?:cluster|GPUs|capacity|servers|contract|deployment|campus|site|data\s+cent|"
                      r"hardware|chips|systems|equipment|shares|stake|stock|bonds|notes|portfolio|assets|building|hall|facility)\b)")
_POSS_FOR = re.compile(r"'s?\s+(?:[\w-]+\s+){0,3}?(?:build(?:-out)?|capacity|compute|clusters?|campus|data\s+cent(?:er|re)s?|servers?|GPUs|"
                       r"deployment|site|facility|supercomputer|infrastructure|hosting)\s+for\s+", re.I)
# Guarantees and investments tie two companies without one renting compute.
_TIE_WORDS = r"warrants?|invest\w*|acquisition|merger|stake"
NOT_DEAL = re.compile(r"\b(?=\w)(?:backstop\w*|guarant\w*|" + _TIE_WORDS + r")\b", re.I)
_NOT_DEAL_BUT_GUARANTEE = re.compile(r"\b(?=\w)(?:" + _TIE_WORDS + r")\b", re.I)
# "Google guarantees part of Fluidstack's rent", "with Google extending its rent
# guarantee", "Google LLC has agreed to provide a financial backstop": the
# guarantor stands behind the tenant's payments; it rents nothing itself.
_GUARANTOR_AFTER = re.compile(r"^(?:'s)?\s+(?:(?:has|have|will|would|also|agreed|to|is|was|extending|extended|extends|provides?|provided|providing|"
                              r"its|a|an|the|financial|rent|lease|payment|partial|credit|further|additional)\s+){0,6}?"
                              r"(?:guarant\w*|backstop\w*|back-?stop\w*)\b", re.I)
_DET_BEFORE = re.compile(r"(?:'s?|\b(?:the|its|their|our|his|her|a|an|this|that|monthly|annual|base|contracted|aggregate|total|minimum|of|in|first|last|final|initial))\s+$", re.I)
# "on OpenAI's behalf": OpenAI is the customer of whoever does the work.
_BEHALF = re.compile(r"'s?\s+behalf\b")


# A chip-supply agreement sized in power ("supply OpenAI with 6 gigawatts of
# processors", "deploy 10GW of Nvidia systems") is a compute deal with the
# vendor as provider; buying chips by the unit is not.
_POWER_SIZED = re.compile(r"\d\s?(?:GW|MW)\b|\b(?:giga|mega)watts?\b", re.I)
# "X agreed to deploy 10GW of Nvidia systems": the deployer buys from the vendor.
_DEPLOY_OF = re.compile(r"\bdeploy(?:s|ed|ing)?\s+(?:(?:at\s+least|up\s+to|roughly|about|around|some|nearly|over|more\s+than)\s+)?"
                        r"[\w.,~$-]+\s?(?:GW|MW|gigawatts?|megawatts?)\s+of\s+$", re.I)
# "AMD could book $100 billion ... from OpenAI": booking revenue is selling.
_VENDOR_DEPLOY = re.compile(r"\s+(?:will|would|is\s+to|agreed\s+to|plans\s+to)\s+(?:\w+\s+and\s+)?deploy\s+"
                            r"(?:(?:at\s+least|up\s+to|roughly|about|around|some|nearly)\s+)?[\d.,]+\s?(?:GW|MW|gigawatts?|megawatts?)\b", re.I)
_PAYABLE_BY = re.compile(r"\b(?:payable|paid|owed|due)\s+by\s+(?:the\s+)?", re.I)
_JV_BEFORE = re.compile(r"(?:\bjoint[\s-]venture\s+(?:partners?\s+)?(?:with|between|alongside)\s+(?:\w+\s+and\s+)?|"
                        r"\b(?:financ\w*|funding|capital|equity|JV)\s+partners?,?\s+)(?:the\s+)?$", re.I)
_BOOK_MONEY = re.compile(r"^book(?:s|ed|ing)?\s+(?:[\w,]+\s+){0,3}?(?:\$|US\$|\d)", re.I)


@dataclass
class Pair:
    buyer: str
    provider: str
    directed: bool  # False: roles not stated, caller must settle them
    pos: int  # where in the sentence the relation sits (for attribution)
    lo: int = -1  # span of the relation: subject .. object
    hi: int = -1
    topic: bool = False  # inferred from the document's topic company (a list item, a label)


_ADJ_AFTER = re.compile(r"^-(?:backed|owned|led|based|funded|founded|controlled|affiliated|designed|made|built|sponsored|developed|operated|run|managed|powered)\b", re.I)


def is_hw_adjective(s: str, m: Mention) -> bool:
    """'Nvidia GB300 chips', "Nvidia's GPUs", "Microsoft-backed OpenAI": a
    company named as a modifier, not as a party."""
    return bool(_HW_AFTER.search(s[m.end:m.end + 20]) or _ADJ_AFTER.search(s[m.end:m.end + 14]))


_APPOS_OPEN = re.compile(r",\s+(?:the|a|an|which|who|whose|including|such\s+as|like|its|whom)\b[^,]*$", re.I)


def _in_apposition(s: str, m: Mention, verb: int) -> bool:
    """'Fluidstack, the cloud provider whose customers include Anthropic, has
    secured ...': a company inside a comma-enclosed aside is not the subject."""
    c = s.rfind(",", 0, m.start)
    return c >= 0 and "," in s[m.end:verb] and bool(_APPOS_OPEN.match(s, c, m.start))


_PLACE_OBJ = re.compile(r"\s+(?:the\s+)?(?:UAE|U\.S\.|US|UK|United\s+(?:States|Kingdom|Arab\s+Emirates)|Saudi\s+Arabia|India|Japan|France|Germany|Europe|"
                        r"Africa|Asia|Canada|Australia|Texas|country|kingdom|region|state)\b")
_HEADLESS_DEAL = re.compile(r"^\W{0,3}(?:(?:an?|the|new|\$?[\d.,~]+[\w-]*|[\w]+-(?:yr|year|month|mo))\s+){0,3}(?:lease|contract|deal|agreement|pact|order)s?\s+with\s+(?:the\s+)?", re.I)
# "The larger of the two is with Kuura Labs", "The second contract is with Cohere"
_IS_WITH = re.compile(r"^\W{0,3}(?:The|One|Another|A)\s+(?:[\w-]+\s+){0,4}?(?:is|was)\s+with\s+(?:the\s+)?")
_WITH_GENERIC = re.compile(r"\b(?:contracts?|deals?|agreements?|leases?)\s+(?:[\w$.,-]+\s+){0,6}?with\s+(?:(?:an?|several|other|various|two|three|unnamed|undisclosed)\s+|[A-Z][a-z]+\s+(?=[a-z]))(?:[\w-]+\s+){0,3}?"
                           r"(?:companies|customers|clients|firms|groups|hyperscalers|labs|tenants|buyers|developers|players|names|partners|counterparties|customer|client|tenant|hyperscaler|lab)\b")


def _is_prep_obj(s: str, m: Mention) -> bool:
    before = s[max(0, m.start - 20):m.start]
    if re.search(r",\s+and\s+(?:the\s+)?$", before) and VERB_RE.match(s, m.end + 1):
        return False  # "..., and Amazon leases capacity from Hut 8": a new clause's subject
    if _PREP_BEFORE.search(before):
        return True
    # "with the Portuguese developer Atlântico Data": a described object of the preposition
    if re.search(r"\b(?:with|from|to|by|between)\s+(?:the\s+|a\s+|an\s+)?[A-Z][\w.-]*-(?:based|headquartered|listed|backed)\s+$", s[max(0, m.start - 50):m.start]):
        return True  # "with Pune-based Sarika Labs"
    return bool(_PREP_DESC_BEFORE.search(s, max(0, m.start - 70), m.start))


_ROLE_NOUN = (r"(?:developer|operator|provider|landlord|neocloud|company|firm|group|startup|start-up|lab|"
              r"owner|builder|specialist|miner|host|cloud|hyperscaler|giant)\s+")
# "the Portuguese developer ", "Canadian AI developer ": a description before a company's name
_DESC_TAIL = r"(?:(?:the|a|an|its|their)\s+)?(?:[A-Za-z][\w-]*\s+){0,3}?" + _ROLE_NOUN
_PREP_DESC_BEFORE = re.compile(r"\b(?:with|from|to|by|between)\s+(?:the|a|an|its|their)\s+(?:[A-Za-z][\w-]*\s+){0,3}?" + _ROLE_NOUN + "$", re.I)


_NEGATED = re.compile(r"\b(?:not|never|n't|no\s+longer)\s+(?:(?:agreed|committed|yet|decided|chosen|elected)\s+(?:to\s+)?)?(?:\w+\s+)?$", re.I)


@dataclass
class Half:
    """One party of a deal verb whose other party is not named in the
    sentence ("Microsoft committed $17.4 billion to the neocloud",
    "OpenAI agreed to buy 4.5 GW"): the caller finds the counterparty in the
    document's context."""
    name: str
    role: str  # "buyer" | "provider"
    pos: int
    chip: bool = False  # a chip vendor supplying power-sized capacity


# Verbs strong enough to give a role to a lone party (not "use", "serve", "power").
_HALF_VERB = re.compile(r"(?:exercis|occup|pay|paid|buy|bought|purchas|rent|procur|commit|tap|secur|book|reserv|lease|leasing|"
                        r"contract|provid|suppl|deliver|host|win|won|land|clinch|bag|snag|take|took|taking)", re.I)
_GENERIC_SUBJ = re.compile(r"\b(?:a|an|another|any)\s+(?:[\w-]+\s+){0,3}?(?:partner|provider|supplier|vendor|company|firm|operator|landlord|host)s?\s+"
                           r"(?:able|willing|ready|capable|that\s+(?:can|could|would|will)|which\s+(?:can|could|would|will)|who\s+(?:can|could))\b[^.;]{0,30}$", re.I)
_CLAUSE_BREAK = re.compile(r",\s+(?:as|while|whereas|because|since|although|though|rather\s+than|even\s+as)\s+(?:the|a|an|its|their|many|some|local|other)\b", re.I)
_OUR_SITE = re.compile(r"[Oo]ur\s+(?:[\w-]+\s+){0,2}?(?:site|campus|facility|data\s+cent(?:er|re)|building|halls?)\b")
_TAKES_SPACE = re.compile(r"\s+(?:(?:has|have|had|will|also|originally|initially|now|then)\s+){0,2}"
                          r"(?:contracted|leased|rented|took|reserved|occupies|occupied|signed\s+for|committed\s+to)\b")
_GENERIC_PARTY = re.compile(r"^\s+(?:[\w$.,'-]+\s+){0,6}?(?:(?:to|from|with|for)\s+)?(?:the|a|an|its|this|that)\s+(?:[\w-]+\s+){0,4}?"
                            r"(?:company|firm|startup|start-up|neocloud|provider|operator|lab|developer|group|miner|customer|"
                            r"client|tenant|hyperscaler|supplier|partner|landlord)\b", re.I)


# Kinds that are never a party to a compute deal: investors and lenders, and
# power producers (their megawatts are electricity).
NEVER_PARTY = ("financier", "energy")


def _guarantors(s: str, mentions: list[Mention]) -> set[str]:
    """Companies that guarantee or backstop someone else's payments in ``s``."""
    if "uarant" not in s and "ackstop" not in s:
        return set()
    return {m.name for m in mentions if _GUARANTOR_AFTER.match(s[m.end:m.end + 90])}


def party_names(s: str, mentions: list[Mention], reg: Registry) -> set[str]:
    """Companies in ``s`` that could be a party: not financiers, power
    producers, guarantors, or a vendor named as a hardware adjective."""
    gs = _guarantors(s, mentions)
    return {m.name for m in mentions if not m.pronoun and m.name not in gs
            and reg.kind(m.name) not in NEVER_PARTY
            and not (reg.kind(m.name) == "vendor" and is_hw_adjective(s, m))}


def find_pairs(s: str, mentions: list[Mention], reg: Registry,
               prev_subject: Optional[str] = None, halves: Optional[list[Half]] = None) -> list[Pair]:
    """Buyer/provider relations stated in sentence ``s``; lone parties of deal
    verbs are appended to ``halves`` when it is given."""
    mentions = [m for m in mentions if reg.kind(m.name) not in NEVER_PARTY]
    not_deal = NOT_DEAL.search(s) is not None
    gs = _guarantors(s, mentions)
    if gs:
        mentions = [m for m in mentions if m.name not in gs]
        not_deal = _NOT_DEAL_BUT_GUARANTEE.search(s) is not None  # the guarantee was the guarantor's
    parties = [m for m in mentions if not ((reg.kind(m.name) == "vendor" and is_hw_adjective(s, m))
                                           or _ADJ_AFTER.search(s[m.end:m.end + 14]))]
    if "venture" in s or "partner" in s:
        # "which Crusoe is developing in a joint venture with Blue Owl", "financing
        # partner Blue Owl": a JV or financing partner is not a party to the deal.
        jv = [m for m in parties if _JV_BEFORE.search(s[max(0, m.start - 60):m.start])]
        if jv and len(parties) - len(jv) >= 1:
            parties = [m for m in parties if m not in jv]
            mentions = [m for m in mentions if m not in jv]
    names = {m.name for m in parties}
    out: list[Pair] = []
    power_sized = _POWER_SIZED.search(s) is not None

    def add(buyer: str, provider: str, directed: bool, pos: int, *spans: int) -> None:
        if buyer == provider:
            return
        lo = min((pos, *spans))
        hi = max((pos, *spans))
        if reg.kind(provider) == "vendor" and directed and not power_sized:
            return  # buying hardware from a vendor is not a compute deal
        for p in out:
            if {p.buyer, p.provider} == {buyer, provider}:
                if directed and not p.directed:
                    p.buyer, p.provider, p.directed = buyer, provider, True
                return
        out.append(Pair(buyer, provider, directed, pos, lo, hi))

    # Customer relations: "our customer Meta", "counts Microsoft as its biggest customer".
    low = s.lower()
    has_customer = "customer" in low or "client" in low or "tenant" in low
    for i, m in enumerate(parties):
        if not has_customer:
            continue
        before, after = s[max(0, m.start - 30):m.start], s[m.end:m.end + 50]
        if (_CUSTOMER_BEFORE.search(before) and not m.pronoun) or _CUSTOMER_AFTER.search(after):
            others = [o for o in parties if o.name != m.name]
            prov = None
            if others:
                prov = min(others, key=lambda o: abs(o.start - m.start)).name
            elif prev_subject and prev_subject != m.name and _COREF.search(s[:m.start]):
                prov = prev_subject
            if prov:
                add(m.name, prov, True, m.start)
    if len(names) < 1:
        return out

    if power_sized and "deploy" in low:
        for m in mentions:
            if reg.kind(m.name) == "vendor" and (_DEPLOY_OF.search(s[max(0, m.start - 60):m.start])
                                                 or re.search(r"\bdeploy(?:s|ed|ing)?\s+$", s[max(0, m.start - 12):m.start])):
                subj = next((o for o in reversed(parties) if o.end <= m.start and not _is_prep_obj(s, o)
                             and reg.kind(o.name) != "vendor"), None)
                if subj is not None:
                    add(subj.name, m.name, True, m.start, subj.start, m.end)
        # "The chipmaker will develop and deploy 10GW of custom accelerators":
        # a vendor deploying power-sized capacity supplies it (counterparty from context).
        if halves is not None:
            for dm in _VENDOR_DEPLOY.finditer(s):
                who = next((o for o in reversed(mentions) if o.end <= dm.start()), None)
                name = who.name if who is not None and s[who.end:dm.start()].strip() in ("", ",") else None
                if name is None and prev_subject and _COREF.search(s[:dm.start()]):
                    name = prev_subject
                if name and reg.kind(name) == "vendor":
                    halves.append(Half(name, "provider", dm.start(), chip=True))
    if "by" in low and ("payabl" in low or "paid" in low or "owed" in low or "due" in low):
        # "fees payable by the Customer to the Provider": by-party pays the to-party.
        for pm in _PAYABLE_BY.finditer(s):
            x = next((m for m in parties if pm.start() < m.start <= pm.end() + 4), None)
            y = next((m for m in parties if x is not None and m.start > x.end
                      and re.fullmatch(r"\s+to\s+(?:the\s+)?", s[x.end:m.start])), None)
            if x is not None and y is not None:
                add(x.name, y.name, True, pm.start(), x.start, y.end)
    for am in _ACQUIRE.finditer(s):
        a = [m for m in parties if m.end <= am.start()]
        b = [m for m in parties if m.start >= am.end() and m.start - am.end() < 4]
        if halves is not None and a and b:
            halves.append(Half(a[-1].name, "acquirer:" + b[0].name, am.start()))
    behalf = [m for m in parties if "behalf" in s and _BEHALF.match(s, m.end)
              and re.search(r"\bon\s+$", s[max(0, m.start - 4):m.start])]
    for bm in behalf:
        subj = next((o for o in reversed(parties) if o.end <= bm.start and o.name != bm.name and not _is_prep_obj(s, o)), None)
        if subj is not None:
            add(bm.name, subj.name, True, bm.start, subj.start, bm.end)
    # "xAI will take a 500-megawatt facility that Humain is building", "Humain is
    # developing a data center that xAI has agreed to use": the site's builder
    # provides, the taker buys, whatever verb follows.
    if " that " in s or " which " in s:
        for rx, taker_first in ((_TAKE_THAT_BUILDS, True), (_BUILDS_THAT_TAKES, False)):
            for tm in rx.finditer(s):
                a = next((m for m in parties if m.start <= tm.start("a") < m.end or tm.start("a") <= m.start < tm.end("a")), None)
                b = next((m for m in parties if m.start <= tm.start("b") < m.end or tm.start("b") <= m.start < tm.end("b")), None)
                if a is not None and b is not None and a.name != b.name:
                    buyer, prov = (a, b) if taker_first else (b, a)
                    add(buyer.name, prov.name, True, tm.start(), min(a.start, b.start), tm.end())
        if out:
            return out
    for v in VERB_RE.finditer(s):
        vs, ve = v.start(), v.end()
        if behalf and any(vs < bm.start for bm in behalf) and re.match(r"(?:run|train|host)", v.group(), re.I) \
                and v.group().lower().endswith("on"):
            continue  # "run the site on OpenAI's behalf": not "runs on"
        buy = v.group("buy") is not None
        word = v.group().split()[0].lower()
        if buy and word.startswith("book") and _BOOK_MONEY.match(s, vs):
            buy = False
        if word.endswith("ing") and _GERUND_NOUN.match(s, ve):
            continue
        if " " in v.group() and re.search(r",\s+(?:has|have|had|will|would|is|was|agreed|signed|said)\b", v.group()):
            continue  # "the lab building open-weight models, has agreed ... with Crusoe for": the phrase ran into the main clause
        if re.match(r"(?:sell|sold|buy|bought|purchas)", word) and re.match(r"\s+(?:[\w-]+\s+){0,3}?(?:stake|shares|equity|holding|bonds|notes|debt)\b", s[ve:ve + 40], re.I):
            continue  # "sold its entire stake in Nvidia": shares, not compute
        if word.endswith("ed") and _REDUCED_REL.search(s, max(0, vs - 30), vs):
            continue  # "B200 clusters booked for three months": the participle describes the noun
        # "signed a four-year contract with Cohere for ...": a noun, not "contracted
        # for"; it says who buys only when the usual roles do not disagree.
        noun_contract = word.startswith("contract") and " " in v.group() and bool(re.search(
            r"\b(?:a|an|the|its|their|our|this|that|new|first|two|three|four|several|multiple|both|separate)\s+(?:[\w$.,~-]+\s+){0,6}?$", s[max(0, vs - 70):vs], re.I))
        if " " not in v.group() and _DET_BEFORE.search(s, max(0, vs - 12), vs):
            continue  # "part of Fluidstack's rent", "the purchase", "its supply": a noun  # "AI hosting capacity", "a leasing agreement": a noun, not a verb
        before_ms = [m for m in parties if m.end <= vs]
        after_ms = [m for m in parties if m.start >= ve and m.start - ve < 90]
        if before_ms and after_ms and _APPOS_OPEN.match(s[before_ms[-1].end:vs]) and "," in s[ve:after_ms[0].start]:
            continue  # "Poolside, the startup building models for coders, will pay Lambda": the verb describes the subject
        # Acquisition: "agreed to buy Core Scientific" (the object is a company).
        if buy and word.startswith(("buy", "bought", "purchas", "acquir")) and after_ms and " " not in v.group().strip() \
                and re.match(r"^\s*(?:the\s+)?$", s[ve:after_ms[0].start]) \
                and not _CLOUD_ALIAS.search(s, after_ms[0].start, after_ms[0].end):  # "buys Azure": compute
            if halves is not None and before_ms and not re.search(r"\b(?:not|never|n't)\s+(?:\w+\s+)?$", s[max(0, vs - 20):vs], re.I):
                halves.append(Half(before_ms[-1].name, "acquirer:" + after_ms[0].name, vs))  # (not "OpenAI is not buying Cerebras for scale")
            continue
        if before_ms and _GENERIC_SUBJ.search(s, before_ms[-1].end, vs):
            # "it has been looking for a domestic partner able to supply ...": the verb's subject is that partner, unnamed
            before_ms = []
        if before_ms and _CLAUSE_BREAK.search(s, before_ms[-1].end, vs):
            # "... a contract with KT Cloud for 1,024 GPUs, as the programme pushes
            # developers to secure their own compute": the verb is in another clause.
            before_ms = []
        subj = None
        for m in reversed(before_ms):
            if re.search(r"\(\s*[\"“']?$", s[max(0, m.start - 3):m.start]):
                continue  # 'Perplexity AI, Inc. ("Perplexity")': the defined name in brackets, not a new subject
            if not _is_prep_obj(s, m) and not _in_apposition(s, m, vs) and not _NOUN_MOD.match(s, m.end):
                subj = m
                break
        if subj is not None and (pd := _POSS_DEAL.match(s, subj.end)) and pd.end() <= vs:
            continue  # "A's new deal with B gives it ...": the deal is the subject; roles left to the undirected rule
        # "..., Anthropic, which will pay ...": a relative clause's subject.
        if before_ms and re.fullmatch(r",?\s*(?:which|who|that)\s+(?:[\w']+\s+){0,3}", s[before_ms[-1].end:vs]):
            subj = before_ms[-1]
        elif before_ms and re.search(r"\b[a-z]{3,}s?,?\s+(?:which|who)\s+(?:[\w']+\s+){0,2}$", s[before_ms[-1].end:vs]) \
                and not re.search(r"['’]s?\s", s[before_ms[-1].end:before_ms[-1].end + 3]):
            # "Nebius in Finland and the Norwegian developers which host OpenAI's
            # project": the clause is about an unnamed noun, not the last company
            continue
        # "..., with Oracle in turn serving OpenAI": the with-phrase names the subject.
        if before_ms and word.endswith("ing") and re.search(r"\bwith\s+(?:the\s+)?$", s[max(0, before_ms[-1].start - 10):before_ms[-1].start]) \
                and re.fullmatch(r"\s+(?:[\w-]+\s+){0,3}", s[before_ms[-1].end:vs]):
            subj = before_ms[-1]
        # "a deal ... for Oracle to provide capacity": the for-phrase names the subject.
        if before_ms and re.fullmatch(r"\s+to\s+", s[before_ms[-1].end:vs]) \
                and re.search(r"\bfor\s+(?:the\s+)?$", s[max(0, before_ms[-1].start - 9):before_ms[-1].start]):
            subj = before_ms[-1]
        # Passive: "capacity provided by Nebius" / "is supplied by Nebius".
        passive = False
        agent = None
        if re.search(r"(?:ed|en|id|ld)$", word) and re.search(r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+\s+)?$", s[max(0, vs - 20):vs], re.I):
            agent = next((m for m in after_ms if re.search(r"\bby\s+(?:the\s+)?$", s[max(0, m.start - 8):m.start])), None)
            if agent is None and (" " not in v.group() or word.startswith("hand")):
                continue  # "GPUs to be hosted at the Group's data center": no agent, no relation
        elif after_ms and re.match(r"^\s+(?:\w+\s+){0,3}?by\s+(?:the\s+)?$", s[ve:after_ms[0].start]) and \
                re.search(r"(?:ed|en|id|ld)$", word):
            agent = after_ms[0]
        passive = agent is not None
        obj = None
        if after_ms and not passive:
            obj = after_ms[0]
            gap = s[ve:obj.start]
            if re.search(r"[;]|\b(?:while|whereas|but|although|separately)\b|,\s+(?:that|which|where|who)\b", gap):
                obj = None
            elif buy and re.search(r"\band\s+(?:then\s+)?(?:runs?|operates?|hosts?|rents?|leases?|sells?|provides?|supplies|delivers?|offers?)\b", gap):
                continue  # "IREN buys the GB300 systems and runs them for Microsoft": the kit is bought, the company served
            elif re.search(r"\s(?:to|from|with|on)$", v.group()) and re.search(r"[,\d]", gap) and len(gap) > 12:
                obj = None  # "committed $15.2 billion to the UAE ..., including its stake in G42": the preposition's object is not a company
        if re.search(r"\s(?:to|in)$", v.group()) and _PLACE_OBJ.match(s, ve):
            continue  # "committed $15.2 billion to the UAE": money for a country, not a compute deal
        if passive and agent is not None:
            other = subj or next((m for m in before_ms), None)
            rest = [m for m in after_ms if m is not agent and re.search(r"\b(?:to|for)\s+(?:the\s+)?$", s[max(0, m.start - 10):m.start])]
            if rest:
                other = rest[0]
            if other and other.name != agent.name:
                if buy:
                    add(agent.name, other.name, True, vs)
                else:
                    add(other.name, agent.name, True, vs)
            elif halves is not None and _HALF_VERB.match(word):
                halves.append(Half(agent.name, "buyer" if buy else "provider", vs))
            continue
        if obj is None and subj is not None and buy and v.group().lower().endswith("from") and prev_subject \
                and prev_subject != subj.name and re.match(r"\s+(?:it|them)\b", s[ve:]):
            # "a deal under which Nvidia will lease 18,000 GPUs from it": "it" is
            # the company the previous sentence was about.
            add(subj.name, prev_subject, True, vs, subj.start, ve)
            continue
        if obj is None and subj is not None and _IT_OBJ.match(s, ve):
            # "IREN said Microsoft will pay it $9.7 billion": "it" is the
            # company named before the subject.
            obj = next((m for m in before_ms if m.name != subj.name and not _is_prep_obj(s, m)), None)
        if obj is None:
            # Counterparty introduced by "with": "A signed a deal with B to purchase".
            withs = [m for m in before_ms if (_WITH_BEFORE.search(s[max(0, m.start - 12):m.start])
                                              or re.search(r"\bfrom\s+(?:the\s+)?$", s[max(0, m.start - 10):m.start]))
                     and (subj is None or m.name != subj.name) and not _in_apposition(s, m, vs)]
            if withs:
                obj = withs[-1]
            elif word.startswith("contract"):
                # "has contracted with Quarry Compute for": the with-party sits inside the verb phrase
                inner = [m for m in parties if vs < m.start < ve and (subj is None or m.name != subj.name)
                         and re.search(r"\bwith\s+(?:the\s+)?$", s[max(0, m.start - 10):m.start])]
                if inner:
                    obj = inner[0]
        if subj is not None:
            co = next((m for m in before_ms if m.end <= subj.start and re.fullmatch(
                r"\s+(?:and|&)\s+(?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?['’]s\s+)?", s[m.end:subj.start])), None)
            if co is not None and (obj is None or obj.name == co.name):
                continue  # "G42 and Humain will each purchase ...": co-ordinated subjects, not each other's counterparty
        subj_name = subj.name if subj else None
        if subj_name is None and prev_subject and _COREF.search(s[:vs]):
            subj_name = prev_subject
        if subj is not None and _GENERIC_PARTY.match(s[ve:obj.start if obj else ve + 90]):
            obj = None  # "to the Amsterdam-based neocloud": the party is named elsewhere
        if halves is not None and subj_name is not None and obj is None and _HALF_VERB.match(word) and not noun_contract \
                and not _NEGATED.search(s, max(0, vs - 24), vs):
            # (not "Google is not renting the capacity itself")
            halves.append(Half(subj_name, "buyer" if buy else "provider", vs))
        if subj_name is None or obj is None or subj_name == obj.name:
            continue
        if _NEGATED.search(s, max(0, vs - 30), vs):
            continue  # "Meridian has not agreed to purchase ... any capacity": no relation
        ends = [obj.start, obj.end] + ([subj.start] if subj else [])
        if not buy and re.match(r"(?:serv|host|run|deliver|power)", word) \
                and re.search(r"\b(?:on|via|through|using)\s+(?:the\s+)?$", s[max(0, obj.start - 10):obj.start]):
            buy = True  # "Character.AI serves millions of chats on Google Cloud": it uses the cloud
        if noun_contract and reg.rank(obj.name) < reg.rank(subj_name):
            continue  # "Fjellstad signed a contract with Cohere for GPUs": the lab buys
        if buy:
            add(subj_name, obj.name, True, vs, *ends)
        else:
            add(obj.name, subj_name, True, vs, *ends)

    if len(out) and len(parties) >= 3:
        # "Microsoft, Amazon Web Services, Google and Oracle all operate ...":
        # companies listed together are not each other's customers.
        group: list[set[str]] = []
        cur = {parties[0].name}
        for a, b in zip(parties, parties[1:]):
            if re.fullmatch(r"\s*(?:,|,?\s*and|&)\s*", s[a.end:b.start]):
                cur.add(b.name)
            else:
                group.append(cur)
                cur = {b.name}
        group.append(cur)
        out = [p for p in out if not (p.directed and any({p.buyer, p.provider} <= g for g in group if len(g) >= 3))]
    if not out and len(names) >= 2 and ("our " in s or "Our " in s):
        # "At Barber Lake, our site in Colorado City, Fluidstack contracted
        # 168 MW": the other party takes space at the speaker's site.
        own = next((m for m in parties if m.pronoun and _OUR_SITE.match(s, m.start)), None)
        if own is not None:
            others = [m for m in parties if not m.pronoun and m.name != own.name]
            if len(others) == 1 and _TAKES_SPACE.match(s, others[0].end):
                add(others[0].name, own.name, True, others[0].start, min(own.start, others[0].start), others[0].end)
    if not out and len(names) >= 2 and "'s" in s:
        # "OpenAI's running tab at CoreWeave": the possessor spends at the at-party.
        for m in parties:
            pm = _POSS_AT.match(s, m.end)
            if pm:
                y = next((o for o in parties if pm.end() <= o.start <= pm.end() + 4), None)
                if y is not None and y.name != m.name:
                    add(m.name, y.name, True, m.start, m.start, y.end)
        # "Microsoft's CoreWeave bill", "OpenAI's Oracle commitment": the possessor pays the named cloud.
        for i, m in enumerate(parties[:-1]):
            y = parties[i + 1]
            if y.name != m.name and re.fullmatch(r"['’]s?\s+", s[m.end:y.start]) and _BILL_AFTER.match(s, y.end) \
                    and reg.rank(y.name) >= reg.rank(m.name) and reg.kind(y.name) != "vendor":
                add(m.name, y.name, True, m.start, m.start, y.end)
    if not out and len(names) >= 2:
        # "Fluidstack's French build for Mistral", "Oracle's capacity for OpenAI":
        # the possessor provides the resource to the for-party.
        for m in parties:
            pm = _POSS_FOR.match(s, m.end)
            if pm:
                y = next((o for o in parties if o.start == pm.end() or (pm.end() <= o.start <= pm.end() + 4
                                                                       and not s[pm.end():o.start].strip(" the"))), None)
                if y is not None and y.name != m.name:
                    add(y.name, m.name, True, m.start, m.start, y.end)
    if not out and len(names) >= 2 and not not_deal:
        # "CoreWeave's ... the OpenAI contract": a company used as the deal's name.
        for m in parties:
            if _NAME_DEAL.match(s[m.end:m.end + 40]):
                other = next((o for o in parties if o.name != m.name), None)
                if other is not None:
                    out.append(Pair(m.name, other.name, False, m.start, min(m.start, other.start), max(m.end, other.end)))
                    return out
    if not out and len(names) >= 2 and not not_deal and (" x " in s or "×" in s or "<>" in s or " / " in s):
        # Feed shorthand: "CoreWeave x Meta: $14.2B AI compute deal", "- Halvard Labs / Skylark Cloud — $1.2B".
        for i, m in enumerate(parties[:-1]):
            o = parties[i + 1]
            if o.name != m.name and (re.fullmatch(r"\s*(?:x|×|<>|<->)\s*", s[m.end:o.start]) or (
                    s[m.end:o.start] == " / " and re.search(r"\$|\d\s?(?:MW|GW)|GPUs", s[o.end:]))):
                out.append(Pair(m.name, o.name, False, m.start, m.start, o.end))
                return out
    if not out and len(names) == 1 and prev_subject and prev_subject not in names and not not_deal:
        # "$BRWD 8-K just dropped. 10-yr lease with Together AI for 48 MW": a verbless
        # deal phrase; its other party is the company the previous sentence named.
        hm = _HEADLESS_DEAL.match(s) or _IS_WITH.match(s)
        w = next((m for m in parties if hm and m.start == hm.end()), None)
        if w is not None and reg.kind(w.name) != "vendor":
            return [Pair(prev_subject, w.name, False, w.start, 0, len(s))]
    if not out and len(names) >= 2 and _UNDIRECTED.search(s) and not not_deal:
        # Undirected: "A's contract with B", "a deal between A and B".
        first = parties[0]
        second = next((m for m in parties if m.name != first.name), None)
        w = next((m for m in parties if re.search(r"\bwith\s+(?:the\s+)?$", s[max(0, m.start - 10):m.start])), None) or next(
            (m for m in parties if re.search(r"\bwith\s+" + _DESC_TAIL + r"$", s[max(0, m.start - 70):m.start])), None)
        if w is not None:
            subj = next((m for m in parties if m.start < w.start and m.name != w.name and not _is_prep_obj(s, m)
                         and not _NOUN_MOD.match(s, m.end)), None)
            if subj is not None:
                first, second = subj, w
            elif prev_subject and prev_subject != w.name and re.search(r"\b(?:it|they)\s+(?:\w+\s+){0,2}?(?:signed|struck|inked|agreed|reached)\b",
                                                                       s[:w.start]):
                # "Two months after the Microsoft announcement, it signed a ... contract with Meta"
                return [Pair(prev_subject, w.name, False, w.start, w.start, w.end)]
        if w is None and second is not None:
            gm = _WITH_GENERIC.search(s)
            if gm and not any(gm.end() - 1 <= m.start <= gm.end() + 30 for m in parties):
                second = None  # "signed contracts ... with American technology companies": the counterparty is unnamed
        if second and re.fullmatch(r"\s*(?:,|and|&|or|,\s*and)\s*", s[first.end:second.start]) \
                and re.search(r"\b(?:with|including|from|to)\s+(?:the\s+)?$", s[max(0, first.start - 12):first.start]):
            second = None  # "contracts with OpenAI, xAI and Meta": co-ordinated customers, not two parties
        if second:
            out.append(Pair(first.name, second.name, False, first.start, first.start, second.end))
            # "agreements with Together AI at X, and one with Fluidstack at Y",
            # "leases with Together AI and Fluidstack": each with-party is a deal of the subject.
            if w is not None and first.name != w.name:
                extra = [m for m in parties if m.start > w.end and m.name not in (first.name, w.name) and (
                    re.search(r"\b(?:one|another|a\s+second(?:\s+\w+)?)\s+with\s+(?:the\s+)?$", s[max(0, m.start - 24):m.start])
                    or (re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*", s[w.end:m.start]) and _PLURAL_DEALS.search(s, 0, w.start)))]
                if extra:
                    # each with-party owns the words up to the next one ("one with X at its A campus, and one with Y ...")
                    out[-1].hi = max(out[-1].hi, extra[0].start - 1)
                    for i, m in enumerate(extra):
                        hi = extra[i + 1].start - 1 if i + 1 < len(extra) else len(s)
                        out.append(Pair(first.name, m.name, False, m.start, m.start, hi))
    return out
