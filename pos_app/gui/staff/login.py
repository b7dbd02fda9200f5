"""The login screen: a large tile per person beside a PIN pad. After a name is touched the
keyboard works too (digits, Backspace, Enter; the PIN field shows a focus frame while it
listens). The PIN is checked by the terminal service on a worker thread (argon2 takes tens of
milliseconds); after five wrong PINs every login is locked for five minutes, and the screen says
until when.

Two columns (people and messages left, the pad right) keep it within a 1024×768 till screen;
a long staff list scrolls. A prompt ("enter your PIN") is plain text; only a refusal is shown
as an error (`message` property `state`: prompt | error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.gui import locale_fmt
from pos_app.gui.operations import OpChanges, Operations, OpError
from pos_app.gui.reasons import explain
from pos_app.gui.scroll import VerticalScroll
from pos_app.terminal.staff import LoginResult, StaffMember
from wallet_sync.protocol import MANAGER_PIN_MIN

MAX_PIN = 8


class LoginScreen(QWidget):
    logged_in = Signal(object)  # StaffMember

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login")
        self.ops = ops
        self.pin = ""
        self.staff: list[StaffMember] = []
        self.selected: StaffMember | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # digits, Backspace, Enter
        outer = QHBoxLayout(self)
        outer.setContentsMargins(24, 12, 24, 12)
        outer.setSpacing(32)
        outer.addStretch(1)
        people = QVBoxLayout()
        outer.addLayout(people, 4)
        self.title = QLabel(self.tr("Who is at the counter?"))
        self.title.setObjectName("loginTitle")
        self.title.setWordWrap(True)
        people.addWidget(self.title)
        tiles = QWidget()
        tiles.setObjectName("staffTiles")
        self.tiles_box = QGridLayout(tiles)
        self.tiles_box.setContentsMargins(0, 0, 0, 0)
        people.addWidget(VerticalScroll(tiles), 1)
        self.tiles = QButtonGroup(self)
        self.tiles.setExclusive(True)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        people.addWidget(self.message)
        pad_column = QVBoxLayout()
        outer.addLayout(pad_column, 3)
        outer.addStretch(1)
        self.pin_label = QLabel()
        self.pin_label.setObjectName("pinDots")
        self.pin_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pad_column.addWidget(self.pin_label)
        pad = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]):
            button = QPushButton(key if key != "OK" else self.tr("OK"))
            button.setObjectName("pinKey" if key != "OK" else "pinOk")
            button.setMinimumSize(88, 60)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            pad.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        pad_column.addLayout(pad)
        pad_column.addStretch(1)
        self.locked_until: int | None = None
        self._render_pin()

    # ---- data -----------------------------------------------------------------------------

    def refresh(self, done: Callable[[], None] | None = None) -> None:
        """Reload the people (after a sync) and the lock state."""

        def loaded(result: tuple[list[StaffMember], LoginResult]) -> None:
            self.set_staff(result[0])
            self._show_lock(result[1])
            if done is not None:
                done()

        self.ops.run(lambda s: (s.staff(), s.login_lock()), on_done=loaded)

    def set_staff(self, staff: list[StaffMember]) -> None:
        for button in self.tiles.buttons():
            self.tiles.removeButton(button)
            button.deleteLater()
        self.staff = staff
        for i, person in enumerate(staff):
            role = self.tr("manager") if person.role == "manager" else self.tr("cashier")
            tile = QPushButton(f"{person.name}\n{role}")
            tile.setObjectName("staffTile")
            tile.setCheckable(True)
            tile.setMinimumSize(150, 76)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tile.clicked.connect(lambda _=False, p=person: self.select(p))
            self.tiles.addButton(tile)
            self.tiles_box.addWidget(tile, i // 2, i % 2)
        if len(staff) == 1:
            self.select(staff[0])
        elif not staff:
            self._say(self.tr("No staff on this terminal yet: sync with head office (F8)."),
                      error=True)

    def select(self, person: StaffMember) -> None:
        self.selected = person
        for button, p in zip(self.tiles.buttons(), self.staff, strict=False):
            button.setChecked(p.id == person.id)
        self.pin = ""
        self._render_pin()
        self.setFocus(Qt.FocusReason.OtherFocusReason)  # the keyboard types the PIN now
        if self.locked_until is None:
            self._say(self.tr("%1: enter your PIN").replace("%1", person.name))

    # ---- input ----------------------------------------------------------------------------

    def press(self, key: str) -> None:
        if key == "⌫":
            self.pin = self.pin[:-1]
        elif key == "OK":
            self.submit()
            return
        elif key.isdigit() and len(self.pin) < MAX_PIN:
            self.pin += key
        self._render_pin()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.text().isascii() and event.text().isdigit() and len(event.text()) == 1:
            self.press(event.text())
        elif event.key() == Qt.Key.Key_Backspace:
            self.press("⌫")
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self._focus_frame(True)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self._focus_frame(False)
        super().focusOutEvent(event)

    def _focus_frame(self, on: bool) -> None:
        self.pin_label.setProperty("listening", "yes" if on else "no")
        self.pin_label.style().unpolish(self.pin_label)
        self.pin_label.style().polish(self.pin_label)

    def submit(self) -> None:
        if self.selected is None:
            self._say(self.tr("First touch your name."))
            return
        if len(self.pin) < 4:
            self._say(explain("invalid_pin"), error=True)
            return
        person, pin = self.selected, self.pin
        self.pin = ""
        self._render_pin()
        self._enable(False)
        self.ops.run(lambda s: s.login(person.id, pin), on_done=self._answered,
                     on_error=self._failed, changes=OpChanges(staff=True))

    def _answered(self, result: LoginResult) -> None:
        self._enable(True)
        if result.status == "ok" and result.staff is not None:
            self.message.clear()
            self.locked_until = None
            self.logged_in.emit(result.staff)
            return
        if self._show_lock(result):
            return
        if result.status == "not_manager":  # a correct cashier PIN: no try is used up
            self._say(explain("not_manager"), error=True)
            return
        self._say(explain(result.status) + " " + self.tr(
            "%1 tries left before login locks for 5 minutes.").replace(
            "%1", str(result.attempts_left)), error=True)

    def _failed(self, error: OpError) -> None:
        self._enable(True)
        self._say(explain(error.reason), error=True)

    def _show_lock(self, result: LoginResult) -> bool:
        if result.status != "locked" or result.locked_until_ms is None:
            self.locked_until = None
            return False
        self.locked_until = result.locked_until_ms
        self._say(explain(result.reason or "locked") + " " + self.tr("Try again at %1.").replace(
            "%1", locale_fmt.clock(result.locked_until_ms)), error=True)
        return True

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("state", "error" if error else "prompt")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _enable(self, enabled: bool) -> None:
        for button in self.keys.values():
            button.setEnabled(enabled)

    def _render_pin(self) -> None:
        # As many empty places as the chosen person's PIN has at least: a manager's has 6.
        least = (MANAGER_PIN_MIN if self.selected is not None and self.selected.role == "manager"
                 else 4)
        self.pin_label.setText("●" * len(self.pin) + "○" * max(0, least - len(self.pin)))

    def reset(self) -> None:
        self.pin = ""
        self._render_pin()
        self.message.clear()
        if self.selected is not None:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def people(self) -> list[Any]:
        return list(self.staff)
