"""Talk to a running editor's segment desk the way its browser code does (tests, benchmarks, scripts).

``DeskClient(url).call("save", project="seed-article", seg=3, lang="ru", text="…", version=0, confirm=True)``
sends one desk request (:class:`workbench.ui.desk.Desk`) and returns its answer. Each client is one browser
tab (its own ``client`` id and Gradio session); ``cookies`` carry a login.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx


class DeskClient:
    def __init__(self, url: str, *, author: str = "", cookies: dict[str, str] | None = None, timeout: float = 60.0):
        self.url = url.rstrip("/") + "/"
        self.http = httpx.Client(cookies=cookies or {}, timeout=timeout)
        self.session = secrets.token_hex(6)
        self.client = secrets.token_hex(6)
        self.author = author
        config = self.http.get(self.url + "config").raise_for_status().json()
        self.api_prefix = config.get("api_prefix", "/gradio_api").strip("/")
        self.component_id = next(c["id"] for c in config["components"]
                                 if c.get("props", {}).get("elem_id") == "desk")

    def call(self, action: str, **data: Any) -> dict[str, Any]:
        """One desk request; the answer's ``error`` says why it was refused."""
        body = {"action": action, "client": self.client, "author": self.author, **data}
        r = self.http.post(f"{self.url}{self.api_prefix}/component_server",
                           json={"data": body, "component_id": self.component_id, "session_hash": self.session,
                                 "fn_name": "desk"})
        r.raise_for_status()
        return r.json()

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> DeskClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
