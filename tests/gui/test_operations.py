"""The one way to run a user action (gui/operations.py), the change hub and a
task's progress: what a person sees when an action fails or succeeds."""

from __future__ import annotations

import errno

from PySide6.QtWidgets import QLineEdit, QMessageBox, QWidget

from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.gui import changes, operations, tasks
from shelterdesk.gui.widgets.errors import ErrorForm, error_label
from shelterdesk.gui.widgets.questions import ask_yes_no
from shelterdesk.store.errors import Conflict


def _form(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    form = ErrorForm(host)
    name, date_field = QLineEdit(), QLineEdit()
    form.add_field("name", "Name", name)
    form.add_field("birth_date", "Born", date_field)
    general = error_label(host)
    host.show()
    return host, form, general, date_field


def test_a_validation_error_lands_beside_its_field_and_the_rest_in_the_general_line(qtbot):
    host, form, general, date_field = _form(qtbot)

    def call():
        raise ValidationError([FieldError("birth_date", "not a date"),
                               FieldError("room", "no such room")])
    ok = operations.run_action(host, call, forms=[form], general=general)
    assert ok is False
    assert form.error_text("birth_date") == "not a date"
    assert form.error_text("name") == ""
    assert general.text() == "no such room" and general.isVisible()
    assert host.focusWidget() is date_field


def test_success_clears_old_messages_announces_the_change_and_calls_done(qtbot):
    host, form, general, _date = _form(qtbot)
    form.show_errors([FieldError("name", "old message")])
    seen, results = [], []
    changes.hub().changed.connect(seen.append)
    what = changes.change(changes.RESIDENT, resident_id=7)
    assert operations.run_action(host, lambda: 42, forms=[form], general=general,
                                 done=results.append, changed=what)
    assert form.error_text("name") == "" and not general.isVisible()
    assert results == [42]
    assert seen == [what] and seen[0].touches(changes.RESIDENT)
    assert not seen[0].touches(changes.BED)


def test_a_store_refusal_and_a_full_disk_are_one_clear_sentence(qtbot):
    host, form, general, _date = _form(qtbot)

    def refused():
        raise Conflict("That bed is taken.")
    assert not operations.run_action(host, refused, forms=[form], general=general)
    assert general.text() == "That bed is taken."

    def full():
        raise OSError(errno.ENOSPC, "No space left on device")
    assert not operations.run_action(host, full, forms=[form], general=general)
    assert "No space left on device" in general.text()


def test_without_a_general_line_the_failure_is_a_message_box(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))

    def refused():
        raise Conflict("That bed is taken.")
    assert not operations.run_action(None, refused)
    assert shown == ["That bed is taken."]


def test_a_slow_action_runs_on_a_worker_and_reports_back(qtbot):
    host, form, general, _date = _form(qtbot)
    results = []

    def call():
        raise ValidationError([FieldError("name", "enter a name")])
    operations.run_action(host, call, forms=[form], general=general, slow="working")
    qtbot.waitUntil(lambda: form.error_text("name") == "enter a name", timeout=5000)
    operations.run_action(host, lambda: "done", forms=[form], general=general,
                          done=results.append, slow="working")
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)
    assert form.error_text("name") == ""


def test_a_task_reports_its_progress_on_the_ui_thread(qtbot):
    steps, results = [], []

    def work(progress):
        for i in range(1, 4):
            progress(i, 3)
        return "ok"
    tasks.run_task(None, work, results.append, None, "importing", reports_progress=True,
                   on_progress=lambda done, total: steps.append((done, total)))
    qtbot.waitUntil(lambda: results == ["ok"], timeout=5000)
    assert steps == [(1, 3), (2, 3), (3, 3)]


def test_yes_no_defaults_to_no(monkeypatch):
    asked = {}

    def question(parent, title, text, buttons, default):
        asked["default"] = default
        return default
    monkeypatch.setattr(QMessageBox, "question", question)
    assert ask_yes_no(None, "Withdraw", "Really?") is False
    assert asked["default"] == QMessageBox.StandardButton.No
    assert ask_yes_no(None, "Withdraw", "Really?", default_yes=True) is True
