"""Benchmark: a synthetic 10 MB EDGAR filing (HTML with huge tables) to text.

Run:  /work/venv/bin/python benchmarks/filings.py [--mb 10] [--repeat 3] [--compare]

Prints the conversion time (best of --repeat) and the peak memory of the
conversion, measured in a fresh child process as the growth of peak RSS
(ru_maxrss) over the RSS after the input was built, so libxml2's C allocations
count too (tracemalloc would miss them). --compare also measures the
tree-building alternative (lxml.html.document_fromstring + itertext) for the
record in docs/benchmarks-sec.md.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

ROW = (
    '<tr style="vertical-align:bottom;background-color:#cceeff">'
    '<td style="padding:0 2pt;text-align:left"><span style="font-family:Times New Roman;font-size:10pt">'
    "Cloud computing services, contract {i}</span></td>"
    '<td style="text-align:right">$</td><td style="text-align:right">'
    '<ix:nonFraction name="us-gaap:RevenueRemainingPerformanceObligation" contextRef="c-{i}" '
    'unitRef="usd" decimals="-6" scale="6">{a:,}</ix:nonFraction></td>'
    '<td style="text-align:left">&#160;</td><td>(</td><td style="text-align:right">{b:,}</td><td>)</td>'
    '<td style="text-align:right">{p}</td><td>%</td></tr>\n'
)
PARA = (
    '<div style="margin-top:6pt;text-align:justify"><span style="font-family:Times New Roman;font-size:10pt">'
    "Note {i}. Remaining performance obligations. As of the end of the period we had remaining "
    "performance obligations of approximately ${a:,} million under committed contracts for GPU compute "
    "capacity, of which about {p}% is expected to be recognised as revenue within 24 months. A customer "
    "may terminate for convenience upon ninety (90) days&#8217; prior written notice.</span></div>\n"
)


def synthetic_filing(size: int) -> bytes:
    """An inline-XBRL 10-K-like document of about `size` bytes."""
    head = (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"><head><title>10-K</title>'
        "<style>td{font-size:10pt}</style></head><body>"
        '<div style="display:none"><ix:header><ix:hidden>'
        + "".join(f'<ix:nonNumeric name="dei:X{i}" contextRef="c">hidden {i}</ix:nonNumeric>' for i in range(2000))
        + "</ix:hidden><ix:resources>"
        + "".join(f'<xbrli:context id="c-{i}"><xbrli:entity>0001</xbrli:entity></xbrli:context>' for i in range(2000))
        + "</ix:resources></ix:header></div>"
    )
    parts = [head]
    total = len(head)
    i = 0
    while total < size:
        chunk = PARA.format(i=i, a=1000 + i * 7, p=i % 100)
        chunk += '<table style="border-collapse:collapse;width:100%">'
        chunk += "".join(ROW.format(i=i * 40 + j, a=11_900 + j * 13, b=j * 3, p=j % 100) for j in range(40))
        chunk += "</table>\n"
        parts.append(chunk)
        total += len(chunk)
        i += 1
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _child(mb: float, method: str) -> None:
    """Run one conversion in this (fresh) process and print JSON figures."""
    data = synthetic_filing(int(mb * 2**20))
    if method == "target":
        from tracker.filings import filing_to_text

        def run() -> str:
            return filing_to_text(data, "text/html")
    else:
        import lxml.html

        def run() -> str:
            doc = lxml.html.document_fromstring(data)
            return "\n".join(t.strip() for t in doc.itertext() if t.strip())
    base = _rss_mb()
    base_peak = _maxrss_mb()
    t0 = time.perf_counter()
    text = run()
    dt = time.perf_counter() - t0
    peak = _maxrss_mb()
    print(json.dumps({"seconds": dt, "peak_growth_mb": max(0.0, peak - max(base, base_peak)),
                      "peak_rss_mb": peak, "input_mb": len(data) / 2**20,
                      "output_mb": len(text.encode()) / 2**20, "lines": text.count("\n") + 1}))


def measure(mb: float, method: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", method, "--mb", str(mb)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--child", choices=["target", "tree"])
    a = ap.parse_args()
    if a.child:
        _child(a.mb, a.child)
        return
    methods = ["target"] + (["tree"] if a.compare else [])
    for m in methods:
        runs = [measure(a.mb, m) for _ in range(a.repeat)]
        best = min(runs, key=lambda r: r["seconds"])
        name = "filing_to_text (lxml HTMLParser target, streaming)" if m == "target" else \
            "lxml.html.document_fromstring + itertext (tree, for comparison)"
        print(f"{name}: input {best['input_mb']:.1f} MB -> text {best['output_mb']:.1f} MB "
              f"({best['lines']:,} lines)")
        print(f"  time: best {best['seconds']:.2f} s, runs " + ", ".join(f"{r['seconds']:.2f}" for r in runs))
        print(f"  peak memory of the conversion: +{max(r['peak_growth_mb'] for r in runs):.0f} MB "
              f"(peak RSS {max(r['peak_rss_mb'] for r in runs):.0f} MB)")


if __name__ == "__main__":
    main()
