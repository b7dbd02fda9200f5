"""The console's Japanese catalogue covers every text its templates and menu show, and the
language a browser prefers is read from Accept-Language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wallet_sync.central.office import i18n
from wallet_sync.central.routes.office_web import MENU, OFFICE, safe_next

TEXT = re.compile(r"""_\(\s*(["'])(.+?)\1\s*\)""")


def _template_texts() -> set[str]:
    found: set[str] = set()
    for path in Path(OFFICE / "templates").glob("*.html"):
        found |= {m.group(2) for m in TEXT.finditer(path.read_text("utf-8"))}
    return found


def test_every_template_text_and_menu_entry_has_japanese() -> None:
    texts = _template_texts() | {label for _, label, _ in MENU}
    assert len(texts) > 60
    missing = sorted(t for t in texts if t not in i18n.JA)
    assert missing == []


def test_every_notice_and_refusal_has_both_languages() -> None:
    keys = {k for k in i18n.JA if k.startswith(("notice:", "reason:"))}
    assert keys == {k for k in i18n.EN if k.startswith(("notice:", "reason:"))}


@pytest.mark.parametrize(("header", "lang"), [
    ("ja", "ja"), ("ja-JP,ja;q=0.9,en;q=0.8", "ja"), ("en-US,en;q=0.9,ja;q=0.8", "en"),
    ("fr-FR,ja;q=0.5", "ja"), ("fr", "en"), (None, "en"), ("ja;q=abc,en;q=0.1", "en"),
])
def test_language_from_accept_language(header: str | None, lang: str) -> None:
    assert i18n.from_accept_language(header) == lang


@pytest.mark.parametrize(("target", "where"), [
    ("/office/audit?action=login", "/office/audit?action=login"), ("/office", "/office"),
    ("//evil.example/office", "/office"), ("https://evil.example/office", "/office"),
    ("/office/../admin", "/office"), ("/officer", "/office"), ("\\\\evil", "/office"),
    ("/office\r\nSet-Cookie: x", "/office"), ("", "/office"),
])
def test_next_stays_inside_the_console(target: str, where: str) -> None:
    assert safe_next(target) == where
