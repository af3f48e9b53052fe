"""Extractor v15: questions assert no figure, spoken "a gig" is a gigawatt,
and "N of them" counts the hardware just named. New wording for each rule
(not copied from any corpus document)."""
from __future__ import annotations

from tracker.extract import EXTRACTOR_VERSION, extract_claims
from tracker.extract.capacity import find_gpu_counts, find_power
from tracker.models import Document


def claims_of(text: str, title: str | None = None, kind: str = "article", filer: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind=kind, text=text, title=title, filer=filer))


def by_field(cs, field):
    return sorted((c.buyer, c.provider, c.value) for c in cs if c.field == field)


def test_version_bumped():
    assert EXTRACTOR_VERSION >= 15


def test_question_states_no_figure_but_answer_does():
    text = ("Nebius has agreed to provide compute capacity to Meta under a new contract.\n\n"
            "Does the contract cover the whole 2 GW campus in Finland? "
            "No. The contract covers 150 MW of GPU capacity.")
    cs = claims_of(text)
    assert by_field(cs, "capacity_power") == [("Meta", "Nebius", "150 MW")]


def test_question_still_names_the_deal_it_asks_about():
    # The question's pair carries the deal; the statement after it has the figure.
    text = ("ANALYST: Can you tell us more about the Lambda contract with Microsoft?\n\n"
            "CEO: Microsoft will pay Lambda $1.2 billion over four years for GPU capacity.")
    cs = claims_of(text)
    assert by_field(cs, "payment") == [("Microsoft", "Lambda", "$1.2B")]


def test_spoken_gig_is_a_gigawatt():
    fs = find_power("We hold the option to take it past a gig, maybe two gigs later.")
    assert [f.number for f in fs] == [1000, 2000]
    assert find_power("He worked a gig economy job before founding the lab.") == []


def test_count_of_them_after_hardware():
    fs = find_gpu_counts("It is all B200 systems, roughly 24,000 of them in the first hall.")
    assert [(f.number, f.approx) for f in fs] == [(24000, True)]
    # no hardware named before it: people, not chips
    assert find_gpu_counts("We have 900 staff; 400 of them are engineers.") == []
    # hardware named in an earlier clause that ended: not its count
    assert find_gpu_counts("The lab trains on GPUs. Of 3,000 applicants, 200 of them were hired.") == []


def test_bare_town_named_in_full_elsewhere_is_sited():
    text = ("Harlow Bend, Kentucky, has a shuttered aluminium smelter and a big grid connection.\n\n"
            "Vantor Compute said it signed a six-year agreement with Mistral to provide 90 MW of GPU capacity "
            "at Harlow Bend.")
    cs = claims_of(text)
    assert ("Mistral", "Vantor Compute", "Harlow Bend, Kentucky") in by_field(cs, "location")


def test_town_word_before_campus_is_a_location_not_a_facility():
    cs = claims_of("Nebius will provide Mistral with 40 MW of dedicated capacity at its Ljubljana campus "
                   "under a four-year contract.")
    assert by_field(cs, "facility") == []
    assert by_field(cs, "location") == [("Mistral", "Nebius", "Ljubljana, Slovenia")]


def test_big_city_short_name_from_gazetteer():
    from tracker.extract.geo import gazetteer
    g = gazetteer()
    assert g["Frankfurt"] == "Frankfurt, Germany"
    assert "Gold" not in g  # "Gold Coast" has no one-word short name


def test_pipe_table_with_trailing_spaces_in_some_rows():
    text = ("Signed this month\n\n"
            "| # | Buyer | Provider | MW | Value | Term | Start    |\n"
            "|---|-------|----------|----|-------|------|----------|\n"
            "| 1 | Cohere | Lambda  | 22 | $700M | 3 yrs | Q1 2027  |\n"
            "| 2 | Mistral | Nebius | 14 | n/d   | 30 months | n/d      |\n")
    cs = claims_of(text)
    assert ("Cohere", "Lambda", "22 MW") in by_field(cs, "capacity_power")
    assert ("Cohere", "Lambda", "2027") in by_field(cs, "start")
    assert ("Mistral", "Nebius", "2.5 years") in by_field(cs, "term_years")


def test_table_under_a_comparison_heading_is_context():
    text = ("Nebius will provide Cohere with 40 MW of GPU capacity for four years.\n\n"
            "PREVIOUSLY REPORTED, FOR COMPARISON\n"
            "| Buyer | Provider | MW | Value |\n"
            "| Microsoft | IREN | 200 | $9.7B |\n")
    cs = claims_of(text)
    assert {(c.buyer, c.provider) for c in cs} == {("Cohere", "Nebius")}


def test_vendor_shipment_table_is_not_a_deal_table():
    text = ("Accelerator shipments, Q2\n\n"
            "Vendor | Customer | Product | Units\n"
            "Nvidia | Oracle | GB300 | ~40,000\n"
            "AMD | Meta | MI355X | ~12,000\n")
    assert claims_of(text) == []


