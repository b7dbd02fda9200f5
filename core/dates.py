"""Calendar arithmetic on unix seconds (UTC) shared by gift cards and points: months after a
moment, and the expiry a newly issued gift card gets from its program."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(at: int, months: int) -> int:
    """Unix seconds plus calendar months (UTC), the day clamped to the month's length:
    Jan 31 + 1 month is Feb 28/29."""
    t = dt.datetime.fromtimestamp(at, dt.UTC)
    index = t.month - 1 + months
    year, month = t.year + index // 12, index % 12 + 1
    day = min(t.day, calendar.monthrange(year, month)[1])
    return int(t.replace(year=year, month=month, day=day).timestamp())


def end_of_day(day: dt.date) -> int:
    """The first second after `day` (UTC): something valid through `day` expires then."""
    return int(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC).timestamp())


def gift_card_expiry(months: int | None, fixed: dt.date | None, issued_at: int,
                     days: int | None = None) -> int | None:
    """A program's `expiry` for a card issued at `issued_at`: N months or N days (of 24 h)
    after issue, the end of a fixed date, or none."""
    if months:
        return add_months(issued_at, months)
    if days:
        return issued_at + days * 86400
    if fixed is not None:
        return end_of_day(fixed)
    return None
