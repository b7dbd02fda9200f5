"""`/v1/unsubscribe` (no key: the link in every message proves itself with central's HMAC tag,
`messages.unsubscribe_url`). GET shows a page with one button, so a mail scanner that follows
links withdraws nothing; POST (the button, or a mail client's RFC 8058 one-click) withdraws
consent for that channel at once (`consent.withdraw`, source `unsubscribe_link`). The page is
in the customer's language (en or ja)."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from wallet_sync.central import consent, messages
from wallet_sync.central.errors import NotFound
from wallet_sync.central.routes.http_errors import refusals
from wallet_sync.central.routes.state import CentralState
from wallet_sync.central.tables import CustomerProfile
from wallet_sync.protocol import API_PREFIX

router = APIRouter(prefix=API_PREFIX)
TEXT = {
    "en": {"ask": "Stop receiving messages from {brand} by {channel}?", "button": "Unsubscribe",
           "done": "You will no longer receive messages from {brand} by {channel}."},
    "ja": {"ask": "{brand} からの{channel}の受け取りを停止しますか?", "button": "配信停止",
           "done": "{brand} からの{channel}の配信を停止しました。"},
}
Member = Annotated[str, Query(alias="m", min_length=1, max_length=64)]
Channel = Annotated[str, Query(alias="c", min_length=1, max_length=16)]
Token = Annotated[str, Query(alias="t", min_length=1, max_length=64)]


def _checked(central: CentralState, member: str, channel: str, token: str) -> str:
    """The customer's language, once the link is one central made."""
    if channel not in messages.CHANNELS or not central.keys.token_ok(
            messages.unsubscribe_message(member, channel), token):
        raise NotFound("unknown_link", "this unsubscribe link is not valid")
    with central.db.read() as session:
        profile = session.get(CustomerProfile, member)
        return messages.language_of(profile.language if profile else None)


def _page(lang: str, text: str, form: str = "") -> HTMLResponse:
    return HTMLResponse(f'<!doctype html><html lang="{lang}"><meta charset="utf-8">'
                        f"<body><p>{escape(text)}</p>{form}</body></html>")


def _words(central: CentralState, lang: str, channel: str, key: str) -> str:
    brand = central.messages.brand.name
    return TEXT[lang][key].format(brand=brand, channel=messages.CHANNEL_NAME[lang][channel])


@router.get("/unsubscribe", response_class=HTMLResponse, include_in_schema=False,
            responses=refusals(NotFound))
def unsubscribe_page(central: CentralState, member: Member, channel: Channel, token: Token
                     ) -> HTMLResponse:
    lang = _checked(central, member, channel, token)
    form = (f'<form method="post"><button type="submit">{escape(TEXT[lang]["button"])}'
            "</button></form>")
    return _page(lang, _words(central, lang, channel, "ask"), form)


@router.post("/unsubscribe", response_class=HTMLResponse, include_in_schema=False,
             responses=refusals(NotFound))
def unsubscribe(central: CentralState, member: Member, channel: Channel, token: Token
                ) -> HTMLResponse:
    lang = _checked(central, member, channel, token)
    with central.db.write() as session:
        consent.withdraw(session, member, channel, "unsubscribe_link", central.now())
    return _page(lang, _words(central, lang, channel, "done"))
