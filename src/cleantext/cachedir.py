"""Where cleantext keeps what it derives from its inputs and may rebuild at any time.

Only derived data goes there (the lexicon's token set, see ``lexicon``; the parts of speech
table, see ``lemmas``): deleting
the folder costs a rebuild, never a result. ``CLEANTEXT_CACHE_DIR`` names another folder;
set to the empty string, nothing is cached. platformdirs gives each system's usual place
(``~/.cache/cleantext`` on Linux, honouring ``XDG_CACHE_HOME``) instead of hard-coding
one system's convention.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from cleantext.errors import CleantextError
from cleantext.textops import atomic_write_bytes

ENV = "CLEANTEXT_CACHE_DIR"


def directory() -> Path | None:
    """The cache folder (perhaps not made yet), or None when caching is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    import platformdirs  # imported here: most commands never reach the cache

    return Path(platformdirs.user_cache_dir("cleantext", appauthor=False))


def entry(kind: str, suffix: str, sources: Sequence[Path], *extra: object) -> Path | None:
    """The cache file of ``kind`` derived from ``sources`` (named by their paths, sizes and
    modification times) and ``extra`` (formats, versions): a changed source gives another
    name, so a stale file is never read. None when caching is off or a source is gone."""
    folder = directory()
    if folder is None:
        return None
    stamps = []
    for source in sources:
        try:
            info = source.stat()
        except OSError:
            return None
        stamps.append((str(source), info.st_size, info.st_mtime_ns))
    key = repr((stamps, extra))
    digest = hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
    return folder / f"{kind}-{digest}{suffix}"


def store(path: Path, data: bytes) -> None:
    """Write ``data`` as ``path`` (an ``entry``) and remove the files of its kind that other
    sources made; on a read-only or full disk, quietly do without: a lost cache is rebuilt."""
    kind = path.name.rsplit("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data, durable=False)
        for stale in path.parent.glob(f"{kind}-*{path.suffix}"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except (OSError, CleantextError):
        return
