"""One way to run a user action: call the store, route what went wrong, say
what changed.

Every screen that saves something used to write the same sequence: clear the
old messages, validate, call the store, catch ValidationError and put each
message beside its field, catch StoreError and show it in a general line,
refresh on success. :func:`run_action` is that sequence once (Anki's
``CollectionOp``):

- ``call`` is one store call (one transaction). Local checks that need no
  database (a date the widget could not read) are raised from ``call`` as
  ValidationError too, so they land in the same place.
- A ValidationError goes field by field into ``forms`` (ErrorForms or
  FieldErrors, in order; the first field in error gets the focus); whatever no
  form holds goes to ``general``.
- Any other failure the person can act on (StoreError: wrong state, not
  allowed, damaged file; OSError: a full disk, a pulled stick) is one clear
  sentence in ``general``, or a message box when there is no such line.
  Errors nobody expected are not caught here: the application's hook reports
  them (gui/app.py), since each action is one transaction and nothing was
  half-written.
- On success the old messages are cleared, ``changed`` is announced on the
  change hub (gui/changes.py) and ``done(result)`` runs.

With ``slow`` (the text of a progress dialog) the call runs on a worker
(gui/tasks.py): it must touch no widget, and ``done`` runs later on the UI
thread. Otherwise it runs at once and the return value says whether it
succeeded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from shelterdesk.core.validation import FieldError, ValidationError
from shelterdesk.gui import changes, tasks
from shelterdesk.gui.widgets.errors import clear_field_errors, set_error, show_field_errors
from shelterdesk.i18n import _
from shelterdesk.store.errors import StoreError, WrongPassword


def failure_message(error: BaseException) -> str:
    """What a person reads when an action failed. Store errors are already
    sentences in the user's language; a disk error is named by its reason
    (never by a path or a value typed); anything else gets a generic sentence."""
    if isinstance(error, WrongPassword):
        return str(error) or _("Wrong login or password.")
    if isinstance(error, StoreError):
        return str(error)
    if isinstance(error, OSError):
        return _("The database could not be read or written: {reason}").format(
            reason=error.strerror or error.__class__.__name__)
    return _("Something went wrong: {reason}").format(reason=str(error) or
                                                      error.__class__.__name__)


def _expected(error: BaseException) -> bool:
    return isinstance(error, StoreError | OSError | ValidationError)


def show_failure(parent: QWidget | None, error: BaseException, forms: Sequence = (),
                 general: QLabel | None = None) -> None:
    """Route ``error`` as :func:`run_action` does (also for tasks run by hand)."""
    if isinstance(error, ValidationError):
        show_field_errors(error.errors, forms, general)
        if general is None:
            rest = [e for e in error.errors if not any(e.field in f.fields for f in forms)]
            if rest:
                QMessageBox.warning(parent, _("Not saved"),
                                    "\n".join(e.message for e in rest))
        return
    if general is not None:
        set_error(general, failure_message(error))
    else:
        QMessageBox.warning(parent, _("Not saved"), failure_message(error))


def run_action(parent: QWidget | None, call: Callable[[], Any], *,
               forms: Sequence = (), general: QLabel | None = None,
               done: Callable[[Any], None] | None = None,
               failed: Callable[[BaseException], None] | None = None,
               changed: changes.Change | None = None,
               slow: str | None = None) -> bool:
    """Run ``call``; see the module docstring. Returns True when it succeeded
    (always True for a ``slow`` action, whose outcome comes later)."""
    clear_field_errors(forms, general)

    def succeeded(result: Any) -> None:
        clear_field_errors(forms, general)
        if changed is not None:
            changes.announce(changed)
        if done is not None:
            done(result)

    def went_wrong(error: BaseException) -> None:
        show_failure(parent, error, forms, general)
        if failed is not None:
            failed(error)

    if slow is not None:
        def on_error(error: BaseException) -> None:
            if _expected(error):
                went_wrong(error)
            else:
                raise error
        tasks.run_task(parent, call, succeeded, on_error, slow)
        return True
    try:
        result = call()
    except (StoreError, OSError, ValidationError) as error:
        went_wrong(error)
        return False
    succeeded(result)
    return True


def check(errors: list[FieldError]) -> None:
    """Raise the locally found ``errors`` (inside an action's ``call``)."""
    if errors:
        raise ValidationError(errors)


def write_user_file(path, data: bytes, protect, general: QLabel) -> bool:
    """Write ``data`` where the person chose (Qt's dialog already asked before
    replacing a file): never over the database or its files (``protect``), a
    full disk or a pulled stick named in ``general``. True when written."""
    from shelterdesk.store.errors import OutputRefused
    from shelterdesk.store.files import disk_problem, write_output

    try:
        write_output(path, data, force=True, protect=protect)
    except OutputRefused as e:
        set_error(general, str(e))
        return False
    except OSError as e:
        problem = disk_problem(e, path.parent)
        set_error(general, str(problem) if problem else _(
            "The file could not be written: {reason}").format(
            reason=e.strerror or e.__class__.__name__))
        return False
    return True
