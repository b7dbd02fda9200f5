"""A small in-memory central speaking the /v1 protocol through httpx.MockTransport, for unit
tests of the terminal side that must not depend on the real central (those live in
tests/integration/terminal). It verifies RFC 9421 signatures and entry chains the way
PROTOCOL.md says, and can inject faults: down, 500, timeout before or after processing."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from core.codes import generate_code
from core.journal import GENESIS_HASH, SignedEntry
from core.keys import b64, new_private_key, public_bytes, public_from_bytes, unb64
from core.money import format_minor, parse_minor
from core.programs import parse_programs
from wallet_sync.httpsig import SignableMessage, SignatureRejected, verify_request
from wallet_sync.protocol import (
    AuthorizeRequest,
    Change,
    ChangePage,
    PushRequest,
    SignedChangePage,
    authorization_message,
    canonical_json,
    program_message,
)

PROGRAMS = Path("/work/shared/examples/programs.yaml")


@dataclass
class FakeCentral:
    key: Any = field(default_factory=new_private_key)
    codes: set[str] = field(default_factory=set)
    terminals: dict[str, bytes] = field(default_factory=dict)
    last: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    programs: dict[str, dict[str, Any]] = field(default_factory=dict)
    holds: dict[str, dict[str, Any]] = field(default_factory=dict)
    auths: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    stored: list[SignedEntry] = field(default_factory=list)
    counter: int = 0
    down: bool = False
    faults: list[str] = field(default_factory=list)  # "500", "timeout", "drop" (after commit)
    forge_authorizations: bool = False  # sign approvals with a key that is not central's
    calls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for program in parse_programs(PROGRAMS.read_text()).programs:
            self.counter += 1
            self.programs[program.id] = {"id": program.id, "version": 1,
                                         "definition": program.raw, "change_seq": self.counter}

    # ---- admin -----------------------------------------------------------------------------

    def enroll_code(self) -> str:
        code = secrets.token_hex(4).upper()
        self.codes.add(code)
        return code

    def issue(self, program: str, value: str = "50.00", state: str = "active",
              expires_at: int | None = None) -> str:
        definition = self.programs[program]["definition"]
        code = generate_code(definition["code_pattern"])
        self.counter += 1
        self.cards[code] = {"code": code, "program": program,
                            "currency": definition["currency"], "state": state,
                            "balance_minor": parse_minor(value, definition["currency"],
                                                         allow_zero=True),
                            "expires_at": expires_at, "change_seq": self.counter}
        return code

    def touch(self, code: str) -> None:
        self.counter += 1
        self.cards[code]["change_seq"] = self.counter

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # ---- protocol --------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request.url.path)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        fault = self.faults.pop(0) if self.faults else None
        if fault == "500":
            return httpx.Response(500, json={"error": "internal", "message": "boom"})
        if fault == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        response = self._route(request)
        if fault == "drop":
            raise httpx.ReadError("connection reset after commit", request=request)
        return response

    def _route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = request.read()
        if path == "/v1/enroll":
            data = json.loads(body)
            if data["code"] not in self.codes:
                return httpx.Response(403, json={"error": "bad_code", "message": "no"})
            self.codes.discard(data["code"])
            tid = f"T-{secrets.token_hex(4).upper()}"
            self.terminals[tid] = unb64(data["public_key"])
            return httpx.Response(200, json={"terminal_id": tid, "store": "S1",
                                             "central_public_key": b64(public_bytes(self.key)),
                                             "config": {"authorize_timeout_s": 1.5,
                                                        "push_batch": 3, "pull_page": 2}})
        message = SignableMessage(request.method, str(request.url), request.headers, body)
        try:
            tid = verify_request(message, lambda k: public_from_bytes(self.terminals[k])
                                 if k in self.terminals else None)
        except SignatureRejected as exc:
            return httpx.Response(401, json={"error": "bad_request_signature",
                                             "message": str(exc)})
        if path == "/v1/authorize":
            return self._authorize(tid, AuthorizeRequest.model_validate_json(body))
        if path == "/v1/journal":
            return self._push(tid, PushRequest.model_validate_json(body))
        if path == "/v1/changes":
            return self._changes(tid, int(request.url.params["cursor"]),
                                 int(request.url.params["limit"]))
        return httpx.Response(404, json={"error": "not_found"})

    def _authorize(self, tid: str, req: AuthorizeRequest) -> httpx.Response:
        key = (tid, req.request_id)
        if key not in self.auths:
            card = self.cards.get(req.card)
            held = sum(h["amount"] for h in self.holds.values() if h["card"] == req.card)
            amount = parse_minor(req.amount, req.currency)
            reason = None
            if card is None:
                reason = "unknown_card"
            elif card["state"] != "active":
                reason = f"card_{card['state']}"
            elif card["balance_minor"] - held < amount:
                reason = "insufficient_funds"
            if reason:
                self.auths[key] = {"status": "declined", "reason": reason}
            else:
                auth_id = "A-" + secrets.token_hex(6)
                self.holds[auth_id] = {"card": req.card, "amount": amount, "terminal": tid}
                expires = int(time.time()) + 600
                message = authorization_message(auth_id, tid, req.card, amount, req.currency,
                                                expires)
                self.auths[key] = {"status": "approved", "auth_id": auth_id,
                                   "balance": format_minor(card["balance_minor"] - held - amount,
                                                           req.currency),
                                   "currency": req.currency, "expires_at": expires,
                                   "signature": b64((new_private_key()
                                                     if self.forge_authorizations
                                                     else self.key).sign(message))}
        return httpx.Response(200, json=self.auths[key])

    def _push(self, tid: str, req: PushRequest) -> httpx.Response:
        last_seq, last_hash = self.last.get(tid, (0, GENESIS_HASH))
        pub = public_from_bytes(self.terminals[tid])
        entries = [SignedEntry.from_wire(unb64(e.data), unb64(e.sig)) for e in req.entries]
        known = {e.seq: e for e in self.stored if e.body.terminal == tid}
        results = []
        new = [e for e in entries if e.seq > last_seq]
        for e in entries:
            if e.seq <= last_seq:
                if known[e.seq].hash != e.hash:
                    return httpx.Response(403, json={"error": "quarantined"})
                results.append({"seq": e.seq, "status": "applied"})
        if new and new[0].seq != last_seq + 1:
            return httpx.Response(409, json={"error": "gap", "expected_seq": last_seq + 1})
        prev = last_hash
        for e in new:
            if not e.verify(pub):
                return httpx.Response(422, json={"error": "bad_signature"})
            if e.body.prev_hash != prev:
                return httpx.Response(422, json={"error": "broken_chain"})
            prev = e.hash
        for e in new:
            self.stored.append(e)
            card = self.cards.get(e.body.card or "")
            status = "applied"
            if card is None:
                status = "conflict"
            else:
                self.holds.pop(e.body.auth or "", None)
                card["balance_minor"] -= e.body.amount
                if card["balance_minor"] < 0:
                    card["state"], status = "blocked", "conflict"
                self.touch(card["code"])
            results.append({"seq": e.seq, "status": status})
            self.last[tid] = (e.seq, e.hash)
        return httpx.Response(200, json={"acked": self.last.get(tid, (0,))[0],
                                         "results": results})

    def _changes(self, tid: str, cursor: int, limit: int) -> httpx.Response:
        items: list[Change] = []
        for program in self.programs.values():
            data = {k: program[k] for k in ("id", "version", "definition")}
            data["signature"] = b64(self.key.sign(program_message(
                program["id"], program["version"], program["definition"])))
            items.append(Change(change_seq=program["change_seq"], kind="program",
                                key=program["id"], data=data))
        for card in self.cards.values():
            data = {k: card[k] for k in ("code", "program", "currency", "state",
                                         "balance_minor", "expires_at")}
            data["balance"] = format_minor(card["balance_minor"], card["currency"])
            items.append(Change(change_seq=card["change_seq"], kind="card", key=card["code"],
                                data=data))
        items = sorted((c for c in items if c.change_seq > cursor), key=lambda c: c.change_seq)
        page_items = items[:limit]
        page = ChangePage(cursor_from=cursor,
                          cursor=page_items[-1].change_seq if page_items else cursor,
                          more=len(items) > limit, acked_seq=self.last.get(tid, (0,))[0],
                          server_time=int(time.time()), changes=page_items)
        signed = SignedChangePage(page=page,
                                  signature=b64(self.key.sign(canonical_json(page))))
        return httpx.Response(200, json=signed.model_dump(mode="json"))

    def redeemed(self) -> list[tuple[int, str, int]]:
        return [(e.seq, e.body.card or "", e.body.amount) for e in self.stored]
