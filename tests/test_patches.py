"""Patches: accepted edits exported as diff-match-patch and unified patches, re-applied to the
same file (every hunk applies, the result is `fix`'s output) and to a file that has changed a
little since (every hunk that still fits applies; the others are named with their line and
leave their region alone). The CLI's `apply` runs for real on files on disk."""

from __future__ import annotations

import codecs
import random
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

import support
from cleantext import config, document, engine, patches
from cleantext.model import Confidence, Edit
from cleantext.textops import apply_edits

FORMATS = ("dmp", "unified")
SEED = "003_3ef16e2790e2e6b0"


@cache
def cfg() -> config.Config:
    return config.load(None, None, True)


@cache
def fixed(name: str) -> tuple[str, str, tuple[Edit, ...]]:
    text = document.load(support.SEEDS / f"{name}.txt").text
    cleaned, applied = engine.fix(text, cfg(), unsafe=True)
    return text, cleaned, tuple(applied)


def export(fmt: str, original: str, cleaned: str, applied: tuple[Edit, ...]) -> str:
    if fmt == "dmp":
        return patches.dmp_patch(original, applied)
    return patches.unified_diff(original, cleaned, "seed.txt")


def rewrite(text: str, changes: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """``text`` with each ``old`` (found once) replaced by ``new``, and the spans replaced
    (in ``text``'s offsets)."""
    spans = []
    for old, new in changes:
        assert text.count(old) == 1, old
        start = text.index(old)
        spans.append((start, start + len(old), new))
    out = text
    for start, end, new in sorted(spans, reverse=True):
        out = out[:start] + new + out[end:]
    return out, sorted(spans)


def shifted(edits: list[Edit], changes: list[tuple[int, int, str]]) -> list[Edit]:
    """Edits moved to where they are after ``changes`` (which none of them overlaps)."""
    out = []
    for edit in edits:
        delta = 0
        for start, end, new in changes:
            assert edit.end <= start or edit.start >= end, (edit, start, end)
            if edit.start >= end:
                delta += len(new) - (end - start)
        out.append(replace(edit, start=edit.start + delta, end=edit.end + delta))
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", support.seed_names())
def test_a_patch_applied_to_its_own_seed_gives_the_fixed_text(fmt: str, name: str) -> None:
    original, cleaned, applied = fixed(name)
    patch = export(fmt, original, cleaned, applied)
    result, report = patches.apply_patch(patch, original)
    assert result == cleaned
    assert report.results and not report.failed


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_sentences_changed_apply_what_fits_and_name_what_does_not(fmt: str) -> None:
    original, cleaned, applied = fixed(SEED)
    patch = export(fmt, original, cleaned, applied)
    target, (first, second) = rewrite(
        original,
        [
            # 1: an editor reworded the sentence an edit was in; the edited words are gone
            ("A Financial Times report Last week, it revealed", "The Financial Times said"),
            # 2: a sentence reworded right beside an edit, which itself still fits
            ("“The advanced", "“The most advanced"),
        ],
    )
    lost = [e for e in applied if first[0] <= e.start < first[1]]
    assert [e.original for e in lost] == ["Last week"]
    kept = [e for e in applied if e not in lost]

    result, report = patches.apply_patch(patch, target)

    assert [r.applied for r in report.results].count(False) == 1
    failed = report.failed[0]
    assert "'Last" in failed.text
    assert failed.reason
    assert failed.line == target[: target.index("The Financial Times said")].count("\n") + 1
    assert len(report.applied) == len(report.results) - 1
    assert result == apply_edits(target, shifted(kept, [first, second]))
    assert "The most advanced AI compute" in result  # the hunk beside sentence 2 applied
    assert "The Financial Times said that the advanced B200" in result  # sentence 1 untouched


@pytest.mark.parametrize("fmt", FORMATS)
def test_hunks_are_found_after_the_text_moved(fmt: str) -> None:
    original, cleaned, applied = fixed(SEED)
    patch = export(fmt, original, cleaned, applied)
    preface = "Editor's note: this article was updated.\nA second line of notes.\n" * 3
    result, report = patches.apply_patch(patch, preface + original)
    assert not report.failed
    assert result == preface + cleaned


def test_a_hunk_whose_text_was_rewritten_leaves_that_region_alone() -> None:
    original = "Premier Lee Qiang spoke.\n" + "Filler sentence here.\n" * 5 + "Openai won.\n"
    edits = [
        Edit(8, 17, "Lee Qiang", "Li Qiang", "r.name", "name", "", Confidence.AUTO),
        Edit(
            len(original) - 12,
            len(original) - 6,
            "Openai",
            "OpenAI",
            "r.case",
            "casing",
            "",
            Confidence.AUTO,
        ),
    ]
    patch = patches.dmp_patch(original, edits)
    target = original.replace("Lee Qiang", "Lee Qing")  # a near miss: must not be "fixed"
    result, report = patches.apply_patch(patch, target)
    assert [r.applied for r in report.results] == [False, True]
    assert report.failed[0].line == 1
    assert result == target.replace("Openai", "OpenAI")


def test_unified_diff_of_a_last_line_without_newline_round_trips() -> None:
    original = "one\r\ntwo\r\nthree Openai"
    cleaned = "one\r\ntwo\r\nthree OpenAI"
    diff = patches.unified_diff(original, cleaned, "x.txt")
    assert "\\ No newline at end of file" in diff
    result, report = patches.apply_patch(diff, original)
    assert result == cleaned and not report.failed


def test_malformed_patches_are_input_errors_with_a_line() -> None:
    from cleantext.errors import InputError

    with pytest.raises(InputError) as bad_header:
        patches.parse("@@ -1,3 +1,3 @@\n hello\n@@ nonsense @@\n", "p.patch")
    assert bad_header.value.line == 3
    with pytest.raises(InputError) as short:
        patches.parse("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n", "p.diff")
    assert short.value.line == 3
    with pytest.raises(InputError) as stray:
        patches.parse("@@ -1,3 +1,3 @@\n hello\nplain text\n", "p.patch")
    assert stray.value.line == 3


def test_the_empty_patch_of_a_clean_document_applies_as_nothing(tmp_path: Path) -> None:
    source = write(tmp_path / "a.txt", b"Nothing to fix here.\r\n")
    made = support.run(["render", str(source), "--template", "patch"])
    assert made.code == 0 and made.out == b""
    patch = write(tmp_path / "a.patch", made.out)
    done = support.run(["apply", str(patch), str(source)])
    assert done.code == 0 and done.out == source.read_bytes()
    assert "0 of 0 hunks" in done.err


# --- the command -----------------------------------------------------------------------------


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("fmt", ["patch", "unified"])
def test_apply_command_reports_failed_hunks_and_exits_1(tmp_path: Path, fmt: str) -> None:
    seed = support.SEEDS / f"{SEED}.txt"
    made = support.run(["render", str(seed), "--template", fmt, "--unsafe"])
    assert made.code == 0, made.err
    patch = write(tmp_path / f"seed.{fmt}", made.out)
    text = seed.read_text(encoding="utf-8")
    changed = text.replace("Chinese Prime Minister Lee Qiang", "Premier Li Keqiang")
    target = write(tmp_path / "article.txt", changed.encode("utf-8"))
    before = target.read_bytes()

    done = support.run(["apply", str(patch), str(target), "--write"])

    assert done.code == 1
    failed = [line for line in done.err.splitlines() if "not applied" in line]
    assert len(failed) == 1
    assert "'Lee" in failed[0] and f"{target}:2:" in failed[0]
    assert "hunks applied" in done.err.splitlines()[-1]
    assert (tmp_path / "article.txt.orig").read_bytes() == before
    after = target.read_text(encoding="utf-8")
    assert "Premier Li Keqiang opened" in after and "AI compute" in after


def test_apply_command_keeps_bom_and_crlf_and_exits_0(tmp_path: Path) -> None:
    body = "Openai said so.\r\nThe rest stays.\r\nNo newline at the end"
    source = write(tmp_path / "a.txt", codecs.BOM_UTF8 + body.encode("utf-8"))
    made = support.run(["render", str(source), "--template", "patch"])
    assert made.code == 0 and made.out
    patch = write(tmp_path / "a.patch", made.out)
    done = support.run(["apply", str(patch), str(source), "--out", str(tmp_path / "b.txt")])
    assert done.code == 0, done.err
    fixed_bytes = support.run(["fix", str(source)]).out
    assert (tmp_path / "b.txt").read_bytes() == fixed_bytes
    assert fixed_bytes.startswith(codecs.BOM_UTF8) and b"OpenAI said so.\r\n" in fixed_bytes


def test_apply_command_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    target = write(tmp_path / "a.txt", b"text\n")
    bad = write(tmp_path / "bad.patch", b"@@ -1,4 +1,4 @@\n x\n@@ nonsense\n")
    done = support.run_process(["apply", str(bad), str(target)])
    assert done.code == 2
    assert done.err.count("\n") == 1 and f"{bad}:3:" in done.err
    assert "Traceback" not in done.err
    missing = support.run(["apply", str(tmp_path / "none.patch"), str(target)])
    assert missing.code == 2 and "no such file" in missing.err


@pytest.mark.parametrize("fmt", FORMATS)
def test_random_edits_on_repetitive_text_round_trip(fmt: str) -> None:
    """Repetitive text is where a patch could land on the wrong copy of its context."""
    rng = random.Random(11)
    words = ["the", "AI", "account", "said", ".", "\n", "\r\n", " ", "é", "Openai"]
    for _ in range(150):
        text = "".join(rng.choice(words) + rng.choice(["", " "]) for _ in range(120))
        cuts = sorted(rng.sample(range(len(text) + 1), 2 * rng.randint(1, 6)))
        edits = [
            Edit(
                a,
                b,
                text[a:b],
                rng.choice(["", "X", "compute", "\n"]),
                "r",
                "term",
                "",
                Confidence.AUTO,
            )
            for a, b in zip(cuts[::2], cuts[1::2], strict=True)
        ]
        edits = [e for e in edits if e.applicable]
        cleaned = apply_edits(text, edits)
        patch = export(fmt, text, cleaned, tuple(edits))
        result, report = patches.apply_patch(patch, text)
        assert not report.failed, (text, edits)
        assert result == cleaned
