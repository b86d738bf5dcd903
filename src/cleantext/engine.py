"""Run every check on the original text, settle overlaps, decide by confidence. No I/O.

Resolution is deterministic: among clashing edits the longer one wins, then the more
confident, then the lower rule id; a loser is kept as an alternative of the winner it
clashed with, never dropped. Identical proposals from two rules are merged.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from cleantext.checks import Check, Context, RuleSpec
from cleantext.checks.names import count_names
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
    if isinstance(spec, RuleSpec):
        return spec.confidence
    declared = getattr(check, "confidence", None)
    return declared if isinstance(declared, Confidence) else Confidence.AUTO


def detect(
    text: str,
    checks: Sequence[Check],
    glossary: Glossary | None,
    levels: frozenset[Confidence] | None = None,
    *,
    scope: str = "all",
    document: str | None = None,
    run: Mapping[str, Any] | None = None,
) -> list[Edit]:
    """Every proposal of every check against ``text``, in offset order.

    With ``levels``, checks that cannot reach one of those confidences are not run at all:
    a safe `fix` skips every review- and flag-only rule, which is most of the cost.
    ``scope`` picks the checks that look only near each match ("local") or at the whole
    document ("document"); ``document`` is the whole text when ``text`` is a window of it.
    """
    ctx = Context(text, glossary, document=document)
    ctx.levels = levels
    ctx.run = dict(run or {})
    edits: list[Edit] = []
    for check, top in _plan(tuple(checks), glossary is not None, levels, scope):
        for edit in check.run(ctx):
            if edit.confidence.rank > top.rank:
                edit = replace(edit, confidence=top)
            edits.append(edit)
    return sorted(edits, key=_position)


_PLANS: dict[tuple[object, ...], list[tuple[Check, Confidence]]] = {}
_GLOSSARY_TERMS = GlossaryTerms()


def _plan(
    checks: tuple[Check, ...],
    with_glossary: bool,
    levels: frozenset[Confidence] | None,
    scope: str,
) -> list[tuple[Check, Confidence]]:
    """The checks to run, with their ceilings, worked out once per set of checks and mode
    (a fix looks at many small windows; each look must cost next to nothing to set up)."""
    key = (tuple(id(c) for c in checks), with_glossary, levels, scope)
    plan = _PLANS.get(key)
    if plan is None:
        plan = []
        runners: list[Check] = [_GLOSSARY_TERMS] if with_glossary else []
        for check in [*runners, *checks]:
            top = ceiling(check)
            if levels is not None and not any(level.rank <= top.rank for level in levels):
                continue
            if scope != "all" and (scope == "document") != is_document_scope(check):
                continue
            plan.append((check, top))
        if len(_PLANS) > 64:
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def is_document_scope(check: Check) -> bool:
    """Checks whose proposals depend on text far from the match (counts over the whole
    document, the end of the document) declare ``document_scope = True``."""
    return bool(getattr(check, "document_scope", False))


def _position(edit: Edit) -> tuple[int, int, str]:
    return (edit.start, edit.end, edit.rule)


def _priority(edit: Edit) -> tuple[int, int, str, int, str, str, str]:
    """Longer first, then more confident, then by rule id; the rest only breaks ties, so the
    outcome never depends on the order the proposals came in."""
    return (
        -(edit.end - edit.start),
        -edit.confidence.rank,
        edit.rule,
        edit.start,
        edit.replacement if edit.replacement is not None else "\x00",
        edit.message,
        edit.category,
    )


def resolve(edits: Iterable[Edit]) -> list[Edit]:
    """Settle overlaps; the result has no two clashing edits and loses no proposal.

    A proposal identical in span and replacement to a better one, or clashing with a
    winner, becomes one of that winner's alternatives.
    """
    ordered = sorted(edits, key=_position)
    if _disjoint(ordered):  # nearly always: then every edit wins and none has alternatives
        return ordered
    winners: list[Edit] = []
    placed = _Placed()
    losers: dict[int, list[Edit]] = {}
    by_span: dict[tuple[int, int, str | None], int] = {}
    for edit in sorted(ordered, key=_priority):
        same = by_span.get((edit.start, edit.end, edit.replacement))
        clash = same if same is not None else placed.clash(edit, winners)
        if clash is None:
            by_span[(edit.start, edit.end, edit.replacement)] = len(winners)
            placed.add(edit, len(winners))
            winners.append(edit)
        else:
            losers.setdefault(clash, []).append(edit)
    out = [
        w.with_alternatives((*w.alternatives, *losers[i])) if i in losers else w
        for i, w in enumerate(winners)
    ]
    return sorted(out, key=_position)


def _disjoint(ordered: list[Edit]) -> bool:
    """Whether no two edits (in ``_position`` order) overlap, as ``Edit.overlaps`` has it.

    In that order only neighbours need comparing: an edit that overlaps a later one
    overlaps the one right after it too.
    """
    for a, b in itertools.pairwise(ordered):
        if a.end > b.start or (a.start == a.end == b.start == b.end):
            return False
    return True


class _Placed:
    """Winners kept in offset order, so a clash is found by bisection, not by a scan."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, int, int]] = []  # (start, end, index into winners)

    def add(self, edit: Edit, index: int) -> None:
        bisect.insort(self.keys, (edit.start, edit.end, index))

    def clash(self, edit: Edit, winners: list[Edit]) -> int | None:
        # winners never overlap, so only the one just before can reach into the new span,
        # and the ones after it matter while they start no later than its end
        pos = bisect.bisect_left(self.keys, (edit.start, -1, -1))
        for k in range(max(0, pos - 1), len(self.keys)):
            start, _, index = self.keys[k]
            if start > edit.end:
                break
            if winners[index].overlaps(edit):
                return index
        return None


