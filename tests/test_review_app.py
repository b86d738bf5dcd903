"""The review app driven by Textual's Pilot: every key of the issue, on a real file, with
the real engine; kill-and-resume and glossary learning checked on disk and through `check`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Select

from cleantext import config
from cleantext.review.app import FilterScreen, HelpScreen, ReviewApp, ReviewScreen, create_app
from cleantext.review.state import ReviewState, state_path
from cleantext.review.widgets import (
    CONFIDENCE_STYLE,
    DocList,
    DocumentView,
    StatusBar,
    document_text,
)
from support import run as cli

TEXT = (
    "Chinese Prime Minister Lee Qiang praised Openai at the conference.\n"
    "\n"
    "The open force ecosystem grew fast, and Lee Qiang said the the plan was hopeful thinking.\n"
    "Smred in the banning of chips, the year tense in Shanghai ended.\n"
)
# what the engine proposes for TEXT, in order (checked by the first test)
RULES = [
    "glossary.lee-qiang",
    "casing.names",
    "glossary.open-force",
    "glossary.lee-qiang",
    "repetition.doubled-word",
    "glossary.hopeful-thinking",
    "spelling.non-word",
    "fragments.postposed-adjective",
]

Steps = Callable[[Pilot[None], ReviewApp], Awaitable[None]]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def make(*paths: Path, **options: object) -> ReviewApp:
    return create_app(list(paths), config.load(None, None), **options)  # type: ignore[arg-type]


def drive(app: ReviewApp, steps: Steps, size: tuple[int, int] = (80, 24)) -> None:
    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(pilot, app)

    asyncio.run(go())


def screen(app: ReviewApp) -> ReviewScreen:
    return app.review


def state(app: ReviewApp) -> ReviewState:
    return app.states[0]


def current_rule(app: ReviewApp) -> str:
    edit = screen(app).current
    assert edit is not None
    return edit.rule


def verdicts(app: ReviewApp) -> list[str | None]:
    s = state(app)
    return [None if s.decision(i) is None else s.decision(i).verdict for i in range(len(RULES))]  # type: ignore[union-attr]


def journal_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in state_path(path).read_text(encoding="utf-8").splitlines()]


async def goto(pilot: Pilot[None], app: ReviewApp, rule: str) -> None:
    for _ in range(len(RULES)):
        if current_rule(app) == rule:
            return
        await pilot.press("j")
    raise AssertionError(f"{rule} not reached")


def test_layout_at_80x24_shows_documents_counts_highlights_and_keys(
    article: Path, tmp_path: Path
) -> None:
    second = tmp_path / "second.txt"
    second.write_text("He praised Openai today.\n", encoding="utf-8")

    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        assert [e.rule for e in state(app).proposals] == RULES
        docs = app.screen.query_one(DocList)
        assert docs.option_count == 2
        assert "8 open · 0 done" in str(docs.get_option_at_index(0).prompt)
        assert "Openai" in str(app.screen.query_one(DocumentView).render())
        styles = {str(span.style) for span in document_text(state(app), 0).spans}
        assert CONFIDENCE_STYLE["auto"] in styles and CONFIDENCE_STYLE["flag"] in styles
        assert "0/8 decided, 8 open" in str(app.screen.query_one(StatusBar).render())
        footer = " ".join(b.binding.key for b in app.screen.active_bindings.values())
        assert all(k in footer for k in ("y", "n", "e", "u", "w", "question_mark"))
        await pilot.press("right_square_bracket")
        assert screen(app).state.name == "second.txt"

    drive(make(article, second), steps)


def test_accept_and_reject_journal_at_once_and_move_on(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("y")
        assert current_rule(app) == "casing.names"
        await pilot.press("n")
        assert verdicts(app)[:3] == ["accept", "reject", None]
        records = journal_lines(article)
        assert [r["items"][0]["verdict"] for r in records] == ["accept", "reject"]  # type: ignore[index]
        assert "2/8 decided, 6 open" in str(app.screen.query_one(StatusBar).render())

    drive(make(article), steps)


def test_edit_replacement_inline_then_accept(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("e")
        box = app.screen.focused
        assert box is not None and getattr(box, "value", None) == "Li Qiang"
        await pilot.press(*["backspace"] * 8, *"Li Keqiang", "enter")
        decision = state(app).decision(0)
        assert decision is not None and decision.typed
        assert decision.edit.replacement == "Li Keqiang"
        assert app.screen.focused is None  # keys go back to the review

    drive(make(article), steps)


def test_a_flag_is_answered_by_typing_a_fix(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await goto(pilot, app, "spelling.non-word")
        await pilot.press("y")  # a flag has no fix to accept
        assert state(app).decision(6) is None
        await pilot.press("e", *["backspace"] * 5, *"Stirred", "enter")
        await pilot.press("w")
        assert "Stirred in the banning" in article.read_text(encoding="utf-8")

    drive(make(article), steps)


def test_choose_an_alternative(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await goto(pilot, app, "fragments.postposed-adjective")
        await pilot.press("a", "y")
        decision = state(app).decision(7)
        assert decision is not None and decision.edit.rule == "glossary.year-tense"
        await pilot.press("w")
        assert "the tense year in Shanghai" in article.read_text(encoding="utf-8")

    drive(make(article), steps)


def test_accept_or_reject_every_open_proposal_of_a_rule(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("A")
        assert verdicts(app)[0] == verdicts(app)[3] == "accept"
        assert verdicts(app).count(None) == 6
        await pilot.press("u")  # one step undoes the whole batch
        assert verdicts(app).count(None) == 8
        await goto(pilot, app, "glossary.hopeful-thinking")
        await pilot.press("N")
        assert verdicts(app)[5] == "reject"

    drive(make(article), steps)


def test_skip_next_previous(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("s")
        assert current_rule(app) == "casing.names" and verdicts(app).count(None) == 8
        await pilot.press("j", "down")
        assert screen(app).shown.index == 3
        await pilot.press("k", "up", "up")
        assert screen(app).shown.index == 0
        await pilot.press("up")  # wraps to the last
        assert screen(app).shown.index == 7

    drive(make(article), steps)


def test_undo_and_redo_several_steps(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("y", "y", "n")
        await pilot.press("u", "u")
        assert verdicts(app)[:3] == ["accept", None, None]
        await pilot.press("ctrl+r")
        assert verdicts(app)[:3] == ["accept", "accept", None]
        await pilot.press("ctrl+r")
        assert verdicts(app)[:3] == ["accept", "accept", "reject"]

    drive(make(article), steps)


def test_filters_by_category_rule_and_confidence(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("f")
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-confidence", Select).value = "flag"
        await pilot.click("#filter-apply")
        await pilot.pause()
        seen = set()
        for _ in range(4):
            seen.add(current_rule(app))
            await pilot.press("j")
        assert seen == {"spelling.non-word", "fragments.postposed-adjective"}
        assert "filter: flag" in str(app.screen.query_one(StatusBar).render())
        await pilot.press("f")
        app.screen.query_one("#filter-rule", Select).value = "glossary.lee-qiang"
        app.screen.query_one("#filter-confidence", Select).clear()
        await pilot.click("#filter-apply")
        await pilot.pause()
        await pilot.press("j", "j")
        assert current_rule(app) == "glossary.lee-qiang"
        await pilot.press("f")
        app.screen.query_one("#filter-category", Select).value = "spelling"
        await pilot.click("#filter-clear")
        await pilot.pause()
        assert not screen(app).filter.active

    drive(make(article), steps)


def test_help_opens_and_closes(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("y")  # review keys do nothing under the help
        assert verdicts(app).count(None) == 8
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)

    drive(make(article), steps)


def test_killed_session_resumes_where_the_editor_stopped(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("y", "n", "e", *["backspace"] * 11, *"open source", "enter")
        # while this app still runs (no shutdown, as after a kill), a fresh app reads it back
        fresh = make(article)

        async def check(pilot2: Pilot[None], app2: ReviewApp) -> None:
            assert verdicts(app2)[:3] == ["accept", "reject", "accept"]
            assert state(app2).decision(2).edit.replacement == "open source"  # type: ignore[union-attr]
            assert screen(app2).shown.index == 3  # the first open proposal

        async with fresh.run_test(size=(80, 24)) as pilot2:
            await pilot2.pause()
            await check(pilot2, fresh)

    drive(make(article), steps)


def test_changed_source_shows_stale_decisions(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("y", "y", "y")

    drive(make(article), steps)
    article.write_text(
        "New lead paragraph.\n\n" + TEXT.replace("open force", "open-source"), encoding="utf-8"
    )

    async def reopened(pilot: Pilot[None], app: ReviewApp) -> None:
        assert len(state(app).stale) == 1
        assert "1 stale (not applied)" in str(app.screen.query_one(StatusBar).render())
        assert "stale: accept glossary.open-force" in str(
            app.screen.query_one(DocumentView).render()
        )
        await pilot.press("w")
        text = article.read_text(encoding="utf-8")
        assert "Li Qiang praised OpenAI" in text and "open-source ecosystem" in text

    drive(make(article), reopened)


def test_save_writes_atomically_and_keeps_the_original(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("y", "y", "n", "y", "y", "w")

    drive(make(article), steps)
    expected = (
        TEXT.replace("Lee Qiang", "Li Qiang")
        .replace("Openai", "OpenAI")
        .replace("said the the plan", "said the plan")
    )
    assert article.read_text(encoding="utf-8") == expected
    assert Path(str(article) + ".orig").read_text(encoding="utf-8") == TEXT


def test_no_backup_keeps_no_orig(article: Path) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("y", "w")

    drive(make(article, backup=False), steps)
    assert article.read_text(encoding="utf-8").startswith("Chinese Prime Minister Li Qiang")
    assert not Path(str(article) + ".orig").exists()


def test_learned_fix_goes_into_glossary_csv_and_the_next_check_uses_it(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "glossary.csv"
    project.write_text(
        "wrong,right,case,when,unless,confidence,note\n# our house rules\ncolour,color,,,,auto,\n",
        encoding="utf-8",
    )
    before = project.read_bytes()

    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await goto(pilot, app, "spelling.non-word")
        await pilot.press("g")  # nothing accepted yet: refused
        assert project.read_bytes() == before
        await pilot.press("e", *["backspace"] * 5, *"Stirred", "enter", "k", "g")
        await pilot.press("g")  # the same row again: refused, file unchanged
        await pilot.pause()

    drive(make(article), steps)
    after = project.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :] == b"Smred,Stirred,exact,,,auto,learned in review of article.txt\n"
    other = tmp_path / "other.txt"
    other.write_text("Smred in the night, they left.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli(["check", "--format", "json", str(other)])
    found = [json.loads(line) for line in result.text.splitlines()]
    assert any(f["rule"] == "glossary.smred" and f["replacement"] == "Stirred" for f in found)


def test_rejected_glossary_proposal_becomes_an_unless_exception(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await goto(pilot, app, "glossary.hopeful-thinking")
        await pilot.press("x")  # not rejected yet: refused
        assert not (tmp_path / "glossary.csv").exists()
        await pilot.press("n", "k", "x")

    drive(make(article), steps)
    rows = (tmp_path / "glossary.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "wrong,right,case,when,unless,confidence,note"
    assert rows[1].startswith("hopeful thinking,wishful thinking,preserve,,")
    assert r"plan\s+was\s+hopeful\s+thinking\." in rows[1]
    monkeypatch.chdir(tmp_path)
    result = cli(["check", "--format", "json", str(article)])
    assert "glossary.hopeful-thinking" not in result.text
    assert "glossary.open-force" in result.text  # the rest of the glossary still works


def test_cli_refuses_stdin_and_reports_bad_input_in_one_line(tmp_path: Path) -> None:
    assert cli(["review", "-"]).code == 2
    missing = cli(["review", str(tmp_path / "missing.txt")])
    assert missing.code == 2 and "missing.txt" in missing.err and len(missing.err.splitlines()) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("nope\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("text\n", encoding="utf-8")
    result = cli(["review", "--glossary", str(bad), str(tmp_path / "a.txt")])
    assert result.code == 2 and "bad.csv:1" in result.err


def test_a_document_without_proposals_takes_every_key_calmly(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("The committee met on Tuesday.\n", encoding="utf-8")

    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        assert not state(app).proposals
        await pilot.press("y", "n", "j", "k", "s", "a", "A", "N", "u", "ctrl+r", "g", "x")
        await pilot.press("e", "enter", "w")
        assert "No proposals" in str(app.screen.query_one("#proposal").render())

    drive(make(clean), steps)
    assert clean.read_text(encoding="utf-8") == "The committee met on Tuesday.\n"
    assert not (tmp_path / "clean.txt.orig").exists()


def test_save_renders_through_a_template_with_the_editors_decisions(
    article: Path, tmp_path: Path
) -> None:
    from cleantext.commands.review import render_on_save

    template = tmp_path / "decisions.txt.j2"
    template.write_text(
        "{% for d in decisions %}{{ d.index }} {{ d.rule }} {{ d.decision }}\n{% endfor %}"
        "---\n{{ text }}",
        encoding="utf-8",
    )
    out = tmp_path / "rendered"
    cfg = config.load(None, None)
    on_save = render_on_save(str(template), out, [str(article)], cfg)

    async def steps(pilot: Pilot[None], app: ReviewApp) -> None:
        await pilot.press("y", "y", "n", "w")

    drive(create_app([article], cfg, on_save=on_save), steps)
    rendered = (out / "article.txt").read_text(encoding="utf-8")
    verdicts = [line.split()[2] for line in rendered.split("---\n")[0].splitlines()]
    assert verdicts[:4] == ["accepted", "accepted", "rejected", "open"]
    assert set(verdicts[3:]) == {"open"}
    assert rendered.split("---\n", 1)[1] == article.read_text(encoding="utf-8")


def test_review_template_needs_out_and_a_known_template(article: Path) -> None:
    result = cli(["review", str(article), "--template", "html"])
    assert result.code == 2 and "--out DIR" in result.err
    result = cli(["review", str(article), "--template", "nosuch", "--out", "x"])
    assert result.code == 2 and "unknown template" in result.err
