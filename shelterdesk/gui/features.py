"""The one list of features: what each installs in the main window.

Why a list: the main window used to know every page by name (``build_pages``,
``refresh_pages``) and the intake desk reached into the menu bar by index to
add its action. With plans, aftercare, reports and the audit log coming, each
would have edited the window. Instead every feature is one :class:`Feature`
entry in :data:`FEATURES`: its navigation entry (a key, a translatable title,
the roles that see it, a factory that builds its page from the session) and
its menu actions (text, shortcut, roles, handler). The window builds the
navigation and the menu from this list and knows no page by name; a new
screen is one new entry here (Calibre's ``gui2/actions`` InterfaceAction list
is the model).

Who sees what (``Account.has``; role codes in core/codes.py ROLE):
intake staff the residents list, the intake desk and the rooms board;
caseworkers also their plans and aftercare; managers also reports and the
audit log; administrators also the staff accounts and the settings. Plans,
aftercare, reports and the audit log do not exist yet: each becomes one entry
with ``roles=CASEWORK`` or ``roles=MANAGEMENT``. Do not add placeholder
pages; a page nobody can use is worse than none.

What a page may offer the window (all optional, found by name, never by
page): ``openRecord = Signal(int)`` (the window opens her record),
``forget()`` (called at the lock before the page is destroyed, to drop what
it holds). Pages refresh themselves from the change hub (gui/changes.py);
the window never refreshes a page.

Factories and handlers import their modules when called, so that start-up
does not import every screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from shelterdesk.core.codes import ADMINISTRATION, CASEWORK, EVERYONE, MANAGEMENT
from shelterdesk.i18n import N_
from shelterdesk.store.ledger_import import IMPORT_ROLES

if TYPE_CHECKING:
    from shelterdesk.core.models import Account
    from shelterdesk.gui.main_window import MainWindow
    from shelterdesk.store.session import Session

#: Who may import the Excel ledger (decided by the store).
LEDGER_IMPORT = frozenset(IMPORT_ROLES)


def allowed(account: Account | None, roles: frozenset[str]) -> bool:
    """True when ``account`` holds one of ``roles`` (no account: nothing)."""
    return account is not None and any(account.has(r) for r in roles)


@dataclass(frozen=True)
class Action:
    """A menu action. ``run(window)`` is called with the main window (its
    ``session`` is the unlocked session; never None while the action is
    enabled). ``needs_own_account``: only for a real staff account (not a
    recovery session), e.g. changing one's own password."""

    key: str
    text: str  # N_() msgid; translated when the menu is built
    run: Callable[[MainWindow], None]
    roles: frozenset[str] = EVERYONE
    shortcut: str | None = None  # a QKeySequence string, e.g. "Ctrl+I"
    needs_own_account: bool = False

    def enabled_for(self, account: Account | None) -> bool:
        if self.needs_own_account and (account is None or account.id is None):
            return False
        return allowed(account, self.roles)


@dataclass(frozen=True)
class Feature:
    """One feature. ``page`` builds its page (``page(session, window)``,
    parented to the window's stack) when it has a navigation entry."""

    key: str
    title: str = ""  # N_() msgid of the navigation entry
    roles: frozenset[str] = EVERYONE
    page: Callable[[Session, MainWindow], QWidget] | None = None
    actions: tuple[Action, ...] = field(default=())
    shortcut: str | None = None  # jumps to the page
    #: The roles whose window opens on this page (the first such feature wins;
    #: otherwise the first page a role sees).
    home_for: frozenset[str] = frozenset()

    def visible_for(self, account: Account | None) -> bool:
        return self.page is not None and allowed(account, self.roles)


def home_page(features, account: Account | None) -> str | None:
    """The key of the page a staff member's window opens on."""
    visible = [f for f in features if f.visible_for(account)]
    roles = account.roles if account is not None else frozenset()
    home = next((f for f in visible if f.home_for & roles), None)
    return (home or visible[0]).key if visible else None


