"""Buyer and provider from one sentence, in many voices, for known and
unknown companies (a new lab or neocloud must not need a code change)."""
from __future__ import annotations

import pytest

from tracker.extract import extract_claims
from tracker.models import Document

FORMS = [
 "{B} will rent 2,000 H200 GPUs from {P} under a three-year contract.",
 "{B} has agreed to pay {P} $500 million over three years for 2,000 H200 GPUs.",
 "{P} will supply 2,000 H200 GPUs to {B} under a three-year contract.",
 "{P} has signed a three-year, $500 million contract to provide {B} with 2,000 H200 GPUs.",
 "{B} signed a three-year deal with {P} for 2,000 H200 GPUs worth $500 million.",
 "Under the three-year agreement, {P} will host 2,000 H200 GPUs for {B}.",
 "2,000 H200 GPUs will be provided to {B} by {P} under a three-year contract.",
 "{B} is renting 2,000 H200 GPUs from {P} for three years.",
 "{B} tapped {P} for 2,000 H200 GPUs in a three-year, $500 million deal.",
 "{P} has won a $500 million, three-year contract from {B} for 2,000 H200 GPUs.",
 "{P} landed {B} as a customer for 2,000 H200 GPUs over three years.",
 "{B} becomes the latest customer of {P}, booking 2,000 H200 GPUs for three years.",
 "{P}'s new customer {B} will use 2,000 H200 GPUs for three years.",
 "{B} chose {P} to run 2,000 H200 GPUs for three years.",
 "{B} and {P} signed a three-year agreement covering 2,000 H200 GPUs.",
 "{P} and {B} announced a three-year, $500 million GPU capacity agreement.",
 "{P} will deliver 2,000 H200 GPUs of capacity to {B} starting in 2026.",
 "{B} will train its models on 2,000 H200 GPUs in {P}'s cloud under a three-year deal.",
 "{B} has secured 2,000 H200 GPUs from {P} for three years.",
 "{B} reserved 2,000 H200 GPUs with {P} under a three-year contract.",
 "{B} will lease 20 MW of GPU capacity from {P} for three years.",
 "{P} will lease 20 MW of GPU capacity to {B} for three years.",
 "{P} leased 20 MW of capacity at its campus in Kearney, Nebraska to {B} for three years.",
 "{B}, the robotics start-up, will pay {P} $500 million for 2,000 H200 GPUs over three years.",
 "{P}, the Amsterdam-based neocloud, will provide 2,000 H200 GPUs to {B} for three years.",
 "{B} expanded its contract with {P} by 2,000 H200 GPUs for three years.",
 "{B} is buying $500 million of compute from {P} over three years.",
 "{B} picked {P} for a three-year, 2,000-GPU H200 cluster.",
 "{B} inked a three-year, $500 million deal for 2,000 H200 GPUs with {P}.",
 "{P} inks three-year deal to supply {B} with 2,000 H200 GPUs",
 "{B} taps {P} for 2,000 H200 GPUs",
 "{P} to provide {B} with 2,000 H200 GPUs",
 "{B} commits $500 million to {P} for GPU capacity over three years.",
 "{P} will build and operate a 2,000-GPU H200 cluster for {B} under a three-year agreement.",
 "{B} will get 2,000 H200 GPUs from {P} under a three-year contract.",
 "{B} is getting access to 2,000 H200 GPUs through {P} for three years.",
 "{P} will make 2,000 H200 GPUs available to {B} for three years.",
 "{B} will pay {P} roughly $14 million a month for 2,000 H200 GPUs.",
 "The three-year contract gives {B} access to 2,000 H200 GPUs in {P}'s data centers.",
 "{P} has agreed to dedicate 2,000 H200 GPUs to {B} for three years.",
 "{B} will be {P}'s anchor customer, taking 2,000 H200 GPUs for three years.",
 "{P} counts {B} as a customer for 2,000 H200 GPUs under a three-year contract.",
 "{B} has contracted with {P} for 2,000 H200 GPUs over three years.",
 "{B} has entered into a three-year agreement with {P} for 2,000 H200 GPUs.",
 "{P} entered into a three-year agreement with {B} under which {P} will provide 2,000 H200 GPUs.",
 "{B} moves training to {P}, renting 2,000 H200 GPUs for three years.",
]

