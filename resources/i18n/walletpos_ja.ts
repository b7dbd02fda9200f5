<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP" sourcelanguage="en_US">
<context>
    <name>BalanceView</name>
    <message>
        <source>Refunded</source>
        <translation>返金</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="55" />
        <source>Hello, %1!</source>
        <translation>こんにちは、%1さん!</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="56" />
        <source>Hello!</source>
        <translation>こんにちは!</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="60" />
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="70" />
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="109" />
        <source>%1 points</source>
        <translation>%1 ポイント</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="62" />
        <source>Tier: %1</source>
        <translation>ランク: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="65" />
        <source>%1 more points to %2</source>
        <translation>%2 まであと %1 ポイント</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="67" />
        <source>You are in the top tier.</source>
        <translation>最上位ランクです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="69" />
        <source>Rewards you can take now:</source>
        <translation>今すぐ使える特典:</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="72" />
        <source>No rewards yet: keep collecting.</source>
        <translation>特典はまだありません。ポイントを貯めましょう。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="74" />
        <source>%1 points expire on %2</source>
        <translation>%1 ポイントが %2 に失効します</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="79" />
        <source>This card is not activated yet: please ask at the counter.</source>
        <translation>このカードはまだ有効化されていません。レジでお尋ねください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="81" />
        <source>This card is blocked: please ask at the counter.</source>
        <translation>このカードは停止中です。レジでお尋ねください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="82" />
        <source>This card is no longer valid.</source>
        <translation>このカードは無効です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="83" />
        <source>Valid until %1</source>
        <translation>有効期限 %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="84" />
        <source>Does not expire</source>
        <translation>有効期限なし</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="92" />
        <source>As of %1 — newer activity may not show yet.</source>
        <translation>%1 時点 — 最新のご利用が反映されていない場合があります。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="94" />
        <source>Not synced yet — the figures may be behind.</source>
        <translation>未同期 — 表示が最新でない場合があります。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="101" />
        <source>Recent activity</source>
        <translation>最近のご利用</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="103" />
        <source>No activity at this store yet.</source>
        <translation>この店舗でのご利用はまだありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="119" />
        <source>Paid</source>
        <translation>お支払い</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="119" />
        <source>Loaded</source>
        <translation>入金</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="120" />
        <source>Activated</source>
        <translation>有効化</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="120" />
        <source>Points earned</source>
        <translation>ポイント獲得</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="121" />
        <source>Reward taken</source>
        <translation>特典利用</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="121" />
        <source>Cancelled</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="122" />
        <source>Adjusted</source>
        <translation>調整</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="122" />
        <source>Blocked</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="123" />
        <source>Unblocked</source>
        <translation>停止解除</translation>
    </message>
</context>
<context>
    <name>BasketPanel</name>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="58" />
        <source>Basket</source>
        <translation>お会計</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="63" />
        <source>Total, e.g. %1</source>
        <translation>合計 例: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="66" />
        <source>Amount (F2)</source>
        <translation>金額 (F2)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="69" />
        <location filename="../../pos_app/gui/counter/basket.py" line="84" />
        <source>SKU</source>
        <translation>商品コード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="70" />
        <location filename="../../pos_app/gui/counter/basket.py" line="84" />
        <source>Category</source>
        <translation>カテゴリ</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="71" />
        <location filename="../../pos_app/gui/counter/basket.py" line="85" />
        <source>Price</source>
        <translation>価格</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="77" />
        <source>Add line</source>
        <translation>明細を追加</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="85" />
        <source>Qty</source>
        <translation>数量</translation>
    </message>
</context>
<context>
    <name>CardPanel</name>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="21" />
        <source>Card</source>
        <translation>カード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="46" />
        <source>Scan or type a gift card or member code.</source>
        <translation>ギフトカードまたは会員コードをスキャンまたは入力してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="57" />
        <source>Balance %1</source>
        <translation>残高 %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="66" />
        <source>Enter the basket amount to see what this card pays.</source>
        <translation>お会計金額を入力すると、このカードで支払える額が表示されます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="70" />
        <source>Pays %1 of %2.</source>
        <translation>%2 のうち %1 を支払えます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="74" />
        <source>Customer pays the other %1.</source>
        <translation>残りの %1 はお客様のお支払いです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="79" />
        <source>Redeem %1 (F5)</source>
        <translation>%1 を利用 (F5)</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <source>Paid %1 with %2 cards; customer pays the other %3.</source>
        <translation>%2 枚のカードで %1 を支払いました。残り %3 はお客様のお支払いです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/window.py" line="289" />
        <source>Redeemed %1. Remaining balance %2.</source>
        <translation>%1 を利用しました。残高 %2。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/window.py" line="335" />
        <source>Applied. Points now %1.</source>
        <translation>適用しました。現在のポイント: %1</translation>
    </message>
    <message>
        <source>Applied.</source>
        <translation type="vanished">適用しました。</translation>
    </message>
