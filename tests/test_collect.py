"""`tracker collect` end to end: feeds and pages on 127.0.0.1 into a real
SQLite file, through the real CLI."""
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tracker.demo import load_articles, render_page

RELEVANT = [a for a in load_articles() if a["slug"] != "stadium-naming-rights"]


def rows(db_path, sql, *args):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def demo_config(write_config, server):
    return write_config(f"""
        user_agent: "Tracker tests tests@example.com"
        feeds:
          - name: demo
            url: {server.base}/feed.xml
        pages:
          - name: direct
            url: {server.base}/news/anthropic-xai-colossus
    """)


def test_collect_stores_every_relevant_article_once(demo_server, write_config, db_path, run_cli):
    cfg = demo_config(write_config, demo_server)
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert result.exit_code == 0, result.output
    assert "sources: 2 ok, 0 failed" in result.stdout
    docs = rows(db_path, "SELECT url, title, text, source, kind FROM documents ORDER BY url")
    # The feed links carry ?utm_source=rss and the page is also listed directly:
    # one row per article all the same, with the tracking parameter gone.
    assert len(docs) == len(RELEVANT)
    assert all("utm_" not in d[0] for d in docs)
    titles = {d[1] for d in docs}
    assert titles == {a["title"] for a in RELEVANT}
    for d in docs:
        assert d[4] == "article"
        for junk in ("cookies", "Related", "Trending", "All rights reserved", "$9 a month"):
            assert junk not in d[2]
    # The off-topic article is remembered as rejected, not stored.
    assert rows(db_path, "SELECT count(*) FROM rejected_urls")[0][0] == 1


def test_second_collect_adds_nothing_and_uses_validators(demo_server, write_config, db_path, run_cli):
    cfg = demo_config(write_config, demo_server)
    run_cli("collect", "--db", db_path, "--config", cfg)
    before = rows(db_path, "SELECT id, content_sha256 FROM documents ORDER BY id")
    claims_before = rows(db_path, "SELECT count(*) FROM claims")[0][0]
    second = run_cli("collect", "--db", db_path, "--config", cfg)
    assert second.exit_code == 0
    assert "0 new, 0 updated" in second.stdout
    assert rows(db_path, "SELECT id, content_sha256 FROM documents ORDER BY id") == before
    assert rows(db_path, "SELECT count(*) FROM claims")[0][0] == claims_before
    runs = rows(db_path, "SELECT status, documents_new FROM runs ORDER BY id")
    assert runs == [("ok", len(RELEVANT)), ("ok", 0)]


def test_changed_article_is_updated_not_duplicated(httpserver, write_config, db_path, run_cli):
    article = dict(RELEVANT[0])
    httpserver.expect_request("/story").respond_with_data(render_page(article), content_type="text/html")
    cfg = write_config(f"""
        pages:
          - name: story
            url: {httpserver.url_for('/story')}
    """)
    assert run_cli("collect", "--db", db_path, "--config", cfg).exit_code == 0
    httpserver.clear()
    article["paragraphs"] = article["paragraphs"] + ["Correction: the contract runs through June 2029."]
    httpserver.expect_request("/story").respond_with_data(render_page(article), content_type="text/html")
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert "1 updated" in result.stdout
    docs = rows(db_path, "SELECT text, extractor_version FROM documents")
    assert len(docs) == 1 and "June 2029" in docs[0][0]
    assert docs[0][1] is not None  # re-extracted after the change


def test_failing_sources_are_recorded_and_others_still_collected(demo_server, httpserver, write_config, db_path, run_cli):
    httpserver.expect_request("/broken.xml").respond_with_data("<rss><channel><item><title>x</ti", content_type="application/rss+xml")
    httpserver.expect_request("/error.xml").respond_with_data("oops", status=500)
    httpserver.expect_request("/empty.xml").respond_with_data("", content_type="application/rss+xml")
    cfg = write_config(f"""
        feeds:
          - name: good
            url: {demo_server.base}/feed.xml
          - name: malformed
            url: {httpserver.url_for('/broken.xml')}
          - name: server-error
            url: {httpserver.url_for('/error.xml')}
          - name: empty
            url: {httpserver.url_for('/empty.xml')}
          - name: unreachable
            url: http://127.0.0.1:9/feed.xml
    """)
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert result.exit_code == 0
    assert "sources: 1 ok, 4 failed" in result.stdout
    assert "FAILED malformed:" in result.stderr and "malformed feed" in result.stderr
    assert "FAILED server-error:" in result.stderr and "HTTP 500" in result.stderr
    assert "FAILED empty:" in result.stderr and "empty" in result.stderr
    assert "FAILED unreachable:" in result.stderr
    assert rows(db_path, "SELECT count(*) FROM documents")[0][0] == len(RELEVANT)
    failed = dict(rows(db_path, "SELECT source, error FROM run_sources WHERE status = 'failed'"))
    assert set(failed) == {"malformed", "server-error", "empty", "unreachable"}
    assert rows(db_path, "SELECT status FROM runs")[0][0] == "partial"


