"""Usage kept counted: the redemptions of a journal summed by local day as they are added, so a
quote's limit checks read a few sums instead of re-tallying a year of records.

`UsageCounters` holds, for one store's journal in one time zone, the count and amount of every
record by (program, benefit, scope, local day) for the program and store scopes, which every
record shares, and the records themselves by card and by customer (a handful each) for the
card and customer scopes. `usage` answers exactly what `limits.tally` answers over the same
records, merged per presented holding as the terminal merges them
(tests/unit/rules/test_usage_counters.py holds the two equal); its cost follows the days with
records this year and the presented card's own records, not the length of the journal.
Records are added in journal order and taken out again when voided (`void`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.rules.context import local_time
from core.rules.limits import PERIODS, Tally, Usage, UsageKey, UsageRecord

_SHARED = ("program", "store")  # scopes summed by day


@dataclass(frozen=True, slots=True)
class _Counted:
    record: UsageRecord
    day: int  # local date ordinal

    def benefits(self) -> tuple[str, ...]:
        return ("", self.record.benefit) if self.record.benefit else ("",)


class UsageCounters:
    def __init__(self, time_zone: str, store: str | None) -> None:
        self.time_zone, self.store = time_zone, store
        # program -> (benefit, scope) -> local day -> [count, amount]
        self._days: dict[str, dict[tuple[str, str], dict[int, list[int]]]] = {}
        self._by_card: dict[str, dict[int, _Counted]] = {}
        self._by_customer: dict[str, dict[int, _Counted]] = {}
        self._counted: dict[int, _Counted] = {}
        # Sums per period of each day map, for the local day `_sums_day` (None: none kept).
        self._sums: dict[tuple[str, str, str], dict[str, list[int]]] = {}
        self._sums_day: int | None = None
        self._starts: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._counted)

    def add(self, seq: int, record: UsageRecord) -> None:
        """Count RECORD, the journal entry SEQ (once; a seq seen before is ignored)."""
        if seq in self._counted:
            return
        item = _Counted(record, local_time(record.at, self.time_zone).date().toordinal())
        self._counted[seq] = item
        if record.card is not None:
            self._by_card.setdefault(record.card, {})[seq] = item
        if record.customer is not None:
            self._by_customer.setdefault(record.customer, {})[seq] = item
        self._count(item, 1)

    def void(self, seq: int) -> None:
        """Take the entry SEQ out of every count (a void of something never counted is a
        no-op: a load, an earn)."""
        item = self._counted.pop(seq, None)
        if item is None:
            return
        for key, group in ((item.record.card, self._by_card),
                           (item.record.customer, self._by_customer)):
            if key is not None:
                group.get(key, {}).pop(seq, None)
        self._count(item, -1)

    def _count(self, item: _Counted, sign: int) -> None:
        rec = item.record
        scopes = ("program", "store") if self.store is not None and rec.store == self.store \
            else ("program",)
        for scope in scopes:
            for benefit in item.benefits():
                key = (rec.program, benefit, scope)
                acc = self._days.setdefault(rec.program, {}).setdefault(
                    (benefit, scope), {}).setdefault(item.day, [0, 0])
                acc[0] += sign
                acc[1] += sign * rec.amount
                sums = self._sums.get(key)
                if sums is not None:
                    for period, start in self._starts.items():
                        if item.day >= start:
                            sums[period][0] += sign
                            sums[period][1] += sign * rec.amount

    def usage(self, now: int, holdings: Sequence[tuple[str, str]], customer: str | None
              ) -> Usage:
        """The tallies of each (program, code) presented, merged in order (a later holding's
        keys replace an earlier one's, as the terminal has always merged them)."""
        self._keep_day(local_time(now, self.time_zone).date())
        merged: dict[UsageKey, Tally] = {}
        for program, code in holdings:
            merged.update(self._shared(program))
            merged.update(_own(self._by_card.get(code, {}).values(), program, "card",
                               self._starts))
            if customer is not None:
                merged.update(_own(self._by_customer.get(customer, {}).values(), program,
                                   "customer", self._starts))
        return Usage(merged)

    def _keep_day(self, today: dt.date) -> None:
        if self._sums_day == today.toordinal():
            return
        self._sums.clear()
        self._sums_day = today.toordinal()
        self._starts = {p: d.toordinal() for p, d in _period_starts(today).items()}
        oldest = min(self._starts.values())
        for keys in self._days.values():  # a past year's days count in no window any more
            for days in keys.values():
                for day in [d for d in days if d < oldest]:
                    del days[day]
        for seq in [seq for seq, item in self._counted.items() if item.day < oldest]:
            item = self._counted.pop(seq)
            for key, group in ((item.record.card, self._by_card),
                               (item.record.customer, self._by_customer)):
                if key is not None:
                    group.get(key, {}).pop(seq, None)

    def _shared(self, program: str) -> dict[UsageKey, Tally]:
        out: dict[UsageKey, Tally] = {}
        for (benefit, scope), days in self._days.get(program, {}).items():
            key = (program, benefit, scope)
            sums = self._sums.get(key)
            if sums is None:
                sums = self._sums[key] = {p: [0, 0] for p in PERIODS}
                for day, (count, amount) in days.items():
                    for period, start in self._starts.items():
                        if day >= start:
                            sums[period][0] += count
                            sums[period][1] += amount
            for period, (count, amount) in sums.items():
                if count:
                    out[(program, benefit, scope, period)] = Tally(count, amount)
        return out


def _own(items: Iterable[_Counted], program: str, scope: str, starts: dict[str, int]
         ) -> dict[UsageKey, Tally]:
    sums: dict[UsageKey, list[int]] = {}
    for item in items:
        if item.record.program != program:
            continue
        for period, start in starts.items():
            if item.day < start:
                continue
            for benefit in item.benefits():
                acc = sums.setdefault((program, benefit, scope, period), [0, 0])
                acc[0] += 1
                acc[1] += item.record.amount
    return {key: Tally(c, a) for key, (c, a) in sums.items()}


def _period_starts(today: dt.date) -> dict[str, dt.date]:
    """The local first day of each window containing TODAY (as `limits.period_start`)."""
    return {"daily": today, "weekly": today - dt.timedelta(days=today.weekday()),
            "monthly": today.replace(day=1), "yearly": today.replace(month=1, day=1)}
