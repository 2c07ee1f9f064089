"""Named users against the real app.py server (subprocess), over HTTP and in a real Chromium: the login page,
roles, throttling, logout, and the Host/Origin rules of the web security layer.

One server for the module, started as a team would start it behind a reverse proxy: users in the data
directory, ``--allowed-host editor.lan --public-url https://translate.example.org``. uvicorn trusts
``X-Forwarded-For``/``X-Forwarded-Proto`` from 127.0.0.1 (a local proxy), so each test speaks from its own
client address and the throttle of one test does not lock out another.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from lxml import etree

from tests.plugins.browser import CHROMIUM, CHROMIUM_ARGS
from workbench.core.store import Project
from workbench.core.users import UserStore
from workbench.export.project import export_project

from .test_web_security import ROOT, Server, free_port

pytestmark = [pytest.mark.slow]

USERS = {"anna": ("admin", "anna-admin-pw"), "olga": ("reviewer", "olga-review-pw"),
         "rita": ("translator", "rita-transl-pw"), "tina": ("translator", "tina-transl-pw"),
         "zoe": ("translator", "zoe-transl-pw"), "vera": ("translator", "vera-transl-pw")}
SENTENCES = [(0, "The Minister met the envoy."), (0, "They discussed trade."), (1, "The talks were frank."),
             (1, "A joint statement followed.")]
PUBLIC = "https://translate.example.org"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """The server, its data directory and its project file."""
    import shutil

    from workbench.core.config import GLOSSARY_DIR

    home = tmp_path_factory.mktemp("teamhome")
    folder = home / "projects"
    folder.mkdir()
    path = folder / "visit.db"
    with Project.create(path, "visit", "en", ["ru", "km"]) as p:
        p.add_document("Visit", SENTENCES, text="\n".join(s for _, s in SENTENCES), format="txt")
    with UserStore.open(home / "users.db") as store:
        for name, (role, pw) in USERS.items():
            store.add(name, pw, role)
    glossary = home / "glossary.csv"
    shutil.copy(GLOSSARY_DIR / "diplomatic.csv", glossary)
    srv = Server(home, "--project", str(path), "--allowed-host", "editor.lan", "--public-url", PUBLIC,
                 env={"WORKBENCH_GLOSSARY": str(glossary)})
    srv.home, srv.path, srv.glossary = home, path, glossary
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    """Chromium that resolves evil.test and rebind.test to this machine (a foreign site, and DNS rebinding)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_ARGS, "--host-resolver-rules=MAP evil.test 127.0.0.1, MAP rebind.test 127.0.0.1"])
        try:
            yield b
        finally:
            b.close()


def request(srv, path, *, data=None, headers=None, method=None, cookie=None, client="10.0.0.1"):
    """(status, headers, body) of one request to the server, from client address ``client``."""
    import urllib.error
    import urllib.parse
    import urllib.request

    h = {"X-Forwarded-For": client, **(headers or {})}
    if cookie:
        h["Cookie"] = cookie
    if isinstance(data, dict):
        data = urllib.parse.urlencode(data).encode()
    req = urllib.request.Request(srv.url.rstrip("/") + path, data=data, headers=h, method=method)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=60) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")


def login(srv, name, password=None, client="10.0.0.1", headers=None) -> str:
    """Log in through POST /login as gradio_client does; returns the session cookie ('name=token')."""
    status, h, body = request(srv, "/login", data={"username": name, "password": password or USERS[name][1]},
                              client=client, headers=headers)
    assert status == 200, (status, body)
    return h["Set-Cookie"].split(";")[0]


def call(srv, api, data, cookie, *, origin=None, client="10.0.0.1"):
    """POST /gradio_api/call/API (the public API) and read its result; (status, result or error)."""
    headers = {"Content-Type": "application/json"}
    if origin:
        headers["Origin"] = origin
    status, h, body = request(srv, f"/gradio_api/call/{api}", data=json.dumps({"data": data}).encode(),
                              headers=headers, cookie=cookie, client=client)
    if status != 200:
        return status, body
    event = json.loads(body)["event_id"]
    status, h, body = request(srv, f"/gradio_api/call/{api}/{event}", cookie=cookie, client=client)
    last = [l for l in body.splitlines() if l.startswith(("event:", "data:"))]
    return status, "\n".join(last)


