"""CRM import and export of customers (issue 17) from the CLI (in process, through typer's
runner) against the real central on loopback: a CSV with good and bad rows creates the good
ones and reports each refused row with its number and reason (exit 1); an export to CSV and to
JSON holds every customer's profile with typed attributes, and importing the export back
updates those customers without creating any."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from terminal_live import LiveCentral
from test_customers_cli_live import PROGRAMS
from typer.testing import CliRunner

from pos_app.cli import app as cli
from wallet_sync.central.admin_client import AdminClient


def run(*args: str, code: int = 0) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_a_crm_file_goes_in_row_by_row_and_comes_back_out(tmp_path: Path, central: LiveCentral,
                                                          admin: AdminClient) -> None:
    source = tmp_path / "programs.yaml"
    source.write_text(PROGRAMS, encoding="utf-8")
    office = ["admin", "--central", central.url, "--key",
              central.admin_key]  # type: ignore[attr-defined]
    run(*office, "load-programs", str(source))
    crm = tmp_path / "crm.csv"
    crm.write_text(
        "email,country,birthday,attr.shoe_size,attr.vip_note\n"
        'mia@example.com,DE,1991-03-04,41,"""38"""\n'   # a note that looks like a number
        "bad-address,DE,,,\n"                            # row 2: not an email
        "ken@example.jp,JP,1985-12-01,forty,\n"          # row 3: shoe size is an int
        "ana@example.es,ES,,39,likes green\n",
        encoding="utf-8")
    report = run(*office, "customer", "import", str(crm), "--program", "club", code=1)
    assert report["rows"] == 4 and report["updated"] == 0
    assert [r["row"] for r in report["created"]] == [1, 4]
    assert [(r["row"], r["error"]) for r in report["rejected"]] == [
        (2, "invalid_email"), (3, "invalid_attribute")]
    assert "attributes.shoe_size" in report["rejected"][1]["message"]
    mia = run(*office, "customer", "show", report["created"][0]["code"])
    assert mia["profile"]["attributes"] == {"shoe_size": 41, "vip_note": "38"}
    assert mia["profile"]["email"] == "mia@example.com"

    out_csv, out_json = tmp_path / "out.csv", tmp_path / "out.json"
    assert run(*office, "customer", "export-all", "--out", str(out_csv))["customers"] == 2
    run(*office, "customer", "export-all", "--out", str(out_json), "--program", "club")
    exported = json.loads(out_json.read_text(encoding="utf-8"))["customers"]
    assert sorted(c["email"] for c in exported) == ["ana@example.es", "mia@example.com"]
    assert all(c["registered_at"].endswith("Z") for c in exported)
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert {r["attr.vip_note"] for r in rows} == {'"38"', "likes green"}

    # The export goes back in: the same customers, updated, none created.
    back = run(*office, "customer", "import", str(out_csv))
    assert (back["updated"], back["created"], back["rejected"]) == (2, [], [])
    again = run(*office, "customer", "show", mia["code"])
    assert again["profile"] == mia["profile"]
    assert run(*office, "customer", "import", str(out_json))["updated"] == 2

    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert run(*office, "customer", "import", str(broken), code=2)["error"] == "unreadable_file"
