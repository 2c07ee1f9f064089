"""Managing MT models from a server: what is installed per language pair, which target languages of a project
have no model, and the background jobs that download, import and convert models (the editor's Models tab).

Nothing here knows about the UI. A job runs on a :class:`~workbench.core.jobs.JobRunner`, reports with
``job.progress`` (bytes while downloading or copying) and can be cancelled; on success the model is converted
to CTranslate2 int8 (in a separate process, so the server never loads torch for it) and the loaded engines are
dropped, so the next translation uses the new model without a restart.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..core.config import check_lang
from ..core.errors import InputError, ModelUnavailable
from ..core.jobs import Cancelled, Job, JobRunner
from ..core.workflow import MANAGE_MODELS, may, require, role_of
from .engine import clear_engines
from .pull import pull
from .registry import (
    ModelEntry,
    default_model,
    get_model,
    guess_name,
    list_models,
    register_local,
    set_default,
    validate_marian_dir,
)

JOB_KIND = "model"
LANG_NAMES = {"en": "English", "ru": "Russian", "km": "Khmer"}
#: the files a Marian model folder copied from another machine must hold
FOLDER_FILES = "config.json, source.spm, target.spm, vocab.json, tokenizer_config.json and the weights " \
               "(model.safetensors or pytorch_model.bin)"


def may_manage_models(user: object) -> bool:
    """Whether ``user`` may download, import, convert models and change the default: an admin (a
    :class:`~workbench.core.workflow.Actor` with that role), or anyone when there are no logins (a plain
    name)."""
    return may(role_of(user), MANAGE_MODELS)


def require_manage_models(user: object) -> None:
    """The one check every model-changing action of the editor goes through
    (:class:`~workbench.core.errors.PermissionDenied` for anyone but an admin)."""
    require(user, MANAGE_MODELS)


def lang_name(code: str) -> str:
    return LANG_NAMES.get(code, code)


# ------------------------------------------------------------------------------------------- what is there


@dataclass(frozen=True)
class ModelRow:
    """One registered model for one language pair, as the Models tab lists it."""

    src: str
    tgt: str
    name: str
    installed: bool
    size_bytes: int
    size_note: str  # "small"/"big" from the registry when not installed
    backend: str  # "CTranslate2 int8", "transformers" or "" when not installed
    revision: str
    in_use: bool  # the model translations into tgt use now
    chosen: bool  # marked default by the user
    note: str
    hf_id: str | None

    @property
    def pair(self) -> str:
        return f"{self.src}→{self.tgt}"


def _backend(e: ModelEntry) -> str:
    if not e.installed:
        return ""
    return "CTranslate2 int8" if e.ct2_dir() is not None else "transformers"


def model_rows() -> list[ModelRow]:
    """Every registered model per language pair (pairs in the order of the registry, models in registry order:
    the best published first), installed or not."""
    entries = list_models()
    pairs: list[tuple[str, str]] = []
    for e in entries:
        for t in e.tgt:
            if (e.src, t) not in pairs:
                pairs.append((e.src, t))
    rows = []
    for src, tgt in pairs:
        try:
            used = default_model(src, tgt).name
        except ModelUnavailable:
            used = None
        for e in entries:
            if e.src != src or tgt not in e.tgt:
                continue
            inst = e.installed
            rev = e.model_revision() if inst else (e.revision or "")
            rev = f"local {rev[6:14]}" if rev.startswith("local-") else rev[:12]
            rows.append(ModelRow(src, tgt, e.name, inst, e.disk_size() if inst else 0, e.size or "", _backend(e),
                                 rev, e.name == used, e.default, e.note, e.hf_id))
    return rows


@dataclass(frozen=True)
class MissingModel:
    """A target language of a project that no installed model translates into."""

    src: str
    tgt: str
    candidates: list[str] = field(default_factory=list)  # registered models for the pair, best first

    @property
    def message(self) -> str:
        best = f" (recommended: {self.candidates[0]})" if self.candidates else ""
        return (f"No {lang_name(self.src)}→{lang_name(self.tgt)} MT model is installed: Machine-translate and "
                f"Pre-translate cannot fill {lang_name(self.tgt)}. Download one{best} or import a copied model "
                "folder in the Models tab.")


def missing_models(project) -> list[MissingModel]:
    """The project's target languages that have no installed MT model (empty when MT can run for all)."""
    out = []
    for tgt in project.target_langs:
        try:
            default_model(project.source_lang, tgt)
        except ModelUnavailable:
            cands = [e.name for e in list_models() if e.src == project.source_lang and tgt in e.tgt]
            out.append(MissingModel(project.source_lang, tgt, cands))
    return out


