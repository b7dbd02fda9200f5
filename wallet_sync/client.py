"""The terminal's HTTP client for central: enroll, authorize, push and pull over /v1.

What it owns:
- explicit timeouts on every call (a terminal at the counter must never hang on the network);
- RFC 9421 signing of every request except /v1/enroll (which is authenticated by its code);
- retries with jittered exponential backoff for connection errors, timeouts and 5xx only —
  a 4xx is central's considered answer and retrying it cannot change it;
- typed errors: `CentralUnreachable` (nothing usable came back) and `CentralRefused` (central
  answered with an error status; `reason`, `status`, `body`);
- verification of change pages with the central key received at enrollment, and of every
  approval central signs (spends, value authorizations, points holds);
- the terminal's journal head on every signed request (`Wallet-Head`, covered by the
  signature, read just before each attempt is signed), so central can hold it to its chain;
- telling the terminal when central refuses it as quarantined (`on_refused`).

Retrying is safe because every signed call is idempotent at central: authorize by request_id,
push by (terminal, seq, hash), pull is a read. Enroll consumes a one-time code, so it is retried
only when the connection was never made.
"""

from __future__ import annotations

import json
import random
import ssl
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ValidationError

from core.errors import WalletError
from core.journal import SignedEntry
from core.keys import b64, unb64, verify
from core.money import parse_minor
from wallet_sync.httpsig import SignableMessage, sign_request
from wallet_sync.protocol import (
    API_PREFIX,
    HEAD_HEADER,
    AuthorizeRequest,
    AuthorizeResponse,
    ChangePage,
    CodePoolRequest,
    EnrollRequest,
    EnrollResponse,
    EventClaimRequest,
    MemberSnapshot,
    PointsAuthorizeRequest,
    PointsAuthorizeResponse,
    PushRequest,
    PushResponse,
    SignedChangePage,
    SignedMemberSnapshot,
    ValueAuthorizeRequest,
    ValueAuthorizeResponse,
    WireEntry,
    authorization_message,
    canonical_json,
    canonical_json_data,
    head_header,
    points_authorization_message,
    user_agent,
    value_authorization_message,
)

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_RETRIES = 3
BACKOFF_BASE_S = 0.2
BACKOFF_CAP_S = 5.0
MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # a full snapshot page is large but bounded

M = TypeVar("M", bound=BaseModel)


class CentralError(WalletError):
    """Base of the errors this client raises."""

    reason = "central_error"


class CentralUnreachable(CentralError):
    """No usable answer: connection refused, timeout, dropped response or repeated 5xx."""

    reason = "central_unreachable"


class CentralRefused(CentralError):
    """Central answered with a 4xx (or a response that fails validation/verification)."""

    def __init__(self, reason: str, status: int, body: dict[str, Any] | None = None,
                 message: str | None = None) -> None:
        super().__init__(message or f"central refused: {reason} (HTTP {status})", reason=reason)
        self.status = status
        self.body = body or {}

    @property
    def expected_seq(self) -> int | None:
        value = self.body.get("expected_seq")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


# Idle connections are dropped by the client long before central closes them (central keeps
# them 30 s): with equal timeouts a request can go out on a socket the server is closing and
# come back "connection reset" (seen as a flaky admin top-up in the partition simulation).
CLIENT_KEEPALIVE_S = 4.0
SERVER_KEEPALIVE_S = 30


@lru_cache(maxsize=1)
def software_version() -> str:
    """This install's walletpos version, which every request names (User-Agent), so head
    office sees what each terminal runs."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("walletpos")
    except PackageNotFoundError:  # a bare checkout on sys.path, never installed
        return "unknown"


def http_limits() -> httpx.Limits:
    return httpx.Limits(keepalive_expiry=CLIENT_KEEPALIVE_S)


@lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One TLS context per process: building one loads the CA bundle, ~70 ms each time, which
    was most of an online redemption's latency when every call made a fresh httpx client."""
    return ssl.create_default_context()


def backoff_delay(attempt: int, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_CAP_S) -> float:
    """Full-jitter exponential backoff: many terminals coming back after one outage must not
    hit central in lockstep."""
    return random.uniform(0, min(cap, base * (2**attempt)))


