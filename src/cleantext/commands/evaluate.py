"""`cleantext eval`: placeholder until its issue lands (the parser is wired, nothing runs)."""

from __future__ import annotations

import argparse
from typing import Any

from cleantext.errors import CleantextError

NAME = "eval"


def add_parser(sub: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(NAME, help="(not built yet)")
    parser.add_argument("paths", nargs="*", metavar="PATH")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    raise CleantextError("cleantext", f"'{NAME}' is not built yet")
