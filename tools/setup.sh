#!/usr/bin/env bash
# Prepare this checkout on a fresh machine: Debian fonts and PDF tools, a
# virtual environment with the pinned packages (setuptools too, for the wheel
# test), message catalogs compiled into shelterdesk/locale.
# Idempotent and quick when everything is already there; `make run` and
# `make test` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  fonts-morisawa-bizud-gothic fonts-morisawa-bizud-mincho  # Japanese (UI and print)
  fonts-nanum        # Hangul fallback for printed documents
  fonts-hanazono     # rare kanji outside BIZ UD (e.g. U+20BB7)
  fonts-wqy-zenhei   # Simplified Chinese fallback
  fonts-noto-core    # Latin with Vietnamese diacritics, Devanagari (Nepali)
  fonts-dejavu-core
  poppler-utils      # pdftotext/pdffonts/pdftoppm, used by the tests
  qpdf               # qpdf --requires-password: tests of encrypted saved PDFs
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3  # Qt runtime
  libfreetype6 libglib2.0-0
  # Qt's X11 platform plugin (libqxcb.so and the libQt6XcbQpa it links): without
  # these, "Could not load the Qt platform plugin xcb" (exit 134) on a fresh
  # machine. Checked with ldd; tests/gui/test_xvfb.py fails if one is missing.
  libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-util1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1
  age                # the reference age tool: tests/transfer check our files against it
  xvfb xauth         # a real X server for tests/gui/test_xvfb.py (xvfb-run)
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "Installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages (install them by hand): ${missing[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
.venv/bin/python tools/compile_catalogs.py
