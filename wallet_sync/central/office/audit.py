"""The audit log: one row per thing a person did (who, role, when, what, on what, why, the
state before and after), written in the same transaction as the change itself, so a change
without its row cannot commit. Insert-only: nothing here updates or deletes, and the console
has no page that could. The auditor reads it in the page and exports it as CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wallet_sync.central.tables import AuditEvent

CSV_FIELDS = ("id", "at", "actor", "role", "action", "target", "reason", "before", "after")


def record(session: Session, *, actor: str, role: str, action: str, at: int,
           target: str | None = None, reason: str | None = None, before: Any = None,
           after: Any = None) -> None:
    session.add(AuditEvent(at=at, actor=actor, role=role, action=action, target=target,
                           reason=reason, before=before, after=after))
    session.flush()


def events(session: Session, *, limit: int = 500, action: str | None = None
           ) -> list[dict[str, Any]]:
    """The newest events first."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return [_row(r) for r in session.scalars(stmt)]


def _row(r: AuditEvent) -> dict[str, Any]:
    return {"id": r.id, "at": r.at, "actor": r.actor, "role": r.role, "action": r.action,
            "target": r.target, "reason": r.reason, "before": r.before, "after": r.after}


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        writer.writerow([safe_cell(_cell(row[f])) for f in CSV_FIELDS])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def safe_cell(text: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula (CSV injection): such a
    cell gets a leading apostrophe. Numbers keep their sign."""
    if text and text[0] in "=+-@\t\r" and not _number(text):
        return "'" + text
    return text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
