"""cleantext: repair garbled machine-translated English.

The library API, used by the CLI and the tests alike::

    >>> from cleantext import fix_text
    >>> fix_text("He praised Openai’s model.")
    'He praised OpenAI’s model.'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from cleantext import config as _config
from cleantext import engine
from cleantext.model import Confidence, Edit

__version__ = "0.1.0"


@cache
def _default_config(glossary: str | None, rules: str | None, use_glossary: bool) -> _config.Config:
    return _config.load(glossary, rules, use_glossary)


def load_config(
    glossary: str | Path | None = None, rules: str | Path | None = None, use_glossary: bool = True
) -> _config.Config:
    """Compile glossary and packs once; reuse the result across documents."""
    return _default_config(
        None if glossary is None else str(glossary),
        None if rules is None else str(rules),
        use_glossary,
    )


def check_text(
    text: str,
    *,
    config: _config.Config | None = None,
    glossary: str | Path | None = None,
    rules: str | Path | None = None,
    use_glossary: bool = True,
) -> list[Edit]:
    """Every proposal for ``text`` (offsets into ``text``), overlaps settled."""
    cfg = config or load_config(glossary, rules, use_glossary)
    return engine.propose(text, cfg)


def fix_text(
    text: str,
    *,
    unsafe: bool = False,
    config: _config.Config | None = None,
    glossary: str | Path | None = None,
    rules: str | Path | None = None,
    use_glossary: bool = True,
) -> str:
    """``text`` with the auto edits applied (and the review ones too with ``unsafe``)."""
    cfg = config or load_config(glossary, rules, use_glossary)
    return engine.fix(text, cfg, unsafe)[0]


__all__ = ["Confidence", "Edit", "__version__", "check_text", "fix_text", "load_config"]
