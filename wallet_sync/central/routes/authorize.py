"""`POST /v1/authorize` (terminal-signed): an online spend's authorization, with a hold taken
on the card (`central.authorize`)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import IntegrityError

from wallet_sync.central import authorize
from wallet_sync.central.errors import Invalid, StateConflict
from wallet_sync.central.routes.callers import SIGNED_REFUSALS, Signed
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.inputs import parse_body, signed_body
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX, AuthorizeRequest, AuthorizeResponse

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
