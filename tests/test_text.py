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
