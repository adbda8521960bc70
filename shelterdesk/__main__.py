"""``python -m shelterdesk`` starts the GUI (with arguments: the command line).

Nothing imports this module: the command line starts the GUI itself (a lazy
import of ``shelterdesk.gui.app``), so there is no circle cli ↔ __main__ ↔ gui.
"""

import sys

if __name__ == "__main__":
    if len(sys.argv) > 1:
        from shelterdesk.cli import main as cli_main
        sys.exit(cli_main())
    from shelterdesk.gui.app import main as gui_main
    sys.exit(gui_main(sys.argv))
