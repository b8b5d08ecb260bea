"""Reading and writing lake tables (Delta Lake via delta-rs).

Writers batch many rows per commit and retry commit conflicts with jittered
exponential backoff; on S3, delta-rs commits with conditional PUTs, so
concurrent writers need no lock service. Readers go through a native
pyarrow filesystem (see ``Lake.table_filesystem``).
"""
from __future__ import annotations

import random
import time
from typing import Callable

import pyarrow as pa
import pyarrow.dataset as pads
from deltalake import DeltaTable, WriterProperties, write_deltalake
from deltalake.exceptions import CommitFailedError, TableNotFoundError

from ringrift_lake.location import Lake
from ringrift_lake.schemas import spec

RETRYABLE = (CommitFailedError,)

# zstd: the lake's bytes per move are a tracked figure (bench/lake.py).
WRITER_PROPERTIES = WriterProperties(compression="ZSTD", compression_level=3)


class CommitError(RuntimeError):
    """A commit that still failed after every retry."""


_retries = 0


def retry_count() -> int:
    """Commit attempts this process has retried so far (conflicts, racing creations): fleet figures."""
    return _retries


def _count_retry() -> None:
    global _retries
    _retries += 1


def with_retries(action: Callable[[], object], what: str, attempts: int = 12, base_delay_s: float = 0.05):
    """Run ``action`` until it commits; conflicts back off with full jitter."""
    for attempt in range(attempts):
        try:
            return action()
        except RETRYABLE as exc:
            if attempt == attempts - 1:
                raise CommitError(f"{what}: gave up after {attempts} conflicting attempts: {exc}") from exc
            _count_retry()
            time.sleep(random.uniform(0, base_delay_s * 2**attempt))
        except OSError as exc:  # a concurrent first commit on a fresh table surfaces as an I/O error
            if attempt == attempts - 1 or "already exists" not in str(exc).lower():
                raise
            _count_retry()
            time.sleep(random.uniform(0, base_delay_s * 2**attempt))
    raise AssertionError("unreachable")


def open_table(lake: Lake, name: str, version: int | None = None) -> DeltaTable | None:
    """The Delta table, or None when it has never been written."""
    try:
        return DeltaTable(lake.table_uri(name), version=version, storage_options=lake.storage_options)
    except TableNotFoundError:
        return None


def version(lake: Lake, name: str) -> int | None:
    table = open_table(lake, name)
    return None if table is None else table.version()


def ensure_table(lake: Lake, name: str) -> DeltaTable:
    """Create the table empty (with its schema and partitioning) if it does not exist."""
    table = open_table(lake, name)
    if table is not None:
        return table
    table_spec = spec(name)
    with_retries(
        lambda: DeltaTable.create(
            lake.table_uri(name),
            schema=table_spec.schema,
            partition_by=list(table_spec.partition_by) or None,
            mode="ignore",
            storage_options=lake.storage_options,
        ),
        f"create {name}",
    )
    return open_table(lake, name)


def conform(name: str, rows: pa.Table | list[dict]) -> pa.Table:
    """Rows as a table with exactly the table's schema (clear error naming the column otherwise)."""
    schema = spec(name).schema
    if isinstance(rows, list):
        return pa.Table.from_pylist(rows, schema=schema)
    missing = [f.name for f in schema if f.name not in rows.column_names]
    if missing:
        raise ValueError(f"{name}: rows lack columns {missing}")
    return rows.select(schema.names).cast(schema)


def append(lake: Lake, name: str, rows: pa.Table | list[dict], table: DeltaTable | None = None) -> int | None:
    """Append rows in one commit (retrying conflicts); returns the new table version (this commit's).

    Rows written by newer code than the table (a column or seat field added since) evolve the table's
    schema in the same commit (`schema_mode="merge"`); older rows then read the new fields as null.

    A long-lived writer passes its open ``table`` handle (from ``ensure_table``):
    delta-rs then updates that snapshot instead of re-reading the Delta log
    for every commit, which keeps commits cheap as the log grows.
    """
    data = conform(name, rows)
    if data.num_rows == 0:
        return table.version() if table is not None else version(lake, name)
    partition_by = list(spec(name).partition_by) or None
    target = table if table is not None else lake.table_uri(name)

    def commit():
        write_deltalake(target, data, mode="append", partition_by=partition_by, schema_mode="merge",
                        storage_options=lake.storage_options, writer_properties=WRITER_PROPERTIES)

    with_retries(commit, f"append {data.num_rows} rows to {name}")
    return table.version() if table is not None else version(lake, name)


def merge_insert_new(lake: Lake, name: str, rows: pa.Table | list[dict], key: tuple[str, ...] | None = None) -> dict:
    """Insert rows whose key is not in the table yet (idempotent append); returns merge metrics."""
    data = conform(name, rows)
    key = key or spec(name).key
    if data.num_rows == 0:
        return {"num_target_rows_inserted": 0}
    ensure_table(lake, name)
    predicate = " AND ".join(f"t.{k} = s.{k}" for k in key)

    def commit():
        return (
            open_table(lake, name)
            .merge(data, predicate=predicate, source_alias="s", target_alias="t", merge_schema=True,
                   writer_properties=WRITER_PROPERTIES)
            .when_not_matched_insert_all()
            .execute()
        )

    return with_retries(commit, f"merge {data.num_rows} rows into {name}")


def dataset(lake: Lake, name: str, version: int | None = None) -> pads.Dataset | None:
    """A pyarrow dataset over the table's live files (native filesystem), or None if absent."""
    table = open_table(lake, name, version)
    if table is None:
        return None
    return table.to_pyarrow_dataset(filesystem=lake.table_filesystem(name))


def read(lake: Lake, name: str, columns: list[str] | None = None, filter=None,
         version: int | None = None) -> pa.Table:
    """The table (or a projection/filter of it) as Arrow; an empty table with the schema if absent."""
    data = dataset(lake, name, version)
    if data is None:
        schema = spec(name).schema
        empty = schema.empty_table()
        return empty.select(columns) if columns else empty
    missing = [c for c in columns or () if c not in data.schema.names]
    if not missing:
        return data.to_table(columns=columns, filter=filter)
    # A table written before a column was added (schema evolution: the first newer writer adds it):
    # the column reads as nulls.
    present = data.to_table(columns=[c for c in columns if c not in missing], filter=filter)
    schema = spec(name).schema
    for column in missing:
        present = present.append_column(schema.field(column), pa.nulls(present.num_rows, schema.field(column).type))
    return present.select(columns)


def file_uris(lake: Lake, name: str, version: int | None = None) -> list[str]:
    table = open_table(lake, name, version)
    return [] if table is None else list(table.file_uris())
