"""Spelling: words that are neither English nor a name the document attests ("geosus",
"gesterodes", "Smred"): garble from the translation that no rule can repair, so flagged.

A word is known when wordfreq's 321k-word English list has it, when it is a known word
with an inflection or a common prefix ("hyperscalers", "friendshoring", "derisking"),
or when it is a compound of two known words. Capitalised words are names until proven
otherwise: only a capitalised non-word that opens a sentence, occurs once and is followed
by a preposition ("Smred in the banning of ...") is flagged. A suggestion is offered when
a frequent word is one or two edits away (rapidfuzz over wordfreq's top words).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from cleantext.checks.base import Context, Rule, RuleSpec, option
from cleantext.lexicon import top_words, zipf
from cleantext.model import Edit

FIELDS = ("min_length", "prefixes", "suggest")
LOWER_WORD = re.compile(r"(?<![\w@/.-])[a-z]{4,}(?![\w@/-]|\.\w)")
# a capital that opens a line or follows a sentence end: the capital first and what is
# before it checked behind, so the scan skips to capitals (a lookbehind first tries every
# place); ``(?<![^\n]X)`` is ``^`` of MULTILINE mode
OPENING_WORD = re.compile(
    r"([A-Z](?:(?<![^\n][A-Z])|(?<=[.!?] [A-Z])|(?<=[.!?][\"”’] [A-Z]))[a-z]{3,}) "
    r"(?:in|of|on|at|for|to|with|from|by)\b"
)
# a capitalised word after a lower-case letter or comma and a space: a name in mid-sentence
MIDSENTENCE_NAME = re.compile(r"[A-Z](?<=[a-z,] [A-Z])[a-z]{3,}")
# above this many unknown words one regex scan beats a str.find scan per word
FIND_LIMIT = 48
SUFFIXES = ("ers", "er", "ing", "ed", "es", "s", "ly", "ness", "ment", "ism", "ist", "ity")
PREFIXES = tuple(
    "anti auto bio co counter crypto cyber de dis eco exa geo giga hyper inter kilo macro mega "
    "meta micro mid milli mis multi nano neo non off on out over peta post pre pro re self "
    "semi sub super tele tera trans ultra un under".split()
)


class Spelling(Rule):
    document_scope = True  # looks at the whole document (counts, its end)

    fields = FIELDS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        self.min_length: int = option(spec, "min_length", int, 4)
        self.prefixes = tuple(option(spec, "prefixes", list, list(PREFIXES)))
        self.suggest: bool = option(spec, "suggest", bool, True)

    def run(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        skip = _code_like_spans(text) if "://" in text or "@" in text else []
        names = _attested_names(text)
        # each distinct word is judged once; only the unknown ones are looked for again
        unknown = sorted(
            word
            for word in set(LOWER_WORD.findall(text))
            if len(word) >= self.min_length and word not in names and not self.known(word)
        )
        for start, end in lower_word_spans(text, unknown):
            if not _inside(start, skip):
                yield self._flag(text, start, end, text[start:end])
        counts: dict[str, int] = {}
        for m in OPENING_WORD.finditer(text):
            word = m.group(1)
            if self.known(word.lower()) or _inside(m.start(), skip):
                continue
            if word not in counts:
                counts[word] = capitalised_count(text, word)
            if counts[word] == 1:
                yield self._flag(text, m.start(1), m.end(1), word)

    def known(self, word: str) -> bool:
        return _known(word, self.prefixes)

    def _flag(self, text: str, start: int, end: int, word: str) -> Edit:
        hint = _suggestion(word.lower()) if self.suggest else None
        message = f"'{word}' is not an English word" + (
            f" (perhaps '{hint}'?)" if hint else "; the translation garbled it"
        )
        return self.spec.edit(text, start, end, None, message=message)


@cache
def _known(word: str, prefixes: tuple[str, ...] = PREFIXES) -> bool:
    if _inflected(word, 0.0):
        return True
    for suffix in SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and _compound(stem, prefixes):
            return True
    return _compound(word, prefixes)


def _inflected(word: str, floor: float) -> bool:
    """Listed itself (above ``floor``), or a listed stem with a common ending."""
    if zipf(word) > floor:
        return True
    for suffix in SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and max(zipf(stem), zipf(stem + "e")) >= 2.0:
            return True
    return False


def _compound(word: str, prefixes: tuple[str, ...]) -> bool:
    """A known prefix, or a common word, followed by a known word of four letters or more
    ("friend" + "shoring", "hyper" + "scaler"); "geo" + "sus" is too short to count."""
    for cut in range(2, len(word) - 3):
        head, tail = word[:cut], word[cut:]
        if head in prefixes and _inflected(tail, 1.0):
            return True
        if len(head) >= 3 and zipf(head) >= 3.5 and _inflected(tail, 3.0):
            return True
    return False


@cache
def _vocabulary() -> list[str]:
    return [w for w in top_words(30000) if w.isalpha() and len(w) >= 3]


@cache  # a garbled word tends to come back: the fuzzy search over 30k words runs once
def _suggestion(word: str) -> str | None:
    # imported here: only a flagged word needs it, and rapidfuzz takes 15 ms to import
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    found = process.extractOne(word, _vocabulary(), scorer=Levenshtein.distance, score_cutoff=2)
    return str(found[0]) if found else None


def _attested_names(text: str) -> set[str]:
    """Lower-case forms of words the document also writes capitalised in mid-sentence:
    a name it uses (an odd lower-case mention of it is not garble)."""
    return {w.lower() for w in MIDSENTENCE_NAME.findall(text)}


def lower_word_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Spans, in text order, of the ``LOWER_WORD`` matches that are one of ``words``:
    a few words are found by str.find and a boundary test, many by one regex scan.

    >>> lower_word_spans("geosus x.geosus geosus.com geosus-led geosus.", ["geosus"])
    [(0, 6), (38, 44)]
    """
    if not words:
        return []
    if len(words) > FIND_LIMIT:
        again = re.compile(LOWER_WORD.pattern.replace("[a-z]{4,}", "(?:" + "|".join(words) + ")"))
        return [m.span() for m in again.finditer(text)]
    spans: list[tuple[int, int]] = []
    size = len(text)
    for word in words:
        pos = text.find(word)
        while pos != -1:
            end = pos + len(word)
            before = text[pos - 1] if pos else " "
            after = text[end] if end < size else " "
            if not (
                _word_char(before)
                or before in "@/.-"
                or _word_char(after)
                or after in "@/-"
                or (after == "." and end + 1 < size and _word_char(text[end + 1]))
            ):
                spans.append((pos, end))
            pos = text.find(word, pos + 1)
    return sorted(spans)


