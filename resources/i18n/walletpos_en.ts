<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>BalanceView</name>
    <message>
        <source>Refunded</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="55" />
        <source>Hello, %1!</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="56" />
        <source>Hello!</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="60" />
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="70" />
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="109" />
        <source>%1 points</source>
        <translation type="unfinished">%1 points</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="62" />
        <source>Tier: %1</source>
        <translation type="unfinished">Tier: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="65" />
        <source>%1 more points to %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="67" />
        <source>You are in the top tier.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="69" />
        <source>Rewards you can take now:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="72" />
        <source>No rewards yet: keep collecting.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="74" />
        <source>%1 points expire on %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="79" />
        <source>This card is not activated yet: please ask at the counter.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="81" />
        <source>This card is blocked: please ask at the counter.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="82" />
        <source>This card is no longer valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="83" />
        <source>Valid until %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="84" />
        <source>Does not expire</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="92" />
        <source>As of %1 — newer activity may not show yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="94" />
        <source>Not synced yet — the figures may be behind.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="101" />
        <source>Recent activity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="103" />
        <source>No activity at this store yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="119" />
        <source>Paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="119" />
        <source>Loaded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="120" />
        <source>Activated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="120" />
        <source>Points earned</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="121" />
        <source>Reward taken</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="121" />
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="122" />
        <source>Adjusted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="122" />
        <source>Blocked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/balance_view.py" line="123" />
        <source>Unblocked</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>BasketPanel</name>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="58" />
        <source>Basket</source>
        <translation>Basket</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="63" />
        <source>Total, e.g. %1</source>
        <translation>Total, e.g. %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="66" />
        <source>Amount (F2)</source>
        <translation>Amount (F2)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="69" />
        <location filename="../../pos_app/gui/counter/basket.py" line="84" />
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="70" />
        <location filename="../../pos_app/gui/counter/basket.py" line="84" />
        <source>Category</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="71" />
        <location filename="../../pos_app/gui/counter/basket.py" line="85" />
        <source>Price</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="77" />
        <source>Add line</source>
        <translation>Add line</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/basket.py" line="85" />
        <source>Qty</source>
        <translation>Qty</translation>
    </message>
</context>
<context>
    <name>CardPanel</name>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="21" />
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="46" />
        <source>Scan or type a gift card or member code.</source>
        <translation>Scan or type a gift card or member code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="57" />
        <source>Balance %1</source>
        <translation>Balance %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="66" />
        <source>Enter the basket amount to see what this card pays.</source>
        <translation>Enter the basket amount to see what this card pays.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="70" />
        <source>Pays %1 of %2.</source>
        <translation>Pays %1 of %2.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="74" />
        <source>Customer pays the other %1.</source>
        <translation>Customer pays the other %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/card_panel.py" line="79" />
        <source>Redeem %1 (F5)</source>
        <translation>Redeem %1 (F5)</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <source>Paid %1 with %2 cards; customer pays the other %3.</source>
        <translation>Paid %1 with %2 cards; customer pays the other %3.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/window.py" line="289" />
        <source>Redeemed %1. Remaining balance %2.</source>
        <translation>Redeemed %1. Remaining balance %2.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/window.py" line="335" />
        <source>Applied. Points now %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Applied.</source>
        <translation type="vanished">Applied.</translation>
    </message>
</context>
<context>
    <name>DemoNetworkSwitch</name>
    <message>
        <location filename="../../pos_app/gui/counter/demo_switch.py" line="40" />
        <source>Demo: go offline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/demo_switch.py" line="41" />
        <source>Demo: back online</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <source>日本語 / English (F10)</source>
        <translation type="vanished">日本語 / English (F10)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="33" />
        <source>日本語 (F10)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="34" />
        <source>Theme (F11)</source>
        <translation>Theme (F11)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="35" />
        <source>Lock (F12)</source>
        <translation>Lock (F12)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="61" />
        <source>Not logged in</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="64" />
        <source>manager</source>
        <translation>manager</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="64" />
        <source>cashier</source>
        <translation>cashier</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="65" />
        <source>%1 (%2) · shift since %3</source>
        <translation>%1 (%2) · shift since %3</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="72" />
        <source>● Checking…</source>
        <translation>● Checking…</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="74" />
        <source>● Online</source>
        <translation>● Online</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/header.py" line="76" />
        <source>● Offline</source>
        <translation>● Offline</translation>
    </message>
