"""schemathesis, the OpenAPI fuzzer, against a real central on a loopback port (issue 13): it
reads central's own OpenAPI document and sends what the schema allows and what it does not,
three ways — anonymous, with an admin key, and as an enrolled terminal whose every request is
signed (RFC 9421, `wallet_sync.httpsig`) by a requests auth hook. No answer may be a 5xx, every
status must be the one the operation documents, with the documented body and content type.

The run is bounded (MAX_EXAMPLES per operation and mode, plus schemathesis' coverage cases) so
the whole CI stays fast; `requests_sent` counts what went over the wire, and the figures are in
docs/SECURITY.md. In CI (WALLETPOS_CI=1) central runs on PostgreSQL, where an integer too large
for a column is a database error rather than a quiet Python big int.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.keys import b64, new_private_key, public_bytes
from wallet_sync.central.app import openapi_document
from wallet_sync.central.embedded import EmbeddedCentral
from wallet_sync.central.setup import init_central
from wallet_sync.httpsig import SignableMessage, sign_request

from .conftest import _admin_engine, _pg_server_url
from .helpers import load_example_programs

MAX_EXAMPLES = 6
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.response_headers_conformance, checks.negative_data_rejection,
          checks.unsupported_method, checks.allow_header_conformance]
SIGNATURE_HEADERS = ("Content-Digest", "Signature-Input", "Signature")
requests_sent = {"anonymous": 0, "admin": 0, "terminal": 0}


class TerminalSignature(requests.auth.AuthBase):
    """Signs the request exactly as it leaves: method, URL and the final body bytes."""

    def __init__(self, terminal_id: str, key: Any) -> None:
        self.terminal_id, self.key = terminal_id, key

    def __call__(self, prepared: requests.PreparedRequest) -> requests.PreparedRequest:
        for name in SIGNATURE_HEADERS:  # what the fuzzer put there gives way to the real thing
            prepared.headers.pop(name, None)
        body = prepared.body or b""
        message = SignableMessage(prepared.method or "GET", prepared.url or "",
                                  httpx.Headers(dict(prepared.headers)),
                                  body.encode() if isinstance(body, str) else bytes(body))
        sign_request(message, self.terminal_id, self.key)
        for name in SIGNATURE_HEADERS:
            prepared.headers[name] = message.headers[name]
        prepared.headers.pop("Authorization", None)
        return prepared


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory, pg_template: str | None
            ) -> Iterator[str]:
    if pg_template is None:
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'central.db'}"
        return
    url = _pg_server_url()
    assert url is not None
    name = f"walletpos_fuzz_{secrets.token_hex(5)}"
    admin = _admin_engine(url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def world(fuzz_db: str) -> Iterator[dict[str, Any]]:
    """A central with the example programs, cards, a member and one enrolled terminal."""
    admin_key = init_central(fuzz_db)["admin_key"]
    with EmbeddedCentral(fuzz_db) as central, httpx.Client(
            base_url=central.url, headers={"Authorization": f"Bearer {admin_key}"},
            timeout=30) as http:
        load_example_programs(http)
        http.post("/v1/admin/cards", json={"program": "gift-eur", "count": 3,
                                           "activate": True}).raise_for_status()
        http.post("/v1/admin/members", json={"program": "club"}).raise_for_status()
        code = http.post("/v1/admin/enroll-codes", json={"store": "S1"}).json()["code"]
        key = new_private_key()
        enrolled = http.post("/v1/enroll", headers={"Authorization": ""}, json={
            "code": code, "public_key": b64(public_bytes(key))})
        enrolled.raise_for_status()
        yield {"url": central.url, "admin_key": admin_key,
               "auth": TerminalSignature(enrolled.json()["terminal_id"], key)}


# The document is built from the routes, no database needed, so the operations are known when
# pytest collects; the first test checks the live central serves this very document.
def _schema(coverage: bool, methods: list[str] | None = None, signed: bool = False) -> Any:
    """schemathesis over central's document; `coverage` adds its deterministic phase (each
    documented boundary, each constraint broken once, and `methods` the paths do not take).
    `signed`: the signature headers leave the document, as the hook writes them anyway."""
    phase: dict[str, Any] = {"enabled": coverage}
    if methods is not None:
        phase["unexpected-methods"] = methods
    config = SchemathesisConfig.from_dict({"phases": {"coverage": phase}})
    document = openapi_document()
    if signed:
        for operations in document["paths"].values():
            for operation in operations.values():
                operation["parameters"] = [
                    p for p in operation.get("parameters", ())
                    if p["name"] not in SIGNATURE_HEADERS]
    return schemathesis.openapi.from_dict(document, config=config)


anonymous_schema = _schema(coverage=False)  # refused before any input is read, mostly
admin_schema = _schema(coverage=True, methods=["DELETE", "PATCH", "OPTIONS"])  # 405 + Allow
terminal_schema = _schema(coverage=True, methods=[], signed=True)
fuzz_settings = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                         suppress_health_check=list(HealthCheck))
SIGNED_PATHS = r"^/v1/(journal|changes|authorize|code-pool|members/|store/)"


def _call(case: Any, mode: str, base_url: str, **kwargs: Any) -> None:
    requests_sent[mode] += 1
    response = case.call(base_url=base_url, **kwargs)
    case.validate_response(response, checks=CHECKS)


def test_central_serves_the_document_the_fuzzer_reads(world: dict[str, Any]) -> None:
    assert httpx.get(world["url"] + "/openapi.json").json() == openapi_document()


def test_every_operation_documents_its_refusals() -> None:
    signed = re.compile(SIGNED_PATHS)
    for path, operations in openapi_document()["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"200", "413", "422"} <= documented, (method, path)
            if path.startswith("/v1/admin/") or signed.match(path):
                assert {"401", "403"} <= documented, (method, path)
            for status, answer in operation["responses"].items():
                if status != "200":
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (path, status)


@anonymous_schema.parametrize()
@fuzz_settings
def test_anonymous(case: Any, world: dict[str, Any]) -> None:
    _call(case, "anonymous", world["url"], headers={"Authorization": ""})


@admin_schema.include(path_regex=r"^/v1/admin/").parametrize()
@fuzz_settings
def test_with_an_admin_key(case: Any, world: dict[str, Any]) -> None:
    _call(case, "admin", world["url"],
          headers={"Authorization": f"Bearer {world['admin_key']}"})


@terminal_schema.include(path_regex=SIGNED_PATHS).parametrize()
@fuzz_settings
def test_as_a_signed_terminal(case: Any, world: dict[str, Any]) -> None:
    _call(case, "terminal", world["url"], auth=world["auth"])


def test_the_fuzzer_sent_requests(request: pytest.FixtureRequest) -> None:
    # Runs after the three above (file order): a fuzz test that sent nothing proves nothing.
    counts = dict(requests_sent)
    if os.environ.get("WALLETPOS_FUZZ_REPORT"):
        print(f"\nschemathesis requests: {counts}, total {sum(counts.values())}")
    selected = {item.name.split("[")[0] for item in request.session.items}
    for mode, test in (("anonymous", "test_anonymous"), ("admin", "test_with_an_admin_key"),
                       ("terminal", "test_as_a_signed_terminal")):
        assert counts[mode] > 0 or test not in selected, counts
