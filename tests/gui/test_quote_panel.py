"""The loyalty part of "what the card can do": a real quote from the rules engine shown in the
quote panel — points, tier and progress, rewards with their cost, points this order earns, and
refused benefits with the reason in the cashier's language. With `TerminalService.quote` in
place the same panel is driven end to end through the counter."""

from __future__ import annotations

import datetime as dt

import pytest
from counter_helpers import WAIT_MS, counter, idle, log_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar

from core.programs import parse_programs
from core.rules.basket import Basket, Line
from core.rules.context import Customer, Store
from core.rules.points import PointsAccount, earn
from core.rules.quote import Membership, quote
from pos_app.demo import DEMO_PROGRAMS
from pos_app.gui.app import make_app
from pos_app.gui.counter.quote_panel import QuotePanel
from pos_app.terminal.service import TerminalService

NOW = int(dt.datetime(2024, 5, 8, 12, tzinfo=dt.UTC).timestamp())


def _quote(points: int, country: str, total: int):
    programs = parse_programs(DEMO_PROGRAMS.read_text(encoding="utf-8"), "yaml")
    account = earn(PointsAccount("LM-00000001", "club"), points, "L1", NOW - 3600)
    lines = (Line("SKU-COFFEE", "drinks", 1, 350), Line("BEANS", "shop", 1, total - 350))
    return quote(Basket("EUR", lines), programs,
                 members=[Membership("club", account, points)],
                 customer=Customer("C1", country), store=Store("S1", "Europe/Berlin", "DE"),
                 now=NOW)


def test_member_points_tier_progress_rewards_and_earning_are_shown(qtbot):
    make_app(lang="en", theme="light")
    panel = QuotePanel()
    qtbot.addWidget(panel)
    q = _quote(300, "DE", 12_000)
    panel.show_quote(q)
    labels = " | ".join(w.text() for w in panel.findChildren(QLabel))
    assert "Member LM-00000001" in labels and "300 points" in labels
    assert "Tier: basic" in labels
    assert f"This order earns {q.points_to_earn} points" in labels and q.points_to_earn == 240
    bar = panel.findChildren(QProgressBar)[0]
    assert bar.format() == "700 points to gold"
    rewards = [b.text() for b in panel.findChildren(QCheckBox)]
    assert rewards == ["coffee — 100 points (worth €3.50)"]
    assert "✗ five-off: Needs tier: gold" in labels  # refused, with the reason translated
    panel.choices[next(iter(panel.choices))].setChecked(True)
    with qtbot.waitSignal(panel.apply_requested) as sent:
        panel.apply_button.click()
    assert sent.args[0] == ["reward:club:coffee"]


def test_an_ineligible_member_sees_why(qtbot):
    make_app(lang="ja", theme="light")
    panel = QuotePanel()
    qtbot.addWidget(panel)
    panel.show_quote(_quote(300, "FR", 12_000))
    labels = " | ".join(w.text() for w in panel.findChildren(QLabel))
    assert "お客様は対象外です" in labels
    make_app(lang="en", theme="light")


@pytest.mark.skipif(not hasattr(TerminalService, "quote"),
                    reason="TerminalService.quote arrives with the loyalty work")
def test_member_code_scanned_at_the_counter_shows_the_quote(qtbot, world):
    with world.admin() as admin:
        member = admin.create_member("club", country="DE")["code"]
    with world.service() as terminal:
        terminal.sync()
    with counter(qtbot, world, wedge=False) as window:
        log_in(qtbot, window)
        window.basket.amount.setText("120.00")
        window.handle_payload(member, 0.0)
        qtbot.waitUntil(lambda: window.quote.isVisible(), timeout=WAIT_MS)
        assert window.quote.quote.points_to_earn == 240
        labels = " | ".join(w.text() for w in window.quote.findChildren(QLabel))
        assert f"Member {member}" in labels and "This order earns 240 points" in labels
        qtbot.mouseClick(window.quote.apply_button, Qt.MouseButton.LeftButton)  # earn
        idle(qtbot, window)
        assert window.card.outcome.text() == f"✓ Applied. Points now {member}: 240."
        idle(qtbot, window)
    with world.service() as terminal:
        rows = terminal.store.journal_rows()
    assert [(r["op"], r["card"], r["amount"]) for r in rows] == [("earn", member, 240)]
