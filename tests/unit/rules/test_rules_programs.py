"""Program files: the example loads unchanged with every field parsed, and bad files are
refused with a message naming the file, the program and the field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml
from rules_fixtures import EXAMPLE

from core.programs import ProgramError, ProgramSet, load_document, parse_programs


def test_example_every_field_parsed(programs: ProgramSet) -> None:
    gift, credit, weekend, club = programs.programs
    assert (gift.default_value, gift.expiry_months, gift.limits.per_order_max,
            gift.limits.per_card_daily_count, gift.offline.mode,
            gift.offline.grant_per_card, gift.offline.max_offline_hours) == \
        (5000, 24, 20000, 5, "escrow", 5000, 72)
    assert (credit.offline.floor_per_transaction, credit.offline.terminal_total) == (2000, 30000)
    assert weekend.when is not None and weekend.valid_when == 'now.weekday in ["Sat", "Sun"]'
    loyalty = club.loyalty
    assert loyalty is not None and club.eligibility is not None
    assert club.member_code_pattern == "LM-########"
    assert [(r.id, r.on) for r in loyalty.earning] == \
        [("base", "purchase"), ("newsletter", "event:newsletter_signup")]
    assert [(t.id, t.min_points, t.earn_multiplier) for t in loyalty.tiers] == \
        [("basic", 0, 1), ("gold", 1000, 2)]
    assert loyalty.tiers[1].points_expiry.rolling_months == 24  # type: ignore[union-attr]
    assert loyalty.points_expiry.rolling_months == 12  # type: ignore[union-attr]
    assert loyalty.stacking.max_rewards_per_order == 2
    assert loyalty.stacking.combine_with_gift_cards is True
    assert (club.offline.floor_per_transaction, club.offline.terminal_total) == (300, 3000)
    assert dict(loyalty.rewards[1].name)["ja"] == "5ユーロ引き"


def test_keep_online_percent_defaults_to_half_and_may_be_set() -> None:
    gift = parse_programs(EXAMPLE.read_text(encoding="utf-8")).programs[0]
    assert gift.offline.keep_online_percent == 50  # the example file does not name it
    doc = _doc()
    doc["programs"][0]["offline"]["keep_online_percent"] = 0
    parsed = parse_programs(yaml.safe_dump(doc, allow_unicode=True), filename="programs.yaml")
    assert parsed.programs[0].offline.keep_online_percent == 0


def test_json_round_trip_reparses(programs: ProgramSet) -> None:
    """Central stores `raw` as JSON; terminals re-parse it with program_from_dict."""
    from core.programs import program_from_dict
    for prog in programs.programs:
        again = program_from_dict(json.loads(json.dumps(prog.raw)), f"program {prog.id}")
        assert again.loyalty == prog.loyalty and again.limits == prog.limits


def _doc() -> dict[str, Any]:
    return load_document(EXAMPLE.read_text(encoding="utf-8"))


def _refused(doc: dict[str, Any]) -> str:
    with pytest.raises(ProgramError) as err:
        parse_programs(yaml.safe_dump(doc, allow_unicode=True), filename="programs.yaml")
    assert err.value.reason == "invalid_program"
    return err.value.message


def _club(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["programs"][3]


CASES: list[tuple[str, Any, str]] = [
    ("min_order not decimal", lambda d: _club(d)["earning"][0].update(min_order="1O0"),
     "programs.yaml: programs[3] (club).earning[0].min_order: not a decimal amount"),
    ("unknown field", lambda d: _club(d)["earning"][0].update(ponts=3),
     "programs[3] (club).earning[0].ponts: unknown field"),
    ("unknown program field", lambda d: d["programs"][0].update(colour="red"),
     "programs[0] (gift-eur).colour: unknown field"),
    ("loyalty field on gift card", lambda d: d["programs"][0].update(tiers=[]),
     "programs[0] (gift-eur).tiers: only for loyalty programs"),
    ("unknown limit", lambda d: d["programs"][0]["limits"].update(per_card_hourly_count=1),
     "programs[0] (gift-eur).limits.per_card_hourly_count: unknown field"),
    ("negative cost", lambda d: _club(d)["rewards"][0].update(cost=-5),
     "programs[3] (club).rewards[0].cost: must not be negative"),
    ("cost as text", lambda d: _club(d)["rewards"][0].update(cost="100"),
     "programs[3] (club).rewards[0].cost: must be an integer"),
    ("tiers out of order", lambda d: _club(d)["tiers"].reverse(),
     "programs[3] (club).tiers[0].min_points: the first tier starts at 0"),
    ("tiers equal", lambda d: _club(d)["tiers"][1].update(min_points=0),
     "programs[3] (club).tiers[1].min_points: tiers must be in increasing order"),
    ("CEL syntax", lambda d: _club(d).update(eligibility="customer.country in ["),
     "programs[3] (club).eligibility: not a valid CEL expression"),
    ("CEL unknown field", lambda d: _club(d)["rewards"][1].update(condition="order.totl > 1.0"),
     "programs[3] (club).rewards[1].condition: unknown field order.totl"),
    ("CEL unknown variable", lambda d: d["programs"][2].update(valid_when="today == 'Sat'"),
     "programs[2] (gift-weekend).valid_when: unknown variable 'today'"),
    ("CEL not boolean", lambda d: _club(d).update(eligibility="order.total"),
     "programs[3] (club).eligibility: must evaluate to true or false"),
    ("CEL type error", lambda d: _club(d).update(eligibility='customer.visits > "3"'),
     "programs[3] (club).eligibility: type error"),
    ("unknown tier", lambda d: _club(d)["rewards"][1].update(tiers=["platinum"]),
     "programs[3] (club).rewards[1].tiers: unknown tier 'platinum'"),
    ("bad event", lambda d: _club(d)["earning"][1].update(on="newsletter"),
     "programs[3] (club).earning[1].on: must be 'purchase' or 'event:NAME'"),
    ("two gives", lambda d: _club(d)["rewards"][0]["gives"].update(percent_off=10),
     "programs[3] (club).rewards[0].gives: give exactly one of"),
    ("bad multiplier", lambda d: _club(d)["tiers"][1].update(earn_multiplier=-1),
     "programs[3] (club).tiers[1].earn_multiplier: must be a positive number"),
    ("points and per unit", lambda d: _club(d)["earning"][0].update(points=5),
     "programs[3] (club).earning[0]: give exactly one of points or points_per_unit"),
    ("stacking bool", lambda d: _club(d)["stacking"].update(combine_with_gift_cards="yes"),
     "programs[3] (club).stacking.combine_with_gift_cards: must be true or false"),
    ("expiry twice", lambda d: _club(d)["points_expiry"].update(months_after_earn=3),
     "programs[3] (club).points_expiry: give exactly one of"),
    ("offline extra", lambda d: d["programs"][0]["offline"].update(grants=1),
     "programs[0] (gift-eur).offline.grants: unknown field"),
    ("unknown top level", lambda d: d.update(owner="x"), "programs.yaml.owner: unknown field"),
    ("keep online above 100", lambda d: d["programs"][0]["offline"].update(
        keep_online_percent=101), "(gift-eur).offline.keep_online_percent: must be at most 100"),
    ("keep online negative", lambda d: d["programs"][0]["offline"].update(
        keep_online_percent=-1), "(gift-eur).offline.keep_online_percent: must not be negative"),
    ("keep online text", lambda d: d["programs"][0]["offline"].update(
        keep_online_percent="50"), "(gift-eur).offline.keep_online_percent: must be an integer"),
    ("keep online on floor", lambda d: d["programs"][1]["offline"].update(
        keep_online_percent=20),
     "(store-credit).offline.keep_online_percent: only for escrow mode"),
    ("duplicate reward", lambda d: _club(d)["rewards"].append(
        copy.deepcopy(_club(d)["rewards"][0])),
     "programs[3] (club).rewards: duplicate ids ['coffee']"),
    ("credit unknown program", lambda d: _club(d)["rewards"][0].update(
        gives={"gift_card_credit": {"program": "nope", "amount": "5.00"}}),
     "rewards[0].gives.gift_card_credit.program: 'nope' is not a gift-card program"),
    ("window hours", lambda d: d["programs"][0]["limits"].update(
        windows=[{"weekdays": ["Sat"], "from_hour": 18, "to_hour": 9}]),
     "limits.windows[0]: from_hour must be before to_hour"),
    ("weekday name", lambda d: d["programs"][0]["limits"].update(windows=[{"weekdays": ["Sa"]}]),
     "limits.windows[0].weekdays: 'Sa' is not one of"),
]


@pytest.mark.parametrize(("mutate", "message"), [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_program_files_are_refused(mutate: Any, message: str) -> None:
    doc = _doc()
    mutate(doc)
    assert message in _refused(doc)


def test_not_yaml_and_not_a_mapping() -> None:
    with pytest.raises(ProgramError, match="not valid yaml"):
        parse_programs("programs: [", filename="p.yaml")
    with pytest.raises(ProgramError, match="'programs' list"):
        parse_programs("- 1\n")


def test_json_format_accepted() -> None:
    doc = _doc()
    parsed = parse_programs(json.dumps(doc, ensure_ascii=False), fmt="json")
    assert [p.id for p in parsed.programs] == ["gift-eur", "store-credit", "gift-weekend", "club"]