</context>
<context>
    <name>IssuePanel</name>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="51" />
        <source>Issue a batch of cards (created inactive)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="61" />
        <source>Issue batch</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="63" />
        <source>Program</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="64" />
        <source>Number of cards</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="65" />
        <source>Value on each card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="66" />
        <source>Expires on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="70" />
        <source>Print a card sheet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="77" />
        <source>A4 sheet (10 cards, crop marks)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="78" />
        <source>Letter sheet (10 cards, crop marks)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="79" />
        <source>Card printer (one CR80 card per page)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="81" />
        <source>Print sheet (PDF)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="83" />
        <source>Open the sheet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="114" />
        <source>%1 — %2 cards of %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="128" />
        <source>No gift-card program to issue.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="134" />
        <source>%1 months after issue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="138" />
        <source>never</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="139" />
        <source>YYYY-MM-DD (program: %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="140" />
        <source>Codes ready for issuing offline: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="155" />
        <source>Batch %1: %2 cards issued, inactive until sold.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="158" />
        <source>Head office will confirm at the next sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="168" />
        <source>Issue a batch first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="179" />
        <source>%1 cards on %2 pages: saved to %3.</source>
        <translation type="unfinished" />
    </message>
<message>
        <location filename="../../pos_app/gui/manager/issue_panel.py" line="136" />
        <source>%1 days after issue</source>
        <translation>%1 days after issue</translation>
    </message>
    </context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="140" />
        <source>Scan your card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="141" />
        <source>Hold the QR code of your gift card or loyalty card under the scanner to see your balance.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="143" />
        <source>Done</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="144" />
        <source>Back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="145" />
        <source>Manager PIN to leave kiosk mode</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/kiosk/window.py" line="197" />
        <source>We could not read this card here: please ask at the counter.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="54" />
        <source>Who is at the counter?</source>
        <translation>Who is at the counter?</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="79" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="110" />
        <source>manager</source>
        <translation>manager</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="110" />
        <source>cashier</source>
        <translation>cashier</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="122" />
        <source>No staff on this terminal yet: sync with head office (F8).</source>
        <translation>No staff on this terminal yet: sync with head office (F8).</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="133" />
        <source>%1: enter your PIN</source>
        <translation>%1: enter your PIN</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="172" />
        <source>First touch your name.</source>
        <translation>First touch your name.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="197" />
        <source>%1 tries left before login locks for 5 minutes.</source>
        <translation>%1 tries left before login locks for 5 minutes.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/staff/login.py" line="209" />
        <source>Try again at %1.</source>
        <translation>Try again at %1.</translation>
    </message>
</context>
<context>
    <name>ManagerWindow</name>
    <message>
        <source>Refunds</source>
        <translation>Refunds</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="77" />
        <source>Manager login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="88" />
        <source>Lock</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="96" />
        <source>Card (scan or type the code)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="102" />
        <source>e.g. reported lost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="103" />
        <source>Card</source>
        <translation type="unfinished">Card</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="104" />
        <source>Amount sold</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="105" />
        <source>Reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="107" />
        <source>Look up</source>
        <translation type="unfinished">Look up</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="109" />
        <source>Activate and load</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="111" />
        <source>Block</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="113" />
        <source>Unblock</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="162" />
        <source>Close the day (Z report)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="188" />
        <source>Manager: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="246" />
        <source>active</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="246" />
        <source>not activated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="247" />
        <source>blocked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="247" />
        <source>voided</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="248" />
        <source>never</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="249" />
        <source>%1 (%2): %3, balance %4, expires %5.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="262" />
        <source>%1 activated: balance %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="264" />
        <location filename="../../pos_app/gui/manager/window.py" line="292" />
        <location filename="../../pos_app/gui/manager/window.py" line="308" />
        <location filename="../../pos_app/gui/manager/window.py" line="323" />
        <source>Head office will confirm at the next sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="271" />
        <source>%1 is blocked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="272" />
        <source>%1 is unblocked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="333" />
        <source>Day closed: Z report %1 saved to %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="119" />
        <source>Void a redemption (uses the reason above)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="122" />
        <source>Entry number on the receipt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="123" />
        <source>Void redemption</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="279" />
        <source>Enter the entry number printed on the receipt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="288" />
        <source>Redemption %1 voided: %2 back on %3, balance %4.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="128" />
        <source>Move a lost card's balance (uses the reason above)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="131" />
        <source>Lost card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="133" />
        <source>New card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="134" />
        <source>Move balance</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="304" />
        <source>%1 moved from %2 (now blocked) to %3: balance %4.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="140" />
        <source>Adjust a member's points (uses the reason above)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="143" />
        <source>Member code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="145" />
        <source>Points</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="146" />
        <source>Add points</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="148" />
        <source>Remove points</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="156" />
        <source>Cards</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="159" />
        <source>Issue and print</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="169" />
        <source>Day close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="171" />
        <source>Sync and conflicts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="319" />
        <source>%1 points added to %2: now %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/window.py" line="320" />
        <source>%1 points taken from %2: now %3.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ManualEntry</name>
    <message>
        <location filename="../../pos_app/gui/counter/manual_entry.py" line="57" />
        <source>Type a code (F3)</source>
        <translation>Type a code (F3)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/manual_entry.py" line="66" />
        <source>Look up</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/manual_entry.py" line="89" />
        <source>%1 more characters</source>
        <translation>%1 more characters</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/manual_entry.py" line="90" />
        <source>✓ Code is valid: press Enter</source>
        <translation>✓ Code is valid: press Enter</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="24" />
        <source>Offline: head office cannot be reached. Sales go on; everything is kept and sent when the network is back.</source>
        <translation>Offline: head office cannot be reached. Sales go on; everything is kept and sent when the network is back.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="51" />
        <source>%1 offline:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 up to %2 a sale</source>
        <translation type="vanished">%1 up to %2 a sale</translation>
    </message>
    <message>
        <source>%1 within this terminal's grant</source>
        <translation type="vanished">%1 within this terminal's grant</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="41" />
        <source>Still works: balances, receipts, staff login, earning points (sent later).</source>
        <translation>Still works: balances, receipts, staff login, earning points (sent later).</translation>
    </message>
    <message>
        <source>Can pay: %1.</source>
        <translation type="vanished">Can pay: %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="54" />
        <source>Needs the network: %1.</source>
        <translation>Needs the network: %1.</translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="31" />
        <source>Loyalty</source>
        <translation>Loyalty</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="36" />
        <source>Apply rewards and earn points (F6)</source>
        <translation>Apply rewards and earn points (F6)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="68" />
        <source>Member %1</source>
        <translation>Member %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="69" />
        <source>%1 points</source>
        <translation>%1 points</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="71" />
        <source>Tier: %1</source>
        <translation>Tier: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="77" />
        <source>%1 points to %2</source>
        <translation>%1 points to %2</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="82" />
        <source>This order earns %1 points</source>
        <translation>This order earns %1 points</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/quote_panel.py" line="85" />
        <source>%1 — %2 points (worth %3)</source>
        <translation>%1 — %2 points (worth %3)</translation>
    </message>
</context>
<context>
    <name>ReceiptView</name>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="22" />
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="26" />
        <source>Print receipt (F9)</source>
        <translation>Print receipt (F9)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="52" />
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="55" />
        <source>and sent to the receipt printer.</source>
        <translation>and sent to the receipt printer.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/receipt_view.py" line="57" />
        <source>Receipt printer failed: %1</source>
        <translation>Receipt printer failed: %1</translation>
    </message>
</context>
<context>
    <name>ScanPanel</name>
    <message>
        <location filename="../../pos_app/gui/counter/scan_panel.py" line="113" />
        <source>Scan</source>
        <translation>Scan</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/scan_panel.py" line="116" />
        <source>Hold the card's QR code inside the frame, or use the USB scanner anywhere on this screen.</source>
        <translation>Hold the card's QR code inside the frame, or use the USB scanner anywhere on this screen.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/scan_panel.py" line="128" />
        <source>No camera selected: scan with the USB scanner or type the code.</source>
        <translation>No camera selected: scan with the USB scanner or type the code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/scan_panel.py" line="175" />
        <source>Camera not available: scan with the USB scanner or type the code.</source>
        <translation>Camera not available: scan with the USB scanner or type the code.</translation>
    </message>
</context>
<context>
    <name>StandingBanner</name>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="87" />
        <source>Head office has stopped this terminal (quarantined). Nothing can be paid with gift cards or points here until head office has looked at it.</source>
        <translation>Head office has stopped this terminal (quarantined). Nothing can be paid with gift cards or points here until head office has looked at it.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="91" />
        <source>Head office has flagged this terminal. Gift cards and points need the network until head office clears it.</source>
        <translation>Head office has flagged this terminal. Gift cards and points need the network until head office clears it.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="94" />
        <source>Reason: %1. Call your manager.</source>
        <translation>Reason: %1. Call your manager.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/banner.py" line="95" />
        <source>not given</source>
        <translation>not given</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="35" />
        <source>Sync now (F8)</source>
        <translation>Sync now (F8)</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="54" />
        <source>Waiting to sync: %1</source>
        <translation>Waiting to sync: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="55" />
        <source>Last sync: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="63" />
        <source>Syncing… sending %1 entries</source>
        <translation>Syncing… sending %1 entries</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="64" />
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/counter/status_bar.py" line="71" />
        <source>Synced: %1 sent, %2 received</source>
        <translation>Synced: %1 sent, %2 received</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="67" />
        <source>Case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="67" />
        <source>Card</source>
        <translation type="unfinished">Card</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="67" />
        <source>Reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="67" />
        <source>Shortfall</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="68" />
        <source>Terminal</source>
        <translation type="unfinished">Terminal</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="68" />
        <source>Opened</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="80" />
        <source>Sync now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="83" />
        <source>Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="147" />
        <source>The list could not be refreshed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="153" />
        <source>Waiting to sync: %1 entries. Last successful sync: %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="160" />
        <source>Last sync failed (%1): %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="165" />
        <source>No sync error.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="167" />
        <source>Open conflict cases for this store: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="184" />
        <source>Head office unreachable — no list yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="186" />
        <source>Head office unreachable — list as of %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="189" />
        <source>Not asked head office yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="191" />
        <source>As of %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/manager/sync_panel.py" line="204" />
        <source>%1 points</source>
        <translation type="unfinished">%1 points</translation>
    </message>
</context>
<context>
    <name>offline</name>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="24" />
        <source>At most %1 per offline payment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="25" />
        <source>One offline payment per card at this till; the card can be used again after the next sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="27" />
        <source>At most %1 in all offline payments at this till until the next sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="29" />
        <source>No offline payments once the last sync is more than %1 hours ago.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="31" />
        <source>Only what head office reserved for this till, card by card.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="33" />
        <source>Needs the network: this card cannot be used offline.</source>
        <translation type="unfinished">Needs the network: this card cannot be used offline.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="39" />
        <source>Offline: this card was already used once at this till.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="41" />
        <source>Offline: this amount is more than one offline payment may take.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="43" />
        <source>Offline: this till has paid out all it may before the next sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="46" />
        <source>Offline for too long: sync first.</source>
        <translation type="unfinished">Offline for too long: sync first.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="48" />
        <source>Offline: head office reserved nothing of this card for this till.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="50" />
        <source>Offline: what head office reserved of this card for this till is used up.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="53" />
        <source>Offline: what head office reserved of this card for this till has expired.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="35" />
        <source>A limit shared by every till: offline, only this till's share of what is left.</source>
        <translation>A limit shared by every till: offline, only this till's share of what is left.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="58" />
        <source>Offline: head office shared none of this limit with this till.</source>
        <translation>Offline: head office shared none of this limit with this till.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="60" />
        <source>Offline: this till's share of the limit is used up.</source>
        <translation>Offline: this till's share of the limit is used up.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="62" />
        <source>Offline: this till's share of the limit has expired.</source>
        <translation>Offline: this till's share of the limit has expired.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/offline_wording.py" line="81" />
        <source>%1 points</source>
        <translation type="unfinished">%1 points</translation>
    </message>
</context>
<context>
    <name>launch</name>
    <message>
        <location filename="../../pos_app/gui/launch.py" />
        <source>This till cannot continue</source>
        <translation>This till cannot continue</translation>
    </message>
</context>
<context>
    <name>reasons</name>
    <message>
        <source>This order is refunded already.</source>
        <translation>This order is refunded already.</translation>
    </message>
    <message>
        <source>That is more than is left to refund.</source>
        <translation>That is more than is left to refund.</translation>
    </message>
    <message>
        <source>Nothing of this order can be given back.</source>
        <translation>Nothing of this order can be given back.</translation>
    </message>
    <message>
        <source>This order is not known at this till.</source>
        <translation>This order is not known at this till.</translation>
    </message>
    <message>
        <source>The order has no such line.</source>
        <translation>The order has no such line.</translation>
    </message>
    <message>
        <source>Rewards of this program and gift cards cannot be combined on one order.</source>
        <translation>Rewards of this program and gift cards cannot be combined on one order.</translation>
    </message>
    <message>
        <source>This order already has the most rewards allowed.</source>
        <translation>This order already has the most rewards allowed.</translation>
    </message>
    <message>
        <source>This reward cannot be combined with one already on this order.</source>
        <translation>This reward cannot be combined with one already on this order.</translation>
    </message>
    <message>
        <source>This card pays only for some items of the basket, up to their amount.</source>
        <translation>This card pays only for some items of the basket, up to their amount.</translation>
    </message>
    <message>
        <source>This card pays only for some items, and they are already paid.</source>
        <translation>This card pays only for some items, and they are already paid.</translation>
    </message>
    <message>
        <source>This card is for some items only: enter the basket&apos;s items, or it has none of them.</source>
        <translation>This card is for some items only: enter the basket&apos;s items, or it has none of them.</translation>
    </message>
    <message>
        <source>More than is left to pay on this order.</source>
        <translation>More than is left to pay on this order.</translation>
    </message>
    <message>
        <source>The basket changed since this order began: start a new sale.</source>
        <translation>The basket changed since this order began: start a new sale.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="18" />
        <source>This card is not known here.</source>
        <translation>This card is not known here.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="19" />
        <source>This card's program is not available.</source>
        <translation>This card's program is not available.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="20" />
        <source>This card has not been activated.</source>
        <translation>This card has not been activated.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="21" />
        <source>This card is blocked.</source>
        <translation>This card is blocked.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="22" />
        <source>Only a manager may do this.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="23" />
        <source>Say why.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="24" />
        <source>The card is already in that state.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="25" />
        <source>This needs head office online: try again when the network is back.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="27" />
        <source>This card has been voided.</source>
        <translation>This card has been voided.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="34" />
        <source>Not enough card codes are ready for issuing offline: issue fewer, or connect to head office to issue more.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="37" />
        <source>The card codes stored on this till do not open with its key: call support.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="39" />
        <source>A batch is 1 to 500 cards.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="40" />
        <source>This card already carries its value: leave the amount empty to sell it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="42" />
        <source>Enter the expiry as YYYY-MM-DD, a date still to come.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="44" />
        <source>No such batch was issued at this till.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="45" />
        <source>The file could not be written.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="46" />
        <source>Expired.</source>
        <translation>Expired.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="47" />
        <source>Enter an amount above zero.</source>
        <translation>Enter an amount above zero.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="48" />
        <source>The card is in another currency.</source>
        <translation>The card is in another currency.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="49" />
        <source>Not enough balance on the card.</source>
        <translation>Not enough balance on the card.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="50" />
        <source>Above the card's limit per order.</source>
        <translation>Above the card's limit per order.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="51" />
        <source>That is not a card or member code.</source>
        <translation>That is not a card or member code.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="52" />
        <source>Typo: the code's check character does not match.</source>
        <translation>Typo: the code's check character does not match.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="54" />
        <source>Not a card, member code or credential.</source>
        <translation>Not a card, member code or credential.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="55" />
        <source>The scanned code is too long.</source>
        <translation>The scanned code is too long.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="56" />
        <source>The scanned code has hidden characters.</source>
        <translation>The scanned code has hidden characters.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="58" />
        <source>Nothing was scanned.</source>
        <translation>Nothing was scanned.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="59" />
        <source>A link that is not from this store.</source>
        <translation>A link that is not from this store.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="60" />
        <source>The card's signature is not valid.</source>
        <translation>The card's signature is not valid.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="61" />
        <source>That input is not valid.</source>
        <translation>That input is not valid.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="62" />
        <source>That input is too long.</source>
        <translation>That input is too long.</translation>
    </message>
    <message>
        <source>Needs the network: this card cannot be used offline.</source>
        <translation type="vanished">Needs the network: this card cannot be used offline.</translation>
    </message>
    <message>
        <source>Offline, and this terminal holds no spending right for the card.</source>
        <translation type="vanished">Offline, and this terminal holds no spending right for the card.</translation>
    </message>
    <message>
        <source>Offline for too long: sync first.</source>
        <translation type="vanished">Offline for too long: sync first.</translation>
    </message>
    <message>
        <source>Above the offline limit.</source>
        <translation type="vanished">Above the offline limit.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="65" />
        <location filename="../../pos_app/gui/reasons.py" line="67" />
        <source>This terminal is blocked by head office.</source>
        <translation>This terminal is blocked by head office.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="68" />
        <source>Declined by head office.</source>
        <translation>Declined by head office.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="69" />
        <source>Head office cannot be reached.</source>
        <translation>Head office cannot be reached.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="70" />
        <source>Sync failed; it will be retried.</source>
        <translation>Sync failed; it will be retried.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="71" />
        <source>Head office holds entries this terminal no longer has: call support.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="73" />
        <source>Head office does not know this terminal.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="75" />
        <source>Head office's answer failed its signature check.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="78" />
        <source>Spent more than the card held; the card is blocked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="80" />
        <source>The terminal's journal was rewritten; the terminal is blocked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="82" />
        <source>An operation head office does not apply.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="83" />
        <source>Unblocked while the card has an open case.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="85" />
        <source>A void that matches no redemption.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="86" />
        <source>A spending right that was not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="87" />
        <source>A card issued with a code not reserved for this terminal.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="89" />
        <source>A card issued with a code already in use.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="90" />
        <source>The code belongs to another program.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="91" />
        <source>The card's expiry is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="92" />
        <source>A program head office does not know.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="93" />
        <source>A point adjustment that is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="94" />
        <source>A reward credit that is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="96" />
        <source>The customer is not eligible</source>
        <translation>The customer is not eligible</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="97" />
        <source>Needs tier</source>
        <translation>Needs tier</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="98" />
        <source>Limit reached</source>
        <translation>Limit reached</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="99" />
        <source>Rule could not be checked</source>
        <translation>Rule could not be checked</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="100" />
        <source>Not enough points.</source>
        <translation>Not enough points.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="101" />
        <source>Order below the minimum.</source>
        <translation>Order below the minimum.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="102" />
        <source>The item is not in the basket.</source>
        <translation>The item is not in the basket.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="103" />
        <source>Nothing to discount.</source>
        <translation>Nothing to discount.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="104" />
        <source>No points on this order.</source>
        <translation>No points on this order.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="105" />
        <source>Nothing left to pay.</source>
        <translation>Nothing left to pay.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="106" />
        <source>Not valid at this time.</source>
        <translation>Not valid at this time.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="107" />
        <source>The customer is not a member.</source>
        <translation>The customer is not a member.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="108" />
        <source>Not offered on this order.</source>
        <translation>Not offered on this order.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="110" />
        <location filename="../../pos_app/gui/reasons.py" line="111" />
        <source>Wrong PIN.</source>
        <translation>Wrong PIN.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="112" />
        <source>Too many wrong PINs: login is locked.</source>
        <translation>Too many wrong PINs: login is locked.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="113" />
        <source>That is not a manager's PIN: a manager must approve this.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="115" />
        <source>A PIN is 4 to 8 digits.</source>
        <translation>A PIN is 4 to 8 digits.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="116" />
        <source>The login lock was tampered with: login is locked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="118" />
        <source>Something went wrong; please call support.</source>
        <translation>Something went wrong; please call support.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="28" />
        <source>That entry is not a redemption of this till.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="29" />
        <source>That redemption is already voided.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="30" />
        <source>The old card has no balance to move.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="31" />
        <source>The new card must be a different card.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="32" />
        <source>The member does not have that many points.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="33" />
        <source>This member is not known here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" />
        <source>This till's database is damaged: stop using this till and call support. Restore its folder from a backup or enroll it again; head office keeps everything already synced.</source>
        <translation>This till's database is damaged: stop using this till and call support. Restore its folder from a backup or enroll it again; head office keeps everything already synced.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" />
        <source>This card's balance on this till does not match the till's own records, so it cannot be used offline. Try again when head office is online, and call support.</source>
        <translation>This card's balance on this till does not match the till's own records, so it cannot be used offline. Try again when head office is online, and call support.</translation>
    </message>
<message>
        <location filename="../../pos_app/gui/reasons.py" line="48" />
        <source>Part of this card's balance is reserved at another till and will be free shortly.</source>
        <translation>Part of this card's balance is reserved at another till and will be free shortly.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="69" />
        <source>Head office has retired this terminal.</source>
        <translation>Head office has retired this terminal.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="123" />
        <source>%1 can be paid now; the rest is reserved at another till and will be free shortly.</source>
        <translation>%1 can be paid now; the rest is reserved at another till and will be free shortly.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="128" />
        <source>This customer's reward is limited per customer and only head office knows what other tills paid: try again when head office is online.</source>
        <translation>This customer's reward is limited per customer and only head office knows what other tills paid: try again when head office is online.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="135" />
        <source>Limit reached: this card's uses %1.</source>
        <translation>Limit reached: this card's uses %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="136" />
        <source>Limit reached: this card's amount %1.</source>
        <translation>Limit reached: this card's amount %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="137" />
        <source>Limit reached: this customer's uses %1, at every till.</source>
        <translation>Limit reached: this customer's uses %1, at every till.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="139" />
        <source>Limit reached: this customer's amount %1, at every till.</source>
        <translation>Limit reached: this customer's amount %1, at every till.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="141" />
        <source>Limit reached: this program's uses %1, at every till and store.</source>
        <translation>Limit reached: this program's uses %1, at every till and store.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="143" />
        <source>Limit reached: this program's amount %1, at every till and store.</source>
        <translation>Limit reached: this program's amount %1, at every till and store.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="145" />
        <source>Limit reached: uses at this store %1.</source>
        <translation>Limit reached: uses at this store %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="146" />
        <source>Limit reached: the amount at this store %1.</source>
        <translation>Limit reached: the amount at this store %1.</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="150" />
        <source>today</source>
        <translation>today</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="151" />
        <source>this week</source>
        <translation>this week</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="152" />
        <source>this month</source>
        <translation>this month</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/reasons.py" line="153" />
        <source>this year</source>
        <translation>this year</translation>
    </message>
</context>
<context>
    <name>receipt</name>
    <message>
        <source>Refund</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <source>Back on gift card</source>
        <translation>Back on gift card</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Balance</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>Points taken back</translation>
    </message>
    <message>
        <source>Reward points returned</source>
        <translation>Reward points returned</translation>
    </message>
    <message>
        <source>Refunded to gift cards</source>
        <translation>Refunded to gift cards</translation>
    </message>
    <message>
        <source>Receipt reference</source>
        <translation>Receipt reference</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Reward %1</source>
        <translation>Reward %1</translation>
    </message>
    <message>
        <source>Gift card %1</source>
        <translation>Gift card %1</translation>
    </message>
    <message>
        <source>Paid by gift cards</source>
        <translation>Paid by gift cards</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="43" />
        <source>Store</source>
        <translation>Store</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="44" />
        <source>Terminal</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="45" />
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="48" />
        <source>Cashier</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="50" />
        <source>Gift card</source>
        <translation>Gift card</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="51" />
        <source>Redeemed</source>
        <translation>Redeemed</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="55" />
        <source>Remaining balance</source>
        <translation>Remaining balance</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="58" />
        <source>Entry</source>
        <translation>Entry</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="59" />
        <source>Signature</source>
        <translation>Signature</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="60" />
        <source>Reference</source>
        <translation>Reference</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="63" />
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="64" />
        <source>offline, sent to head office later</source>
        <translation>offline, sent to head office later</translation>
    </message>
    <message>
        <location filename="../../pos_app/gui/receipts.py" line="77" />
        <source>Thank you!</source>
        <translation>Thank you!</translation>
    </message>
</context>
<context>
    <name>CardsPanel</name>
    <message>
        <source>Cards for this sale</source>
        <translation>Cards for this sale</translation>
    </message>
    <message>
        <source>Used in this order; move a card to change it.</source>
        <translation>Used in this order; move a card to change it.</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>%1. %2 pays %3 (balance %4)</source>
        <translation>%1. %2 pays %3 (balance %4)</translation>
    </message>
    <message>
        <source>Cards pay %1; customer pays the other %2.</source>
        <translation>Cards pay %1; customer pays the other %2.</translation>
    </message>
    <message>
        <source>Pay %1 with cards (F7)</source>
        <translation>Pay %1 with cards (F7)</translation>
    </message>
</context>
<context>
    <name>RefundPanel</name>
    <message>
        <source>Receipt saved: %1</source>
        <translation>Receipt saved: %1</translation>
    </message>
    <message>
        <source>Refund an order (scan or type the receipt reference)</source>
        <translation>Refund an order (scan or type the receipt reference)</translation>
    </message>
    <message>
        <source>Receipt reference, e.g. O-1a2b3c4d5e6f7a8b</source>
        <translation>Receipt reference, e.g. O-1a2b3c4d5e6f7a8b</translation>
    </message>
    <message>
        <source>Find order</source>
        <translation>Find order</translation>
    </message>
    <message>
        <source>Reason, e.g. returned unopened</source>
        <translation>Reason, e.g. returned unopened</translation>
    </message>
    <message>
        <source>Refund whole order</source>
        <translation>Refund whole order</translation>
    </message>
    <message>
        <source>Refund ticked lines</source>
        <translation>Refund ticked lines</translation>
    </message>
    <message>
        <source>(refunded)</source>
        <translation>(refunded)</translation>
    </message>
    <message>
        <source>Order %1: total %2, paid by %3 card(s) %4, refunded %5, left to refund %6.</source>
        <translation>Order %1: total %2, paid by %3 card(s) %4, refunded %5, left to refund %6.</translation>
    </message>
    <message>
        <source>Order %1 found.</source>
        <translation>Order %1 found.</translation>
    </message>
    <message>
        <source>Tick the lines to refund.</source>
        <translation>Tick the lines to refund.</translation>
    </message>
    <message>
        <source>Refunded %1 of order %2.</source>
        <translation>Refunded %1 of order %2.</translation>
    </message>
    <message>
        <source>Head office will confirm at the next sync.</source>
        <translation>Head office will confirm at the next sync.</translation>
    </message>
</context>
</TS>
