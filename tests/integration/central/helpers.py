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
    """A terminal as central sees it: enrolled key, gap-free seq, hash chain."""

    def __init__(self, http: httpx.Client, store: str = "S1") -> None:
        self.http = http
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
              currency: str | None = "EUR", auth: str | None = None, **extra: Any
              ) -> SignedEntry:
        self.seq += 1
        body = EntryBody(terminal=self.id, seq=self.seq, prev_hash=self.prev,
                         wall_ms=int(time.time() * 1000), mono=self.seq, op=op, amount=amount,
                         currency=currency, card=card, program="gift-eur", program_version=1,
                         auth=auth, offline=auth is None,
                         extra={"request_id": secrets.token_hex(8)}, **extra)
        signed = sign_entry(body, self.key)
        self.prev = signed.hash
        return signed

    def request(self, method: str, path: str, payload: Any = None,
                params: dict[str, Any] | None = None, raw: bytes | None = None,
                key_id: str | None = None, http: httpx.Client | None = None
                ) -> httpx.Response:
        http = http or self.http
        body = raw if raw is not None else (
            json.dumps(payload).encode() if payload is not None else b"")
        url = str(http.base_url).rstrip("/") + path
        if params:
            url += "?" + urlencode(params)
        headers = httpx.Headers({"content-type": "application/json"} if body else {})
        message = SignableMessage(method, url, headers, body)
        sign_request(message, key_id or self.id, self.key)
        headers = httpx.Headers(message.headers)
        headers["Authorization"] = ""  # terminals never send the admin key
        return http.request(method, url, content=body, headers=headers)

    def push(self, entries: list[SignedEntry], http: httpx.Client | None = None
             ) -> httpx.Response:
        return self.request("POST", "/v1/journal", wire(self.id, entries), http=http)

    def authorize(self, card: str, amount: str, request_id: str | None = None,
                  currency: str = "EUR") -> httpx.Response:
        return self.request("POST", "/v1/authorize", {
            "request_id": request_id or secrets.token_hex(8), "card": card,
            "amount": amount, "currency": currency})

    def changes(self, cursor: int = 0, limit: int = 1000) -> httpx.Response:
        return self.request("GET", "/v1/changes", params={"cursor": cursor, "limit": limit})


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