def test_csv_export_rows_are_deals_and_status_filters_talks():
    text = ("Contract log export\n\n"
            "id,buyer,provider,status,mw,gpus,gpu_model,value_usd_m,term_yrs,start\n"
            "K-1,Cohere,Crusoe,signed,35,,,1300,4,2027-02\n"
            "K-2,xAI,Oracle,talks,150,,,,,\n")
    cs = claims_of(text)
    assert {(c.buyer, c.provider) for c in cs} == {("Cohere", "Crusoe")}
    assert by_field(cs, "payment") == [("Cohere", "Crusoe", "$1.3B")]
    assert by_field(cs, "term_years") == [("Cohere", "Crusoe", "4 years")]
    assert by_field(cs, "start") == [("Cohere", "Crusoe", "2027-02")]
    assert by_field(cs, "capacity_power") == [("Cohere", "Crusoe", "35 MW")]


def test_hyphenated_adjective_is_not_a_company_name():
    cs = claims_of("Multi-year AI cloud contract with Microsoft\n\n• US$2.1bn total contract value\n• 4-year term",
                   title="Lodeston Compute — Investor Presentation")
    assert not any(c.buyer.startswith("Multi") or c.provider.startswith("Multi") for c in cs)
    assert ("Microsoft", "Lodeston Compute", "$2.1B") in by_field(cs, "payment")


def test_non_ascii_company_name_is_kept_whole():
    cs = claims_of("Nscale has signed a 12-year lease for 40 MW with the Portuguese developer Ribeirão Data.")
    assert {(c.buyer, c.provider) for c in cs} == {("Nscale", "Ribeirão Data")}


def test_put_at_the_disposal_of_is_provide():
    cs = claims_of("Sesterce will put at the disposal of Corvane a cluster of 2,048 GPU NVIDIA B300 in its data centre.")
    assert by_field(cs, "gpu_count") == [("Corvane", "Sesterce", "2048 GPUs")]


def test_coordinated_buyers_are_not_each_others_counterparty():
    cs = claims_of("Export licences allow Qatar's Nuvola and Kuwait's Humain to each purchase up to 20,000 GB300 chips.")
    assert cs == []
    cs = claims_of("G42 and Humain will each purchase 10,000 H200 GPUs next year.")
    assert cs == []


def test_contracts_with_unnamed_companies_pair_no_one():
    cs = claims_of("Several operators, among them Nebius in Finland and the developers which host OpenAI's Stargate "
                   "Norway project, have signed contracts worth billions of dollars with American technology companies.")
    assert cs == []


def test_said_to_be_near_a_deal_is_a_rumour():
    cs = claims_of("JUST IN: Meta said to be near a deal to rent ~1.5 GW of AI capacity from Nscale in Texas, "
                   "worth about $30B over 7 years.")
    assert cs == []


def test_cancelled_agreement_yields_nothing():
    cs = claims_of("Tidewater raised $300 million this week. A 100 MW agreement with Cohere that the two companies "
                   "announced last year was cancelled in March before any capacity was delivered.")
    assert cs == []


def test_money_committed_to_a_country_is_not_a_deal_with_a_later_company():
    cs = claims_of("Microsoft said it had committed $15.2 billion to the UAE between 2023 and 2029, including its "
                   "$1.5 billion equity investment in G42, and will run Azure GPU services there.")
    assert not any(c.field == "payment" for c in cs)


def test_place_based_prefix_is_not_part_of_a_name():
    cs = claims_of("Yotta has signed a four-year contract with Pune-based Sarika Labs to provide 2,048 H200 GPUs.")
    assert {(c.buyer, c.provider) for c in cs} == {("Sarika Labs", "Yotta")}


def test_subsidiary_and_parent_are_never_counterparties():
    cs = claims_of("Core42, the cloud arm of G42, has signed a five-year agreement with Canadian AI developer "
                   "Cohere to provide 50 MW of compute capacity.")
    assert {(c.buyer, c.provider) for c in cs} == {("Cohere", "Core42")}


def test_exchange_announcement_subsidiary_term_speaks_for_the_parent():
    text = ("ENTRY INTO GPU CAPACITY AGREEMENT\n\n"
            "The Board of Merlion Compute Holdings Ltd. (the \"Company\", and together with its subsidiaries, the "
            "\"Group\") announces that its wholly-owned subsidiary, Merlion Compute (Batam) Pte. Ltd. (\"MCB\"), has "
            "entered into a GPU capacity agreement (the \"Agreement\") with Together Computer, Inc. (\"Together AI\").\n\n"
            "Pursuant to the Agreement, MCB shall provide Together AI with dedicated access to 4,096 NVIDIA H200 GPUs.\n\n"
            "The Group has also entered into a 10-year solar power purchase agreement for up to 40 MW.")
    cs = claims_of(text)
    assert by_field(cs, "gpu_count") == [("Together AI", "Merlion Compute", "4096 GPUs")]
    assert by_field(cs, "term_years") == [] and by_field(cs, "capacity_power") == []


