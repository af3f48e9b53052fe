"""Extractor v12: guarantors, work done on someone's behalf, nouns that look
like deal verbs, electricity and land deals, share offerings. New wording for
each rule (not copied from any corpus document)."""
from __future__ import annotations

from tracker.extract import EXTRACTOR_VERSION, extract_claims
from tracker.models import Document


def claims_of(text: str, title: str | None = None, kind: str = "article", filer: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind=kind, text=text, title=title, filer=filer))


def by_field(cs, field):
    return sorted((c.buyer, c.provider, c.value) for c in cs if c.field == field)


def deals(cs):
    return sorted({(c.buyer, c.provider) for c in cs})


def test_version_bumped():
    assert EXTRACTOR_VERSION >= 12


def test_a_guarantor_is_not_a_party():
    cs = claims_of("TeraWulf's new lease is with Fluidstack, which will move into two halls at Lake Mariner, "
                   "and Google guarantees a share of Fluidstack's rent. The lease covers 72 MW of critical IT "
                   "load for ten years.")
    assert deals(cs) == [("Fluidstack", "TeraWulf")]
    assert by_field(cs, "capacity_power") == [("Fluidstack", "TeraWulf", "72 MW")]


def test_work_on_a_companys_behalf_makes_it_the_buyer():
    cs = claims_of("Analysts name Cisco as a supplier, but it is Nscale that will build and run the 50 MW GPU "
                   "cluster on Mistral's behalf.")
    assert deals(cs) == [("Mistral", "Nscale")]


def test_building_a_long_named_cluster_for_a_lab():
    cs = claims_of("G42 is constructing and now building the 500MW Falcon Two AI cluster in Al Ain for Anthropic, "
                   "with the first halls due in 2027.")
    assert ("Anthropic", "G42") in deals(cs)


def test_power_sold_by_a_generator_is_not_a_compute_deal():
    cs = claims_of("Prairie Wind Energy will supply 600 megawatts from its turbines in Kansas to Microsoft "
                   "through 2045, in an arrangement valued at about $7 billion.\n"
                   "Microsoft also agreed to buy power from small modular reactors planned by Kairos.")
    assert cs == []


def test_a_land_sale_is_not_a_compute_deal():
    cs = claims_of("Developer buys Abilene land for AI data-centre campus\n\n"
                   "Mesa Holdings has sold 800 acres near Abilene, Texas, to Lone Star Digital LLC for "
                   "$64 million for an AI data-centre campus, the county deed shows. Lone Star has applied for "
                   "1 GW of interconnection but has signed no tenant.")
    assert cs == []


def test_a_share_offering_filing_gives_no_claims():
    text = ("Form 6-K\n\nExhibit 99.1\n\n"
            "Nscale prices $800 million offering of ordinary shares\n\n"
            "Nscale today priced its offering of ordinary shares for gross proceeds of $800 million. "
            "Nscale intends to use the proceeds for GPU capacity and data center construction. "
            "The Company now targets 1.3 gigawatts of contracted power by the end of 2027, of which it expects "
            "500 megawatts to be connected, and it reiterates that its agreement with Microsoft for GPU capacity "
            "will be funded in part with the proceeds.")
    cs = claims_of(text, kind="filing", filer="Nscale Ltd")
    assert cs == []


def test_a_figure_in_a_relative_clause_on_a_party_is_its_history():
    cs = claims_of("Bitdeer, which paid about $410 million for the Clarington plant in 2023, has agreed to lease "
                   "40 MW of GPU hosting capacity there to Cohere for eight years.")
    assert by_field(cs, "payment") == []
    assert by_field(cs, "capacity_power") == [("Cohere", "Bitdeer", "40 MW")]


def test_another_deal_signed_in_an_earlier_year_is_background():
    cs = claims_of("Hut 8 lands Mistral as its first GPU tenant\n\n"
                   "Hut 8 will lease 60 MW of GPU capacity to Mistral for seven years.\n\n"
                   "Peers got there first: TeraWulf signed a ten-year lease with Fluidstack in 2024 worth "
                   "about $3.7 billion.")
    assert deals(cs) == [("Mistral", "Hut 8")]


def test_a_named_facility_keeps_its_country_code():
    cs = claims_of("Nscale will supply OpenAI with 30,000 GPUs for Stargate UK, the companies said.")
    assert by_field(cs, "facility") == [("OpenAI", "Nscale", "Stargate UK")]


