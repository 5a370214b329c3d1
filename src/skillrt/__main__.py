"""``python -m skillrt`` runs the command line."""

from skillrt.cli import main

main()
