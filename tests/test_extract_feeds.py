"""Feed and newsletter shorthand for one deal: bullets, slashes, 'x', '<>',
headline verbs. New wording, not copied from any corpus document."""
from __future__ import annotations

import pytest

from tracker.extract import extract_claims
from tracker.models import Document

FEED_ITEMS = [
"Deals this week\n\n• Halvard Labs x Skylark Cloud: $1.2B, 5 yrs, 80 MW in Kearney, Nebraska.\n",
"Deals this week\n\n- Halvard Labs / Skylark Cloud — $1.2 billion over five years for 80 MW\n",
"Roundup\n\nHalvard Labs <> Skylark Cloud: five-year, $1.2bn GPU lease, 80MW, Kearney (Nebraska).\n",
"Halvard Labs taps Skylark Cloud in $1.2B, five-year GPU deal\n\nThe 80 MW contract covers a campus in Kearney, Nebraska.",
"Skylark Cloud wins $1.2 billion Halvard Labs contract\n\nThe five-year deal covers 80 MW in Kearney, Nebraska.",
"Skylark Cloud signs Halvard Labs to five-year, 80 MW deal worth $1.2 billion",
]


@pytest.mark.parametrize("text", FEED_ITEMS)
def test_feed_shorthand(text):
    cs = extract_claims(Document(url="test:", source="test", text=text))
    assert {(c.buyer, c.provider) for c in cs} == {("Halvard Labs", "Skylark Cloud")}
    got = {(c.field, c.value) for c in cs}
    assert {("capacity_power", "80 MW"), ("payment", "$1.2B"), ("term_years", "5 years")} <= got
