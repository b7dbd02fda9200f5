"""The program file's triggers as central keeps them: the `triggers:` of the last file that
declared any, one `trigger_definitions` row each (saved by `programs.load_programs`, like the
segment definitions), parsed once per distinct set. Running them is `triggers.py`'s job."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.rules.triggers import Trigger, parse_triggers
from wallet_sync.central import outbox
from wallet_sync.central.tables import TriggerDefinition

_parsed: dict[tuple[tuple[str, str], ...], tuple[Trigger, ...]] = {}


def save_definitions(session: Session, triggers: tuple[Trigger, ...] | None) -> bool:
    """Replace the definitions with TRIGGERS (None: the file has none; those in force stay)."""
    if triggers is None:
        return False
    new = {t.id: t.raw for t in triggers}
    old = {r.id: r.definition for r in session.scalars(select(TriggerDefinition))}
    if new == old:
        return False
    session.execute(delete(TriggerDefinition))
    session.add_all(TriggerDefinition(id=i, definition=d) for i, d in sorted(new.items()))
    session.flush()
    outbox.forget_listeners(session)
    return True


def definitions(session: Session) -> tuple[Trigger, ...]:
    rows = sorted((r.id, r.definition) for r in session.scalars(select(TriggerDefinition)))
    key = tuple((i, repr(sorted(d.items()))) for i, d in rows)
    if key not in _parsed:
        _parsed[key] = parse_triggers([d for _, d in rows], "triggers")
    return _parsed[key]
