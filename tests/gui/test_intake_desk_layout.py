"""Layout of the intake desk as a new user met it (the walk of issue 7, item
12): review rows that breathe, banner lines with a gap, the recovery code in
whole groups, the recovery dialog's buttons on one row, no empty Tab stop."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from shelterdesk.core.models import Resident, SafetyFlags, Stay
from shelterdesk.gui.dialogs.recovery import RecoveryResetDialog, code_lines
from shelterdesk.gui.views.first_run import FirstRunScreen
from shelterdesk.gui.views.intake.review import REVIEW_CELL_PADDING, _rows
from shelterdesk.gui.views.intake.state import IntakeData
from shelterdesk.gui.widgets.safety_banner import BANNER_LINE_GAP, SafetyBanner
from shelterdesk.store.vault import TEST_KDF


def test_review_rows_are_padded_and_labels_sit_on_top(qtbot):
    from shelterdesk.gui.views.intake.review import ReviewPage
    data = IntakeData(resident=Resident(family_name="見本", given_name="花子",
                                        nationality="VN"), stay=Stay())
    page = ReviewPage(state=None)
    qtbot.addWidget(page)
    page.enter(data)
    text = page.entered.text()
    assert f"cellpadding='{REVIEW_CELL_PADDING}'" in text and REVIEW_CELL_PADDING >= 3
    assert text.count("<td valign='top'") == 2 * len(_rows(data))
    # Her nationality is reviewed too, by name (never the raw code).
    assert ("Nationality", "Vietnam") in _rows(data)


def test_safety_banner_lines_have_a_gap(qtbot):
    banner = SafetyBanner()
    qtbot.addWidget(banner)
    banner.set_flags(SafetyFlags(whereabouts_secret=True, support_measure=True))
    assert banner.text().count("\n") == 1  # plain text, one flag a line
    html = banner.label.text()
    assert html.count("<p ") == 2 and f"margin-bottom:{BANNER_LINE_GAP}px" in html
    one = SafetyBanner()
    qtbot.addWidget(one)
    one.set_flags(SafetyFlags(whereabouts_secret=True))
    one.label.setFixedWidth(600)
    banner.label.setFixedWidth(600)
    line = one.label.fontMetrics().height()
    # Two lines are taller than two bare lines: there is a gap between them.
    assert banner.label.heightForWidth(600) >= 2 * line + BANNER_LINE_GAP


def test_recovery_code_lines_hold_whole_groups():
    code = "-".join(f"{i:04d}" for i in range(13))
    lines = code_lines(code).split("\n")
    assert lines == ["0000-0001-0002-0003-0004", "0005-0006-0007-0008-0009",
                     "0010-0011-0012"]


def test_recovery_dialog_open_and_cancel_on_one_row(qtbot, db_path):
    dialog = RecoveryResetDialog(db_path, kdf=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    cancel = dialog.ui.buttons.buttons()[0]
    open_ = dialog.open_button
    assert open_.isVisible() and cancel.isVisible()
    y_open = open_.mapTo(dialog, open_.rect().center()).y()
    y_cancel = cancel.mapTo(dialog, cancel.rect().center()).y()
    assert abs(y_open - y_cancel) <= 2
    assert open_.mapTo(dialog, open_.rect().topLeft()).x() < cancel.mapTo(
        dialog, cancel.rect().topLeft()).x()


def test_first_run_form_has_no_empty_tab_stop(qtbot, tmp_path):
    screen = FirstRunScreen(tmp_path / "new.db", kdf=TEST_KDF)
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitExposed(screen)
    screen.pages.setCurrentIndex(1)
    screen.change_path.setFocus()
    QApplication.processEvents()
    screen.focusNextChild()
    QApplication.processEvents()
    assert QApplication.focusWidget() is screen.facility_name
