"""Deals and claims: resolving extracted facts into deals, atomically per document."""
from __future__ import annotations

from typing import Callable, Iterable, Optional

import sqlite_utils

from ..extract.companies import same_company
from ..models import Claim, Deal, ExtractedClaim
from . import transaction, utcnow

CLAIM_SELECT = (
    "SELECT c.id, c.deal_id, c.document_id, c.field, c.value, c.quote, c.number, c.unit, "
    "c.period, c.approx, c.min, c.max, c.scope, d.kind, d.source, d.url, d.title, "
    "COALESCE(d.published_at, d.filing_date, d.fetched_at) "
    "FROM claims c JOIN documents d ON d.id = c.document_id"
)


def _like_prefix(name: str) -> str:
    """A LIKE pattern for names starting with ``name``'s first word."""
    # (LIKE's own wildcards in a name only widen the candidates; same_company decides)
    return (name.split()[0] if name.split() else name) + "%"


def _claim(row: tuple) -> Claim:
    return Claim(
        id=row[0], deal_id=row[1], document_id=row[2], field=row[3], value=row[4],
        quote=row[5], number=row[6], unit=row[7], period=row[8], approx=bool(row[9]),
        min=row[10], max=row[11], scope=row[12], doc_kind=row[13], doc_source=row[14],
        doc_url=row[15], doc_title=row[16], doc_date=row[17],
    )


def _deal_id(conn, buyer: str, provider: str, agreement: str, now: str) -> int:
    """The deal of this buyer-provider pair, created if new. A company one
    source names in full and another without its generic tail ("Orrin Labs",
    "Orrin") is one company, so both sources land on one deal."""
    row = conn.execute(
        "SELECT id FROM deals WHERE buyer = ? AND provider = ? AND agreement = ?",
        (buyer, provider, agreement),
    ).fetchone()
    if row is None:
        for rid, b, p in conn.execute(
                "SELECT id, buyer, provider FROM deals WHERE agreement = ? AND buyer LIKE ? AND provider LIKE ? ORDER BY id",
                (agreement, _like_prefix(buyer), _like_prefix(provider))):
            if same_company(b, buyer) and same_company(p, provider):
                row = (rid,)
                break
    if row:
        conn.execute("UPDATE deals SET last_seen = ? WHERE id = ?", (now, row[0]))
        return row[0]
    cur = conn.execute(
        "INSERT INTO deals (buyer, provider, agreement, first_seen, last_seen) VALUES (?,?,?,?,?)",
        (buyer, provider, agreement, now, now),
    )
    return cur.lastrowid


def replace_document_claims(
    db: sqlite_utils.Database,
    document_id: int,
    extracted: Iterable[ExtractedClaim],
    extractor_version: int,
    after: Optional[Callable[[sqlite_utils.Database, set[int]], None]] = None,
) -> tuple[int, set[int]]:
    """Replace one document's claims in one transaction.

    Unchanged claims keep their ids (so conflicts that cite them stay valid);
    claims no longer extracted are removed; `after(db, touched_deal_ids)` runs
    inside the same transaction (conflict re-evaluation), so a crash never
    leaves claims without their conflicts. Returns (new claim count, deals touched).
    """
    now = utcnow()
    new = 0
    with transaction(db) as conn:
        old = {}
        touched: set[int] = set()
        for row in conn.execute(
            "SELECT id, deal_id, field, value, number, unit, period, approx, min, max, scope, quote "
            "FROM claims WHERE document_id = ?",
            (document_id,),
        ):
            old.setdefault(tuple(row[1:]), []).append(row[0])
            touched.add(row[1])
        seen_keys = set()
        for ec in extracted:
            deal_id = _deal_id(conn, ec.buyer, ec.provider, ec.agreement or "", now)
            touched.add(deal_id)
            key = (deal_id, ec.field, ec.value, ec.number, ec.unit, ec.period,
                   int(bool(ec.approx)), ec.min, ec.max, ec.scope, ec.quote)
            if key in seen_keys:
                continue  # the same fact twice in one sentence set: one claim
            seen_keys.add(key)
            if old.get(key):
                old[key].pop()
                continue
            conn.execute(
                "INSERT INTO claims (deal_id, document_id, field, value, number, unit, period, "
                "approx, min, max, scope, quote, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (key[0], document_id, *key[1:], now),
            )
            new += 1
        stale = [cid for ids in old.values() for cid in ids]
        for i in range(0, len(stale), 500):
            chunk = stale[i : i + 500]
            conn.execute(
                f"DELETE FROM claims WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        conn.execute(
            "UPDATE documents SET extractor_version = ?, extracted_at = ? WHERE id = ?",
            (extractor_version, now, document_id),
        )
        if after is not None and touched:
            after(db, touched)
    return new, touched