def propose(text: str, config: Config, run: Mapping[str, Any] | None = None) -> list[Edit]:
    """What `check` shows: every proposal, overlaps settled. ``run`` holds evidence from
    the other documents of the run (see ``run_evidence``)."""
    return resolve(detect(text, config.checks, config.glossary, run=run))


def run_evidence(texts: Iterable[str]) -> dict[str, Any]:
    """What every document of a run may lean on: how often each name is spelt each way
    over all of them, so that one article's majority misspelling does not win."""
    names: Counter[str] = Counter()
    for text in texts:
        names.update(count_names(text))
    return {"names": names}


def decide(edits: Iterable[Edit], unsafe: bool = False) -> list[Edit]:
    """The edits `fix` may apply: auto ones, or auto and review ones with ``unsafe``.

    Filtering comes before resolution, so that a review edit that would have beaten an auto
    edit in an overlap cannot block the auto one in a safe run.
    """
    allowed = UNSAFE if unsafe else SAFE
    return resolve(e for e in edits if e.confidence in allowed and e.applicable)


MAX_PASSES = 5


def fix(
    text: str, config: Config, unsafe: bool = False, run: Mapping[str, Any] | None = None
) -> tuple[str, list[Edit]]:
    """Cleaned text and the edits that lead there from ``text``.

    One repair can make the next one visible (a removed prompt leaves "the the"), so fix
    looks again at its own output until nothing changes (at most ``MAX_PASSES`` times): the
    result is a fixed point, and `fix` of it changes nothing. Later looks are cheap: local
    checks run only on the lines around the previous pass's edits (nothing else changed,
    and everything there was already applied), document-wide checks on the whole text.
    When more than one pass changed the text, the edits returned are the net changes
    against the original, each naming every rule that contributed to it.
    """
    levels = UNSAFE if unsafe else SAFE
    detected = detect(text, config.checks, config.glossary, levels, run=run)
    return _fix_from(text, config, unsafe, run, decide(detected, unsafe))


def propose_and_fix(
    text: str, config: Config, unsafe: bool = False, run: Mapping[str, Any] | None = None
) -> tuple[list[Edit], str, list[Edit]]:
    """``propose(text)`` and ``fix(text)`` at once, for callers that want both (reports,
    corpus records): one detection serves both, so a document costs one pass, not two.

    The result is the very same as the two calls. A check whose output depends on which
    confidences the run applies (``level_sensitive``: boilerplate builds its line pattern
    from the rules that may fire) runs a second time for the fix; every other check's
    proposals are the same whatever the levels, and `fix` only keeps those it may apply.
    """
    everything = detect(text, config.checks, config.glossary, run=run)
    proposals = resolve(everything)
    levels = UNSAFE if unsafe else SAFE
    sensitive = [c for c in config.checks if getattr(c, "level_sensitive", False)]
    if sensitive:
        specs = [getattr(c, "spec", None) for c in sensitive]
        ids = {spec.id for spec in specs if isinstance(spec, RuleSpec)}
        everything = [e for e in everything if e.rule not in ids]
        everything += detect(text, sensitive, None, levels, run=run)
    cleaned, applied = _fix_from(text, config, unsafe, run, decide(everything, unsafe))
    return proposals, cleaned, applied


