"""The review app in a browser tab: textual-serve on 127.0.0.1 runs `cleantext review`
(the same command, without ``--serve``) for each browser session that connects.

Only the loopback address is ever bound: the app writes files and glossaries, so it is for
the editor at this machine, not for the network.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence

HOST = "127.0.0.1"


def app_command(argv: Sequence[str]) -> str:
    """The shell command textual-serve starts: this interpreter running the CLI's review.

    >>> app_command(["a b.txt", "--no-backup"]).split()[-4:]
    ['review', "'a", "b.txt'", '--no-backup']
    """
    return shlex.join([sys.executable, "-m", "cleantext.cli", "review", *argv])


def serve(argv: Sequence[str], port: int) -> None:
    """Serve until interrupted; ``argv`` are the review's own arguments (paths, options)."""
    from textual_serve.server import Server

    print(f"cleantext review: serving on http://{HOST}:{port} (Ctrl+C stops)", flush=True)
    Server(app_command(argv), host=HOST, port=port, title="cleantext review").serve()
