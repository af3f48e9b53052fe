"""Pure conflict rules: tracker.conflicts.find_conflicts on hand-made claims."""
from __future__ import annotations

import itertools

import pytest

from tracker.compare import generalises, names_compatible, number_interval
from tracker.conflicts import find_conflicts, format_value
from tracker.models import Claim

_ids = itertools.count(1)

SOURCES = {1: ("Outlet A", "2025-07-03"), 2: ("Outlet B", "2025-09-10"), 3: ("Outlet C", "2025-10-01"),
           4: ("Outlet D", "2025-11-01"), 9: ("sec", "2025-08-01")}


def c(field, value, doc=1, number=None, period=None, approx=False, min=None, max=None,
      scope=None, quote="", unit=None, kind=None):
    src, date = SOURCES.get(doc, (f"Outlet {doc}", "2025-12-01"))
    return Claim(id=next(_ids), deal_id=7, document_id=doc, field=field, value=value,
                 quote=quote or value, number=number, unit=unit, period=period, approx=approx,
                 min=min, max=max, scope=scope, doc_kind=kind or ("filing" if doc == 9 else "article"),
                 doc_source=src, doc_url=f"https://example.com/{doc}", doc_date=date)


def pay(value, number, period, doc=1, **kw):
    return c("payment", value, doc, number=number, period=period, **kw)


def fields(claims):
    return [(f.field, f.key) for f in find_conflicts(claims)]


# ---------------------------------------------------------------- payments

def test_month_and_year_agree():
    assert find_conflicts([pay("$1.25B per month", 1.25e9, "month", 1),
                           pay("$15B per year", 15e9, "year", 2)]) == []


def test_rate_vs_total_over_stated_term_conflicts_with_summary():
    a = pay("$12B per year", 12e9, "year", 1)
    b = pay("$90B over 5 years", 90e9, "total", 2)
    (f,) = find_conflicts([a, b])
    assert f.field == "payment" and f.key == ""
    assert sorted(f.claim_ids) == sorted([a.id, b.id])
    assert f.summary == ("payment: $12B/year (Outlet A, 2025-07-03) vs "
                         "$90B over 5 years = $18B/year (Outlet B, 2025-09-10)")


def test_total_vs_rate_uses_term_years_claim():
    claims = [pay("$12B per year", 12e9, "year", 1), pay("$90B", 90e9, "total", 2),
              c("term_years", "5 years", 2, number=5)]
    assert fields(claims) == [("payment", "")]


def test_total_vs_rate_agrees_over_term():
    claims = [pay("$12B per year", 12e9, "year", 1), pay("$60B", 60e9, "total", 2),
              c("term_years", "5 years", 3, number=5)]
    assert find_conflicts(claims) == []


def test_total_vs_rate_without_term_not_flagged():
    assert find_conflicts([pay("$12B per year", 12e9, "year", 1),
                           pay("$90B", 90e9, "total", 2)]) == []


def test_total_through_end_date_consistent_with_monthly_rate_with_ramp():
    claims = [
        pay("$1.25B per month", 1.25e9, "month", 1), c("start", "2026-05", 1),
        pay("more than $40B", 40e9, "total", 2, min=40e9), c("term_end", "2029-05", 2),
    ]
    assert find_conflicts(claims) == []
    # an exact $40B total (36 months at $1.25B = $45B) is within the ramp allowance
    claims[2] = pay("$40B", 40e9, "total", 2)
    assert find_conflicts(claims) == []
    claims[2] = pay("$25B", 25e9, "total", 2)
    assert fields(claims) == [("payment", "")]


def test_different_totals_conflict_and_rounding_agrees():
    assert fields([pay("$10B", 10e9, "total", 1), pay("$14.2B", 14.2e9, "total", 2)]) == [("payment", "")]
    assert find_conflicts([pay("$17B", 17e9, "total", 1), pay("$17.4B", 17.4e9, "total", 2)]) == []
    assert find_conflicts([pay("$14.2B", 14.2e9, "total", 1), pay("$14.2B", 14.2e9, "total", 2)]) == []


