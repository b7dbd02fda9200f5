"""Request bodies are capped while they stream, before anything parses or verifies them.

A terminal's signature covers the raw body, so a signed route must hold the whole body before
it can tell a terminal from a stranger: without a cap, anyone could make central buffer a
256 MB chunked upload before the first check. `BodyLimit` is a plain ASGI middleware, so it
sees the body exactly as the server hands it over: a declared `Content-Length` above the cap is
refused before the app runs (nothing is read), and a chunked body is counted chunk by chunk and
refused as soon as the count passes the cap. The refusal is the protocol's 413
{"error": "request_too_large", ...}, sent with `Connection: close` so the server stops reading
the rest of the upload instead of draining it.

Starlette 1.x ships a similar `RequestBodyLimitMiddleware`; this one stays because our floor
is older (fastapi 0.110) and the answer must be the protocol's JSON body and close the
connection.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wallet_sync.central.routes.http_errors import error_response

MAX_BODY = 8 * 1024 * 1024  # a full batch (1000 x 6000 chars) fits with room to spare
CLOSE = (b"connection", b"close")


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the body passes the cap; the app's HTTP error handler
    answers it like any other 413 (`http_errors`)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request bodies are at most {limit} bytes")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and (not (declared.isascii() and declared.isdigit())
                                     or len(declared) > 18
                                     or int(declared) > self.max_body):
            await self.refuse(scope, send)
            return
        received = 0
        cut = started = False

        async def counted() -> Message:
            nonlocal received, cut
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    cut = True
                    raise BodyTooLarge(self.max_body)
            return message

        async def closing(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if cut:  # the rest of the upload is never read: end the connection after this
                    message = {**message, "headers": [*message.get("headers", ()), CLOSE]}
            await send(message)

        try:
            await self.app(scope, counted, closing)
        except BodyTooLarge:
            if started:
                raise
            await self.refuse(scope, send)

    async def refuse(self, scope: Scope, send: Send) -> None:
        # The usual body, sent from here when the app never ran (or did not answer).
        response = error_response(413, "request_too_large",
                                  f"request bodies are at most {self.max_body} bytes")
        response.headers["connection"] = "close"
        await response(scope, _no_body, send)


def _content_length(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return bytes(value).decode("latin-1")
    return None


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
