"""A day close's report (the Z report): the period's totals per operation and unit, the
perpetual grand total, and who closed. Plain data, shared by the terminal that journals the
`close` entry and the printer that puts it on paper.

Totals are (count, amount) per op and unit; the unit is the currency for money and the loyalty
program for points (earn, burn), whose amounts are points.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def add_to(into: Totals, op: str, unit: str, count: int, amount: int) -> None:
    cell = into.setdefault(op, {}).setdefault(unit, [0, 0])
    cell[0] += count
    cell[1] += amount
