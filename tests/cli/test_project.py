"""The CLI contract, end to end in subprocesses: ``workbench segment``, ``workbench new``, ``workbench segments``."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.config import SEED_ARTICLE
from workbench.core.store import Project

ROOT = Path(__file__).resolve().parents[2]
SEED = SEED_ARTICLE


def wb(*args, stdin: bytes | None = None, env_home: Path | None = None):
    import os

    env = dict(os.environ)
    if env_home is not None:
        env["WORKBENCH_HOME"] = str(env_home)
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=120, env=env)


def assert_user_error(proc, *needles):
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# ------------------------------------------------------------------------------------------ workbench segment

def test_segment_stdin_english():
    proc = wb("segment", "--lang", "en", stdin=b"H.E. Mr. Hun Sen arrived. He met the U.N. envoy.\n\nNext")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().splitlines() == ["H.E. Mr. Hun Sen arrived.", "He met the U.N. envoy.", "Next"]


def test_segment_file_khmer_and_russian(tmp_path):
    km = tmp_path / "km.txt"
    km.write_text("ខ្ញុំទៅសាលា។ ខ្ញុំទិញស្វាយ ចេក ។ល។ នៅផ្សារ។", encoding="utf-8")
    proc = wb("segment", "--lang", "km", km)
    assert proc.stdout.decode().splitlines() == ["ខ្ញុំទៅសាលា។", "ខ្ញុំទិញស្វាយ ចេក ។ល។ នៅផ្សារ។"]
    ru = tmp_path / "ru.txt"
    ru.write_bytes("Договор подписан 25 мая 1995 г. Он действует, т.е. применяется.".encode("cp1251"))
    proc = wb("segment", "--lang", "ru", ru)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().splitlines() == ["Договор подписан 25 мая 1995 г.", "Он действует, т.е. применяется."]


def test_segment_wrapped_sentence_is_one_line(tmp_path):
    proc = wb("segment", "--lang", "en", stdin=b"This sentence is\nwrapped over two lines. Second.")
    assert proc.stdout.decode().splitlines() == ["This sentence is wrapped over two lines.", "Second."]


def test_segment_seed_article_one_sentence_per_line():
    proc = wb("segment", "--lang", "en", SEED)
    assert proc.returncode == 0
    lines = proc.stdout.decode().splitlines()
    assert "In 2020 both states celebrated the 25th anniversary of signing of the Joint Declaration on the " \
           "Bases of Friendly Relations on 25 May 1995." in lines
    assert all(line.strip() == line and line for line in lines)


@pytest.mark.parametrize("args,needle", [
    (["segment", "--lang", "xx"], "'xx'"),
    (["segment", "--lang", "en", "no-such-file.txt"], "no-such-file.txt"),
    (["segment"], "--lang"),
])
def test_segment_errors(args, needle):
    assert_user_error(wb(*args, stdin=b"Hello."), needle)


def test_segment_binary_stdin():
    assert_user_error(wb("segment", "--lang", "en", stdin=b"\x00\x01\x02binary\xff\xfe" * 10), "binary")


# ------------------------------------------------------------------------------------------ new + segments

def test_new_and_segments_on_seed_article(tmp_path):
    db = tmp_path / "article.db"
    proc = wb("new", db, SEED, "--to", "ru,km")
    assert proc.returncode == 0, proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()
    proc = wb("segments", db)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [line.split("\t") for line in proc.stdout.decode("utf-8").splitlines()]
    assert len(rows) > 30
    assert all(len(r) == 3 + 2 * 2 for r in rows)  # id, paragraph, source, then status+text for ru and km
    ids = [int(r[0]) for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    paragraphs = [int(r[1]) for r in rows]
    assert paragraphs == sorted(paragraphs) and paragraphs[0] == 0
    assert rows[0][2].startswith("Article by the Ambassador of the Russian Federation")
    assert rows[1][2] == "Russia, Cambodia and ASEAN – resilient partnership in the time of turbulence"
    assert all(r[3] == "new" and r[4] == "" and r[5] == "new" and r[6] == "" for r in rows)
    sources = [r[2] for r in rows]
    assert "The first registered was Sputnik V." in sources
    assert not any(s in ("Asset Publisher", "Advanced settings") or "en-GB1" in s or "17:39" in s for s in sources)
    # the stored project: languages, document metadata
    with Project.open(db) as project:
        assert project.source_lang == "en" and list(project.target_langs) == ["ru", "km"]
        doc = project.documents()[0]
        assert doc.date == "2020-12-29 17:39"
        assert doc.title == rows[1][2]
        assert len(list(project.segments())) == len(rows)


def test_new_cp1251_russian_source(tmp_path):
    src = tmp_path / "ru.txt"
    src.write_bytes("Заявление МИД\n\nСтороны подписали соглашение в г. Москве. Оно вступит в силу в 2021 г."
                    .encode("cp1251"))
    db = tmp_path / "ru.db"
    proc = wb("new", db, src, "--from", "ru", "--to", "en")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [line.split("\t") for line in wb("segments", db).stdout.decode().splitlines()]
    assert [r[2] for r in rows] == ["Заявление МИД", "Стороны подписали соглашение в г. Москве.",
                                    "Оно вступит в силу в 2021 г."]


def _bad_file(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.txt"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(200))
    elif kind == "undecodable":
        path.write_bytes("Café au lait à Genève, très réputé.".encode("latin-1"))
    return path


@pytest.mark.parametrize("kind,needle", [
    ("missing", "no such file"),
    ("empty", "empty"),
    ("binary", "binary"),
    ("undecodable", "encoding"),
])
def test_new_bad_source_leaves_nothing(tmp_path, kind, needle):
    src = tmp_path / f"{kind}.txt" if kind == "missing" else _bad_file(tmp_path, kind)
    db = tmp_path / "p.db"
    line = assert_user_error(wb("new", db, src, "--to", "ru,km"), needle)
    assert src.name in line
    assert not db.exists()


def test_new_unknown_language(tmp_path):
    db = tmp_path / "p.db"
    assert_user_error(wb("new", db, SEED, "--to", "ru,xx"), "'xx'")
    assert not db.exists()
    assert_user_error(wb("new", db, SEED, "--from", "zz"), "'zz'")
    assert not db.exists()


def test_new_refuses_existing_project_and_keeps_it(tmp_path):
    db = tmp_path / "article.db"
    assert wb("new", db, SEED).returncode == 0
    with Project.open(db) as project:
        first = next(iter(project.segments()))
        project.set_translation(first.id, "ru", "Статья Посла", status="translated", author="test")
    before = wb("segments", db).stdout
    other = tmp_path / "other.txt"
    other.write_text("A different document. It must not replace the project.", encoding="utf-8")
    assert_user_error(wb("new", db, other), "article.db")
    after = wb("segments", db).stdout
    assert after == before and "Статья Посла".encode() in after
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from document").fetchone()[0] == 1


def test_segments_missing_project(tmp_path):
    assert_user_error(wb("segments", tmp_path / "none.db"), "none.db")


def test_segments_not_a_project(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 10)
    assert_user_error(wb("segments", junk), "junk.db")


def test_new_from_html_and_markdown(tmp_path):
    html = tmp_path / "page.html"
    html.write_text("<html><body><nav>Home News</nav><main><h1>Joint Statement</h1><p>The sides met in Phnom "
                    "Penh. They signed No. 5 of the protocol.</p></main><footer>(c) 2021</footer></body></html>",
                    encoding="utf-8")
    md = tmp_path / "brief.txt"  # a Markdown file with a .txt name: --format md
    md.write_text("# Briefing\n\nThe *Spokesperson* answered [questions](http://x). Mr. Smith asked first.\n",
                  encoding="utf-8")
    for src, extra, expected in (
        (html, [], [("0", "Joint Statement"), ("1", "The sides met in Phnom Penh."),
                    ("1", "They signed No. 5 of the protocol.")]),
        (md, ["--format", "md"], [("0", "Briefing"), ("1", "The Spokesperson answered questions."),
                                  ("1", "Mr. Smith asked first.")]),
    ):
        db = tmp_path / f"{src.stem}.db"
        proc = wb("new", db, src, "--to", "km", *extra)
        assert proc.returncode == 0, proc.stderr.decode()
        rows = [line.split("\t") for line in wb("segments", db).stdout.decode().splitlines()]
        assert [(r[1], r[2]) for r in rows] == expected
        assert all(len(r) == 5 for r in rows)
