"""A terminal's sync, both directions (terminal-signed): `POST /v1/journal` pushes a batch of
signed entries (`central.ingest`), `GET /v1/changes` pulls a signed page of the change feed
(`central.changes`), settling the terminal's holds and grants first on a sync's first page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import update
from sqlalchemy.orm import Session

from wallet_sync.central import changes, escrow, heads, ingest
from wallet_sync.central.change_seq import LAST_ALLOCATED
from wallet_sync.central.errors import Forbidden, Invalid, StateConflict
from wallet_sync.central.routes.callers import (
    SIGNED_REFUSALS,
    SignedCall,
    SignedSync,
    terminal_key,
)
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.inputs import parse_body, signed_body
from wallet_sync.central.routes.state import CentralState
from wallet_sync.central.tables import Terminal
from wallet_sync.protocol import (
    API_PREFIX,
    MAX_PAGE,
    PushRequest,
    PushResponse,
    SignedChangePage,
)

router = APIRouter(prefix=API_PREFIX)
READ_FROM = "Walletpos-Read-From"  # "primary" or "standby": which database answered a pull
MAX_CURSOR = 2**62


@router.post("/journal", response_model=PushResponse,
             responses=refusals(*SIGNED_REFUSALS, Invalid, StateConflict),
             openapi_extra=signed_body(PushRequest))
def push(call: SignedSync, central: CentralState) -> PushResponse:
    batch = parse_body(PushRequest, call.body)
    if batch.terminal != call.terminal:
        raise Forbidden("wrong_terminal", "batch is for another terminal")
    checked = ingest.check_batch(call.terminal, batch, terminal_key(call.public_key))
    with central.db.write() as session:
        outcome = ingest.apply_batch(session, call.terminal, checked, central.now(),
                                     lock=central.db.postgres, head=call.head)
    if isinstance(outcome, ingest.Fork):
        # Refused only now, after the commit: the quarantine and its evidence must stay.
        raise Forbidden("quarantined", f"fork at seq {outcome.seq}: terminal quarantined "
                                       f"(conflict {outcome.conflict_id})")
    return outcome


def note_version(session: Session, call: SignedCall) -> None:
    """The version the terminal says it runs, kept when it changes (a sync's first page)."""
    if call.software is not None and (call.row is None
                                      or call.row.software_version != call.software):
        session.execute(update(Terminal).where(Terminal.id == call.terminal)
                        .values(software_version=call.software))


@router.get("/changes", response_model=SignedChangePage,
            responses=refusals(*SIGNED_REFUSALS, Invalid))
def pull(call: SignedSync, central: CentralState,
         cursor: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
         limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
         head: Annotated[int | None, Query(ge=0, le=MAX_CURSOR)] = None) -> Response:
    if head is not None:
        # The first page of a sync: the terminal is online and says how far its journal
        # goes, so central holds it to its signed head, then settles its holds and grants
        # before the page is read.
        needed = cursor
        with central.db.write() as session:
            reported = heads.hold(session, call.terminal, call.head, central.now(),
                                  lock=central.db.postgres)
            if reported.fork is None:
                escrow.maintain(session, call.terminal, head, central.now(),
                                lock=central.db.postgres)
                note_version(session, call)
            needed = max(cursor, session.info.get(LAST_ALLOCATED, 0))
        heads.refuse(reported)
    else:
        needed = cursor
        if call.row is not None:
            heads.check(central.db, call.row, call.head, central.now())
    with central.db.feed(needed) as (session, source):
        page = changes.read_page_json(session, call.terminal, cursor, limit, central.key,
                                      central.now())
    # Sent as built: FastAPI re-validating thousands of changes per page against the
    # response model was a third of a bootstrap's time at central.
    return Response(page, media_type="application/json", headers={READ_FROM: source})
