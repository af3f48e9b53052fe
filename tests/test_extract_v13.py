"""Extractor v13: foundry and bitcoin-hosting deals, names introduced once and
known document-wide, shouting legal names, datelines, appositive model names,
company-blog bylines, location lists, a provider's own chip purchases, and
direction voting. New wording for each rule (not copied from any corpus
document)."""
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
    assert EXTRACTOR_VERSION >= 13


def test_a_foundry_order_is_not_a_compute_deal():
    cs = claims_of("OpenAI books wafer capacity at TSMC\n\n"
                   "OpenAI has reserved 3nm wafer output at TSMC for its first in-house accelerator, a "
                   "commitment worth about $4 billion over three years, according to two people briefed on it.")
    assert cs == []


def test_hosting_bitcoin_miners_is_not_a_compute_deal():
    cs = claims_of("Riot Platforms signed a hosting agreement with a mining pool operator to house 30,000 "
                   "bitcoin ASIC miners at its Rockdale site, a 120 MW arrangement worth $90 million a year.")
    assert cs == []


def test_an_unknown_company_named_in_the_body_is_known_in_the_title():
    cs = claims_of("Nscale selected by Orvane Robotics for training cluster\n\n"
                   "Nscale will supply 8,000 B200 GPUs to Orvane Robotics under a three-year contract "
                   "worth $520 million.")
    assert ("Orvane Robotics", "Nscale") in deals(cs)
    assert by_field(cs, "gpu_count") == [("Orvane Robotics", "Nscale", "8000 GPUs")]


def test_a_shouting_legal_name_is_the_known_company():
    cs = claims_of("This Lease is made between TERAWULF INC., a Delaware corporation (\"Landlord\"), and "
                   "FLUIDSTACK USA I INC., a Delaware corporation (\"Tenant\").\n"
                   "Tenant shall lease 40 MW of critical IT load from Landlord for a term of ten years.",
                   kind="filing")
    assert deals(cs) == [("Fluidstack", "TeraWulf")]


def test_the_dateline_town_sites_a_bare_town_data_center():
    cs = claims_of("KAJAANI, Finland -- Nebius will host 4,000 H200 GPUs for Mistral at its Kajaani data center "
                   "under a two-year contract, the companies said on Monday.")
    assert by_field(cs, "location") == [("Mistral", "Nebius", "Kajaani, Finland")]
    assert by_field(cs, "facility") == []


def test_a_dateline_alone_is_not_the_site():
    cs = claims_of("SAN FRANCISCO -- Oracle will provide OpenAI with 1.2 GW of capacity under a new contract, "
                   "the companies said on Monday.")
    assert ("OpenAI", "Oracle") in deals(cs)
    assert by_field(cs, "location") == []


def test_an_unknown_legal_name_in_capitals_and_its_defined_term():
    cs = claims_of("This Lease is made between ACME HOLDINGS LLC, a Delaware limited liability company "
                   "(\"Landlord\"), and FLUIDSTACK USA I INC., a Delaware corporation (\"Tenant\").\n"
                   "Tenant shall lease 40 MW of critical IT load from Landlord for a term of ten years.",
                   kind="filing")
    assert by_field(cs, "capacity_power") == [("Fluidstack", "Acme Holdings", "40 MW")]


def test_a_company_blog_byline_is_the_we():
    cs = claims_of("By the Nebius communications team\n\n"
                   "We are pleased to share that we will deliver 20,000 GB300 GPUs to Cursor over four years.",
                   kind="article")
    assert ("Cursor", "Nebius") in deals(cs)


def test_locations_listed_after_including():
    cs = claims_of("Crusoe will host Anthropic's clusters at several campuses, including Abilene, TX; "
                   "and Cheyenne, WY, for a combined 400 MW.")
    locs = {v for _, _, v in by_field(cs, "location")}
    assert any(v.startswith("Abilene") for v in locs)
    assert any(v.startswith("Cheyenne") for v in locs)


def test_a_provider_buying_its_own_chips_is_not_the_deals_hardware():
    cs = claims_of("CoreWeave will supply Mistral with 60 MW of capacity for five years. To serve the "
                   "contract, CoreWeave has ordered 18,000 MI355X accelerators from AMD.")
    assert ("Mistral", "CoreWeave") in deals(cs)
    assert by_field(cs, "gpu_type") == []
    assert by_field(cs, "gpu_count") == []


