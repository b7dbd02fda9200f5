"""`walletpos admin ...`: head-office calls to central's admin API (programs, enrollment codes,
card batches, card look-up and top-up, conflict cases and their resolution, the offline
exposure report; customers in `customer_cmd`) through `wallet_sync.central.admin_client`.
`--central` and `--key` also come from WALLETPOS_CENTRAL and WALLETPOS_ADMIN_KEY."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pos_app.cli import customer_cmd, webhook_cmd
from pos_app.cli.admin_call import run_admin
from pos_app.cli.output import emit, fail, iso
from wallet_sync.central.admin_client import AdminClient, AdminError

app = typer.Typer(no_args_is_help=True, help="Head-office calls to the central admin API.")
app.add_typer(customer_cmd.app, name="customer")
app.add_typer(webhook_cmd.app, name="webhooks")

JsonOption = typer.Option(False, "--json", help="Machine-readable output.")


@app.callback()
def main(ctx: typer.Context,
         central: str = typer.Option(..., "--central", envvar="WALLETPOS_CENTRAL",
                                     help="Central base URL, e.g. http://127.0.0.1:8750"),
         key: str = typer.Option(..., "--key", envvar="WALLETPOS_ADMIN_KEY",
                                 help="Admin API key from `walletpos central init`.")) -> None:
    ctx.obj = {"central": central, "key": key}


def _run(ctx: typer.Context, as_json: bool, call: Any) -> dict[str, Any]:
    return run_admin(ctx, as_json, call)  # type: ignore[no-any-return]


@app.command("load-programs")
def load_programs(ctx: typer.Context,
                  file: Annotated[Path, typer.Argument(help="YAML or JSON file")],
                  as_json: bool = JsonOption) -> None:
    """Upload a program file; changed programs get a new version."""
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail("unreadable_file", f"{file}: {exc}", as_json)
    fmt = "json" if file.suffix.lower() == ".json" else "yaml"
    result = _run(ctx, as_json, lambda c: c.load_programs(source, fmt, file.name))
    emit(result, as_json, "\n".join(
        f"{p['id']}: version {p['version']}{' (changed)' if p.get('changed') else ''}"
        for p in result["programs"]))


@app.command("enroll-code")
def enroll_code(ctx: typer.Context, store: str = typer.Option(..., "--store"),
                as_json: bool = JsonOption) -> None:
    """A one-time enrollment code for a terminal of STORE (valid 15 minutes)."""
    result = _run(ctx, as_json, lambda c: c.enroll_code(store))
    emit(result, as_json, f"enrollment code for {store}: {result['code']} (valid 15 minutes)")


@app.command("issue-cards")
def issue_cards(ctx: typer.Context, program: str = typer.Option(..., "--program"),
                count: int = typer.Option(..., "--count", min=1, max=10_000),
                value: str | None = typer.Option(None, "--value",
                                                 help="Decimal amount, e.g. 25.00"),
                activate: bool = typer.Option(False, "--activate"),
                customer: str | None = typer.Option(None, "--customer",
                                                    help="Sold to this customer (member "
                                                         "code): linked to them"),
                pdf: Path | None = typer.Option(None, "--pdf",  # noqa: B008
                                                help="Also write a printable card sheet here."),
                layout: str = typer.Option("a4", "--layout", help="a4, letter or card (one "
                                                                  "card per CR80 page)"),
                program_name: str | None = typer.Option(None, "--program-name",
                                                        help="Printed on the cards (default: "
                                                             "the program's name)"),
                brand: Path | None = typer.Option(None, "--brand",  # noqa: B008
                                                  envvar="WALLETPOS_BRAND",
                                                  help="brand.json (default: resources/brand)"),
                as_json: bool = JsonOption) -> None:
    """Issue COUNT cards of PROGRAM (inactive unless --activate), optionally printed to --pdf."""
    if layout not in ("a4", "letter", "card"):
        fail("invalid_input", "--layout is a4, letter or card", as_json)
    result = _run(ctx, as_json, lambda c: c.issue_cards(program, count, value, activate,
                                                           customer))
    if pdf is not None:
        about = result.get("program") or {}
        name = program_name or (about.get("name") or {}).get("en") or program
        currency = about.get("currency") or ""
        face = value
        if face is None and result["cards"]:  # the program's default value, as central set it
            face = _run(ctx, as_json, lambda c: c.card(result["cards"][0]["code"]))["balance"]
        shown = f"{face} {currency}".strip() if face and face.strip("0.") else None
        result["pdf"] = {"file": str(pdf), "layout": layout, "pages": _print_cards(
            pdf, result["cards"], layout, name, shown, brand, as_json)}
    emit(result, as_json, "\n".join(card["code"] for card in result["cards"]))


def _print_cards(pdf: Path, cards: list[dict[str, Any]], layout: str, name: str,
                 value: str | None, brand_file: Path | None, as_json: bool) -> int:
    from core.errors import WalletError
    from pos_app.printing.brand import load_brand
    from pos_app.printing.cards_pdf import PrintedCard, write_card_sheet

    try:
        brand = load_brand(brand_file)
        return write_card_sheet(pdf, [PrintedCard(c["code"], c["qr"], name, value)
                                      for c in cards], layout=layout, brand=brand)
    except WalletError as exc:
        fail(exc.reason, f"cards issued but not printed: {exc.message}", as_json)
    except OSError as exc:
        fail("unwritable_file", f"cards issued but not printed: {pdf}: {exc}", as_json)


@app.command("card")
def card(ctx: typer.Context, code: Annotated[str, typer.Argument(help="Card code")],
         as_json: bool = JsonOption) -> None:
    """A card's state and balance."""
    result = _run(ctx, as_json, lambda c: c.card(code))
    # `expires_at` stays the Unix time central sent; `expires` says it as ISO 8601 with zone.
    result["expires"] = iso(result.get("expires_at"))
    emit(result, as_json, f"{result['code']}: {result['state']}, "
                          f"{result['balance']} {result['currency']} ({result['program']}), "
                          f"expires {result['expires'] or 'never'}")


