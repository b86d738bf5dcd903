"""What every rule kind shares: the rule's common fields, the per-document context,
and small helpers for building edits and reading lines and sentences.

A kind validates and compiles its rule once (``build``) and only matches at run time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from cleantext.model import CATEGORIES, Confidence, Edit

if TYPE_CHECKING:
    from cleantext.glossary import Glossary, Hit

COMMON_FIELDS = frozenset({"id", "kind", "message", "confidence", "category", "examples", "note"})


class RuleError(ValueError):
    """A rule that cannot be compiled; config turns it into a ConfigError with the file."""


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """The fields every rule has, whatever its kind (Vale's shared definition)."""

    id: str
    kind: str
    message: str
    confidence: Confidence
    category: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def edit(
        self,
        text: str,
        start: int,
        end: int,
        replacement: str | None,
        message: str | None = None,
        confidence: Confidence | None = None,
        category: str | None = None,
    ) -> Edit:
        """An edit of this rule, its message filled with the match and the replacement."""
        original = text[start:end]
        template = self.message if message is None else message
        try:
            msg = template.format(
                match=original.strip() or original,
                replacement=replacement if replacement is not None else "",
            )
        except (KeyError, IndexError, ValueError):
            msg = template
        return Edit(
            start,
            end,
            original,
            replacement,
            self.id,
            category or self.category,
            msg,
            confidence or self.confidence,
        )


class Check(Protocol):
    """A compiled rule: proposes edits against the original text, never changes it."""

    id: str

    def run(self, ctx: Context) -> Iterable[Edit]: ...


Builder = Callable[[RuleSpec], Check]


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # first character
    end: int  # end of the text, before the line break
    stop: int  # after the line break

    def text(self, source: str) -> str:
        return source[self.start : self.end]


class Context:
    """One document as every check sees it; derived views are computed once, on demand."""

    def __init__(
        self, text: str, glossary: Glossary | None = None, document: str | None = None
    ) -> None:
        self.text = text
        self.glossary = glossary
        # the whole document when ``text`` is a window of it: document-level conditions
        # (a glossary row's when/unless) are judged on the whole, never on the window
        self.document = text if document is None else document
        self.levels: frozenset[Confidence] | None = None  # the confidences this run applies
        self.run: dict[str, Any] = {}  # evidence gathered over all documents of the run
        self.shared: dict[str, Any] = {}  # results one kind computes for its sibling rules

    @cached_property
    def skeleton(self) -> bytes:
        """The text as one byte per character, for byte-speed prefilters (see glossary)."""
        from cleantext.glossary import skeleton

        return skeleton(self.text)

    @cached_property
    def normalised(self) -> bytes:
        """The skeleton lowercased with punctuation blanked: the glossary matcher's view."""
        from cleantext.glossary import normalise_skeleton

        return normalise_skeleton(self.skeleton)

    @cached_property
    def shape(self) -> bytes:
        """Character classes, one byte each: ``a`` lower, ``A`` upper, ``0`` digit, ``-``,
        ``.``, ``!``, ``?`` (also any non-Latin-1 character), a space for everything else.

        Prefilters search it for literal shapes (``b"aA"`` for a glued word) far faster
        than a regex can scan the text."""
        return self.skeleton.translate(_SHAPE)

    @cached_property
    def glossary_hits(self) -> list[Hit]:
        if self.glossary is None:
            return []
        return self.glossary.find(self.text, self.normalised)

    @cached_property
    def lines(self) -> list[Line]:
        out: list[Line] = []
        pos = 0
        text = self.text
        for match in re.finditer(r"\r\n|\n|\r", text):
            out.append(Line(pos, match.start(), match.end()))
            pos = match.end()
        out.append(Line(pos, len(text), len(text)))
        return out

    @cached_property
    def curly(self) -> bool:
        """Whether the document prefers typographic apostrophes, for inserted ones."""
        return self.text.count("’") > self.text.count("'")


def title_case(line: str) -> bool:
    """A headline in title case capitalises most words; its capitals are not errors."""
    words = [w for w in line.split() if w[:1].isalpha()]
    return bool(words) and sum(w[0].isupper() for w in words) / len(words) > 0.6


def _shape_table() -> bytes:
    out = bytearray(b" " * 256)
    for b in range(256):
        ch = chr(b)
        if ch.islower():
            out[b] = ord("a")
        elif ch.isupper():
            out[b] = ord("A")
        elif ch.isdigit():
            out[b] = ord("0")
        elif ch in "-.!?":
            out[b] = b
    return bytes(out)


_SHAPE = _shape_table()


class Rule:
    """The common start of every kind: its spec and id, no unknown field, and for kinds
    with several detectors a valid ``detect:``."""

    fields: tuple[str, ...] = ()
    detectors: tuple[str, ...] = ()

    def __init__(self, spec: RuleSpec) -> None:
        only_fields(spec, self.fields)
        self.id = spec.id
        self.spec = spec
        self.detect = ""
        if self.detectors:
            self.detect = option(spec, "detect", str, required=True)
            if self.detect not in self.detectors:
                raise RuleError(
                    f"rule {spec.id}: detect must be one of {', '.join(self.detectors)}"
                )


def option(
    spec: RuleSpec,
    name: str,
    kind: type | tuple[type, ...],
    default: Any = None,
    required: bool = False,
) -> Any:
    """Read one kind-specific field, type-checked, with a message naming the rule."""
    if name not in spec.options:
        if required:
            raise RuleError(f"rule {spec.id}: kind {spec.kind} needs '{name}'")
        return default
    value = spec.options[name]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise RuleError(f"rule {spec.id}: '{name}' must be {names}")
    return value


def only_fields(spec: RuleSpec, allowed: Iterable[str]) -> None:
    """Reject fields a kind does not know: a typo must not silently disable a rule."""
    extra = set(spec.options) - set(allowed)
    if extra:
        raise RuleError(
            f"rule {spec.id}: unknown field(s) {', '.join(sorted(extra))} for kind "
            f"{spec.kind}; valid: {', '.join(sorted(set(allowed) | COMMON_FIELDS))}"
        )


def compile_regex(spec: RuleSpec, pattern: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise RuleError(f"rule {spec.id}: bad regex {pattern!r}: {exc}") from None


def check_category(rule_id: str, category: str) -> str:
    if category not in CATEGORIES:
        raise RuleError(
            f"rule {rule_id}: unknown category {category!r}; valid: {', '.join(sorted(CATEGORIES))}"
        )
    return category


WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
"""A word: letters, with inner apostrophes and hyphens ("self-sufficiency", "China's")."""

# ``(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\n+`` with one class first and the full stop
# checked behind it, so the scan skips to closing marks and spaces (same matches)
SENTENCE_END = re.compile(
    r"[\"”’)\s](?:(?<=[.!?][\"”’)])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])"
    r"|(?<=[.!?]\s)\s*(?=[\"“‘(]*[A-Z0-9])|(?<=\n)\n*)"
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Rough sentence spans inside ``text[start:end]``: enough to keep a rule in one clause.

    >>> t = "One two. Three four.\\nFive"
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['One two.', 'Three four.', 'Five']
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for match in SENTENCE_END.finditer(text, start, end):
        if match.start() > pos:
            spans.append((pos, match.start()))
        pos = match.end()
    if pos < end:
        spans.append((pos, end))
    return spans
