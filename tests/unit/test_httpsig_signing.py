"""A terminal's request signature: the short path (`httpsig._sign_plain`) writes exactly the
headers the library writes for the same request and time, and what it signs verifies; a
request it does not handle goes through the library unchanged."""

from __future__ import annotations

import time

import httpx
import pytest

from core.keys import new_private_key, public_bytes, public_from_bytes
from wallet_sync import httpsig
from wallet_sync.httpsig import (
    SignableMessage,
    SignatureRejected,
    sign_request,
    sign_with_library,
    verify_signed,
)

CREATED = 1_796_000_000
HEAD = "12:" + "ab" * 32

REQUESTS = [
    ("GET", "http://127.0.0.1:8750/v1/changes?cursor=0&limit=1000&head=3", b"", HEAD),
    ("GET", "http://127.0.0.1:8750/v1/changes", b"", None),
    ("POST", "http://central.example:443/v1/authorize", b'{"card":"GC-1","amount":"0.01"}',
     HEAD),
    ("POST", "https://central.example/v1/journal", b'{"entries":[]}', None),
    ("GET", "http://127.0.0.1:8750/", b"", None),
    ("GET", "http://127.0.0.1:8750/v1/cards/GC%2D1?x=%20y&&z=", b"", HEAD),
    ("PUT", "http://[::1]:8750/v1/x?", "é".encode(), HEAD),
    ("DELETE", "http://127.0.0.1:8750/v1/customers/C-1", b"", "0:" + "00" * 32),
]


def _message(method: str, url: str, body: bytes, head: str | None) -> SignableMessage:
    headers = httpx.Headers({"content-type": "application/json"} if body else {})
    if head is not None:
        headers["wallet-head"] = head
    return SignableMessage(method, url, headers, body)


@pytest.mark.parametrize(("method", "url", "body", "head"), REQUESTS)
def test_plain_path_writes_the_librarys_bytes(method: str, url: str, body: bytes,
                                              head: str | None) -> None:
    key = new_private_key()
    plain, library = _message(method, url, body, head), _message(method, url, body, head)
    assert httpsig._sign_plain(plain, "T-ABCD1234", key, CREATED)
    sign_with_library(library, "T-ABCD1234", key, CREATED)
    assert list(plain.headers.multi_items()) == list(library.headers.multi_items())


def test_what_it_signs_verifies_and_covers_the_head() -> None:
    key = new_private_key()
    message = _message(*REQUESTS[0])
    sign_request(message, "T-ABCD1234", key)
    verified = verify_signed(message, lambda _: public_from_bytes(public_bytes(key)))
    assert (verified.key_id, verified.head) == ("T-ABCD1234", HEAD)
    message.headers["wallet-head"] = "13:" + "ab" * 32
    with pytest.raises(SignatureRejected):
        verify_signed(message, lambda _: public_from_bytes(public_bytes(key)))


@pytest.mark.parametrize("odd", [
    {"key_id": 'T-"quoted"'},
    {"headers": [("wallet-head", HEAD), ("Wallet-Head", HEAD)]},
    {"headers": [("wallet-head", " 12:ab ")]},
    {"headers": [("content-digest", "sha-256=:AAAA:")]},
    {"url": "http://127.0.0.1:8750/v1/ä"},
    {"method": "get"},
])
def test_anything_else_goes_through_the_library(odd: dict) -> None:
    key = new_private_key()
    headers = httpx.Headers(odd.get("headers", []))
    message = SignableMessage(odd.get("method", "GET"),
                              odd.get("url", "http://127.0.0.1:8750/v1/changes"), headers, b"")
    before = list(headers.multi_items())
    assert not httpsig._sign_plain(message, odd.get("key_id", "T-1"), key, CREATED)
    assert list(message.headers.multi_items()) == before


def _verifies(message: SignableMessage, key: object, *, library: bool) -> object:
    def lookup(_: str) -> object:
        return public_from_bytes(public_bytes(key))  # type: ignore[arg-type]

    check = httpsig.verify_with_library if library else verify_signed
    try:
        return check(message, lookup)  # type: ignore[arg-type]
    except SignatureRejected:
        return "rejected"


@pytest.mark.parametrize(("method", "url", "body", "head"), REQUESTS)
def test_plain_verify_answers_what_the_library_answers(method: str, url: str, body: bytes,
                                                       head: str | None) -> None:
    key = new_private_key()
    message = _message(method, url, body, head)
    sign_request(message, "T-ABCD1234", key)
    assert httpsig._verify_plain(message, lambda _: public_from_bytes(public_bytes(key))) \
        is not None
    assert _verifies(message, key, library=False) == _verifies(message, key, library=True) \
        != "rejected"


TAMPER = [
    ("method", "PUT"), ("url", "http://127.0.0.1:8750/v1/changes?cursor=1"),
    ("url", "http://127.0.0.1:8750/v1/other"), ("body", b"x"),
    ("header", ("wallet-head", "13:" + "ab" * 32)), ("drop", "wallet-head"),
    ("drop", "content-digest"), ("header", ("signature", "pyhms=:" + "A" * 86 + "==:")),
    ("header", ("signature-input", 'pyhms=("@method" "@path" "@query" "content-digest")'
                                   ';created=1;keyid="T-ABCD1234";alg="ed25519"')),
    ("add", ("signature", "other=:AAAA:")),
    ("other_key", None),
]


@pytest.mark.parametrize(("what", "change"), TAMPER)
def test_a_changed_request_is_refused_on_both_paths(what: str, change: object) -> None:
    key = new_private_key()
    message = _message(*REQUESTS[0])
    sign_request(message, "T-ABCD1234", key)
    if what == "method":
        message.method = str(change)
    elif what == "url":
        message.url = str(change)
    elif what == "body":
        message.body = change  # type: ignore[assignment]
    elif what == "header":
        name, value = change  # type: ignore[misc]
        message.headers[name] = value
    elif what == "add":
        name, value = change  # type: ignore[misc]
        message.headers = httpx.Headers([*message.headers.multi_items(), (name, value)])
    elif what == "drop":
        del message.headers[str(change)]
    elif what == "other_key":
        key = new_private_key()
    assert _verifies(message, key, library=False) == "rejected"
    assert _verifies(message, key, library=True) == "rejected"


def test_a_stale_signature_is_refused() -> None:
    key = new_private_key()
    message = _message(*REQUESTS[0])
    sign_request(message, "T-ABCD1234", key,
                 created=int(time.time() - httpsig.MAX_AGE.total_seconds()) - 10)
    assert httpsig._verify_plain(message, lambda _: public_from_bytes(public_bytes(key))) is None
    assert _verifies(message, key, library=False) == "rejected"
