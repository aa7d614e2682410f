"""``python -m kamwidgets``: the workbook's command line (see :mod:`kamwidgets.reports`)."""

import sys

from .reports import main

sys.exit(main())
