"""Deal timeline charts: each deal's figures as reported over time, by source.

`deal_chart_png(db, deal_id)` draws, for one deal, every reported payment
(normalised to USD per year, as in the `claim_figures` view), capacity (MW)
and GPU count against the date of the report that stated it. Each source has
its own colour and marker, and sources reporting on the same day are drawn
slightly apart; a claim that is part of an open conflict gets a thick red ring
and its value written beside it, and the band between the conflicting values
is shaded. Conflicting names (GPU types, models, facilities...) get a strip of
their own. `deal_chart_alt(db, deal_id)` says the same in one paragraph of
text (for an e-mail's alt text).

Rendering uses matplotlib's object API with the Agg canvas only (no pyplot,
no GUI, no network, bundled DejaVu fonts), so it is safe in a server thread.
Needs matplotlib (a core dependency); if it is missing deal_chart_png returns None.
"""
from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from .render import money

CONFLICT_RED = "#d62728"
_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf"]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h"]
_LOCK = threading.Lock()  # matplotlib's font cache and mathtext are not thread-safe

# (field, column of claim_figures, panel title, value formatter)
_NUMERIC = [
    ("payment", "usd_per_year", "Payment per year (USD, normalised)", lambda v: f"{money(v)}/yr"),
    ("capacity_power", "mw", "Capacity (MW)", lambda v: f"{v:,.6g} MW"),
    ("gpu_count", "number", "GPU count", lambda v: f"{v:,.0f} GPUs"),
]
_APPROX_TOL = 0.15  # as tracker.compare: "about $12B" spans +-15%


