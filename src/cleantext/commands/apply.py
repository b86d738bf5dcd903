"""`cleantext apply PATCH FILE`: re-apply an exported patch (diff-match-patch or unified) to a
file that may have changed a little since; every hunk that still fits is applied, every one
that does not is named on standard error with its line and text, and left alone.

Exit codes: 0 every hunk applied, 1 some did not, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cleantext.errors import CleantextError
from cleantext.options import add_write_options

NAME = "apply"


def add_parser(sub: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        NAME,
        help="apply a patch (from render --template patch or unified) to a file, fuzzily; "
        "exit 1 when some hunks did not apply",
    )
    parser.add_argument("patch", metavar="PATCH", help="the patch file")
    parser.add_argument("file", metavar="FILE", help="the file to patch ('-' reads stdin)")
    add_write_options(parser, "FILE", "write the result here (default: stdout)")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from cleantext import document, patches
    from cleantext.options import read
    from cleantext.textops import atomic_write_bytes

    patch_doc = document.load(Path(args.patch))
    doc = read(args.file)
    if args.write and args.file == "-":
        raise CleantextError("<stdin>", "--write needs a file, not standard input")
    patched, report = patches.apply_patch(patch_doc.text, doc.text, args.patch)
    for result in report.failed:
        print(
            f"{args.patch}: hunk {result.label} not applied at {doc.path}:{result.line}: "
            f"{result.reason}: {result.text}",
            file=sys.stderr,
        )
    total = len(report.results)
    print(
        f"{args.patch}: {len(report.applied)} of {total} hunk{'s' if total != 1 else ''} "
        f"applied to {doc.path}",
        file=sys.stderr,
    )
    data = doc.encode(patched)
    if args.write:
        if patched != doc.text:
            if not args.no_backup:
                atomic_write_bytes(Path(args.file + ".orig"), Path(args.file).read_bytes())
            atomic_write_bytes(Path(args.file), data)
    elif args.out:
        atomic_write_bytes(Path(args.out), data)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 1 if report.failed else 0
