"""Records as Arrow tables for Parquet output, with a schema that stays the same from shard
to shard (so that the shards read back as one dataset).

``edits`` and ``stats`` are nested and their keys vary (rule ids), so they are stored as
JSON text; the figures a corpus builder filters on are flat columns beside them. Columns
carried from a Parquet input keep their Arrow types; fields carried from JSON Lines (any
JSON value, of any type from line to line) are kept as one JSON text column, ``fields``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

OWN = ("id", "path", "text", "original", "edits", "stats")
FLAT = (
    ("quality", pa.float64()),
    ("flags_per_1k_words", pa.float64()),
    ("unknown_word_share", pa.float64()),
    ("applied", pa.int64()),
    ("proposals", pa.int64()),
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def to_table(
    records: Sequence[dict[str, Any]],
    carried: pa.Schema | str | None,
    with_path: bool,
    with_original: bool,
) -> pa.Table:
    """One Arrow table for a batch of records (even none: an all-rejected shard still has
    the run's schema). ``carried`` is the Parquet input's schema, ``"fields"`` for JSON
    Lines input (one JSON column), None for text files."""
    id_type = pa.string()
    if isinstance(carried, pa.Schema) and "id" in carried.names:
        id_type = carried.field("id").type
    columns: dict[str, pa.Array] = {
        "id": pa.array(
            [r["id"] if id_type != pa.string() else str(r["id"]) for r in records], type=id_type
        )
    }
    if with_path:
        columns["path"] = pa.array([r.get("path") for r in records], type=pa.string())
    columns["text"] = pa.array([r["text"] for r in records], type=pa.string())
    if with_original:
        columns["original"] = pa.array([r.get("original") for r in records], type=pa.string())
    columns["edits"] = pa.array([_json(r["edits"]) for r in records], type=pa.string())
    columns["stats"] = pa.array([_json(r["stats"]) for r in records], type=pa.string())
    for name, kind in FLAT:
        columns[name] = pa.array([r["stats"].get(name) for r in records], type=kind)
    if isinstance(carried, pa.Schema):
        for field in carried:
            if field.name not in columns:
                values = [r.get(field.name) for r in records]
                columns[field.name] = pa.array(values, type=field.type)
    elif carried == "fields":
        extra = [{k: v for k, v in r.items() if k not in OWN} for r in records]
        columns["fields"] = pa.array([_json(e) for e in extra], type=pa.string())
    return pa.table(columns)
