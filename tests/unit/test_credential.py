"""Card credentials: genuine ones round-trip, forged or damaged ones are refused, always typed."""

from __future__ import annotations

import base45
import cbor2
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from pycose.algorithms import EdDSA
from pycose.headers import KID, Algorithm
from pycose.keys import OKPKey
from pycose.keys.curves import Ed25519
from pycose.messages import Sign1Message

from core.codes import generate_code
from core.credential import (
    MAX_COSE_BYTES,
    PREFIX,
    CardCredential,
    encode_cose,
    issue_credential,
    peek_credential,
    read_credential,
)
from core.errors import CredentialInvalid

ISSUER = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
KEYS = {"k1": ISSUER.public_key()}
CRED = CardCredential("k1", "GC-7Q2M-9XKD-4HBH", "gift_card", "EUR", 1_764_072_000, 1_893_456_000)
GENUINE = issue_credential(CRED, ISSUER)


def _cose(text: str) -> bytes:
    return base45.b45decode(text[len(PREFIX):])


def _wrap(cose: bytes) -> str:
    return PREFIX + base45.b45encode(cose).decode("ascii")


def _refused(text: object, keys: dict | None = None) -> CredentialInvalid:
    with pytest.raises(CredentialInvalid) as info:
        read_credential(text, KEYS if keys is None else keys)  # type: ignore[arg-type]
    assert info.value.reason == "credential_invalid"
    assert info.value.message
    return info.value


@pytest.mark.parametrize(
    "cred",
    [
        CRED,
        CardCredential("k1", "GC-7Q2M-9XKD-4HBH", "gift_card", "JPY", 0, None),
        CardCredential("k1", generate_code("LM-########"), "loyalty", "CHF", 1_700_000_000, None),
    ],
)
def test_genuine_credential_round_trips(cred: CardCredential) -> None:
    text = issue_credential(cred, ISSUER)
    assert text.startswith("WP1:")
    assert read_credential(text, KEYS) == cred
    assert peek_credential(text) == cred


def test_longest_code_pattern_fits_the_qr_budget() -> None:
    # Worst case we support: 17-character code, 4-character key id, an expiry.
    cred = CardCredential("2025", generate_code("GC-####-####-####"), "gift_card", "EUR",
                          1_764_072_000, 4_102_444_800)
    size = len(encode_cose(cred, ISSUER))
    assert size <= MAX_COSE_BYTES == 120
    assert len(encode_cose(CRED, ISSUER)) == 118  # measured with key id "k1"; see DECISIONS
    assert read_credential(issue_credential(cred, ISSUER), {"2025": ISSUER.public_key()}) == cred


def test_issuing_over_budget_or_malformed_is_refused() -> None:
    with pytest.raises(CredentialInvalid, match="budget"):
        issue_credential(CardCredential("key-2025-11-prod", *_rest(CRED)), ISSUER)
    for bad in [
        CardCredential("", *_rest(CRED)),
        CardCredential("k1", CRED.code, "voucher", "EUR", 1, None),
        CardCredential("k1", CRED.code, "gift_card", "XXX", 1, None),
        CardCredential("k1", CRED.code, "gift_card", "EUR", 1.5, None),  # type: ignore[arg-type]
        CardCredential("k1", CRED.code, "gift_card", "EUR", True, None),  # type: ignore[arg-type]
        CardCredential("k1", CRED.code, "gift_card", "EUR", 100, 100),
        CardCredential("k1", "GC 7Q2M", "gift_card", "EUR", 1, None),
    ]:
        with pytest.raises(CredentialInvalid):
            issue_credential(bad, ISSUER)


def _rest(cred: CardCredential) -> tuple:
    return (cred.code, cred.kind, cred.currency, cred.issued, cred.expiry)


def test_payload_carries_no_balance_only_the_documented_fields() -> None:
    protected, unprotected, payload, _sig = cbor2.loads(_cose(GENUINE)).value
    assert cbor2.loads(protected) == {1: -8, 4: b"k1"}
    assert dict(unprotected) == {}
    assert cbor2.loads(payload) == {2: CRED.code, 3: 1, 4: "EUR", 5: CRED.issued, 6: CRED.expiry}


