"""`cleantext eval PATH... --ref DIR`: how much better `fix` made the text, against human
references (chrF, BLEU and TER before and after, with sacrebleu) and gold edits (precision,
recall, F0.5, flag coverage). Output as a table, JSON or the ``eval-html`` report.

The mode evaluated is `fix --unsafe` by default: the gold's certain and likely edits are
what an unsafe fix should make (``--safe`` scores the auto edits alone, ``--hyp DIR``
scores another tool's output). Exit 0 whatever the scores; 2 on a missing reference.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cleantext.errors import InputError
from cleantext.model import Edit
from cleantext.options import add_config_options, add_path_options, iter_paths, read

NAME = "eval"
REF_SUFFIX = ".ref.txt"
GOLD_SUFFIX = ".edits.jsonl"


def add_parser(sub: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        NAME,
        help="score fix against references: chrF/BLEU/TER before and after, edit P/R",
        description="For each NAME.txt, DIR/NAME.ref.txt is the reference and "
        "DIR/NAME.edits.jsonl (if present) the gold edits; files named *.ref.txt are never "
        "inputs. Exit 0 whatever the scores, 2 on a missing reference or bad gold file.",
    )
    add_path_options(parser)
    parser.add_argument(
        "--ref",
        required=True,
        metavar="DIR",
        help="folder of NAME.ref.txt references and NAME.edits.jsonl gold edits",
    )
    add_config_options(parser)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--unsafe",
        dest="unsafe",
        action="store_true",
        default=True,
        help="score `fix --unsafe` (the default: gold certain+likely edits are what it makes)",
    )
    mode.add_argument(
        "--safe", dest="unsafe", action="store_false", help="score `fix` (auto edits only)"
    )
    mode.add_argument(
        "--hyp",
        metavar="DIR",
        help="score the outputs DIR/NAME.txt (another run, another tool) instead of fixing",
    )
    parser.add_argument(
        "--format",
        choices=("table", "json", "html"),
        default="table",
        help="table (default), json (the whole report), html (a report with a chart)",
    )
    parser.add_argument("--out", metavar="FILE", help="write the report to FILE (atomically)")
    parser.add_argument(
        "--languagetool",
        metavar="URL",
        help="a running LanguageTool server, as for `fix --unsafe`",
    )
    parser.set_defaults(run=run)
    return parser


def stem(path: str) -> str:
    """NAME for NAME.txt (the key of its reference files)."""
    name = Path(path).name
    return name[: -len(".txt")] if name.endswith(".txt") else Path(name).stem


def inputs(paths: list[str], globs: list[str]) -> list[str]:
    """Files to evaluate: references (``*.ref.txt``) found beside them are skipped."""
    found = [p for p in iter_paths(paths, globs) if not p.endswith(REF_SUFFIX)]
    if "-" in found:
        raise InputError("-", "eval reads files (their names find the references), not stdin")
    if not found:
        raise InputError(" ".join(paths), "no files to evaluate")
    return found


def reference(ref_dir: Path, path: str, original: str) -> tuple[str, tuple[Any, ...] | None]:
    """The reference text and the gold edits (None without a gold file) for one input."""
    from cleantext import evaluate

    name = stem(path)
    ref_path, gold_path = ref_dir / f"{name}{REF_SUFFIX}", ref_dir / f"{name}{GOLD_SUFFIX}"
    gold = None
    if gold_path.is_file():
        data = read(str(gold_path)).text
        gold = tuple(evaluate.parse_gold(data, original, str(gold_path)))
    if ref_path.is_file():
        return read(str(ref_path)).text, gold
    if gold is not None:
        return evaluate.reference_from_gold(original, gold, str(gold_path)), gold
    raise InputError(str(ref_path), f"no reference for {path} (nor {gold_path.name})")


def run(args: argparse.Namespace) -> int:
    from cleantext import __version__, engine, evaluate
    from cleantext.options import load_config
    from cleantext.textops import atomic_write_bytes

    ref_dir = Path(args.ref)
    if not ref_dir.is_dir():
        raise InputError(args.ref, "no such reference folder")
    paths = inputs(args.paths, args.glob)
    originals = [read(p).text for p in paths]
    refs = [reference(ref_dir, p, text) for p, text in zip(paths, originals, strict=True)]
    cfg = load_config(args)
    _add_grammar(args, cfg)
    evidence = engine.run_evidence(originals) if len(paths) > 1 else None
    docs = []
    for path, original, (ref, gold) in zip(paths, originals, refs, strict=True):
        if args.hyp:
            proposals = engine.propose(original, cfg, evidence)
            cleaned, applied = read(str(Path(args.hyp) / Path(path).name)).text, list[Edit]()
        elif args.unsafe:  # one detection for both (the same evidence for both)
            proposals, cleaned, applied = engine.propose_and_fix(original, cfg, True, evidence)
        else:  # a safe fix takes no run evidence, as in `cleantext fix`
            proposals = engine.propose(original, cfg, evidence)
            cleaned, applied = engine.fix(original, cfg, False, None)
        docs.append(
            evaluate.DocumentInput(
                stem(path), original, cleaned, ref, gold, tuple(proposals), tuple(applied), path
            )
        )
    mode = "hyp" if args.hyp else ("fix --unsafe" if args.unsafe else "fix")
    report = evaluate.evaluate(
        docs,
        mode=mode,
        cleantext=__version__,
        glossary=cfg.glossary.digest if cfg.glossary else None,
        rules=cfg.rules_digest,
        reference=args.ref,
    )
    text = _output(report, args.format)
    if args.out:
        atomic_write_bytes(Path(args.out), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return 0


def _output(report: dict[str, Any], fmt: str) -> str:
    import json

    from cleantext import evaluate, render

    if fmt == "json":
        return json.dumps(report, indent=1, ensure_ascii=False) + "\n"
    if fmt == "html":
        charts = [evaluate.bar_chart(report, metric) for metric in evaluate.METRICS]
        return render.render("eval-html", {"report": report, "charts": charts})
    return evaluate.format_table(report)


def _add_grammar(args: argparse.Namespace, cfg: Any) -> None:
    """LanguageTool as `fix --unsafe` uses it, when a server is named (never for --safe)."""
    from cleantext.languagetool import from_environment

    if not args.unsafe and not args.hyp:
        return
    check = from_environment(args.languagetool)
    if check is not None:
        check.connect()
        cfg.checks = [*cfg.checks, check]
