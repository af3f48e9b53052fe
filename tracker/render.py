"""Output for people: plain tables, and untrusted text made inert.

Titles and quotes come from web pages; an ANSI escape, a bidi override or a
carriage return in them could rewrite what an analyst sees in a terminal or
smuggle a header into an e-mail, so the CLI and the digest both pass every
untrusted string through `clean` (one line) or `terminal_safe` (lines kept).
"""
from __future__ import annotations

import json
import re
import shutil
from typing import Any, Iterable, Optional, Sequence
from urllib.parse import urlsplit

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL / ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS / SOS / PM / APC strings
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0 and C1 controls, DEL, and bidirectional overrides/isolates (which can
# reorder what a reader sees), zero-width joiners used for spoofing.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(value: object, limit: Optional[int] = None) -> str:
    """Untrusted text on one line: no escapes, no control characters."""
    if value is None:
        return ""
    s = _ANSI.sub("", str(value))
    s = _CONTROLS.sub(" ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if limit and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return s


def terminal_safe(text: str) -> str:
    """Multi-line text for a terminal: escapes and controls removed, newlines kept."""
    s = _ANSI.sub("", text)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", "", s)


def safe_url(value: object) -> Optional[str]:
    """An http(s) URL fit for an href, or None."""
    s = clean(value)
    if not s or " " in s:
        return None
    try:
        parts = urlsplit(s)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return s


def header_safe(value: object, limit: int = 200) -> str:
    """Text bound for a mail header: one line, so CR/LF can never add headers."""
    return clean(value, limit)


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
