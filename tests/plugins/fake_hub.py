"""A local HTTP server that answers like the Hugging Face Hub for the few requests a model download makes, so
huggingface_hub's real download code runs against it (``HF_ENDPOINT=http://127.0.0.1:PORT``).

What huggingface_hub asks (read in its ``hf_api.model_info`` and ``file_download``):

- ``GET /api/models/{repo}/revision/{rev}`` (``?blobs=True`` for sizes): JSON ``{"id", "sha", "siblings":
  [{"rfilename", "size"}]}``;
- ``HEAD /{repo}/resolve/{rev}/{file}``: headers ``X-Repo-Commit`` (the commit), ``ETag``, ``Content-Length``;
- ``GET /{repo}/resolve/{rev}/{file}``: the bytes, honouring ``Range: bytes=N-`` (resumed downloads).

Fixture ``fake_hub``: ``fake_hub({"org/name": folder}, rate=None) -> FakeHub`` (``.url``, ``.requests``,
``.sha(repo)``); ``rate`` (bytes per second) slows file bodies down so progress and cancelling can be seen.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest


class FakeHub:
    def __init__(self, repos: dict[str, Path], rate: int | None = None):
        self.repos = {k: Path(v) for k, v in repos.items()}
        self.rate = rate
        self.requests: list[tuple[str, str, str]] = []  # (method, path, range header)
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                hub.handle(self, body=True)

            def do_HEAD(self):
                hub.handle(self, body=False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @staticmethod
    def sha(repo: str) -> str:
        return hashlib.sha1(repo.encode()).hexdigest()  # 40 hex digits, like a git commit

    def files(self, repo: str) -> dict[str, Path]:
        root = self.repos[repo]
        return {str(p.relative_to(root)): p for p in sorted(root.rglob("*")) if p.is_file()
                and not any(part.startswith(("ct2-", ".")) for part in p.relative_to(root).parts)}

    def _send(self, h, code: int, headers: dict[str, str], body: bytes = b"", send_body: bool = True) -> None:
        h.send_response(code)
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        if send_body and body:
            h.wfile.write(body)

    def _not_found(self, h, what: str, send_body: bool) -> None:
        body = json.dumps({"error": f"{what} not found"}).encode()
        self._send(h, 404, {"Content-Type": "application/json", "Content-Length": str(len(body)),
                            "X-Error-Code": "EntryNotFound" if "/" in what else "RepoNotFound"}, body, send_body)

    def handle(self, h, *, body: bool) -> None:
        path = unquote(urlparse(h.path).path)
        self.requests.append((h.command, path, h.headers.get("Range", "")))
        if path.startswith("/api/models/"):
            rest = path[len("/api/models/"):]
            repo = rest.split("/revision/")[0]
            if repo not in self.repos:
                return self._not_found(h, repo, body)
            sib = [{"rfilename": f, "size": p.stat().st_size} for f, p in self.files(repo).items()]
            data = json.dumps({"id": repo, "modelId": repo, "sha": self.sha(repo), "private": False,
                               "siblings": sib}).encode()
            return self._send(h, 200, {"Content-Type": "application/json", "Content-Length": str(len(data))}, data,
                              body)
        if "/resolve/" not in path:
            return self._not_found(h, path, body)
        repo, _, rest = path.lstrip("/").partition("/resolve/")
        _rev, _, fname = rest.partition("/")
        if repo not in self.repos or fname not in self.files(repo):
            return self._not_found(h, f"{repo}/{fname}", body)
        data = self.files(repo)[fname].read_bytes()
        etag = hashlib.sha1(data).hexdigest()
        headers = {"X-Repo-Commit": self.sha(repo), "ETag": f'"{etag}"', "Accept-Ranges": "bytes",
                   "Content-Type": "application/octet-stream"}
        start = 0
        rng = h.headers.get("Range", "")
        if body and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0] or 0)
        part = data[start:]
        headers["Content-Length"] = str(len(part) if body else len(data))
        if start:
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        h.send_response(206 if start else 200)
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        if not body:
            return
        step = 64 * 1024
        try:
            for i in range(0, len(part), step):
                h.wfile.write(part[i:i + step])
                h.wfile.flush()
                if self.rate:
                    time.sleep(step / self.rate)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped (a cancelled download)
            pass

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_hub():
    hubs: list[FakeHub] = []

    def make(repos: dict[str, Path], rate: int | None = None) -> FakeHub:
        hub = FakeHub(repos, rate)
        hubs.append(hub)
        return hub

    yield make
    for hub in hubs:
        hub.close()
