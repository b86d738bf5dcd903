"""Command line: parsing, printing and exit codes; everything else lives in the library.

Exit codes (every mode): 0 done and nothing to report, 1 proposals found (`check`) or
changes pending (`fix --diff`), 2 a usage, input or configuration error, 3 an internal error
(a bug: reported on one line; CLEANTEXT_DEBUG=1 shows the traceback). `fix` that writes
(`--write`, `--out`, stdout) exits 0 when it succeeded, whatever it changed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import NoReturn, TextIO

from cleantext import __version__, document, engine, native
from cleantext import config as config_mod
from cleantext.commands import COMMANDS
from cleantext.commands import render as render_cmd
from cleantext.errors import CleantextError, WriteError
from cleantext.languagetool import GRAMMAR_OFF, from_environment
from cleantext.model import Edit
from cleantext.options import (
    add_common,
    add_write_options,
    iter_paths,
    read,
    relative_path,
    run_evidence,
)
from cleantext.textops import WriteBehind, atomic_write_bytes, positions


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error on one line and exits 2."""

    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"cleantext: error: {message} (see '{self.prog} --help')\n")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        """Unknown options are reported by the subcommand that was given them."""
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            command = getattr(parsed, "command", None)
            owner = getattr(self, "commands", {}).get(command, self)
            owner.error(f"unrecognized arguments: {' '.join(extra)}")
        return parsed


def build_parser() -> _Parser:
    parser = _Parser(prog="cleantext", description="Repair garbled machine-translated English.")
    version = f"cleantext {__version__} ({native.describe()})"
    parser.add_argument("--version", action="version", version=version)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="list proposals (exit 1 when there are any)")
    add_common(check)
    fix = sub.add_parser("fix", help="apply safe (auto) edits; --unsafe adds review edits")
    add_common(fix)
    add_write_options(fix, "files", "write cleaned copies under DIR")
    fix.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what would change; writes nothing; "
        "exit 1 when something would change",
    )
    fix.add_argument("--unsafe", action="store_true", help="apply review edits too")
    render_cmd.add_template_option(fix)
    parser.commands = {"check": check, "fix": fix}
    for command in COMMANDS:
        parser.commands[command.NAME] = command.add_parser(sub)
    return parser


def edit_record(doc: document.Document, edit: Edit, at: tuple[int, int]) -> dict[str, object]:
    record: dict[str, object] = {"file": doc.path, "line": at[0], "column": at[1]}
    record.update(edit.to_dict())
    return record


_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps with options builds one per call


def print_edits(doc: document.Document, edits: Sequence[Edit], fmt: str, out: TextIO) -> None:
    places = positions(doc.text, [e.start for e in edits])
    for edit, (line, column) in zip(edits, places, strict=True):
        if fmt == "json":
            out.write(_JSON.encode(edit_record(doc, edit, (line, column))) + "\n")
            continue
        change = (
            f"{edit.original!r} -> {edit.replacement!r}"
            if edit.replacement is not None
            else f"{edit.original!r} (no fix known)"
        )
        out.write(
            f"{doc.path}:{line}:{column}: {edit.rule} [{edit.confidence}] "
            f"{edit.message}: {change}\n"
        )


def run_check(args: argparse.Namespace, cfg: config_mod.Config) -> int:
    found = False
    paths = list(iter_paths(args.paths, args.glob))
    evidence = run_evidence(paths, True)
    for path in paths:
        doc = read(path)
        edits = engine.propose(doc.text, cfg, evidence)
        found = found or bool(edits)
        print_edits(doc, edits, args.format, sys.stdout)
    return 1 if found else 0


def run_fix(args: argparse.Namespace, cfg: config_mod.Config) -> int:
    if args.template:
        if args.write or args.diff:
            raise CleantextError("cleantext", "--template writes to --out DIR or standard output")
        return render_cmd.render_paths(
            args.paths, args.glob, cfg, args.template, args.out, unsafe=args.unsafe
        )
    paths = list(iter_paths(args.paths, args.glob))
    to_stdout = not (args.write or args.out or args.diff)
    if to_stdout and len(paths) > 1:
        raise CleantextError("cleantext", "fix of several files needs --write, --out DIR or --diff")
    pending = False
    evidence = run_evidence(paths, args.unsafe)  # a safe fix runs no rule that uses it
    with WriteBehind() as writes:
        for path in paths:
            doc = read(path)
            cleaned, applied = engine.fix(doc.text, cfg, unsafe=args.unsafe, run=evidence)
            pending = pending or cleaned != doc.text
            if args.format == "json":
                print_edits(doc, applied, "json", sys.stdout if not to_stdout else sys.stderr)
            if args.diff:
                sys.stdout.writelines(_diff(doc, cleaned))
            if to_stdout:
                sys.stdout.flush()
                sys.stdout.buffer.write(doc.encode(cleaned))
                sys.stdout.buffer.flush()
            elif args.write and path != "-" and cleaned != doc.text:
                writes.submit(partial(_write_in_place, path, doc, cleaned, not args.no_backup))
            elif args.out:
                target = Path(args.out) / relative_path(path, args.paths)
                writes.submit(partial(_write_to, target, doc.encode(cleaned)))
    return 1 if (args.diff and pending) else 0


def _write_in_place(path: str, doc: document.Document, cleaned: str, backup: bool) -> None:
    """The original kept as FILE.orig first, then the file replaced: both atomic.

    The backup is the text as it was read (strict UTF-8 and the BOM give back its very
    bytes), not the file as it is when the write comes round on the writer thread: a
    file named twice on the command line must not get its cleaned text as its .orig.
    """
    if backup:
        atomic_write_bytes(Path(path + ".orig"), doc.encode())
    document.save(doc, cleaned)


def _write_to(target: Path, data: bytes) -> None:
    """A file under --out, at its place under the folder it was found in (or bare name)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(str(target.parent), f"cannot make the folder: {exc.strerror}") from None
    atomic_write_bytes(target, data, durable=False)  # the input stays: no fsync needed


def _diff(doc: document.Document, cleaned: str) -> Iterator[str]:
    import difflib  # imported here: only fix --diff needs it

    before = doc.text.splitlines(keepends=True)
    after = cleaned.splitlines(keepends=True)
    for line in difflib.unified_diff(before, after, f"a/{doc.path}", f"b/{doc.path}"):
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def _add_grammar(args: argparse.Namespace, cfg: config_mod.Config) -> None:
    """LanguageTool when a server is named; otherwise say once how to turn it on.

    A safe `fix` applies no review edit, so it neither asks the server nor says anything.
    """
    if args.command == "fix" and not args.unsafe:
        return
    check = from_environment(args.languagetool)
    if check is None:
        args.grammar_note = True  # said once, after the run, so errors stay one line
        return
    check.connect()
    cfg.checks = [*cfg.checks, check]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command not in ("check", "fix"):
            code: int = args.run(args)
            return code
        cfg = config_mod.load(args.glossary, args.rules, not args.no_glossary)
        _add_grammar(args, cfg)
        code = run_check(args, cfg) if args.command == "check" else run_fix(args, cfg)
        if getattr(args, "grammar_note", False):
            print(f"cleantext: note: {GRAMMAR_OFF}", file=sys.stderr)
        return code
    except CleantextError as exc:
        sys.stdout.flush()
        print(f"cleantext: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: one line, and how to see the rest
        if os.environ.get("CLEANTEXT_DEBUG"):
            raise
        print(
            f"cleantext: internal error: {exc!r} (set CLEANTEXT_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
