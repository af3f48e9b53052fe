"""Plain data passed between pipeline stages.

Stages never hand each other database rows or dicts: a collector yields
`Document`s, the extractor turns one into `ExtractedClaim`s, the store turns
those into `Claim` rows attached to a `Deal`, and conflict detection reads
`Claim`s and returns `ConflictFinding`s.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Optional

# claims.field values, in the order reports show them.
FIELDS = (
    "payment",
    "capacity_power",
    "gpu_count",
    "gpu_type",
    "model",
    "facility",
    "location",
    "start",
    "term_end",
    "term_years",
    "termination_notice_days",
    "ramp",
)

# claims.scope values; None means the figure is about the whole deal.
SCOPES = ("site", "phase", "initial", "expansion", "cumulative", "option")


@dataclass
class Document:
    """One fetched article or filing, text already reduced to the main content."""

    url: str  # canonical URL (tracking parameters removed)
    source: str  # name of the source in sources.yaml, or "ingest"
    kind: str = "article"  # "article" | "filing"
    title: Optional[str] = None
    published_at: Optional[str] = None  # ISO 8601
    text: str = ""
    fetched_at: Optional[str] = None
    # Filings only.
    form_type: Optional[str] = None
    filer: Optional[str] = None
    filer_cik: Optional[str] = None
    accession: Optional[str] = None
    filing_date: Optional[str] = None
    # Set once stored.
    id: Optional[int] = None


@dataclass
class ExtractedClaim:
    """A fact one document states about one buyer-provider deal.

    `buyer` and `provider` are canonical company names (aliases resolved).
    `quote` is the sentence, verbatim from `Document.text`.
    """

    buyer: str
    provider: str
    field: str
    value: str
    quote: str
    number: Optional[float] = None
    unit: Optional[str] = None
    period: Optional[str] = None  # payment: "month" | "year" | "total"
    approx: bool = False
    min: Optional[float] = None
    max: Optional[float] = None
    scope: Optional[str] = None
    # A label that separates two agreements between the same pair, when the
    # sources clearly describe separate ones; "" for the usual single deal.
    agreement: str = ""


@dataclass
class Deal:
    id: int
    buyer: str
    provider: str
    first_seen: Optional[str] = None
    last_seen: Optional[str] = None
    agreement: str = ""


@dataclass
class Claim:
    """A stored claim together with what conflict detection and reports need
    to know about its document."""

    id: int
    deal_id: int
    document_id: int
    field: str
    value: str
    quote: str
    number: Optional[float] = None
    unit: Optional[str] = None
    period: Optional[str] = None
    approx: bool = False
    min: Optional[float] = None
    max: Optional[float] = None
    scope: Optional[str] = None
    # From the document:
    doc_kind: str = "article"
    doc_source: str = ""
    doc_url: str = ""
    doc_title: Optional[str] = None
    doc_date: Optional[str] = None  # published_at, else fetched_at


@dataclass
class ConflictFinding:
    """Claims on one deal and field that cannot all be true."""

    deal_id: int
    field: str
    claim_ids: list[int]
    summary: str
    # Distinguishes several conflicts on one field (e.g. per scope); "" if one.
    key: str = ""


@dataclass
class SourceResult:
    """How one source fared in one run."""

    source: str
    kind: str  # feed | page | sec | ingest
    status: str = "ok"  # ok | failed
    error: Optional[str] = None
    items: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    failed_items: int = 0
    errors: list[str] = dc_field(default_factory=list)
