"""The first-run screen: create a new facility, or open the demo.

Shown only when no database file exists at the chosen path. Nothing here ever
replaces an existing file (the store refuses too).

Creating shows the recovery code *before* the database is usable, as the
command line does (store.facility: staged creation). The worker that creates
calls ``show_recovery_code``, which hands the code to the UI thread (a queued
signal) and waits on a threading.Event until the person has ticked "sealed"
and continued, or cancelled: then the store removes its staging files and
nothing is created. While the worker waits, ``tasks.busy()`` stays true. If
the screen goes away meanwhile, the wait ends as a cancel. Key-derivation calibration
and demo generation take seconds, so both run in a worker behind a progress
dialog. ``kdf`` exists for tests only; the program passes None, which makes
the store calibrate a real cost on this PC.
"""

from __future__ import annotations

import string
import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core.models import Bed, Facility, Room
from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.gui import style
from shelterdesk.gui.dialogs.recovery import RecoveryCodeDialog
from shelterdesk.gui.operations import failure_message, show_failure
from shelterdesk.gui.tasks import run_task
from shelterdesk.gui.widgets.buttons import enter_presses_buttons
from shelterdesk.gui.widgets.errors import FieldErrors, set_error, show_field_errors
from shelterdesk.gui.widgets.errors import error_label as _error_label
from shelterdesk.gui.widgets.passwords import password_field, password_mismatch
from shelterdesk.gui.widgets.screen_fit import fit_to_screen
from shelterdesk.i18n import _
from shelterdesk.store import accounts as accounts_repo
from shelterdesk.store import facility as facility_repo
from shelterdesk.store.demo import DEMO_PASSWORD, create_demo
from shelterdesk.store.rooms import check_room
from shelterdesk.store.vault import KdfParams

DEMO_LOGINS = ("admin", "intake", "case", "manager")
MAX_BEDS = 26


def parse_beds(text: str) -> list[str]:
    """"3" means beds A, B, C; anything else is a list of labels separated by
    commas, spaces or 、."""
    t = text.strip()
    if t.isdigit():
        n = int(t)
        if not 1 <= n <= MAX_BEDS:
            return []
        return list(string.ascii_uppercase[:n])
    for sep in ("、", "，", ",", "・"):
        t = t.replace(sep, " ")
    return t.split()


class CreationCancelled(Exception):
    """The recovery code dialog was cancelled: nothing was created."""


class _CodeHandOver(QObject):
    """The recovery code from the creating worker to the UI thread, and the
    person's answer back. ``wait_for_answer`` runs on the worker."""

    code_ready = Signal(str)

    def __init__(self, parent: QObject):
        super().__init__(parent)
        answer = self.answer = _Answer()
        # The screen (or the program) going away must not leave the worker waiting.
        parent.destroyed.connect(lambda *_a: answer.give(False))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: answer.give(False))

    def wait_for_answer(self, code: str) -> None:  # worker thread
        self.answer.reset()
        self.code_ready.emit(code)
        self.answer.event.wait()
        if not self.answer.confirmed:
            raise CreationCancelled


class _Answer:
    def __init__(self):
        self.event = threading.Event()
        self.confirmed = False

    def reset(self) -> None:
        self.confirmed = False
        self.event.clear()

    def give(self, confirmed: bool) -> None:
        if not self.event.is_set():
            self.confirmed = confirmed
            self.event.set()


