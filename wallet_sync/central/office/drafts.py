"""Program drafts: the program file edited in the console, checked as `load-programs` checks
it, compared with what is published, and published only when a second person approves.

A draft starts as the published programs (`published_source`), is edited and saved by its
author, submitted, then approved or rejected by someone else: approving publishes it through
`programs.load_programs`, the very function `walletpos admin load-programs` calls, so the new
versions are signed and reach the terminals in the change feed exactly as a loaded file does. A
draft made before someone else published is refused as stale (`base` records the versions it
started from). Every step is audited in the same transaction.
"""

from __future__ import annotations

import difflib
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.programs import parse_programs
from wallet_sync.central import programs
from wallet_sync.central.errors import Forbidden, Invalid, NotFound, StateConflict
from wallet_sync.central.office import audit
from wallet_sync.central.office.users import User
from wallet_sync.central.tables import Program, ProgramDraft

MAX_SOURCE = 256 * 1024
FILENAME = "programs"  # how validation errors name the file, as load-programs does


def _dump(definitions: list[dict[str, Any]]) -> str:
    return yaml.safe_dump({"version": 1, "programs": definitions}, allow_unicode=True,
                          sort_keys=False, width=96)


def published_versions(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Program.id, Program.version)).all())


def published_source(session: Session) -> str:
    """The programs central publishes now, as one YAML program file."""
    rows = session.scalars(select(Program).order_by(Program.id)).all()
    return _dump([row.definition for row in rows])


def validate(source: str) -> list[str]:
    """The errors `load-programs` would give this file (with their paths), [] when valid."""
    if len(source) > MAX_SOURCE:
        return [f"{FILENAME}: larger than {MAX_SOURCE // 1024} KiB"]
    try:
        parse_programs(source, "yaml", FILENAME)
    except InvalidInput as exc:
        return [exc.message]
    return []


def diff(session: Session, source: str) -> dict[str, Any]:
    """What publishing SOURCE would change: each program new, changed or unchanged, and a
    unified diff of the canonical definitions (formatting and key order do not count)."""
    try:
        parsed = parse_programs(source, "yaml", FILENAME)
    except InvalidInput as exc:
        return {"errors": [exc.message], "programs": [], "lines": []}
    current = {row.id: row for row in session.scalars(select(Program).order_by(Program.id))}
    status: list[dict[str, Any]] = []
    draft_defs: dict[str, dict[str, Any]] = {}
    for prog in parsed.programs:
        definition, digest = programs.canonical_definition(prog.raw)
        draft_defs[prog.id] = definition
        row = current.get(prog.id)
        status.append({"id": prog.id, "version": row.version if row else None,
                       "change": "new" if row is None else
                       ("unchanged" if row.definition_hash == digest else "changed")})
    # Programs missing from a file are kept as they are (load_programs never deletes).
    merged = {pid: row.definition for pid, row in current.items()} | draft_defs
    before = _dump([current[p].definition for p in sorted(current)]).splitlines()
    after = _dump([merged[p] for p in sorted(merged)]).splitlines()
    lines = list(difflib.unified_diff(before, after, "published", "draft", lineterm="", n=3))
    return {"errors": [], "programs": status, "lines": lines}


def create(session: Session, user: User, now: int) -> ProgramDraft:
    row = ProgramDraft(source=published_source(session), base=published_versions(session),
                       author=user.username, status="draft", created_at=now, updated_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor=user.username, role=user.role, action="draft_created", at=now,
                 target=f"draft:{row.id}", after={"base": row.base})
    return row


def get(session: Session, draft_id: int, *, lock: bool = False) -> ProgramDraft:
    row = session.get(ProgramDraft, draft_id, with_for_update=lock)
    if row is None:
        raise NotFound("unknown_draft", f"no draft {draft_id}")
    return row


def listing(session: Session, limit: int = 100) -> list[ProgramDraft]:
    return list(session.scalars(select(ProgramDraft).order_by(ProgramDraft.id.desc())
                                .limit(limit)))


def save(session: Session, draft_id: int, user: User, source: str, now: int) -> ProgramDraft:
    """The author's new text (saved even with errors: they are shown, and block submitting)."""
    row = get(session, draft_id, lock=True)
    if row.author != user.username:
        raise Forbidden("not_author", "only the author edits a draft")
    if row.status != "draft":
        raise StateConflict("draft_closed", f"draft {draft_id} is {row.status}")
    if len(source) > MAX_SOURCE:
        raise Invalid("too_large", f"a program file is at most {MAX_SOURCE // 1024} KiB")
    before = row.source
    row.source, row.updated_at = source.replace("\r\n", "\n"), now
    removed, added = _changed_lines(before, row.source)
    audit.record(session, actor=user.username, role=user.role, action="draft_saved", at=now,
                 target=f"draft:{row.id}", before={"lines": removed}, after={"lines": added})
    return row


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines a save took out and put in (the audit's before and after; the whole text
    stays in the draft row)."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="",
                                      n=0))[2:]
    return ([line[1:] for line in lines if line.startswith("-")][:200],
            [line[1:] for line in lines if line.startswith("+")][:200])


def submit(session: Session, draft_id: int, user: User, now: int) -> ProgramDraft:
    row = get(session, draft_id, lock=True)
    if row.author != user.username:
        raise Forbidden("not_author", "only the author submits a draft")
    if row.status != "draft":
        raise StateConflict("draft_closed", f"draft {draft_id} is {row.status}")
    errors = validate(row.source)
    if errors:
        raise Invalid("invalid_program", errors[0])
    row.status, row.updated_at = "submitted", now
    audit.record(session, actor=user.username, role=user.role, action="draft_submitted",
                 at=now, target=f"draft:{row.id}", before={"status": "draft"},
                 after={"status": "submitted"})
    return row


def _decide(session: Session, draft_id: int, user: User) -> ProgramDraft:
    row = get(session, draft_id, lock=True)
    if row.status != "submitted":
        raise StateConflict("not_submitted", f"draft {draft_id} is {row.status}")
    if row.author == user.username:
        raise Forbidden("second_person_required",
                        "a draft is approved or rejected by someone other than its author")
    return row


def approve(session: Session, draft_id: int, user: User, now: int) -> ProgramDraft:
    """Publish a submitted draft (a second person): the new program versions, audited."""
    row = _decide(session, draft_id, user)
    before = published_versions(session)
    if any(before.get(pid) != version for pid, version in row.base.items()):
        raise StateConflict("draft_stale", "programs were published since this draft was "
                                           "made; start a new draft")
    published = programs.load_programs(session, row.source, "yaml", f"draft-{row.id}", now)
    row.status, row.decided_by, row.decided_at = "published", user.username, now
    row.published, row.updated_at = published, now
    audit.record(session, actor=user.username, role=user.role, action="draft_approved",
                 at=now, target=f"draft:{row.id}", reason=f"author {row.author}",
                 before={"versions": before}, after={"programs": published})
    return row


def reject(session: Session, draft_id: int, user: User, note: str, now: int) -> ProgramDraft:
    row = _decide(session, draft_id, user)
    note = note.strip()[:2000]
    if not note:
        raise Invalid("reason_required", "say why the draft is rejected")
    row.status, row.decided_by, row.decided_at, row.note = "rejected", user.username, now, note
    row.updated_at = now
    audit.record(session, actor=user.username, role=user.role, action="draft_rejected",
                 at=now, target=f"draft:{row.id}", reason=note,
                 before={"status": "submitted"}, after={"status": "rejected"})
    return row