def test_buying_azure_capacity_is_not_buying_microsoft():
    cs = claims_of("Cohere buys Azure capacity worth $300 million a year to train its Command models.")
    assert deals(cs) == [("Cohere", "Microsoft")]


def test_a_passive_handover_without_agent_keeps_the_deal_direction():
    cs = claims_of("Meta signs with Lambda\n"
                   "Meta agreed a $900 million contract with Lambda for GPU capacity; the first pods will be "
                   "handed over in June 2027.")
    assert by_field(cs, "start") == [("Meta", "Lambda", "2027-06")]


def test_direction_follows_the_body_not_a_headline_alone():
    cs = claims_of("Lambda and Microsoft in new AI deal\n\n"
                   "Microsoft will rent tens of thousands of GPUs from Lambda under a multiyear agreement. "
                   "Lambda will deliver the capacity from its Kansas City facility. "
                   "The contract is worth several billion dollars.")
    assert deals(cs) == [("Microsoft", "Lambda")]


def test_a_town_and_state_without_a_preposition_is_a_location():
    cs = claims_of("Oracle is building 1.4 GW for OpenAI across two sites. Lordstown, Ohio, is the first to "
                   "go live, with GB200 racks already running.")
    assert ("OpenAI", "Oracle", "Lordstown, Ohio") in by_field(cs, "location")


def test_a_company_home_town_is_not_a_location():
    cs = claims_of("Lambda, a San Jose, California-based cloud, will rent 5,000 GPUs to Midjourney for two years.")
    assert by_field(cs, "location") == []


def test_a_region_with_a_modifier_and_a_province():
    cs = claims_of("Fluidstack will lease 120 MW from TeraWulf at a campus in upstate New York.")
    assert by_field(cs, "location") == [("Fluidstack", "TeraWulf", "New York")]
    cs = claims_of("IREN will host 3,000 B300 GPUs for Cohere at its data center in Mackenzie, British Columbia, "
                   "Canada, under a two-year contract.")
    assert by_field(cs, "location") == [("Cohere", "IREN", "Mackenzie, Canada")]


def test_reciprocal_deals_run_both_ways():
    cs = claims_of("Reka rents GPUs from Nscale, and Nscale rents land from Reka\n\n"
                   "Reka will pay Nscale $400 million over three years for a cluster of 10,000 H200 GPUs. "
                   "In a second deal running the other way, Nscale will be the anchor tenant at a 300 MW campus "
                   "Reka is developing in Norway.")
    assert ("Reka", "Nscale", "10000 GPUs") in by_field(cs, "gpu_count")
    assert ("Nscale", "Reka", "300 MW") in by_field(cs, "capacity_power")
    assert ("Reka", "Nscale", "300 MW") not in by_field(cs, "capacity_power")


def test_without_a_reciprocal_cue_one_deal_per_pair():
    cs = claims_of("Reka will pay Nscale $400 million over three years for a cluster of 10,000 H200 GPUs. "
                   "Nscale will be the anchor tenant's provider at a 300 MW site, and Reka will rent it from Nscale.")
    assert deals(cs) == [("Reka", "Nscale")]


def test_a_signed_letter_speaks_for_the_signers_company():
    cs = claims_of("Dear fellow shareholders,\n\n"
                   "This quarter Mistral selected us to supply 12,000 GB300 GPUs under a four-year contract.\n\n"
                   "Thank you for your support.\n\n"
                   "Arthur Example\nChief Executive Officer, Nebius")
    assert ("Mistral", "Nebius", "12000 GPUs") in by_field(cs, "gpu_count")


def test_more_ways_to_say_when_a_deal_starts():
    cs = claims_of("Vultr will supply Reka with 2,000 H200 GPUs, bringing the first racks online during 2026.")
    assert by_field(cs, "start") == [("Reka", "Vultr", "2026")]
    cs = claims_of("Applied Digital leased a 50 MW building to CoreWeave; it was placed into service in "
                   "March 2026.")
    assert by_field(cs, "start") == [("CoreWeave", "Applied Digital", "2026-03")]
    cs = claims_of("Hut 8 signed a lease with Fluidstack for 245 MW; the rent commencement date, which the "
                   "company expects to occur in the third quarter of 2027, starts a 15-year term.", kind="filing")
    assert ("Fluidstack", "Hut 8", "2027") in by_field(cs, "start")


