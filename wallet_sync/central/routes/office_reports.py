"""The console's reports, each a page with a chart and a CSV download: gift-card liability as
of a date, points liability, redemptions and earnings per day and store (office/liability.py,
office/activity.py), and campaign and A/B results (central.trigger_results, office/campaigns.py).
The admin API serves the same figures to the CLI (routes/office_admin.py,
routes/automation_admin.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from wallet_sync.central import trigger_results
from wallet_sync.central.errors import Refusal
from wallet_sync.central.office import activity, campaigns, csv_out, liability
from wallet_sync.central.office.charts import bars
from wallet_sync.central.office.sessions import Signed
from wallet_sync.central.routes.office_web import PREFIX, allowed, download, render, tr
from wallet_sync.central.routes.state import CentralState

router = APIRouter(prefix=PREFIX + "/reports", include_in_schema=False)
Reports = allowed("reports")
MAX_DAYS = 366


def _gift(central: CentralState, as_of: str | None) -> dict[str, Any]:
    day = liability.parse_as_of(as_of, central.now())
    with central.db.report() as session:
        return liability.gift_cards(session, day)


@router.get("/liability", response_class=HTMLResponse)
def liability_page(request: Request, central: CentralState, as_of: str | None = None,
                   user: Signed = Reports) -> Response:
    try:
        report = _gift(central, as_of)
    except Refusal as exc:
        return render(request, "error.html", user, status=422, reason=exc.reason)
    rows = report["programs"]
    chart = bars([(f"{r['program']} ({r['currency']})", r["outstanding"]) for r in rows],
                 tr(request, user)("Outstanding"))
    return render(request, "liability.html", user, report=report, chart=chart,
                  fields=liability.GIFT_FIELDS)


@router.get("/liability.csv")
def liability_csv(central: CentralState, as_of: str | None = None,
                  user: Signed = Reports) -> Response:
    report = _gift(central, as_of)
    return download(csv_out.table(("as_of", "program", "currency", *liability.GIFT_FIELDS),
                                  [{"as_of": report["as_of"], **r} for r in report["programs"]]),
                    f"liability-{report['as_of']}.csv")


def _points(central: CentralState, as_of: str | None) -> dict[str, Any]:
    day = liability.parse_as_of(as_of, central.now())
    with central.db.report() as session:
        return liability.points(session, day)


@router.get("/points", response_class=HTMLResponse)
def points_page(request: Request, central: CentralState, as_of: str | None = None,
                user: Signed = Reports) -> Response:
    try:
        report = _points(central, as_of)
    except Refusal as exc:
        return render(request, "error.html", user, status=422, reason=exc.reason)
    chart = bars([(r["program"], r["outstanding"]) for r in report["programs"]],
                 tr(request, user)("Outstanding points"))
    return render(request, "points.html", user, report=report, chart=chart,
                  fields=(*liability.POINTS_FIELDS, "members"))


@router.get("/points.csv")
def points_csv(central: CentralState, as_of: str | None = None,
               user: Signed = Reports) -> Response:
    report = _points(central, as_of)
    fields = ("as_of", "program", *liability.POINTS_FIELDS, "members")
    return download(csv_out.table(fields, [{"as_of": report["as_of"], **r}
                                           for r in report["programs"]]),
                    f"points-{report['as_of']}.csv")


def _activity(central: CentralState, days: int) -> dict[str, Any]:
    with central.db.report() as session:
        return activity.per_day(session, central.now(), max(1, min(days, MAX_DAYS)))


ACTIVITY_FIELDS = ("day", "store", "currency", "redeemed", "redemptions", "points_earned",
                   "points_burned")


@router.get("/activity", response_class=HTMLResponse)
def activity_page(request: Request, central: CentralState, days: int = 30,
                  user: Signed = Reports) -> Response:
    report = _activity(central, days)
    money = [r for r in report["rows"] if r["currency"]]
    chart = bars([(f"{r['day']} {r['store']}", r["redeemed"]) for r in money][-20:],
                 tr(request, user)("Redeemed per day and store"))
    earned = [r for r in report["rows"] if not r["currency"]]
    chart_points = bars([(f"{r['day']} {r['store']}", r["points_earned"]) for r in earned][-20:],
                        tr(request, user)("Points earned per day and store"))
    return render(request, "activity.html", user, report=report, chart=chart,
                  chart_points=chart_points, fields=ACTIVITY_FIELDS)


@router.get("/activity.csv")
def activity_csv(central: CentralState, days: int = 30,
                 user: Signed = Reports) -> Response:
    report = _activity(central, days)
    return download(csv_out.table(ACTIVITY_FIELDS, report["rows"]),
                    f"activity-{report['from']}.csv")


# Campaigns: the program file's triggers and each one's results per A/B group
# (central.trigger_results, the figures of `walletpos admin trigger-results --json`). The CSV
# route comes first: a path ending in ".csv" is the download (trigger ids may hold dots).

@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(request: Request, central: CentralState,
                   user: Signed = Reports) -> Response:
    with central.db.report() as session:
        triggers = trigger_results.listing(session)
    return render(request, "campaigns.html", user, triggers=triggers)


def _results(central: CentralState, trigger_id: str) -> dict[str, Any]:
    with central.db.report() as session:
        return trigger_results.results(session, trigger_id)


@router.get("/campaigns/{trigger_id}.csv")
def campaign_csv(request: Request, trigger_id: str, central: CentralState,
                 user: Signed = Reports) -> Response:
    try:
        result = _results(central, trigger_id)
    except Refusal as exc:
        return render(request, "error.html", user, status=404, reason=exc.reason,
                      back=f"{PREFIX}/reports/campaigns")
    return download(csv_out.table(campaigns.FIELDS, campaigns.csv_rows(result)),
                    f"campaign-{trigger_id}.csv")


@router.get("/campaigns/{trigger_id}", response_class=HTMLResponse)
def campaign_page(request: Request, trigger_id: str, central: CentralState,
                  user: Signed = Reports) -> Response:
    try:
        result = _results(central, trigger_id)
    except Refusal as exc:
        return render(request, "error.html", user, status=404, reason=exc.reason,
                      back=f"{PREFIX}/reports/campaigns")
    t = tr(request, user)
    chart = bars(campaigns.chart_rows(result, t),
                 f"{t('Revenue per customer reached')} ({result['currency']})")
    return render(request, "campaign.html", user, result=result, chart=chart,
                  rows=campaigns.page_rows(result, t), fields=campaigns.PAGE_FIELDS)
