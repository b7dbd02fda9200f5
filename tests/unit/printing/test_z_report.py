"""Z report text without a terminal: the label table per language, the points wording and the
display-width padding that keeps the fixed-width table aligned with Japanese labels."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from core.close_report import CloseReport  # noqa: E402
from core.journal import OPERATIONS  # noqa: E402
from pos_app.printing import z_labels  # noqa: E402
from pos_app.printing.z_report import display_width, pad, report_lines  # noqa: E402


def close_report(totals, grand=None):
    return CloseReport(number=7, seq=42, terminal="T-1", store="S-1", staff="m1",
                       staff_name="Morgan", opened_ms=0, closed_ms=1, first_seq=30, last_seq=41,
                       totals=totals, grand=grand if grand is not None else totals,
                       hash_hex="ab" * 32)


def test_pad_aligns_japanese_and_ascii_labels_to_the_same_width():
    ja, en = pad("ポイント付与", 16), pad("redeem", 16)
    assert display_width(ja) == display_width(en) == 16
    assert ja == "ポイント付与" + " " * 4 and en == "redeem" + " " * 10
    assert pad("利用", 6, ">") == "  利用"
    assert display_width("Ｚ１") == 4 and display_width("ｶﾞ") == 2  # fullwidth 2, halfwidth 1
    assert pad("オフライン枠返却", 4) == "オフライン枠返却"  # never cut


def test_every_totalled_op_has_a_japanese_label():
    assert set(z_labels.OPS["ja"]) == OPERATIONS - {"close"}
    assert set(z_labels.TEXT["ja"]) == set(z_labels.TEXT["en"])


def test_japanese_lines_points_and_fallbacks():
    report = close_report({"redeem": {"EUR": [2, 1250]}, "earn": {"loyalty": [3, 120]},
                           "adjust": {"loyalty": [1, 5]}, "shiny_new_op": {"JPY": [1, 500]}},
                          grand={})
    lines = report_lines(report, "2026-01-01 18:00", "ja")
    assert lines[:6] == ["Zレポート No. 7", "店舗 S-1　端末 T-1",
                         "締め日時 2026-01-01 18:00　担当 Morgan (m1)", "ジャーナル #30〜#41", "",
                         "今回の締め"]
    rows = lines[6:10]
    assert [r.split()[0] for r in rows] == ["ポイント調整", "ポイント付与", "利用", "shiny_new_op"]
    assert rows[1].endswith("120 ポイント") and rows[2].endswith("12.50 EUR")
    assert rows[3].endswith("500 JPY")  # unknown op: its id, amount still exact
    assert len({display_width(r) for r in rows}) == 1
    assert lines[11:13] == ["累計（通算）", "  （取引なし）"]
    assert "締め記録 #42" in lines


def test_english_is_the_default_and_the_fallback():
    report = close_report({"redeem": {"EUR": [2, 1250]}, "earn": {"loyalty": [3, 120]}})
    lines = report_lines(report, "2026-01-01 18:00")
    assert lines[0] == "Z report no. 7" and "Grand total (perpetual)" in lines
    assert "  earn           3 x              120 pt" in lines
    assert "  redeem         2 x           12.50 EUR" in lines
    assert report_lines(report, "2026-01-01 18:00", "xx") == lines


def test_japanese_pdf_font_sets_wide_glyphs_at_two_cells():
    from PySide6.QtGui import QFontDatabase, QFontMetricsF

    from pos_app.printing.qt_app import ensure_gui_app
    from pos_app.printing.z_report import report_font

    ensure_gui_app()
    font = report_font("ja")
    if not QFontDatabase.hasFamily("Noto Sans Mono CJK JP"):
        assert font.pointSizeF() == 11  # graceful default; nothing more to check
        return
    assert font.families()[0] == "Noto Sans Mono CJK JP"
    metrics = QFontMetricsF(font)
    assert metrics.horizontalAdvance(pad("ポイント付与", 16)) == metrics.horizontalAdvance(
        pad("redeem", 16))
