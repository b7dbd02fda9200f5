"""A USB scanner works anywhere in the app; a cashier's typing is never eaten.

Key events are synthetic (QTest) and their timing comes from a fake clock the test advances,
so "fast" and "slow" are exact; only the release of held typing waits on Qt's timer.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pos_app.scanner.wedge_filter import WedgeFilter

CARD = "GC-7Q2M-9XKD-4HBH"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def screen(qtbot):
    clock = Clock()
    wedge = WedgeFilter.install(QApplication.instance(), clock=clock)
    window = QWidget()
    layout = QVBoxLayout(window)
    amount, button = QLineEdit(), QPushButton("Redeem")
    layout.addWidget(amount)
    layout.addWidget(button)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    amount.setFocus()
    scans: list[str] = []
    entered: list[str] = []
    wedge.scanned.connect(scans.append)
    amount.returnPressed.connect(lambda: entered.append(amount.text()))
    yield clock, amount, button, scans, entered
    QApplication.instance().removeEventFilter(wedge)
    wedge.deleteLater()


def _type(qtbot, widget, text: str, clock: Clock, gap: float) -> None:
    for ch in text:
        qtbot.keyClick(widget, ch)
        clock.now += gap


def test_a_fast_burst_ending_in_enter_is_a_scan_and_leaves_the_field_alone(qtbot, screen):
    clock, amount, _, scans, entered = screen
    _type(qtbot, amount, CARD, clock, 0.004)
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    assert scans == [CARD]
    assert amount.text() == "" and entered == []  # nothing typed, no default action fired


def test_slow_typing_reaches_the_focused_field_and_enter_works(qtbot, screen):
    clock, amount, _, scans, entered = screen
    _type(qtbot, amount, "12.50", clock, 0.2)
    qtbot.waitUntil(lambda: amount.text() == "12.50")  # the last key, after the hold timer
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    assert scans == [] and entered == ["12.50"]


def test_a_short_fast_run_is_typing_not_a_scan(qtbot, screen):
    clock, amount, _, scans, entered = screen
    _type(qtbot, amount, "42", clock, 0.01)
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    assert scans == [] and amount.text() == "42" and entered == ["42"]


def test_a_scan_works_wherever_the_focus_is(qtbot, screen):
    clock, amount, button, scans, _ = screen
    button.setFocus()
    _type(qtbot, button, "LM-22ZYFTHM", clock, 0.003)
    qtbot.keyClick(button, Qt.Key.Key_Enter)
    assert scans == ["LM-22ZYFTHM"] and amount.text() == ""


def test_editing_keys_and_shortcuts_pass_through_in_order(qtbot, screen):
    clock, amount, _, scans, _ = screen
    _type(qtbot, amount, "123", clock, 0.01)
    qtbot.keyClick(amount, Qt.Key.Key_Backspace)  # releases the held "123" first, then edits
    assert amount.text() == "12"
    qtbot.keyClick(amount, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert amount.selectedText() == "12" and scans == []


def test_two_scans_in_a_row_with_typing_between(qtbot, screen):
    clock, amount, _, scans, _ = screen
    _type(qtbot, amount, CARD, clock, 0.002)
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    clock.now += 1.0
    _type(qtbot, amount, "5", clock, 0.3)
    qtbot.waitUntil(lambda: amount.text() == "5")
    _type(qtbot, amount, "LM-22ZYFTHM", clock, 0.002)
    qtbot.keyClick(amount, Qt.Key.Key_Return)
    assert scans == [CARD, "LM-22ZYFTHM"] and amount.text() == "5"
