"""CEL expressions in programs: compiled and checked once when a program is loaded, evaluated
many times at the till.

Compilation goes through the `common-expression-language` package (`cel.compile`) and is cached
by source text, so each program version's expressions compile once per process however often
the terminal re-reads its replica. At load an expression must parse, name only the documented
context (`customer`, `order`, `card`, `store`, `now` and their fields), and evaluate to true or
false against a sample context without a type error. At run time any failure — a missing
attribute, a type mismatch, a division by zero — is returned as an error string so the caller
declines that one benefit with `rule_error: <field>`; it never escapes into the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache

import cel

from core.rules.context import FIELDS, sample_context
from core.rules.schema import ProgramError

MAX_SOURCE = 2000
_STRING = re.compile(r"'''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"",
                     re.S)
_PATH = re.compile(r"\b(customer|order|card|store|now)\s*\.\s*([A-Za-z_]\w*)")
_BOUND = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")


@dataclass(frozen=True, slots=True)
class Expression:
    """A compiled CEL condition. `field` is where it sits in its program ("eligibility",
    "rewards[1].condition"); `paths` are the context fields it reads ("customer.country")."""

    field: str
    source: str
    paths: tuple[str, ...]
    compiled: cel.Program = dataclass_field(compare=False, repr=False, hash=False)


@dataclass(frozen=True, slots=True)
class Verdict:
    passed: bool
    error: str | None = None  # set when evaluation failed; passed is then False


@lru_cache(maxsize=8192)
def _compile(source: str) -> cel.Program:
    return cel.compile(source)


def compile_expression(source: object, where: str, field_path: str) -> Expression:
    """Compile and check one expression; ProgramError names `where` on any defect."""
    if not isinstance(source, str) or not source.strip():
        raise ProgramError(f"{where}: expected a CEL expression (text)")
    if len(source) > MAX_SOURCE:
        raise ProgramError(f"{where}: expression longer than {MAX_SOURCE} characters")
    try:
        compiled = _compile(source)
    except (ValueError, RuntimeError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ProgramError(f"{where}: not a valid CEL expression: {detail}") from exc
    bare = _STRING.sub('""', source)
    bound = set(_BOUND.findall(bare))
    for name in compiled.variables():
        if name not in FIELDS and name not in bound:
            raise ProgramError(f"{where}: unknown variable {name!r} "
                               f"(the context is {', '.join(FIELDS)})")
    paths: list[str] = []
    for root, member in _PATH.findall(bare):
        if root in bound:
            continue
        if member not in FIELDS[root]:
            raise ProgramError(f"{where}: unknown field {root}.{member}")
        if f"{root}.{member}" not in paths:
            paths.append(f"{root}.{member}")
    _dry_run(compiled, where)
    return Expression(field_path, source, tuple(paths), compiled)


def _dry_run(compiled: cel.Program, where: str) -> None:
    try:
        result = compiled.execute(_SAMPLE())
    except TypeError as exc:
        raise ProgramError(f"{where}: type error: {str(exc).split('. ')[0]}") from exc
    except RuntimeError as exc:
        if "Undefined" in str(exc):
            raise ProgramError(f"{where}: {str(exc).split('. ')[0]}") from exc
        return
    except Exception:  # missing map keys, indexes, division by zero: data-dependent
        return
    if not isinstance(result, bool):
        raise ProgramError(f"{where}: must evaluate to true or false, "
                           f"not {type(result).__name__}")


@lru_cache(maxsize=1)
def _SAMPLE() -> cel.Context:  # noqa: N802 - a lazily built constant
    return sample_context()


def evaluate(expr: Expression, context: cel.Context) -> Verdict:
    """Run one expression; never raises. A non-boolean result is an error, not a pass."""
    try:
        result = expr.compiled.execute(context)
    except Exception as exc:  # the CEL runtime raises KeyError, TypeError, ValueError, ...
        return Verdict(False, f"{type(exc).__name__}: {str(exc)[:200]}")
    if not isinstance(result, bool):
        return Verdict(False, f"not a boolean: {type(result).__name__}")
    return Verdict(result)


def describe_paths(expr: Expression) -> str:
    """What a refusal names: the context fields the expression reads ("customer.country")."""
    return ", ".join(expr.paths) or expr.field
