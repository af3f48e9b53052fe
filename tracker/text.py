"""Web pages to main text.

Boilerplate matters more here than usual: a "related articles" teaser that
says "OpenAI raises $40 billion" becomes a false claim downstream. So pages are
pruned of navigation, sidebars, teasers, cookie banners and footers before
trafilatura picks the main text, with precision favoured over recall.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

import lxml.etree
import lxml.html
import trafilatura
from bs4 import UnicodeDammit
from bs4.dammit import EncodingDetector

# Elements that never hold article text.
_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "footer", "aside", "form",
              "template", "svg", "button", "select", "dialog")
# class/id/role words that mark boilerplate blocks.
_BOILER = re.compile(
    r"(?:^|[\s_-])(?:related|trending|recommend\w*|cookie\w*|consent|gdpr|newsletter|"
    r"subscribe|subscription|signup|promo\w*|sidebar|side-bar|rail|share|sharing|social|"
    r"comments?|advert\w*|ads?|sponsor\w*|popular|most-?read|most-?popular|read-?more|"
    r"more-?stories|more-?news|footer|nav|navbar|navigation|menu|breadcrumbs?|teasers?|"
    r"outbrain|taboola|paywall|banner|modal|popup|tags|author-bio|bio|byline-social|"
    r"also-?read|you-?may-?like|recirc\w*|widget|ticker|headlines-?list|top-?stories)(?:$|[\s_-])",
    re.I,
)
# Inline teasers inside an article body: short blocks opening with a label.
_TEASER = re.compile(
    r"^\W*(?:related(?: stories| articles| coverage| reading)?|read (?:more|also|next)|also read|"
    r"see also|more(?: from| on| stories| coverage)?|recommended|don'?t miss|must read|"
    r"trending|popular|watch|listen|sign up|subscribe|advertisement|sponsored|"
    r"click here|follow us|share this|editor'?s pick|top stories|latest)\b\s*[:|>»\-–—]?",
    re.I,
)
_TEASER_TAGS = ("p", "li", "div", "h2", "h3", "h4", "h5", "h6", "span", "section", "figure")
_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"}
_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class PageText:
    title: Optional[str]
    text: str
    published_at: Optional[str]


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Labels servers put on UTF-8 by default (Apache's AddDefaultCharset et al.).
_WESTERN = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii",
            "windows-1252", "cp1252", "iso-8859-15", "latin-9"}


def _try(content: bytes, encoding: str) -> Optional[str]:
    try:
        return content.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def decode(content: bytes, charset: Optional[str] = None) -> str:
    """Bytes to text; never raises on bad bytes. In order: a byte-order
    mark; the declared charset, unless the bytes plainly contradict it
    (UTF-8 labelled Latin-1, a UTF-16 label on bytes with no NULs); UTF-8;
    the document's own declaration; detection, Windows-1252 last."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            text = _try(content, encoding)
            if text is not None:
                return text
    label = (charset or "").strip().lower()
    if label:
        if label in _WESTERN and not content.isascii():
            text = _try(content, "utf-8")
            if text is not None:
                return text
            label = "windows-1252"  # what browsers mean by these labels
        if not (label.startswith(("utf-16", "utf-32", "utf16", "utf32")) and b"\x00" not in content[:4096]):
            text = _try(content, label)
            if text is not None:
                return text
    text = _try(content, "utf-8")
    if text is not None:
        return text
    own = EncodingDetector.find_declared_encoding(content[:4096], is_html=True, search_entire_document=False)
    if own and own.lower() not in ("utf-8", "utf8"):
        text = _try(content, own)
        if text is not None:
            return text
    dammit = UnicodeDammit(content, ["windows-1252"], is_html=True)
    if dammit.unicode_markup is not None:
        return dammit.unicode_markup
    return content.decode("utf-8", errors="replace")


