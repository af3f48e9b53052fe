"""Structured and semi-structured text: key: value cards, 'Key terms' lists,
Markdown tables, FAQ pages. New wording, not copied from any corpus document."""
from __future__ import annotations

import pytest

from tracker.extract import extract_claims
from tracker.models import Document

DOCS = {
    "card": """Deal card: Halvard Labs / Skylark Cloud

Buyer: Halvard Labs
Provider: Skylark Cloud
Value: $1.2 billion
Term: 5 years
Capacity: 80 MW
GPUs: 16,384 Nvidia GB300
Site: Kearney, Nebraska
Start: Q2 2026
""",
    "key terms": """Halvard Labs signs with Skylark Cloud

Halvard Labs has signed a GPU cloud agreement with Skylark Cloud.

Key terms:
- Contract value: approximately $1.2 billion
- Duration: five years, starting in the second quarter of 2026
- Hardware: 16,384 Nvidia GB300 GPUs
- Power: 80 MW at Skylark Cloud's campus in Kearney, Nebraska
""",
    "markdown table": """Weekly tracker

| Customer | Provider | Value | Term | MW | GPUs | Location | Start |
|---|---|---|---|---|---|---|---|
| Halvard Labs | Skylark Cloud | $1.2B | 5 yrs | 80 | 16,384 GB300 | Kearney, NE | 2026 |
""",
    "faq": """FAQ: the Halvard Labs deal

Who is the customer? Halvard Labs, which is renting the capacity from Skylark Cloud in Kearney, Nebraska.
How much is it worth? About $1.2 billion over five years.
How much capacity? 80 MW, or about 16,384 GB300 GPUs.
When does it start? In the second quarter of 2026.
""",
}
WANT = {("payment", 1.2e9), ("term_years", 5.0), ("capacity_power", 80.0), ("gpu_count", 16384.0),
        ("gpu_type", "GB300"), ("location", "Kearney, Nebraska"), ("start", "2026")}


@pytest.mark.parametrize("name", list(DOCS))
def test_structured_forms_give_the_same_claims(name):
    cs = extract_claims(Document(url="test:", source="test", text=DOCS[name]))
    assert {(c.buyer, c.provider) for c in cs} == {("Halvard Labs", "Skylark Cloud")}
    got = {(c.field, c.number if c.number is not None else c.value) for c in cs}
    assert WANT <= got
    assert got - WANT == set()


def test_monthly_fee_column_and_county_after_town():
    text = ("Note\n\nHalvard Labs has signed a two-year agreement with Skylark Cloud for 4,608 GB300 GPUs at "
            "Skylark Cloud's Loughton site in Essex, United Kingdom.\n\n"
            "Customer     | Provider      | Monthly fee | Term\n"
            "Halvard Labs | Skylark Cloud | $12.9M      | 2 yrs\n")
    cs = extract_claims(Document(url="test:", source="test", text=text))
    assert [(c.value, c.period) for c in cs if c.field == "payment"] == [("$12.9M per month", "month")]
    assert {c.value for c in cs if c.field == "location"} == {"Loughton, United Kingdom"}