def test_the_finer_of_two_start_dates_in_one_year():
    cs = claims_of("TeraWulf will lease 60 MW to Fluidstack. Halls are handed over during 2026, and rent "
                   "kicks in in September 2026.")
    assert by_field(cs, "start") == [("Fluidstack", "TeraWulf", "2026-09")]


def test_two_phases_keep_both_starts():
    cs = claims_of("Cipher Mining will lease 300 MW to Amazon. Rent for the first phase begins in May 2026 and "
                   "rent for the second phase begins in the fourth quarter of 2026.")
    assert {v for _, _, v in by_field(cs, "start")} == {"2026-05", "2026"}


def test_gpu_counts_in_table_cells():
    cs = claims_of("Customer | Provider | Value | GPUs\n"
                   "Microsoft | Nscale | $6bn | ~60,000 GB300\n"
                   "Meta | Lambda | $1.2bn | 9,500\n")
    counts = by_field(cs, "gpu_count")
    assert ("Microsoft", "Nscale", "60000 GPUs") in counts
    assert ("Meta", "Lambda", "9500 GPUs") in counts


def test_a_provider_fleet_total_is_not_the_deal_count():
    cs = claims_of("Nebius will supply Microsoft with 50,000 GB300 GPUs across our sites in Finland and New "
                   "Jersey, the company said. Nebius runs about 90,000 GPUs across its entire fleet.")
    assert by_field(cs, "gpu_count") == [("Microsoft", "Nebius", "50000 GPUs")]


def test_between_two_companies_is_not_other_customers():
    cs = claims_of("Reka has agreed to pay Vultr roughly $40 million a month for GPU capacity, an unusual pact "
                   "between two companies that compete for the same customers.")
    assert by_field(cs, "payment") == [("Reka", "Vultr", "$40M per month")]


def test_spending_on_a_cloud_is_the_deal_value():
    cs = claims_of("Apple agreed to spend more than $5 billion on Google Cloud over four years for TPU capacity.")
    assert [v for _, _, v in by_field(cs, "payment")] == ["$5B"]
    cs = claims_of("Apple expects to spend about $5 billion on new data centers next year, and it rents TPUs "
                   "from Google Cloud.")
    assert by_field(cs, "payment") == []


def test_contracted_revenue_over_the_term_is_the_deal_value():
    cs = claims_of("Hut 8 signed a 15-year lease with Fluidstack for 245 MW at River Bend.\n\n"
                   "Contracted base-term rent totals approximately $7.0 billion. The expansion is expected to "
                   "add approximately $900 million of revenue over its term.", kind="filing")
    vals = {v for _, _, v in by_field(cs, "payment")}
    assert "$7B" in vals and "$900M" in vals


def test_an_agreement_valued_at_is_not_a_company_valuation():
    cs = claims_of("Nebius signed a new agreement with Meta for AI infrastructure over a five-year period, "
                   "valued at approximately $3 billion.")
    assert by_field(cs, "payment") == [("Meta", "Nebius", "$3B")]
    cs = claims_of("Nebius will supply Mistral with 5,000 GPUs. Mistral, valued at $14 billion, raised money "
                   "last month.")
    assert by_field(cs, "payment") == []


def test_raising_the_contract_value_is_an_option():
    cs = claims_of("Nebius will supply Microsoft with GPU capacity worth $17.4 billion through 2031. Microsoft "
                   "may also buy additional capacity, which would raise total contract value to about $19.4 billion.")
    pays = [(c.value, c.scope) for c in cs if c.field == "payment"]
    assert ("$17.4B", None) in pays and ("$19.4B", "option") in pays


def test_sums_across_deals_are_not_a_deal_value():
    cs = claims_of("Meta will pay Nebius $3 billion over five years for GPU capacity. Add up the signed items "
                   "and you get something north of $40 billion of rented compute. Analysts estimate Meta's "
                   "commitments to such providers now exceed $50 billion.")
    assert [v for _, _, v in by_field(cs, "payment")] == ["$3B"]


