"""Train the learned claim filter (tracker/extract/confidence.py).

Run: .venv/bin/pip install -e '.[train]' && .venv/bin/python benchmarks/train_confidence.py [--dry-run]

Every claim the rules produce on the development corpora (tests/corpus/extraction
and the blind batches in BLIND_PREFIXES; never the held-out batches) is labelled
true or false by the benchmark's matching rule. A logistic regression over
confidence.features() is scored by leave-one-author-out cross-validation (each
blind batch, and the dev corpus, predicted by a model that never saw it), which
picks the regularisation and the threshold; the final model is fitted on all of
it and written to tracker/data/claim_model.json. Re-run after any change to the
rules: the model learns the rules' remaining mistakes, and a test fails when its
extractor_version is stale.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import BLIND, CORPUS, load_corpus, prf, score  # noqa: E402
from tracker.extract import EXTRACTOR_VERSION, extract_claims  # noqa: E402
from tracker.extract.confidence import MODEL_PATH, doc_features  # noqa: E402

C_GRID = (0.1, 0.3, 1.0)
T_GRID = tuple(round(0.05 * i, 2) for i in range(0, 13))


def collect():
    """(group, features, label) per raw claim, and gold counts per group."""
    rows, gold = [], defaultdict(int)
    for corpus in (CORPUS, BLIND):
        for name, doc, g in load_corpus(corpus):
            grp = "dev" if corpus == CORPUS else name.split("_")[0]
            gold[grp] += len(g)
            pred = extract_claims(doc, learned=False)
            pairs, _, _ = score(pred, g)
            true = {id(p) for p, _ in pairs}
            for p, f in zip(pred, doc_features(pred, doc.text)):
                rows.append((grp, f, int(id(p) in true)))
    return rows, gold


def cross_validate(rows, gold, C: float):
    """Out-of-fold probabilities, one author held out at a time."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    prob = [0.0] * len(rows)
    for grp in sorted(gold):
        tr = [i for i, r in enumerate(rows) if r[0] != grp]
        te = [i for i, r in enumerate(rows) if r[0] == grp]
        if not te:
            continue
        v = DictVectorizer()
        m = LogisticRegression(C=C, max_iter=5000).fit(v.fit_transform([rows[i][1] for i in tr]), [rows[i][2] for i in tr])
        for i, pr in zip(te, m.predict_proba(v.transform([rows[i][1] for i in te]))[:, 1]):
            prob[i] = float(pr)
    return prob


def figures(rows, gold, prob, t: float, groups=None):
    sel = [i for i, r in enumerate(rows) if groups is None or r[0] in groups]
    tp = sum(1 for i in sel if prob[i] >= t and rows[i][2])
    fp = sum(1 for i in sel if prob[i] >= t and not rows[i][2])
    n = sum(v for g, v in gold.items() if groups is None or g in groups)
    return prf(tp, fp, n - tp), tp, fp


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dry-run", action="store_true", help="cross-validate only; do not write the model")
    args = ap.parse_args()
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, gold = collect()
    blind = {g for g in gold if g != "dev"}
    print(f"{len(rows)} rule claims ({sum(r[2] for r in rows)} true) from {len(gold)} authors")
    best = None
    for C in C_GRID:
        prob = cross_validate(rows, gold, C)
        for t in T_GRID:
            (p, r, f), tp, fp = figures(rows, gold, prob, t, blind)
            if best is None or f > best[0] + 1e-9:
                best = (f, C, t, p, r)
            if t in (0.0, 0.2, 0.3, 0.4, 0.5):
                print(f"C={C:<4} t={t:<4}  blind authors held out in turn: P={p:.3f} R={r:.3f} F1={f:.3f} (tp {tp}, fp {fp})")
    f, C, t, p, r = best
    (p0, r0, f0), _, _ = figures(rows, gold, [1.0] * len(rows), 0.0, blind)
    print(f"chosen C={C} threshold={t}: cross-validated blind F1 {f:.3f} (rules alone {f0:.3f})")
    if args.dry_run:
        return
    v = DictVectorizer()
    m = LogisticRegression(C=C, max_iter=5000).fit(v.fit_transform([r[1] for r in rows]), [r[2] for r in rows])
    weights = {k: round(float(w), 4) for k, w in zip(v.get_feature_names_out(), m.coef_[0]) if abs(w) >= 5e-4}
    out = {
        "extractor_version": EXTRACTOR_VERSION,
        "threshold": t,
        "C": C,
        "bias": round(float(m.intercept_[0]), 4),
        "trained_on": {"authors": len(gold), "claims": len(rows), "true": sum(r[2] for r in rows)},
        "cross_validated_blind": {"rules": [round(p0, 3), round(r0, 3), round(f0, 3)],
                                  "filtered": [round(p, 3), round(r, 3), round(f, 3)]},
        "weights": dict(sorted(weights.items())),
    }
    MODEL_PATH.write_text(json.dumps(out, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)} ({len(weights)} weights)")


if __name__ == "__main__":
    main()
