"""A refusal by a limit counted across tills, in the cashier's words (en and ja): which limit
(`limit_reached: per_program_daily_count` says whose uses and which window), and the offline
share declines, worded once like every offline rule (offline_wording)."""

from __future__ import annotations

from pos_app.gui.app import apply_language
from pos_app.gui.reasons import explain


def test_limit_refusals_say_which_limit_in_english_and_japanese(qapp) -> None:
    try:
        apply_language(qapp, "en")
        assert explain("limit_reached: per_program_daily_count") == (
            "Limit reached: this program's uses today, at every till and store.")
        assert explain("limit_reached: per_customer_yearly_count") == (
            "Limit reached: this customer's uses this year, at every till.")
        assert explain("limit_reached: per_order_max") == "Limit reached: per_order_max"
        assert explain("limit_share_exhausted") == (
            "Offline: this till's share of the limit is used up. A limit shared by every "
            "till: offline, only this till's share of what is left.")
        assert explain("no_limit_share").startswith("Offline: head office shared none")
        assert explain("offline_customer_limit").startswith("This customer's reward is "
                                                            "limited per customer")
        apply_language(qapp, "ja")
        assert explain("limit_reached: per_program_daily_count") == (
            "上限に達しました：全店舗・全レジでのこのプログラムの本日の利用回数。")
        assert explain("limit_reached: per_customer_yearly_count") == (
            "上限に達しました：全レジでのこのお客様の今年の利用回数。")
        assert explain("limit_share_expired").startswith("オフライン：このレジへの上限の配分")
    finally:
        apply_language(qapp, "en")
