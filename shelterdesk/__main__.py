"""``python -m shelterdesk`` starts the GUI (with arguments: the command line)."""

import sys


def run_gui() -> int:
    from shelterdesk.gui.app import main
    return main(sys.argv)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        from shelterdesk.cli import main as cli_main
        sys.exit(cli_main())
    sys.exit(run_gui())
