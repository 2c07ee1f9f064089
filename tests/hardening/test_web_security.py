"""Web editor security against the real app.py server (subprocess), over HTTP and in a real Chromium.

- binds 127.0.0.1 unless --host says otherwise (checked in the kernel's socket table and by connecting)
- --auth user:password / WORKBENCH_AUTH: nothing (page, config, API, uploads) without logging in
- exposed without a login: a warning on stderr
- uploads: size-limited (HTTP 413), file names from uploads never used as paths
- no HTML/JS injection from documents, translations, history, TM or glossary (checked in Chromium)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"

pytestmark = [pytest.mark.slow]

#: payloads that set window.__xss if any HTML/JS from data is ever interpreted
XSS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=2</script>",
    '<svg onload="window.__xss=3"></svg>',
    '[click](javascript:window.__xss=4)',
    '"><iframe srcdoc="<script>parent.__xss=5</script>"></iframe>',
    "{{7*7}} ${window.__xss=6} <b>bold?</b>",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def non_loopback_ip() -> str | None:
    """An address of this machine that is not loopback (to prove the server is not reachable on it)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))  # no packet is sent for UDP connect
            ip = s.getsockname()[0]
    except OSError:
        return None
    return None if ip.startswith("127.") else ip


def listening_addresses(port: int) -> set[str]:
    """IPv4/IPv6 addresses with a LISTEN socket on ``port``, from /proc/net/tcp{,6}."""
    out = set()
    for name in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/net/{name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.split(":")
            if int(p, 16) == port and state == "0A":
                if name == "tcp":
                    out.add(socket.inet_ntoa(bytes.fromhex(addr)[::-1]))
                else:
                    out.add("::" if int(addr, 16) == 0 else addr)
    return out


class Server:
    def __init__(self, home: Path, *args: str, env: dict | None = None, connect_host: str = "127.0.0.1"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        full_env = dict(os.environ, WORKBENCH_HOME=str(home), GRADIO_ANALYTICS_ENABLED="False",
                        HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
        full_env.pop("WORKBENCH_AUTH", None)
        full_env.update(env or {})
        self.log = home / f"server-{self.port}.log"
        self._log = open(self.log, "w")
        self.proc = subprocess.Popen([sys.executable, str(APP), "--port", str(self.port), *args], cwd=ROOT,
                                     env=full_env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"app.py exited {self.proc.returncode}: {self.log.read_text()[-3000:]}")
            try:
                with socket.create_connection((connect_host, self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            self.stop()
            raise AssertionError(f"app.py did not start: {self.log.read_text()[-3000:]}")

    def output(self) -> str:
        self._log.flush()
        return self.log.read_text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._log.close()


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----wbhardening7d1f"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# ------------------------------------------------------------------------------------------------ fixtures


def _hostile_project(home: Path) -> Path:
    from workbench.core.store import Project

    folder = home / "projects"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.db"
    sentences = [(i, f"Payload {i}: {p}") for i, p in enumerate(XSS)]
    with Project.create(path, '<img src=x onerror="window.__xss=7">', "en", ["ru", "km"]) as p:
        p.add_document('<script>window.__xss=8</script> title', sentences, text="\n".join(s for _, s in sentences),
                       origin='<img src=x onerror="window.__xss=9">.txt', format="txt",
                       byline='<img src=x onerror="window.__xss=10">')
        for seg in p.segments():
            p.set_translation(seg.id, "ru", f"Перевод {seg.id}: {XSS[seg.id % len(XSS)]}", status="draft",
                              origin="mt", author='<img src=x onerror="window.__xss=11">',
                              meta={"mt": {"model": "<script>window.__xss=12</script>", "flags": ["<b>x</b>"]}})
    return path


def _hostile_tm(home: Path) -> None:
    from workbench.tm.memory import TranslationMemory

    from . import hostile

    tmx = home / "hostile.tmx"
    tmx.write_text(hostile.TMX_HEAD + hostile.TMX_OPEN + "".join(
        hostile.tu(f"Payload {i}: {p}".replace("&", "&amp;").replace("<", "&lt;"),
                   f"TM {p}".replace("&", "&amp;").replace("<", "&lt;")) for i, p in enumerate(XSS))
        + hostile.TMX_CLOSE, encoding="utf-8")
    tm = TranslationMemory.open(home / "tm.db")
    tm.import_tmx(tmx)
    getattr(tm, "close", lambda: None)()


def _hostile_glossary(home: Path) -> Path:
    """A glossary whose term for 'Payload' and whose definition carry markup (CSV written by hand)."""
    import csv

    header = ["id", "domain", "pos", "definition"]
    for lang in ("en", "ru", "km"):
        header += [lang] + [f"{lang}_{f}" for f in ("status", "case", "review", "source", "note")]
    row = ["payload", "<b>dom</b>", "noun", '<img src=x onerror="window.__xss=13"> definition',
           "Payload", "preferred", "", "", "<script>window.__xss=14</script>", "",
           '<img src=x onerror="window.__xss=15">', "preferred", "", "", "", '<svg onload="window.__xss=16">',
           "<script>window.__xss=17</script>", "preferred", "", "", "", ""]
    path = home / "hostile-glossary.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerow(row)
    return path


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("webhome")


@pytest.fixture(scope="module")
def plain_server(home):
    """The editor as a translator starts it: no --host, no --auth; a project full of markup payloads."""
    path = _hostile_project(home)
    _hostile_tm(home)
    srv = Server(home, "--project", str(path), env={"WORKBENCH_GLOSSARY": str(_hostile_glossary(home))})
    yield srv
    srv.stop()


# ------------------------------------------------------------------------------------------------ binding


def test_binds_loopback_only_by_default(plain_server):
    addrs = listening_addresses(plain_server.port)
    assert addrs == {"127.0.0.1"}, addrs
    status, _ = http(plain_server.url)
    assert status == 200
    ip = non_loopback_ip()
    if ip:
        with pytest.raises(OSError):
            socket.create_connection((ip, plain_server.port), timeout=2).close()


def test_host_flag_with_auth_exposes_and_requires_login(home):
    srv = Server(home, "--host", "0.0.0.0", "--auth", "alice:s3cret pass")
    try:
        assert "0.0.0.0" in listening_addresses(srv.port)
        _check_login_required(srv, "alice", "s3cret pass")
        assert "warning" not in srv.output().lower()
    finally:
        srv.stop()


def test_auth_from_environment_variable(home):
    srv = Server(home, env={"WORKBENCH_AUTH": "bob:pa:ss"})  # the password may contain ':'
    try:
        assert listening_addresses(srv.port) == {"127.0.0.1"}
        _check_login_required(srv, "bob", "pa:ss")
    finally:
        srv.stop()


def test_exposed_without_login_warns(home):
    srv = Server(home, "--host", "0.0.0.0")
    try:
        out = srv.output()
        assert "warning" in out.lower() and "--auth" in out
    finally:
        srv.stop()


def test_malformed_auth_is_a_one_line_error(home):
    out = subprocess.run([sys.executable, str(APP), "--auth", "nopassword", "--port", str(free_port())], cwd=ROOT,
                         env=dict(os.environ, WORKBENCH_HOME=str(home)), capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "user:password" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def _check_login_required(srv: Server, user: str, password: str) -> None:
    from gradio_client import Client

    # without logging in: no config, no API, no uploads
    for path in ("config", "gradio_api/info", "gradio_api/call/segments"):
        status, body = http(srv.url + path, data=b'{"data": ["x"]}' if "call" in path else None,
                            headers={"Content-Type": "application/json"})
        assert status in (401, 403), (path, status, body[:200])
    body, ctype = multipart("files", "x.txt", b"hello")
    status, _ = http(srv.url + "gradio_api/upload", data=body, headers={"Content-Type": ctype})
    assert status in (401, 403)
    with pytest.raises(ValueError, match="Could not login"):  # gradio_client's refusal (AuthenticationError or not)
        Client(srv.url, verbose=False, auth=(user, password + "-wrong"))
    client = Client(srv.url, verbose=False, auth=(user, password))
    projects = client.predict(api_name="/list_projects")
    assert isinstance(projects, list)


# ------------------------------------------------------------------------------------------------ uploads


def test_upload_size_is_limited(plain_server):
    """A 30 MB upload (limit 20 MB) is refused: HTTP 413, or the connection is cut before the body is read;
    either way the file is not stored in the upload cache."""
    import http.client as httpclient
    import tempfile
    import uuid

    name = f"big-{uuid.uuid4().hex}.txt"
    body, ctype = multipart("files", name, b"A" * (30 * 1024 * 1024))
    conn = httpclient.HTTPConnection("127.0.0.1", plain_server.port, timeout=120)
    status = None
    try:
        conn.request("POST", "/gradio_api/upload", body=body, headers={"Content-Type": ctype})
        status = conn.getresponse().status
    except (ConnectionResetError, BrokenPipeError):
        try:
            status = conn.getresponse().status
        except (httpclient.HTTPException, OSError):  # the server closed the connection without an answer
            status = None
    finally:
        conn.close()
    assert status in (413, None), status
    cache = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")
    assert not list(cache.glob(f"*/{name}")), "the oversized upload was stored"
    # a small upload still works (the limit is not 'no uploads at all')
    small, ctype = multipart("files", "small.txt", b"The Minister met the envoy.")
    assert http(plain_server.url + "gradio_api/upload", data=small, headers={"Content-Type": ctype})[0] == 200


def test_upload_file_names_are_never_used_as_paths(plain_server, home):
    from gradio_client import Client, handle_file

    evil_names = ["../../../../tmp/wb-pwned.txt", "..\\..\\wb-pwned2.txt", "/etc/wb-pwned3.txt"]
    for name in evil_names:
        body, ctype = multipart("files", name, b"The Minister met the envoy. They discussed trade.")
        status, text = http(plain_server.url + "gradio_api/upload", data=body, headers={"Content-Type": ctype})
        assert status == 200, text
        stored = __import__("json").loads(text)[0]
        # Gradio keeps uploads in its own cache under a random folder, with the name reduced to a basename
        assert ".." not in Path(stored).parts and Path(stored).name in ("wb-pwned.txt", "wb-pwned2.txt",
                                                                          "..__..__wb-pwned2.txt", "wb-pwned3.txt") \
            or "pwned" in Path(stored).name
    for p in (Path("/tmp/wb-pwned.txt"), Path("/etc/wb-pwned3.txt"), ROOT.parent / "wb-pwned2.txt"):
        assert not p.exists()
    # creating a project from a file whose name is a path: the project lands in the projects folder
    client = Client(plain_server.url, verbose=False)
    src = home / "evil-upload"
    src.mkdir(exist_ok=True)
    f = src / "....__etc__passwd.txt"
    f.write_text("The Minister met the envoy. They discussed trade.", encoding="utf-8")
    before = set((home / "projects").iterdir())
    try:
        client.predict("../../../../tmp/wb-pwned-project", "The Minister met the envoy.", "txt", "ru",
                       api_name="/create_project")
    except Exception as exc:  # a one-line refusal is fine too
        assert "\n" not in str(exc)
    created = set((home / "projects").iterdir()) - before
    assert not Path("/tmp/wb-pwned-project.db").exists()
    for p in created:
        assert p.parent == home / "projects" and ".." not in p.name
    _ = handle_file  # (browser upload path is covered by the UI's own tests)


@pytest.mark.parametrize("upload_name,content", [
    ("cable.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"),
    ("cable.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4),   # a binary disguised as text
    ("cable.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
    ("cable.html", b"\xff\xfe" + "<p>Посол</p>\x00\x00\x00".encode("utf-16-le")),  # NULs: not text
    ("../../cable.docx", b"PK\x03\x04" + b"\x00" * 64),
])
def test_uploaded_files_are_checked_by_type_and_content_on_the_server(tmp_path, upload_name, content):
    """What the editor's upload handler calls (Workspace.create): wrong type or content -> one-line error,
    no project file left behind; the upload's name is only a label."""
    from workbench.core.errors import WorkbenchError
    from workbench.ui.model import Workspace

    folder = tmp_path / "projects"
    ws = Workspace(folder)
    stored = tmp_path / "gradio-cache" / "f0e1" / Path(upload_name).name
    stored.parent.mkdir(parents=True)
    stored.write_bytes(content)
    with pytest.raises(WorkbenchError) as info:
        ws.create("", file=str(stored), upload_name=upload_name, targets=["ru"])
    assert "\n" not in str(info.value)
    assert list(folder.iterdir()) == []


# ------------------------------------------------------------------------------------------------ injection


@pytest.mark.browser
def test_no_html_or_js_injection_in_the_editor(browser, plain_server):
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(plain_server.url)
    page.wait_for_selector(".wb-row", timeout=60_000)
    # the payloads are shown as literal text
    expect(page.locator(".wb-src", has_text="<script>window.__xss=2</script>").first).to_be_visible()
    # open every segment, so its boxes and the panel (history, TM, glossary, QA, notes) render their data too
    for i in range(len(XSS)):
        page.locator(".wb-row .wb-src", has_text=f"Payload {i}:").first.click()
        expect(page.locator(".wb-row.active .wb-src")).to_contain_text(f"Payload {i}:", timeout=15_000)
        expect(page.locator(".wb-panel .wb-phead")).to_contain_text("Segment id ", timeout=15_000)
        page.wait_for_timeout(400)
    # the glossary's markup term is shown for 'Payload' (as text)
    page.locator(".wb-row .wb-src", has_text="Payload 0:").first.click()
    page.wait_for_timeout(1500)
    body = page.locator("body").inner_text()
    assert 'onerror="window.__xss=15"' in body or "window.__xss=15" in body, "glossary panel not shown"
    # visit every tab, so each renders the hostile project, TM and glossary
    tabs = page.locator("button[role=tab]")
    names = [t.inner_text().strip() for t in tabs.all()]
    assert {"Projects", "Editor", "Glossary", "Export", "Alignment"} <= set(names), names
    for tab in tabs.all():
        tab.click(timeout=10_000)
        expect(tab).to_have_attribute("aria-selected", "true")
        page.wait_for_timeout(300)
    page.wait_for_timeout(1000)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("parent.__xss") is None
    assert not dialogs
    # no element created from data: payload tags must not exist in the DOM
    injected = page.evaluate("""() => [...document.querySelectorAll('img[src="x"], iframe[srcdoc], svg[onload]')]
                                  .map(e => e.outerHTML)""")
    assert injected == []
    ctx.close()
