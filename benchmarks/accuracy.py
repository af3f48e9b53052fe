"""Accuracy and speed of tracker.extract on the labelled corpus.

Run: /work/venv/bin/python benchmarks/accuracy.py [--no-speed] [--verbose] [--corpus DIR ...]

--corpus may be repeated (e.g. the dev corpus and tests/corpus/extraction_blind);
each corpus is scored on its own, then all together.

Matching rule: a predicted claim matches a gold claim when buyer, provider and
field agree and the value matches: numbers within 1% (and the same period for
payments); text values case-insensitively; `ramp` (free text) matches any
ramp claim of the same deal. Each gold claim matches at most one prediction.
Scope and approx disagreements on matched pairs are counted separately.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.extract import extract_claims  # noqa: E402
from tracker.extract.companies import same_company  # noqa: E402
from tracker.models import FIELDS, Document, ExtractedClaim  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "extraction"
BLIND = ROOT / "tests" / "corpus" / "extraction_blind"
# The blind corpus also holds the held-out test set (HELD_OUT_PREFIXES, see
# HELD_OUT.md): by default only these development prefixes are read.
BLIND_PREFIXES = ("a_", "b_", "c_", "d_", "e_", "f_", "g_", "h_", "i_", "j_", "k_", "l_", "m_", "n_", "o_", "p_",
                  "q_", "r_", "s_", "t_", "u_", "v_", "x_", "w_", "y_", "z_", "ac_", "ad_", "ae_", "af_", "ag_", "ah_", "ai_", "aj_", "ak_", "al_", "am_", "an_")
HELD_OUT_PREFIXES = ("ab_",)


def load_corpus(corpus: Path = CORPUS, include: tuple[str, ...] | None = None,
                exclude: tuple[str, ...] = ()) -> list[tuple[str, Document, list[dict]]]:
    """Load NAME.txt + NAME.json pairs. In a blind corpus (a directory named
    extraction_blind*) only BLIND_PREFIXES are read unless `include` says
    otherwise; `exclude` drops names starting with any of its prefixes."""
    corpus = Path(corpus)
    if include is None and corpus.name.startswith("extraction_blind"):
        include = BLIND_PREFIXES
    out = []
    for js in sorted(corpus.glob("*.json")):
        if include is not None and not js.name.startswith(tuple(include)):
            continue
        if exclude and js.name.startswith(tuple(exclude)):
            continue
        meta = json.loads(js.read_text(encoding="utf-8"))
        text = js.with_suffix(".txt").read_text(encoding="utf-8")
        doc = Document(url=f"corpus:{js.stem}", source="corpus", kind=meta.get("kind", "article"),
                       title=meta.get("title"), text=text, filer=meta.get("filer"),
                       form_type=meta.get("form_type"))
        out.append((js.stem, doc, meta.get("claims", [])))
    return out


def matches(p: ExtractedClaim, g: dict) -> bool:
    # Parties match as the store resolves them (tracker.extract.companies.same_company):
    # "Orrin" and "Orrin Labs" are one company; authors differ on which they write.
    if p.field != g["field"] or not same_company(p.buyer, g["buyer"]) or not same_company(p.provider, g["provider"]):
        return False
    if p.field == "ramp":
        return True
    if g.get("number") is not None:
        if p.number is None:
            return False
        if abs(p.number - g["number"]) > 0.01 * abs(g["number"]):
            return False
        if p.field == "payment" and (p.period or "total") != (g.get("period") or "total"):
            return False
        return True
    return str(p.value).strip().lower() == str(g["value"]).strip().lower()


def score(pred: list[ExtractedClaim], gold: list[dict]):
    """Greedy one-to-one matching; returns (pairs, unmatched preds, unmatched gold)."""
    used = set()
    pairs = []
    fps = []
    # Prefer same-scope matches first so duplicates pair up sensibly.
    order = sorted(range(len(pred)), key=lambda i: 0)
    for i in order:
        p = pred[i]
        cand = [j for j, g in enumerate(gold) if j not in used and matches(p, g)]
        if not cand:
            fps.append(p)
            continue
        same = [j for j in cand if gold[j].get("scope") == p.scope]
        j = (same or cand)[0]
        used.add(j)
        pairs.append((p, gold[j]))
    fns = [g for j, g in enumerate(gold) if j not in used]
    return pairs, fps, fns


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(corpus=None, verbose: bool = False, learned: bool = True) -> dict:
    corpus = corpus if corpus is not None else load_corpus()
    per = defaultdict(lambda: [0, 0, 0])
    scope_bad = approx_bad = 0
    nondeal_bad = []
    for name, doc, gold in corpus:
        pred = extract_claims(doc, learned=learned)
        for c in pred:
            assert c.quote and c.quote in doc.text, (name, c)
        pairs, fps, fns = score(pred, gold)
        if "nondeal" in name and pred:
            nondeal_bad.append(name)
        for p, g in pairs:
            per[p.field][0] += 1
            if (g.get("scope") or None) != (p.scope or None):
                scope_bad += 1
                if verbose:
                    print(f"  [{name}] scope {p.field} {p.value}: got {p.scope} want {g.get('scope')}")
            if bool(g.get("approx")) != bool(p.approx):
                approx_bad += 1
                if verbose:
                    print(f"  [{name}] approx {p.field} {p.value}: got {p.approx} want {g.get('approx')}")
        for p in fps:
            per[p.field][1] += 1
            if verbose:
                print(f"  [{name}] FP {p.buyer}->{p.provider} {p.field}={p.value} ({p.period}) | {p.quote[:90]}")
        for g in fns:
            per[g["field"]][2] += 1
            if verbose:
                print(f"  [{name}] FN {g['buyer']}->{g['provider']} {g['field']}={g['value']}")
    tot = [sum(v[i] for v in per.values()) for i in range(3)]
    return {"per_field": {f: per[f] for f in FIELDS if f in per}, "total": tot,
            "scope_mismatch": scope_bad, "approx_mismatch": approx_bad,
            "nondeal_with_claims": nondeal_bad, "docs": len(corpus)}


def _article(i: int) -> str:
    body = (
        f"Report {i}: Anthropic has agreed to pay xAI about $1.25 billion per month for computing capacity "
        "at the Colossus 1 supercomputer in Memphis, Tennessee. The agreement covers roughly 300 megawatts and "
        "runs through May 2029. Either side can end it upon 90 days' notice. Analysts said the market for AI "
        "chips remains tight, and several companies reported strong quarterly results on Tuesday. "
    )
    filler = ("The city council met on Monday to discuss a new budget for parks and schools, and residents "
              "raised concerns about traffic on the main road near the river. ")
    text = body + "\n"
    while len(text) < 5000:
        text += filler + "\n"
    return text[:5000]


def _filing(size: int = 10_000_000) -> str:
    para = ("The Company is subject to various risks and uncertainties, including competition, regulation, "
            "and changes in general economic conditions. Our results of operations for the year ended December "
            "31, 2025 reflect revenue of $1,234 million and operating expenses that grew 12% compared with the "
            "prior year, primarily due to investments in cloud infrastructure and personnel.\n")
    deal = ("In March 2025, we entered into a Master Services Agreement with OpenAI, pursuant to which OpenAI "
            "committed to purchase compute capacity from us for a total contract value of up to $11.9 billion over "
            "five years.\n")
    parts = []
    n = 0
    k = 0
    while n < size:
        chunk = deal if k % 500 == 0 else para
        parts.append(chunk)
        n += len(chunk)
        k += 1
    return "".join(parts)[:size]


def speed() -> dict:
    arts = [Document(url=f"a{i}", source="bench", text=_article(i)) for i in range(400)]
    t0 = time.perf_counter()
    for d in arts:
        extract_claims(d)
    dt = time.perf_counter() - t0
    # Deal-dense articles: corpus documents glued together to ~5 KB each.
    texts = [d.text for _, d, _ in load_corpus()]
    dense, cur, i = [], "", 0
    while len(dense) < 200:
        cur += texts[i % len(texts)] + "\n"
        i += 1
        if len(cur) >= 5000:
            dense.append(Document(url=f"d{len(dense)}", source="bench", text=cur[:5000]))
            cur = ""
    t0 = time.perf_counter()
    for d in dense:
        extract_claims(d)
    dense_rate = len(dense) / (time.perf_counter() - t0)
    filing = Document(url="f", source="bench", kind="filing", filer="CoreWeave, Inc.", text=_filing())
    tracemalloc.start()
    t1 = time.perf_counter()
    n = len(extract_claims(filing))
    ft = time.perf_counter() - t1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    t2 = time.perf_counter()
    extract_claims(filing)
    ft_nomem = time.perf_counter() - t2
    return {"articles_per_s": len(arts) / dt, "dense_per_s": dense_rate, "article_kb": len(arts[0].text) / 1000,
            "filing_mb": len(filing.text) / 1e6, "filing_s": ft_nomem, "filing_s_traced": ft,
            "filing_peak_mb": peak / 1e6, "filing_claims": n}


def report(r: dict, label: str) -> None:
    print(f"corpus: {label}: {r['docs']} documents")
    print(f"{'field':26} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
    for f, (tp, fp, fn) in r["per_field"].items():
        p, rc, f1 = prf(tp, fp, fn)
        print(f"{f:26} {p:6.3f} {rc:6.3f} {f1:6.3f} {tp:4d}{fp:4d}{fn:4d}")
    tp, fp, fn = r["total"]
    p, rc, f1 = prf(tp, fp, fn)
    print(f"{'OVERALL':26} {p:6.3f} {rc:6.3f} {f1:6.3f} {tp:4d}{fp:4d}{fn:4d}")
    print(f"scope mismatches on matched claims: {r['scope_mismatch']}; approx mismatches: {r['approx_mismatch']}")
    print(f"non-deal documents with claims: {r['nondeal_with_claims'] or 'none'}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--corpus", action="append", type=Path, metavar="DIR",
                    help="corpus directory (repeatable); default: tests/corpus/extraction")
    ap.add_argument("--include-prefix", action="append", metavar="PREFIX",
                    help="only documents whose name starts with PREFIX (repeatable); a blind "
                         "corpus defaults to " + ", ".join(BLIND_PREFIXES))
    ap.add_argument("--exclude-prefix", action="append", default=[], metavar="PREFIX",
                    help="skip documents whose name starts with PREFIX (repeatable)")
    ap.add_argument("--rules-only", action="store_true",
                    help="score the rules without the learned claim filter (tracker/extract/confidence.py)")
    args = ap.parse_args()
    dirs = args.corpus or [CORPUS]
    include = tuple(args.include_prefix) if args.include_prefix else None
    exclude = tuple(args.exclude_prefix)
    everything = []
    for d in dirs:
        docs = load_corpus(d, include=include, exclude=exclude)
        everything += [(f"{d.name}/{n}", doc, g) for n, doc, g in docs]
        report(evaluate(docs, verbose=args.verbose, learned=not args.rules_only), str(d))
    if len(dirs) > 1:
        report(evaluate(everything, learned=not args.rules_only), "all " + " + ".join(d.name for d in dirs))
    if not args.no_speed:
        s = speed()
        print(f"speed: {s['articles_per_s']:.0f} articles/s ({s['article_kb']:.1f} KB each, one core); "
              f"{s['dense_per_s']:.0f} deal-dense articles/s (corpus texts glued into 5 KB)")
        print(f"filing: {s['filing_mb']:.1f} MB in {s['filing_s']:.2f} s "
              f"({s['filing_s_traced']:.2f} s under tracemalloc), peak traced memory {s['filing_peak_mb']:.0f} MB, "
              f"{s['filing_claims']} claims")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
