"""``python -m kamwidgets``: the workbook's command line (see :mod:`kamwidgets.cli`)."""

import sys

from .cli import main

sys.exit(main())
