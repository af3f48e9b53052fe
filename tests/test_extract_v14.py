"""Extractor v14: unknown companies' roles from their names and introductions,
Indian "Private Limited" names, backers named as modifiers, and towns from the
GeoNames gazetteer. New wording for each rule (not copied from any corpus
document)."""
from __future__ import annotations

import pytest

from tracker.extract import EXTRACTOR_VERSION, extract_claims
from tracker.extract.geo import gazetteer
from tracker.extract.hardware import find_locations
from tracker.models import Document


def claims_of(text: str, title: str | None = None, kind: str = "article", filer: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind=kind, text=text, title=title, filer=filer))


def by_field(cs, field):
    return sorted((c.buyer, c.provider, c.value) for c in cs if c.field == field)


def deals(cs):
    return sorted({(c.buyer, c.provider) for c in cs})


def test_version_bumped():
    assert EXTRACTOR_VERSION >= 14


def test_unknown_lab_described_as_model_developer_is_the_buyer():
    cs = claims_of("Filing\n\nThe Company has signed a cloud services agreement with Ravel Minds Private Limited "
                   "(\"Ravel Minds\"), a Pune-based developer of language models, for the provision of 1,024 "
                   "H200 GPUs. The agreement runs for 24 months.",
                   kind="filing", filer="Karst Compute Limited")
    assert deals(cs) == [("Ravel Minds", "Karst Compute")]
    assert by_field(cs, "gpu_count") == [("Ravel Minds", "Karst Compute", "1024 GPUs")]


def test_unknown_seller_by_name_tail():
    cs = claims_of("Deal\n\nOrbit Robotics has agreed a three-year contract with Meridian Cloud covering "
                   "2,000 B200 GPUs of compute capacity.")
    assert deals(cs) == [("Orbit Robotics", "Meridian Cloud")]


def test_unclear_unknowns_stay_unsettled():
    cs = claims_of("Deal\n\nQuill and Farrow signed an agreement covering 2,000 B200 GPUs of compute capacity.")
    assert cs == []


def test_backer_named_as_modifier_is_not_the_party():
    cs = claims_of("Deal\n\nHelix AI has signed a contract with Brightwater group-backed Yotta for 512 H100 GPUs "
                   "of cloud capacity.")
    assert deals(cs) == [("Helix AI", "Yotta")]


def test_dateline_and_based_modifier_before_an_unknown_subject():
    cs = claims_of("Deal\n\nPUNE: Pune-based Ravel Minds has signed a contract with Yotta for 512 H100 GPUs "
                   "of cloud capacity.")
    assert deals(cs) == [("Ravel Minds", "Yotta")]


def test_gazetteer_towns_and_provinces():
    assert gazetteer().get("Chennai") == "Chennai, India"
    vals = [f.value for f in find_locations("The cluster is hosted at Chennai, Tamil Nadu.")]
    assert vals == ["Chennai, India"]
    assert [f.value for f in find_locations("a new hall in Drummondville from 2026")] == ["Drummondville, Canada"]
    # the text's own spelling is kept
    assert [f.value for f in find_locations("capacity in Montreal")] == ["Montreal, Canada"]


def test_gazetteer_skips_homes_words_and_ambiguous_names():
    assert find_locations("Nscale, headquartered in Toronto, said") == []
    assert find_locations("Analysts in Riyadh said the deal is large") == []
    assert find_locations("Bankers in Chennai said the deal is large") == []
    assert find_locations("capacity at Hyperion from 2027") == []
    assert find_locations("a second site in Madison") == []  # many Madisons
    assert find_locations("we are evaluating a site in Ontario") == []  # a province


def test_gazetteer_location_reaches_the_deal():
    cs = claims_of("Deal\n\nHelix AI will rent 512 H100 GPUs from Yotta under a two-year contract. "
                   "The GPUs will sit in Yotta's facility in Navi Mumbai.")
    assert by_field(cs, "location") == [("Helix AI", "Yotta", "Navi Mumbai, India")]


