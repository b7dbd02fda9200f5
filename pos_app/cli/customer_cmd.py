"""`walletpos admin customer ...`: the customer profile on central (create, update, show),
typed attributes, consent with double opt-in, gift cards linked to a customer, custom events
and GDPR export/erase, through `wallet_sync.central.admin_client` like the rest of `admin`.

Attributes are given as `--attr name=VALUE` where VALUE is JSON when it parses (`38`, `true`,
`"38"`) and text otherwise; `--attr name=` removes one. Central checks them against the
program file's `customer_attributes` schema and names the path of anything it refuses.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from pos_app.cli.admin_call import run_admin
from pos_app.cli.output import emit, fail, iso

app = typer.Typer(no_args_is_help=True, help="Customers: profile, consent, cards, events, "
                                             "GDPR export and erase.")
JsonOption = typer.Option(False, "--json", help="Machine-readable output.")
CodeArg = Annotated[str, typer.Argument(help="Customer (member) code")]
AttrOption = typer.Option(None, "--attr", help="name=VALUE (VALUE as JSON, else text; "
                                                "empty removes)")
CHANNEL_HELP = "email, sms or push"


def _run(ctx: typer.Context, as_json: bool, call: Any) -> Any:
    return run_admin(ctx, as_json, call)  # ctx.obj is admin's: --central and --key


def _attributes(pairs: list[str] | None, as_json: bool) -> dict[str, Any] | None:
    if not pairs:
        return None
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            fail("invalid_input", f"--attr {pair!r}: expected name=VALUE", as_json)
        if raw == "":
            out[name.strip()] = None
            continue
        try:
            out[name.strip()] = json.loads(raw)
        except ValueError:
            out[name.strip()] = raw
    return out


def _fields(country: str | None, birthday: str | None, language: str | None,
            email: str | None, phone: str | None, attrs: list[str] | None, as_json: bool
            ) -> dict[str, Any]:
    fields: dict[str, Any] = {k: v for k, v in (
        ("country", country), ("birthday", birthday), ("language", language)) if v is not None}
    for key, value in (("email", email), ("phone", phone)):
        if value is not None:
            fields[key] = value or None  # --email "" removes the contact
    attributes = _attributes(attrs, as_json)
    if attributes is not None:
        fields["attributes"] = attributes
    return fields


def _summary(c: dict[str, Any]) -> str:
    p, f = c["profile"], c["facts"]
    consent = ", ".join(f"{ch} {v['status']}" for ch, v in sorted(c["consent"].items()))
    lines = [f"{c['code']} ({c['program']})" + (" ERASED" if c.get("erased_at") else ""),
             f"  registered {iso(f['registered_at'])}, country {p['country'] or '-'}, "
             f"language {p['language'] or '-'}, birthday {p['birthday'] or '-'}",
             f"  email {p['email'] or '-'}, phone {p['phone'] or '-'}; consent: {consent}",
             f"  {c['points']} points, tier {c['tier'] or '-'}; spent {f['lifetime_spend']} in "
             f"{f['visits']} visits, last {iso(f['last_visit']) or '-'} "
             f"(as of {iso(f['as_of'])})",
             "  segments: " + (", ".join(f.get("segments") or []) or "-")]
    if p["attributes"]:
        lines.append("  attributes: " + ", ".join(f"{k}={v}" for k, v in
                                                  sorted(p["attributes"].items())))
    lines += [f"  card {x['code']}: {x['state']}, {x['balance']} {x['currency']}"
              for x in c["cards"]]
    return "\n".join(lines)


@app.command("create")
def create(ctx: typer.Context, program: str = typer.Option(..., "--program"),
           country: str | None = typer.Option(None, "--country", help="ISO 3166 alpha-2"),
           birthday: str | None = typer.Option(None, "--birthday", help="YYYY-MM-DD"),
           language: str | None = typer.Option(None, "--language", help="en, ja, ..."),
           email: str | None = typer.Option(None, "--email"),
           phone: str | None = typer.Option(None, "--phone", help="E.164, e.g. +4930123456"),
           attr: list[str] | None = AttrOption,  # noqa: B008
           referred_by: str | None = typer.Option(None, "--referred-by",
                                                  help="A member's referral code"),
           as_json: bool = JsonOption) -> None:
    """A new customer (a member of PROGRAM with a profile); registered now."""
    fields = _fields(country, birthday, language, email, phone, attr, as_json)
    if referred_by:
        fields["referred_by"] = referred_by
    result = _run(ctx, as_json, lambda c: c.create_customer(program, fields))
    emit(result, as_json, _summary(result))


@app.command("referral-code")
def referral_code(ctx: typer.Context, code: CodeArg, as_json: bool = JsonOption) -> None:
    """The customer's referral code to give friends (`create --referred-by`)."""
    result = _run(ctx, as_json, lambda c: c.referral_code(code))
    emit(result, as_json, f"{result['customer']}: referral code {result['referral_code']}")


