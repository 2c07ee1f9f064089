"""Managing models from a server: the per-pair listing, the languages a project has no model for, and the
import/convert jobs on a real JobRunner (the conversion runs ``workbench models convert`` in its own process)."""

from __future__ import annotations

import time

import pytest

from workbench.core.errors import InputError, ModelUnavailable, NotFound
from workbench.core.jobs import JobRunner
from workbench.core.store import Project
from workbench.mt import manage
from workbench.mt.engine import load_engine
from workbench.mt.registry import get_model, register_local, set_default

BEST_RU = "Helsinki-NLP/opus-mt-tc-big-en-zle"
BEST_KM = "Helsinki-NLP/opus-mt-tc-bible-big-deu_eng_fra_por_spa-mkh"


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "p.db", "p", "en", ["ru", "km"])
    p.add_document("doc", [(0, "The minister met the ambassador.")])
    yield p
    p.close()


@pytest.fixture
def runner():
    r = JobRunner(workers=1)
    yield r
    r.shutdown(cancel=True, wait=True)


def test_missing_models_name_the_language_and_the_best_model(project, tiny_marian, workbench_home):
    missing = manage.missing_models(project)
    assert [(m.src, m.tgt) for m in missing] == [("en", "ru"), ("en", "km")]
    assert missing[0].candidates[0] == BEST_RU and missing[1].candidates[0] == BEST_KM
    assert "No English→Russian MT model is installed" in missing[0].message
    assert BEST_RU in missing[0].message and "Models tab" in missing[0].message
    register_local("tiny-ru", tiny_marian, tgts=["ru"])
    assert [m.tgt for m in manage.missing_models(project)] == ["km"]


def test_rows_per_pair_best_first_and_the_one_in_use(tiny_marian, workbench_home):
    rows = manage.model_rows()
    ru = [r for r in rows if r.tgt == "ru"]
    assert [r.name for r in ru][:2] == [BEST_RU, "Helsinki-NLP/opus-mt-en-ru"]
    assert [r.name for r in rows if r.tgt == "km"][0] == BEST_KM
    assert not any(r.installed or r.in_use for r in rows)
    register_local("Helsinki-NLP/opus-mt-en-ru", tiny_marian)  # a copy of a registered model
    register_local("tiny", tiny_marian, tgts=["ru", "km"])
    rows = {(r.name, r.tgt): r for r in manage.model_rows()}
    small = rows[("Helsinki-NLP/opus-mt-en-ru", "ru")]
    assert small.installed and small.in_use and small.backend == "transformers" and small.size_bytes > 0
    assert small.revision.startswith("local ")
    assert rows[("tiny", "km")].in_use and not rows[("tiny", "ru")].in_use
    manage.make_default("tiny")
    rows = {(r.name, r.tgt): r for r in manage.model_rows()}
    assert rows[("tiny", "ru")].in_use and rows[("tiny", "ru")].chosen
    assert not rows[("Helsinki-NLP/opus-mt-en-ru", "ru")].in_use
    set_default("Helsinki-NLP/opus-mt-en-ru")  # only one default per pair
    assert not get_model("tiny").default and get_model("Helsinki-NLP/opus-mt-en-ru").default
    with pytest.raises(ModelUnavailable, match="not installed"):
        manage.make_default(BEST_KM)


def test_import_job_copies_converts_and_is_used_at_once(tiny_marian, tiny_pairs, runner, workbench_home):
    register_local("tiny-marian", tiny_marian)  # the editor had it on transformers before
    before = load_engine("tiny-marian")
    assert before.backend == "hf"
    job = manage.ModelJobs(runner).import_folder(str(tiny_marian), copy=True, default=True)
    assert job.title == "Import tiny-marian"  # named after the folder
    assert job.wait(300), job.snapshot()
    snap = job.snapshot()
    assert snap.state == "done", snap.error
    total = sum(p.stat().st_size for p in tiny_marian.iterdir() if p.is_file())
    assert (snap.done, snap.total, snap.unit) == (total, total, "bytes")
    entry = get_model("tiny-marian")
    assert entry.model_dir.parent == workbench_home / "models" and entry.ct2_dir() is not None and entry.default
    eng = load_engine("tiny-marian")
    assert eng.backend == "ct2" and eng is not before
    assert eng.translate(["Thank you very much."], "km")[0][0].text == dict(tiny_pairs["km"])["Thank you very much."]


def test_import_of_a_folder_that_is_not_a_model_fails_before_any_job(tmp_path, runner, workbench_home):
    jobs = manage.ModelJobs(runner)
    with pytest.raises(NotFound, match="no such directory"):
        jobs.import_folder(str(tmp_path / "nope"))
    (tmp_path / "x").mkdir()
    with pytest.raises(InputError, match="not a Marian model directory"):
        jobs.import_folder(str(tmp_path / "x"))
    with pytest.raises(InputError, match="type the path"):
        jobs.import_folder("  ")
    assert jobs.jobs() == []


def test_cancelled_conversion_leaves_no_half_model(tiny_marian, runner, tmp_path, workbench_home):
    import shutil

    d = tmp_path / "copy"
    shutil.copytree(tiny_marian, d)
    register_local("tiny-copy", d)
    job = manage.ModelJobs(runner).convert("tiny-copy")
    deadline = time.monotonic() + 30
    while job.state != "running" and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the conversion process is starting (it imports torch): interrupt it there
    job.cancel()
    assert job.wait(60)
    assert job.state == "cancelled"
    assert get_model("tiny-copy").ct2_dir() is None
    assert not list(d.glob(".ct2-tmp-*"))
    with pytest.raises(ModelUnavailable, match="not installed"):
        manage.ModelJobs(runner).convert(BEST_RU)


def test_download_needs_a_hub_id(runner, tiny_marian, workbench_home):
    register_local("local-only", tiny_marian)
    with pytest.raises(ModelUnavailable, match="import a copied folder"):
        manage.ModelJobs(runner).download("local-only")


def test_only_admins_manage_models_once_there_are_logins():
    from workbench.core.errors import PermissionDenied
    from workbench.core.workflow import Actor

    assert manage.may_manage_models("user")  # no logins: a plain name may
    assert manage.may_manage_models(Actor("ann", "admin"))
    manage.require_manage_models(Actor("ann", "admin"))
    for role in ("translator", "reviewer"):
        assert not manage.may_manage_models(Actor("bob", role))
        with pytest.raises(PermissionDenied, match="only admins may download, import or convert MT models"):
            manage.require_manage_models(Actor("bob", role))
