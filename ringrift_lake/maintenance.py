"""Lake maintenance: compact small files, checkpoint the Delta logs, vacuum old files.

Writers commit many small batches (selfplay workers, consolidation), so each
table collects small Parquet files and a long JSON log. `maintain` rewrites
the small files of each partition into larger ones (``optimize.compact``),
writes a log checkpoint so readers need not replay every commit, drops expired
log entries, and vacuums files that no live version references any more.

Vacuum keeps files younger than the retention (168 h by default, the Delta
minimum), so readers and time travel within that window keep working; a
shorter retention needs ``unsafe_retention=True``.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from ringrift_lake.location import Lake
from ringrift_lake.schemas import TABLES
from ringrift_lake.tables import WRITER_PROPERTIES, open_table, with_retries

SAFE_RETENTION_HOURS = 168


@dataclass
class TableReport:
    table: str
    version_before: int | None
    version_after: int | None = None
    files_before: int = 0
    files_after: int = 0
    files_added: int = 0
    files_removed: int = 0
    checkpoint: bool = False
    vacuumed: int = 0
    seconds: float = 0.0
    skipped: str | None = None
    vacuum_paths: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def maintain_table(lake: Lake, name: str, *, retention_hours: int = SAFE_RETENTION_HOURS,
                   vacuum: bool = True, dry_run: bool = False, unsafe_retention: bool = False,
                   target_size: int | None = None) -> TableReport:
    """Compact, checkpoint and vacuum one table; a missing table is reported as skipped."""
    if retention_hours < SAFE_RETENTION_HOURS and not unsafe_retention:
        raise ValueError(f"retention {retention_hours} h is below the safe {SAFE_RETENTION_HOURS} h; "
                         "pass unsafe_retention=True if no reader or time travel needs older files")
    started = time.monotonic()
    table = open_table(lake, name)
    if table is None:
        return TableReport(name, None, skipped="table does not exist")
    report = TableReport(name, table.version(), files_before=len(table.file_uris()))
    if not dry_run:
        metrics = with_retries(
            lambda: open_table(lake, name).optimize.compact(target_size=target_size,
                                                            writer_properties=WRITER_PROPERTIES),
            f"compact {name}",
        )
        report.files_added = int(metrics.get("numFilesAdded", 0))
        report.files_removed = int(metrics.get("numFilesRemoved", 0))
        table = open_table(lake, name)
        table.create_checkpoint()
        table.cleanup_metadata()
        report.checkpoint = True
    if vacuum:
        removed = table.vacuum(retention_hours=retention_hours, dry_run=dry_run,
                               enforce_retention_duration=not unsafe_retention)
        report.vacuumed = len(removed)
        report.vacuum_paths = sorted(removed)[:20]
    table = open_table(lake, name)
    report.version_after = table.version()
    report.files_after = len(table.file_uris())
    report.seconds = round(time.monotonic() - started, 3)
    return report


def maintain(lake: Lake, tables: list[str] | None = None, **options) -> list[TableReport]:
    """Maintain every lake table (or the named ones), in schema order."""
    names = list(TABLES) if not tables else tables
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise ValueError(f"unknown tables {unknown}; tables: {', '.join(TABLES)}")
    return [maintain_table(lake, name, **options) for name in names]
