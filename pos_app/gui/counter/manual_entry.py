"""Typing a code by hand, with the check character catching typos while the cashier types.

`code_feedback` is pure (core.codes does the checking): a partial code that still fits a
pattern says how many characters are left; a complete one is either valid (look it up with
Enter) or has a typo, which is said at once — a typo is never "corrected" into another card.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from core.codes import normalize_code
from core.errors import InvalidCode
from pos_app.gui.reasons import explain

_SEPARATORS = " -_."
_ALIASES = {"O": "0", "I": "1", "L": "1"}


def _compact(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch not in _SEPARATORS)


def code_feedback(text: str, patterns: list[str]) -> tuple[str, int]:
    """("empty"|"partial"|"valid"|"typo"|"invalid", characters still missing)."""
    typed = _compact(text)
    if not typed:
        return "empty", 0
    best_missing: int | None = None
    for pattern in patterns:
        shape = _compact(pattern)
        if len(typed) > len(shape):
            continue
        fits = all(want == "#" or _ALIASES.get(got, got) == want or got == want
                   for got, want in zip(typed, shape, strict=False))
        if fits and len(typed) < len(shape):
            missing = len(shape) - len(typed)
            best_missing = missing if best_missing is None else min(best_missing, missing)
    if best_missing is not None:
        return "partial", best_missing
    try:
        normalize_code(text, patterns)
    except InvalidCode as exc:
        return ("typo" if exc.reason == "code_check_failed" else "invalid"), 0
    return "valid", 0


class ManualEntry(QWidget):
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.patterns: list[str] = []
        box = QVBoxLayout(self)
        title = QLabel(self.tr("Type a code (F3)"))
        title.setObjectName("panelTitle")
        row = QHBoxLayout()
        self.field = QLineEdit()
        self.field.setObjectName("codeField")
        self.field.setPlaceholderText("GC-XXXX-XXXX-XXXX")
        self.field.setMaxLength(64)
        self.field.textChanged.connect(self._check)
        self.field.returnPressed.connect(self._submit)
        self.button = QPushButton(self.tr("Look up"))
        self.button.setObjectName("primary")
        self.button.clicked.connect(self._submit)
        row.addWidget(self.field, 1)
        row.addWidget(self.button)
        self.feedback = QLabel()
        self.feedback.setObjectName("feedback")
        box.addWidget(title)
        box.addLayout(row)
        box.addWidget(self.feedback)
        self.state = "empty"
        self._check()

    def set_patterns(self, patterns: list[str]) -> None:
        self.patterns = patterns
        if patterns:
            self.field.setPlaceholderText(patterns[0].replace("#", "X"))
        self._check()

    def _check(self) -> None:
        self.state, missing = code_feedback(self.field.text(), self.patterns)
        text = {
            "empty": "",
            "partial": self.tr("%1 more characters").replace("%1", str(missing)),
            "valid": self.tr("✓ Code is valid: press Enter"),
            "typo": "✗ " + explain("code_check_failed"),
            "invalid": "✗ " + explain("invalid_code"),
        }[self.state]
        self.feedback.setText(text)
        self.feedback.setProperty("state", self.state)
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)
        self.button.setEnabled(self.state == "valid")

    def _submit(self) -> None:
        if self.state == "valid":
            self.submitted.emit(self.field.text())
            self.field.clear()

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        if getattr(event, "key", lambda: None)() == Qt.Key.Key_Escape:
            self.field.clear()
        super().keyPressEvent(event)  # type: ignore[arg-type]