def ru(srv, seg_index=0):
    with Project.open(srv.path) as p:
        seg = p.segments()[seg_index]
        return seg.id, p.translation(seg.id, "ru")


# ------------------------------------------------------------------------------------------------ HTTP


def test_nothing_without_a_session_but_the_login_page(team):
    status, h, _ = request(team, "/", headers={"Accept": "text/html"})
    assert status == 303 and h["Location"] == "/login"
    status, h, body = request(team, "/login")
    assert status == 200 and 'name="password"' in body and "text/html" in h["Content-Type"]
    for path, data in (("/config", None), ("/gradio_api/info", None), ("/gradio_api/call/list_projects", b"{}"),
                       ("/gradio_api/upload", b"x"), (f"/gradio_api/file={team.path}", None),
                       ("/gradio_api/queue/join", b"{}"), ("/", None)):
        status, _, body = request(team, path, data=data, headers={"Content-Type": "application/json"})
        assert status == 401, (path, status, body[:200])
    assert "visit" not in request(team, "/config")[2]


def test_login_cookie_is_http_only_and_same_site(team):
    status, h, body = request(team, "/login", data={"username": "rita", "password": USERS["rita"][1]})
    assert status == 200 and json.loads(body) == {"success": True, "user": "rita", "role": "translator"}
    cookies = h.get_all("Set-Cookie")
    assert len(cookies) == 1
    attrs = [a.strip().lower() for a in cookies[0].split(";")]
    assert "httponly" in attrs and "samesite=lax" in attrs and "path=/" in attrs
    # a form login (the login page) is redirected to the editor
    status, h, _ = request(team, "/login", data={"username": "rita", "password": USERS["rita"][1]},
                           headers={"Accept": "text/html"})
    assert status == 303 and h["Location"] == "/"
    # through the HTTPS proxy (X-Forwarded-Proto https) the cookie is Secure as well
    status, h, _ = request(team, "/login", data={"username": "rita", "password": USERS["rita"][1]},
                           headers={"Host": "translate.example.org", "X-Forwarded-Proto": "https",
                                    "Origin": PUBLIC})
    assert status == 200 and "secure" in [a.strip().lower() for a in h["Set-Cookie"].split(";")]
    # every cookie the app sets is SameSite=Lax: none is SameSite=None
    cookie = login(team, "rita")
    for path in ("/", "/config", "/gradio_api/info"):
        _, h, _ = request(team, path, cookie=cookie)
        for c in h.get_all("Set-Cookie") or []:
            assert "samesite=none" not in c.lower() and "samesite=" in c.lower(), c


def test_only_the_allowed_host_names_are_served(team):
    cookie = login(team, "anna")
    for host in ("evil.test", f"evil.test:{team.port}", "127.0.0.1.nip.io", "10.1.2.3", "localhost.evil.test", ""):
        status, _, body = request(team, "/config", headers={"Host": host}, cookie=cookie)
        assert status in (400, 421), (host, status)
        assert "visit" not in body
        status, _, _ = request(team, "/login", data={"username": "anna", "password": USERS["anna"][1]},
                               headers={"Host": host})
        assert status in (400, 421), host
    for host in (f"127.0.0.1:{team.port}", f"localhost:{team.port}", "editor.lan", "EDITOR.lan:443",
                 "translate.example.org"):
        status, _, body = request(team, "/config", headers={"Host": host}, cookie=cookie)
        assert status == 200 and "visit" in body, (host, status)


