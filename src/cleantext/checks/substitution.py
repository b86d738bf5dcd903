"""Substitution: a wrong phrase and its right form, from a YAML pack or from glossary.csv.

Pack keys are regular expressions matched on word boundaries (Vale's substitution), tried
longest first, so "AI account is" wins over "account"; text that already equals the
replacement is never flagged. Glossary rows go through the compiled Aho-Corasick matcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleantext.checks.base import Context, Rule, RuleSpec, compile_regex, option
from cleantext.model import Confidence, Edit

FIELDS = ("swap", "ignorecase", "when", "unless")


def sentence_initial(text: str, start: int) -> bool:
    """Whether ``start`` opens a sentence, a line or a quotation."""
    before = text[max(0, start - 4) : start].rstrip(" \"“‘'([")
    return not before or before[-1] in ".!?:\n\r"


def match_case(matched: str, replacement: str, initial: bool = True) -> str:
    """Carry a sentence-initial capital over to the replacement.

    >>> match_case("Open force", "open-source")
    'Open-source'
    >>> match_case("Indians", "truce", initial=False)
    'truce'
    """
    if initial and matched[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def required_literal(pattern: str) -> str:
    """The longest run of plain letters a regex cannot match without, or "" if unsure.

    Only text outside groups, classes and escapes counts, and a letter a quantifier applies
    to is dropped, so the run is really required.

    >>> required_literal("((?:extend|renew) the )Indians(?! that)")
    'Indians'
    >>> required_literal("colou?r")
    'colo'
    """
    depth, best, run, i = 0, "", "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            run, i = "", i + 2
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if depth == 0 and ch.isalpha():
            run += ch
        else:
            if ch in "?*{" and run:
                run = run[:-1]
            if ch == "|" and depth == 0:
                return ""  # a top-level alternative: no single word is required
            best = max(best, run, key=len)
            run = ""
        i += 1
    best = max(best, run, key=len)
    return best if len(best) >= 4 else ""


class Substitution(Rule):
    fields = FIELDS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        swap = option(spec, "swap", dict, required=True)
        flags = re.IGNORECASE if option(spec, "ignorecase", bool, True) else 0
        self.swaps: list[tuple[re.Pattern[str], str, str]] = []
        for key in sorted(swap, key=lambda k: -len(str(k))):
            value = swap[key]
            if not isinstance(value, str):
                raise ValueError(f"rule {spec.id}: replacement for {key!r} must be a string")
            pattern = compile_regex(spec, rf"(?<![\w-])(?:{key})(?![\w-])", flags)
            self.swaps.append((pattern, value, required_literal(str(key)).lower()))
        when, unless = option(spec, "when", str), option(spec, "unless", str)
        self.when = compile_regex(spec, when) if when else None
        self.unless = compile_regex(spec, unless) if unless else None

    def run(self, ctx: Context) -> Iterator[Edit]:
        text = ctx.text
        literals = [literal for _, _, literal in self.swaps]
        if all(literals) and not any(
            lit.encode("latin-1", "replace") in ctx.normalised for lit in literals
        ):
            return  # none of the keys' fixed words occurs: nothing to scan for
        if self.when is not None and not self.when.search(ctx.document):
            return
        if self.unless is not None and self.unless.search(ctx.document):
            return
        taken: list[tuple[int, int]] = []
        for pattern, template, literal in self.swaps:
            if literal and literal.encode("latin-1", "replace") not in ctx.normalised:
                continue  # the key's fixed word is nowhere in the text: skip the regex scan
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                replacement = match_case(
                    match.group(0), match.expand(template), sentence_initial(text, start)
                )
                if replacement == match.group(0):
                    continue
                taken.append((start, end))
                yield self.spec.edit(text, start, end, replacement)


class GlossaryTerms:
    """The glossary rows that have a ``wrong`` side, checked against their conditions."""

    id = "glossary"

    def run(self, ctx: Context) -> Iterator[Edit]:
        # per row, once a document: whether its conditions hold, its rule id and category
        # (properties that build strings; a big glossary's rows hit hundreds of times)
        rows: dict[int, tuple[str, str] | None] = {}
        text = ctx.text
        for hit in ctx.glossary_hits:
            entry = hit.entry
            if entry.is_name:
                continue
            key = id(entry)
            if key not in rows:
                rows[key] = (entry.rule, entry.category) if entry.applies(ctx.document) else None
            row = rows[key]
            if row is None:
                continue
            matched = text[hit.start : hit.end]
            replacement = entry.replacement_for(matched)
            if replacement == matched:
                continue
            message = entry.note or f"'{matched}' should read '{replacement}'"
            yield Edit(
                hit.start, hit.end, matched, replacement, row[0], row[1], message, entry.confidence
            )


def build(spec: RuleSpec) -> Substitution:
    return Substitution(spec)


__all__ = ["Confidence", "GlossaryTerms", "Substitution", "build", "match_case"]
