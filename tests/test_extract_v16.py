"""Extractor v16: public bodies as buyers, acronyms they define, award notices
that label their parties, European number and date formats, "reserve ... for",
and tenders that are not yet contracts. New wording for each rule (not copied
from any corpus document)."""
from __future__ import annotations

from tracker.extract import EXTRACTOR_VERSION, extract_claims
from tracker.extract.sentences import normalise
from tracker.models import Document


def claims_of(text: str, kind: str = "article", filer: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind=kind, text=text, filer=filer), learned=False)


def facts(cs, field=None):
    return sorted((c.buyer, c.provider, c.field, c.value) for c in cs if field is None or c.field == field)


def deals(cs):
    return sorted({(c.buyer, c.provider) for c in cs})


def test_version_bumped():
    assert EXTRACTOR_VERSION >= 26


def test_a_public_laboratory_buys_from_a_neocloud():
    cs = claims_of("The Institute for Coastal Forecasting has signed a three-year agreement with Sablewood Cloud "
                   "for 2,048 H100 GPUs at the provider's site in Tulsa, Oklahoma.")
    assert deals(cs) == [("Institute for Coastal Forecasting", "Sablewood Cloud")]
    assert ("Institute for Coastal Forecasting", "Sablewood Cloud", "gpu_count", "2048 GPUs") in facts(cs)
    assert ("Institute for Coastal Forecasting", "Sablewood Cloud", "term_years", "3 years") in facts(cs)


def test_a_university_named_as_an_affiliation_is_no_party():
    cs = claims_of("Pellow AI, a start-up founded by researchers at Tarnfield University, will pay Sablewood Cloud "
                   "$210 million for GPU capacity over two years.")
    assert deals(cs) == [("Pellow AI", "Sablewood Cloud")]


def test_a_regulator_is_no_party():
    cs = claims_of("Sablewood Cloud will supply Pellow AI with 8,000 B200 GPUs, the company said in a filing with "
                   "the Securities and Exchange Commission.")
    assert deals(cs) == [("Pellow AI", "Sablewood Cloud")]
    assert facts(cs, "gpu_count") == [("Pellow AI", "Sablewood Cloud", "gpu_count", "8000 GPUs")]


def test_a_defined_acronym_is_the_body():
    cs = claims_of("The Bureau of Hydrological Modelling (BHM) has renewed its cloud contract.\n\n"
                   "Under the renewal, Oracle provides BHM with 640 H200 GPUs in its Phoenix, Arizona region "
                   "for $31 million.")
    assert deals(cs) == [("Bureau of Hydrological Modelling", "Oracle")]
    assert ("Bureau of Hydrological Modelling", "Oracle", "payment", "$31M") in facts(cs)


def test_reserving_capacity_for_someone_is_providing_it():
    cs = claims_of("Under the contract, Sablewood Cloud will reserve 1,536 GB200 GPUs for the Ministry of "
                   "Digital Services at its Tulsa campus.")
    assert deals(cs) == [("Ministry of Digital Services", "Sablewood Cloud")]


AWARD = """NOTICE OF AWARD

Solicitation: RCF-26-004 (Reserved accelerator hours)
Awarding agency: Office of Polar Research Computing, Fairbanks, Alaska
Awardee: Kestrel Compute Services LLC, a wholly owned subsidiary of Kestrel Compute, Inc., Reno, Nevada
Award date: 14.01.2026

SCOPE
The awardee shall provide reserved access to 2 048 NVIDIA H200 GPUs for a term of 36 months.
Place of performance: the awardee's data centre in Boise, Idaho
Base value: $58,200,000.00
Period of performance: from 01/03/2026 to 28/02/2029
"""


def test_an_award_notice_labels_its_parties():
    cs = claims_of(AWARD)
    assert deals(cs) == [("Office of Polar Research Computing", "Kestrel Compute")]
    got = {(c.field, c.value) for c in cs}
    assert {("gpu_count", "2048 GPUs"), ("gpu_type", "H200"), ("term_years", "3 years"),
            ("payment", "$58.2M"), ("location", "Boise, Idaho"), ("start", "2026-03"),
            ("term_end", "2029-02")} <= got
    # the awardee's head-office address on its label line is not the site
    assert ("location", "Reno, Nevada") not in got
    for c in cs:
        assert c.quote in AWARD


