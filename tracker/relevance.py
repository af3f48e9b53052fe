"""Is a document about an AI compute deal?

The keyword groups live in sources.yaml (`relevance:`) because what counts
changes with the market faster than code: a document must mention at least
one term of every group. Short all-caps terms (AI, GPU, MW) match case-
sensitively so "ai" inside other text or "mw" in a URL do not count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional


@dataclass
class Verdict:
    relevant: bool
    reason: str
    hits: dict[str, str]


@lru_cache(maxsize=64)
def _compile(terms: tuple[str, ...]) -> tuple[Optional[re.Pattern], Optional[re.Pattern]]:
    exact = [t for t in terms if t.isupper() and len(t) <= 4]
    loose = [t for t in terms if t not in exact]

    def build(ts: list[str], flags: int) -> Optional[re.Pattern]:
        if not ts:
            return None
        alts = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in sorted(ts, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", flags)

    return build(exact, 0), build(loose, re.I)


def judge(title: Optional[str], text: str, groups: dict[str, list[str]]) -> Verdict:
    """Relevant when every keyword group has a hit in the title or text."""
    body = f"{title or ''}\n{text}"
    hits: dict[str, str] = {}
    for name, terms in groups.items():
        exact, loose = _compile(tuple(terms))
        m = (exact.search(body) if exact else None) or (loose.search(body) if loose else None)
        if m is None:
            return Verdict(False, f"no {name} terms", hits)
        hits[name] = m.group(0)
    return Verdict(True, "matched " + ", ".join(f"{k}={v!r}" for k, v in hits.items()), hits)
