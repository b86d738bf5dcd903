"""Re-anchoring a journaled decision in a source file that changed since it was made.

A decision remembers its span, the text it covered and a few characters either side. When
the file's hash differs, the span is looked for again: at the old offset first, then with
diff-match-patch's fuzzy ``match_main`` near it (the way ``patch_apply`` places a hunk),
then anywhere with its exact context. A place is accepted only when the covered text is
found there verbatim: a decision never lands on text it did not see, so what cannot be
placed is reported as stale and never applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch

CONTEXT = 24  # characters kept either side of a decision's span
_MAX_BITS = 32  # diff-match-patch's bitap works on patterns of at most 32 characters


@dataclass(frozen=True, slots=True)
class Anchor:
    """What is remembered of a span to find it again: its place, text and surroundings."""

    start: int
    original: str
    before: str
    after: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Anchor:
        """The anchor of ``text[start:end]``.

        >>> Anchor.of("the quick fox", 4, 9).before
        'the '
        """
        return cls(
            start, text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT]
        )


def locate(text: str, anchor: Anchor) -> int | None:
    """The start of the anchored span in ``text``, or None when it is gone.

    >>> a = Anchor.of("the quick fox", 4, 9)
    >>> locate("the quick fox", a), locate("so the quick fox", a), locate("the slow fox", a)
    (4, 7, None)
    """
    size = len(anchor.original)
    if text[anchor.start : anchor.start + size] == anchor.original and _context_holds(
        text, anchor.start, anchor
    ):
        return anchor.start
    found = _fuzzy(text, anchor)
    if found is not None:
        return found
    return _exact_context(text, anchor)


def _context_holds(text: str, start: int, anchor: Anchor) -> bool:
    """An empty span (an insertion) has only its context to go by; a non-empty one at its
    old offset is trusted when at least the nearest few characters around it agree."""
    end = start + len(anchor.original)
    near_before = anchor.before[-4:]
    near_after = anchor.after[:4]
    return text[max(0, start - len(near_before)) : start] == near_before and (
        text[end : end + len(near_after)] == near_after
    )


def _pattern(anchor: Anchor) -> tuple[str, int]:
    """A pattern of at most 32 characters around the span and the span's offset in it."""
    core = anchor.original[:_MAX_BITS]
    room = _MAX_BITS - len(core)
    left = anchor.before[-(room // 2) :] if room // 2 else ""
    right = anchor.after[: room - len(left)]
    return left + core + right, len(left)


def _fuzzy(text: str, anchor: Anchor) -> int | None:
    pattern, offset = _pattern(anchor)
    if not pattern:
        return None
    differ = diff_match_patch()
    differ.Match_Distance = 5000
    guess = max(0, anchor.start - offset)
    found = differ.match_main(text, pattern, guess)
    if found < 0:
        return None
    # bitap tolerates errors; confirm the span itself nearby, verbatim
    for start in _near(found + offset, 8):
        if text[start : start + len(anchor.original)] == anchor.original and _context_holds(
            text, start, anchor
        ):
            return start
    return None


def _near(centre: int, radius: int) -> list[int]:
    out = [centre]
    for step in range(1, radius + 1):
        out.extend((centre - step, centre + step))
    return [p for p in out if p >= 0]


def _exact_context(text: str, anchor: Anchor) -> int | None:
    """The occurrence of context + span + context nearest the old offset, if any."""
    needle = anchor.before + anchor.original + anchor.after
    if not needle:
        return None
    best: int | None = None
    pos = text.find(needle)
    while pos != -1:
        start = pos + len(anchor.before)
        if best is None or abs(start - anchor.start) < abs(best - anchor.start):
            best = start
        pos = text.find(needle, pos + 1)
    return best
