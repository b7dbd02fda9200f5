"""Usage kept counted as records arrive and are voided answers exactly what re-tallying the
journal answers (`limits.tally`, merged per holding as the terminal merges it), whatever the
order of quotes, additions, voids and days."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from core.rules.limits import Usage, UsageRecord, tally
from core.rules.usage_counters import UsageCounters

ZONE = "Europe/Berlin"
STORE = "S1"
START = int(dt.datetime(2024, 12, 20, tzinfo=dt.UTC).timestamp())
CARDS = ["C1", "C2", "C3"]

records = st.builds(
    UsageRecord,
    at=st.integers(0, 240).map(lambda k: START + k * 6 * 3600),  # 60 days, over a new year
    program=st.sampled_from(["gift", "club"]),
    benefit=st.sampled_from(["", "", "r1", "r2"]),
    amount=st.integers(1, 5000),
    card=st.sampled_from(CARDS),
    customer=st.sampled_from([None, "C1", "K9"]),
    store=st.sampled_from([STORE, STORE, "S2"]),
)
steps = st.lists(st.one_of(
    st.tuples(st.just("add"), records),
    st.tuples(st.just("void"), st.integers(0, 40)),
    st.tuples(st.just("quote"), st.integers(0, 250).map(lambda k: START + k * 6 * 3600)),
), max_size=40)
holdings = st.lists(st.tuples(st.sampled_from(["gift", "club"]), st.sampled_from(CARDS)),
                    min_size=1, max_size=3)


def retallied(live: dict[int, UsageRecord], now: int, held: list[tuple[str, str]],
              customer: str | None) -> Usage:
    merged = {}
    for program, code in held:
        part = tally([r for r in live.values() if r.program == program], now=now,
                     time_zone=ZONE, card=code, customer=customer, store=STORE)
        merged.update(part.tallies)
    return Usage(merged)


@settings(max_examples=200, deadline=None)
@given(steps=steps, held=holdings, customer=st.sampled_from([None, "C1", "K9"]))
def test_counters_answer_what_a_tally_answers(steps, held, customer):
    counters = UsageCounters(ZONE, STORE)
    live: dict[int, UsageRecord] = {}
    seq, now = 0, START
    for kind, value in steps:
        if kind == "add":
            seq += 1
            live[seq] = value
            counters.add(seq, value)
        elif kind == "void":
            live.pop(value, None)
            counters.void(value)
        else:
            now = max(now, value)  # a till's clock moves forward between quotes
            assert counters.usage(now, held, customer) == retallied(live, now, held, customer)
    now += 3600
    assert counters.usage(now, held, customer) == retallied(live, now, held, customer)


def test_a_void_takes_a_use_back_and_a_new_year_starts_from_nothing():
    counters = UsageCounters(ZONE, STORE)
    day = int(dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC).timestamp())
    counters.add(1, UsageRecord(day, "club", "r1", 100, "C1", "C1", STORE))
    counters.add(2, UsageRecord(day + 60, "club", "r1", 100, "C1", "C1", STORE))
    usage = counters.usage(day + 120, [("club", "C1")], "C1")
    assert usage.get("club", "r1", "card", "daily").count == 2
    assert usage.get("club", "", "store", "yearly").amount == 200
    counters.void(2)
    usage = counters.usage(day + 180, [("club", "C1")], "C1")
    assert usage.get("club", "r1", "customer", "daily").count == 1
    next_year = int(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC).timestamp())
    assert counters.usage(next_year, [("club", "C1")], "C1") == Usage({})
    assert len(counters) == 0
