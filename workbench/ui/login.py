"""Logging in to the editor: the login page, sessions, throttling, logging out (used by
:class:`workbench.ui.security.WebGuard`, which runs it before Gradio sees a request).

When a login is required (:meth:`workbench.core.users.Logins.active`: a user exists, or ``--auth`` was
given), a request without a valid session gets nothing but the login page (and Gradio's idempotent start-up
call): a page request is redirected to ``login``, anything else (API, upload, file, queue) is answered 401.
``POST /login`` takes ``username`` and ``password`` (a form, as the login page and ``gradio_client`` send
them); after :attr:`LoginThrottle.limit` failures within a minute for the name or from the address, further
attempts are refused (429, with ``Retry-After``) for a while, even with the right password, before any
password is checked. A session is a random token in an ``HttpOnly; SameSite=Lax`` cookie (``Secure`` over
HTTPS) that ends after :data:`SESSION_IDLE` seconds without a request, at ``POST /logout`` (that browser
only), or when the user's password changes or the user is removed. Sessions live in the server's memory:
restarting the editor logs everybody out.

Gradio learns who is logged in through :meth:`LoginGate.username`, its ``auth_dependency``: that name is
``gr.Request.username`` in every event.
"""

from __future__ import annotations

import html
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

import anyio

from ..core.throttle import LoginThrottle
from ..core.users import Login, Logins
from .security import respond

#: a session ends after this many seconds without a request
SESSION_IDLE = 12 * 3600
#: the largest login form read
MAX_FORM = 16 * 1024
#: argon2 checks at a time (each takes 64 MiB and a fraction of a second)
CHECKS_AT_ONCE = 2
#: served without a session: Gradio's own start-up call (it runs the app's start-up events once; idempotent)
OPEN_PATHS = frozenset({"/gradio_api/startup-events"})


@dataclass
class Session:
    login: Login
    last_seen: float


class Sessions:
    """Session tokens -> who logged in. Thread-safe."""

    def __init__(self, logins: Logins, *, idle: float = SESSION_IDLE, clock: Callable[[], float] = time.monotonic):
        self.logins = logins
        self.idle = idle
        self.clock = clock
        self._by_token: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, login: Login) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._prune()
            self._by_token[token] = Session(login, self.clock())
        return token

    def get(self, token: str | None) -> Login | None:
        """The login of a live session (its idle time starts again), or None; a session whose user was removed
        or changed password since is ended here."""
        if not token:
            return None
        now = self.clock()
        with self._lock:
            session = self._by_token.get(token)
            if session is None:
                return None
            if now - session.last_seen > self.idle:
                del self._by_token[token]
                return None
        if not self.logins.valid(session.login):
            self.end(token)
            return None
        session.last_seen = now
        return session.login

    def end(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_token)

    def _prune(self) -> None:
        now = self.clock()
        for token in [t for t, s in self._by_token.items() if now - s.last_seen > self.idle]:
            del self._by_token[token]


