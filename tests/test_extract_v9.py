"""Extractor v9: ordinary news with rich context. Company background, analyst
commentary, other deals recalled, spending plans and borrowing are not the
deal's figures. New wording for each rule (not copied from any corpus document)."""
from __future__ import annotations

from tracker.extract import EXTRACTOR_VERSION, extract_claims
from tracker.models import Document


def claims_of(text: str, title: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind="article", text=text, title=title))


def by_field(cs, field):
    return sorted((c.buyer, c.provider, c.value) for c in cs if c.field == field)


def test_version_bumped():
    assert EXTRACTOR_VERSION >= 9


def test_appositive_verb_does_not_reverse_roles():
    cs = claims_of("Mistral rents GPUs from Fluidstack\n"
                   "Mistral, a developer building open models for European companies, will pay Fluidstack "
                   "$900 million over two years for cloud capacity.")
    assert by_field(cs, "payment") == [("Mistral", "Fluidstack", "$900M")]


def test_company_spending_plan_is_not_a_deal_figure():
    cs = claims_of("Anthropic signs compute deal with Google\n"
                   "Anthropic agreed to pay Google $3 billion for TPU capacity over four years.\n"
                   "Google is set to spend roughly $85 billion on data centers and servers this year.")
    assert by_field(cs, "payment") == [("Anthropic", "Google", "$3B")]


def test_borrowed_money_is_not_a_deal_figure():
    cs = claims_of("Nebius to supply GPU capacity to Microsoft\n"
                   "Microsoft will pay Nebius $5 billion for GPU capacity.\n"
                   "To pay for the chips, Nebius has borrowed about $2 billion from a group of banks for its cloud build.")
    assert by_field(cs, "payment") == [("Microsoft", "Nebius", "$5B")]


def test_earlier_value_of_a_metric_is_not_a_payment():
    cs = claims_of("OpenAI rents capacity from CoreWeave\n"
                   "OpenAI will pay CoreWeave $2 billion for GPU capacity over three years.\n"
                   "CoreWeave said its cloud revenue reached $1.4 billion, up from $580 million a year earlier.")
    assert by_field(cs, "payment") == [("OpenAI", "CoreWeave", "$2B")]


def test_company_background_paragraph_gives_no_figures():
    cs = claims_of("Meta to use Nscale GPUs\n"
                   "Meta signed a contract to rent Nvidia GB300 chips from Nscale in Narvik, Norway.\n"
                   "Nscale, which started as a spinout of a bitcoin miner, raised $1.1 billion in September. "
                   "It runs data centers in Glomfjord, Norway, and plans 300 megawatts of capacity in Portugal.")
    assert by_field(cs, "location") == [("Meta", "Nscale", "Narvik, Norway")]
    assert by_field(cs, "capacity_power") == []


def test_analyst_commentary_paragraph_gives_no_figures():
    cs = claims_of("xAI leases capacity from Oracle\n"
                   "xAI agreed to pay Oracle $4 billion for cloud capacity over three years.\n"
                   "\"Labs are signing whatever they can get,\" said Jo Park, an analyst at Evercore. "
                   "\"We believe xAI has committed more than $25 billion to cloud providers.\"")
    assert by_field(cs, "payment") == [("xAI", "Oracle", "$4B")]


def test_other_deal_recalled_with_past_date_is_background():
    cs = claims_of("Together AI signs GPU deal with Lambda\n"
                   "Together AI will pay Lambda $300 million over two years for H200 capacity.\n"
                   "In March, Microsoft signed a $6 billion contract with Nebius for GPU capacity in New Jersey.")
    assert {(c.buyer, c.provider) for c in cs} == {("Together AI", "Lambda")}


def test_spending_roundup_without_a_deal_headline_gives_no_claims():
    cs = claims_of("Cloud giants keep the AI building boom going\n"
                   "Microsoft said capital expenditures would top $90 billion next year.\n"
                   "Alphabet expects to spend as much as $95 billion, and Amazon said it spent $32 billion in the quarter.\n"
                   "Oracle's cloud unit serves OpenAI from a 1.2 gigawatt campus in Abilene, Texas, which runs Nvidia GB200 chips.")
    assert cs == []