def test_an_option_to_add_up_to_is_not_a_sum():
    cs = claims_of("Core42 has contracted 60 MW at TeraWulf's Lake Mariner site and holds an option to add up "
                   "to 100 MW more.")
    assert {v for _, _, v in by_field(cs, "capacity_power")} == {"60 MW", "100 MW"}


def test_takeover_offers_savings_and_market_size_are_not_deal_values():
    cs = claims_of("CoreWeave rents capacity to Poolside under a $600 million contract. CoreWeave's $9 billion "
                   "all-stock offer for Core Scientific failed; the merger would have saved it $500 million a year. "
                   "CoreWeave sees the total addressable market reaching $1 trillion by 2030.")
    assert [v for _, _, v in by_field(cs, "payment")] == ["$600M"]


def test_a_sites_own_size_is_not_the_deals():
    cs = claims_of("IREN will provide Microsoft with 200 MW of GB300 capacity at Childress under a five-year "
                   "contract. The Childress campus as a whole is 750 megawatts, and IREN says the site has room "
                   "for well over a gigawatt in later phases. Each hall is designed to support up to 40,000 GPUs.")
    assert by_field(cs, "capacity_power") == [("Microsoft", "IREN", "200 MW")]
    assert by_field(cs, "gpu_count") == []


def test_a_european_decimal_comma_in_power():
    cs = claims_of("Nscale will host Microsoft's GPUs at Sines, where Start Campus will deliver 1,2 GW to Nscale "
                   "for the Microsoft contract.")
    assert "1200 MW" in {v for _, _, v in by_field(cs, "capacity_power")}


def test_sites_named_by_appositive_nickname_or_code():
    cs = claims_of("Vultr will take 90 MW at Lakeside One, the developer's purpose-built AI campus in Iowa, "
                   "under a 12-year lease with Prime Data Centers.")
    assert ("Vultr", "Prime Data Centers", "Lakeside One") in by_field(cs, "facility")
    cs = claims_of("Lambda will lease 60 MW from Aligned at its DFW-3 data center campus in Texas.")
    assert ("Lambda", "Aligned", "DFW-3") in by_field(cs, "facility")
    cs = claims_of("Oracle is building 1.4 GW for OpenAI at the project, which its developer calls \"The Mill\".")
    assert ("OpenAI", "Oracle", "The Mill") in by_field(cs, "facility")


def test_a_site_introduced_once_is_known_where_it_recurs():
    cs = claims_of("Applied Digital is building Polaris Forge 3, the Company's newest campus in North Dakota.\n\n"
                   "CoreWeave will lease 150 MW at Polaris Forge 3 from Applied Digital for 15 years.")
    assert by_field(cs, "facility") == [("CoreWeave", "Applied Digital", "Polaris Forge 3")]


def test_a_party_taking_space_at_our_site():
    cs = claims_of("At Falcon Ridge, our site in Odessa, Texas, Fluidstack originally contracted 90 megawatts "
                   "under a ten-year agreement.", kind="filing", filer="Cipher Mining")
    assert by_field(cs, "capacity_power") == [("Fluidstack", "Cipher Mining", "90 MW")]


def test_contracted_rent_is_a_noun_not_a_verb():
    cs = claims_of("We signed our first lease with a hyperscaler: a 15-year agreement with Amazon Web Services "
                   "covering 300 megawatts, with about $5.5 billion of contracted rent over the term.",
                   kind="filing", filer="Cipher Mining")
    assert deals(cs) == [("Amazon", "Cipher Mining")]


def test_an_interview_question_names_the_counterparty():
    cs = claims_of("Q: You moved from bitcoin to Oracle in a year. What did Oracle sign?\n"
                   "A: A lease. Twelve years, about four billion dollars over the term, for 200 megawatts. "
                   "They bring their own servers - we deliver the powered shell and the power.\n"
                   "Q: And the other one?\n"
                   "A: Different deal. That's a ten-year colocation agreement with Fluidstack, roughly $2 billion "
                   "over the initial term, for around 120 megawatts.",
                   title="An interview with IREN's chief executive", filer="IREN")
    power = by_field(cs, "capacity_power")
    assert ("Oracle", "IREN", "200 MW") in power
    assert ("Fluidstack", "IREN", "120 MW") in power


