"""Downloading a registered model from the Hugging Face Hub (``workbench models pull``, the editor's Models tab).

Offline (``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE`` set, or the Hub unreachable within a few seconds) it
raises :class:`ModelUnavailable` with one line that says how to bring a copy in from another machine; it
never hangs. Otherwise it lists the model's files at one commit, downloads the ones a Marian model needs with
huggingface_hub (resumable: an interrupted or cancelled download continues where it stopped) and reports
``progress(bytes_done, bytes_total)``; a ``progress`` that raises (a cancelled job) stops the download.
``HF_ENDPOINT`` (a mirror) is read when the download starts.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ..core.errors import ModelUnavailable, WorkbenchError
from .registry import get_model, list_models, models_dir, safe_model_name, update_user_entry, validate_marian_dir

PROBE_TIMEOUT = 4.0
DEFAULT_ENDPOINT = "https://huggingface.co"
#: the files of a Marian model folder that are downloaded (weights: safetensors when the repository has them)
WANTED = ("config.json", "generation_config.json", "source.spm", "target.spm", "vocab.json", "target_vocab.json",
          "tokenizer_config.json", "special_tokens_map.json", "model.safetensors", "model-*.safetensors",
          "model.safetensors.index.json", "pytorch_model.bin")

Progress = Callable[[int, int], None]


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def offline_hint(name: str) -> str:
    """How to bring ``name`` in from a machine with internet, in one line."""
    return (f"on a machine with internet run 'hf download {name} --local-dir {name.rsplit('/', 1)[-1]}', copy that "
            f"folder here and run 'workbench models import {name} DIR' (or use Import in the editor's Models tab)")


def offline_env() -> str | None:
    """The variable that switches the Hub off, if one is set."""
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        if os.environ.get(var, "").strip().lower() in ("1", "true", "yes", "on"):
            return var
    return None


@dataclass(frozen=True)
class HubStatus:
    online: bool
    endpoint: str
    reason: str = ""  # why not, when offline


def hub_status(repo: str | None = None, timeout: float = PROBE_TIMEOUT) -> HubStatus:
    """Whether models can be downloaded now: asks the Hub about ``repo`` (default: the first registered model
    with a Hub id) and answers within ``timeout`` seconds, DNS included."""
    url = endpoint()
    var = offline_env()
    if var:
        return HubStatus(False, url, f"{var} is set: this server is configured not to use the Hugging Face Hub")
    if repo is None:
        repo = next((e.hf_id for e in list_models() if e.hf_id), "Helsinki-NLP/opus-mt-en-ru")
    answer: list[object] = []

    def probe() -> None:
        req = urllib.request.Request(f"{url}/api/models/{repo}", headers={"User-Agent": "workbench"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                answer.append(resp.status)
        except urllib.error.HTTPError as exc:
            answer.append(exc.code)
        except (OSError, ValueError) as exc:  # no route, refused, DNS, TLS, a malformed address
            answer.append(exc)

    t = threading.Thread(target=probe, daemon=True)  # name resolution ignores timeouts: bound it with a thread
    t.start()
    t.join(timeout)
    if not answer:
        return HubStatus(False, url, f"the Hugging Face Hub ({url}) did not answer within {timeout:.0f} s")
    if answer[0] == 200:
        return HubStatus(True, url)
    if isinstance(answer[0], int):
        return HubStatus(False, url, f"{url} answered HTTP {answer[0]} for {repo}: not a Hugging Face Hub, "
                                     "or the model is not there")
    reason = getattr(answer[0], "reason", None) or answer[0]
    return HubStatus(False, url, f"the Hugging Face Hub ({url}) cannot be reached from this server ({reason})")


def _wanted(files: dict[str, int]) -> dict[str, int]:
    out = {f: n for f, n in files.items() if any(fnmatch.fnmatch(f, p) for p in WANTED)}
    if any(f.endswith(".safetensors") for f in out):
        out.pop("pytorch_model.bin", None)
    return out


PARTS = ".parts"  # inside the download folder: files being downloaded (kept when stopped, to resume)
COMMIT = ".commit"  # the Hub commit the download folder holds files of
CHUNK = 256 * 1024  # bytes between progress reports


def _start_folder(tmp: Path, sha: str) -> None:
    """The download folder for commit ``sha``: kept (to resume) when it holds that commit's files, else
    emptied."""
    mark = tmp / COMMIT
    if tmp.is_dir() and not (mark.is_file() and mark.read_text(encoding="utf-8").strip() == sha):
        shutil.rmtree(tmp)
    (tmp / PARTS).mkdir(parents=True, exist_ok=True)
    mark.write_text(sha, encoding="utf-8")


def _download_file(repo: str, fname: str, sha: str, tmp: Path, url: str, size: int,
                   report: Callable[[int], None]) -> None:
    """One file of the repository at commit ``sha`` into ``tmp``, continuing a partial download (an HTTP
    range request) when one is there. ``report(bytes of this file)`` after every chunk written (a
    ``report`` that raises stops the download; what was written stays for the next try)."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.utils import build_hf_headers, hf_raise_for_status, http_stream_backoff

    out = tmp / fname
    if out.is_file() and out.stat().st_size == size:
        return
    meta = get_hf_file_metadata(hf_hub_url(repo, fname, revision=sha, endpoint=url), endpoint=url)
    expected = meta.size if meta.size is not None else size
    part = tmp / PARTS / (fname.replace("/", "--") + ".part")
    have = part.stat().st_size if part.is_file() else 0
    if expected and have > expected:
        have = 0
    if not (expected and have == expected):
        headers = build_hf_headers()
        if urlparse(meta.location).hostname != urlparse(url).hostname:
            headers.pop("authorization", None)  # a signed CDN address: no Hub token
        if have:
            headers["Range"] = f"bytes={have}-"
        timeout = float(os.environ.get("HF_HUB_DOWNLOAD_TIMEOUT") or 30)
        with http_stream_backoff("GET", meta.location, headers=headers, timeout=timeout,
                                 follow_redirects=True) as resp:
            hf_raise_for_status(resp)
            if resp.status_code != 206:  # the whole file (the server ignored the range)
                have = 0
            report(have)
            with part.open("ab" if have else "wb") as f:
                for chunk in resp.iter_bytes(chunk_size=CHUNK):
                    f.write(chunk)
                    have += len(chunk)
                    report(have)
    if expected and have != expected:
        raise ModelUnavailable(f"download of {repo}/{fname} stopped at {have} of {expected} bytes; run it again "
                               "to resume")
    out.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, out)


