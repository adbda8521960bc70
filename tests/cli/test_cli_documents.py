"""The one list of documents (reports/documents.py) and the ``print``
subcommands generated from it agree. Building every document in every language
is tested once, in tests/unit/test_reports_documents.py and the preview's
tests (which build through the list); these tests build nothing."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from dataclasses import replace

import pytest

from shelterdesk import cli
from shelterdesk.core import codes
from shelterdesk.i18n import DOCUMENT_LANGUAGES, translation
from shelterdesk.reports import documents

PASSWORD = "correct horse 1"  # the conftest administrator's


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_print_subcommands_are_the_documents():
    printing = _subparsers(_subparsers(cli.build_parser())["print"])
    assert list(printing) == [d.key for d in documents.DOCUMENTS]
    for doc in documents.DOCUMENTS:
        options = {o: a for a in printing[doc.key]._actions for o in a.option_strings}
        assert {"--db", "--user", "--stay", "--out"} <= set(options)
        if doc.chooses_language:
            assert tuple(options["--lang"].choices) == doc.languages
            assert options["--lang"].required
        else:
            assert "--lang" not in options


def test_the_list_today():
    intake, consent = documents.document("intake"), documents.document("consent")
    assert intake.languages == ("ja",) and not intake.chooses_language
    assert consent.languages == DOCUMENT_LANGUAGES and consent.chooses_language
    every_role = {c.code for c in codes.ROLE}
    plan = documents.document("plan")
    assert plan.languages == DOCUMENT_LANGUAGES and plan.chooses_language
    for doc in documents.DOCUMENTS:
        if doc.key == "plan":  # the caseworkers' document (DOMAIN.md)
            assert set(doc.roles) == set(codes.CASEWORK)
            assert doc.may_print({"caseworker"}) and not doc.may_print({"intake"})
        else:
            assert set(doc.roles) == every_role  # anyone logged in may print these
            assert doc.may_print({"intake"})
        assert not doc.may_print(set())
        assert translation("ja").gettext(doc.title) != doc.title
        assert set(doc.languages) <= set(DOCUMENT_LANGUAGES)
    assert len({d.key for d in documents.DOCUMENTS}) == len(documents.DOCUMENTS)


def test_unknown_document_or_language_builds_nothing():
    with pytest.raises(ValueError):
        documents.document("monthly-nonexistent")
    with pytest.raises(ValueError):
        documents.document("intake").build(None, 1, "en")  # before any database access
    with pytest.raises(ValueError):
        documents.document("consent").build(None, 1, "fr")


def test_listing_the_documents_does_not_import_reportlab():
    code = ("import sys, shelterdesk.cli, shelterdesk.reports.documents; "
            "assert 'reportlab' not in sys.modules, 'reportlab imported at start-up'")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr


def test_print_refuses_a_role_the_document_does_not_allow(session, db_path, monkeypatch,
                                                          capsys, tmp_path):
    """The roles field is obeyed (the next documents restrict it); the
    conftest's administrator is admin and manager."""
    session.lock()
    only_caseworkers = tuple(replace(d, roles=("caseworker",)) if d.key == "intake" else d
                             for d in documents.DOCUMENTS)
    monkeypatch.setattr(documents, "DOCUMENTS", only_caseworkers)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    out = tmp_path / "intake.pdf"
    code = cli.main(["--lang", "en", "print", "intake", "--db", str(db_path), "--user", "admin",
                     "--stay", "1", "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 1 and stdout == ""
    assert stderr == "shelterdesk: Your account may not do this.\n"
    assert not out.exists()
