"""TMX 1.4b writer and reader: structure, escaping, determinism, atomicity, hostile and odd input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from workbench.core.errors import InputError
from workbench.tm.tmx import TmxHeader, TmxUnit, TmxVariant, read_tmx, write_tmx

RNG = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("tmx14b.rng"))))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def validate(path: Path) -> etree._ElementTree:
    """Well-formed (lxml parses it), valid against our RELAX NG transcription of TMX 1.4b, plus the rules
    the schema cannot say."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    assert RNG.validate(tree), RNG.error_log.last_error
    header = tree.getroot().find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype",
                 "creationdate"):
        assert header.get(attr), attr
    srclang = header.get("srclang")
    for tu in tree.getroot().iter("tu"):
        langs = [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
        assert srclang in langs, f"unit {tu.get('tuid')} has no {srclang} variant"
        assert len(langs) == len(set(langs))
    return tree


def unit(en: str, ru: str, **kw) -> TmxUnit:
    u = TmxUnit(**kw)
    u.variants["en"] = TmxVariant("en", en)
    u.variants["ru"] = TmxVariant("ru", ru)
    return u


NASTY = 'A & B <c> "d" \'e\' ]]> tab\there\nnew line\r\nCRLF \x07bell \x00nul \ufffe end'


def test_write_is_valid_tmx14b_with_full_header(tmp_path):
    out = write_tmx(tmp_path / "a.tmx", [unit("Hello.", "Привет.", tuid="1")], "en",
                    creationdate="2024-05-01T10:00:00Z")
    tree = validate(out)
    h = tree.getroot().find("header")
    assert h.get("segtype") == "sentence" and h.get("datatype") == "plaintext"
    assert h.get("creationdate") == "20240501T100000Z"
    assert tree.getroot().get("version") == "1.4"
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')


def test_escaping_and_control_characters_round_trip(tmp_path):
    u = unit(NASTY, "«Ёлка» & <тег>", tuid='id "1" & <x>', props=[("x-note", NASTY)], notes=[NASTY],
             creationid="a\tb\nc")
    u.variants["ru"].props.append(("x-status", "reviewed"))
    out = write_tmx(tmp_path / "e.tmx", [u], "en", creationdate="2024-01-01T00:00:00Z")
    validate(out)  # still well-formed and valid despite NUL, BEL, U+FFFE in the text
    raw = out.read_bytes()
    assert b"\x00" not in raw and b"\x07" not in raw
    back = list(read_tmx(out))
    assert len(back) == 1
    b = back[0]
    assert b.variants["en"].text == NASTY  # segment text fully preserved, control characters included
    assert b.variants["ru"].text == "«Ёлка» & <тег>"
    assert b.tuid == 'id "1" & <x>'
    assert b.creationid == "a\tb\nc"
    # props and notes cannot carry markup: invalid characters become U+FFFD, the rest survives
    assert b.props[0][1] == NASTY.replace("\x07", "\ufffd").replace("\x00", "\ufffd").replace("\ufffe", "\ufffd")
    assert b.variants["ru"].props == [("x-status", "reviewed")]


def test_deterministic_output(tmp_path):
    units = [unit(f"Sentence {i} & more", f"Предложение {i}", tuid=str(i), props=[("x-project", "p")])
             for i in range(50)]
    a = write_tmx(tmp_path / "a.tmx", units, "en", creationdate="2024-01-01T00:00:00Z")
    b = write_tmx(tmp_path / "b.tmx", list(reversed(list(reversed(units)))), "en", creationdate="2024-01-01T00:00:00Z")
    assert a.read_bytes() == b.read_bytes()


def test_read_write_round_trip_is_byte_identical(tmp_path):
    units = [unit("One\r\n two", "Раз", tuid="a", creationdate="20240101T000000Z", changeid="me"),
             unit("x\x1fy", "z", tuid="b", notes=["n"], props=[("x-a", "1"), ("x-b", "2")])]
    units[1].variants["en"] = TmxVariant("en-GB", "x\x1fy")
    header = TmxHeader(srclang="en", creationdate="20240101T000000Z", props=[("x-h", "v")], notes=["hn"])
    first = write_tmx(tmp_path / "1.tmx", units, header=header)
    f = read_tmx(first)
    second = write_tmx(tmp_path / "2.tmx", list(f), header=f.header)
    assert first.read_bytes() == second.read_bytes()


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    path = tmp_path / "keep.tmx"
    write_tmx(path, [unit("old", "старый")], "en", creationdate="2024-01-01T00:00:00Z")
    before = path.read_bytes()

    def broken():
        yield unit("new", "новый")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_tmx(path, broken(), "en", creationdate="2024-01-01T00:00:00Z")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.tmx"]  # no temporary file left behind


THIRD_PARTY = """<?xml version="1.0" encoding="{enc}"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
<header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="EN-US" \
srclang="EN-US" datatype="html"/>
<body>
<tu tuid="t1"><tuv xml:lang="en-US"><seg>Press <bpt i="1" x="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> \
<hi type="x">now</hi><ph x="2">&lt;img alt="<sub>icon</sub>"/&gt;</ph>.</seg></tuv>
<tuv xml:lang="ru-RU"><seg>Нажмите <it pos="begin">&lt;i&gt;</it>Сохранить<ut>&lt;u&gt;</ut>.</seg></tuv>
<tuv xml:lang="km-KH"><seg>ចុច រក្សាទុក។</seg></tuv></tu>
<tu tuid="t2"><tuv xml:lang="EN-GB"><seg>Colour</seg></tuv><tuv lang="RU"><seg>Цвет</seg></tuv></tu>
<tu tuid="empty"><prop type="x">no variants</prop></tu>
</body></tmx>
"""


@pytest.mark.parametrize("codec,enc", [("utf-8", "UTF-8"), ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"),
                                       ("utf-16-be", "UTF-16")])
def test_third_party_codes_inline_tags_and_utf16(tmp_path, codec, enc):
    path = tmp_path / "third.tmx"
    data = THIRD_PARTY.format(enc=enc).encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + THIRD_PARTY.format(enc=enc)).encode(codec)  # BOM written explicitly
    path.write_bytes(data)
    f = read_tmx(path)
    assert f.header.srclang == "en-US" and f.header.datatype == "html"
    units = list(f)
    assert [u.tuid for u in units] == ["t1", "t2"] and f.skipped == 1
    t1 = units[0]
    assert set(t1.variants) == {"en-US", "ru-RU", "km-KH"} and t1.variants.languages() == ["en", "ru", "km"]
    assert t1.variants["en"].text == "Press Save now."
    assert t1.variants["ru"].text == "Нажмите Сохранить."
    assert t1.variants["km"].text == "ចុច រក្សាទុក។"
    assert t1.variants["en"].tag == "en-US" and "<bpt" in t1.variants["en"].markup
    assert units[1].text("en") == "Colour" and units[1].text("ru") == "Цвет"


