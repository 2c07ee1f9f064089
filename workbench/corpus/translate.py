"""``translate_corpus``: pre-translate every document of a folder (TM, then MT with the glossary, as
``workbench translate`` does for a project) on Dask.

Each document becomes one project file in the output folder (``a/b.txt`` -> ``OUT_DIR/a/b.db``), or with
``fmt="txt"`` line-aligned text files (``OUT_DIR/a/b.en.txt``, ``b.ru.txt``, ...). A worker builds the
project in a temporary folder of its own and sends the finished file back; only the client writes into the
output folder (atomically), so the output folder need not be visible to the workers and an interrupted run
never leaves half a file. A worker loads each MT model once (:func:`workbench.mt.engine.load_engine` keeps
one engine per process) and reuses it for every document it gets.

Resumable: what is done is recorded in ``OUT_DIR/.workbench-corpus.db`` (keyed by the document's content and
the settings) and not done again while its output exists. A project file that exists but was not made by a
run with the same document and settings (another version of the document, other languages, a project
someone made by hand) is never overwritten: the document is listed as skipped. Text files are outputs only
and are written again.
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
from .documents import DocRef, list_documents, sha256_file
from .state import CorpusState, key

FORMATS = ("db", "txt")
STATE_NAME = ".workbench-corpus.db"

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
                     send_text: bool | None = None, worker_home: str | os.PathLike | None = None,
                     progress: Progress | None = None) -> CorpusTranslateResult:
    """Pre-translate every document of ``folder`` into ``out_dir`` (see the module docstring).

    ``glossary``: the glossary file (default: the default glossary; sent to every worker once). The MT model
    is checked on the client before anything starts; the workers must find it through their data directory
    (``worker_home``, default: this process's), see docs/corpus.md.
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
    if gpath and not Path(gpath).is_file():
        raise InputError(f"{gpath}: glossary file not found")
    if client is None:
        from .cluster import open_client

        with open_client(scheduler, workers) as c:
            return translate_corpus(folder, out_dir, langs, src_lang=src_lang, fmt=fmt, client=c, model=model,
                                    backend=backend, use_tm=use_tm, tm_threshold=tm_threshold,
                                    use_glossary=use_glossary, glossary=gpath, beam=beam, batch_size=batch_size,
                                    send_text=send_text, worker_home=worker_home, progress=progress)
    from ..core.safeio import atomic_write_bytes
    from .cluster import glossary_payload, on_every_worker, setup_workers, stream, worker_count, workers_see
    from .tasks import open_stores, translate_task

    t0 = time.perf_counter()
    setup_workers(client, worker_home)
    progress = progress or (lambda stage, done, total: None)
    res = CorpusTranslateResult(output=out, workers=worker_count(client))
    out.mkdir(parents=True, exist_ok=True)
    if send_text is None:
        send_text = not workers_see(client, str(root))
    opts = {"model": model, "backend": backend, "use_tm": use_tm, "tm_threshold": tm_threshold,
            "use_glossary": use_glossary, "beam": beam, "batch_size": batch_size}
    gloss, gfp = glossary_payload(client, gpath)
    targets = _targets(refs, out.resolve(), fmt)
    res.documents = len(refs)
    with CorpusState(out / STATE_NAME) as state:
        keys, todo = {}, []
        for r in refs:
            try:
                sha = sha256_file(r.path)
            except OSError as exc:
                res.skipped.append((r.name, f"{r.path}: cannot be read ({exc.strerror or exc})"))
                continue
            keys[r.name] = key("translate", sha, src_lang, langs, fmt, opts, gfp)
            todo.append((r, sha))
        done_before = state.done_translations(keys.values())
        rest = []
        for r, sha in todo:
            written = _written(targets[r.name], fmt, src_lang, langs)
            if keys[r.name] in done_before and all(p.exists() for p in written):
                res.reused += 1
            elif fmt == "db" and written[0].exists():
                res.skipped.append((r.name, f"{written[0]}: exists and was not made from this version of "
                                            f"{r.name} with these settings; move it away to translate again"))
            else:
                rest.append((r, sha))
        done = res.reused + len(res.skipped)
        progress("documents", done, len(refs))
        if rest:
            on_every_worker(client, open_stores, use_tm, one_at_a_time=True)
        for (r, _), rec in stream(client, translate_task, rest,
                                  lambda item: (item[0].with_data() if send_text else item[0], item[1], fmt,
                                                src_lang, langs, opts, gloss),
                                  window=2 * res.workers):
            if isinstance(rec, BaseException):
                rec = {"error": f"{r.path}: {rec.__class__.__name__}: {rec}"}
            if "error" in rec:
                res.skipped.append((r.name, rec["error"]))
            else:
                target = targets[r.name]
                paths = _written(target, fmt, src_lang, langs)
                # recorded first: a crash before the files are written means they are made again next time
                state.put_translation(keys[r.name], r.name, [str(p) for p in paths])
                target.parent.mkdir(parents=True, exist_ok=True)
                if fmt == "db":
                    atomic_write_bytes(target, rec["files"][""])
                else:
                    for p, lang in zip(paths, [src_lang, *langs]):
                        atomic_write_bytes(p, rec["files"][lang])
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
