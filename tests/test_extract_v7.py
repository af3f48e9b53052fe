"""General rules added in EXTRACTOR_VERSION 7, each in new wording (not
copied from any corpus document): chip-supply direction, defined terms and
subsidiaries, financing partners, figures that are not the deal's, speaker
voice, start cues, corrections and vague magnitudes."""
from __future__ import annotations

from tracker.extract import extract_claims
from tracker.models import Document


def claims_of(text: str, title: str | None = None, kind: str = "article", filer: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind=kind, text=text, title=title, filer=filer))


def deals(cs):
    return {(c.buyer, c.provider) for c in cs}


def values(cs, field):
    return sorted(c.value for c in cs if c.field == field)


def test_supplier_subject_of_supply_verb_is_provider_when_sized_in_power():
    cs = claims_of("Broadcom has agreed to supply Anthropic with custom accelerators totalling 3 gigawatts "
                   "of computing power under a multiyear agreement.")
    assert deals(cs) == {("Anthropic", "Broadcom")}
    assert values(cs, "capacity_power") == ["3000 MW"]


def test_buyer_deploying_vendor_systems_buys_from_vendor():
    cs = claims_of("Under the pact, Meta agreed to deploy up to 4GW of AMD systems over several years.")
    assert deals(cs) == {("Meta", "AMD")}
    assert values(cs, "capacity_power") == ["4000 MW"]


def test_vendor_deploying_power_sized_capacity_for_the_topic_company():
    cs = claims_of("Anthropic widens its chip bets\n\nFirst, Google. Then came Nvidia. "
                   "The chipmaker will design and deploy 2GW of accelerator racks built to Anthropic's specs, "
                   "with the first racks due to go live in the first quarter of 2027.")
    assert ("Anthropic", "Nvidia") in deals(cs)
    assert "2000 MW" in values(cs, "capacity_power")


def test_unit_chip_purchase_from_vendor_is_still_not_a_deal():
    cs = claims_of("CoreWeave bought 40,000 GPUs from Nvidia for its new cluster in Ohio.")
    assert cs == []


def test_booking_revenue_is_selling_and_other_customers_is_not_the_deal():
    cs = claims_of("Nvidia agreed to supply xAI with 2 gigawatts of systems. "
                   "Nvidia said it could book $40 billion over three years from xAI and other customers.")
    assert deals(cs) == {("xAI", "Nvidia")}
    assert values(cs, "term_years") == [] and values(cs, "payment") == []


def test_first_gigawatt_is_a_phase_and_go_live_is_a_start():
    cs = claims_of("Mistral signed a deal to buy 3 gigawatts of compute from Fluidstack. "
                   "The first gigawatt should go live in the third quarter of 2027.")
    caps = {(c.value, c.scope) for c in cs if c.field == "capacity_power"}
    assert ("1000 MW", "phase") in caps and ("3000 MW", None) in caps
    assert values(cs, "start") == ["2027"]


def test_unit_cost_and_sums_across_suppliers_are_not_deal_figures():
    cs = claims_of("Meta has signed up for 12GW of accelerators from three suppliers this year. "
                   "Meta agreed to buy 5 gigawatts of capacity from Oracle. "
                   "Analysts put the cost of building a gigawatt of capacity at $40bn.")
    assert deals(cs) == {("Meta", "Oracle")}
    assert values(cs, "capacity_power") == ["5000 MW"]
    assert values(cs, "payment") == []


def test_subsidiary_party_resolves_to_parent_and_defined_roles_name_companies():
    cs = claims_of('On March 2, 2026 (the "Signing Date"), Northgate Compute LLC, a wholly owned subsidiary of '
                   'Nebius Group N.V. (the "Lessor"), entered into a hosting agreement (the "Hosting Agreement") with '
                   'Mistral AI SAS (the "Lessee"). Under the Hosting Agreement the Lessor will make available to the '
                   'Lessee approximately one hundred twenty (120) megawatts of GPU capacity for an initial term of '
                   'seven (7) years. Fees payable by the Lessee to the Lessor are expected to total $2.1 billion.',
                   kind="filing", filer="Nebius Group N.V.")
    assert deals(cs) == {("Mistral", "Nebius")}
    assert values(cs, "capacity_power") == ["120 MW"]
    assert [(c.value, c.scope) for c in cs if c.field == "term_years"] == [("7 years", None)]
    assert values(cs, "payment") == ["$2.1B"]


def test_quoted_defined_term_is_never_a_company():
    cs = claims_of('Cipher Mining Inc. (the "Company"), through its subsidiary Barber Lake Holdings LLC, entered '
                   'into three GPU hosting leases (collectively, the "Campus Leases") with Anthropic PBC. '
                   'Each Campus Lease has an initial term of twelve years.',
                   kind="filing", filer="Cipher Mining Inc.")
    assert deals(cs) == {("Anthropic", "Cipher Mining")}
    assert values(cs, "term_years") == ["12 years"]


def test_equity_and_investments_are_not_payments():
    cs = claims_of("Meta agreed to pay Nebius $4 billion for GPU capacity over five years. "
                   "Nebius also issued Meta $200 million of its common stock. "
                   "Separately, Meta will put up to $2 billion into Nebius's parent, an equity investment.")
    assert deals(cs) == {("Meta", "Nebius")}
    assert values(cs, "payment") == ["$4B"]


def test_joint_venture_partner_is_not_the_provider():
    cs = claims_of("Meta has signed a 12-year lease for the Ohio campus, which IREN is building in a "
                   "joint venture with Brookfield. The lease covers 600 megawatts of GPU capacity.")
    assert deals(cs) == {("Meta", "IREN")}
    assert values(cs, "term_years") == ["12 years"]


def test_site_total_when_the_deal_takes_part_and_non_usd_pledge_terms():
    cs = claims_of("Amazon agreed to rent GPU capacity from Nscale at a site in Ohio. "
                   "The site should eventually reach 900 megawatts, though Amazon's deployment uses only part of that. "
                   "Amazon has also pledged £8bn to British data centres over six years.")
    assert deals(cs) == {("Amazon", "Nscale")}
    assert values(cs, "capacity_power") == [] and values(cs, "term_years") == []


def test_vague_count_of_a_makers_chips():
    cs = claims_of("Meta will rent as many as half a million of Google's custom AI chips under the cloud deal. "
                   "Meta agreed to buy the capacity from Google.")
    assert deals(cs) == {("Meta", "Google")}
