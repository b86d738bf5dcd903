"""The review app: one decision per keystroke, like ``git add -p``, over every document
named on the command line.

``create_app`` is the one factory the CLI, the tests and the benchmark share: proposals are
computed and journals replayed before the app is built, so mounting only draws. Every
decision goes to the document's journal before the screen moves on (see ``state``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Label, Select, Static

from cleantext import engine
from cleantext.config import Config
from cleantext.errors import CleantextError
from cleantext.glossary import Entry
from cleantext.model import Edit
from cleantext.review import learn
from cleantext.review.state import (
    ACCEPT,
    REJECT,
    ConflictError,
    Decision,
    Filter,
    ReviewState,
    open_review,
    proposer,
)
from cleantext.review.widgets import (
    CONFIDENCE_STYLE,
    CURRENT_STYLE,
    DocList,
    DocumentView,
    ProposalPanel,
    ReplacementInput,
    Shown,
    StatusBar,
    choices,
    document_text,
    proposal_text,
    stale_text,
    status_text,
)

KEYS = [
    # (key, action, description, shown in the footer)
    ("y", "accept", "accept", True),
    ("n", "reject", "reject", True),
    ("e", "edit", "edit", True),
    ("a", "alternative", "alt", True),
    ("A", "accept_rule", "accept rule", False),
    ("N", "reject_rule", "reject rule", False),
    ("s", "skip", "skip", True),
    ("j,down", "next", "next", False),
    ("k,up", "previous", "previous", False),
    ("u", "undo", "undo", True),
    ("ctrl+r", "redo", "redo", False),
    ("f", "filter", "filter", False),
    ("g", "learn", "learn", False),
    ("x", "exception", "exception", False),
    ("right_square_bracket", "next_document", "next doc", False),
    ("left_square_bracket", "previous_document", "prev doc", False),
    ("w", "save", "save", True),
    ("question_mark", "help", "help", True),
    ("q", "quit", "quit", True),
]

HELP = """\
cleantext review: one decision per key, journaled at once (quit any time).

  y        accept the proposal (or the alternative shown)
  n        reject it
  e        edit the replacement, Enter accepts (answers a flag too)
  a        show the next alternative; y accepts it
  A / N    accept / reject every open proposal of this rule here
  s        skip to the next open proposal
  j k ↓ ↑  next / previous proposal
  u        undo     ctrl+r  redo (several steps)
  f        filter by category, rule, confidence
  g        learn the accepted fix into the project glossary.csv
  x        a rejected glossary proposal: record an exception
  ] [      next / previous document
  w        save the cleaned file (original kept as FILE.orig)
  ?        this help     q  quit
"""


def help_text() -> Text:
    """The help, with the highlight colours shown in their own colours."""
    out = Text(HELP)
    out.append("\nColours: ")
    for level, style in CONFIDENCE_STYLE.items():
        out.append(f" {level} ", style)
        out.append(" ")
    out.append(" current ", CURRENT_STYLE)
    out.append("\naccepted text in green, rejected struck through; Escape or ? closes.")
    return out


class HelpScreen(ModalScreen[None]):
    """Every key, and what the colours mean."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "close", id="review.help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)


