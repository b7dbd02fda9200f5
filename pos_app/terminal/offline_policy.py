"""The offline policy, evaluated inside the commit transaction (so two processes cannot both
take the last of a cap or a grant) when central could not be asked.

Gift cards (`offline_decision`): `online` never spends offline (`offline_not_allowed`),
`escrow` draws only on this terminal's grant for the card (`no_offline_grant`,
`grant_expired`, `grant_exhausted`), `floor` spends within its caps (`offline_reason`): the
per-transaction cap (`offline_limit`), one spend per card per terminal per outage
(`offline_card_used`), the terminal total (`offline_till_total`) and the time since the last
complete sync (`offline_too_long`). Each cap declines with its own reason, so the cashier is
told the rule that declined (pos_app/gui/offline_wording.py words them, the same words as the
offline banner and docs/RULES.md). Points (`burn_offline_reason`): `online` and `escrow` refuse
(points have no grants), `floor` caps points the same way.

Caps are counted from the journal and meta (never from memory), so restarting the terminal
cannot reset them; time is measured by `offline_clock`, so moving the wall clock cannot
stretch them. A quarantined or flagged terminal spends nothing offline (`standing`), the
program decided with must still be as central signed it, read again inside the transaction
(`program_tampered`), and the card's balance view must be what its journal says
(`balance_mismatch`, balance.mismatch). Someone with the terminal's disk can still edit the
journal's neighbours in meta; central re-checks every offline spend against its own copy of the
rules (wallet_sync.central.offline_check), so such a spend is caught there, not here.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from core.programs import Program
from pos_app.terminal import balance, grants, offline_clock, replica, standing
from pos_app.terminal.database import TerminalDB

BALANCE_MISMATCH = "balance_mismatch"


def _standing_or_program(conn: Connection, program: Program) -> str | None:
    """Why nothing of PROGRAM may be decided offline right now, before any cap."""
    refused = standing.offline_refusal(conn)
    if refused is not None:
        return refused  # central said so; trust nothing offline
    current = replica.load_programs(conn).get(program.id)
    if current is None:
        return replica.refusal(conn, program.id)
    if current.version != program.version:
        return "quote_changed"  # a new version arrived meanwhile: decide again under it
    return None


def offline_decision(conn: Connection, program: replica.ReplicaProgram, code: str,
                     amount: int, now_ms: int, boot: tuple[str, int]
                     ) -> tuple[str | None, str | None]:
    """The offline policy, evaluated inside the commit transaction so two processes cannot
    both take the last of a cap or a grant: (decline reason, grant id to draw on)."""
    policy = program.program.offline
    refused = _standing_or_program(conn, program.program)
    if refused is not None:
        return refused, None
    if policy.mode == "online":
        return "offline_not_allowed", None
    if balance.mismatch(conn, code) is not None:
        return BALANCE_MISMATCH, None  # the view was edited or damaged: decide nothing on it
    if policy.mode == "escrow":
        grant, reason = grants.choose(conn, code, amount,
                                      offline_clock.central_now(conn, now_ms, boot))
        return reason, grant
    return offline_reason(conn, program, code, amount, now_ms, boot), None


def offline_reason(conn: Connection, program: replica.ReplicaProgram, code: str, amount: int,
                   now_ms: int, boot: tuple[str, int]) -> str | None:
    """Floor mode: per-transaction cap, one spend per card per outage, the terminal total and
    the time since the last complete sync."""
    policy = program.program.offline
    elapsed = offline_clock.elapsed_ms(conn, "sync", now_ms, boot)
    if elapsed is None:
        return "offline_too_long"  # never synced: nothing to trust offline
    if policy.max_offline_hours is not None and elapsed > policy.max_offline_hours * 3_600_000:
        return "offline_too_long"
    if policy.floor_per_transaction is not None and amount > policy.floor_per_transaction:
        return "offline_limit"
    mark = TerminalDB.get_int(conn, "sync_mark_seq")
    same_card = conn.execute(
        text("SELECT COUNT(*) FROM journal WHERE op = 'redeem' AND offline = 1 AND card = :c "
             "AND seq > :m"), {"c": code, "m": mark}).scalar()
    if same_card:
        return "offline_card_used"  # one offline spend per card per terminal per outage
    spent = conn.execute(
        text("SELECT COALESCE(SUM(amount), 0) FROM journal WHERE op = 'redeem' AND offline = 1 "
             "AND program = :p AND seq > :m"), {"p": program.program.id, "m": mark}).scalar()
    if policy.terminal_total is not None and int(spent or 0) + amount > policy.terminal_total:
        return "offline_till_total"
    return None


def burn_offline_reason(conn: Connection, program: Program, points: int, now_ms: int,
                        boot: tuple[str, int]) -> str | None:
    policy = program.offline
    refused = _standing_or_program(conn, program)
    if refused is not None:
        return refused
    if policy.mode == "online":
        return "offline_not_allowed"
    if policy.mode == "escrow":
        return "no_offline_grant"
    elapsed = offline_clock.elapsed_ms(conn, "sync", now_ms, boot)
    if elapsed is None or (policy.max_offline_hours is not None
                           and elapsed > policy.max_offline_hours * 3_600_000):
        return "offline_too_long"
    if policy.floor_per_transaction is not None and points > policy.floor_per_transaction:
        return "offline_limit"
    spent = conn.execute(text(
        "SELECT COALESCE(SUM(amount), 0) FROM journal WHERE op = 'burn' AND offline = 1 "
        "AND program = :p AND seq > :m"), {"p": program.id,
                                           "m": TerminalDB.get_int(conn, "sync_mark_seq")}).scalar()
    if policy.terminal_total is not None and int(spent or 0) + points > policy.terminal_total:
        return "offline_till_total"
    return None
