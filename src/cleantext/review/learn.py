"""Teaching the project's glossary.csv from review decisions.

A learned fix becomes a new row appended to the file; a rejected glossary proposal becomes
an ``unless`` exception on its row. Every existing byte (rows, comments, blank lines, line
endings) is kept: the file is rewritten atomically as its old bytes plus the change, and a
row that already exists is refused rather than duplicated (``glossary.load`` would reject
the file on the next run otherwise).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from cleantext import config as config_mod
from cleantext import glossary
from cleantext.errors import CleantextError
from cleantext.textops import atomic_write_bytes

HEADER_LINE = ",".join(glossary.HEADER)


class LearnError(CleantextError):
    """A row that cannot be learned (duplicate, empty side, multi-line text)."""


@dataclass(frozen=True)
class Learned:
    """Where the change went: the glossary file and the line of the row written."""

    path: Path
    line: int
    row: tuple[str, ...]


def project_glossary(source: Path, named: str | Path | None = None) -> Path:
    """The glossary a review of ``source`` teaches: the named one, else the nearest
    glossary.csv from the source's folder upwards, else a new one beside the source."""
    if named is not None:
        return Path(named)
    found = config_mod.find_upwards(config_mod.GLOSSARY_NAME, source.parent)
    bundled = config_mod.bundled_path(config_mod.GLOSSARY_NAME).resolve()
    if found is not None and found.resolve() != bundled:
        return found
    return source.parent / config_mod.GLOSSARY_NAME


def _newline(data: bytes) -> str:
    return "\r\n" if b"\r\n" in data else "\n"


def _row_text(cells: tuple[str, ...], newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerow(cells)
    return buffer.getvalue()


def _key(wrong: str, right: str, case: str) -> tuple[str, str]:
    """The identity ``glossary.load`` merges rows by."""
    return ((wrong if case == "exact" else wrong.lower()), "" if wrong else right)


def _read(path: Path) -> tuple[bytes, list[glossary.Entry]]:
    if not path.exists():
        return b"", []
    data = path.read_bytes()
    return data, glossary.parse(data.decode("utf-8-sig"), str(path))


def case_for(wrong: str, right: str) -> str:
    """``exact`` for names and brands (capitals inside the words), else ``preserve``.

    >>> case_for("Openai", "OpenAI"), case_for("open force", "open-source")
    ('exact', 'preserve')
    """
    has_caps = any(c.isupper() for c in wrong + right if c.isalpha())
    return "exact" if has_caps else "preserve"


def add_row(
    path: Path,
    wrong: str,
    right: str,
    *,
    case: str | None = None,
    when: str = "",
    unless: str = "",
    confidence: str = "auto",
    note: str = "",
) -> Learned:
    """Append ``wrong -> right`` to the glossary at ``path`` (created with its header when
    missing); refuses a row whose term the file already has."""
    wrong = " ".join(wrong.split())
    right = " ".join(right.split())
    if not wrong or not right:
        raise LearnError(str(path), "a glossary row needs text on both sides")
    if wrong == right:
        raise LearnError(str(path), f"'{wrong}' corrects to itself")
    case = case or case_for(wrong, right)
    data, entries = _read(path)
    key = _key(wrong, right, case)
    for entry in entries:
        if _key(entry.wrong, entry.right, entry.case) == key or (
            entry.wrong.lower() == wrong.lower() and entry.right == right
        ):
            raise LearnError(str(path), f"'{wrong}' is already in the glossary", entry.line)
    return _append(path, data, (wrong, right, case, when, unless, confidence, note))


def _append(path: Path, data: bytes, cells: tuple[str, ...]) -> Learned:
    newline = _newline(data)
    prefix = data if data.strip() else (HEADER_LINE + newline).encode("utf-8")
    if not prefix.endswith(b"\n"):
        prefix += newline.encode("utf-8")
    row = _row_text(cells, newline)
    # the row written is parsed back as the whole file will be, before anything is written
    new = prefix + row.encode("utf-8")
    entries = glossary.parse(new.decode("utf-8-sig"), str(path))
    atomic_write_bytes(path, new)
    return Learned(path, entries[-1].line, cells)


def exception_pattern(text: str, start: int, end: int, words: int = 3) -> str:
    r"""A regex for the rejected occurrence: it and up to ``words`` words either side,
    escaped, any whitespace run matching any other (the document's line breaks vary).

    >>> print(exception_pattern("the Amnesty International report on torture", 4, 25, 1))
    the\s+Amnesty\s+International\s+report
    >>> print(exception_pattern("was hopeful thinking.\nSmred in", 4, 20, 1))
    was\s+hopeful\s+thinking\.\s+Smred
    """
    lo, hi = start, end
    while lo > 0 and not text[lo - 1].isspace():  # the rest of a word the span cuts into
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    for _ in range(words):
        while lo > 0 and text[lo - 1].isspace():
            lo -= 1
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        while hi < len(text) and text[hi].isspace():
            hi += 1
        while hi < len(text) and not text[hi].isspace():
            hi += 1
    return r"\s+".join(re.escape(part) for part in text[lo:hi].split())


_GLOBAL_FLAGS = re.compile(r"^\(\?([imsx]+)\)")


def _either(old: str, new: str) -> str:
    r"""``old`` or ``new`` as one regex; a leading global flag group of ``old`` such as
    ``(?i)`` becomes a scoped one, since global flags may only open a whole pattern.

    >>> print(_either("(?i)wishful", r"x\s+y"))
    (?i:wishful)|(?:x\s+y)
    """
    if not old:
        return new
    flags = _GLOBAL_FLAGS.match(old)
    first = f"(?{flags.group(1)}:{old[flags.end() :]})" if flags else f"(?:{old})"
    return f"{first}|(?:{new})"


def add_exception(project: Path, entry: glossary.Entry, pattern: str) -> Learned:
    """Make ``entry`` stand down where ``pattern`` matches: its ``unless`` gains the pattern.

    A row of the project glossary is rewritten in place (only its line changes); a row of
    another glossary (the bundled one is read-only) is overridden by a copy in the project
    glossary, which wins because it is loaded later.
    """
    unless = entry.unless.pattern if entry.unless is not None else ""
    if pattern in unless:
        raise LearnError(str(project), "this exception is already recorded", entry.line)
    unless = _either(unless, pattern)
    cells = (
        entry.wrong,
        entry.right,
        entry.case,
        entry.when.pattern if entry.when is not None else "",
        unless,
        entry.confidence.value,
        entry.note,
    )
    if project.exists() and Path(entry.source).resolve() == project.resolve():
        return _replace_line(project, entry.line, cells)
    data, entries = _read(project)
    key = _key(entry.wrong, entry.right, entry.case)
    for other in entries:
        if _key(other.wrong, other.right, other.case) == key:
            return _replace_line(project, other.line, cells)
    return _append(project, data, cells)


def _replace_line(path: Path, line: int, cells: tuple[str, ...]) -> Learned:
    data = path.read_bytes()
    lines = data.split(b"\n")  # rows written here are one line each; csv's line_num is it
    old = lines[line - 1]
    ending = "\r" if old.endswith(b"\r") else ""
    lines[line - 1] = _row_text(cells, "").encode("utf-8") + ending.encode("utf-8")
    new = b"\n".join(lines)
    glossary.parse(new.decode("utf-8-sig"), str(path))
    atomic_write_bytes(path, new)
    return Learned(path, line, cells)
