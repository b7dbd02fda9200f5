"""Message shapes of the /v1 sync protocol, shared by the terminal client and the central
server so both ends validate the same way. Amounts on the wire are decimal strings with a
currency; binary fields (keys, entry bytes, signatures) are unpadded base64url.

Endpoints (terminal requests signed per RFC 9421, see `httpsig`; admin calls use a Bearer key):

    POST /v1/enroll                 EnrollRequest      -> EnrollResponse        (code-authenticated)
    POST /v1/authorize              AuthorizeRequest   -> AuthorizeResponse     (signed)
    POST /v1/journal                PushRequest        -> PushResponse          (signed)
                                    409 {"error":"gap","expected_seq":N};
                                    403 {"error":"quarantined"}
    GET  /v1/changes?cursor=&limit= -> SignedChangePage                         (signed)
    POST /v1/admin/programs         ProgramsUpload     -> {"programs":[{"id","version"}]}
    POST /v1/admin/enroll-codes     EnrollCodeRequest  -> {"code","expires_at"}
    POST /v1/admin/cards            IssueCardsRequest  -> {"cards":[{"code","qr"}]}
    GET  /v1/admin/cards/{code}     -> CardView
    GET  /v1/admin/conflicts        -> {"conflicts":[...]}

Errors are always JSON: {"error": reason_code, "message": text} with a 4xx/5xx status.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/v1"
MAX_BATCH = 1000
MAX_PAGE = 5000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(_Strict):
    error: str
    message: str = ""
    expected_seq: int | None = None


class TerminalConfig(_Strict):
    authorize_timeout_s: float = 1.5
    push_batch: int = 500
    pull_page: int = 1000


class EnrollRequest(_Strict):
    code: str = Field(min_length=4, max_length=64)
    public_key: str = Field(min_length=43, max_length=44)  # 32 raw bytes, base64url
    name: str | None = Field(default=None, max_length=80)


class EnrollResponse(_Strict):
    terminal_id: str
    store: str
    central_public_key: str
    config: TerminalConfig = TerminalConfig()


class AuthorizeRequest(_Strict):
    request_id: str = Field(min_length=8, max_length=64)
    card: str = Field(min_length=1, max_length=64)
    amount: str = Field(max_length=24)
    currency: str = Field(min_length=3, max_length=3)


class AuthorizeResponse(_Strict):
    status: Literal["approved", "declined"]
    reason: str | None = None
    auth_id: str | None = None
    balance: str | None = None
    currency: str | None = None
    expires_at: int | None = None


class WireEntry(_Strict):
    data: str = Field(max_length=6000)  # base64url of the canonical CBOR body
    sig: str = Field(max_length=100)  # base64url of the Ed25519 signature


class PushRequest(_Strict):
    terminal: str = Field(max_length=64)
    entries: list[WireEntry] = Field(min_length=1, max_length=MAX_BATCH)


class EntryResult(_Strict):
    seq: int
    status: Literal["applied", "conflict", "quarantined"]
    reason: str | None = None


class PushResponse(_Strict):
    acked: int  # highest seq central holds for this terminal
    results: list[EntryResult] = []


class Change(_Strict):
    change_seq: int
    kind: Literal["card", "program", "terminal"]
    key: str
    data: dict[str, Any]


class ChangePage(_Strict):
    cursor_from: int
    cursor: int  # pass back as ?cursor= for the next page
    more: bool
    acked_seq: int  # this terminal's last seq central had applied when the page was read
    server_time: int  # unix seconds, central's clock
    changes: list[Change]


class SignedChangePage(_Strict):
    page: ChangePage
    signature: str  # Ed25519 by central over canonical_json(page)


class ProgramsUpload(_Strict):
    source: str = Field(max_length=2_000_000)
    format: Literal["yaml", "json"] = "yaml"
    filename: str | None = None


class EnrollCodeRequest(_Strict):
    store: str = Field(min_length=1, max_length=64)


class IssueCardsRequest(_Strict):
    program: str
    count: int = Field(ge=1, le=10_000)
    value: str | None = None
    activate: bool = False


class CardView(_Strict):
    code: str
    state: str
    balance: str
    currency: str
    program: str
    expires_at: int | None = None


def canonical_json(model: BaseModel) -> bytes:
    """The bytes central signs and terminals verify: sorted keys, no whitespace, UTF-8."""
    return json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")
