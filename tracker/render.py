"""Terminal output: plain tables, with untrusted text made inert.

Titles and quotes come from web pages; an ANSI escape or a carriage return in
them could rewrite what an analyst sees in the terminal, so every cell passes
through `clean`.
"""
from __future__ import annotations

import json
import re
import shutil
from typing import Any, Iterable, Sequence

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(value: Any, limit: int | None = None) -> str:
    """One line of harmless text: no escapes, no control or bidi characters."""
    if value is None:
        return ""
    text = _ANSI.sub("", str(value))
    text = _CTRL.sub(" ", text.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    text = re.sub(r" {2,}", " ", text).strip()
    if limit and len(text) > limit:
        text = text[: max(1, limit - 1)] + "…"
    return text


def table(rows: Iterable[Sequence[Any]], headers: Sequence[str], max_width: int | None = None) -> str:
    rows = [[clean(c) for c in row] for row in rows]
    width = max_width or max(80, shutil.get_terminal_size((120, 20)).columns)
    cols = len(headers)
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    # Shrink the widest columns until the table fits.
    while sum(widths) + 2 * (cols - 1) > width and max(widths) > 12:
        i = widths.index(max(widths))
        widths[i] -= 1
    def fmt(row: Sequence[str]) -> str:
        cells = []
        for i, cell in enumerate(row):
            cell = cell if len(cell) <= widths[i] else cell[: widths[i] - 1] + "…"
            cells.append(cell.ljust(widths[i]))
        return "  ".join(cells).rstrip()
    lines = [fmt(list(headers)), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines)


# json.dumps escapes C0 controls but passes C1 controls (U+009B is CSI to a
# UTF-8 xterm) and bidi overrides through raw; escape them too. They only
# occur inside strings, where \uXXXX decodes back to the same data.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def to_json(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def money(n: float | None) -> str:
    if n is None:
        return ""
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= div:
            return f"${n / div:,.3g}{suffix}"
    return f"${n:,.0f}"
