"""Card and member codes: generating them, checking them, and turning typed text into them.

A pattern such as "GC-####-####-####" keeps its literal characters and fills each '#' with a
Crockford base32 character. The last '#' is a check character computed over the other '#'
positions with a linear code over GF(32), chosen because it *provably* catches every single
substitution and every adjacent transposition among those positions (a mod-N checksum like Luhn
misses some transpositions). The literal prefix is not covered: it selects the pattern, so two
same-shape patterns should differ in at least two literal characters if a one-letter prefix typo
must not turn one valid code into another.

Typed input is forgiving in the ways Crockford recommends (case, O/I/L look-alikes, separators)
and strict about everything else, because a cashier's typo must be refused, never "corrected"
into somebody else's card.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from core.errors import InvalidCode

ALPHABET: str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_INPUT_LENGTH = 64

# Characters a person or a printed card may put between groups; they carry no information.
_SEPARATORS = frozenset(" -_.")
# Crockford decoding: look-alikes read as the digit they resemble. U stays invalid on purpose.
_ALIASES = {"O": "0", "I": "1", "L": "1"}
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

# GF(2^5) with the primitive polynomial x^5 + x^2 + 1: alpha = x generates all 31 non-zero
# elements, so alpha^0..alpha^30 are distinct non-zero weights, one per '#' position.
_POLY = 0b100101
_ORDER = 31
_EXP: list[int] = []
_LOG: dict[int, int] = {}
_x = 1
for _k in range(_ORDER):
    _EXP.append(_x)
    _LOG[_x] = _k
    _x <<= 1
    if _x & 0b100000:
        _x ^= _POLY
del _x, _k
MAX_SYMBOLS = _ORDER  # beyond this two positions would share a weight and swaps could slip by


def _gf_mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[(_LOG[a] + _LOG[b]) % _ORDER]


def _weighted_sum(values: list[int], n: int) -> int:
    """Sum of alpha^(n-1-i) * values[i]; a complete code (n symbols) is valid iff this is 0."""
    total = 0
    for i, v in enumerate(values):
        total ^= _gf_mul(_EXP[(n - 1 - i) % _ORDER], v)
    return total


def check_char(data: str) -> str:
    """The check character for the data symbols `data` (canonical alphabet, no separators)."""
    if not isinstance(data, str) or not 1 <= len(data) < MAX_SYMBOLS:
        raise InvalidCode("check data must be 1 to 30 code characters")
    try:
        values = [_VALUE[ch] for ch in data]
    except KeyError:
        raise InvalidCode(f"{data!r} is not in the code alphabet") from None
    # Characteristic 2: the check symbol (weight 1) equals the weighted sum of the data.
    return ALPHABET[_weighted_sum(values, len(data) + 1)]


def _clean(text: str) -> str:
    """Typed text to a compact, uppercase candidate; refuses what can never be a code."""
    if not isinstance(text, str):
        raise InvalidCode("a code must be text")
    if len(text) > MAX_INPUT_LENGTH:
        raise InvalidCode(f"a code is at most {MAX_INPUT_LENGTH} characters")
    if not text.isascii():
        raise InvalidCode("a code contains only ASCII letters and digits")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidCode("a code cannot contain control characters")
    return "".join(ch for ch in text.strip() if ch not in _SEPARATORS).upper()


@dataclass(frozen=True)
class CodePattern:
    """One code shape, e.g. "GC-####-####-####"; '#' is a code character, the last '#' checks."""

    pattern: str
    _compact: str = field(init=False, repr=False, compare=False)
    _symbols: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        p = self.pattern
        if not isinstance(p, str) or not p.isascii() or p != p.upper():
            raise ValueError(f"code pattern must be uppercase ASCII: {p!r}")
        compact = "".join(ch for ch in p if ch not in _SEPARATORS)
        if not all(ch == "#" or ch.isalnum() for ch in compact):
            raise ValueError(f"code pattern literals must be letters or digits: {p!r}")
        n = compact.count("#")
        if not 2 <= n <= MAX_SYMBOLS:
            raise ValueError(f"code pattern needs 2 to {MAX_SYMBOLS} '#' positions: {p!r}")
        object.__setattr__(self, "_compact", compact)
        object.__setattr__(self, "_symbols", n)

    def generate(self) -> str:
        data = "".join(secrets.choice(ALPHABET) for _ in range(self._symbols - 1))
        return self._format(data + check_char(data))

    def normalize(self, text: str) -> str:
        """Canonical code for typed `text`; InvalidCode "invalid_code" or "code_check_failed"."""
        compact = _clean(text)
        if len(compact) != len(self._compact):
            raise InvalidCode(f"not a {self.pattern} code")
        symbols: list[str] = []
        for got, want in zip(compact, self._compact, strict=True):
            if want != "#":
                if got != want:
                    raise InvalidCode(f"not a {self.pattern} code")
                continue
            ch = _ALIASES.get(got, got)
            if ch not in _VALUE:
                raise InvalidCode(f"{got!r} is not a code character")
            symbols.append(ch)
        if _weighted_sum([_VALUE[ch] for ch in symbols], self._symbols) != 0:
            raise InvalidCode("the code has a typo (check character mismatch)",
                              reason="code_check_failed")
        return self._format("".join(symbols))

    def is_valid(self, code: str) -> bool:
        """True only for the canonical form (what is printed and stored), not for typed text."""
        try:
            return self.normalize(code) == code
        except InvalidCode:
            return False

    def matches(self, text: str) -> bool:
        """True when typed `text` normalizes to a valid code of this pattern."""
        try:
            self.normalize(text)
        except InvalidCode:
            return False
        return True

    def _format(self, symbols: str) -> str:
        it = iter(symbols)
        return "".join(next(it) if ch == "#" else ch for ch in self.pattern)


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> CodePattern:
    return CodePattern(pattern)


def generate_code(pattern: str) -> str:
    return _pattern(pattern).generate()


def normalize_code(text: str, patterns: Iterable[str]) -> str:
    """Canonical code for `text` under the first pattern that accepts it.

    A check failure under any pattern wins over "invalid_code", so the cashier is told "typo"
    when the shape was right.
    """
    check_failed: InvalidCode | None = None
    for pattern in patterns:
        try:
            return _pattern(pattern).normalize(text)
        except InvalidCode as exc:
            if exc.reason == "code_check_failed" and check_failed is None:
                check_failed = exc
    if check_failed is not None:
        raise check_failed
    raise InvalidCode("not a card or member code")
