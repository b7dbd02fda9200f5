"""The console's campaign and A/B report, over `central.trigger_results`: the results flattened
into one row per group for the CSV (the same figures as `walletpos admin trigger-results
--json`, each 95% interval as a low and a high column) and for the page (rates as percentages,
intervals as "low – high"). Nothing is computed here that trigger_results does not give."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FIELDS = ("trigger", "program", "currency", "holdout_percent", "variant", "reached", "cards",
          "redeemed", "redemption_rate", "redemption_rate_low", "redemption_rate_high",
          "revenue", "revenue_minor", "revenue_per_customer", "revenue_per_customer_low",
          "revenue_per_customer_high")
PAGE_FIELDS = ("variant", "reached", "cards", "redeemed", "redemption_rate",
               "redemption_rate_ci95", "revenue", "revenue_per_customer",
               "revenue_per_customer_ci95")
GROUP_NAMES = ("holdout", "all")  # the groups central names (the others are the file's ids)


def csv_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    head = {k: result[k] for k in ("trigger", "program", "currency", "holdout_percent")}
    out = []
    for v in result["variants"]:
        rate = v["redemption_rate_ci95"] or (None, None)
        per = v["revenue_per_customer_ci95"] or (None, None)
        out.append({**head, **{k: v[k] for k in (
            "variant", "reached", "cards", "redeemed", "redemption_rate", "revenue",
            "revenue_minor", "revenue_per_customer")},
            "redemption_rate_low": rate[0], "redemption_rate_high": rate[1],
            "revenue_per_customer_low": per[0], "revenue_per_customer_high": per[1]})
    return out


def _percent(rate: float | None) -> str | None:
    return None if rate is None else f"{rate * 100:.1f}%"


def page_rows(result: dict[str, Any], translate: Callable[[str], str]) -> list[dict[str, Any]]:
    out = []
    for v in result["variants"]:
        rate, per = v["redemption_rate_ci95"], v["revenue_per_customer_ci95"]
        out.append({
            "variant": translate(v["variant"]) if v["variant"] in GROUP_NAMES else v["variant"],
            "reached": v["reached"], "cards": v["cards"], "redeemed": v["redeemed"],
            "redemption_rate": _percent(v["redemption_rate"]),
            "redemption_rate_ci95": f"{_percent(rate[0])} – {_percent(rate[1])}" if rate
            else None,
            "revenue": v["revenue"], "revenue_per_customer": v["revenue_per_customer"],
            "revenue_per_customer_ci95": f"{per[0]} – {per[1]}" if per else None})
    return out


def chart_rows(result: dict[str, Any], translate: Callable[[str], str]
               ) -> list[tuple[str, object]]:
    """(group, revenue per customer reached) per group; a group nobody is in shows 0."""
    return [(translate(v["variant"]) if v["variant"] in GROUP_NAMES else v["variant"],
             v["revenue_per_customer"] or "0") for v in result["variants"]]