def test_approx_tolerance():
    assert find_conflicts([pay("about $10B", 10e9, "total", 1, approx=True),
                           pay("$11B", 11e9, "total", 2)]) == []
    assert fields([pay("about $10B", 10e9, "total", 1, approx=True),
                   pay("$13B", 13e9, "total", 2)]) == [("payment", "")]


def test_vague_magnitude_is_a_wide_interval():
    assert find_conflicts([pay("tens of billions of dollars", 1e10, "total", 1, approx=True),
                           pay("$38B", 38e9, "total", 2)]) == []
    assert fields([pay("tens of billions of dollars", 1e10, "total", 1, approx=True),
                   pay("$300B", 300e9, "total", 2)]) == [("payment", "")]


def test_more_than_and_up_to():
    assert find_conflicts([pay("more than $40B", 40e9, "total", 1, min=40e9),
                           pay("$45B", 45e9, "total", 2)]) == []
    assert fields([pay("more than $40B", 40e9, "total", 1, min=40e9),
                   pay("$30B", 30e9, "total", 2)]) == [("payment", "")]
    assert find_conflicts([pay("up to $6.5B", 6.5e9, "total", 1, max=6.5e9),
                           pay("$6B", 6e9, "total", 2)]) == []
    assert fields([pay("up to $6.5B", 6.5e9, "total", 1, max=6.5e9),
                   pay("$9B", 9e9, "total", 2)]) == [("payment", "")]


def test_range_overlap():
    assert find_conflicts([pay("$5B-$7B", 6e9, "total", 1, min=5e9, max=7e9),
                           pay("$6.8B", 6.8e9, "total", 2)]) == []
    assert fields([pay("$5B-$7B", 6e9, "total", 1, min=5e9, max=7e9),
                   pay("$10B", 10e9, "total", 2)]) == [("payment", "")]


def test_qualifier_in_value_text_without_min():
    assert find_conflicts([pay("more than $40B", 40e9, "total", 1),
                           pay("$50B", 50e9, "total", 2)]) == []


# ---------------------------------------------------------------- scope

def test_initial_and_after_expansions_agree():
    assert find_conflicts([pay("$5B", 5e9, "total", 1, scope="initial"),
                           pay("$9B", 9e9, "total", 2, scope="cumulative")]) == []
    assert find_conflicts([pay("$5B", 5e9, "total", 1, scope="initial"),
                           pay("$9B", 9e9, "total", 2)]) == []


def test_site_vs_whole_deal_agree():
    assert find_conflicts([c("capacity_power", "600 MW", 1, number=600, scope="site"),
                           c("capacity_power", "2000 MW", 2, number=2000)]) == []


def test_same_site_different_counts_conflict():
    claims = [c("location", "Abilene, Texas", 1, scope="site"),
              c("gpu_count", "40000 GPUs", 1, number=40000, scope="site", quote="40,000 GPUs at the Abilene site"),
              c("gpu_count", "45000 GPUs", 2, number=45000, scope="site", quote="Abilene will house 45,000 GPUs")]
    (f,) = find_conflicts(claims)
    assert f.field == "gpu_count" and f.key == "site:abilene"


def test_single_known_site_counts_conflict_without_name_in_quote():
    claims = [c("location", "Abilene, Texas", 1, scope="site"),
              c("gpu_count", "40000 GPUs", 1, number=40000, scope="site", quote="40,000 GPUs at the site"),
              c("gpu_count", "45000 GPUs", 2, number=45000, scope="site", quote="45,000 GPUs at the campus")]
    assert fields(claims) == [("gpu_count", "site:abilene")]


def test_different_sites_do_not_conflict():
    claims = [c("location", "Barstow, Texas", 1, scope="site"), c("location", "Sines, Portugal", 1, scope="site"),
              c("gpu_count", "104000 GPUs", 1, number=104000, scope="site", quote="104,000 GPUs in Barstow, Texas"),
              c("gpu_count", "12600 GPUs", 2, number=12600, scope="site", quote="12,600 GPUs to Sines, Portugal")]
    assert find_conflicts(claims) == []