def test_a_tab_separated_tracker_with_landlord_and_mw_columns():
    cs = claims_of("Miner leases\n\n"
                   "Tenant\tLandlord\tMW\tTerm\tValue\n"
                   "Fluidstack\tHut 8\t245\t15 yrs\t~$7.0bn\n"
                   "Undisclosed hyperscaler\tIREN\t200\t10 yrs\t~$2.1bn\n")
    assert deals(cs) == [("Fluidstack", "Hut 8")]
    assert by_field(cs, "capacity_power") == [("Fluidstack", "Hut 8", "245 MW")]
    assert by_field(cs, "term_years") == [("Fluidstack", "Hut 8", "15 years")]


def test_a_term_in_months():
    cs = claims_of("Bitdeer will dedicate 2,300 B200 GPUs to Character.AI for a 24-month term that begins in "
                   "January 2026.")
    assert by_field(cs, "term_years") == [("Character.AI", "Bitdeer", "2 years")]
    cs = claims_of("Sesterce will host Mistral's training runs under an 18-month contract for 600 H100 GPUs.")
    assert by_field(cs, "term_years") == [("Mistral", "Sesterce", "1.5 years")]


def test_a_legal_name_alias_from_the_table():
    cs = claims_of("Bitdeer AI signed a contract with Character Technologies, Inc. for 2,300 GPUs.", kind="filing")
    assert deals(cs) == [("Character.AI", "Bitdeer")]


def test_figures_of_other_deals_in_a_list():
    cs = claims_of("Microsoft will pay Lambda $1.5 billion over three years for GPU capacity. The Lambda agreement "
                   "adds to a list of neocloud contracts Microsoft has struck, including the IREN deal, worth "
                   "$9.7 billion, and a $17.4 billion contract with Nebius for capacity in New Jersey.")
    assert [v for _, _, v in by_field(cs, "payment")] == ["$1.5B"]
    assert by_field(cs, "location") == []


def test_unstated_corrected_and_past_figures_are_not_claims():
    cs = claims_of("Meta will rent servers from Google Cloud for six years. Whether TPUs are in the mix, nobody "
                   "will say.\n\nFor two years the knock on Google was that nobody wanted its cloud. "
                   "An earlier version of this article said the deal runs for four years.")
    assert by_field(cs, "gpu_type") == []
    assert by_field(cs, "term_years") == [("Meta", "Google", "6 years")]


def test_a_table_row_for_talks_is_not_a_deal():
    cs = claims_of("Date\tCustomer\tProvider\tStatus\tHardware\n"
                   "2025-11-25\tMeta\tGoogle\ttalks\tTPU\n"
                   "2025-10-01\tOpenAI\tOracle\tsigned\tGB200\n")
    assert deals(cs) == [("OpenAI", "Oracle")]


def test_models_the_compute_scales_or_trains():
    cs = claims_of("Anthropic has committed to buy $30 billion of Azure compute capacity to scale its Claude models.")
    assert by_field(cs, "model") == [("Anthropic", "Microsoft", "Claude")]
    cs = claims_of("Mistral will rent 18,000 GB200 GPUs from Fluidstack and plans to train future versions of "
                   "Mistral Large on them.")
    assert by_field(cs, "model") == [("Mistral", "Fluidstack", "Mistral Large")]


def test_more_ways_to_state_a_term():
    cs = claims_of("Riot Platforms leased 25 MW to AMD at Rockdale. The initial term of the lease is ten years.",
                   kind="filing")
    assert by_field(cs, "term_years") == [("AMD", "Riot Platforms", "10 years")]
    cs = claims_of("CoreWeave will provide Reflection AI with reserved capacity for a period of thirty-six (36) "
                   "months.", kind="filing")
    assert by_field(cs, "term_years") == [("Reflection AI", "CoreWeave", "3 years")]
    cs = claims_of("CRWV: Meta $14.2bn for AI compute from CoreWeave thru Dec-2031")
    assert by_field(cs, "term_end") == [("Meta", "CoreWeave", "2031-12")]


