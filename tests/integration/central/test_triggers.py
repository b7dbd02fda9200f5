"""Triggers from the program file, run by central's jobs against the real central on loopback
and a real SMTP server (aiosmtpd) on loopback: a birthday trigger grants points, issues a gift
card valid until the end of the day in the store's zone and emails the customers whose email
consent is recorded — each in their language, with the brand and an unsubscribe link that
withdraws the consent — and nobody else; it fires once per customer and day however often the
jobs run. An event trigger (customer.created) sends a welcome; a program file with a broken
trigger is refused with the path of the defect."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest

from core.rules.context import local_time
from wallet_sync.central import triggers
from wallet_sync.central.app import open_central_key
from wallet_sync.central.automation import Automation
from wallet_sync.central.db import Database
from wallet_sync.central.jobs import JobSettings
from wallet_sync.central.messages import Brand, MessageSettings
from wallet_sync.central.tables import Card, TriggerFiring

from .helpers import EXAMPLE_PROGRAMS, Clock, Env, LiveServer, count
from .receivers import Mailbox

ZONE = "Asia/Tokyo"
TRIGGERS = """
triggers:
  - id: birthday-gift
    program: club
    on: {date: birthday, at: "00:00", time_zone: Asia/Tokyo}
    actions:
      - grant_points: 100
      - issue_gift_card: {program: gift-eur, amount: "10.00", expires: end_of_day}
      - send_message:
          channel: email
          subject: {en: "Happy birthday!", ja: "お誕生日おめでとうございます"}
          text:
            en: >-
              A gift card of {{ gift_card.amount }} EUR is yours: {{ gift_card.code }},
              valid until {{ gift_card.expires }}.
            ja: >-
              {{ gift_card.amount }} ユーロのギフトカードをお贈りします:
              {{ gift_card.code }}({{ gift_card.expires }} まで有効)。
  - id: welcome
    program: club
    on: {event: customer.created}
    actions:
      - send_message: {channel: email, subject: "Welcome", text: "Welcome to {{ brand.name }}."}
