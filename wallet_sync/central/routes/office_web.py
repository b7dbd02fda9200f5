"""What every console page shares: the templates (Jinja2, autoescape on for everything), the
signed-in user (`Viewer`), a role's permission (`allowed`), the CSRF check on every form
(`CsrfForm`), the page's language, and the security headers of every /office answer.

Sessions live in a cookie that is HttpOnly and SameSite=Strict (Secure when the request came
over HTTPS); central keeps the session row (office/sessions.py). Every POST carries the
session's CSRF token in a hidden field (or the X-CSRF-Token header for the live validation),
and one whose Origin is another site is refused even with the token. A page that needs a
sign-in redirects to the login page with `next`, which only ever leads back inside /office.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wallet_sync.central.office import i18n, roles, sessions
from wallet_sync.central.office.sessions import Signed
from wallet_sync.central.routes.state import Central, CentralState

OFFICE = Path(__file__).resolve().parents[1] / "office"
COOKIE = "walletpos_office"
LOGIN_COOKIE = "walletpos_office_login"  # the login form's CSRF token, before any session
PREFIX = "/office"
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
LOWER_HEADERS = {name.lower() for name in HEADERS}

def _utc(at: int | None) -> str:
    if not at:
        return ""
    return dt.datetime.fromtimestamp(int(at), dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _short(value: Any, limit: int = 300) -> str:
    if value is None:
        return ""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


env = Environment(loader=FileSystemLoader(str(OFFICE / "templates")), autoescape=True)
env.filters["utc"] = _utc
env.filters["short"] = _short
templates = Jinja2Templates(env=env)

# The pages of the menu: (path, label, permission), in the order shown.
MENU = (
    ("/office", "Home", None),
    ("/office/reports/liability", "Liability", "reports"),
    ("/office/reports/points", "Points", "reports"),
    ("/office/reports/activity", "Activity", "reports"),
    ("/office/reports/campaigns", "Campaigns", "reports"),
    ("/office/risk", "Exposure and conflicts", "risk"),
    ("/office/terminals", "Terminals", "risk"),
    ("/office/programs", "Programs", "programs"),
    ("/office/customers", "Customers", "customers"),
    ("/office/audit", "Audit log", "audit"),
)


class LoginRequired(Exception):
    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class PageRefused(Exception):
    """A console request refused with a page: no permission (403) or a failed CSRF check."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path inside /office on this site, else /office (an
    absolute URL, `//host`, a backslash or a control character is an open redirect)."""
    if not target or len(target) > 500 or any(ord(c) < 32 for c in target) or "\\" in target:
        return PREFIX
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or ".." in parts.path.split("/") or not (
            parts.path == PREFIX or parts.path.startswith(PREFIX + "/")):
        return PREFIX
    return target


def _find(central: Central, token: str | None) -> Signed | None:
    if not token:
        return None
    with central.db.write() as session:
        return sessions.find(session, token, central.now())


async def signed_in(request: Request, central: CentralState) -> Signed | None:
    return await run_in_threadpool(_find, central, request.cookies.get(COOKIE))


async def viewer(request: Request,
                 signed: Annotated[Signed | None, Depends(signed_in)]) -> Signed:
    if signed is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method == "GET" else PREFIX)
    return signed


Viewer = Annotated[Signed, Depends(viewer)]


def allowed(permission: str) -> Any:
    """A dependency: the signed-in user, who must have PERMISSION (office/roles.py)."""

    async def check(user: Viewer) -> Signed:
        if not roles.may(user.user.role, permission):
            raise PageRefused(403, "forbidden")
        return user

    return Depends(check)


def same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:  # not a browser's cross-site POST (those always send Origin)
        return True
    host = request.headers.get("host", "")
    return origin in (f"http://{host}", f"https://{host}")


async def csrf_form(request: Request, user: Viewer) -> FormData:
    """The posted form, once its CSRF token matches the session's and it came from here."""
    form = await request.form()
    token = form.get("csrf") or request.headers.get("x-csrf-token") or ""
    if not isinstance(token, str) or not hmac.compare_digest(token, user.csrf) \
            or not same_origin(request):
        raise PageRefused(403, "csrf")
    return form


CsrfForm = Annotated[FormData, Depends(csrf_form)]


def language(request: Request, user: Signed | None) -> str:
    if user is not None and user.user.language:
        return user.user.language
    return i18n.from_accept_language(request.headers.get("accept-language"))


def tr(request: Request, user: Signed | None) -> Any:
    """The page's translate function, for texts a route draws (a chart's title)."""
    return i18n.translator(language(request, user))


def render(request: Request, name: str, user: Signed | None, status: int = 200,
           **context: Any) -> HTMLResponse:
    lang = language(request, user)
    menu = [(path, label) for path, label, perm in MENU
            if user is not None and (perm is None or roles.may(user.user.role, perm))]
    return templates.TemplateResponse(request, name, {
        "_": i18n.translator(lang), "lang": lang, "user": user.user if user else None,
        "csrf": user.csrf if user else "", "menu": menu, "path": request.url.path,
        **context}, status_code=status)


def download(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def back(path: str, notice: str | None = None) -> RedirectResponse:
    """After a form: see the page again (POST, redirect, GET), with a notice key."""
    return RedirectResponse(path + (f"?notice={quote(notice)}" if notice else ""),
                            status_code=303)


def install(app: FastAPI) -> None:
    app.mount("/office/static", StaticFiles(directory=str(OFFICE / "static")),
              name="office-static")

    @app.exception_handler(LoginRequired)
    async def login_required(_: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"{PREFIX}/login?next={quote(safe_next(exc.target))}",
                                status_code=303)

    @app.exception_handler(PageRefused)
    async def refused(request: Request, exc: PageRefused) -> Response:
        user = await signed_in(request, request.app.state.central)
        return render(request, "error.html", user, status=exc.status, reason=exc.reason)

    app.add_middleware(OfficeHeaders)


class OfficeHeaders:
    """Adds the security headers to every /office answer. A plain ASGI middleware, not
    `@app.middleware("http")`: that one runs the app in a task group, which wraps an error
    raised while the body streams (BodyLimit's 413) in an ExceptionGroup and answers 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ())
                           if k.decode("latin-1").lower() not in LOWER_HEADERS]
                headers += [(k.lower().encode("latin-1"), v.encode("latin-1"))
                            for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
