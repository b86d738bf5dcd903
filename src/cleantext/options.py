"""Command-line pieces every subcommand shares: the config options, walking PATH arguments,
reading a document and compiling the config those options name.

Kept apart from ``cli`` so that a subcommand module (``cleantext.commands.*``) can use them
without importing the dispatcher that imports it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from cleantext import config as config_mod
from cleantext import document, engine
from cleantext.errors import InputError
from cleantext.languagetool import ENV_VAR


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """--glossary, --no-glossary, --rules: what compiles the Config."""
    parser.add_argument(
        "--glossary",
        metavar="FILE",
        help="extra glossary.csv (default: the nearest one upwards, if any)",
    )
    parser.add_argument(
        "--no-glossary", action="store_true", help="no glossary at all: generic detectors only"
    )
    parser.add_argument(
        "--rules",
        metavar="DIR",
        help="folder (or file) of YAML rule packs instead of the bundled ones; 'none' for no packs",
    )


def add_path_options(parser: argparse.ArgumentParser) -> None:
    """PATH... and --glob."""
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="files or folders ('-' reads standard input)"
    )
    add_glob_option(parser)


def add_glob_option(
    parser: argparse.ArgumentParser,
    help: str = "file pattern when walking folders (default *.txt; repeatable)",
) -> None:
    """--glob PATTERN, repeatable: the files picked when walking folders (none given: *.txt)."""
    parser.add_argument("--glob", action="append", default=[], metavar="PATTERN", help=help)


def add_common(parser: argparse.ArgumentParser) -> None:
    """The options of `check` and `fix`."""
    add_path_options(parser)
    add_config_options(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json prints JSON Lines, one proposal per line",
    )
    parser.add_argument(
        "--languagetool",
        metavar="URL",
        help=f"a running LanguageTool server for grammar proposals (default: ${ENV_VAR})",
    )


def add_write_options(
    parser: argparse.ArgumentParser, what: str, out_help: str
) -> argparse._MutuallyExclusiveGroup:
    """--write (in place, atomically, FILE.orig kept), --out, and --no-backup; --write and
    --out exclude each other. Returns the group, for a caller's own exclusive options."""
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--write",
        action="store_true",
        help=f"rewrite {what} in place, atomically (the original is kept as FILE.orig unless "
        "--no-backup)",
    )
    mode.add_argument("--out", metavar="DIR" if what == "files" else "FILE", help=out_help)
    parser.add_argument("--no-backup", action="store_true", help="with --write: keep no .orig")
    return mode


def load_config(args: argparse.Namespace) -> config_mod.Config:
    """The Config that --glossary/--no-glossary/--rules name."""
    return config_mod.load(args.glossary, args.rules, not args.no_glossary)


def iter_paths(paths: Sequence[str], globs: Sequence[str]) -> Iterator[str]:
    """Files named, and files under folders named, sorted; '-' passes through. A file
    reached twice (named twice, or named and inside a folder named) comes once."""
    patterns = list(globs) or ["*.txt"]
    seen: set[Path] = set()
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted({p for pattern in patterns for p in path.rglob(pattern) if p.is_file()})
            files = [(str(p), p) for p in found]
        elif path.exists():
            files = [(raw, path)]
        else:
            raise InputError(raw, "no such file or folder")
        for name, file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield name


def read(path: str) -> document.Document:
    """A document from a file, or from standard input for '-'."""
    if path == "-":
        return document.decode(sys.stdin.buffer.read(), "<stdin>")
    return document.load(Path(path))


def relative_path(path: str, roots: Sequence[str]) -> Path:
    """The file's place under the folder argument it was found in, or its bare name."""
    if path == "-":
        return Path("stdin.txt")
    for root in roots:
        if root != "-" and Path(root).is_dir():
            try:
                return Path(path).resolve().relative_to(Path(root).resolve())
            except ValueError:
                continue
    return Path(Path(path).name)


def run_evidence(paths: Sequence[str], needed: bool) -> dict[str, object] | None:
    """Run-wide evidence (name spellings over every file) when more than one file is read
    and a rule uses it; stdin is read once, so it takes no part."""
    files = [p for p in paths if p != "-"]
    if not needed or len(files) < 2:
        return None
    return engine.run_evidence(read(p).text for p in files)