class CentralClient:
    """One central, one terminal identity. Cheap to create (shared TLS context); owns an
    httpx.Client, so keep one for a session to reuse its connections."""

    def __init__(
        self,
        base_url: str,
        *,
        terminal_id: str | None = None,
        private_key: Ed25519PrivateKey | None = None,
        central_key: Ed25519PublicKey | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        retries: int = DEFAULT_RETRIES,
        backoff_base: float = BACKOFF_BASE_S,
        transport: httpx.BaseTransport | None = None,
        head: Callable[[], tuple[int, bytes]] | None = None,
        on_refused: Callable[[CentralRefused], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._head = head  # (last seq, its hash) of the local journal, read per attempt
        self._on_refused = on_refused
        self.terminal_id = terminal_id
        self._private_key = private_key
        self._central_key = central_key
        self.timeout = timeout
        self.retries = retries
        self.backoff_base = backoff_base
        # trust_env=False: a terminal must not silently route money calls through whatever
        # proxy the shop PC's environment happens to name.
        self._http = httpx.Client(transport=transport, trust_env=False, verify=tls_context(),
                                  limits=http_limits(),
                                  headers={"user-agent": user_agent(software_version())},
                                  timeout=httpx.Timeout(timeout))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- endpoints -------------------------------------------------------------------------

    def enroll(self, code: str, public_key: bytes, name: str | None = None) -> EnrollResponse:
        req = EnrollRequest(code=code, public_key=b64(public_key), name=name)
        data = self._call("POST", "/enroll", req, signed=False, retry_transport=False)
        return self._parse(EnrollResponse, data)

    def authorize(self, request: AuthorizeRequest, *, timeout: float | None = None,
                  ) -> AuthorizeResponse:
        """`timeout` is the whole budget, retries included: the cashier is waiting. An approval
        is accepted only with central's valid signature over exactly what was asked."""
        budget = timeout if timeout is not None else self.timeout
        data = self._call("POST", "/authorize", request, deadline=time.monotonic() + budget)
        answer = self._parse(AuthorizeResponse, data)
        if answer.status == "approved":
            self._check_authorization(request, answer)
        return answer

    def _check_authorization(self, request: AuthorizeRequest, answer: AuthorizeResponse) -> None:
        try:
            amount = parse_minor(request.amount, request.currency)
        except WalletError:
            amount = -1
        self._check_signed(answer.auth_id, answer.signature, authorization_message(
            answer.auth_id or "", self.terminal_id or "", request.card, amount,
            request.currency, answer.expires_at if answer.expires_at is not None else -1))

    def authorize_value(self, request: ValueAuthorizeRequest, *, timeout: float | None = None
                        ) -> ValueAuthorizeResponse:
        """Central's authority for one entry that raises a balance or points; an approval
        counts only with central's valid signature over exactly what was asked."""
        budget = timeout if timeout is not None else self.timeout
        data = self._call("POST", "/authorize-value", request,
                          deadline=time.monotonic() + budget)
        answer = self._parse(ValueAuthorizeResponse, data)
        if answer.status == "approved":
            try:
                amount = (int(request.amount) if request.op == "adjust"
                          else parse_minor(request.amount, request.currency or "",
                                           allow_zero=request.op == "activate"))
            except (WalletError, ValueError):
                amount = -1
            self._check_signed(answer.auth_id, answer.signature, value_authorization_message(
                answer.auth_id or "", self.terminal_id or "", request.op, request.card, amount,
                request.currency, request.staff,
                answer.expires_at if answer.expires_at is not None else -1))
        return answer

    def authorize_points(self, request: PointsAuthorizeRequest, *,
                         timeout: float | None = None) -> PointsAuthorizeResponse:
        """A hold on a member's points for an online burn, signature checked."""
        budget = timeout if timeout is not None else self.timeout
        data = self._call("POST", "/authorize-points", request,
                          deadline=time.monotonic() + budget)
        answer = self._parse(PointsAuthorizeResponse, data)
        if answer.status == "approved":
            self._check_signed(answer.auth_id, answer.signature, points_authorization_message(
                answer.auth_id or "", self.terminal_id or "", request.member, request.points,
                answer.expires_at if answer.expires_at is not None else -1))
        return answer

    def _check_signed(self, auth_id: str | None, signature: str | None, message: bytes) -> None:
        if self._central_key is None or self.terminal_id is None:
            raise CentralError("no central key to verify authorizations", reason="not_enrolled")
        try:
            raw = unb64(signature or "")
        except WalletError:
            raw = b""
        if not auth_id or not verify(self._central_key, raw, message):
            raise CentralRefused("bad_authorization", 200,
                                 message="authorization signature does not verify")

    def push(self, entries: Sequence[SignedEntry], *, timeout: float | None = None,
             retries: int | None = None) -> PushResponse:
        if self.terminal_id is None:
            raise CentralError("push needs an enrolled terminal", reason="not_enrolled")
        req = PushRequest(terminal=self.terminal_id,
                          entries=[WireEntry(data=b64(e.data), sig=b64(e.signature))
                                   for e in entries])
        deadline = time.monotonic() + timeout if timeout is not None else None
        data = self._call("POST", "/journal", req, deadline=deadline, retries=retries)
        return self._parse(PushResponse, data)

    def pull(self, cursor: int, limit: int, head: int | None = None) -> ChangePage:
        """One change page after `cursor`, refused unless central's signature verifies. `head`
        (the local journal's last seq) goes on a sync's first page: see PROTOCOL.md, Pull."""
        params: dict[str, int] = {"cursor": cursor, "limit": limit}
        if head is not None:
            params["head"] = head
        query = urlencode(params)
        data = self._call("GET", f"/changes?{query}", None)
        signed = self._parse(SignedChangePage, data)  # strict: exactly the model's fields
        if self._central_key is None:
            raise CentralError("no central key to verify change pages", reason="not_enrolled")
        try:
            signature = unb64(signed.signature)
        except WalletError:
            signature = b""
        if not verify(self._central_key, signature, canonical_json_data(data["page"])):
            raise CentralRefused("bad_page_signature", 200,
                                 message="change page signature does not verify")
        return signed.page

    def member(self, code: str, *, timeout: float | None = None) -> MemberSnapshot:
        """A loyalty member's current points as central holds them, signature verified
        (`timeout` is the whole budget: the cashier is waiting)."""
        budget = timeout if timeout is not None else self.timeout
        data = self._call("GET", "/members/" + quote(code, safe=""), None,
                          deadline=time.monotonic() + budget)
        signed = self._parse(SignedMemberSnapshot, data)
        try:
            signature = unb64(signed.signature)
        except WalletError:
            signature = b""
        if self._central_key is None or not verify(self._central_key, signature,
                                                   canonical_json(signed.snapshot)):
            raise CentralRefused("bad_snapshot_signature", 200,
                                 message="member snapshot signature does not verify")
        return signed.snapshot

    def event_claim(self, request: EventClaimRequest, *, timeout: float | None = None
                    ) -> dict[str, Any]:
        """Central's count before an event earn limited per customer: {status, reason,
        claim, approved, declined}. Unsigned: central re-checks the claim at ingest, so an
        approval it never gave pays nothing (`central.customer_events.check_unclaimed`)."""
        budget = timeout if timeout is not None else self.timeout
        data = self._call("POST", "/event-claims", request, deadline=time.monotonic() + budget)
        if data.get("status") not in ("approved", "declined") or not isinstance(
                data.get("claim"), int):
            raise CentralRefused("bad_response", 200, message="malformed event claim")
        return data

    def code_pool(self, program: str, target: int) -> list[tuple[str, str]]:
        """[(code, qr)]: this terminal's unused reserved codes of `program`, topped up to
        `target`. Asking again returns the same codes, so a lost answer costs nothing."""
        data = self._call("POST", "/code-pool", CodePoolRequest(program=program, target=target))
        codes = data.get("codes")
        if not isinstance(codes, list) or not all(
                isinstance(c, dict) and isinstance(c.get("code"), str)
                and isinstance(c.get("qr"), str) for c in codes):
            raise CentralRefused("bad_response", 200, message="malformed code pool answer")
        return [(c["code"], c["qr"]) for c in codes]

    def store_conflicts(self, status: str = "open", limit: int = 100,
                        timeout: float | None = None) -> dict[str, Any]:
        """{"store", "as_of", "conflicts": [...]}: the conflict cases raised by this terminal's
        store, newest first (`status` "open" or "all"; `timeout` is the whole budget)."""
        budget = timeout if timeout is not None else self.timeout
        query = urlencode({"status": status, "limit": limit})
        data = self._call("GET", f"/store/conflicts?{query}", None,
                          deadline=time.monotonic() + budget)
        cases = data.get("conflicts")
        if not isinstance(cases, list) or not all(
                isinstance(c, dict) and isinstance(c.get("id"), int) for c in cases):
            raise CentralRefused("bad_response", 200, message="malformed conflict list")
        return data

    # ---- transport -------------------------------------------------------------------------

    def _call(self, method: str, path: str, body: BaseModel | None, *, signed: bool = True,
              deadline: float | None = None, retries: int | None = None,
              retry_transport: bool = True) -> dict[str, Any]:
        url = f"{self.base_url}{API_PREFIX}{path}"
        content = body.model_dump_json().encode("utf-8") if body is not None else b""
        max_retries = self.retries if retries is None else retries
        attempt = 0
        while True:
            timeout = self.timeout
            if deadline is not None:
                timeout = min(timeout, deadline - time.monotonic())
                if timeout <= 0:
                    raise CentralUnreachable("central did not answer in time")
            try:
                response = self._send(method, url, content, signed, timeout)
            except httpx.TransportError as exc:
                # A ConnectError means nothing reached central; anything else (timeout, reset,
                # dropped response) may have been processed, which only idempotent calls retry.
                retryable = retry_transport or isinstance(exc, httpx.ConnectError)
                failure: CentralError = CentralUnreachable(
                    f"central unreachable: {type(exc).__name__}: {exc}")
            else:
                if response.status_code < 400:
                    return self._json(response)
                body_json = self._error_body(response)
                if response.status_code < 500:
                    refused = CentralRefused(str(body_json.get("error") or "refused"),
                                             response.status_code, body_json,
                                             message=str(body_json.get("message") or "") or None)
                    if self._on_refused is not None:
                        self._on_refused(refused)
                    raise refused
                retryable = True
                failure = CentralUnreachable(f"central failed: HTTP {response.status_code}")
            if not retryable or attempt >= max_retries:
                raise failure
            delay = backoff_delay(attempt, self.backoff_base)
            if deadline is not None and time.monotonic() + delay >= deadline:
                raise failure
            time.sleep(delay)
            attempt += 1

    def _send(self, method: str, url: str, content: bytes, signed: bool, timeout: float
              ) -> httpx.Response:
        headers = httpx.Headers({"accept": "application/json"})
        if content:
            headers["content-type"] = "application/json"
        if signed:
            if self.terminal_id is None or self._private_key is None:
                raise CentralError("signed call before enrollment", reason="not_enrolled")
            if self._head is not None:
                # Read just before signing: what the journal holds at this moment.
                headers[HEAD_HEADER] = head_header(*self._head())
            message = SignableMessage(method, url, headers, content)
            # Signed per attempt: a retry gets a fresh `created` inside central's replay window.
            sign_request(message, self.terminal_id, self._private_key)
        return self._http.request(method, url, content=content, headers=headers,
                                  timeout=httpx.Timeout(timeout))

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise CentralRefused("response_too_large", response.status_code)
        try:
            data = json.loads(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CentralRefused("bad_response", response.status_code,
                                 message=f"central sent non-JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise CentralRefused("bad_response", response.status_code)
        return data

    @staticmethod
    def _error_body(response: httpx.Response) -> dict[str, Any]:
        try:
            data = json.loads(response.content[:65536])
        except (ValueError, UnicodeDecodeError):
            return {}
        if not isinstance(data, dict):
            return {}
        # FastAPI's default HTTPException shape is {"detail": {...}}; accept both.
        detail = data.get("detail")
        if "error" not in data and isinstance(detail, dict):
            return detail
        return data

    @staticmethod
    def _parse(model: type[M], data: dict[str, Any]) -> M:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise CentralRefused("bad_response", 200,
                                 message=f"central sent a malformed {model.__name__}") from exc