def test_other_dollars_are_not_us_dollars():
    cs = claims_of("Deal\n\nHelix AI will rent 512 H100 GPUs from Yotta under a two-year contract worth about "
                   "US$40 million (roughly R$220 million).")
    assert by_field(cs, "payment") == [("Helix AI", "Yotta", "$40M")]


def test_generic_tail_the_text_drops_is_dropped():
    cs = claims_of("Deal\n\nMicrosoft has signed a ten-year lease for 80 megawatts of data center capacity from "
                   "Tarrow Data Centers. Tarrow said the first hall opens in 2027.")
    assert deals(cs) == [("Microsoft", "Tarrow")]


def test_generic_tail_kept_when_the_text_never_drops_it():
    cs = claims_of("Deal\n\nMicrosoft has signed a ten-year lease for 80 megawatts of data center capacity from "
                   "Tarrow Data Centers.")
    assert deals(cs) == [("Microsoft", "Tarrow Data Centers")]


def test_data_center_landlord_sells_to_a_gpu_cloud():
    cs = claims_of("Deal\n\nBrackenridge Digital Infrastructure, a developer of high-density data centers, has signed a "
                   "ten-year colocation agreement with Fluidstack for 60 MW of critical IT capacity.")
    assert deals(cs) == [("Fluidstack", "Brackenridge Digital Infrastructure")]


def test_customers_listed_in_an_aside_are_not_counterparties():
    cs = claims_of("Deal\n\nCrusoe will lease 90 MW of data center capacity from Lantern Data Centers under a ten-year term. "
                   "Crusoe, the AI cloud whose customers include OpenAI and Mistral, will use the capacity to serve "
                   "training clusters.")
    assert ("Crusoe", "Mistral") not in deals(cs) and ("Mistral", "Crusoe") not in deals(cs)
    assert ("Crusoe", "Lantern Data Centers") in deals(cs)


def test_poster_who_names_their_company_speaks_for_it():
    cs = claims_of("Forum post\n\nWe're Quillmark Bio, a dozen people doing enzyme design.\n\n"
                   "We signed a 6-month reserved cluster with Lambda: 256 H100 GPUs. "
                   "That works out to roughly $400K a month for the cluster.")
    assert deals(cs) == [("Quillmark Bio", "Lambda")]
    assert [(c.number, c.period) for c in cs if c.field == "payment"] == [(400_000, "month")]


def test_models_named_after_its_or_our():
    cs = claims_of("Deal\n\nHalvard Labs will rent 2,048 H200 GPUs from Nebius under a two-year contract. "
                   "Halvard Labs will use the cluster to train the next generation of its Corvid models.")
    assert by_field(cs, "model") == [("Halvard Labs", "Nebius", "Corvid")]
    cs = claims_of("Deal\n\nHalvard Labs will rent 2,048 H200 GPUs from Nebius under a two-year contract. "
                   "Halvard Labs plans to train Corvid-3, its next flagship model, on the cluster.")
    assert by_field(cs, "model") == [("Halvard Labs", "Nebius", "Corvid-3")]


def test_model_of_a_company_outside_the_deal_is_not_the_buyers():
    cs = claims_of("Deal\n\nHalvard Labs will rent 2,048 H200 GPUs from Nebius under a two-year contract. "
                   "Separately, Oracle said it would train the next generation of its Corvid models elsewhere.")
    assert by_field(cs, "model") == []


def test_thread_post_numbers_and_colons_before_an_unknown_subject():
    cs = claims_of("Thread\n\n1/ Small lab, big cluster: Wrenfield Labs just signed with Crusoe for 4,000 GB200 GPUs "
                   "on a two-year term.")
    assert deals(cs) == [("Wrenfield Labs", "Crusoe")]


def test_long_horizon_is_not_the_horizon_campus():
    cs = claims_of("Deal\n\nWrenfield Labs, a team building long-horizon reasoning models, will rent 4,000 GB200 GPUs "
                   "from Crusoe on a two-year term.")
    assert by_field(cs, "facility") == []


