"""``python -m simulation.cli`` is the ``leadsim`` command."""

import sys

from . import main

sys.exit(main())
