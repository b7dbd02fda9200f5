"""Message shapes of the /v1 sync protocol, shared by the terminal client and the central
server so both ends validate the same way. Amounts on the wire are decimal strings with a
currency; binary fields (keys, entry bytes, signatures) are unpadded base64url.

Endpoints (terminal requests signed per RFC 9421, see `httpsig`; admin calls use a Bearer key):

    POST /v1/enroll                 EnrollRequest      -> EnrollResponse        (code-authenticated)
    POST /v1/authorize              AuthorizeRequest   -> AuthorizeResponse     (signed)
    POST /v1/authorize-value        ValueAuthorizeRequest -> ValueAuthorizeResponse (signed)
    POST /v1/authorize-points       PointsAuthorizeRequest -> PointsAuthorizeResponse (signed)
    POST /v1/journal                PushRequest        -> PushResponse          (signed)
                                    409 {"error":"gap","expected_seq":N};
                                    403 {"error":"quarantined"}
    GET  /v1/changes?cursor=&limit=[&head=] -> SignedChangePage                 (signed)
    POST /v1/admin/programs         ProgramsUpload     -> {"programs":[{"id","version"}]}
    POST /v1/admin/enroll-codes     EnrollCodeRequest  -> {"code","expires_at"}
    POST /v1/admin/cards            IssueCardsRequest  -> {"cards":[{"code","qr"}]}
    GET  /v1/admin/cards/{code}     -> CardView
    POST /v1/admin/cards/{code}/load LoadRequest       -> CardView
    GET  /v1/admin/conflicts        -> {"conflicts":[...]}
    POST /v1/admin/conflicts/{id}/resolve ResolveRequest -> {"conflict": {...}}
    GET  /v1/admin/exposure         -> {"terminals", "stores", "totals", "flagged",
                                        "quarantined", "cases"}
    GET  /v1/members/{code}         -> SignedMemberSnapshot                     (signed)
    GET  /v1/store/conflicts?status=open|all&limit=N -> {"store","as_of","conflicts":[...]}
                                    the caller's store's cases, newest first (signed)
    POST /v1/code-pool              CodePoolRequest    -> {"program","codes":[{"code","qr"}]}
                                                                                (signed)
    POST /v1/admin/members          CreateMemberRequest -> {"code","program","country"}
    GET  /v1/admin/members/{code}   -> {"code","points","tier","next_tier","expiring",...}
    POST /v1/admin/points/expire    -> {"members","points"}
    GET  /v1/admin/terminals        -> {"terminals":[{id, store, status, flags: [...]}]}
    POST /v1/admin/terminals/{id}/clear-flag ResolveRequest -> {"terminal": {...}}

Every signed request also carries the terminal's journal head in the signed `Wallet-Head`
header (`head_header`): central records it, so a tail it has seen the head of cannot be
rewritten or dropped without a fork (PROTOCOL.md, Heads).

Errors are always JSON: {"error": reason_code, "message": text} with a 4xx/5xx status.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

API_PREFIX = "/v1"
MAX_BATCH = 1000
MAX_PAGE = 5000
MAX_CODE_POOL = 1000  # unused reserved codes one terminal may hold per program
# A terminal commits an authorized spend within this many seconds of asking (its own monotonic
# clock), far inside central's hold lifetime: central relies on it to release unused holds.
AUTH_COMMIT_WINDOW_S = 60
# Staff, as central creates them and a till checks them offline: a PIN pad's 4 to 8 digits,
# and a manager's PIN (it approves money out of the till) at least 6: 10^6 tries, not 10^4.
STAFF_ROLES = ("cashier", "manager")
PIN_LENGTHS = range(4, 9)
MANAGER_PIN_MIN = 6


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        """A NUL character is never text (PostgreSQL refuses it with a DataError): 422."""
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("text must not contain a NUL character")
        return value


class ErrorBody(_Strict):
    error: str
    message: str = ""
    expected_seq: int | None = None


class TerminalConfig(_Strict):
    authorize_timeout_s: float = 1.5
    push_batch: int = 500
    pull_page: int = 2000
    time_zone: str = "UTC"  # the store's IANA zone: limits' days and `now` in CEL
    # How often the counter syncs in the background: a grant central recalls for a spend at
    # another till goes back within one interval (the terminal's WALLETPOS_SYNC_INTERVAL_S
    # overrides it).
    sync_interval_s: float = Field(default=10.0, ge=2.0, le=300.0)


class EnrollRequest(_Strict):
    code: str = Field(min_length=4, max_length=64)
    public_key: str = Field(min_length=43, max_length=44)  # 32 raw bytes, base64url
    name: str | None = Field(default=None, max_length=80)


class EnrollResponse(_Strict):
    terminal_id: str
    store: str
    central_public_key: str
    config: TerminalConfig = TerminalConfig()


class OrderLine(_Strict):
    sku: str = Field(max_length=64)
    category: str = Field(max_length=64)
    qty: int = Field(ge=1, le=10_000)
    price: str = Field(max_length=24)  # unit price, a decimal in the order's currency


class OrderInfo(_Strict):
    """The order a spend belongs to (issue 16): central re-checks restricted cards on its
    lines and the stacking rules against what it authorized on the same order before."""
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
    total: str = Field(max_length=24)
    lines: list[OrderLine] = Field(default_factory=list, max_length=500)


class AuthorizeRequest(_Strict):
    request_id: str = Field(min_length=8, max_length=64)
    card: str = Field(min_length=1, max_length=64)
    amount: str = Field(max_length=24)
    currency: str = Field(min_length=3, max_length=3)
    order: OrderInfo | None = None


class AuthorizeResponse(_Strict):
    status: Literal["approved", "declined"]
    reason: str | None = None
    auth_id: str | None = None
    balance: str | None = None
    currency: str | None = None
    expires_at: int | None = None
    # Approved only: Ed25519 by central over authorization_message(...) (base64url).
    signature: str | None = None


class WireEntry(_Strict):
    data: str = Field(max_length=6000)  # base64url of the canonical CBOR body
    sig: str = Field(max_length=100)  # base64url of the Ed25519 signature


class PushRequest(_Strict):
    terminal: str = Field(max_length=64)
    entries: list[WireEntry] = Field(min_length=1, max_length=MAX_BATCH)


class ValueAuthorizeRequest(_Strict):
    """Central's authority for one entry that raises a balance or points: `activate` or `load`
    of a gift card (amount a decimal in `currency`; activate's is "0"), or `adjust` of a
    member's points up (amount = points, no currency). `staff` is the approving manager.
    A load moving a lost card's balance names the old card in `transfer_from`."""
    request_id: str = Field(min_length=8, max_length=64)
    op: Literal["activate", "load", "adjust"]
    card: str = Field(min_length=1, max_length=64)
    amount: str = Field(max_length=24)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    staff: str = Field(min_length=1, max_length=64)
    transfer_from: str | None = Field(default=None, min_length=1, max_length=64)


class ValueAuthorizeResponse(_Strict):
    status: Literal["approved", "declined"]
    reason: str | None = None
    auth_id: str | None = None
    expires_at: int | None = None
    # Approved only: Ed25519 by central over value_authorization_message(...) (base64url).
    signature: str | None = None


class PointsAuthorizeRequest(_Strict):
    """Hold `points` of `member` for an online burn (a reward); the burn entry names the
    answer's auth_id and consumes the hold."""
    request_id: str = Field(min_length=8, max_length=64)
    member: str = Field(min_length=1, max_length=64)
    program: str = Field(min_length=1, max_length=64)
    points: int = Field(ge=1, le=10**12)
    # The reward the burn buys: central also holds one use of its customer- and program-
    # scoped limits (limit_counts) and checks stacking on the order it is taken on (issue
    # 16). None: an older terminal; the use is counted at ingest.
    order: OrderInfo | None = None
    reward: str | None = Field(default=None, min_length=1, max_length=64)


class PointsAuthorizeResponse(_Strict):
    status: Literal["approved", "declined"]
    reason: str | None = None
    auth_id: str | None = None
    points: int | None = None  # declined insufficient_points: what is spendable now
    expires_at: int | None = None
    signature: str | None = None


class EntryResult(_Strict):
    seq: int
    status: Literal["applied", "conflict", "quarantined"]
    reason: str | None = None


class PushResponse(_Strict):
    acked: int  # highest seq central holds for this terminal
    results: list[EntryResult] = []


class Change(_Strict):
    change_seq: int
    kind: Literal["card", "program", "terminal", "grant", "member", "staff", "limit_share"]
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


class CodePoolRequest(_Strict):
    """Top this terminal's unused reserved codes of `program` up to `target` (code_pool)."""
    program: str = Field(min_length=1, max_length=64)
    target: int = Field(ge=1, le=MAX_CODE_POOL)


class IssueCardsRequest(_Strict):
    program: str
    count: int = Field(ge=1, le=10_000)
    value: str | None = None
    activate: bool = False
    customer: str | None = Field(default=None, min_length=1, max_length=64)  # sold to them


class LoadRequest(_Strict):
    amount: str = Field(max_length=24)  # decimal, in the card's currency


class ResolveRequest(_Strict):
    reason: str = Field(min_length=1, max_length=500)


class CardView(_Strict):
    code: str
    state: str
    balance: str
    currency: str
    program: str
    expires_at: int | None = None


def authorization_message(auth_id: str, terminal: str, card: str, amount: int, currency: str,
                          expires_at: int) -> bytes:
    """The bytes central signs for an approved authorization (amount in minor units, expiry in
    central's unix seconds); a terminal keeps the signature in its journal entry."""
    return json.dumps({"auth_id": auth_id, "terminal": terminal, "card": card, "amount": amount,
                       "currency": currency, "expires_at": expires_at}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def value_authorization_message(auth_id: str, terminal: str, op: str, card: str, amount: int,
                                currency: str | None, staff: str, expires_at: int) -> bytes:
    """The bytes central signs for an approved value authorization (amount in minor units or
    points)."""
    return _message({"type": "value_authorization", "auth_id": auth_id, "terminal": terminal,
                     "op": op, "card": card, "amount": amount, "currency": currency,
                     "staff": staff, "expires_at": expires_at})


def points_authorization_message(auth_id: str, terminal: str, member: str, points: int,
                                 expires_at: int) -> bytes:
    """The bytes central signs for an approved points hold."""
    return _message({"type": "points_authorization", "auth_id": auth_id, "terminal": terminal,
                     "member": member, "points": points, "expires_at": expires_at})


def program_message(program: str, version: int, definition: dict[str, Any]) -> bytes:
    """The bytes central signs for one program version: a terminal keeps the signature beside
    the definition and checks it whenever it decides with the program."""
    return _message({"type": "program", "id": program, "version": version,
                     "definition": definition})


def _message(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


HEAD_HEADER = "wallet-head"


def head_header(seq: int, digest: bytes) -> str:
    """`Wallet-Head` value: the terminal's last journal seq and that entry's hash (hex; 0 and
    the genesis hash for an empty journal)."""
    return f"{seq}:{digest.hex()}"


def parse_head(value: str) -> tuple[int, bytes] | None:
    """(seq, hash) from a `Wallet-Head` value, None when malformed."""
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(seq) > 18 or len(digest) != 64:
        return None
    try:
        return int(seq), bytes.fromhex(digest)
    except ValueError:
        return None


_AGENT = re.compile(r"walletpos/([0-9A-Za-z.+-]{1,40})")


def user_agent(version: str) -> str:
    """What a terminal sends as its User-Agent: `walletpos/<version>`."""
    return f"walletpos/{version}"


def parse_user_agent(value: str | None) -> str | None:
    """The version in a `walletpos/<version>` User-Agent (its first token), None otherwise."""
    match = _AGENT.fullmatch((value or "").split(" ", 1)[0])
    return match.group(1) if match else None


class CreateMemberRequest(_Strict):
    program: str = Field(min_length=1, max_length=64)
    country: str | None = Field(default=None, max_length=2)


class CustomerFields(_Strict):
    """A customer's profile fields (`central.customers`); on an update, a field left out
    stays as it is and an explicit null removes a contact or an attribute."""

    country: str | None = Field(default=None, max_length=2)
    birthday: str | None = Field(default=None, max_length=10)
    language: str | None = Field(default=None, max_length=8)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    attributes: dict[str, Any] | None = None


class CreateCustomerRequest(CustomerFields):
    program: str = Field(min_length=1, max_length=64)
    referred_by: str | None = Field(default=None, min_length=1, max_length=16)  # a code


class LinkCardRequest(_Strict):
    card: str = Field(min_length=1, max_length=64)


class ConsentRequest(_Strict):
    channel: str = Field(min_length=1, max_length=16)
    source: str = Field(min_length=1, max_length=64)


class ConsentConfirmRequest(_Strict):
    token: str = Field(min_length=1, max_length=128)


class EventRequest(_Strict):
    """A custom event for a customer (`POST /v1/admin/events`): the same `key` returns the
    answer stored for it."""

    member: str = Field(min_length=1, max_length=64)
    event: str = Field(min_length=1, max_length=64)
    key: str = Field(min_length=1, max_length=128)


class EventClaimRequest(_Strict):
    """A terminal asks before an event earn whose rule is counted per customer
    (`POST /v1/event-claims`); `request_id` is its idempotency key."""

    request_id: str = Field(min_length=1, max_length=64)
    member: str = Field(min_length=1, max_length=64)
    program: str = Field(min_length=1, max_length=64)
    event: str = Field(min_length=1, max_length=64)


class MemberSnapshot(_Strict):
    """One member as the change feed shows it (`member` = the change's data), read on demand
    by a terminal before a quote; `acked_seq` as in a change page."""

    member: dict[str, Any]
    acked_seq: int
    server_time: int


class SignedMemberSnapshot(_Strict):
    snapshot: MemberSnapshot
    signature: str  # Ed25519 by central over canonical_json(snapshot)


def canonical_json(model: BaseModel) -> bytes:
    """The bytes central signs and terminals verify: sorted keys, no whitespace, UTF-8."""
    return canonical_json_data(model.model_dump(mode="json"))


def canonical_json_data(data: Any) -> bytes:
    """`canonical_json` of a model's JSON form as received (a strict model's fields, nothing
    else): verifying a page this way skips dumping thousands of changes back out."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


class WebhookRequest(_Strict):
    """`POST /v1/admin/webhooks`: an endpoint and the event types it wants (none: all)."""

    url: str = Field(min_length=1, max_length=2000)
    events: list[str] | None = Field(default=None, max_length=50)