def test_signature_by_another_key_under_our_key_id_is_refused() -> None:
    forged = issue_credential(CRED, OTHER)
    assert peek_credential(forged) == CRED  # looks identical ...
    assert "forged" in _refused(forged).message  # ... but does not verify


def test_unknown_key_id_is_refused() -> None:
    assert "unknown key" in _refused(GENUINE, {"k2": ISSUER.public_key()}).message


def test_altered_payload_with_original_signature_is_refused() -> None:
    protected, _u, payload, sig = cbor2.loads(_cose(GENUINE)).value
    body = dict(cbor2.loads(payload))
    body[2] = generate_code("GC-####-####-####")
    altered = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, cbor2.dumps(body), sig]))
    assert peek_credential(_wrap(altered)).code == body[2]
    _refused(_wrap(altered))


def test_swapping_kid_to_another_trusted_key_is_refused() -> None:
    _p, _u, payload, sig = cbor2.loads(_cose(GENUINE)).value
    protected = cbor2.dumps({1: -8, 4: b"k2"})
    swapped = _wrap(cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, sig])))
    _refused(swapped, {"k1": ISSUER.public_key(), "k2": OTHER.public_key()})


def test_every_single_bit_flip_of_a_genuine_credential_is_refused() -> None:
    cose = _cose(GENUINE)
    for i in range(len(cose) * 8):
        flipped = bytearray(cose)
        flipped[i // 8] ^= 1 << (i % 8)
        _refused(_wrap(bytes(flipped)))


@pytest.mark.parametrize(
    "text",
    [
        "",
        GENUINE[4:],  # prefix missing
        "wp1:" + GENUINE[4:],
        "WP2:" + GENUINE[4:],
        "WP1:",
        "WP1:@@@",  # not base45
        "WP1:ÄÖÜ",
        GENUINE + "\x00",
        GENUINE[:20] + "\n" + GENUINE[20:],
        GENUINE[:20] + "\x85" + GENUINE[20:],
        GENUINE + "0" * 5000,  # oversize
        _wrap(_cose(GENUINE) + b"\x00"),  # trailing bytes
        _wrap(_cose(GENUINE)[1:]),  # untagged
        _wrap(cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b"", b"\x00" * 64]))),
        _wrap(cbor2.dumps(cbor2.CBORTag(18, "nope"))),
        _wrap(cbor2.dumps(cbor2.CBORTag(18, [1, 2, 3, 4]))),
        _wrap(cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({1: -8.0, 4: b"k1"}), {}, b"", b""]))),
        _wrap(b"\x9f" * 2000),
    ],
)
def test_malformed_credentials_are_refused_with_one_error_type(text: str) -> None:
    _refused(text)
    with pytest.raises(CredentialInvalid):
        peek_credential(text)


def test_non_text_is_refused() -> None:
    _refused(b"WP1:")
    _refused(None)


def _signed(protected: dict, body: object, key: Ed25519PrivateKey = ISSUER) -> str:
    """A well-signed message around arbitrary content: only structural checks can refuse it."""
    p = cbor2.dumps(protected)
    payload = cbor2.dumps(body)
    sig = key.sign(cbor2.dumps(["Signature1", p, b"", payload]))
    return _wrap(cbor2.dumps(cbor2.CBORTag(18, [p, {}, payload, sig])))


@pytest.mark.parametrize(
    "protected, body",
    [
        ({1: -7, 4: b"k1"}, {2: "GC-1", 3: 1, 4: "EUR", 5: 1}),  # ES256 claimed
        ({1: -8, 4: b"k1", 2: [1]}, {2: "GC-1", 3: 1, 4: "EUR", 5: 1}),  # crit-like extras
        ({1: -8, 4: "k1"}, {2: "GC-1", 3: 1, 4: "EUR", 5: 1}),  # kid must be bytes
        ({1: -8, 4: b"k1"}, {2: "GC-1", 3: 1, 4: "EUR"}),  # missing issued
        ({1: -8, 4: b"k1"}, {2: "GC-1", 3: 1, 4: "EUR", 5: 1, 7: 5000}),  # e.g. a balance
        ({1: -8, 4: b"k1"}, {2: "GC-1", 3: 9, 4: "EUR", 5: 1}),
        ({1: -8, 4: b"k1"}, {2: "GC-1", 3: 1.0, 4: "EUR", 5: 1}),
        ({1: -8, 4: b"k1"}, {2: "GC-1", 3: 1, 4: ["EUR"], 5: 1}),
        ({1: -8, 4: b"k1"}, {2: "GC-1", 3: 1, 4: "EUR", 5: -1}),
        ({1: -8, 4: b"k1"}, {2: "GC-1", 3: 1, 4: "EUR", 5: 2**70}),
        ({1: -8, 4: b"k1"}, {2: "GC-1", 3: 1, 4: "EUR", 5: 10, 6: 5}),
        ({1: -8, 4: b"k1"}, {2: b"GC-1", 3: 1, 4: "EUR", 5: 1}),
        ({1: -8, 4: b"k1"}, {"2": "GC-1", 3: 1, 4: "EUR", 5: 1}),
        ({1: -8, 4: b"k1"}, ["GC-1", 1, "EUR", 1]),
    ],
)
def test_signed_but_malformed_content_is_refused(protected: dict, body: object) -> None:
    _refused(_signed(protected, body))


