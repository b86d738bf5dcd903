"""The C extension (``_tokenset.c``) when it was built, else None.

Every caller has a pure-Python path that gives the same answers, and the tests hold the
two to that. ``CLEANTEXT_NATIVE=0`` in the environment takes the pure-Python path on
purpose (to compare the two, or to rule the extension out when something looks wrong);
it is read once, when cleantext is imported, and pool workers inherit it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleantext._tokenset import TokenSet


def _load() -> type[TokenSet] | None:
    if os.environ.get("CLEANTEXT_NATIVE", "1") == "0":
        return None
    try:
        from cleantext._tokenset import TokenSet
    except ImportError:  # installed without a C compiler
        return None
    return TokenSet


TOKEN_SET = _load()
# The dump format's version (TokenSet.dump / TokenSet.load), part of a cache file's key.
DUMP_VERSION: int | None = None
if TOKEN_SET is not None:
    from cleantext import _tokenset

    DUMP_VERSION = _tokenset.DUMP_VERSION


def describe() -> str:
    """One line for ``--version`` and bug reports: which path the look-ups take."""
    return "native token sets" if TOKEN_SET is not None else "pure-Python token look-ups"