def charts_available() -> bool:
    """True when matplotlib is installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _conn(db: Any):
    return getattr(db, "conn", db)


def _rows(conn, sql: str, args: tuple = ()) -> list[dict]:
    cur = conn.execute(sql, args)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, tuple(r))) for r in cur.fetchall()]


def _parse_date(s: Optional[str]) -> Optional[datetime]:
    if not s:
        return None
    s = s.strip().replace("Z", "+00:00")
    for candidate in (s, s[:19], s[:10]):
        try:
            d = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return d.astimezone(timezone.utc).replace(tzinfo=None) if d.tzinfo else d
    return None


def load_deal_figures(db: Any, deal_id: int | str) -> Optional[dict]:
    """The deal and its claims (rows of `claim_figures`, oldest report first),
    or None when there is no such deal."""
    conn = _conn(db)
    try:
        did = int(deal_id)
    except (TypeError, ValueError):
        return None
    deal = _rows(conn, "SELECT id, buyer, provider, agreement FROM deals WHERE id = ?", (did,))
    if not deal:
        return None
    claims = _rows(
        conn,
        "SELECT claim_id, field, value, number, unit, period, approx, min, max, scope, usd_per_year, "
        "usd_total, term_years_used, mw, open_conflicts, open_conflict_ids, source, kind, date, quote "
        "FROM claim_figures WHERE deal_id = ? ORDER BY date, claim_id",
        (did,),
    )
    conflicts = _rows(
        conn,
        "SELECT id, field, summary FROM conflicts WHERE deal_id = ? AND status = 'open' ORDER BY id",
        (did,),
    )
    for c in claims:
        c["when"] = _parse_date(c["date"])
    return {"deal": deal[0], "claims": [c for c in claims if c["when"] is not None], "conflicts": conflicts}


def _panels(data: dict) -> tuple[list, list]:
    numeric = []
    for field, col, title, fmt in _NUMERIC:
        pts = [c for c in data["claims"] if c["field"] == field and c[col] is not None]
        if pts:
            numeric.append((field, col, title, fmt, pts))
    plotted = {f for f, *_ in numeric}
    categorical = [c for c in data["claims"] if c["open_conflicts"] and c["field"] not in plotted]
    return numeric, categorical


def _tex_safe(text: str) -> str:
    """Keep "$1.25B ... $15B" literal: matplotlib reads $...$ as mathtext."""
    return text.replace("$", r"\$")


def _deal_label(deal: dict) -> str:
    label = f"{deal['buyer']} \u2192 {deal['provider']}"
    return label + (f" ({deal['agreement']})" if deal.get("agreement") else "")


def deal_chart_png(db: Any, deal_id: int | str, *, width: float = 8.0, dpi: int = 100) -> Optional[bytes]:
    """A PNG timeline of one deal's reported figures, or None when the deal
    does not exist, has nothing to draw (no payment, capacity or GPU-count
    figure and no open conflict), or matplotlib is not installed (so an
    e-mail can simply go without the picture). `db` is a
    sqlite_utils.Database or a sqlite3.Connection on a tracker database
    (schema v3 or later)."""
    if not charts_available():
        return None
    data = load_deal_figures(db, deal_id)
    if data is None:
        return None
    numeric, categorical = _panels(data)
    if not numeric and not categorical:
        return None
    with _LOCK:
        return _render(data, numeric, categorical, width, dpi)


def _render(data: dict, numeric: list, categorical: list, width: float, dpi: int) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    claims = data["claims"]
    sources = sorted({c["source"] for c in claims})
    style = {s: (_PALETTE[i % len(_PALETTE)], _MARKERS[i % len(_MARKERS)]) for i, s in enumerate(sources)}

    # x range, and a small per-source offset so same-day reports stand apart
    dates = [c["when"] for c in claims]
    lo, hi = min(dates), max(dates)
    span = max((hi - lo).total_seconds() / 86400, 1.0)
    pad = timedelta(days=max(span * 0.12, 6))
    step = timedelta(days=max(span * 0.02, 0.6))

    def x_of(c: dict) -> float:
        i = sources.index(c["source"])
        return date2num(c["when"] + step * (i - (len(sources) - 1) / 2))

    cat_labels = sorted({f"{c['field']}: {c['value']}" for c in categorical},
                        key=lambda s: (s.split(":")[0], s))
    heights = [2.2] * len(numeric) + ([0.9 + 0.32 * len(cat_labels)] if categorical else [])
    fig = Figure(figsize=(width, sum(heights) + 1.5), dpi=dpi)
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(heights), 1, sharex=True, squeeze=False,
                        gridspec_kw={"height_ratios": heights})[:, 0]

    deal = data["deal"]
    n_conf = len(data["conflicts"])
    fields = ", ".join(sorted({k["field"] for k in data["conflicts"]}))
    fig.suptitle(_tex_safe(f"{_deal_label(deal)}: figures as reported"), fontsize=13, fontweight="bold",
                 x=0.02, ha="left")
    subtitle = (f"{n_conf} open conflict{'s' if n_conf != 1 else ''} ({fields})" if n_conf
                else "no open conflicts")
    subtitle += f" \u00b7 {len(sources)} source{'s' if len(sources) != 1 else ''} \u00b7 {len(claims)} claims"
    fig.text(0.02, 1 - 0.52 / (sum(heights) + 1.5), _tex_safe(subtitle), fontsize=9,
             color=CONFLICT_RED if n_conf else "#555555", ha="left")

    def point(ax, c: dict, y: float, lo_y: Optional[float] = None, hi_y: Optional[float] = None):
        colour, marker = style[c["source"]]
        x = x_of(c)
        conflicting = bool(c["open_conflicts"])
        if lo_y is not None and hi_y is not None and hi_y > lo_y:
            ax.vlines(x, lo_y, hi_y, color=colour, alpha=0.45, linewidth=3, zorder=2)
        ax.scatter([x], [y], s=150 if conflicting else 70, marker=marker,
                   facecolor="none" if c["scope"] and c["scope"] != "cumulative" else colour,
                   edgecolor=CONFLICT_RED if conflicting else colour,
                   linewidths=2.6 if conflicting else 1.4, zorder=4)

    for ax, (field, col, title, fmt, pts) in zip(axes, numeric):
        ax.set_title(title, fontsize=10, loc="left")
        ax.grid(True, axis="y", alpha=0.3)
        factor = {}
        for c in pts:
            n = c["number"] if c["number"] else None
            factor[c["claim_id"]] = (c[col] / n) if n else 1.0
        values = [c[col] for c in pts]
        # shade the band between the values of each open conflict on this field
        conf_ids = {i for c in pts if c["open_conflicts"] for i in (c["open_conflict_ids"] or "").split(",") if i}
        for cid in conf_ids:
            vs = [c[col] for c in pts if cid in (c["open_conflict_ids"] or "").split(",")]
            if len(vs) > 1 and max(vs) > min(vs):
                ax.axhspan(min(vs), max(vs), color=CONFLICT_RED, alpha=0.08, zorder=1)
        for c in pts:
            y = c[col]
            f = factor[c["claim_id"]]
            lo_y = hi_y = None
            if c["min"] is not None or c["max"] is not None:
                lo_y = (c["min"] * f) if c["min"] is not None else y
                hi_y = (c["max"] * f) if c["max"] is not None else y
            elif c["approx"]:
                lo_y, hi_y = y * (1 - _APPROX_TOL), y * (1 + _APPROX_TOL)
            point(ax, c, y, lo_y, hi_y)
            bound = ""
            if c["number"] is None and (c["min"] is None) != (c["max"] is None):
                bound = "\u2265" if c["min"] is not None else "\u2264"  # "more than" / "up to"
            label = ("~" if c["approx"] else "") + bound + fmt(y)
            stated = ("~" if c["approx"] else "") + (c["value"] or "")
            if field == "payment" and c["period"] != "year":
                term = f" over {c['term_years_used']:.3g}y" if c.get("term_years_used") else ""
                label = f"{stated}{term} \u2192 {label}"
            if c["scope"]:
                label += f" ({c['scope']})"
            conflicting = bool(c["open_conflicts"])
            right_half = x_of(c) > date2num(lo + (hi - lo) / 2) or (hi == lo and x_of(c) > date2num(lo))
            ax.annotate(_tex_safe(label), (x_of(c), y), xytext=(-9 if right_half else 9, 4 if conflicting else -10),
                        textcoords="offset points", fontsize=8, ha="right" if right_half else "left",
                        color=CONFLICT_RED if conflicting else "#333333",
                        fontweight="bold" if conflicting else "normal", zorder=5)
        top = max(max(values), max((c["max"] or 0) * factor[c["claim_id"]] for c in pts))
        ax.set_ylim(0, top * 1.3 if top > 0 else 1)
        ax.yaxis.set_major_formatter(FuncFormatter(
            (lambda v, _p: _tex_safe(money(v) if v else "$0")) if field == "payment" else (lambda v, _p: f"{v:,.0f}")))

    if categorical:
        ax = axes[-1]
        ax.set_title("Conflicting reports", fontsize=10, loc="left", color=CONFLICT_RED)
        ypos = {label: i for i, label in enumerate(reversed(cat_labels))}
        for c in categorical:
            point(ax, c, ypos[f"{c['field']}: {c['value']}"])
        ax.set_yticks(list(ypos.values()), [_tex_safe(k) for k in ypos], fontsize=8)
        ax.set_ylim(-0.7, len(cat_labels) - 0.3)
        ax.grid(True, axis="y", alpha=0.2)

    for ax in axes:
        ax.set_xlim(date2num(lo - pad), date2num(hi + pad))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    locator = AutoDateLocator(minticks=3, maxticks=8)
    axes[-1].xaxis.set_major_locator(locator)
    axes[-1].xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes[-1].set_xlabel("date of the report", fontsize=9)

    handles = [Line2D([], [], linestyle="", marker=style[s][1], markersize=8, color=style[s][0],
                      label=_tex_safe(s))
               for s in sources]
    if any(c["open_conflicts"] for c in claims):
        handles.append(Line2D([], [], linestyle="", marker="o", markersize=10, markerfacecolor="white",
                              markeredgecolor=CONFLICT_RED, markeredgewidth=2.5, label="in an open conflict"))
    if any(c["scope"] and c["scope"] != "cumulative" for c in claims if c["field"] in {f for f, *_ in numeric}):
        handles.append(Line2D([], [], linestyle="", marker="o", markersize=8, markerfacecolor="none",
                              markeredgecolor="#555555", label="part of the deal (site, phase, option...)"))
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 3), fontsize=8, frameon=False)
    bottom = (0.35 + 0.25 * ((len(handles) + 2) // 3)) / (sum(heights) + 1.5)
    fig.subplots_adjust(left=0.2 if categorical else 0.11, right=0.97, top=1 - 0.85 / (sum(heights) + 1.5),
                        bottom=bottom + 0.55 / (sum(heights) + 1.5), hspace=0.38)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def deal_chart_alt(db: Any, deal_id: int | str) -> str:
    """Alt text for the chart: the same figures in one paragraph."""
    data = load_deal_figures(db, deal_id)
    if data is None:
        return ""
    numeric, categorical = _panels(data)
    parts = []
    for field, col, title, fmt, pts in numeric:
        items = [f"{fmt(c[col])} ({c['source']}, {c['date'][:10]}"
                 f"{', in conflict' if c['open_conflicts'] else ''})" for c in pts]
        parts.append(f"{title.split(' (')[0].lower()}: " + "; ".join(items))
    if categorical:
        parts.append("conflicting reports: " + "; ".join(
            f"{c['field']} {c['value']} ({c['source']}, {c['date'][:10]})" for c in categorical))
    n = len(data["conflicts"])
    head = f"Timeline of {_deal_label(data['deal'])} figures as reported"
    head += f", {n} open conflict{'s' if n != 1 else ''}" if n else ", no open conflicts"
    return head + (". " + ". ".join(parts) + "." if parts else ".")
