"""The daily digest: everything new since the last digest that was sent.

Window
    [start, end): start is the window_end of the last digest the SMTP server
    accepted (or --since, or the beginning of time); end is now, or now minus
    SETTLE_SECONDS while a collect/ingest run is in progress. The lag exists
    because writers stamp created_at / updated_at just before their
    transaction and may wait for the write lock (busy timeout 60 s) and hold
    it (well under 60 s): a row stamped before `end` could otherwise commit
    after we read and fall between two windows. With no run in progress (the
    check is made inside the same transaction as the reads, after taking
    `now`), any later writer stamps after `now`, so no lag is needed and a
    digest right after `tracker collect` shows what it collected.

Order
    Deals with new figures are listed largest first: by annualised payment
    (per month x 12, per year, total / the deal's term in years, or total / 5
    when no term is known; option-scope payments ignored), then by number of
    new figures, then by name.

Exactly once (see run_digest)
    1. In one write transaction: refuse if another digest is being sent, settle
       stale 'sending' rows as 'failed', compute the window, build the message
       and record it as 'sending' with its Message-ID.
    2. Hand it to the SMTP server (outside any transaction).
    3. Mark it 'sent' (server accepted) or 'failed' (it did not; the next run's
       window starts at the last *sent* digest, so it covers this one too).
    A process killed during 2 or before 3 leaves a 'sending' row. The next run
    treats it as not delivered as soon as it can tell the sender is gone (same
    host and the pid from the Message-ID no longer running, or older than
    STALE_SENDING_S otherwise) and sends that same window again under the same
    Message-ID. We chose "maybe a second copy" over "maybe a lost window": a
    second copy happens only for a crash in the milliseconds between the
    server's 250 reply to DATA and our COMMIT of 'sent', and it carries the
    first copy's Message-ID, so mail clients show it once.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import make_msgid, format_datetime
from pathlib import Path
from typing import Optional, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .config import Config
from .errors import ConfigError, DeliveryError, LockError
from .mail import SMTPSettings, send
from .models import FIELDS
from .render import clean, header_safe, safe_url, terminal_safe
from .store import transaction, utcnow
from .store import digests as store

log = logging.getLogger(__name__)

SETTLE_SECONDS = 120
STALE_SENDING_S = 15 * 60  # a 'sending' row from another host older than this is dead
MAX_DEALS = 40  # deals shown with their figures; the rest are counted
MAX_CLAIMS_PER_DEAL = 25
MAX_CONFLICTS = 40
QUOTE_CHARS = 400
DEFAULT_TERM_YEARS = 5

FIELD_LABELS = {
    "payment": "Payment",
    "capacity_power": "Power",
    "gpu_count": "GPUs",
    "gpu_type": "GPU type",
    "model": "Model",
    "facility": "Facility",
    "location": "Location",
    "start": "Start",
    "term_end": "Term ends",
    "term_years": "Term (years)",
    "termination_notice_days": "Termination notice",
    "ramp": "Ramp",
}
_FIELD_ORDER = {f: i for i, f in enumerate(FIELDS)}


@dataclass
class DigestResult:
    status: str  # sent | printed | written | skipped-empty | already-sent
    message: Optional[EmailMessage]
    text: str  # the plain-text part (terminal-safe)
    window_start: Optional[str]
    window_end: str
    counts: dict = field(default_factory=dict)
    digest_id: Optional[int] = None  # the digests row, when one was recorded


# --- time ---------------------------------------------------------------------

def _parse(ts: str) -> datetime:
    d = datetime.fromisoformat(ts)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.astimezone(timezone.utc)


def _iso(d: datetime) -> str:
    return d.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _tz(cfg: Config) -> ZoneInfo:
    try:
        return ZoneInfo(cfg.schedule.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"schedule.timezone: unknown time zone {cfg.schedule.timezone!r}") from None


def parse_since(since: str, tz: ZoneInfo) -> str:
    """--since: a date (midnight in the schedule's time zone) or an ISO 8601 time."""
    s = since.strip()
    try:
        d = datetime.fromisoformat(s)
    except ValueError:
        raise ConfigError(f"--since: expected a date (YYYY-MM-DD) or an ISO 8601 time, got {clean(s, 40)!r}") from None
    if d.tzinfo is None:
        d = d.replace(tzinfo=tz)
    return _iso(d)


def _human(ts: Optional[str], tz: ZoneInfo) -> str:
    if not ts:
        return ""
    try:
        d = _parse(ts).astimezone(tz)
    except ValueError:
        return clean(ts, 40)
    return f"{d.day} {d:%b %Y %H:%M} {d.tzname() or ''}".rstrip()


def _day(ts: Optional[str]) -> str:
    if not ts:
        return ""
    return clean(ts, 40)[:10]


# --- ranking --------------------------------------------------------------------

def annualised_payment(figures: list[tuple]) -> Optional[float]:
    """USD per year from a deal's payment claims (see the module docstring)."""
    terms = [n for f, n, _p, scope in figures if f == "term_years" and n and n > 0 and scope in (None, "", "initial")]
    term = max(terms) if terms else None
    best: Optional[float] = None
    for f, n, period, scope in figures:
        if f != "payment" or n is None or n <= 0 or scope == "option":
            continue
        if period == "month":
            v = n * 12
        elif period == "year":
            v = n
        else:
            v = n / (term or DEFAULT_TERM_YEARS)
        best = v if best is None else max(best, v)
    return best


def _money(v: Optional[float]) -> Optional[str]:
    if v is None:
        return None
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if v >= div:
            return f"${v / div:.3g}{suffix}/yr"
    return f"${v:.0f}/yr"


# --- building -------------------------------------------------------------------

_ENV: Optional[Environment] = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
            autoescape=select_autoescape(enabled_extensions=("html", "html.j2", "htm"), default=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    return _ENV


def _deal_name(d: dict) -> str:
    name = f"{clean(d.get('buyer'), 80)} – {clean(d.get('provider'), 80)}"
    if d.get("agreement"):
        name += f" ({clean(d['agreement'], 60)})"
    return name


def _source(c) -> dict:
    """The document a claim comes from, cleaned for display."""
    return dict(
        title=clean(c.doc_title, 200) or clean(c.doc_url, 120) or "(untitled)",
        url=safe_url(c.doc_url),
        source=clean(c.doc_source, 60),
        date=_day(c.doc_date),
        kind=clean(c.doc_kind, 20),
    )


def _claim_item(c, status: str, previous: list[str]) -> dict:
    return dict(
        field=c.field,
        label=FIELD_LABELS.get(c.field, clean(c.field, 40)),
        value=clean(c.value, 200) + (f" ({clean(c.scope, 20)})" if c.scope else ""),
        approx=bool(c.approx),
        status=status,
        previous=[clean(v, 120) for v in previous[:5]],
        quote=clean(c.quote, QUOTE_CHARS),
        **{"doc": _source(c)},
    )


def _side(c) -> dict:
    return dict(value=clean(c.value, 200), quote=clean(c.quote, QUOTE_CHARS), doc=_source(c))


def _summary(summary: object, field: str) -> str:
    """A conflict's summary without a leading "field:" (the label shows it)."""
    s = clean(summary, 300)
    prefix = f"{field}:"
    return s[len(prefix):].strip() if field and s.lower().startswith(prefix.lower()) else s


def build_content(db: sqlite_utils.Database, cfg: Config, start: Optional[str], end: str) -> dict:
    """Everything the templates show, all untrusted text already cleaned."""
    tz = _tz(cfg)
    deals_new = store.new_deals(db, start, end)
    new_ids = {d["id"] for d in deals_new}
    claims = store.new_claims(db, start, end)
    conflicts = store.changed_conflicts(db, start, end)
    deal_ids = {c.deal_id for c, _ in claims} | new_ids | {c["deal_id"] for c in conflicts}
    deals = store.deals_by_ids(db, list(deal_ids))
    for d in deals_new:
        deals.setdefault(d["id"], d)

    # Figures grouped by deal.
    by_deal: dict[int, list] = {}
    for c, _created in claims:
        by_deal.setdefault(c.deal_id, []).append(c)
    groups = []
    for deal_id, cs in by_deal.items():
        items = []
        earlier_cache: dict[str, list[str]] = {}
        for c in sorted(cs, key=lambda c: (_FIELD_ORDER.get(c.field, 99), c.id)):
            if c.field not in earlier_cache:
                earlier_cache[c.field] = store.earlier_values(db, deal_id, c.field, start)
            before = earlier_cache[c.field]
            if not before:
                status, previous = "new", []
            elif c.value in before:
                status, previous = "confirmed", []
            else:
                status, previous = "changed", before
            items.append(_claim_item(c, status, previous))
        annual = annualised_payment(store.deal_figures(db, deal_id))
        d = deals.get(deal_id, {"buyer": "?", "provider": "?", "agreement": ""})
        groups.append(dict(
            id=deal_id, name=_deal_name(d), is_new=deal_id in new_ids, annual=annual,
            annual_text=_money(annual), claims=items[:MAX_CLAIMS_PER_DEAL],
            more_claims=max(0, len(items) - MAX_CLAIMS_PER_DEAL), n_claims=len(items),
        ))
    groups.sort(key=lambda g: (-(g["annual"] or -1), -g["n_claims"], g["name"]))

    # New deals, each with the first source that mentions it.
    first_doc = {}
    for c, _created in claims:
        first_doc.setdefault(c.deal_id, _source(c))
    new_list = [
        dict(id=d["id"], name=_deal_name(d), first_seen=_human(d["first_seen"], tz),
             doc=first_doc.get(d["id"]))
        for d in deals_new
    ]

    # Conflicts changed in the window.
    new_conf, upd_conf, res_conf = [], [], []
    lo = start or ""
    for cf in conflicts:
        d = deals.get(cf["deal_id"], {"buyer": "?", "provider": "?", "agreement": ""})
        item = dict(
            id=cf["id"], deal_id=cf["deal_id"], deal=_deal_name(d), label=FIELD_LABELS.get(cf["field"], clean(cf["field"], 40)),
            summary=_summary(cf["summary"], cf["field"]), first_detected=_human(cf["first_detected"], tz),
            resolved_at=_human(cf["resolved_at"] or cf["updated_at"], tz),
            note=clean(cf.get("note"), 300), sides=[_side(c) for c in cf["sides"]],
        )
        if cf["status"] == "open":
            (new_conf if (cf["first_detected"] or "") >= lo else upd_conf).append(item)
        elif cf["status"] == "resolved":
            res_conf.append(item)
    open_total = store.count_open_conflicts(db)
    other_open = max(0, open_total - len(new_conf) - len(upd_conf))

    counts = dict(
        new_deals=len(deals_new),
        deals_with_new_figures=len(groups),
        new_figures=len(claims),
        new_conflicts=len(new_conf),
        updated_conflicts=len(upd_conf),
        resolved_conflicts=len(res_conf),
        open_conflicts=open_total,
    )
    counts["empty"] = not (len(deals_new) or len(claims) or new_conf or upd_conf or res_conf)
    return dict(
        counts=counts,
        new_deals=new_list,
        groups=groups[:MAX_DEALS],
        more_deals=max(0, len(groups) - MAX_DEALS),
        new_conflicts=new_conf[:MAX_CONFLICTS],
        updated_conflicts=upd_conf[:MAX_CONFLICTS],
        resolved_conflicts=res_conf[:MAX_CONFLICTS],
        more_conflicts=max(0, len(new_conf) + len(upd_conf) + len(res_conf) - 3 * MAX_CONFLICTS)
        if len(new_conf) > MAX_CONFLICTS or len(upd_conf) > MAX_CONFLICTS or len(res_conf) > MAX_CONFLICTS else 0,
        other_open=other_open,
    )


def _plural(n: int, one: str, many: Optional[str] = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def make_subject(cfg: Config, counts: dict, end: str) -> str:
    """Built from counts only, never from page text."""
    prefix = header_safe(cfg.digest.subject or "Compute deals", 80)
    local = _parse(end).astimezone(_tz(cfg))
    day = f"{local.day} {local:%b %Y}"
    if counts.get("empty"):
        return f"{prefix}: nothing new ({day})"
    parts = []
    if counts["new_deals"]:
        parts.append(_plural(counts["new_deals"], "new deal"))
    if counts["new_figures"]:
        parts.append(_plural(counts["new_figures"], "new figure"))
    conf = counts["new_conflicts"] + counts["updated_conflicts"]
    if conf:
        parts.append(_plural(conf, "conflict"))
    if counts["resolved_conflicts"]:
        parts.append(f"{counts['resolved_conflicts']} resolved")
    return f"{prefix}: {', '.join(parts)} ({day})"


def _require_addresses(cfg: Config) -> tuple[list[str], str]:
    to = [a.strip() for a in cfg.digest.to if a and a.strip()]
    if not to:
        raise ConfigError("digest.to is empty in sources.yaml: add at least one recipient address")
    if not cfg.digest.sender or not cfg.digest.sender.strip():
        raise ConfigError("digest.from is missing in sources.yaml: set the sender address")
    for a in to + [cfg.digest.sender]:
        if re.search(r"[\x00-\x1f\x7f,;<>\s]", a.strip()):
            raise ConfigError(f"digest: not a single e-mail address: {clean(a, 80)!r}")
    return to, cfg.digest.sender.strip()


def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def make_message_id(sender: str, when: datetime) -> str:
    """<cdt.STAMP.PID.HOSTTAG.RANDOM@domain>: the pid and host let a later run
    tell whether the process that was sending this digest is still alive."""
    domain = re.sub(r"[^A-Za-z0-9.-]", "", sender.rpartition("@")[2]) or "localhost"
    stamp = when.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"<cdt.{stamp}.{os.getpid()}.{_host_tag()}.{secrets.token_hex(6)}@{domain}>"


_MSGID = re.compile(r"^<cdt\.\d{14}\.(\d+)\.([0-9a-f]{8})\.")


def build_digest(db: sqlite_utils.Database, cfg: Config, *, since: Optional[str] = None,
                 now: Optional[str] = None, window_start: Optional[str] = None,
                 message_id: Optional[str] = None) -> tuple[EmailMessage, dict]:
    """Build the digest message without recording anything.

    `now` is the window's end (default: the current time, minus SETTLE_SECONDS
    while a collect is running).
    The window starts at `since` if given, else at `window_start` if given,
    else at the end of the last digest that was sent. Returns (message, info)
    where info has counts, window_start, window_end, text and html.
    """
    to, sender = _require_addresses(cfg)
    tz = _tz(cfg)
    if now is None:
        end = window_end(db, _wall_clock(db))
    else:
        end = _iso(_parse(now))
    if since is not None:
        start: Optional[str] = parse_since(since, tz)
    elif window_start is not None:
        start = window_start
    else:
        last = store.last_sent(db)
        start = last["window_end"] if last else None
    content = build_content(db, cfg, start, end)
    counts = content["counts"]
    subject = make_subject(cfg, counts, end)
    since_text = _human(start, tz) if start else "the beginning"
    ctx = dict(
        content,
        subject=subject,
        window_start=_human(start, tz),
        window_end=_human(end, tz),
        since_text=since_text,
        quiet_line=f"Nothing new since {since_text}: no new deals, figures or conflicts.",
    )
    charts = _conflict_charts(db, content["new_conflicts"] + content["updated_conflicts"], sender)
    ctx["charts"] = [dict(cid=cid[1:-1], alt=alt) for cid, alt, _png in charts]
    env = _env()
    text = env.get_template("digest.txt.j2").render(ctx)
    html = env.get_template("digest.html.j2").render(ctx)

    msg = EmailMessage()
    msg["Subject"] = header_safe(subject, 250)
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    when = datetime.now(timezone.utc)
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id or make_message_id(sender, when)
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    if charts:
        # multipart/alternative [text/plain, multipart/related [text/html, image/png...]]:
        # the images travel inline, referenced by Content-ID, no remote loads.
        html_part = msg.get_payload()[1]
        for i, (cid, alt, png) in enumerate(charts, 1):
            html_part.add_related(png, "image", "png", cid=cid, filename=f"deal-chart-{i}.png")
    info = dict(counts=counts, window_start=start, window_end=end, text=text, html=html,
                subject=subject, recipients=to, sender=sender, message_id=msg["Message-ID"])
    return msg, info


MAX_CHARTS = 3  # each is ~50 KB; a digest should stay light


def _conflict_charts(db: sqlite_utils.Database, conflicts: list[dict], sender: str) -> list[tuple[str, str, bytes]]:
    """(Content-ID, alt text, PNG) for the deals whose conflicts this digest
    reports, first ones first. Empty when matplotlib is not installed."""
    from . import charts

    out: list[tuple[str, str, bytes]] = []
    seen: set[int] = set()
    domain = sender.rpartition("@")[2] or "tracker.invalid"
    for cf in conflicts:
        deal_id = cf.get("deal_id")
        if deal_id is None or deal_id in seen or len(out) >= MAX_CHARTS:
            continue
        seen.add(deal_id)
        png = charts.deal_chart_png(db, deal_id)
        if png:
            alt = clean(charts.deal_chart_alt(db, deal_id), 600)
            out.append((make_msgid(f"deal{deal_id}", domain=domain), alt, png))
    return out


# --- running ----------------------------------------------------------------------

def _wall_clock(db: sqlite_utils.Database) -> datetime:
    """The current time, after the current second if rows were stamped in it.

    Stamps have one-second resolution and windows are half-open, so rows
    stamped in the current second belong to the next window; a digest taken
    right after `tracker collect` (same second) waits for the next second
    instead of showing nothing. Called before the digest's transaction.
    """
    now = datetime.now(timezone.utc)
    if store.latest_stamp(db) >= _iso(now):
        time.sleep(1.02 - now.microsecond / 1e6)
        now = datetime.now(timezone.utc)
    return now


def window_end(db: sqlite_utils.Database, wall: datetime) -> str:
    """`wall`, or SETTLE_SECONDS before it while a collect/ingest is running."""
    if store.run_in_progress(db, _iso(wall - timedelta(hours=6))):
        return _iso(wall - timedelta(seconds=SETTLE_SECONDS))
    return _iso(wall)


def _sender_alive(row: dict, now: datetime) -> bool:
    """Whether the process that recorded this 'sending' row may still be sending."""
    try:
        age = (now - _parse(row["created_at"])).total_seconds()
    except (TypeError, ValueError):
        age = STALE_SENDING_S + 1
    m = _MSGID.match(row.get("message_id") or "")
    if m and m.group(2) == _host_tag():
        pid = int(m.group(1))
        if pid == os.getpid() or age > 3600:
            return False  # our own process is not sending it; or the pid was reused
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        except OSError:
            return age <= STALE_SENDING_S
        return True
    return age <= STALE_SENDING_S


def _period_start(cfg: Config, now: datetime) -> datetime:
    """Start of the current digest period: the later of local midnight and the
    last time the digest cron fired (so a twice-a-day cron sends twice)."""
    tz = _tz(cfg)
    local = now.astimezone(tz)
    midnight = datetime(local.year, local.month, local.day, tzinfo=tz)
    start = midnight
    try:
        from apscheduler.triggers.cron import CronTrigger

        trig = CronTrigger.from_crontab(cfg.schedule.digest, timezone=tz)
        t = trig.get_next_fire_time(None, midnight)
        n = 0
        while t is not None and t <= local and n < 5000:
            start = t
            t = trig.get_next_fire_time(t, t + timedelta(seconds=1))
            n += 1
    except (ValueError, TypeError):
        pass
    return start.astimezone(timezone.utc)


def _write_eml(msg: EmailMessage, path: str) -> None:
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    try:
        tmp.write_bytes(msg.as_bytes())
        os.replace(tmp, p)
    except OSError as e:
        raise ConfigError(f"--output {p}: cannot write ({e.strerror or e})") from None


def run_digest(db: sqlite_utils.Database, cfg: Config, *, dry_run: bool = False,
               output: Optional[str] = None, force: bool = False, since: Optional[str] = None,
               smtp: Optional[SMTPSettings] = None, now: Optional[str] = None,
               out: Optional[TextIO] = None) -> DigestResult:
    """Build the digest and print it (dry_run), write it (output) or send it.

    dry_run returns the plain-text part as result.text, terminal-safe (the
    caller prints it; pass `out` to have it written there with the headers);
    output writes an .eml file. Neither records anything or marks the window
    sent. Sending records the digest as described in the module docstring.
    `now` (the wall clock, for tests) defaults to the current time; the window
    ends there, or SETTLE_SECONDS before it while a collect is running.

    Without `force`, nothing is sent if a digest was already sent in the
    current digest period (since local midnight in schedule.timezone, or the
    latest firing of schedule.digest if later) -> "already-sent", or if the
    window is empty and digest.send_empty is false -> "skipped-empty". `force`
    sends anyway (the window still starts at the last sent digest, so nothing
    is repeated); `since` also bypasses the already-sent check. Raises
    DeliveryError (recorded as 'failed', window left unsent), LockError
    (another process is sending a digest right now) or ConfigError.
    """
    wall = _parse(now) if now else _wall_clock(db)

    if dry_run or output:
        msg, info = build_digest(db, cfg, since=since, now=window_end(db, wall))
        text = terminal_safe(info["text"])
        status = "printed"
        if output:
            _write_eml(msg, output)
            status = "written"
        if dry_run and out is not None:
            stream = out
            head = (f"Subject: {clean(msg['Subject'])}\nFrom: {clean(msg['From'])}\n"
                    f"To: {clean(msg['To'])}\n\n")
            stream.write(head + text)
            if not text.endswith("\n"):
                stream.write("\n")
            stream.flush()
        return DigestResult(status, msg, text, info["window_start"], info["window_end"], info["counts"])

    _require_addresses(cfg)
    if smtp is None:
        smtp = SMTPSettings.from_env()

    # 1. Decide and record, atomically (this also serialises concurrent runs).
    with transaction(db) as conn:
        resend: Optional[dict] = None
        for row in store.sending(db):
            if _sender_alive(row, wall):
                raise LockError(
                    f"digest #{row['id']} is being sent by another process since "
                    f"{row['created_at']}; not sending another (try again later)"
                )
            log.warning("digest #%s was interrupted while sending (recorded %s); delivery unknown, "
                        "its window is sent again with its original Message-ID", row["id"], row["created_at"])
            store.set_status(conn, row["id"], "failed",
                             error="interrupted while sending; delivery unknown; window sent again")
            resend = resend or row
        if resend is not None:
            # The server may already have accepted it: send the very same window
            # under the very same Message-ID, so a mail client shows it once.
            # Anything newer waits for the next digest rather than hide under
            # a Message-ID a client may drop as a duplicate.
            msg, info = build_digest(db, cfg, window_start=resend["window_start"],
                                     now=resend["window_end"], message_id=resend["message_id"])
        last = store.last_sent(db)
        if resend is None and not force and since is None and last and last.get("sent_at"):
            try:
                sent_at = _parse(last["sent_at"])
            except ValueError:
                sent_at = None
            if sent_at is not None and sent_at >= _period_start(cfg, wall):
                log.info("digest already sent at %s (#%s); use --force to send another",
                         last["sent_at"], last["id"])
                return DigestResult("already-sent", None, "", last["window_end"], _iso(wall),
                                    {"empty": True}, digest_id=last["id"])
        if resend is None:
            msg, info = build_digest(db, cfg, since=since, now=window_end(db, wall))
        if resend is None and info["counts"]["empty"] and not cfg.digest.send_empty and not force:
            log.info("nothing new since %s; digest.send_empty is false, not sending",
                     info["window_start"] or "the beginning")
            return DigestResult("skipped-empty", msg, terminal_safe(info["text"]),
                                info["window_start"], info["window_end"], info["counts"])
        digest_id = store.insert_digest(
            conn, window_start=info["window_start"], window_end=info["window_end"],
            created_at=_iso(wall), status="sending", recipients=", ".join(info["recipients"]),
            subject=msg["Subject"], message_id=msg["Message-ID"],
        )

    # 2. Hand it over. 3. Settle.
    t0 = time.monotonic()
    try:
        refused = send(msg, smtp)
    except DeliveryError as e:
        store.settle(db, digest_id, "failed", error=str(e))
        log.info("digest #%s not sent: %s", digest_id, e)  # the caller reports it
        raise
    except BaseException as e:
        # Interrupted (SIGINT, SystemExit) or a bug: we do not know whether the
        # server got it. Leave it for the next run to resend rather than lose it.
        try:
            store.settle(db, digest_id, "failed",
                         error=f"interrupted while sending ({type(e).__name__}); delivery unknown")
        except BaseException:  # noqa: BLE001 - the 'sending' row is handled by the next run
            pass
        raise
    error = f"refused by the server: {', '.join(sorted(refused))}" if refused else None
    try:
        store.settle(db, digest_id, "sent", sent_at=utcnow(), error=error)
    except BaseException:
        log.error("digest #%s was accepted by %s:%s but could not be recorded as sent; "
                  "the next run may send its window again", digest_id, smtp.host, smtp.port)
        raise
    log.info("digest #%s sent to %d recipient(s) via %s:%s in %.1fs (%s)", digest_id,
             len(info["recipients"]) - len(refused), smtp.host, smtp.port, time.monotonic() - t0,
             msg["Subject"])
    return DigestResult("sent", msg, terminal_safe(info["text"]), info["window_start"],
                        info["window_end"], info["counts"], digest_id=digest_id)