def test_signed_minimal_content_is_accepted() -> None:
    # Guards the test above: the same helper with well-formed content must pass.
    text = _signed({1: -8, 4: b"k1"}, {2: "GC-1", 3: 2, 4: "EUR", 5: 1, 6: None})
    assert read_credential(text, KEYS) == CardCredential("k1", "GC-1", "loyalty", "EUR", 1, None)


def _okp(private: Ed25519PrivateKey, with_private: bool) -> OKPKey:
    raw = serialization.Encoding.Raw
    x = private.public_key().public_bytes(raw, serialization.PublicFormat.Raw)
    if not with_private:
        return OKPKey(crv=Ed25519, x=x)
    d = private.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return OKPKey(crv=Ed25519, x=x, d=d)


def test_hand_built_cose_is_standard_pycose_interop() -> None:
    cose = _cose(GENUINE)
    protected, unprotected, payload, sig = cbor2.loads(cose).value
    # pycose 1.1 cannot decode cbor2 >= 6 output directly (tag contents arrive as tuples).
    theirs = Sign1Message.from_cose_obj([protected, dict(unprotected), payload, sig], True)
    theirs.key = _okp(ISSUER, with_private=False)
    assert theirs.verify_signature()
    assert theirs.phdr[KID] == b"k1"

    made = Sign1Message(phdr={Algorithm: EdDSA, KID: b"k1"}, payload=payload)
    made.key = _okp(ISSUER, with_private=True)
    assert made.encode() == cose  # Ed25519 is deterministic: byte-identical to pycose
    assert read_credential(_wrap(made.encode()), KEYS) == CRED


def test_expired_is_relative_to_the_given_time() -> None:
    assert CRED.expiry == 1_893_456_000
    assert not CRED.expired(1_893_455_999)
    assert CRED.expired(1_893_456_000)
    assert not CardCredential("k1", "GC-1", "gift_card", "EUR", 1, None).expired(2**40)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_refused_typed(text: str) -> None:
    _refused(text)
    _refused(PREFIX + text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_refused_typed(data: bytes) -> None:
    _refused(_wrap(data))
    _refused(_wrap(cbor2.dumps(cbor2.CBORTag(18, [data, {}, data, data]))))


cbor_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.binary(max_size=70),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.integers(-2, 8) | st.text(max_size=3), inner, max_size=6
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(cbor_values, cbor_values, cbor_values)
def test_random_cbor_structures_are_refused_typed(p: object, u: object, b: object) -> None:
    items = [cbor2.dumps(p), u, cbor2.dumps(b), b"\x00" * 64]
    _refused(_wrap(cbor2.dumps(cbor2.CBORTag(18, items))))
    text = _signed({1: -8, 4: b"k1"}, b)  # correctly signed, random content
    try:
        cred = read_credential(text, KEYS)
    except CredentialInvalid:
        return
    assert peek_credential(text) == cred


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 117), st.binary(min_size=1, max_size=4))
def test_overwriting_bytes_of_a_genuine_credential_is_refused(at: int, junk: bytes) -> None:
    cose = bytearray(_cose(GENUINE))
    original = bytes(cose)
    cose[at : at + len(junk)] = junk
    if bytes(cose) != original:
        _refused(_wrap(bytes(cose)))
