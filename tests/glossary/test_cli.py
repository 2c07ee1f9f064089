"""`workbench glossary ...` as a script would use it: real subprocesses, exit codes, stable output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def wb(*args, env_glossary=None, stdin=None):
    env = dict(os.environ)
    if env_glossary:
        env["WORKBENCH_GLOSSARY"] = str(env_glossary)
    return subprocess.run([sys.executable, "-m", "workbench", "glossary", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, input=stdin, timeout=120)


def test_list_search_find_check(mini_glossary_path):
    g = mini_glossary_path
    r = wb("list", env_glossary=g)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "asean\torganisation\tASEAN\tАСЕАН\tអាស៊ាន"
    assert all(len(l.split("\t")) == 5 for l in lines) and len(lines) == 16
    r = wb("list", "--domain", "health", "--json", env_glossary=g)
    assert [c["id"] for c in json.loads(r.stdout)] == ["vaccine", "covid"]
    r = wb("search", "саммит", "--glossary", g)
    assert r.returncode == 0 and r.stdout.split("\t")[0] == "eas"
    r = wb("search", "no such thing", "--glossary", g)
    assert r.returncode == 1 and r.stdout == ""
    r = wb("find", "--lang", "ru", "--glossary", g, stdin="встреча с Ассоциацией государств Юго-Восточной Азии\n")
    assert r.stdout == "10\t51\tasean\tpreferred\tАссоциацией государств Юго-Восточной Азии\n"
    r = wb("check", "the East Asia Summit", "Саммит Восточной Азии", "--to", "ru", "--json", "--glossary", g)
    assert r.returncode == 1
    meta = json.loads(r.stdout)
    assert meta["missing"][0]["concept"] == "eas" and meta["deprecated"][0]["used"] == "Саммит Восточной Азии"
    r = wb("check", "the East Asia Summit", "Восточноазиатский саммит", "--to", "ru", "--glossary", g)
    assert r.returncode == 0 and r.stdout.startswith("ok\teas\t")


def test_add_edit_remove_history_undo(mini_glossary_path):
    g = mini_glossary_path
    r = wb("add", "sochi", "--en", "Sochi", "--ru", "Сочи", "--km", "សូជី", "--domain", "place", "--review",
           "--source", "test", env_glossary=g)
    assert r.returncode == 0, r.stderr
    r = wb("search", "Sochi", "--json", env_glossary=g)
    c = json.loads(r.stdout)[0]
    assert c["domain"] == "place" and all(t["needs_review"] for t in c["terms"])
    r = wb("edit", "sochi", "--lang", "ru", "--term", "Сочи", "--no-review", "--note", "checked", env_glossary=g)
    assert r.returncode == 0, r.stderr
    r = wb("search", "Sochi", "--json", env_glossary=g)
    ru = [t for t in json.loads(r.stdout)[0]["terms"] if t["lang"] == "ru"][0]
    assert ru["needs_review"] is False and ru["note"] == "checked"
    assert wb("remove", "sochi", env_glossary=g).returncode == 0
    assert wb("search", "Sochi", env_glossary=g).returncode == 1
    hist = json.loads(wb("history", "--json", env_glossary=g).stdout)
    assert [h["note"] for h in hist] == ["add sochi", "edit sochi", "remove sochi"]
    assert wb("undo", env_glossary=g).returncode == 0
    assert wb("search", "Sochi", env_glossary=g).returncode == 0
    assert wb("undo", "--to", "1", env_glossary=g).returncode == 0      # the file before "add sochi"
    assert wb("search", "Sochi", env_glossary=g).returncode == 1


@pytest.mark.parametrize("args,needle", [
    (["add", "x", "--xx", "term"], "unrecognized arguments"),
    (["add", "x"], "needs at least one term"),
    (["add", "eas2", "--en", "   "], "empty en term"),
    (["add", "eas", "--ru", "Восточноазиатский саммит"], "already has"),
    (["edit", "nope", "--domain", "x"], "no concept 'nope'"),
    (["edit", "eas", "--lang", "ru", "--term", "нет такого", "--status", "admitted"], "has no ru term"),
    (["edit", "eas", "--lang", "ru", "--term", "Восточноазиатский саммит", "--status", "wrong"], "status 'wrong'"),
    (["list", "--lang", "fr"], "unknown language code 'fr'"),
    (["find", "--lang", "xx", "text"], "unknown language code 'xx'"),
    (["remove", "nope"], "no concept"),
    (["undo"], "no earlier version"),
])
def test_user_errors_exit_2_one_line(mini_glossary_path, args, needle):
    before = mini_glossary_path.read_bytes()
    r = wb(*args, env_glossary=mini_glossary_path)
    assert r.returncode == 2
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert mini_glossary_path.read_bytes() == before           # nothing saved is lost or changed


def test_import_export_round_trip_and_bad_files(mini_glossary_path, tmp_path, shared_eval):
    g = mini_glossary_path
    for fmt in ("csv", "tbx"):
        out = tmp_path / f"out.{fmt}"
        assert wb("export", out, env_glossary=g).returncode == 0
        fresh = tmp_path / f"fresh-{fmt}.csv"
        fresh.write_text("id,en\n", encoding="utf-8")
        r = wb("import", out, env_glossary=fresh)
        assert r.returncode == 0, r.stderr
        assert wb("list", "--json", env_glossary=fresh).stdout == wb("list", "--json", env_glossary=g).stdout
    r = wb("export", "-", "--format", "tsv", "--tgt", "km", env_glossary=g)
    assert "ASEAN\tអាស៊ាន\t[asean]" in r.stdout
    tico = shared_eval / "tico19" / "terminologies" / "f_en-ru_RU.csv"
    r = wb("import", tico, env_glossary=g)
    assert r.returncode == 0 and "306 concepts read, 306 kept" in r.stdout and "306 added" in r.stdout
    assert wb("search", "инкубационный период", env_glossary=g).returncode == 0
    before = g.read_bytes()
    bad = tmp_path / "bad.tbx"
    bad.write_text("<tbx><text><body>", encoding="utf-8")
    r = wb("import", bad, env_glossary=g)
    assert r.returncode == 2 and str(bad) in r.stderr and "not well-formed XML" in r.stderr
    cp = tmp_path / "cp1251.csv"
    cp.write_bytes("en,ru\nsummit,саммит\n".encode("cp1251"))
    r = wb("import", cp, env_glossary=g)
    assert r.returncode == 2 and "not UTF-8" in r.stderr
    assert g.read_bytes() == before


def test_validate_exit_codes(mini_glossary_path, tmp_path):
    r = wb("validate", env_glossary=mini_glossary_path)
    assert r.returncode == 0 and "0 error(s)" in r.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("id,en,en_status,ru,ru_status\na,Summit,preferred,саммит,preferred\n"
                   "b,Forum,preferred,саммит,forbidden\nc,,preferred,x,preferred\n", encoding="utf-8")
    r = wb("validate", bad, "--json")
    assert r.returncode == 1
    codes = {p["code"] for p in json.loads(r.stdout)}
    assert {"preferred-and-forbidden", "empty-term"} <= codes


def test_repository_glossary_validates(repo_glossary_copy):
    r = wb("validate", "--strict", env_glossary=repo_glossary_copy)
    assert r.returncode == 0, r.stdout + r.stderr
