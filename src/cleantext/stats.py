"""Per-document figures: what templates print, what corpus records carry, what corpus
builders filter on (like datatrove's and NeMo Curator's quality signals).

Pure functions over the text and its proposals; no engine calls, so any caller that already
has the edits pays only for counting.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from cleantext.lexicon import zipf
from cleantext.model import Confidence, Edit

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def word_count(text: str) -> int:
    """Words as a reader counts them (runs of letters, apostrophes inside).

    >>> word_count("Kratsios's plan, in 2025: open-source AI.")
    6
    """
    return sum(1 for _ in _WORD.finditer(text))


def unknown_share(text: str) -> float:
    """Share of lower-case words that wordfreq does not know: a garble signal.

    Capitalised words are left out (names are rightly unknown); 0.0 for a text without
    lower-case words.

    >>> unknown_share("the cat sat on the geosus")
    0.167
    """
    words = Counter(_LOWER_WORD.findall(text))  # each distinct word looked up once
    total = sum(words.values())
    if not total:
        return 0.0
    unknown = sum(n for w, n in words.items() if zipf(w) == 0.0)
    return round(unknown / total, 3)


def name_variants(edits: Iterable[Edit]) -> list[dict[str, str]]:
    """Each distinct (variant, canonical) pair that a name rule proposed, in text order."""
    seen: dict[tuple[str, str], None] = {}
    for edit in edits:
        if edit.category == "name" and edit.replacement is not None:
            seen.setdefault((edit.original, edit.replacement), None)
    return [{"variant": v, "canonical": c} for v, c in seen]


def document_stats(
    text: str, proposals: Sequence[Edit], applied: Sequence[Edit] = ()
) -> dict[str, object]:
    """Figures for one document: its size, what was proposed (by confidence, category and
    rule), what was applied, flagged spans per 1,000 words, the unknown-word share and the
    name variants found. Plain data, ready for JSON and templates."""
    words = word_count(text)
    by_confidence = Counter(e.confidence.value for e in proposals)
    flags = by_confidence.get(Confidence.FLAG.value, 0)
    return {
        "chars": len(text),
        "words": words,
        "proposals": len(proposals),
        "applied": len(applied),
        "by_confidence": {c.value: by_confidence.get(c.value, 0) for c in Confidence},
        "by_category": dict(sorted(Counter(e.category for e in proposals).items())),
        "by_rule": dict(sorted(Counter(e.rule for e in proposals).items())),
        "flags_per_1k_words": round(1000 * flags / words, 2) if words else 0.0,
        "unknown_word_share": unknown_share(text),
        "name_variants": name_variants(proposals),
    }
