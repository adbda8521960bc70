# The README's commands. Every target first makes sure the machine has what it
# needs (tools/setup.sh: Debian fonts, a .venv with the pinned packages, compiled
# catalogs), so each works on a fresh clone.
PY := .venv/bin/python
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: setup run demo test lint bench forms i18n clean package package-deps wheelhouse test-package

setup:
	@bash tools/setup.sh

run: setup
	$(PY) -m shelterdesk

test: setup
	$(PY) -m ruff check shelterdesk tests tools
	.venv/bin/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: setup
	$(PY) -m ruff check shelterdesk tests tools
	.venv/bin/lint-imports --no-cache

bench: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.bench.run

forms: setup
	$(PY) tools/build_forms.py

i18n: setup
	$(PY) tools/extract_messages.py
	$(PY) tools/compile_catalogs.py

# The frozen one-folder program: dist/shelterdesk/shelterdesk, its archive and
# dist/SHA256SUMS (packaging/build.py; PyInstaller pinned in the `package` extra).
package: setup package-deps
	$(PY) packaging/build.py

package-deps:
	@stamp=.venv/.package-$$(sha256sum pyproject.toml | cut -c1-16); \
	if [ ! -f $$stamp ]; then \
	  $(PY) -m pip install -q --disable-pip-version-check -e ".[dev,package]" && \
	  rm -f .venv/.package-* && touch $$stamp; fi

# Every wheel the program needs, Linux and Windows x86-64, CPython 3.11 and 3.12,
# with a hash-pinned requirements.txt: dist/wheelhouse/ (needs the network).
wheelhouse: setup
	$(PY) packaging/wheelhouse.py

# The frozen program's archive and the wheelhouse, tested from outside the
# checkout (tests/packaging/test_frozen.py); .ci/run runs it after `make test`.
test-package: package wheelhouse
	SHELTERDESK_FROZEN_ARCHIVE=$$(ls dist/shelterdesk-*-linux-x86_64.tar.gz) \
	SHELTERDESK_WHEELHOUSE=dist/wheelhouse \
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/packaging/test_frozen.py

clean:
	rm -rf .venv build dist *.egg-info shelterdesk/locale
