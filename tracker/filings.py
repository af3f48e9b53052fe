"""SEC filings to plain text, fast and with bounded memory.

`filing_to_text` takes the raw bytes of an EDGAR document (an HTML primary
document or exhibit, a plain-text filing, or a `.txt` full submission with
`<DOCUMENT>` wrappers) and returns readable text:

* paragraphs and other blocks on their own lines;
* tables flattened to one line per row, `cell | cell | cell`, with the
  `$` / `)` / `%` cells EDGAR tables split off glued back to their number;
* scripts, styles, the document head, comments, the hidden inline-XBRL header
  (`ix:header`) and anything styled `display:none` dropped.

HTML goes through libxml2's HTML parser (lxml) in push mode with a *target*
object: no tree is ever built, so memory stays proportional to the output
text, not to the markup (a 10 MB filing converts in well under a second; see
docs/benchmarks-sec.md). libxml2 recovers from broken markup.
"""
from __future__ import annotations

import re
from typing import Optional

from lxml import etree

__all__ = ["filing_to_text", "looks_like_html"]

_CHUNK = 1 << 20  # characters fed to the parser at a time

# Elements whose content is never text for a reader.
_SKIP = frozenset({
    "script", "style", "head", "title", "noscript", "template", "ix:header",
    "ix:hidden", "ix:references", "ix:resources", "xbrli:context", "svg", "object",
    "iframe", "select", "option", "button", "map", "textarea",
})
# Elements that start and end a line.
_BLOCK = frozenset({
    "p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "caption",
    "blockquote", "pre", "address", "section", "article", "header", "footer",
    "nav", "aside", "main", "figure", "figcaption", "form", "fieldset", "center",
    "body", "html", "page", "document", "text", "type", "filename", "description",
    "sequence",
})
_CELL = frozenset({"td", "th"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"[\s\u00a0\u200b\u2002\u2003\u2009\ufeff]+")
_LEADING = {"$", "US$", "€", "£", "¥", "("}  # glue to the next cell
_TRAILING = {")", "%", ")%", "%)", "pts", "bps"}  # glue to the previous cell


def _cell_row(cells: list[str]) -> str:
    """Join one table row's cells, gluing currency signs and closing brackets
    to the numbers that EDGAR tables put in neighbouring cells."""
    out: list[str] = []
    pending = ""
    for c in cells:
        if not c:
            continue
        if c in _LEADING:
            pending = (pending + c) if pending else c
            continue
        if pending:
            c = pending + ("" if pending.endswith("(") else " ") + c
            pending = ""
        if c in _TRAILING and out:
            out[-1] += c
        else:
            out.append(c)
    if pending:
        out.append(pending)
    return " | ".join(out)


class _Table:
    __slots__ = ("row", "cell", "in_cell")

    def __init__(self) -> None:
        self.row: list[str] = []
        self.cell: list[str] = []
        self.in_cell = 0


class _TextTarget:
    """lxml parser target: turns start/end/data events into lines of text."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.skip = 0  # depth of skipped subtrees we are inside
        # One entry per open element: 0 plain, 1 began a skip, 2 began a table.
        self.stack: list[int] = []
        self.tables: list[_Table] = []

    # -- helpers
    def _flush(self) -> None:
        if self.buf:
            text = _WS.sub(" ", "".join(self.buf)).strip()
            self.buf.clear()
            if text:
                self.lines.append(text)

    def _end_cell(self, t: _Table) -> None:
        if t.cell:
            t.row.append(_WS.sub(" ", "".join(t.cell)).strip())
            t.cell.clear()
        t.in_cell = 0

    def _end_row(self, t: _Table) -> None:
        if t.in_cell or t.cell:
            self._end_cell(t)
        if t.row:
            line = _cell_row(t.row)
            t.row = []
            if line:
                if self.tables and len(self.tables) > 1:
                    # A table inside a cell of an outer table: keep its rows
                    # as text of that cell.
                    outer = self.tables[-2]
                    outer.cell.append(" " + line + " ;")
                else:
                    self.lines.append(line)

    # -- target interface
    def start(self, tag, attrib, nsmap=None) -> None:  # noqa: ARG002
        tag = tag.lower() if isinstance(tag, str) else ""
        if self.skip:
            self.stack.append(0)
            return
        style = attrib.get("style")
        if tag in _SKIP or (style and _HIDDEN_STYLE.search(style)) or "hidden" in attrib:
            self.skip += 1
            self.stack.append(1)
            return
        if tag == "table":
            self._flush_outside_table()
            self.tables.append(_Table())
            self.stack.append(2)
            return
        self.stack.append(0)
        if self.tables:
            t = self.tables[-1]
            if tag in _CELL:
                if t.in_cell:
                    self._end_cell(t)
                t.in_cell = 1
            elif tag == "tr":
                self._end_row(t)
            elif tag in _BLOCK and t.in_cell:
                t.cell.append(" ")
            return
        if tag in _BLOCK:
            self._flush()

    def _flush_outside_table(self) -> None:
        if self.tables:
            t = self.tables[-1]
            # Text before a nested table stays in the outer cell.
            t.cell.append(" ")
        else:
            self._flush()

    def end(self, tag) -> None:
        kind = self.stack.pop() if self.stack else 0
        if kind == 1:
            self.skip -= 1
            return
        if self.skip:
            return
        tag = tag.lower() if isinstance(tag, str) else ""
        if kind == 2:
            t = self.tables.pop() if self.tables else None
            if t is not None:
                self.tables.append(t)  # _end_row looks at self.tables
                self._end_row(t)
                self.tables.pop()
            return
        if self.tables:
            t = self.tables[-1]
            if tag in _CELL:
                self._end_cell(t)
            elif tag == "tr":
                self._end_row(t)
            elif tag in _BLOCK and t.in_cell:
                t.cell.append(" ")
            return
        if tag in _BLOCK:
            self._flush()

    def data(self, data: str) -> None:
        if self.skip:
            return
        if self.tables:
            t = self.tables[-1]
            t.cell.append(data)
            if not t.in_cell and data.strip():
                t.in_cell = 1  # text in a row without <td>: treat as a cell
        else:
            self.buf.append(data)

    def comment(self, text) -> None:  # comments are dropped
        pass

    def close(self) -> str:
        while self.tables:
            t = self.tables[-1]
            self._end_row(t)
            self.tables.pop()
        self._flush()
        return "\n".join(self.lines)


def _decode(content: bytes, charset: Optional[str]) -> str:
    if charset:
        try:
            return content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # EDGAR documents that are not UTF-8 are nearly always Windows-1252.
        return content.decode("cp1252", errors="replace")


_HTML_HINT = re.compile(
    rb"<\s*(html|body|div|p|table|font|span|br|head|meta|title|h[1-6]|xbrl|ix:|center|b|i|a)\b",
    re.I,
)


def looks_like_html(head: bytes | str) -> bool:
    """Whether the start of a document looks like HTML rather than plain text."""
    if isinstance(head, str):
        head = head.encode("utf-8", "ignore")
    head = head[:8192]
    if re.search(rb"<!doctype\s+html|<html", head, re.I):
        return True
    return len(_HTML_HINT.findall(head)) >= 2


_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_IX_HEADER = re.compile(r"<ix:header\b.*?</ix:header\s*>", re.S | re.I)
_BLOCK_TAG = re.compile(r"<\s*/?\s*(p|div|br|tr|li|h[1-6]|table|hr)\b[^>]*>", re.I)
_CELL_TAG = re.compile(r"<\s*/?\s*t[dh]\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[!/?A-Za-z][^<>]*>")


def _salvage(html: str) -> str:
    """Tag stripping by pattern, for markup so broken that the parser's
    reading hides the text (e.g. an unclosed <title> swallowing the body)."""
    import html as htmllib

    s = _IX_HEADER.sub(" ", _SCRIPT_STYLE.sub(" ", html))
    s = _CELL_TAG.sub(" | ", _BLOCK_TAG.sub("\n", s))
    s = htmllib.unescape(_ANY_TAG.sub(" ", s))
    lines = (_WS.sub(" ", ln).strip(" |") for ln in s.split("\n"))
    return "\n".join(ln.strip() for ln in lines if ln.strip())


def html_to_text(html: str) -> str:
    """HTML text to readable lines (see the module docstring)."""
    text = _parse_html(html)
    if len(text) < len(html) // 100 and len(html) > 500:
        # Suspiciously little text: check that broken markup did not hide it.
        salvaged = _salvage(html)
        if len(salvaged) > 5 * len(text) + 100:
            return salvaged
    return text


def _parse_html(html: str) -> str:
    target = _TextTarget()
    parser = etree.HTMLParser(
        target=target, recover=True, no_network=True, huge_tree=True,
        remove_comments=True, remove_pis=True,
    )
    try:
        for i in range(0, len(html), _CHUNK):
            parser.feed(html[i:i + _CHUNK])
        result = parser.close()
    except etree.ParserError:
        # Raised for an empty or all-whitespace document.
        result = target.close()
    except etree.XMLSyntaxError:
        result = target.close()
    return result if isinstance(result, str) else target.close()


def _plain(text: str) -> str:
    lines = (_WS.sub(" ", ln).strip() if "\t" in ln or "\u00a0" in ln else ln.rstrip()
             for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    out: list[str] = []
    blank = False
    for ln in lines:
        if ln.strip():
            out.append(ln)
            blank = False
        elif not blank and out:
            out.append("")
            blank = True
    return "\n".join(out).strip()


_DOC_RE = re.compile(r"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.S | re.I)
_TAG_LINE = re.compile(r"^<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>([^\n<]*)", re.M | re.I)
_TEXT_RE = re.compile(r"<TEXT>(.*?)(?:</TEXT>|\Z)", re.S | re.I)
_SUBMISSION_HINT = re.compile(r"^\s*(<SEC-DOCUMENT>|<SEC-HEADER>|<DOCUMENT>|<IMS-DOCUMENT>)", re.I)
# Document types in a full submission that hold no prose.
_SKIP_TYPES = re.compile(r"^(GRAPHIC|ZIP|EXCEL|PDF|XML|JSON|EX-101\.|EX-27|COVER|ZIP)", re.I)


def _wrapped_to_text(text: str) -> str:
    """A `.txt` full submission: the text of every prose document in it."""
    parts: list[str] = []
    for m in _DOC_RE.finditer(text):
        body = m.group(1)
        meta = {k.upper(): v.strip() for k, v in _TAG_LINE.findall(body[:2000])}
        dtype = meta.get("TYPE", "")
        fname = meta.get("FILENAME", "")
        if _SKIP_TYPES.match(dtype) or fname.lower().endswith((".jpg", ".gif", ".png", ".pdf", ".xml", ".xsd", ".zip", ".xlsx", ".json")):
            continue
        tm = _TEXT_RE.search(body)
        inner = tm.group(1) if tm else body
        stripped = inner.lstrip()
        if stripped.startswith("begin ") and "\n" in stripped[:200]:
            continue  # uuencoded binary
        if stripped[:6].upper() == "<XBRL>" or stripped[:5].upper() == "<XML>":
            stripped = stripped[stripped.find(">") + 1:]
            if looks_like_html(stripped[:8192]):
                chunk = html_to_text(stripped)
            else:
                continue
        elif looks_like_html(stripped[:8192]):
            chunk = html_to_text(stripped)
        else:
            chunk = _plain(inner)
        if chunk.strip():
            header = " ".join(x for x in (dtype, meta.get("DESCRIPTION", "")) if x)
            parts.append((f"[{header}]\n" if header and len(parts) else "") + chunk)
    return "\n\n".join(parts)


def filing_to_text(content: bytes, content_type: Optional[str] = None) -> str:
    """The readable text of one EDGAR document; "" when it holds none.

    `content_type` is the response's Content-Type (parameters such as charset
    are honoured); the bytes are sniffed too, because EDGAR serves `.txt`
    submissions holding HTML and the occasional HTML file as text/plain.
    """
    if not content:
        return ""
    ctype = (content_type or "").lower()
    charset = None
    for part in ctype.split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k == "charset" and v:
            charset = v.strip("\"' ")
    mime = ctype.split(";")[0].strip()
    text = _decode(content, charset)
    if _SUBMISSION_HINT.match(text[:2000]):
        return _wrapped_to_text(text)
    if mime in ("text/html", "application/xhtml+xml") or looks_like_html(content[:8192]):
        return html_to_text(text)
    return _plain(text)