def test_do_not_confuse_with_another_deal():
    cs = claims_of("Deal\n\nWrenfield Labs will rent 4,000 GB200 GPUs from Crusoe on a two-year term. "
                   "Don't confuse this with Crusoe's Abilene build for Oracle, which is about 1.2 GW.")
    assert deals(cs) == [("Wrenfield Labs", "Crusoe")]


def test_month_terms_in_legal_and_casual_wording():
    from tracker.extract.terms import find_terms
    got = lambda t: [(x.field, x.value, x.number) for x in find_terms(t)]  # noqa: E731
    assert got("We signed a 12-month reserved cluster with Lambda") == [("term_years", "1 year", 1.0)]
    assert got("Eighteen (18) months from the Service Commencement Date") == [("term_years", "1.5 years", 1.5)]
    assert got("The order has a term of thirty (30) months commencing on delivery") == [("term_years", "2.5 years", 2.5)]
    assert got("revenue for the three months ended September 30, 2025") == []


def test_first_word_short_name_the_text_uses():
    cs = claims_of("Deal\n\nKestra AI will rent a cluster from Hokuto Internet under a three-year contract. "
                   "The agreement covers 2,000 H200 chips that Hokuto will install at its data centre in Ishikari.")
    assert by_field(cs, "gpu_count") == [("Kestra AI", "Hokuto Internet", "2000 GPUs")]
    assert by_field(cs, "location") == [("Kestra AI", "Hokuto Internet", "Ishikari, Japan")]


def test_start_up_is_not_a_start():
    cs = claims_of("Deal\n\nKestra AI, a start-up set up in 2023, will rent 2,000 H200 GPUs from Nebius under a "
                   "three-year contract.")
    assert by_field(cs, "start") == []


def test_table_site_and_start_columns():
    cs = claims_of("Note\n\nCustomer   | Provider | Site                        | MW (critical IT) | Term   | Rent start\n"
                   "Crusoe     | Hut 8    | Pine Ridge (Odessa, TX)     | 120 initial      | 10 yrs | Aug-2026\n")
    assert by_field(cs, "facility") == [("Crusoe", "Hut 8", "Pine Ridge")]
    assert by_field(cs, "location") == [("Crusoe", "Hut 8", "Odessa, Texas")]
    assert by_field(cs, "capacity_power") == [("Crusoe", "Hut 8", "120 MW")]
    assert by_field(cs, "start") == [("Crusoe", "Hut 8", "2026-08")]


def test_a_name_leading_a_paragraph_labels_it():
    cs = claims_of("Note\n\nCrusoe leases 120 MW from Hut 8, and Amazon leases capacity from Hut 8 as well.\n\n"
                   "Crusoe. The lease runs for ten years.\n\n"
                   "Amazon. The lease covers 300 MW of capacity, with rent beginning in July 2026.")
    assert by_field(cs, "capacity_power") == [("Amazon", "Hut 8", "300 MW"), ("Crusoe", "Hut 8", "120 MW")]
    assert by_field(cs, "start") == [("Amazon", "Hut 8", "2026-07")]


def test_unnamed_customers_in_filings_get_no_figures():
    cs = claims_of("Notes\n\nIn May 2025, we entered into a Cloud Services Agreement with Cohere for 4,096 H200 GPUs.\n\n"
                   "In August 2025, we entered into a master services agreement with a U.S.-based hyperscale cloud "
                   "provider (\"Customer B\") for approximately 6,000 GB200 GPUs for a term of three years. "
                   "We expect to begin delivering capacity to Customer B during the first quarter of 2026.",
                   kind="filing", filer="Tessellate Cloud Inc.")
    assert deals(cs) == [("Cohere", "Tessellate Cloud")]
    assert by_field(cs, "gpu_count") == [("Cohere", "Tessellate Cloud", "4096 GPUs")]
    assert by_field(cs, "start") == []


def test_bulleted_deal_notes_and_site_lists():
    cs = claims_of("Note\n\nThe OpenAI contract\n"
                   "- OpenAI agreed to take up to 4.5 GW of Oracle capacity as part of the build-out.\n"
                   "- Widely reported value: roughly $300B over about five years.\n"
                   "- Named sites so far: Abilene, Texas (Crusoe-developed), and Port Washington, Wisconsin (with Vantage).")
    assert by_field(cs, "payment") == [("OpenAI", "Oracle", "$300B")]
    assert by_field(cs, "location") == [("OpenAI", "Oracle", "Abilene, Texas"), ("OpenAI", "Oracle", "Port Washington, Wisconsin")]