def test_foreign_origins_are_refused_and_never_echoed(team):
    cookie = login(team, "anna")
    sid, before = ru(team)
    data = ["visit", sid, "ru", "Текст с чужого сайта.", before.version, "", "attacker"]
    for origin in ("http://evil.test", f"http://localhost:{team.port + 1}", f"http://localhost:{team.port}",
                   "null", PUBLIC.replace("https", "http"), "https://translate.example.org.evil.test"):
        status, body = call(team, "save", data, cookie, origin=origin)
        assert status == 403, (origin, status, body)
        for host in (f"127.0.0.1:{team.port}", "editor.lan", "translate.example.org"):  # Gradio alone echoes
            if origin == f"http://{host}":
                continue  # that is the same origin (the page was opened over plain HTTP)
            status, h, body = request(team, "/config", cookie=cookie, headers={"Origin": origin, "Host": host})
            assert status == 403 and "access-control-allow-origin" not in {k.lower() for k in h}, (origin, host)
        status, h, _ = request(team, "/gradio_api/call/save", method="OPTIONS", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert status == 403 and "access-control-allow-origin" not in {k.lower() for k in h}, origin
    # no Origin, but the browser says the request comes from another site
    status, _, _ = request(team, "/gradio_api/call/save", data=json.dumps({"data": data}).encode(), cookie=cookie,
                           headers={"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"})
    assert status == 403
    assert ru(team)[1].version == before.version  # nothing was saved
    # the editor's own origin (direct, or the public HTTPS address through the proxy) may act
    status, body = call(team, "save", data[:5] + ["", ""], cookie, origin=f"http://127.0.0.1:{team.port}")
    assert status == 200 and "complete" in body, body
    tr = ru(team)[1]
    assert tr.text == "Текст с чужого сайта." and tr.updated_by == "anna"  # the login, not the 'author' sent
    proxied = {"Host": "translate.example.org", "X-Forwarded-Proto": "https", "Origin": PUBLIC}
    status, _, body = request(team, "/config", cookie=cookie, headers=proxied)
    assert status == 200 and "visit" in body


def test_api_changes_are_made_as_the_logged_in_user_with_their_role(team):
    from gradio_client import Client

    c = Client(team.url, auth=("rita", USERS["rita"][1]), verbose=False)
    seg = c.predict("visit", api_name="/segments")[1]
    tr = c.predict("visit", seg["id"], "ru", "Они обсудили торговлю.", seg["translations"]["ru"]["version"],
                   "somebody-else", api_name="/confirm")["translation"]
    assert tr["updated_by"] == "rita" and tr["status"] == "translated"
    with pytest.raises(Exception, match="a translator may set new, draft, translated, not reviewed"):
        c.predict("visit", seg["id"], "ru", tr["text"], tr["version"], "reviewed", api_name="/save")
    with pytest.raises(Exception, match="only admins may create projects"):
        c.predict("new one", "The Minister met the envoy.", "txt", "ru", api_name="/create_project")
    olga = Client(team.url, auth=("olga", USERS["olga"][1]), verbose=False)
    tr = olga.predict("visit", seg["id"], "ru", tr["text"], tr["version"], "reviewed", api_name="/save")
    assert tr["status"] == "reviewed" and tr["updated_by"] == "olga"
    with pytest.raises(Exception, match="is reviewed: only reviewers and admins may change it"):
        c.predict("visit", seg["id"], "ru", "Правка переводчика.", tr["version"], api_name="/save")


def test_throttling_per_user_and_per_address(team):
    # per user: 10 failures for tina from one address lock tina everywhere, even with the right password
    for _ in range(10):
        status, _, body = request(team, "/login", data={"username": "tina", "password": "guess"}, client="10.9.0.1")
        assert status == 401 and "Wrong name or password" in body
    status, h, body = request(team, "/login", data={"username": "tina", "password": USERS["tina"][1]},
                              client="10.9.0.1")
    assert status == 429 and "Too many failed logins" in body and 250 <= int(h["Retry-After"]) <= 300
    status, _, _ = request(team, "/login", data={"username": "TINA", "password": USERS["tina"][1]},
                           client="10.9.0.99")
    assert status == 429
    # per address: 10 failures with different names from one address lock that address for everyone
    for k in range(10):
        assert request(team, "/login", data={"username": f"guess{k}", "password": "x"}, client="10.9.0.2")[0] == 401
    assert request(team, "/login", data={"username": "olga", "password": USERS["olga"][1]},
                   client="10.9.0.2")[0] == 429
    login(team, "olga", client="10.9.0.3")  # another address, another name: not affected


def test_logout_is_a_post_and_ends_only_the_callers_session(team):
    a, b = login(team, "rita", client="10.5.0.1"), login(team, "rita", client="10.5.0.2")
    c = login(team, "anna", client="10.5.0.3")
    status, h, _ = request(team, "/logout", cookie=a)
    assert status == 405 and h["Allow"] == "POST"
    assert request(team, "/config", cookie=a)[0] == 200  # GET did nothing
    status, _, _ = request(team, "/logout", method="POST", cookie=a, headers={"Origin": "http://evil.test"})
    assert status == 403 and request(team, "/config", cookie=a)[0] == 200  # no logout from another site
    status, h, _ = request(team, "/logout", method="POST", cookie=a, data=b"",
                           headers={"Origin": f"http://127.0.0.1:{team.port}"})
    assert status == 200 and "Max-Age=0" in h["Set-Cookie"]
    assert request(team, "/config", cookie=a)[0] == 401
    assert request(team, "/config", cookie=b)[0] == 200 and request(team, "/config", cookie=c)[0] == 200


def test_new_password_or_removal_ends_sessions_of_a_running_editor(team):
    cookie = login(team, "vera")
    assert request(team, "/config", cookie=cookie)[0] == 200
    env = {**os.environ, "WORKBENCH_HOME": str(team.home), "WORKBENCH_PASSWORD": "vera-new-password"}
    r = subprocess.run([sys.executable, "-m", "workbench", "users", "passwd", "vera"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert request(team, "/config", cookie=cookie)[0] == 401
    cookie = login(team, "vera", "vera-new-password")
    assert request(team, "/config", cookie=cookie)[0] == 200
    r = subprocess.run([sys.executable, "-m", "workbench", "users", "remove", "vera"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert request(team, "/config", cookie=cookie)[0] == 401


# ------------------------------------------------------------------------------------------------ Chromium


def new_page(browser, client: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, extra_http_headers={"X-Forwarded-For": client})
    return ctx, ctx.new_page()


def browser_login(page, srv, name, password=None):
    from playwright.sync_api import expect

    page.goto(srv.url)
    expect(page.locator("#login-form")).to_be_visible(timeout=30_000)
    page.locator("#username").fill(name)
    page.locator("#password").fill(password or USERS[name][1])
    page.locator("#login-submit").click()


def wait_editor(page):
    page.wait_for_selector(".wb-row", timeout=60_000)


def open_segment(page, text, seg_id):
    from playwright.sync_api import expect

    page.locator(".wb-row .wb-src", has_text=text).first.click()
    expect(page.locator(f".wb-row.active[data-seg='{seg_id}'] textarea").first).to_be_visible(timeout=15_000)


def glossary_request(page, srv, data: dict) -> dict:
    """One request of the Glossary tab's browser code, sent with the page's login (as that code would)."""
    config = page.request.get(srv.url + "config").json()
    cid = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "glossary-desk")
    r = page.request.post(srv.url + "gradio_api/component_server",
                          data={"data": data, "component_id": cid, "session_hash": "t", "fn_name": "gloss"})
    return r.json()


def status_options(page, lang="ru") -> list[str]:
    """The statuses the active row's status list offers for ``lang``."""
    sel = page.locator(f".wb-row.active .wb-tgt[data-lang='{lang}'] select.wb-status")
    return [o.strip() for o in sel.locator("option").all_inner_texts()]


@pytest.mark.browser
def test_translator_in_the_browser_login_roles_and_attribution(browser, team):
    from playwright.sync_api import expect

    ctx, page = new_page(browser, "10.7.0.1")
    try:
        browser_login(page, team, "rita", "not her password")
        expect(page.locator("#login-error")).to_have_text("Wrong name or password.", timeout=15_000)
        expect(page.locator("#username")).to_have_value("rita")
        browser_login(page, team, "rita")
        wait_editor(page)
        expect(page.locator("#wb-who")).to_contain_text("rita (translator)")
        # the free-text name is gone: the login is the author
        page.get_by_role("tab", name="Projects").click()
        expect(page.locator("#author")).to_be_hidden()
        page.get_by_role("tab", name="Editor").click()
        sid, _ = ru(team, 2)
        open_segment(page, "The talks were frank.", sid)
        assert status_options(page) == ["new", "draft", "translated"]
        box = page.locator(".wb-row.active .wb-tgt[data-lang='ru'] textarea")
        box.fill("Переговоры были откровенными.")
        page.keyboard.press("Control+Enter")
        expect(page.locator(f".wb-row[data-seg='{sid}'] .wb-rowmsg")).to_contain_text("RU confirmed by rita",
                                                                                     timeout=15_000)
        # the glossary is for reviewers and admins: the form is read-only, and the server refuses a save anyway
        page.get_by_role("tab", name="Glossary").click()
        expect(page.locator("#g-table tr[data-id]").first).to_be_visible(timeout=15_000)
        expect(page.locator("#g-save")).to_be_disabled()
        expect(page.locator(".g-note")).to_have_text("Only reviewers and admins may edit the glossary.")
        before = team.glossary.read_bytes()
        refused = glossary_request(page, team, {"action": "save", "concept": {
            "new": True, "id": "frank-talks", "terms": [{"lang": "en", "text": "frank talks", "status": "preferred"},
                                                        {"lang": "ru", "text": "откровенные переговоры",
                                                         "status": "preferred"}]}})
        assert "only reviewers and admins may edit the glossary" in refused["error"], refused
        assert team.glossary.read_bytes() == before
        # new projects are for admins
        page.get_by_role("tab", name="Projects").click()
        page.locator("#new-text textarea").fill("The Minister met the envoy.")
        page.locator("#new-go").click()
        expect(page.locator("#wb-msg")).to_contain_text("only admins may create projects", timeout=15_000)
        assert sorted(p.name for p in (team.home / "projects").iterdir() if p.suffix == ".db") == ["visit.db"]
    finally:
        ctx.close()
    # the login is what the history, the TM and the export record
    with Project.open(team.path) as p:
        tr = p.translation(sid, "ru")
        assert (tr.status, tr.updated_by) == ("translated", "rita")
        assert [h.author for h in p.history(sid, "ru")] == ["rita"]
        out = team.home / "visit.tmx"
        export_project(p, out)
    tuv = next(t for t in etree.parse(str(out)).iter("tuv")
               if t.get(XML_LANG) == "ru" and t.findtext("seg") == "Переговоры были откровенными.")
    assert tuv.get("creationid") == "rita" and tuv.get("changeid") == "rita"
    import sqlite3

    con = sqlite3.connect(team.home / "tm.db")
    ids = con.execute("SELECT changeid FROM variant WHERE text = ?", ("Переговоры были откровенными.",)).fetchall()
    con.close()
    assert ids == [("rita",)]


@pytest.mark.browser
def test_reviewer_in_the_browser_reviews_and_edits_the_glossary(browser, team):
    from playwright.sync_api import expect

    from workbench.glossary import Glossary

    ctx, page = new_page(browser, "10.7.0.2")
    try:
        browser_login(page, team, "olga")
        wait_editor(page)
        expect(page.locator("#wb-who")).to_contain_text("olga (reviewer)")
        sid, _ = ru(team, 3)
        open_segment(page, "A joint statement followed.", sid)
        assert status_options(page) == ["new", "draft", "translated", "reviewed"]
        page.get_by_role("tab", name="Glossary").click()
        expect(page.locator("#g-table tr[data-id]").first).to_be_visible(timeout=15_000)
        page.locator("#g-new").click()
        page.locator("#g-id").fill("joint-statement-t")
        rows = page.locator(".g-terms .g-trow")
        rows.nth(0).locator(".g-text").fill("joint statement")
        rows.nth(1).locator(".g-text").fill("совместное заявление")
        page.locator("#g-save").click()
        expect(page.locator("#wb-msg")).to_contain_text("Added concept joint-statement-t", timeout=15_000)
        assert Glossary.load(team.glossary).get("joint-statement-t").preferred("ru").text == "совместное заявление"
    finally:
        ctx.close()


@pytest.mark.browser
def test_throttled_login_in_the_browser(browser, team):
    from playwright.sync_api import expect

    ctx, page = new_page(browser, "10.7.0.3")
    try:
        for _ in range(10):
            browser_login(page, team, "zoe", "wrong password")
            expect(page.locator("#login-error")).to_have_text("Wrong name or password.", timeout=15_000)
        browser_login(page, team, "zoe")  # the right password, refused for a while
        expect(page.locator("#login-error")).to_contain_text("Too many failed logins", timeout=15_000)
        expect(page.locator("#login-error")).to_contain_text("try again in 5 minutes")
        page.goto(team.url)
        expect(page.locator("#login-form")).to_be_visible()  # still not logged in
    finally:
        ctx.close()


@pytest.mark.browser
def test_log_out_in_the_browser_ends_only_that_session(browser, team):
    from playwright.sync_api import expect

    pages = []
    try:
        for client, name in (("10.7.1.1", "rita"), ("10.7.1.2", "rita"), ("10.7.1.3", "anna")):
            ctx, page = new_page(browser, client)
            pages.append((ctx, page))
            browser_login(page, team, name)
            wait_editor(page)
        (_, a), (_, b), (_, c) = pages
        a.locator("#wb-logout").click()
        expect(a.locator("#login-form")).to_be_visible(timeout=30_000)
        a.goto(team.url)
        expect(a.locator("#login-form")).to_be_visible(timeout=30_000)
        for other in (b, c):  # the same person in another browser, and someone else: still working
            other.reload()
            wait_editor(other)
    finally:
        for ctx, _ in pages:
            ctx.close()


@pytest.mark.browser
def test_another_site_cannot_use_the_editor_from_a_logged_in_browser(browser, team):
    """A page on http://evil.test (this machine, other port) tries, in a browser logged in to the editor, to
    read the project list and to save a translation with fetch(credentials: 'include'), and to post a form."""
    from playwright.sync_api import expect

    sid, before = ru(team, 0)
    target = team.url.rstrip("/")
    body = json.dumps({"data": ["visit", sid, "ru", "Взлом.", before.version, "", "x"]})
    page_html = f"""<!doctype html><html><body><script>
      window.results = {{}};
      fetch("{target}/gradio_api/call/list_projects", {{method: "POST", credentials: "include",
            headers: {{"Content-Type": "application/json"}}, body: '{{"data": []}}'}})
        .then(r => r.text()).then(t => window.results.list = t, e => window.results.list = "blocked: " + e);
      fetch("{target}/gradio_api/call/save", {{method: "POST", credentials: "include", mode: "no-cors",
            headers: {{"Content-Type": "text/plain"}}, body: {json.dumps(body)}}})
        .then(() => window.results.save = "sent", e => window.results.save = "blocked: " + e);
      fetch("{target}/config", {{credentials: "include"}})
        .then(r => r.text()).then(t => window.results.config = t, e => window.results.config = "blocked: " + e);
    </script><form id="f" method="post" action="{target}/logout"></form></body></html>"""

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            data = page_html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    ctx, page = new_page(browser, "10.7.2.1")
    try:
        browser_login(page, team, "anna")
        wait_editor(page)
        attacker = ctx.new_page()
        attacker.goto(f"http://evil.test:{evil.server_address[1]}/")
        attacker.wait_for_function("() => Object.keys(window.results).length === 3", timeout=30_000)
        results = attacker.evaluate("window.results")
        assert results["list"].startswith("blocked") and results["config"].startswith("blocked"), results
        assert "visit" not in json.dumps(results)
        attacker.evaluate("document.getElementById('f').submit()")  # a cross-site form POST: logout CSRF
        expect(attacker.locator("body")).to_contain_text("cross-site request refused", timeout=15_000)
        page.reload()
        wait_editor(page)  # still logged in
        assert ru(team, 0)[1].version == before.version  # nothing saved
        # DNS rebinding: a name that resolves to this machine is not served
        rebound = ctx.new_page()
        rebound.goto(f"http://rebind.test:{team.port}/")
        expect(rebound.locator("body")).to_contain_text("does not answer to the host name")
        assert "visit" not in rebound.content()
    finally:
        ctx.close()
        evil.shutdown()


def test_the_page_and_messages_show_names_as_text(team):
    """What a user types is shown back literally on the login page."""
    name = '<img src=x onerror="window.__x=1">'
    status, _, body = request(team, "/login", data={"username": name, "password": "x"},
                              headers={"Accept": "text/html"}, client="10.9.9.9")
    assert status == 401 and "<img src=x" not in body and "&lt;img src=x" in body
    assert re.search(r'id="login-error"[^>]*>Wrong name or password\.<', body)
