"""The shared vocabulary: confidence levels and the Edit every rule proposes.

An edit always points into the ORIGINAL text (character offsets), the way LanguageTool's
RuleMatch and Vale's Alert do, so that detection never depends on the order rules run in.
Only ``textops.apply_edits`` turns edits into new text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class Confidence(StrEnum):
    """How far a proposal may go without a human, like ruff's safe and unsafe fixes."""

    AUTO = "auto"  # safe in bulk: `fix` applies it
    REVIEW = "review"  # probable: `fix --unsafe` or an editor applies it
    FLAG = "flag"  # clearly damaged, no reliable repair: shown, never applied

    @property
    def rank(self) -> int:
        """Higher is more confident; used to settle overlaps."""
        return _RANKS[self.value]


_RANKS = {"auto": 2, "review": 1, "flag": 0}

CATEGORIES = frozenset(
    {
        "term",
        "name",
        "casing",
        "spacing",
        "punctuation",
        "duplication",
        "boilerplate",
        "spelling",
        "grammar",
        "mistranslation",
    }
)


@dataclass(frozen=True, slots=True)
class Edit:
    """One proposal: replace ``original`` at ``start:end`` with ``replacement``.

    ``replacement`` is ``None`` for a flag with no known repair; an empty string deletes.
    ``original`` is the text the rule saw, so that applying can prove the span still holds it.
    """

    start: int
    end: int
    original: str
    replacement: str | None
    rule: str
    category: str
    message: str
    confidence: Confidence
    alternatives: tuple[Edit, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}:{self.end} for rule {self.rule}")
        if len(self.original) != self.end - self.start:
            raise ValueError(f"rule {self.rule}: original does not fit span")

    @property
    def applicable(self) -> bool:
        """A flag, or a proposal that would change nothing, is never applied."""
        return (
            self.confidence is not Confidence.FLAG
            and self.replacement is not None
            and self.replacement != self.original
        )

    def overlaps(self, other: Edit) -> bool:
        """Two spans clash when they share a character, or are insertions at one point."""
        if self.start == self.end or other.start == other.end:
            if self.start == self.end == other.start == other.end:
                return True
            point, span = (self, other) if self.start == self.end else (other, self)
            return span.start < point.start < span.end
        return self.start < other.end and other.start < self.end

    def with_alternatives(self, alternatives: tuple[Edit, ...]) -> Edit:
        return replace(self, alternatives=alternatives)

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON Lines and templates (alternatives nested the same way)."""
        out: dict[str, object] = {
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "rule": self.rule,
            "category": self.category,
            "confidence": self.confidence.value,
            "message": self.message,
        }
        if self.alternatives:
            out["alternatives"] = [a.to_dict() for a in self.alternatives]
        return out
