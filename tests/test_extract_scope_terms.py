"""Scope cues that talk about the term, not the value."""
from tracker.extract import extract_claims
from tracker.models import Document


def _payments(text, **kw):
    doc = Document(url="file:x", source="t", text=text, **kw)
    return [c for c in extract_claims(doc) if c.field == "payment"]


def test_initial_term_is_not_an_initial_tranche():
    text = ("During the quarter, our customer Meta Platforms, Inc. entered into an order form under which "
            "we will provide Meta with cloud computing capacity for an initial term through December 14, 2031, "
            "with a contract value of approximately $14.2 billion.")
    pays = _payments(text, kind="filing", filer="CoreWeave, Inc.")
    assert [(p.buyer, p.provider, p.number, p.scope) for p in pays] == [("Meta", "CoreWeave", 14.2e9, None)]


def test_initial_contract_is_still_initial():
    text = "OpenAI signed an initial $11.9 billion contract with CoreWeave for GPU capacity in March."
    pays = _payments(text)
    assert [(p.number, p.scope) for p in pays] == [(11.9e9, "initial")]
