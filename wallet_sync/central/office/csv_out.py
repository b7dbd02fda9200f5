"""CSV downloads of the console's reports: a header row, then one row per item, every cell
guarded against spreadsheet formulas (audit.safe_cell)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from wallet_sync.central.office.audit import safe_cell


def table(fields: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([safe_cell("" if row.get(f) is None else str(row.get(f)))
                         for f in fields])
    return out.getvalue()
