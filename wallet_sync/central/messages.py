"""Messages to customers: email through SMTP, SMS and push through the retailer's providers (a
webhook signed like ours; a push is addressed by the member code, which the provider maps to
the customer's devices), only with consent, each with an unsubscribe link.

A trigger's `send_message` action makes a message job with the texts of its program file (a
subject and a text per language, Jinja2 in a sandbox) and the values they may show. The job is
prepared when it is sent, not when it was made: the consent check (`consent.marketing_allowed`,
the one every sender calls), the contact and the language are the customer's as of sending, so
a withdrawal in between stops it. The text goes into the brand's layout
(`mail_templates/layout.<lang>.txt|html`, en and ja) with the unsubscribe link; the link
carries an HMAC tag from central's data key (`data_keys.token`) and withdraws consent for that
channel when followed (`routes/unsubscribe.py`).
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.exceptions import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy.orm import Session

from wallet_sync.central import consent
from wallet_sync.central.data_keys import DataKeys
from wallet_sync.central.jobs import Taken
from wallet_sync.central.tables import CustomerProfile
from wallet_sync.central.webhooks import SIGNATURE_HEADER, encode, signature

CHANNELS = ("email", "sms", "push")  # message channels = the consent channel each needs
LANGUAGES = ("en", "ja")
GREETING = {"en": "Hello,", "ja": "いつもご利用いただきありがとうございます。"}
CHANNEL_NAME = {"en": {"email": "email", "sms": "SMS", "push": "push notifications"},
                "ja": {"email": "メール", "sms": "SMS", "push": "プッシュ通知"}}
UNSUBSCRIBE_PATH = "/v1/unsubscribe"
_TEMPLATES = Path(__file__).with_name("mail_templates")
_layouts = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(
    enabled_extensions=("html",), default_for_string=False), undefined=StrictUndefined,
    keep_trailing_newline=True)
_texts = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


@dataclass(frozen=True)
class Brand:
    name: str = "walletpos"
    primary: str = "#1f4e8c"
    accent: str = "#f2a900"
    on_primary: str = "#ffffff"
    text: str = "#1b1b1b"

    @classmethod
    def from_file(cls, path: str | None) -> Brand:
        """The brand file the cards print with (WALLETPOS_BRAND), its name and colours."""
        if not path:
            return cls()
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__
                 and isinstance(v, str)} if isinstance(data, dict) else {}
        return cls(**known)


@dataclass(frozen=True)
class MessageSettings:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "walletpos@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_s: float = 10.0
    public_url: str = "http://127.0.0.1:8750"  # where customers reach central's unsubscribe
    sms_url: str | None = None  # the SMS provider's webhook
    push_url: str | None = None  # the push provider's webhook
    provider_secret: str | None = None  # signs what goes to the provider
    brand: Brand = field(default_factory=Brand)

    @classmethod
    def from_env(cls) -> MessageSettings:
        env = os.environ.get
        return cls(smtp_host=env("WALLETPOS_SMTP_HOST") or None,
                   smtp_port=int(env("WALLETPOS_SMTP_PORT") or 25),
                   smtp_from=env("WALLETPOS_SMTP_FROM") or "walletpos@localhost",
                   smtp_user=env("WALLETPOS_SMTP_USER") or None,
                   smtp_password=env("WALLETPOS_SMTP_PASSWORD") or None,
                   smtp_starttls=env("WALLETPOS_SMTP_STARTTLS") == "1",
                   public_url=(env("WALLETPOS_PUBLIC_URL") or cls.public_url).rstrip("/"),
                   sms_url=env("WALLETPOS_SMS_URL") or None,
                   push_url=env("WALLETPOS_PUSH_URL") or None,
                   provider_secret=env("WALLETPOS_PROVIDER_SECRET") or None,
                   brand=Brand.from_file(env("WALLETPOS_BRAND")))


@dataclass(frozen=True)
class Prepared:
    channel: str
    to: str
    member: str
    language: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str
    message_id: str  # the same on every attempt of one job


def language_of(profile_language: str | None) -> str:
    lang = (profile_language or "").split("-", 1)[0].lower()
    return lang if lang in LANGUAGES else "en"


def _pick(texts: Any, lang: str) -> str:
    if isinstance(texts, str):
        return texts
    if isinstance(texts, dict):
        return str(texts.get(lang) or texts.get("en") or next(iter(texts.values()), ""))
    return ""


def unsubscribe_message(member: str, channel: str) -> str:
    return f"unsubscribe:{member}:{channel}"


def unsubscribe_url(keys: DataKeys, settings: MessageSettings, member: str, channel: str
                    ) -> str:
    query = urlencode({"m": member, "c": channel,
                       "t": keys.token(unsubscribe_message(member, channel))})
    return f"{settings.public_url}{UNSUBSCRIBE_PATH}?{query}"


def prepare(session: Session, keys: DataKeys, job: Taken, settings: MessageSettings
            ) -> Prepared | str:
    """The message as of now, or why none is sent (no_consent, no_contact, bad_template)."""
    member, channel = job.target or "", job.kind
    if not consent.marketing_allowed(session, member, channel):
        return "no_consent"
    profile = session.get(CustomerProfile, member)
    to = {"email": profile.email, "sms": profile.phone}.get(channel, member) if profile \
        else (member if channel == "push" else None)
    if not to:
        return "no_contact"
    lang = language_of(profile.language if profile else None)
    values = {**dict(job.payload.get("values") or {}), "brand": settings.brand}
    try:
        subject = _texts.from_string(_pick(job.payload.get("subject"), lang)).render(values)
        body = _texts.from_string(_pick(job.payload.get("text"), lang)).render(values)
    except TemplateError as exc:
        return f"bad_template: {exc}"[:200]
    link = unsubscribe_url(keys, settings, member, channel)
    frame = {"greeting": GREETING[lang], "body": body.strip(), "brand": settings.brand,
             "paragraphs": [p for p in body.strip().split("\n\n") if p.strip()],
             "channel_name": CHANNEL_NAME[lang][channel], "unsubscribe_url": link}
    text = _layouts.get_template(f"layout.{lang}.txt").render(frame)
    html = _layouts.get_template(f"layout.{lang}.html").render(frame)
    domain = settings.smtp_from.rpartition("@")[2] or "walletpos"
    return Prepared(channel, to, member, lang, subject.strip(), text, html, link,
                    f"<{job.key.replace(':', '.')}@{domain}>")


def send(message: Prepared, settings: MessageSettings, http: httpx.Client) -> str | None:
    """Send it; None when the server or provider accepted it, else why not."""
    if message.channel == "email":
        return _smtp(message, settings)
    return _provider(message, settings, http)


def _smtp(message: Prepared, settings: MessageSettings) -> str | None:
    if not settings.smtp_host:
        return "smtp_not_configured"
    mail = EmailMessage()
    mail["From"] = formataddr((settings.brand.name, settings.smtp_from))
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Message-ID"] = message.message_id or make_msgid()
    # RFC 8058 one-click: a mail client POSTs to the link itself.
    mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(message.text)
    mail.add_alternative(message.html, subtype="html")
    mail["Content-Language"] = message.language  # after the body: set_content drops Content-*
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                          timeout=settings.smtp_timeout_s) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    return None


def _provider(message: Prepared, settings: MessageSettings, http: httpx.Client) -> str | None:
    url = settings.sms_url if message.channel == "sms" else settings.push_url
    if not url:
        return f"{message.channel}_not_configured"
    body = encode({"id": message.message_id, "channel": message.channel, "to": message.to,
                   "customer": message.member, "language": message.language,
                   "text": f"{message.subject}\n{message.text}".strip()})
    headers = {"Content-Type": "application/json"}
    if settings.provider_secret:
        headers[SIGNATURE_HEADER] = signature(settings.provider_secret, int(time.time()), body)
    try:
        resp = http.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    return None if 200 <= resp.status_code < 300 else f"HTTP {resp.status_code}"
