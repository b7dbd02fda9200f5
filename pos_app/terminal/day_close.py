"""Day close at the terminal (`DayClose`, mixed into `TerminalService`): one signed `close`
journal entry with the period's totals per operation and currency and a perpetual grand total,
like the fiscal tills' Z report; the next entry starts a new period.

The period is every entry after the previous `close` (or since the first entry). Totals are
(count, amount) per op and currency; amounts are minor units (points for earn and burn, whose
"currency" is the loyalty program). The grand total is the previous close's grand total plus
this period, so it only ever grows and a missing Z report shows as a jump. Central records the
entry without ledger effect. Works offline: the close is journaled and synced later.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from core.errors import Declined
from core.journal import GENESIS_HASH, EntryBody, sign_entry
from pos_app.terminal import staff as staff_mod
from pos_app.terminal.store import Store

Totals = dict[str, dict[str, list[int]]]  # op -> unit (currency or program) -> [count, amount]


@dataclass(frozen=True)
class CloseReport:
    number: int  # Z number: 1 for the terminal's first close
    seq: int
    terminal: str
    store: str
    staff: str
    staff_name: str
    opened_ms: int | None  # the first entry of the period
    closed_ms: int
    first_seq: int
    last_seq: int
    totals: Totals
    grand: Totals
    hash_hex: str


def _add(into: Totals, op: str, unit: str, count: int, amount: int) -> None:
    cell = into.setdefault(op, {}).setdefault(unit, [0, 0])
    cell[0] += count
    cell[1] += amount


class DayClose:
    """Needs the `TerminalService` attributes: store, clock, identity(), key()."""

    def close_day(self, staff: str) -> CloseReport:
        store: Store = self.store  # type: ignore[attr-defined]
        person = next((p for p in staff_mod.list_staff(store) if p.id == staff), None)
        if person is None or person.role != "manager":
            raise Declined("only a manager of this store may close the day", "manager_required")
        ident = self.identity()  # type: ignore[attr-defined]
        with store.write() as conn:
            previous = conn.execute(text(
                "SELECT seq, data FROM journal WHERE op = 'close' ORDER BY seq DESC LIMIT 1")
            ).first()
            after, number, grand = 0, 1, {}
            if previous is not None:
                extra = EntryBody.decode(bytes(previous[1])).extra
                after, number = int(previous[0]), int(extra.get("z", 0)) + 1
                grand = {op: {u: list(v) for u, v in units.items()}
                         for op, units in extra.get("grand", {}).items()}
            rows = conn.execute(text(
                "SELECT op, COALESCE(currency, program, ''), COUNT(*), SUM(amount), MIN(seq), "
                "MAX(seq), MIN(wall_ms) FROM journal WHERE seq > :a AND op != 'close' "
                "GROUP BY op, COALESCE(currency, program, '') ORDER BY op"), {"a": after}).all()
            totals: Totals = {}
            first_seq = min((int(r[4]) for r in rows), default=after + 1)
            opened = min((int(r[6]) for r in rows), default=None)
            for op, unit, count, amount, *_ in rows:
                _add(totals, op, unit, int(count), int(amount or 0))
                _add(grand, op, unit, int(count), int(amount or 0))
            seq, prev = Store.last_entry(conn)
            now = self.clock()  # type: ignore[attr-defined]
            body = EntryBody(terminal=ident.terminal_id, seq=seq + 1,
                             prev_hash=prev or GENESIS_HASH, wall_ms=now,
                             mono=store.next_mono(conn), op="close", staff=person.id,
                             extra={"z": number, "from_seq": first_seq, "to_seq": seq,
                                    "totals": totals, "grand": grand})
            entry = sign_entry(body, self.key())  # type: ignore[attr-defined]
            Store.append(conn, entry, None)
        return CloseReport(number, body.seq, ident.terminal_id, ident.store_id, person.id,
                           person.name, opened, now, first_seq, seq, totals, grand,
                           entry.hash.hex())
