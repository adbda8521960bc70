"""Machine output and spreadsheet cells (issue 8, item 9)."""

from __future__ import annotations

import pytest

from shelterdesk.core.tabular import machine_field, output_row, spreadsheet_cell


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"x\")", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_leading_cells_are_neutralised(cell):
    assert spreadsheet_cell(cell) == "'" + cell


def test_ordinary_cells_pass_unchanged():
    for cell in ("見本 花子", "2022-05-01", "12", "", "a=b"):
        assert spreadsheet_cell(cell) == cell
    assert spreadsheet_cell(None) == ""


def test_control_characters_cannot_forge_rows_or_columns():
    for bad in ("a\tb", "a\nb", "a\rb", "a\x00b", "a\x1bb", "a\x85b", "a\u2028b"):
        line = output_row([1, bad, "x"])
        assert line.count("\t") == 2 and "\n" not in line and "\r" not in line
        assert "\x00" not in line and "\x1b" not in line and "\x85" not in line
    assert machine_field("a\\tb") == "a\\\\tb"  # reversible: a backslash is escaped too
    assert machine_field("a\tb") == "a\\tb"
