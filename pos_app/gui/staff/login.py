"""The login screen: a large tile per person, then a PIN pad (also the number keys and Enter on
a keyboard). The PIN is checked by the terminal service on a worker thread (argon2 takes tens of
milliseconds); after five wrong PINs every login is locked for five minutes, and the screen says
until when."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
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
from pos_app.terminal.staff import LoginResult, StaffMember

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
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        outer.addLayout(column, 3)
        outer.addStretch(1)
        self.title = QLabel(self.tr("Who is at the counter?"))
        self.title.setObjectName("loginTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.title)
        self.tiles_box = QHBoxLayout()
        column.addLayout(self.tiles_box)
        self.tiles = QButtonGroup(self)
        self.tiles.setExclusive(True)
        self.pin_label = QLabel()
        self.pin_label.setObjectName("pinDots")
        self.pin_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.pin_label)
        pad = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]):
            button = QPushButton(key if key != "OK" else self.tr("OK"))
            button.setObjectName("pinKey" if key != "OK" else "pinOk")
            button.setMinimumSize(110, 72)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            pad.addWidget(button, i // 3, i % 3)
            self.keys[key] = button
        column.addLayout(pad)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        column.addWidget(self.message)
        column.addStretch(1)
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
        for person in staff:
            role = self.tr("manager") if person.role == "manager" else self.tr("cashier")
            tile = QPushButton(f"{person.name}\n{role}")
            tile.setObjectName("staffTile")
            tile.setCheckable(True)
            tile.setMinimumSize(160, 84)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tile.clicked.connect(lambda _=False, p=person: self.select(p))
            self.tiles.addButton(tile)
            self.tiles_box.addWidget(tile)
        if len(staff) == 1:
            self.select(staff[0])
        elif not staff:
            self.message.setText(self.tr("No staff on this terminal yet: sync with head office "
                                         "(F8)."))

    def select(self, person: StaffMember) -> None:
        self.selected = person
        for button, p in zip(self.tiles.buttons(), self.staff, strict=False):
            button.setChecked(p.id == person.id)
        self.pin = ""
        self._render_pin()
        if self.locked_until is None:
            self.message.setText(self.tr("%1: enter your PIN").replace("%1", person.name))

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
        if event.text().isdigit():
            self.press(event.text())
        elif event.key() == Qt.Key.Key_Backspace:
            self.press("⌫")
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    def submit(self) -> None:
        if self.selected is None:
            self.message.setText(self.tr("First touch your name."))
            return
        if len(self.pin) < 4:
            self.message.setText(explain("invalid_pin"))
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
        self.message.setText(explain(result.status) + " " + self.tr(
            "%1 tries left before login locks for 5 minutes.").replace(
            "%1", str(result.attempts_left)))

    def _failed(self, error: OpError) -> None:
        self._enable(True)
        self.message.setText(explain(error.reason))

    def _show_lock(self, result: LoginResult) -> bool:
        if result.status != "locked" or result.locked_until_ms is None:
            self.locked_until = None
            return False
        self.locked_until = result.locked_until_ms
        self.message.setText(explain("locked") + " " + self.tr("Try again at %1.").replace(
            "%1", locale_fmt.clock(result.locked_until_ms)))
        return True

    def _enable(self, enabled: bool) -> None:
        for button in self.keys.values():
            button.setEnabled(enabled)

    def _render_pin(self) -> None:
        self.pin_label.setText("●" * len(self.pin) + "○" * max(0, 4 - len(self.pin)))

    def reset(self) -> None:
        self.pin = ""
        self._render_pin()
        self.message.clear()

    @property
    def people(self) -> list[Any]:
        return list(self.staff)
