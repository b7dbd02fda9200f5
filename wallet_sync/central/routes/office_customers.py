"""The console's customers (support, admin): search by code, the single view of a member or a
gift card, and the actions — adjust points, block a card, the GDPR export (a JSON download) and
erase (reason and the code typed again) of a member (office/customers.py)."""

from __future__ import annotations

import json
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from wallet_sync.central.errors import Refusal
from wallet_sync.central.office import customers
from wallet_sync.central.office.sessions import Signed
from wallet_sync.central.routes.office_web import PREFIX, CsrfForm, allowed, back, render
from wallet_sync.central.routes.state import CentralState

router = APIRouter(prefix=PREFIX + "/customers", include_in_schema=False)
Support = allowed("customers")
Gdpr = allowed("gdpr")


def _url(code: str) -> str:
    return f"{PREFIX}/customers/{quote(code, safe='')}"


@router.get("", response_class=HTMLResponse)
def search_page(request: Request, central: CentralState, q: str = "",
                user: Signed = Support) -> Response:
    with central.db.read() as session:
        found = customers.search(session, q)
    return render(request, "customers.html", user, q=q[:64], found=found)


@router.get("/{code}", response_class=HTMLResponse)
def customer_page(request: Request, code: str, central: CentralState,
                  notice: str | None = None, user: Signed = Support) -> Response:
    try:
        with central.db.write() as session:  # a member's view expires lapsed points first
            if customers.kind_of(session, code) == "member":
                return render(request, "member.html", user, notice=notice,
                              member=customers.member_detail(session, code, central.now()))
            return render(request, "card.html", user, notice=notice,
                          card=customers.card_detail(session, code))
    except Refusal as exc:
        return render(request, "error.html", user, status=404, reason=exc.reason,
                      back=f"{PREFIX}/customers")


@router.post("/{code}/adjust-points")
def adjust(request: Request, code: str, form: CsrfForm, central: CentralState,
           user: Signed = Support) -> Response:
    try:
        delta = int(str(form.get("points") or "0").strip())
    except ValueError:
        delta = 0
    try:
        with central.db.write() as session:
            done = customers.adjust_points(session, code, delta, str(form.get("reason") or ""),
                                           user.user, central.now(), lock=central.db.postgres)
    except Refusal as exc:
        return render(request, "error.html", user, status=422, reason=exc.reason,
                      message=exc.message, back=_url(code))
    return back(_url(done["code"]), "adjusted")


@router.post("/{code}/block")
def block(request: Request, code: str, form: CsrfForm, central: CentralState,
          user: Signed = Support) -> Response:
    try:
        with central.db.write() as session:
            done = customers.block_card(session, code, str(form.get("reason") or ""),
                                        user.user, central.now(), lock=central.db.postgres)
    except Refusal as exc:
        return render(request, "error.html", user, status=409, reason=exc.reason,
                      message=exc.message, back=_url(code))
    return back(_url(done["code"]), "blocked")


@router.get("/{code}/export.json")
def export(request: Request, code: str, central: CentralState,
           user: Signed = Gdpr) -> Response:
    """What `walletpos admin customer export` writes (gdpr.export), as a download; audited."""
    try:
        with central.db.write() as session:
            document = customers.export_member(session, code, user.user, central.now())
    except Refusal as exc:
        return render(request, "error.html", user, status=404, reason=exc.reason,
                      back=f"{PREFIX}/customers")
    name = "customer-" + "".join(ch for ch in document["code"] if ch.isalnum()) + ".json"
    return Response(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True),
                    media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/{code}/erase")
def erase(request: Request, code: str, form: CsrfForm, central: CentralState,
          user: Signed = Gdpr) -> Response:
    """What `walletpos admin customer erase --yes` does (gdpr.erase), with a reason and the
    code typed again; audited without the erased data."""
    try:
        with central.db.write() as session:
            done = customers.erase_member(session, code, str(form.get("confirm") or ""),
                                          str(form.get("reason") or ""), user.user,
                                          central.now())
    except Refusal as exc:
        return render(request, "error.html", user, status=422, reason=exc.reason,
                      message=exc.message, back=_url(code))
    return back(_url(done["code"]), "erased")
