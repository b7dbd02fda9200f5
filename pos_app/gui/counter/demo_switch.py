"""The demo's network switch (only under `walletpos demo`): "Go offline" stops the demo's own
central, "Back online" starts it again on the same address, and each press is followed by a
sync, so the counter finds out at once — the offline walk-through of the README without a
second terminal or pulling a cable. Stopping and starting central runs on the sync lane (off
the UI thread, never in the middle of a sync)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from pos_app.gui.operations import Operations


class Central(Protocol):  # wallet_sync.central.embedded.EmbeddedCentral
    @property
    def running(self) -> bool: ...

    def start(self) -> object: ...

    def stop(self) -> None: ...


class DemoNetworkSwitch(QPushButton):
    switched = Signal(bool)  # central now running

    def __init__(self, ops: Operations, central: Central, after: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoSwitch")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ops, self.central, self._after = ops, central, after
        self.clicked.connect(self.toggle)
        self._label()

    def _label(self) -> None:
        self.setText(self.tr("Demo: go offline") if self.central.running
                     else self.tr("Demo: back online"))

    def toggle(self) -> None:
        self.setEnabled(False)
        going_up = not self.central.running

        def switch(_service: object) -> bool:
            if going_up:
                self.central.start()
            else:
                self.central.stop()
            return self.central.running

        def done(running: bool) -> None:
            self.setEnabled(True)
            self._label()
            self.switched.emit(running)
            self._after()

        self.ops.run(switch, lane="sync", on_done=done,
                     on_error=lambda _e: (self.setEnabled(True), self._label()))
