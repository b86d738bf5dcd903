"""The review state without a terminal: journal and replay, undo/redo history, re-anchoring
after the source changed, saving like `fix --write`, glossary learning, the word diff."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from cleantext import config, engine
from cleantext.errors import InputError
from cleantext.model import Confidence, Edit
from cleantext.review import anchor, diffview, learn
from cleantext.review.state import (
    ACCEPT,
    REJECT,
    ConflictError,
    Decision,
    Journal,
    Proposer,
    ReviewState,
    open_review,
    proposer,
    save,
    state_path,
)

TEXT = (
    "Chinese Prime Minister Lee Qiang praised Openai at the conference.\n"
    "\n"
    "The open force ecosystem grew fast, and Lee Qiang said the the plan was hopeful thinking.\n"
    "Smred in the banning of chips, the year tense in Shanghai ended.\n"
)


@pytest.fixture(scope="module")
def propose() -> Proposer:
    return proposer(config.load(None, None))


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _open(path: Path, propose: Proposer, backup: bool = True) -> ReviewState:
    return open_review(path, propose, backup=backup)


def _by_rule(state: ReviewState, rule: str, nth: int = 0) -> Edit:
    return [e for e in state.proposals if e.rule == rule][nth]


def _accept(state: ReviewState, edit: Edit, replacement: str | None = None) -> None:
    chosen = (
        edit
        if replacement is None
        else Edit(
            edit.start,
            edit.end,
            edit.original,
            replacement,
            edit.rule,
            edit.category,
            edit.message,
            edit.confidence,
        )
    )
    state.decide([Decision((edit.start, edit.end), ACCEPT, chosen, replacement is not None)])


def test_every_decision_is_on_disk_before_the_call_returns(
    article: Path, propose: Proposer
) -> None:
    state = _open(article, propose)
    _accept(state, _by_rule(state, "casing.names"))
    journal = state_path(article)
    assert journal.name == ".article.txt.cleantext-review.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and '"verdict": "accept"' in lines[0] and "OpenAI" in lines[0]
    # a fresh state (another process after a kill) sees it without any shutdown step
    again = _open(article, propose)
    assert again.decided == 1
    assert again.accepted_edits()[0].replacement == "OpenAI"


def test_undo_and_redo_replay_to_the_same_history(article: Path, propose: Proposer) -> None:
    state = _open(article, propose)
    first, second, third = state.proposals[:3]
    for edit in (first, second, third):
        _accept(state, edit)
    assert state.undo() and state.undo()
    assert state.redo()
    assert state.decided == 2
    again = _open(article, propose)
    assert sorted(again.decisions) == sorted(state.decisions)
    assert again.redo() and again.decided == 3  # the redo stack was replayed too
    assert not again.redo()


def test_a_torn_last_line_is_ignored_a_damaged_middle_is_an_error(
    article: Path, propose: Proposer
) -> None:
    state = _open(article, propose)
    _accept(state, state.proposals[0])
    journal = state_path(article)
    with journal.open("a", encoding="utf-8") as handle:
        handle.write('{"op": "decide", "items": [{"ke')  # killed mid-write
    assert _open(article, propose).decided == 1
    journal.write_text("not json\n" + journal.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        _open(article, propose)
    assert err.value.line == 1 and "damaged" in err.value.message


def test_overlapping_acceptances_are_refused(article: Path, propose: Proposer) -> None:
    state = _open(article, propose)
    edit = _by_rule(state, "casing.names")
    wide = Edit(
        edit.start - 1, edit.end, " " + edit.original, " OpenAI", "x", "term", "", edit.confidence
    )
    _accept(state, edit)
    with pytest.raises(ConflictError):
        state.decide([Decision((wide.start, wide.end), ACCEPT, wide)])


def test_changed_source_reanchors_and_marks_stale(article: Path, propose: Proposer) -> None:
    state = _open(article, propose)
    openai = _by_rule(state, "casing.names")
    hopeful = _by_rule(state, "glossary.hopeful-thinking")
    _accept(state, openai)
    state.decide([Decision((hopeful.start, hopeful.end), REJECT, hopeful)])
    _accept(state, _by_rule(state, "glossary.open-force"))
    state.journal.close()
    # a new paragraph on top moves everything; "open force" itself was rewritten by hand
    changed = "A new first paragraph.\n\n" + TEXT.replace("open force", "open-source")
    article.write_text(changed, encoding="utf-8")
    again = _open(article, propose)
    assert len(again.stale) == 1 and again.stale[0]["edit"]["original"] == "open force"
    moved = again.decisions[(openai.start + 24, openai.end + 24)]
    assert moved.accepted and changed[moved.edit.start : moved.edit.end] == "Openai"
    moved_at = changed.index("hopeful thinking")
    assert again.decisions[(moved_at, moved_at + 16)].verdict == REJECT
    cleaned, applied = save(again)
    assert "OpenAI" in cleaned and len(applied) == 1  # the stale decision is never applied


def test_anchor_finds_moved_text_fuzzily_and_refuses_changed_text() -> None:
    text = "alpha beta gamma delta " * 3 + "the quick fox jumps"
    mark = anchor.Anchor.of(text, text.index("quick"), text.index("quick") + 5)
    assert anchor.locate(text, mark) == text.index("quick")
    edited = text.replace("alpha beta", "alpha  beta, and more words here,")
    assert anchor.locate(edited, mark) == edited.index("quick")
    assert anchor.locate(edited.replace("quick", "slow"), mark) is None


def test_save_applies_through_apply_edits_and_keeps_the_first_original(
    article: Path, propose: Proposer
) -> None:
    state = _open(article, propose)
    _accept(state, _by_rule(state, "casing.names"))
    cleaned, _ = save(state)
    assert article.read_text(encoding="utf-8") == TEXT.replace("Openai", "OpenAI") == cleaned
    assert Path(str(article) + ".orig").read_text(encoding="utf-8") == TEXT
    _accept(state, _by_rule(state, "glossary.open-force"))
    save(state)
    assert Path(str(article) + ".orig").read_text(encoding="utf-8") == TEXT
    assert "open-source" in article.read_text(encoding="utf-8")
    # reopened: the review goes on against the original, with every decision in place
    again = _open(article, propose)
    assert again.doc.text == TEXT and again.decided == 2


def test_save_without_backup_and_resume_from_the_saved_file(
    article: Path, propose: Proposer
) -> None:
    state = _open(article, propose, backup=False)
    _accept(state, _by_rule(state, "casing.names"))
    save(state)
    assert not Path(str(article) + ".orig").exists()
    again = _open(article, propose, backup=False)
    assert again.doc.text == TEXT.replace("Openai", "OpenAI") and again.decided == 0


def test_bom_and_crlf_round_trip(tmp_path: Path, propose: Proposer) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes(codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"))
    state = _open(path, propose)
    _accept(state, _by_rule(state, "casing.names"))
    save(state)
    expected = TEXT.replace("\n", "\r\n").replace("Openai", "OpenAI")
    assert path.read_bytes() == codecs.BOM_UTF8 + expected.encode("utf-8")
    assert Path(str(path) + ".orig").read_bytes().startswith(codecs.BOM_UTF8)


def test_a_flag_answered_with_a_typed_fix_is_applied(article: Path, propose: Proposer) -> None:
    state = _open(article, propose)
    smred = _by_rule(state, "spelling.non-word")
    assert smred.replacement is None
    _accept(state, smred, "Stirred")
    cleaned, _ = save(state)
    assert cleaned.startswith(TEXT[: smred.start]) and "Stirred in the banning" in cleaned


def test_state_dir_keeps_journals_apart(tmp_path: Path) -> None:
    a = state_path(tmp_path / "x" / "notes.txt", tmp_path / "s")
    b = state_path(tmp_path / "y" / "notes.txt", tmp_path / "s")
    assert a != b and a.parent == b.parent == tmp_path / "s"


def test_journal_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert Journal(tmp_path / "none.jsonl").read() == []


# ---- learning -----------------------------------------------------------------------------
def test_add_row_keeps_every_byte_and_refuses_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    before = (
        b"wrong,right,case,when,unless,confidence,note\r\n# house terms\r\n"
        b"colour,color,preserve,,,auto,\r\n"
    )
    path.write_bytes(before)
    done = learn.add_row(path, "Smred", "Stirred", note="learned")
    data = path.read_bytes()
    assert (
        data.startswith(before) and data[len(before) :] == b"Smred,Stirred,exact,,,auto,learned\r\n"
    )
    assert done.line == 4
    with pytest.raises(learn.LearnError) as err:
        learn.add_row(path, "smred", "Stirred")
    assert "already" in err.value.message and path.read_bytes() == data


def test_add_row_creates_a_glossary_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    learn.add_row(path, "open force", "open-source")
    assert path.read_text(encoding="utf-8").splitlines() == [
        "wrong,right,case,when,unless,confidence,note",
        "open force,open-source,preserve,,,auto,",
    ]


def test_exception_overrides_a_bundled_row_and_the_row_stands_down(tmp_path: Path) -> None:
    cfg = config.load(None, None)
    assert cfg.glossary is not None
    entry = next(e for e in cfg.glossary.entries if e.rule == "glossary.hopeful-thinking")
    start = TEXT.index("hopeful thinking")
    pattern = learn.exception_pattern(TEXT, start, start + len("hopeful thinking"))
    project = tmp_path / "glossary.csv"
    learn.add_exception(project, entry, pattern)
    reloaded = config.load(project, None)
    assert not any(e.rule == "glossary.hopeful-thinking" for e in engine.propose(TEXT, reloaded))
    other = "Voters engaged in hopeful thinking about prices."
    assert any(e.rule == "glossary.hopeful-thinking" for e in engine.propose(other, reloaded))
    # a second exception on the project's own row rewrites only that line
    before = project.read_bytes().split(b"\n")
    entry = next(e for e in reloaded.glossary.entries if e.rule == "glossary.hopeful-thinking")  # type: ignore[union-attr]
    learn.add_exception(project, entry, "prices")
    after = project.read_bytes().split(b"\n")
    assert after[0] == before[0] and after[1] != before[1] and len(after) == len(before)


def test_project_glossary_is_found_upwards_or_made_beside(tmp_path: Path) -> None:
    (tmp_path / "glossary.csv").write_text("wrong,right,case,when,unless,confidence,note\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert learn.project_glossary(sub / "x.txt") == tmp_path / "glossary.csv"
    assert learn.project_glossary(sub / "x.txt", "named.csv") == Path("named.csv")


def test_word_diff_keeps_words_whole() -> None:
    edit = Edit(0, 6, "Openai", "OpenAI", "r", "casing", "", Confidence.AUTO)
    assert diffview.proposal_diff("Openai rocks", edit) == [
        (diffview.DELETE, "Openai"),
        (diffview.INSERT, "OpenAI"),
        (diffview.EQUAL, " rocks"),
    ]
