"""The keyboard-wedge rule applied to a whole Qt application (the only Qt module here).

Install once on the QApplication: `WedgeFilter.install(app)`. Every key press meant for any
widget passes through it. Plain printable keys are held back while they could be a scanner's
burst; if Enter follows fast enough the burst is emitted as `scanned(text)` and neither it nor
the Enter reaches the widget (so a scan never fills the amount field or presses a default
button). Otherwise the held keys are replayed to the widget they were meant for, in order, at
most `max_gap` later — typing is delayed imperceptibly, never swallowed. Keys with Ctrl, Alt or
Meta, and non-text keys, release what is held and pass straight through.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from pos_app.scanner.wedge import WedgeDetector

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_CHORD = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
          | Qt.KeyboardModifier.MetaModifier)


@dataclass
class _HeldKey:
    target: QObject
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class WedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, max_gap: float = 0.05,
                 min_length: int = 6, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.detector = WedgeDetector(max_gap=max_gap, min_length=min_length)
        self._clock = clock
        self._held: list[_HeldKey] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        # A little over the gap: no key came in time, so what is held was typed by a person.
        self._timer.setInterval(int(max_gap * 1000) + 10)
        self._timer.timeout.connect(self._release_all)

    @classmethod
    def install(cls, app: QCoreApplication, **options: object) -> WedgeFilter:
        wedge = cls(app, **options)  # type: ignore[arg-type]
        app.installEventFilter(wedge)
        return wedge

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        # Key events reach the window first and then the focused widget: act on the widget.
        if not isinstance(obj, QWidget) or not isinstance(event, QKeyEvent):
            return False
        now = self._clock()
        text = event.text()
        if event.key() in _ENTER_KEYS and not (event.modifiers() & _CHORD):
            payload = self.detector.enter(now)
            if payload is not None:
                self._timer.stop()
                self._held.clear()
                self.scanned.emit(payload)
                return True
            self._release_all()
            return False
        if (len(text) == 1 and text.isprintable() and not (event.modifiers() & _CHORD)
                and not event.isAutoRepeat()):
            released = self.detector.key(text, now)
            self._held.append(_HeldKey(obj, event.key(), event.modifiers(), text))
            self._replay(len(released))
            self._timer.start()
            return True
        self._release_all()
        return False

    def _release_all(self) -> None:
        self._timer.stop()
        self._replay(len(self.detector.flush()))

    def _replay(self, count: int) -> None:
        keys, self._held = self._held[:count], self._held[count:]
        self._replaying = True
        try:
            for k in keys:
                if shiboken6.isValid(k.target):
                    QCoreApplication.sendEvent(
                        k.target, QKeyEvent(QEvent.Type.KeyPress, k.key, k.modifiers, k.text))
        finally:
            self._replaying = False
