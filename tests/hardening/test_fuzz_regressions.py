"""Inputs that once crashed an importer (found by the fuzzers); each must now end in a clean outcome."""

from __future__ import annotations

import pytest

from fuzz.targets import STATS, TARGETS

CASES = [
    # ingest: lxml refused a control character in a text node when dropping page furniture (ValueError)
    ("ingest-html", b"<n class=menu></n>\x01"),
    ("ingest-html", b"<p>Minister\x0bmet\x1f the envoy.</p><nav class=menu>x</nav>\x01tail"),
]


@pytest.mark.parametrize("target,data", CASES)
def test_former_crash_is_now_clean(target, data):
    t = TARGETS[target]
    before = STATS["accepted"] + STATS["rejected"]
    t.harness(data)  # raises on anything but a one-line WorkbenchError
    assert STATS["accepted"] + STATS["rejected"] == before + 1


def test_control_characters_in_html_do_not_reach_the_text():
    from workbench.ingest.readers import ingest_text

    doc = ingest_text("<article><p>The Minister\x0b met\x01 the envoy.</p><nav class='menu'>Home</nav>"
                      "\x01 They discussed trade.</article>", fmt="html")
    joined = " ".join(doc.paragraphs)
    assert "Minister" in joined and not any(ord(c) < 32 for c in joined)


def test_utf32_with_mark_is_decoded_not_read_as_utf16():
    """The UTF-32 LE mark begins with the UTF-16 LE one; such files came out as letters separated by NULs."""
    from workbench.ingest.readers import decode_bytes

    text = "<p>Посол встретился с министром.</p>"
    assert decode_bytes(text.encode("utf-32"), "x.html") == text
    assert decode_bytes(text.encode("utf-16"), "x.html") == text


def test_utf16_mark_with_nul_characters_is_binary():
    from workbench.core.errors import InputError
    from workbench.ingest.readers import decode_bytes

    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\xff\xfe" + "Посол\x00\x00встретился".encode("utf-16-le"), "x.txt")
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\xff\xfe" + b"\x00\x00" * 20, "x.txt")
