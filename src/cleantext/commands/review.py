"""`cleantext review PATH...`: the Textual review UI (``--serve``: in a browser tab).

Decisions are journaled beside each file (or under ``--state-dir``) and resumed on the next
run; ``w`` in the app writes the cleaned file, keeping ``FILE.orig`` unless ``--no-backup``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleantext.errors import CleantextError
from cleantext.options import (
    add_config_options,
    add_path_options,
    iter_paths,
    load_config,
    relative_path,
)

if TYPE_CHECKING:  # the review package imports Textual: only at run time, inside run()
    from cleantext.config import Config
    from cleantext.model import Edit
    from cleantext.review.app import OnSave
    from cleantext.review.state import ReviewState

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
    parser.add_argument(
        "--template",
        metavar="NAME|FILE",
        help="on every save, also render the reviewed document through this template "
        "(txt, md, html, jsonl, patch, unified, or a Jinja2 file) into --out DIR",
    )
    parser.add_argument("--out", metavar="DIR", help="where --template writes (required with it)")
    parser.set_defaults(run=run)
    return parser


def render_on_save(template: str, out: Path, roots: Sequence[str], config: Config) -> OnSave:
    """What a save also does with --template: the reviewed document through the template,
    with the editor's decisions in the context (``decisions``), written atomically."""
    from cleantext import context, render
    from cleantext.textops import atomic_write_bytes

    render.get_template(template)  # an unknown or broken template fails before the UI

    def on_save(state: ReviewState, cleaned: str, applied: list[Edit]) -> str:
        relative = relative_path(state.doc.path, roots)
        ctx = context.build(
            state.doc,
            cleaned,
            state.proposals,
            applied,
            config,
            doc_id=relative.with_suffix("").as_posix(),
            mode="review",
            unsafe=True,
            decisions=review_decisions(state),
        )
        target = out / relative.with_suffix(render.output_suffix(template))
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(
            target, render.to_bytes(template, render.render(template, ctx), state.doc)
        )
        return str(target)

    return on_save


def review_decisions(state: ReviewState) -> list[dict[str, Any]]:
    """Per proposal, what the editor decided: accepted, edited (a typed or alternative
    replacement), rejected, or open."""
    out: list[dict[str, Any]] = []
    for number, edit in enumerate(state.proposals, 1):
        decision = state.decision(number - 1)
        if decision is None:
            verdict, reason = "open", "not decided yet"
        elif not decision.accepted:
            verdict, reason = "rejected", "rejected by the editor"
        elif decision.typed or decision.edit.replacement != edit.replacement:
            verdict, reason = "edited", f"accepted as {decision.edit.replacement!r}"
        else:
            verdict, reason = "accepted", "accepted by the editor"
        out.append(
            {
                "index": number,
                "rule": edit.rule,
                "confidence": edit.confidence.value,
                "decision": verdict,
                "reason": reason,
            }
        )
    return out


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
    if args.template:
        template = args.template
        if Path(template).suffix or Path(template).parent != Path("."):
            template = str(Path(template).resolve())
        argv += ["--template", template, "--out", str(Path(args.out).resolve())]
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
    if args.template and not args.out:
        raise CleantextError("cleantext", "review --template needs --out DIR")
    on_save = (
        render_on_save(args.template, Path(args.out), args.paths, cfg) if args.template else None
    )
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
        on_save=on_save,
    )
    app.run()
    return 0
