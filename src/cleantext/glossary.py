"""glossary.csv -> one compiled multi-pattern matcher with context conditions and case rules.

Every row is matched in one pass over a normalised byte copy of the text: ASCII letters
lowercased and every non-word character turned into a space, so each row is keyed on one
whole word (a multi-word row on its longest word), found as a token between spaces, and
confirmed with a small regex in which any run of whitespace matches one space, so a term
broken across lines or padded with spaces is still found.

The pass is a hash look-up per token in cleantext's C extension (``_tokenset.c``, several
hundred MB/s whatever the glossary's size) or, where that was not built, one Aho-Corasick
scan for the keys padded with spaces (ahocorasick-rs, Rust), which reports exactly the same
hits. ahocorasick-rs was chosen over pyahocorasick and flashtext2 because it is the fastest
of them here and builds a 100k-entry automaton in a fraction of a second; flashtext2 cannot
match across runs of whitespace.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import NamedTuple

from cleantext import native
from cleantext.errors import ConfigError
from cleantext.model import Confidence

HEADER = ("wrong", "right", "case", "when", "unless", "confidence", "note")
CASE_MODES = ("exact", "preserve")
_LEVELS = {level.value: level for level in Confidence}


def _table() -> bytes:
    """Byte map for the matcher's haystack: letters lowercased, everything else a space.

    Latin-1 letters count as letters (and are lowercased); ``?`` stands for any character
    outside Latin-1 in the one-byte-per-character skeleton, and counts as a boundary.
    """
    out = bytearray(range(256))
    for b in range(256):
        ch = chr(b)
        if ch.isalnum() or ch == "_":
            out[b] = ord(ch.lower()) if len(ch.lower()) == 1 and ord(ch.lower()) < 256 else b
        else:
            out[b] = 32
    return bytes(out)


_TABLE = _table()


def skeleton(text: str) -> bytes:
    """One byte per character (Latin-1, anything else as ``?``), so offsets are shared.

    Byte-level scans (the glossary matcher, rule prefilters) find candidates here at C speed
    and the offsets they return are character offsets into ``text``.

    >>> skeleton("a’b")
    b'a?b'
    """
    return text.encode("latin-1", "replace")


def normalise(text: str) -> bytes:
    """The matcher's view of ``text``: lowercased words, punctuation blanked, same offsets.

    >>> normalise("Amnesty-International’s")
    b'amnesty international s'
    """
    return skeleton(text).translate(_TABLE)


def normalise_skeleton(skel: bytes) -> bytes:
    """``normalise`` for a skeleton already made (the context caches it)."""
    return skel.translate(_TABLE)


class Entry(NamedTuple):
    """One glossary row, compiled. An empty ``wrong`` makes ``right`` a canonical name.

    A NamedTuple rather than a frozen dataclass: as immutable, and built twice as fast,
    which counts when a glossary has 100,000 rows.
    """

    wrong: str
    right: str
    case: str
    when: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    confidence: Confidence
    note: str
    source: str
    line: int

    @property
    def is_name(self) -> bool:
        return not self.wrong

    @property
    def rule(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", (self.wrong or self.right).lower()).strip("-")
        return f"{'casing' if self.is_name else 'glossary'}.{slug or 'entry'}"

    @property
    def category(self) -> str:
        if self.is_name or self.wrong.lower() == self.right.lower():
            return "casing"
        words = self.right.split()
        if (
            self.case == "exact"
            and all(w[:1].isupper() for w in words)
            and not self.right.isupper()
        ):
            return "name"
        return "term"

    @property
    def pattern(self) -> str:
        return self.wrong or self.right

    @property
    def verifier(self) -> re.Pattern[str]:
        """Confirms a key-word hit: exact characters, any whitespace run for a space."""
        return _verifier(self.pattern, self.case == "exact" and not self.is_name)

    def applies(self, text: str) -> bool:
        """The row's document-level condition: ``when`` must match, ``unless`` must not."""
        if self.when is not None and not self.when.search(text):
            return False
        return not (self.unless is not None and self.unless.search(text))

    def replacement_for(self, matched: str) -> str:
        """``right`` verbatim (exact) or with the match's capitalisation (preserve).

        A sentence-initial capital is kept, an all-caps match stays all caps.
        """
        if self.case == "exact":
            return self.right
        if len(matched) > 1 and matched.isupper() and any(c.isalpha() for c in matched):
            return self.right.upper()
        if matched[:1].isupper():
            return self.right[:1].upper() + self.right[1:]
        return self.right


