"""Where cleantext keeps what it derives from its inputs and may rebuild at any time.

Only derived data goes there (today the lexicon's token set, see ``lexicon``): deleting
the folder costs a rebuild, never a result. ``CLEANTEXT_CACHE_DIR`` names another folder;
set to the empty string, nothing is cached. platformdirs gives each system's usual place
(``~/.cache/cleantext`` on Linux, honouring ``XDG_CACHE_HOME``) instead of hard-coding
one system's convention.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "CLEANTEXT_CACHE_DIR"


def directory() -> Path | None:
    """The cache folder (perhaps not made yet), or None when caching is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    import platformdirs  # imported here: most commands never reach the cache

    return Path(platformdirs.user_cache_dir("cleantext", appauthor=False))
