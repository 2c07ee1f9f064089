"""``align_corpus``: pair the documents of two folders and sentence-align every pair into one TMX, on Dask.

The stages, each resumable through the state file (:mod:`.state`):

1. **list and hash** (client): every file of both folders, its sha256 (files are streamed, not kept);
   a file that cannot be read is listed as skipped;
2. **features** (workers): each document is read, segmented and reduced to its pairing features
   (:mod:`.documents`); features already in the state file are not computed again;
3. **pairing** (client): one-to-one pairs with a score (:mod:`.pairing`), unpaired documents reported;
4. **alignment** (workers): every pair not yet in the state file is aligned with the project's aligner,
   at most a window of pairs in flight; each result is committed to the state file as it arrives;
5. **output** (client): the TMX is written from the state file in pair order (source file name), one pair
   at a time, so its content is the same whatever order the workers finished in; links below
   ``min_confidence`` go to the review TSV instead.
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.config import check_lang
from ..core.errors import InputError
from ..core.safeio import atomic_write, csv_safe_row
from .documents import (
    FEATURES_VERSION,
    DocFeatures,
    DocRef,
    iter_chunks,
    list_documents,
    sha256_file,
    unpack_features,
)
from .pairing import PairingConfig, pair_documents
from .state import CorpusState, key

#: bump when what a stored alignment means changes (the aligner's own version is part of the key too)
ALIGN_VERSION = 1
#: languages a corpus can be in (segmentation and the aligner both cover them)
CORPUS_LANGUAGES = ("en", "ru", "km")

Progress = Callable[[str, int, int], None]


@dataclass
class Skipped:
    side: str  # language
    name: str
    reason: str


@dataclass
class CorpusAlignResult:
    src_lang: str
    tgt_lang: str
    n_src: int = 0
    n_tgt: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    pairs: list[tuple[str, str, float]] = field(default_factory=list)
    #: (language, document, why, best candidate, its score): documents left without a partner by pairing
    unpaired: list[tuple[str, str, str, str, float | None]] = field(default_factory=list)
    aligned: int = 0  # pairs aligned in this run
    reused: int = 0  # pairs taken from the state file
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # src, tgt, reason
    units: int = 0
    review: int = 0
    task_seconds: float = 0.0  # wall time of the alignment tasks of this run, summed over the workers
    task_cpu: float = 0.0  # their CPU time
    features_cpu: float = 0.0  # CPU time of reading documents and computing their features, this run
    features_done: int = 0  # documents whose features were computed this run
    seconds: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, Path] = field(default_factory=dict)
    workers: int = 0
    signals: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        s, t = self.src_lang, self.tgt_lang
        n_unp = {lang: sum(1 for u in self.unpaired if u[0] == lang) for lang in (s, t)}
        skipped = f" ({len(self.skipped)} skipped: unreadable, binary or empty)" if self.skipped else ""
        lines = [
            f"documents: {self.n_src} {s}, {self.n_tgt} {t}{skipped}",
            f"pairs: {len(self.pairs)} ({n_unp[s]} {s} and {n_unp[t]} {t} documents unpaired; signals: "
            f"{', '.join(self.signals) or '-'}) -> {self.outputs.get('pairs', '')}",
            f"aligned: {self.aligned + self.reused} pairs ({self.reused} reused from the last run)"
            + (f", {len(self.failed)} failed" if self.failed else "")
            + f"; {self.units} units -> {self.outputs.get('tmx', '')}; {self.review} links for review -> "
            f"{self.outputs.get('review', '')}",
            "time: " + f"{sum(self.seconds.values()):.1f} s (" + ", ".join(
                f"{k} {v:.1f} s" for k, v in self.seconds.items()) + f") on {self.workers} workers",
        ]
        return lines


def output_paths(out: str | os.PathLike, pairs: str | os.PathLike | None = None,
                 state: str | os.PathLike | None = None) -> dict[str, Path]:
    """The files a run writes beside ``OUT.tmx``: ``OUT.pairs.tsv`` (unless ``pairs`` names another),
    ``OUT.review.tsv``, ``OUT.unpaired.tsv``, ``OUT.state.db`` (unless ``state``)."""
    out = Path(out)
    stem = out.with_suffix("") if out.suffix.lower() == ".tmx" else out
    return {"tmx": out, "pairs": Path(pairs) if pairs else Path(f"{stem}.pairs.tsv"),
            "review": Path(f"{stem}.review.tsv"), "unpaired": Path(f"{stem}.unpaired.tsv"),
            "state": Path(state) if state else Path(f"{stem}.state.db")}


def _hash_all(refs: list[DocRef], lang: str, skipped: list[Skipped]) -> list[tuple[DocRef, str]]:
    out = []
    for r in refs:
        try:
            out.append((r, sha256_file(r.path)))
        except OSError as exc:
            skipped.append(Skipped(lang, r.name, f"{r.path}: cannot be read ({exc.strerror or exc})"))
    return out


def _list_side(folder, exclude: set[Path]) -> list[DocRef]:
    refs = [r for r in list_documents(folder) if r.path.resolve() not in exclude]
    if not refs:
        raise InputError(f"{folder}: the folder holds no documents")
    return refs


def align_corpus(src_dir: str | os.PathLike, tgt_dir: str | os.PathLike, out: str | os.PathLike, *,
                 src_lang: str, tgt_lang: str, client: Any = None, scheduler: str | None = None,
                 workers: int | None = None, pairs_path: str | os.PathLike | None = None,
                 state_path: str | os.PathLike | None = None, min_confidence: float = 0.5,
                 embeddings: bool = True, glossary: str | os.PathLike | None = None,
                 pairing: PairingConfig | None = None, send_text: bool | None = None,
                 worker_home: str | os.PathLike | None = None, progress: Progress | None = None
                 ) -> CorpusAlignResult:
    """Pair the documents of ``src_dir`` and ``tgt_dir``, sentence-align every pair and write ``out`` (TMX)
    and the files of :func:`output_paths`.

    ``client``: a ``distributed.Client`` to use; else one is opened for ``scheduler`` (an address) or for a
    local cluster of ``workers`` processes. ``glossary``: a glossary file whose concepts become lexical
    anchors for pairing and alignment (None: none; the file is sent to every worker once). ``send_text``: send
    the documents to the workers instead of letting them read the files (default: only when some worker
    cannot see both folders). ``worker_home``: the data directory as the workers see it (default: this
    process's).
    ``progress(stage, done, total)`` for the stages ``documents`` (read), ``pairing`` (source documents
    scored) and ``pairs`` (aligned).
    """
    src_lang = check_lang(src_lang, CORPUS_LANGUAGES)
    tgt_lang = check_lang(tgt_lang, CORPUS_LANGUAGES)
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"--min-confidence {min_confidence}: give a confidence between 0 and 1")
    paths = output_paths(out, pairs_path, state_path)
    src_root, tgt_root = Path(src_dir).resolve(), Path(tgt_dir).resolve()
    if src_root == tgt_root:
        raise InputError(f"{src_dir}: the source and target folders are the same; give one folder per language")
    exclude = {p.resolve() for p in paths.values()} | {Path(f"{paths['state']}{s}").resolve() for s in
                                                        ("-wal", "-shm", "-journal")}
    src_refs, tgt_refs = _list_side(src_dir, exclude), _list_side(tgt_dir, exclude)
    if client is None:
        from .cluster import open_client

        with open_client(scheduler, workers) as c:
            return align_corpus(src_dir, tgt_dir, out, src_lang=src_lang, tgt_lang=tgt_lang, client=c,
                                pairs_path=pairs_path, state_path=state_path, min_confidence=min_confidence,
                                embeddings=embeddings, glossary=glossary, pairing=pairing, send_text=send_text,
                                worker_home=worker_home, progress=progress)
    if glossary and not Path(glossary).is_file():
        raise InputError(f"{glossary}: glossary file not found")
    return _Run(src_refs, tgt_refs, paths, src_lang, tgt_lang, client, min_confidence, embeddings,
                str(Path(glossary).resolve()) if glossary else None, pairing or PairingConfig(), send_text,
                worker_home, progress).run()


class _Run:
    def __init__(self, src_refs, tgt_refs, paths, src_lang, tgt_lang, client, min_confidence, embeddings,
                 glossary, pairing, send_text, worker_home, progress):
        self.src_refs, self.tgt_refs, self.paths = src_refs, tgt_refs, paths
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.client = client
        self.min_confidence = min_confidence
        self.opts = {"embeddings": embeddings, "max_embed": 24}
        self.glossary_path = glossary
        self.gloss = self.gfp = None
        self.pairing = pairing
        self.send_text = send_text
        self.worker_home = worker_home
        self.progress = progress or (lambda stage, done, total: None)
        self.res = CorpusAlignResult(src_lang, tgt_lang, outputs=dict(paths))

    # ------------------------------------------------------------------------------------------ stages

    def run(self) -> CorpusAlignResult:
        from .cluster import glossary_payload, on_every_worker, setup_workers, worker_count, workers_see

        res = self.res
        t0 = time.perf_counter()
        setup_workers(self.client, self.worker_home)
        self.gloss, self.gfp = glossary_payload(self.client, self.glossary_path)
        res.workers = worker_count(self.client)
        if self.opts["embeddings"]:
            # every worker loads its encoder now (in parallel); its name is part of what results are keyed by
            names = set(on_every_worker(self.client, _embedder_name_fn()))
            if len(names) > 1:
                raise InputError(f"the workers use different sentence encoders ({', '.join(map(str, names))}); "
                                 "install LaBSE on every worker or on none")
            self.opts["embedder"] = names.pop() if names else None
        if self.send_text is None:
            self.send_text = not workers_see(self.client, self.src_refs[0].root, self.tgt_refs[0].root)
        with CorpusState(self.paths["state"]) as state:
            src = _hash_all(self.src_refs, self.src_lang, res.skipped)
            tgt = _hash_all(self.tgt_refs, self.tgt_lang, res.skipped)
            src_f, tgt_f = self.features(state, src, tgt)
            res.n_src, res.n_tgt = len(src_f), len(tgt_f)
            if not src_f or not tgt_f:
                side = self.src_refs[0].root if not src_f else self.tgt_refs[0].root
                raise InputError(f"{side}: none of the documents could be read (see the list above)")
            res.seconds["features"] = time.perf_counter() - t0
            t1 = time.perf_counter()
            pr = pair_documents([f for f, _ in src_f], [f for f, _ in tgt_f], self.pairing, client=self.client,
                                progress=lambda done, total: self.progress("pairing", done, total))
            res.signals = pr.signals
            pairs = [(src_f[i][1], tgt_f[j][1], s, src_f[i][0].sha, tgt_f[j][0].sha,
                      src_f[i][0].n_sents + tgt_f[j][0].n_sents) for i, j, s in pr.pairs]
            res.pairs = [(a.name, b.name, s) for a, b, s, *_ in pairs]
            res.unpaired = [(self.src_lang, src_f[u.index][0].name, u.reason,
                             tgt_f[u.best][0].name if u.best is not None else "", u.score) for u in pr.unpaired_src]
            res.unpaired += [(self.tgt_lang, tgt_f[u.index][0].name, u.reason,
                              src_f[u.best][0].name if u.best is not None else "", u.score)
                             for u in pr.unpaired_tgt]
            res.seconds["pairing"] = time.perf_counter() - t1
            t2 = time.perf_counter()
            keys = self.align_pairs(state, pairs)
            res.seconds["alignment"] = time.perf_counter() - t2
            t3 = time.perf_counter()
            self.write_pairs()
            self.write_outputs(state, pairs, keys)
            res.seconds["output"] = time.perf_counter() - t3
        return res

    def features(self, state: CorpusState, src, tgt):
        """Features of every readable document of both sides: ([(DocFeatures, DocRef)], same for target)."""
        from .cluster import stream, worker_count

        todo_total = len(src) + len(tgt)
        sides = [(self.src_lang, src), (self.tgt_lang, tgt)]
        fkey = {}
        for lang, items in sides:
            for ref, sha in items:
                fkey[(lang, ref.name)] = key(sha, lang, FEATURES_VERSION, self.opts, self.gfp)
        cached = state.get_features(fkey.values())
        got: dict[tuple[str, str], DocFeatures] = {}
        missing: list[tuple[str, list[tuple[DocRef, str]]]] = []
        for lang, items in sides:
            miss = []
            for ref, sha in items:
                hit = cached.get(fkey[(lang, ref.name)])
                if hit is not None:
                    got[(lang, ref.name)] = unpack_features(hit[1], ref.name, sha, hit[0])
                else:
                    miss.append((ref, sha))
            missing.append((lang, miss))
        done = len(got)
        self.progress("documents", done, todo_total)
        nw = worker_count(self.client)
        chunks = []
        for lang, miss in missing:
            size = max(1, min(16, len(miss) // (4 * nw) or 1))
            chunks += [(lang, list(c)) for c in iter_chunks(miss, size)]
        # documents are read (or, with send_text, loaded here) only as their task is submitted
        for (lang, chunk), result in stream(self.client, _features_fn(), chunks,
                                            lambda c: ([(self._ship(r), sha) for r, sha in c[1]], c[0], self.opts,
                                                       self.gloss), window=2 * nw):
            if isinstance(result, BaseException):
                result = [{"name": r.name, "error": f"{r.path}: {result.__class__.__name__}: {result}"}
                          for r, _ in chunk]
            rows = []
            for rec in result:
                if "error" in rec:
                    self.res.skipped.append(Skipped(lang, rec["name"], rec["error"]))
                    continue
                got[(lang, rec["name"])] = unpack_features(rec["data"], rec["name"], rec["sha"], rec["embedder"])
                self.res.features_cpu += rec.get("cpu", 0.0)
                self.res.features_done += 1
                rows.append((fkey[(lang, rec["name"])], rec["sha"], lang, rec["embedder"], rec["data"]))
            state.put_features(rows)
            done += len(result)
            self.progress("documents", done, todo_total)
        out = []
        for lang, items in sides:
            out.append([(got[(lang, r.name)], r) for r, _ in items if (lang, r.name) in got])
        return out[0], out[1]

    def _ship(self, ref: DocRef) -> DocRef:
        return ref.with_data() if self.send_text else ref

    def pair_key(self, a_sha: str, b_sha: str) -> str:
        return key(a_sha, b_sha, self.src_lang, self.tgt_lang, ALIGN_VERSION, __version__, self.opts, self.gfp)

    def align_pairs(self, state: CorpusState, pairs) -> list[str]:
        """Align every pair not in the state file; returns the pairs' state keys, in pair order."""
        from .cluster import stream, worker_count

        keys = [self.pair_key(sa, sb) for _, _, _, sa, sb, _ in pairs]
        have = state.has_pairs(keys)
        todo = [(p, k) for p, k in zip(pairs, keys) if k not in have]
        # the longest documents first: the last tasks are then short, and the workers finish together
        todo.sort(key=lambda t: -t[0][5])
        self.res.reused = len(pairs) - len(todo)
        done = self.res.reused
        self.progress("pairs", done, len(pairs))
        nw = worker_count(self.client)
        for ((a, b, _, sa, sb, _), k), result in stream(
                self.client, _align_fn(), todo,
                lambda t: (self._ship(t[0][0]), self._ship(t[0][1]), self.src_lang, self.tgt_lang, self.opts,
                           self.gloss),
                window=2 * nw):
            if isinstance(result, BaseException):
                result = {"error": f"{a.name} / {b.name}: {result.__class__.__name__}: {result}"}
            elif "error" not in result and (result["src_sha"], result["tgt_sha"]) != (sa, sb):
                result = {"error": f"{a.name} / {b.name}: a file changed during the run; run again"}
            if "error" in result:
                self.res.failed.append((a.name, b.name, result["error"]))
            else:
                state.put_pair(k, sa, sb, result)
                self.res.aligned += 1
                self.res.task_seconds += result.get("seconds", 0.0)
                self.res.task_cpu += result.get("cpu", 0.0)
            done += 1
            self.progress("pairs", done, len(pairs))
        return keys

    # ------------------------------------------------------------------------------------------ output

    def write_pairs(self) -> None:
        with atomic_write(self.paths["pairs"], "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t", lineterminator="\n")
            w.writerow([f"source ({self.src_lang})", f"target ({self.tgt_lang})", "score"])
            for a, b, s in self.res.pairs:
                w.writerow(csv_safe_row([a, b]) + [f"{s:.4f}"])
        with atomic_write(self.paths["unpaired"], "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t", lineterminator="\n")
            w.writerow(["language", "document", "reason", "best candidate", "score"])
            for side, name, why, best, score in self.res.unpaired:
                w.writerow(csv_safe_row([side, name, why, best]) + ["" if score is None else f"{score:.4f}"])
            for s in self.res.skipped:
                w.writerow(csv_safe_row([s.side, s.name, f"skipped: {s.reason}", ""]) + [""])
            for a, b, why in self.res.failed:
                w.writerow(csv_safe_row([self.src_lang, a, f"alignment failed: {why}", b]) + [""])

    def write_outputs(self, state: CorpusState, pairs, keys: list[str]) -> None:
        from ..align import Link, link_units
        from ..tm.tmx import write_tmx

        res = self.res
        res.units = res.review = 0
        with atomic_write(self.paths["review"], "w", encoding="utf-8", newline="") as rf:
            rw = csv.writer(rf, delimiter="\t", lineterminator="\n")
            rw.writerow([f"source document ({self.src_lang})", f"target document ({self.tgt_lang})", "link",
                         "confidence", "source", "target"])

            def units() -> Iterator[Any]:
                for (a, b, score, *_), k in zip(pairs, keys):
                    data = state.get_pair(k)
                    if data is None:  # failed in this run: listed in the summary
                        continue
                    links = [Link(tuple(s), tuple(t), float(c)) for s, t, c in data["links"]]
                    keep = [l for l in links if l.src and l.tgt and l.score >= self.min_confidence]
                    for l in links:
                        if l.score < self.min_confidence or not (l.src and l.tgt):
                            res.review += 1
                            rw.writerow(csv_safe_row([
                                a.name, b.name, l.as_gold(), f"{l.score:.4f}",
                                " ".join(data["src"][i] for i in l.src), " ".join(data["tgt"][i] for i in l.tgt)]))
                    for u in link_units(keep, data["src"], data["tgt"], self.src_lang, self.tgt_lang):
                        u.props = [("x-document", a.name), ("x-target-document", b.name),
                                   ("x-pair-score", f"{score:.4f}")] + u.props
                        res.units += 1
                        yield u

            write_tmx(self.paths["tmx"], units(), srclang=self.src_lang)


def _features_fn():
    from .tasks import features_task

    return features_task


def _embedder_name_fn():
    from .tasks import embedder_name

    return embedder_name


def _align_fn():
    from .tasks import align_task

    return align_task
