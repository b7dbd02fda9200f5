"""The header: which store and terminal, who is on shift since when, online or offline, and the
buttons a cashier needs without hunting (language, theme, lock). Place and shift sit on two
lines and wrap, so the row fits a 1024-pixel screen in either language; the language button
names the language it switches to."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.gui import locale_fmt


class Header(QWidget):
    lock_requested = Signal()
    language_requested = Signal()
    theme_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        self.place = QLabel()
        self.place.setObjectName("place")
        self.place.setWordWrap(True)
        self.shift = QLabel()
        self.shift.setObjectName("shift")
        self.shift.setWordWrap(True)
        self.online = QLabel()
        self.online.setObjectName("online")
        self.lang_button = QPushButton(self.tr("日本語 (F10)"))
        self.theme_button = QPushButton(self.tr("Theme (F11)"))
        self.lock_button = QPushButton(self.tr("Lock (F12)"))
        for button in (self.lang_button, self.theme_button, self.lock_button):
            button.setObjectName("headerButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.clicked.connect(self.lock_requested)
        self.lang_button.clicked.connect(self.language_requested)
        self.theme_button.clicked.connect(self.theme_requested)
        row.setSpacing(10)
        who = QVBoxLayout()
        who.setSpacing(0)
        who.addWidget(self.place)
        who.addWidget(self.shift)
        row.addLayout(who, 1)
        row.addWidget(self.online)
        row.addWidget(self.lang_button)
        row.addWidget(self.theme_button)
        row.addWidget(self.lock_button)
        self.set_place("", "")
        self.set_staff(None, None, None)
        self.set_online(None)

    def set_place(self, store: str, terminal: str) -> None:
        self.place.setText(f"walletpos  ·  {store}  ·  {terminal}" if store else "walletpos")

    def set_staff(self, name: str | None, role: str | None, since_ms: int | None) -> None:
        if not name:
            self.shift.setText(self.tr("Not logged in"))
            self.lock_button.setEnabled(False)
            return
        role_text = self.tr("manager") if role == "manager" else self.tr("cashier")
        self.shift.setText(self.tr("%1 (%2) · shift since %3").replace("%1", name)
                           .replace("%2", role_text)
                           .replace("%3", locale_fmt.clock(since_ms or 0)))
        self.lock_button.setEnabled(True)

    def set_online(self, online: bool | None) -> None:
        if online is None:
            text, state = self.tr("● Checking…"), "unknown"
        elif online:
            text, state = self.tr("● Online"), "online"
        else:
            text, state = self.tr("● Offline"), "offline"
        self.online.setText(text)
        self.online.setProperty("state", state)
        self.online.style().unpolish(self.online)
        self.online.style().polish(self.online)