def _fix_from(
    text: str,
    config: Config,
    unsafe: bool,
    run: Mapping[str, Any] | None,
    applied: list[Edit],
) -> tuple[str, list[Edit]]:
    """`fix` from its first pass's decided edits on: apply, look again, until nothing moves."""
    levels = UNSAFE if unsafe else SAFE
    current = apply_edits(text, applied)
    passes = [applied] if current != text else []
    while passes and len(passes) < MAX_PASSES:
        found = _recheck(current, passes[-1], config, levels, run)
        applied = decide(found, unsafe)
        cleaned = apply_edits(current, applied)
        if cleaned == current:
            break
        passes.append(applied)
        current = cleaned
    if len(passes) <= 1:
        return current, passes[0] if passes else []
    return current, net_edits(text, current, passes)


def _recheck(
    text: str,
    previous: list[Edit],
    config: Config,
    levels: frozenset[Confidence],
    run: Mapping[str, Any] | None = None,
) -> list[Edit]:
    """Proposals on ``text`` after ``previous`` was applied: local checks in windows
    around the changes, document-wide checks everywhere."""
    found = (
        detect(text, config.checks, config.glossary, levels, scope="document", run=run)
        if _reshaped(text, previous)
        else []
    )
    longest = config.glossary.longest if config.glossary is not None else 1
    windows = _windows(text, previous, max(NEAR_WORDS, longest + 2))
    if levels == SAFE and len(windows) > 1:
        found.extend(_recheck_joined(text, windows, config))
        return found
    for start, end in windows:
        window = detect(
            text[start:end], config.checks, config.glossary, levels, scope="local", document=text
        )
        found.extend(_shift(edit, start) for edit in window)
    return found


# Between windows in one joined text: a NUL is neither a word character nor white space, so
# no auto rule (each looks within a line, and a glossary phrase bridges only white space)
# reaches across it. Review and flag rules are not all that local, so only a safe fix joins.
_SEPARATOR = "\n\x00\n"


def _recheck_joined(text: str, windows: list[tuple[int, int]], config: Config) -> list[Edit]:
    """The local auto checks on every window at once (one pass instead of one a window)."""
    pieces: list[str] = []
    starts: list[int] = []  # offset of each window in the joined text
    pos = 0
    for start, end in windows:
        starts.append(pos)
        pieces.append(text[start:end])
        pos += end - start + len(_SEPARATOR)
    joined = _SEPARATOR.join(pieces)
    out: list[Edit] = []
    for edit in detect(joined, config.checks, config.glossary, SAFE, scope="local", document=text):
        k = bisect.bisect_right(starts, edit.start) - 1
        length = windows[k][1] - windows[k][0]
        if edit.end <= starts[k] + length:
            out.append(_shift(edit, windows[k][0] - starts[k]))
    return out


def _reshaped(text: str, applied: list[Edit], short: int = 16) -> bool:
    """Whether ``applied`` could change what document-wide checks see: a line break added
    or removed, or an edit in a short line (a caption or label may now repeat another).
    A word replaced inside a paragraph changes neither."""
    shift = 0
    for edit in sorted(applied, key=lambda e: e.start):
        replacement = edit.replacement or ""
        if "\n" in edit.original or "\n" in replacement or "\r" in edit.original:
            return True
        start = edit.start + shift
        shift += len(replacement) - (edit.end - edit.start)
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line = text[line_start : line_end if line_end != -1 else len(text)]
        if len(line.split(None, short)) <= short:  # at most `short` splits: no long copy
            return True
    return False


NEAR_WORDS = 12  # no local rule reaches this many words beyond a change (glossary: +2)


