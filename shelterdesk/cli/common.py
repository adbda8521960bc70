"""What every subcommand shares: the database path, reading a password,
unlocking, and the one-line failure.

The database path comes from the subcommand's ``--db``, else the top-level
``--db``, else :func:`shelterdesk.paths.default_db_path` (``SHELTERDESK_DB``,
else the per-user data folder). Passwords are read from standard input when it
is not a terminal and prompted otherwise, never taken from arguments: an
argument is visible to every user of the PC in the process list.

Exit status: 0 success, :data:`EXIT_FAILURE` (1) with a one-line reason on
stderr, :data:`EXIT_USAGE` (2) for a usage error (argparse's own exit). The
one line is ``shelterdesk: reason`` and never carries a traceback: a lower
layer's message may quote what was typed, so only our own messages and the
store's sentences reach it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from shelterdesk.i18n import _

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class Failure(Exception):
    """A one-line reason for stderr; exit status 1."""


def add_db_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``--db PATH`` on a subcommand (resolved by :func:`resolve_db`)."""
    parser.add_argument("--db", default=None, metavar="PATH", help=_("database file"))
    return parser


def add_user_option(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--user", required=True, metavar="LOGIN",
                        help=_("login of the staff member (the password is read from "
                               "standard input)"))
    return parser


def resolve_db(args: argparse.Namespace) -> None:
    """Fill ``args.db`` for a subcommand that has the option and was not given it."""
    if getattr(args, "db", "absent") is None:
        from shelterdesk.paths import default_db_path
        args.db = getattr(args, "gui_db", None) or str(default_db_path())


def _stdin_line() -> str | None:
    """One line of standard input as text; bytes that are not UTF-8 are a
    failure of their own (never a traceback, and before any login is looked
    up, so the answer is the same for every login)."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream put in place (tests, embedding)
        line = sys.stdin.readline(MAX_PASSWORD_BYTES + 2)
        return line.rstrip("\r\n") if line else None
    raw = stream.readline(MAX_PASSWORD_BYTES + 2)
    if not raw:
        return None
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        raise Failure(_("The password is not valid text (UTF-8).")) from None


#: A password line longer than this is not read further.
MAX_PASSWORD_BYTES = 4096


def read_password(prompt: str, confirm: bool = False) -> str:
    """The password from standard input (one line; with ``confirm`` a second
    line must repeat it) or from the terminal."""
    if not sys.stdin.isatty():
        line = _stdin_line()
        if line is None:
            raise Failure(_("No password on standard input."))
        if confirm:
            again = _stdin_line()
            if again is None:
                raise Failure(_("Repeat the password on the second line of standard input."))
            if again != line:
                raise Failure(_("The passwords do not match."))
        return line
    pw = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Repeat the password: ")) != pw:
        raise Failure(_("The passwords do not match."))
    return pw


def unlock(args: argparse.Namespace, *, damaged_ok: bool = False):
    """A session for ``args.user`` on ``args.db``; the caller locks it.

    A missing file is a failure, never a new database; a folder, a device or a
    FIFO is refused in one line; a throttled login is refused before the
    password is read. ``damaged_ok``: verify only (see store.session.unlock)."""
    from shelterdesk.store import session as sessions
    from shelterdesk.store.database import check_file_type
    path = Path(args.db)
    if not path.exists():
        raise Failure(_("There is no database at {path}.").format(path=path))
    check_file_type(path)
    wait = sessions.wait_seconds(path)
    if wait > 0:
        raise Failure(_("Too many failed logins; try again in {n} seconds.").format(
            n=int(wait) + 1))
    session = sessions.unlock(path, args.user, read_password(_("Password: ")),
                              damaged_ok=damaged_ok)
    for warning in session.warnings:  # a changed key file, its previous copy used
        print(f"shelterdesk: {warning}", file=sys.stderr)
    return session


def run_command(func, args: argparse.Namespace) -> int:
    """Run a subcommand; an expected failure becomes one line on stderr, exit 1."""
    from shelterdesk.core.validation import ValidationError
    from shelterdesk.store.errors import StoreError
    try:
        return func(args)
    except OSError as e:
        print(f"shelterdesk: {_os_error(e)}", file=sys.stderr)
        return EXIT_FAILURE
    except (Failure, StoreError, ValidationError) as e:
        print(f"shelterdesk: {e}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE


def _os_error(e: OSError) -> str:
    """A disk that is full or read-only gets the store's sentence (what to do,
    whichever command was writing); any other error its reason and file."""
    from shelterdesk.store.files import disk_problem
    where = Path(e.filename).parent if e.filename else Path.cwd()
    problem = disk_problem(e, where)
    if problem is not None:
        return str(problem)
    return str(e)
