"""Tables flattened to text rows ("Provider | Customer | TCV | Term").

A header row naming a provider column and a customer column turns every
following row with the same number of cells into one deal; each other cell
is read with the ordinary figure rules. A header with only one of the two
columns takes the other party from the text before the table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{3,}")
_PROV_H = re.compile(r"^(?:provider|supplier|seller|cloud|neocloud|host|lessor|operator|landlord|owner|colo(?:cation)?\s+provider)s?$", re.I)
# "Vendor | Customer | Product | Units": hardware shipments, not compute deals
_VENDOR_H = re.compile(r"^(?:vendor|chip\s?maker|manufacturer|OEM|chip\s+vendor|seller\s+of\s+hardware)s?$", re.I)
_BUY_H = re.compile(r"^(?:customer|buyer|client|tenant|counterparty|lessee|offtaker|lab|hyperscaler)s?$", re.I)


@dataclass
class Table:
    header_para: int
    provider_col: int
    buyer_col: int
    headers: list[str]


def _csv(line: str) -> bool:
    """A spreadsheet export row ("C-0412,2026-04-08,Mistral AI,Fluidstack,signed,40"):
    commas without the spaces prose puts after them."""
    return "|" not in line and "\t" not in line and line.count(",") >= 3 and line.count(", ") * 3 < line.count(",")


def cells(line: str) -> list[str]:
    if _csv(line):
        return [c.strip() for c in line.strip().split(",")]
    parts = [c.strip() for c in _SPLIT.split(line.strip().strip("|").strip())]  # "| n/d      |": no empty last cell
    return [c for c in parts]


def header(line: str) -> tuple[int, int, list[str]] | None:
    if "|" not in line and "\t" not in line and "   " not in line and not _csv(line):
        return None
    cs = [re.sub(r"(?<=[a-z])_(?=[a-z])", " ", c) for c in cells(line)]  # "value_usd_m" -> "value usd m"
    if len(cs) < 3:
        return None
    bare = [re.sub(r"\s*\([^()]*\)$", "", c) for c in cs]  # "Customer (buyer of hardware)"
    if any(_VENDOR_H.match(c) for c in bare):
        return -2, -2, cs  # a hardware-shipment table: the caller skips its rows
    p = next((i for i, c in enumerate(bare) if _PROV_H.match(c)), None)
    b = next((i for i, c in enumerate(bare) if _BUY_H.match(c)), None)
    if p is None and b is None or p == b:
        return None
    # One-sided table ("Provider | Contract value | Term" under "Microsoft's
    # neocloud leases"): the missing side is the company the text before it
    # is about; the caller fills it in (-1 here).
    return (-1 if p is None else p), (-1 if b is None else b), cs


# "PREVIOUSLY REPORTED, FOR COMPARISON", "Comparable contracts (for reference
# only)": a table of other deals, recalled as context.
COMPARE_HEAD = re.compile(r"\b(?:for\s+comparison|comparables?|comparable\s+(?:\w+\s+){0,2}?(?:deals|contracts|transactions|agreements)|"
                          r"for\s+reference|previously\s+(?:reported|announced|signed)|peer\s+(?:deals|contracts|transactions)|"
                          r"(?:other|earlier|prior|past|recent)\s+(?:\w+\s+)?(?:deals|contracts|transactions|agreements)|precedents?|benchmarks?)\b", re.I)
