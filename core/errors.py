"""Errors meant for users: each carries a short snake_case reason code (stable, machine-readable,
translated by the screens) and a human message. Programming errors stay ordinary exceptions."""

from __future__ import annotations


class WalletError(Exception):
    """A refusal a cashier, customer or integrator should see, with a stable reason code."""

    reason: str = "invalid"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.reason


class InvalidInput(WalletError):
    """Malformed, oversized or hostile input (a payload, a code, an amount, a request)."""

    reason = "invalid_input"


class InvalidAmount(InvalidInput):
    reason = "invalid_amount"


class InvalidCode(InvalidInput):
    reason = "invalid_code"


class CredentialInvalid(InvalidInput):
    reason = "credential_invalid"


class Declined(WalletError):
    """A well-formed request the rules refuse (card_blocked, insufficient_funds, ...)."""

    reason = "declined"


class ChainBroken(WalletError):
    """A journal that fails verification; `seq` is the first bad entry."""

    reason = "chain_broken"

    def __init__(self, message: str, seq: int, why: str) -> None:
        super().__init__(message)
        self.seq = seq
        self.why = why
