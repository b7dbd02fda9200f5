"""What a customer sees after a scan: a gift card's balance and expiry, or a member's points,
tier and progress, rewards they can take now and points expiring soon; then the last five
activities. It only renders a `KioskView` (already masked and stripped by the service)."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from pos_app.gui import locale_fmt
from pos_app.terminal.kiosk_view import KioskView


def _date(unix_s: int) -> str:
    return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(unix_s)).date(),
                              QLocale.FormatType.ShortFormat)


class BalanceView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskResult")
        column = QVBoxLayout(self)
        column.setSpacing(14)
        self.greeting = QLabel(objectName="kioskGreeting")
        self.program = QLabel(objectName="kioskProgram")
        self.code = QLabel(objectName="cardCode")
        self.headline = QLabel(objectName="kioskBig")
        self.detail = QLabel(objectName="kioskDetail")
        self.detail.setWordWrap(True)
        self.tier_bar = QProgressBar(objectName="tierBar")
        self.tier_bar.setRange(0, 1000)
        self.tier_bar.setTextVisible(False)
        self.tier_text = QLabel(objectName="kioskDetail")
        self.rewards = QLabel(objectName="kioskList")
        self.rewards.setWordWrap(True)
        self.expiring = QLabel(objectName="kioskWarn")
        self.expiring.setWordWrap(True)
        self.activity_title = QLabel(objectName="panelTitle")
        self.activities = QGridLayout()
        self.as_of = QLabel(objectName="kioskAsOf")
        for w in (self.greeting, self.program, self.code, self.headline, self.detail,
                  self.tier_bar, self.tier_text, self.rewards, self.expiring,
                  self.activity_title):
            column.addWidget(w)
        column.addLayout(self.activities)
        column.addWidget(self.as_of)
        column.addStretch(1)
        self.view: KioskView | None = None
        self._activity_labels: list[QLabel] = []

    def show_view(self, view: KioskView, online: bool | None) -> None:
        self.view = view
        member = view.kind == "member"
        self.greeting.setText(self.tr("Hello, %1!").replace("%1", view.first_name)
                              if view.first_name else self.tr("Hello!"))
        self.program.setText(view.program_name)
        self.code.setText(view.masked)
        if member:
            self.headline.setText(self.tr("%1 points").replace(
                "%1", locale_fmt.points(view.points)))
            self.detail.setText(self.tr("Tier: %1").replace("%1", view.tier or "—"))
            self.tier_bar.setValue(round(view.progress * 1000))
            self.tier_text.setText(
                self.tr("%1 more points to %2").replace("%1", locale_fmt.points(
                    view.points_to_next)).replace("%2", view.next_tier)
                if view.next_tier else self.tr("You are in the top tier."))
            self.rewards.setText(
                self.tr("Rewards you can take now:") + "\n" + "\n".join(
                    f"  ✓ {r.name} — " + self.tr("%1 points").replace(
                        "%1", locale_fmt.points(r.cost)) for r in view.rewards)
                if view.rewards else self.tr("No rewards yet: keep collecting."))
            self.expiring.setText("\n".join(
                "⚠ " + self.tr("%1 points expire on %2").replace(
                    "%1", locale_fmt.points(p)).replace("%2", _date(at))
                for p, at in view.expiring[:3]))
        else:
            self.headline.setText(locale_fmt.money(view.balance, view.currency))
            state = {"inactive": self.tr("This card is not activated yet: please ask at the "
                                         "counter."),
                     "blocked": self.tr("This card is blocked: please ask at the counter."),
                     "void": self.tr("This card is no longer valid.")}.get(view.state, "")
            expiry = (self.tr("Valid until %1").replace("%1", _date(view.expires_at))
                      if view.expires_at else self.tr("Does not expire"))
            self.detail.setText(state or expiry)
        for w in (self.tier_bar, self.tier_text, self.rewards):
            w.setVisible(member)
        self.expiring.setVisible(member and bool(view.expiring))
        self._activities(view)
        behind = view.behind or online is False
        self.as_of.setVisible(behind)
        self.as_of.setText(self.tr("As of %1 — newer activity may not show yet.").replace(
            "%1", locale_fmt.clock(view.as_of_ms)) if view.as_of_ms is not None
            else self.tr("Not synced yet — the figures may be behind."))

    def _activities(self, view: KioskView) -> None:
        for old in self._activity_labels:
            self.activities.removeWidget(old)
            old.deleteLater()
        self._activity_labels = []
        self.activity_title.setText(self.tr("Recent activity"))
        if not view.activities:
            none = QLabel(self.tr("No activity at this store yet."))
            self._activity_labels.append(none)
            self.activities.addWidget(none, 0, 0)
            return
        for row, act in enumerate(view.activities):
            amount = (locale_fmt.money(act.amount, act.currency) if act.currency
                      else self.tr("%1 points").replace("%1", locale_fmt.points(act.amount)))
            cells = (locale_fmt.when(act.at_ms), self._op(act.op), amount)
            for col, text in enumerate(cells):
                label = QLabel(text, objectName="kioskActivity")
                if col == 2:
                    label.setAlignment(Qt.AlignmentFlag.AlignRight)
                self._activity_labels.append(label)
                self.activities.addWidget(label, row, col)

    def _op(self, op: str) -> str:
        return {"redeem": self.tr("Paid"), "load": self.tr("Loaded"),
                "activate": self.tr("Activated"), "earn": self.tr("Points earned"),
                "burn": self.tr("Reward taken"), "void": self.tr("Cancelled"),
                "refund": self.tr("Refunded"),
                "adjust": self.tr("Adjusted"), "block": self.tr("Blocked"),
                "unblock": self.tr("Unblocked")}.get(op, op)
