"""The one wording of the offline rules: the counter's offline banner states each program's
rules with these sentences, a decline made offline names what happened and then the rule that
declined it in the same sentence, and docs/RULES.md quotes them word for word (a test reads it).

The rules themselves are decided in pos_app/terminal/offline_policy.py; each decline there has
its own reason code, so the cashier is told the real rule (one payment per card per outage, the
cap per payment, the till's total, the time since the last sync, the grant), never a generic
"above the limit". Sentences go through Qt Linguist (context "offline"); amounts fill `%1`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from pos_app.gui import locale_fmt

if TYPE_CHECKING:
    from pos_app.terminal.counter_lookup import OfflineMode

# rule -> the sentence that states it (banner, decline, docs/RULES.md)
RULES = {
    "per_sale": QT_TRANSLATE_NOOP("offline", "At most %1 per offline payment."),
    "per_card": QT_TRANSLATE_NOOP("offline", "One offline payment per card at this till; "
                                             "the card can be used again after the next sync."),
    "till_total": QT_TRANSLATE_NOOP("offline", "At most %1 in all offline payments at this "
                                               "till until the next sync."),
    "max_hours": QT_TRANSLATE_NOOP("offline", "No offline payments once the last sync is more "
                                              "than %1 hours ago."),
    "grant": QT_TRANSLATE_NOOP("offline", "Only what head office reserved for this till, card "
                                          "by card."),
    "online": QT_TRANSLATE_NOOP("offline", "Needs the network: this card cannot be used "
                                           "offline."),
    "shares": QT_TRANSLATE_NOOP("offline", "A limit shared by every till: offline, only this "
                                           "till's share of what is left."),
}

# decline reason -> (what happened, the rule it broke)
DECLINES = {
    "offline_card_used": (QT_TRANSLATE_NOOP("offline", "Offline: this card was already used "
                                                       "once at this till."), "per_card"),
    "offline_limit": (QT_TRANSLATE_NOOP("offline", "Offline: this amount is more than one "
                                                   "offline payment may take."), "per_sale"),
    "offline_till_total": (QT_TRANSLATE_NOOP("offline", "Offline: this till has paid out all "
                                                        "it may before the next sync."),
                           "till_total"),
    "offline_too_long": (QT_TRANSLATE_NOOP("offline", "Offline for too long: sync first."),
                         "max_hours"),
    "no_offline_grant": (QT_TRANSLATE_NOOP("offline", "Offline: head office reserved nothing "
                                                      "of this card for this till."), "grant"),
    "grant_exhausted": (QT_TRANSLATE_NOOP("offline", "Offline: what head office reserved of "
                                                     "this card for this till is used up."),
                        "grant"),
    "grant_expired": (QT_TRANSLATE_NOOP("offline", "Offline: what head office reserved of "
                                                   "this card for this till has expired."),
                      "grant"),
    "offline_not_allowed": ("", "online"),
    # limits counted across tills (pos_app/terminal/limit_shares.py)
    "no_limit_share": (QT_TRANSLATE_NOOP("offline", "Offline: head office shared none of "
                                                    "this limit with this till."), "shares"),
    "limit_share_exhausted": (QT_TRANSLATE_NOOP("offline", "Offline: this till's share of "
                                                           "the limit is used up."), "shares"),
    "limit_share_expired": (QT_TRANSLATE_NOOP("offline", "Offline: this till's share of the "
                                                         "limit has expired."), "shares"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("offline", text)


def _value(rule: str, mode: OfflineMode | None) -> str | None:
    """What fills %1 of `rule` for this program; None: the rule does not apply to it."""
    if rule in ("per_card", "grant", "online", "shares"):
        return ""
    if mode is None:
        return None
    if rule == "per_sale" and mode.per_sale is not None:
        return _amount(mode.per_sale, mode)
    if rule == "till_total" and mode.till_total is not None:
        return _amount(mode.till_total, mode)
    if rule == "max_hours" and mode.max_hours is not None:
        return locale_fmt.points(mode.max_hours)
    return None


def _amount(value: int, mode: OfflineMode) -> str:
    if mode.kind == "loyalty":
        return QCoreApplication.translate("offline", "%1 points").replace(
            "%1", locale_fmt.points(value))
    return locale_fmt.money(value, mode.currency)


def rule(name: str, mode: OfflineMode | None = None) -> str | None:
    """The sentence for rule `name` with this program's figures (None: it has no such rule)."""
    value = _value(name, mode)
    return None if value is None else _t(RULES[name]).replace("%1", value)


def program_rules(mode: OfflineMode) -> list[str]:
    """Every offline rule of one program, in the banner's order."""
    names = {"floor": ("per_sale", "per_card", "till_total", "max_hours"),
             "escrow": ("grant", "max_hours"), "online": ("online",)}.get(mode.mode, ())
    return [text for text in (rule(n, mode) for n in names) if text]


def is_offline_decline(reason: str | None) -> bool:
    return reason in DECLINES


def decline(reason: str, mode: OfflineMode | None = None) -> str:
    """A decline made offline: what happened, then the rule that declined it."""
    happened, name = DECLINES[reason]
    stated = rule(name, mode)
    parts = [_t(happened) if happened else "", stated or ""]
    return " ".join(p for p in parts if p)
