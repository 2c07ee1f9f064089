"""``workbench qa``, ``workbench evaluate`` and ``workbench report`` run as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from khmercut import tokenize as khmercut_tokenize
from sacrebleu.metrics import BLEU, CHRF, TER

ROOT = Path(__file__).resolve().parents[2]


def wb(*args, env=None):
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def one_line_error(res):
    assert res.returncode == 2, (res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    return lines[0]


# ------------------------------------------------------------------------------------------- qa


def test_qa_text_and_json(qa_project):
    res = wb("qa", qa_project)
    assert res.returncode == 0, res.stderr
    rows = [line.split("\t") for line in res.stdout.splitlines()]
    assert {(r[1], r[3]) for r in rows} >= {("ru", "number_mismatch"), ("ru", "inconsistent_translation"),
                                            ("km", "empty")}
    assert "findings:" in res.stderr
    res = wb("qa", qa_project, "--json", "--lang", "km")
    data = json.loads(res.stdout)
    assert data and {d["lang"] for d in data} == {"km"}
    assert set(data[0]) == {"code", "severity", "message", "lang", "segment_id", "span", "spans"}
    assert wb("qa", qa_project, "--strict").returncode == 1
    assert wb("qa", qa_project, "--strict", "--lang", "km").returncode == 0  # only warnings in km


def test_qa_user_errors(tmp_path, qa_project):
    assert "no such project" in one_line_error(wb("qa", tmp_path / "missing.db"))
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"\x00\x01binary junk" * 10)
    assert "not a workbench project" in one_line_error(wb("qa", bad))
    assert "unknown language" in one_line_error(wb("qa", qa_project, "--lang", "fr"))
    assert "not a target language" in one_line_error(wb("qa", qa_project, "--lang", "en"))


# ------------------------------------------------------------------------------------- evaluate

RU_REF = ["Переговоры прошли в Москве.", "Стороны подписали три соглашения.", "Визит продлится два дня."]
RU_HYP = ["Переговоры состоялись в Москве.", "Стороны подписали три соглашения.", "Визит будет длиться 2 дня."]
KM_REF = ["កិច្ចចរចា​បាន​ធ្វើ​ឡើង​នៅ​ទីក្រុង​មូស្គូ។", "ភាគី​ទាំង​ពីរ​បាន​ចុះ​ហត្ថលេខា​លើ​កិច្ចព្រមព្រៀង​បី។"]
KM_HYP = ["កិច្ចចរចា​ត្រូវ​បាន​ធ្វើ​ឡើង​នៅ​មូស្គូ។", "ភាគី​ទាំង​ពីរ​បាន​ចុះ​ហត្ថលេខា​លើ​កិច្ចព្រមព្រៀង​បី។"]


def write(path, lines, encoding="utf-8"):
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_evaluate_ru_matches_sacrebleu(tmp_path):
    ref, hyp = write(tmp_path / "ref.ru", RU_REF), write(tmp_path / "hyp.ru", RU_HYP)
    res = wb("evaluate", "--ref", ref, "--hyp", hyp, "--lang", "ru", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    bleu, chrf, ter, chrfpp = BLEU(), CHRF(), TER(), CHRF(word_order=2)
    assert out["scores"]["BLEU"] == pytest.approx(bleu.corpus_score(RU_HYP, [RU_REF]).score)
    assert out["scores"]["chrF"] == pytest.approx(chrf.corpus_score(RU_HYP, [RU_REF]).score)
    assert out["scores"]["chrF++"] == pytest.approx(chrfpp.corpus_score(RU_HYP, [RU_REF]).score)
    assert out["scores"]["TER"] == pytest.approx(ter.corpus_score(RU_HYP, [RU_REF]).score)
    assert out["signatures"]["BLEU"] == str(bleu.get_signature())
    assert out["signatures"]["chrF"] == str(chrf.get_signature())
    text = wb("evaluate", "--ref", ref, "--hyp", hyp, "--lang", "ru").stdout
    assert str(bleu.get_signature()) in text and str(ter.get_signature()) in text


def test_evaluate_km_chrf_and_stated_tokenisation(tmp_path):
    ref, hyp = write(tmp_path / "ref.km", KM_REF), write(tmp_path / "hyp.km", KM_HYP)
    out = json.loads(wb("evaluate", "--ref", ref, "--hyp", hyp, "--lang", "km", "--json").stdout)
    assert out["scores"]["chrF"] == pytest.approx(CHRF().corpus_score(KM_HYP, [KM_REF]).score)
    assert "chrF++" not in out["scores"]

    def seg(line):  # the stated tokenisation: khmercut on each space/zero-width-space separated run
        return " ".join(t for run in line.replace("\u200b", " ").split() for t in khmercut_tokenize(run) if t.strip())

    bleu = BLEU(tokenize="none", force=True)
    assert out["scores"]["BLEU"] == pytest.approx(
        bleu.corpus_score([seg(h) for h in KM_HYP], [[seg(r) for r in KM_REF]]).score, abs=0.01)
    assert out["signatures"]["BLEU"] == str(bleu.get_signature()) + "+khmercut"
    assert "khmercut" in out["note"]


def test_evaluate_two_references(tmp_path):
    ref2 = ["Переговоры состоялись в Москве.", "Стороны подписали 3 соглашения.", "Визит продлится 2 дня."]
    a, b = write(tmp_path / "a", RU_REF), write(tmp_path / "b", ref2)
    hyp = write(tmp_path / "h", RU_HYP)
    out = json.loads(wb("evaluate", "--ref", a, "--ref", b, "--hyp", hyp, "--lang", "ru", "--json").stdout)
    assert out["scores"]["BLEU"] == pytest.approx(BLEU().corpus_score(RU_HYP, [RU_REF, ref2]).score)


def test_evaluate_user_errors(tmp_path):
    good = write(tmp_path / "good", RU_REF)
    short = write(tmp_path / "short", RU_REF[:2])
    assert "line-aligned" in one_line_error(wb("evaluate", "--ref", short, "--hyp", good, "--lang", "ru"))
    cp = write(tmp_path / "cp1251.txt", RU_REF, encoding="cp1251")
    assert "not UTF-8" in one_line_error(wb("evaluate", "--ref", cp, "--hyp", good, "--lang", "ru"))
    binary = tmp_path / "bin"
    binary.write_bytes(bytes(range(256)) * 4)
    assert "binary" in one_line_error(wb("evaluate", "--ref", binary, "--hyp", good, "--lang", "ru"))
    empty = tmp_path / "empty"
    empty.write_text("")
    assert "empty" in one_line_error(wb("evaluate", "--ref", empty, "--hyp", good, "--lang", "ru"))
    assert "no such file" in one_line_error(wb("evaluate", "--ref", tmp_path / "nope", "--hyp", good,
                                               "--lang", "ru"))
    assert "unknown language" in one_line_error(wb("evaluate", "--ref", good, "--hyp", good, "--lang", "xx"))
    assert "required" in one_line_error(wb("evaluate", "--hyp", good, "--lang", "ru"))


def test_evaluate_utf16_with_bom(tmp_path):
    ref = tmp_path / "ref16"
    ref.write_bytes(("\n".join(RU_REF) + "\n").encode("utf-16"))
    hyp = write(tmp_path / "hyp", RU_HYP)
    out = json.loads(wb("evaluate", "--ref", ref, "--hyp", hyp, "--lang", "ru", "--json").stdout)
    assert out["scores"]["chrF"] == pytest.approx(CHRF().corpus_score(RU_HYP, [RU_REF]).score)


# --------------------------------------------------------------------------------------- report


def test_report_text_json_and_plots(qa_project, tmp_path):
    res = wb("report", qa_project)
    assert res.returncode == 0, res.stderr
    assert "Match analysis" in res.stdout and "Progress by status" in res.stdout
    plots = tmp_path / "plots"
    res = wb("report", qa_project, "--json", "--plots", plots, "--lang", "ru")
    data = json.loads(res.stdout)
    assert data["target_langs"] == ["ru"] and data["source_words"] == 29
    assert sorted(Path(p).name for p in data["plots"]) == ["edit_distance.png", "progress.png", "qa_findings.png"]
    assert all((plots / n).stat().st_size > 1000 for n in ("edit_distance.png", "progress.png", "qa_findings.png"))


def test_report_user_errors(tmp_path, qa_project):
    assert "no such project" in one_line_error(wb("report", tmp_path / "x.db"))
    f = tmp_path / "afile"
    f.write_text("x")
    assert "afile" in one_line_error(wb("report", qa_project, "--plots", f))


def test_evaluate_khmer_zero_width_spaces(tmp_path):
    refs = ["កិច្ចចរចា\u200bបាន\u200bធ្វើ\u200bឡើង។"]
    hyps = ["កិច្ចចរចាបានធ្វើឡើង។"]  # the same visible text without zero-width spaces
    ref, hyp = write(tmp_path / "r", refs), write(tmp_path / "h", hyps)
    raw = json.loads(wb("evaluate", "--ref", ref, "--hyp", hyp, "--lang", "km", "--json").stdout)
    assert raw["scores"]["chrF"] == pytest.approx(CHRF().corpus_score(hyps, [refs]).score)
    assert raw["scores"]["chrF"] < 100
    res = wb("evaluate", "--ref", ref, "--hyp", hyp, "--lang", "km", "--json", "--strip-zwsp")
    out = json.loads(res.stdout)
    assert out["scores"]["chrF"] == 100.0 and out["signatures"]["chrF"].endswith("+nozwsp")