</context>
<context>
    <name>DemoNetworkSwitch</name>
    <message>
        <location filename="../../pos_app/gui/counter/demo_switch.py" line="40" />
        <source>Demo: go offline</source>
        <translation>デモ: オフラインにする</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/demo_switch.py" line="41" />
        <source>Demo: back online</source>
        <translation>デモ: オンラインに戻す</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>日本語 / English (F10)</source>
        <translation type="vanished">English / 日本語 (F10)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="33" />
        <source>日本語 (F10)</source>
        <translation>English (F10)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="34" />
        <source>Theme (F11)</source>
        <translation>テーマ (F11)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="35" />
        <source>Lock (F12)</source>
        <translation>ロック (F12)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="61" />
        <source>Not logged in</source>
        <translation>未ログイン</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="64" />
        <source>manager</source>
        <translation>店長</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="64" />
        <source>cashier</source>
        <translation>レジ担当</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="65" />
        <source>%1 (%2) · shift since %3</source>
        <translation>%1（%2）· %3 から勤務</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="72" />
        <source>● Checking…</source>
        <translation>● 確認中…</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="74" />
        <source>● Online</source>
        <translation>● オンライン</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="76" />
        <source>● Offline</source>
        <translation>● オフライン</translation>
    </message>
</context>
<context>
    <name>IssuePanel</name>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="51" />
        <source>Issue a batch of cards (created inactive)</source>
        <translation>カードを一括発行（未有効化で作成）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="61" />
        <source>Issue batch</source>
        <translation>一括発行</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="63" />
        <source>Program</source>
        <translation>プログラム</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="64" />
        <source>Number of cards</source>
        <translation>枚数</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="65" />
        <source>Value on each card</source>
        <translation>1枚あたりの金額</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="66" />
        <source>Expires on</source>
        <translation>有効期限</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="70" />
        <source>Print a card sheet</source>
        <translation>カードシートを印刷</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="77" />
        <source>A4 sheet (10 cards, crop marks)</source>
        <translation>A4シート（10枚、トンボ付き）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="78" />
        <source>Letter sheet (10 cards, crop marks)</source>
        <translation>レターシート（10枚、トンボ付き）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="79" />
        <source>Card printer (one CR80 card per page)</source>
        <translation>カードプリンター（1ページにCR80カード1枚）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="81" />
        <source>Print sheet (PDF)</source>
        <translation>シートを印刷（PDF）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="83" />
        <source>Open the sheet</source>
        <translation>シートを開く</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="114" />
        <source>%1 — %2 cards of %3</source>
        <translation>%1 — %3 のカード %2 枚</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="128" />
        <source>No gift-card program to issue.</source>
        <translation>発行できるギフトカードのプログラムがありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="134" />
        <source>%1 months after issue</source>
        <translation>発行から%1か月</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="138" />
        <source>never</source>
        <translation>なし</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="139" />
        <source>YYYY-MM-DD (program: %1)</source>
        <translation>YYYY-MM-DD（プログラム既定: %1）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="140" />
        <source>Codes ready for issuing offline: %1</source>
        <translation>オフライン発行に使えるコード: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="155" />
        <source>Batch %1: %2 cards issued, inactive until sold.</source>
        <translation>バッチ %1: %2 枚を発行しました（販売時に有効化）。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="158" />
        <source>Head office will confirm at the next sync.</source>
        <translation>次回の同期で本部が確定します。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="168" />
        <source>Issue a batch first.</source>
        <translation>先にカードを発行してください。</translation>
    </message>
    <message>
        <source>Printing %1 cards…</source>
        <translation type="vanished">%1 枚を印刷中…</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="179" />
        <source>%1 cards on %2 pages: saved to %3.</source>
        <translation>%1 枚・%2 ページ: %3 に保存しました。</translation>
    </message>
<message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="136" />
        <source>%1 days after issue</source>
        <translation>発行から%1日</translation>
    </message>
    </context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="140" />
        <source>Scan your card</source>
        <translation>カードをかざしてください</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="141" />
        <source>Hold the QR code of your gift card or loyalty card under the scanner to see your balance.</source>
        <translation>ギフトカードまたはポイントカードのQRコードをスキャナーにかざすと残高が表示されます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="143" />
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="144" />
        <source>Back</source>
        <translation>戻る</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="145" />
        <source>Manager PIN to leave kiosk mode</source>
        <translation>キオスクモードを終了するには店長のPINを入力</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="197" />
        <source>We could not read this card here: please ask at the counter.</source>
        <translation>このカードはここでは確認できません。レジでお尋ねください。</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="54" />
        <source>Who is at the counter?</source>
        <translation>担当者を選んでください</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="79" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="110" />
        <source>manager</source>
        <translation>店長</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="110" />
        <source>cashier</source>
        <translation>レジ担当</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="122" />
        <source>No staff on this terminal yet: sync with head office (F8).</source>
        <translation>この端末にはまだスタッフがいません。本部と同期してください (F8)。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="133" />
        <source>%1: enter your PIN</source>
        <translation>%1：PIN を入力してください</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="172" />
        <source>First touch your name.</source>
        <translation>先に名前をタッチしてください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="197" />
        <source>%1 tries left before login locks for 5 minutes.</source>
        <translation>あと %1 回間違えるとログインが5分間ロックされます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="209" />
        <source>Try again at %1.</source>
        <translation>%1 に再試行してください。</translation>
    </message>
