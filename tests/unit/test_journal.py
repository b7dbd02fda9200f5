"""The signed, hash-chained journal: canonical bytes, signatures, and a verifier that names the
first bad entry of a tampered chain."""

import dataclasses

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import ChainBroken, InvalidInput
from core.journal import GENESIS_HASH, EntryBody, SignedEntry, sign_entry, verify_chain
from core.keys import new_private_key

KEY = new_private_key()


def make_chain(n, key=KEY, terminal="T-1"):
    entries, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        body = EntryBody(terminal=terminal, seq=seq, prev_hash=prev,
                         wall_ms=1_700_000_000_000 + seq,
                         mono=seq, op="redeem", amount=100 * seq, currency="EUR",
                         card="GC-0000-0000-0000", extra={"request_id": f"r{seq}"})
        entry = sign_entry(body, key)
        entries.append(entry)
        prev = entry.hash
    return entries


def resign(entry, key=KEY, **changes):
    return sign_entry(dataclasses.replace(entry.body, **changes), key)


def test_a_sound_chain_verifies():
    assert verify_chain(make_chain(5), KEY.public_key(), terminal="T-1") == 5


def test_encoding_is_deterministic_and_strictly_decoded():
    entry = make_chain(1)[0]
    assert EntryBody.decode(entry.data) == entry.body
    assert entry.body.encode() == entry.data
    again = SignedEntry.from_wire(entry.data, entry.signature)
    assert again.hash == entry.hash


def test_edited_amount_is_caught_at_its_seq():
    chain = make_chain(4)
    forged = dataclasses.replace(chain[2].body, amount=1)
    chain[2] = SignedEntry(forged.encode(), chain[2].signature, forged)
    with pytest.raises(ChainBroken) as err:
        verify_chain(chain, KEY.public_key())
    assert (err.value.seq, err.value.why) == (3, "bad_signature")


def test_resigned_edit_by_another_key_is_caught():
    chain = make_chain(3)
    chain[1] = resign(chain[1], key=new_private_key(), amount=1)
    with pytest.raises(ChainBroken) as err:
        verify_chain(chain, KEY.public_key())
    assert err.value.seq == 2


def test_deleted_entry_is_a_gap():
    chain = make_chain(5)
    del chain[2]
    with pytest.raises(ChainBroken) as err:
        verify_chain(chain, KEY.public_key())
    assert (err.value.seq, err.value.why) == (3, "gap")


def test_reordered_pair_is_caught():
    chain = make_chain(5)
    chain[1], chain[2] = chain[2], chain[1]
    with pytest.raises(ChainBroken) as err:
        verify_chain(chain, KEY.public_key())
    assert err.value.seq == 2


def test_edit_resigned_with_the_right_key_breaks_the_next_link():
    chain = make_chain(4)
    chain[1] = resign(chain[1], amount=1)  # an attacker holding the key rewrites seq 2 only
    with pytest.raises(ChainBroken) as err:
        verify_chain(chain, KEY.public_key())
    assert (err.value.seq, err.value.why) == (3, "prev_hash_mismatch")


def test_entry_from_another_terminal_is_refused():
    chain = make_chain(2) + [make_chain(3, terminal="T-2")[2]]
    with pytest.raises(ChainBroken):
        verify_chain(chain, KEY.public_key(), terminal="T-1")


def test_non_canonical_bytes_are_refused():
    entry = make_chain(1)[0]
    raw = cbor2.loads(entry.data)
    reordered = cbor2.dumps(dict(reversed(list(raw.items()))))
    assert reordered != entry.data
    with pytest.raises(InvalidInput):
        EntryBody.decode(reordered)


@settings(max_examples=300)
@given(st.binary(max_size=600))
def test_junk_bytes_never_decode_into_an_entry(data):
    try:
        EntryBody.decode(data)
    except InvalidInput:
        return
    raise AssertionError("junk decoded")  # pragma: no cover


@settings(max_examples=200)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=7))
def test_any_single_bit_flip_is_detected(position, bit):
    chain = make_chain(3)
    data = bytearray(chain[1].data)
    data[position % len(data)] ^= 1 << bit
    try:
        flipped = SignedEntry.from_wire(bytes(data), chain[1].signature)
    except InvalidInput:
        return
    chain[1] = flipped
    with pytest.raises(ChainBroken):
        verify_chain(chain, KEY.public_key())


def test_a_chain_from_before_orders_and_after_verifies_and_the_order_is_signed():
    """Entries without `extra.order` (before issue 16) and with it chain and verify alike;
    moving a part to another order breaks the signature."""
    old = make_chain(2)
    prev = old[-1].hash
    parts = []
    for seq in (3, 4):
        body = EntryBody(terminal="T-1", seq=seq, prev_hash=prev, wall_ms=1_700_000_000_000 + seq,
                         mono=seq, op="redeem", amount=500, currency="EUR",
                         card=f"GC-0000-0000-000{seq}",
                         extra={"request_id": f"r{seq}", "order": "O-0123456789abcdef"})
        entry = sign_entry(body, KEY)
        parts.append(entry)
        prev = entry.hash
    chain = old + parts
    assert verify_chain(chain, KEY.public_key(), terminal="T-1") == 4
    assert SignedEntry.from_wire(parts[0].data, parts[0].signature).body.extra["order"] == \
        "O-0123456789abcdef"
    moved = dataclasses.replace(parts[0].body, extra={**parts[0].body.extra, "order": "O-other"})
    forged = SignedEntry(moved.encode(), parts[0].signature, moved)
    with pytest.raises(ChainBroken) as broken:
        verify_chain(old + [forged, parts[1]], KEY.public_key(), terminal="T-1")
    assert broken.value.seq == 3