class FirstRunScreen(QWidget):
    """Emits ``created(Session)`` after a new facility is made (and the
    recovery code was sealed), or ``demo_ready(Path)`` when the demo exists and
    the user asks to log in."""

    created = Signal(object)
    demo_ready = Signal(object)

    def __init__(self, db_path: Path, *, kdf: KdfParams | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._kdf = kdf
        self.recovery_dialog: RecoveryCodeDialog | None = None
        self._hand_over = _CodeHandOver(self)
        self._hand_over.code_ready.connect(self._show_code, Qt.ConnectionType.QueuedConnection)
        self._create_task = None
        self.setWindowTitle(_("ShelterDesk — first start"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        title = QLabel(_("Welcome to ShelterDesk"), self)
        title.setProperty("role", "title")
        outer.addWidget(title)
        path_row = QHBoxLayout()
        self.path_label = QLabel(self)
        self.path_label.setProperty("role", "hint")
        self.path_label.setWordWrap(True)
        path_row.addWidget(self.path_label, 1)
        self.change_path = QPushButton(_("Choose another file…"), self)
        self.change_path.clicked.connect(self.choose_path)
        path_row.addWidget(self.change_path)
        outer.addLayout(path_row)
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages, 1)
        self.pages.addWidget(self._build_choice())
        self.pages.addWidget(self._build_create())
        self.pages.addWidget(self._build_demo())
        self._show_path()
        fit_to_screen(self, 760, 720)
        # Keyboard: the first choice has the focus (not "Choose another file…",
        # which comes after the pages in Tab order); Enter presses a focused
        # button; a page shown puts the cursor in its first field.
        QWidget.setTabOrder(self.demo_choice, self.change_path)
        enter_presses_buttons(self)
        self.pages.currentChanged.connect(self._page_shown)
        self.create_choice.setFocus()

    def _page_shown(self, index: int) -> None:
        first = {0: self.create_choice, 1: self.facility_name, 2: self.demo_button}.get(index)
        if first is not None:
            first.setFocus()

    # -- pages -----------------------------------------------------------------
    def _build_choice(self) -> QWidget:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        intro = QLabel(_("There is no database yet. Choose how to start."), page)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.create_choice = QPushButton(_("Create a new facility"), page)
        self.create_choice.setMinimumHeight(56)
        self.create_choice.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        lay.addWidget(self.create_choice)
        c_hint = QLabel(_("For real use: the facility, its rooms and beds, and the first "
                          "administrator account."), page)
        c_hint.setProperty("role", "hint")
        c_hint.setWordWrap(True)
        lay.addWidget(c_hint)
        lay.addSpacing(16)
        self.demo_choice = QPushButton(_("Open the demo"), page)
        self.demo_choice.setMinimumHeight(56)
        self.demo_choice.clicked.connect(lambda: self.pages.setCurrentIndex(2))
        lay.addWidget(self.demo_choice)
        d_hint = QLabel(_("To try the program: a made-up facility with about two years of "
                          "clearly fictitious residents. Never enter real people into it."),
                        page)
        d_hint.setProperty("role", "hint")
        d_hint.setWordWrap(True)
        lay.addWidget(d_hint)
        lay.addStretch(1)
        return page

    def _build_create(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own
        page = QWidget(scroll)
        scroll.setWidget(page)
        lay = QVBoxLayout(page)
        self.errors = FieldErrors()

        fac = QGroupBox(_("Facility"), page)
        form = QFormLayout(fac)
        self.facility_name = QLineEdit(fac)
        self.facility_name.setMaxLength(100)
        form.addRow(_("Facility name"), self.facility_name)
        form.addRow("", self.errors.add("facility_name", _error_label(fac), self.facility_name))
        self.capacity = QSpinBox(fac)
        self.capacity.setRange(1, 1000)
        self.capacity.setValue(20)
        form.addRow(_("Capacity (women)"), self.capacity)
        form.addRow("", self.errors.add("capacity", _error_label(fac), self.capacity))
        lay.addWidget(fac)

        rooms = QGroupBox(_("Rooms and beds"), page)
        rl = QVBoxLayout(rooms)
        hint = QLabel(_("One line per room. Beds: a number (3 means beds A, B, C) or the "
                        "bed labels separated by commas."), rooms)
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        rl.addWidget(hint)
        self.rooms = QTableWidget(0, 3, rooms)
        self.rooms.setHorizontalHeaderLabels([_("Room"), _("Family room"), _("Beds")])
        self.rooms.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rooms.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.rooms.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.rooms.verticalHeader().hide()
        self.rooms.setMinimumHeight(160)
        self.rooms.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.rooms.installEventFilter(self)
        rl.addWidget(self.rooms)
        buttons = QHBoxLayout()
        add = QPushButton(_("Add a room"), rooms)
        add.clicked.connect(self.add_room_and_edit)
        remove = QPushButton(_("Remove the selected room"), rooms)
        remove.clicked.connect(self._remove_room_row)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        rl.addLayout(buttons)
        rl.addWidget(self.errors.add("rooms", _error_label(rooms), self.rooms))
        lay.addWidget(rooms)
        for name, family, beds in (("101", False, "1"), ("102", False, "1"),
                                   ("201", True, "3")):
            self.add_room_row(name, family, beds)

        adm = QGroupBox(_("First administrator"), page)
        form = QFormLayout(adm)
        self.admin_login = QLineEdit(adm)
        self.admin_login.setMaxLength(32)
        form.addRow(_("Login"), self.admin_login)
        form.addRow("", self.errors.add("login", _error_label(adm), self.admin_login))
        self.admin_name = QLineEdit(adm)
        form.addRow(_("Name shown"), self.admin_name)
        form.addRow("", self.errors.add("display_name", _error_label(adm), self.admin_name))
        self.password = password_field(adm)
        form.addRow(_("Password"), self.password)
        self.password.returnPressed.connect(lambda: self.password2.setFocus())
        form.addRow("", self.errors.add("password", _error_label(adm), self.password))
        self.password2 = password_field(adm)
        form.addRow(_("Repeat the password"), self.password2)
        form.addRow("", self.errors.add("password2", _error_label(adm), self.password2))
        self.password2.returnPressed.connect(self.create_facility)
        lay.addWidget(adm)

        self.general_error = _error_label(page)
        lay.addWidget(self.general_error)
        row = QHBoxLayout()
        back = QPushButton(_("Back"), page)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        row.addWidget(back)
        row.addStretch(1)
        self.create_button = QPushButton(_("Create the facility"), page)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_facility)
        row.addWidget(self.create_button)
        lay.addLayout(row)
        return scroll

    def _build_demo(self) -> QWidget:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        intro = QLabel(_("The demo is a made-up facility. Every demo account uses this "
                         "password:"), page)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.demo_password = QLabel(DEMO_PASSWORD, page)
        self.demo_password.setObjectName("secret")
        self.demo_password.setFont(style.fixed_font(15))
        self.demo_password.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.demo_password)
        logins = QLabel(_("Logins: {logins} (administrator, intake staff, caseworker, "
                          "manager).").format(logins=", ".join(DEMO_LOGINS)), page)
        logins.setWordWrap(True)
        lay.addWidget(logins)
        self.demo_status = QLabel(page)
        self.demo_status.setWordWrap(True)
        lay.addWidget(self.demo_status)
        self.demo_error = _error_label(page)
        lay.addWidget(self.demo_error)
        row = QHBoxLayout()
        back = QPushButton(_("Back"), page)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        row.addWidget(back)
        row.addStretch(1)
        self.demo_button = QPushButton(_("Create the demo"), page)
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self.create_demo)
        row.addWidget(self.demo_button)
        self.demo_login_button = QPushButton(_("Log in to the demo"), page)
        self.demo_login_button.hide()
        self.demo_login_button.clicked.connect(lambda: self.demo_ready.emit(self.db_path))
        row.addWidget(self.demo_login_button)
        lay.addLayout(row)
        lay.addStretch(1)
        return page

    # -- path ------------------------------------------------------------------
    def _show_path(self) -> None:
        self.path_label.setText(_("Database file: {path}").format(path=self.db_path))

    def choose_path(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Where to keep the database"), str(self.db_path),
            _("ShelterDesk database (*.db)"))
        if name:
            self.set_path(Path(name))

    def set_path(self, path: Path) -> None:
        self.db_path = Path(path)
        self._show_path()

    # -- rooms table -------------------------------------------------------------
    def add_room_row(self, name: str = "", family: bool = False, beds: str = "1") -> None:
        r = self.rooms.rowCount()
        self.rooms.insertRow(r)
        self.rooms.setItem(r, 0, QTableWidgetItem(name))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                       | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if family else Qt.CheckState.Unchecked)
        self.rooms.setItem(r, 1, check)
        self.rooms.setItem(r, 2, QTableWidgetItem(beds))

    def add_room_and_edit(self) -> None:
        """"Add a room": a new line with the cursor in its name."""
        self.add_room_row()
        row = self.rooms.rowCount() - 1
        self.rooms.setCurrentCell(row, 0)
        self.rooms.setFocus()
        self.rooms.editItem(self.rooms.item(row, 0))

    def eventFilter(self, obj, event) -> bool:
        """Space in the rooms table ticks the family-room box of the line the
        cursor is on (never another line's)."""
        if obj is self.rooms and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Space and self.rooms.state() != \
                QAbstractItemView.State.EditingState:
            row = self.rooms.currentRow()
            item = self.rooms.item(row, 1) if row >= 0 else None
            if item is not None:
                on = item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked if on else Qt.CheckState.Checked)
                self.rooms.setCurrentCell(row, 1)
            return True
        return super().eventFilter(obj, event)

    def _remove_room_row(self) -> None:
        row = self.rooms.currentRow()
        if row >= 0:
            self.rooms.removeRow(row)

    def room_list(self) -> tuple[list[Room], list[FieldError]]:
        """The rooms as typed, with a message per bad line (line numbers as
        shown: 1 is the first room)."""
        rooms, errors, seen = [], [], set()
        for r in range(self.rooms.rowCount()):
            name = (self.rooms.item(r, 0).text() if self.rooms.item(r, 0) else "").strip()
            beds_text = self.rooms.item(r, 2).text() if self.rooms.item(r, 2) else ""
            if not name and not beds_text.strip():
                continue  # an empty line is ignored, not an error
            family = self.rooms.item(r, 1).checkState() == Qt.CheckState.Checked
            room = Room(None, name, family, beds=[Bed(None, None, b)
                                                  for b in parse_beds(beds_text)])
            prefix = _("Room line {n}: ").format(n=r + 1)
            try:
                check_room(room)
            except ValidationError as e:
                errors += [FieldError("rooms", prefix + m.message) for m in e.errors]
                continue
            if name in seen:
                errors.append(FieldError("rooms", prefix + _("A room with this name exists "
                                                             "already.")))
            seen.add(name)
            rooms.append(room)
        return rooms, errors

    # -- creating ----------------------------------------------------------------
    def create_facility(self) -> None:
        self.errors.clear_errors()
        facility = Facility(self.facility_name.text().strip(), self.capacity.value())
        rooms, errors = self.room_list()
        login = self.admin_login.text().strip()
        name = self.admin_name.text().strip()
        pw, pw2 = self.password.text(), self.password2.text()
        errors += accounts_repo.check_login(login) + accounts_repo.check_password(pw)
        if not facility.name:
            errors.append(FieldError("facility_name", _("Enter the facility name.")))
        if not name:
            errors.append(FieldError("display_name", _("Enter the administrator's name.")))
        errors += password_mismatch(pw, pw2)
        if errors:
            show_field_errors(errors, [self.errors], self.general_error)
            return
        self.create_button.setEnabled(False)
        path, kdf, show = self.db_path, self._kdf, self._hand_over.wait_for_answer
        self._create_task = run_task(
            self, lambda: facility_repo.create_facility(path, facility, rooms, login, name, pw,
                                                        kdf=kdf, show_recovery_code=show),
            self._created, self._create_failed,
            _("Creating the encrypted database (this takes a few seconds)…"))

    def _show_code(self, code: str) -> None:
        """UI thread: the database is complete under its staging name; it is
        moved into place only once the code is sealed."""
        task = self._create_task
        if task is not None and task.progress is not None:
            task.progress.cancel()  # hidden (and not shown later) while the code is up
        self.recovery_dialog = RecoveryCodeDialog(code, self, cancellable=True, hint=_(
            "The database is made ready only after you continue; Cancel creates nothing. "
            "If the program is interrupted after you continue, an administrator can make a "
            "new recovery code (menu: New recovery code…)."))
        self.recovery_dialog.finished.connect(self._code_answered)
        self.recovery_dialog.open()

    def _code_answered(self, result: int) -> None:
        # Detached from the screen (which the main window replaces soon), kept
        # until the screen goes; it has already forgotten the code.
        self._answered_dialog, self.recovery_dialog = self.recovery_dialog, None
        self._answered_dialog.setParent(None)
        self._hand_over.answer.give(result == RecoveryCodeDialog.DialogCode.Accepted)

    def _create_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):  # the screen went away while the code was shown
            return
        self._create_task = None
        self.create_button.setEnabled(True)
        if isinstance(error, CreationCancelled):
            set_error(self.general_error, _("Nothing was created. Create the facility again "
                                            "when you can print and seal the recovery code."))
            return
        show_failure(self, error, [self.errors], self.general_error)

    def _created(self, result) -> None:
        session, _recovery = result
        self._create_task = None
        self.password.clear()
        self.password2.clear()
        self.created.emit(session)

    # -- demo ----------------------------------------------------------------------
    def create_demo(self) -> None:
        self.demo_error.hide()
        self.demo_button.setEnabled(False)
        path, kdf = self.db_path, self._kdf

        def work():
            session = create_demo(path, DEMO_PASSWORD, kdf=kdf)
            session.lock()
            return path

        run_task(self, work, self._demo_created, self._demo_failed,
                 _("Creating the demo database (this takes a few seconds)…"))

    def _demo_created(self, path) -> None:
        self.demo_status.setText(_("The demo database is ready. Log in with one of the logins "
                                   "above and the password shown."))
        self.demo_button.hide()
        self.change_path.setEnabled(False)
        self.demo_login_button.show()
        self.demo_login_button.setDefault(True)
        self.demo_login_button.setFocus()

    def _demo_failed(self, error: BaseException) -> None:
        self.demo_button.setEnabled(True)
        self.demo_error.setText(failure_message(error))
        self.demo_error.show()
