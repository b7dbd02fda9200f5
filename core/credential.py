"""Signed card credential carried in a QR: "WP1:" + base45(COSE_Sign1, Ed25519).

It lets a terminal tell a genuine card from a forged one before the card reaches its replica.
It never carries a balance: a balance in a QR is stale the moment it is printed and replayable.

The COSE_Sign1 (RFC 9052) is built by hand with cbor2 because the QR budget is 120 bytes before
base45 and an Ed25519 signature alone takes 66 of them; the layout is plain RFC 9052 and
round-trips with pycose (see tests). To fit, the payload uses short integer keys, the kind is a
small integer, an absent expiry is left out, and the key id lives only in the protected header
(which the signature covers, so repeating it in the payload would buy nothing):

    protected   = {1: -8 (EdDSA), 4: kid bytes}
    payload     = {2: code, 3: kind (1 gift_card, 2 loyalty), 4: currency, 5: issued, 6: expiry}

Everything read from outside is hostile: any defect becomes CredentialInvalid, never another
exception type, so callers need exactly one except clause.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import base45
import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.errors import CredentialInvalid
from core.money import CURRENCY_EXPONENTS

PREFIX = "WP1:"
MAX_TEXT_LENGTH = 4096
MAX_COSE_BYTES = 120  # the QR size budget from DESIGN.md; enforced when issuing
MAX_KEY_ID_LENGTH = 16
MAX_CODE_LENGTH = 64

_COSE_SIGN1_TAG = 18
_ALG, _KID = 1, 4
_EDDSA = -8
_K_CODE, _K_KIND, _K_CURRENCY, _K_ISSUED, _K_EXPIRY = 2, 3, 4, 5, 6
_KINDS = {"gift_card": 1, "loyalty": 2}
_KIND_NAMES = {v: k for k, v in _KINDS.items()}
_MAX_TIME = 2**40  # far beyond any real date; keeps hostile giant integers out


@dataclass(frozen=True)
class CardCredential:
    key_id: str
    code: str
    kind: str
    currency: str
    issued: int
    expiry: int | None

    def expired(self, now: int) -> bool:
        return self.expiry is not None and now >= self.expiry


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _printable_ascii(v: object, max_len: int) -> bool:
    return (isinstance(v, str) and 1 <= len(v) <= max_len and v.isascii()
            and all(32 < ord(ch) < 127 for ch in v))


def _validate(cred: CardCredential) -> None:
    if not _printable_ascii(cred.key_id, MAX_KEY_ID_LENGTH):
        raise CredentialInvalid(f"key id must be 1-{MAX_KEY_ID_LENGTH} printable ASCII characters")
    if not _printable_ascii(cred.code, MAX_CODE_LENGTH):
        raise CredentialInvalid("credential code must be printable ASCII without spaces")
    if cred.kind not in _KINDS:
        raise CredentialInvalid(f"credential kind must be one of {sorted(_KINDS)}")
    if cred.currency not in CURRENCY_EXPONENTS:
        raise CredentialInvalid(f"unknown currency {cred.currency!r} in credential")
    if not _is_int(cred.issued) or not 0 <= cred.issued < _MAX_TIME:
        raise CredentialInvalid("credential issue time must be unix seconds")
    if cred.expiry is not None and (
        not _is_int(cred.expiry) or not cred.issued < cred.expiry < _MAX_TIME
    ):
        raise CredentialInvalid("credential expiry must be unix seconds after the issue time")


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    # RFC 9052 §4.4: what is actually signed; external_aad is empty.
    return cbor2.dumps(["Signature1", protected, b"", payload])


def encode_cose(cred: CardCredential, private_key: Ed25519PrivateKey) -> bytes:
    """The raw COSE_Sign1 bytes (what goes inside base45); exposed for size checks and tests."""
    _validate(cred)
    protected = cbor2.dumps({_ALG: _EDDSA, _KID: cred.key_id.encode("ascii")}, canonical=True)
    body: dict[int, Any] = {
        _K_CODE: cred.code,
        _K_KIND: _KINDS[cred.kind],
        _K_CURRENCY: cred.currency,
        _K_ISSUED: cred.issued,
    }
    if cred.expiry is not None:
        body[_K_EXPIRY] = cred.expiry
    payload = cbor2.dumps(body, canonical=True)
    signature = private_key.sign(_sig_structure(protected, payload))
    return cbor2.dumps(
        cbor2.CBORTag(_COSE_SIGN1_TAG, [protected, {}, payload, signature]), canonical=True
    )


def issue_credential(cred: CardCredential, private_key: Ed25519PrivateKey) -> str:
    cose = encode_cose(cred, private_key)
    if len(cose) > MAX_COSE_BYTES:
        raise CredentialInvalid(
            f"credential is {len(cose)} bytes, over the {MAX_COSE_BYTES}-byte QR budget "
            "(shorten the key id or the code pattern)"
        )
    return PREFIX + base45.b45encode(cose).decode("ascii")


def _loads_exact(data: bytes, what: str) -> Any:
    """Decode one CBOR item that must span all of `data` (cbor2.loads ignores trailing bytes)."""
    stream = io.BytesIO(data)
    try:
        # Our messages nest 3 deep and never use indefinite lengths or repeated keys; refusing
        # them keeps hostile input cheap and gives every credential exactly one reading.
        value = cbor2.CBORDecoder(
            stream, max_depth=8, allow_indefinite=False, allow_duplicate_keys=False
        ).decode()
    # cbor2 is a third-party parser fed hostile bytes; whatever it raises means "malformed".
    except Exception as exc:
        raise CredentialInvalid(f"credential {what} is not valid CBOR") from exc
    if stream.tell() != len(data):
        raise CredentialInvalid(f"credential {what} has trailing bytes")
    return value


def _parse(text: str) -> tuple[CardCredential, bytes, bytes, bytes]:
    """Credential plus (protected, payload, signature) for verification; signature unchecked."""
    if not isinstance(text, str):
        raise CredentialInvalid("credential must be text")
    if len(text) > MAX_TEXT_LENGTH:
        raise CredentialInvalid(f"credential longer than {MAX_TEXT_LENGTH} characters")
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text):
        raise CredentialInvalid("credential contains control characters")
    if not text.startswith(PREFIX):
        raise CredentialInvalid(f"credential must start with {PREFIX}")
    try:
        raw = base45.b45decode(text[len(PREFIX):])
    except Exception as exc:  # any base45 failure at all means a malformed credential
        raise CredentialInvalid("credential is not valid base45") from exc

    outer = _loads_exact(raw, "envelope")
    if not (isinstance(outer, cbor2.CBORTag) and outer.tag == _COSE_SIGN1_TAG):
        raise CredentialInvalid("credential is not a COSE_Sign1 message")
    msg = outer.value
    if not (isinstance(msg, (list, tuple)) and len(msg) == 4):
        raise CredentialInvalid("COSE_Sign1 must have four parts")
    protected, unprotected, payload, signature = msg
    if not (isinstance(protected, bytes) and isinstance(payload, bytes)
            and isinstance(signature, bytes) and isinstance(unprotected, Mapping)):
        raise CredentialInvalid("COSE_Sign1 parts have the wrong types")
    if len(signature) != 64:
        raise CredentialInvalid("credential signature has the wrong length")

    header = _loads_exact(protected, "header")
    if (not isinstance(header, Mapping) or not all(_is_int(k) for k in header)
            or set(header) != {_ALG, _KID}):
        raise CredentialInvalid("credential header must hold exactly alg and kid")
    if not _is_int(header[_ALG]) or header[_ALG] != _EDDSA:
        raise CredentialInvalid("credential algorithm must be EdDSA")
    kid = header[_KID]
    if not isinstance(kid, bytes) or not kid.isascii():
        raise CredentialInvalid("credential key id must be ASCII bytes")

    body = _loads_exact(payload, "payload")
    if not isinstance(body, Mapping) or not all(_is_int(k) for k in body):
        raise CredentialInvalid("credential payload must be a map with integer keys")
    required = {_K_CODE, _K_KIND, _K_CURRENCY, _K_ISSUED}
    if not required <= set(body) <= required | {_K_EXPIRY}:
        raise CredentialInvalid("credential payload has missing or unknown fields")
    kind = body[_K_KIND]
    if not _is_int(kind) or kind not in _KIND_NAMES:
        raise CredentialInvalid("credential kind is unknown")
    cred = CardCredential(
        key_id=kid.decode("ascii"),
        code=body[_K_CODE],
        kind=_KIND_NAMES[kind],
        currency=body[_K_CURRENCY],
        issued=body[_K_ISSUED],
        expiry=body.get(_K_EXPIRY),
    )
    try:
        _validate(cred)
    except TypeError as exc:  # e.g. an unhashable currency value from the wire
        raise CredentialInvalid("credential fields have the wrong types") from exc
    return cred, protected, payload, signature


def read_credential(text: str, issuer_keys: Mapping[str, Ed25519PublicKey]) -> CardCredential:
    """Parse and verify; the key is chosen by the kid in the signed protected header."""
    cred, protected, payload, signature = _parse(text)
    key = issuer_keys.get(cred.key_id)
    if key is None:
        raise CredentialInvalid(f"credential signed by unknown key {cred.key_id!r}")
    try:
        key.verify(signature, _sig_structure(protected, payload))
    except InvalidSignature:
        raise CredentialInvalid(
            "credential signature does not verify (forged or altered)"
        ) from None
    return cred


def peek_credential(text: str) -> CardCredential:
    """Parse WITHOUT verifying, for support tools only: the result is not proof of anything."""
    return _parse(text)[0]
