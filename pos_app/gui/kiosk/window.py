"""The kiosk window: an attract screen ("scan your card"), the customer's balance, and the
manager PIN that is the only way out of kiosk mode.

Touch-first and customer-owned: big type, the language buttons on every screen (the customer's
choice lasts until the kiosk goes back to the attract screen), no staff actions. A scan comes
from a keyboard-wedge scanner (the counter's `WedgeFilter`) or, with `camera`, the counter's
scan panel. Every look-up runs through `Operations` (never on the UI thread); the replica keeps
it working offline, and the screen then says "as of HH:MM". After `IDLE_SECONDS` without a touch
the kiosk returns to the attract screen and forgets the card: `idle.timer` is the one timer,
so tests fire it instead of waiting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.gui.app import apply_language, language
from pos_app.gui.kiosk.balance_view import BalanceView
from pos_app.gui.operations import OpChanges, Operations, OpError
from pos_app.gui.reasons import explain
from pos_app.gui.scroll import VerticalScroll
from pos_app.gui.staff.idle import IdleLock
from pos_app.gui.staff.login import LoginScreen
from pos_app.scanner.wedge_filter import WedgeFilter

IDLE_SECONDS = 20
SYNC_EVERY_MS = 30_000
ATTRACT, RESULT, EXIT = 0, 1, 2


class KioskWindow(QMainWindow):
    exit_granted = Signal(object)  # the manager (StaffMember) who let the kiosk close
    shown = Signal()  # a look-up's answer is on screen

    def __init__(self, ops: Operations, home: Path, *, camera: int | str | None = None,
                 idle_seconds: float = IDLE_SECONDS, auto_sync: bool = True,
                 wedge: bool = True, wedge_clock: Any = None) -> None:
        super().__init__()
        self.setWindowTitle("walletpos — kiosk")
        self.ops, self.home, self.camera = ops, Path(home), camera
        self.home_language = language()
        self.online: bool | None = None
        self.payload: str | None = None
        self.exit_allowed = False
        self.idle = IdleLock(idle_seconds, self)
        self.idle.timeout.connect(self.to_attract)
        options = {"clock": wedge_clock} if wedge_clock is not None else {}
        self.wedge = WedgeFilter.install(QApplication.instance(), **options) if wedge else None
        if self.wedge is not None:
            self.wedge.scanned.connect(self.handle_payload)
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(SYNC_EVERY_MS)
        self.sync_timer.timeout.connect(self.sync_now)
        self._auto_sync = auto_sync
        self._build()
        self._texts()
        self.resize(1366, 768)

    # ---- construction ---------------------------------------------------------------------

    def _build(self) -> None:
        root = QWidget(objectName="kiosk")
        column = QVBoxLayout(root)
        column.setContentsMargins(32, 20, 32, 20)
        top = QHBoxLayout()
        self.lang_buttons: dict[str, QPushButton] = {}
        for lang, label in (("en", "English"), ("ja", "日本語")):
            button = QPushButton(label, objectName="kioskLang")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, lg=lang: self.choose_language(lg))
            top.addWidget(button)
            self.lang_buttons[lang] = button
        top.addStretch(1)
        self.staff_button = QPushButton("⋯", objectName="kioskStaff")
        self.staff_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff_button.clicked.connect(self.ask_exit)
        top.addWidget(self.staff_button)
        column.addLayout(top)
        self.pages = QStackedWidget()
        column.addWidget(self.pages, 1)
        attract = QWidget()
        a = QVBoxLayout(attract)
        a.addStretch(1)
        self.title = QLabel(objectName="kioskTitle", alignment=Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.subtitle = QLabel(objectName="kioskSubtitle",
                               alignment=Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        a.addWidget(self.title)
        a.addWidget(self.subtitle)
        self.scan = None
        if self.camera is not None:
            from pos_app.gui.counter.scan_panel import ScanPanel

            self.scan = ScanPanel()
            self.scan.scanned.connect(lambda text, _t: self.handle_payload(text))
            a.addWidget(self.scan, 2)
        self.message = QLabel(objectName="kioskMessage", alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        a.addWidget(self.message)
        a.addStretch(1)
        self.pages.addWidget(attract)
        result = QWidget()
        r = QVBoxLayout(result)
        self.balance = BalanceView()
        r.addWidget(VerticalScroll(self.balance), 1)  # a long activity list scrolls
        self.done = QPushButton(objectName="primary")
        self.done.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.done.clicked.connect(self.to_attract)
        r.addWidget(self.done)
        self.pages.addWidget(result)
        exit_page = QWidget()
        e = QVBoxLayout(exit_page)
        self.pin = LoginScreen(self.ops)
        self.pin.logged_in.connect(self._exit_granted)
        e.addWidget(self.pin, 1)
        self.cancel = QPushButton()
        self.cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel.clicked.connect(self.to_attract)
        e.addWidget(self.cancel)
        self.pages.addWidget(exit_page)
        self.setCentralWidget(root)

    def _texts(self) -> None:
        self.title.setText(self.tr("Scan your card"))
        self.subtitle.setText(self.tr("Hold the QR code of your gift card or loyalty card "
                                      "under the scanner to see your balance."))
        self.done.setText(self.tr("Done"))
        self.cancel.setText(self.tr("Back"))
        self.pin.title.setText(self.tr("Manager PIN to leave kiosk mode"))
        current = language()
        for lang, button in self.lang_buttons.items():
            button.setChecked(lang == current)

    # ---- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Load the managers for the exit PIN and sync once (then every 30 s)."""
        self._load_managers()
        if self._auto_sync:
            self.sync_now()
            self.sync_timer.start()
        if self.scan is not None:
            self.scan.start(self.camera)

    def _load_managers(self) -> None:
        self.ops.run(lambda s: [p for p in s.staff() if p.role == "manager"],
                     on_done=self.pin.set_staff)

    def sync_now(self) -> None:
        if self.ops.pending("sync"):
            return
        self.ops.run(lambda s: s.sync(), lane="sync", on_done=lambda _r: self._online(True),
                     on_error=lambda _e: self._online(False),
                     changes=OpChanges(network=True, replica=True))

    def _online(self, online: bool) -> None:
        self.online = online
        if online:
            self._load_managers()

    # ---- customer -----------------------------------------------------------------------------

    def handle_payload(self, payload: str) -> None:
        if self.pages.currentIndex() == EXIT:
            return  # a scan is not a PIN
        self.payload = payload
        lang = language()
        self.ops.run(lambda s: s.kiosk_view(payload, lang), on_done=self._show,
                     on_error=self._refused)

    def _show(self, view: Any) -> None:
        self.message.clear()
        self.balance.show_view(view, self.online)
        self.pages.setCurrentIndex(RESULT)
        self.idle.arm()
        self.shown.emit()

    def _refused(self, error: OpError) -> None:
        self.payload = None
        self.pages.setCurrentIndex(ATTRACT)
        self.message.setText(self.tr("We could not read this card here: please ask at the "
                                     "counter.") if error.user_facing else explain(error.reason))
        self.idle.arm()
        self.shown.emit()

    def choose_language(self, lang: str) -> None:
        app = QApplication.instance()
        if lang != language():
            apply_language(app, lang)
            self.balance.view = None
        self._texts()
        if self.pages.currentIndex() == RESULT and self.payload is not None:
            self.handle_payload(self.payload)  # program and reward names in the new language

    def to_attract(self) -> None:
        """Forget the customer: their card, their language, any half-typed PIN."""
        self.idle.disarm()
        self.payload = None
        self.balance.view = None
        self.pin.reset()
        self.message.clear()
        if language() != self.home_language:
            apply_language(QApplication.instance(), self.home_language)
        self._texts()
        self.pages.setCurrentIndex(ATTRACT)

    # ---- leaving kiosk mode ---------------------------------------------------------------

    def ask_exit(self) -> None:
        self.pin.reset()
        if len(self.pin.staff) == 1:
            self.pin.select(self.pin.staff[0])
        self.pages.setCurrentIndex(EXIT)
        self.idle.arm()

    def _exit_granted(self, manager: Any) -> None:
        self.idle.disarm()
        self.exit_allowed = True
        self.exit_granted.emit(manager)
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.exit_allowed:  # a customer cannot close the kiosk, only a manager's PIN
            event.ignore()
            self.ask_exit()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self.sync_timer.stop()
        if self.scan is not None:
            self.scan.stop()
        self.idle.close()
        if self.wedge is not None:
            QApplication.instance().removeEventFilter(self.wedge)
            self.wedge = None
