"""``python -m cleantext``: the same command line as the ``cleantext`` script, for a
Python whose scripts folder is not on PATH (or to pick the interpreter explicitly)."""

from cleantext.cli import main

raise SystemExit(main())
