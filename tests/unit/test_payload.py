"""Scanned/typed payloads: every accepted shape resolves, everything else is refused, typed."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from core.codes import ALPHABET, generate_code
from core.credential import CardCredential, issue_credential
from core.errors import CredentialInvalid, InvalidCode, InvalidInput
from core.payload import Identifier, PayloadRefused, parse_payload

GIFT, VOUCHER, MEMBER = "GC-####-####-####", "WV-####-####", "LM-########"
CARD = "GC-7Q2M-9XKD-4HBH"
ISSUER = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
FORGER = Ed25519PrivateKey.generate()
HOST = "wallet.example.com"


def parse(text: str) -> Identifier:
    return parse_payload(
        text,
        code_patterns=[GIFT, VOUCHER],
        member_patterns=[MEMBER],
        issuer_keys={"k1": ISSUER.public_key()},
        url_hosts=[HOST],
    )


def refused(text: str, reason: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        parse(text)
    assert info.value.reason == reason, info.value.message
    return info.value


def _cred(code: str = CARD, kind: str = "gift_card") -> CardCredential:
    return CardCredential("k1", code, kind, "EUR", 1_764_072_000, None)


@pytest.mark.parametrize(
    "text",
    [CARD, "gc7q2m9xkd4hbh", " GC 7Q2M 9XKD 4HBH ", CARD + "\r\n", CARD + "\n", CARD + "\r"],
)
def test_card_codes_typed_or_wedge_scanned(text: str) -> None:
    assert parse(text) == Identifier("card", CARD, None)


def test_member_and_voucher_codes() -> None:
    member, voucher = generate_code(MEMBER), generate_code(VOUCHER)
    assert parse(member.lower()) == Identifier("member", member)
    assert parse(voucher) == Identifier("card", voucher)


def test_genuine_credential_resolves_to_its_code() -> None:
    cred = _cred()
    got = parse(issue_credential(cred, ISSUER) + "\r\n")
    assert got == Identifier("credential", CARD, cred)
    member = generate_code(MEMBER)
    loyalty = _cred(member, "loyalty")
    assert parse(issue_credential(loyalty, ISSUER)).credential == loyalty


def test_forged_credential_is_refused() -> None:
    exc = refused(issue_credential(_cred(), FORGER), "credential_invalid")
    assert isinstance(exc, CredentialInvalid)


@pytest.mark.parametrize("code", ["GC-7Q2M-9XKD-4HBJ", "gc-7q2m-9xkd-4hbh", "XX-1", "GC-U"])
def test_signed_credential_with_a_bad_or_non_canonical_code_is_refused(code: str) -> None:
    refused(issue_credential(_cred(code), ISSUER), "credential_invalid")


@pytest.mark.parametrize(
    "url",
    [
        f"https://{HOST}/c/{CARD}",
        f"https://{HOST}/c/{CARD}/",
        f"HTTPS://{HOST.upper()}/C/{CARD}",  # QR alphanumeric mode is uppercase
        f"https://{HOST}/card?code={CARD.lower()}",
        f"https://{HOST}/?c={CARD}&utm_source=flyer",
        f"https://{HOST}:8443/c/GC%2D7Q2M%2D9XKD%2D4HBH",
        f"https://{HOST}./c/{CARD}",
    ],
)
def test_links_from_our_host_carry_a_code(url: str) -> None:
    assert parse(url) == Identifier("card", CARD)


@pytest.mark.parametrize(
    "url",
    [
        f"https://evil.example.com/c/{CARD}",
        f"https://{HOST}.evil.com/c/{CARD}",
        f"https://{HOST}@evil.com/c/{CARD}",
        f"https://user@{HOST}/c/{CARD}",
        f"http://{HOST}/c/{CARD}",
        f"ftp://{HOST}/c/{CARD}",
        f"https://[{HOST}/c/{CARD}",
        f"https://{HOST}:99999/c/{CARD}",
        f"javascript://{HOST}/%0aalert(1)",
    ],
)
def test_foreign_or_tricky_links_are_refused(url: str) -> None:
    refused(url, "foreign_url")


def test_links_without_a_usable_code_are_refused() -> None:
    refused(f"https://{HOST}/", "unknown_payload")
    refused(f"https://{HOST}/?code={CARD}&c=GC-0000-0000-0000", "unknown_payload")
    refused(f"https://{HOST}/c/GC-7Q2M-9XKD-4HBJ", "code_check_failed")
    refused(f"https://{HOST}/c/%00{CARD}", "invalid_code")
    refused(f"https://{HOST}/c/hello-world", "invalid_code")


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "payload_empty"),
        ("   ", "payload_empty"),
        ("\r\n", "payload_empty"),
        ("A" * 4097, "payload_too_long"),
        ("A" * 10_000_000, "payload_too_long"),
        ("GC-7Q2M\x00-9XKD-4HBH", "payload_control_chars"),
        ("GC-7Q2M-9XKD-4HBH\t", "payload_control_chars"),
        ("\x1b[31mGC-7Q2M-9XKD-4HBH", "payload_control_chars"),
        ("GC-7Q2M-9XKD\u202e-4HBH", "payload_control_chars"),  # bidi override
        ("GC-7Q2M-9XKD\u200b-4HBH", "payload_control_chars"),  # zero-width space
        ("\ud800", "payload_control_chars"),  # lone surrogate
        (bytes(range(256)).decode("latin-1"), "payload_control_chars"),
        ("hello world!", "unknown_payload"),
        ("{'card': 'GC-7Q2M-9XKD-4HBH'}", "unknown_payload"),
        ("ＧＣ-7Q2M-9XKD-4HBH", "unknown_payload"),
        ("GC-7Q2M-9XKD-4HBJ", "code_check_failed"),
        ("GC-7Q2M-9XKD-4HB", "invalid_code"),
        ("HELLO", "invalid_code"),
        ("WP1:NOTBASE45@", "credential_invalid"),
    ],
)
def test_refusals_carry_the_reason(text: str, reason: str) -> None:
    refused(text, reason)


def test_refusal_types_are_specific() -> None:
    with pytest.raises(PayloadRefused):
        parse("")
    with pytest.raises(InvalidCode):
        parse("GC-7Q2M-9XKD-4HBJ")
    with pytest.raises(PayloadRefused):
        parse(b"GC-7Q2M-9XKD-4HBH")  # type: ignore[arg-type]


def _expect_refused_or_same(text: str, original: str) -> None:
    try:
        got = parse(text)
    except InvalidInput:
        return
    assert got.code == original, f"{text!r} was accepted as a different code {got.code}"


@settings(max_examples=400)
@given(st.sampled_from([GIFT, VOUCHER, MEMBER]), st.data())
def test_near_miss_single_change_is_never_another_valid_code(
    pattern: str, data: st.DataObject
) -> None:
    code = generate_code(pattern)
    i = data.draw(st.integers(0, len(code) - 1))
    new = data.draw(st.sampled_from(ALPHABET + "ILOUilou-_. #x"))
    typo = code[:i] + new + code[i + 1 :]
    _expect_refused_or_same(typo, code)
    if new.upper() in ALPHABET and new.upper() != code[i] and code[i] != "-" and i >= 2:
        # a real substitution in a '#' position is always refused as a typo
        with pytest.raises(InvalidCode):
            parse(typo)


@settings(max_examples=400)
@given(st.sampled_from([GIFT, VOUCHER, MEMBER]), st.data())
def test_near_miss_adjacent_swap_is_never_another_valid_code(
    pattern: str, data: st.DataObject
) -> None:
    code = generate_code(pattern)
    i = data.draw(st.integers(0, len(code) - 2))
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    _expect_refused_or_same(swapped, code)
    if "-" not in (code[i], code[i + 1]) and code[i] != code[i + 1]:
        with pytest.raises(InvalidInput):
            parse(swapped)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_random_text_is_identified_or_refused_typed(text: str) -> None:
    try:
        got = parse(text)
    except InvalidInput:
        return
    assert got.kind in ("card", "member")  # random text is never a verified credential


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["WP1:", f"https://{HOST}/c/", f"https://{HOST}/?code=", "GC-"]),
       st.text(max_size=200))
def test_random_text_after_a_known_prefix_is_refused_typed(prefix: str, tail: str) -> None:
    try:
        got = parse(prefix + tail)
    except InvalidInput:
        return
    assert got.kind in ("card", "member")