def test_a_known_party_with_a_lone_verb_pairs_with_the_other_company_named():
    cs = claims_of("Meta rents from three landlords.\n\nMeta signed a $10 billion deal with Google Cloud. "
                   "CoreWeave told investors that Meta had committed $14.2 billion for AI compute, under an order "
                   "that runs through December 2031.")
    assert ("Meta", "CoreWeave", "$14.2B") in by_field(cs, "payment")
    assert ("Meta", "CoreWeave", "2031-12") in by_field(cs, "term_end")


def test_an_order_disclosed_from_a_customer():
    cs = claims_of("Nebius disclosed a $3 billion order from Meta for AI compute that runs through 2030.")
    assert deals(cs) == [("Meta", "Nebius")]


def test_locations_in_table_cells_and_after_a_direction_word():
    cs = claims_of("Customer | Provider | Value | Site\n"
                   "Microsoft | IREN | $9.7bn | Childress, TX\n"
                   "Fluidstack | TeraWulf | $3.7bn | Lake Mariner, Barker NY\n")
    locs = by_field(cs, "location")
    assert ("Microsoft", "IREN", "Childress, Texas") in locs
    assert ("Fluidstack", "TeraWulf", "Barker, New York") in locs
    cs = claims_of("xAI will rent 200 MW to Anthropic at a former factory in south Memphis.")
    assert by_field(cs, "location") == [("Anthropic", "xAI", "Memphis, Tennessee")]


def test_the_kingdom_is_the_country_last_named():
    cs = claims_of("Humain, owned by Saudi Arabia's Public Investment Fund, will provide xAI with a 500-megawatt "
                   "data center it is building in the kingdom.")
    assert by_field(cs, "location") == [("xAI", "Humain", "Saudi Arabia")]


def test_annual_revenue_across_a_deals_leases():
    cs = claims_of("Galaxy signed three leases with CoreWeave at Helios. Across the three leases, Galaxy expects "
                   "to generate an average of roughly $1 billion of annual revenue over the initial terms.")
    pays = [(c.value, c.period, c.scope) for c in cs if c.field == "payment"]
    assert pays == [("$1B per year", "year", "cumulative")]
    cs = claims_of("IREN will rent GPUs to Microsoft. Once fully ramped, this contract should contribute around "
                   "$1.94 billion of annualized revenue.")
    assert [(c.value, c.period) for c in cs if c.field == "payment"] == [("$1.94B per year", "year")]


def test_top_ups_and_additions_are_the_deals_money():
    cs = claims_of("OpenAI signed an $11.9 billion contract with CoreWeave in March. OpenAI added up to $4 billion "
                   "more in May.\n\nThe second top-up (September): $6.5bn.")
    pays = {(c.value, c.scope) for c in cs if c.field == "payment"}
    assert ("$4B", "expansion") in pays
    assert any(v == "$6.5B" for v, _ in pays)


def test_commitments_that_had_grown_are_not_an_ipo_figure():
    cs = claims_of("CoreWeave rents GPUs to Microsoft. By the time of the IPO, Microsoft's commitments had grown "
                   "to close to $10 billion of capacity.")
    assert [v for _, _, v in by_field(cs, "payment")] == ["$10B"]


def test_own_sites_grid_power_and_earlier_estimates_are_not_the_deals():
    cs = claims_of("Meta will rent 300 MW from Oracle in Texas. Meta is building its own multi-gigawatt campuses "
                   "in Louisiana and Ohio, and Oracle's Texas site adds another two gigawatts of grid connection.")
    assert by_field(cs, "location") == [("Meta", "Oracle", "Texas")]
    assert by_field(cs, "capacity_power") == [("Meta", "Oracle", "300 MW")]
    cs = claims_of("Nebius will supply Meta with GPUs under a $3 billion contract. Nebius raised its capital "
                   "spending estimate to about $5 billion from roughly $2 billion. Nebius had reported $500 million "
                   "of revenue for its fiscal year under the contract's predecessor.")
    assert [v for _, _, v in by_field(cs, "payment")] == ["$3B"]


