"""Day close at the terminal (`DayClose`, held by `TerminalService`): one signed `close`
journal entry with the period's totals per operation and currency and a perpetual grand total,
like the fiscal tills' Z report; the next entry starts a new period.

The period is every entry after the previous `close` (or since the first entry). Totals are
(count, amount) per op and currency; amounts are minor units (points for earn and burn, whose
"currency" is the loyalty program). The grand total is the previous close's grand total plus
this period, so it only ever grows and a missing Z report shows as a jump. Central records the
entry without ledger effect. Works offline: the close is journaled and synced later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from core.close_report import CloseReport, Totals, add_to
from core.journal import EntryBody
from pos_app.terminal.context import TerminalContext
from pos_app.terminal.database import TerminalDB
from pos_app.terminal.staff_login import StaffLogin

REPORTS_FOLDER = "reports"  # HOME/reports/z-00001.pdf


@dataclass(frozen=True)
class PrintedClose:
    report: CloseReport
    path: Path  # the Z report PDF
    lines: list[str]  # the same report as text, for the screen


class DayClose:
    def __init__(self, ctx: TerminalContext, staff: StaffLogin) -> None:
        self._ctx = ctx
        self._staff = staff

    def close_day(self, staff: str) -> CloseReport:
        person = self._staff.manager(staff, "only a manager of this store may close the day")
        ident = self._ctx.identity()
        with self._ctx.db.write() as conn:
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
                add_to(totals, op, unit, int(count), int(amount or 0))
                add_to(grand, op, unit, int(count), int(amount or 0))
            seq, _ = TerminalDB.last_entry(conn)
            now = self._ctx.now_ms()
            entry = self._ctx.journal.append(
                conn, "close", staff=person.id, wall_ms=now,
                extra={"z": number, "from_seq": first_seq, "to_seq": seq, "totals": totals,
                       "grand": grand})
        return CloseReport(number, entry.body.seq, ident.terminal_id, ident.store_id, person.id,
                           person.name, opened, now, first_seq, seq, totals, grand,
                           entry.hash.hex())

    def print_report(self, report: CloseReport, lang: str = "en") -> PrintedClose:
        """REPORT as a one-page PDF in HOME/reports (local time on the paper)."""
        from pos_app.printing.z_report import report_lines, write_z_report

        when = dt.datetime.fromtimestamp(report.closed_ms / 1000).strftime("%Y-%m-%d %H:%M")
        path = self._ctx.home / REPORTS_FOLDER / f"z-{report.number:05d}.pdf"
        write_z_report(path, report, when, lang)
        return PrintedClose(report, path, report_lines(report, when, lang))
