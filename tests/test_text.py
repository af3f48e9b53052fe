import pytest

from tracker.demo import load_articles, render_page
from tracker.relevance import judge
from tracker.config import DEFAULT_RELEVANCE
from tracker.text import html_fragment_to_text, html_to_article, normalise_text


def test_boilerplate_never_reaches_text():
    for article in load_articles():
        page = html_to_article(render_page(article).encode("utf-8"))
        for para in article["paragraphs"]:
            assert para in page.text
        for teaser in article.get("related", []):
            assert teaser not in page.text
        for junk in ("cookies", "Trending", "All rights reserved", "$9 a month", "NVDA", "Markets"):
            assert junk not in page.text, junk
        assert page.title == article["title"]
        assert page.published_at and page.published_at.startswith(article["date"][:10])


def test_non_utf8_page_is_decoded():
    html = ("<html><head><meta charset='windows-1252'><title>Caf\xe9</title></head><body><article>"
            "<p>Nebius signed a \u201clandmark\u201d agreement with Microsoft worth $17.4 billion for GPU capacity "
            "at its data center in Vineland, New Jersey, the company said in a statement on Monday.</p>"
            "</article></body></html>").encode("cp1252")
    page = html_to_article(html)
    assert "\u201clandmark\u201d" in page.text and "$17.4 billion" in page.text


def test_broken_and_empty_html():
    assert html_to_article(b"").text == ""
    assert html_to_article(b"   ").text == ""
    broken = b"<html><body><div><p>CoreWeave will supply GPU capacity to OpenAI under a new contract worth $4 billion<p>unclosed <b>bold"
    page = html_to_article(broken)
    assert "CoreWeave will supply GPU capacity" in page.text


def test_normalise_text_folds_odd_unicode():
    text = normalise_text("US$\u00a01.25\u2009billion \uff11\uff12 GPUs\r\n\r\n\x07next")
    assert text == "US$ 1.25 billion 12 GPUs\nnext"


def test_feed_summary_fragment():
    assert html_fragment_to_text("<p>One</p><p>Two <script>alert(1)</script></p>") == "One\nTwo"


def test_relevance_groups():
    ok = judge("Anthropic to pay xAI", "The deal covers GPU capacity for AI training.", DEFAULT_RELEVANCE)
    assert ok.relevant
    off = judge("Club signs stadium deal", "A $400 million naming-rights agreement.", DEFAULT_RELEVANCE)
    assert not off.relevant and "compute" in off.reason
    # Short acronyms are case-sensitive: "ai" in prose is not "AI".
    assert not judge(None, "the gpu contract was signed in Mumbai", {"x": ["AI"]}).relevant


P1 = ("CoreWeave signed an expanded agreement with Meta worth up to $14.2 billion to supply GPU "
      "compute capacity through December 2031, the company said in a filing on Tuesday.")
P2 = "The contract includes an option for additional capacity, and Meta can extend it by a further two years."
P3 = "More than 300 MW will come from two campuses in Texas, the company said."
BODY = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
LAYOUTS = {
    "wordpress widgets and comments": f"""<div id="page"><main><article class="post"><h1 class="entry-title">T</h1>
        <div class="entry-content">{BODY}</div></article>
        <nav class="post-navigation"><a href="/p">Previous: Oracle books $65 billion in contracts</a></nav>
        <div id="comments" class="comments-area"><ol><li><p>Microsoft pays $10 billion for less!</p></li></ol></div>
        </main><div id="secondary" class="widget-area"><h2>Popular</h2><a href="/x">xAI raises $20 billion</a></div></div>""",
    "unlabelled link list": f"""<div><div><h1>T</h1>{BODY}</div><div><h3>More from us</h3><ul>
        <li><a href="/a">Nvidia sells $57 billion of chips</a></li><li><a href="/b">OpenAI to spend $1.4 trillion</a></li>
        <li><a href="/c">Anthropic valued at $183 billion</a></li></ul></div></div>""",
    "teasers inside the article": f"""<article><h1>T</h1><p>{P1}</p><p><strong>Related:</strong>
        <a href="/x">OpenAI raises $40 billion</a></p><p>{P2}</p><p>Read more: <a href="/y">Nvidia's $57 billion
        quarter</a></p><p>{P3}</p><p>Sign up for our newsletter to get the $5 billion deals first.</p></article>""",
    "br-separated text": f"""<div id="content"><h1>T</h1>{P1}<br><br>{P2}<br><br>{P3}</div><div id="footer">About us</div>""",
    "promo table": f"""<article><h1>T</h1>{BODY}</article><table class="promo-grid"><tr>
        <td><a href="/a">Oracle lands $30 billion cloud deal</a></td><td><a href="/b">AMD wins 6 GW order</a></td></tr></table>""",
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layouts_keep_article_drop_teasers(layout):
    page = html_to_article(f"<html><body>{LAYOUTS[layout]}</body></html>".encode())
    for para in (P1, P2, P3):
        assert para in page.text
    for teaser in ("$65 billion", "$10 billion", "$20 billion", "$57 billion", "$1.4 trillion",
                   "$183 billion", "$40 billion", "$5 billion", "$30 billion", "6 GW", "About us"):
        assert teaser not in page.text, teaser
