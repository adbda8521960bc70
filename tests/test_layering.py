"""Layering rules that must not rot (ARCHITECTURE.md rules 1 and 2), checked on
the source itself: only shelterdesk/gui imports PySide6, and only
shelterdesk/store holds SQL. (import-linter checks imports between packages
too; this scan also catches an import hidden inside a function.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "shelterdesk"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
SQL = re.compile(
    r"\bSELECT\b[\s\S]+\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\bCREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bALTER\s+TABLE\b|\bDROP\s+(?:TABLE|INDEX)\b|\bPRAGMA\s+\w+|\bATTACH\s+DATABASE\b")


def _modules(exclude: str) -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if p.relative_to(PACKAGE).parts[0] != exclude)


def qt_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                node.func, "id", "")) in ("import_module", "__import__") and node.args
              and isinstance(node.args[0], ast.Constant)):
            names = [str(node.args[0].value)]
        else:
            continue
        found += [n for n in names if n.split(".")[0] in QT]
    return found


def sql_strings(source: str) -> list[str]:
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            if (node.body and isinstance(node.body[0], ast.Expr)
                    and isinstance(node.body[0].value, ast.Constant)):
                docstrings.add(id(node.body[0].value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and SQL.search(node.value)]


def test_the_scanners_find_what_they_look_for():
    assert qt_imports("from PySide6.QtWidgets import QWidget") == ["PySide6.QtWidgets"]
    assert qt_imports("def f():\n    import PySide6\n") == ["PySide6"]
    assert qt_imports("importlib.import_module('PySide6.QtCore')") == ["PySide6.QtCore"]
    assert qt_imports("import os\nfrom .x import PySide6") == []
    assert sql_strings('q = "SELECT id FROM resident WHERE x=?"')
    assert sql_strings('q = f"UPDATE stay SET a={1}"')
    assert sql_strings("con.execute('PRAGMA user_version')")
    assert sql_strings('x = "insert into child(a) values (1)"') == []  # lower case: prose
    assert sql_strings('"""Never SELECT from the table here."""') == []  # a docstring
    assert sql_strings('msg = "Select a room from the list."') == []


@pytest.mark.parametrize("path", _modules("gui"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_gui_imports_qt(path):
    assert qt_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", _modules("store"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_store_holds_sql(path):
    assert sql_strings(path.read_text(encoding="utf-8")) == []
