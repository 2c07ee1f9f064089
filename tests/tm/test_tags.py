"""Inline codes and their tag notation (workbench.tm.tags): reading, plain text, writing back, checking."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from workbench.tm.tags import find_tags, from_markup, plain_map, plain_text, tag_problems, to_markup

BOLD = 'The <bpt i="1" x="1">&lt;b&gt;</bpt>Joint Declaration<ept i="1">&lt;/b&gt;</ept> was signed.'
PH = 'Click <ph x="2">&lt;img src="go.png"/&gt;</ph> to start.'


def test_paired_and_standalone_codes_become_tags():
    tagged, codes = from_markup(BOLD)
    assert tagged == "The <g1>Joint Declaration</g1> was signed."
    assert codes == [{"id": 1, "kind": "g", "open": '<bpt i="1" x="1">&lt;b&gt;</bpt>',
                      "close": '<ept i="1">&lt;/b&gt;</ept>'}]
    tagged, codes = from_markup(PH)
    assert tagged == "Click <x1/> to start." and codes[0]["kind"] == "x" and codes[0]["xml"].startswith("<ph")


def test_plain_text_leaves_no_double_or_edge_space():
    assert plain_text("Click <x1/> to start.") == "Click to start."
    assert plain_text("<x1/> Click") == "Click"
    assert plain_text("Done. <x1/>") == "Done."
    assert plain_text("The <g1>big</g1> <g2>cat</g2>.") == "The big cat."
    assert plain_text("a  b") == "a  b"  # spacing that was in the text stays
    # only the tags of the given codes are tags; anything else is text
    assert plain_text("x <x9/> y", [{"id": 1, "kind": "x", "xml": "<ph/>"}]) == "x <x9/> y"
    plain, pos = plain_map("Click <x1/> to start.")
    assert "".join("Click <x1/> to start."[i] for i in pos[:-1]) == plain


@pytest.mark.parametrize("markup", [
    BOLD, PH,
    '<it pos="begin" x="3">&lt;i&gt;</it>See the annex<ut>{\\fs20}</ut>.',
    'Read <hi type="emphasis">the <bpt i="1">&lt;u&gt;</bpt>note<ept i="1">&lt;/u&gt;</ept></hi> '
    '<ph x="4">&lt;a title="<sub>Footnote</sub>"&gt;</ph>first.',
    'Le gros <bpt i="2" x="2">&lt;u&gt;</bpt>chat<ept i="2">&lt;/u&gt;</ept> <bpt i="1" x="1">&lt;b&gt;</bpt>noir'
    '<ept i="1">&lt;/b&gt;</ept>.',
    '3 <bpt i="5" type="n"/>xx<ept i="5">&lt;/z&gt;</ept>',
    'Second<ept i="7">&lt;/b&gt;</ept> sentence <bpt i="8">&lt;b&gt;</bpt>open',  # halves without partners
])
def test_tagged_text_and_codes_give_the_markup_back(markup):
    tagged, codes = from_markup(markup)
    assert to_markup(tagged, codes) == markup


def test_edited_tags_still_give_well_formed_markup():
    tagged, codes = from_markup(BOLD + " " + PH)
    # the translator moved text, deleted the closing tag, doubled a placeholder, typed a tag that is no code
    edited = "<g1>Совместная декларация подписана. <x2/> <x2/> <x7/>"
    markup = to_markup(edited, codes)
    seg = etree.fromstring(f"<seg>{markup}</seg>")
    assert [el.tag for el in seg] == ["it", "ph", "ph"]
    assert seg[0].get("pos") == "begin" and "x7" in "".join(seg.itertext())
    # a pair repeated keeps unique i values
    twice = to_markup("<g1>a</g1> <g1>b</g1>", codes)
    seg = etree.fromstring(f"<seg>{twice}</seg>")
    assert [el.get("i") for el in seg if el.tag == "bpt"] == ["1", "2"]
    assert [el.get("i") for el in seg if el.tag == "ept"] == ["1", "2"]
    # overlapping <hi> pairs cannot be XML: the crossing pair is dropped, its text kept
    tagged, codes = from_markup('<hi>a</hi> <hi>b</hi>')
    crossed = to_markup("<g1>a <g2>b</g1> c</g2>", codes)
    seg = etree.fromstring(f"<seg>{crossed}</seg>")
    assert "".join(seg.itertext()) == "a b c"
    assert to_markup("no tags here", codes) is None


def test_tag_problems():
    _, codes = from_markup(BOLD + " " + PH)
    assert tag_problems("<g1>Декларация</g1> <x2/>", codes) == []
    problems = dict(tag_problems("</g1>Декларация<g1> <x2/><x2/>", codes))
    assert "tag </g1> comes before <g1>" in problems
    assert "tag <x2/> appears more than once" in problems
    missing = tag_problems("Декларация", codes)
    assert [m for m, _ in missing] == ["tag <g1> is missing (formatting of the TM match)",
                                       "tag </g1> is missing (formatting of the TM match)",
                                       "tag <x2/> is missing (formatting of the TM match)"]
    assert [t.label for t in find_tags("a <g1>b</g1> <x2/> <b3/><e4/>")] == ["<g1>", "</g1>", "<x2/>", "<b3/>", "<e4/>"]


def test_editor_shows_tags_as_chips_and_the_import_report(tmp_path):
    from workbench.glossary.glossary import Glossary
    from workbench.ui.gloss import GlossaryStore
    from workbench.ui.render import tags_html

    assert tags_html("a <g1>b & c</g1> <x2/> <tag>") == (
        "a <span class='wb-tag'>&lt;g1&gt;</span>b &amp; c<span class='wb-tag'>&lt;/g1&gt;</span> "
        "<span class='wb-tag'>&lt;x2/&gt;</span> &lt;tag&gt;")
    target = tmp_path / "g.csv"
    target.write_text("id,en\n", encoding="utf-8")
    upload = tmp_path / "upload-1234.tbx"
    upload.write_bytes((Path(__file__).parents[1] / "glossary" / "data" / "multilingual.tbx").read_bytes())
    message = GlossaryStore(target).import_file(upload, "agency termbase.tbx")
    assert message.startswith("agency termbase.tbx (tbx): 3 concepts read, 2 kept (en 4, ru 3, km 3)")
    assert "languages left out (terms): de 1, es 1, fr 1" in message and "2 warning(s)" in message
    assert "Imported agency termbase.tbx: 2 added" in message and str(tmp_path) not in message
    assert len(Glossary.load(target)) == 2
