"""A learned second opinion on each claim the rules produce.

The rules find figures and give them to deals; what they get wrong on text
by new authors is mostly precision (a peer's figure, an analyst's estimate,
a background number kept as a claim). A logistic model over plain features
of the claim and its sentence (field, scope, whether the sentence names the
deal's parties or other companies, where it sits in the document, its words)
scores every claim, and claims below the threshold are dropped.

The weights live in ``tracker/data/claim_model.json``, trained by
``benchmarks/train_confidence.py`` on the labelled corpora with
leave-one-author-out cross-validation choosing the threshold. Scoring needs
no library: a dot product over a dict.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..models import Document, ExtractedClaim
from .companies import Registry, registry

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "claim_model.json"

_WORD = re.compile(r"[a-z]+")
_PRONOUN = re.compile(r"\b(?:we|our|us|the Company|the Tenant|the Customer)\b")


def _named(name: str, quote: str, names: set[str]) -> bool:
    """The sentence names the company: by an alias, or by its first word ("Nebius" for "Nebius Group")."""
    return name in names or re.split(r"[\s\-]", name)[0].lower() in quote.lower()


def features(c: ExtractedClaim, text: str, deals: Counter, quotes: Counter,
             reg: Optional[Registry] = None) -> dict[str, float]:
    """Features of one claim, given its document's text and the counts of
    deals and quotes over all of that document's claims."""
    reg = reg or registry()
    q = c.quote
    f: dict[str, float] = {
        "field=" + c.field: 1.0,
        f"field_scope={c.field}_{c.scope}": 1.0,
        f"approx={c.field}_{c.approx}": 1.0,
    }
    if c.field == "payment":
        f[f"period={c.period}"] = 1.0
    names = {reg.alias[m.group(1)] for m in reg.pattern.finditer(q)}
    b, p = int(_named(c.buyer, q, names)), int(_named(c.provider, q, names))
    f[f"names={b}{p}"] = 1.0
    f[f"names_field={b}{p}_{c.field}"] = 1.0
    f["others=%d" % min(len(names - {c.buyer, c.provider}), 3)] = 1.0
    if _PRONOUN.search(q):
        f["pronoun"] = 1.0
    pair = (c.buyer, c.provider)
    f["ndeals=%d" % min(len(deals), 4)] = 1.0
    f["main=%d" % (pair == deals.most_common(1)[0][0])] = 1.0
    f["share"] = deals[pair] / sum(deals.values())
    f["qshare=%d" % min(quotes[q], 5)] = 1.0
    # Where the sentence sits: late in a long document is where background
    # and other deals live; in a short one position says little.
    at = max(text.find(q), 0)
    f["at=%d" % sum(at >= k for k in (400, 1500, 4000))] = 1.0
    if len(text) > 3000:
        f["pos=%d" % min(int(at / len(text) * 5), 4)] = 1.0
    f["qlen=%d" % min(len(q) // 100, 5)] = 1.0
    if q.lstrip()[:1] in "|-*•■":
        f["bullet"] = 1.0
    for w in set(_WORD.findall(q.lower())):
        f["w:" + w] = 1.0
    return f


def doc_features(claims: list[ExtractedClaim], text: str) -> list[dict[str, float]]:
    deals = Counter((c.buyer, c.provider) for c in claims)
    quotes = Counter(c.quote for c in claims)
    reg = registry()
    return [features(c, text, deals, quotes, reg) for c in claims]


class Model:
    def __init__(self, raw: dict) -> None:
        self.bias = float(raw["bias"])
        self.weights: dict[str, float] = {k: float(v) for k, v in raw["weights"].items()}
        self.threshold = float(raw["threshold"])
        self.extractor_version = raw.get("extractor_version")

    def prob(self, f: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in f.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@lru_cache(maxsize=1)
def model() -> Optional[Model]:
    """The trained model, or None when the file is missing (rules alone)."""
    try:
        return Model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None


def confident(claims: list[ExtractedClaim], doc: Document) -> list[ExtractedClaim]:
    """The claims the model does not reject."""
    m = model()
    if m is None or not claims:
        return claims
    return [c for c, f in zip(claims, doc_features(claims, doc.text)) if m.prob(f) >= m.threshold]
