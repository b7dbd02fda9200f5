"""Test helpers for central: a controllable clock, a loopback uvicorn server in a thread, a
simulated terminal that enrolls, signs journal entries (core.journal.sign_entry) and signs its
requests (wallet_sync.httpsig.sign_request), and direct database counts."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import func, select

from core.journal import GENESIS_HASH, EntryBody, SignedEntry, sign_entry
from core.keys import b64, new_private_key, public_bytes
from wallet_sync.central.db import Database
from wallet_sync.central.embedded import EmbeddedCentral
from wallet_sync.httpsig import SignableMessage, sign_request
from wallet_sync.protocol import HEAD_HEADER, head_header

# shared/ sits beside the repository checkout (locally and in CI).
_REPO = Path(__file__).resolve().parents[3]
EXAMPLE_PROGRAMS = str(next(
    (p for p in (_REPO.parent / "shared" / "examples" / "programs.yaml",
                 Path("/work/shared/examples/programs.yaml")) if p.exists()),
    _REPO.parent / "shared" / "examples" / "programs.yaml"))


@dataclass
class Env:
    db_url: str
    admin_key: str
    key_id: str


class Clock:
    """Central's clock for a test: real time plus an offset the test can advance."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


# The real central under uvicorn on a loopback port (start it with `.start()`).
LiveServer = EmbeddedCentral


def load_example_programs(http: httpx.Client) -> None:
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        resp = http.post("/v1/admin/programs", json={"source": f.read(), "format": "yaml"})
    assert resp.status_code == 200, resp.text


def issue(http: httpx.Client, program: str = "gift-eur", count: int = 1,
          value: str | None = "50.00", activate: bool = True) -> list[str]:
    resp = http.post("/v1/admin/cards", json={"program": program, "count": count,
                                              "value": value, "activate": activate})
    assert resp.status_code == 200, resp.text
    return [card["code"] for card in resp.json()["cards"]]


def card(http: httpx.Client, code: str) -> dict[str, Any]:
    resp = http.get(f"/v1/admin/cards/{code}")
    assert resp.status_code == 200, resp.text
    return resp.json()