def test_failed_item_is_retried_next_run(httpserver, write_config, db_path, run_cli):
    a, b = RELEVANT[0], RELEVANT[2]
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>{a['title']}</title><link>{httpserver.url_for('/a')}</link></item>
      <item><title>{b['title']}</title><link>{httpserver.url_for('/b')}</link></item>
    </channel></rss>"""
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml", headers={"ETag": '"v1"'})
    httpserver.expect_request("/a").respond_with_data(render_page(a), content_type="text/html")
    httpserver.expect_request("/b").respond_with_data("busy", status=503)
    cfg = write_config(f"""
        feeds:
          - name: f
            url: {httpserver.url_for('/feed.xml')}
    """)
    first = run_cli("collect", "--db", db_path, "--config", cfg)
    assert "partly failed f: 1 of 2 items" in first.stderr
    httpserver.clear()
    # The feed would now say 304 if asked with the ETag; we must not ask with it.
    httpserver.expect_request("/feed.xml", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml")
    httpserver.expect_request("/b").respond_with_data(render_page(b), content_type="text/html")
    second = run_cli("collect", "--db", db_path, "--config", cfg)
    assert "1 new" in second.stdout, second.output
    assert rows(db_path, "SELECT count(*) FROM documents")[0][0] == 2


def test_listing_page_follows_matching_links(httpserver, write_config, db_path, run_cli):
    listing = """<html><body><nav><a href="/about">About</a></nav>
      <a href="/news/a">A</a> <a href="/news/b#comments">B</a> <a href="/video/x">X</a></body></html>"""
    httpserver.expect_request("/list").respond_with_data(listing, content_type="text/html")
    httpserver.expect_request("/news/a").respond_with_data(render_page(RELEVANT[0]), content_type="text/html")
    httpserver.expect_request("/news/b").respond_with_data(render_page(RELEVANT[3]), content_type="text/html")
    cfg = write_config(f"""
        pages:
          - name: listing
            url: {httpserver.url_for('/list')}
            follow: '/news/'
    """)
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert "2 new" in result.stdout
    paths = sorted(u.split("/", 3)[3] for (u,) in rows(db_path, "SELECT url FROM documents"))
    assert paths == ["news/a", "news/b"]


def test_config_typo_is_one_line_exit_2(write_config, db_path, run_cli):
    cfg = write_config("feedz:\n  - url: https://example.com/feed\n")
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "feedz (line 1): unknown key; did you mean 'feeds'?" in result.stderr


def test_every_source_failing_exits_69(write_config, db_path, run_cli):
    cfg = write_config(f"""
        feeds:
          - name: nowhere
            url: http://127.0.0.1:9/feed.xml
    """)
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert result.exit_code == 69
    assert "every source failed" in result.stderr


def test_lock_keeps_runs_apart(demo_server, write_config, db_path):
    """A second collect while one holds the lock exits 75 with a clear line."""
    from tracker.lock import RunLock

    cfg = demo_config(write_config, demo_server)
    with RunLock(db_path, "collect"):
        proc = subprocess.run([sys.executable, "-m", "tracker", "collect", "--db", db_path, "--config", cfg],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 75
    assert "another `tracker collect` is running" in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_two_collects_at_once_never_duplicate(demo_server, write_config, db_path):
    cfg = demo_config(write_config, demo_server)
    cmd = [sys.executable, "-m", "tracker", "collect", "--db", db_path, "--config", cfg]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes[0] == 0 and set(codes) <= {0, 75}
    for (out, err), p in zip(outs, procs):
        assert "database is locked" not in err
    assert rows(db_path, "SELECT count(*) FROM documents")[0][0] == len(RELEVANT)
    total, distinct = rows(db_path, "SELECT count(*), count(DISTINCT document_id || '|' || field || '|' || "
                                    "value || '|' || quote) FROM claims")[0]
    assert total == distinct
    assert rows(db_path, "PRAGMA integrity_check")[0][0] == "ok"


def test_atom_rdf_relative_links_and_duplicate_entries(httpserver, write_config, db_path, run_cli):
    a, b, c = RELEVANT[0], RELEVANT[2], RELEVANT[3]
    for path, art in (("/a", a), ("/b", b), ("/c", c)):
        httpserver.expect_request(path).respond_with_data(render_page(art), content_type="text/html")
    from string import Template

    feeds = Path(__file__).parent / "corpus" / "feeds"  # Atom and RSS 1.0 (RDF) fixtures
    atom = Template((feeds / "atom.xml").read_text()).substitute(a_title=a["title"], a_url=httpserver.url_for("/a"))
    rdf = Template((feeds / "rdf.xml").read_text()).substitute(b_title=b["title"], b_url=httpserver.url_for("/b"))
    rss_guid_only = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>g</title>
      <item><title>{c['title']}</title><guid isPermaLink="true">{httpserver.url_for('/c')}</guid></item>
      <item><title>{a['title']}</title><link>{httpserver.url_for('/a')}/</link></item></channel></rss>"""
    httpserver.expect_request("/atom.xml").respond_with_data(atom, content_type="application/atom+xml")
    httpserver.expect_request("/rdf.xml").respond_with_data(rdf, content_type="application/rdf+xml")
    httpserver.expect_request("/guid.xml").respond_with_data(rss_guid_only, content_type="application/rss+xml")
    cfg = write_config(f"""
        feeds:
          - name: atom
            url: {httpserver.url_for('/atom.xml')}
          - name: rdf
            url: {httpserver.url_for('/rdf.xml')}
          - name: guid
            url: {httpserver.url_for('/guid.xml')}
    """)
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert "sources: 3 ok, 0 failed" in result.stdout, result.output
    docs = rows(db_path, "SELECT title FROM documents ORDER BY title")
    assert sorted(t for (t,) in docs) == sorted([a["title"], b["title"], c["title"]]), (
        result.output, [r.path for r, _ in httpserver.log], rows(db_path, "SELECT url, reason FROM rejected_urls"))
    # /a was offered four ways; it was fetched (successfully) once.
    assert len([r for r, resp in httpserver.log if r.path in ("/a", "/a/") and resp.status_code == 200]) == 1


