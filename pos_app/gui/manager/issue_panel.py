"""The manager screen's "Issue cards" tab: a batch of inactive physical cards from the terminal's
code pool (program, count, face value, expiry; works offline while the pool lasts), then its
card sheet as a PDF (A4 or Letter with crop marks, or one CR80 card per page for a card
printer), and any earlier batch printed again.

The issuing is one `TerminalService.issue_cards` call on the worker; the PDF is painted here on
the UI thread from the batch's cards (Qt paints fonts there), into HOME/prints.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.gui.app import language
from pos_app.gui.operations import Operations

MAX_BATCH = 500  # pos_app.terminal.issuing.MAX_BATCH (not imported: keeps the GUI start light)
Run = Callable[[Callable[[Any], Any], Callable[[Any], None]], None]


class IssuePanel(QWidget):
    printed = Signal(str)  # the sheet's path, once written

    def __init__(self, ops: Operations, home: Path, run: Run, say: Callable[..., None],
                 manager_id: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.home, self._run, self._say, self._manager = ops, home, run, say, manager_id
        self.programs: list[dict[str, Any]] = []
        self.last_batch: str | None = None
        self.last_sheet: Path | None = None
        column = QVBoxLayout(self)
        issue_box = QGroupBox(self.tr("Issue a batch of cards (created inactive)"))
        form = QFormLayout(issue_box)
        self.program = QComboBox(objectName="issueProgram")
        self.program.currentIndexChanged.connect(self._program_changed)
        self.count = QSpinBox(objectName="issueCount")
        self.count.setRange(1, MAX_BATCH)
        self.count.setValue(10)
        self.value = QLineEdit(objectName="issueValue")
        self.expires = QLineEdit(objectName="issueExpires")
        self.ready = QLabel(objectName="poolReady")
        self.issue_button = QPushButton(self.tr("Issue batch"), objectName="primary")
        self.issue_button.clicked.connect(self.issue)
        form.addRow(self.tr("Program"), self.program)
        form.addRow(self.tr("Number of cards"), self.count)
        form.addRow(self.tr("Value on each card"), self.value)
        form.addRow(self.tr("Expires on"), self.expires)
        form.addRow(self.ready)
        form.addRow(self.issue_button)
        column.addWidget(issue_box)
        print_box = QGroupBox(self.tr("Print a card sheet"))
        prints = QVBoxLayout(print_box)
        self.batch_list = QListWidget(objectName="batchList")
        self.batch_list.setMaximumHeight(140)
        prints.addWidget(self.batch_list)
        row = QHBoxLayout()
        self.layout_choice = QComboBox(objectName="sheetLayout")
        for key, label in (("a4", self.tr("A4 sheet (10 cards, crop marks)")),
                           ("letter", self.tr("Letter sheet (10 cards, crop marks)")),
                           ("card", self.tr("Card printer (one CR80 card per page)"))):
            self.layout_choice.addItem(label, key)
        self.print_button = QPushButton(self.tr("Print sheet (PDF)"))
        self.print_button.clicked.connect(self.print_sheet)
        self.open_button = QPushButton(self.tr("Open the sheet"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_sheet)
        row.addWidget(self.layout_choice, 1)
        row.addWidget(self.print_button)
        row.addWidget(self.open_button)
        prints.addLayout(row)
        column.addWidget(print_box)
        column.addStretch(1)

    # ---- data ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ops.run(lambda s: (s.issuing_programs(), s.batches()), on_done=self._loaded)

    def _loaded(self, answer: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        programs, batches = answer
        chosen = self.program.currentData()
        self.programs = programs
        self.program.blockSignals(True)
        self.program.clear()
        lang = language()
        for p in programs:
            name = p["name"].get(lang) or p["name"].get("en") or p["program"]
            self.program.addItem(f"{name} ({p['program']})", p["program"])
        index = self.program.findData(chosen)
        self.program.setCurrentIndex(max(index, 0))
        self.program.blockSignals(False)
        self._program_changed()
        self.batch_list.clear()
        for b in batches:
            item = QListWidgetItem(self.tr("%1 — %2 cards of %3").replace("%1", b["batch"])
                                   .replace("%2", str(b["count"])).replace("%3", b["program"]))
            item.setData(256, b["batch"])  # Qt.UserRole
            self.batch_list.addItem(item)
        if self.batch_list.count():
            self.batch_list.setCurrentRow(0)

    def _current(self) -> dict[str, Any] | None:
        pid = self.program.currentData()
        return next((p for p in self.programs if p["program"] == pid), None)

    def _program_changed(self, *_: Any) -> None:
        p = self._current()
        if p is None:
            self.ready.setText(self.tr("No gift-card program to issue."))
            self.issue_button.setEnabled(False)
            return
        self.issue_button.setEnabled(True)
        self.value.setPlaceholderText(p["default_value"])
        if p["expiry_months"]:
            rule = self.tr("%1 months after issue").replace("%1", str(p["expiry_months"]))
        elif p.get("expiry_days"):
            rule = self.tr("%1 days after issue").replace("%1", str(p["expiry_days"]))
        elif p["expiry_date"]:
            rule = p["expiry_date"]
        else:
            rule = self.tr("never")
        self.expires.setPlaceholderText(self.tr("YYYY-MM-DD (program: %1)").replace("%1", rule))
        self.ready.setText(self.tr("Codes ready for issuing offline: %1").replace(
            "%1", str(p["ready_offline"])))

    # ---- actions ------------------------------------------------------------------------------

    def issue(self) -> None:
        p = self._current()
        if p is None:
            return
        program, count, staff = p["program"], self.count.value(), self._manager()
        value, expires = self.value.text().strip() or None, self.expires.text().strip() or None
        self._run(lambda s: s.issue_cards(program, count, staff, value, expires), self._issued)

    def _issued(self, r: dict[str, Any]) -> None:
        self.last_batch = r["batch"]
        text = self.tr("Batch %1: %2 cards issued, inactive until sold.").replace(
            "%1", r["batch"]).replace("%2", str(r["count"]))
        if not r["synced"]:
            text += " " + self.tr("Head office will confirm at the next sync.")
        self._say(text)
        self.value.clear()
        self.expires.clear()
        self.refresh()

    def print_sheet(self) -> None:
        item = self.batch_list.currentItem()
        batch = item.data(256) if item is not None else self.last_batch
        if not batch:
            self._say(self.tr("Issue a batch first."), True)
            return
        layout, lang = self.layout_choice.currentData(), language()
        path = self.home / "prints" / f"cards-{batch}-{layout}.pdf"
        # The service paints the sheet on the worker thread, as it does for the Z report.
        self._run(lambda s: s.print_batch(batch, path, layout, lang), self._printed)

    def _printed(self, done: dict[str, Any]) -> None:
        path = Path(done["file"])
        self.last_sheet = path
        self.open_button.setEnabled(True)
        self._say(self.tr("%1 cards on %2 pages: saved to %3.").replace(
            "%1", str(done["cards"])).replace("%2", str(done["pages"])).replace("%3", str(path)))
        self.printed.emit(str(path))

    def open_sheet(self) -> None:
        """Hand the last sheet to the system's PDF viewer, whose Print dialog reaches the
        store's printers (A4/Letter) or the card printer."""
        if self.last_sheet is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_sheet)))
