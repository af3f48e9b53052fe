"""Precision rules added in EXTRACTOR_VERSION 8, each in new wording (not
copied from any corpus document): amounts that are not the deal's price
(capex, financing, revenue, per-unit prices, earlier deals in background,
analyst speculation), talks that are not signed deals, and figures about a
market, a fleet or an aside deal."""
from __future__ import annotations

from tracker.extract import EXTRACTOR_VERSION, extract_claims
from tracker.models import Document


def claims_of(text: str, title: str | None = None, kind: str = "article", filer: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind=kind, text=text, title=title, filer=filer))


def values(cs, field, deal=None):
    return sorted(c.value for c in cs if c.field == field and (deal is None or (c.buyer, c.provider) == deal))


BASE = "Mistral AI has signed a four-year agreement worth $3 billion to rent GPU capacity from Nscale.\n"


def test_version():
    assert EXTRACTOR_VERSION >= 8


def test_base_deal_payment_kept():
    assert values(claims_of(BASE), "payment") == ["$3B"]


def test_capex_on_a_campus_is_not_a_payment():
    cs = claims_of(BASE + "Nscale plans to spend $12 billion on new data centers in Norway next year.\n")
    assert values(cs, "payment") == ["$3B"]


def test_build_cost_with_hyphenated_size_is_not_a_payment():
    cs = claims_of(BASE + "Nscale will invest $7 billion to build out the 900-megawatt site.\n")
    assert values(cs, "payment") == ["$3B"]


def test_construction_loan_is_not_a_payment():
    cs = claims_of(BASE + "Nscale is financing the build with a $2 billion construction loan from three banks.\n")
    assert values(cs, "payment") == ["$3B"]


def test_convertible_notes_are_not_a_payment():
    cs = claims_of(BASE + "Separately, Nscale sold $800 million of convertible notes to fund the hardware.\n")
    assert values(cs, "payment") == ["$3B"]


def test_vendor_kit_purchase_is_not_a_payment():
    cs = claims_of(BASE + "Nscale is also buying about $1.1 billion of Dell servers to fill the halls.\n")
    assert values(cs, "payment") == ["$3B"]


def test_reported_quarterly_revenue_is_not_a_payment():
    cs = claims_of(BASE + "Nscale reported second-quarter revenue of $310 million and cited its agreements with several labs.\n")
    assert values(cs, "payment") == ["$3B"]


def test_rpo_under_the_deal_is_kept_but_company_rpo_is_not():
    cs = claims_of("Applied Digital will lease 200 MW of data center capacity to CoreWeave under a 12-year lease.\n"
                   "Remaining performance obligations under the CoreWeave lease were about $6.2 billion.\n"
                   "Applied Digital's total remaining performance obligations across all its customers were $9 billion.\n")
    assert "$6.2B" in values(cs, "payment")
    assert "$9B" not in values(cs, "payment")


def test_per_unit_and_hourly_prices_are_not_payments():
    cs = claims_of(BASE + "Each GB300 rack now costs around $3.9 million, while spot prices for H100s sit near $2 an hour.\n")
    assert values(cs, "payment") == ["$3B"]
    assert values(cs, "gpu_type") == []


def test_earlier_deal_in_background_is_not_recorded():
    cs = claims_of(BASE + "The deal follows Mistral's $1 billion contract with Fluidstack signed last year.\n")
    assert {(c.buyer, c.provider) for c in cs} == {("Mistral", "Nscale")}


def test_analyst_speculation_is_not_recorded():
    cs = claims_of(BASE + "Analysts at one bank estimate the arrangement could eventually be worth $9 billion.\n")
    assert values(cs, "payment") == ["$3B"]


def test_could_be_worth_without_signature_is_not_recorded():
    cs = claims_of(BASE + "A follow-on deal could be worth $5 billion and would cover 300 megawatts, a person said.\n")
    assert values(cs, "payment") == ["$3B"]
    assert values(cs, "capacity_power") == []


