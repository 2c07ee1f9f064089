"""Term mining: candidate phrases per language, association over aligned pairs, the glossary's known and
deprecated terms, rejections and accepting a candidate, the sources (TMX, project, TM)."""

from __future__ import annotations

import pytest

from workbench.core.errors import InputError, WorkbenchError
from workbench.glossary import Glossary
from workbench.glossary.mining import Pair, mine, to_tsv, tsv_header
from workbench.glossary.mining_io import Rejections, accept, memory_pairs, project_pairs, tmx_pairs
from workbench.glossary.phrases import phrases, ru_base_form

# A small parallel text: the terms come in several case forms, with unrelated words around them.
PAIRS = [
    ("The East Asia Summit opened in Hanoi.", "Восточноазиатский саммит открылся в Ханое."),
    ("Ministers prepared the East Asia Summit carefully.", "Министры тщательно подготовили Восточноазиатский саммит."),
    ("Russia takes part in the East Asia Summit.", "Россия участвует в Восточноазиатском саммите."),
    ("The agenda of the East Asia Summit is broad.", "Повестка Восточноазиатского саммита широка."),
    ("Cambodia welcomed the vaccine shipment.", "Камбоджа приветствовала поставку вакцины."),
    ("The vaccine arrived in Phnom Penh yesterday.", "Вакцина прибыла в Пномпень вчера."),
    ("Doctors trust the vaccine.", "Врачи доверяют вакцине."),
    ("The green corridor keeps trade open.", "Зелёный коридор сохраняет торговлю открытой."),
    ("A green corridor was agreed for medical supplies.", "Для медицинских поставок согласован зелёный коридор."),
    ("Trade through the green corridor grew.", "Торговля через зелёный коридор выросла."),
    ("The ministers met in Hanoi.", "Министры встретились в Ханое."),
    ("Hanoi hosted the talks.", "Ханой принял переговоры."),
]
# The same, where the summit is called by its deprecated Russian name.
DEPRECATED = [
    ("The East Asia Summit opened in Hanoi.", "Саммит Восточной Азии открылся в Ханое."),
    ("Russia takes part in the East Asia Summit.", "Россия участвует в Саммите Восточной Азии."),
    ("The agenda of the East Asia Summit is broad.", "Повестка Саммита Восточной Азии широка."),
]


def by_source(result):
    out = {}
    for c in result.candidates:
        out.setdefault(c.source.lower(), []).append(c)
    return out


# ------------------------------------------------------------------------------------------ phrases


def test_english_candidates_stop_at_function_words_and_keep_compounds():
    text = "The SARS-CoV-2 virus spreads; wash your hands and avoid close contact with ASEAN's face masks."
    found = {text[p.start:p.end]: p.key for p in phrases(text, "en")}
    assert found["SARS-CoV-2"] == "sars-cov-2"
    assert found["face masks"] == "face mask"          # the plural is one candidate with the singular
    assert found["wash your hands"] == "wash your hand"  # a function word inside is allowed
    assert found["ASEAN's"] == "asean"                  # possessive removed, acronym kept whole
    assert "The SARS-CoV-2" not in found and "avoid close contact with" not in found
    assert not any(s.lower().startswith(("the ", "and ", "with ")) for s in found)


def test_russian_candidates_are_keyed_by_lemmas_and_end_in_a_noun():
    a = {p.key for p in phrases("Повестка Восточноазиатского саммита широка.", "ru")}
    b = {p.key for p in phrases("Восточноазиатский саммит открылся.", "ru")}
    assert "восточноазиатский саммит" in a & b
    c = {p.key for p in phrases("Это передача в обществе и пандемия COVID-19.", "ru")}
    assert {"передача в общество", "пандемия covid-19", "covid-19"} <= c
    assert not any(k.endswith((" в", " и")) or k.startswith(("в ", "это")) for k in c)


@pytest.mark.parametrize("surface, base", [
    ("Восточноазиатского саммита", "Восточноазиатский саммит"),
    ("средствами индивидуальной защиты", "средства индивидуальной защиты"),
    ("острого респираторного синдрома", "острый респираторный синдром"),
    ("пандемии коронавируса", "пандемия коронавируса"),
    ("новой коронавирусной инфекцией", "новая коронавирусная инфекция"),
    ("Саммита Восточной Азии", "Саммит Восточной Азии"),
    ("инфицировали", "инфицировать"),
    ("школ и университетов", "школы и университеты"),
    ("верблюдов", "верблюды"),  # not the surname Верблюдов
])
def test_russian_base_form(surface, base):
    assert ru_base_form(surface) == base


