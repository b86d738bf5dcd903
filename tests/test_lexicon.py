"""lexicon reads wordfreq's file itself; it must give exactly what wordfreq's API gives."""

from __future__ import annotations

import subprocess
import sys

import wordfreq

from cleantext import lexicon


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
