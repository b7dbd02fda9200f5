"""What central's services raise when they refuse a request: a `Refusal` with a stable reason
code (the protocol's `error`), a human message and any extra fields the caller needs (the gap's
`expected_seq`). Each subclass says what kind of refusal it is, never how it travels: the HTTP
status of each is decided in one place at the edge (`routes/http_errors.py`), so a service
reads the same under the API, the CLI or a test. Raising one inside a write transaction rolls
the transaction back, so a refused request changes nothing.
"""

from __future__ import annotations

from typing import Any

from core.errors import WalletError


class Refusal(WalletError):
    """Central will not do what was asked; `reason` says why in one snake_case word."""

    def __init__(self, reason: str, message: str = "", **extra: Any) -> None:
        super().__init__(message or reason, reason)
        self.extra = extra


class Invalid(Refusal):
    """The request itself is malformed or out of range (an amount, a code, a field)."""


class NotFound(Refusal):
    """What the request names does not exist (a card, a member, a program, a case)."""


class StateConflict(Refusal):
    """A well-formed request that contradicts what central holds now (a reused request id, a
    journal gap, a case already resolved)."""


class Forbidden(Refusal):
    """The caller is known but may not do this (a quarantined terminal, a spent enroll code,
    a key without the scope)."""


class Unauthenticated(Refusal):
    """Central cannot tell who is calling (no admin key, a request signature that fails)."""
