"""The `tracker` command: a thin click layer over the library.

Every error a user can cause or meet is a TrackerError; `Group.invoke` turns
it into one line on stderr and an exit code, here and nowhere else.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import click

from . import __version__
from .errors import TrackerError
from .render import clean, money, table, to_json

DEFAULT_DB = "db/tracker.db"
DEFAULT_CONFIG = "sources.yaml"


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except TrackerError as e:
            click.echo(f"Error: {clean(str(e))}", err=True)
            ctx.exit(e.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as e:  # a bug: still one line, traceback on request
            if os.environ.get("TRACKER_DEBUG"):
                raise
            click.echo(f"Error: internal error: {type(e).__name__}: {clean(str(e), 300)} "
                       "(set TRACKER_DEBUG=1 for a traceback)", err=True)
            ctx.exit(70)


def _db_option(f):
    return click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
                        type=click.Path(dir_okay=False), help="SQLite database file (created on first use).")(f)


def _config_option(f):
    return click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True,
                        type=click.Path(dir_okay=False), help="Sources and settings (YAML).")(f)


def _json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Output JSON instead of a table.")(f)


def _load(config_path: str):
    from .config import load_config

    return load_config(config_path)


def _open(db_path: str, create: bool = False):
    from .store import open_db

    return open_db(db_path, create=create)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tracker")
def cli() -> None:
    """Compute Deal Tracker: AI compute deals from news and SEC filings,
    every figure with its source sentence, conflicts flagged.

    \b
    Quick start:
      tracker demo                 # offline sample run
      tracker collect              # fetch sources.yaml into db/tracker.db
      tracker deals                # what was found
      tracker conflicts            # where sources disagree
    """


@cli.command()
@_db_option
@_config_option
@click.option("--quiet", "-q", is_flag=True, help="Only the final summary line.")
def collect(db_path: str, config_path: str, quiet: bool) -> None:
    """One full pass over every source, for cron.

    Fetches feeds, pages and SEC EDGAR, stores new documents, extracts claims,
    updates deals and conflicts. A failing source is recorded and reported; the
    others still run (exit 0; 69 only when every source failed). Two runs
    never overlap: the second exits with status 75.

    \b
    Example:
      tracker collect --db db/tracker.db --config sources.yaml
    """
    from .pipeline import collect as run_collect

    cfg = _load(config_path)
    show = (lambda r: _progress(r)) if (not quiet and sys.stderr.isatty()) else None
    summary = run_collect(cfg, db_path, progress=show)
    if not quiet:
        for r in summary.sources:
            if r.status != "ok":
                click.echo(f"FAILED {clean(r.source)}: {clean(r.error, 300)}", err=True)
            elif r.failed_items:
                click.echo(f"partly failed {clean(r.source)}: {r.failed_items} of {r.items} items; "
                           f"first: {clean(r.errors[0], 300)}", err=True)
        for err in summary.extract_errors[:5]:
            click.echo(f"extraction: {clean(err, 300)}", err=True)
    click.echo(summary.line())
    if summary.sources and not summary.ok:
        # Every source failed: most likely no network. Cron should hear it,
        # and `tracker collect || tracker demo` falls back to the demo.
        click.echo("Error: every source failed; nothing was collected", err=True)
        sys.exit(69)


def _progress(r) -> None:
    mark = "ok " if r.status == "ok" else "ERR"
    detail = (f"{r.new} new, {r.updated} updated, {r.unchanged} unchanged, {r.rejected} off-topic"
              if r.status == "ok" else clean(r.error, 160))
    click.echo(f"[{mark}] {clean(r.source, 40)}: {detail}", err=True)


@cli.command()
@_db_option
@_config_option
@click.argument("targets", nargs=-1, required=True)
def ingest(db_path: str, config_path: str, targets: tuple[str, ...]) -> None:
    """Add documents by hand: local HTML or text files, or URLs.

    \b
    Example:
      tracker ingest article.html https://example.com/news/deal
    """
    from .pipeline import ingest as run_ingest

    cfg = _load(config_path) if Path(config_path).exists() else _default_config()
    summary = run_ingest(cfg, db_path, list(targets))
    for r in summary.sources:
        if r.status != "ok":
            click.echo(f"FAILED {clean(r.error, 300)}", err=True)
    click.echo(summary.line())
    if summary.failed and not summary.ok:
        sys.exit(1)


def _default_config():
    from .config import Config

    return Config()


@cli.command()
@_db_option
@click.option("--all", "all_docs", is_flag=True, help="Re-extract every document, not only pending ones.")
def extract(db_path: str, all_docs: bool) -> None:
    """Re-run claim extraction over stored documents.

    Pending documents (new, changed, or extracted by an older extractor) by
    default; --all redoes every one. Each document's claims are replaced in
    one transaction and its deals' conflicts re-evaluated.
    """
    from .lock import RunLock
    from .pipeline import extract_pending

    with RunLock(db_path, "collect"):
        db = _open(db_path)
        n, new, errors = extract_pending(db, all_docs=all_docs)
    for e in errors[:10]:
        click.echo(clean(e, 300), err=True)
    click.echo(f"documents: {n} extracted; claims: {new} new")


@cli.command()
@_db_option
@_json_option
def deals(db_path: str, as_json: bool) -> None:
    """Deals found so far: buyer, provider, how many claims and sources."""
    from .store.claims import deal_rows

    rows = deal_rows(_open(db_path, create=True))
    if _emit_json_or_empty(rows, as_json, "No deals yet. Run `tracker collect` (or `tracker demo`)."):
        return
    click.echo(table(
        [(r["id"], r["buyer"], r["provider"], r["claims"], r["documents"], r["open_conflicts"],
          (r["last_seen"] or "")[:10]) for r in rows],
        ["id", "buyer", "provider", "claims", "sources", "conflicts", "last seen"]))


@cli.command()
@_db_option
@_json_option
@click.argument("deal", required=False)
@click.option("--field", help="Only this field (payment, capacity_power, gpu_type, ...).")
@click.option("--quotes", is_flag=True, help="Print each claim's source sentence.")
def claims(db_path: str, as_json: bool, deal: Optional[str], field: Optional[str], quotes: bool) -> None:
    """Claims, optionally for one DEAL (id, "Buyer/Provider" or a company).

    \b
    Example:
      tracker claims Anthropic/xAI --field payment --quotes
    """
    from .store.claims import claim_rows

    db = _open(db_path, create=True)
    rows = claim_rows(db, _deal_id(db, deal), field)
    if _emit_json_or_empty(rows, as_json, "No claims yet."):
        return
    click.echo(table(
        [(r["id"], f"{r['buyer']}/{r['provider']}", r["field"], _claim_value(r), r["scope"] or "",
          r["source"], (r["date"] or "")[:10]) for r in rows],
        ["id", "deal", "field", "value", "scope", "source", "date"]))
    if quotes:
        click.echo()
        for r in rows:
            click.echo(f"[{r['id']}] {clean(r['quote'])}\n      {clean(r['url'])}")


def _deal_id(db, ref: Optional[str]) -> Optional[int]:
    """The deal a user named (id, "Buyer/Provider" or a company), or None for all."""
    from .store.claims import find_deal

    if not ref:
        return None
    found = find_deal(db, ref)
    if found is None:
        raise TrackerError(f"no deal matches {ref!r} (see `tracker deals`)")
    return found.id


def _emit_json_or_empty(rows: list, as_json: bool, empty: str) -> bool:
    """Print JSON, or the empty-table message; True when nothing is left to print."""
    if as_json:
        click.echo(to_json(rows))
        return True
    if not rows:
        click.echo(empty)
        return True
    return False


def _claim_value(r: dict) -> str:
    v = r["value"]
    if r["field"] == "payment" and r["number"] is not None:
        v = money(r["number"]) + ({"month": "/month", "year": "/year", "total": " total"}.get(r["period"] or "", ""))
    elif r["number"] is not None and r["unit"]:
        v = f"{r['number']:,.6g} {r['unit']}"
    if r["approx"]:
        v = "~" + v
    return v


@cli.command()
@_db_option
@_json_option
@click.option("--status", type=click.Choice(["open", "resolved", "ignored", "all"]), default="open",
              show_default=True, help="Which conflicts to list.")
@click.option("--deal", help="Only conflicts on this deal.")
@click.option("--resolve", "resolve_id", type=int, metavar="ID", help="Mark conflict ID resolved (sticks across runs).")
@click.option("--ignore", "ignore_id", type=int, metavar="ID", help="Mark conflict ID ignored (sticks across runs).")
@click.option("--reopen", "reopen_id", type=int, metavar="ID", help="Undo --resolve/--ignore for conflict ID.")
@click.option("--note", help="A note to keep with --resolve/--ignore.")
def conflicts(db_path: str, as_json: bool, status: str, deal: Optional[str], resolve_id: Optional[int],
              ignore_id: Optional[int], reopen_id: Optional[int], note: Optional[str]) -> None:
    """Where sources disagree: each side's value, source, date and quote.

    \b
    Examples:
      tracker conflicts
      tracker conflicts --status all --json
      tracker conflicts --ignore 12 --note "B is a typo, confirmed with the outlet"
    """
    from .store.conflicts import list_conflicts, set_user_status

    db = _open(db_path, create=True)
    for cid, st in ((resolve_id, "resolved"), (ignore_id, "ignored"), (reopen_id, "open")):
        if cid is not None:
            set_user_status(db, cid, st, note)
            click.echo(f"conflict {cid}: marked {st}")
            return
    rows = list_conflicts(db, status=None if status == "all" else status, deal_id=_deal_id(db, deal))
    if as_json:
        click.echo(to_json(rows))
        return
    if not rows:
        click.echo(f"No {'' if status == 'all' else status + ' '}conflicts.")
        return
    for c in rows:
        click.echo(f"#{c['id']} [{c['status']}] {clean(c['buyer'])} / {clean(c['provider'])} — {clean(c['field'])}")
        click.echo(f"  {clean(c['summary'])}")
        for s in c["sides"]:
            click.echo(f"  - {clean(s['value'])}  ({clean(s['source'])}, {(s.get('date') or '')[:10]}"
                       f"{', SEC filing' if s.get('kind') == 'filing' else ''})")
            click.echo(f"    \"{clean(s['quote'], 400)}\"")
            click.echo(f"    {clean(s['url'])}")
        click.echo()


@cli.command()
@_db_option
@_config_option
@click.option("--dry-run", is_flag=True, help="Print the digest instead of sending it.")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the message to FILE.eml instead of sending.")
@click.option("--force", is_flag=True, help="Send even if today's digest was already sent.")
@click.option("--since", help="Cover changes since this ISO date/time instead of the last sent digest.")
def digest(db_path: str, config_path: str, dry_run: bool, output: Optional[str], force: bool,
           since: Optional[str]) -> None:
    """The daily email: what is new since the last digest that was sent.

    SMTP settings come from the environment: TRACKER_SMTP_HOST, _PORT, _USER,
    _PASSWORD, _TLS (starttls | ssl | none).

    \b
    Examples:
      tracker digest --dry-run
      tracker digest --output today.eml
      TRACKER_SMTP_HOST=mail.example.com TRACKER_SMTP_TLS=starttls tracker digest
    """
    from .digest import run_digest
    from .mail import SMTPSettings

    cfg = _load(config_path)
    db = _open(db_path, create=True)
    smtp = None if (dry_run or output) else SMTPSettings.from_env()
    result = run_digest(db, cfg, dry_run=dry_run, output=output, force=force, since=since, smtp=smtp)
    if dry_run:
        click.echo(result.text)
    elif result.status == "written":
        click.echo(f"digest written to {output}")
    elif result.status == "sent":
        click.echo(f"digest sent to {', '.join(cfg.digest.to)}")
    elif result.status == "already-sent":
        click.echo("today's digest was already sent (use --force to send again)")
    elif result.status == "skipped-empty":
        click.echo("nothing new; digest skipped (digest.send_empty is false)")
    else:
        click.echo(f"digest: {result.status}")


@cli.command()
@_db_option
@_config_option
def schedule(db_path: str, config_path: str) -> None:
    """Run collect and digest on the cron expressions in sources.yaml.

    Long-running; stops cleanly on SIGTERM or Ctrl-C. Each job never overlaps
    itself, and a late digest still runs (misfire grace time).
    """
    from .schedule import run_schedule

    cfg = _load(config_path)

    def do_collect():
        from .pipeline import collect as run_collect

        return run_collect(_load(config_path), db_path)

    def do_digest():
        from .digest import run_digest
        from .mail import SMTPSettings

        c = _load(config_path)
        return run_digest(_open(db_path, create=True), c, smtp=SMTPSettings.from_env())

    run_schedule(cfg, collect=do_collect, digest=do_digest)


@cli.command()
@_db_option
@_json_option
@click.option("--limit", default=10, show_default=True, help="How many runs.")
def runs(db_path: str, as_json: bool, limit: int) -> None:
    """Recent runs and, for the latest, how each source fared."""
    from .store.runs import recent_runs, run_sources

    db = _open(db_path, create=True)
    rows = recent_runs(db, limit)
    if as_json:
        click.echo(to_json([{**r, "sources": run_sources(db, r["id"])} for r in rows]))
        return
    if not rows:
        click.echo("No runs yet.")
        return
    click.echo(table([(r["id"], r["command"], r["started_at"], r["status"], r["sources_ok"],
                       r["sources_failed"], r["documents_new"], r["claims_new"]) for r in rows],
                     ["id", "command", "started", "status", "ok", "failed", "new docs", "new claims"]))
    latest = run_sources(db, rows[0]["id"])
    if latest:
        click.echo()
        click.echo(table([(s["source"], s["kind"], s["status"], s["new"], s["updated"], s["unchanged"],
                           s["rejected"], s["error"] or "") for s in latest],
                         ["source", "kind", "status", "new", "updated", "same", "off-topic", "error"]))


@cli.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Keep the demo database here (default: a temporary file).")
def demo(db_path: Optional[str]) -> None:
    """Offline demo: serve a bundled sample corpus on 127.0.0.1, collect it
    into a fresh database, print deals, conflicts and a digest preview."""
    from .demo import run_demo

    run_demo(db_path, echo=click.echo)


@cli.command()
@_db_option
@click.option("--port", default=8001, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (0.0.0.0 exposes the database to the network).")
def serve(db_path: str, port: int, host: str) -> None:
    """Explore the database in Datasette (needs the serve extra).

    Titled and described tables and views (deal_summary, claim_figures,
    conflict_sides), facets, full-text search on documents, canned queries
    (open conflicts with quotes, latest figures, figures over time, new since
    a date, sources ranked by conflicts) and a timeline chart on each deal's
    page. Install with: pip install -e '.[serve]'

    \b
    Example:
      tracker serve --db db/tracker.db --port 8001
      # then open http://127.0.0.1:8001/tracker
    """
    from .serve import serve as run_serve

    run_serve(db_path, host=host, port=port, echo=click.echo)


def main() -> None:
    cli(prog_name="tracker")
