"""``workbench corpus align|translate`` from the command line: through a separately started Dask scheduler,
bad input as one line with exit code 2, progress bars on a terminal only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli.terminal import run_on_terminal
from tests.corpus.docs import EN_ONLY, RU_ONLY, gold_pairs, write_corpus
from tests.plugins.corpus import separate_dask
from workbench.cli import main
from workbench.corpus import output_paths
from workbench.tm.tmx import read_tmx

ROOT = Path(__file__).resolve().parents[2]


def wb(*args, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, WORKBENCH_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_corpus_align_through_a_separately_started_scheduler(tmp_path, capsys):
    en, ru = write_corpus(tmp_path / "docs", binary=True)
    out = tmp_path / "out" / "archive.tmx"
    with separate_dask(tmp_path) as address:
        code = main(["corpus", "align", str(en), str(ru), "--src-lang", "en", "--tgt-lang", "ru", "-o", str(out),
                     "--scheduler", address, "--pairs", str(tmp_path / "pairs.tsv")])
        err = capsys.readouterr().err
        assert code == 0, err
        # the same command again: everything comes from the state file
        assert main(["corpus", "align", str(en), str(ru), "--from", "en", "--to", "ru", "-o", str(out),
                     "--scheduler", address, "--pairs", str(tmp_path / "pairs.tsv")]) == 0
        again = capsys.readouterr().err
    rows = (tmp_path / "pairs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert {tuple(r.split("\t")[:2]) for r in rows} == gold_pairs()
    assert "documents: 5 en, 5 ru (1 skipped" in err and "scan.pdf: is a binary file" in err
    assert f"en {EN_ONLY[0]}: " in err and f"ru {RU_ONLY[0]}: " in err
    assert "on 2 workers" in err and "(0 reused" in err and "(4 reused" in again
    assert "\r" not in err and "/s]" not in err  # stderr is not a terminal: no progress bar
    units = list(read_tmx(out))
    assert units and {(u.prop("x-document"), u.prop("x-target-document")) for u in units} == gold_pairs()
    assert output_paths(out)["state"].is_file() and not output_paths(out)["pairs"].exists()


def test_bad_folders_are_one_line_and_exit_2(tmp_path, workbench_home):
    en, ru = write_corpus(tmp_path / "docs")
    empty = tmp_path / "empty"
    empty.mkdir()
    for args, words in [
        ((tmp_path / "missing", ru), "no such folder"),
        ((en, empty), "holds no documents"),
        ((en, ru, "--workers", "0"), "--workers must be at least 1"),
    ]:
        r = wb("corpus", "align", *args, "--from", "en", "--to", "ru", "-o", tmp_path / "x.tmx", home=workbench_home)
        assert r.returncode == 2, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and words in r.stderr, r.stderr
    r = wb("corpus", "align", en, ru, "--from", "en", "--to", "xx", "-o", tmp_path / "x.tmx", home=workbench_home)
    assert r.returncode == 2 and "unknown language code 'xx'" in r.stderr
    r = wb("corpus", "translate", en, "--to", "ru", "-o", tmp_path / "t", home=workbench_home)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "models" in r.stderr, r.stderr
    assert not (tmp_path / "x.tmx").exists()


def test_progress_bars_on_a_terminal_only(tmp_path, workbench_home):
    en, ru = write_corpus(tmp_path / "docs", distractors=False)
    argv = ["corpus", "align", en, ru, "--from", "en", "--to", "ru", "-o", tmp_path / "a.tmx", "--workers", "1",
            "--no-embeddings"]
    env = dict(os.environ, WORKBENCH_HOME=str(workbench_home))
    code, _, err = run_on_terminal(*argv, env=env)
    assert code == 0, err
    assert "documents:" in err and "pairs:" in err and "/s]" in err and "100%|" in err, err
    code, _, err = run_on_terminal(*argv, "-q", env=env)
    assert code == 0 and "/s]" not in err and "(4 reused" in err


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    import socket

    from workbench.corpus import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 3)  # shorter wait, same code path
    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    en, ru = write_corpus(tmp_path / "docs")
    code = main(["corpus", "align", str(en), str(ru), "--from", "en", "--to", "ru", "-o", str(tmp_path / "a.tmx"),
                 "--scheduler", f"tcp://127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot reach the Dask scheduler" in err and len(err.strip().splitlines()) == 1, err
