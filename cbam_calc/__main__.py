"""``python -m cbam_calc`` runs the ``cbam`` command."""

import sys

from cbam_calc.cli import main

sys.exit(main())
