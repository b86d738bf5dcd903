"""English word frequencies from wordfreq's bundled data (nothing downloaded at run time).

wordfreq was chosen over symspellpy and pyspellchecker: its 321k-word English list loads
in about 0.1 s and answers dict look-ups, and its Zipf scale separates common words from
rare names well enough to tell "account" (a word) from "Kratzios" (not one).

The list is read straight from the file wordfreq ships (``data/large_en.msgpack.gz``, its
documented "cBpack" format) rather than through ``import wordfreq``: that import pulls in
langcodes, ftfy and regex for language matching and tokenising that cleantext never uses,
and costs a quarter of a second on every command that meets one unknown word. Should the
file ever move or change format, wordfreq's own API is used instead.
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import math
import mmap
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleantext import cachedir, native

if TYPE_CHECKING:
    from cleantext._tokenset import TokenSet

_LIST = "large_en.msgpack.gz"
_DIGITS = re.compile(r"\d[\d.,]+")  # wordfreq's has_digit_sequence (a match at the start)


def _data_file() -> Path | None:
    """wordfreq's English list, found without executing the package's ``__init__``."""
    spec = importlib.util.find_spec("wordfreq")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "data" / _LIST
        if path.is_file():
            return path
    return None


@cache
def _buckets() -> tuple[tuple[str, ...], ...]:
    """The words by frequency band: band ``i`` holds the words at ``-i`` centibels."""
    data = _unpacked(raw=False)
    if data is not None:
        return tuple(tuple(bucket) for bucket in data)
    from wordfreq import get_frequency_list  # the public API, slower to import

    return tuple(tuple(bucket) for bucket in get_frequency_list("en", "large"))


def _unpacked(raw: bool) -> list[list[Any]] | None:
    """The bands as stored, words as bytes with ``raw``; None if the file is not the
    format this reader knows."""
    path = _data_file()
    if path is None:
        return None
    import msgpack  # a dependency of wordfreq, so present wherever wordfreq is

    with gzip.open(path, "rb") as stream:
        data = msgpack.unpack(stream, raw=raw)
    header = data[0] if isinstance(data, list) and data else None
    fields = {k.decode() if isinstance(k, bytes) else k: v for k, v in (header or {}).items()}
    if fields.get("format") not in ("cB", b"cB") or fields.get("version") != 1:
        return None
    return list(data[1:])


@cache
def frequencies() -> dict[str, float]:
    """Word -> probability, exactly as ``wordfreq.get_frequency_dict("en", "large")``."""
    table: dict[str, float] = {}
    for index, bucket in enumerate(_buckets()):
        freq = 10 ** (-index / 100)
        for word in bucket:
            table[word] = freq
    return table


# Bump when the choice of words below changes, so that cached sets are built anew.
_SELECTION = "a-z words, most frequent first, v1"


@cache
def known_tokens() -> TokenSet | None:
    """wordfreq's words of letters a-z only, most frequent first, as a native token set;
    None without the C extension (then callers use ``frequencies``).

    Only such words can equal a token of the unknown-word view (``stats``), and the order
    lets the set keep the commonest in a table that stays in the CPU's cache.

    Building the set takes 0.09 s, paid by every run and every worker of a corpus run, so
    its tables are kept in the cache folder (``cachedir``) and mapped back in (7 ms, and
    the pages are shared by every process that maps them). The file's name holds what it
    was built from; a file that fails the extension's checks is built and written anew,
    and a cache that cannot be written is done without.
    """
    if native.TOKEN_SET is None:
        return None
    path = _dump_path()
    if path is not None:
        loaded = _load_dump(path)
        if loaded is not None:
            return loaded
    built = _build_tokens()
    if path is not None:
        cachedir.store(path, built.dump())
    return built


def _build_tokens() -> TokenSet:
    assert native.TOKEN_SET is not None
    data = _unpacked(raw=True)  # bytes straight from the file: no string made per word
    if data is None:
        words = [w.encode() for w in itertools.chain.from_iterable(_buckets())]
    else:
        words = list(itertools.chain.from_iterable(data))
    # bytes.isalpha and bytes.islower look at ASCII only: together, a-z and nothing else
    return native.TOKEN_SET([w for w in words if w.isalpha() and w.islower()])


def _dump_path() -> Path | None:
    """The cache file for this wordfreq list, this word choice and this dump format."""
    source = _data_file()
    if source is None or native.DUMP_VERSION is None:
        return None
    return cachedir.entry("lexicon", ".tokens", [source], _SELECTION, native.DUMP_VERSION)


def _load_dump(path: Path) -> TokenSet | None:
    assert native.TOKEN_SET is not None
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable, or empty (mmap refuses length 0)
        return None
    try:
        return native.TOKEN_SET.load(mapped)  # holds the map open for the set's life
    except ValueError:  # damaged or foreign: rebuilt and replaced
        mapped.close()
        return None


@cache
def top_words(count: int) -> list[str]:
    """The ``count`` most frequent words, as ``wordfreq.top_n_list("en", count)``."""
    words = (w for w in itertools.chain.from_iterable(_buckets()) if not _DIGITS.match(w))
    return list(itertools.islice(words, count))


def zipf(word: str) -> float:
    """Zipf frequency (log10 per billion words) of ``word``, case-folded; 0 when unknown.

    >>> zipf("the") > 7 and zipf("qxzvb") == 0
    True
    """
    freq = frequencies().get(word.lower(), 0.0)
    return math.log10(freq * 1e9) if freq > 0 else 0.0
