"""glossary.csv -> one compiled multi-pattern matcher with context conditions and case rules.

Every row is matched in one Aho-Corasick pass (ahocorasick-rs, Rust) over a normalised
byte copy of the text: ASCII letters lowercased and every non-word character turned into a
space, so patterns padded with spaces hit only whole words and no time goes on hits inside
longer words. Multi-word rows are found by their first word and confirmed with a small
regex in which any run of whitespace matches one space, so a term broken across lines or
padded with spaces is still found. ahocorasick-rs was chosen over pyahocorasick and
flashtext2 because it is the fastest of them here and builds a 100k-entry automaton in a
fraction of a second; flashtext2 cannot match across runs of whitespace.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import ahocorasick_rs

from cleantext.errors import ConfigError
from cleantext.model import Confidence

HEADER = ("wrong", "right", "case", "when", "unless", "confidence", "note")
CASE_MODES = ("exact", "preserve")

_TABLE = bytes(
    (b + 32) if 65 <= b <= 90 else (32 if b < 128 and not (chr(b).isalnum() or b == 95) else b)
    for b in range(256)
)
_WIDE_PUNCT = [c.encode() for c in "“”‘’—–…【】（）«»·\u00a0„‚‹›「」『』、，。：；！？\u2009\u202f"]


def normalise(text: str) -> bytes:
    """Bytes of ``text`` with ASCII lowercased and punctuation blanked, same byte offsets.

    >>> normalise("Amnesty-International’s")
    b'amnesty international   s'
    """
    return normalise_bytes(text.encode("utf-8"), text.isascii())


def normalise_bytes(raw: bytes, ascii_only: bool) -> bytes:
    data = raw.translate(_TABLE)
    if not ascii_only:
        for mark in _WIDE_PUNCT:
            if mark in data:
                data = data.replace(mark, b" " * len(mark))
    return data


@dataclass(frozen=True)
class Entry:
    """One glossary row, compiled. An empty ``wrong`` makes ``right`` a canonical name."""

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

    @cached_property
    def verifier(self) -> re.Pattern[str]:
        """Confirms a first-word hit: exact characters, any whitespace run for a space."""
        body = r"\s+".join(re.escape(part) for part in self.pattern.split())
        tail = r"(?!\w)" if re.match(r"\w", self.pattern[-1]) else ""
        flags = 0 if (self.case == "exact" and not self.is_name) else re.IGNORECASE
        return re.compile(body + tail, flags)

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
        keys: dict[bytes, list[tuple[Entry, bool]]] = {}
        for entry in self.entries:
            tokens = normalise(entry.pattern).split()
            if not tokens:
                continue
            single = len(tokens) == 1 and entry.pattern.strip().isalnum() and entry.case != "exact"
            keys.setdefault(b" " + tokens[0] + b" ", []).append((entry, single))
        self._keys = list(keys)
        self._targets = [keys[k] for k in self._keys]
        self._matcher = ahocorasick_rs.BytesAhoCorasick(self._keys) if self._keys else None

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

    def find(self, text: str) -> list[Hit]:
        """Every whole-word occurrence of every row, as character spans into ``text``."""
        if self._matcher is None or not text:
            return []
        raw_bytes = text.encode("utf-8")
        haystack = b" " + normalise_bytes(raw_bytes, text.isascii()) + b" "
        raw = self._matcher.find_matches_as_indexes(haystack, overlapping=True)
        if not raw:
            return []
        raw.sort(key=lambda m: m[1])
        to_char = _ByteToChar(raw_bytes, text.isascii())
        hits: list[Hit] = []
        for index, bstart, bend in raw:
            # pattern b" word " at padded offset s: the word is text bytes s .. bend - 2
            start = to_char(bstart)
            for entry, single in self._targets[index]:
                if single:
                    hits.append(Hit(start, start + to_char.length(bstart, bend - 2), entry))
                    continue
                match = entry.verifier.match(text, start)
                if match:
                    hits.append(Hit(start, match.end(), entry))
        return hits


class _ByteToChar:
    """Converts increasing UTF-8 byte offsets of a text to character offsets."""

    def __init__(self, raw: bytes, ascii_only: bool) -> None:
        self.raw = raw
        self.ascii = ascii_only
        self.byte = 0
        self.char = 0

    def __call__(self, offset: int) -> int:
        if self.ascii:
            return offset
        if offset < self.byte:
            self.byte, self.char = 0, 0
        self.char += len(self.raw[self.byte : offset].decode("utf-8", "replace"))
        self.byte = offset
        return self.char

    def length(self, start: int, end: int) -> int:
        if self.ascii:
            return end - start
        return len(self.raw[start:end].decode("utf-8", "replace"))


def _rows(source: str, text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with their line numbers; ``#`` comment lines and blank lines skipped."""
    masked = "".join(
        "\n" if line.lstrip().startswith("#") else line for line in io.StringIO(text).readlines()
    )
    reader = csv.reader(io.StringIO(masked), strict=True)
    try:
        for row in reader:
            if not row or all(not cell.strip() for cell in row):
                continue
            yield reader.line_num, row
    except csv.Error as exc:
        raise ConfigError(source, f"broken CSV row: {exc}", reader.line_num) from None