def test_headline_only_long_name_gives_way_to_the_body_name():
    cs = claims_of("LIVE: Fjellstad Cloud Q3 call - Cohere contract\n\n"
                   "Fjellstad is the Oslo-listed neocloud. They've signed a four-year contract with Cohere for "
                   "2,000 B300 GPUs.")
    assert deals(cs) == [("Cohere", "Fjellstad")]


def test_not_due_until_is_a_start_and_handed_to_is_a_handover():
    from tracker.extract.terms import find_terms
    got = lambda t: [(x.field, x.value) for x in find_terms(t)]  # noqa: E731
    assert got("The first data hall is not due until 2027.") == [("start", "2027")]
    assert got("The first hall is due to be handed to Fluidstack in early 2027.") == [("start", "2027")]
    assert got("The lease runs until 2035.") == [("term_end", "2035")]


def test_chip_market_commentary_gives_no_gpu_type():
    cs = claims_of("Deal\n\nHalvard Labs will rent 2,000 GPUs from Nebius under a three-year contract. "
                   "H100 spot pricing drifted down again, to low $2s per GPU-hour in most indices.")
    assert by_field(cs, "gpu_type") == []


def test_site_size_used_as_an_adjective_is_not_the_deal():
    cs = claims_of("Deal\n\nCrusoe will lease 120 MW at Project Tern, a 2GW AI campus in Wyoming, from Hut 8 for ten years. "
                   "Hut 8 also runs 210 MW of bitcoin mining capacity there.")
    assert by_field(cs, "capacity_power") == [("Crusoe", "Hut 8", "120 MW")]
    cs = claims_of("Deal\n\nCrusoe will lease the entire 200 MW campus from Hut 8 for ten years.")
    assert by_field(cs, "capacity_power") == [("Crusoe", "Hut 8", "200 MW")]


def test_teaser_lists_under_a_sidebar_heading_are_skipped():
    cs = claims_of("Deal\n\nHalvard Labs will rent 2,000 GPUs from Nebius under a three-year contract.\n\n"
                   "You may also like\n- IREN's $9.7bn Microsoft contract, one year later (Issue #33)\n"
                   "- Why the $38bn Amazon-OpenAI pact is smaller than it looks")
    assert deals(cs) == [("Halvard Labs", "Nebius")]
    assert by_field(cs, "payment") == []


def test_the_providers_other_sites_are_not_the_deals():
    cs = claims_of("Deal\n\nHalvard Labs will rent 2,000 GPUs from Skylark Cloud in Reno, Nevada under a three-year contract. "
                   "Skylark Cloud operates 14 data centers and is building a new facility in Busan with a local partner.")
    assert by_field(cs, "location") == [("Halvard Labs", "Skylark Cloud", "Reno, Nevada")]


def test_one_with_x_and_one_with_y():
    cs = claims_of("Deal\n\nLantern Data Centers announced two lease agreements: one with Together AI at its Prairie Gate "
                   "campus in Cheyenne, Wyoming, and one with Fluidstack at its Caprock campus in Big Spring, Texas.")
    locs = by_field(cs, "location")
    assert ("Fluidstack", "Lantern Data Centers", "Big Spring, Texas") in locs
    assert ("Together AI", "Lantern Data Centers", "Cheyenne, Wyoming") in locs
    assert ("Together AI", "Lantern Data Centers", "Big Spring, Texas") not in locs


def test_renewal_periods_are_not_the_term():
    cs = claims_of("Filing\n\nThe Company entered into a colocation agreement with CoreWeave for 100 MW of critical IT load. "
                   "The initial term of the Colocation Agreement is twelve (12) years from the Commencement Date. "
                   "CoreWeave has two options to extend the term, each for an additional period of five years.",
                   kind="filing", filer="Boreal Digital Inc.")
    assert by_field(cs, "term_years") == [("CoreWeave", "Boreal Digital", "12 years")]