def normalise_text(text: str) -> str:
    """Tidy whitespace and control characters, one paragraph per line.

    NFKC folds full-width digits and odd spaces into plain ones so figures
    parse; quotes are taken from this text, so they stay verbatim to it.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _CTRL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_WS.sub(" ", line).strip() for line in text.split("\n"))
    out: list[str] = []
    for line in lines:
        if line:
            out.append(line)
    return "\n".join(out)


def _prune(tree: lxml.html.HtmlElement) -> None:
    body_len = len(tree.text_content() or "") or 1
    for el in list(tree.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tag in ("html", "body", "article", "main"):
            continue
        attrs = " ".join(filter(None, (el.get("class"), el.get("id"))))
        role = (el.get("role") or "").lower()
        hidden = el.get("hidden") is not None or el.get("aria-hidden") == "true" or re.search(
            r"display\s*:\s*none", el.get("style") or "")
        if hidden or role in _ROLES or (attrs and _BOILER.search(attrs)):
            # Never drop a block that holds most of the page: some sites wrap
            # the whole article in a class like "content-with-sidebar".
            if len(el.text_content() or "") < 0.5 * body_len:
                el.drop_tree()
    for el in list(tree.iter(*_TEASER_TAGS)):
        if el.getparent() is None:
            continue
        text = (el.text_content() or "").strip()
        if text and len(text) < 250 and _TEASER.match(text) and _is_teaser(el, text):
            el.drop_tree()


def _is_teaser(el: lxml.html.HtmlElement, text: str) -> bool:
    """A labelled block is a teaser when it is mostly a link or a call to act;
    "More than 300 MW..." also starts with "more" but is prose."""
    low = text.lower()
    if low.startswith(("sign up", "subscribe", "advertisement", "sponsored", "follow us",
                       "share this", "click here")):
        return True
    if re.match(r"^\W*[\w' ]{2,25}\s*[:|>»]", text):  # "Related:", "Read more »"
        return True
    linked = sum(len(a.text_content() or "") for a in el.iter("a"))
    return linked >= 0.5 * len(text)


def html_to_article(content: bytes, *, url: Optional[str] = None, charset: Optional[str] = None) -> PageText:
    """Main text, title and date of an article page. Broken HTML is fine;
    a page with no article text gives an empty `text`."""
    html = decode(content, charset)
    if not html.strip():
        return PageText(None, "", None)
    try:
        tree = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        # lxml refuses strings with an encoding declaration, and empty docs.
        try:
            tree = lxml.html.document_fromstring(html.encode("utf-8", "replace"))
        except (lxml.etree.ParserError, ValueError):
            return PageText(None, "", None)
    title = _title(tree)
    _prune(tree)
    result = trafilatura.bare_extraction(
        tree, url=url, include_comments=False, favor_precision=True,
        include_tables=True, with_metadata=True,
    )
    text = ""
    published = None
    if result is not None:
        text = result.text or ""
        published = result.date
        title = title or result.title
    if not text.strip():
        # trafilatura can give up on short pages; fall back to paragraphs.
        text = "\n".join(p.text_content() for p in tree.iter("p", "h1", "h2", "li"))
    return PageText(title=_clean_title(title), text=normalise_text(text), published_at=published)


def _title(tree: lxml.html.HtmlElement) -> Optional[str]:
    for xpath in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content',
                  "//h1", "//title"):
        found = tree.xpath(xpath)
        if found:
            val = found[0] if isinstance(found[0], str) else found[0].text_content()
            if val and val.strip():
                return val
    return None


def _clean_title(title: Optional[str]) -> Optional[str]:
    if not title:
        return None
    title = normalise_text(title).replace("\n", " ").strip()
    return title[:500] or None


def html_fragment_to_text(fragment: str) -> str:
    """Feed summaries (HTML snippets) to plain text."""
    if not fragment or not fragment.strip():
        return ""
    try:
        tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return normalise_text(re.sub(r"<[^>]+>", " ", fragment))
    for el in list(tree.iter("script", "style")):
        el.drop_tree()
    for el in tree.iter("p", "br", "div", "li"):
        el.tail = "\n" + (el.tail or "")
    return normalise_text(tree.text_content())
