"""The command line: a thin face over the library.

`app.py` holds the typer application and what every command shares (the options, errors as one
located line); `output.py` the console, the terminal check, the pager and progress bars;
`reading.py` the index a reading command reads; `complete.py` shell completion; `main.py` the
entry point and its guard on standard output. Each other module is one group of commands, which
parses its options, calls library functions and prints. The groups are imported
here by name, so a command module that fails to import fails loudly instead of vanishing from
`--help`. Only typer and the stdlib are imported at start-up; a test holds `--help` to that.
"""

from __future__ import annotations

from .app import app
from .main import main
from . import dataset, read, write, brief, format, interchange, suggest, teamdb, browse, source, setup, watch  # noqa: F401  (each registers its commands on app)

__all__ = ["app", "main"]
