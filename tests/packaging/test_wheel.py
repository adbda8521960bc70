"""The wheel carries what the program needs at run time (catalogs, stylesheet,
icon, migrations) and, installed outside the checkout, runs in Japanese and
styled.

The wheel is built from a copy of the files git knows (tracked, or new and not
ignored), so no catalog compiled in the checkout can leak in: the build step
(setup.py) must compile them. No network: `--no-build-isolation` uses the
setuptools and Babel of this .venv (tools/setup.sh installs them). The wheel is
then installed without dependencies into a new virtual environment; a .pth
file lends it this .venv's site-packages for PySide6 and the rest (a path added
by a .pth line is not scanned for .pth files, so the editable install of the
checkout stays out of sight).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NEEDED = (
    "shelterdesk/locale/ja/LC_MESSAGES/shelterdesk.mo",
    "shelterdesk/resources/style.qss",
    "shelterdesk/resources/icons/shelterdesk.svg",
    "shelterdesk/store/migrations/v0001_initial.sql",
)

CHECK = textwrap.dedent("""
    import sys
    from pathlib import Path

    import shelterdesk
    where = Path(shelterdesk.__file__).resolve()
    assert Path(sys.prefix).resolve() in where.parents, where
    assert Path(sys.argv[1]) not in where.parents, where

    from shelterdesk import i18n
    assert i18n.current_language() == "ja"
    assert i18n._("New admission") == "新規入所受付", i18n._("New admission")

    from PySide6.QtWidgets import QApplication
    from shelterdesk.gui.app import setup_application
    app = QApplication([])
    setup_application(app)
    assert "#safetyBanner" in app.styleSheet()
    assert not app.windowIcon().isNull()
    print("ok")
""")


def _clean_copy(dst: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():  # deleted in the work tree but not yet committed: skip
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / name)


def test_wheel_carries_catalogs_and_resources_and_runs_in_japanese(tmp_path):
    src, dist, env_dir, run_dir = (tmp_path / d for d in ("src", "dist", "env", "elsewhere"))
    src.mkdir()
    run_dir.mkdir()
    _clean_copy(src)
    assert not list(src.glob("shelterdesk/locale/**/*.mo"))

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "--disable-pip-version-check", "-q", "-w", str(dist), str(src)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("shelterdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert not [n for n in NEEDED if n not in names]
    assert not [n for n in names if n.startswith(("tests/", "translations/"))]

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                    "--no-index", "--disable-pip-version-check", "-q", str(wheel)],
                   check=True, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "zz_lend_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", LANGUAGE="en", LANG="C.UTF-8")
    done = subprocess.run([str(python), "-c", CHECK, str(ROOT)], cwd=run_dir, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")
