"""CRM files of customers, both ways: `walletpos admin customer import FILE` and `export-all`.

One shape for both formats, the fields an export writes and an import takes back: `code`,
`program`, `registered_at` (ISO 8601, export only), `country`, `birthday` (YYYY-MM-DD),
`language`, `email`, `phone`, and the program's typed attributes — in CSV one column each,
named `attr.NAME`; in JSON an `attributes` object. A CSV value is read as JSON when it parses
(`38`, `true`) and as text otherwise, as `--attr` does; an empty cell leaves the field out.

An import row with a `code` updates that customer, one without creates a customer of the row's
`program` (or `--program`). Central checks every row as it checks `customer create` (country,
birthday, contacts, the attribute schema, with the path of what it refuses); a refused row is
reported with its number and reason and the import goes on. Nothing is sent until the whole
file has been read, so a file that is not CSV or JSON at all changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from core.errors import InvalidInput
from wallet_sync.central.admin_client import AdminClient, AdminError

FIELDS = ("country", "birthday", "language", "email", "phone")
EXPORT_COLUMNS = ("code", "program", "registered_at", *FIELDS)
ATTR = "attr."


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The file's rows as field dicts (InvalidInput when it cannot be read as CSV or JSON)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: {exc}", reason="unreadable_file") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InvalidInput(f"{path}: not JSON: {exc}", reason="unreadable_file") from exc
        rows = data.get("customers") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidInput(f"{path}: expected a list of customer objects",
                               reason="unreadable_file")
        return rows
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not ({"code", "program", *FIELDS} & set(reader.fieldnames)
                                     or any(f.startswith(ATTR) for f in reader.fieldnames)):
        raise InvalidInput(f"{path}: no customer columns in the header "
                           f"(code, program, {', '.join(FIELDS)}, attr.NAME)",
                           reason="unreadable_file")
    return [_from_csv(row) for row in reader]


def _from_csv(row: dict[str, str | None]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    attributes: dict[str, Any] = {}
    for name, raw in row.items():
        if name is None or raw is None or raw.strip() == "":
            continue
        value = raw.strip()
        if name.startswith(ATTR):
            try:
                attributes[name[len(ATTR):]] = json.loads(value)
            except ValueError:
                attributes[name[len(ATTR):]] = value
        else:
            out[name] = value
    if attributes:
        out["attributes"] = attributes
    return out


def import_rows(client: AdminClient, rows: list[dict[str, Any]], program: str | None,
                progress: Callable[[int, int], None] = lambda done, total: None
                ) -> dict[str, Any]:
    """Send each row (create or update); the report of what was done and what was refused."""
    created: list[dict[str, Any]] = []
    updated = 0
    rejected: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        fields = {k: v for k, v in row.items() if k in (*FIELDS, "attributes")}
        unknown = sorted(set(row) - {*FIELDS, "attributes", "code", "program",
                                     "registered_at"})
        try:
            if unknown:
                raise AdminError("invalid_input", f"unknown field(s): {', '.join(unknown)}")
            if row.get("code"):
                client.update_customer(str(row["code"]), fields)
                updated += 1
            else:
                target = row.get("program") or program
                if not target:
                    raise AdminError("invalid_input", "no program: give the row a program "
                                                      "or pass --program")
                made = client.create_customer(str(target), fields)
                created.append({"row": number, "code": made["code"]})
        except AdminError as exc:
            if exc.reason == "central_unreachable":
                raise
            rejected.append({"row": number, "error": exc.reason, "message": exc.message})
        progress(number, len(rows))
    return {"rows": len(rows), "created": created, "updated": updated, "rejected": rejected}


def all_customers(client: AdminClient, program: str | None) -> Iterator[dict[str, Any]]:
    after = ""
    while True:
        page = client.customers(program, after)
        yield from page["customers"]
        if page["next"] is None:
            return
        after = page["next"]


def write_export(path: Path, customers: list[dict[str, Any]]) -> None:
    rows = [{**c, "registered_at": _iso(c.get("registered_at"))} for c in customers]
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps({"customers": rows}, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        return
    names = sorted({n for c in rows for n in c.get("attributes", {})})
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*EXPORT_COLUMNS, *(ATTR + n for n in names)])
        for c in rows:
            attrs = c.get("attributes", {})
            writer.writerow([*("" if c.get(k) is None else c[k] for k in EXPORT_COLUMNS),
                             *(_cell(attrs.get(n)) for n in names)])


def _cell(value: Any) -> str:
    """A value the import reads back as it was: text stays text unless it would parse as
    JSON (`"38"` for the text 38), which is then written as a JSON string."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)


def _iso(unix_s: int | None) -> str | None:
    if unix_s is None:
        return None
    return dt.datetime.fromtimestamp(unix_s, dt.UTC).isoformat().replace("+00:00", "Z")
