"""Legal and regulatory forms: a complaint, a competition-authority decision,
an order form exhibit, an 8-K. New wording, not copied from any corpus document."""
from __future__ import annotations

import pytest

from tracker.extract import extract_claims
from tracker.models import Document

DOCS = {
"complaint": ("article", None, """IN THE COURT OF CHANCERY OF THE STATE OF DELAWARE

HALVARD LABS, INC., Plaintiff, v. SKYLARK CLOUD CORP., Defendant.

VERIFIED COMPLAINT

1. Plaintiff Halvard Labs, Inc. ("Halvard") brings this action against Defendant Skylark Cloud Corp. ("Skylark") for breach of a Master Services Agreement dated March 3, 2025 (the "MSA").
2. Under the MSA, Skylark agreed to provide Halvard with dedicated access to 4,096 Nvidia H200 GPUs for a term of three years, in exchange for fees of $9.5 million per month.
3. Skylark failed to deliver the GPUs by the delivery date of June 1, 2025.
"""),
"cma": ("article", None, """Anticipated partnership between Halvard Labs Ltd and Skylark Cloud Ltd

Decision on relevant merger situation

1. On 4 March 2026, Halvard Labs Ltd (Halvard) and Skylark Cloud Ltd (Skylark) (together, the Parties) entered into an agreement under which Skylark will supply Halvard with cloud compute capacity of up to 200 MW over seven years (the Compute Agreement).
2. The CMA understands that the Compute Agreement is worth approximately $4 billion.
"""),
"order_form": ("filing", "Skylark Cloud Corp.", """Exhibit 10.1

ORDER FORM No. 3

This Order Form is entered into between Skylark Cloud Corp. ("Provider") and Halvard Labs, Inc. ("Customer") under the Master Services Agreement.

1. Services. Provider shall make available to Customer 2,048 NVIDIA GB300 GPUs located in Reno, Nevada.
2. Fees. Customer shall pay Provider a monthly fee of $6,400,000.
3. Term. The Initial Term is twenty-four (24) months from the Service Commencement Date, which is expected to be July 1, 2026.
4. Termination for Convenience. Customer may terminate this Order Form upon one hundred eighty (180) days' prior written notice.
"""),
"8k": ("filing", "Skylark Cloud Corp.", """Item 1.01 Entry into a Material Definitive Agreement.

On November 3, 2025, Skylark Cloud Corp. (the "Company") entered into a cloud services agreement (the "Agreement") with Halvard Labs, Inc. ("Halvard"). Under the Agreement, the Company will provide Halvard with approximately 80 MW of GPU capacity at the Company's Kearney, Nebraska campus for a term of five years. The Company expects the Agreement to generate total contract revenue of approximately $1.2 billion.
"""),
}

WANT = {
    "complaint": {("gpu_count", "4096 GPUs"), ("gpu_type", "H200"), ("payment", "$9.5M per month"), ("term_years", "3 years")},
    "cma": {("capacity_power", "200 MW"), ("payment", "$4B"), ("term_years", "7 years")},
    "order_form": {("gpu_count", "2048 GPUs"), ("gpu_type", "GB300"), ("location", "Reno, Nevada"),
                   ("payment", "$6.4M per month"), ("start", "2026-07"), ("term_years", "2 years"),
                   ("termination_notice_days", "180 days")},
    "8k": {("capacity_power", "80 MW"), ("location", "Kearney, Nebraska"), ("payment", "$1.2B"), ("term_years", "5 years")},
}


@pytest.mark.parametrize("name", list(DOCS))
def test_legal_forms(name):
    kind, filer, text = DOCS[name]
    cs = extract_claims(Document(url="test:", source="test", kind=kind, filer=filer, text=text))
    buyers = {c.buyer for c in cs}
    providers = {c.provider for c in cs}
    assert len(buyers) == 1 and next(iter(buyers)).startswith("Halvard")  # "Plaintiff" is no part of the name
    assert len(providers) == 1 and next(iter(providers)).startswith("Skylark")  # a defined short name wins
    assert WANT[name] <= {(c.field, c.value) for c in cs}


def test_complaint_parties_take_their_defined_short_names():
    text = ("COMPLAINT\n\nPlaintiff Arcwell Cloud Services, LLC (\"Arcwell\" or \"Plaintiff\") brings this action against "
            "Defendant Quillmoor AI, Inc. (\"Quillmoor\" or \"Defendant\").\n\n"
            "Under the Agreement, Arcwell agreed to provide Quillmoor with exclusive access to a cluster of 4,096 "
            "NVIDIA H100 GPUs in Reno, Nevada, and Quillmoor agreed to pay a fixed monthly fee of $7.1 million.")
    cs = extract_claims(Document(url="test:", source="test", text=text))
    assert {(c.buyer, c.provider) for c in cs} == {("Quillmoor", "Arcwell")}


def test_filing_accounting_figures_are_not_deal_terms():
    text = ("Notes\n\nIn January 2026, the Company entered into a cloud services agreement with Mistral for 12,288 GPUs "
            "for a term of three years.\n\n"
            "The Company recorded a customer deposit of $160.0 million received from Mistral upon execution. "
            "Contract liabilities were $388.5 million as of June 30, 2026. "
            "The Company applies the practical expedient for contracts with an original expected duration of one year or less.")
    cs = extract_claims(Document(url="test:", source="test", kind="filing", filer="Meridian Compute Inc.", text=text))
    assert {(c.field, c.value) for c in cs} == {("gpu_count", "12288 GPUs"), ("term_years", "3 years")}


def test_witness_title_names_the_company_not_the_department():
    text = ("DIRECT TESTIMONY\n\nQ. Please state your name.\n\nA. My name is Dana Okafor. I am Vice President of "
            "Development for Pinewood Digital LLC (\"Pinewood\").\n\nQ. Who are the tenants?\n\n"
            "A. Pinewood has signed a 15-year lease with CoreWeave for 120 MW of critical IT capacity at the campus.")
    cs = extract_claims(Document(url="test:", source="test", text=text))
    assert {(c.buyer, c.provider) for c in cs} == {("CoreWeave", "Pinewood")}
