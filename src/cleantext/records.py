"""The per-document record: one shape for the ``jsonl`` template, `corpus` output and any
tool downstream (id, path, text, original, edits, stats), so a corpus builder reads the
same fields whichever command wrote them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cleantext.model import Edit
from cleantext.stats import document_stats


def document_record(
    doc_id: str | int,
    original: str,
    cleaned: str,
    proposals: Sequence[Edit],
    applied: Sequence[Edit] = (),
    *,
    path: str | None = None,
    keep_original: bool = True,
) -> dict[str, Any]:
    """Plain data for one document. ``edits`` are the applied ones (offsets into
    ``original``); ``proposals`` are counted in ``stats`` (flags included)."""
    record: dict[str, Any] = {"id": doc_id}
    if path is not None:
        record["path"] = path
    record["text"] = cleaned
    if keep_original:
        record["original"] = original
    record["edits"] = [e.to_dict() for e in applied]
    record["stats"] = document_stats(original, proposals, applied)
    return record
