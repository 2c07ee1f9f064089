"""``workbench models pull``: download a registered model from the Hugging Face Hub, or fail at once.

Offline (``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE`` set, or the Hub unreachable within a few seconds) it
raises :class:`ModelUnavailable` with one line that says how to import a local copy. It never hangs.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

from ..core.errors import ModelUnavailable
from .registry import get_model, models_dir, safe_model_name, update_user_entry, validate_marian_dir

PROBE_TIMEOUT = 4.0
_IGNORE = ["*.h5", "*.msgpack", "*.ot", "*.onnx", "*.md", ".gitattributes", "*.tflite"]


def _offline_hint(name: str) -> str:
    return (f"copy the model folder from a machine with internet (e.g. huggingface-cli download {name}) "
            f"and run 'workbench models import {name} DIR'")


def hub_reachable(endpoint: str | None = None, timeout: float = PROBE_TIMEOUT) -> bool:
    """Can we open a TCP connection to the Hub within ``timeout`` seconds (DNS included)?"""
    url = urlparse(endpoint or os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    host, port = url.hostname or "huggingface.co", url.port or (80 if url.scheme == "http" else 443)
    ok: list[bool] = []

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                ok.append(True)
        except OSError:
            pass

    t = threading.Thread(target=probe, daemon=True)  # getaddrinfo ignores timeouts: bound it with a thread
    t.start()
    t.join(timeout)
    return bool(ok)


def pull(name: str, *, revision: str | None = None) -> Path:
    entry = get_model(name)
    repo = entry.hf_id or (name if "/" in name and not Path(name).exists() else None)
    if not repo:
        raise ModelUnavailable(f"model {name} has no Hugging Face id (hf_id) in the registry; "
                               f"import it with 'workbench models import {name} DIR'")
    if any(os.environ.get(v, "").strip().lower() in ("1", "true", "yes", "on")
           for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")):
        raise ModelUnavailable(f"offline (HF_HUB_OFFLINE is set): cannot download {repo}; {_offline_hint(name)}")
    if not hub_reachable():
        raise ModelUnavailable(f"cannot reach the Hugging Face Hub to download {repo}; {_offline_hint(name)}")
    os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
    os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "30")
    from huggingface_hub import HfApi, snapshot_download

    dest = models_dir() / safe_model_name(name)
    tmp = dest.with_name(dest.name + ".partial")
    try:
        sha = HfApi().model_info(repo, revision=revision, timeout=15).sha
        snapshot_download(repo, revision=sha, local_dir=str(tmp), ignore_patterns=_IGNORE)
    except Exception as exc:  # network, HTTP, disk: all become one line (httpx errors are not OSError)
        raise ModelUnavailable(f"download of {repo} failed ({str(exc).splitlines()[0][:120]}); "
                               f"run the command again to resume, or {_offline_hint(name)}") from None
    shutil.rmtree(tmp / ".cache", ignore_errors=True)
    validate_marian_dir(tmp)
    if dest.exists():
        shutil.rmtree(dest)
    os.replace(tmp, dest)
    update_user_entry(entry.name, path=str(dest), revision=sha)
    return dest
