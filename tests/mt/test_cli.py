"""``workbench models ...`` and ``workbench translate`` as a user runs them (subprocess, real files)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.core.store import Project

from ..cli.terminal import run_on_terminal

ROOT = Path(__file__).resolve().parents[2]


def run(*args, env=None, timeout=300):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "workbench", *args], cwd=ROOT, capture_output=True, text=True,
                          env=e, timeout=timeout)


def _project(path: Path, sentences, langs=("ru", "km")) -> Path:
    with Project.create(path, "t", "en", list(langs)) as p:
        p.add_document("doc", list(enumerate(sentences)))
    return path


def test_translate_without_model_fails_at_once(tmp_path, workbench_home):
    db = _project(tmp_path / "a.db", ["Thank you very much."])
    t = time.monotonic()
    r = run("translate", str(db), "--to", "ru,km")
    elapsed = time.monotonic() - t
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert "workbench models pull" in lines[0] and "workbench models import" in lines[0]
    assert elapsed < 20  # no model load, no network wait (generous: the machine is shared)
    with Project.open(db) as p:
        assert p.segments()[0].translations["ru"].status == "new"


def test_pull_offline_fails_fast_with_import_hint(workbench_home):
    for env in ({"HF_HUB_OFFLINE": "1"}, {"HF_HUB_OFFLINE": "", "TRANSFORMERS_OFFLINE": "",
                                           "HF_ENDPOINT": "http://127.0.0.1:9"}):
        t = time.monotonic()
        r = run("models", "pull", "Helsinki-NLP/opus-mt-en-ru", env=env)
        assert r.returncode == 2, r.stderr
        assert time.monotonic() - t < 20
        assert len(r.stderr.strip().splitlines()) == 1
        assert "workbench models import Helsinki-NLP/opus-mt-en-ru DIR" in r.stderr


def test_bad_inputs_get_one_line(tmp_path, workbench_home):
    cases = [
        ("translate", str(tmp_path / "missing.db"), "--to", "ru"),
        ("translate", str(_project(tmp_path / "b.db", ["Hi."])), "--to", "xx"),
        ("translate", str(_project(tmp_path / "c.db", ["Hi."], ("ru",))), "--to", "km"),
        ("translate", str(tmp_path / "b.db"), "--beam", "0"),
        ("models", "import", "x", str(tmp_path)),
        ("models", "import", "x", str(tmp_path / "nope")),
        ("models", "convert", "Helsinki-NLP/opus-mt-en-ru"),
        ("models", "pull", "no-such-model"),
    ]
    for args in cases:
        r = run(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, (args, r.stderr)


def test_broken_user_registry_is_a_clear_error(workbench_home):
    (workbench_home / "models.toml").write_text("[[model]\nname = 'x'", encoding="utf-8")
    r = run("models", "list")
    assert r.returncode == 2 and "models.toml" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_import_list_convert_translate(tmp_path, tiny_marian, tiny_pairs, workbench_home):
    r = run("models", "list")
    assert r.returncode == 0 and "Helsinki-NLP/opus-mt-en-ru" in r.stdout
    r = run("models", "import", "tiny", str(tiny_marian), "--copy", "--default")
    assert r.returncode == 0, r.stderr
    assert ">>rus<<" in r.stderr and ">>khm<<" in r.stderr
    listed = [l for l in run("models", "list").stdout.splitlines() if l.startswith("tiny ")]
    assert len(listed) == 1 and "en-ru,en-km" in listed[0] and " yes " in listed[0] and " hf " in listed[0]

    src = [en for en, _ in tiny_pairs["km"] if "[" not in en]
    db = _project(tmp_path / "c.db", src)
    r = run("translate", str(db), "--to", "ru", "--backend", "hf", "--no-glossary")
    assert r.returncode == 0, r.stderr
    assert "ru: 5 of 5 translated (0 from cache)" in r.stderr
    with Project.open(db) as p:
        assert [s.translations["ru"].text for s in p.segments()] == [dict(tiny_pairs["ru"])[s] for s in src]
        assert all(s.translations["km"].status == "new" for s in p.segments())

    r = run("models", "convert", "tiny")
    assert r.returncode == 0, r.stderr
    listed = [l for l in run("models", "list").stdout.splitlines() if l.startswith("tiny ")]
    assert " hf+ct2 " in listed[0]
    r = run("translate", str(db), "--to", "ru,km", "--no-glossary")  # auto -> ct2 now; ru is done already
    assert r.returncode == 0, r.stderr
    assert "ru: 0 of 0" in r.stderr and "km: 5 of 5 translated" in r.stderr and "[ct2]" in r.stderr
    with Project.open(db) as p:
        assert [s.translations["km"].text for s in p.segments()] == [dict(tiny_pairs["km"])[s] for s in src]
        assert {s.translations["km"].meta["mt"]["backend"] for s in p.segments()} == {"ct2"}

    db2 = _project(tmp_path / "d.db", src)
    r = run("translate", str(db2), "--to", "km", "--model", "tiny", "--backend", "ct2", "--no-glossary")
    assert r.returncode == 0 and "km: 5 of 5 translated (5 from cache)" in r.stderr, r.stderr
    assert "MT en->km" not in r.stderr  # stderr is not a terminal: no progress bar

    # on a terminal: one bar per language (none with -q)
    env = {**os.environ, "WORKBENCH_HOME": str(workbench_home)}
    code, _, err = run_on_terminal("translate", _project(tmp_path / "t.db", src), "--to", "ru,km", "--no-glossary",
                                   env=env)
    assert code == 0, err
    assert "MT en->ru: 100%|" in err and "MT en->km: 100%|" in err and "5/5" in err, err
    code, _, err = run_on_terminal("translate", _project(tmp_path / "q.db", src), "--to", "km", "--no-glossary",
                                   "-q", env=env)
    assert code == 0 and "MT en->" not in err and "km: 5 of 5 translated" in err, err

    # with the glossary (default): its choose() picks among the n-best and its report lands in meta["terms"]
    db3 = _project(tmp_path / "e.db", src[:2], ("ru",))
    r = run("translate", str(db3), "--to", "ru", "--backend", "hf")
    assert r.returncode == 0, r.stderr
    with Project.open(db3) as p:
        for s in p.segments():
            tr = s.translations["ru"]
            assert tr.origin == "mt" and tr.text and "terms" in tr.meta and tr.meta["mt"]["model"] == "tiny"