def test_a_vendor_leasing_back_its_own_servers_is_the_buyer():
    cs = claims_of("AMD is leasing back accelerator servers it once sold to Vultr, in a three-year arrangement "
                   "worth $900 million.")
    assert deals(cs) == [("AMD", "Vultr")]
    assert by_field(cs, "payment") == [("AMD", "Vultr", "$900M")]
    assert not any(c.scope == "initial" for c in cs)


def test_leasing_from_it_refers_to_the_company_just_named():
    cs = claims_of("The Hypertec story starts with Lambda. The San Jose GPU cloud signed an order form in May "
                   "under which Nvidia will lease about 6,000 GPUs from it for two years.")
    assert by_field(cs, "gpu_count") == [("Nvidia", "Lambda", "6000 GPUs")]


def test_shouted_wire_headlines_are_read_and_quoted_verbatim():
    text = ("*ANTHROPIC SIGNS $12B, 4-YEAR GPU DEAL WITH COREWEAVE\n\n"
            "*COREWEAVE TO SUPPLY ANTHROPIC WITH NVIDIA GB300 SYSTEMS\n\n"
            "*COREWEAVE SHARES RISE 9% PREMARKET")
    cs = claims_of(text)
    assert deals(cs) == [("Anthropic", "CoreWeave")]
    assert by_field(cs, "payment") == [("Anthropic", "CoreWeave", "$12B")]
    assert by_field(cs, "gpu_type") == [("Anthropic", "CoreWeave", "GB300")]
    assert all(c.quote in text for c in cs)  # quotes keep the capitals


def test_hydropower_from_an_infrastructure_investor_is_not_compute():
    cs = claims_of("Microsoft agrees to buy up to 2 GW of hydropower from Brookfield for its data centers\n\n"
                   "The framework covers 15-year agreements; the first two are worth about $2 billion.")
    assert cs == []


def test_a_financier_reached_through_the_headline_is_never_a_party():
    cs = claims_of("Meta agrees to take 1 GW of capacity from Blue Owl for its data centers\n\n"
                   "The framework covers 20-year agreements for AI compute.")
    assert cs == []


def test_a_defined_customer_term_settles_who_buys():
    text = ("Note 5. Revenue\n\nDuring the quarter, the Group entered into a two-year GPU cloud agreement with "
            "Lambda, Inc. (\"Lambda\" or the \"Customer\") for about 3,000 NVIDIA H200 GPUs to be hosted at the "
            "Group's data center in Childress, Texas. The Customer may terminate on 60 days' written notice.")
    cs = claims_of(text, kind="filing", filer="IREN Limited")
    assert deals(cs) == [("Lambda", "IREN")]
    assert by_field(cs, "termination_notice_days") == [("Lambda", "IREN", "60 days")]


def test_a_paragraph_led_by_a_landlords_name_is_about_that_landlord():
    cs = claims_of("Landlords with a second order\n\n"
                   "TeraWulf. Fluidstack added 40 MW to its lease at Lake Mariner, for a total of 240 MW.\n\n"
                   "Applied Digital. CoreWeave signed for another building, adding 100 MW, which takes it to 350 MW.\n\n"
                   "CoreWeave alone has now contracted about 2.5 GW of power across its landlords.")
    assert by_field(cs, "capacity_power") == [("CoreWeave", "Applied Digital", "100 MW"),
                                              ("CoreWeave", "Applied Digital", "350 MW"),
                                              ("Fluidstack", "TeraWulf", "240 MW"),
                                              ("Fluidstack", "TeraWulf", "40 MW")]
    scopes = {c.value: c.scope for c in cs if c.field == "capacity_power"}
    assert scopes["240 MW"] == "cumulative" and scopes["350 MW"] == "cumulative"
    assert scopes["100 MW"] == "expansion"


def test_the_tenant_occupies_and_construction_funding_is_not_the_deal():
    cs = claims_of("Cipher Mining signs Crusoe lease\n\n"
                   "Under the lease, Crusoe will occupy 120 megawatts of critical IT load at Cipher Mining's "
                   "Barber Lake site for 12 years. Cipher Mining intends to fund its share of construction costs, "
                   "about $900 million, with project debt.")
    assert by_field(cs, "capacity_power") == [("Crusoe", "Cipher Mining", "120 MW")]
    assert by_field(cs, "payment") == []


def test_an_enormous_line_of_capitals_is_read_quickly():
    # Untrusted text: a long shouted line must not make the recasing regex backtrack.
    import time
    text = "AMAZON WEB SERVICES " * 20000 + "x\n\nOpenAI will pay CoreWeave $4 billion for GPU capacity."
    t = time.perf_counter()
    cs = claims_of(text)
    assert time.perf_counter() - t < 5
    assert by_field(cs, "payment") == [("OpenAI", "CoreWeave", "$4B")]
