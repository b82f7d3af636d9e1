"""``python -m ecomap``: the command line."""

from ecomap.cli import main

raise SystemExit(main())
