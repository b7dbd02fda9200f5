"""The console's risk pages: offline exposure per terminal and store with the conflict cases
(resolving one with a reason through `conflicts.resolve`, the service behind
`walletpos admin resolve-conflict`), and the terminals with when each was last heard from, their
status (quarantined, decommissioned) and flags; an admin clears a flag and decommissions a
terminal (`decommission.decommission`, the service behind `walletpos admin
decommission-terminal`), refused `too_early` with the allowed time until the terminal can spend
nothing more offline. Each page has a CSV download."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from wallet_sync.central import conflicts, decommission, exposure, terminal_flags
from wallet_sync.central.errors import Invalid, NotFound, Refusal
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
from wallet_sync.central.tables import Terminal

router = APIRouter(prefix=PREFIX, include_in_schema=False)
Risk = allowed("risk")
Resolve = allowed("resolve")
Retire = allowed("decommission")
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


@router.post("/terminals/{terminal_id}/decommission")
def retire(request: Request, terminal_id: str, form: CsrfForm, central: CentralState,
           user: Signed = Retire) -> Response:
    """What `walletpos admin decommission-terminal` does, audited; `too_early` names the
    first moment (UTC) it is allowed."""
    reason = str(form.get("reason") or "")[:2000]
    now = central.now()
    try:
        with central.db.write() as session:
            before = session.scalar(select(Terminal.status).where(Terminal.id == terminal_id))
            done = decommission.decommission(session, terminal_id, reason,
                                             f"office:{user.user.username}", now)
            audit.record(session, actor=user.user.username, role=user.user.role,
                         action="terminal_decommissioned", at=now,
                         target=f"terminal:{terminal_id}", reason=reason.strip(),
                         before={"status": before},
                         after={"status": "decommissioned",
                                "grants_returned": done["grants_returned"],
                                "value_returned": done["value_returned"],
                                "codes_released": done["codes_released"]})
    except Refusal as exc:
        status = 422 if isinstance(exc, Invalid) else 404 if isinstance(exc, NotFound) else 409
        return render(request, "error.html", user, status=status, reason=exc.reason,
                      allowed_at=exc.extra.get("allowed_at"), back=f"{PREFIX}/terminals")
    return back(f"{PREFIX}/terminals", "decommissioned")


@router.get("/terminals.csv")
def terminals_csv(central: CentralState, user: Signed = Risk) -> Response:
    with central.db.read() as session:
        rows = activity.terminals(session)
    return download(csv_out.table(TERMINAL_FIELDS, rows), "terminals.csv")
