"""What the checks ask of lemminflect's lexicon: a word's parts of speech and its verb
lemmas, answered from a small table kept in the cache folder.

Why: importing lemminflect (numpy comes with it) and reading its lemma table took 0.24 s,
half of a `check` of one article, paid again by every command. The two questions the
checks ask fit a table of 64,000 words that loads in about 12 ms. It is built once, by
asking lemminflect itself about every word it knows (0.6 s), so its answers are
lemminflect's, and stored in the cache folder (``cachedir``) under a name that holds what
it was built from. Without a cache folder, or when it cannot be written, each word goes
to lemminflect as before.
"""

from __future__ import annotations

import marshal
import sys
from functools import cache
from pathlib import Path

from cleantext import cachedir

# Bump when what the table holds changes, so that cached tables are built anew.
_FORMAT = "readings|verb lemmas, v1"
Answer = tuple[frozenset[str], tuple[str, ...]]


def readings(word: str) -> frozenset[str]:
    """The parts of speech lemminflect knows for ``word``, case-folded (empty: none).

    >>> sorted(readings("Runs"))
    ['NOUN', 'VERB']
    """
    return _answer(word.lower())[0]


def verb_lemmas(word: str) -> tuple[str, ...]:
    """The verb lemmas lemminflect gives ``word``, case-folded (empty: not a verb form).

    >>> verb_lemmas("ran")
    ('run',)
    """
    return _answer(word.lower())[1]


@cache
def _answer(word: str) -> Answer:
    table = _table()
    if table is None:
        return _ask(word)
    packed = table.get(word)
    if packed is None:
        return frozenset(), ()
    parts, _, verbs = packed.partition("|")
    return frozenset(parts.split(",")) if parts else frozenset(), tuple(
        verbs.split(",") if verbs else ()
    )


def _ask(word: str) -> Answer:
    """lemminflect's own answer for a lower-case word."""
    from lemminflect import getAllLemmas

    found = getAllLemmas(word)
    return frozenset(found), tuple(found.get("VERB", ()))


@cache
def _table() -> dict[str, str] | None:
    """word -> "POS,POS|lemma,lemma", from the cache folder or built and stored there;
    None when there is no cache folder to keep it in."""
    path = _path()
    if path is None:
        return None
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        loaded = None
    if isinstance(loaded, dict):
        return loaded
    table = _build()
    cachedir.store(path, marshal.dumps(table))
    return table


def _build() -> dict[str, str]:
    from lemminflect.core.Lemmatizer import Lemmatizer

    lemmatizer = Lemmatizer()
    words = set(lemmatizer._getLemmaDict()) | set(lemmatizer._getOverridesDict())
    table: dict[str, str] = {}
    for word in sorted(w for w in words if w == w.lower()):
        parts, verbs = _ask(word)
        if parts:
            table[word] = ",".join(sorted(parts)) + "|" + ",".join(verbs)
    return table


def _path() -> Path | None:
    """The cache file for these lexicon files, this table format and this Python
    (marshal's format may change between versions)."""
    from importlib.util import find_spec  # where lemminflect is, without importing it

    spec = find_spec("lemminflect")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "resources"
    sources = [folder / "lemma_lu.csv.gz", folder / "lemma_overrides.csv"]
    python = sys.version_info[:2]
    return cachedir.entry("lemmas", ".marshal", sources, _FORMAT, marshal.version, python)