class FilterScreen(ModalScreen[Filter | None]):
    """Pick a category, a rule and a confidence to walk through (blank: any)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel", id="review.filter.cancel")
    ]

    def __init__(self, proposals: Sequence[Edit], current: Filter) -> None:
        super().__init__()
        self.proposals = proposals
        self.current = current

    def compose(self) -> ComposeResult:
        def options(values: set[str]) -> list[tuple[str, str]]:
            return [(v, v) for v in sorted(values)]

        with Vertical(id="filter"):
            yield Label("Filter proposals (blank = any)")
            yield Select(
                options({e.category for e in self.proposals}),
                prompt="category",
                value=self.current.category or Select.NULL,
                id="filter-category",
            )
            yield Select(
                options({e.rule for e in self.proposals}),
                prompt="rule",
                value=self.current.rule or Select.NULL,
                id="filter-rule",
            )
            yield Select(
                options({e.confidence.value for e in self.proposals}),
                prompt="confidence",
                value=self.current.confidence or Select.NULL,
                id="filter-confidence",
            )
            with Horizontal(id="filter-buttons"):
                yield Button("Apply", id="filter-apply", variant="primary")
                yield Button("Clear", id="filter-clear")

    def _value(self, name: str) -> str | None:
        value = self.query_one(f"#filter-{name}", Select).value
        return value if isinstance(value, str) else None

    @on(Button.Pressed, "#filter-apply")
    def apply(self) -> None:
        self.dismiss(
            Filter(self._value("category"), self._value("rule"), self._value("confidence"))
        )

    @on(Button.Pressed, "#filter-clear")
    def clear(self) -> None:
        self.dismiss(Filter())

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReviewScreen(Screen[None]):
    """Documents on the left; the current document and the current proposal on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, action, description, show=show, id=f"review.{action}")
            for key, action, description, show in KEYS
        ),
        Binding("escape", "cancel_edit", "cancel", show=False, id="review.cancel_edit"),
    ]

    def __init__(self, states: list[ReviewState]) -> None:
        super().__init__()
        self.states = states
        self.doc = 0
        self.shown = Shown(0)
        self.filter = Filter()
        self._starts = [[e.start for e in s.proposals] for s in states]

    # ---- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="body"):
            yield DocList(id="docs")
            with Vertical(id="main"):
                yield DocumentView(id="document")
                yield ProposalPanel(id="proposal")
                yield ReplacementInput(
                    id="replacement", placeholder="replacement; Enter accepts", disabled=True
                )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DocList).show(self.states, self.doc)
        self.shown = Shown(self._first_open(0))
        self.draw()

    @property
    def state(self) -> ReviewState:
        return self.states[self.doc]

    @property
    def current(self) -> Edit | None:
        props = self.state.proposals
        return props[self.shown.index] if props else None

    def draw(self) -> None:
        """Redraw what depends on the current proposal (a window, not the document)."""
        state = self.state
        self.query_one(StatusBar).update(status_text(self.states, state, self.filter))
        panel = self.query_one(DocumentView)
        area = panel.size.width * panel.size.height
        view = document_text(state, self.shown.index, self._starts[self.doc], area)
        if state.stale:
            view = stale_text(state).append_text(view)
        panel.update(view)
        position = f"{self.shown.index + 1}/{len(state.proposals)}"
        self.query_one(ProposalPanel).update(proposal_text(state, self.shown, position))

    def on_resize(self) -> None:
        self.draw()

    def _refresh_counts(self) -> None:
        self.query_one(DocList).refresh_entry(self.states, self.doc)

    # ---- moving ----------------------------------------------------------------------
    def _candidates(self, open_only: bool) -> list[int]:
        state = self.state
        return [
            i
            for i, e in enumerate(state.proposals)
            if self.filter.matches(e) and (not open_only or state.decision(i) is None)
        ]

    def _first_open(self, start: int) -> int:
        """The first open proposal at or after ``start`` (wrapping), else ``start``."""
        state = self.state
        n = len(state.proposals)
        for step in range(n):
            i = (start + step) % n
            if state.decision(i) is None and self.filter.matches(state.proposals[i]):
                return i
        return min(start, max(0, n - 1))

    def _move(self, forward: bool, open_only: bool) -> None:
        found = self._candidates(open_only)
        here = self.shown.index
        if not found:
            self.notify("nothing left to decide here" if open_only else "no proposal matches")
            return
        if forward:
            later = [i for i in found if i > here]
            target = later[0] if later else found[0]
        else:
            earlier = [i for i in found if i < here]
            target = earlier[-1] if earlier else found[-1]
        self.shown = Shown(target)
        self.draw()

    def _advance(self) -> None:
        """After a decision: the next open proposal, as git add -p does."""
        if self._candidates(True):
            self._move(True, True)
        else:
            self.draw()
            self.notify("every proposal here is decided; w saves, ] goes to the next document")

    def action_next(self) -> None:
        self._move(True, False)

    def action_previous(self) -> None:
        self._move(False, False)

    def action_skip(self) -> None:
        self._move(True, True)

    def _go_document(self, index: int) -> None:
        self.doc = index % len(self.states)
        self.shown = Shown(self._first_open(0))
        self.query_one(DocList).highlighted = self.doc
        self.draw()

    def action_next_document(self) -> None:
        self._go_document(self.doc + 1)

    def action_previous_document(self) -> None:
        self._go_document(self.doc - 1)

    def on_doc_list_chosen(self, message: DocList.Chosen) -> None:
        self._go_document(message.index)

    # ---- deciding --------------------------------------------------------------------
    def _chosen(self) -> Edit | None:
        edit = self.current
        if edit is None:
            return None
        options = choices(edit)
        return options[self.shown.choice % len(options)]

    def _decide(self, decisions: list[Decision]) -> bool:
        try:
            self.state.decide(decisions)
        except ConflictError as exc:
            self.notify(str(exc), severity="error")
            return False
        self._refresh_counts()
        return True

    def action_accept(self) -> None:
        edit, chosen = self.current, self._chosen()
        if edit is None or chosen is None:
            return
        if chosen.replacement is None:
            self.notify("a flag has no fix: press e and type one, or n to reject")
            return
        if self._decide([Decision((edit.start, edit.end), ACCEPT, chosen)]):
            self._advance()

    def action_reject(self) -> None:
        edit = self.current
        if edit is not None and self._decide([Decision((edit.start, edit.end), REJECT, edit)]):
            self._advance()

    def _same_rule(self, verdict: str) -> None:
        edit = self.current
        if edit is None:
            return
        state = self.state
        batch = [
            Decision((e.start, e.end), verdict, e)
            for i, e in enumerate(state.proposals)
            if e.rule == edit.rule
            and state.decision(i) is None
            and (verdict == REJECT or e.replacement is not None)
        ]
        if not batch:
            self.notify(f"no open proposal of {edit.rule} left")
            return
        if self._decide(batch):
            self.notify(f"{verdict}ed {len(batch)} × {edit.rule}")
            self._advance()

    def action_accept_rule(self) -> None:
        self._same_rule(ACCEPT)

    def action_reject_rule(self) -> None:
        self._same_rule(REJECT)

    def action_alternative(self) -> None:
        edit = self.current
        if edit is None:
            return
        if not edit.alternatives:
            self.notify("this proposal has no alternatives")
            return
        self.shown = replace(
            self.shown, choice=(self.shown.choice + 1) % (len(edit.alternatives) + 1)
        )
        self.draw()

    def action_edit(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        box = self.query_one(ReplacementInput)
        box.value = chosen.replacement if chosen.replacement is not None else chosen.original
        box.disabled = False
        box.display = True
        box.focus()

    def action_cancel_edit(self) -> None:
        self._close_edit()

    def _close_edit(self) -> None:
        box = self.query_one(ReplacementInput)
        box.display = False
        box.disabled = True
        self.set_focus(None)

    @on(ReplacementInput.Submitted)
    def typed(self, event: ReplacementInput.Submitted) -> None:
        event.stop()
        self._close_edit()
        edit, chosen = self.current, self._chosen()
        if edit is None or chosen is None:
            return
        fixed = replace(chosen.with_alternatives(()), replacement=event.value)
        if self._decide([Decision((edit.start, edit.end), ACCEPT, fixed, typed=True)]):
            self._advance()

    def action_undo(self) -> None:
        if self.state.undo():
            self._refresh_counts()
            self.draw()
        else:
            self.notify("nothing to undo")

    def action_redo(self) -> None:
        if self.state.redo():
            self._refresh_counts()
            self.draw()
        else:
            self.notify("nothing to redo")

    def action_filter(self) -> None:
        def chosen(result: Filter | None) -> None:
            if result is not None:
                self.filter = result
                if not self._candidates(False):
                    self.notify("no proposal matches this filter", severity="warning")
                elif self.current is not None and self.filter.matches(self.current):
                    self.draw()
                else:
                    self._move(True, False)

        self.app.push_screen(FilterScreen(self.state.proposals, self.filter), chosen)

    # ---- learning and saving ------------------------------------------------------------
    def action_learn(self) -> None:
        decision = self.state.decision(self.shown.index) if self.current else None
        if decision is None or not decision.accepted:
            self.notify("accept (y) or edit (e) a fix first, then g learns it")
            return
        app = self.app
        assert isinstance(app, ReviewApp)
        edit = decision.edit
        if (
            "\n" in edit.original
            or not edit.original.strip()
            or not (edit.replacement or "").strip()
        ):
            self.notify(
                "only a change of words can be learned (not a deletion or a line)",
                severity="warning",
            )
            return
        try:
            done = learn.add_row(
                app.glossary_for(self.state),
                edit.original,
                edit.replacement or "",
                note=f"learned in review of {self.state.name}",
            )
        except CleantextError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.notify(
            f"learned {edit.original!r} → {edit.replacement!r} ({done.path.name}:{done.line})"
        )

    def action_exception(self) -> None:
        edit = self.current
        decision = self.state.decision(self.shown.index) if edit else None
        app = self.app
        assert isinstance(app, ReviewApp)
        if (
            edit is None
            or decision is None
            or decision.accepted
            or not edit.rule.startswith("glossary.")
        ):
            self.notify("x records an exception for a rejected glossary proposal (n first)")
            return
        entry = app.glossary_entry(edit)
        if entry is None:
            self.notify(f"no glossary row behind {edit.rule}", severity="warning")
            return
        pattern = learn.exception_pattern(self.state.doc.text, edit.start, edit.end)
        try:
            done = learn.add_exception(app.glossary_for(self.state), entry, pattern)
        except CleantextError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.notify(f"exception recorded for {entry.wrong!r} ({done.path.name}:{done.line})")

    def action_save(self) -> None:
        app = self.app
        assert isinstance(app, ReviewApp)
        try:
            cleaned, applied = self.state.save()
            rendered = app.on_save(self.state, cleaned, applied) if app.on_save else None
        except CleantextError as exc:
            self.notify(str(exc), severity="error")
            return
        also = f"; rendered {rendered}" if rendered else ""
        self.notify(f"saved {self.state.name}: {len(applied)} edits applied{also}")
        self.draw()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        self.app.exit()


# called after a save with the state, the cleaned text and the edits applied; returns what
# it wrote (for the notice), or None
OnSave = Callable[[ReviewState, str, list[Edit]], str | None]


class ReviewApp(App[None]):
    """The review of one or more documents."""

    CSS_PATH = Path(__file__).with_name("review.tcss")  # subclasses elsewhere find it too
    TITLE = "cleantext review"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        states: list[ReviewState],
        config: Config | None = None,
        glossary: Path | None = None,
        on_save: OnSave | None = None,
    ) -> None:
        super().__init__()
        self.states = states
        self.config = config
        self.glossary = glossary
        self.on_save = on_save  # after a save: e.g. render through a template (`--template`)

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen(self.states))

    @property
    def review(self) -> ReviewScreen:
        screen = self.screen_stack[1] if len(self.screen_stack) > 1 else self.screen
        assert isinstance(screen, ReviewScreen)
        return screen

    def glossary_for(self, state: ReviewState) -> Path:
        return learn.project_glossary(Path(state.doc.path), self.glossary)

    def glossary_entry(self, edit: Edit) -> Entry | None:
        """The glossary row behind a ``glossary.*`` proposal."""
        if self.config is None or self.config.glossary is None:
            return None
        wanted = " ".join(edit.original.split()).lower()
        for entry in reversed(self.config.glossary.entries):
            if entry.rule == edit.rule and entry.wrong.lower() == wanted:
                return entry
        for entry in reversed(self.config.glossary.entries):
            if entry.rule == edit.rule:
                return entry
        return None

    def on_unmount(self) -> None:
        for state in self.states:
            state.journal.close()


def create_app(
    paths: Sequence[Path],
    config: Config,
    *,
    glossary: str | Path | None = None,
    state_dir: Path | None = None,
    backup: bool = True,
    on_save: OnSave | None = None,
) -> ReviewApp:
    """Everything the app shows, computed before it starts: proposals under ``config``
    (with evidence across the documents, as `check` sees them) and the replayed journals."""
    run = None
    if len(paths) > 1:
        from cleantext import document

        run = engine.run_evidence(document.load(p).text for p in paths)
    propose = proposer(config, run)
    states = [open_review(Path(p), propose, state_dir, backup=backup) for p in paths]
    return ReviewApp(
        states, config, Path(glossary) if glossary is not None else None, on_save=on_save
    )
