"""Card/member codes: typos are refused, look-alikes are forgiven, the check format is pinned."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.codes import ALPHABET, CodePattern, check_char, generate_code, normalize_code
from core.errors import InvalidCode, InvalidInput

GIFT = "GC-####-####-####"
MEMBER = "LM-########"
VOUCHER = "WV-####-####"
KNOWN = "GC-7Q2M-9XKD-4HBH"  # check character pinned below

symbols = st.text(alphabet=ALPHABET, min_size=1, max_size=30)


def _ref_weighted_sum(code: str) -> int:
    """Independent GF(2^5) arithmetic (shift-and-reduce, no tables) to cross-check the module."""

    def mul(a: int, b: int) -> int:
        r = 0
        while b:
            if b & 1:
                r ^= a
            b >>= 1
            a <<= 1
            if a & 0b100000:
                a ^= 0b100101
        return r

    def alpha_pow(k: int) -> int:
        r = 1
        for _ in range(k):
            r = mul(r, 2)
        return r

    n = len(code)
    total = 0
    for i, ch in enumerate(code):
        total ^= mul(alpha_pow(n - 1 - i), ALPHABET.index(ch))
    return total


def _compact(code: str) -> str:
    return code.replace("-", "")


def test_alphabet_is_crockford() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_check_character_is_pinned() -> None:
    # Printed cards depend on this exact function; changing it would invalidate every card.
    assert check_char("7Q2M9XKD4HB") == "H"
    assert check_char("0") == "0"
    assert check_char("1") == "2"  # weight alpha^1 = x = 2
    assert CodePattern(GIFT).is_valid(KNOWN)


@given(symbols)
def test_check_char_matches_reference_arithmetic(data: str) -> None:
    assert _ref_weighted_sum(data + check_char(data)) == 0


@pytest.mark.parametrize("pattern", [GIFT, MEMBER, VOUCHER, "SC-####-####-####"])
def test_generated_codes_have_the_pattern_shape_and_validate(pattern: str) -> None:
    shape = re.compile("^" + pattern.replace("#", f"[{ALPHABET}]") + "$")
    codes = {generate_code(pattern) for _ in range(200)}
    assert len(codes) == 200  # random, not sequential or repeating
    for code in codes:
        assert shape.match(code)
        assert CodePattern(pattern).is_valid(code)
        assert normalize_code(code, [pattern]) == code


def test_typed_input_is_normalized() -> None:
    assert normalize_code(" gc 7q2m-9xkd 4hbh ", [GIFT]) == KNOWN
    assert normalize_code("gc_7q2m.9xkd4hbh", [GIFT]) == KNOWN
    assert normalize_code("Gc7Q2M9XKD4HBH", [GIFT]) == KNOWN
    assert CodePattern(GIFT).matches("gc7q2m9xkd4hbh")
    assert not CodePattern(GIFT).is_valid("gc7q2m9xkd4hbh")  # is_valid: canonical form only


@given(st.text(alphabet="01", min_size=11, max_size=11))
def test_crockford_look_alikes_read_as_digits(data: str) -> None:
    code = CodePattern(GIFT)._format(data + check_char(data))
    typed = code.replace("0", "o").replace("1", "I", 3).replace("1", "l")
    assert normalize_code(typed, [GIFT]) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "GC-7Q2M-9XKD-4HB",  # too short
        "GC-7Q2M-9XKD-4HBHH",  # too long for the pattern
        "XX-7Q2M-9XKD-4HBH",  # wrong prefix
        "GC-7Q2M-9XKD-4HBU",  # U is never a code character
        "GC-7Q2M-9XKD-4HB*",
        "GC-7Q2M-9XKD-4HBH\x00",
        "GC-7Q2M-9XKD\t4HBH",
        "ＧＣ-7Q2M-9XKD-4HBH",  # full-width look-alikes
        "GC-7Q2M-9XKD-4HBH" + " " * 60,  # over 64 characters
    ],
)
def test_malformed_input_is_refused_as_invalid_code(text: str) -> None:
    with pytest.raises(InvalidCode) as info:
        normalize_code(text, [GIFT])
    assert info.value.reason == "invalid_code"
    assert isinstance(info.value, InvalidInput)


def test_wrong_check_character_is_reported_as_typo() -> None:
    with pytest.raises(InvalidCode) as info:
        normalize_code("GC-7Q2M-9XKD-4HBJ", [GIFT, MEMBER])
    assert info.value.reason == "code_check_failed"


def test_normalize_code_picks_the_pattern_that_fits() -> None:
    member = generate_code(MEMBER)
    assert normalize_code(member.lower(), [GIFT, MEMBER]) == member
    assert normalize_code(KNOWN, [MEMBER, GIFT]) == KNOWN
    with pytest.raises(InvalidCode) as info:
        normalize_code(KNOWN, [MEMBER, VOUCHER])
    assert info.value.reason == "invalid_code"
    with pytest.raises(InvalidCode):
        normalize_code(KNOWN, [])


def test_full_sweep_every_substitution_and_adjacent_swap_of_one_code_is_caught() -> None:
    pattern = CodePattern(GIFT)
    body = _compact(KNOWN)[2:]
    seen = 0
    for i, original in enumerate(body):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            typo = "GC" + body[:i] + replacement + body[i + 1 :]
            with pytest.raises(InvalidCode) as info:
                pattern.normalize(typo)
            assert info.value.reason == "code_check_failed"
            seen += 1
    for i in range(len(body) - 1):
        if body[i] == body[i + 1]:
            continue
        swapped = "GC" + body[:i] + body[i + 1] + body[i] + body[i + 2 :]
        assert not pattern.matches(swapped)
        seen += 1
    assert seen == 12 * 31 + 11


@settings(max_examples=500)
@given(symbols, st.data())
def test_any_single_substitution_is_caught(data: str, draw: st.DataObject) -> None:
    code = data + check_char(data)
    pattern = CodePattern("T" + "#" * len(code))
    i = draw.draw(st.integers(0, len(code) - 1))
    new = draw.draw(st.sampled_from(ALPHABET).filter(lambda c: c != code[i]))
    assert pattern.matches("T" + code)
    assert not pattern.matches("T" + code[:i] + new + code[i + 1 :])


@settings(max_examples=500)
@given(symbols, st.data())
def test_any_adjacent_transposition_is_caught(data: str, draw: st.DataObject) -> None:
    code = data + check_char(data)
    i = draw.draw(st.integers(0, len(code) - 2))
    swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
    pattern = CodePattern("#" * len(code))
    assert pattern.matches(swapped) == (swapped == code)


@given(st.text(max_size=80))
def test_arbitrary_text_never_raises_anything_but_invalid_code(text: str) -> None:
    try:
        result = normalize_code(text, [GIFT, MEMBER])
    except InvalidCode:
        return
    assert CodePattern(GIFT).is_valid(result) or CodePattern(MEMBER).is_valid(result)


@pytest.mark.parametrize(
    "pattern", ["gc-####", "GC-#", "GC", "GC-" + "#" * 32, "GC/####-####", "GÇ-####"]
)
def test_unusable_patterns_are_programming_errors(pattern: str) -> None:
    with pytest.raises(ValueError):
        CodePattern(pattern)


def test_check_char_refuses_non_alphabet_data() -> None:
    for bad in ("", "7Q2U", "7q2m", "O0", "A" * 31):
        with pytest.raises(InvalidCode):
            check_char(bad)
