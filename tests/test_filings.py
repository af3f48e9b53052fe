"""tracker.filings.filing_to_text: EDGAR documents to readable text."""
from __future__ import annotations

import time
from pathlib import Path

from tracker.filings import filing_to_text, looks_like_html

from tests.edgar_server import big_filing_html

CORPUS = Path(__file__).parent / "corpus" / "edgar"


def read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def test_inline_xbrl_8k():
    text = filing_to_text(read("coreweave_8k_openai_expansion.htm"), "text/html")
    lines = text.split("\n")
    assert "FORM 8-K" in lines
    assert "Item 1.01 Entry into a Material Definitive Agreement." in lines
    assert any(ln.startswith("On September 25, 2025, CoreWeave, Inc. (the “Company”) and OpenAI OpCo")
               for ln in lines)
    assert "Delaware | 001-42563 | 82-3060021" in lines
    assert "104 | Cover Page Interactive Data File (embedded within the Inline XBRL document)" in lines
    # Hidden XBRL header, head, style and script are gone.
    for gone in ("AmendmentFlag", "0001769628", "crwv-20250925", "font-family", "trackPageView"):
        assert gone not in text
    assert "\u00a0" not in text and "  " not in text


def test_tables_flattened_with_signs_glued():
    html = (b"<table><tr><td>Revenue</td><td>$</td><td>1,364</td><td></td><td>$</td><td>584</td></tr>"
            b"<tr><td>Net loss</td><td>(</td><td>110</td><td>)</td><td>(</td><td>360</td><td>)</td></tr>"
            b"<tr><td>Margin</td><td>12</td><td>%</td></tr><tr><td>&#160;</td><td></td></tr></table>"
            b"<p>after</p>")
    assert filing_to_text(html, "text/html") == (
        "Revenue | $ 1,364 | $ 584\nNet loss | (110) | (360)\nMargin | 12%\nafter")


def test_big_table_in_10q():
    text = filing_to_text(read("coreweave_10q_rpo.htm"), "text/html")
    rows = [ln for ln in text.split("\n") if ln.startswith("Order form ")]
    assert len(rows) == 120
    assert rows[0] == "Order form 001 — committed GPU capacity, delivery year 2025 | $ 177 | $ 63 | 19%"
    assert "Committed value | Recognized to date | Share delivered" in text
    assert "our RPO was $55.6 billion" in text


def test_nested_table_and_hidden_content():
    html = (b"<div>Intro</div><table><tr><td>Outer<table><tr><td>a</td><td>b</td></tr></table></td>"
            b"<td>z</td></tr></table><div style='display: none'>secret</div>"
            b"<p hidden>also secret</p><p>Outro<br>next line</p>")
    text = filing_to_text(html, "text/html")
    assert text.split("\n")[0] == "Intro"
    assert "a | b" in text and "z" in text
    assert "secret" not in text
    assert text.endswith("Outro\nnext line")


def test_plain_text_and_full_submission():
    text = filing_to_text(read("fabrikam_8k_1999_style.txt"), "text/plain")
    assert text.startswith("SECURITIES AND EXCHANGE COMMISSION")
    assert "120 megawatts of data center" in text
    assert "ACCESSION NUMBER" not in text and "begin 644" not in text and "<TEXT>" not in text
    plain = filing_to_text(b"  ITEM 8.01  OTHER EVENTS.\r\n\r\n\r\n\r\nThe company   signed.\r\n", None)
    assert plain == "ITEM 8.01  OTHER EVENTS.\n\nThe company   signed."


def test_full_submission_with_html_documents():
    sub = (b"<SEC-DOCUMENT>x.txt\n<SEC-HEADER>ACCESSION NUMBER: 1\n</SEC-HEADER>\n"
           b"<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>1\n<FILENAME>d8k.htm\n<DESCRIPTION>8-K\n<TEXT>\n"
           b"<html><body><p>Main body.</p><table><tr><td>a</td><td>b</td></tr></table></body></html>\n"
           b"</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>ex991.htm\n"
           b"<DESCRIPTION>PRESS RELEASE\n<TEXT>\n<html><body><p>Press release text.</p></body></html>\n"
           b"</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-101.INS\n<SEQUENCE>3\n<FILENAME>x.xml\n<TEXT>\n"
           b"<XBRL><xbrl>facts</xbrl></XBRL>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")
    text = filing_to_text(sub, "text/plain")
    assert text == "Main body.\na | b\n\n[EX-99.1 PRESS RELEASE]\nPress release text."


def test_broken_html_is_still_read():
    text = filing_to_text(read("northwind_8k_broken.htm"), "text/html")
    assert "48 MW of data center capacity at its Abilene campus" in text
    assert "Contract value | $ 2.1 billion" in text
    assert "Text after the end." in text
    # Unbalanced tags inside an otherwise sane document: the parser recovers.
    html = b"<p>One <b>two</i> three</p></div></div><p>Four<table><tr><td>x</p></td></table>five"
    assert filing_to_text(html, "text/html") == "One two three\nFour\nx\nfive"


def test_encodings_and_sniffing():
    cp = "<p>\u201cQuoted\u201d \u2014 caf\u00e9</p>".encode("cp1252")
    assert filing_to_text(cp, "text/html") == "\u201cQuoted\u201d \u2014 caf\u00e9"
    latin = "<p>caf\u00e9</p>".encode("latin-1")
    assert filing_to_text(latin, "text/html; charset=ISO-8859-1") == "caf\u00e9"
    # HTML served as text/plain, and no content type at all.
    assert filing_to_text(b"<html><body><p>Hi</p><p>there</p></body></html>", "text/plain") == "Hi\nthere"
    assert filing_to_text(b"<div>a</div><div>b</div>", None) == "a\nb"
    assert looks_like_html(b"<!DOCTYPE html><p>") and not looks_like_html(b"Net income < 5 and > 3")
    for empty in (b"", b"   \n", b"<html></html>", b"<html><script>x</script></html>"):
        assert filing_to_text(empty, "text/html") == ""


def test_large_filing_whole_and_not_quadratic():
    data = big_filing_html(10 * 2**20)
    # Speed is measured in benchmarks/filings.py (0.6 s on the dev machine);
    # this only guards against a pathological (quadratic) parse, with a bound
    # loose enough for a loaded CI machine.
    t0 = time.process_time()
    text = filing_to_text(data, "text/html")
    elapsed = time.process_time() - t0
    assert elapsed < 20.0, f"10 MB filing took {elapsed:.2f}s of CPU"
    assert text.startswith("FORM 10-K\nGigawatt Cloud Inc.\nItem 1. Business.")
    assert text.endswith("END OF BIG FILING")
    assert "XBRLHIDDEN" not in text
    assert "Data center lease 0 | $ 1,000 | (0) | 0%" in text


def test_huge_text_node():
    para = b"word " * 700_000  # one 3.5 MB paragraph
    text = filing_to_text(b"<html><body><p>" + para + b"</p><p>end</p></body></html>", "text/html")
    assert text.endswith("word\nend") and len(text) > 3_000_000