</context>
<context>
    <name>ManagerWindow</name>
    <message>
        <source>Refunds</source>
        <translation>返金</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="77" />
        <source>Manager login</source>
        <translation>店長ログイン</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="88" />
        <source>Lock</source>
        <translation>ロック</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="96" />
        <source>Card (scan or type the code)</source>
        <translation>カード(スキャンまたはコード入力)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="102" />
        <source>e.g. reported lost</source>
        <translation>例: 紛失の届け出</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="103" />
        <source>Card</source>
        <translation>カード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="104" />
        <source>Amount sold</source>
        <translation>販売金額</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="105" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="109" />
        <source>Activate and load</source>
        <translation>有効化して入金</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="111" />
        <source>Block</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="113" />
        <source>Unblock</source>
        <translation>停止解除</translation>
    </message>
    <message>
        <source>Day close and sync</source>
        <translation type="vanished">締め処理と同期</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="162" />
        <source>Close the day (Z report)</source>
        <translation>本日の締め(Zレポート)</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="vanished">今すぐ同期</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="188" />
        <source>Manager: %1</source>
        <translation>店長: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="262" />
        <source>%1 activated: balance %2.</source>
        <translation>%1 を有効化しました: 残高 %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="264" />
        <location filename="../../pos_app/gui/manager/window.py" line="292" />
        <location filename="../../pos_app/gui/manager/window.py" line="308" />
        <location filename="../../pos_app/gui/manager/window.py" line="323" />
        <source>Head office will confirm at the next sync.</source>
        <translation>次回の同期で本部が確認します。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="271" />
        <source>%1 is blocked.</source>
        <translation>%1 を停止しました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="272" />
        <source>%1 is unblocked.</source>
        <translation>%1 の停止を解除しました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="333" />
        <source>Day closed: Z report %1 saved to %2.</source>
        <translation>締め完了: Zレポート %1 を %2 に保存しました。</translation>
    </message>
    <message>
        <source>%1 entries wait to sync; last sync %2.</source>
        <translation type="vanished">未同期 %1 件、最終同期 %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="119" />
        <source>Void a redemption (uses the reason above)</source>
        <translation>利用の取り消し（上の理由を使用）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="122" />
        <source>Entry number on the receipt</source>
        <translation>レシートの記録番号</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="123" />
        <source>Void redemption</source>
        <translation>利用を取り消す</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="279" />
        <source>Enter the entry number printed on the receipt.</source>
        <translation>レシートに印字された記録番号を入力してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="288" />
        <source>Redemption %1 voided: %2 back on %3, balance %4.</source>
        <translation>利用 %1 を取り消しました：%2 を %3 に戻しました。残高 %4。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="128" />
        <source>Move a lost card's balance (uses the reason above)</source>
        <translation>紛失カードの残高を移す（上の理由を使用）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="131" />
        <source>Lost card</source>
        <translation>紛失したカード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="133" />
        <source>New card</source>
        <translation>新しいカード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="134" />
        <source>Move balance</source>
        <translation>残高を移す</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="304" />
        <source>%1 moved from %2 (now blocked) to %3: balance %4.</source>
        <translation>%1 を %2（停止済み）から %3 に移しました。残高 %4。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="140" />
        <source>Adjust a member's points (uses the reason above)</source>
        <translation>会員ポイントの調整（上の理由を使用）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="107" />
        <source>Look up</source>
        <translation>照会</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="143" />
        <source>Member code</source>
        <translation>会員番号</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="145" />
        <source>Points</source>
        <translation>ポイント</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="146" />
        <source>Add points</source>
        <translation>ポイントを加算</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="148" />
        <source>Remove points</source>
        <translation>ポイントを減算</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="156" />
        <source>Cards</source>
        <translation>カード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="159" />
        <source>Issue and print</source>
        <translation>発行と印刷</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="169" />
        <source>Day close</source>
        <translation>締め処理</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="171" />
        <source>Sync and conflicts</source>
        <translation>同期と不整合</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="246" />
        <source>active</source>
        <translation>有効</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="246" />
        <source>not activated</source>
        <translation>未有効化</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="247" />
        <source>blocked</source>
        <translation>停止中</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="247" />
        <source>voided</source>
        <translation>無効</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="248" />
        <source>never</source>
        <translation>なし</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="249" />
        <source>%1 (%2): %3, balance %4, expires %5.</source>
        <translation>%1（%2）: %3、残高 %4、有効期限 %5。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="319" />
        <source>%1 points added to %2: now %3.</source>
        <translation>%2 に %1 ポイントを加算しました。現在 %3 ポイント。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="320" />
        <source>%1 points taken from %2: now %3.</source>
        <translation>%2 から %1 ポイントを減算しました。現在 %3 ポイント。</translation>
    </message>
</context>
<context>
    <name>ManualEntry</name>
    <message>
        <location filename="../../pos_app/gui/counter/manual_entry.py" line="57" />
        <source>Type a code (F3)</source>
        <translation>コードを入力 (F3)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/manual_entry.py" line="66" />
        <source>Look up</source>
        <translation>照会</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/manual_entry.py" line="89" />
        <source>%1 more characters</source>
        <translation>あと %1 文字</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/manual_entry.py" line="90" />
        <source>✓ Code is valid: press Enter</source>
        <translation>✓ 有効なコードです：Enter を押してください</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="24" />
        <source>Offline: head office cannot be reached. Sales go on; everything is kept and sent when the network is back.</source>
        <translation>オフライン：本部に接続できません。販売は続けられます。記録は保存され、回線の復旧後に送信されます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="51" />
        <source>%1 offline:</source>
        <translation>%1 (オフライン時):</translation>
    </message>
    <message>
        <source>%1 up to %2 a sale</source>
        <translation type="vanished">%1（1回 %2 まで）</translation>
    </message>
    <message>
        <source>%1 within this terminal's grant</source>
        <translation type="vanished">%1（この端末の利用枠内）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="41" />
        <source>Still works: balances, receipts, staff login, earning points (sent later).</source>
        <translation>利用できるもの：残高照会、レシート、スタッフログイン、ポイント付与（後で送信）。</translation>
    </message>
    <message>
        <source>Can pay: %1.</source>
        <translation type="vanished">支払い可能：%1。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="54" />
        <source>Needs the network: %1.</source>
        <translation>回線が必要：%1。</translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="31" />
        <source>Loyalty</source>
        <translation>ポイント</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="36" />
        <source>Apply rewards and earn points (F6)</source>
        <translation>特典を適用してポイントを付与 (F6)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="68" />
        <source>Member %1</source>
        <translation>会員 %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="69" />
        <source>%1 points</source>
        <translation>%1 ポイント</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="71" />
        <source>Tier: %1</source>
        <translation>ランク：%1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="77" />
        <source>%1 points to %2</source>
        <translation>%2 まであと %1 ポイント</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="82" />
        <source>This order earns %1 points</source>
        <translation>このお会計で %1 ポイント付与</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="85" />
        <source>%1 — %2 points (worth %3)</source>
        <translation>%1 — %2 ポイント（%3 相当）</translation>
    </message>
