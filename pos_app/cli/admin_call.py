"""One call to central's admin API from the CLI: the client for the `--central` and `--key`
that `walletpos admin` put in the context, and an AdminError said as the usual JSON error
(exit 2). Shared by `admin` and its `customer` sub-app."""

from __future__ import annotations

from typing import Any

import typer

from pos_app.cli.output import fail
from wallet_sync.central.admin_client import AdminClient, AdminError


def run_admin(ctx: typer.Context, as_json: bool, call: Any) -> Any:
    with AdminClient(ctx.obj["central"], ctx.obj["key"]) as client:
        try:
            return call(client)
        except AdminError as exc:
            fail(exc.reason, exc.message, as_json)
