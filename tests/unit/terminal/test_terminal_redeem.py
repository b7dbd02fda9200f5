"""The money path against an in-memory central: online approvals, every decline reason with
nothing written, malformed input, and the floor/online/escrow offline policies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from terminal_fake_central import FakeCentral
from terminal_helpers import Clock, assert_views_consistent, cached_balance, journal_count

from core.errors import InvalidAmount, InvalidCode, InvalidInput
from pos_app.terminal.service import TerminalService


@pytest.fixture
def term(terminal: TerminalService, central: FakeCentral) -> TerminalService:
    return terminal


def enroll(svc: TerminalService, central: FakeCentral) -> None:
    out = svc.enroll("http://central.test", central.enroll_code())
    assert out["terminal_id"].startswith("T-")
    assert "error" not in out["sync"], out


def test_enroll_pulls_snapshot(terminal: TerminalService, central: FakeCentral) -> None:
    code = central.issue("store-credit")
    enroll(terminal, central)
    assert terminal.balance(code)["balance"] == "50.00"
    assert terminal.balance(code.lower())["code"] == code  # typed forms normalise
    with pytest.raises(Exception) as err:
        terminal.enroll("http://central.test", central.enroll_code())
    assert getattr(err.value, "reason", None) == "already_enrolled"


def test_online_redeem_commits_once_and_pushes(terminal: TerminalService,
                                               central: FakeCentral, home: Path) -> None:
    code = central.issue("gift-eur")
    enroll(terminal, central)
    result = terminal.redeem(code, "12.50", staff="cashier-7")
    assert (result.status, result.offline, result.seq) == ("approved", False, 1)
    data = result.as_json()
    assert data["balance_after"] == "37.50" and data["amount"] == "12.50"
    # The best-effort push already delivered it; sync sends nothing again.
    assert central.redeemed() == [(1, code, 1250)]
    assert terminal.sync()["pushed"] == 0
    assert central.redeemed() == [(1, code, 1250)]
    assert central.cards[code]["balance_minor"] == 3750
    assert terminal.balance(code)["balance"] == "37.50"
    body = central.stored[0].body
    assert body.auth and body.staff == "cashier-7" and body.extra["request_id"] == result.request_id
    assert_views_consistent(terminal)


@pytest.mark.parametrize(("setup", "amount", "currency", "reason"), [
    ("unknown", "1.00", None, "unknown_card"),
    ("inactive", "1.00", None, "card_inactive"),
    ("blocked", "1.00", None, "card_blocked"),
    ("expired", "1.00", None, "expired"),
    ("ok", "1.00", "USD", "wrong_currency"),
    ("ok", "50.01", None, "insufficient_funds"),
    ("big", "200.01", None, "over_order_limit"),
    ("central_blocked", "1.00", None, "card_blocked"),
])
def test_declines_write_nothing(terminal: TerminalService, central: FakeCentral, home: Path,
                                setup: str, amount: str, currency: str | None,
                                reason: str) -> None:
    states = {"inactive": "inactive", "blocked": "blocked"}
    code = central.issue("gift-eur", "300.00" if setup == "big" else "50.00",
                         state=states.get(setup, "active"),
                         expires_at=1_000_000 if setup == "expired" else None)
    if setup == "unknown":
        from core.codes import generate_code
        code = generate_code("GC-####-####-####")
    enroll(terminal, central)
    if setup == "central_blocked":
        central.cards[code]["state"] = "blocked"  # the replica does not know yet
    before = central.calls.count("/v1/journal")
    result = terminal.redeem(code, amount, currency=currency)
    assert (result.status, result.reason, result.seq) == ("declined", reason, None)
    assert journal_count(home) == 0
    assert central.calls.count("/v1/journal") == before
    if setup != "unknown":
        assert terminal.balance(code)["balance"] == ("300.00" if setup == "big" else "50.00")


@pytest.mark.parametrize(("code", "amount", "error"), [
    ("GC-XXXX", "1.00", InvalidCode),
    ("typo", "1.00", InvalidCode),
    (None, "abc", InvalidAmount),
    (None, "1.234", InvalidAmount),
    (None, "-5", InvalidAmount),
    (None, "0", InvalidAmount),
    (None, "0.00", InvalidAmount),
    (None, "٣", InvalidAmount),
    (None, "１２.００", InvalidAmount),
    (None, " 12.00", InvalidAmount),
    ("A" * 5000, "1.00", InvalidInput),
    (None, "1" * 5000, InvalidInput),
    ("GC-\x00", "1.00", InvalidInput),
])
def test_malformed_input_is_an_error_and_writes_nothing(
        terminal: TerminalService, central: FakeCentral, home: Path, code: str | None,
        amount: str, error: type[Exception]) -> None:
    good = central.issue("gift-eur")
    enroll(terminal, central)
    if code == "typo":
        code = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(error):
        terminal.redeem(code or good, amount)
    assert journal_count(home) == 0
    assert "/v1/authorize" not in central.calls


def test_floor_offline_caps(terminal: TerminalService, central: FakeCentral, home: Path,
                            clock: Clock) -> None:
    cards = [central.issue("store-credit") for _ in range(17)]
    enroll(terminal, central)
    central.down = True
    first = terminal.redeem(cards[0], "20.00")
    assert (first.status, first.offline, first.seq) == ("approved", True, 1)
    assert terminal.redeem(cards[0], "1.00").reason == "offline_card_used"  # one per card
    assert terminal.redeem(cards[1], "20.01").reason == "offline_limit"  # per transaction
    for code in cards[1:15]:
        assert terminal.redeem(code, "20.00").status == "approved"
    # 15 x 20.00 = 300.00 = the terminal total: one cent more is refused.
    assert terminal.redeem(cards[15], "0.01").reason == "offline_till_total"
    assert journal_count(home) == 15
    assert_views_consistent(terminal)


def test_floor_offline_caps_survive_restart(home: Path, central: FakeCentral,
                                            clock: Clock) -> None:
    code = central.issue("store-credit")
    with TerminalService(home, transport=central.transport(), clock=clock,
                         authorize_timeout=0.3) as svc:
        enroll(svc, central)
        central.down = True
        assert svc.redeem(code, "5.00").status == "approved"
    with TerminalService(home, transport=central.transport(), clock=clock,
                         authorize_timeout=0.3) as svc:
        assert svc.redeem(code, "5.00").reason == "offline_card_used"


def test_floor_refuses_after_max_offline_hours(terminal: TerminalService,
                                               central: FakeCentral, clock: Clock,
                                               home: Path) -> None:
    code = central.issue("store-credit")
    enroll(terminal, central)
    central.down = True
    clock.advance_hours(24.1)
    assert terminal.redeem(code, "5.00").reason == "offline_too_long"
    assert journal_count(home) == 0


def to_weekday(clock: Clock, weekday: int) -> None:
    """Move the terminal's clock forward to noon UTC of the next `weekday` (0 = Monday)."""
    now = dt.datetime.fromtimestamp(clock() / 1000, dt.UTC)
    target = (now + dt.timedelta(days=(weekday - now.weekday()) % 7 or 7)).replace(
        hour=12, minute=0, second=0, microsecond=0)
    clock.offset_ms += int(target.timestamp() * 1000) - clock()