def test_feed_shorthand():
    cs = claims_of("🚨 CoreWeave x Meta: $14.2B AI compute deal thru Dec 2031 $CRWV")
    assert by_field(cs, "payment") == [("Meta", "CoreWeave", "$14.2B")]
    cs = claims_of("Nebius lands Microsoft: $17.4bn / 5 yrs for GPU capacity. Big.")
    assert by_field(cs, "term_years") == [("Microsoft", "Nebius", "5 years")]
    cs = claims_of("BREAKING: Anthropic to rent 40k GB300s from Nscale, ~$3bn, 3y term")
    assert by_field(cs, "term_years") == [("Anthropic", "Nscale", "3 years")]


def test_dates_with_a_day_first_and_short_month_terms():
    cs = claims_of("Nscale will supply Microsoft with 52,000 GB300 GPUs in Narvik from 1 March 2026.")
    assert by_field(cs, "start") == [("Microsoft", "Nscale", "2026-03")]
    cs = claims_of("Yotta will provide Sarvam AI with 4,096 H100 GPUs for six months.")
    assert by_field(cs, "term_years") == [("Sarvam AI", "Yotta", "0.5 years")]
    cs = claims_of("Riot will lease 25 MW to AMD. Riot has been marketing its Corsicana site for eighteen months.")
    assert by_field(cs, "term_years") == []


def test_expanding_use_of_a_cloud_and_another_companys_chips():
    cs = claims_of("Today we are announcing that Anthropic plans to expand its use of Google Cloud technologies, "
                   "including access to as many as one million TPUs. We use three chip platforms: Google's TPUs, "
                   "Amazon's Trainium and Nvidia's GPUs.")
    assert ("Anthropic", "Google", "1000000 GPUs") in by_field(cs, "gpu_count")
    assert {v for _, _, v in by_field(cs, "gpu_type")} == {"TPU"}


def test_a_lab_deploying_a_vendors_gpus_by_the_gigawatt():
    cs = claims_of("On October 5, 2025, AMD and OpenAI entered into a Master Agreement, under which OpenAI has "
                   "agreed to deploy AMD Instinct GPUs across multiple product generations, with an aggregate "
                   "target of six gigawatts.\n\nThe Warrant vests in tranches, starting with the first gigawatt, "
                   "as described in Section 4(a)(2).", kind="filing", filer="AMD")
    assert deals(cs) == [("OpenAI", "AMD")]
    assert by_field(cs, "capacity_power") == [("OpenAI", "AMD", "6000 MW")]


def test_facility_names_used_as_modifiers_or_short_names():
    cs = claims_of("Amazon will supply Anthropic with Trainium2 capacity at Rainier, its Indiana cluster.")
    assert by_field(cs, "facility") == [("Anthropic", "Amazon", "Project Rainier")]
    cs = claims_of("Amazon will supply Anthropic with capacity at a second Rainier-style campus. Microsoft's 200 MW "
                   "block from IREN is modest by Stargate standards.")
    assert by_field(cs, "facility") == []


def test_a_deal_that_takes_the_whole_site_has_its_size():
    cs = claims_of("xAI will use a 500-megawatt data center that Humain is building in Saudi Arabia.")
    assert by_field(cs, "capacity_power") == [("xAI", "Humain", "500 MW")]
    cs = claims_of("Humain will provide xAI with capacity at its 1-gigawatt campus under a new contract.")
    assert by_field(cs, "capacity_power") == []


def test_not_deals_hardware_price_lists_loi_expiry_rumours_and_lists():
    assert claims_of("Sesterce is re-equipping its 40 MW Marseille building with Nvidia Blackwell servers bought "
                     "through Dell and Supermicro.") == []
    assert claims_of("Selected list prices\n- Lambda: H100 on-demand at $2.99/hour.\n"
                     "- Nebius: H200 at $3.50/hour on-demand; reserved pricing on request.") == []
    assert claims_of("Granite Peak Digital Provides Update; Letter of Intent with Perplexity Expires Without "
                     "Definitive Agreement\n\nThe letter of intent contemplated that Perplexity would lease 50 MW "
                     "for seven years for about $800 million.") == []
    assert claims_of("The reporting says Meta might rent TPU capacity from Google Cloud next year.") == []
    assert claims_of("Microsoft, Amazon Web Services, Google and Oracle all operate cloud regions in the state, "
                     "and together they run 300 MW of capacity for customers.") == []
    assert claims_of("- Alphabet expects to bring more than 1 GW of new capacity online for its own services "
                     "during the year.\n- Amazon will spend $100 billion on data centers.") == []


