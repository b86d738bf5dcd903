"""Quality signals per document, and the filters a corpus builder drops documents with.

``document_stats`` gives exactly the figures of ``cleantext.stats.document_stats`` (the
jsonl template's ``stats``), computed with byte operations instead of two Unicode regex
scans: over a corpus those scans cost more than the glossary itself (about 9 MB/s against
40). Text it cannot prove equal for (non-ASCII letters it cannot classify) goes through
``cleantext.stats`` unchanged.

``quality`` is one number in [0, 1] for filtering, like datatrove's and NeMo Curator's
heuristic filters: unresolved damage (flags, and review proposals a safe run left alone)
per 1,000 words, and the share of lower-case words no dictionary knows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from cleantext import stats
from cleantext.lexicon import zipf
from cleantext.model import Confidence, Edit

# Damage at which quality reaches 0: 50 unresolved proposals per 1,000 words (one word in
# twenty visibly broken), or a quarter of the lower-case words unknown.
UNRESOLVED_AT_ZERO = 50.0
UNKNOWN_AT_ZERO = 0.25

# Non-ASCII characters common in news that are neither letters nor digits; the curly
# apostrophe joins words like the straight one (``stats._WORD`` treats both alike).
_APOSTROPHES = ("’",)
_SPACE = " "


def _table(letter: bytes, lower: bytes | None) -> bytes:
    """A bytes.translate table: ASCII letters (and every byte >= 0x80, which is a piece of
    a non-ASCII letter once punctuation is gone) map to ``letter``; lower-case letters to
    themselves when ``lower`` is None (the unknown-word view) else to ``letter``."""
    out = bytearray(b" " * 256)
    for b in range(256):
        char = chr(b)
        if b >= 0x80 or char.isalpha():
            out[b] = letter[0]
        if lower is None and "a" <= char <= "z":
            out[b] = b
        if lower is None and (char.isdigit() or char == "_"):
            out[b] = letter[0]  # a word character, so no word boundary next to it
    out[ord("'")] = ord("'") if lower is not None else ord(" ")
    return bytes(out)


_WORDS = _table(b"a", b"a")  # letters -> a, apostrophe kept, everything else blank
_TOKENS = _table(b"X", None)  # a-z kept, other word characters -> X, the rest blank
_LOWER = bytes(range(ord("a"), ord("z") + 1))


def _plain(text: str) -> bytes | None:
    """The text as UTF-8 with apostrophes straightened and non-letter non-ASCII characters
    blanked; None when a non-ASCII character is a digit or other word character the byte
    view cannot classify (then the regex path is used)."""
    if text.isascii():
        return text.encode("ascii")
    for char in set(text):
        if char.isascii() or char.isalpha():
            continue
        if char in _APOSTROPHES:
            text = text.replace(char, "'")
        elif char.isalnum():
            return None  # a non-ASCII digit or numeral: a word character but not a letter
        else:
            text = text.replace(char, _SPACE)
    return text.encode("utf-8")


def word_count(plain: bytes) -> int:
    """``stats.word_count`` on the byte view: a word starts at a letter after a blank, or
    after an apostrophe that does not follow a letter (one that does joins two runs into
    one word, as in "don't").

    >>> word_count(_plain("Kratsios's plan, in 2025: open-source AI.") or b"")
    6
    >>> word_count(b"rock'n'roll, 'tis a''b")
    4
    """
    letters = b" " + plain.translate(_WORDS)
    words = letters.count(b" a")
    if b"'" in letters:
        words += letters.count(b" 'a") + letters.count(b"''a")
    return words


@cache
def _known() -> dict[str, float]:
    """wordfreq's large English list, the very dict ``lexicon.zipf`` reads (wordfreq keeps
    one copy): a set difference against it finds a document's unknown words in C."""
    from wordfreq import get_frequency_dict

    table: dict[str, float] = get_frequency_dict("en", wordlist="large")
    return table


def unknown_share(plain: bytes) -> float:
    """``stats.unknown_share`` on the byte view: word-character runs that are all a-z.

    >>> unknown_share(b"the cat sat on the geosus")
    0.167
    """
    view = plain.translate(_TOKENS)  # pure ASCII now: letters, X and spaces
    tokens = view.decode("ascii").split()
    # tokens with another word character (a capital, a digit) in them are not counted
    # with the letters deleted, each token holding an X leaves a run of X: count the runs
    mixed = (b" " + view.translate(None, _LOWER)).count(b" X") if b"X" in view else 0
    total = len(tokens) - mixed
    if not total:
        return 0.0
    odd = [w for w in set(tokens).difference(_known()) if "X" not in w and zipf(w) == 0.0]
    unknown = sum(map(frozenset(odd).__contains__, tokens)) if odd else 0
    return round(unknown / total, 3)


def document_stats(
    text: str, proposals: Sequence[Edit], applied: Sequence[Edit] = ()
) -> dict[str, object]:
    """The figures of ``cleantext.stats.document_stats``, the same keys and values."""
    plain = _plain(text)
    if plain is None:
        return stats.document_stats(text, proposals, applied)
    words = word_count(plain)
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
        "unknown_word_share": unknown_share(plain),
        "name_variants": stats.name_variants(proposals),
    }


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
