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
_PROV_H = re.compile(r"^(?:provider|supplier|seller|cloud|neocloud|host|vendor|lessor|operator|landlord|owner|colo(?:cation)?\s+provider)s?$", re.I)
_BUY_H = re.compile(r"^(?:customer|buyer|client|tenant|counterparty|lessee|offtaker|lab|hyperscaler)s?$", re.I)


@dataclass
class Table:
    header_para: int
    provider_col: int
    buyer_col: int
    headers: list[str]


def cells(line: str) -> list[str]:
    parts = [c.strip() for c in _SPLIT.split(line.strip().strip("|"))]
    return [c for c in parts]


def header(line: str) -> tuple[int, int, list[str]] | None:
    if "|" not in line and "\t" not in line and "   " not in line:
        return None
    cs = cells(line)
    if len(cs) < 3:
        return None
    p = next((i for i, c in enumerate(cs) if _PROV_H.match(c)), None)
    b = next((i for i, c in enumerate(cs) if _BUY_H.match(c)), None)
    if p is None and b is None or p == b:
        return None
    # One-sided table ("Provider | Contract value | Term" under "Microsoft's
    # neocloud leases"): the missing side is the company the text before it
    # is about; the caller fills it in (-1 here).
    return (-1 if p is None else p), (-1 if b is None else b), cs
