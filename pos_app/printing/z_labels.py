"""The Z report's words per language: a plain table, not Qt's tr(), because the report is also
written where no QTranslator is installed (the CLI, tests, a close replayed later) and must read
the same everywhere. `z_report` looks labels up here; an operation missing from a language's
table prints as its op id, so a new journal op never breaks a day close.

Templates use `str.format` fields; every language has every key of `TEXT["en"]`."""

from __future__ import annotations

LANGUAGES = ("en", "ja")

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Z report no. {number}",
        "pdf_title": "Z report {number}",
        "where": "Store {store}, terminal {terminal}",
        "closed": "Closed {when} by {name} ({staff})",
        "entries": "Journal entries {first}..{last}",
        "period": "This period",
        "grand": "Grand total (perpetual)",
        "none": "(no entries)",
        "close_entry": "Close entry #{seq}",
        "count": "{count:>5} x",
        "points": "{points} pt",
    },
    "ja": {
        "title": "Zレポート No. {number}",
        "pdf_title": "Zレポート {number}",
        "where": "店舗 {store}　端末 {terminal}",
        "closed": "締め日時 {when}　担当 {name} ({staff})",
        "entries": "ジャーナル #{first}〜#{last}",
        "period": "今回の締め",
        "grand": "累計（通算）",
        "none": "（取引なし）",
        "close_entry": "締め記録 #{seq}",
        "count": "{count:>5} 件",
        "points": "{points} ポイント",
    },
}

# Every op a `close` can total (core.journal.OPERATIONS but `close` itself). English prints the
# op id, as the journal and the admin CLI do.
OPS: dict[str, dict[str, str]] = {
    "en": {},
    "ja": {
        "issue": "発行",
        "activate": "有効化",
        "load": "チャージ",
        "redeem": "利用",
        "void": "取消",
        "earn": "ポイント付与",
        "burn": "ポイント利用",
        "expire": "ポイント失効",
        "adjust": "ポイント調整",
        "block": "利用停止",
        "unblock": "停止解除",
        "release": "オフライン枠返却",
        "key_rotate": "鍵の更新",
        "refund": "返金",
    },
}


def text(lang: str) -> dict[str, str]:
    """The templates for `lang`; an unknown language gets English rather than no report."""
    return TEXT.get(lang, TEXT["en"])


def op_label(op: str, lang: str) -> str:
    return OPS.get(lang, {}).get(op, op)
