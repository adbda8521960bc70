"""The frozen program (``make package``) and the offline wheelhouse (``make
wheelhouse``), each run from a folder outside the checkout with no virtual
environment on PATH. Slow and built by their own make targets, so they run in
their own CI step (``make test-package``, .ci/run); ``make test`` skips them
unless SHELTERDESK_FROZEN_ARCHIVE / SHELTERDESK_WHEELHOUSE name what to test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from shelterdesk import selftest

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = os.environ.get("SHELTERDESK_FROZEN_ARCHIVE")
WHEELHOUSE = os.environ.get("SHELTERDESK_WHEELHOUSE")


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No venv, no checkout on any path: what a shelter PC's shell has."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1"}
    env.update(extra)
    return env


def _sha256_listed(path: Path) -> str:
    sums = (path.parent / "SHA256SUMS").read_text().splitlines()
    (line,) = [s for s in sums if s.endswith("  " + path.name)]
    return line.split()[0]


def _assert_self_test_passed(out: subprocess.CompletedProcess) -> None:
    assert out.returncode == 0, out.stdout + out.stderr
    checks = [line for line in out.stdout.splitlines() if line.startswith("[")]
    assert len(checks) == len(selftest.CHECKS), out.stdout
    assert all(line.startswith("[合格]") for line in checks), out.stdout


@pytest.fixture(scope="module")
def frozen(tmp_path_factory) -> Path:
    if not ARCHIVE:
        pytest.skip("set SHELTERDESK_FROZEN_ARCHIVE (make test-package)")
    archive = Path(ARCHIVE).resolve()
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == _sha256_listed(archive)
    where = tmp_path_factory.mktemp("usb-stick")
    with tarfile.open(archive) as t:
        t.extractall(where, filter="tar")
    program = where / "shelterdesk" / "shelterdesk"
    assert ROOT not in program.parents
    return program


def test_frozen_self_test_passes_outside_the_checkout(frozen, tmp_path):
    out = subprocess.run([str(frozen), "--self-test"], cwd=tmp_path, env=_clean_env(tmp_path),
                         capture_output=True, text=True, timeout=600)
    _assert_self_test_passed(out)
    assert str(frozen.parent) in out.stdout  # the frozen copy ran, not the checkout


def test_frozen_command_line_speaks_japanese(frozen, tmp_path):
    out = subprocess.run([str(frozen), "--help"], cwd=tmp_path, env=_clean_env(tmp_path),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "このプログラムがこの PC で動くか確認して終了する" in out.stdout


def _first_screen(frozen: Path, tmp_path: Path, lang: str) -> bytes:
    shot = tmp_path / f"first-run-{lang}.png"
    env = _clean_env(tmp_path, QT_QPA_PLATFORM="offscreen", SHELTERDESK_SCREENSHOT=str(shot),
                     SHELTERDESK_DB=str(tmp_path / "data" / "shelter.db"),
                     SHELTERDESK_LANG=lang)
    out = subprocess.run([str(frozen)], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "data" / "shelter.db").exists()  # the first-run screen made nothing
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    keep = os.environ.get("SHELTERDESK_SHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / shot.name).write_bytes(data)
    return data


def test_frozen_gui_starts_offscreen_on_the_first_run_screen_in_japanese(frozen, tmp_path):
    japanese = _first_screen(frozen, tmp_path, "ja")
    english = _first_screen(frozen, tmp_path, "en")
    assert len(japanese) > 10_000
    assert japanese != english  # the catalog was found: the screen is not the msgids


def test_wheelhouse_installs_offline_into_a_fresh_venv_and_passes_the_self_test(tmp_path):
    if not WHEELHOUSE:
        pytest.skip("set SHELTERDESK_WHEELHOUSE (make test-package)")
    house = Path(WHEELHOUSE).resolve()
    for line in (house / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((house / name).read_bytes()).hexdigest() == digest, name
    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(venv)], check=True, timeout=300)
    env = _clean_env(tmp_path)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                    "--disable-pip-version-check", "--no-index", "--find-links", str(house),
                    "--require-hashes", "-r", str(house / "requirements.txt")],
                   check=True, env=env, cwd=tmp_path, timeout=900)
    out = subprocess.run([str(venv / "bin" / "shelterdesk"), "--self-test"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=600)
    _assert_self_test_passed(out)
    assert str(venv) in out.stdout  # the installed copy ran, not the checkout


def test_install_sh_refuses_an_archive_without_checksums(tmp_path):
    """The README's Linux step, with SHA256SUMS left behind: nothing installed."""
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "shelterdesk-0.0.0-linux-x86_64.tar.gz").write_bytes(b"not checked")
    root = tmp_path / "root"
    out = subprocess.run(["sh", str(ROOT / "packaging" / "linux" / "install.sh"),
                          "shelterdesk-0.0.0-linux-x86_64.tar.gz"], cwd=stick,
                         env=_clean_env(tmp_path, DESTDIR=str(root)), capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 1 and "SHA256SUMS" in out.stderr
    assert not root.exists()


def test_install_sh_from_the_folder_of_the_stick(tmp_path):
    """What `make package` leaves in dist/ is what the stick holds: install.sh,
    the desktop entry, the archive and SHA256SUMS; the README's command works there
    (DESTDIR: a trial install below a folder instead of /)."""
    if not ARCHIVE:
        pytest.skip("set SHELTERDESK_FROZEN_ARCHIVE (make test-package)")
    archive = Path(ARCHIVE).resolve()
    stick = tmp_path / "stick"
    stick.mkdir()
    for name in (archive.name, "SHA256SUMS", "install.sh", "shelterdesk.desktop"):
        shutil.copy2(archive.parent / name, stick / name)
    root = tmp_path / "root"
    out = subprocess.run(["sh", "install.sh", archive.name], cwd=stick,
                         env=_clean_env(tmp_path, DESTDIR=str(root)), capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stdout + out.stderr
    assert (root / "opt" / "shelterdesk" / "shelterdesk").is_file()
    assert os.readlink(root / "usr" / "local" / "bin" / "shelterdesk") == \
        "/opt/shelterdesk/shelterdesk"
    assert (root / "usr/local/share/applications/shelterdesk.desktop").is_file()
    assert (root / "usr/local/share/icons/hicolor/scalable/apps/shelterdesk.svg").is_file()
