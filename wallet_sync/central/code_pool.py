"""Terminal code pools: gift-card codes central reserves for one terminal, so a store can issue
a batch of physical cards while cut off from head office and the codes can never collide with
anyone else's.

A reservation is a random code of the program's pattern (full entropy: the code says nothing
about who issued it) with its `WP1:` credential signed by central now, before the card exists.
The credential carries no expiry: the card's expiry is decided when the manager issues it and
lives in the ledger. `POST /v1/code-pool` (terminal-signed) tops the caller's unused
reservations for a program up to a target and returns all of them, so asking twice (a lost
answer) returns the same codes and reserves nothing more. A terminal's `issue` entry for a code
reserved to it creates the card at sync (`issue_card`); anything else becomes a conflict case.
Central's own batch issuance skips reserved codes (`cards._unique_codes`).

Public: CodeReservation (model), top_up, issue_card, add_routes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import BigInteger, ForeignKey, String, Text, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from starlette.concurrency import run_in_threadpool

from core.codes import generate_code
from core.credential import CardCredential, issue_credential
from core.journal import EntryBody
from core.money import MAX_MINOR
from wallet_sync.central.db import Base, Card, Database, Program, table_of
from wallet_sync.central.errors import ApiError
from wallet_sync.central.keys import SigningKey
from wallet_sync.central.programs import parsed
from wallet_sync.protocol import API_PREFIX, CodePoolRequest

MAX_EXPIRY_S = 20 * 366 * 86400  # an issue entry's expiry beyond this is a typo, not a policy


class CodeReservation(Base):
    __tablename__ = "code_reservations"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    program: Mapped[str] = mapped_column(ForeignKey("programs.id"))
    terminal: Mapped[str] = mapped_column(ForeignKey("terminals.id"), index=True)
    qr: Mapped[str] = mapped_column(Text)
    reserved_at: Mapped[int] = mapped_column(BigInteger)
    issued_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


def gift_program(session: Session, program_id: str) -> Any:
    """The parsed gift-card program, or the API's 404/422."""
    row = session.get(Program, program_id)
    if row is None:
        raise ApiError(404, "unknown_program", f"no program {program_id!r}")
    prog = parsed(row)
    if prog.kind != "gift_card" or not prog.code_pattern:
        raise ApiError(422, "wrong_program_kind", f"{program_id} is not a gift-card program")
    return prog


def free_codes(session: Session, pattern: str, count: int) -> list[str]:
    """`count` new codes of `pattern` that are neither a card nor reserved."""
    codes: set[str] = set()
    while len(codes) < count:
        fresh = {generate_code(pattern) for _ in range(count - len(codes))} - codes
        taken = set(session.scalars(select(Card.code).where(Card.code.in_(fresh))))
        taken |= set(session.scalars(select(CodeReservation.code)
                                     .where(CodeReservation.code.in_(fresh))))
        codes |= fresh - taken
    return sorted(codes)


def top_up(session: Session, key: SigningKey, terminal: str, program_id: str, target: int,
           now: int) -> list[dict[str, str]]:
    """The terminal's unused codes of the program after reserving up to `target` of them."""
    prog = gift_program(session, program_id)
    unused = (select(CodeReservation).where(CodeReservation.terminal == terminal,
                                            CodeReservation.program == program_id,
                                            CodeReservation.issued_seq.is_(None))
              .order_by(CodeReservation.code))
    have = session.scalar(select(func.count()).select_from(unused.subquery())) or 0
    if have < target:
        rows = [{"code": code, "program": program_id, "terminal": terminal,
                 "qr": issue_credential(CardCredential(key.key_id, code, "gift_card",
                                                       prog.currency, now, None), key.private),
                 "reserved_at": now}
                for code in free_codes(session, prog.code_pattern, target - have)]
        session.connection().execute(insert(table_of(CodeReservation)), rows)
    return [{"code": r.code, "qr": r.qr} for r in session.scalars(unused)]


def issue_card(session: Session, terminal: str, body: EntryBody, now: int) -> str | None:
    """Create the inactive card a terminal's `issue` entry names (balance 0, no lots yet: the
    applier books the face value through the ledger so escrow sees it). None when created,
    else the conflict reason."""
    code = body.card or ""
    res = session.get(CodeReservation, code) if 1 <= len(code) <= 64 else None
    if res is None or res.terminal != terminal:
        return "code_not_reserved"
    if res.issued_seq is not None or session.get(Card, code) is not None:
        return "code_taken"
    if res.program != body.program:
        return "wrong_program"
    try:
        prog = gift_program(session, res.program)
    except ApiError:  # the program changed kind since: a person decides, the push goes on
        return "wrong_program"
    expires = body.extra.get("expires_at")
    if body.currency != prog.currency:
        return "wrong_currency"
    if not 0 <= body.amount <= MAX_MINOR:
        return "invalid_amount"
    if expires is not None and (isinstance(expires, bool) or not isinstance(expires, int)
                                or not 0 < expires - body.wall_ms // 1000 <= MAX_EXPIRY_S):
        return "invalid_expiry"
    session.execute(update(CodeReservation).where(CodeReservation.code == code)
                    .values(issued_seq=body.seq))
    # change_seq 0 until accounts.save gives the card its place in the feed.
    session.add(Card(code=code, program=res.program, currency=prog.currency, state="inactive",
                     balance_minor=0, expires_at=expires, issued_at=body.wall_ms // 1000,
                     qr=res.qr, change_seq=0, reserve=0))
    session.flush()
    return None


def add_routes(app: FastAPI, db: Database, key: SigningKey,
               terminal_auth: Callable[[Request, bytes], str], now: Callable[[], int]) -> None:
    """POST /v1/code-pool (terminal-signed) CodePoolRequest -> {"program","codes":[{code,qr}]}."""

    @app.post(f"{API_PREFIX}/code-pool")
    async def code_pool(request: Request) -> dict[str, Any]:
        body = await request.body()

        def work() -> dict[str, Any]:
            terminal = terminal_auth(request, body)
            try:
                req = CodePoolRequest.model_validate_json(body)
            except ValueError as exc:
                raise ApiError(422, "invalid_request", str(exc)[:300]) from exc
            with db.write() as session:
                codes = top_up(session, key, terminal, req.program, req.target, now())
            return {"program": req.program, "codes": codes}
        return await run_in_threadpool(work)