def test_khmer_candidates_from_khmercut_words():
    text = "ការផ្ទុះឡើងនៃវីរុសកូរ៉ូណា និងកូវីដ-19 ។"
    found = {text[p.start:p.end] for p in phrases(text, "km")}
    assert {"វីរុសកូរ៉ូណា", "កូវីដ-19", "ការផ្ទុះឡើងនៃវីរុសកូរ៉ូណា"} <= found
    assert not any(s.endswith("និង") or s.startswith("និង") for s in found)
    assert not any("។" in s for s in found)


# ------------------------------------------------------------------------------------------ mining


def test_mining_finds_terms_in_their_base_form():
    res = mine(PAIRS, "en", "ru", min_count=2)
    got = by_source(res)
    eas = got["east asia summit"][0]
    assert eas.target == "Восточноазиатский саммит"  # four case forms counted as one, shown in the nominative
    assert eas.count == 4 and eas.rank == 1
    assert got["vaccine"][0].target.lower() == "вакцина"
    assert got["green corridor"][0].target.lower() == "зелёный коридор"
    assert got["hanoi"][0].target == "Ханой"
    # best first; every candidate has an example pair holding both sides
    assert [c.score for c in res.candidates] == sorted((c.score for c in res.candidates), reverse=True)
    for c in res.candidates:
        ex = res.examples(c, 1)[0]
        src_spans, tgt_spans = res.spans(c, ex)
        assert src_spans and tgt_spans


def test_min_count_and_top():
    assert not any(c.count < 3 for c in mine(PAIRS, "en", "ru", min_count=3).candidates)
    assert len(mine(PAIRS, "en", "ru", min_count=2, top=2).candidates) == 2


def test_tsv_has_the_documented_columns():
    res = mine(PAIRS, "en", "ru", min_count=2)
    lines = to_tsv(res).splitlines()
    assert lines[0].split("\t") == ["en", "ru", "count", "score", "example_en", "example_target", "note"]
    assert tsv_header("km")[1] == "km"
    first = lines[1].split("\t")
    assert len(first) == 7 and int(first[2]) >= 2 and 0 < float(first[3]) <= 1


def test_known_terms_left_out_unless_asked_and_deprecated_variants_flagged(repo_glossary_copy):
    g = Glossary.load(repo_glossary_copy)
    res = mine(PAIRS, "en", "ru", glossary=g, min_count=2)
    sources = {c.source.lower() for c in res.candidates}
    assert "east asia summit" not in sources and "vaccine" not in sources  # both are glossary terms
    assert "green corridor" in sources or "hanoi" in sources
    res = mine(PAIRS, "en", "ru", glossary=g, min_count=2, include_known=True)
    eas = by_source(res)["east asia summit"][0]
    assert eas.known == "east-asia-summit" and "same as the glossary" in eas.note and not eas.flag
    # a deprecated form in frequent use is reported even though the English is known
    res = mine(PAIRS + DEPRECATED, "en", "ru", glossary=g, min_count=2)
    flagged = [c for c in res.candidates if c.flag]
    assert any(c.source.lower() == "east asia summit" and c.target == "Саммит Восточной Азии"
               and c.flag == "deprecated" and "Восточноазиатский саммит" in c.note for c in flagged)
    assert "deprecated" in to_tsv(res)
    # ... and cannot be accepted into the glossary
    with pytest.raises(InputError, match="deprecated term in the glossary"):
        accept(g, flagged[0], "en", "ru", "x")


def test_rejected_pairs_are_not_proposed_again(tmp_path):
    res = mine(PAIRS, "en", "ru", min_count=2)
    cand = by_source(res)["green corridor"][0]
    rej = Rejections.beside(tmp_path / "g.csv")
    rej.add(cand, "en", "ru")
    rej.add(cand, "en", "ru")  # once only
    assert rej.path.name == "g.rejected.tsv" and len(rej) == 1
    again = Rejections.beside(tmp_path / "g.csv").keys("en", "ru")
    assert cand.key in again and not Rejections.beside(tmp_path / "g.csv").keys("en", "km")
    res2 = mine(PAIRS, "en", "ru", min_count=2, rejected=again)
    assert cand.key not in {c.key for c in res2.candidates}
    rej.path.write_text("garbage\n", encoding="utf-8")
    with pytest.raises(InputError, match="rejected"):
        rej.keys("en", "ru")