"""


def programs_with(extra: str) -> str:
    with open(EXAMPLE_PROGRAMS, encoding="utf-8") as f:
        return f.read() + extra


@pytest.fixture
def http(live: LiveServer, env: Env) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {env.admin_key}"},
                      timeout=30) as client:
        yield client


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as box:
        yield box


@pytest.fixture
def automation(env: Env, clock: Clock, mailbox: Mailbox, live: LiveServer
               ) -> Iterator[Automation]:
    db = Database(env.db_url)
    runner = Automation(db, open_central_key(db), clock, JobSettings(backoff_base_s=1),
                        MessageSettings(smtp_host="127.0.0.1", smtp_port=mailbox.port,
                                        smtp_from="club@shop.example", public_url=live.url,
                                        brand=Brand(name="Kissa Club")))
    try:
        yield runner
    finally:
        runner.close()
        db.dispose()


def customer(http: httpx.Client, *, birthday: str | None, language: str, email: str,
             consent: bool) -> str:
    resp = http.post("/v1/admin/customers", json={
        "program": "club", "birthday": birthday, "language": language, "email": email})
    assert resp.status_code == 200, resp.text
    code = str(resp.json()["code"])
    if consent:
        token = http.post(f"/v1/admin/customers/{code}/consent/request",
                          json={"channel": "email", "source": "test"}).json()["token"]
        assert http.post("/v1/admin/consent/confirm", json={"token": token}).status_code == 200
    return code


def load(http: httpx.Client, source: str) -> httpx.Response:
    return http.post("/v1/admin/programs", json={"source": source, "format": "yaml"})


def test_birthday_trigger_emails_consenting_customers_in_their_language(
        http: httpx.Client, env: Env, clock: Clock, mailbox: Mailbox,
        automation: Automation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(triggers, "SCAN_BATCH", 2)  # the day's scan in several transactions
    assert load(http, programs_with(TRIGGERS)).status_code == 200
    today = local_time(int(clock()), ZONE).date()
    born = dt.date(1992, today.month, today.day).isoformat()  # 1992: a leap year
    other = dt.date(1992, today.month, today.day) + dt.timedelta(days=40)
    aiko = customer(http, birthday=born, language="ja", email="aiko@example.jp", consent=True)
    ben = customer(http, birthday=born, language="en", email="ben@example.com", consent=True)
    cara = customer(http, birthday=born, language="en", email="cara@example.com",
                    consent=False)
    dan = customer(http, birthday=other.isoformat(), language="en", email="dan@example.com",
                   consent=True)
    welcomes = 3  # aiko, ben and dan consented (a welcome checks consent when it is sent)

    done = automation.run_pass()
    assert done["scheduled"] == 1
    birthday = {m["To"]: m for m in mailbox.messages if m["Subject"] != "Welcome"}
    assert set(birthday) == {"aiko@example.jp", "ben@example.com"}  # not cara, not dan
    assert sum(m["Subject"] == "Welcome" for m in mailbox.messages) == welcomes

    ja = birthday["aiko@example.jp"]
    assert ja["Subject"] == "お誕生日おめでとうございます" and ja["Content-Language"] == "ja"
    ja_text = ja.get_body(("plain",)).get_content()
    assert "いつもご利用いただきありがとうございます" in ja_text
    assert "ユーロのギフトカード" in ja_text
    assert "Kissa Club" in ja_text and "配信停止" in ja_text
    assert "Kissa Club" in ja.get_body(("html",)).get_content()
    en = birthday["ben@example.com"]
    assert en["Subject"] == "Happy birthday!" and "A gift card of 10.00 EUR" in \
        en.get_body(("plain",)).get_content()
    assert en["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The gift card: linked to the customer, valid until the end of today in Tokyo.
    shown = http.get(f"/v1/admin/customers/{aiko}").json()
    assert shown["points"] == 100
    (gift,) = shown["cards"]
    assert gift["balance"] == "10.00" and gift["program"] == "gift-eur"
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0),
                              tzinfo=local_time(0, ZONE).tzinfo)
    assert gift["expires_at"] == int(end.timestamp()) - 1
    assert gift["code"] in ja_text
    assert http.get(f"/v1/admin/customers/{cara}").json()["points"] == 100  # no mail, still
    assert http.get(f"/v1/admin/customers/{dan}").json()["points"] == 0

    # Once per customer and day: passes later the same day fire nothing and send nothing.
    sent = len(mailbox.messages)
    clock.advance(60)
    again = automation.run_pass()
    assert again.get("scheduled", 0) == 0 and len(mailbox.messages) == sent
    assert count(env.db_url, TriggerFiring, TriggerFiring.trigger == "birthday-gift") == 3
    assert count(env.db_url, Card) == 3

    # The unsubscribe link: GET asks, POST withdraws email consent.
    link = re.search(r"(http://\S+/v1/unsubscribe\?\S+)", ja_text)
    assert link is not None
    page = httpx.get(link.group(1))
    assert page.status_code == 200 and "配信停止" in page.text
    assert http.get(f"/v1/admin/customers/{aiko}").json()["consent"]["email"]["status"] == \
        "granted"
    done_page = httpx.post(link.group(1))
    assert done_page.status_code == 200
    withdrawn = http.get(f"/v1/admin/customers/{aiko}").json()["consent"]["email"]
    assert (withdrawn["status"], withdrawn["source"]) == ("withdrawn", "unsubscribe_link")
    forged = link.group(1).replace(aiko, ben)
    assert httpx.post(forged).status_code == 404


def test_a_broken_trigger_is_refused_with_its_path(http: httpx.Client) -> None:
    for bad, where in (
            ("on: {date: nameday}", "triggers[0] (t).on.date"),
            ("on: {event: no.such}", "triggers[0] (t).on.event"),
            ("on: {daily: \"25:00\"}", "triggers[0] (t).on.daily"),
            ("on: {inactive_days: 30}\n    condition: order.total > 1", "(t).condition"),
    ):
        source = programs_with(f"""
triggers:
  - id: t
    program: club
    {bad}
    actions: [{{grant_points: 5}}]
""")
        resp = load(http, source)
        assert resp.status_code == 422, (bad, resp.text)
        assert where in resp.json()["message"], (where, resp.json()["message"])
    resp = load(http, programs_with("""
triggers:
  - id: t
    program: club
    on: {daily: "09:00"}
    actions: [{give_reward: coffee}]
"""))
    assert resp.status_code == 422 and "give_reward" in resp.json()["message"]