def test_a_preferred_bidder_has_no_contract_yet():
    cs = claims_of("Sablewood Cloud selected as preferred bidder for the Ministry of Digital Services compute "
                   "tender; the final contract has not yet been concluded.\n\n"
                   "The tender calls for 6,000 GPUs and 25 MW from 2027.")
    assert cs == []


def test_space_grouped_thousands_and_numeric_dates_keep_the_text_length():
    text = "Reserved access to 1 024 GPUs from 01/01/2026 to 31/12/2028, effective 2026-03-01."
    norm = normalise(text)
    assert len(norm) == len(text)
    assert "1,024 GPUs" in norm
    assert "Jan." in norm and "Dec." in norm and "Mar." in norm
    assert normalise("firmware v1.2.2026 and route 3") == "firmware v1.2.2026 and route 3"


def test_month_first_dates_when_a_day_says_so():
    # 12/20/2026 can only be month first; so is 03/04/2026 in the same text
    norm = normalise("Service starts 03/04/2026 and the first review is on 12/20/2026.")
    assert "Mar" in norm and "Dec" in norm


def test_the_unnamed_customer_named_in_the_next_sentence():
    cs = claims_of("In October we signed a multi-year contract with a large hyperscale customer to deliver GPU "
                   "capacity from our campus in Dalton, Georgia. That customer is Amazon. The contract is worth "
                   "$5.6 billion over a term that runs through 2030.",
                   kind="filing", filer="Brask Compute Inc.")
    assert deals(cs) == [("Amazon", "Brask Compute")]
    assert {("payment", "$5.6B"), ("term_end", "2030"), ("location", "Dalton, Georgia")} <= {(c.field, c.value) for c in cs}


def test_a_non_binding_letter_of_intent_is_no_deal():
    cs = claims_of("Sablewood Cloud signed a non-binding letter of intent with Pellow AI for up to 40 MW at its "
                   "Tulsa campus.")
    assert cs == []


def test_a_renamed_company_is_not_its_own_counterparty():
    cs = claims_of("Grayrock Mining renames itself Sablewood Cloud and will convert its Tulsa campus to AI hosting "
                   "with 90 MW of capacity.\n\nPellow AI, a model developer, signs a two-year contract for 12 MW "
                   "of GPU capacity from Sablewood Cloud.")
    assert deals(cs) == [("Pellow AI", "Sablewood Cloud")]


def test_the_purchase_of_a_cluster_named_for_a_customer_is_no_takeover():
    cs = claims_of("We entered into a master services agreement with Pellow AI, Inc. under which Pellow AI reserves "
                   "4,096 B200 GPUs for two years.\n\nWe financed the purchase of the Pellow AI cluster through a "
                   "term loan.", kind="filing", filer="Sablewood Cloud Inc.")
    assert deals(cs) == [("Pellow AI", "Sablewood Cloud")]
    assert ("Pellow AI", "Sablewood Cloud", "gpu_count", "4096 GPUs") in facts(cs)


def test_a_name_found_by_its_role_is_vouched_for_by_its_description():
    # "with Halden Labs, a model developer": the description makes the name
    # one the document knows, so its short form is read later
    cs = claims_of("Sablewood Cloud signed an agreement with Halden Labs, a model developer, last week.\n\n"
                   "Sablewood will install 6,000 B200 GPUs for Halden, which trains its Quill models there.")
    # (the text itself drops the generic tails, so the short names are the record's)
    assert ("Halden", "Sablewood", "gpu_count", "6000 GPUs") in facts(cs)


def test_the_landlord_of_a_site_is_not_the_deal_of_its_figures():
    cs = claims_of("Sablewood Cloud has agreed to supply Amazon with about 90,000 GB300 GPUs.\n\n"
                   "The largest share, some 60,000 GPUs, will sit at a campus near Odessa in west Texas that "
                   "Sablewood is leasing from the developer Quarrystone Digital, with service from mid-2026.")
    # (the text drops the generic tail, so the short name is the record's)
    assert deals(cs) == [("Amazon", "Sablewood")]
    assert ("Amazon", "Sablewood", "gpu_count", "60000 GPUs") in facts(cs)


def test_with_x_leads_the_speakers_deal():
    cs = claims_of("CFO: We have contracts with several providers. With Sablewood Cloud, the agreement covers "
                   "approximately 40,000 Nvidia GB300 GPUs in Texas.", kind="filing", filer="Amazon")
    assert deals(cs) == [("Amazon", "Sablewood Cloud")]
    assert ("Amazon", "Sablewood Cloud", "gpu_count", "40000 GPUs") in facts(cs)


