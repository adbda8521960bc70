"""Her independence plan (自立支援計画) for the stay shown: goals by domain with
their milestones (overdue in red), reviews, what changed since the last review,
and the printed plan in her language.

Why it is built this way:
- Caseworkers and managers write; intake staff see the same tab read-only
  (every editing widget disabled, and the store refuses their writes anyway).
- Each button is one store call through ``run_action`` (one transaction);
  errors go beside the field; the change is announced as PLAN and the page
  reloads, so this tab never refills itself after a save.
- Looking at the plan is an audited view, once per stay per opening of the
  record, when the tab is first shown (opening her record is its own view and
  does not count as a look at the plan); reloads after an edit are not views.
- A plan starts from the template of common goals (data in the database, see
  store.plans.template), chosen in a small dialog driven by the keyboard:
  Space ticks, Enter starts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shelterdesk.core import codes
from shelterdesk.core.dates import format_date
from shelterdesk.core.plans import Goal, Milestone, Plan, Review
from shelterdesk.core.validation import FieldError
from shelterdesk.gui import changes
from shelterdesk.gui.operations import check, run_action
from shelterdesk.gui.views.record.base import RecordTab
from shelterdesk.gui.views.record.state import RecordState
from shelterdesk.gui.widgets.date_edit import DateEdit
from shelterdesk.gui.widgets.errors import ErrorForm, error_label, set_error
from shelterdesk.gui.widgets.pickers import code_combo, language_combo, set_combo, sheet_language
from shelterdesk.gui.widgets.rows import roomy
from shelterdesk.i18n import _
from shelterdesk.store import plans as plans_repo

OVERDUE_FG = QColor("#b00020")
#: A new plan's first review, as the seed's monthly rhythm suggests.
FIRST_REVIEW_DAYS = 28
COLUMNS = 6  # goal or milestone, target, status, responsible, partner agency, note


class StartPlanDialog(QDialog):
    """The template's goals, all ticked: untick what does not fit her."""

    def __init__(self, items, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Start a plan from the template"))
        layout = QVBoxLayout(self)
        hint = QLabel(_("Tick the goals to start with (Space ticks or unticks; Enter starts "
                        "the plan). Each comes with its usual milestones."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        for t in items:
            item = QListWidgetItem(f"{codes.PLAN_DOMAIN.label(t.domain)}: {t.goal}")
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start plan"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 380)
        self.list.setFocus()

    def chosen_ids(self) -> list[int]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


class PlanTab(RecordTab):
    def __init__(self, record: RecordState, parent: QWidget | None = None):
        super().__init__(record, parent)
        account = record.session.account
        self.may_write = account is not None and bool(account.roles & codes.CASEWORK)
        self.plan: Plan | None = None
        self.stay_id: int | None = None
        self._viewed: set[int] = set()
        layout = QVBoxLayout(self)

        self.heading = QLabel()
        self.heading.setProperty("role", "section")
        layout.addWidget(self.heading)
        self.read_only_note = QLabel(_("Read only: caseworkers and managers change the plan."))
        self.read_only_note.setVisible(not self.may_write)
        layout.addWidget(self.read_only_note)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.changes_label = QLabel()
        self.changes_label.setWordWrap(True)
        layout.addWidget(self.changes_label)

        top = QHBoxLayout()
        self.start_button = QPushButton(_("Start a plan from the template…"))
        self.start_button.clicked.connect(self.start_plan)
        top.addWidget(self.start_button)
        top.addStretch(1)
        self.print_language = language_combo(with_other=False)
        self.print_button = QPushButton(_("Print plan…"))
        self.print_button.clicked.connect(self.print_plan)
        top.addWidget(self.print_language)
        top.addWidget(self.print_button)
        layout.addLayout(top)

        self.tree = roomy(QTreeWidget())
        self.tree.setColumnCount(COLUMNS)
        self.tree.setHeaderLabels([_("Goal / milestone"), _("Target date"), _("Status"),
                                   _("Responsible"), _("Partner agency"), _("Note")])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumHeight(220)
        self.tree.currentItemChanged.connect(lambda *a: self.load_selected())
        layout.addWidget(self.tree)

        heading = QLabel(_("Milestone"))
        heading.setProperty("role", "section")
        layout.addWidget(heading)
        self.form = ErrorForm()
        self.goal = QComboBox()
        self.form.add_field("goal_id", _("Goal"), self.goal)
        self.title = QLineEdit()
        self.form.add_field("title", _("Milestone"), self.title)
        self.target_on = DateEdit()
        self.form.add_field("target_on", _("Target date"), self.target_on)
        self.status = code_combo(codes.MILESTONE_STATUS)
        self.form.add_field("status", _("Status"), self.status)
        self.dropped_reason = QLineEdit()
        self.form.add_field("dropped_reason", _("Reason for dropping"), self.dropped_reason)
        self.responsible = QComboBox()
        self.form.add_field("responsible_account_id", _("Responsible"), self.responsible)
        self.partner_agency = QLineEdit()
        self.form.add_field("partner_agency", _("Partner agency"), self.partner_agency)
        self.note = QLineEdit()
        self.form.add_field("note", _("Note"), self.note)
        layout.addLayout(self.form)
        row = QHBoxLayout()
        row.addStretch(1)
        self.add_button = QPushButton(_("Add milestone"))
        self.add_button.clicked.connect(self.add_milestone)
        self.save_button = QPushButton(_("Save milestone"))
        self.save_button.clicked.connect(self.save_milestone)
        self.done_button = QPushButton(_("Mark done"))
        self.done_button.clicked.connect(self.mark_done)
        for b in (self.add_button, self.save_button, self.done_button):
            row.addWidget(b)
        layout.addLayout(row)

        heading = QLabel(_("Add a goal"))
        heading.setProperty("role", "section")
        layout.addWidget(heading)
        self.goal_form = ErrorForm()
        self.domain = code_combo(codes.PLAN_DOMAIN)
        self.goal_form.add_field("domain", _("Domain"), self.domain)
        self.goal_text = QLineEdit()
        self.goal_form.add_field("goal", _("Goal"), self.goal_text)
        layout.addLayout(self.goal_form)
        self.add_goal_button = QPushButton(_("Add goal"))
        self.add_goal_button.clicked.connect(self.add_goal)
        layout.addWidget(self.add_goal_button, 0, Qt.AlignmentFlag.AlignRight)

        heading = QLabel(_("Record a review"))
        heading.setProperty("role", "section")
        layout.addWidget(heading)
        self.review_form = ErrorForm()
        self.reviewed_on = DateEdit()
        self.review_form.add_field("reviewed_on", _("Reviewed on"), self.reviewed_on)
        self.next_review_on = DateEdit()
        self.review_form.add_field("next_review_on", _("Next review"), self.next_review_on)
        self.review_note = QLineEdit()
        self.review_form.add_field("note", _("What was agreed"), self.review_note)
        layout.addLayout(self.review_form)
        self.review_button = QPushButton(_("Record review"))
        self.review_button.clicked.connect(self.add_review)
        layout.addWidget(self.review_button, 0, Qt.AlignmentFlag.AlignRight)

        self.general_line = error_label()
        layout.addWidget(self.general_line)
        layout.addStretch(1)
        self.editors = (self.start_button, self.goal, self.title, self.target_on, self.status,
                        self.dropped_reason, self.responsible, self.partner_agency, self.note,
                        self.add_button, self.save_button, self.done_button, self.domain,
                        self.goal_text, self.add_goal_button, self.reviewed_on,
                        self.next_review_on, self.review_note, self.review_button)

    # -- showing ------------------------------------------------------------------------
    def fill(self) -> None:
        record = self.record
        stay = record.current_stay()
        self.stay_id = stay.id if stay else None
        self.plan = None
        if stay is not None:
            self.plan = plans_repo.get_plan(record.db, stay.id, audit_view=False)
        today = date.today()
        plan = self.plan
        self.heading.setText(_("Plan of stay no. {id}").format(id=self.stay_id)
                             if stay else _("No stay"))
        if record.resident is not None:
            set_combo(self.print_language, sheet_language(record.resident.language))
        may_print = stay is not None and self.may_write
        self.print_button.setEnabled(may_print)
        self.print_language.setEnabled(may_print)
        self._fill_summary(plan, today)
        self._fill_tree(plan, today)
        self.goal.clear()
        for g in plan.goals if plan else ():
            self.goal.addItem(f"{codes.PLAN_DOMAIN.label(g.domain)}: {g.goal}", g.id)
        self.responsible.clear()
        self.responsible.addItem(_("(nobody yet)"), None)
        for s in plans_repo.responsible_staff(record.db):
            self.responsible.addItem(s.name, s.account_id)
        self.clear_milestone_form()
        self.reviewed_on.set_value(today)
        self.next_review_on.set_value(today + timedelta(days=FIRST_REVIEW_DAYS))
        self.review_note.clear()
        has_plan = plan is not None
        for w in self.editors:
            w.setEnabled(self.may_write and stay is not None)
        self.start_button.setVisible(not has_plan)
        for w in (self.goal, self.title, self.target_on, self.status, self.dropped_reason,
                  self.responsible, self.partner_agency, self.note, self.add_button,
                  self.save_button, self.done_button, self.domain, self.goal_text,
                  self.add_goal_button, self.reviewed_on, self.next_review_on,
                  self.review_note, self.review_button):
            w.setEnabled(self.may_write and has_plan)
        self.load_selected()
        self._audit_if_shown()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._audit_if_shown()

    def _audit_if_shown(self) -> None:
        stay_id = self.stay_id
        if stay_id is None or stay_id in self._viewed or not self.isVisible() or \
                not self.record.db.is_open:
            return
        self._viewed.add(stay_id)
        plans_repo.record_view(self.record.db, stay_id)

    def _fill_summary(self, plan: Plan | None, today: date) -> None:
        if plan is None:
            self.summary.setText(_("No plan yet for this stay."))
            self.changes_label.setText("")
            self.changes_label.hide()
            return
        last = plan.last_review
        overdue = sum(m.overdue(today) for m in plan.milestones())
        bits = [_("Made on {d}").format(d=format_date(plan.created_on)),
                _("Last reviewed {d}").format(d=format_date(last.reviewed_on))
                if last else _("Not reviewed yet"),
                _("Next review {d}").format(d=format_date(plan.next_review_on))
                if plan.next_review_on else _("No next review date")]
        if overdue:
            bits.append(_("{n} overdue").format(n=overdue))
        self.summary.setText(" · ".join(bits))
        self.changes_label.setText(self._changes_text(plan))
        self.changes_label.show()

    def _changes_text(self, plan: Plan) -> str:
        found = plans_repo.changes_since_review(self.record.db, plan.id)
        head = _("Changed since the last review:") if plan.last_review else \
            _("Changes since the plan was started:")
        if not found:
            return _("Nothing changed since the last review.") if plan.last_review else ""
        goals = {g.id: g for g in plan.goals}
        titles = {m.id: m.title for m in plan.milestones()}
        lines = []
        for c in found[-8:]:
            when = c.at[:10].replace("-", "/")
            if c.action == "create":
                what = _("plan started")
            elif c.action in ("add_goal", "update_goal"):
                g = goals.get(c.goal_id)
                what = (_("goal added: {goal}") if c.action == "add_goal"
                        else _("goal changed: {goal}")).format(goal=g.goal if g else "—")
            elif c.action == "add_milestone":
                what = _("milestone added: {title}").format(title=titles.get(c.milestone_id, "—"))
            else:
                what = _("milestone changed: {title} ({status})").format(
                    title=titles.get(c.milestone_id, "—"),
                    status=codes.MILESTONE_STATUS.label(c.status))
            lines.append(f"{when} {what}" + (f" — {c.staff}" if c.staff else ""))
        more = len(found) - len(lines)
        if more > 0:
            lines.insert(0, _("({n} earlier changes)").format(n=more))
        return head + "\n" + "\n".join(lines)

    def _fill_tree(self, plan: Plan | None, today: date) -> None:
        self.tree.clear()
        if plan is None:
            return
        for g in plan.goals:
            top = QTreeWidgetItem([f"{codes.PLAN_DOMAIN.label(g.domain)}: {g.goal}"])
            top.setData(0, Qt.ItemDataRole.UserRole, ("goal", g.id))
            self.tree.addTopLevelItem(top)
            for m in g.milestones:
                status = codes.MILESTONE_STATUS.label(m.status)
                if m.status == "dropped" and m.dropped_reason:
                    status += f" ({m.dropped_reason})"
                overdue = m.overdue(today)
                if overdue:
                    status += " — " + _("overdue")
                item = QTreeWidgetItem([m.title, format_date(m.target_on), status,
                                        m.responsible, m.partner_agency, m.note])
                item.setData(0, Qt.ItemDataRole.UserRole, ("milestone", m.id))
                if overdue:
                    for c in range(COLUMNS):
                        item.setForeground(c, QBrush(OVERDUE_FG))
                top.addChild(item)
            top.setExpanded(True)
        for c in range(COLUMNS - 1):
            self.tree.resizeColumnToContents(c)

    def focus_first(self, target: int | None = None) -> None:
        """The milestone the Today page named selected, the focus on the tree."""
        if target is not None:
            for i in range(self.tree.topLevelItemCount()):
                top = self.tree.topLevelItem(i)
                for j in range(top.childCount()):
                    if top.child(j).data(0, Qt.ItemDataRole.UserRole) == ("milestone", target):
                        self.tree.setCurrentItem(top.child(j))
                        self.tree.scrollToItem(top.child(j))
        if self.tree.isVisibleTo(self) and self.tree.topLevelItemCount():
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            super().focus_first(target)

    # -- the selection --------------------------------------------------------------------
    def selected(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def selected_milestone(self) -> Milestone | None:
        sel = self.selected()
        if not sel or sel[0] != "milestone" or self.plan is None:
            return None
        return next((m for m in self.plan.milestones() if m.id == sel[1]), None)

    def load_selected(self) -> None:
        sel = self.selected()
        m = self.selected_milestone()
        writable = self.may_write and self.plan is not None
        self.save_button.setEnabled(writable and m is not None)
        self.done_button.setEnabled(writable and m is not None and m.status != "done")
        if sel and sel[0] == "goal":
            set_combo(self.goal, sel[1])
        if m is None:
            return
        set_combo(self.goal, m.goal_id)
        self.title.setText(m.title)
        self.target_on.set_value(m.target_on)
        set_combo(self.status, m.status)
        self.dropped_reason.setText(m.dropped_reason)
        set_combo(self.responsible, m.responsible_account_id)
        self.partner_agency.setText(m.partner_agency)
        self.note.setText(m.note)
        self.form.clear_errors()

    def clear_milestone_form(self) -> None:
        self.title.clear()
        self.target_on.set_value(None)
        set_combo(self.status, "planned")
        self.dropped_reason.clear()
        set_combo(self.responsible, None)
        self.partner_agency.clear()
        self.note.clear()
        self.form.clear_errors()

    def typed_milestone(self, base: Milestone | None = None) -> Milestone:
        """The milestone as typed, or ValidationError for what typing alone got wrong."""
        problem = self.target_on.problem()
        check([FieldError("target_on", problem)] if problem else [])
        return replace(base or Milestone(), goal_id=self.goal.currentData(),
                       title=self.title.text(), target_on=self.target_on.value_or_none(),
                       status=self.status.currentData(),
                       dropped_reason=self.dropped_reason.text(),
                       responsible_account_id=self.responsible.currentData(),
                       partner_agency=self.partner_agency.text(), note=self.note.text())

    # -- actions (one store call each) -------------------------------------------------------
    def _changed(self) -> changes.Change:
        return self.her_change(changes.PLAN, stay_id=self.stay_id)

    def start_plan(self) -> bool:
        if self.stay_id is None or self.plan is not None:
            return False
        dialog = StartPlanDialog(plans_repo.template(self.record.db), self)
        self.start_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        chosen, stay_id, today = dialog.chosen_ids(), self.stay_id, date.today()
        return run_action(self, lambda: plans_repo.start_plan(
            self.record.db, stay_id, chosen, today, today + timedelta(days=FIRST_REVIEW_DAYS)),
            general=self.general_line, changed=self._changed())

    def add_milestone(self) -> bool:
        if self.plan is None:
            return False
        return run_action(self, lambda: plans_repo.add_milestone(
            self.record.db, self.typed_milestone()), forms=[self.form],
            general=self.general_line, changed=self._changed())

    def save_milestone(self) -> bool:
        m = self.selected_milestone()
        if m is None:
            return False
        return run_action(self, lambda: plans_repo.update_milestone(
            self.record.db, self.typed_milestone(m)), forms=[self.form],
            general=self.general_line, changed=self._changed())

    def mark_done(self) -> bool:
        m = self.selected_milestone()
        if m is None:
            return False
        return run_action(self, lambda: plans_repo.set_milestone_status(
            self.record.db, m.id, "done"), forms=[self.form], general=self.general_line,
            changed=self._changed())

    def add_goal(self) -> bool:
        if self.plan is None:
            return False
        goal = Goal(domain=self.domain.currentData(), goal=self.goal_text.text())
        plan_id = self.plan.id
        return run_action(self, lambda: plans_repo.add_goal(self.record.db, plan_id, goal),
                          forms=[self.goal_form], general=self.general_line,
                          done=lambda _r: self.goal_text.clear(), changed=self._changed())

    def add_review(self) -> bool:
        if self.plan is None:
            return False
        plan_id = self.plan.id

        def call():
            problems = [FieldError(name, edit.problem())
                        for name, edit in (("reviewed_on", self.reviewed_on),
                                           ("next_review_on", self.next_review_on))
                        if edit.problem()]
            if self.reviewed_on.value_or_none() is None and not problems:
                problems.append(FieldError("reviewed_on", _("Enter the date of the review.")))
            check(problems)
            return plans_repo.add_review(self.record.db, plan_id, Review(
                self.reviewed_on.value_or_none(), self.review_note.text().strip(),
                self.next_review_on.value_or_none()))

        return run_action(self, call, forms=[self.review_form], general=self.general_line,
                          changed=self._changed())

    def print_plan(self) -> None:
        if self.stay_id is None:
            return
        from shelterdesk.gui.dialogs.pdf_preview import open_stay_document
        set_error(self.general_line, "")
        open_stay_document(self, self.record.session, self.stay_id, "plan",
                           self.print_language, self.general_line)
