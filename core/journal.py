"""The signed, hash-chained journal entry — the unit of truth that leaves a terminal.

An entry body is a map encoded as deterministic CBOR (RFC 8949 §4.2, cbor2 canonical mode), so
the same entry always has the same bytes on every machine. The Ed25519 signature covers those
bytes, which include `prev_hash`, so editing, deleting or reordering any entry breaks the chain
at a point the verifier can name. The entry hash is SHA-256 of the body bytes; the signature is
kept beside the body, not inside it.

Operations mirror the ledger: issue, activate, load, redeem, earn, burn, expire, adjust, void,
and `close` (the signed end-of-day totals, like the fiscal till laws' chained receipts), plus
`release`: the terminal hands an escrow grant (`grant`) back to central. Journaling the release
puts it after every use of the grant in the chain, so central returns exactly the unused rest.
`refund` gives back (part of) what an earlier entry of the same terminal (`ref`) took on an
order: value to a gift card, points earned taken back, a reward's points returned
(`core.rules.refunds`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from core.errors import ChainBroken, InvalidInput
from core.keys import verify

GENESIS_HASH = bytes(32)
FORMAT_VERSION = 1
MAX_ENTRY_BYTES = 4096
OPERATIONS = frozenset(
    {"issue", "activate", "load", "redeem", "earn", "burn", "expire", "adjust", "void", "close",
     "block", "unblock", "key_rotate", "release", "refund"}
)

_FIELDS: dict[str, tuple[type, ...]] = {
    "v": (int,), "terminal": (str,), "seq": (int,), "prev_hash": (bytes,), "wall_ms": (int,),
    "mono": (int,), "op": (str,), "program": (str, type(None)),
    "program_version": (int, type(None)), "card": (str, type(None)), "amount": (int,),
    "currency": (str, type(None)), "staff": (str, type(None)), "auth": (str, type(None)),
    "grant": (str, type(None)), "ref": (int, type(None)), "offline": (bool,), "extra": (dict,),
}

_INTEGERS = tuple(name for name, types in _FIELDS.items() if int in types)
MAX_INT = 2**63 - 1


@dataclass(frozen=True, slots=True)
class EntryBody:
    """What a terminal asserts happened. Amounts are non-negative minor units; the operation
    says which way value moves."""

    terminal: str
    seq: int
    prev_hash: bytes
    wall_ms: int
    mono: int
    op: str
    amount: int = 0
    currency: str | None = None
    card: str | None = None
    program: str | None = None
    program_version: int | None = None
    staff: str | None = None
    auth: str | None = None
    grant: str | None = None
    ref: int | None = None
    offline: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    v: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        if self.op not in OPERATIONS:
            raise InvalidInput(f"unknown journal operation {self.op!r}", reason="malformed_entry")
        if self.seq < 1 or self.amount < 0 or len(self.prev_hash) != 32:
            raise InvalidInput("entry has a bad seq, amount or prev_hash", reason="malformed_entry")
        for name in _INTEGERS:  # CBOR carries any integer; a store's BIGINT column does not
            value = getattr(self, name)
            if value is not None and not -MAX_INT <= value <= MAX_INT:
                raise InvalidInput(f"entry field {name} is out of range", "malformed_entry")

    def encode(self) -> bytes:
        # A plain field map, not dataclasses.asdict: asdict deep-copies and was a fifth of
        # central's ingest CPU.
        return cbor2.dumps({name: getattr(self, name) for name in _FIELDS}, canonical=True)

    @classmethod
    def decode(cls, data: bytes) -> EntryBody:
        """Strictly decode body bytes from an untrusted source; any defect is InvalidInput."""
        if not isinstance(data, bytes) or len(data) > MAX_ENTRY_BYTES:
            raise InvalidInput("entry too large or not bytes", reason="malformed_entry")
        try:
            raw = cbor2.loads(data)
        except Exception as exc:  # cbor2 raises several types on junk; all mean "malformed"
            raise InvalidInput(f"entry is not CBOR: {exc}", reason="malformed_entry") from exc
        if not isinstance(raw, dict) or set(raw) != set(_FIELDS):
            raise InvalidInput("entry has missing or unknown fields", reason="malformed_entry")
        for name, types in _FIELDS.items():
            value = raw[name]
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                raise InvalidInput(f"entry field {name} has the wrong type", "malformed_entry")
        if raw["v"] != FORMAT_VERSION:
            raise InvalidInput(f"unsupported entry version {raw['v']}", reason="malformed_entry")
        body = cls(**raw)
        if body.encode() != data:
            # Non-canonical bytes could hide a second meaning behind one signature.
            raise InvalidInput("entry is not canonical CBOR", reason="malformed_entry")
        return body


@dataclass(frozen=True, slots=True)
class SignedEntry:
    """Body bytes as signed, the signature, and the decoded body."""

    data: bytes
    signature: bytes
    body: EntryBody

    @property
    def seq(self) -> int:
        return self.body.seq

    @property
    def hash(self) -> bytes:
        return entry_hash(self.data)

    @classmethod
    def from_wire(cls, data: bytes, signature: bytes) -> SignedEntry:
        if not isinstance(signature, bytes) or len(signature) != 64:
            raise InvalidInput("an Ed25519 signature is 64 bytes", reason="malformed_entry")
        return cls(data, signature, EntryBody.decode(data))

    def verify(self, public_key: Ed25519PublicKey) -> bool:
        return verify(public_key, self.signature, self.data)


def entry_hash(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def sign_entry(body: EntryBody, private_key: Ed25519PrivateKey) -> SignedEntry:
    data = body.encode()
    return SignedEntry(data, private_key.sign(data), body)


def short_hash(entry: SignedEntry) -> str:
    """The few characters printed on a receipt to tie it to its journal entry."""
    return entry.hash.hex()[:12]


def iter_chain_faults(
    entries: Iterable[SignedEntry],
    public_key: Ed25519PublicKey,
    *,
    terminal: str | None = None,
    start_seq: int = 1,
    start_prev: bytes = GENESIS_HASH,
) -> Iterator[tuple[int, str]]:
    """Yield (seq, why) for each fault, in journal order; empty for a sound chain."""
    expected_seq, prev = start_seq, start_prev
    for entry in entries:
        body = entry.body
        if terminal is not None and body.terminal != terminal:
            yield body.seq, "wrong_terminal"
        if body.seq != expected_seq:
            why = "gap" if body.seq > expected_seq else "out_of_order"
            yield expected_seq, why
        if not entry.verify(public_key):
            yield body.seq, "bad_signature"
        if body.prev_hash != prev:
            yield body.seq, "prev_hash_mismatch"
        expected_seq, prev = body.seq + 1, entry.hash


def verify_chain(
    entries: Iterable[SignedEntry],
    public_key: Ed25519PublicKey,
    *,
    terminal: str | None = None,
    start_seq: int = 1,
    start_prev: bytes = GENESIS_HASH,
) -> int:
    """Check continuity, links and signatures; return the number of entries checked.

    Raises ChainBroken naming the first bad seq and why (gap, out_of_order, bad_signature,
    prev_hash_mismatch, wrong_terminal).
    """
    count = 0
    materialised = list(entries)
    for seq, why in iter_chain_faults(
        materialised, public_key, terminal=terminal, start_seq=start_seq, start_prev=start_prev
    ):
        raise ChainBroken(f"journal broken at seq {seq}: {why}", seq=seq, why=why)
    count = len(materialised)
    return count