def test_incentives_and_tariffs_are_not_deal_figures():
    cs = claims_of("Pellow AI has signed a 12-year lease for 80 MW of GPU capacity from Sablewood Cloud at its "
                   "Tulsa campus.\n\n"
                   "The county approved a 20-year property-tax abatement worth an estimated $3.9 million per year, "
                   "and the utility will serve the campus under its large-load tariff with a 10-year minimum bill.")
    got = {(c.field, c.value) for c in cs}
    assert {("term_years", "12 years"), ("capacity_power", "80 MW")} <= got
    assert not [c for c in cs if c.field == "payment" or c.value in ("20 years", "10 years")]


QA = """Q&A: the two leases behind Sablewood's growth

What did Halloran Digital sign first?
In May Halloran Digital agreed a 12-year lease with Sablewood Cloud for 120 MW at its Tulsa campus.

What did Marlpit Digital sign?
In September Marlpit Digital agreed a 10-year colocation deal with Sablewood Cloud at its Enid site, covering 90 MW.
"""


def test_a_question_naming_the_company_heads_its_own_deal_not_a_recalled_one():
    cs = claims_of(QA)
    assert ("Sablewood Cloud", "Marlpit Digital", "capacity_power", "90 MW") in facts(cs)
    assert ("Sablewood Cloud", "Halloran Digital", "capacity_power", "120 MW") in facts(cs)


def test_a_party_that_is_not_renting_takes_no_role():
    cs = claims_of("Sablewood Cloud leases 120 MW from Grayrock at its Tulsa campus for ten years. Google agreed to "
                   "backstop part of the rent. Google is not renting the capacity itself.")
    assert deals(cs) == [("Sablewood Cloud", "Grayrock")]


def test_the_providers_hardware_bill_is_not_a_payment():
    cs = claims_of("Pellow AI will pay Sablewood Cloud $2.1 billion over five years for GB300 capacity, and "
                   "Sablewood is buying the hardware from Dell for about $1.4 billion.")
    assert facts(cs, "payment") == [("Pellow AI", "Sablewood Cloud", "payment", "$2.1B")]


def test_a_megawatt_figure_is_not_one_megawatt():
    cs = claims_of("Pellow AI will pay Sablewood Cloud $2.1 billion over five years for GPU capacity. Neither "
                   "company has given a megawatt figure for the deal.")
    assert not facts(cs, "capacity_power")


def test_a_question_word_is_not_part_of_a_name():
    cs = claims_of("Does Pellow AI still use Sablewood Cloud?\nYes. Since 2024 Pellow AI has rented 2,048 H100 GPUs "
                   "from Sablewood Cloud, a Tulsa operator, at roughly $9 million a month.")
    assert deals(cs) == [("Pellow AI", "Sablewood Cloud")]


def test_a_slide_bullet_gerund_is_not_a_company():
    cs = claims_of("Sablewood Cloud - Investor Day\n\nBuilding AI factories for Pellow AI\n"
                   "- Pellow AI signed a 15-year lease for 200 MW from Sablewood Cloud\n- Building 1: 100 MW in 2026")
    assert all(c.buyer != "Building AI" and c.provider != "Building AI" for c in cs)
    assert ("Pellow AI", "Sablewood Cloud", "capacity_power", "200 MW") in facts(cs)


def test_buying_the_kit_and_running_it_for_a_customer_provides():
    cs = claims_of("Sablewood Cloud's $4.2 billion contract with Amazon works like this: Sablewood buys the Nvidia "
                   "GB300 systems and runs them for Amazon at its Tulsa campus.")
    assert deals(cs) == [("Amazon", "Sablewood Cloud")]


def test_a_masthead_company_is_we():
    cs = claims_of("Sablewood Cloud / News\n\nPellow AI picks Sablewood for its next model\n\n"
                   "We're thrilled to welcome Pellow AI. Pellow, the Boston research lab behind the Quill models, "
                   "has signed a 30-month agreement to run 1,536 B300 GPUs in our Tulsa data center.")
    assert {(c.buyer, c.provider) for c in cs} <= {("Pellow AI", "Sablewood Cloud"), ("Pellow", "Sablewood Cloud"),
                                                   ("Pellow AI", "Sablewood"), ("Pellow", "Sablewood")}
    assert {c.field for c in cs} >= {"gpu_count", "gpu_type", "term_years"}