def test_accept_adds_a_needs_review_concept(mini_glossary_path):
    g = Glossary.load(mini_glossary_path)
    res = mine(PAIRS, "en", "ru", glossary=g, min_count=2)
    assert "green corridor" not in by_source(res)  # the mini glossary has "green corridors"
    cand = by_source(res)["hanoi"][0]
    cid = accept(g, cand, "en", "ru", "project demo")
    c = g.get(cid)
    en, ru = c.preferred("en"), c.preferred("ru")
    assert (cid, en.text, ru.text) == ("hanoi", "Hanoi", "Ханой")
    assert en.needs_review and ru.needs_review
    assert ru.source.startswith("mined from project demo")
    g.save(note="accept")
    again = Glossary.load(mini_glossary_path)
    assert again.find_terms("Talks in Hanoi", "en")[0].concept_id == cid
    assert by_source(mine(PAIRS, "en", "ru", glossary=again, min_count=2)).get("hanoi") is None
    # accepting into a known concept adds the translation there, next to the preferred one
    res = mine(PAIRS, "en", "ru", glossary=again, min_count=2, include_known=True)
    green = by_source(res)["green corridor"][0]
    assert green.known == "green"
    assert accept(again, green, "en", "ru", "x") == "green"
    assert any(t.text.lower() == "зелёный коридор" and t.status == "admitted" and t.needs_review
               for t in again.get("green").terms_in("ru"))


def test_khmer_mining():
    km = [
        ("The coronavirus spreads quickly.", "វីរុសកូរ៉ូណា រាលដាលយ៉ាងលឿន។"),
        ("Doctors study the coronavirus.", "គ្រូពេទ្យ សិក្សាអំពី វីរុសកូរ៉ូណា។"),
        ("The coronavirus is new.", "វីរុសកូរ៉ូណា គឺថ្មី។"),
        ("Vaccines protect people.", "វ៉ាក់សាំង ការពារមនុស្ស។"),
        ("Vaccines are safe.", "វ៉ាក់សាំង មានសុវត្ថិភាព។"),
    ]
    got = by_source(mine(km, "en", "km", min_count=2))
    assert got["coronavirus"][0].target == "វីរុសកូរ៉ូណា"
    assert got["vaccines"][0].target == "វ៉ាក់សាំង"


def test_no_pairs_is_one_clear_error():
    with pytest.raises(InputError, match="no en-ru pairs"):
        mine([("text", ""), ("", "текст")], "en", "ru", origin="x.tmx")
    with pytest.raises(InputError, match="two different languages"):
        mine(PAIRS, "ru", "ru")
    with pytest.raises(WorkbenchError, match="unknown language"):
        mine(PAIRS, "en", "xx")


def test_progress_is_reported():
    seen = []
    mine([Pair(s, t, str(i)) for i, (s, t) in enumerate(PAIRS * 5)], "en", "ru",
         progress=lambda d, t: seen.append((d, t)), total=60)
    assert seen and seen[-1][0] == seen[-1][1] > 0
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# ------------------------------------------------------------------------------------------ sources


def test_tmx_and_project_and_memory_sources(tmp_path):
    from workbench.core.store import Project
    from workbench.tm.memory import TranslationMemory
    from workbench.tm.tmx import TmxUnit, write_tmx

    units = []
    for i, (s, t) in enumerate(PAIRS):
        u = TmxUnit(tuid=f"u{i}")
        u.add("en", s)
        u.add("ru", t)
        units.append(u)
    only_km = TmxUnit(tuid="km")
    only_km.add("en", "Hello")
    only_km.add("km", "សួស្តី")
    path = tmp_path / "t.tmx"
    write_tmx(path, [*units, only_km], creationdate="20240101T000000Z")
    pairs = list(tmx_pairs(path, "en", "ru"))
    assert len(pairs) == len(PAIRS) and pairs[0].ref == "t.tmx u0"
    write_tmx(tmp_path / "km.tmx", [only_km], creationdate="20240101T000000Z")
    with pytest.raises(InputError, match="no en-ru pairs"):
        mine(tmx_pairs(tmp_path / "km.tmx", "en", "ru"), "en", "ru", origin="km.tmx")

    proj = Project.create(tmp_path / "p.db", "p", "en", ["ru", "km"])
    proj.add_document("doc", [(0, s) for s, _ in PAIRS])
    segs = proj.segments()
    proj.set_translation(segs[0].id, "ru", PAIRS[0][1], origin="human", status="translated")
    proj.set_translation(segs[1].id, "ru", PAIRS[1][1], origin="aligned", status="draft")
    proj.set_translation(segs[2].id, "ru", PAIRS[2][1], origin="mt", status="draft")      # left out
    proj.set_translation(segs[3].id, "ru", PAIRS[3][1], origin="mt", status="translated")  # confirmed: in
    got = project_pairs(proj, "ru")
    assert [p.target for p in got] == [PAIRS[0][1], PAIRS[1][1], PAIRS[3][1]]
    with pytest.raises(WorkbenchError):
        project_pairs(proj, "de")
    proj.close()

    tm = TranslationMemory.open(tmp_path / "tm.db")
    tm.add(PAIRS[4][0], PAIRS[4][1], "en", "ru")
    tm.add("Hello", "សួស្តី", "en", "km")
    assert [p.target for p in memory_pairs(tm, "en", "ru")] == [PAIRS[4][1]]
    tm.close()