def test_unidentified_expansions_not_compared():
    assert find_conflicts([pay("$4B", 4e9, "total", 1, scope="expansion"),
                           pay("$6.5B", 6.5e9, "total", 2, scope="expansion")]) == []


def test_phase_numbers_identify_parts():
    claims = [c("capacity_power", "200 MW", 1, number=200, scope="phase", quote="The first phase of 200 MW"),
              c("capacity_power", "300 MW", 2, number=300, scope="phase", quote="Phase 1 will provide 300 MW"),
              c("capacity_power", "800 MW", 2, number=800, scope="phase", quote="phase 2 adds 800 MW")]
    assert fields(claims) == [("capacity_power", "phase:phase 1")]


def test_same_scope_initial_conflicts():
    assert fields([pay("$11.9B", 11.9e9, "total", 1, scope="initial"),
                   pay("$9B", 9e9, "total", 2, scope="initial")]) == [("payment", "initial")]


def test_whole_deal_figure_matching_another_sources_part_is_not_a_rival():
    claims = [pay("$11.9B", 11.9e9, "total", 1),
              pay("$22.4B", 22.4e9, "total", 2), pay("$11.9B", 11.9e9, "total", 2, scope="initial")]
    assert find_conflicts(claims) == []


def test_cumulative_may_grow_over_time():
    assert find_conflicts([pay("$15.9B", 15.9e9, "total", 1, scope="cumulative"),
                           pay("$22.4B", 22.4e9, "total", 2, scope="cumulative")]) == []
    assert fields([pay("$22.4B", 22.4e9, "total", 1, scope="cumulative"),
                   pay("$15.9B", 15.9e9, "total", 2, scope="cumulative")]) == [("payment", "cumulative")]


# ---------------------------------------------------------------- same document

def test_same_document_rate_and_total_consistent():
    assert find_conflicts([pay("$1.25B per month", 1.25e9, "month", 1),
                           pay("more than $40B", 40e9, "total", 1, min=40e9)]) == []


def test_same_document_close_figures_not_flagged():
    assert find_conflicts([pay("$11.9B", 11.9e9, "total", 1), pay("$22.4B", 22.4e9, "total", 1)]) == []


def test_same_document_clear_contradiction_flagged():
    assert fields([pay("$10B", 10e9, "total", 1), pay("$100B", 100e9, "total", 1)]) == [("payment", "")]


def test_same_document_sets_and_dates_never_conflict():
    assert find_conflicts([c("gpu_type", "H100", 1), c("gpu_type", "GB200", 1),
                           c("start", "2026", 1), c("start", "2027", 1)]) == []


# ---------------------------------------------------------------- numbers in units

def test_capacity_in_mw_and_gw():
    assert find_conflicts([c("capacity_power", "1 GW", 1, number=1, unit="GW"),
                           c("capacity_power", "1000 MW", 2, number=1000, unit="MW")]) == []
    assert fields([c("capacity_power", "300 MW", 1, number=300),
                   c("capacity_power", "500 MW", 2, number=500)]) == [("capacity_power", "")]


def test_gpu_counts_and_notice():
    assert fields([c("gpu_count", "40000 GPUs", 1, number=40000),
                   c("gpu_count", "45000 GPUs", 2, number=45000)]) == [("gpu_count", "")]
    assert find_conflicts([c("gpu_count", "about 200000 GPUs", 1, number=200000, approx=True),
                           c("gpu_count", "190000 GPUs", 2, number=190000)]) == []
    assert fields([c("termination_notice_days", "90 days", 1, number=90),
                   c("termination_notice_days", "30 days", 2, number=30)]) == [("termination_notice_days", "")]
    assert find_conflicts([c("termination_notice_days", "3 months", 1, number=3, unit="months"),
                           c("termination_notice_days", "90 days", 2, number=90)]) == []


