"""Head office's gift cards (admin key): issue a batch, look one up, top one up
(`central.cards`). Each write records the admin key as its actor."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wallet_sync.central import cards
from wallet_sync.central.code_pool import gift_program
from wallet_sync.central.errors import Invalid, NotFound
from wallet_sync.central.routes.callers import ADMIN_REFUSALS, AdminKey
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.protocol import API_PREFIX, CardView, IssueCardsRequest, LoadRequest

router = APIRouter(prefix=API_PREFIX)


@router.post("/admin/cards", responses=refusals(*ADMIN_REFUSALS, Invalid, NotFound))
def issue_cards(req: IssueCardsRequest, key_row: AdminKey, central: CentralState
                ) -> dict[str, Any]:
    with central.db.write() as session:
        issued = cards.issue_cards(session, central.key, req.program, req.count, req.value,
                                   req.activate, central.now(), actor=f"api_key:{key_row}",
                                   customer=req.customer)
        prog = gift_program(session, req.program)
        # What a printed sheet needs besides the codes: the program's name and currency.
        return {"cards": issued, "program": {"id": req.program, "name": dict(prog.name),
                                             "currency": prog.currency}}


@router.get("/admin/cards/{code}", response_model=CardView,
            responses=refusals(*ADMIN_REFUSALS, Invalid, NotFound))
def card(code: str, _: AdminKey, central: CentralState) -> CardView:
    with central.db.read() as session:
        return cards.card_view(session, code)


@router.post("/admin/cards/{code}/load", response_model=CardView,
             responses=refusals(*ADMIN_REFUSALS, Invalid, NotFound))
def load_card(code: str, req: LoadRequest, key_row: AdminKey, central: CentralState
              ) -> CardView:
    with central.db.write() as session:
        return cards.load_card(session, code, req.amount, central.now(),
                               lock=central.db.postgres, actor=f"api_key:{key_row}")