def test_tico19_tmx_sample(shared_eval):
    """Real third-party TMX: the first 700 en-ru units of TICO-19."""
    import itertools

    tmx = shared_eval / "tico19" / "TM" / "all.en-ru.tmx"
    pairs = list(itertools.islice(tmx_pairs(tmx, "en", "ru"), 700))
    res = mine(pairs, "en", "ru", min_count=2)
    best = {c.source.lower(): c.target.lower() for c in res.candidates if c.rank == 1}
    assert best.get("symptoms") in ("симптом", "симптомы")
    assert best.get("fever") == "температура"
    assert best.get("cough") == "кашель"


# ------------------------------------------------------------------------------------------ parts


def test_word_table_explains_away_company_words():
    """*coughing* and *sneezing* always come together; the word table still pairs each with its own word,
    because «чихание» alone is already explained by *sneezing*."""
    from workbench.glossary.lexicon import Lexicon

    cough, sneeze, fever, kashel, chikhanie, temp = range(6)
    units = [([cough, sneeze], [kashel, chikhanie])] * 4 + [([cough], [kashel])] * 3 + [([sneeze], [chikhanie])] * 3
    units += [([fever, cough], [temp, kashel])] * 2
    lex = Lexicon.train(units)
    assert lex.p(cough, kashel) > 0.6 > lex.p(cough, chikhanie)
    assert lex.p(sneeze, chikhanie) > 0.6 > lex.p(sneeze, kashel)
    fwd, bwd = lex.phrase_scores([cough], [kashel])
    assert fwd > lex.phrase_scores([cough], [chikhanie])[0] and 0 < bwd <= 1


def test_russian_translation_follows_the_english_number():
    pairs = [("Many countries agreed.", "Многие страны согласились."), ("The countries met.", "Страны встретились."),
             ("A genome sequence.", "Последовательностей генома."), ("The sequence is known.", "Последовательностей.")]
    res = mine(pairs, "en", "ru", min_count=2)
    got = {c.source: c.target for c in res.candidates}
    assert got["countries"] == "страны" and got["sequence"] == "последовательность"
    assert ru_base_form("последовательностей", "sing") == "последовательность"
    assert ru_base_form("страны", "plur") == "страны"


def test_mining_runs_as_a_cancellable_job():
    from workbench.core.jobs import JobRunner

    runner = JobRunner(workers=1)
    try:
        done = runner.submit("mine-terms", "mine", lambda job: mine(PAIRS * 5, progress=job.progress, total=60))
        assert done.wait(60) and done.state == "done" and done.result.candidates
        assert done.snapshot().fraction == 1.0

        def cancel_at_once(job):
            def progress(d, t):
                job.cancel()
                job.progress(d, t)
            return mine(PAIRS * 5, progress=progress, total=60)

        stopped = runner.submit("mine-terms", "mine", cancel_at_once)
        assert stopped.wait(60) and stopped.state == "cancelled" and stopped.result is None
    finally:
        runner.shutdown()


def test_tsv_cells_are_safe_for_spreadsheets():
    pairs = [("=HYPERLINK(1) and the green corridor\there", "=ССЫЛКА и зелёный коридор"),
             ("+the green corridor", "+зелёный коридор\nздесь")]
    tsv = to_tsv(mine(pairs, "en", "ru", min_count=2))
    rows = [line.split("\t") for line in tsv.splitlines()]
    assert all(len(r) == 7 for r in rows)
    assert any(r[4].startswith("'=HYPERLINK") or r[4].startswith("'+the") for r in rows[1:])
    assert not any(cell.startswith(("=", "+")) for r in rows for cell in r)