def test_term_years():
    assert find_conflicts([c("term_years", "5 years", 1, number=5),
                           c("term_years", "about 5 years", 2, number=5, approx=True)]) == []
    assert fields([c("term_years", "5 years", 1, number=5),
                   c("term_years", "7 years", 2, number=7)]) == [("term_years", "")]


# ---------------------------------------------------------------- dates

def test_dates_at_precision():
    assert find_conflicts([c("term_end", "2029", 1), c("term_end", "2029-05", 2)]) == []
    assert fields([c("term_end", "2029-05", 1), c("term_end", "2031", 2)]) == [("term_end", "")]
    assert fields([c("start", "2026-03", 1), c("start", "2026-09", 2)]) == [("start", "")]


# ---------------------------------------------------------------- sets and names

def test_gpu_types_disjoint_conflict():
    claims = [c("gpu_type", "H100", 1), c("gpu_type", "B200", 1), c("gpu_type", "GB200", 2)]
    (f,) = find_conflicts(claims)
    assert f.field == "gpu_type" and len(f.claim_ids) == 3
    assert "H100 and B200 (Outlet A" in f.summary and "GB200 (Outlet B" in f.summary


def test_gpu_types_subset_agrees():
    assert find_conflicts([c("gpu_type", "H100", 1), c("gpu_type", "B200", 1), c("gpu_type", "B200", 2)]) == []
    assert find_conflicts([c("gpu_type", "GB200", 1), c("gpu_type", "GB300", 2), c("gpu_type", "GB200", 2)]) == []


def test_gpu_family_generalises():
    assert find_conflicts([c("gpu_type", "Blackwell", 1), c("gpu_type", "GB200", 2)]) == []
    assert find_conflicts([c("gpu_type", "TPU", 1), c("gpu_type", "TPU v6e", 2)]) == []


def test_models_different_generations_conflict():
    claims = [c("model", "Claude 4", 1), c("model", "Claude 5", 1), c("model", "Claude 3", 2)]
    assert fields(claims) == [("model", "")]


def test_models_family_beside_version_is_not_a_wildcard():
    # "its Claude models, including the upcoming Claude 5" vs "Claude 3": flagged
    assert fields([c("model", "Claude", 1), c("model", "Claude 5", 1), c("model", "Claude 3", 2)]) == [("model", "")]
    # a bare family alone says nothing more specific
    assert find_conflicts([c("model", "Claude", 1), c("model", "Claude 3", 2)]) == []
    # "Claude 4" vs "the upcoming Claude 5": one deal over time
    assert find_conflicts([c("model", "Claude 5", 1, quote="for the upcoming Claude 5"),
                           c("model", "Claude 4", 2)]) == []
    assert fields([c("model", "Claude 5", 1), c("model", "Claude 4", 2)]) == [("model", "")]


def test_models_family_and_successors_agree():
    assert find_conflicts([c("model", "Claude", 1), c("model", "Claude 5", 1), c("model", "Claude 4", 2)]) == []
    assert find_conflicts([c("model", "Claude 5", 1),
                           c("model", "Claude 4", 2, quote="Claude 4 and its successors will be trained there")]) == []
    assert find_conflicts([c("model", "Claude 4", 1), c("model", "Claude Opus 4", 2)]) == []
    assert find_conflicts([c("model", "Claude 4", 1), c("model", "Claude 4.5", 2)]) == []
    assert fields([c("model", "Grok 4", 1), c("model", "Grok 5", 2)]) == [("model", "")]


def test_facility_names():
    assert find_conflicts([c("facility", "Colossus", 1), c("facility", "Colossus 1", 2)]) == []
    assert find_conflicts([c("facility", "Colossus I", 1), c("facility", "Colossus 1", 2)]) == []
    assert fields([c("facility", "Colossus 1", 1), c("facility", "Colossus 2", 2)]) == [("facility", "")]
    assert find_conflicts([c("facility", "Stargate", 1), c("facility", "Stargate Abilene", 2)]) == []


