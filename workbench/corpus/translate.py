"""``translate_corpus``: pre-translate every document of a folder (TM, then MT with the glossary, as
``workbench translate`` does for a project) on Dask.

Each document becomes one project file in the output folder (``a/b.txt`` -> ``OUT_DIR/a/b.db``), or with
``fmt="txt"`` line-aligned text files (``OUT_DIR/a/b.en.txt``, ``b.ru.txt``, ...). A worker loads each MT
model once (:func:`workbench.mt.engine.load_engine` keeps one engine per process) and reuses it for every
document it gets.

Resumable: what is done is recorded in ``OUT_DIR/corpus.state.db`` (keyed by the document's content and
the settings) and not done again while its output exists; a project left half-translated by an interrupted
run is opened again and only its empty targets are filled (the MT cache answers what was decoded before). A
project file that exists but was made from another version of the document, or by someone else, is never
overwritten: the document is listed as skipped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.config import check_lang, parse_langs
from ..core.errors import InputError
from ..core.store import Project
from .documents import DocRef, list_documents, read_bytes, sha256_file
from .state import CorpusState, key

#: the project setting where a corpus run records what the project was made from
PROJECT_SETTING = "corpus"
FORMATS = ("db", "txt")
STATE_NAME = "corpus.state.db"

Progress = Callable[[str, int, int], None]


@dataclass
class CorpusTranslateResult:
    documents: int = 0
    translated: int = 0
    reused: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # name, reason
    langs: dict[str, dict[str, int]] = field(default_factory=dict)  # lang -> counts over the documents
    engines: dict[int, set[int]] = field(default_factory=dict)  # worker pid -> ids of the engines it used
    seconds: float = 0.0
    workers: int = 0
    output: Path | None = None

    def summary(self) -> list[str]:
        lines = [f"documents: {self.documents} ({self.translated} translated, {self.reused} done before"
                 + (f", {len(self.skipped)} skipped" if self.skipped else "") + f") -> {self.output}"]
        for lang, c in sorted(self.langs.items()):
            lines.append(f"{lang}: {c.get('mt', 0)} segments by MT ({c.get('cached', 0)} from the cache), "
                         f"{c.get('tm', 0)} from the TM, {c.get('flagged', 0)} flagged for review")
        lines.append(f"time: {self.seconds:.1f} s on {self.workers} workers")
        return lines


def summary_of(result) -> dict[str, dict[str, int]]:
    """The counts of a :class:`workbench.pretranslate.PretranslateResult`, per language (JSON-able)."""
    out: dict[str, dict[str, int]] = {}
    for lang, st in result.mt.items():
        out.setdefault(lang, {}).update(mt=st.translated, cached=st.cached, flagged=st.flagged)
    for lang, st in result.tm.items():
        out.setdefault(lang, {})["tm"] = st.filled
    return out


def open_or_create(path: Path, ref: DocRef, sha: str, src_lang: str, langs: Sequence[str]) -> Project:
    """The project of one document: opened when a run made it from the same content before, else created
    (in a temporary file renamed into place, so a crash never leaves half a project under the real name)."""
    from ..ingest.project import create_from_file
    from ..ingest.readers import decode_bytes, detect_format

    path = Path(path)
    if path.exists():
        project = Project.open(path)
        info = project.get_setting(PROJECT_SETTING) or {}
        if info.get("source_sha") != sha:
            project.close()
            raise InputError(f"{path}: exists and was not made from this version of {ref.name}; move it away "
                             "to translate the document again")
        return project
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ref.data if ref.data is not None else read_bytes(ref.path)
    text = decode_bytes(data, str(ref.path))
    tmp = path.with_name(f".{path.name}.partial")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    project = create_from_file(tmp, None, list(langs), source_lang=src_lang, name=ref.name, text=text,
                               fmt=detect_format(ref.name, text), origin=str(ref.path))
    try:
        project.set_setting(PROJECT_SETTING, {"source_sha": sha, "langs": list(langs), "done": False})
    finally:
        project.close()
    os.replace(tmp, path)
    return Project.open(path)


def _targets(refs: list[DocRef], out_dir: Path, fmt: str) -> dict[str, Path]:
    """Output path of every document: its relative path with the extension replaced (kept when two
    documents would otherwise collide)."""
    ext = ".db" if fmt == "db" else ".txt"
    stems: dict[str, int] = {}
    for r in refs:
        stem = r.name.rsplit(".", 1)[0] if "." in r.name.rsplit("/", 1)[-1] else r.name
        stems[stem] = stems.get(stem, 0) + 1
    out = {}
    for r in refs:
        stem = r.name.rsplit(".", 1)[0] if "." in r.name.rsplit("/", 1)[-1] else r.name
        out[r.name] = out_dir / ((stem if stems[stem] == 1 else r.name) + ext)
    return out


def _written(path: Path, fmt: str, src_lang: str, langs: Sequence[str]) -> list[Path]:
    if fmt == "db":
        return [path]
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return [path.with_name(f"{stem}.{lang}.txt") for lang in [src_lang, *langs]]


def translate_corpus(folder: str | os.PathLike, out_dir: str | os.PathLike, langs: str | Sequence[str], *,
                     src_lang: str = "en", fmt: str = "db", client: Any = None, scheduler: str | None = None,
                     workers: int | None = None, model: str | None = None, backend: str = "auto",
                     use_tm: bool = True, tm_threshold: float = 75, use_glossary: bool = True,
                     glossary: str | os.PathLike | None = None, beam: int = 4, batch_size: int = 16,
                     send_text: bool | None = None, progress: Progress | None = None) -> CorpusTranslateResult:
    """Pre-translate every document of ``folder`` into ``out_dir`` (see the module docstring).

    ``glossary``: the glossary file (default: the default glossary). The MT model is checked on the client
    before anything starts; the workers must find it at the same path (see docs/corpus.md).
    """
    from ..mt.project import resolve_models

    src_lang = check_lang(src_lang)
    langs = parse_langs(langs) if isinstance(langs, str) else [check_lang(l) for l in langs]
    if not langs:
        raise InputError("give the target languages with --to, e.g. --to ru,km")
    if fmt not in FORMATS:
        raise InputError(f"unknown output format {fmt!r}: use db (a project file per document) or txt")
    resolve_models(src_lang, langs, model)  # no model installed: one line now, before any work
    out = Path(out_dir)
    root = Path(folder).resolve()
    exclude = out.resolve()
    refs = [r for r in list_documents(folder) if exclude not in r.path.resolve().parents]
    if not refs:
        raise InputError(f"{folder}: the folder holds no documents")
    if glossary is None and use_glossary:
        from ..glossary import default_path

        glossary = default_path()
    gpath = str(Path(glossary).resolve()) if glossary and use_glossary else None
    if client is None:
        from .cluster import open_client

        with open_client(scheduler, workers) as c:
            return translate_corpus(folder, out_dir, langs, src_lang=src_lang, fmt=fmt, client=c, model=model,
                                    backend=backend, use_tm=use_tm, tm_threshold=tm_threshold,
                                    use_glossary=use_glossary, glossary=gpath, beam=beam, batch_size=batch_size,
                                    send_text=send_text, progress=progress)
    from .cluster import setup_workers, stream, worker_count, workers_see
    from .tasks import translate_task

    t0 = time.perf_counter()
    setup_workers(client)
    progress = progress or (lambda stage, done, total: None)
    res = CorpusTranslateResult(output=out, workers=worker_count(client))
    out.mkdir(parents=True, exist_ok=True)
    if send_text is None:
        send_text = not workers_see(client, str(root), str(out.resolve()))
    opts = {"model": model, "backend": backend, "use_tm": use_tm, "tm_threshold": tm_threshold,
            "use_glossary": use_glossary, "glossary": gpath, "beam": beam, "batch_size": batch_size}
    gfp = sha256_file(Path(gpath)) if gpath else None
    targets = _targets(refs, out.resolve(), fmt)
    todo = []
    with CorpusState(out / STATE_NAME) as state:
        keys = {}
        for r in refs:
            try:
                sha = sha256_file(r.path)
            except OSError as exc:
                res.skipped.append((r.name, f"{r.path}: cannot be read ({exc.strerror or exc})"))
                continue
            keys[r.name] = key("translate", sha, src_lang, langs, fmt, {**opts, "glossary": gfp})
            todo.append((r, sha))
        res.documents = len(refs)
        done_before = state.done_translations(keys.values())
        rest = []
        for r, sha in todo:
            if keys[r.name] in done_before and all(p.exists() for p in _written(targets[r.name], fmt, src_lang,
                                                                                   langs)):
                res.reused += 1
            else:
                rest.append((r, sha))
        done = res.reused + len(res.skipped)
        progress("documents", done, len(refs))
        window = 2 * res.workers
        for (r, _), rec in stream(client, translate_task, rest,
                                    lambda item: (item[0].with_data() if send_text else item[0], item[1],
                                                  str(targets[item[0].name]), fmt, src_lang, langs, opts),
                                    window=window):
            if isinstance(rec, BaseException):
                rec = {"error": f"{r.path}: {rec.__class__.__name__}: {rec}"}
            if "error" in rec:
                res.skipped.append((r.name, rec["error"]))
            else:
                state.put_translation(keys[r.name], r.name, rec["written"])
                res.translated += 1
                for lang, counts in rec["summary"].items():
                    agg = res.langs.setdefault(lang, {})
                    for k, v in counts.items():
                        agg[k] = agg.get(k, 0) + v
                res.engines.setdefault(rec["pid"], set()).update(rec["engines"].values())
            done += 1
            progress("documents", done, len(refs))
    res.seconds = time.perf_counter() - t0
    return res
