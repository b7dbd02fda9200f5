"""The console's programs: drafts of the program file, edited with live validation (the errors
and paths of `load-programs`), a diff against what is published, the simulator over the last
N days of real orders, and the second person's approval that publishes (office/drafts.py,
office/simulate.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from wallet_sync.central.errors import Refusal
from wallet_sync.central.office import csv_out, drafts, simulate
from wallet_sync.central.office.charts import bars
from wallet_sync.central.office.sessions import Signed
from wallet_sync.central.routes.office_web import (
    PREFIX,
    CsrfForm,
    allowed,
    back,
    download,
    render,
    tr,
)
from wallet_sync.central.routes.state import CentralState
from wallet_sync.central.tables import Program

router = APIRouter(prefix=PREFIX + "/programs", include_in_schema=False)
Read = allowed("programs")
Edit = allowed("edit_programs")
SIM_FIELDS = ("day", "program", "currency", *simulate.FIELDS)


def _draft_url(draft_id: int) -> str:
    return f"{PREFIX}/programs/drafts/{int(draft_id)}"


@router.get("", response_class=HTMLResponse)
def programs_page(request: Request, central: CentralState, user: Signed = Read) -> Response:
    with central.db.read() as session:
        rows = drafts.listing(session)
        published = session.query(Program).order_by(Program.id).all()
    return render(request, "programs.html", user, drafts=rows, published=published)


@router.post("/drafts")
def new_draft(_form: CsrfForm, central: CentralState, user: Signed = Edit) -> Response:
    with central.db.write() as session:
        row = drafts.create(session, user.user, central.now())
    return back(_draft_url(row.id))


@router.get("/drafts/{draft_id}", response_class=HTMLResponse)
def draft_page(request: Request, draft_id: int, central: CentralState, days: int = 0,
               notice: str | None = None, user: Signed = Read) -> Response:
    try:
        with central.db.read() as session:
            row = drafts.get(session, draft_id)
            change = drafts.diff(session, row.source)
            sim = simulate.simulate(session, row.source, central.now(), days) if days else None
    except Refusal as exc:
        return render(request, "error.html", user, status=404 if exc.reason == "unknown_draft"
                      else 422, reason=exc.reason)
    chart = bars([(f"{r['day']} {r['program']}", r["draft_points"]) for r in sim["rows"]][-20:],
                 tr(request, user)("Points per day under the draft")) if sim else None
    return render(request, "draft.html", user, draft=row, change=change, sim=sim, chart=chart,
                  days=days or 30, notice=notice, sim_fields=SIM_FIELDS,
                  may_edit=user.user.role in ("admin", "marketer"))


@router.get("/drafts/{draft_id}/simulation.csv")
def simulation_csv(draft_id: int, central: CentralState, days: int = 30,
                   user: Signed = Read) -> Response:
    with central.db.read() as session:
        row = drafts.get(session, draft_id)
        sim = simulate.simulate(session, row.source, central.now(), days)
    return download(csv_out.table(SIM_FIELDS, sim["rows"]), f"simulation-{draft_id}.csv")


@router.post("/validate")
def validate(form: CsrfForm, user: Signed = Edit) -> JSONResponse:
    """Live validation while typing: the errors load-programs would give (JSON)."""
    return JSONResponse({"errors": drafts.validate(str(form.get("source") or ""))})


def _act(request: Request, user: Signed, draft_id: int, notice: str, action) -> Response:  # noqa: ANN001
    try:
        action()
    except Refusal as exc:
        status = {"second_person_required": 403, "not_author": 403}.get(exc.reason, 409)
        return render(request, "error.html", user, status=status, reason=exc.reason,
                      message=exc.message, back=_draft_url(draft_id))
    return back(_draft_url(draft_id), notice)


@router.post("/drafts/{draft_id}/save")
def save(request: Request, draft_id: int, form: CsrfForm, central: CentralState,
         user: Signed = Edit) -> Response:
    source = str(form.get("source") or "")

    def run() -> None:
        with central.db.write() as session:
            drafts.save(session, draft_id, user.user, source, central.now())
    return _act(request, user, draft_id, "saved", run)


@router.post("/drafts/{draft_id}/submit")
def submit(request: Request, draft_id: int, _form: CsrfForm, central: CentralState,
           user: Signed = Edit) -> Response:
    def run() -> None:
        with central.db.write() as session:
            drafts.submit(session, draft_id, user.user, central.now())
    return _act(request, user, draft_id, "submitted", run)


@router.post("/drafts/{draft_id}/approve")
def approve(request: Request, draft_id: int, _form: CsrfForm, central: CentralState,
            user: Signed = Edit) -> Response:
    def run() -> None:
        with central.db.write() as session:
            drafts.approve(session, draft_id, user.user, central.now())
    return _act(request, user, draft_id, "published", run)


@router.post("/drafts/{draft_id}/reject")
def reject(request: Request, draft_id: int, form: CsrfForm, central: CentralState,
           user: Signed = Edit) -> Response:
    note = str(form.get("note") or "")

    def run() -> None:
        with central.db.write() as session:
            drafts.reject(session, draft_id, user.user, note, central.now())
    return _act(request, user, draft_id, "rejected", run)
