"""How far consolidation has got, and which raw_games files are new since then.

The ``consolidations`` table holds one row per run and config scope; a
scope's watermark is the largest ``raw_version`` it recorded. New raw data
for a scope = the scope's live files at the current raw_games version minus
its live files at the watermark version (compare the two file sets; nothing
is globbed). Scopes are the 12 configs plus ``OTHER`` for rows whose config
partition is no known config (they can only be quarantined). The same rows
hold each scope's moves floor (``moves_floors``, see ``coverage``).
"""
from __future__ import annotations

from collections import defaultdict
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.schemas import spec

STATE_TABLE = "consolidations"
RAW_TABLE = "raw_games"
OTHER = "*"


def all_configs() -> list[str]:
    from engine import CONFIGS

    return list(CONFIGS)


def scopes_for(configs=None) -> list[str]:
    """The scopes a run covers: the given configs (validated), or every config plus OTHER."""
    if configs is None:
        return all_configs() + [OTHER]
    from engine import parse_config

    for config in configs:
        parse_config(config)
    return sorted(set(configs))


def scope_of_partition(value: str | None) -> str:
    from engine import CONFIGS

    return value if value in CONFIGS else OTHER


def watermarks(state: pa.Table, scopes: list[str]) -> dict[str, int | None]:
    """scope -> last consolidated raw_games version (None: never), from the consolidations rows."""
    marks: dict[str, int | None] = {scope: None for scope in scopes}
    for config, version in zip(state.column("config").to_pylist(), state.column("raw_version").to_pylist()):
        if config in marks and version is not None and (marks[config] is None or version > marks[config]):
            marks[config] = version
    return marks


def moves_floors(state: pa.Table, scopes: list[str]) -> dict[str, int | None]:
    """scope -> the moves version up to which every moves row of the scope belongs to a game in games
    (the largest ``moves_version`` recorded for it; None: never recorded, so every moves file counts).

    Each run records a floor it has verified, and games rows are never taken away again, so every recorded
    floor stays true and the largest one is the best; rows of games still on their way (a run between its
    moves and games commits, or one that crashed there) can only be in moves files added after it."""
    floors: dict[str, int | None] = {scope: None for scope in scopes}
    for config, value in zip(state.column("config").to_pylist(), state.column("moves_version").to_pylist()):
        if config in floors and value is not None and (floors[config] is None or value > floors[config]):
            floors[config] = value
    return floors


def relative_path(uri: str, table_uri: str) -> str:
    """A file URI from the Delta log relative to its table's URI."""
    return uri[len(table_uri) + 1:] if uri.startswith(table_uri + "/") else uri


def _partition_value(relative_path: str) -> str | None:
    head = relative_path.split("/", 1)[0]
    if not head.startswith("config="):
        return None
    value = unquote(head[len("config="):])
    return None if value == "__HIVE_DEFAULT_PARTITION__" else value


def files_by_scope(lake: Lake, table: str, version: int | None) -> dict[str, set[str]]:
    """scope -> relative paths of the table's live files at ``version`` (current when None)."""
    table_uri = lake.table_uri(table)
    grouped: dict[str, set[str]] = defaultdict(set)
    for uri in tables.file_uris(lake, table, version):
        path = relative_path(uri, table_uri)
        grouped[scope_of_partition(_partition_value(path))].add(path)
    return grouped


def files_since(lake: Lake, table: str, since: int | None, until: int | None) -> set[str]:
    """Relative paths live at ``until`` but not at ``since`` (all live files when since is None)."""
    now = set().union(*files_by_scope(lake, table, until).values()) if until is not None else set()
    if since is None:
        return now
    try:
        before = set().union(*files_by_scope(lake, table, since).values())
    except Exception:  # noqa: BLE001 - the old version's log is gone (vacuumed): treat everything as new
        return now
    return now - before


def new_raw_files(lake: Lake, raw_version: int, marks: dict[str, int | None]) -> list[str]:
    """Relative paths of raw_games files (at raw_version) that the scopes have not consolidated yet."""
    current = files_by_scope(lake, RAW_TABLE, raw_version)
    before_cache: dict[int, dict[str, set[str]]] = {}
    new: set[str] = set()
    for scope, mark in marks.items():
        files = current.get(scope, set())
        if mark is not None and files:
            if mark not in before_cache:
                try:
                    before_cache[mark] = files_by_scope(lake, RAW_TABLE, mark)
                except Exception:  # noqa: BLE001 - old log gone: re-read (dedup keeps it idempotent)
                    before_cache[mark] = {}
            files = files - before_cache[mark].get(scope, set())
        new |= files
    return sorted(new)


def read_files(lake: Lake, table: str, paths: list[str], columns: list[str] | None = None,
               filter=None) -> pa.Table:
    """Rows of the given live files of a table (paths from its Delta log; partition columns from the path)."""
    table_spec = spec(table)
    if not paths:
        empty = table_spec.schema.empty_table()
        return empty.select(columns) if columns else empty
    partition_fields = [table_spec.schema.field(name) for name in table_spec.partition_by]
    partitioning = pads.partitioning(pa.schema(partition_fields), flavor="hive") if partition_fields else None
    dataset = pads.dataset(paths, schema=table_spec.schema, format="parquet",
                           filesystem=lake.table_filesystem(table), partitioning=partitioning)
    return dataset.to_table(columns=columns, filter=filter)
