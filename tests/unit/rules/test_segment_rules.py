"""Dynamic segments in the pure core: the program file's `segments:` mapping is compiled at
load, refused with its path when it reads anything but the customer or names an unknown
field, and evaluated against a customer's facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.programs import parse_programs
from core.rules.context import Customer
from core.rules.schema import ProgramError
from core.rules.segments import evaluate_segments

EXAMPLE = Path("/work/shared/examples/programs.yaml").read_text(encoding="utf-8")


def with_segments(block: str) -> str:
    return f"segments: {block}\n" + EXAMPLE


def test_the_example_file_has_no_segments_and_segments_compile() -> None:
    assert parse_programs(EXAMPLE, filename="programs.yaml").segments is None
    segs = parse_programs(with_segments(
        "{big_spender: 'customer.lifetime_spend >= 2000.0', "
        "dormant: 'customer.last_visit_days_ago >= 60'}")).segments
    assert segs is not None and sorted(segs) == ["big_spender", "dormant"]
    assert segs["dormant"].paths == ("customer.last_visit_days_ago",)


@pytest.mark.parametrize(("block", "message"), [
    ("{x: 'order.total >= 5.0'}", "p.yaml: segments.x: a segment reads only customer.* "
                                  "(not order)"),
    ("{x: 'now.weekday == \"Mon\" && customer.visits > 1'}",
     "p.yaml: segments.x: a segment reads only customer.* (not now)"),
    ("{x: 'customer.lifetime_spnd > 1.0'}", "p.yaml: segments.x: unknown field "
                                            "customer.lifetime_spnd"),
    ("{x: '\"y\" in customer.segments'}", "p.yaml: segments.x: a segment cannot read "
                                          "customer.segments"),
    ("{x: 'customer.visits + 1'}", "p.yaml: segments.x: must evaluate to true or false"),
    ("{Big: 'customer.visits > 1'}", "p.yaml: segments.Big: segment names are"),
    ("[dormant]", "p.yaml: segments: expected a mapping"),
])
def test_a_bad_segment_is_refused_with_its_path(block: str, message: str) -> None:
    with pytest.raises(ProgramError) as err:
        parse_programs(with_segments(block), filename="p.yaml")
    assert str(err.value).startswith(message), str(err.value)


def test_segments_hold_from_the_facts() -> None:
    segs = parse_programs(with_segments(
        "{big_spender: 'customer.lifetime_spend >= 2000.0', "
        "dormant: 'customer.last_visit_days_ago >= 60', "
        "vip: 'customer.attributes.vip == true'}")).segments
    assert segs is not None
    today = dt.date(2030, 5, 8)
    at = int(dt.datetime(2030, 3, 1, 12, tzinfo=dt.UTC).timestamp())
    rich = Customer("C1", "DE", lifetime_spend=2000_00, last_visit=at)
    assert evaluate_segments(segs, rich, "EUR", today) == ["big_spender", "dormant"]
    assert evaluate_segments(segs, rich, "EUR", dt.date(2030, 4, 29)) == ["big_spender"]
    # Never visited reads as dormant; a missing attribute makes that one segment not hold.
    assert evaluate_segments(segs, Customer("C2", "DE", lifetime_spend=1999_99), "EUR",
                             today) == ["dormant"]
    assert evaluate_segments(segs, Customer("C3", attributes={"vip": True}), "EUR",
                             today) == ["dormant", "vip"]
