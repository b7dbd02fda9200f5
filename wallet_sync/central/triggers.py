"""Running the program file's triggers (`core.rules.triggers`) on central.

The definitions in force are `trigger_definitions.py`'s. Two kinds of job run them
(`automation`): a `trigger` job per outbox event some trigger listens to (made by
`outbox.emit` in the event's transaction), and a `schedule` job per scheduled trigger and local
day, made by whichever process first sees the time has come (`schedule_due`; the job's key is
`schedule:<trigger>:<date>`, so a day is one job however many processes look).

A trigger fires for a customer at most once per occurrence — the event id, the local date, the
last visit an inactivity counts from, the lot expiry a warning is about — because the firing
row's (trigger, member, occurrence) is unique: it is inserted first, in a savepoint, and its
actions run in the same transaction only when the insert went in. Points, reward cards and
gift cards are written there too; a message becomes a job of its own (`messages`), sent after
commit, at most once per firing and action.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

import cel
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.money import format_minor, parse_minor
from core.rules.context import customer_from_data, customer_vars, local_time, zone
from core.rules.expressions import evaluate
from core.rules.points import PointsEvent, apply_event
from core.rules.triggers import Action, Trigger, assign
from wallet_sync.central import cards, jobs, members, outbox
from wallet_sync.central.db import Database
from wallet_sync.central.jobs import Taken
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.programs import parsed
from wallet_sync.central.tables import (
    Card,
    CustomerProfile,
    Member,
    MemberLot,
    OutboxEvent,
    Program,
    TriggerFiring,
)
from wallet_sync.central.trigger_definitions import definitions

log = logging.getLogger("walletpos.central")
DAY_S = 86400
SCAN_BATCH = 500


# ---- schedules -----------------------------------------------------------------------------


def schedule_due(db: Database, now: int, expiring_days: int = 14) -> int:
    """Make the schedule job of every scheduled trigger whose time today has come (in its
    zone), and today's `points.expiring` scan when an endpoint wants those events; returns how
    many this call made (0 when another process made them)."""
    with db.read() as session:
        due: list[tuple[Trigger | None, str, str]] = []
        heard = outbox.listeners(session)
        if heard.endpoints_for("points.expiring") or "points.expiring" in heard.trigger_types:
            day = dt.datetime.fromtimestamp(now, dt.UTC).date().isoformat()
            key = f"expiring:{day}"
            if session.scalar(select(jobs.Job.id).where(jobs.Job.key == key)) is None:
                due.append((None, key, day))
        for trigger in definitions(session):
            if not trigger.scheduled:
                continue
            local = local_time(now, trigger.time_zone)
            if local.time() < trigger.at:
                continue
            key = f"schedule:{trigger.id}:{local.date().isoformat()}"
            if session.scalar(select(jobs.Job.id).where(jobs.Job.key == key)) is None:
                due.append((trigger, key, local.date().isoformat()))
    made = 0
    if due:
        with db.write() as session:
            for scheduled, key, day in due:
                if scheduled is None:
                    made += jobs.add(session, "expiring", key, now,
                                     payload={"days": expiring_days})
                    continue
                made += jobs.add(session, "schedule", key, now, target=scheduled.id,
                                 payload={"trigger": scheduled.id, "day": day})
    return made


# ---- running a job -------------------------------------------------------------------------


def run_job(session: Session, job: Taken, now: int, key: SigningKey) -> str:
    """Fire what this job is for; a note for the job row ("fired 3")."""
    if job.kind == "expiring":
        return f"announced {announce_expiring(session, now, int(job.payload['days']))}"
    by_id = {t.id: t for t in definitions(session)}
    fired = 0
    event = session.get(OutboxEvent, job.event or "")
    if event is None or event.member is None:
        return "event_missing"
    about = session.get(Member, event.member)
    if about is None:
        return "member_missing"
    for trigger in by_id.values():
        if trigger.program != about.program:
            continue
        if trigger.on == "event" and trigger.value == event.type or (
                trigger.on == "tier_change" and event.type == "tier.changed"
                and trigger.value in (None, event.data.get("to"))):
            fired += fire(session, trigger, about, event.id, now, key, event=event.data)
    return f"fired {fired}"


def run_schedule_batch(session: Session, job: Taken, after: str, now: int, key: SigningKey
                       ) -> tuple[int, str | None]:
    """One batch of a schedule job: the members of the trigger's program after AFTER (code
    order), fired where due; (fired, the last code, or None when the scan is over). Each batch
    is its own transaction, so a large membership never holds central's writers for long; a
    scan cut short is taken again and fires nothing twice (the firing rows)."""
    trigger = next((t for t in definitions(session)
                    if t.id == str(job.payload.get("trigger"))), None)
    if trigger is None:
        return 0, None
    rows = list(session.scalars(select(Member).where(
        Member.program == trigger.program, Member.erased_at.is_(None), Member.code > after)
        .order_by(Member.code).limit(SCAN_BATCH)))
    day = dt.date.fromisoformat(str(job.payload["day"]))
    fired = sum(fire(session, trigger, member, occurrence, now, key)
                for member, occurrence in _scheduled(session, trigger, rows, day, now))
    return fired, rows[-1].code if len(rows) == SCAN_BATCH else None


def _anniversary(born: dt.date, day: dt.date) -> bool:
    if (born.month, born.day) == (day.month, day.day):
        return True
    leap = (born.month, born.day) == (2, 29)
    return leap and (day.month, day.day) == (2, 28) and not _is_leap(day.year)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _scheduled(session: Session, trigger: Trigger, rows: list[Member], day: dt.date, now: int
               ) -> Iterable[tuple[Member, str]]:
    """(member, occurrence) of those among ROWS a scheduled trigger is due for on DAY."""
    tz = zone(trigger.time_zone)
    if rows:
        if trigger.on == "daily":
            yield from ((m, day.isoformat()) for m in rows)
        elif trigger.on == "date" and trigger.value == "birthday":
            born = dict(session.execute(select(CustomerProfile.member, CustomerProfile.birthday)
                                        .where(CustomerProfile.member.in_([m.code for m in rows]))
                                        ).all())
            for m in rows:
                text = born.get(m.code)
                if text and _anniversary(dt.date.fromisoformat(text), day):
                    yield m, day.isoformat()
        elif trigger.on == "date":  # the registration anniversary, from the first year on
            for m in rows:
                registered = dt.datetime.fromtimestamp(m.created_at, tz).date()
                if registered.year < day.year and _anniversary(registered, day):
                    yield m, day.isoformat()
        elif trigger.on == "inactive_days":
            for m in rows:
                since = m.last_visit or m.created_at
                if since is not None and since <= now - int(trigger.value) * DAY_S:
                    yield m, f"inactive:{since}"
        else:  # points_expiring_days: the soonest live lot lapsing within N days
            horizon = now + int(trigger.value) * DAY_S
            soonest = dict(session.execute(
                select(MemberLot.member, MemberLot.expires_at)
                .where(MemberLot.member.in_([m.code for m in rows]), MemberLot.remaining > 0,
                       MemberLot.expires_at > now, MemberLot.expires_at <= horizon)
                .order_by(MemberLot.expires_at.desc())).all())
            for m in rows:
                if m.code in soonest:
                    yield m, f"expiring:{soonest[m.code]}"


def announce_expiring(session: Session, now: int, days: int) -> int:
    """`points.expiring` for every member with live points in lots that lapse on the day that
    is DAYS ahead (one day's window, so the daily scan announces each lot once)."""
    start = now + (days - 1) * DAY_S
    rows = session.execute(
        select(MemberLot.member, MemberLot.expires_at, MemberLot.remaining, Member.program)
        .join(Member, Member.code == MemberLot.member)
        .where(MemberLot.remaining > 0, MemberLot.expires_at > start,
               MemberLot.expires_at <= start + DAY_S, Member.erased_at.is_(None))
        .order_by(MemberLot.member, MemberLot.expires_at)).all()
    found: dict[str, dict[str, Any]] = {}
    for member, expires_at, remaining, program in rows:
        item = found.setdefault(member, {"member": member, "program": program, "points": 0,
                                         "expires_at": expires_at})
        item["points"] += remaining
    for member, data in found.items():
        outbox.emit(session, "points.expiring", data, now, member=member)
    return len(found)


# ---- firing ----------------------------------------------------------------------------------


def _condition_holds(session: Session, trigger: Trigger, member: Member, now: int) -> bool:
    if trigger.condition is None:
        return True
    row = session.get(Program, member.program)
    currency = row.currency if row is not None else "EUR"
    data = members.member_changes_for(session, [member.code])
    if not data:
        return False
    today = local_time(now, trigger.time_zone).date()
    ctx = cel.Context({"customer": customer_vars(customer_from_data(data[0], member.code),
                                                 currency, today, member.tier or "",
                                                 member.points or 0, trigger.time_zone)})
    return evaluate(trigger.condition, ctx).passed


def fire(session: Session, trigger: Trigger, member: Member, occurrence: str, now: int,
         key: SigningKey, *, event: dict[str, Any] | None = None) -> int:
    """1 when TRIGGER fired for MEMBER on OCCURRENCE now, 0 when it had (or does not hold)."""
    occurrence = occurrence[:64]
    if session.scalar(select(TriggerFiring.id).where(
            TriggerFiring.trigger == trigger.id, TriggerFiring.member == member.code,
            TriggerFiring.occurrence == occurrence)) is not None:
        return 0
    if not _condition_holds(session, trigger, member, now):
        return 0
    variant, actions = assign(trigger, member.code)
    try:
        with session.begin_nested():
            firing_id = int(session.execute(insert(TriggerFiring).values(
                trigger=trigger.id, member=member.code, occurrence=occurrence, fired_at=now,
                actions=[], variant=variant, spend_before=member.lifetime_spend or 0
            ).returning(TriggerFiring.id)).scalar_one())
    except IntegrityError:  # another process fired it first
        return 0
    # none for the control group (holdout)
    done = run_actions(session, actions, member, f"trigger:{firing_id}",
                       f"trigger:{trigger.id}", trigger.time_zone, now, key, event=event)
    session.execute(update(TriggerFiring).where(TriggerFiring.id == firing_id)
                    .values(actions=done))
    return 1


def run_actions(session: Session, actions: Iterable[Action], member: Member, ref: str,
                actor: str, time_zone: str, now: int, key: SigningKey, *,
                event: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Do ACTIONS for MEMBER (a trigger's firing, a referral's reward) in this transaction;
    REF names what they belong to (lots `<ref>:<n>`, message jobs `message:<ref>:<n>`), so the
    same REF never does them twice. What was done, for the record."""
    values: dict[str, Any] = {"customer": {"code": member.code, "tier": member.tier,
                                           "points": member.points}, "event": event or {}}
    return [_act(session, member, ref, i, action.kind, action.args, values, now, key, actor,
                 time_zone) for i, action in enumerate(actions)]


def _act(session: Session, member: Member, ref: str, index: int, kind: str,
         args: dict[str, Any], values: dict[str, Any], now: int, key: SigningKey, actor: str,
         time_zone: str) -> dict[str, Any]:
    if kind == "grant_points":
        works = members.load(session, [member.code], lock=True)
        work = works.get(member.code)
        if work is None:
            return {"action": kind, "status": "program_unavailable"}
        ev = PointsEvent("earn", args["points"], f"{ref}:{index}"[:80], None, at=now)
        work.record(apply_event(work.account, ev), ev, actor=actor)
        members.save(session, works.values(), now)
        values["customer"]["points"] = work.member.points
        return {"action": kind, "points": args["points"]}
    if kind in ("issue_gift_card", "give_reward"):
        card = _gift_card(session, time_zone, member, kind, args, now, key, actor)
        if card is None:
            return {"action": kind, "status": "reward_unavailable"}
        values["gift_card"] = card
        return {"action": kind, "card": card["code"], "amount": card["amount"]}
    jobs.add(session, args["channel"], f"message:{ref}:{index}"[:200], now, target=member.code,
             payload={"from": actor, "subject": args.get("subject") or "",
                      "text": args["text"], "values": _plain(values)})
    return {"action": kind, "channel": args["channel"], "status": "queued"}


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if isinstance(v, dict | str | int | list)}


def _gift_card(session: Session, time_zone: str, member: Member, kind: str,
               args: dict[str, Any], now: int, key: SigningKey, actor: str
               ) -> dict[str, Any] | None:
    if kind == "give_reward":
        row = session.get(Program, member.program)
        loyalty = parsed(row).loyalty if row is not None else None
        reward = next((r for r in (loyalty.rewards if loyalty else ())
                       if r.id == args["reward"]), None)
        if reward is None or reward.gives.kind != "gift_card_credit":
            return None
        program, minor = reward.gives.program, reward.gives.amount or 0
        expires = now + reward.expiry_days * DAY_S if reward.expiry_days else None
    else:
        target = session.get(Program, args["program"])
        if target is None:
            return None
        program, minor = args["program"], parse_minor(args["amount"], target.currency)
        expires = _expiry(args.get("expires"), time_zone, now)
    target = session.get(Program, program)
    if target is None:
        return None
    currency = target.currency
    issued = cards.issue_cards(session, key, program, 1, format_minor(minor, currency), True,
                               now, actor=actor, customer=member.code,
                               expires_at=expires)[0]
    card = session.get(Card, issued["code"])
    expires_at = card.expires_at if card is not None else expires
    return {"code": issued["code"], "qr": issued["qr"], "amount": format_minor(minor, currency),
            "currency": currency, "expires_at": expires_at,
            "expires": (dt.datetime.fromtimestamp(expires_at, zone(time_zone))
                        .strftime("%Y-%m-%d %H:%M") if expires_at else "")}


def _expiry(expires: Any, time_zone: str, now: int) -> int | None:
    """`end_of_day`: the last second of today in the trigger's zone; {days: N}: N days on."""
    if expires == "end_of_day":
        local = local_time(now, time_zone)
        midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(0),
                                       tzinfo=local.tzinfo)
        return int(midnight.timestamp()) - 1
    if isinstance(expires, dict):
        return now + int(expires["days"]) * DAY_S
    return None

