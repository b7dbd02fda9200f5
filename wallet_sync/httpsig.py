"""RFC 9421 HTTP Message Signatures for terminal requests, through `http-message-signatures`.

A terminal signs method, path, query and a Content-Digest of the body with its Ed25519 key,
and its journal head (`Wallet-Head`) when it sends one; the key id is the terminal id. Central
resolves the key from its terminal table and rejects signatures older than `MAX_AGE` (replay
window). Both ends use the same small message type so httpx requests and Starlette requests go
through one code path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import (
    HTTPMessageSignaturesException,
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    algorithms,
)
from httpx import Headers

COVERED = ("@method", "@path", "@query", "content-digest")
HEAD = "wallet-head"  # covered too when present: central records the head it carries
MAX_AGE = dt.timedelta(minutes=5)


class SignatureRejected(Exception):
    """The request's signature is missing, stale, malformed or does not verify."""


@dataclass(frozen=True)
class Verified:
    """A verified request: the key id (terminal id), the signed `Wallet-Head` value (None when
    the request carried none) and the signature's `created` time (the terminal's clock)."""

    key_id: str
    head: str | None
    created: int


@dataclass
class SignableMessage:
    method: str
    url: str
    headers: MutableMapping[str, str] = field(default_factory=Headers)
    body: bytes = b""


class _Keys(HTTPSignatureKeyResolver):
    def __init__(self, private: Ed25519PrivateKey | None = None,
                 lookup: Callable[[str], Ed25519PublicKey | None] | None = None) -> None:
        self._private = private
        self._lookup = lookup

    def resolve_private_key(self, key_id: str) -> Ed25519PrivateKey:
        assert self._private is not None
        return self._private

    def resolve_public_key(self, key_id: str) -> Ed25519PublicKey | None:
        return self._lookup(key_id) if self._lookup else None


def sign_request(message: SignableMessage, key_id: str, private_key: Ed25519PrivateKey) -> None:
    """Add Content-Digest, Signature-Input and Signature headers to `message.headers`."""
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519,
                               key_resolver=_Keys(private=private_key))
    covered = COVERED + ((HEAD,) if HEAD in message.headers else ())
    signer.sign(message, key_id=key_id, covered_component_ids=covered, body=message.body,
                created=dt.datetime.now(dt.UTC))


def verify_request(message: SignableMessage,
                   lookup: Callable[[str], Ed25519PublicKey | None]) -> str:
    """Return the verified key id (the terminal id) or raise SignatureRejected."""
    return verify_signed(message, lookup).key_id


def verify_signed(message: SignableMessage,
                  lookup: Callable[[str], Ed25519PublicKey | None]) -> Verified:
    """The verified request, or SignatureRejected. A `Wallet-Head` header the signature does
    not cover is refused: an unsigned head could be anyone's."""
    verifier = HTTPMessageVerifier(signature_algorithm=algorithms.ED25519,
                                   key_resolver=_Keys(lookup=lookup))
    try:
        results = verifier.verify(message, max_age=MAX_AGE, require_components=COVERED,
                                  body=message.body)
    except (HTTPMessageSignaturesException, ValueError, KeyError, TypeError) as exc:
        raise SignatureRejected(str(exc) or type(exc).__name__) from exc
    if not results:
        raise SignatureRejected("no signature")
    key_id = results[0].parameters.get("keyid")
    if not isinstance(key_id, str):
        raise SignatureRejected("signature has no key id")
    head = results[0].covered_components.get(f'"{HEAD}"')
    if head is None and HEAD in message.headers:
        raise SignatureRejected("the wallet-head header is not signed")
    created = results[0].parameters.get("created")
    return Verified(key_id, head, created if isinstance(created, int) else 0)
