"""QApplication set-up for the walletpos screens: fonts, theme, language, keyboard-wedge filter.

Language: Qt Linguist catalogues `resources/i18n/walletpos_<lang>.qm`, built from the `.ts`
sources by `make` (pyside6-lrelease). A checkout that has not run `make` yet still shows
Japanese: a missing or stale `.qm` is compiled on first use into the user's cache. English is
the source language and needs no catalogue. Settings (language, theme) persist in QSettings.

Fonts: Japanese needs a CJK font (Debian `fonts-noto-cjk`, installed by `make setup`); the
family list puts Noto Sans CJK JP right after the Latin face so kana and kanji never fall back
to empty boxes, and a missing font is reported once on stderr.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
I18N = RESOURCES / "i18n"
THEMES = RESOURCES / "themes"
LANGUAGES = ("en", "ja")
THEMES_AVAILABLE = ("light", "dark")
CJK_FAMILY = "Noto Sans CJK JP"
BASE_POINT_SIZE = 13  # arm's length on a 15" counter screen


def make_app(argv: list[str] | None = None, *, lang: str | None = None,
             theme: str | None = None) -> QApplication:
    """The one QApplication (reused when it exists, as under pytest-qt), styled and translated."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("walletpos")
    app.setApplicationName("walletpos counter")
    settings = QSettings()
    lang = lang or str(settings.value("language", "en"))
    theme = theme or str(settings.value("theme", "light"))
    _fonts(app)
    apply_language(app, lang if lang in LANGUAGES else "en")
    apply_theme(app, theme if theme in THEMES_AVAILABLE else "light")
    return app


def _fonts(app: QApplication) -> None:
    families = QFontDatabase.families()
    if CJK_FAMILY not in families:
        log.warning("font %r is missing: Japanese text will show as boxes "
                    "(install fonts-noto-cjk)", CJK_FAMILY)
    latin = next((f for f in ("Noto Sans", "DejaVu Sans") if f in families), app.font().family())
    font = QFont()
    font.setFamilies([latin, CJK_FAMILY, "Droid Sans Fallback"])
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)


def apply_language(app: QApplication, lang: str) -> None:
    """Install the catalogue for `lang` (replacing the previous one) and the matching locale,
    which formats money and dates."""
    for old in app.findChildren(QTranslator, "walletpos-translator"):
        app.removeTranslator(old)
        old.deleteLater()
    locale = QLocale(QLocale.Language.Japanese if lang == "ja" else QLocale.Language.English,
                     QLocale.Country.Japan if lang == "ja" else QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    app.setProperty("walletpos_language", lang)
    QSettings().setValue("language", lang)
    if lang == "en":
        return
    for name, folder in ((f"walletpos_{lang}", None),
                         (f"qtbase_{lang}",
                          QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        path = compiled_catalogue(lang) if folder is None else Path(folder) / f"{name}.qm"
        translator = QTranslator(app)
        translator.setObjectName("walletpos-translator")
        if path is not None and path.exists() and translator.load(str(path)):
            app.installTranslator(translator)
        elif folder is None:
            log.warning("no %s catalogue: the screens stay in English", lang)


def compiled_catalogue(lang: str) -> Path | None:
    """`resources/i18n/walletpos_<lang>.qm`, or a fresh build of the `.ts` when it is missing or
    older (a checkout that skipped `make`)."""
    source = I18N / f"walletpos_{lang}.ts"
    built = I18N / f"walletpos_{lang}.qm"
    if built.exists() and (not source.exists() or built.stat().st_mtime >= source.stat().st_mtime):
        return built
    if not source.exists():
        return None
    from platformdirs import user_cache_path

    cached = user_cache_path("walletpos") / f"walletpos_{lang}.qm"
    if cached.exists() and cached.stat().st_mtime >= source.stat().st_mtime:
        return cached
    tool = _lrelease()
    if tool is None:
        return None
    cached.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([tool, str(source), "-qm", str(cached)], capture_output=True,
                          check=False)
    return cached if done.returncode == 0 and cached.exists() else None


def _lrelease() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.exists() else shutil.which("pyside6-lrelease")


def apply_theme(app: QApplication, theme: str) -> None:
    qss = THEMES / f"{theme}.qss"
    app.setStyleSheet(qss.read_text(encoding="utf-8") if qss.exists() else "")
    app.setProperty("walletpos_theme", theme)
    QSettings().setValue("theme", theme)


def language(app: QApplication | None = None) -> str:
    app = app or QApplication.instance()  # type: ignore[assignment]
    value = app.property("walletpos_language") if app is not None else None
    return str(value) if value else "en"


def theme(app: QApplication | None = None) -> str:
    app = app or QApplication.instance()  # type: ignore[assignment]
    value = app.property("walletpos_theme") if app is not None else None
    return str(value) if value else "light"
