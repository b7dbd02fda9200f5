"""Who is calling: a terminal that signed its request (RFC 9421, `wallet_sync.httpsig`) or head
office with an admin API key (`auth.check_bearer`). Both are FastAPI dependencies, so a route
names its caller in its signature (`Signed`, `AdminKey`) and never checks one by hand; a caller
that fails is refused (Unauthenticated, Forbidden) like any other refusal.

A signature covers the raw body, so a signed route reads its input from `SignedCall.body`
(`inputs.parse_body`) instead of letting FastAPI parse it first. It also covers the terminal's
journal head (`Wallet-Head`): `Signed` holds the terminal to it before the route runs
(`central.heads`; a fork is refused 403 `quarantined`), `SignedSync` leaves that to the push
and the pull, which do it inside their own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from httpx import Headers
from starlette.concurrency import run_in_threadpool

from core.keys import public_from_bytes
from wallet_sync.central import auth, heads, terminal_flags
from wallet_sync.central.db import Database
from wallet_sync.central.errors import Forbidden, Unauthenticated
from wallet_sync.central.routes.state import CentralState
from wallet_sync.central.tables import Terminal
from wallet_sync.httpsig import SignableMessage, SignatureRejected, verify_signed
from wallet_sync.protocol import parse_user_agent


@dataclass(frozen=True)
class SignedCall:
    """A verified request from an active terminal."""

    terminal: str
    public_key: bytes  # the terminal's raw Ed25519 key as enrolled (the journal checks with it)
    body: bytes
    head: heads.Head | None = None  # the journal head the signature covers
    row: Terminal | None = field(default=None, compare=False, repr=False)  # as verified
    software: str | None = None  # the version its User-Agent names (unsigned: shown only)


@lru_cache(maxsize=8192)
def terminal_key(raw: bytes) -> Ed25519PublicKey:
    """The key object for an enrolled key's bytes (keyed by the bytes, so a terminal whose key
    changed simply gets its new key's object)."""
    return public_from_bytes(raw)


def verify_terminal(db: Database, message: SignableMessage) -> tuple[Terminal, heads.Head | None]:
    """The active terminal whose key signed `message`, and the head it reported."""
    seen: dict[str, Terminal | None] = {}

    def lookup(key_id: str) -> Ed25519PublicKey | None:
        # Read fresh on every request (one autocommit SELECT, `Database.lookup`): its status
        # and head decide whether the request runs at all, in whichever process serves it.
        with db.lookup() as session:
            row = session.get(Terminal, key_id) if len(key_id) <= 16 else None
        seen[key_id] = row
        return terminal_key(row.public_key) if row is not None else None

    try:
        verified = verify_signed(message, lookup)
    except SignatureRejected as exc:
        if seen and all(row is None for row in seen.values()):
            raise Forbidden("unknown_terminal", "this terminal is not enrolled") from exc
        raise Unauthenticated("bad_request_signature", str(exc)[:200]) from exc
    terminal_id = verified.key_id
    row = seen.get(terminal_id)
    if row is None:
        raise Forbidden("unknown_terminal", "this terminal is not enrolled")
    if row.status != "active":
        heads.note_refused(db, row, verified.head)
        raise terminal_flags.refused(terminal_id, row.status, row.status_reason)
    return row, heads.Head.parse(verified.head)


# Named as parameters only so the OpenAPI entry of a signed route shows what it reads (and a
# fuzzer tries hostile values in them); the verifier reads them from the raw request.
SignatureHeader = Annotated[str | None, Header(alias="Signature",
                                               description="RFC 9421 signature")]
SignatureInput = Annotated[str | None, Header(alias="Signature-Input",
                                              description="RFC 9421 covered components")]
ContentDigest = Annotated[str | None, Header(alias="Content-Digest",
                                             description="RFC 9530 digest of the body")]
bearer = HTTPBearer(auto_error=False, description="a head-office admin API key")


async def _verified(request: Request, central: CentralState, *, hold_head: bool) -> SignedCall:
    body = await request.body()
    message = SignableMessage(request.method, str(request.url),
                              Headers(list(request.headers.items())), body)
    row, head = await run_in_threadpool(verify_terminal, central.db, message)
    if hold_head and not heads.honest(row, head):
        await run_in_threadpool(heads.check, central.db, row, head, central.now())
    return SignedCall(row.id, row.public_key, body, head, row,
                      parse_user_agent(request.headers.get("user-agent")))


async def signed_terminal(request: Request, central: CentralState,
                          _signature: SignatureHeader = None,
                          _signature_input: SignatureInput = None,
                          _content_digest: ContentDigest = None) -> SignedCall:
    return await _verified(request, central, hold_head=True)


async def signed_sync(request: Request, central: CentralState,
                      _signature: SignatureHeader = None,
                      _signature_input: SignatureInput = None,
                      _content_digest: ContentDigest = None) -> SignedCall:
    return await _verified(request, central, hold_head=False)


def admin_key(request: Request, central: CentralState,
              _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None) -> int:
    """The admin key's row id (routes record it as the actor `api_key:<id>`); `bearer` only
    puts the scheme in the OpenAPI document, `auth.check_bearer` decides."""
    with central.db.read() as session:
        return auth.check_bearer(session, request.headers.get("authorization"))


Signed = Annotated[SignedCall, Depends(signed_terminal)]
SignedSync = Annotated[SignedCall, Depends(signed_sync)]
AdminKey = Annotated[int, Depends(admin_key)]
# What checking each caller may refuse with, for a route's `responses=` (`http_errors.refusals`).
SIGNED_REFUSALS = (Unauthenticated, Forbidden)
ADMIN_REFUSALS = (Unauthenticated, Forbidden)