def test_an_internal_memo_masthead_is_we():
    cs = claims_of("HALDEN LABS - INTERNAL - DO NOT FORWARD\n\nMEMORANDUM\n\n"
                   "We signed a two-year order form with Sablewood Cloud on Friday for 2,048 H200 GPUs in Tulsa.")
    assert deals(cs) == [("Halden Labs", "Sablewood Cloud")]


def test_a_company_introduced_by_is_a_is_known_later():
    cs = claims_of("Sablewood Cloud / Customer stories\n\nToday Quillon trains on 4,096 H200 GPUs in our Tulsa "
                   "facility.\n\nQuillon is a 40-person AI lab founded in Oslo in 2023.\n\n"
                   "Quillon signed a three-year reserved commitment with Sablewood Cloud that started in February 2026.")
    assert deals(cs) == [("Quillon", "Sablewood Cloud")]
    assert ("Quillon", "Sablewood Cloud", "gpu_count", "4096 GPUs") in facts(cs)


def test_a_companys_own_background_section_is_its_deal():
    cs = claims_of("Pellow AI - Incident Post-Mortem\n\nSummary\n\nOur training job stalled for nine hours.\n\n"
                   "Background\n\nThe run uses the whole reserved cluster under our 2025 agreement with Sablewood "
                   "Cloud: 3,072 H200 GPUs in its Tulsa data center, on a two-year term.")
    assert deals(cs) == [("Pellow AI", "Sablewood Cloud")]
    assert ("Pellow AI", "Sablewood Cloud", "gpu_count", "3072 GPUs") in facts(cs)


def test_a_delivery_schedule_is_the_deals_ramp_once():
    cs = claims_of("Pellow AI will pay Sablewood Cloud $1.9 billion over four years for 30,000 B200 GPUs. The first "
                   "tranche goes live in March 2026, and the remaining tranches follow through the end of 2026. "
                   "Sablewood said the rest of the capacity would be phased in over 2026 as halls are completed.")
    ramps = [c for c in cs if c.field == "ramp"]
    assert len(ramps) == 1 and "first tranche" in ramps[0].value
    # a start date alone is no schedule
    cs = claims_of("Sablewood Cloud will supply Pellow AI with 8,000 B200 GPUs, with the first capacity arriving "
                   "in the second half of 2026.")
    assert not [c for c in cs if c.field == "ramp"]


def test_places_with_provinces_quarters_and_particles():
    from tracker.extract.hardware import find_locations
    assert [f.value for f in find_locations("the GPUs sit in our data center in Toronto, Ontario.")] == ["Toronto, Canada"]
    assert [f.value for f in find_locations("headquartered in Toronto")] == []  # a big city alone is a home, not a site
    assert [f.value for f in find_locations("a campus in Laverton North, Victoria")] == ["Laverton North, Australia"]
    assert [f.value for f in find_locations("the hydro-powered hall up in Mo i Rana, Norway")] == ["Mo i Rana, Norway"]


REG30 = """Sub: Intimation under Regulation 30 - receipt of orders

ORDER - I
a) Name of the entity to which the order is awarded: Narmada Cloud Infra Limited
b) Name of the entity awarding the order: Microsoft Corporation (India) Private Limited
c) Significant terms: colocation of 40 MW of IT load for 15 years.

ORDER - II
a) Name of the entity to which the order is awarded: Narmada Cloud Infra Limited
b) Name of the entity awarding the order: Vaani Labs Private Limited
c) Significant terms: 2,048 H200 GPUs as a cloud service for 3 years.
"""


def test_an_order_intimation_lists_two_labelled_orders():
    cs = claims_of(REG30, kind="filing", filer="Narmada Cloud Infra Limited")
    got = set(facts(cs))
    assert ("Microsoft", "Narmada Cloud Infra", "capacity_power", "40 MW") in got
    assert ("Microsoft", "Narmada Cloud Infra", "term_years", "15 years") in got
    assert ("Vaani Labs", "Narmada Cloud Infra", "gpu_count", "2048 GPUs") in got
    assert ("Vaani Labs", "Narmada Cloud Infra", "term_years", "3 years") in got
    assert not [c for c in cs if c.buyer == "Microsoft" and c.field == "gpu_count"]


