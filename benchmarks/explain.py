"""Show what the extractor saw in one corpus document: per sentence, the
company mentions and relations; then the deals and the claims.

Run: python benchmarks/explain.py NAME [--all-sentences]
(NAME: a corpus file stem such as 01_wire_anthropic_xai or a_03_wire_poolside_coreweave)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import BLIND, CORPUS, load_corpus  # noqa: E402
from tracker.extract import _extract  # noqa: E402


def main() -> int:
    name = sys.argv[1]
    every = "--all-sentences" in sys.argv
    full = "--full" in sys.argv
    corpus = BLIND if name.split("_")[0].isalpha() else CORPUS
    docs = [d for d in load_corpus(corpus, include=(name,)) if d[0] == name]
    if not docs:
        print(f"no such document: {name}")
        return 1
    _, doc, gold = docs[0]
    tr: dict = {}
    claims = _extract(doc, tr)
    print("topic:", tr.get("topic"), "filer:", tr.get("filer"))
    why = tr.get("why", {})
    for si, st in enumerate(tr.get("sents", [])):
        if not (st.pairs or st.halves or st.table_deal or every or si in why):
            continue
        ms = ", ".join(f"{m.name}{'*' if m.pronoun else ''}" for m in st.mentions)
        ps = "; ".join(f"{p.buyer}->{p.provider}{'' if p.directed else ' (undirected)'}" for p in st.pairs)
        hs = "; ".join(f"{h.name}:{h.role}" for h in st.halves)
        cut = "" if st.cut == len(st.sent.text) else f" cut@{st.cut}"
        print(f"[{st.sent.para}] {st.sent.text[:(None if full else 110)]!r}{cut}\n     mentions: {ms} | pairs: {ps} | halves: {hs}"
              + (f" | table {st.table_deal}" if st.table_deal else "")
              + (f"\n     why: {why[si]}" if si in why else ""))
    print("deals before gates:", sorted(tr.get("roles", {}).values()))
    for c in claims:
        print(f"  {c.buyer}->{c.provider} {c.field}={c.value} scope={c.scope} | {c.quote[:80]}")
    print("gold deals:", sorted({(g['buyer'], g['provider']) for g in gold}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