def test_locations():
    assert find_conflicts([c("location", "Memphis", 1), c("location", "Memphis, Tennessee", 2)]) == []
    assert find_conflicts([c("location", "Tennessee", 1), c("location", "Memphis, Tennessee", 2)]) == []
    assert find_conflicts([c("location", "United States", 1), c("location", "Memphis, Tennessee", 2)]) == []
    assert find_conflicts([c("location", "Europe", 1), c("location", "Sines, Portugal", 2)]) == []
    assert find_conflicts([c("location", "Abilene", 1), c("location", "Abilene, Texas", 2)]) == []
    assert find_conflicts([c("location", "New Jersey", 1), c("location", "Vineland, New Jersey", 2)]) == []
    assert fields([c("location", "Texas", 1), c("location", "Memphis, Tennessee", 2)]) == [("location", "")]
    assert fields([c("location", "Memphis, Tennessee", 1), c("location", "Atlanta, Georgia", 2)]) == [("location", "")]
    # sites of a multi-site deal are not rivals
    assert find_conflicts([c("location", "Barstow, Texas", 1, scope="site"),
                           c("location", "Sines, Portugal", 2, scope="site")]) == []


def test_ramp_never_conflicts():
    assert find_conflicts([c("ramp", "reduced rate for the first two months", 1),
                           c("ramp", "full rate from day one", 2)]) == []


# ---------------------------------------------------------------- authority and sides

def test_filing_side_named_in_summary():
    claims = [pay("$1.25B per month", 1.25e9, "month", 9), pay("$1.25B per month", 1.25e9, "month", 1),
              pay("$2B per month", 2e9, "month", 2)]
    (f,) = find_conflicts(claims)
    assert len(f.claim_ids) == 3  # the agreeing source weighs in on the filing's side
    assert f.summary.startswith("payment: $1.25B/month (sec [SEC filing], 2025-08-01; Outlet A, 2025-07-03) vs $2B/month")
    assert f.summary.endswith("the SEC filing supports $1.25B/month")


def test_three_sources_grow_the_conflict():
    base = [pay("$12B per year", 12e9, "year", 1), pay("$18B per year", 18e9, "year", 2)]
    (f1,) = find_conflicts(base)
    (f2,) = find_conflicts(base + [pay("$18B a year", 18e9, "year", 3)])
    assert set(f1.claim_ids) < set(f2.claim_ids)


def test_empty_and_single():
    assert find_conflicts([]) == []
    assert find_conflicts([pay("$1B", 1e9, "total", 1)]) == []


# ---------------------------------------------------------------- helpers

@pytest.mark.parametrize("claim,text", [
    (Claim(1, 1, 1, "payment", "$1.25B per month", "", 1.25e9, period="month"), "$1.25B/month"),
    (Claim(1, 1, 1, "payment", "$90B over 5 years", "", 90e9, period="total"), "$90B over 5 years"),
    (Claim(1, 1, 1, "payment", "more than $40B", "", 40e9, period="total", min=40e9), "more than $40B"),
    (Claim(1, 1, 1, "payment", "$14.2B", "", 14.2e9, period="total", approx=True), "~$14.2B total"),
    (Claim(1, 1, 1, "capacity_power", "300 MW", "", 300), "300 MW"),
    (Claim(1, 1, 1, "gpu_count", "40000 GPUs", "", 40000), "40,000 GPUs"),
    (Claim(1, 1, 1, "gpu_type", "GB200", ""), "GB200"),
])
def test_format_value(claim, text):
    assert format_value(claim) == text


def test_compare_helpers():
    assert generalises("Colossus", "Colossus 1", "facility")
    assert not names_compatible("Colossus 1", "Colossus 2", "facility")
    assert not names_compatible("B200", "GB200", "gpu_type")
    iv = number_interval(40000, "40000 GPUs")
    assert iv.tol == 0.05


# ---------------------------------------------------------------- the extraction corpus

