"""The C extension (``_tokenset.c``) gives exactly the answers of the pure-Python paths it
replaces: Aho-Corasick over space-padded keys for the glossary, and the byte view's word
figures in ``stats``. Texts are long enough to cross the 64-byte blocks the extension's
masks are built in, so the vector and the byte-by-byte paths both run."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import ahocorasick_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import support
from cleantext import config, glossary, lexicon, native, stats

pytestmark = pytest.mark.skipif(
    native.TOKEN_SET is None and os.environ.get("CLEANTEXT_NATIVE") == "0",
    reason="CLEANTEXT_NATIVE=0: the pure-Python paths on purpose",
)

TokenSet = native.TOKEN_SET


def test_the_extension_was_built() -> None:
    """``make install`` compiles it (a C compiler is on every machine README names); a
    missing extension would silently leave every run on the slow path."""
    assert TokenSet is not None


def _ahocorasick(words: list[bytes], haystack: bytes) -> list[tuple[int, int, int]]:
    padded = [b" " + w + b" " for w in words]
    matcher = ahocorasick_rs.BytesAhoCorasick(padded)
    return sorted(matcher.find_matches_as_indexes(haystack, overlapping=True))


WORD = st.binary(min_size=1, max_size=12).filter(lambda w: b" " not in w)
PIECES = st.sampled_from([b" ", b"  ", b"ab", b"abc", b"abcdefghi", b"a\x00", b"\xe2\x80", b"Z"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(WORD | PIECES.filter(lambda w: b" " not in w), min_size=1, max_size=20),
    st.lists(PIECES | WORD, max_size=120),
)
def test_find_reports_what_aho_corasick_reports(words: list[bytes], pieces: list[bytes]) -> None:
    assert TokenSet is not None
    distinct = list(dict.fromkeys(words))
    haystack = b" ".join(pieces)
    assert sorted(TokenSet(distinct).find(haystack)) == _ahocorasick(distinct, haystack)


def test_find_on_long_texts_with_tokens_across_blocks() -> None:
    assert TokenSet is not None
    words = [b"x" * n for n in (1, 7, 8, 9, 63, 64, 65, 130)] + [b"end", b"start"]
    for offset in range(0, 70):
        haystack = b" " * offset + b" ".join(words[::-1]) + b" " + b"x" * 64 + b" end "
        assert sorted(TokenSet(words).find(haystack)) == _ahocorasick(words, haystack)


def test_a_repeated_word_keeps_its_first_index() -> None:
    assert TokenSet is not None
    tokens = TokenSet([b"cat", b"dog", b"cat"])
    assert len(tokens) == 2
    assert tokens.find(b" dog cat ") == [(1, 0, 5), (0, 4, 9)]


def test_bad_words_are_a_type_error() -> None:
    assert TokenSet is not None
    with pytest.raises(TypeError, match="word 1 is not bytes"):
        TokenSet([b"ok", "text"])  # type: ignore[list-item]


VIEW_TEXT = st.lists(
    st.sampled_from(
        [*list("abcdeXYZ ' \n.,-_19"), "’", "é", "ß", "—", "the ", "cat ", "don't ", "qzx "]
    ),
    max_size=400,
).map("".join)


def _pure_figures(plain: bytes) -> tuple[int, int, int]:
    """What ``stats``' pure byte view counts: words, all-a-z tokens, unknown ones."""
    tokens = [t for t in plain.translate(stats._TOKENS).decode("ascii").split() if "X" not in t]
    known = lexicon.frequencies()
    return stats._word_count_bytes(plain), len(tokens), sum(t not in known for t in tokens)


@settings(max_examples=400, deadline=None)
@given(VIEW_TEXT)
def test_figures_are_the_byte_views(text: str) -> None:
    plain = stats._plain(text)
    known = lexicon.known_tokens()
    assert plain is not None and known is not None
    assert known.figures(plain) == _pure_figures(plain)


@pytest.mark.parametrize("name", support.seed_names())
def test_figures_are_the_definitions_on_seeds(name: str) -> None:
    text = (support.SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    plain = stats._plain(text)
    known = lexicon.known_tokens()
    assert plain is not None and known is not None
    assert known.figures(plain) == _pure_figures(plain)
    assert stats.word_figures(text) == (
        stats._word_count_regex(text),
        stats._unknown_share_regex(text),
    )


def test_glossary_hits_are_the_same_with_and_without_the_extension(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(support.SEEDS.glob("*.txt"))]
    entries = config.load().glossary
    assert entries is not None
    native_hits = [entries.find(t) for t in texts]
    monkeypatch.setattr(native, "TOKEN_SET", None)
    pure = glossary.Glossary(entries.entries)
    assert [pure.find(t) for t in texts] == native_hits
    assert sum(map(len, native_hits)) > 50  # the seeds are full of glossary errors


def test_corpus_output_is_the_same_without_the_extension(tmp_path: Path) -> None:
    """The whole run, in child processes: records, figures and edits byte for byte."""
    from corpus_support import copy_seeds, corpus_args

    source = copy_seeds(tmp_path / "in")
    outs = []
    for flag in ("1", "0"):
        out = tmp_path / f"out-{flag}"
        argv = corpus_args(source, out, jobs=1, unsafe=True)
        done = support.run_process(argv, env={"CLEANTEXT_NATIVE": flag})
        assert done.code == 0, done.err
        outs.append(
            [
                json.loads(line)
                for line in itertools.chain.from_iterable(
                    p.read_text(encoding="utf-8").splitlines()
                    for p in sorted(out.glob("shard-*.jsonl"))
                )
            ]
        )
    assert outs[0] == outs[1] and len(outs[0]) == 5


def test_version_says_which_path_the_look_ups_take() -> None:
    for flag, expected in (("1", "native token sets"), ("0", "pure-Python token look-ups")):
        done = support.run_process(["--version"], env={"CLEANTEXT_NATIVE": flag})
        assert done.code == 0 and expected in done.text


def test_find_in_a_set_with_more_short_words_than_its_short_table() -> None:
    """Past the first 16,384 short words, a miss in the compact table is not final: the
    words beyond it are still found, through the full table."""
    assert TokenSet is not None
    letters = b"abcdefghij"
    words = [bytes(letters[int(d)] for d in f"{n:05d}") for n in range(20_000)]
    haystack = b" " + b" ".join([*words[::997], b"zzz", words[-1], b"abcdefghijk"]) + b" "
    found = TokenSet(words).find(haystack)
    assert sorted(found) == _ahocorasick(words, haystack)
    assert {index for index, _, _ in found} >= {19_999, 16_949}  # both past the short table
