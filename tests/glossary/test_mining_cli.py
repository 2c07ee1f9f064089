"""`workbench glossary mine` as a script would use it: real subprocesses, a real TMX file and project, the TSV
it writes, exit codes and one-line errors."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from tests.glossary.test_mining import DEPRECATED, PAIRS

ROOT = Path(__file__).resolve().parents[2]


def wb(*args, glossary=None):
    env = dict(os.environ)
    if glossary:
        env["WORKBENCH_GLOSSARY"] = str(glossary)
    return subprocess.run([sys.executable, "-m", "workbench", "glossary", "mine", *map(str, args)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)


def write_tmx(path: Path, pairs, tgt="ru"):
    from workbench.tm.tmx import TmxUnit, write_tmx

    units = []
    for i, (s, t) in enumerate(pairs):
        u = TmxUnit(tuid=f"u{i}")
        u.add("en", s)
        u.add(tgt, t)
        units.append(u)
    write_tmx(path, units, creationdate="20240101T000000Z")
    return path


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_mine_a_tmx(tmp_path, repo_glossary_copy):
    tmx = write_tmx(tmp_path / "pairs.tmx", PAIRS + DEPRECATED)
    out = tmp_path / "cand.tsv"
    r = wb("--tmx", tmx, "--src", "en", "--tgt", "ru", "-o", out, "--min-count", "2", glossary=repo_glossary_copy)
    assert r.returncode == 0, r.stderr
    assert "candidates from 15 en-ru pairs" in r.stderr and r.stdout == ""
    header = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header[:6] == ["en", "ru", "count", "score", "example_en", "example_target"]
    rows = read_tsv(out)
    by_en = {}
    for row in rows:
        by_en.setdefault(row["en"].lower(), []).append(row)
    assert by_en["hanoi"][0]["ru"] == "Ханой"
    assert int(by_en["hanoi"][0]["count"]) == 4
    assert "Hanoi" in by_en["hanoi"][0]["example_en"] and "Хано" in by_en["hanoi"][0]["example_target"]
    assert "green corridor" not in by_en  # «green corridors» is in the glossary
    # known glossary terms are left out, but a deprecated translation in use is flagged
    eas = by_en["east asia summit"]
    assert [r["ru"] for r in eas] == ["Саммит Восточной Азии"] and "deprecated" in eas[0]["note"]
    assert "vaccine" not in by_en
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)

    # --include-known keeps (and marks) them; --from/--to are the same as --src/--tgt; --top cuts
    r = wb("--tmx", tmx, "--from", "en", "--to", "ru", "-o", out, "--include-known", "--min-count", "2",
           glossary=repo_glossary_copy)
    assert r.returncode == 0, r.stderr
    rows = read_tsv(out)
    vaccine = [r for r in rows if r["en"].lower() == "vaccine"]
    assert vaccine and vaccine[0]["note"].startswith("known: vaccine")
    r = wb("--tmx", tmx, "--to", "ru", "-o", "-", "--top", "3", "-q", glossary=repo_glossary_copy)
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 4


def test_mine_a_project_khmer(tmp_path, repo_glossary_copy):
    from workbench.core.store import Project

    km = [
        ("The coronavirus spreads quickly.", "វីរុសកូរ៉ូណា រាលដាលយ៉ាងលឿន។"),
        ("Doctors study the coronavirus today.", "គ្រូពេទ្យ សិក្សាអំពី វីរុសកូរ៉ូណា ថ្ងៃនេះ។"),
        ("The coronavirus is new.", "វីរុសកូរ៉ូណា គឺថ្មី។"),
        ("Hand sanitizer kills germs.", "ទឹកសម្អាតដៃ សម្លាប់មេរោគ។"),
        ("Buy hand sanitizer here.", "ទិញ ទឹកសម្អាតដៃ នៅទីនេះ។"),
    ]
    proj = Project.create(tmp_path / "p.db", "p", "en", ["km"])
    proj.add_document("doc", [(0, s) for s, _ in km])
    for seg, (_, t) in zip(proj.segments(), km):
        proj.set_translation(seg.id, "km", t, origin="human", status="translated")
    proj.close()
    out = tmp_path / "km.tsv"
    r = wb("--project", tmp_path / "p.db", "--to", "km", "-o", out, glossary=repo_glossary_copy)
    assert r.returncode == 0, r.stderr
    rows = read_tsv(out)
    assert list(rows[0])[:2] == ["en", "km"]
    best = {r["en"].lower(): r["km"] for r in rows}
    assert best["hand sanitizer"] == "ទឹកសម្អាតដៃ"


def test_bad_input_is_one_line_exit_2(tmp_path, repo_glossary_copy):
    from workbench.core.store import Project

    km_only = write_tmx(tmp_path / "km.tmx", [("Hello", "សួស្តី")], tgt="km")
    empty = Project.create(tmp_path / "empty.db", "empty", "en", ["ru"])
    empty.close()
    (tmp_path / "broken.tmx").write_text("<tmx><body><tu>", encoding="utf-8")
    cases = [
        (["--tmx", km_only, "--to", "ru"], "no en-ru pairs"),
        (["--project", tmp_path / "empty.db", "--to", "ru"], "no confirmed or aligned ru translations"),
        (["--project", tmp_path / "empty.db", "--to", "km"], "not a target language"),
        (["--tmx", tmp_path / "broken.tmx", "--to", "ru"], "broken.tmx"),
        (["--tmx", tmp_path / "missing.tmx", "--to", "ru"], "missing.tmx"),
        (["--tmx", km_only, "--to", "xx"], "unknown language"),
    ]
    for args, words in cases:
        out = tmp_path / "out.tsv"
        r = wb(*args, "-o", out, glossary=repo_glossary_copy)
        assert r.returncode == 2, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and words in r.stderr, r.stderr
        assert "Traceback" not in r.stderr and not out.exists()
    r = wb("--tmx", km_only, "-o", tmp_path / "x.tsv")  # --to missing: a usage error
    assert r.returncode == 2
