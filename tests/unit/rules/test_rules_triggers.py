"""The program file's `triggers:`: every `on` kind and action parses; defects are refused with
the file, the trigger and the field; references to programs and rewards are checked."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from rules_fixtures import EXAMPLE

from core.programs import ProgramError, parse_programs
from core.rules.triggers import assign

GOOD = """
triggers:
  - id: birthday
    program: club
    on: {date: birthday, at: "08:30", time_zone: Asia/Tokyo}
    condition: customer.visits >= 1
    actions:
      - grant_points: 100
      - give_reward: five-off-card
      - issue_gift_card: {program: gift-eur, amount: "10.00", expires: end_of_day}
      - send_message: {channel: email, subject: {en: Hi, ja: こんにちは}, text: "{{ brand.name }}"}
  - {id: daily, program: club, on: {daily: "07:00"}, actions: [{grant_points: 1}]}
  - {id: anniversary, program: club, on: {date: registration}, actions: [{grant_points: 1}]}
  - {id: away, program: club, on: {inactive_days: 60}, actions: [{grant_points: 1}]}
  - {id: lapsing, program: club, on: {points_expiring_days: 7},
     actions: [{send_message: {channel: sms, text: "soon"}}]}
  - {id: gold, program: club, on: {tier_change: {to: gold}}, actions: [{grant_points: 5}]}
  - {id: hello, program: club, on: {event: customer.created},
     actions: [{issue_gift_card: {program: gift-eur, amount: "5.00", expires: {days: 30}}}]}
"""
REWARD = """
      - id: five-off-card
        name: "5 EUR card"
        cost: 500
        gives: {gift_card_credit: {program: gift-eur, amount: "5.00"}}
"""


def source(triggers: str, reward: bool = True) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    if reward:  # a gift-card credit reward in the club's catalogue
        text = text.replace("    rewards:\n", "    rewards:\n" + REWARD.lstrip("\n"), 1)
    return text + triggers


def test_every_kind_parses() -> None:
    found = parse_programs(source(GOOD), "yaml", "p.yaml").triggers
    assert found is not None
    by_id = {t.id: t for t in found}
    bday = by_id["birthday"]
    assert (bday.on, bday.value, bday.at, bday.time_zone) == \
        ("date", "birthday", dt.time(8, 30), "Asia/Tokyo")
    assert bday.condition is not None and [a.kind for a in bday.actions] == \
        ["grant_points", "give_reward", "issue_gift_card", "send_message"]
    assert (by_id["daily"].on, by_id["daily"].at) == ("daily", dt.time(7, 0))
    assert (by_id["away"].value, by_id["lapsing"].value) == (60, 7)
    assert by_id["gold"].value == "gold" and by_id["hello"].value == "customer.created"
    assert all(t.scheduled for t in found if t.id in ("daily", "anniversary", "away",
                                                       "lapsing", "birthday"))
    assert parse_programs(source(""), "yaml", "p.yaml").triggers is None


@pytest.mark.parametrize(("trigger", "where"), [
    ("{id: t, program: club, on: {}, actions: [{grant_points: 1}]}", "triggers[0] (t).on"),
    ("{id: t, program: club, on: {daily: '07:00', event: customer.created}, "
     "actions: [{grant_points: 1}]}", "triggers[0] (t).on: exactly one"),
    ("{id: t, program: club, on: {event: customer.created, at: '09:00'}, "
     "actions: [{grant_points: 1}]}", "scheduled triggers"),
    ("{id: t, program: club, on: {daily: '07:00', time_zone: Mars/Base}, "
     "actions: [{grant_points: 1}]}", "(t).on.time_zone"),
    ("{id: t, program: club, on: {inactive_days: 0}, actions: [{grant_points: 1}]}",
     "(t).on.inactive_days"),
    ("{id: t, program: club, on: {daily: '07:00'}, actions: []}", "(t).actions"),
    ("{id: t, program: club, on: {daily: '07:00'}, actions: [{grant_points: -1}]}",
     "(t).actions[0].grant_points"),
    ("{id: t, program: club, on: {daily: '07:00'}, actions: [{send_message: "
     "{channel: fax, text: x}}]}", "(t).actions[0].send_message.channel"),
    ("{id: t, program: club, on: {daily: '07:00'}, actions: [{issue_gift_card: "
     "{program: gift-eur, amount: 10.5}}]}", "(t).actions[0].issue_gift_card.amount"),
    ("{id: t, program: club, on: {daily: '07:00'}, actions: [{issue_gift_card: "
     "{program: club, amount: '1.00'}}]}", "issue_gift_card.program"),
    ("{id: t, program: gift-eur, on: {daily: '07:00'}, actions: [{grant_points: 1}]}",
     "(t).program"),
    ("{id: t, program: club, on: {daily: '07:00'}, condition: 'card.balance > 1', "
     "actions: [{grant_points: 1}]}", "(t).condition"),
    ("{id: t, program: club, on: {daily: '07:00'}, actions: [{grant_points: 1}], x: 1}",
     "triggers[0].x: unknown field"),
])
def test_defects_name_their_path(trigger: str, where: str) -> None:
    with pytest.raises(ProgramError) as caught:
        parse_programs(source(f"triggers:\n  - {trigger}\n"), "yaml", "p.yaml")
    assert where in caught.value.message and "p.yaml" in caught.value.message


def test_duplicate_ids_refused() -> None:
    one = "  - {id: t, program: club, on: {daily: '07:00'}, actions: [{grant_points: 1}]}\n"
    with pytest.raises(ProgramError, match="duplicate trigger ids"):
        parse_programs(source("triggers:\n" + one + one), "yaml", "p.yaml")


AB = """
triggers:
  - id: ab
    program: club
    on: {event: customer.created}
    holdout: 10
    variants:
      - {id: small, weight: 1, actions: [{grant_points: 5}]}
      - {id: big, weight: 3, actions: [{grant_points: 50}]}