def pull(name: str, *, revision: str | None = None, progress: Progress | None = None) -> Path:
    """Download ``name`` into ``$WORKBENCH_HOME/models/`` and register it (path and Hub commit); returns the
    folder. ``progress(bytes_done, bytes_total)`` is called as the bytes arrive."""
    entry = get_model(name)
    repo = entry.hf_id or (name if "/" in name and not Path(name).exists() else None)
    if not repo:
        raise ModelUnavailable(f"model {name} has no Hugging Face id (hf_id) in the registry; "
                               f"import it with 'workbench models import {name} DIR'")
    var = offline_env()
    if var:
        raise ModelUnavailable(f"offline ({var} is set): cannot download {repo}; {offline_hint(name)}")
    url = endpoint()
    status = hub_status(repo)
    if not status.online:
        raise ModelUnavailable(f"cannot download {repo}: {status.reason}; {offline_hint(name)}")
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "30")
    from huggingface_hub import HfApi

    dest = models_dir() / safe_model_name(name)
    tmp = dest.with_name(dest.name + ".partial")
    try:
        info = HfApi(endpoint=url).model_info(repo, revision=revision, files_metadata=True, timeout=15)
        sizes = {s.rfilename: int(s.size or (s.lfs.size if s.lfs else 0) or 0) for s in info.siblings or []}
        files = _wanted(sizes)
        if not files:
            raise ModelUnavailable(f"{repo} at {info.sha}: no Marian model files (config.json, source.spm, ...) "
                                   "in the repository; is it a Marian model?")
        total = sum(files.values())
        if entry.installed and entry.revision == info.sha:  # already here at this commit
            if progress:
                progress(total, total)
            return entry.model_dir
        _start_folder(tmp, info.sha)
        finished = 0
        for fname, size in sorted(files.items(), key=lambda kv: kv[1]):  # small files first
            report = (lambda n, base=finished: progress(base + n, total)) if progress else (lambda n: None)
            _download_file(repo, fname, info.sha, tmp, url, size, report)
            finished += size
            if progress:
                progress(finished, total)
    except WorkbenchError:
        raise  # a cancelled job, or our own message: as it is (what was downloaded stays for the next try)
    except Exception as exc:  # network, HTTP, disk: all become one line (httpx errors are not OSError)
        first = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        raise ModelUnavailable(f"download of {repo} failed ({first}); run it again to "
                               f"resume, or {offline_hint(name)}") from None
    shutil.rmtree(tmp / PARTS, ignore_errors=True)
    (tmp / COMMIT).unlink(missing_ok=True)
    validate_marian_dir(tmp)
    if dest.exists():
        shutil.rmtree(dest)
    os.replace(tmp, dest)
    update_user_entry(entry.name, path=str(dest), revision=info.sha)
    return dest
