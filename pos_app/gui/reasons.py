"""Reason codes in the cashier's language.

Every refusal in walletpos carries a short snake_case reason (core.errors, the rules engine's
`Refusal.reason`, central's decline). The screens show `explain(reason, detail)`: a sentence
from this table, translated through Qt Linguist (context "reasons"), and never the internal
message. A code this build does not know is shown as the code itself, which support can look up.
The offline policy's declines are worded by `offline_wording`, in the offline banner's words.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from pos_app.gui import offline_wording

_TEXT = {
    # card and payload
    "unknown_card": QT_TRANSLATE_NOOP("reasons", "This card is not known here."),
    "program_unavailable": QT_TRANSLATE_NOOP("reasons", "This card's program is not available."),
    "card_inactive": QT_TRANSLATE_NOOP("reasons", "This card has not been activated."),
    "card_blocked": QT_TRANSLATE_NOOP("reasons", "This card is blocked."),
    "manager_required": QT_TRANSLATE_NOOP("reasons", "Only a manager may do this."),
    "reason_required": QT_TRANSLATE_NOOP("reasons", "Say why."),
    "nothing_to_do": QT_TRANSLATE_NOOP("reasons", "The card is already in that state."),
    "needs_central": QT_TRANSLATE_NOOP("reasons", "This needs head office online: try again "
                                                  "when the network is back."),
    "card_voided": QT_TRANSLATE_NOOP("reasons", "This card has been voided."),
    "not_a_redeem": QT_TRANSLATE_NOOP("reasons", "That entry is not a redemption of this till."),
    "already_voided": QT_TRANSLATE_NOOP("reasons", "That redemption is already voided."),
    "already_refunded": QT_TRANSLATE_NOOP("reasons", "This order is refunded already."),
    "refund_over_paid": QT_TRANSLATE_NOOP("reasons", "That is more than is left to refund."),
    "nothing_to_refund": QT_TRANSLATE_NOOP("reasons", "Nothing of this order can be given back."),
    "unknown_order": QT_TRANSLATE_NOOP("reasons", "This order is not known at this till."),
    "unknown_line": QT_TRANSLATE_NOOP("reasons", "The order has no such line."),
    "nothing_to_move": QT_TRANSLATE_NOOP("reasons", "The old card has no balance to move."),
    "same_card": QT_TRANSLATE_NOOP("reasons", "The new card must be a different card."),
    "points_overdraft": QT_TRANSLATE_NOOP("reasons", "The member does not have that many points."),
    "unknown_member": QT_TRANSLATE_NOOP("reasons", "This member is not known here."),
    "code_pool_short": QT_TRANSLATE_NOOP("reasons", "Not enough card codes are ready for "
                                                    "issuing offline: issue fewer, or connect "
                                                    "to head office to issue more."),
    "code_pool_tampered": QT_TRANSLATE_NOOP("reasons", "The card codes stored on this till do "
                                                       "not open with its key: call support."),
    "invalid_count": QT_TRANSLATE_NOOP("reasons", "A batch is 1 to 500 cards."),
    "face_value_mismatch": QT_TRANSLATE_NOOP("reasons", "This card already carries its value: "
                                                        "leave the amount empty to sell it."),
    "invalid_date": QT_TRANSLATE_NOOP("reasons", "Enter the expiry as YYYY-MM-DD, a date still "
                                                 "to come."),
    "unknown_batch": QT_TRANSLATE_NOOP("reasons", "No such batch was issued at this till."),
    "unwritable_file": QT_TRANSLATE_NOOP("reasons", "The file could not be written."),
    "expired": QT_TRANSLATE_NOOP("reasons", "Expired."),
    "invalid_amount": QT_TRANSLATE_NOOP("reasons", "Enter an amount above zero."),
    "wrong_currency": QT_TRANSLATE_NOOP("reasons", "The card is in another currency."),
    "insufficient_funds": QT_TRANSLATE_NOOP("reasons", "Not enough balance on the card."),
    "reserved_elsewhere": QT_TRANSLATE_NOOP("reasons", "Part of this card's balance is reserved "
                                                       "at another till and will be free "
                                                       "shortly."),
    "over_order_limit": QT_TRANSLATE_NOOP("reasons", "Above the card's limit per order."),
    "invalid_code": QT_TRANSLATE_NOOP("reasons", "That is not a card or member code."),
    "code_check_failed": QT_TRANSLATE_NOOP("reasons", "Typo: the code's check character "
                                                      "does not match."),
    "unknown_payload": QT_TRANSLATE_NOOP("reasons", "Not a card, member code or credential."),
    "payload_too_long": QT_TRANSLATE_NOOP("reasons", "The scanned code is too long."),
    "payload_control_chars": QT_TRANSLATE_NOOP("reasons", "The scanned code has hidden "
                                                          "characters."),
    "payload_empty": QT_TRANSLATE_NOOP("reasons", "Nothing was scanned."),
    "foreign_url": QT_TRANSLATE_NOOP("reasons", "A link that is not from this store."),
    "credential_invalid": QT_TRANSLATE_NOOP("reasons", "The card's signature is not valid."),
    "invalid_input": QT_TRANSLATE_NOOP("reasons", "That input is not valid."),
    "input_too_long": QT_TRANSLATE_NOOP("reasons", "That input is too long."),
    # offline policy and central
    # the offline rules' declines are worded in offline_wording (one wording, banner too)
    "terminal_quarantined": QT_TRANSLATE_NOOP("reasons", "This terminal is blocked by head "
                                                         "office."),
    "quarantined": QT_TRANSLATE_NOOP("reasons", "This terminal is blocked by head office."),
    "decommissioned": QT_TRANSLATE_NOOP("reasons", "Head office has retired this terminal."),
    "declined_by_central": QT_TRANSLATE_NOOP("reasons", "Declined by head office."),
    "central_unreachable": QT_TRANSLATE_NOOP("reasons", "Head office cannot be reached."),
    "sync_failed": QT_TRANSLATE_NOOP("reasons", "Sync failed; it will be retried."),
    "central_ahead": QT_TRANSLATE_NOOP("reasons", "Head office holds entries this terminal "
                                                  "no longer has: call support."),
    "unknown_terminal": QT_TRANSLATE_NOOP("reasons", "Head office does not know this "
                                                     "terminal."),
    "bad_page_signature": QT_TRANSLATE_NOOP("reasons", "Head office's answer failed its "
                                                       "signature check."),
    # conflict cases: what head office could not simply apply (manager's sync panel)
    "overdraft": QT_TRANSLATE_NOOP("reasons", "Spent more than the card held; the card is "
                                              "blocked."),
    "fork": QT_TRANSLATE_NOOP("reasons", "The terminal's journal was rewritten; the terminal "
                                         "is blocked."),
    "unsupported_op": QT_TRANSLATE_NOOP("reasons", "An operation head office does not apply."),
    "unblock_refused": QT_TRANSLATE_NOOP("reasons", "Unblocked while the card has an open "
                                                    "case."),
    "void_invalid": QT_TRANSLATE_NOOP("reasons", "A void that matches no redemption."),
    "grant_invalid": QT_TRANSLATE_NOOP("reasons", "A spending right that was not valid."),
    "code_not_reserved": QT_TRANSLATE_NOOP("reasons", "A card issued with a code not reserved "
                                                      "for this terminal."),
    "code_taken": QT_TRANSLATE_NOOP("reasons", "A card issued with a code already in use."),
    "wrong_program": QT_TRANSLATE_NOOP("reasons", "The code belongs to another program."),
    "invalid_expiry": QT_TRANSLATE_NOOP("reasons", "The card's expiry is not valid."),
    "unknown_program": QT_TRANSLATE_NOOP("reasons", "A program head office does not know."),
    "invalid_adjust": QT_TRANSLATE_NOOP("reasons", "A point adjustment that is not valid."),
    "invalid_credit": QT_TRANSLATE_NOOP("reasons", "A reward credit that is not valid."),
    # loyalty
    "not_eligible": QT_TRANSLATE_NOOP("reasons", "The customer is not eligible"),
    "tier_required": QT_TRANSLATE_NOOP("reasons", "Needs tier"),
    "limit_reached": QT_TRANSLATE_NOOP("reasons", "Limit reached"),
    "rule_error": QT_TRANSLATE_NOOP("reasons", "Rule could not be checked"),
    "insufficient_points": QT_TRANSLATE_NOOP("reasons", "Not enough points."),
    "below_min_order": QT_TRANSLATE_NOOP("reasons", "Order below the minimum."),
    "item_not_in_basket": QT_TRANSLATE_NOOP("reasons", "The item is not in the basket."),
    "nothing_to_discount": QT_TRANSLATE_NOOP("reasons", "Nothing to discount."),
    "nothing_to_earn": QT_TRANSLATE_NOOP("reasons", "No points on this order."),
    "nothing_to_pay": QT_TRANSLATE_NOOP("reasons", "Nothing left to pay."),
    "not_valid_now": QT_TRANSLATE_NOOP("reasons", "Not valid at this time."),
    "not_enrolled": QT_TRANSLATE_NOOP("reasons", "The customer is not a member."),
    "not_offered": QT_TRANSLATE_NOOP("reasons", "Not offered on this order."),
    # the order a spend belongs to (issue 16): restricted cards and stacking across kinds
    "stacking: combine_with_gift_cards": QT_TRANSLATE_NOOP(
        "reasons", "Rewards of this program and gift cards cannot be combined on one order."),
    "stacking: max_rewards_per_order": QT_TRANSLATE_NOOP(
        "reasons", "This order already has the most rewards allowed."),
    "stacking: exclusive_groups": QT_TRANSLATE_NOOP(
        "reasons", "This reward cannot be combined with one already on this order."),
    "limit_reached: order.lines": QT_TRANSLATE_NOOP(
        "reasons", "This card pays only for some items of the basket, up to their amount."),
    "nothing_to_pay: order.lines": QT_TRANSLATE_NOOP(
        "reasons", "This card pays only for some items, and they are already paid."),
    "not_valid_now: order.lines": QT_TRANSLATE_NOOP(
        "reasons", "This card is for some items only: enter the basket's items, or it has "
                   "none of them."),
    "not_eligible: order.lines": QT_TRANSLATE_NOOP(
        "reasons", "This card is for some items only: enter the basket's items, or it has "
                   "none of them."),
    "over_order_total": QT_TRANSLATE_NOOP("reasons", "More than is left to pay on this order."),
    "order_changed": QT_TRANSLATE_NOOP("reasons", "The basket changed since this order began: "
                                                  "start a new sale."),
    # staff
    "wrong_pin": QT_TRANSLATE_NOOP("reasons", "Wrong PIN."),
    "unknown_staff": QT_TRANSLATE_NOOP("reasons", "Wrong PIN."),
    "locked": QT_TRANSLATE_NOOP("reasons", "Too many wrong PINs: login is locked."),
    "not_manager": QT_TRANSLATE_NOOP("reasons", "That is not a manager's PIN: a manager must "
                                                "approve this."),
    "invalid_pin": QT_TRANSLATE_NOOP("reasons", "A PIN is 4 to 8 digits."),
    "lockout_tampered": QT_TRANSLATE_NOOP("reasons", "The login lock was tampered with: login is "
                                                     "locked."),
    "internal_error": QT_TRANSLATE_NOOP("reasons", "Something went wrong; please call "
                                                   "support."),
    # the terminal's own database (pos_app/terminal/integrity.py, balance.py)
    "database_corrupt": QT_TRANSLATE_NOOP("reasons", "This till's database is damaged: stop "
                                                     "using this till and call support. Restore "
                                                     "its folder from a backup or enroll it "
                                                     "again; head office keeps everything "
                                                     "already synced."),
    "balance_mismatch": QT_TRANSLATE_NOOP("reasons", "This card's balance on this till does "
                                                     "not match the till's own records, so it "
                                                     "cannot be used offline. Try again when "
                                                     "head office is online, and call "
                                                     "support."),
    # an event earn limited per customer (once, at most N, cooldown) asked while offline
    "offline_customer_limit": QT_TRANSLATE_NOOP("reasons", "This customer's reward is "
                                                           "limited per customer and only "
                                                           "head office knows what other "
                                                           "tills paid: try again when head "
                                                           "office is online."),
}


# `limit_reached: per_<scope>_<period>_<measure>`: which limit, in words; %1 is the period.
LIMITS = {
    ("card", "count"): QT_TRANSLATE_NOOP("reasons", "Limit reached: this card's uses %1."),
    ("card", "amount"): QT_TRANSLATE_NOOP("reasons", "Limit reached: this card's amount %1."),
    ("customer", "count"): QT_TRANSLATE_NOOP("reasons", "Limit reached: this customer's uses "
                                                        "%1, at every till."),
    ("customer", "amount"): QT_TRANSLATE_NOOP("reasons", "Limit reached: this customer's "
                                                         "amount %1, at every till."),
    ("program", "count"): QT_TRANSLATE_NOOP("reasons", "Limit reached: this program's uses %1, "
                                                       "at every till and store."),
    ("program", "amount"): QT_TRANSLATE_NOOP("reasons", "Limit reached: this program's amount "
                                                        "%1, at every till and store."),
    ("store", "count"): QT_TRANSLATE_NOOP("reasons", "Limit reached: uses at this store %1."),
    ("store", "amount"): QT_TRANSLATE_NOOP("reasons", "Limit reached: the amount at this store "
                                                      "%1."),
}
PERIODS = {
    "daily": QT_TRANSLATE_NOOP("reasons", "today"),
    "weekly": QT_TRANSLATE_NOOP("reasons", "this week"),
    "monthly": QT_TRANSLATE_NOOP("reasons", "this month"),
    "yearly": QT_TRANSLATE_NOOP("reasons", "this year"),
}


def limit_reached(name: str) -> str | None:
    """`per_program_daily_count` in the cashier's words (None: not a counter's name)."""
    parts = name.split("_")
    if len(parts) != 4 or parts[0] != "per":
        return None
    template, period = LIMITS.get((parts[1], parts[3])), PERIODS.get(parts[2])
    if template is None or period is None:
        return None
    return QCoreApplication.translate("reasons", template).replace(
        "%1", QCoreApplication.translate("reasons", period))


RESERVED_ELSEWHERE = QT_TRANSLATE_NOOP(
    "reasons", "%1 can be paid now; the rest is reserved at another till and will be free "
               "shortly.")


def reserved_elsewhere(available: str) -> str:
    """`reserved_elsewhere` with what central can authorize now (a formatted amount): the
    rest is another till's escrow grant, recalled and back within its next sync."""
    return QCoreApplication.translate("reasons", RESERVED_ELSEWHERE).replace("%1", available)


def explain(reason: str | None, detail: str = "") -> str:
    """The cashier's sentence for `reason` ("not_eligible: customer.country" splits itself)."""
    if not reason:
        return ""
    if not detail and ": " in reason:
        reason, detail = reason.split(": ", 1)
    if offline_wording.is_offline_decline(reason):
        return offline_wording.decline(reason)
    if reason == "limit_reached" and (worded := limit_reached(detail)) is not None:
        return worded
    whole = _TEXT.get(f"{reason}: {detail}") if detail else None
    if whole:
        return QCoreApplication.translate("reasons", whole)
    source = _TEXT.get(reason)
    text = QCoreApplication.translate("reasons", source) if source else reason
    return f"{text.rstrip('.')}: {detail}" if detail else text
