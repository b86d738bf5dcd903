"""Start-up: what every command imports stays small. Packages that only some code paths
need (PyYAML for rule packs, rapidfuzz for names, tempfile for writes...) are imported where
they are used, so a fresh interpreter must not hold them after importing the entry points.
Each case runs in a child interpreter: this one has imported everything long ago."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from cleantext import config

# imported where they are used, never at start-up
ALWAYS_LAZY = (
    "yaml",
    "rapidfuzz",
    "importlib.resources",
    "tempfile",
    "ahocorasick_rs",
    "diff_match_patch",
)
# nor by check and fix (the corpus modules import concurrent.futures, and logging with it)
CLI_LAZY = (*ALWAYS_LAZY, "concurrent.futures", "logging", "difflib")


def fresh(code: str) -> Any:
    """The JSON that ``code`` prints last, run in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    ("code", "lazy"),
    [
        ("import cleantext.cli", CLI_LAZY),
        ("import cleantext.cli\nfrom cleantext.corpus import mining, run, worker", ALWAYS_LAZY),
    ],
    ids=["cli", "corpus"],
)
def test_start_up_leaves_optional_packages_unimported(code: str, lazy: tuple[str, ...]) -> None:
    probe = f"{code}\nimport json, sys\nprint(json.dumps([n for n in {lazy} if n in sys.modules]))"
    assert fresh(probe) == []


def test_loading_the_bundled_rules_imports_yaml_and_works() -> None:
    loaded = fresh(
        "import json, sys\n"
        "from cleantext import config\n"
        "cfg = config.load()\n"
        "print(json.dumps({'yaml': 'yaml' in sys.modules, 'checks': len(cfg.checks),\n"
        "                  'ids': [rule.spec.id for rule in cfg.rules]}))"
    )
    packs = config.pack_files(None)
    expected = [rule["id"] for pack in packs for rule in yaml.safe_load(pack.read_text("utf-8"))]
    assert loaded["yaml"] is True
    assert expected and loaded["ids"] == expected
    assert loaded["checks"] == len(expected)


def test_bundled_path_is_the_package_resource() -> None:
    """The bundled data is found where importlib.resources finds it, without importing it."""
    for name in (config.RULES_NAME, config.GLOSSARY_NAME):
        expected = resources.files("cleantext") / "data" / name
        assert config.bundled_path(name) == Path(str(expected))
        assert config.bundled_path(name).exists()
