"""Appends that commit only on top of the table version they were checked against.

delta-rs normally rebases a blind append onto whatever was committed
meanwhile. Consolidation must not: its rows are de-duplicated (and, for
games, numbered) against one snapshot, so a commit on top of a newer one
could add a game twice or reuse an ingest_seq. ``append_on_checked`` writes
with no commit retries, so the commit lands exactly at the checked version
+ 1 or fails; on failure it reads the rows other writers added since (their
files only, from the Delta log), lets the caller drop or renumber its rows
against them, and tries again. Nothing is visible before the one commit
that succeeds, so a writer that loses a race leaves nothing behind.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Callable

import pyarrow as pa
from deltalake import CommitProperties, write_deltalake
from deltalake.exceptions import CommitFailedError

from ringrift_lake import tables
from ringrift_lake.consolidate.watermark import read_files, relative_path
from ringrift_lake.location import Lake
from ringrift_lake.schemas import spec

ATTEMPTS = 60
_NO_REBASE = CommitProperties(max_commit_retries=0)

# refresh(rows, added) -> rows still to write, given the rows other writers committed since the last check
Refresh = Callable[[pa.Table, pa.Table], pa.Table]


class ConditionalCommitError(RuntimeError):
    """Other writers kept committing: the rows could not be appended on a version they were checked against."""


@dataclass
class CheckedAppend:
    version: int | None                 # the version this append committed (None: nothing left to write)
    rows: pa.Table                      # the rows committed (after every refresh)
    checked_version: int | None         # the table version the rows were last checked against
    added: list[tuple[int, pa.Table]] = field(default_factory=list)   # (version, rows other writers added)


class TableCursor:
    """An open table, and the files whose rows the caller has checked its own rows against."""

    def __init__(self, lake: Lake, name: str, handle, checked_files: set[str]):
        self.lake, self.name, self.handle = lake, name, handle
        self.version = handle.version()
        self._files = set(handle.file_uris())
        self._checked = checked_files
        self._moved = False                 # a commit failed: some writer took the next version

    @classmethod
    def open(cls, lake: Lake, name: str) -> "TableCursor | None":
        """The table at its current version, every file in it counted as checked; None if it does not exist."""
        handle = tables.open_table(lake, name)
        return None if handle is None else cls(lake, name, handle, set(handle.file_uris()))

    @classmethod
    def create(cls, lake: Lake, name: str) -> "TableCursor":
        """The table (created empty if need be), with nothing checked against yet."""
        return cls(lake, name, tables.ensure_table(lake, name), set())

    def dataset(self):
        """The rows at the cursor's version (native filesystem, see ``Lake.table_filesystem``)."""
        return self.handle.to_pyarrow_dataset(filesystem=self.lake.table_filesystem(self.name))

    @property
    def behind(self) -> bool:
        return self._moved or self._files != self._checked

    def advance(self, columns: list[str]) -> pa.Table:
        """Move to the newest version; the rows (``columns``) of files not checked yet."""
        self.handle.update_incremental()
        self.version, self._files = self.handle.version(), set(self.handle.file_uris())
        added = sorted(relative_path(uri, self.lake.table_uri(self.name)) for uri in self._files - self._checked)
        self._checked, self._moved = set(self._files), False
        return read_files(self.lake, self.name, added, columns=columns)

    def try_append(self, rows: pa.Table) -> int | None:
        """Commit ``rows`` as exactly the next version; None when another writer took that version."""
        try:
            write_deltalake(self.handle, tables.conform(self.name, rows), mode="append",
                            partition_by=list(spec(self.name).partition_by) or None,
                            storage_options=self.lake.storage_options, writer_properties=tables.WRITER_PROPERTIES,
                            commit_properties=_NO_REBASE)
        except CommitFailedError:
            self._moved = True
            return None
        self.version = self.handle.version()
        self._files = self._checked = set(self.handle.file_uris())
        return self.version


def append_on_checked(cursor: TableCursor, rows: pa.Table, refresh: Refresh, check_columns: list[str],
                      what: str, base_delay_s: float = 0.02) -> CheckedAppend:
    """Append ``rows`` in one commit at the version after the one they were checked against, refreshing them
    against other writers' rows (``check_columns`` of their files) and retrying while that version is taken."""
    result = CheckedAppend(None, rows, cursor.version)
    for attempt in range(ATTEMPTS):
        if cursor.behind:
            added = cursor.advance(check_columns)
            result.added.append((cursor.version, added))
            result.rows = refresh(result.rows, added)
            result.checked_version = cursor.version
        if result.rows.num_rows == 0:
            return result
        version = cursor.try_append(result.rows)
        if version is not None:
            result.version = result.checked_version = version
            return result
        time.sleep(random.uniform(0, base_delay_s * 2 ** min(attempt, 6)))
    raise ConditionalCommitError(f"{what}: the table moved on {ATTEMPTS} times in a row")
