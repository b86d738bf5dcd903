"""Per-document figures: what templates print, what corpus records carry, what corpus
builders filter on (like datatrove's and NeMo Curator's quality signals).

Pure functions over the text and its proposals; no engine calls, so any caller that already
has the edits pays only for counting.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from cleantext.lexicon import frequencies, known_tokens, zipf
from cleantext.model import Confidence, Edit

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def word_count(text: str) -> int:
    """Words as a reader counts them (runs of letters, apostrophes inside).

    >>> word_count("Kratsios's plan, in 2025: open-source AI.")
    6
    """
    return word_figures(text)[0]


def unknown_share(text: str) -> float:
    """Share of lower-case words that wordfreq does not know: a garble signal.

    Capitalised words are left out (names are rightly unknown); 0.0 for a text without
    lower-case words.

    >>> unknown_share("the cat sat on the geosus")
    0.167
    """
    return word_figures(text)[1]


def word_figures(text: str) -> tuple[int, float]:
    """``word_count`` and ``unknown_share`` together, from one byte view of the text: in
    one pass of the C extension where it was built, else with bytes methods; the regex
    definitions below serve the text the byte view cannot classify."""
    plain = _plain(text)
    if plain is None:
        return _word_count_regex(text), _unknown_share_regex(text)
    known = known_tokens()
    if known is not None:
        words, tokens, unknown = known.figures(plain)
        return words, round(unknown / tokens, 3) if tokens else 0.0
    return _word_count_bytes(plain), _unknown_share_bytes(plain)


# The definitions: plain regexes over the text. They read well but scan at 3 to 9 MB/s,
# more than the glossary costs over a corpus, so the byte view below gives the same
# figures 5 to 8 times faster and these serve the text it cannot classify (and the tests).
def _word_count_regex(text: str) -> int:
    return len(_WORD.findall(text))


def _unknown_share_regex(text: str) -> float:
    words = Counter(_LOWER_WORD.findall(text))  # each distinct word looked up once
    total = sum(words.values())
    if not total:
        return 0.0
    unknown = sum(n for w, n in words.items() if zipf(w) == 0.0)
    return round(unknown / total, 3)


# Non-ASCII characters common in news that are neither letters nor digits; the curly
# apostrophe joins words like the straight one (``_WORD`` treats both alike).
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


def _word_count_bytes(plain: bytes) -> int:
    """``word_count`` on the byte view: a word starts at a letter after a blank, or
    after an apostrophe that does not follow a letter (one that does joins two runs into
    one word, as in "don't").

    >>> _word_count_bytes(_plain("Kratsios's plan, in 2025: open-source AI.") or b"")
    6
    >>> _word_count_bytes(b"rock'n'roll, 'tis a''b")
    4
    """
    letters = b" " + plain.translate(_WORDS)
    words = letters.count(b" a")
    if b"'" in letters:
        words += letters.count(b" 'a") + letters.count(b"''a")
    return words


def _unknown_share_bytes(plain: bytes) -> float:
    """``unknown_share`` on the byte view: word-character runs that are all a-z.

    >>> _unknown_share_bytes(b"the cat sat on the geosus")
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
    # wordfreq lists only words it has seen, so a token it lacks has zipf 0: no look-up more
    odd = [w for w in set(tokens).difference(frequencies()) if "X" not in w]
    unknown = sum(map(frozenset(odd).__contains__, tokens)) if odd else 0
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
    words, unknown = word_figures(text)
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
        "unknown_word_share": unknown,
        "name_variants": name_variants(proposals),
    }
