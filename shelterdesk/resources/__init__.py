"""Data files the program ships: the stylesheet (``style.qss``) and icons.

They live here, inside the package, as their only copy, rather than in a
top-level ``resources/`` folder copied in at build time (the layout in
ARCHITECTURE.md). Unlike the catalogs (``translations/*.po`` compiled into
``shelterdesk/locale/``) nothing has to be built from them, and a second copy
would be one more thing that goes stale: an editable install, a wheel and a
frozen folder all read the same files, found relative to the package, never
to the checkout. Printed documents keep their texts in code, under gettext.

No Qt here: the GUI turns these bytes and paths into a stylesheet and icons.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

STYLESHEET = "style.qss"
APP_ICON = "icons/shelterdesk.svg"


def path(name: str) -> Path:
    """A resource as a file path (the package is installed as files, never zipped)."""
    return Path(str(resources.files(__name__).joinpath(name)))


def read_text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
