"""``shelterdesk --self-test`` from the checkout: every check passes here (the
test machine has the fonts, QtPdf and Qt's catalogs), one line per check, and a
failing check makes the exit status 1 while everything made is still removed.
The frozen program's self-test is tests/packaging/test_frozen.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from shelterdesk import selftest
from shelterdesk.i18n import _


def test_self_test_passes_from_the_checkout_in_japanese():
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.pop("SHELTERDESK_LANG", None)
    out = subprocess.run([sys.executable, "-m", "shelterdesk", "--self-test"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    checks = [line for line in lines if line.startswith("[")]
    assert len(checks) == len(selftest.CHECKS)
    assert all(line.startswith("[合格]") for line in checks), out.stdout
    assert "暗号化されたデータベースを作成" in out.stdout
    assert "BIZ UD" in out.stdout


def test_a_failing_check_fails_the_run_and_the_rest_still_run(monkeypatch):
    made = []

    def make_folder(ctx):
        selftest._check_temp_folder(ctx)
        made.append(ctx.folder)
        return ""

    def broken(ctx):
        raise selftest.CheckFailed("no such thing")

    def crashes(ctx):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(selftest, "CHECKS", (
        ("Owner-only temporary folder", make_folder),
        ("Unlock the database", broken),
        ("Create an encrypted database", crashes),
        ("Encrypt and decrypt an age file", selftest._check_age),
    ))
    out = io.StringIO()
    assert selftest.run(out) == 1
    lines = out.getvalue().splitlines()
    assert len([line for line in lines if line.startswith("[")]) == 4
    assert "no such thing" in lines[2]
    assert "RuntimeError: boom" in lines[3] and "second line" not in out.getvalue()
    assert lines[4].startswith(f"[{_('ok')}]")
    assert made and not made[0].exists()


def test_missing_babel_locale_data_is_a_failure(monkeypatch):
    """The frozen folder keeps Babel's data of our languages only (the spec
    trims the rest): one of them missing is a self-test failure, named."""
    from babel import localedata
    real = localedata.exists
    monkeypatch.setattr(localedata, "exists", lambda name: name != "ne" and real(name))
    try:
        selftest._check_package_data(selftest._Context())
    except selftest.CheckFailed as e:
        assert "babel/locale-data/ne.dat" in str(e)
    else:
        raise AssertionError("a missing locale passed")
