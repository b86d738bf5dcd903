"""Subcommands beyond `check` and `fix`, one module each.

Each module is thin: an argparse parser (``add_parser``) and ``run(args) -> exit code``; the
work lives in the library modules they call. Heavy imports (Textual, Dask, pyarrow) happen
inside ``run`` so that `cleantext check` starts fast.
"""

from __future__ import annotations

import argparse
from typing import Any, Protocol

from cleantext.commands import apply, corpus, evaluate, render, review


class Command(Protocol):
    NAME: str

    def add_parser(self, sub: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser: ...

    def run(self, args: argparse.Namespace) -> int: ...


COMMANDS: tuple[Command, ...] = (review, render, apply, evaluate, corpus)