def capitalised_count(text: str, word: str) -> int:
    r"""How many of the ``\b[A-Z][a-z]{3,}\b`` matches of ``text`` are ``word``: counted
    for the few words asked about, not for every capitalised word.

    >>> capitalised_count("Smred, Smreds xSmred Smred_ Smred.", "Smred")
    2
    """
    count = 0
    size = len(text)
    pos = text.find(word)
    while pos != -1:
        end = pos + len(word)
        if not ((pos and _word_char(text[pos - 1])) or (end < size and _word_char(text[end]))):
            count += 1
        pos = text.find(word, pos + 1)
    return count


def _word_char(char: str) -> bool:
    r"""What ``\w`` matches in a str pattern: a letter, digit or numeral, or ``_``."""
    return char.isalnum() or char == "_"


def _code_like_spans(text: str) -> list[tuple[int, int]]:
    """The whitespace-delimited tokens holding ``://`` or ``@`` (URLs, e-mail addresses,
    handles): found from the marks outwards, not by a regex trying every position."""
    spans: set[tuple[int, int]] = set()
    for mark in ("://", "@"):
        pos = text.find(mark)
        while pos != -1:
            start, end = pos, pos + len(mark)
            while start > 0 and not text[start - 1].isspace():
                start -= 1
            while end < len(text) and not text[end].isspace():
                end += 1
            spans.add((start, end))
            pos = text.find(mark, end)
    return sorted(spans)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def build(spec: RuleSpec) -> Spelling:
    return Spelling(spec)
