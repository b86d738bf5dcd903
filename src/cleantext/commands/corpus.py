"""`cleantext corpus IN OUT`: clean a whole corpus into shards, on a process pool or Dask.

Exit codes: 0 every document was read and cleaned (some may have been dropped by a
filter: they are in OUT/_rejected/ with the reason); 1 the run finished but some documents
failed (error records in OUT/_rejected/, the count in the summary); 2 a usage, input or
configuration error; 130 interrupted (rerun the same command to resume).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cleantext.corpus import DEFAULT_SHARD_DOCS, DEFAULT_SHARD_MB
from cleantext.errors import CleantextError
from cleantext.options import add_config_options, add_glob_option

NAME = "corpus"


def _number(kind: type[int] | type[float], fits: Callable[[float], bool], must: str) -> Any:
    """An argparse type: a number of ``kind`` that ``fits``, else a usage error saying what
    it ``must`` be."""

    def parse(value: str) -> int | float:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not fits(number):
            raise argparse.ArgumentTypeError(f"must be {must}, not {value}")
        return number

    return parse


_fraction = _number(float, lambda x: 0.0 <= x <= 1.0, "between 0 and 1")


def _positive(kind: type[int] | type[float]) -> Any:
    return _number(kind, lambda x: x > 0, "positive")


def add_parser(sub: argparse._SubParsersAction[Any]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        NAME,
        help="clean a corpus (folder of text files, JSON Lines, Parquet) into shards",
        description="Clean every document of IN into OUT (a folder of shards), in parallel, "
        "resumably: rerun the same command after an interruption.",
    )
    parser.add_argument("source", metavar="IN", help="folder of text files, .jsonl or .parquet")
    parser.add_argument("out", metavar="OUT", help="output folder (created; resumed if it exists)")
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("jsonl", "parquet", "files"),
        default="jsonl",
        help="output: JSON Lines or Parquet records, or the cleaned files (default jsonl)",
    )
    parser.add_argument(
        "--input-format",
        choices=("auto", "text", "jsonl", "parquet"),
        default="auto",
        help="what IN holds (default: by file suffix)",
    )
    parser.add_argument(
        "--field", default="text", help="JSON/Parquet field holding the text (default text)"
    )
    add_glob_option(parser, "text files to read from a folder (default *.txt; repeatable)")
    parser.add_argument(
        "--jobs", type=_positive(int), metavar="N", help="worker processes (default: all cores)"
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on Dask: 'local' starts a LocalCluster, tcp://HOST:PORT uses a scheduler",
    )
    parser.add_argument("--unsafe", action="store_true", help="apply review edits too")
    parser.add_argument(
        "--keep-original", action="store_true", help="keep the original text in each record"
    )
    parser.add_argument(
        "--min-quality",
        type=_fraction,
        metavar="X",
        help="drop documents whose quality (0-1) is below X",
    )
    parser.add_argument(
        "--drop-flagged", action="store_true", help="drop documents with any flagged span"
    )
    parser.add_argument(
        "--rejected",
        metavar="FILE",
        help="also gather dropped and failed documents into FILE (JSON Lines)",
    )
    parser.add_argument(
        "--mine-glossary",
        metavar="FILE",
        help="write candidate glossary rows (name variants found across the corpus) to FILE",
    )
    parser.add_argument(
        "--shard-size",
        type=_positive(int),
        metavar="N",
        default=DEFAULT_SHARD_DOCS,
        help="documents per shard (default %(default)s)",
    )
    parser.add_argument(
        "--shard-mb",
        type=_positive(float),
        metavar="MB",
        default=DEFAULT_SHARD_MB,
        help="input megabytes per shard at most (default %(default)g)",
    )
    add_config_options(parser)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from cleantext.corpus import pool, progress, quality
    from cleantext.corpus.run import Request, execute

    if args.fmt == "files" and args.keep_original:
        raise CleantextError(args.out, "--keep-original needs --format jsonl or parquet")
    request = Request(
        source=Path(args.source),
        out=Path(args.out),
        fmt=args.fmt,
        input_format=args.input_format,
        text_field=args.field,
        patterns=tuple(args.glob) or ("*.txt",),
        jobs=args.jobs or pool.default_jobs(),
        dask=args.dask,
        glossary=args.glossary,
        rules=args.rules,
        use_glossary=not args.no_glossary,
        unsafe=args.unsafe,
        keep_original=args.keep_original,
        filter=quality.Filter(args.min_quality, args.drop_flagged),
        rejected=Path(args.rejected) if args.rejected else None,
        mine=Path(args.mine_glossary) if args.mine_glossary else None,
        shard_docs=args.shard_size,
        shard_mb=args.shard_mb,
    )
    outcome = execute(request, sys.stderr)
    summary = progress.summary(
        outcome.figures, outcome.seconds, outcome.skipped, outcome.bytes_read
    )
    print(summary, file=sys.stderr)
    if outcome.mined is not None:
        print(
            f"  {outcome.mined} candidate glossary rows written to {args.mine_glossary}",
            file=sys.stderr,
        )
    return 1 if outcome.figures["failed"] else 0