@app.command("conflicts")
def list_conflicts(ctx: typer.Context, status: str | None = typer.Option(None, "--status"),
                   as_json: bool = JsonOption) -> None:
    """Conflict cases: overdrafts, unknown cards, forks."""
    result = _run(ctx, as_json, lambda c: c.conflicts(status))
    lines = [f"#{c['id']} {c['reason']} card={c['card']} terminal={c['terminal']} "
             f"seq={c['seq']} shortfall={c['shortfall']} {c['currency']} [{c['status']}]"
             for c in result["conflicts"]]
    emit(result, as_json, "\n".join(lines) or "no conflicts")


@app.command("load-card")
def load_card(ctx: typer.Context, code: Annotated[str, typer.Argument(help="Card code")],
              amount: str = typer.Option(..., "--amount", help="Decimal amount, e.g. 25.00"),
              as_json: bool = JsonOption) -> None:
    """Top a card up from head office (a new lot; the escrow reserve grows by the same)."""
    result = _run(ctx, as_json, lambda c: c.load_card(code, amount))
    emit(result, as_json, f"{result['code']}: {result['balance']} {result['currency']}")


@app.command("resolve-conflict")
def resolve_conflict(ctx: typer.Context,
                     conflict_id: Annotated[int, typer.Argument(help="Case id", min=1)],
                     reason: str = typer.Option(..., "--reason", help="Why; kept on record"),
                     as_json: bool = JsonOption) -> None:
    """Resolve a conflict case with a reason (recorded once, never edited)."""
    result = _run(ctx, as_json, lambda c: c.resolve_conflict(conflict_id, reason))
    case = result["conflict"]
    emit(result, as_json, f"#{case['id']} resolved: {case['resolution']['reason']}")