# ------------------------------------------------------------------------------------------- jobs


def convert_in_subprocess(job: Job | None, name: str, *, force: bool = False, poll: float = 0.25) -> None:
    """``workbench models convert NAME`` in its own process (the conversion loads torch and the whole model;
    the server stays lean). Cancelling the job interrupts it; an error becomes the job's one-line error."""
    cmd = [sys.executable, "-m", "workbench", "models", "convert", name] + (["--force"] if force else [])
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        while proc.poll() is None:
            if job is not None and job.cancelled:
                proc.send_signal(signal.SIGINT)  # the CLI stops cleanly on Ctrl-C (temporary folder removed)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                raise Cancelled(f"converting {name}: cancelled")
            time.sleep(poll)
    finally:
        if proc.poll() is None:
            proc.kill()
        err = (proc.stderr.read() if proc.stderr else "") or ""
        if proc.stderr:
            proc.stderr.close()
    if proc.returncode:
        lines = [line for line in err.strip().splitlines() if line.strip()]
        raise ModelUnavailable(lines[-1].removeprefix("workbench: ") if lines else
                               f"converting {name} to CTranslate2 failed (exit {proc.returncode})")


def _convert_and_use(job: Job, name: str, *, force: bool = False) -> None:
    snap = job.snapshot()
    job.progress(snap.done, snap.total, f"Converting {name} to CTranslate2 int8 (a minute or two for a big model)")
    convert_in_subprocess(job, name, force=force)
    clear_engines()


class ModelJobs:
    """Starts the model jobs on ``runner`` and finds them again (after a page reload too)."""

    def __init__(self, runner: JobRunner):
        self.runner = runner

    def jobs(self, active: bool | None = None) -> list[Job]:
        return self.runner.jobs(kind=JOB_KIND, active=active)

    def _busy(self, name: str) -> None:
        for job in self.jobs(active=True):
            if job.title.endswith(f" {name}"):
                raise InputError(f"{job.title} is already running; wait for it or cancel it")

    def download(self, name: str, *, owner: str | None = None) -> Job:
        """Download ``name`` from the Hub, convert it, use it."""
        entry = get_model(name)
        if not entry.hf_id:
            raise ModelUnavailable(f"model {name} has no Hugging Face id: import a copied folder instead")
        self._busy(name)

        def work(job: Job) -> str:
            job.note(f"Connecting to the Hub for {name}")
            pull(name, progress=lambda done, total: job.progress(done, total, f"Downloading {name}"))
            _convert_and_use(job, name)
            return f"{name} is installed and in use"

        return self.runner.submit(JOB_KIND, f"Download {name}", work, owner=owner, unit="bytes")

    def import_folder(self, folder: str, *, name: str | None = None, tgts: list[str] | None = None,
                      copy: bool = True, default: bool = False, owner: str | None = None) -> Job:
        """Register a Marian folder on the server (copied into the data folder with ``copy``), convert it,
        use it. The folder is checked before the job starts."""
        path = Path(str(folder or "").strip()).expanduser()
        if not str(folder or "").strip():
            raise InputError("type the path of a model folder on the server, e.g. /srv/models/opus-mt-tc-big-en-zle")
        validate_marian_dir(path)
        name = (name or "").strip() or guess_name(path)
        tgts = [check_lang(t) for t in tgts] if tgts else None
        self._busy(name)

        def work(job: Job) -> str:
            job.note(f"Importing {name}")
            register_local(name, path, tgts=tgts, default=default, copy=copy,
                           progress=lambda done, total: job.progress(done, total, f"Copying {path.name}"))
            _convert_and_use(job, name)
            return f"{name} is installed and in use"

        return self.runner.submit(JOB_KIND, f"Import {name}", work, owner=owner, unit="bytes")

    def convert(self, name: str, *, owner: str | None = None) -> Job:
        """Convert an installed model to CTranslate2 int8 again (and use it)."""
        entry = get_model(name)
        if not entry.installed:
            raise ModelUnavailable(f"model {name} is not installed: download or import it first")
        self._busy(name)

        def work(job: Job) -> str:
            _convert_and_use(job, name, force=True)
            return f"{name} converted to CTranslate2 int8"

        return self.runner.submit(JOB_KIND, f"Convert {name}", work, owner=owner, unit="bytes")


def make_default(name: str) -> ModelEntry:
    """Use ``name`` for its language pairs from now on (it must be installed)."""
    entry = get_model(name)
    if not entry.installed:
        raise ModelUnavailable(f"model {name} is not installed: download or import it first")
    entry = set_default(name)
    clear_engines()
    return entry

