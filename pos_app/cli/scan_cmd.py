"""`walletpos scan`: the support tool for "my card does not scan".

`walletpos scan IMAGE... [--json]` decodes image files with the counter's own pipeline (plus
the slow fallback decoder, since a file has no frame budget) and says, per file, what each code
holds and what it parses to — or why it is refused. `walletpos scan --camera N` prints payloads
live from a camera to check a counter's hardware; Ctrl-C stops it.

Parsing uses the demo programs' code patterns (GC/SC/WV cards, LM members) and knows no issuer
keys, so a WP1 credential is refused as unverifiable, with a hint saying so (the card may well
be genuine) — unless `--home` points at an enrolled terminal, whose programs and central key
are used instead. A file that is missing or not an image is reported and the command exits 2
(after the other files' results); a `--home` that holds no terminal is an error (exit 2).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.errors import InvalidInput, WalletError
from core.payload import Identifier, parse_payload
from core.programs import parse_programs
from pos_app.cli.output import emit, fail, fail_from

DEMO_PROGRAMS = Path(__file__).resolve().parents[2] / "resources" / "demo" / "programs.yaml"
log = logging.getLogger(__name__)
UNKNOWN_ISSUER = ("a walletpos card credential from an issuer this scan does not know (no --home "
                  "given, so no head-office key): it may well be genuine; give --home DIR of an "
                  "enrolled terminal to check it against that store's key")
OTHER_ISSUER = ("signed by a key that is not this terminal's head office: a card of another "
                "store or system, or a forgery")


@dataclass
class ParseContext:
    code_patterns: list[str] = field(default_factory=list)
    member_patterns: list[str] = field(default_factory=list)
    issuer_keys: dict[str, Ed25519PublicKey] = field(default_factory=dict)
    url_hosts: list[str] = field(default_factory=list)

    def parse(self, text: str) -> dict[str, Any]:
        try:
            ident = parse_payload(text, code_patterns=self.code_patterns,
                                  member_patterns=self.member_patterns,
                                  issuer_keys=self.issuer_keys, url_hosts=self.url_hosts)
        except InvalidInput as exc:
            refused = {"reason": exc.reason, "message": exc.message}
            if "unknown key" in exc.message:
                refused["hint"] = OTHER_ISSUER if self.issuer_keys else UNKNOWN_ISSUER
            return {"refused": refused}
        return {"parsed": _identifier_json(ident)}


def _identifier_json(ident: Identifier) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": ident.kind, "code": ident.code}
    cred = ident.credential
    if cred is not None:
        out.update(key_id=cred.key_id, card_kind=cred.kind, currency=cred.currency,
                   issued=cred.issued, expiry=cred.expiry)
    return out


def _patterns_from(definitions: list[dict[str, Any]], ctx: ParseContext) -> None:
    for d in definitions:
        if isinstance(d.get("code_pattern"), str):
            ctx.code_patterns.append(d["code_pattern"])
        if isinstance(d.get("member_code_pattern"), str):
            ctx.member_patterns.append(d["member_code_pattern"])


def parse_context(home: Path | None, url_hosts: list[str]) -> ParseContext:
    """Generic demo patterns, or an enrolled terminal's programs and central key."""
    ctx = ParseContext(url_hosts=list(url_hosts))
    if home is not None:
        if not (home / "terminal.db").is_file():
            raise InvalidInput(f"{home} holds no terminal: check --home", reason="not_enrolled")
        _load_terminal(home, ctx)
    if not ctx.code_patterns and not ctx.member_patterns:
        programs = parse_programs(DEMO_PROGRAMS.read_text(encoding="utf-8"),
                                  filename=DEMO_PROGRAMS.name)
        _patterns_from([p.raw for p in programs.programs], ctx)
    return ctx


def _load_terminal(home: Path, ctx: ParseContext) -> None:
    # Optional: the terminal store is another package; the scan tool works without it.
    try:
        from pos_app.terminal.service import TerminalService

        with TerminalService(home) as terminal:
            identity = terminal.identity()
            cards, members = terminal.code_patterns()
    except Exception as exc:  # not enrolled, no such home, store API changed
        sys.stderr.write(f"note: terminal home {home} not used ({exc}); "
                         "using the demo code patterns and no issuer keys\n")
        return
    ctx.issuer_keys[identity.central_key_id] = identity.central_key
    ctx.code_patterns.extend(cards)
    ctx.member_patterns.extend(members)
    host = (identity.central_url.split("://", 1)[-1].split("/", 1)[0]).split(":", 1)[0]
    if host and host not in ctx.url_hosts:
        ctx.url_hosts.append(host)