def _windows(text: str, applied: list[Edit], near: int = NEAR_WORDS) -> list[tuple[int, int]]:
    r"""Spans of ``text`` (the text after ``applied``) around each change: its whole
    lines, and the non-blank line before (after) it when the change is fewer than ``near``
    words from its line's start (end); merged when they touch.

    A new match must overlap a change or sit right beside it: anything else was there, and
    decided, before. Local rules match within a line, except glossary phrases, whose
    ``\s+`` may cross a line break, and pack patterns written with ``\s``; such a match
    reaches the next line only by spanning every word between the change and the break,
    so a change deep inside a paragraph needs only its own line. (One line either side of
    every change was looked at before: three times the text, a tenth of `fix`'s time.)"""
    spans: list[tuple[int, int]] = []
    shift = 0
    for edit in sorted(applied, key=lambda e: e.start):
        start = edit.start + shift
        end = start + len(edit.replacement or "")
        shift += len(edit.replacement or "") - (edit.end - edit.start)
        first = text.rfind("\n", 0, start) + 1
        last = text.find("\n", end)
        last = len(text) if last == -1 else last
        back = 1 if _few_words(text, first, start, near) else 0
        ahead = 1 if _few_words(text, end, last, near) else 0
        spans.append((_lines_back(text, start, back), _lines_forward(text, end, ahead)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _few_words(text: str, start: int, end: int, near: int) -> bool:
    """Fewer than ``near`` words in ``text[start:end]`` (splits stop after ``near``)."""
    return len(text[start:end].split(None, near)) < near


def _lines_back(text: str, pos: int, count: int) -> int:
    start = text.rfind("\n", 0, pos) + 1
    while count > 0 and start > 0:
        start = text.rfind("\n", 0, start - 1) + 1
        if text[start : text.find("\n", start)].strip():
            count -= 1
    return start


def _lines_forward(text: str, pos: int, count: int) -> int:
    end = text.find("\n", pos)
    while end != -1 and count > 0:
        nxt = text.find("\n", end + 1)
        line = text[end + 1 : nxt if nxt != -1 else len(text)]
        end = nxt
        if line.strip():
            count -= 1
    return len(text) if end == -1 else end + 1


def _shift(edit: Edit, delta: int) -> Edit:
    return replace(
        edit,
        start=edit.start + delta,
        end=edit.end + delta,
        alternatives=tuple(_shift(a, delta) for a in edit.alternatives),
    )


def net_edits(original: str, final: str, passes: list[list[Edit]]) -> list[Edit]:
    """The changes from ``original`` to ``final`` as edits, attributed to the rules of
    every pass whose (mapped-back) span touches them."""
    contributions: list[tuple[int, int, Edit]] = []
    for number, applied in enumerate(passes):
        for edit in applied:
            start, end = edit.start, edit.end
            for earlier in reversed(passes[:number]):
                start, end = _map_back(start, earlier), _map_back(end, earlier)
            contributions.append((start, end, edit))
    out: list[Edit] = []
    for start, end, replacement in _hunks(original, final):
        parts = [e for s, t, e in contributions if s <= end and start <= t] or [
            e for _, _, e in contributions
        ][:1]
        rules = list(dict.fromkeys(e.rule for e in parts))
        out.append(
            Edit(
                start,
                end,
                original[start:end],
                replacement,
                "+".join(rules),
                parts[0].category,
                "; ".join(dict.fromkeys(e.message for e in parts)),
                min((e.confidence for e in parts), key=lambda c: c.rank),
            )
        )
    return out


def _map_back(offset: int, applied: list[Edit]) -> int:
    """An offset in the text after ``applied`` as an offset in the text before it."""
    shift = 0
    for edit in sorted(applied, key=lambda e: e.start):
        new_start = edit.start + shift
        new_end = new_start + len(edit.replacement or "")
        if offset < new_start:
            break
        if offset <= new_end:
            return edit.start if offset < new_end else edit.end
        shift += len(edit.replacement or "") - (edit.end - edit.start)
    return offset - shift


def _hunks(before: str, after: str) -> list[tuple[int, int, str]]:
    """Changed regions as (start, end, replacement) against ``before``, by diff-match-patch
    (fast on long texts with few changes, where difflib's character matching is not)."""
    # imported here: only a fix that took several passes needs it (2 ms to import)
    from diff_match_patch import diff_match_patch

    differ = diff_match_patch()
    differ.Diff_Timeout = 2.0
    diffs = differ.diff_main(before, after, False)
    differ.diff_cleanupSemantic(diffs)
    out: list[tuple[int, int, str]] = []
    pos = 0
    start: int | None = None
    inserted = ""
    for op, chunk in diffs:
        if op == 0:
            if start is not None:
                out.append((start, pos, inserted))
                start, inserted = None, ""
            pos += len(chunk)
            continue
        if start is None:
            start = pos
        if op == -1:
            pos += len(chunk)
        else:
            inserted += chunk
    if start is not None:
        out.append((start, pos, inserted))
    return out
