"""The outbox: an event row written in the same transaction as the change it describes, and the
jobs that deliver it, so an event is sent if and only if its change committed.

`emit` is the one function every hook calls (ingest for journal entries, `members.save` for
points and tiers, `conflicts.open_case`, `members.create_member`, head office's card batches and
top-ups). It records an event only when someone listens to its type — a webhook endpoint that
subscribed to it, or a trigger that runs on it — so a central with no listeners writes nothing
more per entry than before. The listeners are read once per transaction (`session.info`), so
an endpoint added is in force from the next transaction on. Each listener gets its own job
(`jobs.Job`), keyed so the same event never makes the same job twice.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.rules.triggers import EVENT_TYPES as TRIGGER_EVENT_TYPES
from wallet_sync.central.tables import Job, OutboxEvent, TriggerDefinition, WebhookEndpoint

EVENT_TYPES = TRIGGER_EVENT_TYPES  # the vocabulary is core's: triggers name these types
TEST_TYPE = "webhook.test"  # what `webhooks test ID` sends (that endpoint only)
_INFO = "walletpos.outbox.listeners"


@dataclass(frozen=True)
class Listeners:
    endpoints: tuple[tuple[str, frozenset[str]], ...]  # (endpoint id, types; empty: all)
    trigger_types: frozenset[str]  # event types some trigger runs on

    def endpoints_for(self, event_type: str) -> list[str]:
        return [ep for ep, types in self.endpoints if not types or event_type in types]


def new_event_id() -> str:
    return "evt_" + secrets.token_hex(12)


def listeners(session: Session) -> Listeners:
    found = session.info.get(_INFO)
    if found is None:
        endpoints = tuple((ep_id, frozenset(events or ())) for ep_id, events in session.execute(
            select(WebhookEndpoint.id, WebhookEndpoint.events)
            .where(WebhookEndpoint.removed_at.is_(None)).order_by(WebhookEndpoint.id)))
        types: set[str] = set()
        for (definition,) in session.execute(select(TriggerDefinition.definition)):
            on = (definition or {}).get("on") or {}
            if isinstance(on, dict) and isinstance(on.get("event"), str):
                types.add(on["event"])
            if isinstance(on, dict) and "tier_change" in on:
                types.add("tier.changed")
        found = Listeners(endpoints, frozenset(types))
        session.info[_INFO] = found
    return found  # type: ignore[no-any-return]


def forget_listeners(session: Session) -> None:
    """After adding or removing an endpoint or triggers in this transaction."""
    session.info.pop(_INFO, None)


def emit(session: Session, event_type: str, data: dict[str, Any], now: int, *,
         member: str | None = None) -> str | None:
    """Record EVENT_TYPE with DATA for whoever listens; its id, or None when no one does."""
    heard = listeners(session)
    endpoints = heard.endpoints_for(event_type)
    triggered = event_type in heard.trigger_types and member is not None
    if not endpoints and not triggered:
        return None
    event_id = new_event_id()
    session.execute(insert(OutboxEvent).values(id=event_id, type=event_type, created=now,
                                               data=data, member=member))
    jobs = [{"kind": "webhook", "key": f"webhook:{ep}:{event_id}", "event": event_id,
             "target": ep, "payload": {}, "status": "pending", "attempts": 0, "due_at": now,
             "created_at": now} for ep in endpoints]
    if triggered:
        jobs.append({"kind": "trigger", "key": f"trigger:{event_id}", "event": event_id,
                     "target": member, "payload": {}, "status": "pending", "attempts": 0,
                     "due_at": now, "created_at": now})
    session.execute(insert(Job), jobs)
    return event_id


def emit_to(session: Session, endpoint: str, event_type: str, data: dict[str, Any], now: int
            ) -> str:
    """One event for one endpoint only (`webhooks test`)."""
    event_id = new_event_id()
    session.execute(insert(OutboxEvent).values(id=event_id, type=event_type, created=now,
                                               data=data, member=None))
    session.execute(insert(Job).values(kind="webhook", key=f"webhook:{endpoint}:{event_id}",
                                       event=event_id, target=endpoint, payload={},
                                       status="pending", attempts=0, due_at=now,
                                       created_at=now))
    return event_id


def body_of(event: OutboxEvent) -> dict[str, Any]:
    """The JSON every receiver gets: Stripe's shape."""
    return {"id": event.id, "type": event.type, "created": event.created, "data": event.data}
