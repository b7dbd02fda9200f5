"""Central's online authority (terminal-signed): `POST /v1/authorize`, a spend's authorization
with a hold taken on the card (`central.authorize`); `POST /v1/authorize-value`, the authority
for an entry that raises a balance or points (`central.value_auth`); `POST
/v1/authorize-points`, a hold on a member's points for an online burn
(`central.points_holds`)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import IntegrityError

from wallet_sync.central import authorize, points_holds, value_auth
from wallet_sync.central.errors import Invalid, StateConflict
from wallet_sync.central.routes.callers import SIGNED_REFUSALS, Signed
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.inputs import parse_body, signed_body
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import (
    API_PREFIX,
    AuthorizeRequest,
    AuthorizeResponse,
    PointsAuthorizeRequest,
    PointsAuthorizeResponse,
    ValueAuthorizeRequest,
    ValueAuthorizeResponse,
)

router = APIRouter(prefix=API_PREFIX)


@router.post("/authorize", response_model=AuthorizeResponse,
             responses=refusals(*SIGNED_REFUSALS, Invalid, StateConflict),
             openapi_extra=signed_body(AuthorizeRequest))
def authorize_spend(call: Signed, central: CentralState) -> AuthorizeResponse:
    req = parse_body(AuthorizeRequest, call.body)
    for attempt in (1, 2):
        try:
            with central.db.write() as session:
                return authorize.authorize(session, call.terminal, req, central.now(),
                                           lock=central.db.postgres, key=central.key)
        except IntegrityError:
            if attempt == 2:  # a concurrent retry stored its answer; read it once more
                raise
    raise AssertionError("unreachable")


@router.post("/authorize-value", response_model=ValueAuthorizeResponse,
             responses=refusals(*SIGNED_REFUSALS, Invalid, StateConflict),
             openapi_extra=signed_body(ValueAuthorizeRequest))
def authorize_value(call: Signed, central: CentralState) -> ValueAuthorizeResponse:
    """Central's authority for one value-raising entry: a card sold or topped up, a points
    adjustment up (`central.value_auth`)."""
    req = parse_body(ValueAuthorizeRequest, call.body)
    for attempt in (1, 2):
        try:
            with central.db.write() as session:
                return value_auth.authorize_value(session, call.terminal, req, central.now(),
                                                  key=central.key)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@router.post("/authorize-points", response_model=PointsAuthorizeResponse,
             responses=refusals(*SIGNED_REFUSALS, Invalid, StateConflict),
             openapi_extra=signed_body(PointsAuthorizeRequest))
def authorize_points(call: Signed, central: CentralState) -> PointsAuthorizeResponse:
    """A hold on a member's points for an online burn (`central.points_holds`)."""
    req = parse_body(PointsAuthorizeRequest, call.body)
    for attempt in (1, 2):
        try:
            with central.db.write() as session:
                return points_holds.authorize_points(session, call.terminal, req, central.now(),
                                                     lock=central.db.postgres, key=central.key)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