@app.command("exposure")
def exposure(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Offline exposure per terminal and store (grants outstanding + floor allowances) and
    realised losses; flagged terminals, quarantined ones with what they journaled that central
    will never apply, and every case that is a terminal's word central could not back (offline
    spends over policy, value without authority, forks)."""
    result = _run(ctx, as_json, lambda c: c.exposure())
    lines = [f"{r['store']}/{r['terminal']}: exposure {r['exposure']} {r['currency']} "
             f"(grants {r['grants_outstanding']}, floor {r['floor_allowance']}), "
             f"losses {r['realised_losses']}" for r in result["terminals"]]
    lines += [f"store {r['store']}: exposure {r['exposure']} {r['currency']}, "
              f"losses {r['realised_losses']}" for r in result["stores"]]
    lines += [f"flagged {f['store']}/{f['terminal']}: "
              f"{'quarantined' if f['quarantined'] else ', '.join(f['rules'])}"
              for f in result.get("flagged", [])]
    lines += [f"quarantined {q['store']}/{q['terminal']}: {q['unsynced_entries']} entries "
              f"central will never apply (acked {q['acked_seq']}, head {q['head_seq']}), "
              "unsynced exposure "
              + (", ".join(f"{e['exposure']} {e['currency']}" for e in q["unsynced_exposure"])
                 or "none")
              for q in result.get("quarantined", [])]
    lines += [f"case #{c['id']} {c['store']}/{c['terminal']} seq {c['seq']}: {c['reason']} "
              f"({c['status']})" for c in result.get("cases", [])]
    emit(result, as_json, "\n".join(lines) or "no terminals")


@app.command("terminals")
def terminals(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Every terminal with its status (active, quarantined), the walletpos version it last
    said it runs, and its flags."""
    result = _run(ctx, as_json, lambda c: c.terminals())
    lines = [f"{t['store']}/{t['id']}: {t['status']}"
             + (f" (walletpos {t['version']})" if t.get("version") else "")
             + (" flagged: " + ", ".join(f["reason"] for f in t["flags"]
                                          if f["cleared_at"] is None) if t["flagged"] else "")
             for t in result["terminals"]]
    emit(result, as_json, "\n".join(lines) or "no terminals")


@app.command("clear-flag")
def clear_flag(ctx: typer.Context,
               terminal: Annotated[str, typer.Argument(help="Terminal id, e.g. T-1A2B3C4D")],
               reason: str = typer.Option(..., "--reason", help="Why; kept on record"),
               as_json: bool = JsonOption) -> None:
    """Clear a flagged terminal (it gets grants and may spend offline again); its cases stay
    open until resolved."""
    result = _run(ctx, as_json, lambda c: c.clear_flag(terminal, reason))
    emit(result, as_json, f"{result['terminal']['id']}: flags cleared")


@app.command("decommission-terminal")
def decommission_terminal(
        ctx: typer.Context,
        terminal: Annotated[str, typer.Argument(help="Terminal id, e.g. T-1A2B3C4D")],
        reason: str = typer.Option(..., "--reason", help="Why; kept on record"),
        as_json: bool = JsonOption) -> None:
    """Retire a terminal that will not come back: once its maximum offline time has passed,
    its open escrow grants return to the cards' reserves and its unused code pool is released;
    before that, refused with the time from which it is allowed. Its later requests are
    refused."""
    with AdminClient(ctx.obj["central"], ctx.obj["key"]) as client:
        try:
            result = client.decommission_terminal(terminal, reason)
        except AdminError as exc:
            extra = dict(exc.extra)
            if isinstance(extra.get("allowed_at"), int):
                extra["allowed_at_iso"] = iso(extra["allowed_at"])
                exc.message += f" (allowed from {extra['allowed_at_iso']})"
            fail(exc.reason, exc.message, as_json, **extra)
    done = result["decommission"]
    value = ", ".join(f"{v['amount']} {v['currency']}" for v in done["value_returned"])
    emit(result, as_json, f"{done['terminal']}: decommissioned; {done['grants_returned']} "
                          f"grants returned ({value or 'nothing'}), {done['codes_released']} "
                          "codes released")


@app.command("create-member")
def create_member(ctx: typer.Context, program: str = typer.Option(..., "--program"),
                  country: str | None = typer.Option(None, "--country",
                                                     help="ISO 3166 alpha-2, e.g. DE"),
                  as_json: bool = JsonOption) -> None:
    """A new loyalty member of PROGRAM (code from its member_code_pattern)."""
    result = _run(ctx, as_json, lambda c: c.create_member(program, country))
    emit(result, as_json, result["code"])


@app.command("member")
def member(ctx: typer.Context, code: Annotated[str, typer.Argument(help="Member code")],
           as_json: bool = JsonOption) -> None:
    """A member's points, tier, progress to the next tier and points about to expire."""
    result = _run(ctx, as_json, lambda c: c.member(code))
    nxt = (f", {result['points_to_next']} to {result['next_tier']}" if result.get("next_tier")
           else "")
    for e in result["expiring"]:
        e["when"] = iso(e["at"])  # `at` stays the Unix time; `when` is ISO 8601 with zone
    soon = "; ".join(f"{e['points']} expire at {e['when']}" for e in result["expiring"][:3])
    emit(result, as_json, f"{result['code']}: {result['points']} points, tier "
                          f"{result['tier'] or '-'}{nxt}" + (f" ({soon})" if soon else ""))


