"""``python -m shelterdesk.cli``: the command line (as the ``shelterdesk`` script)."""

import sys

from shelterdesk.cli import main

sys.exit(main())
