"""Find and load the glossary and rule packs: named ones, the project's own (found from the
current folder upwards), or the bundled defaults; compile every rule once.

Packs are read with PyYAML's safe loader only. Every problem is a ConfigError naming the
file, the line where PyYAML knows it, and the rule id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cleantext import glossary as glossary_mod
from cleantext.checks import KINDS, Check, RuleError, RuleSpec, boilerplate
from cleantext.checks.base import check_category
from cleantext.errors import ConfigError
from cleantext.model import Confidence

GLOSSARY_NAME = "glossary.csv"
RULES_NAME = "rules"


def bundled_path(name: str) -> Path:
    # the package's folder, as importlib.resources.files("cleantext") gives it: importing
    # importlib.resources (and the tempfile it imports) cost every command 10 ms
    return Path(__file__).parent / "data" / name


def find_upwards(name: str, start: Path | None = None) -> Path | None:
    """The nearest ``name`` in ``start`` or one of its parents, like ruff's config search."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / name
        if candidate.exists():
            return candidate
    return None


@dataclass(frozen=True)
class RuleDef:
    """A pack rule as written, kept for its examples and for reports."""

    spec: RuleSpec
    source: str
    line: int | None
    examples: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class Config:
    """Everything a run needs, compiled: the glossary, the rules and their fingerprints."""

    glossary: glossary_mod.Glossary | None
    rules: list[RuleDef]
    checks: list[Check]
    rules_digest: str = ""
    sources: list[str] = field(default_factory=list)


@cache
def _safe_loader() -> Any:
    """libyaml's parser when PyYAML was built with it (its wheels are): the packs are parsed
    on every command, and the pure-Python parser took a tenth of a second of each start."""
    import yaml  # imported here: only loading a pack needs it, and it costs 16 ms to import

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_and_load(text: str) -> tuple[Any, Any]:
    """The node tree (for rule line numbers) and the data, from one parse."""
    loader = _safe_loader()(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def load_pack(path: Path) -> list[RuleDef]:
    """Parse one YAML pack into rule definitions (not compiled yet)."""
    import yaml  # imported here, as in _safe_loader

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot be read: {exc}") from None
    try:
        node, data = _compose_and_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(
            str(path), f"not valid YAML: {getattr(exc, 'problem', exc)}", line
        ) from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(str(path), "a pack is a YAML list of rules", 1)
    lines = [item.start_mark.line + 1 for item in node.value] if node is not None else []
    return [
        _rule_def(path, item, lines[i] if i < len(lines) else None) for i, item in enumerate(data)
    ]


def _rule_def(path: Path, item: Any, line: int | None) -> RuleDef:
    if not isinstance(item, dict):
        raise ConfigError(str(path), "each rule is a mapping with id and kind", line)
    rule_id = str(item.get("id", "")).strip()
    if not rule_id:
        raise ConfigError(str(path), "rule without an id", line)

    def fail(message: str) -> ConfigError:
        return ConfigError(str(path), f"rule {rule_id}: {message}", line)

    kind = item.get("kind")
    if kind not in KINDS:
        raise fail(f"unknown kind {kind!r}; valid kinds: {', '.join(sorted(KINDS))}")
    try:
        confidence = Confidence(str(item.get("confidence", "review")))
    except ValueError:
        raise fail("confidence must be auto, review or flag") from None
    try:
        category = check_category(rule_id, str(item.get("category", _default_category(kind))))
    except RuleError as exc:
        raise ConfigError(str(path), str(exc), line) from None
    message = item.get("message")
    if not isinstance(message, str) or not message.strip():
        raise fail("needs a message")
    examples = item.get("examples")
    if not isinstance(examples, dict) or not examples.get("keep"):
        raise fail("needs examples with at least one 'keep' case (text it must leave alone)")
    options = {
        k: v
        for k, v in item.items()
        if k not in ("id", "kind", "message", "confidence", "category", "examples", "note")
    }
    spec = RuleSpec(rule_id, kind, message, confidence, category, options)
    return RuleDef(spec, str(path), line, {k: list(v or []) for k, v in examples.items()})


def _default_category(kind: str) -> str:
    return {
        "substitution": "term",
        "existence": "mistranslation",
        "boilerplate": "boilerplate",
        "repetition": "duplication",
        "spacing": "spacing",
        "punctuation": "punctuation",
        "casing": "casing",
        "names": "name",
        "grammar": "grammar",
        "spelling": "spelling",
        "fragments": "grammar",
    }[kind]


def compile_rules(defs: Sequence[RuleDef]) -> list[Check]:
    """Build every rule once; ids must be unique across packs."""
    checks: list[Check] = []
    seen: dict[str, str] = {}
    for rule in defs:
        if rule.spec.id in seen:
            raise ConfigError(
                rule.source,
                f"rule {rule.spec.id}: duplicate id (also in {seen[rule.spec.id]})",
                rule.line,
            )
        seen[rule.spec.id] = rule.source
        try:
            checks.append(KINDS[rule.spec.kind](rule.spec))
        except (RuleError, ValueError, TypeError) as exc:
            message = str(exc)
            prefix = f"rule {rule.spec.id}: "
            message = message if message.startswith(prefix) else prefix + message
            raise ConfigError(rule.source, message, rule.line) from None
    boilerplate.link([c for c in checks if isinstance(c, boilerplate.Boilerplate)])
    return checks


def pack_files(rules: str | Path | None) -> list[Path]:
    """``None``: the project's rules/ folder or the bundled packs; ``"none"``: no packs."""
    if rules is not None and str(rules) == "none":
        return []
    folder = Path(rules) if rules is not None else bundled_path(RULES_NAME)
    if not folder.exists():
        raise ConfigError(str(folder), "no such rules folder or file")
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def glossary_files(path: str | Path | None, use_glossary: bool = True) -> list[Path]:
    """Bundled glossary first, then the project's (found upwards) or the named one."""
    if not use_glossary:
        return []
    files = [bundled_path(GLOSSARY_NAME)]
    extra = Path(path) if path is not None else find_upwards(GLOSSARY_NAME)
    if path is not None and not Path(path).exists():
        raise ConfigError(str(path), "no such glossary file")
    if extra is not None and extra.resolve() != files[0].resolve():
        files.append(extra)
    return files


def load(
    glossary: str | Path | None = None, rules: str | Path | None = None, use_glossary: bool = True
) -> Config:
    gfiles = glossary_files(glossary, use_glossary)
    compiled = glossary_mod.load(gfiles) if gfiles else None
    defs: list[RuleDef] = []
    digest = hashlib.sha256()
    for pack in pack_files(rules):
        digest.update(pack.read_bytes())
        defs.extend(load_pack(pack))
    return Config(
        compiled,
        defs,
        compile_rules(defs),
        digest.hexdigest()[:12],
        [str(p) for p in gfiles] + [str(p) for p in pack_files(rules)],
    )