def test_online_and_escrow_programs_decline_offline(terminal: TerminalService,
                                                    central: FakeCentral, home: Path,
                                                    clock: Clock) -> None:
    weekend = central.issue("gift-weekend", "10.00")
    gift = central.issue("gift-eur")
    enroll(terminal, central)
    central.down = True
    # The weekend voucher's valid_when refuses it on a weekday before any policy is asked;
    # on a Saturday it reaches its offline policy, `online`, which never spends offline.
    to_weekday(clock, 2)
    assert terminal.redeem(weekend, "1.00").reason == "not_valid_now: now.weekday"
    to_weekday(clock, 5)
    assert terminal.redeem(weekend, "1.00").reason == "offline_not_allowed"
    assert terminal.redeem(gift, "1.00").reason == "no_offline_grant"
    assert journal_count(home) == 0


def test_offline_spend_syncs_exactly_once_and_resets_outage(
        terminal: TerminalService, central: FakeCentral, clock: Clock) -> None:
    code = central.issue("store-credit")
    enroll(terminal, central)
    central.down = True
    assert terminal.redeem(code, "20.00").status == "approved"
    with pytest.raises(Exception) as err:
        terminal.sync()
    assert getattr(err.value, "reason", None) == "central_unreachable"
    central.down = False
    assert terminal.sync() == {"pushed": 1, "pulled": 1, "conflicts": 0}
    assert terminal.sync() == {"pushed": 0, "pulled": 0, "conflicts": 0}
    assert central.redeemed() == [(1, code, 2000)]
    assert central.cards[code]["balance_minor"] == 3000
    assert terminal.balance(code)["balance"] == "30.00"
    assert_views_consistent(terminal)
    # A new outage: the same card may be spent offline once again.
    central.down = True
    assert terminal.redeem(code, "20.00").status == "approved"
    assert cached_balance(terminal, code) == 1000


def test_quarantined_terminal_spends_nothing_offline(terminal: TerminalService,
                                                     central: FakeCentral, home: Path) -> None:
    from wallet_sync.protocol import Change, ChangePage

    code = central.issue("store-credit")
    enroll(terminal, central)
    cursor = terminal.store.pull_cursor()
    terminal.store.apply_page(ChangePage(
        cursor_from=cursor, cursor=cursor + 1, more=False, acked_seq=0, server_time=0,
        changes=[Change(change_seq=cursor + 1, kind="terminal", key="T",
                        data={"state": "quarantined"})]))
    central.down = True
    assert terminal.redeem(code, "1.00").reason == "terminal_quarantined"
    assert journal_count(home) == 0


def test_an_approval_without_centrals_signature_is_refused(terminal: TerminalService,
                                                            central: FakeCentral,
                                                            home: Path) -> None:
    code = central.issue("gift-eur")
    enroll(terminal, central)
    central.forge_authorizations = True
    result = terminal.redeem(code, "5.00")
    assert (result.status, result.reason) == ("declined", "bad_authorization")
    assert journal_count(home) == 0
    central.forge_authorizations = False
    assert terminal.redeem(code, "5.00").status == "approved"
    body = central.stored[0].body
    (answer,) = [a for a in central.auths.values() if a.get("auth_id") == body.auth]
    assert body.extra["auth_sig"] == answer["signature"]
    assert body.extra["auth_exp"] == answer["expires_at"]
