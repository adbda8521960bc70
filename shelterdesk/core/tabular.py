"""Cells of every table the program writes for machines or spreadsheets
(``residents`` output today; the CSV reports and exports to come).

Two dangers, both from text a person typed (issue 8, item 9):

- a tab, newline or other control character inside a field forges extra
  rows or columns in line-based output: :func:`machine_field` escapes them
  (``\\t``, ``\\n``, ``\\r``, ``\\\\``, ``\\xNN``/``\\uNNNN`` for the other C0/C1
  characters), so one record is one line and the escaping is reversible;
- a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a CR is run as a
  formula by Excel and LibreOffice: :func:`spreadsheet_cell` prefixes it
  with ``'`` (OWASP's advice). Every CSV/TSV writer calls it on every cell.

Pure functions: no I/O, no Qt, no SQL.
"""

from __future__ import annotations

FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"}


def _is_control(ch: str) -> bool:
    cp = ord(ch)
    return cp < 0x20 or 0x7F <= cp <= 0x9F or ch in ("\u2028", "\u2029")


def machine_field(value: object) -> str:
    """``value`` as one field of tab-separated, line-based output."""
    text = "" if value is None else str(value)
    if not any(_is_control(ch) or ch == "\\" for ch in text):
        return text
    out = []
    for ch in text:
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif _is_control(ch):
            cp = ord(ch)
            out.append(f"\\x{cp:02x}" if cp <= 0xFF else f"\\u{cp:04x}")
        else:
            out.append(ch)
    return "".join(out)


def spreadsheet_cell(value: object) -> str:
    """``value`` as a CSV/TSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_LEADERS):
        return "'" + text
    return text


def output_row(values) -> str:
    """One line of tab-separated output: every field escaped and neutralised."""
    return "\t".join(machine_field(spreadsheet_cell(v)) for v in values)
