"""`cleantext review PATH...`: the Textual review UI (``--serve``: in a browser tab).

Decisions are journaled beside each file (or under ``--state-dir``) and resumed on the next
run; ``w`` in the app writes the cleaned file, keeping ``FILE.orig`` unless ``--no-backup``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cleantext.errors import CleantextError
from cleantext.options import add_config_options, add_path_options, iter_paths, load_config

NAME = "review"
DEFAULT_PORT = 8000


def add_parser(sub: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        NAME,
        help="review proposals one key at a time (Textual); decisions resume where you stopped",
    )
    add_path_options(parser)
    add_config_options(parser)
    parser.add_argument(
        "--state-dir",
        metavar="DIR",
        help="keep review journals under DIR (default: .NAME.cleantext-review.jsonl beside "
        "each file)",
    )
    parser.add_argument(
        "--no-backup", action="store_true", help="saving keeps no FILE.orig of the original"
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="serve the app to a browser tab on 127.0.0.1 instead of this terminal",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port for --serve (default {DEFAULT_PORT})"
    )
    parser.set_defaults(run=run)
    return parser


def _own_argv(args: argparse.Namespace, paths: list[str]) -> list[str]:
    """The arguments the served app is started with: the same review, minus --serve."""
    argv = [str(Path(p).resolve()) for p in paths]
    if args.glossary:
        argv += ["--glossary", str(Path(args.glossary).resolve())]
    if args.no_glossary:
        argv.append("--no-glossary")
    if args.rules:
        argv += ["--rules", args.rules if args.rules == "none" else str(Path(args.rules).resolve())]
    if args.state_dir:
        argv += ["--state-dir", str(Path(args.state_dir).resolve())]
    if args.no_backup:
        argv.append("--no-backup")
    return argv


def run(args: argparse.Namespace) -> int:
    paths = list(iter_paths(args.paths, args.glob))
    if "-" in paths:
        raise CleantextError("-", "review needs files: standard input cannot be saved back")
    if not paths:
        raise CleantextError(" ".join(args.paths), "no files to review")
    if args.glossary is None and not args.no_glossary:
        # the glossary `g` and `x` write to is the one this review reads: the nearest
        # glossary.csv from the first file's folder upwards, wherever the command runs
        from cleantext.review.learn import project_glossary

        found = project_glossary(Path(paths[0]))
        args.glossary = str(found) if found.exists() else None
    cfg = load_config(args)  # errors in the glossary or packs are reported before any UI
    if args.serve:
        from cleantext.review.serve import serve

        serve(_own_argv(args, paths), args.port)
        return 0
    from cleantext.review.app import create_app

    app = create_app(
        [Path(p) for p in paths],
        cfg,
        glossary=args.glossary,
        state_dir=Path(args.state_dir) if args.state_dir else None,
        backup=not args.no_backup,
    )
    app.run()
    return 0
