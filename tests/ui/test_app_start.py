"""``python app.py``: first run creates the seed project and serves it; bad --project is a one-line error."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_bad_project_is_one_line_error(tmp_path):
    missing = tmp_path / "missing.db"
    r = subprocess.run([sys.executable, "app.py", "--project", str(missing)], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, env={**os.environ, "WORKBENCH_HOME": str(tmp_path / "home")})
    assert r.returncode == 2
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and str(missing) in lines[0] and "Traceback" not in r.stderr


@pytest.mark.slow
def test_first_run_opens_the_seed_article(tmp_path):
    from gradio_client import Client

    home = tmp_path / "home"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "WORKBENCH_HOME": str(home), "GRADIO_ANALYTICS_ENABLED": "False"})
    try:
        client = None
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            try:
                client = Client(f"http://127.0.0.1:{port}/", verbose=False)
                break
            except Exception:
                time.sleep(1)
        assert client is not None, proc.stdout.read() if proc.poll() is not None else "server did not start"
        projects = client.predict(api_name="/list_projects")
        assert len(projects) == 1 and projects[0]["languages"] == ["ru", "km"]
        assert (home / "projects" / projects[0]["file"]).is_file()
        segs = client.predict(projects[0]["name"], api_name="/segments")
        sources = [s["source"] for s in segs]
        assert any("Russia, Cambodia and ASEAN" in s for s in sources)
        assert len(segs) > 20
        assert all(s["translations"]["ru"]["status"] == "new" for s in segs)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_bad_auth_is_one_line_error(tmp_path):
    r = subprocess.run([sys.executable, "app.py", "--auth", "nopassword"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, env={**os.environ, "WORKBENCH_HOME": str(tmp_path / "home")})
    assert r.returncode == 2
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "user:password" in lines[0]


@pytest.mark.slow
def test_auth_protects_the_api(tmp_path):
    """With a login set, the API refuses anonymous clients and serves a logged-in one."""
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    from workbench.ui.app import build_app, launch

    from .conftest import make_project

    path = make_project(tmp_path / "projects")
    app = build_app(path, folder=tmp_path / "projects", tm_path=tmp_path / "tm.db")
    port = free_port()
    launch(app, port=port, prevent_thread_lock=True, quiet=True, auth=("ana", "s3cret-pass"))
    try:
        with pytest.raises(AuthenticationError, match="credentials were not provided"):
            Client(f"http://127.0.0.1:{port}/", verbose=False).predict(api_name="/list_projects")
        client = Client(f"http://127.0.0.1:{port}/", auth=("ana", "s3cret-pass"), verbose=False)
        assert [p["name"] for p in client.predict(api_name="/list_projects")] == ["fixture"]
    finally:
        app.close()
