"""The ``workbench export`` and ``workbench tm`` commands, run as a user would (subprocess, real files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lxml import etree

from workbench.core.store import Project

ROOT = Path(__file__).resolve().parents[2]


def wb(*args, home):
    env = {**os.environ, "WORKBENCH_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_export_import_search_pretranslate(tm_project, tmp_path, workbench_home):
    db = tm_project.path
    out = tmp_path / "visit.tmx"
    r = wb("export", db, "--format", "tmx", "-o", out, "--langs", "en,ru,km", "--status", "confirmed",
           home=workbench_home)
    assert r.returncode == 0, r.stderr
    assert len(etree.parse(str(out)).getroot().findall("body/tu")) == 3
    r = wb("export", db, "--format", "txt", "-o", tmp_path / "v.txt", "--langs", "ru", "--status", "all",
           home=workbench_home)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "v.ru.txt").read_text(encoding="utf-8").count("\n") == 3

    r = wb("tm", "import", out, "--tm", "visit", home=workbench_home)
    assert r.returncode == 0 and "3 units read, 3 stored" in r.stdout, r.stdout
    assert (workbench_home / "tm.db").is_file()
    r = wb("tm", "search", "The Ambassador said: We value our partnership.", "--lang", "ru", "--min", "70",
           home=workbench_home)
    assert r.returncode == 0
    assert "Посол заявил: «Мы ценим наше партнёрство»." in r.stdout and "visit" in r.stdout
    r = wb("tm", "search", "Talks will continue", "--concordance", home=workbench_home)
    assert "កិច្ចពិភាក្សានឹងបន្តនៅភ្នំពេញ។" in r.stdout
    r = wb("tm", "search", "Something entirely different from all of it", home=workbench_home)
    assert r.returncode == 0 and r.stdout == "" and "no match" in r.stderr

    tm_project.add_document("Again", [(0, 'The Ambassador said: "We value our partnership!"')])
    r = wb("tm", "pretranslate", db, "--langs", "ru", home=workbench_home)
    assert r.returncode == 0 and "filled 2" in r.stderr, r.stderr  # the repetition (segment 3) + the fuzzy one
    with Project.open(db) as p:
        last = p.segments()[-1].translations["ru"]
        assert last.origin == "tm" and last.status == "draft" and 75 <= last.score < 100


def test_user_errors_are_one_line_exit_2(tmp_path, workbench_home):
    bad = tmp_path / "laughs.tmx"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa">]><tmx version="1.4"><body/></tmx>')
    for args in (["tm", "import", bad], ["tm", "import", tmp_path / "missing.tmx"],
                 ["export", tmp_path / "none.db", "-o", tmp_path / "x.tmx"],
                 ["tm", "search", "hello", "--lang", "fr"]):
        r = wb(*args, home=workbench_home)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.count("\n") == 1 and r.stderr.startswith("workbench: error:") and "Traceback" not in r.stderr
