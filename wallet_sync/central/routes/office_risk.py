"""The console's risk pages: offline exposure per terminal and store with the conflict cases
(resolving one with a reason through `conflicts.resolve`, the service behind
`walletpos admin resolve-conflict`), and the terminals with when each was last heard from, their
status (quarantined) and flags. Each has a CSV download."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from wallet_sync.central import conflicts, exposure, terminal_flags
from wallet_sync.central.errors import Refusal
from wallet_sync.central.office import activity, audit, csv_out
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

router = APIRouter(prefix=PREFIX, include_in_schema=False)
Risk = allowed("risk")
Resolve = allowed("resolve")
EXPOSURE_FIELDS = ("store", "terminal", "currency", "exposure", "grants_outstanding",
                   "floor_allowance", "realised_losses")
CASE_FIELDS = ("id", "status", "reason", "card", "terminal", "seq", "shortfall", "currency",
               "opened_at")
TERMINAL_FIELDS = ("id", "store", "status", "status_reason", "flagged", "last_seq",
                   "last_seen", "version")


@router.get("/risk", response_class=HTMLResponse)
def risk_page(request: Request, central: CentralState, notice: str | None = None,
              user: Signed = Risk) -> Response:
    with central.db.read() as session:
        report = exposure.report(session)
        cases = conflicts.list_cases(session, newest_first=True, limit=200)
    chart = bars([(f"{r['store']} ({r['currency']})", r["exposure"]) for r in report["stores"]],
                 tr(request, user)("Exposure per store"))
    return render(request, "risk.html", user, report=report, cases=cases, chart=chart,
                  fields=EXPOSURE_FIELDS, notice=notice)


@router.get("/risk/exposure.csv")
def exposure_csv(central: CentralState, user: Signed = Risk) -> Response:
    with central.db.read() as session:
        report = exposure.report(session)
    return download(csv_out.table(EXPOSURE_FIELDS, report["terminals"]), "exposure.csv")


@router.get("/risk/conflicts.csv")
def conflicts_csv(central: CentralState, user: Signed = Risk) -> Response:
    with central.db.read() as session:
        cases = conflicts.list_cases(session)
    return download(csv_out.table(CASE_FIELDS, cases), "conflicts.csv")


@router.post("/risk/conflicts/{conflict_id}/resolve")
def resolve(request: Request, conflict_id: int, form: CsrfForm, central: CentralState,
            user: Signed = Resolve) -> Response:
    reason = str(form.get("reason") or "")[:2000]
    try:
        with central.db.write() as session:
            case = conflicts.resolve(session, conflict_id, reason, central.now(),
                                     actor=f"office:{user.user.username}")
            audit.record(session, actor=user.user.username, role=user.user.role,
                         action="conflict_resolved", at=central.now(),
                         target=f"conflict:{conflict_id}", reason=reason,
                         before={"status": "open"}, after={"status": case["status"]})
    except Refusal as exc:
        return render(request, "error.html", user, status=409, reason=exc.reason)
    return back(f"{PREFIX}/risk", "resolved")


@router.get("/terminals", response_class=HTMLResponse)
def terminals_page(request: Request, central: CentralState, notice: str | None = None,
                   user: Signed = Risk) -> Response:
    with central.db.read() as session:
        rows = activity.terminals(session)
    return render(request, "terminals.html", user, terminals=rows, fields=TERMINAL_FIELDS,
                  notice=notice)


@router.post("/terminals/{terminal_id}/clear-flag")
def clear_flag(request: Request, terminal_id: str, form: CsrfForm, central: CentralState,
               user: Signed = Resolve) -> Response:
    """What `walletpos admin clear-flag` does (terminal_flags.clear), audited."""
    reason = str(form.get("reason") or "")[:2000]
    try:
        with central.db.write() as session:
            view = terminal_flags.clear(session, terminal_id, reason,
                                        f"office:{user.user.username}", central.now())
            audit.record(session, actor=user.user.username, role=user.user.role,
                         action="flag_cleared", at=central.now(),
                         target=f"terminal:{terminal_id}", reason=reason,
                         before={"flagged": True}, after={"flagged": view["flagged"]})
    except Refusal as exc:
        return render(request, "error.html", user, status=409, reason=exc.reason,
                      back=f"{PREFIX}/terminals")
    return back(f"{PREFIX}/terminals", "cleared")


@router.get("/terminals.csv")
def terminals_csv(central: CentralState, user: Signed = Risk) -> Response:
    with central.db.read() as session:
        rows = activity.terminals(session)
    return download(csv_out.table(TERMINAL_FIELDS, rows), "terminals.csv")