@cache
def _verifier(pattern: str, exact: bool) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in pattern.split())
    tail = r"(?!\w)" if re.match(r"\w", pattern[-1]) else ""
    return re.compile(body + tail, 0 if exact else re.IGNORECASE)


_Target = tuple["Entry", bool, tuple[bytes, ...]]


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entry: Entry


class Glossary:
    """Compiled glossary: rows with a ``wrong`` side and canonical names, one matcher."""

    def __init__(self, entries: Sequence[Entry], digest: str = "") -> None:
        self.entries = list(entries)
        self.digest = digest
        keys: dict[bytes, list[_Target]] = {}
        self.longest = 1  # words in the longest row: how far a match reaches (fix's recheck)
        for entry in self.entries:
            pattern = entry.wrong or entry.right
            if pattern.isascii() and pattern.isalnum():  # most rows of a big glossary
                key = f" {pattern.lower()} ".encode()
                target = (entry, entry.case != "exact", ())
                if key in keys:
                    keys[key].append(target)
                else:
                    keys[key] = [target]
                continue
            tokens = normalise(pattern).split()
            if not tokens:
                continue
            if len(tokens) == 1:
                single = entry.case != "exact" and pattern.isalnum()
                keys.setdefault(b" " + tokens[0] + b" ", []).append((entry, single, ()))
                continue
            self.longest = max(self.longest, len(tokens))
            # a phrase is keyed on its longest word, the likeliest to be rare: "he" of
            # "He Lifeng" or "are" of "are starting like" would hit thousands of times
            longest = max(range(len(tokens)), key=lambda i: len(tokens[i]))
            before = tuple(reversed(tokens[:longest]))
            keys.setdefault(b" " + tokens[longest] + b" ", []).append((entry, False, before))
        self._keys = list(keys)
        self._targets = [keys[k] for k in self._keys]
        self._scan = _scanner(self._keys) if self._keys else None

    @property
    def names(self) -> list[Entry]:
        return [e for e in self.entries if e.is_name]

    def canonical_names(self) -> list[str]:
        """Canonical spellings: name rows and the right side of exact rows."""
        seen: dict[str, None] = {}
        for entry in self.entries:
            if entry.is_name or entry.case == "exact":
                seen.setdefault(entry.right, None)
        return list(seen)

    def find(self, text: str, normalised: bytes | None = None) -> list[Hit]:
        """Every whole-word occurrence of every row, as character spans into ``text``.

        ``normalised`` is ``normalise(text)`` when the caller has it already.
        """
        if self._scan is None or not text:
            return []
        haystack = b" " + (normalised if normalised is not None else normalise(text)) + b" "
        raw = self._scan(haystack)
        hits: list[Hit] = []
        beyond_latin1 = not text.isascii()
        for index, start, end in raw:
            # the key b" word " starts on the padding space: the word is text[start:end - 2]
            for entry, single, before in self._targets[index]:
                if single:
                    if not (beyond_latin1 and _inside_word(text, start, end - 2)):
                        hits.append(Hit(start, end - 2, entry))
                    continue
                first = _phrase_start(haystack, start + 1, before)
                if first < 0:
                    continue
                match = entry.verifier.match(text, first - 1)
                if (
                    match
                    and match.end() >= end - 2
                    and not (beyond_latin1 and _inside_word(text, first - 1, match.end()))
                ):
                    hits.append(Hit(first - 1, match.end(), entry))
        hits.sort(key=lambda hit: hit.start)
        return hits


Scan = Callable[[bytes], list[tuple[int, int, int]]]


def _scanner(keys: list[bytes]) -> Scan:
    """(key index, start, end) of every key in a haystack, the key's padding spaces
    included: the C extension's token look-up, else Aho-Corasick over the padded keys."""
    if native.TOKEN_SET is not None:
        return native.TOKEN_SET([key[1:-1] for key in keys]).find
    import ahocorasick_rs  # imported here: only needed where the C extension was not built

    matcher = ahocorasick_rs.BytesAhoCorasick(keys)
    return partial(matcher.find_matches_as_indexes, overlapping=True)


def _phrase_start(haystack: bytes, pos: int, before: tuple[bytes, ...]) -> int:
    """Walk back from a phrase's key word over the words before it (nearest first);
    where the phrase would start in ``haystack``, or -1 when a word is not there."""
    for word in before:
        end = pos - 1
        if haystack[end] != 32:
            return -1
        while end > 0 and haystack[end - 1] == 32:
            end -= 1
        if not haystack.endswith(word, 0, end) or haystack[end - len(word) - 1] != 32:
            return -1
        pos = end - len(word)
    return pos