def test_a_material_fact_concluded_with_a_subsidiary():
    cs = claims_of('Serra Fria Data Centers S.A. ("Serra Fria" or "Company") hereby informs the market that it has '
                   'concluded with Oracle do Brasil Sistemas Ltda., a subsidiary of Oracle Corporation ("Oracle"), a '
                   'Data Center Services Agreement for 60 MW.\n\nThe Agreement has a term of 12 (twelve) years.',
                   kind="filing", filer="Serra Fria Data Centers S.A.")
    assert ("Oracle", "Serra Fria Data Centers", "capacity_power", "60 MW") in facts(cs) or \
        ("Oracle", "Serra Fria", "capacity_power", "60 MW") in facts(cs)


def test_a_listed_operator_introduced_without_an_article():
    cs = claims_of("Calcul Boreal (Euronext Growth Paris - ALCBO), French operator of sovereign cloud "
                   "infrastructure, will put at the disposal of Hugging Face 1,024 H200 GPUs for 24 months.")
    assert deals(cs) == [("Hugging Face", "Calcul Boreal")]


def test_gulf_and_company_suffixes_are_not_part_of_the_name():
    from tracker.extract.companies import clean_unknown
    assert clean_unknown("Sahra Compute PJSC") == "Sahra Compute"
    assert clean_unknown("Al-Rimal Data Systems Company") == "Al-Rimal Data Systems"
    assert clean_unknown("Oman Digital Gateway SAOG") == "Oman Digital Gateway"


def test_an_unnamed_partner_able_to_supply_is_not_the_subject():
    cs = claims_of("Hinode Labs has been looking for a domestic partner able to supply large-scale computing "
                   "resources.\n\nUnder the Agreement, the Company will provide Hinode Labs with 4,096 H200 GPUs.",
                   kind="filing", filer="Kumoi Compute Co., Ltd.")
    assert deals(cs) == [("Hinode Labs", "Kumoi Compute")]


def test_a_byline_under_the_title_is_we():
    cs = claims_of("Quill-3 System Card\n\nPellow Research - August 2026\n\n2. Training\n\n"
                   "Quill-3 was trained on capacity we rent from Oracle Cloud Infrastructure: 8,192 H100 GPUs "
                   "under an agreement signed in 2024.")
    assert deals(cs) == [("Pellow Research", "Oracle")]


def test_a_papers_affiliation_is_we():
    cs = claims_of("Stable FP8 Training at Scale\n\nIlse Brandt*, Kofi Mensah*, Rui Tavares\nPellow Labs\n\n"
                   "Abstract\n\nWe train a 400B-parameter model.\n\n"
                   "Pretraining ran on 2,048 H100 GPUs rented from Lambda under a 24-month reserved-cluster contract.")
    assert deals(cs) == [("Pellow Labs", "Lambda")]


def test_a_published_label_is_no_masthead():
    cs = claims_of("Skerry Compute Oy - Benchmark Notes\n\nPublished: September 2026\n\n"
                   "The results ran on part of the 2,048-GPU H200 cluster that Quillon Labs reserves from Skerry "
                   "Compute under a two-year contract.")
    assert all("Published" not in (c.buyer, c.provider) for c in cs)


ORDER = """EXHIBIT 10.7

This Reserved Capacity Order Form (this "Order") is entered into on March 2, 2026 under the Master Terms (the "Terms") between SABLEWOOD CLOUD, INC., a Delaware corporation ("Provider"), and PELLOW LABS, INC., a Delaware corporation ("Customer").

Provider shall make available to Customer two thousand forty-eight (2,048) NVIDIA H200 GPUs for thirty-six (36) months.

After the twelfth month, Customer may terminate this Order by giving Provider not less than sixty (60) days' written notice.
"""


def test_an_order_form_opening_and_its_defined_parties():
    cs = claims_of(ORDER, kind="filing", filer="Sablewood Cloud, Inc.")
    assert deals(cs) == [("Pellow Labs", "Sablewood Cloud")]
    got = {(c.field, c.value) for c in cs}
    assert {("gpu_count", "2048 GPUs"), ("term_years", "3 years"), ("termination_notice_days", "60 days")} <= got


LICENSE = """This Data Center License Agreement (the "Agreement") dated as of May 4, 2026 is made between GRAYROCK DIGITAL HOLDINGS, INC., a Nevada corporation, acting together with its project subsidiary Grayrock Lake DC LLC ("Licensor"), and PELLOW AI LTD, a company incorporated in England ("Licensee").

Licensee shall supply, install, own and operate all computing equipment in the Licensed Space. Licensor provides power and cooling only. The Licensed Space comprises forty (40) MW of critical IT load.
"""


