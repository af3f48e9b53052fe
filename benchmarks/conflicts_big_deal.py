"""Conflict detection on one heavily reported deal.

A deal like Anthropic-xAI collects hundreds of articles that mostly repeat
the same figures. Re-evaluating its conflicts when one more article arrives
must not cost the square of its history: identical reports are compared once.

    python benchmarks/conflicts_big_deal.py
"""
from __future__ import annotations

import itertools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.conflicts import find_conflicts  # noqa: E402
from tracker.models import Claim  # noqa: E402


def deal(ndocs: int, seed: int = 1) -> list[Claim]:
    ids = itertools.count(1)
    rng = random.Random(seed)

    def mk(doc, field, value, number=None, period=None, approx=False, quote=None, unit=None):
        return Claim(id=next(ids), deal_id=1, document_id=doc, field=field, value=value,
                     quote=quote or f"Document {doc} reports {value}.", number=number, unit=unit,
                     period=period, approx=approx, doc_kind="article", doc_source=f"outlet-{doc % 7}",
                     doc_url=f"https://example.com/{doc}", doc_date=f"2026-0{1 + doc % 9}-{1 + doc % 27:02d}")

    claims = []
    for d in range(1, ndocs + 1):
        claims.append(mk(d, "payment", "$1.25B per month", 1.25e9, "month"))
        if d % 3 == 0:
            claims.append(mk(d, "payment", "$15B per year", 15e9, "year", approx=True))
        if d % 5 == 0:
            claims.append(mk(d, "payment", "$40B", 40e9, "total", approx=True,
                             quote="over $40 billion through May 2029"))
        claims.append(mk(d, "capacity_power", "300 MW", 300, unit="MW", approx=d % 2 == 0))
        claims.append(mk(d, "gpu_type", rng.choice(["H100", "B200"])))
        claims.append(mk(d, "model", rng.choice(["Claude 4", "Claude 5"])))
        claims.append(mk(d, "facility", "Colossus 1"))
        claims.append(mk(d, "location", rng.choice(["Memphis", "Memphis, Tennessee"])))
        claims.append(mk(d, "term_end", "2029-05"))
        claims.append(mk(d, "termination_notice_days", "90 days", 90, unit="days"))
    claims.append(mk(ndocs + 1, "payment", "$12B per year", 12e9, "year"))  # one dissenting source
    return claims


def main() -> None:
    print(f"{'documents':>9} {'claims':>7} {'find_conflicts':>15} {'conflicts':>9}")
    for n in (25, 100, 200, 500, 1000, 2000):
        claims = deal(n)
        best = min(_time(claims) for _ in range(3))
        print(f"{n:>9} {len(claims):>7} {best * 1000:>12.1f} ms {len(find_conflicts(claims)):>9}")


def _time(claims: list[Claim]) -> float:
    t = time.perf_counter()
    find_conflicts(claims)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