def _inside_word(text: str, start: int, end: int) -> bool:
    """A letter outside Latin-1 is ``?`` (a boundary) in the skeleton: look at the text."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return (before > "\xff" and before.isalnum()) or (after > "\xff" and after.isalnum())


_COMMENT = re.compile(r"^[ \t]*#[^\n]*", re.MULTILINE)


def _regex(source: str, line: int, column: int, name: str, value: str) -> re.Pattern[str] | None:
    if not value.strip():
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise ConfigError(source, f"bad regex in '{name}': {exc}", line, column) from None


def parse(text: str, source: str) -> list[Entry]:
    """Parse glossary CSV text; every problem is a ConfigError with line and column."""
    return list(parse_keyed(text, source).values())


Key = tuple[str, str]  # (wrong, "") for a correction row, ("", right) for a name row


def parse_keyed(text: str, source: str) -> dict[Key, Entry]:
    """``parse``, keyed the way rows replace each other across files (see ``load``).

    One loop over csv's rows, blank lines skipped, the first row the header: a
    100,000-row glossary is read on every run, so no generator sits in between.
    """
    # "#" comment lines are blanked, not removed, so that csv's line numbers stay the file's
    reader = csv.reader(io.StringIO(_COMMENT.sub("", text) if "#" in text else text), strict=True)
    entries: dict[Key, Entry] = {}
    header = False
    try:
        for row in reader:
            if not row or not (row[0].strip() or "".join(row).strip()):
                continue
            if header:
                _entry(source, reader.line_num, row, entries)
            elif tuple(cell.strip() for cell in row) != HEADER:
                raise ConfigError(source, f"header must be {','.join(HEADER)}", reader.line_num, 1)
            else:
                header = True
    except csv.Error as exc:
        line = reader.line_num
        raise ConfigError(source, f"broken CSV row: {exc}", line) from None
    if not header:
        raise ConfigError(source, "empty glossary: the header line is required", 1)
    return entries


_WIDTH = len(HEADER)
_new_entry = tuple.__new__  # Entry(...) goes through a Python-level __new__: twice the cost


def _entry(source: str, line: int, row: list[str], seen: dict[Key, Entry]) -> None:
    if len(row) != _WIDTH:
        if len(row) > _WIDTH:
            raise ConfigError(source, f"{len(row)} columns, expected {_WIDTH}", line, _WIDTH + 1)
        row = row + [""] * (_WIDTH - len(row))
    wrong, right, case, when, unless, confidence, note = map(str.strip, row)
    if not right:
        raise ConfigError(source, "'right' is empty", line, 2)
    case = case or ("exact" if not wrong else "preserve")
    if case not in CASE_MODES:
        raise ConfigError(source, f"case must be one of {', '.join(CASE_MODES)}", line, 3)
    level = _LEVELS.get(confidence or "auto")
    if level is None:
        raise ConfigError(source, "confidence must be auto, review or flag", line, 6)
    if wrong and wrong == right:
        raise ConfigError(source, f"'{wrong}' corrects to itself", line, 1)
    key = (wrong if case == "exact" else wrong.lower(), right if not wrong else "")
    if key in seen:
        raise ConfigError(source, f"duplicate of line {seen[key].line}", line, 1)
    seen[key] = _new_entry(
        Entry,
        (
            wrong,
            right,
            case,
            _regex(source, line, 4, "when", when) if when else None,
            _regex(source, line, 5, "unless", unless) if unless else None,
            level,
            note,
            source,
            line,
        ),
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading 100,000 rows allocates some 400,000 objects and no reference cycles; the
    cycle collector would walk all of them over and over for nothing (a quarter of the
    load time, measured), and again in every later collection of the run. So it is off
    while they are made, and ``gc.freeze`` then sets them aside for good (they are still
    freed by reference counting when the glossary goes)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load(paths: Sequence[Path]) -> Glossary:
    """Load and merge glossaries; a later file's row replaces an earlier one for the same term."""
    with _collector_paused():
        return _load(paths)


def _load(paths: Sequence[Path]) -> Glossary:
    merged: dict[Key, Entry] = {}
    digest = hashlib.sha256()
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(str(path), exc.strerror or "cannot be read") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ConfigError(str(path), "not UTF-8", line) from None
        digest.update(data)
        merged.update(parse_keyed(text, str(path)))  # a later file's row replaces a key's
    return Glossary(list(merged.values()), digest.hexdigest()[:12])
