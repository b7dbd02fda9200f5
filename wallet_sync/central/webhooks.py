"""Webhooks, on Stripe's conventions: endpoints head office registers (`add` prints the signing
secret once; central keeps it sealed with its data key, `data_keys.py`), and the delivery of one
outbox event to one endpoint.

A delivery POSTs `{"id", "type", "created", "data"}` with
`Walletpos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`; any 2xx
is success, anything else (or no answer) is retried by `jobs` with backoff and jitter, with
the same event id every time, until it is given up. `list` shows each endpoint's deliveries
that are still pending or failed, with the last answer, so a failure is visible.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wallet_sync.central import outbox
from wallet_sync.central.data_keys import DataKeys
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.tables import Job, OutboxEvent, WebhookEndpoint

SIGNATURE_HEADER = "Walletpos-Signature"
MAX_URL = 2000
MAX_ENDPOINTS = 100
RECENT_FAILURES = 10


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for BODY sent at TIMESTAMP."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body,
                   hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _url(url: Any) -> str:
    if not isinstance(url, str) or not 1 <= len(url) <= MAX_URL:
        raise Invalid("invalid_url", f"url: an http(s) URL of at most {MAX_URL} characters")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid("invalid_url", "url: only http:// and https:// URLs with a host")
    return url.strip()


def _events(events: Any) -> list[str]:
    if events is None:
        return []
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise Invalid("invalid_events", "events: a list of event types")
    unknown = sorted(set(events) - set(outbox.EVENT_TYPES))
    if unknown:
        raise Invalid("invalid_events", f"unknown event types {', '.join(unknown)} (known: "
                                        f"{', '.join(outbox.EVENT_TYPES)})")
    return sorted(set(events))


def add(session: Session, keys: DataKeys, url: Any, events: Any, now: int) -> dict[str, Any]:
    """A new endpoint; the answer carries its secret, which is never shown again."""
    url, wanted = _url(url), _events(events)
    live = session.scalar(select(func.count()).select_from(WebhookEndpoint)
                          .where(WebhookEndpoint.removed_at.is_(None)))
    if int(live or 0) >= MAX_ENDPOINTS:
        raise StateConflict("too_many_endpoints", f"at most {MAX_ENDPOINTS} webhook endpoints")
    endpoint_id = "we_" + secrets.token_hex(8)
    secret = "whsec_" + secrets.token_urlsafe(32)
    session.add(WebhookEndpoint(id=endpoint_id, url=url, events=wanted,
                                secret=keys.seal(endpoint_id, secret), created_at=now))
    session.flush()
    outbox.forget_listeners(session)
    return {"id": endpoint_id, "secret": secret, "url": url, "events": wanted,
            "created_at": now}


def _live(session: Session, endpoint_id: str) -> WebhookEndpoint:
    row = session.get(WebhookEndpoint, endpoint_id) if isinstance(endpoint_id, str) else None
    if row is None or row.removed_at is not None:
        raise NotFound("unknown_webhook", f"no webhook endpoint {endpoint_id!r}")
    return row


def remove(session: Session, endpoint_id: str, now: int) -> dict[str, Any]:
    """No more deliveries to it (pending ones are given up at their next turn)."""
    row = _live(session, endpoint_id)
    row.removed_at = now
    session.flush()
    outbox.forget_listeners(session)
    return {"id": row.id, "removed_at": now}


def test(session: Session, endpoint_id: str, now: int) -> dict[str, Any]:
    """Queue a `webhook.test` event for this endpoint alone."""
    row = _live(session, endpoint_id)
    event_id = outbox.emit_to(session, row.id, outbox.TEST_TYPE,
                              {"endpoint": row.id, "url": row.url}, now)
    return {"id": row.id, "event": event_id, "status": "queued"}


def list_endpoints(session: Session) -> dict[str, Any]:
    rows = session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.removed_at.is_(None))
                           .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)).all()
    out = []
    for row in rows:
        counts = dict(session.execute(select(Job.status, func.count()).where(
            Job.kind == "webhook", Job.target == row.id).group_by(Job.status)).all())
        failures = [{"event": j.event, "attempts": j.attempts, "failed_at": j.done_at,
                     "last_status": j.last_status, "last_error": j.last_error}
                    for j in session.scalars(select(Job).where(
                        Job.kind == "webhook", Job.target == row.id, Job.status == "failed")
                        .order_by(Job.id.desc()).limit(RECENT_FAILURES))]
        retrying = [{"event": j.event, "attempts": j.attempts, "next_at": j.due_at,
                     "last_status": j.last_status, "last_error": j.last_error}
                    for j in session.scalars(select(Job).where(
                        Job.kind == "webhook", Job.target == row.id, Job.status == "pending",
                        Job.attempts > 0).order_by(Job.id).limit(RECENT_FAILURES))]
        out.append({"id": row.id, "url": row.url, "events": list(row.events or []),
                    "created_at": row.created_at,
                    "deliveries": {s: int(counts.get(s, 0)) for s in ("pending", "done",
                                                                       "failed")},
                    "retrying": retrying, "failed": failures})
    return {"webhooks": out}


# ---- delivery (called by automation.Automation for a taken `webhook` job) -----------------


class Delivery:
    """What one attempt needs, read in a short transaction before the POST."""

    def __init__(self, url: str, secret: str, body: bytes) -> None:
        self.url, self.secret, self.body = url, secret, body


def prepare(session: Session, keys: DataKeys, endpoint_id: str, event_id: str
            ) -> Delivery | str:
    """The delivery, or why there is none (an endpoint removed, a secret this key cannot
    open)."""
    row = session.get(WebhookEndpoint, endpoint_id)
    event = session.get(OutboxEvent, event_id)
    if row is None or row.removed_at is not None:
        return "endpoint_removed"
    if event is None:
        return "event_missing"
    secret = keys.open(row.id, row.secret)
    if secret is None:
        return "secret_unavailable"
    return Delivery(row.url, secret, encode(outbox.body_of(event)))


def post(delivery: Delivery, http: httpx.Client, timestamp: int) -> tuple[int | None, str]:
    """(HTTP status or None, a short note) of one attempt."""
    headers = {"Content-Type": "application/json", "User-Agent": "walletpos-webhooks/1",
               SIGNATURE_HEADER: signature(delivery.secret, timestamp, delivery.body)}
    try:
        resp = http.post(delivery.url, content=delivery.body, headers=headers)
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    return resp.status_code, f"HTTP {resp.status_code}"
