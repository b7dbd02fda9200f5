"""RFC 9421 HTTP Message Signatures for terminal requests, through `http-message-signatures`.

A terminal signs method, path, query and a Content-Digest of the body with its Ed25519 key,
and its journal head (`Wallet-Head`) when it sends one; the key id is the terminal id. Central
resolves the key from its terminal table and rejects signatures older than `MAX_AGE` (replay
window). Both ends use the same small message type so httpx requests and Starlette requests go
through one code path.

Signing takes a short path of its own (`_sign_plain`) when the request is the plain kind a
terminal sends — the signature base and the three headers written out directly — and the
library otherwise. Both give the same bytes (tests compare them); the library's general
structured-field serialization was most of a till's cost per request.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from http_message_signatures import (
    HTTPMessageSignaturesException,
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    algorithms,
)
from httpx import Headers

parse_url: Callable[[str], Any] | None
try:  # the library's own URL split, so @path and @query are exactly what it would sign
    from http_message_signatures._url import parse_url
except ImportError:  # pragma: no cover - another version of the library: always sign through it
    parse_url = None

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


def sign_request(message: SignableMessage, key_id: str, private_key: Ed25519PrivateKey, *,
                 created: int | None = None) -> None:
    """Add Content-Digest, Signature-Input and Signature headers to `message.headers`.
    CREATED (Unix seconds) defaults to now."""
    when = int(time.time()) if created is None else created
    if not _sign_plain(message, key_id, private_key, when):
        sign_with_library(message, key_id, private_key, when)


def sign_with_library(message: SignableMessage, key_id: str, private_key: Ed25519PrivateKey,
                      created: int) -> None:
    """The general path, through `http-message-signatures`."""
    signer = HTTPMessageSigner(signature_algorithm=algorithms.ED25519,
                               key_resolver=_Keys(private=private_key))
    covered = COVERED + ((HEAD,) if HEAD in message.headers else ())
    signer.sign(message, key_id=key_id, covered_component_ids=covered, body=message.body,
                created=dt.datetime.fromtimestamp(created, dt.UTC))


_PLAIN_VALUE = re.compile(r"[!-~](?:[ -~]*[!-~])?")  # printable ASCII, no outer spaces
_PLAIN_KEY_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # needs no escaping as an sf-string
_SIGNATURE_HEADERS = frozenset({"content-digest", "signature-input", "signature"})


def _sign_plain(message: SignableMessage, key_id: str, private_key: Ed25519PrivateKey,
                created: int) -> bool:
    """Sign a plain request directly, byte for byte what the library writes; False (nothing
    changed) for anything else: no URL parser, an odd method, key id or header value, a
    header given twice, a request that already carries a digest or a signature."""
    if parse_url is None or not _PLAIN_KEY_ID.fullmatch(key_id) \
            or message.method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        return False
    seen: dict[str, str] = {}
    lines = getattr(message.headers, "multi_items", message.headers.items)()  # httpx: each line
    for name, value in lines:
        lower = name.lower()
        if lower in seen or lower in _SIGNATURE_HEADERS:
            return False
        seen[lower] = value
    head = seen.get(HEAD)
    if head is not None and (HEAD not in message.headers or not _PLAIN_VALUE.fullmatch(head)):
        return False
    try:
        url = parse_url(str(message.url))
    except HTTPMessageSignaturesException:
        return False
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(message.body).digest()).decode() + ":"
    names = '"@method" "@path" "@query" "content-digest"' + (f' "{HEAD}"' if head else "")
    params = f'({names});created={created};keyid="{key_id}";alg="ed25519"'
    base = [f'"@method": {message.method}', f'"@path": {url.path or "/"}',
            f'"@query": ?{url.query or ""}', f'"content-digest": {digest}']
    if head is not None:
        base.append(f'"{HEAD}": {head}')
    base.append(f'"@signature-params": {params}')
    signature = private_key.sign("\n".join(base).encode("ascii"))
    message.headers["Content-Digest"] = digest
    message.headers["Signature-Input"] = "pyhms=" + params
    message.headers["Signature"] = "pyhms=:" + base64.b64encode(signature).decode() + ":"
    return True


def verify_request(message: SignableMessage,
                   lookup: Callable[[str], Ed25519PublicKey | None]) -> str:
    """Return the verified key id (the terminal id) or raise SignatureRejected."""
    return verify_signed(message, lookup).key_id


def verify_signed(message: SignableMessage,
                  lookup: Callable[[str], Ed25519PublicKey | None]) -> Verified:
    """The verified request, or SignatureRejected. A `Wallet-Head` header the signature does
    not cover is refused: an unsigned head could be anyone's."""
    plain = _verify_plain(message, lookup)
    return plain if plain is not None else verify_with_library(message, lookup)