@app.command("expire-points")
def expire_points(ctx: typer.Context, as_json: bool = JsonOption) -> None:
    """Record `expire` events for every member's lapsed points now."""
    result = _run(ctx, as_json, lambda c: c.expire_points())
    emit(result, as_json, f"expired {result['points']} points of {result['members']} members")


@app.command("create-staff")
def create_staff(ctx: typer.Context, store: str = typer.Option(..., "--store"),
                 name: str = typer.Option(..., "--name"),
                 role: str = typer.Option(..., "--role", help="cashier or manager"),
                 pin: str = typer.Option(..., "--pin", help="4 to 8 digits (a manager's: 6 to 8); "
                                                            "central keeps only its argon2 hash"),
                 as_json: bool = JsonOption) -> None:
    """A cashier or manager who can log in at STORE's terminals (also offline)."""
    result = _run(ctx, as_json, lambda c: c.create_staff(store, name, role, pin))
    emit(result, as_json, f"{result['id']}: {result['name']} ({result['role']}) at "
                          f"{result['store']}")


@app.command("create-user")
def create_user(ctx: typer.Context, username: str = typer.Option(..., "--username"),
                name: str = typer.Option(..., "--name"),
                role: str = typer.Option(..., "--role",
                                         help="admin, marketer, support or auditor"),
                password: str = typer.Option(..., "--password", prompt=True,
                                             hide_input=True, confirmation_prompt=True,
                                             envvar="WALLETPOS_OFFICE_PASSWORD",
                                             help="At least 12 characters (prompted when "
                                                  "left out); central keeps only its "
                                                  "argon2 hash"),
                language: str = typer.Option("", "--language",
                                             help="en or ja (default: the browser's)"),
                as_json: bool = JsonOption) -> None:
    """A person who signs in to the head-office console at /office."""
    result = _run(ctx, as_json, lambda c: c.create_user(username, name, role, password,
                                                        language))
    emit(result, as_json, f"{result['username']} ({result['role']}): sign in at "
                          f"{ctx.obj['central'].rstrip('/')}/office")


def _amounts(row: dict[str, Any], fields: tuple[str, ...]) -> str:
    return ", ".join(f"{f} {row[f]}" for f in fields)


@app.command("liability")
def liability(ctx: typer.Context,
              as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: "
                                                                     "today, UTC)"),
              as_json: bool = JsonOption) -> None:
    """Gift-card liability per program and currency at the end of a day, from the ledger:
    issued + loaded - redeemed - expired - voided = outstanding."""
    result = _run(ctx, as_json, lambda c: c.liability(as_of))
    fields = ("issued", "loaded", "redeemed", "expired", "voided", "outstanding")
    emit(result, as_json, "\n".join(
        [f"as of {result['as_of']}"] + [f"{p['program']} {p['currency']}: {_amounts(p, fields)}"
                                        for p in result["programs"]]))


@app.command("points-liability")
def points_liability(ctx: typer.Context,
                     as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD"),
                     as_json: bool = JsonOption) -> None:
    """Points outstanding per loyalty program at the end of a day (earned - burned - expired)."""
    result = _run(ctx, as_json, lambda c: c.points_liability(as_of))
    fields = ("earned", "burned", "expired", "outstanding")
    emit(result, as_json, "\n".join(
        [f"as of {result['as_of']}"] + [f"{p['program']}: {_amounts(p, fields)}"
                                        for p in result["programs"]]))


@app.command("trigger-results")
def trigger_results(ctx: typer.Context,
                    trigger: Annotated[str, typer.Argument(help="Trigger id (program file)")],
                    as_json: bool = JsonOption) -> None:
    """A trigger's reach, redemptions and revenue per A/B group, with 95% intervals."""
    result = _run(ctx, as_json, lambda c: c.trigger_results(trigger))
    lines = [f"{result['trigger']} ({result['currency']})"]
    for v in result["variants"]:
        rate = v["redemption_rate_ci95"]
        per = v["revenue_per_customer_ci95"]
        lines.append(
            f"  {v['variant']}: reached {v['reached']}, redeemed {v['redeemed']}/{v['cards']}"
            + (f" ({rate[0]:.0%}-{rate[1]:.0%})" if rate else "")
            + f", revenue {v['revenue']}"
            + (f", per customer {v['revenue_per_customer']} ({per[0]}-{per[1]})" if per
               else ""))
    emit(result, as_json, "\n".join(lines))
