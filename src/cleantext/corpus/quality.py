"""Quality signals per document, and the filters a corpus builder drops documents with.

The figures themselves are ``cleantext.stats.document_stats`` (the jsonl template's
``stats``), so a corpus record and a rendered record agree.

``quality`` is one number in [0, 1] for filtering, like datatrove's and NeMo Curator's
heuristic filters: unresolved damage (flags, and review proposals a safe run left alone)
per 1,000 words, and the share of lower-case words no dictionary knows.
"""

from __future__ import annotations

from dataclasses import dataclass

# Damage at which quality reaches 0: 50 unresolved proposals per 1,000 words (one word in
# twenty visibly broken), or a quarter of the lower-case words unknown.
UNRESOLVED_AT_ZERO = 50.0
UNKNOWN_AT_ZERO = 0.25


def score(figures: dict[str, object], unsafe: bool) -> float:
    """One number in [0, 1]: 1 is clean (or fully repaired), 0 is too damaged to keep.

    Unresolved means flagged, or proposed for review and left alone (a safe run applies no
    review edit, so those stay in the text).

    >>> score({"words": 1000, "by_confidence": {"flag": 5, "review": 0},
    ...        "unknown_word_share": 0.0}, unsafe=False)
    0.9
    """
    words = _number(figures.get("words"))
    levels = figures.get("by_confidence")
    counts = levels if isinstance(levels, dict) else {}
    unresolved = _number(counts.get("flag")) + (0 if unsafe else _number(counts.get("review")))
    per_1k = 1000 * unresolved / words if words else 0.0
    unknown = _number(figures.get("unknown_word_share"))
    value = 1.0 - per_1k / UNRESOLVED_AT_ZERO - unknown / UNKNOWN_AT_ZERO
    return round(min(1.0, max(0.0, value)), 3)


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


@dataclass(frozen=True, slots=True)
class Filter:
    """What a corpus builder asked to drop: below ``min_quality``, or any flag at all."""

    min_quality: float | None = None
    drop_flagged: bool = False

    def reason(self, figures: dict[str, object], quality: float) -> str | None:
        """Why the document is dropped, or None to keep it.

        >>> Filter(min_quality=0.5).reason({}, 0.25)
        'quality 0.25 < 0.5'
        >>> Filter(drop_flagged=True).reason({"by_confidence": {"flag": 0}}, 0.9) is None
        True
        """
        if self.min_quality is not None and quality < self.min_quality:
            return f"quality {quality:g} < {self.min_quality:g}"
        if self.drop_flagged:
            levels = figures.get("by_confidence")
            flags = levels.get("flag", 0) if isinstance(levels, dict) else 0
            if flags:
                return f"{flags} flagged span{'s' if flags != 1 else ''}"
        return None
