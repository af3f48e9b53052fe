"""Extractor v10: recall of model, location, facility and start. New wording
for each rule (not copied from any corpus document)."""
from __future__ import annotations

from tracker.extract import EXTRACTOR_VERSION, extract_claims
from tracker.models import Document


def claims_of(text: str, title: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind="article", text=text, title=title))


def by_field(cs, field):
    return sorted((c.buyer, c.provider, c.value) for c in cs if c.field == field)


def test_version_bumped():
    assert EXTRACTOR_VERSION >= 10


def test_start_cue_after_rejected_from():
    cs = claims_of("Microsoft rents GPUs from CoreWeave\n"
                   "Microsoft will pay CoreWeave $2 billion for GPUs served from a new hall in Georgia, "
                   "with the first racks arriving in early 2027.")
    assert by_field(cs, "start") == [("Microsoft", "CoreWeave", "2027")]


def test_start_will_be_online_by():
    cs = claims_of("OpenAI signs with Nebius\n"
                   "OpenAI agreed to pay Nebius $1 billion for cloud capacity, which will be online by late 2026.")
    assert by_field(cs, "start") == [("OpenAI", "Nebius", "2026")]


def test_model_after_for_in_compute_sentence():
    cs = claims_of("Meta books Lambda GPUs\n"
                   "Meta will pay Lambda $800 million for GPU capacity for Llama, Lambda said.")
    assert by_field(cs, "model") == [("Meta", "Lambda", "Llama")]


def test_for_company_named_like_its_model_is_not_a_model():
    cs = claims_of("Mistral rents chips from Nebius\n"
                   "Nebius will host 5,000 GPUs for Mistral at a site in Finland under a $300 million contract.")
    assert by_field(cs, "model") == []


def test_city_in_states_county():
    cs = claims_of("OpenAI leases Crusoe site\n"
                   "OpenAI will rent 80 megawatts from Crusoe at a campus near Lubbock, in Texas's Lubbock County.")
    assert by_field(cs, "location") == [("OpenAI", "Crusoe", "Lubbock, Texas")]


def test_county_alone_in_states_county():
    cs = claims_of("Microsoft leases IREN capacity\n"
                   "Microsoft will rent 60 megawatts from IREN at a data center in Georgia's Walton County.")
    assert by_field(cs, "location") == [("Microsoft", "IREN", "Walton County, Georgia")]


def test_project_name_is_a_facility():
    cs = claims_of("Anthropic signs with Fluidstack\n"
                   "Anthropic will pay Fluidstack $2 billion for GPUs at a campus the company calls Project Juniper.")
    assert by_field(cs, "facility") == [("Anthropic", "Fluidstack", "Project Juniper")]
