"""Properties of the engine, tested with hypothesis.

- apply_edits lands every edit where a naive right-to-left reference puts it, and refuses an
  edit whose span no longer holds the text it matched, or edits that clash;
- resolve leaves no two edits clashing, loses no proposal (every input edit is a winner or
  an alternative of one) and gives the same answer whatever order the edits come in;
- fix is idempotent on text built from the seeds' sentences and the glossary's words.
"""

from __future__ import annotations

import re
from functools import cache, partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import support
from cleantext import config as config_mod
from cleantext import engine
from cleantext.config import Config
from cleantext.engine import fix, propose, propose_and_fix, resolve
from cleantext.model import Confidence, Edit
from cleantext.textops import EditConflictError, LineIndex, apply_edits, non_overlapping

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(alphabet=st.sampled_from(list("ab c\n\r\t.,’“”中文éß😀")), min_size=0, max_size=40)
REPLACEMENTS = st.sampled_from(["", "x", "yz", "中", "\n", "😀😀"])
RULES = st.sampled_from(["r.a", "r.b", "r.c"])
LEVELS = st.sampled_from(list(Confidence))


def naive_apply(text: str, edits: list[Edit]) -> str:
    """The obvious reference: splice each applicable edit in, rightmost first."""
    for edit in sorted(
        (e for e in edits if e.applicable), key=lambda e: (e.start, e.end), reverse=True
    ):
        text = text[: edit.start] + (edit.replacement or "") + text[edit.end :]
    return text


def edit(text: str, start: int, end: int, replacement: str | None, **kw: object) -> Edit:
    return Edit(
        start,
        end,
        text[start:end],
        replacement,
        str(kw.get("rule", "r.a")),
        "term",
        str(kw.get("message", "m")),
        Confidence(str(kw.get("confidence", "auto"))),
    )


@st.composite
def disjoint_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    """A text and edits on it that never clash (insertions included), some not applicable."""
    text = draw(TEXT)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        replacement = draw(st.one_of(REPLACEMENTS, st.none(), st.just(text[start:end])))
        edits.append(edit(text, start, end, replacement, confidence=draw(LEVELS)))
    applicable = [e for e in edits if e.applicable]
    assume(non_overlapping(applicable))
    return text, draw(st.permutations(edits))


@given(disjoint_edits())
@SETTINGS
def test_apply_matches_naive_reference(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    assert apply_edits(text, edits) == naive_apply(text, edits)


@given(disjoint_edits())
@SETTINGS
def test_apply_keeps_untouched_text_at_shifted_offsets(case: tuple[str, list[Edit]]) -> None:
    """Between two applied edits the original text is found exactly where the lengths of
    the earlier replacements say it must be."""
    text, edits = case
    out = apply_edits(text, edits)
    applied = sorted((e for e in edits if e.applicable), key=lambda e: (e.start, e.end))
    shift, pos = 0, 0
    for e in applied:
        assert out[pos + shift : e.start + shift] == text[pos : e.start]
        assert out[e.start + shift : e.start + shift + len(e.replacement or "")] == (
            e.replacement or ""
        )
        shift += len(e.replacement or "") - (e.end - e.start)
        pos = e.end
    assert out[pos + shift :] == text[pos:]


@given(TEXT.filter(lambda t: len(t) > 0), st.data())
@SETTINGS
def test_apply_refuses_stale_span(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    stale = data.draw(st.text(min_size=end - start, max_size=end - start))
    assume(stale != text[start:end])
    bad = Edit(start, end, stale, "X" + stale, "r.a", "term", "m", Confidence.AUTO)
    with pytest.raises(EditConflictError):
        apply_edits(text, [bad])


@given(TEXT.filter(lambda t: len(t) >= 2), st.data())
@SETTINGS
def test_apply_refuses_clashing_edits(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 2))
    end = data.draw(st.integers(start + 1, len(text)))
    inner = data.draw(st.integers(start, end - 1))
    first = edit(text, start, end, "X" * (end - start + 1))
    second = edit(text, inner, end, "Y" * (end - inner + 1), rule="r.b")
    with pytest.raises(EditConflictError):
        apply_edits(text, [first, second])


def test_apply_refuses_text_that_moved() -> None:
    """An edit computed on one text and applied to another that shifted is refused."""
    original = "the quick fox"
    e = edit(original, 4, 9, "slow")
    assert apply_edits(original, [e]) == "the slow fox"
    with pytest.raises(EditConflictError):
        apply_edits("a " + original, [e])


# -- resolve ----------------------------------------------------------------------------------


@st.composite
def any_edits(draw: st.DrawFn) -> list[Edit]:
    """Edits that may clash, repeat each other and come from several rules."""
    text = draw(st.text(alphabet="abcdefgh", min_size=1, max_size=16))
    out = []
    for _ in range(draw(st.integers(0, 10))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 6)))
        out.append(
            edit(
                text,
                start,
                end,
                draw(st.one_of(st.sampled_from(["", "X", "YY"]), st.none())),
                rule=draw(RULES),
                confidence=draw(LEVELS),
                message=draw(st.sampled_from(["m1", "m2"])),
            )
        )
    return out


