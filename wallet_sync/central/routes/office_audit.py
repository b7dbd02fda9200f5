"""The audit log page and its CSV export (auditor, admin); exporting is itself audited."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from wallet_sync.central.office import audit
from wallet_sync.central.office.sessions import Signed
from wallet_sync.central.routes.office_web import PREFIX, allowed, download, render
from wallet_sync.central.routes.state import CentralState

router = APIRouter(prefix=PREFIX, include_in_schema=False)
Audit = allowed("audit")


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, central: CentralState, action: str | None = None,
               user: Signed = Audit) -> Response:
    with central.db.read() as session:
        rows = audit.events(session, limit=300, action=action[:64] if action else None)
    return render(request, "audit.html", user, rows=rows, action=action or "")


@router.get("/audit.csv")
def audit_csv(central: CentralState, user: Signed = Audit) -> Response:
    with central.db.write() as session:
        rows = audit.events(session, limit=100_000)
        audit.record(session, actor=user.user.username, role=user.user.role,
                     action="audit_exported", at=central.now(), after={"rows": len(rows)})
    return download(audit.to_csv(rows), "audit.csv")