@app.command("update")
def update(ctx: typer.Context, code: CodeArg,
           country: str | None = typer.Option(None, "--country"),
           birthday: str | None = typer.Option(None, "--birthday", help="YYYY-MM-DD"),
           language: str | None = typer.Option(None, "--language"),
           email: str | None = typer.Option(None, "--email", help='"" removes it'),
           phone: str | None = typer.Option(None, "--phone", help='"" removes it'),
           attr: list[str] | None = AttrOption,  # noqa: B008
           as_json: bool = JsonOption) -> None:
    """Change the fields given; the others stay."""
    fields = _fields(country, birthday, language, email, phone, attr, as_json)
    result = _run(ctx, as_json, lambda c: c.update_customer(code, fields))
    emit(result, as_json, _summary(result))


@app.command("show")
def show(ctx: typer.Context, code: CodeArg, as_json: bool = JsonOption) -> None:
    """The single customer view: profile, consent, cards, points, tier and facts."""
    result = _run(ctx, as_json, lambda c: c.customer(code))
    emit(result, as_json, _summary(result))


@app.command("link-card")
def link_card(ctx: typer.Context, code: CodeArg,
              card: str = typer.Option(..., "--card", help="Gift card code"),
              as_json: bool = JsonOption) -> None:
    """Link a gift card to the customer (per-customer gift-card limits count it)."""
    result = _run(ctx, as_json, lambda c: c.link_card(code, card))
    emit(result, as_json, f"{result['card']} belongs to {result['customer']}")


@app.command("consent-request")
def consent_request(ctx: typer.Context, code: CodeArg,
                    channel: str = typer.Option(..., "--channel", help=CHANNEL_HELP),
                    source: str = typer.Option(..., "--source", help="Where the wish came "
                                                                     "from"),
                    as_json: bool = JsonOption) -> None:
    """Double opt-in, step 1: a one-time token to send to the customer (valid 7 days)."""
    result = _run(ctx, as_json, lambda c: c.request_consent(code, channel, source))
    emit(result, as_json, f"token {result['token']} (send it to the customer; consent "
                          f"counts only after `consent-confirm`)")


@app.command("consent-confirm")
def consent_confirm(ctx: typer.Context,
                    token: Annotated[str, typer.Argument(help="The token sent back")],
                    as_json: bool = JsonOption) -> None:
    """Double opt-in, step 2: the customer confirmed; consent is recorded now."""
    result = _run(ctx, as_json, lambda c: c.confirm_consent(token))
    emit(result, as_json, f"{result['customer']}: {result['channel']} granted")


@app.command("consent-withdraw")
def consent_withdraw(ctx: typer.Context, code: CodeArg,
                     channel: str = typer.Option(..., "--channel", help=CHANNEL_HELP),
                     source: str = typer.Option("head-office", "--source"),
                     as_json: bool = JsonOption) -> None:
    """Withdraw marketing consent on a channel; no marketing goes out from now on."""
    result = _run(ctx, as_json, lambda c: c.withdraw_consent(code, channel, source))
    emit(result, as_json, f"{result['customer']}: {result['channel']} withdrawn")


