"""The review screen's pieces: what each panel shows (pure functions returning Rich text)
and the small widgets that display them.

The document panel renders a window of the text around the current proposal, never the
whole document, so a keystroke costs the same in a 1 MB file as in a short one.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from cleantext.model import Edit
from cleantext.review import diffview
from cleantext.review.state import Decision, Filter, ReviewState

BEFORE = 320  # characters of the document shown before the current proposal
AFTER = 900  # and after it

CONFIDENCE_STYLE = {
    "auto": "black on green3",
    "review": "black on gold1",
    "flag": "bold white on red3",
}
CURRENT_STYLE = "bold black on bright_cyan"
ACCEPTED_STYLE = "bold green3"
REJECTED_STYLE = "dim strike"


def _visible(text: str) -> str:
    """Line breaks inside a highlighted span stay visible as a pilcrow."""
    return text.replace("\r\n", "¶\n").replace("\n", "¶\n")


def window(
    state: ReviewState, index: int, before: int = BEFORE, after: int = AFTER
) -> tuple[int, int]:
    """The slice of the document shown around proposal ``index``: from a line start (or a
    word start) a little before it, to a little after it."""
    text = state.doc.text
    if not state.proposals:
        return 0, min(len(text), before + after)
    edit = state.proposals[index]
    start = max(0, edit.start - before)
    line = text.find("\n", start, edit.start) if start > 0 else -1
    if line != -1:
        start = line + 1
    elif start > 0:
        space = text.find(" ", start, edit.start)
        start = space + 1 if space != -1 else start
    return start, min(len(text), max(edit.end, start) + after)


def document_text(
    state: ReviewState, index: int, starts: list[int] | None = None, area: int = 0
) -> Text:
    """The window around proposal ``index``, each proposal in it highlighted in place by
    confidence; decided ones show their outcome (accepted: the replacement; rejected:
    struck through), the current one stands out. ``area`` (cells of the panel) widens the
    window on a big screen."""
    text = state.doc.text
    lo, hi = window(state, index, max(BEFORE, area // 5), max(AFTER, area))
    keys = starts if starts is not None else [e.start for e in state.proposals]
    first = bisect.bisect_left(keys, lo)
    out = Text(no_wrap=False, overflow="fold")
    pos = lo
    for i in range(first, len(state.proposals)):
        edit = state.proposals[i]
        if edit.start >= hi:
            break
        if edit.start < pos:
            continue
        out.append(text[pos : edit.start])
        _append_proposal(out, edit, state.decision(i), i == index)
        pos = edit.end
    out.append(text[pos:hi])
    if hi < len(text):
        out.append(" …", "dim")
    return out


def _append_proposal(out: Text, edit: Edit, decision: Decision | None, current: bool) -> None:
    shown = _visible(edit.original) or "‸"
    if decision is None:
        out.append(shown, CURRENT_STYLE if current else CONFIDENCE_STYLE[edit.confidence.value])
        return
    marker = f" {CURRENT_STYLE}" if current else ""
    if decision.accepted:
        if edit.original:
            out.append(_visible(edit.original), f"dim strike{marker}")
        out.append(_visible(decision.edit.replacement or "") or "∅", f"{ACCEPTED_STYLE}{marker}")
    else:
        out.append(shown, f"{REJECTED_STYLE}{marker}")


def diff_text(state: ReviewState, edit: Edit, replacement: str | None = None) -> Text:
    """The word-level diff of ``edit`` in its context: removed words struck in red, added
    words in green."""
    out = Text(overflow="fold")
    for op, chunk in diffview.proposal_diff(state.doc.text, edit, replacement):
        if op == diffview.DELETE:
            out.append(_visible(chunk), "strike red1")
        elif op == diffview.INSERT:
            out.append(_visible(chunk), "bold green3 underline")
        elif op == diffview.FLAGGED:
            out.append(_visible(chunk) or "‸", CONFIDENCE_STYLE["flag"])
        else:
            out.append(chunk)
    return out


@dataclass(frozen=True)
class Shown:
    """What the proposal panel needs besides the state: which choice is on screen."""

    index: int
    choice: int = 0  # 0 the proposal, k its k-th alternative


def choices(edit: Edit) -> list[Edit]:
    """The proposal and its alternatives, in the order ``a`` cycles through them."""
    return [edit, *edit.alternatives]


def proposal_text(state: ReviewState, shown: Shown, position: str) -> Text:
    """The panel under the document: rule, category, confidence, message, the decision so
    far, the choices, and the diff of the chosen one."""
    if not state.proposals:
        return Text("No proposals in this document.", "italic")
    edit = state.proposals[shown.index]
    options = choices(edit)
    chosen = options[shown.choice % len(options)]
    decision = state.decision(shown.index)
    out = Text(overflow="fold")
    out.append(f"{position}  ", "bold")
    out.append(f"[{chosen.confidence.value}]", CONFIDENCE_STYLE[chosen.confidence.value])
    out.append(f" {chosen.rule}", "bold")
    out.append(f"  ({chosen.category})\n", "italic")
    out.append(chosen.message.strip() + "\n")
    if decision is not None:
        verdict = "accepted" if decision.accepted else "rejected"
        detail = f": {decision.edit.replacement!r}" if decision.accepted else ""
        out.append(f"→ {verdict}{detail}\n", ACCEPTED_STYLE if decision.accepted else "dim")
    if len(options) > 1:
        labels = [
            f"{'▶' if k == shown.choice % len(options) else ' '}{k}:{_label(o)}"
            for k, o in enumerate(options)
        ]
        out.append("choices (a): " + "  ".join(labels) + "\n", "cyan")
    out.append_text(diff_text(state, chosen))
    return out


def _label(edit: Edit) -> str:
    if edit.replacement is None:
        return "(flag)"
    return repr(edit.replacement) if edit.replacement else "(delete)"


def doc_prompt(state: ReviewState) -> Text:
    """A document list entry: its name and its open/decided counts."""
    done = not state.open
    out = Text(state.name, "bold" if not done else "dim", no_wrap=True, overflow="ellipsis")
    out.append("\n")
    out.append(f" {state.open} open · {state.decided} done", "green3" if done else "gold1")
    if state.stale:
        out.append(f" · {len(state.stale)} stale", "red1")
    return out


def status_text(states: list[ReviewState], current: ReviewState, filt: Filter) -> Text:
    """The running count: decided/open in this document and over all of them."""
    decided = sum(s.decided for s in states)
    total = sum(len(s.proposals) for s in states)
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(f" {current.name} ", "bold reverse")
    out.append(f" {current.decided}/{len(current.proposals)} decided, {current.open} open")
    if len(states) > 1:
        out.append(f" · all {decided}/{total}")
    if current.stale:
        out.append(f" · {len(current.stale)} stale (not applied)", "bold red1")
    if filt.active:
        parts = [v for v in (filt.category, filt.rule, filt.confidence) if v]
        out.append(" · filter: " + ",".join(parts), "cyan")
    return out


def stale_text(state: ReviewState) -> Text:
    """Decisions from the journal that no longer fit the changed source: listed, never
    applied."""
    out = Text()
    for item in state.stale:
        edit = item.get("edit", {})
        out.append(
            f"stale: {item.get('verdict', '?')} {edit.get('rule', '?')} "
            f"{edit.get('original', '')!r} → {edit.get('replacement', '')!r}\n",
            "red1",
        )
    return out


class DocList(OptionList, can_focus=False):
    """The documents under review; clicking one posts ``Chosen``."""

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def show(self, states: list[ReviewState], current: int) -> None:
        self.clear_options()
        self.add_options([Option(doc_prompt(s), id=str(i)) for i, s in enumerate(states)])
        self.highlighted = current

    def refresh_entry(self, states: list[ReviewState], index: int) -> None:
        self.replace_option_prompt_at_index(index, doc_prompt(states[index]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(event.option_index))


class DocumentView(Static):
    """The current document around the current proposal."""


class ProposalPanel(Static):
    """Rule, message and word diff of the current proposal."""


class StatusBar(Static):
    """One line: document, decided/open counts, stale decisions, active filter."""


class ReplacementInput(Input):
    """Typing a replacement (or a fix for a flag); Enter accepts it, Escape cancels."""
