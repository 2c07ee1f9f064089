"""`workbench align` CLI contract: one link per line `[i, j]:[k]`, every line once, --scores, --tmx, errors."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"^(\[(?:\d+(?:, \d+)*)?\]):(\[(?:\d+(?:, \d+)*)?\])(\t(\d+\.\d+))?$")

EN = ["The minister arrived in Moscow on 5 May.", "He met the foreign minister.",
      "The talks lasted 3 hours and covered trade and security.", "They signed 2 agreements.",
      "The visit ends on Friday."]
RU = ["Министр прибыл в Москву 5 мая.", "Он встретился с министром иностранных дел.",
      "Переговоры длились 3 часа.", "Они касались торговли и безопасности.", "Было подписано 2 соглашения.",
      "Визит завершится в пятницу."]


def run(*args, check=False):
    return subprocess.run([sys.executable, "-m", "workbench", "align", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def files(tmp_path):
    s, t = tmp_path / "src.en", tmp_path / "tgt.ru"
    s.write_text("\n".join(EN) + "\n", encoding="utf-8")
    t.write_text("\n".join(RU) + "\n", encoding="utf-8")
    return s, t


def parse(out: str, scores: bool = False):
    links = []
    for line in out.splitlines():
        m = LINK.match(line)
        assert m, f"bad line {line!r}"
        assert bool(m.group(3)) == scores
        links.append((ast.literal_eval(m.group(1)), ast.literal_eval(m.group(2))))
    return links


def test_cli_contract(files):
    r = run("--src-lang", "en", "--tgt-lang", "ru", *files)
    assert r.returncode == 0, r.stderr
    links = parse(r.stdout)
    assert [i for s, _ in links for i in s] == list(range(len(EN)))
    assert [j for _, t in links for j in t] == list(range(len(RU)))
    assert ([2], [2, 3]) in links and ([0], [0]) in links and ([4], [5]) in links


def test_cli_scores_and_tmx(files, tmp_path):
    out = tmp_path / "out.tmx"
    r = run("--src-lang", "en", "--tgt-lang", "ru", "--scores", "--tmx", out, *files)
    assert r.returncode == 0, r.stderr
    links = parse(r.stdout, scores=True)
    for line in r.stdout.splitlines():
        assert 0.0 <= float(line.split("\t")[1]) <= 1.0
    from workbench.tm.tmx import read_tmx

    units = list(read_tmx(out))
    assert len(units) == sum(1 for s, t in links if s and t)
    first = units[0]
    assert first.text("en") == EN[0] and first.text("ru") == RU[0]
    assert any(u.text("ru") == RU[2] + " " + RU[3] for u in units)


def test_cli_blank_lines_and_khmer(tmp_path):
    s, t = tmp_path / "a.en", tmp_path / "a.km"
    s.write_text("The meeting took place on 12 March.\n\nThe ministers signed 4 agreements.\n", encoding="utf-8")
    t.write_text("កិច្ចប្រជុំបានធ្វើឡើងនៅថ្ងៃទី១២ ខែមីនា។\nរដ្ឋមន្ត្រីបានចុះហត្ថលេខាលើកិច្ចព្រមព្រៀងចំនួន ៤។\n",
                 encoding="utf-8")
    r = run("--src-lang", "en", "--tgt-lang", "km", s, t)
    assert r.returncode == 0, r.stderr
    links = parse(r.stdout)
    assert [i for x, _ in links for i in x] == [0, 1, 2] and [j for _, y in links for j in y] == [0, 1]
    assert ([0], [0]) in links and ([2], [1]) in links


def test_cli_anchor(files):
    r = run("--src-lang", "en", "--tgt-lang", "ru", "--anchor", "[2]:[2]", *files)
    assert r.returncode == 0, r.stderr
    assert ([2], [2]) in parse(r.stdout)


@pytest.mark.parametrize("case", ["missing", "binary", "empty", "folder", "lang", "anchor"])
def test_cli_errors_are_one_line(files, tmp_path, case):
    s, t = files
    args = ["--src-lang", "en", "--tgt-lang", "ru", s, t]
    if case == "missing":
        args[-1] = tmp_path / "nope.txt"
    elif case == "binary":
        b = tmp_path / "x.bin"
        b.write_bytes(bytes(range(256)) * 20)
        args[-1] = b
    elif case == "empty":
        e = tmp_path / "e.txt"
        e.write_bytes(b"")
        args[-2] = e
    elif case == "folder":
        args[-1] = tmp_path
    elif case == "lang":
        args[3] = "zz"
    elif case == "anchor":
        args = ["--anchor", "[0:[1]"] + args
    r = run(*args)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr


def test_cli_cp1251_target_is_read(files, tmp_path):
    s, _t = files
    t = tmp_path / "cp.ru"
    t.write_bytes("\n".join(RU).encode("cp1251"))
    r = run("--src-lang", "en", "--tgt-lang", "ru", s, t)
    assert r.returncode == 0, r.stderr
    assert len(parse(r.stdout)) >= len(EN)


def test_cli_align_doc_stores_pairs(tmp_path):
    en = tmp_path / "a.txt"
    en.write_text("Minister visits Cambodia\n\nThe Minister arrived in Phnom Penh on 12 March 2024. "
                  "He was met by his counterpart.\n\nThe next talks will be in Moscow in 2025.\n", encoding="utf-8")
    ru = tmp_path / "a.ru.txt"
    ru.write_text("Министр посетил Камбоджу\n\nМинистр прибыл в Пномпень 12 марта 2024 года, и его встретил "
                  "коллега.\n\nСледующие переговоры пройдут в Москве в 2025 году.\n", encoding="utf-8")
    db = tmp_path / "p.db"
    r = subprocess.run([sys.executable, "-m", "workbench", "new", str(db), str(en), "--to", "ru,km"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "workbench", "align-doc", str(db), str(ru), "--lang", "ru",
                        "--threshold", "0.999"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "1 merge proposals to review, 0 merges applied" in r.stderr
    out = [l.split("\t") for l in r.stdout.splitlines()]
    assert [l[0] for l in out] == ["write", "write", "merge", "review", "review"]
    assert out[2][1:3] == ["1", "2-3"]  # proposal 1: segments 2-3 (1-based) with one Russian sentence
    assert {l[1] for l in out if l[0] == "review"} == {"1", "4"}
    from workbench.core.store import Project

    with Project.open(db) as p:
        segs = p.segments()
        assert len(segs) == 4  # nothing merged without --apply-merges
        assert [s.translations["ru"].origin for s in segs] == ["aligned", None, None, "aligned"]
    r = subprocess.run([sys.executable, "-m", "workbench", "align-doc", str(db), str(ru), "--to", "ru",
                        "--apply-merges"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "1 merges applied" in r.stderr
    with Project.open(db) as p:
        segs = p.segments()
        assert len(segs) == 3 and [s.translations["ru"].origin for s in segs] == ["aligned"] * 3
        assert segs[-1].translations["ru"].text == "Следующие переговоры пройдут в Москве в 2025 году."
