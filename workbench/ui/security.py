"""The editor's web security layer: an ASGI middleware in front of the whole Gradio app.

For every request, before Gradio sees it:

* **Host.** Only the host names it is told are served: ``localhost``, ``127.0.0.1`` and ``::1`` always, the
  address given to ``--host`` (when it is one address), the names given with ``--allowed-host`` and the
  host of ``--public-url``. When the editor listens on every address (``--host 0.0.0.0``), a request
  addressed to an IP address is served too (a page of another site cannot make a browser send one: DNS
  rebinding needs a name). Anything else: HTTP 421, nothing served.
* **Origin.** A request whose ``Origin`` is not the editor's own (the scheme, host and port the request was
  sent to, or the origin of ``--public-url``) is refused with 403, whatever its method, before it reaches
  Gradio, so a foreign origin is never echoed in ``Access-Control-Allow-Origin``; a state-changing request
  without ``Origin`` that the browser marks ``Sec-Fetch-Site: cross-site`` is refused too. Clients that
  send no ``Origin`` (``gradio_client``, ``curl``) are not browsers acting for another site, and pass.
* **Cookies.** Every cookie the app sets gets ``SameSite=Lax`` when it has no ``SameSite`` or has
  ``SameSite=None``.
* **Logins** (:mod:`workbench.ui.login`): the login page, ``POST /login`` with throttling, ``POST /logout``
  (``GET /logout`` is refused: 405), and no page, API call, upload or file without a session.
* Responses carry ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: SAMEORIGIN``,
  ``Referrer-Policy: same-origin``.

:func:`install` puts the layer outside every middleware Gradio adds (it wraps the app's middleware stack
when the server starts, before the first connection is accepted).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..core.errors import InputError

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_NAME_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"referrer-policy", b"same-origin"),
)


@functools.lru_cache(maxsize=1024)
def split_host(value: str) -> tuple[str, int | None] | None:
    """``"Example.org:8080"`` -> ``("example.org", 8080)``, ``"[::1]:7860"`` -> ``("::1", 7860)``; None when it is
    not a host (with an optional port)."""
    value = (value or "").strip().lower()
    if not value or any(c in value for c in "/\\@?# \t"):
        return None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        host, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    elif value.count(":") == 1:
        host, port = value.split(":")
    elif ":" in value:  # a bare IPv6 address
        host, port = value, None
    else:
        host, port = value, None
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        return None
    if not (is_ip(host) or _NAME_RE.match(host)):
        return None
    return host.rstrip("."), int(port) if port is not None else None


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@functools.lru_cache(maxsize=1024)
def origin_of(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an origin or URL (default ports filled in); None for ``null`` or a URL that
    is not http(s)."""
    try:
        parts = urlsplit((url or "").strip())
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or parts.username or parts.password:
            return None
        host = split_host(parts.netloc)
    except ValueError:
        return None
    if host is None:
        return None
    return scheme, host[0], host[1] or DEFAULT_PORTS[scheme]


@dataclass(frozen=True)
class WebPolicy:
    """Which hosts are served and which origins may act (see the module docstring)."""

    hosts: frozenset[str]
    public_origins: frozenset[tuple[str, str, int]]
    any_ip: bool = False
    secure_cookies: bool = False

    @classmethod
    def build(cls, *, bind_host: str = "127.0.0.1", allowed_hosts: Iterable[str] = (),
              public_url: str | None = None) -> WebPolicy:
        """The policy for a server listening on ``bind_host``; ``allowed_hosts`` are extra host names (or
        addresses), ``public_url`` the address users open (e.g. ``https://translate.example.org``, behind a
        reverse proxy). Malformed values are one-line :class:`InputError`."""
        hosts = set(LOCAL_HOSTS)
        bind = (bind_host or "").strip().strip("[]").lower()
        if bind not in WILDCARD_HOSTS:
            hosts.add(bind)
        for name in allowed_hosts:
            parsed = split_host(name)
            if parsed is None or parsed[1] is not None:
                raise InputError(f"--allowed-host {name!r} is not a host name: give a name like "
                                 "translate.example.org (no scheme, port or path)")
            hosts.add(parsed[0])
        origins = set()
        if public_url:
            origin = origin_of(public_url)
            if origin is None:
                raise InputError(f"--public-url {public_url!r} is not an http(s) URL: give the address users open, "
                                 "e.g. https://translate.example.org")
            origins.add(origin)
            hosts.add(origin[1])
        return cls(frozenset(hosts), frozenset(origins), any_ip=bind in WILDCARD_HOSTS,
                   secure_cookies=any(o[0] == "https" for o in origins))

    def host_ok(self, host_header: str) -> bool:
        host = split_host(host_header)
        if host is None:
            return False
        return host[0] in self.hosts or (self.any_ip and is_ip(host[0]))

    def origin_ok(self, origin: str, scheme: str, host_header: str) -> bool:
        """Whether ``origin`` is the editor itself: the origin the request was sent to (``scheme`` as the
        server sees it, after a trusted proxy's ``X-Forwarded-Proto``) or the public URL's."""
        theirs = origin_of(origin)
        if theirs is None:
            return False
        if theirs in self.public_origins:
            return True
        scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
        host = split_host(host_header)
        if host is None or scheme not in DEFAULT_PORTS:
            return False
        return theirs == (scheme, host[0], host[1] or DEFAULT_PORTS[scheme])


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return None


