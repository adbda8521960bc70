"""argparse's own words ("usage:", "options", "the following arguments are
required", …) in the user's language.

argparse translates its strings with the standard library's global
``gettext.gettext`` (bound as ``argparse._`` at import), which knows nothing of
our catalog. :func:`speaking_our_language` points argparse at our ``_`` while
the parser is built and used, and puts the standard one back afterwards (the
command line is also called in-process by tests and by nothing else).

The msgids below are argparse's own (Python 3.11), marked so that extraction
keeps them in our catalog; a newer Python that rewords one just shows it in
English until it is added here.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager

from shelterdesk.i18n import N_, _, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _translate(message):
    return message if message is None else _(message)


@contextmanager
def speaking_our_language():
    """argparse uses our catalog (in the current language) inside the block."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _translate, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
