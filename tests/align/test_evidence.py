"""Khmer lexical evidence, names across scripts, partial translations, one-sided material, 4-sentence lists and
calibrated confidence."""

from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from workbench.align import AlignConfig, align, align_prepared, prepare, signals as sig
from workbench.align.calibrate import CALIBRATION_FILE, FEATURES, fit_logistic, load_calibration
from workbench.align.lexicon import LEXICON_DIR, Lexicon, document_pairs, load_lexicon, word_keys

EN = [
    "The Prime Minister arrived in Phnom Penh on Monday for an official visit.",
    "He was welcomed at the airport by the Minister of Foreign Affairs.",
    "The two sides discussed trade, education and health cooperation.",
    "They also exchanged views on regional security and the situation in the world.",
    "Ambassador Borovik said that relations between the two countries are developing well.",
    "The next meeting of the joint commission will take place in Moscow next year.",
]
KM = [
    "នាយករដ្ឋមន្ត្រីបានមកដល់ភ្នំពេញនៅថ្ងៃចន្ទសម្រាប់ដំណើរទស្សនកិច្ចផ្លូវការ។",
    "លោកត្រូវបានទទួលស្វាគមន៍នៅព្រលានយន្តហោះដោយរដ្ឋមន្ត្រីការបរទេស។",
    "ភាគីទាំងពីរបានពិភាក្សាអំពីកិច្ចសហប្រតិបត្តិការពាណិជ្ជកម្ម ការអប់រំ និងសុខាភិបាល។",
    "ពួកគេក៏បានផ្លាស់ប្តូរទស្សនៈលើសន្តិសុខតំបន់ និងស្ថានភាពនៅលើពិភពលោក។",
    "ឯកអគ្គរដ្ឋទូតបូរ៉ូវិកបាននិយាយថាទំនាក់ទំនងរវាងប្រទេសទាំងពីរកំពុងរីកចម្រើនល្អ។",
    "កិច្ចប្រជុំលើកក្រោយនៃគណៈកម្មការចម្រុះនឹងធ្វើឡើងនៅទីក្រុងមូស្គូនៅឆ្នាំក្រោយ។",
]


def test_shipped_lexicons_are_small_and_know_diplomatic_words():
    for pair in ("en-km", "en-ru"):
        path = LEXICON_DIR / f"{pair}.tsv.gz"
        assert path.stat().st_size < 200_000
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            assert "TICO-19" in fh.readline()  # the header says where it comes from
    km, en_is_tgt = load_lexicon("en", "km")
    assert not en_is_tgt and "ពាណិជ្ជកម្ម" in km.tgt and "trade" in km.tgt["ពាណិជ្ជកម្ម"]
    ru, _ = load_lexicon("en", "ru")
    assert "minist" in ru.tgt.get("минис", set())
    assert load_lexicon("km", "en")[1] is True and load_lexicon("de", "fr") == (None, False)


def test_word_keys():
    assert word_keys("The Ministers of Foreign Affairs met.", "en") == ["minist", "foreig", "affair", "met"]
    assert word_keys("Министры иностранных дел встретились и договорились.", "ru") == [
        "минис", "иност", "дел", "встре", "догов"]
    km = word_keys("រដ្ឋមន្ត្រីការបរទេស UNESCO ២០២៤", "km")
    assert "unesco" in km and "2024" not in km and all(k.strip() for k in km)


def test_document_pairs_learn_what_recurs():
    src = [["borovi", "said"], ["borovi", "visit"], ["trade"], ["borovi"]]
    tgt = [["បូរ៉ូវិក", "និយាយ"], ["បូរ៉ូវិក", "ទស្សន"], ["ពាណិជ្ជ"], ["បូរ៉ូវិក"]]
    pairs = document_pairs(src, tgt, [((k,), (k,)) for k in range(4)])
    assert ("borovi", "បូរ៉ូវិក") in pairs and ("trade", "ពាណិជ្ជ") not in pairs  # seen once only
    lx = Lexicon(pairs)
    assert lx.english_items(["borovi", "x"]) == (["x:borovi"], 1)
    assert lx.target_items(["បូរ៉ូវិក", "y"]) == (["x:borovi"], 1)


