"""Every bundled rule proves itself on its own examples (LanguageTool's and ftfy's habit).

Each `flag` example (a mapping {text, fixed} or a plain string) must draw at least one edit
from its rule, and applying that rule's applicable edits must give `fixed`; each `keep`
example must draw none. A rule without `keep` examples fails: a rule that has never been
shown text it must leave alone has not been tested for harm.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from cleantext import config
from cleantext.checks import Check, Context
from cleantext.config import RuleDef
from cleantext.engine import resolve
from cleantext.errors import ConfigError
from cleantext.glossary import Glossary
from cleantext.model import Edit
from cleantext.textops import apply_edits


@cache
def packs() -> tuple[Path, ...]:
    return tuple(config.pack_files(None))


@cache
def rules() -> dict[str, tuple[RuleDef, Check]]:
    """Every bundled rule, loaded with load_pack and built with compile_rules, by id."""
    defs = [rule for pack in packs() for rule in config.load_pack(pack)]
    checks = config.compile_rules(defs)
    return {d.spec.id: (d, c) for d, c in zip(defs, checks, strict=True)}


@cache
def glossary() -> Glossary | None:
    """The bundled glossary: name and casing rules read their canonical names from it."""
    return config.load(rules="none").glossary


def edits_of(rule_id: str, text: str) -> list[Edit]:
    _, check = rules()[rule_id]
    return [e for e in check.run(Context(text, glossary())) if e.rule == rule_id]


def flag_examples(rule: RuleDef) -> Iterator[tuple[str, str | None]]:
    for example in rule.examples.get("flag", []):
        if isinstance(example, dict):
            yield (
                str(example["text"]),
                (str(example["fixed"]) if example.get("fixed") is not None else None),
            )
        else:
            yield str(example), None


RULE_IDS = sorted(rules())


def test_bundled_packs_found() -> None:
    assert packs(), "no bundled rule packs"
    assert len(RULE_IDS) >= 20


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_has_both_kinds_of_example(rule_id: str) -> None:
    rule, _ = rules()[rule_id]
    assert rule.examples.get("keep"), f"{rule_id} has no 'keep' example"
    assert rule.examples.get("flag"), f"{rule_id} has no 'flag' example"
    assert set(rule.examples) <= {"flag", "keep"}, f"{rule_id}: unknown example kind"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_flag_examples(rule_id: str) -> None:
    rule, _ = rules()[rule_id]
    for text, fixed in flag_examples(rule):
        found = edits_of(rule_id, text)
        assert found, f"{rule_id} does not flag {text!r}"
        if fixed is not None:
            winners = resolve(e for e in found if e.applicable)
            assert apply_edits(text, winners) == fixed, f"{rule_id} on {text!r}"


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_keep_examples(rule_id: str) -> None:
    rule, _ = rules()[rule_id]
    for example in rule.examples.get("keep", []):
        text = str(example["text"] if isinstance(example, dict) else example)
        found = edits_of(rule_id, text)
        assert not found, f"{rule_id} flags keep example {text!r}: {found}"


def test_rule_ids_unique_and_stable() -> None:
    ids = [rule.spec.id for pack in packs() for rule in config.load_pack(pack)]
    assert len(ids) == len(set(ids))
    for rule_id in ids:
        assert rule_id == rule_id.strip().lower() and "." in rule_id, rule_id


def _scalars(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                yield key  # a mapping key read as a boolean or a number: "swap: {on: ...}"
            yield from _scalars(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict | list):
                yield from _scalars(item)
            else:
                yield item


@pytest.mark.parametrize("pack", packs(), ids=lambda p: p.name)
def test_pack_lists_hold_strings(pack: Path) -> None:
    """YAML 1.1 reads a bare on, off, yes or no as a boolean: a word list must not hold one
    (``exclude: [no]`` once silently excluded the word "false")."""
    data = yaml.safe_load(pack.read_text(encoding="utf-8"))
    odd = [item for item in _scalars(data) if isinstance(item, bool) or item is None]
    assert not odd, f"{pack.name}: non-string list items {odd}; quote them"


def test_rule_without_keep_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(
        "- id: demo.no-keep\n"
        "  kind: substitution\n"
        "  message: demo\n"
        "  swap: {colour: color}\n"
        "  examples:\n"
        "    flag: [colour]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        config.load_pack(pack)
    assert "keep" in str(caught.value) and "demo.no-keep" in str(caught.value)


def test_example_runner_catches_a_broken_rule(tmp_path: Path) -> None:
    """The runner's own check: a rule whose keep example it flags is found out."""
    pack = tmp_path / "bad.yaml"
    pack.write_text(
        "- id: demo.too-eager\n"
        "  kind: substitution\n"
        "  message: demo\n"
        "  swap: {account: compute}\n"
        "  examples:\n"
        "    flag: [{text: an account, fixed: an compute}]\n"
        "    keep: [open a bank account]\n",
        encoding="utf-8",
    )
    [rule] = config.load_pack(pack)
    [check] = config.compile_rules([rule])
    keep = str(rule.examples["keep"][0])
    assert [e.rule for e in check.run(Context(keep, None))] == ["demo.too-eager"]