def _cookies(scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in scope.get("headers") or ():
        if key == b"cookie":
            for part in value.decode("latin-1").split(";"):
                name, sep, val = part.strip().partition("=")
                if sep and name not in out:
                    out[name] = val
    return out


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return ""


def _root(scope) -> str:
    return (scope.get("root_path") or "").rstrip("/")


class LoginGate:
    """Login page, login, logout and the session check for one editor (see the module docstring).
    ``secure``: always mark the cookie ``Secure`` (the editor is reached over HTTPS through a proxy)."""

    def __init__(self, logins: Logins, throttle: LoginThrottle | None = None, *, secure: bool = False,
                 sessions: Sessions | None = None):
        self.logins = logins
        self.throttle = throttle or LoginThrottle()
        self.secure = secure
        self.sessions = sessions or Sessions(logins)
        self._checks = anyio.CapacityLimiter(CHECKS_AT_ONCE)

    # -- who is asking ---------------------------------------------------------------------------------

    @staticmethod
    def cookie_name(scope) -> str:
        """One cookie name per port, so two editors on one machine do not log each other out."""
        server = scope.get("server") or (None, None)
        return f"wb_session_{server[1]}" if server[1] else "wb_session"

    def login_of(self, scope) -> Login | None:
        return self.sessions.get(_cookies(scope).get(self.cookie_name(scope)))

    def username(self, request) -> str | None:
        """Gradio's ``auth_dependency``: the logged-in name; ``""`` when no login is required (everyone may use
        the editor, as the same anonymous person); None (Gradio answers 401) without a session."""
        if not self.logins.active():
            return ""
        login = self.login_of(request.scope)
        return login.name if login else None

    # -- the gate --------------------------------------------------------------------------------------

    async def handle(self, scope, receive, send) -> bool:
        """Answer the request when it is the gate's to answer (the login page and form; no session); False
        lets it through to the app."""
        path = scope.get("path", "").rstrip("/")
        is_login = scope["type"] == "http" and path == "/login"
        if not self.logins.active():
            if is_login:
                await respond(scope, receive, send, 303, "", headers=[("Location", f"{_root(scope)}/")])
                return True
            return False
        if is_login:
            method = scope.get("method")
            if method == "POST":
                await self.login(scope, receive, send)
            elif method in ("GET", "HEAD"):
                if self.login_of(scope):
                    await respond(scope, receive, send, 303, "", headers=[("Location", f"{_root(scope)}/")])
                else:
                    await respond(scope, receive, send, 200, login_page(), content_type="text/html; charset=utf-8")
            else:
                await respond(scope, receive, send, 405, "use GET or POST", headers=[("Allow", "GET, POST")])
            return True
        if self.login_of(scope) is not None or (scope.get("method") == "GET" and path in OPEN_PATHS):
            return False
        page = scope["type"] == "http" and scope.get("method") in ("GET", "HEAD")
        if page and "text/html" in _header(scope, b"accept"):
            await respond(scope, receive, send, 303, "", headers=[("Location", f"{_root(scope)}/login")])
        else:
            await respond(scope, receive, send, 401, {"detail": "Not authenticated: log in first"})
        return True

    async def login(self, scope, receive, send) -> None:
        wants_html = "text/html" in _header(scope, b"accept")
        form = await _read_form(scope, receive)
        if form is None:
            await respond(scope, receive, send, 413, {"detail": "the login form is too big"})
            return
        name, password = form.get("username", "").strip(), form.get("password", "")
        address = (scope.get("client") or ("unknown",))[0]
        keys = (f"user:{name.casefold()}", f"address:{address}")
        wait = self.throttle.wait(*keys)
        if wait > 0:
            minutes = max(1, math.ceil(wait / 60))
            msg = (f"Too many failed logins for this name or from this address: try again in {minutes} "
                   f"minute{'s' if minutes > 1 else ''}.")
            await self._answer(scope, receive, send, wants_html, 429, msg, name,
                               headers=[("Retry-After", str(math.ceil(wait)))])
            return
        login = await anyio.to_thread.run_sync(self.logins.authenticate, name, password, limiter=self._checks)
        if login is None:
            self.throttle.failed(*keys)
            await self._answer(scope, receive, send, wants_html, 401, "Wrong name or password.", name)
            return
        self.throttle.succeeded(keys[0])
        token = self.sessions.create(login)
        cookie = [("Set-Cookie", self._cookie(scope, token))]
        if wants_html:
            await respond(scope, receive, send, 303, "", headers=[("Location", f"{_root(scope)}/"), *cookie])
        else:
            await respond(scope, receive, send, 200, {"success": True, "user": login.name, "role": login.role},
                          headers=cookie)

    async def logout(self, scope, receive, send) -> None:
        """End this browser's session only (other people's, and this person's in other browsers, go on)."""
        self.sessions.end(_cookies(scope).get(self.cookie_name(scope)))
        clear = ("Set-Cookie", self._cookie(scope, "", max_age=0))
        if "text/html" in _header(scope, b"accept"):
            await respond(scope, receive, send, 303, "", headers=[("Location", f"{_root(scope)}/login"), clear])
        else:
            await respond(scope, receive, send, 200, {"success": True}, headers=[clear])

    def _cookie(self, scope, token: str, max_age: int | None = None) -> str:
        parts = [f"{self.cookie_name(scope)}={token}", "Path=/", "HttpOnly", "SameSite=Lax"]
        if self.secure or scope.get("scheme") in ("https", "wss"):
            parts.append("Secure")
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        return "; ".join(parts)

    @staticmethod
    async def _answer(scope, receive, send, wants_html: bool, status: int, msg: str, name: str,
                      headers=()) -> None:
        if wants_html:
            await respond(scope, receive, send, status, login_page(msg, name),
                          content_type="text/html; charset=utf-8", headers=headers)
        else:
            await respond(scope, receive, send, status, {"detail": msg}, headers=headers)


async def _read_form(scope, receive) -> dict[str, str] | None:
    """The login form's fields (urlencoded or multipart); None when the body is bigger than :data:`MAX_FORM`."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > MAX_FORM:
            return None
        if not message.get("more_body"):
            break
    ctype = _header(scope, b"content-type").lower()
    if ctype.startswith("multipart/form-data"):
        from starlette.requests import Request

        sent = False

        async def replay():
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        form = await Request(scope, replay).form(max_files=0, max_fields=10)
        return {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10))
    except (UnicodeDecodeError, ValueError):
        return {}


LOGIN_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;background:#f5f6f8;margin:0;
     display:flex;min-height:100vh;align-items:center;justify-content:center;color:#1f2328}
form{background:#fff;padding:2rem 2.2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.12);width:20rem}
h1{font-size:1.25rem;margin:0 0 1.2rem}
label{display:block;font-size:.9rem;margin:.8rem 0 .3rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #c8ccd1;border-radius:4px}
button{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem;border:0;border-radius:4px;background:#2563eb;
       color:#fff;cursor:pointer}
p.error{color:#b42318;background:#fef3f2;padding:.5rem;border-radius:4px;font-size:.9rem}
"""


def login_page(message: str = "", name: str = "") -> str:
    """The login page (self-contained: it loads nothing before the login). ``message`` and ``name`` are
    shown as text."""
    error = f'<p class="error" id="login-error" role="alert">{html.escape(message)}</p>' if message else ""
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>workbench — log in</title><style>{LOGIN_CSS}</style></head><body>"
            "<form method=\"post\" action=\"login\" id=\"login-form\"><h1>workbench — log in</h1>" + error +
            "<label for=\"username\">Name</label>"
            f"<input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus "
            f"value=\"{html.escape(name, quote=True)}\">"
            "<label for=\"password\">Password</label>"
            "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
            "<button type=\"submit\" id=\"login-submit\">Log in</button></form></body></html>")
