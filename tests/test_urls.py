from tracker.urls import canonical_url, url_key


def test_tracking_parameters_and_fragment_removed():
    assert canonical_url("https://News.Example.com:443/a/b?utm_source=rss&id=3&fbclid=x#top") == \
        "https://news.example.com/a/b?id=3"


def test_variants_share_one_key():
    variants = [
        "https://www.example.com/news/deal",
        "http://example.com/news/deal/",
        "https://example.com/news/deal?utm_medium=feed",
        "https://EXAMPLE.com/news/deal#comments",
    ]
    assert len({url_key(v) for v in variants}) == 1


def test_different_articles_differ():
    assert url_key("https://example.com/news/a") != url_key("https://example.com/news/b")
    assert url_key("https://example.com/p?id=1") != url_key("https://example.com/p?id=2")
