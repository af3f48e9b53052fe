"""The learned claim filter (tracker/extract/confidence.py): the shipped model
matches the extractor, drops what the rules get wrong in a way it has learned,
keeps plain deal facts, and the rules still work without it. Texts are new
wording, not from any corpus document."""
from __future__ import annotations

import json

import pytest

from tracker.extract import EXTRACTOR_VERSION, confidence, extract_claims
from tracker.models import Document

FILING = """Item 1.01 Entry into a Material Definitive Agreement.

On October 6, 2026, Brask Compute Inc. (the "Company") entered into a Master Services Agreement with Sorel AI, Inc. under which the Company will provide Sorel with 16,000 B200 GPUs for a term of three years. Total contract value is approximately $1.1 billion.

Item 7.01 Regulation FD Disclosure.

- Contracted power across the Company's portfolio is now expected to reach 1.8 GW by the end of 2027, of which 600 MW to 900 MW is expected to be energized in 2026.
- The Company had cash of $410 million as of September 30, 2026.
"""

ARTICLE = """Halden Compute wins Orvane Labs contract

Orvane Labs has agreed to pay Halden Compute $2.4 billion over four years for GPU capacity at the neocloud's site in Tromso, Norway, the companies said on Tuesday. The contract covers 18,000 GB300 chips and 60 MW of power, with service beginning in the second quarter of 2026.

Halden, which raised $600 million from investors in March, said the agreement would more than double its contracted backlog.
"""


def filing() -> Document:
    return Document(url="test:filing", source="test", kind="filing", text=FILING, filer="Brask Compute Inc.")


def article() -> Document:
    return Document(url="test:article", source="test", kind="article", text=ARTICLE)


def facts(cs):
    return sorted((c.buyer, c.provider, c.field, c.value) for c in cs)


def test_shipped_model_was_trained_on_this_extractor():
    """A rule change without retraining (benchmarks/train_confidence.py) fails here."""
    m = confidence.model()
    assert m is not None, "tracker/data/claim_model.json is missing from the package"
    assert m.extractor_version == EXTRACTOR_VERSION
    assert 0.0 <= m.threshold < 1.0
    assert len(m.weights) > 100


def test_filter_only_removes_claims():
    for doc in (filing(), article()):
        raw, kept = extract_claims(doc, learned=False), extract_claims(doc)
        assert set(facts(kept)) <= set(facts(raw))


def test_portfolio_bullet_date_is_dropped_and_the_deal_kept():
    raw, kept = extract_claims(filing(), learned=False), extract_claims(filing())
    # The rules give the portfolio bullet's year to the deal; the model knows
    # a company-wide bullet under Item 7.01 is not about the contract.
    assert ("Sorel AI", "Brask Compute", "start", "2026") in facts(raw)
    assert facts(kept) == [
        ("Sorel AI", "Brask Compute", "gpu_count", "16000 GPUs"),
        ("Sorel AI", "Brask Compute", "gpu_type", "B200"),
        ("Sorel AI", "Brask Compute", "payment", "$1.1B"),
        ("Sorel AI", "Brask Compute", "term_years", "3 years"),
    ]


def test_plain_deal_facts_all_survive():
    raw, kept = extract_claims(article(), learned=False), extract_claims(article())
    assert facts(kept) == facts(raw)
    assert {c.field for c in kept} >= {"payment", "term_years", "location", "gpu_count", "gpu_type",
                                       "capacity_power", "start"}


def test_probabilities_are_probabilities():
    doc = filing()
    claims = extract_claims(doc, learned=False)
    m = confidence.model()
    probs = [m.prob(f) for f in confidence.doc_features(claims, doc.text)]
    assert all(0.0 < p < 1.0 for p in probs)
    assert min(probs) < m.threshold <= max(probs)


@pytest.fixture
def model_file(tmp_path, monkeypatch):
    """Point the filter at a model file of the test's own."""
    path = tmp_path / "claim_model.json"
    monkeypatch.setattr(confidence, "MODEL_PATH", path)
    confidence.model.cache_clear()
    yield path
    confidence.model.cache_clear()


def test_missing_model_means_rules_alone(model_file):
    assert not model_file.exists()
    assert confidence.model() is None
    assert facts(extract_claims(filing())) == facts(extract_claims(filing(), learned=False))


def test_a_weight_decides(model_file):
    """The scorer reads the weights it is given: a strong negative weight on
    one word drops exactly the claims whose sentence has it."""
    model_file.write_text(json.dumps({"extractor_version": EXTRACTOR_VERSION, "threshold": 0.5,
                                      "bias": 3.0, "weights": {"w:tromso": -10.0}}), encoding="utf-8")
    raw, kept = extract_claims(article(), learned=False), extract_claims(article())
    assert [c for c in raw if "Tromso" in c.quote]
    assert facts(kept) == facts(c for c in raw if "Tromso" not in c.quote)
