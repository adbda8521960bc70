"""``python -m shelterdesk`` starts the GUI (with arguments: the command line).

Nothing imports this module: the command line starts the GUI itself (a lazy
import of ``shelterdesk.gui.app``), so there is no circle cli ↔ __main__ ↔ gui.
"""

import sys

#: Options the GUI takes itself; with nothing else on the line the GUI starts
#: without building the command line's parser (which imports every command
#: and the printed documents: slower start-up for nothing).
_GUI_OPTIONS = ("--db", "--lang")


def _gui_only(argv: list[str]) -> bool:
    args = iter(argv)
    for arg in args:
        if arg in _GUI_OPTIONS:
            if next(args, None) is None:
                return False
        elif not arg.startswith(tuple(o + "=" for o in _GUI_OPTIONS)):
            return False
    return True


if __name__ == "__main__":
    if len(sys.argv) > 1 and not _gui_only(sys.argv[1:]):
        from shelterdesk.cli import main as cli_main
        sys.exit(cli_main())
    from shelterdesk.gui.app import main as gui_main
    sys.exit(gui_main(sys.argv))