def test_buyers_existing_capacity_elsewhere_is_not_the_site():
    cs = claims_of("Core42 will provide Cohere with 100 MW of AI capacity in Abu Dhabi. A Cohere spokesperson said "
                   "the cluster would complement its existing capacity in Canada.")
    assert by_field(cs, "location") == [("Cohere", "Core42", "Abu Dhabi, United Arab Emirates")]


def test_compare_and_for_scale_leads_are_other_deals():
    text = ("Kairo AI will pay Vastra Cloud $40M a month for 20 MW of GPU capacity.\n\n"
            "6/ Compare: Anthropic pays xAI ~$1.25B/mo for Colossus 1.\n\n"
            "7/ For scale: OpenAI's CoreWeave contracts are ~$22.4B cumulative.")
    cs = claims_of(text)
    assert {(c.buyer, c.provider) for c in cs} == {("Kairo AI", "Vastra Cloud")}


def test_french_town_with_particle():
    from tracker.extract.hardware import find_locations
    assert [f.value for f in find_locations("a 40 MW site in Bruyères-le-Châtel, France")] == ["Bruyères-le-Châtel, France"]


def test_posters_arithmetic_is_not_a_term():
    cs = claims_of("OpenAI signed with Oracle for about $300B of compute over roughly five years.\n\n"
                   "$300B / 5 = $60B a year. Insane.")
    assert by_field(cs, "payment") == [("OpenAI", "Oracle", "$300B")]


def test_exercised_option_is_a_purchase_from_the_company_just_named():
    cs = claims_of("Applied Digital filed an 8-K this morning. CoreWeave exercised its option at the Ellendale "
                   "campus for another 150 MW of AI capacity.")
    assert ("CoreWeave", "Applied Digital", "150 MW") in by_field(cs, "capacity_power")


def test_unknown_cashtag_and_verbless_lease_phrase():
    text = ("$FNWD 8-K just dropped. 10-yr lease with Together AI for 48 MW at the campus. ~$1.3B total contract value.\n\n"
            "Key bits from Fernwick Digital's 8-K: Together brings its own GB200 racks.")
    cs = claims_of(text)
    assert {(c.buyer, c.provider) for c in cs} == {("Together AI", "Fernwick Digital")}
    assert by_field(cs, "gpu_type") == []
    assert ("Together AI", "Fernwick Digital", "48 MW") in by_field(cs, "capacity_power")


def test_site_that_can_scale_later_is_not_the_deal():
    cs = claims_of("Nebius will provide Mistral with 60 MW of GPU capacity. Management says the campus can scale "
                   "to 1 GW over time; that is not contracted.")
    assert by_field(cs, "capacity_power") == [("Mistral", "Nebius", "60 MW")]


def test_context_heading_without_colon_marks_recalled_deals():
    text = ("OpenAI will pay Amazon $38 billion over seven years for GPU capacity.\n\n"
            "CONTEXT (previously reported, not part of this event)\n"
            "- Microsoft: incremental USD 250bn Azure commitment\n"
            "- Oracle: approx. USD 300bn over about five years\n\n"
            "An earlier version of this alert gave the contract value as USD 3.8bn.")
    cs = claims_of(text)
    assert by_field(cs, "payment") == [("OpenAI", "Amazon", "$38B")]


def test_funding_and_design_capacity_are_not_the_deal():
    cs = claims_of("Halyard Compute signs 60 MW agreement with Vespera Labs.\n\n"
                   "The campus has a design capacity of 180 MW. Halyard closed a $400 million Series B in March "
                   "and has arranged a $1.1 billion asset-backed facility.")
    assert by_field(cs, "payment") == []
    assert [v for _, _, v in by_field(cs, "capacity_power")] == ["60 MW"]


def test_town_alone_is_not_a_company():
    cs = claims_of("Nebius has signed two capacity contracts for its data centre in Mantsala, some 60 km north of "
                   "Helsinki. The larger of the two is with Kuura Labs Oy, a Helsinki start-up. Kuura will take "
                   "12,000 Nvidia B200 GPUs for three years.")
    assert {(c.buyer, c.provider) for c in cs} <= {("Kuura Labs", "Nebius"), ("Kuura", "Nebius")}
    assert [v for _, _, v in by_field(cs, "gpu_count")] == ["12000 GPUs"]


def test_nth_customer_of_the_story_company_without_a_filer():
    text = ("Nebius fills Finnish hall with two AI customers\n\n"
            "Nebius has signed two new capacity contracts. The second customer is Black Forest Labs, the image-model "
            "developer. It has agreed a two-year contract worth US$310mn, under which Nebius will supply 4,000 H200 GPUs.")
    cs = claims_of(text)
    assert ("Black Forest Labs", "Nebius", "$310M") in by_field(cs, "payment")


def test_context_section_recalls_other_deals():
    text = ("Nebius will provide Mistral with 3,000 GPUs under a two-year contract.\n\n"
            "Context: a busy year for Nebius\n\n"
            "Its agreement with Microsoft for capacity in Vineland was valued at US$17.4bn, and a later contract "
            "with Meta was worth US$3bn.")
    cs = claims_of(text)
    assert {(c.buyer, c.provider) for c in cs} == {("Mistral", "Nebius")}