def _regex(source: str, line: int, column: int, name: str, value: str) -> re.Pattern[str] | None:
    if not value.strip():
        return None
    try:
        return re.compile(value)
    except re.error as exc:
        raise ConfigError(source, f"bad regex in '{name}': {exc}", line, column) from None


def parse(text: str, source: str) -> list[Entry]:
    """Parse glossary CSV text; every problem is a ConfigError with line and column."""
    rows = _rows(source, text)
    first = next(rows, None)
    if first is None:
        raise ConfigError(source, "empty glossary: the header line is required", 1)
    line, header = first
    if tuple(h.strip() for h in header) != HEADER:
        raise ConfigError(source, f"header must be {','.join(HEADER)}", line, 1)
    entries: list[Entry] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        entries.append(_entry(source, line, row, seen))
    return entries


def _entry(source: str, line: int, row: list[str], seen: dict[tuple[str, str], int]) -> Entry:
    if len(row) > len(HEADER):
        raise ConfigError(
            source, f"{len(row)} columns, expected {len(HEADER)}", line, len(HEADER) + 1
        )
    wrong, right, case, when, unless, confidence, note = (
        [cell.strip() for cell in row] + [""] * len(HEADER)
    )[: len(HEADER)]
    if not right:
        raise ConfigError(source, "'right' is empty", line, 2)
    case = case or ("exact" if not wrong else "preserve")
    if case not in CASE_MODES:
        raise ConfigError(source, f"case must be one of {', '.join(CASE_MODES)}", line, 3)
    try:
        level = Confidence(confidence or "auto")
    except ValueError:
        raise ConfigError(source, "confidence must be auto, review or flag", line, 6) from None
    if wrong and wrong == right:
        raise ConfigError(source, f"'{wrong}' corrects to itself", line, 1)
    key = (wrong if case == "exact" else wrong.lower(), right if not wrong else "")
    if key in seen:
        raise ConfigError(source, f"duplicate of line {seen[key]}", line, 1)
    seen[key] = line
    return Entry(
        wrong=wrong,
        right=right,
        case=case,
        when=_regex(source, line, 4, "when", when),
        unless=_regex(source, line, 5, "unless", unless),
        confidence=level,
        note=note,
        source=source,
        line=line,
    )


def load(paths: Sequence[Path]) -> Glossary:
    """Load and merge glossaries; a later file's row replaces an earlier one for the same term."""
    merged: dict[tuple[str, str], Entry] = {}
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
        for entry in parse(text, str(path)):
            wrong = entry.wrong if entry.case == "exact" else entry.wrong.lower()
            key = (wrong, "") if entry.wrong else ("", entry.right)
            merged[key] = entry
    return Glossary(list(merged.values()), digest.hexdigest()[:12])
