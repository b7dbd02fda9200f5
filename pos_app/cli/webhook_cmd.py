"""`walletpos admin webhooks add|list|remove|test`: webhook endpoints on central, Stripe-style
(`add` prints the endpoint's id and signing secret, shown once), through
`wallet_sync.central.admin_client` like the rest of `admin`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from pos_app.cli.admin_call import run_admin
from pos_app.cli.output import emit, iso

app = typer.Typer(no_args_is_help=True, help="Webhook endpoints: add, list, remove, test.")
JsonOption = typer.Option(False, "--json", help="Machine-readable output.")
IdArg = Annotated[str, typer.Argument(help="Endpoint id (we_...)")]


def _run(ctx: typer.Context, as_json: bool, call: Any) -> Any:
    return run_admin(ctx, as_json, call)


@app.command("add")
def add(ctx: typer.Context, url: str = typer.Option(..., "--url", help="http(s) URL to POST to"),
        events: str | None = typer.Option(None, "--events",
                                          help="Comma-separated event types (default: all)"),
        as_json: bool = JsonOption) -> None:
    """Register an endpoint; prints {"id", "secret"} (the secret is not shown again)."""
    wanted = [e.strip() for e in events.split(",") if e.strip()] if events else None
    result = _run(ctx, as_json, lambda c: c.add_webhook(url, wanted))
    # The documented output is exactly the id and the secret, in both modes.
    emit({"id": result["id"], "secret": result["secret"]}, True)


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Endpoints with their deliveries: done, pending, and those retrying or given up."""
    result = _run(ctx, as_json, lambda c: c.webhooks())
    lines = []
    for ep in result["webhooks"]:
        d = ep["deliveries"]
        lines.append(f"{ep['id']} {ep['url']} [{', '.join(ep['events']) or 'all events'}] "
                     f"done {d['done']}, pending {d['pending']}, failed {d['failed']}")
        for f in ep["failed"]:
            lines.append(f"  failed {f['event']} after {f['attempts']} attempts at "
                         f"{iso(f['failed_at'])}: {f['last_error']}")
        for r in ep["retrying"]:
            lines.append(f"  retrying {r['event']} ({r['attempts']} attempts, next "
                         f"{iso(r['next_at'])}): {r['last_error']}")
    emit(result, as_json, "\n".join(lines) or "no webhook endpoints")


@app.command("remove")
def remove(ctx: typer.Context, endpoint: IdArg, as_json: bool = JsonOption) -> None:
    """Stop delivering to an endpoint."""
    result = _run(ctx, as_json, lambda c: c.remove_webhook(endpoint))
    emit(result, as_json, f"{result['id']} removed")


@app.command("test")
def test(ctx: typer.Context, endpoint: IdArg, as_json: bool = JsonOption) -> None:
    """Queue a signed `webhook.test` event for this endpoint alone."""
    result = _run(ctx, as_json, lambda c: c.test_webhook(endpoint))
    emit(result, as_json, f"{result['event']} queued for {result['id']}")
