"""The real program starts under a real X server (Xvfb, Qt's xcb platform
plugin) on the first-run screen and shows a window: a library the xcb plugin
needs but tools/setup.sh did not install fails this test ("Could not load the
Qt platform plugin xcb", exit 134), as it failed on a fresh machine.

The program runs as a subprocess with ``SHELTERDESK_SCREENSHOT`` (a test-only
hook in gui/app.py): once the window is exposed it saves a picture of it and
quits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path("/tmp/shots")


def test_program_starts_under_x11(tmp_path):
    assert shutil.which("xvfb-run"), "xvfb-run is missing: run `make setup` (Debian xvfb, xauth)"
    shot = tmp_path / "first_run.png"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", SHELTERDESK_SCREENSHOT=str(shot),
               SHELTERDESK_LANG="ja")
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24",
         sys.executable, "-m", "shelterdesk", "--db", str(tmp_path / "new.db")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "Could not load the Qt platform plugin" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not (tmp_path / "new.db").exists()  # the first-run screen creates nothing by itself
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 400 and image.height() >= 300
    # Not a blank picture: the screen shows text and buttons.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 3
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(shot, SHOTS / "xvfb_first_run.png")
