"""Archive mode: whole folders of documents on one machine or a Dask cluster.

``align_corpus(src_dir, tgt_dir, out, src_lang=, tgt_lang=, ...)`` pairs the documents of two folders by
what survives translation and sentence-aligns every pair into one TMX (:mod:`.archive`);
``translate_corpus(folder, out_dir, langs, ...)`` pre-translates every document of a folder (:mod:`.translate`).
Both run on Dask (:mod:`.cluster`): an in-process local cluster by default, or an existing cluster given by
its scheduler address; both are resumable through what they wrote before.
"""

from .archive import CORPUS_LANGUAGES, CorpusAlignResult, align_corpus, output_paths
from .pairing import PairingConfig, PairingResult, pair_documents
from .translate import CorpusTranslateResult, translate_corpus

__all__ = ["CORPUS_LANGUAGES", "CorpusAlignResult", "CorpusTranslateResult", "PairingConfig", "PairingResult",
           "align_corpus", "output_paths", "pair_documents", "translate_corpus"]
