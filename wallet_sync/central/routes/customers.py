"""Customers (admin key): the profile (`central.customers`), consent with double opt-in
(`central.consent`), gift cards linked to a customer, GDPR export and erasure
(`central.gdpr`), and custom events for CRMs and shops (`central.customer_events`); plus the
terminal-signed event claim a till makes before an event earn counted per customer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.exc import IntegrityError

from wallet_sync.central import (
    consent,
    customer_events,
    customer_list,
    customers,
    gdpr,
    members,
    referrals,
)
from wallet_sync.central.errors import Invalid, NotFound, StateConflict
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, SIGNED_REFUSALS, AdminKey, Signed
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.inputs import parse_body, signed_body
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import (
    API_PREFIX,
    ConsentConfirmRequest,
    ConsentRequest,
    CreateCustomerRequest,
    CustomerFields,
    EventClaimRequest,
    EventRequest,
    LinkCardRequest,
)

router = APIRouter(prefix=API_PREFIX)
ANSWERS = refusals(*ADMIN_REFUSALS, Invalid, NotFound, StateConflict)


@router.post("/admin/customers", responses=ANSWERS)
def create_customer(req: CreateCustomerRequest, _: AdminKey, central: CentralState
                    ) -> dict[str, Any]:
    fields = req.model_dump(exclude={"program"}, exclude_unset=True)
    with central.db.write() as session:
        return customers.create_customer(session, req.program, fields, central.now())


@router.get("/admin/customers", responses=ANSWERS)
def list_customers(_: AdminKey, central: CentralState,
                   program: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
                   after: Annotated[str, Query(max_length=64)] = "",
                   limit: Annotated[int, Query(ge=1, le=customer_list.MAX_PAGE)] = 500
                   ) -> dict[str, Any]:
    """Customers in code order, a page at a time (a CRM export); `next` is the next `after`."""
    with central.db.read() as session:
        return customer_list.page(session, program, after, limit)


@router.get("/admin/customers/{code}", responses=ANSWERS)
def show_customer(code: str, _: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:  # the points view expires lapsed points first
        return customers.customer_view(session, code, central.now())


@router.get("/admin/customers/{code}/referral-code", responses=ANSWERS)
def referral_code(code: str, _: AdminKey, central: CentralState) -> dict[str, Any]:
    """The customer's code to give friends (made on first ask, the same afterwards)."""
    with central.db.write() as session:
        return referrals.code_for(session, code, central.now())


@router.post("/admin/customers/{code}/profile", responses=ANSWERS)
def update_customer(code: str, req: CustomerFields, _: AdminKey, central: CentralState
                    ) -> dict[str, Any]:
    # Only the fields sent: an explicit null removes a contact, a missing one keeps it.
    with central.db.write() as session:
        return customers.update_customer(session, code, req.model_dump(exclude_unset=True),
                                         central.now())


@router.post("/admin/customers/{code}/cards", responses=ANSWERS)
def link_card(code: str, req: LinkCardRequest, _: AdminKey, central: CentralState
              ) -> dict[str, Any]:
    with central.db.write() as session:
        return customers.link_card(session, code, req.card, central.now())


@router.post("/admin/customers/{code}/consent/request", responses=ANSWERS)
def request_consent(code: str, req: ConsentRequest, _: AdminKey, central: CentralState
                    ) -> dict[str, Any]:
    """Double opt-in, step 1: a one-time token to send to the customer's contact."""
    with central.db.write() as session:
        return consent.request(session, members.find(session, code), req.channel, req.source,
                               central.now())


@router.post("/admin/consent/confirm", responses=ANSWERS)
def confirm_consent(req: ConsentConfirmRequest, _: AdminKey, central: CentralState
                    ) -> dict[str, Any]:
    """Double opt-in, step 2: the token came back; consent is recorded now."""
    with central.db.write() as session:
        return consent.confirm(session, req.token, central.now())


@router.post("/admin/customers/{code}/consent/withdraw", responses=ANSWERS)
def withdraw_consent(code: str, req: ConsentRequest, _: AdminKey, central: CentralState
                     ) -> dict[str, Any]:
    with central.db.write() as session:
        return consent.withdraw(session, members.find(session, code), req.channel,
                                req.source, central.now())


@router.get("/admin/customers/{code}/export", responses=ANSWERS)
def export_customer(code: str, _: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return gdpr.export(session, code, central.now())


@router.post("/admin/customers/{code}/erase", responses=ANSWERS)
def erase_customer(code: str, _: AdminKey, central: CentralState) -> dict[str, Any]:
    with central.db.write() as session:
        return gdpr.erase(session, code, central.now())


@router.post("/admin/events", responses=ANSWERS)
def post_event(req: EventRequest, _: AdminKey, central: CentralState) -> dict[str, Any]:
    """A custom event for a customer; the same key returns the stored answer."""
    for attempt in (1, 2):
        try:
            with central.db.write() as session:
                return customer_events.record_event(session, req.member, req.event, req.key,
                                                    central.now(), lock=central.db.postgres)
        except IntegrityError:
            if attempt == 2:  # a concurrent request with the key stored its answer: read it
                raise
    raise AssertionError("unreachable")


@router.post("/event-claims", responses=refusals(*SIGNED_REFUSALS, Invalid, NotFound,
                                                 StateConflict),
             openapi_extra=signed_body(EventClaimRequest))
def claim_event(call: Signed, central: CentralState) -> dict[str, Any]:
    """A till's claim before an event earn whose rule is counted per customer."""
    req = parse_body(EventClaimRequest, call.body)
    for attempt in (1, 2):
        try:
            with central.db.write() as session:
                return customer_events.claim(session, call.terminal, req.request_id,
                                             req.member, req.program, req.event,
                                             central.now())
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
