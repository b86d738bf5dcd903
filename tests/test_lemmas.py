"""The parts-of-speech table (``cleantext.lemmas``): lemminflect's own answers for every
word it knows, kept in the cache folder, read back without building, built anew when
damaged, and lemminflect asked directly when there is no cache folder."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from lemminflect import getAllLemmas
from lemminflect.core.Lemmatizer import Lemmatizer

from cleantext import cachedir, lemmas


def _clear() -> None:
    lemmas._table.cache_clear()
    lemmas._answer.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cachedir.ENV, str(folder))
    _clear()
    yield folder
    _clear()


def _words() -> list[str]:
    lemmatizer = Lemmatizer()
    known = set(lemmatizer._getLemmaDict()) | set(lemmatizer._getOverridesDict())
    return [*sorted(known), "qxzvbn", "Running", "RAN", "geosus", "Trump's", ""]


def test_every_answer_is_lemminflects(cache: Path) -> None:
    words = _words()
    assert len(words) > 60_000
    for word in words:
        expected = getAllLemmas(word.lower())
        assert lemmas.readings(word) == frozenset(expected), word
        assert lemmas.verb_lemmas(word) == tuple(expected.get("VERB", ())), word
    assert len(list(cache.glob("lemmas-*.marshal"))) == 1


def _unbuildable() -> dict[str, str]:
    raise AssertionError("built, where the cache file should have been read")


def test_the_table_is_read_back_from_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lemmas.readings("achieve") == {"VERB"}
    _clear()
    monkeypatch.setattr(lemmas, "_build", _unbuildable)
    assert lemmas.readings("achieve") == {"VERB"}
    assert lemmas.verb_lemmas("achieved") == ("achieve",)


def test_a_damaged_cache_file_is_built_anew(cache: Path) -> None:
    lemmas.readings("run")
    (table,) = cache.glob("lemmas-*.marshal")
    good = table.read_bytes()
    table.write_bytes(good[: len(good) // 3])  # a disk that filled up, say
    _clear()
    assert lemmas.readings("run") == {"NOUN", "VERB"}
    assert table.read_bytes() == good


def test_tables_of_other_lexicons_are_removed(cache: Path) -> None:
    cache.mkdir()
    (cache / "lemmas-0123456789abcdef.marshal").write_bytes(b"an older lemminflect's")
    (cache / "unrelated.txt").write_text("kept")
    lemmas.readings("run")
    assert [p.name for p in cache.glob("lemmas-*")] != ["lemmas-0123456789abcdef.marshal"]
    assert len(list(cache.glob("lemmas-*"))) == 1
    assert (cache / "unrelated.txt").exists()


def test_without_a_cache_folder_lemminflect_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cachedir.ENV, "")
    _clear()
    monkeypatch.setattr(lemmas, "_build", _unbuildable)
    assert lemmas.readings("Achieve") == {"VERB"}
    assert lemmas.verb_lemmas("ran") == ("run",)
    _clear()


def test_a_warm_cache_spares_importing_lemminflect(cache: Path) -> None:
    """The point of the table: a command that finds it never imports lemminflect (nor
    numpy, which lemminflect imports)."""
    lemmas.readings("run")  # builds the cache file
    probe = (
        "import sys\nfrom cleantext import lemmas\n"
        "assert lemmas.readings('run') == {'NOUN', 'VERB'}\n"
        "print('lemminflect' in sys.modules, 'numpy' in sys.modules)"
    )
    env = {**os.environ, cachedir.ENV: str(cache)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]
