"""lexicon reads wordfreq's file itself; it must give exactly what wordfreq's API gives.
Its token set is kept in the cache folder, and a cache file that cannot be trusted or
written is done without."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import wordfreq

from cleantext import cachedir, lexicon, native
from support import SEEDS


def test_frequencies_equal_wordfreq_api() -> None:
    assert lexicon.frequencies() == wordfreq.get_frequency_dict("en", wordlist="large")


def test_top_words_equal_wordfreq_api() -> None:
    assert lexicon.top_words(30000) == wordfreq.top_n_list("en", 30000)


def test_zipf_matches_wordfreq_scale() -> None:
    for word in ("the", "account", "kratzios", "Government"):
        expected = wordfreq.zipf_frequency(word, "en", wordlist="large")
        assert abs(lexicon.zipf(word) - expected) < 0.01 or expected == 0 == lexicon.zipf(word)


def test_lookup_does_not_import_wordfreq_package() -> None:
    """The point of reading the file directly: no langcodes/ftfy import on the way."""
    code = (
        "import sys; from cleantext import lexicon; lexicon.zipf('the'); "
        "print('wordfreq' in sys.modules, 'langcodes' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ---- the token set's cache file (lexicon.known_tokens; tables from TokenSet.dump)

needs_native = pytest.mark.skipif(native.TOKEN_SET is None, reason="the C extension is not built")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cachedir.ENV, str(folder))
    lexicon.known_tokens.cache_clear()
    yield folder
    lexicon.known_tokens.cache_clear()


def _answers(tokens: object) -> list[tuple[int, int, int]]:
    assert isinstance(tokens, native.TOKEN_SET or type(None)) and tokens is not None
    return [tokens.figures(seed.read_bytes()) for seed in sorted(SEEDS.glob("*.txt"))]


def _unbuildable() -> None:
    raise AssertionError("built, where the cache file should have been read")


@needs_native
def test_the_set_is_kept_in_the_cache_and_read_back(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = lexicon.known_tokens()
    files = list(cache.glob("lexicon-*.tokens"))
    assert len(files) == 1
    lexicon.known_tokens.cache_clear()
    monkeypatch.setattr(lexicon, "_build_tokens", _unbuildable)
    loaded = lexicon.known_tokens()
    assert len(loaded or ()) == len(built or ()) > 200_000
    assert _answers(loaded) == _answers(built)


@needs_native
def test_a_damaged_cache_file_is_built_anew(cache: Path) -> None:
    lexicon.known_tokens()
    (dump,) = cache.glob("lexicon-*.tokens")
    good = dump.read_bytes()
    dump.write_bytes(good[: len(good) // 2])  # a disk that filled up, say
    lexicon.known_tokens.cache_clear()
    assert len(lexicon.known_tokens() or ()) > 200_000
    assert dump.read_bytes() == good


@needs_native
def test_dumps_of_other_word_lists_are_removed(cache: Path) -> None:
    cache.mkdir()
    (cache / "lexicon-0123456789abcdef.tokens").write_bytes(b"an older wordfreq's")
    (cache / "unrelated.txt").write_text("kept")
    lexicon.known_tokens()
    assert [p.name for p in cache.glob("lexicon-*.tokens")] != ["lexicon-0123456789abcdef.tokens"]
    assert len(list(cache.glob("lexicon-*.tokens"))) == 1
    assert (cache / "unrelated.txt").exists()


@needs_native
def test_no_cache_when_turned_off_or_unwritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cachedir.ENV, "")
    assert cachedir.directory() is None
    lexicon.known_tokens.cache_clear()
    assert len(lexicon.known_tokens() or ()) > 200_000
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cachedir.ENV, str(blocker / "cache"))
    lexicon.known_tokens.cache_clear()
    assert len(lexicon.known_tokens() or ()) > 200_000
    assert list(tmp_path.iterdir()) == [blocker]
    lexicon.known_tokens.cache_clear()


def test_the_default_cache_folder_is_the_users(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cachedir.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cachedir.directory() == Path("/somewhere/cache/cleantext")