@app.command("event")
def event(ctx: typer.Context, code: CodeArg,
          name: str = typer.Option(..., "--event", help="e.g. newsletter_signup"),
          key: str | None = typer.Option(None, "--key", help="Idempotency key (default: a "
                                                              "new random one)"),
          as_json: bool = JsonOption) -> None:
    """A custom event for the customer; the program's event rules pay within their limits."""
    idem = key or secrets.token_urlsafe(12)
    result = _run(ctx, as_json, lambda c: c.event(code, name, idem))
    refused = "; ".join(f"{r['rule']}: {r['reason']}" for r in result["refused"])
    emit(result, as_json, f"{result['event']}: {result['status']}, {result['points']} points"
                          + (f" (refused {refused})" if refused else ""))


@app.command("export")
def export(ctx: typer.Context, code: CodeArg,
           out: Path | None = typer.Option(None, "--out", help="Write the JSON here"),  # noqa: B008
           as_json: bool = JsonOption) -> None:
    """Everything held about the customer, as JSON (GDPR access)."""
    result = _run(ctx, as_json, lambda c: c.export_customer(code))
    if out is not None:
        try:
            out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
        except OSError as exc:
            fail("unwritable_file", f"{out}: {exc}", as_json)
    emit(result, True if out is None else as_json, f"written to {out}")


@app.command("erase")
def erase(ctx: typer.Context, code: CodeArg,
          yes: bool = typer.Option(False, "--yes", help="Confirm: this cannot be undone"),
          as_json: bool = JsonOption) -> None:
    """Erase the customer's personal data (GDPR); the ledger keeps only the pseudonymous
    code, so every chain still verifies."""
    if not yes:
        fail("confirmation_required", "erasing cannot be undone: add --yes", as_json)
    result = _run(ctx, as_json, lambda c: c.erase_customer(code))
    emit(result, as_json, f"{result['code']}: personal data erased")


@app.command("import")
def import_file(ctx: typer.Context,
                file: Annotated[Path, typer.Argument(help="CSV (a header row) or .json")],
                program: str | None = typer.Option(None, "--program",
                                                   help="For rows that name no program"),
                as_json: bool = JsonOption) -> None:
    """Create or update customers from a CRM file (rows with a code update that customer);
    each refused row is reported with its number and reason, the rest go in. Exit 1 when
    any row was refused."""
    from core.errors import InvalidInput
    from pos_app.cli import customer_files

    try:
        rows = customer_files.read_rows(file)
    except InvalidInput as exc:
        fail(exc.reason, str(exc), as_json)

    def progress(done: int, total: int) -> None:
        if not as_json and (done % 100 == 0 or done == total):
            typer.echo(f"{done}/{total} rows", err=True)

    report = _run(ctx, as_json, lambda c: customer_files.import_rows(c, rows, program,
                                                                     progress))
    lines = [f"{report['rows']} rows: {len(report['created'])} created, "
             f"{report['updated']} updated, {len(report['rejected'])} refused"]
    lines += [f"  row {r['row']}: {r['error']}: {r['message']}" for r in report["rejected"]]
    emit(report, as_json, "\n".join(lines))
    if report["rejected"]:
        raise typer.Exit(1)


@app.command("export-all")
def export_all(ctx: typer.Context,
               out: Path = typer.Option(..., "--out", help="FILE.csv or FILE.json"),  # noqa: B008
               program: str | None = typer.Option(None, "--program"),
               as_json: bool = JsonOption) -> None:
    """Every customer's profile to a CRM file (CSV or JSON, the columns `import` takes
    back); erased customers are left out."""
    from pos_app.cli import customer_files

    customers = _run(ctx, as_json, lambda c: list(customer_files.all_customers(c, program)))
    try:
        customer_files.write_export(out, customers)
    except OSError as exc:
        fail("unwritable_file", f"{out}: {exc}", as_json)
    emit({"customers": len(customers), "file": str(out)}, as_json,
         f"{len(customers)} customers written to {out}")
