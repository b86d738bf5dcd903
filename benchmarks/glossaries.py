"""Seeded single-word misspelling lists and the files each tool reads them from.

Every entry is ``wrong -> right`` where ``right`` is a real English word (wordfreq's top
list) and ``wrong`` is a one-edit misspelling of it (adjacent letters swapped, a letter
dropped or doubled, a vowel changed) that is NOT itself in wordfreq's large English list
(321k words), so a glossary entry never fires on correct prose. A misspelling reachable
from two different words is dropped, so every ``wrong`` has exactly one ``right``.

The list is ordered: the first ``INJECTED`` entries are the errors the corpus generator
injects (common words, one swapped pair of letters), the rest are shuffled with the seed.
A glossary of N entries is the first N rows, so every size contains the injected errors
and sizes are nested (10 in 1,000 in 10,000 in 100,000).

Writers: cleantext's glossary CSV, codespell's ``-D`` dictionary (``wrong->right``) and a
typos config with ``[default.extend-words]`` (typos cannot switch off its builtin
dictionary; extend-words adds ours to it).
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

INJECTED = 10
SOURCE_WORDS = 40_000  # wordfreq top-n list the misspelt words come from
VOWELS = "aeiou"
_PLAIN = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True, slots=True)
class Pair:
    """One glossary entry: a misspelling and its correction (both lower case)."""

    wrong: str
    right: str


@cache
def lexicon() -> frozenset[str]:
    """Every word in wordfreq's large English list (what counts as 'a real word')."""
    from wordfreq import get_frequency_dict

    table: dict[str, float] = get_frequency_dict("en", wordlist="large")
    return frozenset(table)


@cache
def top_words(n: int) -> tuple[str, ...]:
    """wordfreq's ``n`` most frequent English tokens, most frequent first."""
    from wordfreq import top_n_list

    words: list[str] = top_n_list("en", n)
    return tuple(words)


def variants(word: str) -> Iterator[str]:
    """One-edit misspellings of ``word``; the first letter is always kept.

    >>> list(dict.fromkeys(variants("cat")))
    ['cta', 'ct', 'ca', 'caat', 'catt', 'cat', 'cet', 'cit', 'cot', 'cut']
    """
    n = len(word)
    for i in range(1, n - 1):  # swap two adjacent letters
        if word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    for i in range(1, n):  # drop a letter
        if word[i] != word[i - 1]:
            yield word[:i] + word[i + 1 :]
    for i in range(1, n):  # double a letter
        if word[i] != word[i - 1] and (i + 1 == n or word[i] != word[i + 1]):
            yield word[: i + 1] + word[i:]
    for i in range(1, n):  # change a vowel
        if word[i] in VOWELS:
            for vowel in VOWELS:
                yield word[:i] + vowel + word[i + 1 :]


def transpositions(word: str) -> Iterator[str]:
    """The swapped-letter misspellings of ``word`` (the kind injected into the corpus).

    >>> list(transpositions("word"))
    ['wrod', 'wodr']
    """
    for i in range(1, len(word) - 1):
        if word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _candidates(words: Sequence[str], known: frozenset[str]) -> dict[str, str]:
    """Non-word misspelling -> its word, dropping misspellings shared by two words."""
    found: dict[str, str] = {}
    clash: set[str] = set()
    for word in words:
        for wrong in dict.fromkeys(variants(word)):
            if wrong == word or wrong in known or wrong in clash:
                continue
            previous = found.get(wrong)
            if previous is None:
                found[wrong] = word
            elif previous != word:
                del found[wrong]
                clash.add(wrong)
    return found


@cache
def misspellings(count: int, seed: int = 1) -> tuple[Pair, ...]:
    """``count`` distinct entries, the ``INJECTED`` corpus errors first (see module doc)."""
    rng = random.Random(f"glossary:{seed}")
    known = lexicon()
    words = [w for w in top_words(SOURCE_WORDS) if _PLAIN.fullmatch(w)]
    found = _candidates(words, known)
    # Injected errors: swapped letters in common content words (rank 300..3,000, 6+ letters).
    common = [w for w in words[300:3000] if len(w) >= 6]
    rng.shuffle(common)
    injected: list[Pair] = []
    for word in common:
        options = [w for w in transpositions(word) if found.get(w) == word]
        if options:
            injected.append(Pair(rng.choice(options), word))
        if len(injected) == INJECTED:
            break
    taken = {p.wrong for p in injected}
    rest = [Pair(wrong, right) for wrong, right in found.items() if wrong not in taken]
    rng.shuffle(rest)
    pairs = (injected + rest)[:count]
    if len(pairs) < count:
        raise ValueError(f"only {len(pairs)} misspellings available, {count} asked")
    return tuple(pairs)


def write_cleantext(path: Path, pairs: Sequence[Pair]) -> Path:
    """cleantext glossary CSV: ``wrong,right,case,when,unless,confidence,note``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["wrong", "right", "case", "when", "unless", "confidence", "note"])
        writer.writerows([p.wrong, p.right, "preserve", "", "", "auto", ""] for p in pairs)
    return path


def write_codespell(path: Path, pairs: Sequence[Pair]) -> Path:
    """codespell ``-D`` dictionary: ``wrong->right``, one a line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{p.wrong}->{p.right}\n" for p in pairs), encoding="utf-8")
    return path


def write_typos(path: Path, pairs: Sequence[Pair]) -> Path:
    """typos config adding the entries to its builtin dictionary (``extend-words``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["[default.extend-words]"]
    lines += [f"{json.dumps(p.wrong)} = {json.dumps(p.right)}" for p in pairs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_peers(folder: Path, pairs: Sequence[Pair]) -> dict[str, Path]:
    """The peers' dictionaries of ``pairs`` under ``folder``, by tool: codespell's ``-D``
    file and typos' config."""
    n = len(pairs)
    return {
        "codespell": write_codespell(folder / f"codespell-{n}.txt", pairs),
        "typos": write_typos(folder / f"typos-{n}.toml", pairs),
    }
