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
    if not t.available():
        pytest.skip(f"{t.module} missing")
    before = STATS["accepted"] + STATS["rejected"]
    t.harness(data)  # raises on anything but a one-line WorkbenchError
    assert STATS["accepted"] + STATS["rejected"] == before + 1


def test_control_characters_in_html_do_not_reach_the_text():
    from workbench.ingest import ingest_text

    doc = ingest_text("<article><p>The Minister\x0b met\x01 the envoy.</p><nav class='menu'>Home</nav>"
                      "\x01 They discussed trade.</article>", fmt="html")
    joined = " ".join(doc.paragraphs)
    assert "Minister" in joined and not any(ord(c) < 32 for c in joined)