def _corpus_deals(edit=None):
    """Every deal in the extraction corpus, as the real extractor reads the texts
    (so quotes are the documents' own sentences); `edit(stem, text)` plants
    disagreements in a document's text first."""
    import collections
    import json
    from pathlib import Path

    from tracker.extract import extract_claims
    from tracker.models import Document

    deals = collections.defaultdict(list)
    ids = {}
    for di, f in enumerate(sorted((Path(__file__).parent / "corpus" / "extraction").glob("*.json")), 1):
        meta = json.loads(f.read_text())
        text = f.with_suffix(".txt").read_text()
        if edit:
            text = edit(f.stem, text)
        doc = Document(url=f"file:{f.stem}", source=f.stem, kind=meta["kind"], filer=meta.get("filer"), text=text)
        for g in extract_claims(doc):
            key = (g.buyer, g.provider)
            ids.setdefault(key, len(ids) + 1)
            deals[key].append(Claim(
                id=next(_ids), deal_id=ids[key], document_id=di, field=g.field, value=g.value,
                quote=g.quote, number=g.number, unit=g.unit, period=g.period, approx=bool(g.approx),
                min=g.min, max=g.max, scope=g.scope, doc_kind=meta["kind"], doc_source=f.stem,
                doc_date=f"2025-01-{di:02d}"))
    return deals


def test_gold_corpus_has_no_false_flags():
    """The corpus is one consistent world: its documents never disagree."""
    for key, claims in _corpus_deals().items():
        assert find_conflicts(claims) == [], key


def test_gold_corpus_planted_disagreements_found():
    planted = {"03_": ("Claude 4 and its successors", "Only Claude 3 models"), "14_": ("14.2 billion", "19.2 billion"),
               "02_": ("Colossus 1", "Colossus 2")}

    def plant(stem, text):
        for prefix, (old, new) in planted.items():
            if stem.startswith(prefix):
                assert old in text, (stem, old)
                text = text.replace(old, new)
        return text

    found = {(k, f.field) for k, cs in _corpus_deals(plant).items() for f in find_conflicts(cs)}
    assert found == {(("Anthropic", "xAI"), "model"), (("Meta", "CoreWeave"), "payment"),
                     (("Anthropic", "xAI"), "facility")}

# --- readings added for real corpus text ------------------------------------------

def test_model_tiers_are_one_generation():
    assert find_conflicts([c("model", "Claude Opus 5", 1), c("model", "Claude 5", 2)]) == []
    assert find_conflicts([c("model", "Claude Opus 4.1", 1), c("model", "Claude Sonnet 4.5", 2)]) == []
    assert fields([c("model", "Claude Opus 5", 1), c("model", "Claude Sonnet 3.7", 2)]) == [("model", "")]


def test_successors_admit_a_later_tier_model():
    a = c("model", "Claude 4", 1, quote="Claude 4 and its successors will be trained there.")
    assert find_conflicts([a, c("model", "Claude Opus 5", 2)]) == []


def test_values_one_source_states_together_are_compatible():
    """500,000 chips now and a million by year end, from one source; another
    source repeating 500,000 does not contradict the million."""
    now = c("gpu_count", "500000 GPUs", 1, number=500000, approx=True,
            quote="The cluster strings together nearly 500,000 Trainium2 chips.")
    later = c("gpu_count", "1000000 GPUs", 1, number=1000000, approx=True,
              quote="It expects to run on more than one million chips by the end of the year.")
    other = c("gpu_count", "500000 GPUs", 2, number=500000, approx=True, quote="About 500,000 chips.")
    assert find_conflicts([now, later, other]) == []
    # Without the co-stating source, a million vs 500,000 is a real disagreement.
    assert fields([later, other]) == [("gpu_count", "")]


def test_figure_tied_to_one_site_is_a_part():
    whole = c("gpu_count", "200000 GPUs", 1, number=200000, approx=True,
              quote="Nscale will provide about 200,000 GB300 GPUs across data centers in Europe and the US.")
    site = c("gpu_count", "23000 GPUs", 2, number=23000, approx=True,
             quote="Nscale will deploy approximately 23,000 GPUs for Microsoft at its Loughton, UK site.")
    assert find_conflicts([whole, site]) == []
    # Both tied to the same site: a real disagreement.
    same = c("gpu_count", "40000 GPUs", 3, number=40000, quote="It will run 40,000 GPUs at its Loughton, UK site.")
    assert fields([site, same]) == [("gpu_count", "")]
    # A larger figure at one site is no part of a smaller whole.
    big_site = c("capacity_power", "900 MW", 4, number=900, quote="The Abilene campus will draw 900 MW.")
    small_whole = c("capacity_power", "600 MW", 5, number=600, quote="The deal covers 600 MW.")
    assert fields([big_site, small_whole]) == [("capacity_power", "")]


