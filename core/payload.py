"""One scanned or typed payload string to one identifier (step 1 of "One scan, end to end").

Camera frames, keyboard-wedge bursts and typed text all end up here, so this is the single
place that decides what a string *is*: a card code, a member code, a signed "WP1:" credential,
or an https link from one of our own hosts carrying a code. Everything else is refused with an
InvalidInput subclass carrying a stable reason, and nothing else ever escapes: the screens show
the reason, and hostile input (binary junk, foreign links, oversize, control characters) changes
nothing. A typo'd code is refused rather than corrected, so it can never become another card.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.codes import MAX_INPUT_LENGTH, normalize_code
from core.credential import PREFIX, CardCredential, read_credential
from core.errors import CredentialInvalid, InvalidCode, InvalidInput

MAX_PAYLOAD_LENGTH = 4096
# Cc/Cf cover C0/C1 controls and invisible format characters (bidi overrides, zero-width) that
# could make what the cashier sees differ from what is parsed; Zl/Zp are line breaks.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_CODE_LIKE = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -_.")
_CODE_PARAMS = ("code", "c")


class PayloadRefused(InvalidInput):
    """A payload that is not any kind of identifier (empty, oversized, junk, a foreign link)."""

    reason = "unknown_payload"


@dataclass(frozen=True)
class Identifier:
    kind: Literal["card", "member", "credential"]
    code: str
    credential: CardCredential | None = None


def parse_payload(
    text: str,
    *,
    code_patterns: Iterable[str],
    member_patterns: Iterable[str],
    issuer_keys: Mapping[str, Ed25519PublicKey],
    url_hosts: Iterable[str] = (),
) -> Identifier:
    card_patterns = tuple(code_patterns)
    member = tuple(member_patterns)
    if not isinstance(text, str):
        raise PayloadRefused("payload must be text")
    # Cheap bound before any per-character work; a wedge suffix is at most a couple of chars.
    if len(text) > MAX_PAYLOAD_LENGTH + 2:
        raise PayloadRefused("payload is too long", reason="payload_too_long")
    # Keyboard-wedge scanners end a burst with Enter; that suffix is transport, not content.
    text = text.rstrip("\r\n")
    if len(text) > MAX_PAYLOAD_LENGTH:
        raise PayloadRefused("payload is too long", reason="payload_too_long")
    if any(unicodedata.category(ch) in _FORBIDDEN_CATEGORIES for ch in text):
        raise PayloadRefused("payload contains control characters", reason="payload_control_chars")
    # Spaces only: every other ASCII whitespace was refused above, and base45 never ends in one.
    text = text.strip(" ")
    if not text:
        raise PayloadRefused("nothing was scanned", reason="payload_empty")

    if text.startswith(PREFIX):
        return _credential(text, issuer_keys, card_patterns + member)
    if "://" in text:
        return _from_url(text, url_hosts, card_patterns, member)
    if len(text) <= MAX_INPUT_LENGTH and set(text) <= _CODE_LIKE:
        return _from_code(text, card_patterns, member)
    raise PayloadRefused("not a card, member code or credential")


def _from_code(text: str, card: tuple[str, ...], member: tuple[str, ...]) -> Identifier:
    try:
        return Identifier("card", normalize_code(text, card))
    except InvalidCode as card_exc:
        try:
            return Identifier("member", normalize_code(text, member))
        except InvalidCode as member_exc:
            # "typo" is more useful to the cashier than "not a code" when either shape fit.
            for exc in (card_exc, member_exc):
                if exc.reason == "code_check_failed":
                    raise exc from None
            raise InvalidCode("not a card or member code") from None


def _credential(
    text: str, issuer_keys: Mapping[str, Ed25519PublicKey], patterns: tuple[str, ...]
) -> Identifier:
    cred = read_credential(text, issuer_keys)
    # The issuer signed it, but a code we cannot recognise would still be looked up wrongly.
    try:
        canonical = normalize_code(cred.code, patterns)
    except InvalidCode:
        raise CredentialInvalid("credential carries no valid card or member code") from None
    if canonical != cred.code:
        raise CredentialInvalid("credential code is not in canonical form")
    return Identifier("credential", canonical, cred)


def _from_url(
    text: str, url_hosts: Iterable[str], card: tuple[str, ...], member: tuple[str, ...]
) -> Identifier:
    # Printed QR codes often use uppercase (QR alphanumeric mode), so compare case-insensitively.
    allowed = {h.lower().rstrip(".") for h in url_hosts}
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        query = parse_qsl(parts.query, max_num_fields=20)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        raise PayloadRefused("malformed link", reason="foreign_url") from None
    if parts.scheme.lower() != "https" or host not in allowed:
        raise PayloadRefused("link is not from this wallet", reason="foreign_url")
    if parts.username is not None or parts.password is not None:
        # "https://ours@evil/" tricks a human reader; we refuse any userinfo at all.
        raise PayloadRefused("link carries credentials", reason="foreign_url")

    candidates = {value for key, value in query if key.lower() in _CODE_PARAMS}
    if len(candidates) > 1:
        raise PayloadRefused("link carries more than one code")
    if not candidates:
        segments = [s for s in parts.path.split("/") if s]
        if segments:
            candidates = {unquote(segments[-1])}
    if not candidates:
        raise PayloadRefused("link carries no code")
    code = candidates.pop()
    if len(code) > MAX_INPUT_LENGTH or not set(code) <= _CODE_LIKE:
        raise InvalidCode("link carries something that is not a code")
    return _from_code(code, card, member)
