"""The exposure report (`GET /v1/admin/exposure`): what terminals could still spend without
central, and what offline spending has already cost.

Per terminal and currency:
- `grants_outstanding`: the unused part of its open escrow grants (amount - applied uses);
- `floor_allowance`: for each floor-mode program, its `terminal_total` less the offline floor
  spends central has received from the terminal since its floor mark (the terminal's last pull
  with everything pushed — when the terminal's own caps restart);
- `exposure` = grants_outstanding + floor_allowance: the most it can still spend offline;
- `holds_outstanding`: online authorizations not yet committed or released (not offline risk,
  shown so the figures add up to the cards' balances);
- `realised_losses`: receivables recorded against its entries (overdrafts central accepted).
Stores and the totals are sums of their terminals' rows. Everything is read in one snapshot.

Beside the figures, what central caught terminals at: `flagged` (each flagged terminal, its
open flags' rules, and whether it is quarantined), `quarantined` (each quarantined terminal:
`acked_seq`, the last entry central applied; `head_seq`, the furthest journal head it has
reported since, refused requests included (`heads.note_refused`); `unsynced_entries`, the
difference: entries it journaled that central will never apply; and `unsynced_exposure` per
currency, its grants outstanding and floor allowance: what those entries can have spent
offline, had the till's caps held) and `cases` — every case that is a terminal's word central
could not back: an offline spend over its program's policy (`breach:<rule>`), value without
authority (`no_authority`, `unknown_staff`, `manager_required`, `earn_unbacked`, a card
issued beyond its pool or cap), and forks. These are the insider's moves docs/SECURITY.md
("Insider risk within one outage") bounds. `decommissioned` lists the retired terminals and
what came back from each (grants returned, their value per currency, codes released).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from core.money import format_minor
from wallet_sync.central import decommission
from wallet_sync.central.conflicts import list_cases
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import (
    Card,
    Conflict,
    Entry,
    Grant,
    Hold,
    Program,
    Receivable,
    Terminal,
    TerminalFlag,
)

FIELDS = ("grants_outstanding", "holds_outstanding", "floor_allowance", "exposure",
          "realised_losses")
# Case reasons that are a terminal's word central could not back (beside "breach:<rule>").
INSIDER_REASONS = ("fork", "no_authority", "unknown_staff", "manager_required",
                   "earn_unbacked", "over_value_cap", "code_not_reserved", "code_taken")


def figures(session: Session) -> dict[tuple[str, str], dict[str, int]]:
    """(terminal, currency) -> minor-unit figures; the report formats these."""
    rows: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for term, cur, total in session.execute(
            select(Grant.terminal, Card.currency, func.sum(Grant.amount - Grant.used))
            .join(Card, Card.code == Grant.card).where(Grant.status == "open")
            .group_by(Grant.terminal, Card.currency)):
        rows[(term, cur)]["grants_outstanding"] += int(total)
    for term, cur, total in session.execute(
            select(Hold.terminal, Card.currency, func.sum(Hold.amount))
            .join(Card, Card.code == Hold.card)
            .where(Hold.consumed_seq.is_(None), Hold.released_at.is_(None))
            .group_by(Hold.terminal, Card.currency)):
        rows[(term, cur)]["holds_outstanding"] += int(total)
    floor = {}
    for row in session.scalars(select(Program)):
        prog = parsed(row)
        if prog.kind == "gift_card" and prog.offline.mode == "floor" \
                and prog.offline.terminal_total is not None:
            floor[row.id] = (prog.currency, prog.offline.terminal_total)
    spent: dict[tuple[str, str], int] = {}
    if floor:
        for term, program, total in session.execute(
                select(Entry.terminal, Card.program, func.sum(Entry.amount))
                .join(Card, Card.code == Entry.card)
                .join(Terminal, and_(Terminal.id == Entry.terminal,
                                     Entry.seq > Terminal.floor_mark_seq))
                .where(Entry.op == "redeem", Entry.auth.is_(None), Entry.grant_id.is_(None),
                       Card.program.in_(sorted(floor)))
                .group_by(Entry.terminal, Card.program)):
            spent[(term, program)] = int(total)
    # A retired terminal spends nothing more that central would apply.
    live = list(session.scalars(select(Terminal.id)
                                .where(Terminal.status != "decommissioned")))
    for term in live:
        for pid, (cur, cap) in floor.items():
            rows[(term, cur)]["floor_allowance"] += max(0, cap - spent.get((term, pid), 0))
    for term, cur, total in session.execute(
            select(Receivable.terminal, Receivable.currency, func.sum(Receivable.amount))
            .group_by(Receivable.terminal, Receivable.currency)):
        rows[(term, cur)]["realised_losses"] += int(total)
    for values in rows.values():
        values["exposure"] = values["grants_outstanding"] + values["floor_allowance"]
    return dict(rows)


def report(session: Session) -> dict[str, Any]:
    stores = dict(session.execute(select(Terminal.id, Terminal.store)).all())
    by_terminal = figures(session)
    by_store: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(FIELDS, 0))
    totals: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for (term, cur), values in by_terminal.items():
        for name, value in values.items():
            by_store[(stores.get(term, "?"), cur)][name] += value
            totals[cur][name] += value

    def fmt(values: dict[str, int], cur: str) -> dict[str, str]:
        return {name: format_minor(values[name], cur) for name in FIELDS}

    return {
        "terminals": [{"terminal": term, "store": stores.get(term), "currency": cur,
                       **fmt(v, cur)} for (term, cur), v in sorted(by_terminal.items())],
        "stores": [{"store": store, "currency": cur, **fmt(v, cur)}
                   for (store, cur), v in sorted(by_store.items())],
        "totals": [{"currency": cur, **fmt(v, cur)} for cur, v in sorted(totals.items())],
        "flagged": flagged(session, stores),
        "quarantined": quarantined(session, stores, by_terminal),
        "cases": insider_cases(session, stores),
        "decommissioned": decommission.listing(session, stores),
    }


def quarantined(session: Session, stores: dict[str, str],
                by_terminal: dict[tuple[str, str], dict[str, int]]) -> list[dict[str, Any]]:
    """Quarantined terminals: how far their journals went past what central applied, and what
    that can have spent offline (its figures above)."""
    out = []
    for term, reason, last, head in session.execute(
            select(Terminal.id, Terminal.status_reason, Terminal.last_seq, Terminal.head_seq)
            .where(Terminal.status == "quarantined").order_by(Terminal.id)):
        exposure = [{"currency": cur, **{name: format_minor(v[name], cur) for name in
                                         ("grants_outstanding", "floor_allowance",
                                          "exposure")}}
                    for (t, cur), v in sorted(by_terminal.items()) if t == term]
        out.append({"terminal": term, "store": stores.get(term), "reason": reason,
                    "acked_seq": int(last), "head_seq": max(int(head), int(last)),
                    "unsynced_entries": max(0, int(head) - int(last)),
                    "unsynced_exposure": exposure})
    return out


def flagged(session: Session, stores: dict[str, str]) -> list[dict[str, Any]]:
    """Terminals with open flags (no grants) or quarantined, with their rules."""
    rules: dict[str, list[str]] = defaultdict(list)
    for term, reason in session.execute(select(TerminalFlag.terminal, TerminalFlag.reason)
                                        .where(TerminalFlag.cleared_at.is_(None))
                                        .order_by(TerminalFlag.id)):
        if reason not in rules[term]:
            rules[term].append(reason)
    quarantined = dict(session.execute(select(Terminal.id, Terminal.status_reason)
                                       .where(Terminal.status == "quarantined")).all())
    return [{"terminal": term, "store": stores.get(term), "rules": rules.get(term, []),
             "quarantined": term in quarantined, "status_reason": quarantined.get(term)}
            for term in sorted(set(rules) | set(quarantined))]


def insider_cases(session: Session, stores: dict[str, str]) -> list[dict[str, Any]]:
    """Every case that is a terminal's word central could not back, oldest first."""
    ids = list(session.scalars(select(Conflict.id).where(
        Conflict.reason.like("breach:%") | Conflict.reason.in_(INSIDER_REASONS))
        .order_by(Conflict.id)))
    return [{k: case[k] for k in ("id", "terminal", "seq", "card", "reason", "status",
                                  "opened_at")} | {"store": stores.get(case["terminal"])}
            for case in (list_cases(session, ids=ids, limit=len(ids)) if ids else [])]
