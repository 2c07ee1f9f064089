"""The command-line conventions every command follows: ``--to`` for target languages, ``-o/--output`` for
the file a command writes, ``--tm-threshold``, ``glossary undo --version``, ``qa --list-checks``, and
progress bars on stderr that show only on a terminal and never with ``-q``. Old spellings keep working as
hidden aliases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import build_parser
from workbench.qa import CHECKS

from .terminal import run_on_terminal

ROOT = Path(__file__).resolve().parents[2]


def wb(*args, home: Path, glossary: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "WORKBENCH_HOME": str(home)}
    if glossary is not None:
        env["WORKBENCH_GLOSSARY"] = str(glossary)
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def wb_on_terminal(*args, home: Path, glossary: Path | None = None) -> tuple[int, str, str]:
    """Run a command with stderr on a pseudo-terminal (stdout captured as usual): (code, stdout, stderr)."""
    env = {**os.environ, "WORKBENCH_HOME": str(home)}
    if glossary is not None:
        env["WORKBENCH_GLOSSARY"] = str(glossary)
    return run_on_terminal(*args, env=env)


def parse(*argv: str) -> dict:
    args = vars(build_parser().parse_args(list(argv)))
    args.pop("func")
    return args


# ------------------------------------------------------------------------------------ old spellings


ALIASES = [
    # (new spelling, old spelling)
    (["export", "p.db", "-o", "x.tmx", "--to", "ru,km"], ["export", "p.db", "-o", "x.tmx", "--langs", "ru,km"]),
    (["qa", "p.db", "--to", "km"], ["qa", "p.db", "--lang", "km"]),
    (["report", "p.db", "--to", "ru"], ["report", "p.db", "--lang", "ru"]),
    (["align-doc", "p.db", "t.txt", "--to", "ru"], ["align-doc", "p.db", "t.txt", "--lang", "ru"]),
    (["align", "a", "b", "--from", "en", "--to", "ru", "-o", "x.tmx"],
     ["align", "a", "b", "--src-lang", "en", "--tgt-lang", "ru", "--tmx", "x.tmx"]),
    (["align", "a", "b", "--from", "en", "--to", "ru", "--output", "x.tmx"],
     ["align", "a", "b", "--tgt-lang", "ru", "--src-lang", "en", "--tmx", "x.tmx"]),
    (["tm", "pretranslate", "p.db", "--to", "ru", "--tm-threshold", "80"],
     ["tm", "pretranslate", "p.db", "--langs", "ru", "--threshold", "80"]),
    (["tm", "export", "-o", "x.tmx", "--to", "en,ru"], ["tm", "export", "-o", "x.tmx", "--langs", "en,ru"]),
    (["tm", "search", "text", "--to", "km", "--tm-threshold", "60"],
     ["tm", "search", "text", "--lang", "km", "--min", "60"]),
    (["glossary", "import", "g.tsv", "--from", "en", "--to", "km"],
     ["glossary", "import", "g.tsv", "--src", "en", "--tgt", "km"]),
    (["glossary", "export", "-o", "g.tsv", "--from", "ru", "--to", "km"],
     ["glossary", "export", "-o", "g.tsv", "--src", "ru", "--tgt", "km"]),
    (["glossary", "undo", "--version", "3"], ["glossary", "undo", "--to", "3"]),
]


@pytest.mark.parametrize("new,old", ALIASES, ids=[" ".join(n[:2]) + f" {k}" for k, (n, _) in enumerate(ALIASES)])
def test_old_spellings_parse_like_the_new_ones(new, old):
    assert parse(*new) == parse(*old)


def test_defaults_are_the_same_without_either_spelling():
    assert parse("tm", "pretranslate", "p.db")["tm_threshold"] == 75
    assert parse("tm", "search", "text")["tm_threshold"] == 75
    g = parse("glossary", "import", "g.tsv")
    assert (g["src"], g["tgt"]) == ("en", "ru")
    assert parse("glossary", "undo")["version"] is None


HELP = [
    # (command, documented flags, hidden old flags)
    (["export"], ["--to", "-o OUTPUT, --output OUTPUT", "-q, --quiet"], ["--langs"]),
    (["qa"], ["--to", "--list-checks", "-q, --quiet"], ["--lang"]),
    (["report"], ["--to", "-q, --quiet"], ["--lang"]),
    (["align"], ["--src-lang", "--from", "--tgt-lang", "--to", "-o OUT.tmx, --output OUT.tmx", "-q, --quiet"],
     ["--tmx"]),
    (["align-doc"], ["--to", "-q, --quiet"], ["--lang"]),
    (["translate"], ["--to", "--tm-threshold", "-q, --quiet"], []),
    (["tm", "import"], ["-q, --quiet"], []),
    (["tm", "add-project"], ["-q, --quiet"], []),
    (["tm", "pretranslate"], ["--to", "--tm-threshold", "-q, --quiet"], ["--langs", "--threshold"]),
    (["tm", "search"], ["--to", "--from", "--tm-threshold"], ["--lang", "--min"]),
    (["tm", "export"], ["--to", "-o OUTPUT, --output OUTPUT"], ["--langs"]),
    (["glossary", "import"], ["--from", "--to", "-q, --quiet"], ["--src", "--tgt"]),
    (["glossary", "export"], ["-o FILE, --output FILE", "--from", "--to"], ["--src", "--tgt"]),
    (["glossary", "undo"], ["--version N"], ["--to"]),
]


@pytest.mark.parametrize("command,shown,hidden", HELP, ids=[" ".join(c) for c, _, _ in HELP])
def test_help_shows_the_new_flags_only(command, shown, hidden, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([*command, "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    flags = {w.strip(",[]") for w in text.split() if w.startswith(("-", "[-"))}
    for flag in shown:
        assert flag in " ".join(text.split()), (command, flag)
    for flag in hidden:
        assert flag not in flags, (command, flag)


# ------------------------------------------------------------------------------ end to end, new spellings


def test_new_spellings_end_to_end(tm_project, tmp_path, workbench_home):
    db = tm_project.path
    out = tmp_path / "visit.tmx"
    r = wb("export", db, "-o", out, "--to", "km", home=workbench_home)
    assert r.returncode == 0, r.stderr
    assert 'xml:lang="km"' in out.read_text(encoding="utf-8") and 'xml:lang="ru"' not in out.read_text(encoding="utf-8")
    r = wb("tm", "import", tmp_path / "visit.tmx", "--tm", "visit", home=workbench_home)
    assert r.returncode == 0 and "units read" in r.stdout, r.stderr  # the import report is data: stdout
    r = wb("tm", "search", "Talks will continue in Phnom Penh!", "--to", "km", "--tm-threshold", "70",
           home=workbench_home)
    assert r.returncode == 0, r.stderr
    assert "en-km" in r.stdout and "ភ្នំពេញ" in r.stdout
    r = wb("tm", "search", "Talks will continue in Phnom Penh!", "--to", "km", "--tm-threshold", "100",
           home=workbench_home)
    assert r.returncode == 0 and r.stdout == "" and "no match at or above 100%" in r.stderr
    r = wb("tm", "search", "The Ambassador said: We value our partnership.", "--to", "en", "--from", "en",
           home=workbench_home)
    assert r.returncode == 2 and "--to en is the language of the text" in r.stderr
    r = wb("tm", "export", "-o", tmp_path / "all.tmx", "--to", "en,km", home=workbench_home)
    assert r.returncode == 0, r.stderr
    assert 'xml:lang="ru"' not in (tmp_path / "all.tmx").read_text(encoding="utf-8")
    tm_project.add_document("Again", [(0, 'The Ambassador said: "We value our partnership!"')])
    r = wb("tm", "pretranslate", db, "--to", "ru", "--tm-threshold", "99", home=workbench_home)
    assert r.returncode == 0 and "without a match >= 99%" in r.stderr, r.stderr
    r = wb("qa", db, "--to", "km", "--json", "--no-glossary", home=workbench_home)
    assert r.returncode == 0, r.stderr
    assert {f["lang"] for f in json.loads(r.stdout)} <= {"km"}
    r = wb("report", db, "--to", "ru", "--json", "--no-qa", home=workbench_home)
    assert r.returncode == 0 and json.loads(r.stdout)["target_langs"] == ["ru"], r.stderr


def test_align_output_writes_tmx_with_both_spellings(tmp_path, workbench_home):
    src, tgt = tmp_path / "a.en", tmp_path / "a.ru"
    src.write_text("The talks took place in Moscow on 5 May.\nBoth sides signed three agreements.\n", encoding="utf-8")
    tgt.write_text("Переговоры прошли в Москве 5 мая.\nСтороны подписали три соглашения.\n", encoding="utf-8")
    for flag, name in (("-o", "new.tmx"), ("--tmx", "old.tmx")):
        r = wb("align", "--from", "en", "--to", "ru", src, tgt, "--no-embeddings", flag, tmp_path / name,
               home=workbench_home)
        assert r.returncode == 0, r.stderr
        assert r.stdout.splitlines() == ["[0]:[0]", "[1]:[1]"]
        assert f"wrote 2 aligned pairs to {tmp_path / name}" in r.stderr
    body = [(tmp_path / n).read_text(encoding="utf-8").split("<body>")[1] for n in ("new.tmx", "old.tmx")]
    assert body[0] == body[1] and 'x-align-link">[1]:[1]<' in body[0] and "Стороны подписали" in body[0]


def test_glossary_export_output_undo_version(mini_glossary_path, tmp_path, workbench_home):
    g = mini_glossary_path
    for args, name in ((["-o", tmp_path / "a.tsv"], "a.tsv"), ([tmp_path / "b.tsv"], "b.tsv"),
                       (["--output", tmp_path / "c.tsv"], "c.tsv")):
        r = wb("glossary", "export", *args, "--from", "en", "--to", "ru", home=workbench_home, glossary=g)
        assert r.returncode == 0, r.stderr
        assert (tmp_path / name).read_text(encoding="utf-8") == (tmp_path / "a.tsv").read_text(encoding="utf-8")
    r = wb("glossary", "export", "-o", "-", "--format", "tsv", "--from", "en", "--to", "ru", home=workbench_home,
           glossary=g)
    assert r.returncode == 0 and r.stdout == (tmp_path / "a.tsv").read_text(encoding="utf-8")
    r = wb("glossary", "export", tmp_path / "x.csv", "-o", tmp_path / "y.csv", home=workbench_home, glossary=g)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "give one" in r.stderr
    r = wb("glossary", "export", home=workbench_home, glossary=g)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "-o FILE" in r.stderr

    before = g.read_bytes()
    assert wb("glossary", "add", "test-concept", "--en", "test term", home=workbench_home, glossary=g).returncode == 0
    assert wb("glossary", "add", "second-concept", "--en", "second term",
              home=workbench_home, glossary=g).returncode == 0
    hist = json.loads(wb("glossary", "history", "--json", home=workbench_home, glossary=g).stdout)
    first = min(h["version"] for h in hist)  # the version saved before the first add
    r = wb("glossary", "undo", "--version", first, home=workbench_home, glossary=g)
    assert r.returncode == 0, r.stderr
    assert g.read_bytes() == before
    r = wb("glossary", "undo", "--to", first, home=workbench_home, glossary=g)  # the old spelling
    assert r.returncode == 0, r.stderr
    assert g.read_bytes() == before


# ---------------------------------------------------------------------------------------- qa --list-checks


def test_qa_list_checks_prints_the_registry(workbench_home):
    r = wb("qa", "--list-checks", home=workbench_home)
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert [row[0] for row in rows] == list(CHECKS)
    for code, severity, default, description in rows:
        assert (severity, default == "on", description) == tuple(CHECKS[code])
        assert default in ("on", "off") and severity in ("error", "warning", "info")
    r = wb("qa", "--list-checks", "--json", home=workbench_home)
    data = json.loads(r.stdout)
    assert [d["code"] for d in data] == list(CHECKS)
    assert data[0] == {"code": rows[0][0], "severity": rows[0][1], "default": rows[0][2], "description": rows[0][3]}


def test_qa_without_project_or_list_checks_is_a_one_line_error(workbench_home):
    r = wb("qa", home=workbench_home)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "--list-checks" in r.stderr


# ------------------------------------------------------------------------------------------ progress bars


def _progress_commands(tm_project, tmp_path):
    """Each long-running command, ready to run: (name, argv, expected bar label)."""
    db = tm_project.path
    tmx = tmp_path / "visit.tmx"
    src, tgt = tmp_path / "a.en", tmp_path / "a.ru"
    src.write_text("The talks took place in Moscow.\nBoth sides signed three agreements.\n", encoding="utf-8")
    tgt.write_text("Переговоры прошли в Москве.\nСтороны подписали три соглашения.\n", encoding="utf-8")
    csv = tmp_path / "more.csv"
    csv.write_text("id,en,en_status,ru,ru_status\nextra-term,extra term,preferred,доп. термин,preferred\n",
                   encoding="utf-8")
    return [
        ("export", ["export", db, "-o", tmx], "export"),
        ("tm import", ["tm", "import", tmx], "import"),
        ("tm add-project", ["tm", "add-project", db], "add-project"),
        ("tm pretranslate", ["tm", "pretranslate", db], "pretranslate"),
        ("qa", ["qa", db, "--no-glossary"], "qa"),
        ("report", ["report", db, "--no-glossary"], "report"),
        ("align", ["align", "--from", "en", "--to", "ru", src, tgt, "--no-embeddings"], "align"),
        ("glossary import", ["glossary", "import", csv], "glossary import"),
    ]


def test_progress_bars_on_a_terminal_only_and_never_with_quiet(tm_project, tmp_path, workbench_home,
                                                               mini_glossary_path):
    for name, argv, label in _progress_commands(tm_project, tmp_path):
        # stderr captured (not a terminal): the command's messages, no bar
        r = wb(*argv, home=workbench_home, glossary=mini_glossary_path)
        assert r.returncode == 0, (name, r.stderr)
        assert "\r" not in r.stderr and f"{label}:" not in r.stderr and "/s]" not in r.stderr, (name, r.stderr)
        # stderr on a terminal: a tqdm bar labelled for the command, which gets to the end
        code, out, err = wb_on_terminal(*argv, home=workbench_home, glossary=mini_glossary_path)
        assert code == 0, (name, err)
        assert f"{label}:" in err and "\r" in err.replace("\r\n", "\n") and "/s]" in err, (name, err)
        assert "100%|" in err or label == "import", (name, err)  # a TMX import has no known total: a counter
        # (an import's report counts what is new: the second run replaces what the first added)
        assert out == r.stdout or name in ("tm pretranslate", "report", "tm import", "glossary import"), name
        # -q: no bar, same messages
        code, out_q, err_q = wb_on_terminal(*argv, "-q", home=workbench_home, glossary=mini_glossary_path)
        assert code == 0, (name, err_q)
        assert f"{label}:" not in err_q and "/s]" not in err_q, (name, err_q)
        assert "\r" not in err_q.replace("\r\n", "\n"), (name, err_q)