# -- pages ---------------------------------------------------------------------------------
def _residents(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.residents import ResidentsPage
    return ResidentsPage(session.db, window.stack)


def _intake(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.intake.wizard import IntakeWizard
    return IntakeWizard(session, window.stack)


def _board(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.bed_board import BedBoard
    return BedBoard(session, window.stack)


def _today(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.today.page import TodayPage
    page = TodayPage(session, window.stack)
    page.openPage.connect(window.show_page)
    return page


def _programme(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.programme import ProgrammePage
    return ProgrammePage(session, window.stack)


def _aftercare(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.aftercare.due_list import DueListPage
    return DueListPage(session, window.stack)


def _accounts(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.dialogs.accounts import AccountsPanel
    return AccountsPanel(session, window.stack, ask=window.ask)


def _reports(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.reports import ReportsPage
    return ReportsPage(session, window.stack)


def _audit_log(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.audit_log import AuditLogPage
    return AuditLogPage(session, window.stack)


# -- menu actions ----------------------------------------------------------------------------
def _change_password(window: MainWindow) -> None:
    from shelterdesk.gui.dialogs.accounts import ChangeOwnPasswordDialog
    window.open_dialog(ChangeOwnPasswordDialog(window.session, window))


def _settings(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.admin.settings_page import SettingsPage
    return SettingsPage(session, window.stack)


def _safekeeping(session: Session, window: MainWindow) -> QWidget:
    from shelterdesk.gui.views.admin.safekeeping import SafekeepingPage
    return SafekeepingPage(session, window.stack)


def _ledger_import(window: MainWindow) -> None:
    from shelterdesk.gui.dialogs.ledger_import import LedgerImportDialog
    window.open_dialog(LedgerImportDialog(window.session, window))


def _recovery_code(window: MainWindow) -> None:
    from shelterdesk.gui.dialogs.recovery import replace_recovery_code
    replace_recovery_code(window, window.session, window.ask)


#: Navigation order is list order; menu actions appear in list order too,
#: before the window's own Lock and Quit.
FEATURES: tuple[Feature, ...] = (
    Feature("me", actions=(
        Action("change_password", N_("Change my password…"), _change_password,
               needs_own_account=True),)),
    Feature("residents", N_("Residents"), EVERYONE, _residents),
    Feature("intake", N_("New admission"), EVERYONE, _intake),
    Feature("beds", N_("Rooms and beds"), EVERYONE, _board),
    Feature("today", N_("Today"), CASEWORK, _today, home_for=frozenset({"caseworker"})),
    Feature("programme", N_("Programme sessions"), CASEWORK, _programme),
    Feature("aftercare", N_("Aftercare"), CASEWORK, _aftercare),
    # caseworkers: Feature("plans", N_("Support plans"), CASEWORK, ...),
    #              Feature("aftercare", N_("Aftercare"), CASEWORK, ...)
    # managers:    Feature("reports", N_("Reports"), MANAGEMENT, ...),
    #              Feature("audit", N_("Audit log"), MANAGEMENT, ...)
    Feature("reports", N_("Reports"), MANAGEMENT, _reports),
    Feature("audit", N_("Audit log"), MANAGEMENT, _audit_log),
    Feature("accounts", N_("Staff accounts"), ADMINISTRATION, _accounts, actions=(
        Action("accounts", N_("Staff accounts…"), lambda w: w.show_page("accounts"),
               ADMINISTRATION),)),
    Feature("safekeeping", N_("Backups and retention"), MANAGEMENT, _safekeeping, actions=(
        Action("backup", N_("Back up now…"), lambda w: w.pages["safekeeping"].back_up(),
               MANAGEMENT),)),
    Feature("settings", N_("Settings"), ADMINISTRATION, _settings, actions=(
        Action("settings", N_("Settings…"), lambda w: w.show_page("settings"),
               ADMINISTRATION),)),
    Feature("recovery_code", actions=(
        Action("recovery_code", N_("New recovery code…"), _recovery_code, ADMINISTRATION),)),
    Feature("ledger_import", actions=(
        Action("ledger_import", N_("Import the Excel ledger…"), _ledger_import,
               LEDGER_IMPORT),)),
)
