"""Numbers said in words (call transcripts, interviews, podcasts) and the
speaker's "we" in a transcript. New wording, not copied from any corpus
document."""
from __future__ import annotations

import pytest

from tracker.extract import extract_claims
from tracker.extract.numwords import digitize
from tracker.models import Document


@pytest.mark.parametrize("said,digits", [
    ("one point two five billion dollars a month", "1.25 billion dollars a month"),
    ("call it roughly three hundred megawatts", "call it roughly 300 megawatts"),
    ("two hundred and fifty thousand GPUs", "250000 GPUs"),
    ("twenty-four thousand GPUs", "24000 GPUs"),
    ("one and a half gigawatts", "1.5 gigawatts"),
    ("a billion and a half", "1.5 billion"),
    ("a hundred thousand GPUs", "100000 GPUs"),
    ("through twenty twenty-nine", "through 2029"),
    ("twenty-two hundred GPUs", "2200 GPUs"),
])
def test_digitize(said, digits):
    assert digitize(said)[0] == digits


@pytest.mark.parametrize("text", [
    "one of the largest deals", "a $1.25 billion contract", "1.5 million users", "hundreds of GPUs",
    "ninety (90) days' notice",
])
def test_digitize_leaves_words_and_digits_alone(text):
    assert digitize(text) == (text, None)


def test_offsets_map_back_to_the_sentence():
    s = "They pay us one point two five billion dollars a month."
    d, pmap = digitize(s)
    i = d.index("1.25")
    assert s[pmap[i]:].startswith("one point")
    assert len(pmap) == len(d) + 1


def test_spoken_figures_become_claims_with_verbatim_quotes():
    text = ("Skylark Cloud Q3 earnings call transcript\n\n"
            "Dana Whitfield -- Chief Executive Officer: So we signed with Halvard Labs. They pay us one point two "
            "five billion dollars a month for roughly three hundred megawatts, about two hundred and fifty thousand "
            "GPUs, through twenty twenty-nine, with ninety days' notice. The deal is about nine point seven billion "
            "over five years.")
    cs = extract_claims(Document(url="test:", source="test", text=text))
    got = {(c.field, c.value) for c in cs}
    assert {("payment", "$1.25B per month"), ("capacity_power", "300 MW"), ("gpu_count", "250000 GPUs"),
            ("term_end", "2029"), ("termination_notice_days", "90 days"), ("payment", "$9.7B"),
            ("term_years", "5 years")} <= got
    assert {(c.buyer, c.provider) for c in cs} == {("Halvard Labs", "Skylark Cloud")}
    for c in cs:
        assert c.quote in text


def test_bare_spoken_billions_need_money_context():
    text = ("Skylark Cloud Q3 earnings call transcript\n\n"
            "Dana Whitfield -- Chief Executive Officer: We signed with Halvard Labs for three hundred megawatts. "
            "Their model has about four point five billion parameters.")
    cs = extract_claims(Document(url="test:", source="test", text=text))
    assert [c for c in cs if c.field == "payment"] == []


def test_chips_said_aloud():
    from tracker.extract import _figures
    from tracker.extract.companies import registry
    figs = _figures("we run eighteen thousand B three hundreds and some H one hundreds", registry())
    assert {(f.field, f.value) for f in figs} >= {("gpu_count", "18000 GPUs"), ("gpu_type", "B300"), ("gpu_type", "H100")}


def test_podcast_guest_company_and_listed_customers():
    text = ("Founders podcast - Episode 9 with Ana Ruiz, Quarrystone (transcript)\n\n"
            "HOST (Ben Aldana): Ana, welcome.\n\n"
            "ANA RUIZ (co-founder and CEO, Quarrystone): Thanks. We're a GPU cloud focused on inference.\n\n"
            "HOST: And you've got news.\n\n"
            "RUIZ: Two customers we can finally talk about. The first is Character.AI. They've signed a two-year "
            "contract with us for nine thousand two hundred H200s in Reno. And they can give us ninety days' notice.\n\n"
            "RUIZ: The second is Black Forest Labs. That one's in Frankfurt. It's about two thousand B200s on a three-year term.")
    cs = extract_claims(Document(url="test:", source="test", text=text))
    assert {(c.buyer, c.provider) for c in cs} == {("Character.AI", "Quarrystone"), ("Black Forest Labs", "Quarrystone")}
    assert ("Black Forest Labs", "gpu_count", "2000 GPUs") in {(c.buyer, c.field, c.value) for c in cs}


def test_panel_speakers_speak_for_their_own_companies():
    text = ('Summit panel: "Building a gigawatt" (transcript)\n\n'
            "MODERATOR (Rachel Imoto, editor, Powerline Weekly): Let's start. We have three people here.\n\n"
            "SAM ORTEGA (Chief Development Officer, Crusoe): Thanks. Our Abilene campus is leased to Oracle for fifteen years.\n\n"
            "PRIYANKA VEDAM (CEO, Kestrel Compute): We're a small neocloud. We signed Together AI this summer at our "
            "Beauharnois site in Quebec. It's twenty-four megawatts of H200s on a three-year term.\n\n"
            "LUIS ABARCA (VP, Mesa Verde Electric Cooperative): We supply power to both of them.")
    cs = extract_claims(Document(url="test:", source="test", text=text))
    got = {(c.buyer, c.provider) for c in cs}
    assert ("Together AI", "Kestrel Compute") in got
    assert not any("Mesa Verde" in n for d in got for n in d)
    assert ("Together AI", "Kestrel Compute", "24 MW") in {(c.buyer, c.provider, c.value) for c in cs}


def test_interview_guest_intro_and_the_hosts_you():
    text = ('The Compute Stack - Episode 12 (transcript)\n\n'
            "HOST (Dana Okafor): My guest today is Ilya Brandt, co-founder and CEO of Sablecrest, the research lab.\n\n"
            "HOST: So the news this week is that you signed a big compute deal with CoreWeave.\n\n"
            "BRANDT: Sure. It's a five-year contract for a hundred and fifty megawatts of GB300 systems.")
    cs = extract_claims(Document(url="test:", source="test", text=text))
    assert {(c.buyer, c.provider) for c in cs} == {("Sablecrest", "CoreWeave")}
    assert ("capacity_power", "150 MW") in {(c.field, c.value) for c in cs}
