"""The console's two languages: English (the text in the templates is the key) and Japanese
(`JA` below). A page's language is the user's own setting, else the browser's Accept-Language
(Japanese when it prefers ja over en), else English. A text without a Japanese entry shows in
English; the test of this catalogue reads every template and fails on a missing entry."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("en", "ja")

JA: dict[str, str] = {
    # layout and menu
    "Head office": "本部", "Sign in": "ログイン", "Sign out": "ログアウト", "Home": "ホーム",
    "Liability": "負債", "Points": "ポイント", "Activity": "利用状況",
    "Exposure and conflicts": "リスクと不整合", "Terminals": "端末", "Programs": "プログラム",
    "Customers": "顧客", "Audit log": "監査ログ", "Username": "ユーザー名",
    "Password": "パスワード", "Welcome, %s": "ようこそ、%s さん",
    "Choose a page in the menu. What you see depends on your role.":
        "メニューからページを選んでください。表示される内容は役割によって異なります。",
    "Refused": "拒否されました", "Back": "戻る", "Nothing yet.": "まだありません。",
    "Show": "表示", "Download CSV": "CSV をダウンロード", "As of": "基準日", "Days": "日数",
    "Action": "操作", "Reason": "理由",
    # roles
    "admin": "管理者", "marketer": "マーケティング", "support": "サポート",
    "auditor": "監査担当",
    # reports
    "Gift-card liability": "ギフトカード負債", "Points liability": "ポイント負債",
    "From the ledger: issued + loaded − redeemed − expired − voided = outstanding. Redeemed is "
    "net of voided redemptions; expired is breakage.":
        "台帳から計算: 発行 + 入金 − 利用 − 失効 − 無効 = 残高。利用は取消分を差し引いた額、"
        "失効は未使用収益(ブレークエージ)です。",
    "earned − burned − expired = outstanding, in points.":
        "獲得 − 使用 − 失効 = 残高(ポイント)。",
    "Redemptions and earnings per day and store": "日別・店舗別の利用と獲得",
    "Offline exposure": "オフラインのリスク額", "Conflict cases": "不整合ケース",
    "Resolve": "解決", "program": "プログラム", "currency": "通貨", "issued": "発行",
    "loaded": "入金", "redeemed": "利用", "expired": "失効", "voided": "無効",
    "outstanding": "残高", "earned": "獲得", "burned": "使用", "members": "会員数",
    "day": "日付", "store": "店舗", "redemptions": "利用件数", "points_earned": "獲得ポイント",
    "points_burned": "使用ポイント", "terminal": "端末", "exposure": "リスク額",
    "grants_outstanding": "未使用の付与枠", "floor_allowance": "フロア上限",
    "realised_losses": "確定損失", "status": "状態", "reason": "理由", "card": "カード",
    "shortfall": "不足額", "open": "未解決", "resolved": "解決済み", "id": "ID",
    "flags": "フラグ", "last_seq": "最終連番", "last_seen": "最終通信", "active": "稼働中",
    "quarantined": "隔離中",
    # audit
    "when": "日時", "who": "実行者", "action": "操作", "target": "対象", "before": "変更前",
    "after": "変更後",
    # programs
    "kind": "種類", "version": "版", "published": "公開済み", "Drafts": "下書き",
    "New draft from the published programs": "公開中のプログラムから下書きを作成",
    "author": "作成者", "decided by": "承認・却下者", "updated": "更新日時", "Draft": "下書き",
    "Author": "作成者", "draft": "下書き", "submitted": "承認待ち", "rejected": "却下",
    "Valid: load-programs would accept this file.": "有効です: load-programs で読み込めます。",
    "Save": "保存", "Submit for approval": "承認を依頼", "Approve and publish": "承認して公開",
    "Reject": "却下", "Waiting for a second person to approve.": "別の担当者の承認待ちです。",
    "Changes against the published programs": "公開中のプログラムとの差分",
    "new": "新規", "changed": "変更あり", "unchanged": "変更なし", "Simulation": "シミュレーション",
    "Replay the last N days of orders": "直近 N 日間の注文を再生", "Simulate": "シミュレート",
    "earns": "獲得件数", "draft_points": "下書きの獲得ポイント", "burns": "使用件数",
    "draft_burned": "下書きの使用ポイント", "discounts": "割引額",
    "draft_discounts": "下書きの割引額",
    "Outstanding": "残高", "Outstanding points": "ポイント残高",
    "Redeemed per day and store": "日別・店舗別の利用額",
    "Points earned per day and store": "日別・店舗別の獲得ポイント",
    "Exposure per store": "店舗別リスク額",
    # campaigns (A/B results)
    "Campaigns": "キャンペーン", "Campaign": "キャンペーン",
    "Campaigns and A/B results": "キャンペーンと A/B テストの結果",
    "The triggers of the program file. Open one for its results per group.":
        "プログラムファイルのトリガーです。開くとグループ別の結果を表示します。",
    "on": "発動条件", "variants": "バリアント数", "holdout_percent": "対照群 (%)",
    "reached": "対象顧客数",
    "no longer in the program file": "プログラムファイルにはもうありません",
    "All campaigns": "キャンペーン一覧", "variant": "グループ", "cards": "付与カード数",
    "redemption_rate": "利用率", "redemption_rate_ci95": "利用率の 95% 信頼区間",
    "revenue": "売上", "revenue_per_customer": "顧客あたり売上",
    "revenue_per_customer_ci95": "顧客あたり売上の 95% 信頼区間",
    "holdout": "対照群", "all": "全員", "Holdout": "対照群",
    "Revenue per customer reached": "対象顧客あたりの売上",
    "Revenue is the customers' spend since the trigger fired. A variant's revenue per customer "
    "against the holdout's is the campaign's effect; intervals are 95%, and wide ones say how "
    "little a difference means.":
        "売上はトリガー発動後のお客様の購入額です。各グループの顧客あたり売上と対照群との差が"
        "キャンペーンの効果です。区間は 95% 信頼区間で、幅が広いほど差の意味は小さくなります。",
    "Points per day under the draft": "下書きでの日別ポイント",
    # customers
    "Member or card code": "会員コードまたはカードコード", "Search": "検索",
    "code": "コード", "member": "会員", "Nothing found.": "見つかりません。", "Member": "会員",
    "country": "国", "points": "ポイント", "tier": "ランク", "visits": "来店回数",
    "Adjust points": "ポイント調整", "Adjust": "調整", "Points lots": "ポイントロット",
    "lot": "ロット", "remaining": "残り", "earned_at": "獲得日時", "expires_at": "有効期限",
    "at": "日時", "op": "操作", "seq": "連番", "actor": "実行者", "Gift card": "ギフトカード",
    "state": "状態", "balance": "残高", "expires": "有効期限", "Block the card": "カードを停止",
    "Block": "停止", "Lots": "ロット", "amount": "金額", "blocked": "停止中",
    "inactive": "未有効化",
    "registered_at": "登録日時", "lifetime_spend": "累計購入額", "last_visit": "最終来店",
    "facts_as_of": "集計時点", "segments": "セグメント",
    "birthday": "誕生日", "language": "言語", "email": "メール",
    "phone": "電話", "attributes": "属性", "erased_at": "削除日時",
    "Marketing consent": "マーケティング同意", "channel": "チャネル",
    "source": "取得元", "Gift cards of this customer": "このお客様のギフトカード",
    # notices after a form
    "notice:saved": "保存しました。", "notice:submitted": "承認を依頼しました。",
    "notice:published": "公開しました。端末には次回の同期で届きます。",
    "notice:rejected": "却下しました。", "notice:resolved": "ケースを解決しました。",
    "notice:adjusted": "ポイントを調整しました。", "notice:cleared": "フラグを解除しました。",
    "Clear flags": "フラグを解除", "reason:not_flagged": "この端末にフラグはありません。",
    "notice:blocked": "カードを停止しました。",
    # refusals
    "reason:bad_login": "ユーザー名またはパスワードが違います。",
    "reason:locked": "ログインの失敗が多すぎます。しばらくしてからお試しください。",
    "reason:csrf": "フォームの有効期限が切れたか、別のサイトから送信されました。"
                   "ページを開き直してください。",
    "reason:forbidden": "この役割ではこのページを利用できません。",
    "reason:second_person_required": "下書きは作成者以外の担当者が承認または却下します。",
    "reason:not_author": "下書きを編集できるのは作成者だけです。",
    "reason:draft_stale": "この下書きの作成後に別の変更が公開されました。"
                          "新しい下書きを作成してください。",
    "reason:not_submitted": "この下書きは承認待ちではありません。",
    "reason:draft_closed": "この下書きはもう編集できません。",
    "reason:invalid_program": "プログラムファイルにエラーがあります。",
    "reason:reason_required": "理由を入力してください。",
    "reason:invalid_reason": "理由を入力してください。",
    "reason:already_resolved": "このケースは解決済みです。",
    "reason:invalid_date": "日付は YYYY-MM-DD で指定してください。",
    "reason:unknown_draft": "その下書きはありません。",
    "reason:unknown_member": "その会員はいません。",
    "reason:unknown_card": "そのカードはありません。",
    "reason:invalid_amount": "数量が正しくありません。",
    # GDPR and decommission
    "Personal data (GDPR)": "個人データ (GDPR)", "Export everything": "すべてをエクスポート",
    "Erase": "削除", "erased": "削除済み",
    "Type the member code to confirm": "確認のため会員コードを入力",
    "Erasing removes the profile, consent and attributes; the ledger keeps the code as a "
    "pseudonym. It cannot be undone.":
        "削除するとプロフィール・同意・属性が消去されます。台帳にはコードのみが仮名として残ります。"
        "元に戻せません。",
    "notice:erased": "個人データを削除しました。",
    "reason:confirm_code": "確認のため会員コードを正しく入力してください。",
    "reason:customer_erased": "このお客様はすでに削除されています。",
    "Decommission": "廃止", "decommissioned": "廃止済み", "Allowed from": "実行可能な日時",
    "notice:decommissioned": "端末を廃止しました。付与枠とコードは返却されました。",
    "reason:too_early": "この端末はまだオフラインで利用できる可能性があるため、廃止できません。",
    "reason:already_decommissioned": "この端末はすでに廃止されています。",
    "reason:unknown_terminal": "その端末はありません。",
    "reason:unknown_trigger": "そのキャンペーン(トリガー)はありません。",
}

EN: dict[str, str] = {
    "notice:saved": "Saved.", "notice:submitted": "Submitted for approval.",
    "notice:published": "Published. Terminals receive it at their next sync.",
    "notice:rejected": "Rejected.", "notice:resolved": "Case resolved.",
    "notice:adjusted": "Points adjusted.", "notice:cleared": "Flags cleared.",
    "reason:not_flagged": "This terminal has no open flag.",
    "notice:blocked": "Card blocked.",
    "reason:bad_login": "Wrong username or password.",
    "reason:locked": "Too many failed logins. Try again later.",
    "reason:csrf": "The form expired or was sent from another site. Open the page again.",
    "reason:forbidden": "Your role cannot use this page.",
    "reason:second_person_required": "A draft is approved or rejected by someone other than "
                                     "its author.",
    "reason:not_author": "Only the author edits a draft.",
    "reason:draft_stale": "Programs were published after this draft was made. Start a new "
                          "draft.",
    "reason:not_submitted": "This draft is not waiting for approval.",
    "reason:draft_closed": "This draft can no longer be edited.",
    "reason:invalid_program": "The program file has an error.",
    "reason:reason_required": "Give a reason.", "reason:invalid_reason": "Give a reason.",
    "reason:already_resolved": "This case is already resolved.",
    "reason:invalid_date": "Give the date as YYYY-MM-DD.",
    "reason:unknown_draft": "There is no such draft.",
    "reason:unknown_member": "There is no such member.",
    "reason:unknown_card": "There is no such card.",
    "reason:invalid_amount": "The amount is not valid.",
    "notice:erased": "Personal data erased.",
    "reason:confirm_code": "Type the member code exactly to confirm the erase.",
    "reason:customer_erased": "This customer was already erased.",
    "notice:decommissioned": "Terminal decommissioned; its grants and codes came back.",
    "reason:too_early": "This terminal may still spend offline; it cannot be decommissioned "
                        "yet.",
    "reason:already_decommissioned": "This terminal is already decommissioned.",
    "reason:unknown_terminal": "There is no such terminal.",
    "reason:unknown_trigger": "There is no such campaign (trigger).",
}


def translator(lang: str) -> Callable[[str], str]:
    table = JA if lang == "ja" else {}

    def translate(text: str) -> str:
        return table.get(text) or EN.get(text) or text

    return translate


def from_accept_language(header: str | None) -> str:
    """en or ja, whichever the browser ranks higher (RFC 9110 q-values); en by default."""
    best, best_q = "en", -1.0
    for part in (header or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                continue
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best