def _hostile(tmp_path, name, body) -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


def test_billion_laughs_rejected_quickly(tmp_path):
    ents = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">\n' for i in range(1, 10))
    p = _hostile(tmp_path, "bl.tmx", f'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY l0 "lol">\n{ents}]>\n'
                 '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&l9;</seg></tuv>'
                 '</tu></body></tmx>')
    t = time.perf_counter()
    with pytest.raises(InputError, match="entit"):
        list(read_tmx(p))
    assert time.perf_counter() - t < 5


def test_xxe_rejected_and_nothing_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    p = _hostile(tmp_path, "xxe.tmx", f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                 '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv>'
                 '</tu></body></tmx>')
    with pytest.raises(InputError) as err:
        list(read_tmx(p))
    assert "TOP-SECRET" not in str(err.value)
    # padded past the 1 MiB pre-scan: the parser-level check still refuses the internal subset
    pad = "<!-- " + "x" * (1 << 20) + " -->\n"
    p2 = _hostile(tmp_path, "xxe2.tmx", f'<?xml version="1.0"?>\n{pad}<!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                  '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv>'
                  '</tu></body></tmx>')
    with pytest.raises(InputError):
        list(read_tmx(p2))


def test_deep_nesting_rejected_quickly(tmp_path):
    depth = 100_000
    p = _hostile(tmp_path, "deep.tmx", '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>'
                 + "<hi>" * depth + "x" + "</hi>" * depth + "</seg></tuv></tu></body></tmx>")
    t = time.perf_counter()
    with pytest.raises(InputError):
        list(read_tmx(p))
    assert time.perf_counter() - t < 5


@pytest.mark.parametrize("name,data,msg", [
    ("empty.tmx", b"", "empty"),
    ("blank.tmx", b"  \n", "empty"),
    ("binary.tmx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "TMX"),
    ("cp1251.tmx", '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/><body><tu>'
     '<tuv xml:lang="ru"><seg>Привет</seg></tuv></tu></body></tmx>'.encode("cp1251"), "TMX"),
    ("truncated.tmx", b'<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en">'
     b"<seg>cut", "well-formed"),
    ("other.tmx", b'<?xml version="1.0"?><html><body/></html>', "not a TMX"),
])
def test_bad_files_give_one_line_input_error(tmp_path, name, data, msg):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError, match=msg) as err:
        list(read_tmx(p))
    assert "\n" not in str(err.value) and name in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such"):
        read_tmx(tmp_path / "nope.tmx")


def test_streaming_frees_units(tmp_path):
    """Units are yielded while parsing: elements already read are removed from the tree."""
    units = [unit(f"s{i}", f"т{i}", tuid=str(i)) for i in range(2000)]
    p = write_tmx(tmp_path / "big.tmx", units, "en", creationdate="2024-01-01T00:00:00Z")
    f = read_tmx(p)
    it = iter(f)
    seen = [next(it) for _ in range(1500)]
    body = f._parent  # the parser's own <body>: read units are gone, only a read-ahead buffer remains
    assert body is not None and len(body) < 400  # 1500 units read; without freeing there would be >= 1500
    assert seen[-1].tuid == "1499"
    assert sum(1 for _ in it) == 500
