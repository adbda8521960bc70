"""``--help`` and argparse's own messages speak the user's language: Japanese by
default, English with ``--lang en`` or SHELTERDESK_LANG=en. The top-level
``--lang`` is read before the parser is built; ``print consent --lang`` is the
sheet's language and changes nothing here."""

from __future__ import annotations

import argparse
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shelterdesk import cli
from shelterdesk.cli.argparse_i18n import speaking_our_language
from shelterdesk.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def help_text(monkeypatch, capsys, *args, env_lang=None) -> str:
    if env_lang is None:
        monkeypatch.delenv("SHELTERDESK_LANG", raising=False)
    else:
        monkeypatch.setenv("SHELTERDESK_LANG", env_lang)
    with pytest.raises(SystemExit) as e:
        cli.main([*args, "--help"])
    assert e.value.code == 0
    return capsys.readouterr().out


def test_help_is_japanese_by_default(monkeypatch, capsys):
    out = help_text(monkeypatch, capsys)
    assert out.startswith("使い方: shelterdesk")
    assert "このヘルプを表示して終了する" in out and "オプション:" in out
    assert "データベースと監査ログを検査する" in out  # verify's help


def test_print_help_is_japanese(monkeypatch, capsys):
    out = help_text(monkeypatch, capsys, "print")
    assert out.startswith("使い方: shelterdesk print")
    assert "入所受付票" in out and "入所のしおり・同意書" in out  # the documents' titles


def test_consent_lang_is_not_the_ui_language(monkeypatch, capsys):
    out = help_text(monkeypatch, capsys, "print", "consent", "--lang", "en")
    assert out.startswith("使い方: shelterdesk print consent")
    assert "このヘルプを表示して終了する" in out


@pytest.mark.parametrize("args, env_lang", [(("--lang", "en"), None), (("--lang=en",), None),
                                            ((), "en"), (("--db", "x.db", "--lang", "en"), "ja")])
def test_help_in_english(monkeypatch, capsys, args, env_lang):
    out = help_text(monkeypatch, capsys, *args, env_lang=env_lang)
    assert out.startswith("usage: shelterdesk")
    assert "show this help message and exit" in out
    assert not JAPANESE.search(out)


def test_usage_error_in_japanese_exit_2(monkeypatch, capsys):
    monkeypatch.delenv("SHELTERDESK_LANG", raising=False)
    with pytest.raises(SystemExit) as e:
        cli.main(["verify", "--db", "x.db"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "使い方: shelterdesk verify" in err
    assert "エラー: 次の引数が必要です: --user" in err
    assert not (ROOT / "x.db").exists()


def test_argparse_gets_its_own_gettext_back(monkeypatch, capsys):
    help_text(monkeypatch, capsys)
    assert argparse._ is gettext.gettext and argparse.ngettext is gettext.ngettext


def _all_parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _all_parsers(sub)


def test_every_help_string_is_translated():
    set_language("ja")
    with speaking_our_language():
        parser = cli.build_parser()
    untranslated = [f"{p.prog} {a.option_strings or a.dest}"
                    for p in _all_parsers(parser) for a in p._actions
                    if not isinstance(a, argparse._SubParsersAction)
                    and not (a.help and JAPANESE.search(a.help))]
    assert untranslated == []
    choices = [a for p in _all_parsers(parser) for a in p._actions
               if isinstance(a, argparse._SubParsersAction)]
    assert all(JAPANESE.search(c.help) for a in choices for c in a._choices_actions)


@pytest.mark.parametrize("argv, lang", [
    ([], "ja"), (["--lang", "en"], "en"), (["--lang=en", "verify"], "en"),
    (["--la", "en"], "en"), (["--db", "--lang", "verify"], "ja"),  # --lang is --db's value
    (["print", "consent", "--lang", "en"], "ja"), (["--", "--lang", "en"], "ja"),
])
def test_language_from(monkeypatch, argv, lang):
    monkeypatch.delenv("SHELTERDESK_LANG", raising=False)
    assert cli.language_from(argv) == lang


def test_the_installed_command_speaks_japanese():
    """The real program, as ``python -m shelterdesk`` with arguments runs it."""
    env = {k: v for k, v in os.environ.items() if k != "SHELTERDESK_LANG"}
    p = subprocess.run([sys.executable, "-m", "shelterdesk", "print", "--help"],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("使い方: shelterdesk print")
