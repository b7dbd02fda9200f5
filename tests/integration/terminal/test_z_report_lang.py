"""The Z report in the manager's language: a real day close (redeem, sell, block and unblock,
void) printed in Japanese and in English, each PDF opened with QtPdf and its text read back."""

import os
import unicodedata

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from pos_app import demo  # noqa: E402
from pos_app.printing.z_report import display_width, report_lines, write_z_report  # noqa: E402
from pos_app.terminal.service import TerminalService  # noqa: E402

WHEN = "2026-01-01 18:00"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    world = demo.build(tmp_path_factory.mktemp("z") / "demo")
    try:
        manager = next(s["id"] for s in world.staff if s["role"] == "manager")
        code = world.cards[0]["code"]
        sold = next(c["code"] for c in world.cards if not c["active"])
        with TerminalService(world.terminal_home) as t:
            t.redeem(code, "3.00")
            spent = t.redeem(code, "1.25")
            t.void_redemption(spent.seq, "wrong card", manager)
            t.activate_and_load(sold, "", manager)  # sold at its face value
            t.activate_and_load(sold, "20.00", manager)  # then topped up
            t.set_blocked(code, True, manager, "reported lost")
            t.set_blocked(code, False, manager, "found again")
            yield t.close_day(manager)
    finally:
        world.central.stop()


def pdf_text(path: Path) -> str:
    """The page's text as QtPdf extracts it. Qt writes the ToUnicode map from the font's glyphs
    back to the first code point that uses each: in CJK fonts some 200 kanji (日, 用, 止, ...) share
    their glyph with a look-alike Kangxi radical (U+2F00..U+2FDF), which comes first. The page
    shows the right kanji; its text layer says the radical, which NFKC folds back."""
    from PySide6.QtPdf import QPdfDocument

    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_, doc.error()
    assert doc.pageCount() == 1
    text = doc.getAllText(0).text()
    doc.close()
    return "".join(unicodedata.normalize("NFKC", c) if 0x2F00 <= ord(c) <= 0x2FDF else c
                   for c in text)


def test_japanese_pdf_shows_the_japanese_report(report, tmp_path):
    path = write_z_report(tmp_path / "z-ja.pdf", report, WHEN, lang="ja")
    text = pdf_text(path)
    assert f"Zレポート No. {report.number}" in text
    for label in ("今回の締め", "累計（通算）", "利用", "取消", "有効化", "チャージ", "利用停止",
                  "停止解除", f"締め記録 #{report.seq}"):
        assert label in text, label
    assert "4.25 EUR" in text and "20.00 EUR" in text  # the totals, exact minor-unit digits
    assert "Z report" not in text and "redeem" not in text


def test_english_pdf_is_unchanged(report, tmp_path):
    path = write_z_report(tmp_path / "z-en.pdf", report, WHEN)
    text = pdf_text(path)
    assert f"Z report no. {report.number}" in text
    assert "redeem" in text and "4.25 EUR" in text and "Grand total (perpetual)" in text
    assert "レポート" not in text


def test_japanese_table_columns_line_up(report):
    lines = report_lines(report, WHEN, "ja")
    start = lines.index("今回の締め") + 1
    rows = lines[start:lines.index("", start)]
    assert {op.split()[0] for op in rows} >= {"利用", "取消", "有効化", "チャージ", "利用停止"}
    assert any("4.25 EUR" in r and "2 件" in r for r in rows)  # 3.00 + 1.25, two redemptions
    assert len({display_width(r) for r in rows}) == 1  # every row ends in the same column
    counts = {display_width(r[:r.index("件")]) for r in rows}
    assert len(counts) == 1  # and the count column too