def test_spending_context_does_not_hide_a_headline_deal():
    cs = claims_of("Microsoft signs $2 billion GPU contract with Lambda\n"
                   "Microsoft will pay Lambda $2 billion for GPU capacity over three years.\n"
                   "Microsoft's capital expenditures reached $35 billion in the quarter; Alphabet expects to spend $91 billion "
                   "and Amazon will spend $125 billion this year.")
    assert by_field(cs, "payment") == [("Microsoft", "Lambda", "$2B")]


def test_talks_that_ended_without_agreement_give_no_claims():
    cs = claims_of("Meta and Oracle end cloud talks\n"
                   "Meta had been negotiating to rent 1 gigawatt of cloud capacity from Oracle for about $20 billion.\n"
                   "Oracle's cloud would have hosted Nvidia GB300 chips for Meta in Abilene, Texas.\n"
                   "The talks ended last week without an agreement, according to a person familiar with the matter.")
    assert cs == []


def test_financing_headline_story_gives_no_claims():
    cs = claims_of("Applied Digital raises $1.5 billion of notes for North Dakota campus\n"
                   "Applied Digital sold $1.5 billion of senior secured notes to fund its Polaris Forge campus in Ellendale, North Dakota.\n"
                   "The 400 megawatt campus is leased to CoreWeave, which will run Nvidia GB300 chips there for 15 years.")
    assert cs == []


def test_deal_headline_with_financing_keeps_the_deal():
    cs = claims_of("Nebius signs $3 billion GPU deal with Meta, plans notes sale\n"
                   "Meta will pay Nebius $3 billion over five years for GPU capacity.\n"
                   "Nebius also plans to sell $1 billion of convertible notes.")
    assert by_field(cs, "payment") == [("Meta", "Nebius", "$3B")]


def test_company_introduced_by_an_earlier_project_is_background():
    cs = claims_of("Poolside to rent H200 GPUs from Vultr\n"
                   "Poolside will pay Vultr $200 million over two years for H200 capacity in Atlanta, Georgia.\n"
                   "Vultr made its name hosting a 50 megawatt cluster in Chicago, Illinois, that Microsoft uses for OpenAI.")
    assert {(c.buyer, c.provider) for c in cs} == {("Poolside", "Vultr")}
    assert by_field(cs, "location") == [("Poolside", "Vultr", "Atlanta, Georgia")]


def test_recalled_deal_without_two_company_headline():
    cs = claims_of("GPU cloud lands a new customer\n"
                   "Together AI will pay Lambda $300 million over two years for H200 capacity.\n"
                   "Last year Microsoft signed a $6 billion contract with Nebius for 300 megawatts of GPU capacity.")
    assert {(c.buyer, c.provider) for c in cs} == {("Together AI", "Lambda")}


def test_other_relation_in_background_paragraph_is_not_the_deal():
    cs = claims_of("OpenAI leases Applied Digital capacity\n"
                   "OpenAI signed a lease for 100 megawatts of GPU capacity at Applied Digital's campus in Harwood, North Dakota.\n"
                   "OpenAI, which was valued at $500 billion in October, also buys computing power from Microsoft and Oracle.\n"
                   "The Harwood site draws its power from a nearby wind farm.")
    assert {(c.buyer, c.provider) for c in cs} == {("OpenAI", "Applied Digital")}


def test_town_named_after_a_state_is_not_the_state():
    cs = claims_of("Lambda signs lease with Hut 8\n"
                   "Lambda will lease 50 megawatts of GPU capacity from Hut 8 at the Kansas City campus.")
    assert by_field(cs, "location") == []


def test_handover_date_is_a_start():
    cs = claims_of("Meta takes data-center capacity from Nebius\n"
                   "Meta signed a $2 billion contract with Nebius for GPU capacity; the first halls will be handed over in March 2027.")
    assert by_field(cs, "start") == [("Meta", "Nebius", "2027-03")]


def test_raised_without_money_is_not_company_background():
    cs = claims_of("Nebius expands Microsoft capacity\n"
                   "Nebius will provide Microsoft with GPU capacity in Vineland, New Jersey.\n"
                   "The companies raised the planned size of the cluster to 300 megawatts.")
    assert by_field(cs, "capacity_power") == [("Microsoft", "Nebius", "300 MW")]