def test_option_value_with_could_is_kept():
    cs = claims_of(BASE + "If Mistral exercises its options to extend, the agreement could be worth $4.5 billion.\n")
    assert "$4.5B" in values(cs, "payment")


def test_talks_make_no_claims():
    cs = claims_of("Meta is in discussions with Lambda about leasing 150 megawatts in Ohio for roughly $4 billion.\n"
                   "The two sides are weighing whether Lambda would supply B300 chips.\n")
    assert cs == []


def test_nearing_a_deal_makes_no_claims():
    assert claims_of("Anthropic is nearing a deal to rent 400 MW from Crusoe for about $8 billion.") == []


def test_signed_after_talks_is_a_deal():
    cs = claims_of("After months of talks, Anthropic signed an agreement to pay Crusoe $8 billion for 400 MW of capacity.")
    assert values(cs, "payment") == ["$8B"]


def test_fleet_hardware_is_not_the_deals():
    cs = claims_of(BASE + "Nscale, which operates about 30,000 H200 GPUs across its fleet, did not say which chips Mistral will use.\n")
    assert values(cs, "gpu_type") == [] and values(cs, "gpu_count") == []


def test_vendor_demand_sentence_is_not_the_deals():
    cs = claims_of(BASE + "Nscale said demand for Nvidia's GB300 chips remains far above supply.\n")
    assert values(cs, "gpu_type") == []


def test_provider_other_sites_are_not_the_deals_location():
    cs = claims_of(BASE + "Nscale also runs data centers in Portugal and Texas.\n")
    assert values(cs, "location") == []


def test_campus_without_tenant_before_aside_deal():
    cs = claims_of("Crusoe will invest $20 billion in a 1.2-gigawatt campus in Laramie, Wyoming, without naming a tenant.\n"
                   "Crusoe already hosts OpenAI under a separate agreement.\n"
                   "The campus will eventually hold 300,000 GPUs.\n")
    assert cs == []


def test_construction_start_is_not_the_deal_start():
    cs = claims_of(BASE + "Construction at the Nscale site is expected to begin in 2027.\n")
    assert values(cs, "start") == []


def test_political_place_is_not_the_site():
    cs = claims_of(BASE + "The Nscale contract is being scrutinised in Brussels, where regulators are reviewing GPU exports.\n")
    assert values(cs, "location") == []


def test_operator_description_is_not_a_facility():
    cs = claims_of(BASE + "Shares of the Scottish data center operator rose 12% after the Nscale announcement.\n")
    assert values(cs, "facility") == []


def test_capacity_not_part_of_the_deal_is_dropped():
    cs = claims_of(BASE + "Nscale also holds permits for another 600 megawatts at the site, which is not part of the Mistral contract.\n")
    assert values(cs, "capacity_power") == []


def test_program_wide_goal_is_not_a_deal_figure():
    cs = claims_of(BASE + "The program's stated goal of 5 gigawatts by 2028 includes sites for other customers.\n")
    assert values(cs, "capacity_power") == []


def test_about_boilerplate_gives_no_figures():
    cs = claims_of(BASE + "\nAbout Nscale\nNscale runs 45,000 GB200 GPUs in Portugal and Iceland and raised $1.1 billion. "
                   "Its customers include Microsoft, which signed a six-year contract worth $9 billion.\n"
                   "\nForward-Looking Statements\nThis release includes statements about 2027 revenue of $2 billion.\n")
    assert {(c.buyer, c.provider) for c in cs} == {("Mistral", "Nscale")}
    assert values(cs, "payment") == ["$3B"]


def test_about_with_a_number_is_not_boilerplate():
    cs = claims_of("Mistral AI has signed an agreement to rent GPU capacity from Nscale.\n"
                   "About 200 megawatts will be delivered at a site in Glomfjord, Norway.\n")
    assert values(cs, "capacity_power") == ["200 MW"]
