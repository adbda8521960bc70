# The README's commands. Every target first makes sure the machine has what it
# needs (tools/setup.sh: Debian fonts, a .venv with the pinned packages, compiled
# catalogs), so each works on a fresh clone.
PY := .venv/bin/python
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: setup run demo test lint bench forms i18n clean

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

clean:
	rm -rf .venv build *.egg-info shelterdesk/locale