def flat(edits: list[Edit]) -> list[Edit]:
    """Winners and, recursively, their alternatives."""
    out: list[Edit] = []
    for e in edits:
        out.append(e)
        out.extend(flat(list(e.alternatives)))
    return out


def canonical(edits: list[Edit]) -> list[dict[str, object]]:
    return [e.to_dict() for e in edits]


@given(any_edits())
@SETTINGS
def test_resolve_leaves_no_clash(edits: list[Edit]) -> None:
    winners = resolve(edits)
    assert non_overlapping(winners)
    for i, a in enumerate(winners):
        for b in winners[i + 1 :]:
            assert not a.overlaps(b), (a, b)


@given(any_edits())
@SETTINGS
def test_resolve_short_cut_sees_every_overlap(edits: list[Edit]) -> None:
    """``resolve`` returns the input in order when no two edits overlap, having compared
    only neighbours; that must agree with comparing every pair."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end, e.rule))
    pairs = any(a.overlaps(b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    assert engine._disjoint(ordered) is not pairs


DUPLICATE = [
    Edit(0, 3, "abc", "X", "r.a", "term", "m1", Confidence.AUTO),
    Edit(0, 3, "abc", "X", "r.b", "term", "m1", Confidence.REVIEW),
]


@given(any_edits())
@example(DUPLICATE)
@SETTINGS
def test_resolve_loses_no_proposal(edits: list[Edit]) -> None:
    kept = flat(resolve(edits))
    for e in edits:
        assert any(k == e and k.message == e.message for k in kept), f"lost {e}"


def test_resolve_loser_becomes_alternative() -> None:
    text = "Amnesty International"
    long = edit(text, 0, 21, "AI", rule="glossary.amnesty-international")
    short = edit(text, 8, 21, "Intl", rule="r.b")
    [winner] = resolve([short, long])
    assert winner == long
    assert winner.alternatives == (short,)


SAME_RULE_SAME_SPAN = [
    Edit(0, 3, "abc", "X", "r.a", "term", "m1", Confidence.AUTO),
    Edit(0, 3, "abc", "YY", "r.a", "term", "m1", Confidence.AUTO),
]


@given(any_edits().flatmap(lambda es: st.tuples(st.just(es), st.permutations(es))))
@example((SAME_RULE_SAME_SPAN, SAME_RULE_SAME_SPAN[::-1]))
@SETTINGS
def test_resolve_ignores_input_order(case: tuple[list[Edit], list[Edit]]) -> None:
    edits, shuffled = case
    assert canonical(resolve(shuffled)) == canonical(resolve(edits))


# -- fix is idempotent --------------------------------------------------------------------------


@cache
def bundled() -> Config:
    return config_mod.load()


@cache
def seed_sentences() -> list[str]:
    found: list[str] = []
    for path in sorted(support.SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found.extend(s for s in re.split(r"(?<=[.!?”])\s+", text) if 3 <= len(s) <= 300)
    return found


@cache
def glossary_words() -> list[str]:
    glossary = bundled().glossary
    assert glossary is not None
    words = {e.wrong or e.right for e in glossary.entries}
    variants = {v for w in words for v in (w, w.lower(), w.upper(), w.title())}
    return sorted(variants)


@st.composite
def documents(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(
            st.one_of(st.sampled_from(seed_sentences()), st.sampled_from(glossary_words())),
            min_size=1,
            max_size=10,
        )
    )
    out = []
    for piece in pieces:
        out.append(piece)
        out.append(draw(st.sampled_from([" ", "  ", "\n", "\n\n", "\r\n", " the ", ". "])))
    return "".join(out)


# Derandomized: the examples are the same on every run, so that the suite is not flaky;
# the cases where one repair creates the next are pinned below (fix runs to a fixed point).
IDEMPOTENT = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@given(documents())
@IDEMPOTENT
def test_fix_is_idempotent(text: str) -> None:
    once, _ = fix(text, bundled())
    twice, applied = fix(once, bundled())
    assert twice == once, [(e.rule, e.original, e.replacement) for e in applied]


@given(documents())
@IDEMPOTENT
def test_fix_unsafe_is_idempotent(text: str) -> None:
    once, _ = fix(text, bundled(), unsafe=True)
    twice, applied = fix(once, bundled(), unsafe=True)
    assert twice == once, [(e.rule, e.original, e.replacement) for e in applied]


CHAINED_REPAIRS = [
    # the share prompt goes, and the words on either side of it meet: "the the"
    (
        "He said the Please express your opinion by clicking on the [Up/Down] buttons below. "
        "the report was wrong.",
        False,
    ),
    # Lee Qiang becomes Li Qiang, and now equals the next line: a repeated caption
    ("Lee Qiang\nLI QIANG\nChina and the US met.", False),
    # the stray full stop goes, and the brand now stands before the person: possessive
    ("Sales rose. YouTube. elon musk said so.", True),
]


@pytest.mark.parametrize(("text", "unsafe"), CHAINED_REPAIRS)
def test_fix_is_idempotent_when_repairs_chain(text: str, unsafe: bool) -> None:
    once, _ = fix(text, bundled(), unsafe=unsafe)
    assert fix(once, bundled(), unsafe=unsafe)[0] == once


@given(documents(), st.booleans())
@IDEMPOTENT
def test_fix_reports_a_replayable_plan(text: str, unsafe: bool) -> None:
    """ftfy's habit: the edits fix reports, replayed on the original, give its output."""
    cleaned, applied = fix(text, bundled(), unsafe=unsafe)
    assert apply_edits(text, applied) == cleaned
    assert all(e.applicable and text[e.start : e.end] == e.original for e in applied)