def test_a_url_form_the_server_fails_falls_back_to_another(httpserver, write_config, db_path, run_cli):
    """One feed offers an article as /story/ (which this server answers with
    404), a slower feed offers it as /story: the article is stored, from the
    form that works, although the broken form was tried first."""
    import time as _time

    from werkzeug import Response

    art = RELEVANT[2]
    httpserver.expect_request("/story").respond_with_data(render_page(art), content_type="text/html")
    httpserver.expect_request("/story/").respond_with_data("gone", status=404)

    def feed(link):
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                f"<item><title>{art['title']}</title><link>{httpserver.url_for(link)}</link></item></channel></rss>")

    def slow_plain_feed(request):
        _time.sleep(0.5)  # arrives after /story/ has failed
        return Response(feed("/story"), content_type="application/rss+xml")

    httpserver.expect_request("/slash.xml").respond_with_data(feed("/story/"), content_type="application/rss+xml")
    httpserver.expect_request("/plain.xml").respond_with_handler(slow_plain_feed)
    cfg = write_config(f"""
        feeds:
          - name: slash
            url: {httpserver.url_for('/slash.xml')}
          - name: plain
            url: {httpserver.url_for('/plain.xml')}
    """)
    result = run_cli("collect", "--db", db_path, "--config", cfg)
    assert [t for (t,) in rows(db_path, "SELECT title FROM documents")] == [art["title"]], result.output
    assert "1 new" in result.stdout
    assert "/story/: HTTP 404" in result.stderr  # the broken link is still reported
    again = run_cli("collect", "--db", db_path, "--config", cfg)
    assert "0 new" in again.stdout and rows(db_path, "SELECT count(*) FROM documents")[0][0] == 1