PAIRS = [("Halvard Labs", "Nebius"), ("Anthropic", "Quarry Compute"), ("Wrenfield AI", "Skylark Cloud"),
         ("OpenAI", "CoreWeave")]


@pytest.mark.parametrize("buyer,provider", PAIRS)
def test_every_form_names_buyer_and_provider(buyer, provider):
    wrong = []
    for form in FORMS:
        text = "Deal\n\n" + form.format(B=buyer, P=provider)
        cs = extract_claims(Document(url="test:", source="test", kind="article", text=text))
        got = sorted({(c.buyer, c.provider) for c in cs})
        if got != [(buyer, provider)]:
            wrong.append((form, got))
    assert wrong == []


@pytest.mark.parametrize("text", [
    "Halvard Labs will take a 50-megawatt facility that Skylark Cloud is building in Nevada, using it to serve its models.",
    "Skylark Cloud is developing a 50-megawatt data center in Nevada that Halvard Labs has agreed to use.",
])
def test_the_builder_provides_and_the_taker_buys(text):
    cs = extract_claims(Document(url="test:", source="test", text="Deal\n\n" + text))
    assert {(c.buyer, c.provider) for c in cs} == {("Halvard Labs", "Skylark Cloud")}


def test_long_noun_phrase_contract_and_pronoun_subject():
    cs = extract_claims(Document(url="test:", source="test", text=(
        "Deal\n\nNebius signed a roughly $3 billion, five-year contract with Meta for AI infrastructure.")))
    assert {(c.buyer, c.provider) for c in cs} == {("Meta", "Nebius")}
    cs = extract_claims(Document(url="test:", source="test", text=(
        "Deal\n\nNebius has grown fast. Two months after the Microsoft announcement, it signed a roughly $3 billion, "
        "five-year contract with Meta for AI infrastructure.")))
    assert {(c.buyer, c.provider) for c in cs} == {("Meta", "Nebius")}


def test_lines_up_through_and_gets_from():
    for text in ("Halvard Labs lines up 36,000 GB200s through Quarry", "Halvard Labs is getting 36,000 GB200s from Quarry."):
        cs = extract_claims(Document(url="test:", source="test", text="Deal\n\n" + text))
        assert {(c.buyer, c.provider) for c in cs} == {("Halvard Labs", "Quarry")}, text


def test_possessor_pays_the_named_cloud():
    cs = extract_claims(Document(url="test:", source="test", text="Deal\n\nMeta's Nebius bill put at about $10bn through 2030, for GPU cloud capacity."))
    assert {(c.buyer, c.provider, c.field) for c in cs} >= {("Meta", "Nebius", "payment"), ("Meta", "Nebius", "term_end")}


def test_appositive_verb_does_not_run_into_the_main_clause():
    cs = extract_claims(Document(url="test:", source="test", text=(
        "Deal\n\nHalvard Labs, the New York lab building open-weight frontier models, has agreed a five-year "
        "contract with Crusoe for an initial 60 MW of capacity.")))
    assert {(c.buyer, c.provider) for c in cs} == {("Halvard Labs", "Crusoe")}


def test_not_buying_a_company_is_no_takeover():
    cs = extract_claims(Document(url="test:", source="test", text=(
        "Opinion\n\nOpenAI has agreed to buy up to 750 MW of computing capacity from Cerebras. "
        "OpenAI is not buying Cerebras for raw scale.")))
    assert {(c.buyer, c.provider, c.value) for c in cs} >= {("OpenAI", "Cerebras", "750 MW")}


def test_unknown_speaker_of_said_that_is_the_counterparty():
    cs = extract_claims(Document(url="test:", source="test", text=(
        "Feature\n\nFrostmark Data, an Icelandic operator, said that Mistral will lease 36 MW of capacity at its "
        "campus near Reykjanesbaer, Iceland.")))
    assert {(c.buyer, c.provider) for c in cs} == {("Mistral", "Frostmark Data")}
