"""``python -m cbam_calc`` runs the ``cbam`` command."""

from cbam_calc.cli import run

run()
