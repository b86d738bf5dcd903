"""Run every check on the original text, settle overlaps, decide by confidence. No I/O.

Resolution is deterministic: among clashing edits the longer one wins, then the more
confident, then the lower rule id; a loser is kept as an alternative of the winner it
clashed with, never dropped. Identical proposals from two rules are merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from cleantext.checks import Check, Context, RuleSpec
from cleantext.checks.substitution import GlossaryTerms
from cleantext.config import Config
from cleantext.glossary import Glossary
from cleantext.model import Confidence, Edit
from cleantext.textops import apply_edits

SAFE = frozenset({Confidence.AUTO})
UNSAFE = frozenset({Confidence.AUTO, Confidence.REVIEW})


def ceiling(check: Check) -> Confidence:
    """The most confident edit a check may propose: its rule's declared confidence."""
    spec = getattr(check, "spec", None)
    return spec.confidence if isinstance(spec, RuleSpec) else Confidence.AUTO


def detect(
    text: str,
    checks: Sequence[Check],
    glossary: Glossary | None,
    levels: frozenset[Confidence] | None = None,
) -> list[Edit]:
    """Every proposal of every check against ``text``, in offset order.

    With ``levels``, checks that cannot reach one of those confidences are not run at all:
    a safe `fix` skips every review- and flag-only rule, which is most of the cost.
    """
    ctx = Context(text, glossary)
    edits: list[Edit] = []
    runners: list[Check] = [GlossaryTerms()] if glossary is not None else []
    for check in [*runners, *checks]:
        top = ceiling(check)
        if levels is not None and not any(level.rank <= top.rank for level in levels):
            continue
        for edit in check.run(ctx):
            if edit.confidence.rank > top.rank:
                edit = replace(edit, confidence=top)
            edits.append(edit)
    return sorted(edits, key=_position)


def _position(edit: Edit) -> tuple[int, int, str]:
    return (edit.start, edit.end, edit.rule)


def _priority(edit: Edit) -> tuple[int, int, str, int]:
    return (-(edit.end - edit.start), -edit.confidence.rank, edit.rule, edit.start)


def resolve(edits: Iterable[Edit]) -> list[Edit]:
    """Settle overlaps; the result has no two clashing edits and keeps the losers."""
    merged: dict[tuple[int, int, str | None], Edit] = {}
    for edit in sorted(edits, key=_priority):
        key = (edit.start, edit.end, edit.replacement)
        if key not in merged:
            merged[key] = edit
    winners: list[Edit] = []
    losers: dict[int, list[Edit]] = {}
    for edit in sorted(merged.values(), key=_priority):
        clash = next((i for i, w in enumerate(winners) if w.overlaps(edit)), None)
        if clash is None:
            winners.append(edit)
        else:
            losers.setdefault(clash, []).append(edit)
    out = [
        w.with_alternatives(tuple(losers.get(i, ()))) if i in losers else w
        for i, w in enumerate(winners)
    ]
    return sorted(out, key=_position)


def propose(text: str, config: Config) -> list[Edit]:
    """What `check` shows: every proposal, overlaps settled."""
    return resolve(detect(text, config.checks, config.glossary))


def decide(edits: Iterable[Edit], unsafe: bool = False) -> list[Edit]:
    """The edits `fix` may apply: auto ones, or auto and review ones with ``unsafe``.

    Filtering comes before resolution, so that a review edit that would have beaten an auto
    edit in an overlap cannot block the auto one in a safe run.
    """
    allowed = UNSAFE if unsafe else SAFE
    return resolve(e for e in edits if e.confidence in allowed and e.applicable)


def fix(text: str, config: Config, unsafe: bool = False) -> tuple[str, list[Edit]]:
    """Cleaned text and the edits applied to reach it."""
    levels = UNSAFE if unsafe else SAFE
    applied = decide(detect(text, config.checks, config.glossary, levels), unsafe)
    return apply_edits(text, applied), applied
