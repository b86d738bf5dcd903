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


def word_lists(longest: int) -> st.SearchStrategy[list[bytes]]:
    return st.lists(WORD | PIECES.filter(lambda w: b" " not in w), min_size=1, max_size=longest)


HAYSTACK = st.lists(PIECES | WORD, max_size=120)


@settings(max_examples=300, deadline=None)
@given(word_lists(20), HAYSTACK)
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


# ---- dump and load: the lexicon's tables kept in a cache file (see lexicon.known_tokens)

M64 = (1 << 64) - 1
HEADER = 80  # ten numbers of 8 bytes: magic, version, order, count, bytes, slots, shorts, ...
SUM_FIELD = 8


def _mix(k: int) -> int:
    k ^= k >> 33
    k = (k * 0xFF51AFD7ED558CCD) & M64
    k ^= k >> 33
    k = (k * 0xC4CEB9FE1A85EC53) & M64
    return k ^ (k >> 33)


def _dump_sum(body: bytes) -> int:
    """The extension's checksum, written out again, to forge dumps that pass it."""
    h = 0x243F6A8885A308D3 ^ len(body)
    for i in range(0, len(body), 8):
        h = ((h ^ int.from_bytes(body[i : i + 8], "little")) * 0x100000001B3) & M64
        h ^= h >> 29
    return _mix(h)


def _field(dump: bytes, index: int) -> int:
    return int.from_bytes(dump[index * 8 : index * 8 + 8], "little")


def _forged(dump: bytes, at: int, value: bytes) -> bytes:
    """``dump`` with ``value`` written at ``at`` and its checksum made right again."""
    data = bytearray(dump)
    data[at : at + len(value)] = value
    data[SUM_FIELD * 8 : SUM_FIELD * 8 + 8] = _dump_sum(bytes(data[HEADER:])).to_bytes(8, "little")
    return bytes(data)


@settings(max_examples=150, deadline=None)
@given(word_lists(40), HAYSTACK)
def test_a_loaded_dump_answers_as_the_set(words: list[bytes], pieces: list[bytes]) -> None:
    assert TokenSet is not None
    built = TokenSet(words)
    loaded = TokenSet.load(built.dump())
    haystack = b" ".join(pieces)
    assert len(loaded) == len(built)
    assert loaded.find(haystack) == built.find(haystack)
    assert loaded.figures(haystack) == built.figures(haystack)
    assert loaded.dump() == built.dump()


def test_the_lexicon_loaded_from_a_dump_answers_as_built() -> None:
    assert TokenSet is not None
    built = lexicon._build_tokens()
    loaded = TokenSet.load(built.dump())
    for seed in sorted(support.SEEDS.glob("*.txt")):
        raw = seed.read_bytes()
        assert loaded.figures(raw) == built.figures(raw)
        spaced = b" " + b" ".join(raw.lower().split()) + b" "
        assert loaded.find(spaced) == built.find(spaced)


def test_a_damaged_or_foreign_dump_is_refused() -> None:
    assert TokenSet is not None
    dump = TokenSet([b"cat", b"dog", b"elephants"]).dump()
    cases = {
        "not a TokenSet dump": [b"", dump[:40], b"x" * len(dump)],
        "wrong length": [dump[:-8], dump + bytes(64)],
        "checksum": [dump[:100] + bytes([dump[100] ^ 1]) + dump[101:]],
        "another version": [_forged(dump, 8, (2).to_bytes(8, "little"))],
    }
    for reason, dumps in cases.items():
        for bad in dumps:
            with pytest.raises(ValueError, match=reason):
                TokenSet.load(bad)
    with pytest.raises(ValueError, match="aligned"):
        TokenSet.load(memoryview(bytearray(b"\0" + dump))[1:])


def test_a_dump_whose_checksum_holds_is_still_bounds_checked() -> None:
    """What a look-up would follow (a word's place, a short word's slot, the count) is
    checked whatever the checksum says, so no file makes the extension read out of bounds."""
    assert TokenSet is not None
    dump = TokenSet([b"cat", b"dog", b"elephants"]).dump()
    nbytes, nslots = _field(dump, 4), _field(dump, 5)
    bytes_at = 128  # each section starts at a multiple of 64 bytes
    slots_at = -(-(bytes_at + nbytes) // 64) * 64
    occupied = next(
        s
        for s in range(nslots)
        if _field(dump[slots_at + 16 * s + 8 :], 0) & 0xFFFFFFFF != 0xFFFFFFFF
    )
    start_at = slots_at + 16 * occupied + 8
    with pytest.raises(ValueError, match="out of bounds"):
        TokenSet.load(_forged(dump, start_at, (nbytes).to_bytes(4, "little")))
    with pytest.raises(ValueError, match="count"):
        TokenSet.load(_forged(dump, 3 * 8, (2).to_bytes(8, "little")))
    indexes_at = -(-(slots_at + 16 * nslots) // 64) * 64
    shorts = _field(dump, 6)
    keys_at = -(-(indexes_at + 4 * nslots) // 64) * 64
    short_slots_at = -(-(keys_at + 8 * shorts) // 64) * 64
    key = next(s for s in range(shorts) if _field(dump[keys_at + 8 * s :], 0) != 0)
    with pytest.raises(ValueError, match="short word out of bounds"):
        TokenSet.load(_forged(dump, short_slots_at + 4 * key, (nslots).to_bytes(4, "little")))
    assert len(TokenSet.load(_forged(dump, 0, dump[:8]))) == 3  # the forging itself is sound
