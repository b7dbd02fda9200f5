"""The world the limits-across-tills tests share: programs with a campaign limit (online only
and usable offline), a per-customer gift card and a reward once per customer; head office's
`walletpos admin` CLI and two tills' `walletpos terminal` CLIs against one live central."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from pos_app.cli import app as cli

from .helpers import Env, LiveServer

PROGRAMS = """\
version: 1
programs:
  - id: campaign
    kind: gift_card
    name: {en: "Campaign voucher", ja: "キャンペーン券"}
    currency: EUR
    code_pattern: "CV-####-####"
    default_value: "20.00"
    limits: {per_program_daily_count: 3}
    offline: {mode: online}
  - id: outdoor
    kind: gift_card
    name: {en: "Outdoor days", ja: "アウトドアデー"}
    currency: EUR
    code_pattern: "OD-####-####"
    default_value: "20.00"
    limits: {per_program_daily_count: 4}
    offline: {mode: floor, floor_per_transaction: "20.00", terminal_total: "300.00",
              max_offline_hours: 24}
  - id: family
    kind: gift_card
    name: {en: "Family card", ja: "ファミリーカード"}
    currency: EUR
    code_pattern: "FC-####-####"
    default_value: "20.00"
    limits: {per_customer_daily_count: 1}
    offline: {mode: online}
  - id: club
    kind: loyalty
    name: {en: "Club", ja: "クラブ"}
    currency: EUR
    member_code_pattern: "LM-########"
    earning:
      - {id: base, on: purchase, points_per_unit: 10}
    tiers:
      - {id: basic, min_points: 0}
    rewards:
      - id: welcome
        name: {en: "Welcome gift", ja: "ウェルカムギフト"}
        cost: 10
        gives: {amount_off: "1.00"}
        limits: {per_customer_yearly_count: 1}
      - id: tasting
        name: {en: "Tasting", ja: "試飲"}
        cost: 10
        gives: {amount_off: "1.00"}
        limits: {per_program_daily_count: 2}
    offline: {mode: floor, floor_per_transaction: 300, terminal_total: 3000,
              max_offline_hours: 72}
"""


def run(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


class World:
    """Head office's CLI and two tills' CLIs against one live central."""

    def __init__(self, tmp: Path, live: LiveServer, env: Env) -> None:
        self.live = live
        self.office = ["admin", "--central", live.url, "--key", env.admin_key]
        source = tmp / "programs.yaml"
        source.write_text(PROGRAMS, encoding="utf-8")
        run(*self.office, "load-programs", str(source))
        self.homes = {}
        for name in ("A", "B"):
            home = tmp / f"till-{name}"
            code = run(*self.office, "enroll-code", "--store", "S1")["code"]
            run("terminal", "--home", str(home), "enroll", "--central", live.url,
                "--code", code)
            self.homes[name] = home

    def till(self, name: str, *args: str) -> dict[str, Any]:
        return run("terminal", "--home", str(self.homes[name]), *args)

    def cards(self, program: str, n: int, *extra: str) -> list[str]:
        out = run(*self.office, "issue-cards", "--program", program, "--count", str(n),
                  "--activate", *extra)
        for name in self.homes:  # the tills learn the new cards at their next sync
            self.till(name, "sync")
        return [c["code"] for c in out["cards"]]

    def redeem(self, name: str, code: str, amount: str = "1.00") -> dict[str, Any]:
        return self.till(name, "redeem", "--code", code, "--amount", amount)

    def cases(self) -> list[str]:
        return [c["reason"] for c in run(*self.office, "conflicts")["conflicts"]]