"""


def test_variants_are_assigned_deterministically_by_weight() -> None:
    (trigger,) = parse_programs(source(AB), "yaml", "p.yaml").triggers or ()
    assert [(v.id, v.weight) for v in trigger.variants] == [("small", 1), ("big", 3)]
    groups = Counter(assign(trigger, f"LM-{i:08d}")[0] for i in range(4000))
    assert groups["holdout"] == pytest.approx(400, abs=80)
    assert groups["big"] == pytest.approx(3 * groups["small"], rel=0.15)
    assert assign(trigger, "LM-00000001") == assign(trigger, "LM-00000001")
    held = next(f"LM-{i:08d}" for i in range(100) if assign(trigger, f"LM-{i:08d}")[0]
                == "holdout")
    assert assign(trigger, held)[1] == ()  # the control group gets nothing


@pytest.mark.parametrize(("change", "where"), [
    (("    variants:\n", "    actions: [{grant_points: 1}]\n    variants:\n"),
     "either actions or variants"),
    (("holdout: 10", "holdout: 95"), "(ab).holdout"),
    (("      - {id: big, weight: 3, actions: [{grant_points: 50}]}\n", ""),
     "(ab).variants: 2 to"),
    (("id: big", "id: holdout"), "names the control group"),
    (("id: big", "id: small"), "duplicate variant ids"),
    (("weight: 3", "weight: 0"), "variants[1].weight"),
])
def test_variant_defects(change: tuple[str, str], where: str) -> None:
    with pytest.raises(ProgramError) as caught:
        parse_programs(source(AB.replace(*change)), "yaml", "p.yaml")
    assert where in caught.value.message


REFERRAL = """
referral:
  program: club
  referrer: [{grant_points: 100}]
  friend: [{issue_gift_card: {program: gift-eur, amount: "5.00"}}]
  min_order: "20.00"
  max_per_referrer: 3
"""


def test_referral_parses_and_its_defects_name_their_path() -> None:
    found = parse_programs(source(REFERRAL), "yaml", "p.yaml").referral
    assert found is not None and (found.program, found.min_order, found.max_per_referrer) == \
        ("club", 2000, 3)
    assert [a.kind for a in found.referrer] == ["grant_points"]
    for change, where in ((("program: club", "program: gift-eur"), "referral.program"),
                          (("min_order: \"20.00\"", "min_order: 20.5"), "referral.min_order"),
                          (("max_per_referrer: 3", "max_per_referrer: 0"),
                           "referral.max_per_referrer"),
                          (("  friend: [{issue_gift_card: {program: gift-eur, amount: "
                            "\"5.00\"}}]\n", ""), "referral.friend: required")):
        with pytest.raises(ProgramError) as caught:
            parse_programs(source(REFERRAL.replace(*change)), "yaml", "p.yaml")
        assert where in caught.value.message, caught.value.message
