"""The console's door: the login page (its own CSRF token in a short-lived cookie, since there
is no session yet), signing in (office/users.authenticate, with the lockout), signing out, the
home page and the user's language."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from wallet_sync.central.errors import Refusal
from wallet_sync.central.office import audit, sessions, users
from wallet_sync.central.routes.office_web import (
    COOKIE,
    LOGIN_COOKIE,
    PREFIX,
    CsrfForm,
    PageRefused,
    Viewer,
    back,
    render,
    safe_next,
    same_origin,
)
from wallet_sync.central.routes.state import CentralState

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" \
        or request.headers.get("x-forwarded-proto", "") == "https"


def _login_page(request: Request, next_path: str, error: str | None, status: int = 200
                ) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", None, status=status, login_csrf=token,
                      next=safe_next(next_path), error=error)
    response.set_cookie(LOGIN_COOKIE, token, max_age=900, httponly=True, samesite="strict",
                        secure=_secure(request), path=PREFIX)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = PREFIX) -> Response:  # noqa: A002
    return _login_page(request, next, None)


@router.post("/login")
def login(request: Request, central: CentralState,
          username: Annotated[str, Form(max_length=64)] = "",
          password: Annotated[str, Form(max_length=256)] = "",
          csrf: Annotated[str, Form(max_length=100)] = "",
          next: Annotated[str, Form(max_length=500)] = PREFIX) -> Response:  # noqa: A002
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf, expected) or not same_origin(request):
        raise PageRefused(403, "csrf")
    with central.db.write() as session:
        result = users.authenticate(session, username, password, central.now())
        token = None
        if isinstance(result, users.User):
            token, _ = sessions.start(session, result, central.now())
    if isinstance(result, Refusal):
        return _login_page(request, next, result.reason,
                           status=403 if result.reason == "locked" else 401)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(COOKIE, token or "", max_age=sessions.MAX_SECONDS, httponly=True,
                        samesite="strict", secure=_secure(request), path=PREFIX)
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
    return response


@router.post("/logout")
def logout(user: Viewer, _form: CsrfForm, central: CentralState) -> Response:
    with central.db.write() as session:
        sessions.end(session, user.token_hash, central.now())
        audit.record(session, actor=user.user.username, role=user.user.role, action="logout",
                     at=central.now())
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


@router.get("", response_class=HTMLResponse)
def home(request: Request, user: Viewer, notice: str | None = None) -> Response:
    return render(request, "home.html", user, notice=notice)


@router.post("/language")
def set_language(user: Viewer, form: CsrfForm, central: CentralState) -> Response:
    lang = str(form.get("language") or "")
    with central.db.write() as session:
        users.set_language(session, user.user.id, lang if lang in users.LANGUAGES else "")
    return back(safe_next(str(form.get("back") or PREFIX)).split("?")[0])