async def respond(scope, receive, send, status: int, body: str | dict, *, content_type: str | None = None,
                  headers: Iterable[tuple[str, str]] = ()) -> None:
    """A complete response (for a websocket: a refusal, close code 1008)."""
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})
        return
    if isinstance(body, dict):
        data, content_type = json.dumps(body).encode("utf-8"), content_type or "application/json"
    else:
        data, content_type = body.encode("utf-8"), content_type or "text/plain; charset=utf-8"
    raw = [(b"content-type", content_type.encode("latin-1")), (b"content-length", str(len(data)).encode()),
           (b"cache-control", b"no-store"), *SECURITY_HEADERS]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if scope.get("method") == "HEAD" else data})


def lax_cookie(value: str) -> str:
    """A ``Set-Cookie`` value with ``SameSite=Lax`` unless it says ``Lax`` or ``Strict`` already."""
    parts = [p.strip() for p in value.split(";")]
    kept = [p for p in parts[1:] if not p.lower().startswith("samesite")]
    same = [p.split("=", 1)[-1].strip().lower() for p in parts[1:] if p.lower().startswith("samesite")]
    site = "SameSite=Strict" if same and same[-1] == "strict" else "SameSite=Lax"
    return "; ".join([parts[0], *kept, site])


class WebGuard:
    """The ASGI middleware (see the module docstring). ``gate``: a :class:`~workbench.ui.login.LoginGate`."""

    def __init__(self, app, policy: WebPolicy, gate=None):
        self.app = app
        self.policy = policy
        self.gate = gate

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host") or ""
        if not self.policy.host_ok(host):
            await respond(scope, receive, send, 421, f"this editor does not answer to the host name {host!r}; "
                                                     "its administrator can allow it with --allowed-host")
            return
        origin = _header(scope, b"origin")
        method = scope.get("method", "GET")
        if origin is not None and not self.policy.origin_ok(origin, scope.get("scheme", "http"), host):
            await respond(scope, receive, send, 403, "cross-site request refused")
            return
        if (origin is None and method not in SAFE_METHODS
                and (_header(scope, b"sec-fetch-site") or "").lower() == "cross-site"):
            await respond(scope, receive, send, 403, "cross-site request refused")
            return
        path = scope.get("path", "")
        if scope["type"] == "http" and path.rstrip("/") == "/logout":
            if method != "POST":
                await respond(scope, receive, send, 405, "log out with POST", headers=[("Allow", "POST")])
            elif self.gate is not None:
                await self.gate.logout(scope, receive, send)
            else:
                await respond(scope, receive, send, 303, "", headers=[("Location", "./")])
            return
        if self.gate is not None and await self.gate.handle(scope, receive, send):
            return
        await self.app(scope, receive, self._sender(send) if scope["type"] == "http" else send)

    def _sender(self, send):
        async def sender(message) -> None:
            if message["type"] == "http.response.start":
                headers = []
                present = set()
                for key, value in message.get("headers") or ():
                    name = key.lower()
                    present.add(name)
                    if name == b"set-cookie":
                        value = lax_cookie(value.decode("latin-1")).encode("latin-1")
                    headers.append((key, value))
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)
        return sender


def install(guard_factory):
    """A lifespan for the Gradio app (``launch(app_kwargs={"lifespan": ...})``) that wraps the app's
    middleware stack in ``guard_factory(stack)`` when the server starts, so the guard sees every request
    first and every response last. ``install.installed`` tells the caller it ran."""

    @asynccontextmanager
    async def lifespan(app):
        if app.middleware_stack is None:
            app.middleware_stack = app.build_middleware_stack()
        app.middleware_stack = guard_factory(app.middleware_stack)
        lifespan.installed = True
        yield

    lifespan.installed = False
    return lifespan
