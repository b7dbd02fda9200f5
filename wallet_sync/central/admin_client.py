"""An httpx client for central's admin API, used by `walletpos admin`. Errors come back as
AdminError carrying central's reason code, or `central_unreachable` when there is no answer."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from wallet_sync.client import http_limits, tls_context
from wallet_sync.protocol import API_PREFIX


class AdminError(Exception):
    def __init__(self, reason: str, message: str, status: int | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.status = status
        self.extra = extra or {}  # the answer's other fields (`too_early`'s `allowed_at`)


class AdminClient:
    def __init__(self, base_url: str, key: str, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout,
                                  verify=tls_context(), limits=http_limits(),
                                  headers={"Authorization": f"Bearer {key}"},
                                  transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AdminClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            resp = self._http.request(method, API_PREFIX + path, **kwargs)
        except httpx.HTTPError as exc:
            raise AdminError("central_unreachable", f"cannot reach central: {exc}") from exc
        try:
            data = resp.json()
        except ValueError:
            data = None
        if resp.status_code >= 400 or not isinstance(data, dict):
            if isinstance(data, dict) and "error" in data:
                raise AdminError(str(data["error"]), str(data.get("message", "")),
                                 resp.status_code,
                                 {k: v for k, v in data.items() if k not in ("error", "message")})
            raise AdminError("bad_response", f"central answered HTTP {resp.status_code}",
                             resp.status_code)
        return data

    def load_programs(self, source: str, fmt: str = "yaml", filename: str | None = None
                      ) -> dict[str, Any]:
        return self._call("POST", "/admin/programs",
                          json={"source": source, "format": fmt, "filename": filename})

    def enroll_code(self, store: str) -> dict[str, Any]:
        return self._call("POST", "/admin/enroll-codes", json={"store": store})

    def issue_cards(self, program: str, count: int, value: str | None = None,
                    activate: bool = False, customer: str | None = None) -> dict[str, Any]:
        return self._call("POST", "/admin/cards", json={
            "program": program, "count": count, "value": value, "activate": activate,
            **({"customer": customer} if customer else {})})

    def card(self, code: str) -> dict[str, Any]:
        return self._call("GET", "/admin/cards/" + quote(code, safe=""))

    def load_card(self, code: str, amount: str) -> dict[str, Any]:
        return self._call("POST", "/admin/cards/" + quote(code, safe="") + "/load",
                          json={"amount": amount})

    def conflicts(self, status: str | None = None) -> dict[str, Any]:
        return self._call("GET", "/admin/conflicts", params={"status": status} if status else None)

    def resolve_conflict(self, conflict_id: int, reason: str) -> dict[str, Any]:
        return self._call("POST", f"/admin/conflicts/{int(conflict_id)}/resolve",
                          json={"reason": reason})

    def exposure(self) -> dict[str, Any]:
        return self._call("GET", "/admin/exposure")

    # ---- loyalty ---------------------------------------------------------------------------

    def terminals(self) -> dict[str, Any]:
        return self._call("GET", "/admin/terminals")

    def clear_flag(self, terminal: str, reason: str) -> dict[str, Any]:
        return self._call("POST", f"/admin/terminals/{quote(terminal, safe='')}/clear-flag",
                          json={"reason": reason})

    def decommission_terminal(self, terminal: str, reason: str) -> dict[str, Any]:
        return self._call("POST",
                          f"/admin/terminals/{quote(terminal, safe='')}/decommission",
                          json={"reason": reason})

    def create_member(self, program: str, country: str | None = None) -> dict[str, Any]:
        return self._call("POST", "/admin/members", json={"program": program,
                                                          "country": country})

    def member(self, code: str) -> dict[str, Any]:
        return self._call("GET", "/admin/members/" + quote(code, safe=""))

    def expire_points(self) -> dict[str, Any]:
        return self._call("POST", "/admin/points/expire")

    def create_staff(self, store: str, name: str, role: str, pin: str) -> dict[str, Any]:
        return self._call("POST", "/admin/staff",
                          json={"store": store, "name": name, "role": role, "pin": pin})

    # ---- customers -------------------------------------------------------------------------

    def _customer(self, code: str, tail: str = "") -> str:
        return "/admin/customers/" + quote(code, safe="") + tail

    def create_customer(self, program: str, fields: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/admin/customers", json={"program": program, **fields})

    def update_customer(self, code: str, fields: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", self._customer(code, "/profile"), json=fields)

    def customers(self, program: str | None = None, after: str = "", limit: int = 500
                  ) -> dict[str, Any]:
        params: dict[str, Any] = {"after": after, "limit": limit}
        if program is not None:
            params["program"] = program
        return self._call("GET", "/admin/customers", params=params)

    def customer(self, code: str) -> dict[str, Any]:
        return self._call("GET", self._customer(code))

    def link_card(self, code: str, card: str) -> dict[str, Any]:
        return self._call("POST", self._customer(code, "/cards"), json={"card": card})

    def request_consent(self, code: str, channel: str, source: str) -> dict[str, Any]:
        return self._call("POST", self._customer(code, "/consent/request"),
                          json={"channel": channel, "source": source})

    def confirm_consent(self, token: str) -> dict[str, Any]:
        return self._call("POST", "/admin/consent/confirm", json={"token": token})

    def withdraw_consent(self, code: str, channel: str, source: str) -> dict[str, Any]:
        return self._call("POST", self._customer(code, "/consent/withdraw"),
                          json={"channel": channel, "source": source})

    def export_customer(self, code: str) -> dict[str, Any]:
        return self._call("GET", self._customer(code, "/export"))

    def erase_customer(self, code: str) -> dict[str, Any]:
        return self._call("POST", self._customer(code, "/erase"))

    def event(self, member: str, event: str, key: str) -> dict[str, Any]:
        return self._call("POST", "/admin/events",
                          json={"member": member, "event": event, "key": key})

    # ---- the head-office console ---------------------------------------------------------

    def create_user(self, username: str, name: str, role: str, password: str,
                    language: str = "") -> dict[str, Any]:
        return self._call("POST", "/admin/office-users", json={
            "username": username, "name": name, "role": role, "password": password,
            "language": language})

    def liability(self, as_of: str | None = None) -> dict[str, Any]:
        return self._call("GET", "/admin/reports/liability",
                          params={"as_of": as_of} if as_of else None)

    def points_liability(self, as_of: str | None = None) -> dict[str, Any]:
        return self._call("GET", "/admin/reports/points-liability",
                          params={"as_of": as_of} if as_of else None)

    # ---- webhooks ------------------------------------------------------------------------

    def add_webhook(self, url: str, events: list[str] | None = None) -> dict[str, Any]:
        return self._call("POST", "/admin/webhooks", json={"url": url, "events": events})

    def webhooks(self) -> dict[str, Any]:
        return self._call("GET", "/admin/webhooks")

    def remove_webhook(self, endpoint_id: str) -> dict[str, Any]:
        return self._call("DELETE", f"/admin/webhooks/{quote(endpoint_id, safe='')}")

    def test_webhook(self, endpoint_id: str) -> dict[str, Any]:
        return self._call("POST", f"/admin/webhooks/{quote(endpoint_id, safe='')}/test")

    def trigger_results(self, trigger_id: str) -> dict[str, Any]:
        return self._call("GET", f"/admin/triggers/{quote(trigger_id, safe='')}/results")

    def referral_code(self, code: str) -> dict[str, Any]:
        return self._call("GET", self._customer(code, "/referral-code"))