def test_a_new_site_adds_a_place_rather_than_contradicting():
    abilene = c("location", "Abilene, Texas", 1, quote="Oracle runs the flagship campus in Abilene, Texas.")
    michigan = c("location", "Saline Township, Michigan", 2,
                 quote="They will build a new data center campus in Saline Township, Michigan.")
    assert find_conflicts([abilene, michigan]) == []
    # The same facility said to be in two places is still a conflict.
    memphis = c("location", "Memphis, Tennessee", 3, quote="Colossus 1 sits in Memphis, Tennessee.")
    atlanta = c("location", "Atlanta, Georgia", 4, quote="Colossus 1 sits in Atlanta, Georgia.")
    assert fields([memphis, atlanta]) == [("location", "")]


# --- repeated reports are compared once ----------------------------------------

def test_grouping_identical_reports_changes_nothing(monkeypatch):
    """Comparing one representative per signature must find exactly what
    comparing every pair finds, on many random deals built from a small pool of
    values (so reports repeat, agree, disagree and co-occur in one document)."""
    import random

    import tracker.conflicts as conflicts_mod

    pool = {
        "payment": [("$1.25B per month", 1.25e9, "month"), ("$15B per year", 15e9, "year"),
                    ("$12B per year", 12e9, "year"), ("$40B", 40e9, "total"), ("$90B", 90e9, "total")],
        "capacity_power": [("300 MW", 300, None), ("600 MW", 600, None), ("2000 MW", 2000, None)],
        "gpu_count": [("40000 GPUs", 40000, None), ("45000 GPUs", 45000, None)],
        "term_years": [("5 years", 5, None), ("6 years", 6, None)],
        "gpu_type": [("H100", None, None), ("B200", None, None), ("GB200", None, None)],
        "model": [("Claude 4", None, None), ("Claude 5", None, None), ("Claude 3", None, None)],
        "location": [("Memphis", None, None), ("Memphis, Tennessee", None, None), ("Atlanta, Georgia", None, None)],
        "term_end": [("2029", None, None), ("2029-05", None, None), ("2030", None, None)],
    }
    quotes = ["", "at its Abilene campus", "over five years", "a new site", "and its successors"]
    rng = random.Random(11)
    for trial in range(60):
        claims = []
        for doc in range(1, rng.randint(3, 25)):
            for field in rng.sample(sorted(pool), rng.randint(1, 4)):
                for _ in range(rng.choice([1, 1, 2])):
                    value, number, period = rng.choice(pool[field])
                    claims.append(c(field, value, doc, number=number, period=period,
                                    approx=rng.random() < 0.2, quote=f"{value} {rng.choice(quotes)}".strip()))
        grouped = sorted((f.field, f.key, tuple(f.claim_ids)) for f in find_conflicts(claims))
        with monkeypatch.context() as m:
            m.setattr(conflicts_mod, "_conflict_grouped", lambda *a: NotImplemented)
            plain = sorted((f.field, f.key, tuple(f.claim_ids)) for f in find_conflicts(claims))
        assert grouped == plain, trial


def test_ingested_documents_are_told_apart_by_file_name():
    a = pay("$1.25B per month", 1.25e9, "month", 1)
    b = pay("$12B per year", 12e9, "year", 2)
    a.doc_source, a.doc_url = "ingest", "file:///data/outlet-a-story.html"
    b.doc_source, b.doc_url = "ingest", "https://news.example.com/deals/outlet-b/"
    [f] = find_conflicts([a, b])
    assert "outlet-a-story.html" in f.summary and "outlet-b" in f.summary and "ingest" not in f.summary
