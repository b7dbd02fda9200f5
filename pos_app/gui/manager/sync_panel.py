"""The manager screen's "Sync and conflicts" panel: entries waiting to sync and the last
successful sync, the last sync error in words, and the open conflict cases of this store as
head office last listed them (case, full card code, reason, shortfall, terminal, opened), with
when that list was fetched — or that head office is unreachable and since when the list is.

Everything runs through `Operations` on the "sync" lane (it may wait on the network): Refresh
is `TerminalService.refresh_conflicts()`, Sync now is `sync()` then the same. A failed sync is
not an error here: the service kept it as `last_error`, which the panel shows. `refreshed` is
emitted once an answer is on screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import WalletError
from core.money import CURRENCY_EXPONENTS, parse_minor
from pos_app.gui import locale_fmt
from pos_app.gui.operations import OpChanges, Operations, OpError
from pos_app.gui.reasons import explain

COLUMNS = 6  # case, card, reason, shortfall, terminal, opened


def sync_and_list(service: Any) -> dict[str, Any]:
    """Sync, then fetch the store's cases: what "Sync now" runs on the worker."""
    try:
        service.sync()
    except WalletError:
        pass  # kept by the service as last_error; the status below shows it
    return dict(service.refresh_conflicts())


class SyncPanel(QWidget):
    refreshed = Signal()  # an answer (or a refusal) is on screen

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.status: dict[str, Any] = {}
        self._running = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 12, 16, 12)
        self.waiting = QLabel()
        self.waiting.setObjectName("syncWaiting")
        self.error = QLabel()
        self.error.setObjectName("syncError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cases_title = QLabel()
        self.cases_title.setObjectName("panelTitle")
        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("conflictCases")
        self.table.setHorizontalHeaderLabels([
            self.tr("Case"), self.tr("Card"), self.tr("Reason"), self.tr("Shortfall"),
            self.tr("Terminal"), self.tr("Opened")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)  # one line a case; the full text is the tooltip
        self.as_of = QLabel()
        self.as_of.setObjectName("hint")
        self.as_of.setWordWrap(True)
        buttons = QHBoxLayout()
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("primary")
        self.sync_button.clicked.connect(self.sync_now)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        column.addWidget(self.waiting)
        column.addWidget(self.error)
        column.addWidget(self.cases_title)
        column.addWidget(self.table, 1)
        column.addWidget(self.as_of)
        column.addLayout(buttons)
        self.show_status({"outbox": 0, "last_sync_ms": None, "last_error": None,
                          "conflicts": [], "conflicts_as_of_ms": None,
                          "conflicts_stale": False})

    # ---- actions ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask head office for the store's open cases (the kept list when it is unreachable)
        and show them with the local sync state."""
        self._start()
        self.ops.run(lambda s: s.refresh_conflicts(), lane="sync", on_done=self._answered,
                     on_error=self._refused, changes=OpChanges(network=True))

    def sync_now(self) -> None:
        self._start()
        self.ops.run(sync_and_list, lane="sync", on_done=self._answered, on_error=self._refused,
                     changes=OpChanges(journal=True, replica=True, network=True))

    def _start(self) -> None:
        self._running += 1
        self.sync_button.setEnabled(False)
        self.refresh_button.setEnabled(False)

    def _finish(self) -> None:
        self._running = max(0, self._running - 1)
        if not self._running:
            self.sync_button.setEnabled(True)
            self.refresh_button.setEnabled(True)
        self.refreshed.emit()

    def _answered(self, status: dict[str, Any]) -> None:
        self.show_status(status)
        self._finish()

    def _refused(self, error: OpError) -> None:
        """Head office refused the list (or something broke): show what is known locally and
        say why the list could not be refreshed."""
        words = self._words(error.reason, error.message)

        def shown(status: dict[str, Any]) -> None:
            self.show_status(status)
            self._say_refused(words)
            self._finish()

        def failed(_: OpError) -> None:
            self._say_refused(words)
            self._finish()

        self.ops.run(lambda s: s.sync_status(), on_done=shown, on_error=failed)

    def _say_refused(self, words: str) -> None:
        self.as_of.setProperty("state", "error")
        self.as_of.style().polish(self.as_of)
        self.as_of.setText(self.tr("The list could not be refreshed: %1").replace("%1", words))

    # ---- drawing ----------------------------------------------------------------------------

    def show_status(self, status: dict[str, Any]) -> None:
        self.status = status
        self.waiting.setText(self.tr("Waiting to sync: %1 entries. Last successful sync: %2.")
                             .replace("%1", str(status.get("outbox", 0)))
                             .replace("%2", locale_fmt.when(status.get("last_sync_ms"))))
        error = status.get("last_error")
        self.error.setProperty("state", "error" if error else "ok")
        self.error.style().polish(self.error)
        if error:
            self.error.setText(self.tr("Last sync failed (%1): %2")
                               .replace("%1", locale_fmt.when(error.get("at_ms")))
                               .replace("%2", self._words(error.get("reason"),
                                                         error.get("message", ""))))
        else:
            self.error.setText(self.tr("No sync error."))
        cases = status.get("conflicts") or []
        self.cases_title.setText(self.tr("Open conflict cases for this store: %1")
                                 .replace("%1", str(len(cases))))
        self.table.setRowCount(len(cases))
        for row, case in enumerate(cases):
            for col, value in enumerate(self._row(case)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if col in (0, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self._show_as_of(status.get("conflicts_as_of_ms"), bool(status.get("conflicts_stale")))

    def _show_as_of(self, as_of: int | None, stale: bool) -> None:
        self.as_of.setProperty("state", "error" if stale else "ok")
        self.as_of.style().polish(self.as_of)
        if stale and as_of is None:
            text = self.tr("Head office unreachable — no list yet.")
        elif stale:
            text = self.tr("Head office unreachable — list as of %1.").replace(
                "%1", self._time(as_of))
        elif as_of is None:
            text = self.tr("Not asked head office yet.")
        else:
            text = self.tr("As of %1.").replace("%1", self._time(as_of))
        self.as_of.setText(text)

    def _row(self, case: dict[str, Any]) -> list[str]:
        opened = case.get("opened_at")
        return [str(case.get("id", "")), str(case.get("card") or "—"),
                self._words(case.get("reason"), ""),
                self._shortfall(str(case.get("shortfall") or "0"), case.get("currency")),
                str(case.get("terminal") or ""),
                locale_fmt.when(int(opened) * 1000) if isinstance(opened, int) else "—"]

    def _shortfall(self, amount: str, currency: str | None) -> str:
        if currency is None:  # a loyalty case: the shortfall is in points
            return "—" if amount in ("", "0") else self.tr("%1 points").replace("%1", amount)
        if currency not in CURRENCY_EXPONENTS:
            return f"{amount} {currency}"
        try:
            minor = parse_minor(amount, currency, allow_zero=True)
        except WalletError:
            return f"{amount} {currency}"
        return locale_fmt.money(minor, currency) if minor else "—"

    @staticmethod
    def _words(reason: str | None, message: str) -> str:
        """The reason in the manager's language; the message when this build has no words
        for the code (explain gives the code back)."""
        if not reason:
            return message
        words = explain(reason)
        return message if words == reason and message else words

    @staticmethod
    def _time(ms: int | None) -> str:
        """HH:MM today, date and time otherwise."""
        if ms is None:
            return "—"
        then = QDateTime.fromMSecsSinceEpoch(int(ms))
        if then.date() == QDateTime.currentDateTime().date():
            return locale_fmt.clock(ms)
        return locale_fmt.when(ms)