def test_khmer_names_and_words_are_evidence():
    prep = prepare(EN, KM, "en", "km", embedder=None)
    assert "lexicon" in prep.info["signals"]
    # the Khmer sentence with Borovik's name carries the English name's skeleton, found through the other side
    assert any(prep.tgt.namep[5] - prep.tgt.namep[4])
    links = align_prepared(prep)
    assert [(l.src, l.tgt) for l in links] == [((k,), (k,)) for k in range(6)]
    # Khmer shuffled against English: without embeddings, the words still find their sentences
    order = [0, 1, 2, 4, 3, 5]
    km = [KM[k] for k in order]
    merged = [km[0], km[1] + km[2], km[3], km[4], km[5]]  # a 2-1 link
    links = align(EN[:3] + [EN[4], EN[3], EN[5]], merged, "en", "km", embedder=None)
    assert ((1, 2), (1,)) in [(l.src, l.tgt) for l in links]


def test_partial_translation_leaves_the_rest_unlinked():
    from tests.align.test_core import EN as EN8, RU as RU8

    links = align(EN8, RU8[:3], "en", "ru")
    assert [(l.src, l.tgt) for l in links[:3]] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    assert all(not l.tgt for l in links[3:]) and len(links) == len(EN8)


def test_untranslated_line_stands_alone_and_null_links_get_their_own_confidence():
    from tests.align.test_core import EN as EN8, RU as RU8

    src = EN8[:4] + ["This text is also available in French and Spanish."] + EN8[4:]
    links = align(src, RU8, "en", "ru")
    assert ((4,), ()) in [(l.src, l.tgt) for l in links]
    nulls = [l.score for l in links if not l.tgt or not l.src]
    assert nulls and all(s != 0.3 for s in nulls)


def test_a_list_of_four_lines_can_be_one_link():
    en = ["Democracy does not just happen; it has to be nurtured and defended.",
          "The world needs you to speak out:",
          "for social justice and freedom of the press;",
          "for a clean environment and women's empowerment;",
          "for the rule of law and the right to a say in one's own future.",
          "This year, young people have been on the frontlines for freedom."]
    ru = ["Однако демократия не устанавливается сама по себе; ее нужно лелеять — и защищать.",
          "Миру необходимо, чтобы вы внятно и отчетливо выступали за социальную справедливость и свободу печати, "
          "за чистую окружающую среду и расширение прав и возможностей женщин, за верховенство права и право людей "
          "участвовать в решении вопросов, касающихся их будущего.",
          "В этом году молодые люди были на передовой борьбы за свободу."]
    links = align(en, ru, "en", "ru")
    assert [(l.src, l.tgt) for l in links] == [((0,), (0,)), ((1, 2, 3, 4), (1,)), ((5,), (2,))]
    links = align(en, ru, "en", "ru", config=AlignConfig(max_size=3))
    assert ((1, 2, 3, 4), (1,)) not in [(l.src, l.tgt) for l in links]


def test_confidence_is_a_calibrated_probability():
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES) and set(data["models"]) == {"sem", "nosem"}
    assert load_calibration()["nosem"] == data["models"]["nosem"]
    from tests.align.test_core import EN as EN8, RU as RU8

    good = align(EN8, RU8, "en", "ru")
    assert min(l.score for l in good) > 0.8
    # against a text that is not its translation, sentences are mostly left unlinked, and what is paired
    # is doubtful
    wrong = align(EN8[:4], RU8[4:], "en", "ru")
    paired = [l for l in wrong if l.src and l.tgt]
    assert len(paired) <= 1 and all(l.score < 0.7 for l in paired)
    uncal = align(EN8, RU8, "en", "ru", config=AlignConfig(calibrate=False))
    assert [l.src for l in uncal] == [l.src for l in good]


def test_logistic_fit_recovers_a_simple_rule():
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    y = (rng.random(2000) < 1 / (1 + np.exp(-(2 * x - 1)))).astype(float)
    w = fit_logistic(np.column_stack([np.ones_like(x), x]), y, l2=0.0)
    assert w == pytest.approx([-1.0, 2.0], abs=0.25)


def test_embedder_free_pairs_keep_their_features_small():
    prep = prepare(EN, KM, "en", "km", embedder=None)
    assert prep.src.trp.dtype == np.uint16 and prep.src.trp.shape[1] == sig.TR_DIM
