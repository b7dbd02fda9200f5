"""The one exception central's services raise to answer a request with an error: an HTTP status
and the protocol's JSON body {"error", "message", ...}. Raising it inside a write transaction
rolls the transaction back, so a refused request changes nothing."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, error: str, message: str = "", **extra: Any) -> None:
        super().__init__(message or error)
        self.status = status
        self.error = error
        self.message = message or error
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "message": self.message, **self.extra}