</context>
<context>
    <name>ReceiptView</name>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="22" />
        <source>Receipt</source>
        <translation>レシート</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="26" />
        <source>Print receipt (F9)</source>
        <translation>レシート印刷 (F9)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="52" />
        <source>Saved %1</source>
        <translation>%1 に保存しました</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="55" />
        <source>and sent to the receipt printer.</source>
        <translation>レシートプリンターに送信しました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="57" />
        <source>Receipt printer failed: %1</source>
        <translation>レシートプリンターのエラー：%1</translation>
    </message>
</context>
<context>
    <name>ScanPanel</name>
    <message>
        <location filename="../../pos_app/gui/counter/scan_panel.py" line="113" />
        <source>Scan</source>
        <translation>スキャン</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/scan_panel.py" line="116" />
        <source>Hold the card's QR code inside the frame, or use the USB scanner anywhere on this screen.</source>
        <translation>カードの QR コードを枠内にかざすか、USB スキャナーを使ってください（画面のどこでも読み取れます）。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/scan_panel.py" line="128" />
        <source>No camera selected: scan with the USB scanner or type the code.</source>
        <translation>カメラが未選択です。USB スキャナーで読み取るか、コードを入力してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/scan_panel.py" line="175" />
        <source>Camera not available: scan with the USB scanner or type the code.</source>
        <translation>カメラが使えません。USB スキャナーで読み取るか、コードを入力してください。</translation>
    </message>
