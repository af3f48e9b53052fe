"""Whole-corpus accuracy: F1 >= 0.95 and no claim on non-deal documents."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from accuracy import BLIND_PREFIXES, evaluate, load_corpus, prf  # noqa: E402


def test_corpus_size_and_format():
    corpus = load_corpus()
    assert len(corpus) >= 30
    assert sum("nondeal" in name for name, _, _ in corpus) >= 6
    for name, doc, gold in corpus:
        assert doc.kind in ("article", "filing"), name
        if doc.kind == "filing":
            assert doc.filer, name
        for g in gold:
            assert {"buyer", "provider", "field", "value"} <= set(g), name


def test_corpus_f1():
    r = evaluate()
    p, rc, f1 = prf(*r["total"])
    assert f1 >= 0.95, (p, rc, f1, r["per_field"])
    assert r["nondeal_with_claims"] == []


BLIND = ROOT / "tests" / "corpus" / "extraction_blind"
# Honest floor for documents by authors who never saw the extractor when
# they wrote them (a_* to z_* but ab_, each batch tuned on after its first score);
# see docs/benchmarks-accuracy.md. Measured 0.82 (v13, a-t), 0.88 (v14, a-t) and 0.83 (v14, a-x)
# when this floor was set; the dev corpus above is the one tuned to 0.95+.
# The held-out batch (HELD_OUT_PREFIXES, ab_*) is never scored here.
BLIND_F1_FLOOR = 0.80
# Non-deal documents whose label contradicts earlier batches: authors c, j, k,
# n and o record OpenAI's 6 GW AMD chip-supply agreement as a compute deal
# (OpenAI buyer, AMD provider); authors w and z call the same agreement a
# hardware sale. The extractor follows the majority; see README_w.md and
# README_z.md ("Gold-label conflicts").
LABEL_CONFLICTS = {"w_13_nondeal_chip_shipment_tracker", "z_12_nondeal_feed_chip_launch"}


def test_blind_corpus_floor_and_negatives():
    import pytest
    if not BLIND.is_dir() or not any(BLIND.glob("*.json")):
        pytest.skip("no blind corpus")
    # Only the development batches: the held-out set is scored by hand (HELD_OUT.md).
    docs = load_corpus(BLIND, include=BLIND_PREFIXES)
    assert all(name.startswith(BLIND_PREFIXES) for name, _, _ in docs)
    r = evaluate(docs)
    p, rc, f1 = prf(*r["total"])
    assert f1 >= BLIND_F1_FLOOR, (p, rc, f1)
    assert set(r["nondeal_with_claims"]) <= LABEL_CONFLICTS, r["nondeal_with_claims"]