def _scan_files(images: list[Path], ctx: ParseContext, decoder: str) -> list[dict[str, Any]]:
    # Imported here: OpenCV and the decoders cost start-up time the other commands should not pay.
    import cv2

    from pos_app.scanner import ScanPipeline

    pipeline = ScanPipeline(decoder)
    results = []
    for path in images:
        entry: dict[str, Any] = {"file": str(path), "payloads": []}
        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED) if path.is_file() else None
        if image is None:
            entry["error"] = {"reason": "unreadable_image",
                              "message": "not a readable image file" if path.exists()
                              else "no such file"}
        else:
            for d in pipeline.decode_image(image):
                item = {"text": d.text, **ctx.parse(d.text),
                        "corners": [[round(x, 1), round(y, 1)] for x, y in d.corners],
                        "decoder": d.decoder}
                entry["payloads"].append(item)
        results.append(entry)
    return results


def _human_payload(item: dict[str, Any]) -> str:
    if "parsed" in item:
        p = item["parsed"]
        return f"  {item['text']!r} -> {p['kind']} {p['code']}"
    r = item["refused"]
    hint = f"\n      {r['hint']}" if r.get("hint") else ""
    return f"  {item['text']!r} -> refused: {r['reason']} ({r['message']}){hint}"


def _human(results: list[dict[str, Any]]) -> str:
    lines = []
    for entry in results:
        if "error" in entry:
            lines.append(f"{entry['file']}: {entry['error']['message']}")
        elif not entry["payloads"]:
            lines.append(f"{entry['file']}: no QR code found")
        else:
            lines.append(f"{entry['file']}:")
            lines.extend(_human_payload(item) for item in entry["payloads"])
    return "\n".join(lines)


def _scan_camera(device: str, ctx: ParseContext, decoder: str, as_json: bool) -> None:
    from pos_app.scanner import FrameSource, ScanEvent, ScanLoop, ScanPipeline, SourceStatus

    def on_status(status: SourceStatus) -> None:
        sys.stderr.write(f"[{status.state.value}] {status.message}\n")

    def on_scan(event: ScanEvent) -> None:
        item = {"text": event.text, **ctx.parse(event.text), "frame": event.frame_index,
                "decoder": event.decoder}
        emit(item, as_json, _human_payload(item).strip())

    source = FrameSource(int(device) if device.isdigit() else device, on_status=on_status)
    loop = ScanLoop(source, ScanPipeline(decoder), on_scan=on_scan)
    sys.stderr.write("scanning; Ctrl-C to stop\n")
    loop.start()
    try:
        while not loop.join(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        loop.stop()


def scan(
    images: Annotated[list[Path] | None, typer.Argument(
        help="Image files to decode.", show_default=False)] = None,
    camera: Annotated[str | None, typer.Option(
        "--camera", help="Camera index or device path: print payloads live.")] = None,
    home: Annotated[Path | None, typer.Option(
        "--home", help="Terminal home: use its programs and issuer key.")] = None,
    url_host: Annotated[list[str] | None, typer.Option(
        "--url-host", help="Host whose https links carry our codes (repeatable).")] = None,
    decoder: Annotated[str, typer.Option(
        "--decoder", help="Primary decoder: zxing, pyzbar or opencv.")] = "zxing",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    if not images and camera is None:
        fail("usage", "give image files or --camera N", as_json)
    if images and camera is not None:
        fail("usage", "give image files or --camera, not both", as_json)
    try:
        ctx = parse_context(home, url_host or [])
        if camera is not None:
            _scan_camera(camera, ctx, decoder, as_json)
            return
        results = _scan_files(list(images or []), ctx, decoder)
    except WalletError as exc:
        fail_from(exc, as_json)
    emit({"results": results}, as_json, _human(results))
    if any("error" in entry for entry in results):
        raise typer.Exit(2)  # a missing or unreadable file is an input error