</context>
<context>
    <name>StandingBanner</name>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="87" />
        <source>Head office has stopped this terminal (quarantined). Nothing can be paid with gift cards or points here until head office has looked at it.</source>
        <translation>本部がこの端末を停止しました（隔離）。本部が確認するまで、この端末ではギフトカードとポイントで支払えません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="91" />
        <source>Head office has flagged this terminal. Gift cards and points need the network until head office clears it.</source>
        <translation>本部がこの端末に警告を出しました。本部が解除するまで、ギフトカードとポイントの利用にはネットワーク接続が必要です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="94" />
        <source>Reason: %1. Call your manager.</source>
        <translation>理由: %1。店長を呼んでください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="95" />
        <source>not given</source>
        <translation>不明</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="35" />
        <source>Sync now (F8)</source>
        <translation>今すぐ同期 (F8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="54" />
        <source>Waiting to sync: %1</source>
        <translation>同期待ち：%1 件</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="55" />
        <source>Last sync: %1</source>
        <translation>最終同期：%1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="63" />
        <source>Syncing… sending %1 entries</source>
        <translation>同期中… %1 件を送信</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="64" />
        <source>Syncing…</source>
        <translation>同期中…</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="71" />
        <source>Synced: %1 sent, %2 received</source>
        <translation>同期完了：送信 %1 件、受信 %2 件</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="67" />
        <source>Case</source>
        <translation>案件</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="67" />
        <source>Card</source>
        <translation>カード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="67" />
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="67" />
        <source>Shortfall</source>
        <translation>不足額</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="68" />
        <source>Terminal</source>
        <translation>端末</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="68" />
        <source>Opened</source>
        <translation>発生日時</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="80" />
        <source>Sync now</source>
        <translation>今すぐ同期</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="83" />
        <source>Refresh</source>
        <translation>再読み込み</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="147" />
        <source>The list could not be refreshed: %1</source>
        <translation>一覧を更新できませんでした: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="153" />
        <source>Waiting to sync: %1 entries. Last successful sync: %2.</source>
        <translation>未同期: %1 件。最後に成功した同期: %2</translation>
    </message>
    <message>
        <source>%1 entries wait to sync; last successful sync %2.</source>
        <translation type="vanished">未同期 %1 件、最後に成功した同期 %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="160" />
        <source>Last sync failed (%1): %2</source>
        <translation>前回の同期に失敗しました（%1）: %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="165" />
        <source>No sync error.</source>
        <translation>同期エラーはありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="167" />
        <source>Open conflict cases for this store: %1</source>
        <translation>この店舗の未解決の不整合案件: %1 件</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="184" />
        <source>Head office unreachable — no list yet.</source>
        <translation>本部に接続できません — 一覧はまだありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="186" />
        <source>Head office unreachable — list as of %1.</source>
        <translation>本部に接続できません — %1 時点の一覧です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="189" />
        <source>Not asked head office yet.</source>
        <translation>まだ本部に問い合わせていません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="191" />
        <source>As of %1.</source>
        <translation>%1 時点。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="204" />
        <source>%1 points</source>
        <translation>%1 ポイント</translation>
    </message>
</context>
<context>
    <name>offline</name>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="24" />
        <source>At most %1 per offline payment.</source>
        <translation>オフラインでの支払いは1回 %1 まで。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="25" />
        <source>One offline payment per card at this till; the card can be used again after the next sync.</source>
        <translation>オフラインでの支払いは、このレジでカード1枚につき1回まで。次の同期の後に再び使えます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="27" />
        <source>At most %1 in all offline payments at this till until the next sync.</source>
        <translation>次の同期までに、このレジでのオフライン支払いは合計 %1 まで。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="29" />
        <source>No offline payments once the last sync is more than %1 hours ago.</source>
        <translation>最後の同期から %1 時間を過ぎると、オフラインでは支払えません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="31" />
        <source>Only what head office reserved for this till, card by card.</source>
        <translation>本部がこのレジにカードごとに割り当てた額だけ支払えます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="33" />
        <source>Needs the network: this card cannot be used offline.</source>
        <translation>回線が必要です：このカードはオフラインでは使えません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="39" />
        <source>Offline: this card was already used once at this till.</source>
        <translation>オフライン: このカードはこのレジで既に1回使われています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="41" />
        <source>Offline: this amount is more than one offline payment may take.</source>
        <translation>オフライン: この金額はオフライン支払い1回の上限を超えています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="43" />
        <source>Offline: this till has paid out all it may before the next sync.</source>
        <translation>オフライン: このレジは次の同期までに支払える上限に達しました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="46" />
        <source>Offline for too long: sync first.</source>
        <translation>オフラインの時間が長すぎます。先に同期してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="48" />
        <source>Offline: head office reserved nothing of this card for this till.</source>
        <translation>オフライン: 本部はこのカードについてこのレジに何も割り当てていません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="50" />
        <source>Offline: what head office reserved of this card for this till is used up.</source>
        <translation>オフライン: 本部がこのレジに割り当てたこのカードの額を使い切りました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="53" />
        <source>Offline: what head office reserved of this card for this till has expired.</source>
        <translation>オフライン: 本部がこのレジに割り当てたこのカードの額は期限切れです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="35" />
        <source>A limit shared by every till: offline, only this till's share of what is left.</source>
        <translation>全レジ共通の上限：オフラインでは、残りのうちこのレジへの配分のみ。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="58" />
        <source>Offline: head office shared none of this limit with this till.</source>
        <translation>オフライン：本部はこの上限をこのレジに配分していません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="60" />
        <source>Offline: this till's share of the limit is used up.</source>
        <translation>オフライン：このレジへの上限の配分を使い切りました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="62" />
        <source>Offline: this till's share of the limit has expired.</source>
        <translation>オフライン：このレジへの上限の配分は期限切れです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="81" />
        <source>%1 points</source>
        <translation>%1 ポイント</translation>
    </message>
</context>
<context>
    <name>launch</name>
    <message>
        <location filename="../../pos_app/gui/launch.py" />
        <source>This till cannot continue</source>
        <translation>この端末は使用を続けられません</translation>
    </message>
</context>
<context>
    <name>reasons</name>
    <message>
        <source>This order is refunded already.</source>
        <translation>この注文はすでに返金済みです。</translation>
    </message>
    <message>
        <source>That is more than is left to refund.</source>
        <translation>返金できる残額を超えています。</translation>
    </message>
    <message>
        <source>Nothing of this order can be given back.</source>
        <translation>この注文には返金できるものがありません。</translation>
    </message>
    <message>
        <source>This order is not known at this till.</source>
        <translation>この注文はこのレジにありません。</translation>
    </message>
    <message>
        <source>The order has no such line.</source>
        <translation>この注文にその明細はありません。</translation>
    </message>
    <message>
        <source>Rewards of this program and gift cards cannot be combined on one order.</source>
        <translation>このプログラムの特典とギフトカードは、同じ注文で併用できません。</translation>
    </message>
    <message>
        <source>This order already has the most rewards allowed.</source>
        <translation>この注文では、使える特典の上限に達しています。</translation>
    </message>
    <message>
        <source>This reward cannot be combined with one already on this order.</source>
        <translation>この特典は、この注文ですでに使った特典と併用できません。</translation>
    </message>
    <message>
        <source>This card pays only for some items of the basket, up to their amount.</source>
        <translation>このカードは一部の商品にのみ使え、その金額までしか支払えません。</translation>
    </message>
    <message>
        <source>This card pays only for some items, and they are already paid.</source>
        <translation>このカードは一部の商品にのみ使えますが、その商品はすでに支払い済みです。</translation>
    </message>
    <message>
        <source>This card is for some items only: enter the basket&apos;s items, or it has none of them.</source>
        <translation>このカードは一部の商品専用です。商品明細を入力してください（対象の商品がない場合は使えません）。</translation>
    </message>
    <message>
        <source>More than is left to pay on this order.</source>
        <translation>この注文の残りの支払額を超えています。</translation>
    </message>
    <message>
        <source>The basket changed since this order began: start a new sale.</source>
        <translation>注文の開始後にバスケットが変わりました。新しい会計を始めてください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="18" />
        <source>This card is not known here.</source>
        <translation>このカードはこの端末に登録されていません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="19" />
        <source>This card's program is not available.</source>
        <translation>このカードのプログラムは利用できません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="20" />
        <source>This card has not been activated.</source>
        <translation>このカードは有効化されていません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="21" />
        <source>This card is blocked.</source>
        <translation>このカードは停止されています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="22" />
        <source>Only a manager may do this.</source>
        <translation>店長のみ操作できます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="23" />
        <source>Say why.</source>
        <translation>理由を入力してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="24" />
        <source>The card is already in that state.</source>
        <translation>カードはすでにその状態です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="25" />
        <source>This needs head office online: try again when the network is back.</source>
        <translation>本部への接続が必要です。ネットワーク復旧後にもう一度お試しください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="27" />
        <source>This card has been voided.</source>
        <translation>このカードは無効になっています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="34" />
        <source>Not enough card codes are ready for issuing offline: issue fewer, or connect to head office to issue more.</source>
        <translation>オフライン発行に使えるカードコードが足りません。枚数を減らすか、本部に接続してから発行してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="37" />
        <source>The card codes stored on this till do not open with its key: call support.</source>
        <translation>この端末に保存されたカード番号をこの端末の鍵で開けません。サポートに連絡してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="39" />
        <source>A batch is 1 to 500 cards.</source>
        <translation>一度に発行できるのは1〜500枚です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="40" />
        <source>This card already carries its value: leave the amount empty to sell it.</source>
        <translation>このカードには既に金額が入っています。金額を空欄のままにして販売してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="42" />
        <source>Enter the expiry as YYYY-MM-DD, a date still to come.</source>
        <translation>有効期限は今日より後の日付を YYYY-MM-DD で入力してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="44" />
        <source>No such batch was issued at this till.</source>
        <translation>このレジで発行されたバッチではありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="45" />
        <source>The file could not be written.</source>
        <translation>ファイルを書き込めませんでした。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="46" />
        <source>Expired.</source>
        <translation>有効期限切れです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="47" />
        <source>Enter an amount above zero.</source>
        <translation>0 より大きい金額を入力してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="48" />
        <source>The card is in another currency.</source>
        <translation>このカードは別の通貨です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="49" />
        <source>Not enough balance on the card.</source>
        <translation>カードの残高が不足しています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="50" />
        <source>Above the card's limit per order.</source>
        <translation>1回のお会計の利用上限を超えています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="51" />
        <source>That is not a card or member code.</source>
        <translation>カードまたは会員コードではありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="52" />
        <source>Typo: the code's check character does not match.</source>
        <translation>入力ミス：コードのチェック文字が一致しません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="54" />
        <source>Not a card, member code or credential.</source>
        <translation>カード、会員コード、認証コードのいずれでもありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="55" />
        <source>The scanned code is too long.</source>
        <translation>読み取ったコードが長すぎます。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="56" />
        <source>The scanned code has hidden characters.</source>
        <translation>読み取ったコードに見えない文字が含まれています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="58" />
        <source>Nothing was scanned.</source>
        <translation>何も読み取れませんでした。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="59" />
        <source>A link that is not from this store.</source>
        <translation>このお店のリンクではありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="60" />
        <source>The card's signature is not valid.</source>
        <translation>カードの署名が無効です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="61" />
        <source>That input is not valid.</source>
        <translation>入力が正しくありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="62" />
        <source>That input is too long.</source>
        <translation>入力が長すぎます。</translation>
    </message>
    <message>
        <source>Needs the network: this card cannot be used offline.</source>
        <translation type="vanished">回線が必要です：このカードはオフラインでは使えません。</translation>
    </message>
    <message>
        <source>Offline, and this terminal holds no spending right for the card.</source>
        <translation type="vanished">オフラインで、この端末にはこのカードの利用枠がありません。</translation>
    </message>
    <message>
        <source>Offline for too long: sync first.</source>
        <translation type="vanished">オフラインの時間が長すぎます。先に同期してください。</translation>
    </message>
    <message>
        <source>Above the offline limit.</source>
        <translation type="vanished">オフライン時の上限を超えています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="65" />
        <location filename="../../pos_app/gui/reasons.py" line="67" />
        <source>This terminal is blocked by head office.</source>
        <translation>この端末は本部により停止されています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="68" />
        <source>Declined by head office.</source>
        <translation>本部により拒否されました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="69" />
        <source>Head office cannot be reached.</source>
        <translation>本部に接続できません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="70" />
        <source>Sync failed; it will be retried.</source>
        <translation>同期に失敗しました。自動で再試行します。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="71" />
        <source>Head office holds entries this terminal no longer has: call support.</source>
        <translation>本部にこの端末にない取引記録があります。サポートに連絡してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="73" />
        <source>Head office does not know this terminal.</source>
        <translation>本部はこの端末を認識していません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="75" />
        <source>Head office's answer failed its signature check.</source>
        <translation>本部からの応答の署名を確認できませんでした。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="78" />
        <source>Spent more than the card held; the card is blocked.</source>
        <translation>カード残高を超えて利用されたため、カードを停止しました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="80" />
        <source>The terminal's journal was rewritten; the terminal is blocked.</source>
        <translation>端末の取引記録が書き換えられたため、端末を停止しました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="82" />
        <source>An operation head office does not apply.</source>
        <translation>本部で処理されない操作です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="83" />
        <source>Unblocked while the card has an open case.</source>
        <translation>未解決の案件があるカードの停止解除です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="85" />
        <source>A void that matches no redemption.</source>
        <translation>対応する利用がない取消です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="86" />
        <source>A spending right that was not valid.</source>
        <translation>無効な利用枠です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="87" />
        <source>A card issued with a code not reserved for this terminal.</source>
        <translation>この端末に割り当てられていないコードでカードが発行されました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="89" />
        <source>A card issued with a code already in use.</source>
        <translation>使用済みのコードでカードが発行されました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="90" />
        <source>The code belongs to another program.</source>
        <translation>このコードは別のプログラムのものです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="91" />
        <source>The card's expiry is not valid.</source>
        <translation>カードの有効期限が正しくありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="92" />
        <source>A program head office does not know.</source>
        <translation>本部が認識していないプログラムです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="93" />
        <source>A point adjustment that is not valid.</source>
        <translation>無効なポイント調整です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="94" />
        <source>A reward credit that is not valid.</source>
        <translation>無効な特典クレジットです。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="96" />
        <source>The customer is not eligible</source>
        <translation>お客様は対象外です</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="97" />
        <source>Needs tier</source>
        <translation>必要なランク</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="98" />
        <source>Limit reached</source>
        <translation>上限に達しました</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="99" />
        <source>Rule could not be checked</source>
        <translation>条件を確認できません</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="100" />
        <source>Not enough points.</source>
        <translation>ポイントが不足しています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="101" />
        <source>Order below the minimum.</source>
        <translation>お会計が最低金額に達していません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="102" />
        <source>The item is not in the basket.</source>
        <translation>対象商品がお会計にありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="103" />
        <source>Nothing to discount.</source>
        <translation>割引の対象がありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="104" />
        <source>No points on this order.</source>
        <translation>このお会計はポイント対象外です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="105" />
        <source>Nothing left to pay.</source>
        <translation>お支払い残高がありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="106" />
        <source>Not valid at this time.</source>
        <translation>現在は利用できません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="107" />
        <source>The customer is not a member.</source>
        <translation>お客様は会員ではありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="108" />
        <source>Not offered on this order.</source>
        <translation>このお会計では対象外です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="110" />
        <location filename="../../pos_app/gui/reasons.py" line="111" />
        <source>Wrong PIN.</source>
        <translation>PIN が違います。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="112" />
        <source>Too many wrong PINs: login is locked.</source>
        <translation>PIN の誤りが多すぎるため、ログインがロックされました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="113" />
        <source>That is not a manager's PIN: a manager must approve this.</source>
        <translation>店長の PIN ではありません。店長の承認が必要です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="115" />
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN は 4〜8 桁の数字です。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="116" />
        <source>The login lock was tampered with: login is locked.</source>
        <translation>ログインのロック情報が改ざんされたため、ログインがロックされました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="118" />
        <source>Something went wrong; please call support.</source>
        <translation>問題が発生しました。サポートに連絡してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="28" />
        <source>That entry is not a redemption of this till.</source>
        <translation>その記録はこの端末での利用ではありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="29" />
        <source>That redemption is already voided.</source>
        <translation>その利用はすでに取り消されています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="30" />
        <source>The old card has no balance to move.</source>
        <translation>元のカードに移す残高がありません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="31" />
        <source>The new card must be a different card.</source>
        <translation>新しいカードには別のカードを指定してください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="32" />
        <source>The member does not have that many points.</source>
        <translation>会員のポイントが足りません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="33" />
        <source>This member is not known here.</source>
        <translation>この会員はこの端末に登録されていません。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" />
        <source>This till's database is damaged: stop using this till and call support. Restore its folder from a backup or enroll it again; head office keeps everything already synced.</source>
        <translation>この端末のデータベースが破損しています。この端末の使用を中止し、サポートに連絡してください。バックアップからフォルダを復元するか、端末を登録し直してください。同期済みの記録はすべて本部に保存されています。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" />
        <source>This card's balance on this till does not match the till's own records, so it cannot be used offline. Try again when head office is online, and call support.</source>
        <translation>この端末上のカード残高が端末自身の取引記録と一致しないため、オフラインでは使用できません。本部に接続できるときにもう一度お試しのうえ、サポートに連絡してください。</translation>
    </message>
<message>
        <location filename="../../pos_app/gui/reasons.py" line="48" />
        <source>Part of this card's balance is reserved at another till and will be free shortly.</source>
        <translation>このカードの残高の一部は別のレジで確保されています。まもなく使えるようになります。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="69" />
        <source>Head office has retired this terminal.</source>
        <translation>このレジは本部により廃止されました。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="123" />
        <source>%1 can be paid now; the rest is reserved at another till and will be free shortly.</source>
        <translation>今お支払いいただけるのは %1 です。残りは別のレジで確保されており、まもなく使えるようになります。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="128" />
        <source>This customer's reward is limited per customer and only head office knows what other tills paid: try again when head office is online.</source>
        <translation>この特典はお客様ごとに回数が限られており、他のレジでの付与は本部しか把握していません。本部と接続してから再度お試しください。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="135" />
        <source>Limit reached: this card's uses %1.</source>
        <translation>上限に達しました：このカードの%1の利用回数。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="136" />
        <source>Limit reached: this card's amount %1.</source>
        <translation>上限に達しました：このカードの%1の利用額。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="137" />
        <source>Limit reached: this customer's uses %1, at every till.</source>
        <translation>上限に達しました：全レジでのこのお客様の%1の利用回数。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="139" />
        <source>Limit reached: this customer's amount %1, at every till.</source>
        <translation>上限に達しました：全レジでのこのお客様の%1の利用額。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="141" />
        <source>Limit reached: this program's uses %1, at every till and store.</source>
        <translation>上限に達しました：全店舗・全レジでのこのプログラムの%1の利用回数。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="143" />
        <source>Limit reached: this program's amount %1, at every till and store.</source>
        <translation>上限に達しました：全店舗・全レジでのこのプログラムの%1の利用額。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="145" />
        <source>Limit reached: uses at this store %1.</source>
        <translation>上限に達しました：この店舗での%1の利用回数。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="146" />
        <source>Limit reached: the amount at this store %1.</source>
        <translation>上限に達しました：この店舗での%1の利用額。</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="150" />
        <source>today</source>
        <translation>本日</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="151" />
        <source>this week</source>
        <translation>今週</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="152" />
        <source>this month</source>
        <translation>今月</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="153" />
        <source>this year</source>
        <translation>今年</translation>
    </message>
</context>
<context>
    <name>receipt</name>
    <message>
        <source>Refund</source>
        <translation>返金</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>承認者</translation>
    </message>
    <message>
        <source>Back on gift card</source>
        <translation>返金先ギフトカード</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>返金額</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>残高</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>取り消したポイント</translation>
    </message>
    <message>
        <source>Reward points returned</source>
        <translation>戻した特典ポイント</translation>
    </message>
    <message>
        <source>Refunded to gift cards</source>
        <translation>ギフトカードへの返金合計</translation>
    </message>
    <message>
        <source>Receipt reference</source>
        <translation>レシート番号</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>注文番号</translation>
    </message>
    <message>
        <source>Reward %1</source>
        <translation>特典 %1</translation>
    </message>
    <message>
        <source>Gift card %1</source>
        <translation>ギフトカード %1</translation>
    </message>
    <message>
        <source>Paid by gift cards</source>
        <translation>ギフトカード支払計</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="43" />
        <source>Store</source>
        <translation>店舗</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="44" />
        <source>Terminal</source>
        <translation>端末</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="45" />
        <source>Date</source>
        <translation>日時</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="48" />
        <source>Cashier</source>
        <translation>担当</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="50" />
        <source>Gift card</source>
        <translation>ギフトカード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="51" />
        <source>Redeemed</source>
        <translation>利用額</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="55" />
        <source>Remaining balance</source>
        <translation>残高</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="58" />
        <source>Entry</source>
        <translation>記録番号</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="59" />
        <source>Signature</source>
        <translation>署名</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="60" />
        <source>Reference</source>
        <translation>参照番号</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="63" />
        <source>Mode</source>
        <translation>モード</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="64" />
        <source>offline, sent to head office later</source>
        <translation>オフライン（後で本部に送信）</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="77" />
        <source>Thank you!</source>
        <translation>ありがとうございました！</translation>
    </message>
</context>
<context>
    <name>CardsPanel</name>
    <message>
        <source>Cards for this sale</source>
        <translation>この会計のカード</translation>
    </message>
    <message>
        <source>Used in this order; move a card to change it.</source>
        <translation>この順番で使います。カードを移動すると順番を変えられます。</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上へ</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下へ</translation>
    </message>
    <message>
        <source>%1. %2 pays %3 (balance %4)</source>
        <translation>%1. %2：%3（残高 %4）</translation>
    </message>
    <message>
        <source>Cards pay %1; customer pays the other %2.</source>
        <translation>カードで %1 を支払い、残り %2 はお客様のお支払いです。</translation>
    </message>
    <message>
        <source>Pay %1 with cards (F7)</source>
        <translation>カードで %1 を支払う (F7)</translation>
    </message>
</context>
<context>
    <name>RefundPanel</name>
    <message>
        <source>Receipt saved: %1</source>
        <translation>レシートを保存しました: %1</translation>
    </message>
    <message>
        <source>Refund an order (scan or type the receipt reference)</source>
        <translation>注文の返金(レシートのコードを読み取るか番号を入力)</translation>
    </message>
    <message>
        <source>Receipt reference, e.g. O-1a2b3c4d5e6f7a8b</source>
        <translation>レシート番号(例: O-1a2b3c4d5e6f7a8b)</translation>
    </message>
    <message>
        <source>Find order</source>
        <translation>注文を探す</translation>
    </message>
    <message>
        <source>Reason, e.g. returned unopened</source>
        <translation>理由(例: 未開封で返品)</translation>
    </message>
    <message>
        <source>Refund whole order</source>
        <translation>注文全体を返金</translation>
    </message>
    <message>
        <source>Refund ticked lines</source>
        <translation>選んだ明細を返金</translation>
    </message>
    <message>
        <source>(refunded)</source>
        <translation>(返金済み)</translation>
    </message>
    <message>
        <source>Order %1: total %2, paid by %3 card(s) %4, refunded %5, left to refund %6.</source>
        <translation>注文 %1: 合計 %2、カード %3 枚で支払い %4、返金済み %5、返金可能 %6。</translation>
    </message>
    <message>
        <source>Order %1 found.</source>
        <translation>注文 %1 が見つかりました。</translation>
    </message>
    <message>
        <source>Tick the lines to refund.</source>
        <translation>返金する明細を選んでください。</translation>
    </message>
    <message>
        <source>Refunded %1 of order %2.</source>
        <translation>注文 %2 の %1 を返金しました。</translation>
    </message>
    <message>
        <source>Head office will confirm at the next sync.</source>
        <translation>次回の同期で本部が確定します。</translation>
    </message>
</context>
</TS>