def claims_for_deal(db: sqlite_utils.Database, deal_id: int) -> list[Claim]:
    return [_claim(r) for r in db.conn.execute(CLAIM_SELECT + " WHERE c.deal_id = ? ORDER BY c.id", (deal_id,))]


def claims_by_ids(db: sqlite_utils.Database, ids: list[int]) -> list[Claim]:
    if not ids:
        return []
    out = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        out += [_claim(r) for r in db.conn.execute(
            CLAIM_SELECT + f" WHERE c.id IN ({','.join('?' * len(chunk))}) ORDER BY c.id", chunk)]
    return out


def list_deals(db: sqlite_utils.Database) -> list[Deal]:
    return [
        Deal(id=r[0], buyer=r[1], provider=r[2], agreement=r[3], first_seen=r[4], last_seen=r[5])
        for r in db.conn.execute(
            "SELECT id, buyer, provider, agreement, first_seen, last_seen FROM deals ORDER BY id"
        )
    ]


def find_deal(db: sqlite_utils.Database, ref: str) -> Optional[Deal]:
    """A deal by id, or by "Buyer/Provider" / "Buyer-Provider" / a party name."""
    rows = list_deals(db)
    if ref.isdigit():
        return next((d for d in rows if d.id == int(ref)), None)
    low = ref.lower().replace(" ", "")
    for sep in ("/", "->", "–", "-", ":"):
        if sep in low:
            a, b = low.split(sep, 1)
            for d in rows:
                if {d.buyer.lower().replace(" ", ""), d.provider.lower().replace(" ", "")} == {a, b}:
                    return d
    matches = [d for d in rows if low in (d.buyer.lower().replace(" ", ""), d.provider.lower().replace(" ", ""))]
    return matches[0] if len(matches) == 1 else None


def deal_rows(db: sqlite_utils.Database) -> list[dict]:
    """Deals with claim, source and open-conflict counts, most recently seen first."""
    cur = db.conn.execute(
        "SELECT d.id, d.buyer, d.provider, d.agreement, d.first_seen, d.last_seen, "
        "(SELECT COUNT(*) FROM claims c WHERE c.deal_id = d.id) AS claims, "
        "(SELECT COUNT(DISTINCT c.document_id) FROM claims c WHERE c.deal_id = d.id) AS documents, "
        "(SELECT COUNT(*) FROM conflicts k WHERE k.deal_id = d.id AND k.status = 'open') AS open_conflicts "
        "FROM deals d WHERE EXISTS (SELECT 1 FROM claims c WHERE c.deal_id = d.id) "
        "ORDER BY d.last_seen DESC, d.id"
    )
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]


def claim_rows(db: sqlite_utils.Database, deal_id: Optional[int] = None,
               field: Optional[str] = None) -> list[dict]:
    sql = (
        "SELECT c.id, c.deal_id, dl.buyer, dl.provider, c.field, c.value, c.number, c.unit, "
        "c.period, c.approx, c.min, c.max, c.scope, c.quote, c.document_id, d.source, d.kind, "
        "d.url, d.title, COALESCE(d.published_at, d.filing_date, d.fetched_at) AS date "
        "FROM claims c JOIN documents d ON d.id = c.document_id JOIN deals dl ON dl.id = c.deal_id"
    )
    where, args = [], []
    if deal_id is not None:
        where.append("c.deal_id = ?")
        args.append(deal_id)
    if field:
        where.append("c.field = ?")
        args.append(field)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY c.deal_id, c.field, date, c.id"
    cur = db.conn.execute(sql, args)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur]
