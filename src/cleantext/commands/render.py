"""`cleantext render`: run the engine as `fix` does and write each document through a
template (bundled by name, or a file), the outputs mirroring the inputs' paths under --out.

`fix --template` comes here too (``render_paths``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleantext.config import Config
from cleantext.errors import CleantextError
from cleantext.options import (
    add_config_options,
    add_path_options,
    iter_paths,
    load_config,
    read,
    relative_path,
    run_evidence,
)

NAME = "render"
COMBINED_NAME = "documents.jsonl"  # where --out DIR puts a jsonl template's lines


def add_parser(sub: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        NAME,
        help="write cleaned documents through a template (txt, md, html, jsonl, patch, "
        "unified, or your own file)",
    )
    add_path_options(parser)
    add_config_options(parser)
    add_template_option(parser, required=True)
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="folder for the outputs (same relative paths, the template's extension); "
        f"a jsonl template writes DIR/{COMBINED_NAME}; '-' or none: standard output",
    )
    parser.add_argument("--unsafe", action="store_true", help="apply review edits too")
    parser.set_defaults(run=run)
    return parser


def add_template_option(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument(
        "--template",
        required=required,
        metavar="NAME|FILE",
        help="bundled template (txt, md, html, jsonl, patch, unified) or a Jinja2 file",
    )


def run(args: argparse.Namespace) -> int:
    return render_paths(
        args.paths, args.glob, load_config(args), args.template, args.out, unsafe=args.unsafe
    )


def render_paths(
    paths: Sequence[str],
    globs: Sequence[str],
    config: Config,
    template: str,
    out: str | None,
    *,
    unsafe: bool = False,
) -> int:
    """Render every document; exit code 0 (errors are raised as CleantextError)."""
    from cleantext import context, render
    from cleantext.textops import atomic_write_bytes

    render.get_template(template)  # an unknown or broken template fails before any work
    files = list(iter_paths(paths, globs))
    to_stdout = out in (None, "-")
    combined = render.combines(template)
    if to_stdout and len(files) > 1 and not combined:
        raise CleantextError(
            "cleantext", f"rendering several files through '{template}' needs --out DIR"
        )
    evidence = run_evidence(files, unsafe)  # a safe fix runs no rule that uses it
    lines: list[bytes] = []
    for path in files:
        doc = read(path)
        relative = relative_path(path, paths)
        ctx = context.for_fix(
            doc, config, unsafe=unsafe, run=evidence, doc_id=relative.with_suffix("").as_posix()
        )
        data = render.to_bytes(template, render.render(template, ctx), doc)
        if to_stdout:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        elif combined:
            lines.append(data)
        else:
            target = Path(str(out)) / relative.with_suffix(render.output_suffix(template))
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data)
    if lines:
        folder = Path(str(out))
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(folder / COMBINED_NAME, b"".join(lines))
    return 0
