"""The status bar: entries waiting to sync, the last complete sync, and Sync now (F8) with its
progress. It redraws when an operation reports journal or network changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from pos_app.gui import locale_fmt
from pos_app.gui.reasons import explain


class StatusBar(QWidget):
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 6, 16, 6)
        self.outbox = QLabel()
        self.outbox.setObjectName("outbox")
        self.last_sync = QLabel()
        self.message = QLabel()
        self.message.setObjectName("hint")
        self.message.setWordWrap(True)
        self.last_sync.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.sync_button = QPushButton(self.tr("Sync now (F8)"))
        self.sync_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sync_button.clicked.connect(self.sync_requested)
        row.setSpacing(16)
        row.addWidget(self.outbox)
        row.addWidget(self.last_sync, 1)
        row.addWidget(self.message, 2)
        row.addWidget(self.progress)
        row.addWidget(self.sync_button)
        self._row = row
        self.status: dict[str, Any] = {}
        self.show_status({"outbox": 0, "last_sync_ms": None})

    def add_button(self, button: QPushButton) -> None:
        """An extra button left of Sync now (the demo's network switch)."""
        self._row.insertWidget(self._row.indexOf(self.sync_button), button)

    def show_status(self, status: dict[str, Any]) -> None:
        self.status = status
        self.outbox.setText(self.tr("Waiting to sync: %1").replace("%1", str(status["outbox"])))
        self.last_sync.setText(self.tr("Last sync: %1").replace(
            "%1", locale_fmt.when(status.get("last_sync_ms"))))

    def set_syncing(self, syncing: bool, text: str = "") -> None:
        self.sync_button.setEnabled(not syncing)
        self.progress.setVisible(syncing)
        self.progress.setRange(0, 0 if syncing else 1)  # busy: the agent reports no total
        if syncing:
            self.message.setText(self.tr("Syncing… sending %1 entries").replace("%1", text)
                                 if text else self.tr("Syncing…"))

    def sync_finished(self, result: dict[str, Any] | None, reason: str | None = None) -> None:
        self.set_syncing(False)
        if reason is not None:
            self.message.setText(explain(reason))
        elif result is not None:
            self.message.setText(self.tr("Synced: %1 sent, %2 received").replace(
                "%1", str(result["pushed"])).replace("%2", str(result["pulled"])))