def test_a_licence_with_a_project_subsidiary_is_the_parents_and_its_labels_decide_roles():
    cs = claims_of(LICENSE, kind="filing", filer="Grayrock Digital Holdings, Inc.")
    assert deals(cs) == [("Pellow AI", "Grayrock Digital")]
    assert ("Pellow AI", "Grayrock Digital", "capacity_power", "40 MW") in facts(cs)


def test_same_company_strips_several_tail_words():
    from tracker.extract.companies import same_company
    assert same_company("Pinecrest Digital Infrastructure", "Pinecrest Digital")
    assert same_company("Pinecrest Digital Infrastructure", "Pinecrest")
    assert not same_company("Pinecrest Digital", "Pinecrest Compute")


def test_a_number_written_twice_in_legal_drafting():
    cs = claims_of("Sablewood Cloud shall provide Pellow Labs with four thousand ninety-six (4,096) H200 GPUs for "
                   "thirty-six (36) months.", kind="filing", filer="Sablewood Cloud, Inc.")
    got = {(c.field, c.value) for c in cs}
    assert {("gpu_count", "4096 GPUs"), ("term_years", "3 years")} <= got


def test_parties_that_have_not_agreed_have_no_deal():
    from tracker.extract.companies import find_mentions, registry
    from tracker.extract.roles import find_pairs
    s = ("Meridian Intelligence has not agreed to purchase, and Corvid Compute has not agreed to provide, any "
         "capacity or services.")
    assert find_pairs(s, find_mentions(s, None, registry()), registry(), None, []) == []


def test_a_lapsed_term_sheet_is_no_deal():
    cs = claims_of('We write on behalf of our client, Meridian Labs, Inc. ("Meridian"), regarding the Indicative Term '
                   'Sheet between Meridian and Corvid Compute for 2,048 GPUs.\n\n'
                   'Paragraph 14 of the Term Sheet provided that it would lapse if no definitive services agreement '
                   'had been signed by December 31, 2025. No definitive agreement was signed by that date.')
    assert cs == []


def test_a_list_item_headed_by_its_pair():
    cs = claims_of("2025 IN REVIEW\n\nMARCH\n2. Pellow AI-Sablewood Cloud, round one. A five-year contract worth "
                   "$1.9 billion.\n3. NOT A DEAL - Sablewood Cloud's IPO raised $1.5 billion.\n\nJUNE\n"
                   "4. Quillon Labs-Sablewood Cloud. Two 10-year leases covering 120 MW.")
    got = set(facts(cs))
    assert ("Pellow AI", "Sablewood Cloud", "payment", "$1.9B") in got
    assert ("Quillon Labs", "Sablewood Cloud", "capacity_power", "120 MW") in got
    assert not [c for c in cs if c.value == "$1.5B"]


def test_a_grid_named_data_center_operator_is_a_party():
    cs = claims_of("Cohere has agreed to rent GPU capacity from Borealis Grid, a Quebec data-center operator, under a "
                   "four-year contract worth about US$1 billion.")
    assert deals(cs) == [("Cohere", "Borealis Grid")]


def test_a_section_heading_led_by_a_company_labels_its_section():
    cs = claims_of("Microsoft's neocloud bets\n\nNebius: the big cheque\n\nNebius will supply Microsoft for $17.4 "
                   "billion over five years.\n\nSablewood Cloud: the chip count\n\nSablewood Cloud, a London start-up, "
                   "took a different route. Its October agreement with Microsoft covers roughly 90,000 GB300 chips.")
    assert ("Microsoft", "Sablewood Cloud", "gpu_count", "90000 GPUs") in facts(cs)
    assert not [c for c in cs if c.provider == "Nebius" and c.field == "gpu_count"]


def test_a_spelled_amount_with_two_scales():
    from tracker.extract.numwords import digitize
    assert digitize("approximately Thirteen Billion Five Hundred Million Dollars")[0] == "approximately 13.5 billion Dollars"
    assert digitize("two billion three hundred million")[0] == "2.3 billion"
    cs = claims_of("Pellow AI will pay Sablewood Cloud aggregate rent of approximately Thirteen Billion Five Hundred "
                   "Million Dollars ($13,500,000,000) over the term.")
    assert {c.number for c in cs if c.field == "payment"} == {13.5e9}
