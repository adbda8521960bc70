"""GUI fixtures: the application set up as the program sets it up (translator,
fonts, style), a demo database built once per test session with the cheap
test KDF and copied per test, and a few residents with known kana."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from shelterdesk.core.models import Child, Resident, SafetyFlags, Stay
from shelterdesk.store import session as sessions
from shelterdesk.store import stays
from shelterdesk.store.demo import DEMO_PASSWORD, create_demo
from shelterdesk.store.rooms import free_beds
from shelterdesk.store.vault import TEST_KDF

SHOTS = Path("/tmp/shots")
ADMIN = "admin"  # as in tests/conftest.py's facility
PASSWORD = "correct horse 1"


@pytest.fixture(autouse=True)
def _application(qapp):
    from shelterdesk.gui.app import setup_application
    setup_application(qapp)
    yield


def copy_db(src: Path, dst: Path) -> Path:
    for suffix in ("", ".keys", ".keys.bak"):
        s = Path(str(src) + suffix)
        if s.exists():
            shutil.copy2(s, str(dst) + suffix)
    return dst


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo(path, DEMO_PASSWORD, kdf=TEST_KDF).lock()
    return path


@pytest.fixture
def demo_path(_demo_template, tmp_path) -> Path:
    return copy_db(_demo_template, tmp_path / "demo.db")


def admit_resident(db, family: str, given: str, family_kana: str, given_kana: str, *,
                   alias: str = "", safety: SafetyFlags | None = None, children: int = 0,
                   days_ago: int = 10) -> int:
    bed = free_beds(db)[0]
    admitted = datetime.now().replace(microsecond=0, second=0) - timedelta(days=days_ago)
    kids = [Child(family_name=family, given_name=f"子{i}", family_kana=family_kana,
                  given_kana="こ", birth_date=date(2020, 1, 1 + i), sex="F")
            for i in range(children)]
    stay = stays.admit(db, stays.Admission(
        resident=Resident(family_name=family, given_name=given, family_kana=family_kana,
                          given_kana=given_kana, alias=alias, birth_date=date(1990, 4, 1),
                          safety=safety or SafetyFlags()),
        stay=Stay(admitted_at=admitted, admission_type="temporary_protection",
                  main_complaint="dv_spouse", referral_source="police", bed_id=bed.bed_id),
        children=kids))
    return stay.resident_id


@pytest.fixture
def populated(db_path) -> Path:
    """The empty test facility with three fictitious residents in residence."""
    s = sessions.unlock(db_path, ADMIN, PASSWORD)
    try:
        admit_resident(s.db, "見本", "花子", "みほん", "はなこ",
                       safety=SafetyFlags(danger_level="high", danger_warning="来訪者に注意",
                                          whereabouts_secret=True))
        admit_resident(s.db, "架空", "桜", "かくう", "さくら", children=2, days_ago=3)
        admit_resident(s.db, "試用", "恵", "しよう", "めぐみ", alias="メグさん")
    finally:
        s.lock()
    return db_path


def type_into(widget, text: str) -> None:
    """Type ``text`` key by key, as an input method delivers it (QTest's
    keyClicks cannot send non-ASCII characters)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def type_text():
    return type_into


@pytest.fixture
def texts():
    return visible_texts


@pytest.fixture
def shoot():
    return shot


def visible_texts(widget=None) -> list[str]:
    """Every piece of text a person could read in any visible window (labels,
    fields, buttons, item views and their tooltips, window titles)."""
    from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QApplication,
        QLabel,
        QLineEdit,
        QWidget,
    )
    out = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        out.append(top.windowTitle())
        for w in [top, *top.findChildren(QWidget)]:
            if not w.isVisible():
                continue
            if isinstance(w, QLabel | QAbstractButton | QLineEdit):
                out.append(w.text())
            out.append(w.toolTip())
            if isinstance(w, QAbstractItemView) and w.model() is not None:
                m = w.model()
                columns = 1 if isinstance(m, QAbstractListModel) else m.columnCount(QModelIndex())
                for r in range(m.rowCount(QModelIndex())):
                    for c in range(columns):
                        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                            out.append(str(m.data(m.index(r, c), role) or ""))
    return out


def shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))