@pytest.mark.parametrize("text", [
    "The monthly fee is reduced by 40% for the first three months after the Service Commencement Date.",
    "Fees are halved for the first two months while the cluster is brought up in stages.",
    "Crusoe gets six months of free rent on the first hall, then pays the full contracted rate.",
    "Upstage will pay half the regular monthly fee during the first three months, then the full rate.",
    "Each phase is discounted 10% for the first twelve months after acceptance.",
])
def test_ramp_wordings(text):
    from tracker.extract.terms import find_terms
    assert [x.field for x in find_terms(text)].count("ramp") == 1


def test_first_time_is_not_a_ramp():
    from tracker.extract.terms import find_terms
    assert find_terms("Prices were cut for the first time in years.") == []


def test_delivery_in_tranches_through_a_year_is_not_the_end():
    from tracker.extract.terms import find_terms
    # (since v20 the schedule itself is the deal's ramp)
    assert [x.field for x in find_terms("The first tranche comes online in 2026, and then it arrives in stages through 2028.")] == ["start", "ramp"]
    assert find_terms("an option to lease 40 MW more, exercisable through the end of 2026") == []


@pytest.mark.parametrize("text,name", [
    ("Related Digital's campus outside Ann Arbor, known as The Barn, will serve the deal", "The Barn"),
    ("the GPUs sit in Yotta's NM1 facility in Navi Mumbai", "NM1"),
    ("Microsoft takes 120 MW at Scala's 'AI City' in Rio Grande do Sul", "AI City"),
])
def test_facility_name_forms(text, name):
    from tracker.extract.hardware import find_facilities
    assert name in [f.value for f in find_facilities(text)]


def test_known_as_a_company_is_not_a_facility():
    from tracker.extract.hardware import find_facilities
    assert find_facilities("the company, known as Acme, said") == []


def test_a_filer_and_its_subsidiary_are_not_a_deal():
    cs = claims_of("Filing\n\nItem 1.01. On October 6, 2026, Halberd Compute LLC (the \"Borrower\"), a subsidiary of the "
                   "Company, entered into a credit agreement. The Borrower will pay a commitment fee on GPU capacity "
                   "financing of $2.3 billion.", kind="filing", filer="Halberd GPU Cloud, Inc.")
    assert cs == []


def test_a_roundup_that_says_no_new_deals_reports_none():
    cs = claims_of("THE WEEK - Friday roundup\n\nNobody announced a new capacity deal in the five days we tracked.\n\n"
                   "- IREN said the build-out for its existing Microsoft contract at Childress, Texas was on schedule.\n"
                   "- SoftBank said it sold its entire stake in Nvidia for $5.83 billion to fund its AI commitments.")
    assert cs == []


def test_cover_name_gives_way_to_the_body_name_and_defined_terms_are_not_subjects():
    text = ("HALDEN CLOUD CORP.\nANNUAL REPORT\n\nHalden operates GPU cloud infrastructure in Minnesota.\n\n"
            "In February 2026, we entered into a two-year agreement with Perplexity AI, Inc. (\"Perplexity\") to "
            "provide 1,024 NVIDIA H200 GPUs at our leased facility in Minneapolis, Minnesota, for aggregate fees of $48 million.")
    cs = claims_of(text, kind="filing", filer="Halden Cloud Corp.")
    assert deals(cs) == [("Perplexity", "Halden")]


def test_a_list_of_other_deals_recalled_for_context():
    cs = claims_of("Why miners? Microsoft leases 200 MW from Core Scientific\n\n"
                   "Microsoft has signed a lease for 200 MW of capacity at Core Scientific's Denton campus.\n\n"
                   "A few of the markers worth remembering:\n\n"
                   "- Cipher Mining agreed in late 2025 to lease 300 MW to Amazon Web Services for 15 years.\n"
                   "- Hut 8 agreed a 15-year lease with Fluidstack for 245 MW at its River Bend campus.")
    assert deals(cs) == [("Microsoft", "Core Scientific")]
