"""Where the database lives by default; the GUI and the command line both ask here.

``SHELTERDESK_DB`` if set, else ``shelterdesk.db`` in the per-user data folder.
A module of its own so that ``gui`` never imports the command line for it (and
the command line never imports the GUI for it): both sit above this one.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    env = os.environ.get("SHELTERDESK_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_dir
    return Path(user_data_dir("ShelterDesk", appauthor=False)) / "shelterdesk.db"