def test_a_new_company_is_recorded_under_the_short_name_it_chooses():
    cs = claims_of('SKIEN, Norway -- Fjellstad Data Holdings Ltd. (Oslo: FJD) ("Fjellstad") today announced that '
                   'Mistral will lease 40 MW from Fjellstad Data Holdings at its Porsgrunn campus for seven years.')
    assert deals(cs) == [("Mistral", "Fjellstad")]
    cs = claims_of("Mistral will lease 40 MW from Boreal Digital Holdings, Inc. for seven years.")
    assert deals(cs) == [("Mistral", "Boreal Digital")]


def test_new_companies_named_as_labs_clouds_and_by_possessive():
    cs = claims_of("Kestrel AI Commits $412 Million to Dedicated Lambda Cluster\n\n"
                   "Kestrel AI, the research lab behind the Kestrel models, will rent 8,192 B200 GPUs from Lambda.")
    assert ("Kestrel AI", "Lambda", "8192 GPUs") in by_field(cs, "gpu_count")
    cs = claims_of("Thornbury Digital, a listed developer, has a new tenant. Crusoe will lease 120 MW at "
                   "Thornbury's Cold Creek campus.")
    assert by_field(cs, "capacity_power") == [("Crusoe", "Thornbury Digital", "120 MW")]
    cs = claims_of("Upstage rents 1,024 B200 GPUs from KT Cloud. Upstage has signed a three-year contract with "
                   "KT Cloud, as the country's programme pushes developers to secure their own compute.")
    assert deals(cs) == [("Upstage", "KT Cloud")]


def test_forecasts_and_fit_out_costs_are_not_deal_terms():
    cs = claims_of("Crusoe will lease 120 MW from Thornbury Digital for 15 years.\n"
                   "- Stabilised EBITDA of ~US$190M from 2029E.\n"
                   "Thornbury will fund the fit-out, which it estimates at approximately US$1.05 billion.")
    assert by_field(cs, "start") == [] and by_field(cs, "payment") == []


def test_quoted_or_undisclosed_parties_in_tables_and_telekom():
    cs = claims_of("Customer | Provider | MW | Value\n"
                   "\"Frontier lab\" (undisclosed) | WhiteFiber | 40 | ~$865M\n"
                   "Cohere | WhiteFiber | 20 | ~$300M\n")
    assert deals(cs) == [("Cohere", "WhiteFiber")]
    cs = claims_of("Black Forest Labs has signed a contract with Deutsche Telekom for around 1,200 Nvidia B200 GPUs.")
    assert deals(cs) == [("Black Forest Labs", "Deutsche Telekom")]


def test_an_analysts_own_estimates_and_company_quarters_are_not_deal_figures():
    cs = claims_of("Anthropic will rent up to one million TPUs from Google. We use $50B over the life of the "
                   "contract for modelling purposes. Google's cloud unit posted ~$15B in quarterly revenue. "
                   "Google puts the deal at tens of billions of dollars, which matches our back-of-envelope of $40B.")
    assert [v for _, _, v in by_field(cs, "payment")] == ["tens of billions of dollars"]
    cs = claims_of("Meta will pay CoreWeave $14.2B for AI compute capacity through 2031. "
                   "We assume the contract is recognised evenly. "
                   "Spread over six years, that works out to about $2.4B a year.")
    assert ("Meta", "CoreWeave", "$2.4B per year") in by_field(cs, "payment")


def test_rumours_unit_costs_and_portfolios():
    cs = claims_of("Fluidstack leases 200 MW from Cipher Mining. Word is another hyperscaler is shopping for 500MW "
                   "in the Midwest. That is in line with the ~$1.7-2.0M/MW we see elsewhere. Cipher also flagged "
                   "3.2GW of sites it is developing across Texas.")
    assert by_field(cs, "capacity_power") == [("Fluidstack", "Cipher Mining", "200 MW")]
    assert by_field(cs, "payment") == []
