"""Downloading a model: huggingface_hub's real download code against a local stand-in for the Hub.

huggingface_hub reads ``HF_HUB_OFFLINE`` once, when it is imported (the test session sets it), so every
download runs in a fresh process with the Hub switched on and ``HF_ENDPOINT`` pointing at the local server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.mt.pull import hub_status
from workbench.mt.registry import get_model

ROOT = Path(__file__).resolve().parents[2]
BEST_RU = "Helsinki-NLP/opus-mt-tc-big-en-zle"


def online_env(hub) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    env["HF_ENDPOINT"] = hub.url
    return env


def run_py(code: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_pull_from_a_hub_endpoint(fake_hub, tiny_marian, workbench_home):
    hub = fake_hub({BEST_RU: tiny_marian})
    r = subprocess.run([sys.executable, "-m", "workbench", "models", "pull", BEST_RU], cwd=ROOT, env=online_env(hub),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    entry = get_model(BEST_RU)
    assert entry.installed and entry.revision == hub.sha(BEST_RU)
    assert entry.model_dir.parent == workbench_home / "models"
    got = sorted(p.name for p in entry.model_dir.iterdir())
    assert got == sorted(p.name for p in tiny_marian.iterdir())
    assert not (entry.model_dir / ".cache").exists()
    assert (entry.model_dir / "model.safetensors").read_bytes() == (tiny_marian / "model.safetensors").read_bytes()
    fetched = {p.rsplit("/", 1)[-1] for m, p, _ in hub.requests if m == "GET" and "/resolve/" in p}
    assert "model.safetensors" in fetched and "config.json" in fetched
    # the same files again: nothing is downloaded twice
    n = len(hub.requests)
    r = subprocess.run([sys.executable, "-m", "workbench", "models", "pull", BEST_RU], cwd=ROOT, env=online_env(hub),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert not [x for x in hub.requests[n:] if x[0] == "GET" and "/resolve/" in x[1]]


def test_pull_reports_bytes_and_resumes_after_a_cancel(fake_hub, tiny_marian, workbench_home):
    hub = fake_hub({BEST_RU: tiny_marian}, rate=400_000)
    total = sum(p.stat().st_size for p in tiny_marian.iterdir() if p.is_file())
    code = f"""
import json
from workbench.core.jobs import Cancelled
from workbench.mt.pull import pull
seen = []
def progress(done, total):
    seen.append([done, total])
    if {{stop}} and done > 700_000:
        raise Cancelled("stopped")
try:
    pull({BEST_RU!r}, progress=progress)
    print(json.dumps(["done", seen]))
except Cancelled as exc:
    print(json.dumps(["cancelled", seen]))
"""
    r = run_py(code.replace("{stop}", "True"), online_env(hub))
    assert r.returncode == 0, r.stderr
    state, seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert state == "cancelled" and seen[-1][0] > 700_000 and {t for _, t in seen} == {total}
    assert not get_model(BEST_RU).installed
    r = run_py(code.replace("{stop}", "False"), online_env(hub))
    assert r.returncode == 0, r.stderr
    state, seen = json.loads(r.stdout.strip().splitlines()[-1])
    assert state == "done" and seen[-1] == [total, total]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    # resumed: the weights were asked for from where the cancelled download stopped
    assert any(m == "GET" and p.endswith("model.safetensors") and rng.startswith("bytes=") and rng != "bytes=0-"
               for m, p, rng in hub.requests), hub.requests
    assert get_model(BEST_RU).installed


def test_hub_status_says_why_within_five_seconds(fake_hub, tiny_marian, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    st = hub_status()
    assert not st.online and "HF_HUB_OFFLINE" in st.reason
    monkeypatch.setenv("HF_HUB_OFFLINE", "")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "")
    for url, why in (("http://127.0.0.1:9", "cannot be reached"), ("http://no-such-host.invalid", "cannot be reached")):
        monkeypatch.setenv("HF_ENDPOINT", url)
        t = time.monotonic()
        st = hub_status()
        assert not st.online and why in st.reason and time.monotonic() - t < 5, st
    other = fake_hub({"someone/else": tiny_marian})  # answers, but has not got the registered models
    monkeypatch.setenv("HF_ENDPOINT", other.url)
    st = hub_status()
    assert not st.online and "HTTP 404" in st.reason
    hub = fake_hub({BEST_RU: tiny_marian})
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    assert hub_status().online


@pytest.mark.parametrize("missing", ["HF_HUB_OFFLINE", "unreachable"])
def test_pull_offline_is_one_line_with_the_way_in(missing, workbench_home):
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    if missing == "HF_HUB_OFFLINE":
        env["HF_HUB_OFFLINE"] = "1"
    else:
        env["HF_ENDPOINT"] = "http://127.0.0.1:9"
    r = subprocess.run([sys.executable, "-m", "workbench", "models", "pull", BEST_RU], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    line = r.stderr.strip()
    assert "\n" not in line and "hf download " + BEST_RU in line and f"workbench models import {BEST_RU} DIR" in line
