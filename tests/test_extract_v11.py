"""Extractor v11: roles in lease and hosting language, one-sided tables and
company background. New wording for each rule (not copied from any corpus
document)."""
from __future__ import annotations

from tracker.extract import EXTRACTOR_VERSION, extract_claims
from tracker.models import Document


def claims_of(text: str, title: str | None = None):
    return extract_claims(Document(url="test:", source="test", kind="article", text=text, title=title))


def by_field(cs, field):
    return sorted((c.buyer, c.provider, c.value) for c in cs if c.field == field)


def deals(cs):
    return sorted({(c.buyer, c.provider) for c in cs})


def test_version_bumped():
    assert EXTRACTOR_VERSION >= 11


def test_host_ranks_below_a_gpu_cloud_and_based_is_not_a_name():
    cs = claims_of("Cipher Mining said on Monday it had signed a 12-year hosting agreement with "
                   "Denver-based GPU cloud Fluidstack for 150 megawatts of critical IT load.")
    assert deals(cs) == [("Fluidstack", "Cipher Mining")]
    assert by_field(cs, "capacity_power") == [("Fluidstack", "Cipher Mining", "150 MW")]


def test_possessive_deal_subject_leaves_roles_to_the_companies():
    cs = claims_of("Anthropic's expanded arrangement with Google Cloud gives it about 300,000 TPUs "
                   "for training, the companies said.")
    assert deals(cs) == [("Anthropic", "Google")]


def test_lessee_takes_megawatts_at_the_landlords_campus():
    cs = claims_of("CoreWeave will lease a further 90 MW of critical IT load at Galaxy's campus in "
                   "Dickens County, Texas, under a 15-year term.")
    assert by_field(cs, "capacity_power") == [("CoreWeave", "Galaxy Digital", "90 MW")]


def test_to_lease_the_full_campus_makes_the_lessee_the_buyer():
    cs = claims_of("Crusoe starts phase three in Wyoming\n"
                   "Crusoe will build six more GPU buildings on the site. Oracle agreed to lease the entire "
                   "campus under a 15-year agreement.")
    assert ("Oracle", "Crusoe") in deals(cs)
    assert by_field(cs, "term_years") == [("Oracle", "Crusoe", "15 years")]


def test_power_as_a_noun_is_not_a_supply_verb():
    cs = claims_of("CoreWeave leases 80 MW at Applied Digital's campus in Ellendale, North Dakota.\n"
                   "\"CoreWeave's speed shows how scarce power has become for Applied Digital,\" an analyst said.")
    assert deals(cs) == [("CoreWeave", "Applied Digital")]


def test_one_sided_table_takes_the_buyer_from_the_text_before_it():
    cs = claims_of("Meta's rented capacity\n"
                   "Meta has signed two cloud contracts this year. Both are listed below.\n"
                   "\n"
                   "Provider | Contract value | Term\n"
                   "Nebius | $3bn | 5 years\n"
                   "CoreWeave | $14.2bn | 6 years\n")
    assert by_field(cs, "payment") == [("Meta", "CoreWeave", "$14.2B"), ("Meta", "Nebius", "$3B")]
    assert by_field(cs, "term_years") == [("Meta", "CoreWeave", "6 years"), ("Meta", "Nebius", "5 years")]


def test_pay_it_refers_to_the_company_named_first():
    cs = claims_of("Nebius said Microsoft will pay it $3.1 billion over four years for access to "
                   "GPU capacity in New Jersey.")
    assert by_field(cs, "payment") == [("Microsoft", "Nebius", "$3.1B")]


def test_running_tab_at_a_cloud():
    cs = claims_of("Compute notes\n"
                   "Anthropic's running tab at Fluidstack now stands at about $5 billion of GPU capacity, "
                   "a cloud executive said.")
    assert by_field(cs, "payment") == [("Anthropic", "Fluidstack", "$5B")]


def test_campus_totals_and_company_plans_are_not_deal_figures():
    cs = claims_of("IREN signs Microsoft GPU contract\n"
                   "Microsoft will pay IREN $9.7 billion over five years for GPU capacity at Childress, Texas.\n"
                   "The Childress campus has 750 megawatts of grid capacity in total. "
                   "IREN aims to operate 3 gigawatts of capacity by 2028.")
    assert by_field(cs, "capacity_power") == []
    assert by_field(cs, "payment") == [("Microsoft", "IREN", "$9.7B")]


def test_another_deal_recalled_with_also_gives_no_figures():
    cs = claims_of("Oracle and Meta sign cloud deal\n"
                   "Meta agreed to pay Oracle $20 billion for cloud computing capacity over several years.\n"
                   "Meta has also signed a $2 billion agreement with Lambda for GPUs.")
    assert ("Meta", "Lambda") not in {(c.buyer, c.provider) for c in cs if c.field == "payment"}
    assert by_field(cs, "payment") == [("Meta", "Oracle", "$20B")]


def test_an_arrangement_being_discussed_is_talks():
    cs = claims_of("Meta weighs renting TPUs\n"
                   "Under the arrangement being discussed, Meta would rent TPU capacity from Google Cloud from 2027. "
                   "No agreement has been signed.")
    assert cs == []


def test_financier_is_never_a_party():
    cs = claims_of("Crusoe builds in Texas\n"
                   "Crusoe is developing the 200 MW GPU campus in partnership with Blue Owl Capital.")
    assert all("Blue Owl" not in (c.buyer, c.provider) for c in cs)


def test_numbered_buildings_are_one_facility():
    cs = claims_of("Microsoft will pay IREN $9.7 billion for GPU capacity to be installed in Horizon 1 through 4 "
                   "at its campus in Childress, Texas.")
    assert by_field(cs, "facility") == [("Microsoft", "IREN", "Horizon")]


def test_headline_figure_repeated_with_a_place_is_not_a_site_figure():
    cs = claims_of("IREN inks $9.7 billion GPU contract with Microsoft\n"
                   "Microsoft will pay IREN $9.7 billion for GB300 capacity in Childress, Texas. "
                   "IREN will also use its Sweetwater, Texas site for the contract.")
    pay = [c for c in cs if c.field == "payment"]
    assert [(c.value, c.scope) for c in pay] == [("$9.7B", None)]