class Term:
    """A terminal as central sees it: enrolled key, gap-free seq, hash chain. Its redeems are
    authorized online by default, as an honest terminal's are when central answers: `entry`
    asks for a hold and names it (`offline=True` makes an offline spend instead, which central
    re-checks against the program's offline policy)."""

    def __init__(self, http: httpx.Client, store: str = "S1") -> None:
        self.http = http
        self.store = store
        self._manager: str | None = None
        code = http.post("/v1/admin/enroll-codes", json={"store": store}).json()["code"]
        self.key = new_private_key()
        resp = http.post("/v1/enroll", headers={"Authorization": ""},
                         json={"code": code, "public_key": b64(public_bytes(self.key))})
        assert resp.status_code == 200, resp.text
        self.enrolled = resp.json()
        self.id: str = self.enrolled["terminal_id"]
        self.seq = 0
        self.prev = GENESIS_HASH

    def entry(self, op: str = "redeem", card: str | None = None, amount: int = 0,
              currency: str | None = "EUR", auth: str | None = None,
              offline: bool | None = None, program: str = "gift-eur",
              wall_ms: int | None = None, data: dict[str, Any] | None = None, **fields: Any
              ) -> SignedEntry:
        """The next entry; FIELDS are the body's (staff, grant, ref), DATA goes in `extra`."""
        if op == "redeem" and auth is None and offline is None and "grant" not in fields \
                and card is not None:
            auth = self.hold(card, amount, currency or "EUR")
        self.seq += 1
        body = EntryBody(terminal=self.id, seq=self.seq, prev_hash=self.prev,
                         wall_ms=int(time.time() * 1000) if wall_ms is None else wall_ms,
                         mono=self.seq, op=op, amount=amount,
                         currency=currency, card=card, program=program, program_version=1,
                         auth=auth, offline=(auth is None) if offline is None else offline,
                         extra={"request_id": secrets.token_hex(8), **(data or {})}, **fields)
        signed = sign_entry(body, self.key)
        self.prev = signed.hash
        return signed

    def hold(self, card: str, amount: int, currency: str = "EUR") -> str | None:
        """An online authorization of AMOUNT (minor units) on CARD: its auth id, or None
        when central declines (the spend would then be offline)."""
        if amount <= 0:
            return None
        resp = self.authorize(card, f"{amount // 100}.{amount % 100:02d}", currency=currency)
        answer = resp.json()
        return answer.get("auth_id") if answer.get("status") == "approved" else None

    def manager(self) -> str:
        """A manager of this terminal's store (made once, through the admin API)."""
        if self._manager is None:
            resp = self.http.post("/v1/admin/staff", json={
                "store": self.store, "name": "Manager", "role": "manager", "pin": "432100"})
            assert resp.status_code == 200, resp.text
            self._manager = str(resp.json()["id"])
        return self._manager

    def authority(self, op: str, card: str, amount: int = 0, currency: str | None = "EUR",
                  staff: str | None = None, transfer_from: str | None = None) -> str:
        """Central's value authorization for one activate/load (minor units) or points
        adjust; asserts it is approved."""
        text = str(amount) if currency is None else f"{amount // 100}.{amount % 100:02d}"
        resp = self.request("POST", "/v1/authorize-value", {
            "request_id": secrets.token_hex(8), "op": op, "card": card, "amount": text,
            "currency": currency, "staff": staff or self.manager(),
            "transfer_from": transfer_from})
        assert resp.status_code == 200 and resp.json()["status"] == "approved", resp.text
        return str(resp.json()["auth_id"])

    def value_entry(self, op: str, card: str, amount: int = 0, currency: str = "EUR",
                    **extra: Any) -> SignedEntry:
        """An activate or load as an honest terminal journals it: authorized by central first,
        approved by a manager of the store."""
        auth = self.authority(op, card, amount, currency)
        return self.entry(op, card=card, amount=amount, currency=currency, auth=auth,
                          offline=False, staff=self.manager(), **extra)

    def request(self, method: str, path: str, payload: Any = None,
                params: dict[str, Any] | None = None, raw: bytes | None = None,
                key_id: str | None = None, http: httpx.Client | None = None,
                head: tuple[int, bytes] | None = None) -> httpx.Response:
        """A request signed with the terminal's key; HEAD is the journal head it reports
        (`Wallet-Head`, signed too), as a real terminal does on every request."""
        http = http or self.http
        body = raw if raw is not None else (
            json.dumps(payload).encode() if payload is not None else b"")
        url = str(http.base_url).rstrip("/") + path
        if params:
            url += "?" + urlencode(params)
        headers = httpx.Headers({"content-type": "application/json"} if body else {})
        if head is not None:
            headers[HEAD_HEADER] = head_header(*head)
        message = SignableMessage(method, url, headers, body)
        sign_request(message, key_id or self.id, self.key)
        headers = httpx.Headers(message.headers)
        headers["Authorization"] = ""  # terminals never send the admin key
        return http.request(method, url, content=body, headers=headers)

    def push(self, entries: list[SignedEntry], http: httpx.Client | None = None,
             head: tuple[int, bytes] | None = None) -> httpx.Response:
        return self.request("POST", "/v1/journal", wire(self.id, entries), http=http,
                            head=head)

    def authorize(self, card: str, amount: str, request_id: str | None = None,
                  currency: str = "EUR") -> httpx.Response:
        return self.request("POST", "/v1/authorize", {
            "request_id": request_id or secrets.token_hex(8), "card": card,
            "amount": amount, "currency": currency})

    def changes(self, cursor: int = 0, limit: int = 1000) -> httpx.Response:
        return self.request("GET", "/v1/changes", params={"cursor": cursor, "limit": limit})

    def synced(self) -> httpx.Response:
        """A sync's first page with everything pushed: central's floor mark (the start of the
        next outage) moves here, as when a real terminal syncs."""
        resp = self.request("GET", "/v1/changes",
                            params={"cursor": 0, "limit": 1000, "head": self.seq})
        assert resp.status_code == 200, resp.text
        return resp


def wire(terminal: str, entries: list[SignedEntry]) -> dict[str, Any]:
    return {"terminal": terminal,
            "entries": [{"data": b64(e.data), "sig": b64(e.signature)} for e in entries]}


def count(db_url: str, model: Any, *where: Any) -> int:
    db = Database(db_url)
    try:
        with db.read() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)))
    finally:
        db.dispose()


def table_counts(db_url: str) -> dict[str, int]:
    from wallet_sync.central import tables as models

    tables = [models.Entry, models.CardEvent, models.Card, models.Conflict, models.Hold,
              models.Receivable, models.Terminal, models.EnrollCode, models.Program,
              models.Authorization, models.ForkedEntry, models.CardLot, models.StoreRow]
    result = {m.__tablename__: count(db_url, m) for m in tables}
    db = Database(db_url)
    try:
        with db.read() as session:
            result["counter"] = int(session.scalar(select(models.Counter.value)))
            result["last_seqs"] = sum(session.scalars(select(models.Terminal.last_seq)))
    finally:
        db.dispose()
    return result
