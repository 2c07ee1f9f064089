"""The MT model registry: which Marian models exist for which language pair, and where they are installed.

Built-in entries come from ``workbench/mt/models.toml``; the user's ``$WORKBENCH_HOME/models.toml`` (same
format) adds entries and overrides fields of built-in ones (``models import`` and ``models pull`` write it).
Nothing here imports torch or transformers, so checking "is a model installed?" is instant.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.config import check_lang, data_dir
from ..core.errors import InputError, ModelUnavailable, NotFound

BUILTIN_FILE = Path(__file__).with_name("models.toml")
#: the target token multi-target OPUS-MT models use for each language
DEFAULT_TOKENS = {"ru": ">>rus<<", "km": ">>khm<<", "en": ">>eng<<"}
_TOKEN_LANG = {v: k for k, v in DEFAULT_TOKENS.items()}
MARIAN_FILES = ("config.json", "source.spm", "target.spm", "vocab.json")
DEFAULT_PLACEHOLDER = "[{n}]"
_WRITE_LOCK = threading.RLock()


@dataclass
class ModelEntry:
    name: str
    src: str = "en"
    tgt: list[str] = field(default_factory=list)
    hf_id: str | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    size: str | None = None
    path: str | None = None
    revision: str | None = None
    default: bool = False
    placeholder: str = DEFAULT_PLACEHOLDER
    note: str = ""
    builtin: bool = False

    # -- where it is ------------------------------------------------------------------------------

    @property
    def model_dir(self) -> Path:
        return Path(self.path).expanduser() if self.path else models_dir() / safe_model_name(self.name)

    @property
    def installed(self) -> bool:
        return all((self.model_dir / f).is_file() for f in MARIAN_FILES) and _has_weights(self.model_dir)

    def ct2_dir(self, quantization: str = "int8") -> Path | None:
        """The converted CTranslate2 model if there is one (beside the model, or in the data dir)."""
        for cand in ct2_candidates(self.model_dir, self.name, quantization):
            if (cand / "model.bin").is_file():
                return cand
        return None

    @property
    def backends(self) -> list[str]:
        if not self.installed:
            return []
        return ["hf", "ct2"] if self.ct2_dir() else ["hf"]

    def disk_size(self) -> int:
        if not self.model_dir.is_dir():
            return 0
        total = sum(p.stat().st_size for p in self.model_dir.rglob("*") if p.is_file())
        ext = self.ct2_dir()
        if ext is not None and self.model_dir not in ext.parents:
            total += sum(p.stat().st_size for p in ext.rglob("*") if p.is_file())
        return total

    def token_for(self, lang: str) -> str | None:
        """The target-language token to prefix, or None for a single-target model."""
        return self.tokens.get(lang)

    def model_revision(self) -> str:
        """The registered revision (a Hub commit when pulled), else a fingerprint of the model files."""
        if self.revision:
            return self.revision
        return fingerprint(self.model_dir)


def models_dir() -> Path:
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_file() -> Path:
    return data_dir() / "models.toml"


def safe_model_name(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "--", name).strip("-.") or "model"


def ct2_candidates(model_dir: Path, name: str, quantization: str = "int8") -> list[Path]:
    return [model_dir / f"ct2-{quantization}", models_dir() / "ct2" / f"{safe_model_name(name)}-{quantization}"]


def _has_weights(d: Path) -> bool:
    return any((d / f).is_file() for f in ("model.safetensors", "pytorch_model.bin")) or any(
        d.glob("model-*.safetensors")
    )


def fingerprint(model_dir: Path) -> str:
    """A cheap content fingerprint of a model directory: config + tokenizer files hashed, weights by size+mtime."""
    h = hashlib.sha256()
    if not model_dir.is_dir():
        return "missing"
    for p in sorted(model_dir.iterdir()):
        if not p.is_file():
            continue
        h.update(p.name.encode())
        st = p.stat()
        if st.st_size < 5_000_000:
            h.update(p.read_bytes())
        else:
            h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
    return "local-" + h.hexdigest()[:16]


# ------------------------------------------------------------------------------------------- reading


def _entry(raw: dict[str, Any], *, builtin: bool, source: Path) -> ModelEntry:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise InputError(f"{source}: every [[model]] needs a name = \"...\"; fix the file")
    known = set(ModelEntry.__dataclass_fields__) - {"builtin"}
    unknown = set(raw) - known
    if unknown:
        raise InputError(f"{source}: model {raw['name']!r} has unknown field(s) {', '.join(sorted(unknown))}")
    kw = dict(raw)
    if isinstance(kw.get("tgt"), str):
        kw["tgt"] = [kw["tgt"]]
    return ModelEntry(builtin=builtin, **kw)


def _read_toml(path: Path) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"{path}: not a valid TOML model registry ({first}); fix or delete it") from None
    models = data.get("model", [])
    if not isinstance(models, list):
        raise InputError(f"{path}: 'model' must be a list of [[model]] tables")
    return models


def list_models() -> list[ModelEntry]:
    """All registered models: built-in ones (in their file's order) with user overrides, then user-only ones."""
    entries: dict[str, ModelEntry] = {}
    for raw in _read_toml(BUILTIN_FILE):
        e = _entry(raw, builtin=True, source=BUILTIN_FILE)
        entries[e.name] = e
    uf = user_file()
    if uf.is_file():
        for raw in _read_toml(uf):
            if isinstance(raw, dict) and raw.get("name") in entries:
                base = entries[raw["name"]]
                merged = {k: getattr(base, k) for k in ModelEntry.__dataclass_fields__ if k != "builtin"}
                merged.update(raw)
                entries[base.name] = _entry(merged, builtin=True, source=uf)
            else:
                e = _entry(raw, builtin=False, source=uf)
                entries[e.name] = e
    for e in entries.values():
        e.src = check_lang(e.src)
        e.tgt = [check_lang(t) for t in e.tgt]
    return list(entries.values())


def get_model(name: str) -> ModelEntry:
    for e in list_models():
        if e.name == name:
            return e
    # A bare local directory can be used directly (not registered).
    p = Path(name).expanduser()
    if p.is_dir() and (p / "config.json").is_file():
        return entry_for_dir(p)
    names = ", ".join(e.name for e in list_models())
    raise NotFound(f"no MT model named {name!r}: see 'workbench models list' (registered: {names})")


def entry_for_dir(path: Path, name: str | None = None) -> ModelEntry:
    """An unregistered entry for a local Marian directory; languages inferred from its vocabulary."""
    tokens = _vocab_tokens(path)
    tgt = [l for l, t in DEFAULT_TOKENS.items() if t in tokens and l != "en"]
    return ModelEntry(name=name or str(path), path=str(path), tgt=tgt, tokens={l: DEFAULT_TOKENS[l] for l in tgt})


def _vocab_tokens(path: Path) -> list[str]:
    try:
        vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [k for k in vocab if k.startswith(">>") and k.endswith("<<")]


def models_for(src: str, tgt: str) -> list[ModelEntry]:
    src, tgt = check_lang(src), check_lang(tgt)
    return [e for e in list_models() if e.src == src and tgt in e.tgt]


def default_model(src: str, tgt: str) -> ModelEntry:
    """The model to use for a pair: an installed one marked ``default``, else the first installed one.

    Raises :class:`ModelUnavailable` (one line naming the commands that install one) when none is installed.
    """
    cands = models_for(src, tgt)
    installed = [e for e in cands if e.installed]
    for e in reversed(installed):  # the user's file comes last: its default wins
        if e.default:
            return e
    if installed:
        return installed[0]
    raise ModelUnavailable(no_model_message(src, tgt))


def no_model_message(src: str, tgt: str) -> str:
    cands = models_for(src, tgt)
    pull = f"'workbench models pull {cands[0].name}'" if cands else "'workbench models pull NAME'"
    return (f"no {src}->{tgt} MT model is installed: run {pull} (needs internet) or "
            f"'workbench models import NAME DIR' for a local Marian copy")


# ------------------------------------------------------------------------------------------- writing


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def _write_user(entries: list[dict[str, Any]]) -> None:
    lines = ["# Your MT models (workbench models import/pull write this file; you may edit it).", ""]
    for raw in entries:
        lines.append("[[model]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in raw.items() if v is not None]
        lines.append("")
    path = user_file()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.replace(tmp, path)


def update_user_entry(name: str, **fields: Any) -> ModelEntry:
    """Add or update ``name`` in the user's registry file (only the given fields; a field given as None is
    removed from the user's entry). One writer at a time in this process (the editor's jobs run on threads)."""
    with _WRITE_LOCK:
        return _update_user_entry(name, fields)


def _update_user_entry(name: str, fields: dict[str, Any]) -> ModelEntry:
    uf = user_file()
    raws = _read_toml(uf) if uf.is_file() else []
    for raw in raws:
        if raw.get("name") == name:
            raw.update({k: v for k, v in fields.items() if v is not None})
            for k in [k for k, v in fields.items() if v is None]:
                raw.pop(k, None)
            break
    else:
        raws.append({"name": name, **{k: v for k, v in fields.items() if v is not None}})
    if fields.get("default"):
        # only one default per pair: clear it on other user entries sharing a target
        tg = set(fields.get("tgt") or [])
        for raw in raws:
            if raw.get("name") != name and raw.get("default") and tg & set(raw.get("tgt") or []):
                raw["default"] = False
    _write_user(raws)
    return get_model(name)


def validate_marian_dir(path: Path) -> None:
    if not path.is_dir():
        raise NotFound(f"{path}: no such directory; give the folder that holds the Marian model's config.json")
    missing = [f for f in MARIAN_FILES if not (path / f).is_file()]
    if missing:
        raise InputError(f"{path}: not a Marian model directory (missing {', '.join(missing)}); "
                         "give a folder saved by transformers' save_pretrained or downloaded from the Hub")
    try:
        cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise InputError(f"{path / 'config.json'}: not valid JSON; the model copy is damaged") from None
    if cfg.get("model_type") != "marian":
        raise InputError(f"{path}: model_type is {cfg.get('model_type')!r}, not 'marian'; "
                         "only Marian models are supported")
    if not _has_weights(path):
        raise InputError(f"{path}: no weights (model.safetensors or pytorch_model.bin); copy the whole model folder")


def register_local(
    name: str,
    path: str | os.PathLike,
    *,
    src: str = "en",
    tgts: list[str] | None = None,
    tokens: dict[str, str] | None = None,
    default: bool = False,
    copy: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ModelEntry:
    """Register a local Marian directory under ``name`` (a new name or a built-in one).

    Target languages default to the built-in entry's, else to those whose ``>>xxx<<`` token is in the
    vocabulary. With ``copy`` the directory is copied into ``$WORKBENCH_HOME/models/`` (``progress(bytes
    copied, bytes in all)``; written aside, then renamed).
    """
    name = (name or "").strip()
    if not name:
        raise InputError("a model needs a name, e.g. 'workbench models import my-en-ru DIR'")
    src_dir = Path(path).expanduser().resolve()
    validate_marian_dir(src_dir)
    existing = {e.name: e for e in list_models()}.get(name)
    vocab_tokens = _vocab_tokens(src_dir)
    if tgts:
        tgts = [check_lang(t) for t in tgts]
    elif existing is not None:
        tgts = existing.tgt
    else:
        tgts = [l for l, t in DEFAULT_TOKENS.items() if t in vocab_tokens and l != check_lang(src)]
        if not tgts:
            raise InputError(f"{src_dir}: cannot tell the model's target language; add --to ru (or km)")
    if tokens is None:
        base = dict(existing.tokens) if existing else {}
        tokens = {l: base.get(l) or DEFAULT_TOKENS[l] for l in tgts
                  if (base.get(l) or DEFAULT_TOKENS[l]) in vocab_tokens}
    dest = src_dir
    if copy:
        dest = models_dir() / safe_model_name(name)
        if dest.resolve() != src_dir:
            copy_model(src_dir, dest, progress)
    fields: dict[str, Any] = {"path": str(dest), "src": check_lang(src), "tgt": tgts, "tokens": tokens,
                              "revision": None}
    if existing is None or not existing.builtin:
        fields["default"] = False
    entry = update_user_entry(name, **fields)
    return set_default(name) if default else entry


def copy_model(src: Path, dest: Path, progress: Callable[[int, int], None] | None = None) -> None:
    """Copy a model folder (without converted copies or .git) to ``dest``, replacing what is there only once
    the copy is complete."""
    skip = ("ct2-", ".git", ".cache")
    files = [p for p in sorted(src.rglob("*")) if p.is_file()
             and not any(part.startswith(skip) for part in p.relative_to(src).parts)]
    total = sum(p.stat().st_size for p in files)
    tmp = dest.with_name(dest.name + ".partial-copy")
    shutil.rmtree(tmp, ignore_errors=True)
    done = 0
    try:
        for f in files:
            out = tmp / f.relative_to(src)
            out.parent.mkdir(parents=True, exist_ok=True)
            with f.open("rb") as a, out.open("wb") as b:
                while chunk := a.read(1 << 22):
                    b.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def set_default(name: str) -> ModelEntry:
    """Make ``name`` the model used for its language pairs: its ``default`` flag is set in the user's registry
    file and cleared on every other model sharing one of its target languages."""
    with _WRITE_LOCK:
        entries = list_models()
        entry = next((e for e in entries if e.name == name), None)
        if entry is None:
            raise NotFound(f"no MT model named {name!r}: see 'workbench models list'")
        for other in entries:
            if other.name != name and other.default and other.src == entry.src and set(other.tgt) & set(entry.tgt):
                update_user_entry(other.name, default=False)
        return update_user_entry(name, default=True)


def guess_name(folder: str | os.PathLike) -> str:
    """The registered model a copied folder most likely is (its folder name is the Hub name's last part, as
    'hf download --local-dir' writes it), else the folder name."""
    base = Path(folder).expanduser().name.lower()
    for e in list_models():
        if base and base in {(e.hf_id or e.name).rsplit("/", 1)[-1].lower(), safe_model_name(e.name).lower()}:
            return e.name
    return Path(folder).expanduser().name