@pytest.mark.parametrize("name", support.seed_names())
def test_fix_is_idempotent_on_seeds(name: str) -> None:
    text = (support.SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    for unsafe in (False, True):
        once, _ = fix(text, bundled(), unsafe=unsafe)
        assert fix(once, bundled(), unsafe=unsafe)[0] == once


def test_building_the_rules_is_deterministic() -> None:
    """Vale's check: the same packs built again give the same proposals, in the same order."""
    text = (support.SEEDS / sorted(support.SEEDS.glob("*.txt"))[3].name).read_text("utf-8")
    first = canonical(resolve(_detect(text, bundled())))
    for _ in range(5):
        assert canonical(resolve(_detect(text, config_mod.load()))) == first


def _detect(text: str, cfg: Config) -> list[Edit]:
    from cleantext.engine import detect

    return detect(text, cfg.checks, cfg.glossary)


def _both(text: str, unsafe: bool) -> tuple[list[dict[str, object]], str, list[dict[str, object]]]:
    proposals = propose(text, bundled())
    cleaned, applied = fix(text, bundled(), unsafe=unsafe)
    return [e.to_dict() for e in proposals], cleaned, [e.to_dict() for e in applied]


def _fused(text: str, unsafe: bool) -> tuple[list[dict[str, object]], str, list[dict[str, object]]]:
    proposals, cleaned, applied = propose_and_fix(text, bundled(), unsafe=unsafe)
    return [e.to_dict() for e in proposals], cleaned, [e.to_dict() for e in applied]


@given(documents(), st.booleans())
@IDEMPOTENT
def test_one_detection_gives_what_propose_and_fix_give(text: str, unsafe: bool) -> None:
    assert _fused(text, unsafe) == _both(text, unsafe)


@pytest.mark.parametrize("unsafe", [False, True])
def test_one_detection_gives_what_propose_and_fix_give_on_real_articles(unsafe: bool) -> None:
    files = [*support.SEEDS.glob("*.txt"), *(support.DATA / "garbled").glob("*.txt")]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _fused(text, unsafe) == _both(text, unsafe), path.name


@given(st.text(alphabet="ab\n\r ", max_size=40), st.data())
def test_line_index_counts_lines_as_a_reader_does(text: str, data: st.DataObject) -> None:
    """Line and column of an offset: lines before it (\\n-separated) and distance from the
    last break; what every `FILE:LINE:COL` in check's output rests on."""
    offset = data.draw(st.integers(0, len(text)))
    line, column = LineIndex(text).position(offset)
    assert line == text.count("\n", 0, offset) + 1
    assert column == offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_write_behind_runs_jobs_in_order_and_raises_at_the_end() -> None:
    """Jobs run one after another in submission order, at most ``depth`` wait, and a job's
    error is raised to the caller (at the next submit or when the block ends)."""
    from cleantext.errors import WriteError
    from cleantext.textops import WriteBehind

    done: list[int] = []
    with WriteBehind(depth=2) as writes:
        for n in range(20):
            writes.submit(partial(done.append, n))
    assert done == list(range(20))

    def fail() -> None:
        raise WriteError("x.txt", "cannot be written: disk full")

    with pytest.raises(WriteError, match="disk full"), WriteBehind() as writes:
        writes.submit(fail)


@given(st.text(alphabet="ab\n", max_size=30), st.lists(st.integers(0, 30), max_size=6))
def test_positions_agree_with_the_line_index(text: str, raw: list[int]) -> None:
    """The incremental line counter of check's output, sorted or not, against LineIndex."""
    from cleantext.textops import positions

    offsets = [min(o, len(text)) for o in raw]
    index = LineIndex(text)
    assert positions(text, offsets) == [index.position(o) for o in offsets]


LONG_TAIL = " ".join(f"word{n}" for n in range(20))
CROSSING = [
    # the repair opens a line; the phrase it completes began on the line before
    (
        f"He said Amnesty\nInternatoinal agreed, {LONG_TAIL}.\n",
        f"He said AI agreed, {LONG_TAIL}.\n",
    ),
    # the repair closes a line; the phrase it completes ends on the next one
    (f"{LONG_TAIL} and Leee\nQiang spoke.\n", f"{LONG_TAIL} and Li Qiang spoke.\n"),
    # deep inside a long line: its own line is all the recheck needs
    (f"{LONG_TAIL} Amnesty Internatoinal {LONG_TAIL}\n", f"{LONG_TAIL} AI {LONG_TAIL}\n"),
]


@pytest.mark.parametrize(("text", "expected"), CROSSING)
def test_recheck_finds_a_phrase_across_a_line_break(
    tmp_path: Path, text: str, expected: str
) -> None:
    """fix's second look covers a change's own lines, and the neighbouring line when the
    change is a few words from the break: a glossary phrase completed by the first pass
    across a line break is still found, and the result is a fixed point."""
    rows = [
        "wrong,right,case,when,unless,confidence,note",
        "Internatoinal,International,,,,auto,",
        "Leee,Lee,,,,auto,",
        "Amnesty International,AI,exact,,,auto,",
        "Lee Qiang,Li Qiang,exact,,,auto,",
    ]
    path = tmp_path / "glossary.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cfg = config_mod.load(glossary=path, rules="none")
    once, _ = fix(text, cfg)
    assert once == expected
    assert fix(once, cfg)[0] == once
