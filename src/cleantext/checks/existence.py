"""Existence: phrases that are wrong wherever they occur but have no safe repair (flag only).

Vale's existence check: the editor is pointed at the words, nothing is changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cleantext.checks.base import (
    Context,
    Rule,
    RuleError,
    RuleSpec,
    compile_regex,
    option,
)
from cleantext.model import Confidence, Edit

FIELDS = ("tokens", "ignorecase", "suggest")


class Existence(Rule):
    fields = FIELDS

    def __init__(self, spec: RuleSpec) -> None:
        super().__init__(spec)
        if spec.confidence is not Confidence.FLAG:
            raise RuleError(f"rule {spec.id}: existence rules are flag-only")
        tokens = option(spec, "tokens", list, required=True)
        flags = re.IGNORECASE if option(spec, "ignorecase", bool, True) else 0
        body = "|".join(f"(?:{t})" for t in sorted(map(str, tokens), key=len, reverse=True))
        self.pattern = compile_regex(spec, rf"(?<!\w)(?:{body})(?!\w)", flags)
        self.suggest: str | None = option(spec, "suggest", str)

    def run(self, ctx: Context) -> Iterator[Edit]:
        for match in self.pattern.finditer(ctx.text):
            yield self.spec.edit(ctx.text, match.start(), match.end(), self.suggest)


def build(spec: RuleSpec) -> Existence:
    return Existence(spec)
