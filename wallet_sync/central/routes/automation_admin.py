"""Automation for head office (admin key): webhook endpoints — add (the answer carries the
signing secret, once), list (with deliveries retrying or given up), remove, test
(`central.webhooks`) — and a trigger's results per A/B group (`central.trigger_results`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central import webhooks
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, AdminKey
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.central.trigger_results import results
from wallet_sync.protocol import API_PREFIX, WebhookRequest

router = APIRouter(prefix=API_PREFIX)
ANSWERS = refusals(*ADMIN_REFUSALS, Invalid, NotFound, StateConflict)


@router.post("/admin/webhooks", responses=ANSWERS)
def add_webhook(req: WebhookRequest, _: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return webhooks.add(session, central.keys, req.url, req.events, central.now())


@router.get("/admin/webhooks", responses=ANSWERS)
def list_webhooks(_: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.read() as session:
        return webhooks.list_endpoints(session)


@router.delete("/admin/webhooks/{endpoint_id}", responses=ANSWERS)
def remove_webhook(endpoint_id: str, _: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return webhooks.remove(session, endpoint_id, central.now())


@router.post("/admin/webhooks/{endpoint_id}/test", responses=ANSWERS)
def test_webhook(endpoint_id: str, _: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return webhooks.test(session, endpoint_id, central.now())


@router.get("/admin/triggers/{trigger_id}/results", responses=ANSWERS)
def trigger_results(trigger_id: str, _: AdminKey, central: CentralState) -> dict[str, Any]:
    """Reach, redemption and revenue per A/B group of a trigger (`central.trigger_results`)."""
    with central.db.read() as session:
        return results(session, trigger_id)