def verify_with_library(message: SignableMessage,
                        lookup: Callable[[str], Ed25519PublicKey | None]) -> Verified:
    """The general path, through `http-message-signatures`: every check, every message."""
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


_PLAIN_INPUT = re.compile(r'pyhms=\("@method" "@path" "@query" "content-digest"( "wallet-head")?\)'
                          r';created=([0-9]{1,11});keyid="([A-Za-z0-9._:-]{1,64})";alg="ed25519"')
_PLAIN_SIGNATURE = re.compile(r"pyhms=:([A-Za-z0-9+/]{86}==):")
_PLAIN_DIGEST = re.compile(r"sha-256=:[A-Za-z0-9+/]{43}=:")
_SKEW_S = 4  # inside the library's 5 s clock skew: a signature at the edge goes to the library


def _verify_plain(message: SignableMessage,
                  lookup: Callable[[str], Ed25519PublicKey | None]) -> Verified | None:
    """The verified request when it is exactly what `_sign_plain` writes and every check
    passes; None otherwise, and the library decides (so this never accepts what the library
    refuses, and never refuses: a failure here is only "ask the library")."""
    if parse_url is None or message.method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        return None
    seen: dict[str, str] = {}
    lines = getattr(message.headers, "multi_items", message.headers.items)()
    for name, value in lines:
        lower = name.lower()
        if lower in seen:
            return None
        seen[lower] = value
    inputs = _PLAIN_INPUT.fullmatch(seen.get("signature-input", ""))
    signed = _PLAIN_SIGNATURE.fullmatch(seen.get("signature", ""))
    digest = seen.get("content-digest", "")
    head = seen.get(HEAD)
    if inputs is None or signed is None or not _PLAIN_DIGEST.fullmatch(digest):
        return None
    covers_head = inputs.group(1) is not None
    if (head is not None) != covers_head or (head is not None and (
            HEAD not in message.headers or not _PLAIN_VALUE.fullmatch(head))):
        return None
    created, key_id = int(inputs.group(2)), inputs.group(3)
    now = time.time()
    if not now - MAX_AGE.total_seconds() + _SKEW_S <= created <= now + _SKEW_S:
        return None
    body_digest = "sha-256=:" + base64.b64encode(hashlib.sha256(message.body).digest()
                                                 ).decode() + ":"
    if digest != body_digest:
        return None
    try:
        url = parse_url(str(message.url))
    except HTTPMessageSignaturesException:
        return None
    key = lookup(key_id)
    if key is None:
        return None
    params = seen["signature-input"][len("pyhms="):]
    base = [f'"@method": {message.method}', f'"@path": {url.path or "/"}',
            f'"@query": ?{url.query or ""}', f'"content-digest": {digest}']
    if head is not None:
        base.append(f'"{HEAD}": {head}')
    base.append(f'"@signature-params": {params}')
    try:
        key.verify(base64.b64decode(signed.group(1)), "\n".join(base).encode("ascii"))
    except InvalidSignature:
        return None
    return Verified(key_id, head, created)
