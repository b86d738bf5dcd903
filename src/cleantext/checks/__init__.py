"""Rule kinds: one module each, looked up by the ``kind:`` of a rule in a YAML pack.

Kinds are code; packs (``data/rules/*.yaml``) are data. An unknown kind is a config error
that lists these names.
"""

from __future__ import annotations

from cleantext.checks import (
    boilerplate,
    casing,
    existence,
    fragments,
    grammar,
    names,
    punctuation,
    repetition,
    spacing,
    spelling,
    substitution,
)
from cleantext.checks.base import Builder, Check, Context, RuleError, RuleSpec

KINDS: dict[str, Builder] = {
    "substitution": substitution.build,
    "existence": existence.build,
    "boilerplate": boilerplate.build,
    "repetition": repetition.build,
    "spacing": spacing.build,
    "punctuation": punctuation.build,
    "casing": casing.build,
    "names": names.build,
    "grammar": grammar.build,
    "spelling": spelling.build,
    "fragments": fragments.build,
}

__all__ = ["KINDS", "Builder", "Check", "Context", "RuleError", "RuleSpec"]
