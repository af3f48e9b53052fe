"""Conflict detection end to end on held-out text.

Author F wrote pairs of articles about six deals from two outlets' points of
view (tests/corpus/extraction_blind/f_*, see README_f.md): three pairs agree
and only state figures in other units or periods, three pairs disagree on
one field each. This ingests all of them through the real CLI into a fresh
database and compares the conflicts flagged with that table. Nobody tuned
the extractor or the conflict rules on these files; keep it that way, or the
figure stops meaning anything.

    python benchmarks/conflicts_heldout.py
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "extraction_blind"

# From README_f.md: the fields on which the two sources of a pair disagree.
DISAGREE = {
    (("OpenAI", "Oracle"), "start"),
    (("Microsoft", "Nebius"), "payment"),
    (("Anthropic", "Google"), "gpu_count"),
}
# Pairs that agree (units and periods differ only): any flag on them is false.
AGREE_DEALS = {("Anthropic", "xAI"), ("Microsoft", "IREN"), ("OpenAI", "CoreWeave")}


def tracker(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def main() -> None:
    files = sorted(str(p) for p in CORPUS.glob("f_*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "heldout.db")
        ingest = tracker("ingest", "--db", db, *files)
        print(ingest.stdout.strip())
        conflicts = json.loads(tracker("conflicts", "--db", db, "--json").stdout)
    flagged = {((c["buyer"], c["provider"]), c["field"]) for c in conflicts}
    for c in conflicts:
        print(f"  flagged {c['buyer']}/{c['provider']} {c['field']}: {c['summary']}")
    found = flagged & DISAGREE
    false = sorted(flagged - DISAGREE)
    print(f"genuine disagreements flagged: {len(found)} of {len(DISAGREE)}")
    print(f"missed: {sorted(DISAGREE - flagged)}")
    print(f"false flags: {len(false)} {false}")
    print(f"false flags on the three agreeing pairs: {sum(1 for k, _ in false if k in AGREE_DEALS)}")


if __name__ == "__main__":
    main()
