"""import_files: load existing games (reference JSONL, legacy SQLite) into raw_games, idempotently.

Idempotent by game_id: ids already in raw_games are skipped (counted as
duplicates) and the rest are inserted with an insert-only merge, so a
repeated import writes nothing and leaves every table at its version. Bad
records go to ``quarantine`` (reason ``schema_error``, the raw record as
payload; key game_id + reason, also insert-only) and are reported by file and
record. A file that cannot be read at all is reported and skipped; the
other files are imported. A file cut short (a truncated .jsonl.gz) keeps
every complete line before the cut and is reported as one error naming the
file and its last complete line (the CLI then exits non-zero).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Iterator


from ringrift_lake import tables
from ringrift_lake.ingest.legacy_sqlite import SOURCE as LEGACY_SOURCE
from ringrift_lake.ingest.legacy_sqlite import read_legacy_db
from ringrift_lake.ingest.records import BadRecord, ImportFileError, TruncatedFileError
from ringrift_lake.ingest.reference import SOURCE as REFERENCE_SOURCE
from ringrift_lake.ingest.reference import read_reference_file
from ringrift_lake.location import Lake
from ringrift_lake.records.rows import TABLE, write_new_raw_games

REFERENCE_SUFFIXES = (".jsonl", ".jsonl.gz", ".json.gz", ".ndjson", ".ndjson.gz")
LEGACY_SUFFIXES = (".db", ".sqlite", ".sqlite3")


@dataclass
class FileReport:
    path: str
    kind: str                                   # reference | legacy | unknown
    accepted: int = 0                           # new games written to raw_games
    duplicates: int = 0                         # game ids already in raw_games (or twice in the input)
    quarantined: dict[str, int] = field(default_factory=dict)   # reason -> count (new quarantine rows)
    errors: list[str] = field(default_factory=list)             # "file: record: message"
    failed: bool = False                        # the file could not be read at all
    truncated_after: int | None = None          # cut short: the last complete line read (and kept)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def quarantined(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.files:
            for reason, n in f.quarantined.items():
                out[reason] = out.get(reason, 0) + n
        return out

    @property
    def errors(self) -> list[str]:
        return [e for f in self.files for e in f.errors]

    @property
    def ok(self) -> bool:
        return not self.errors

    def render(self) -> str:
        lines = [f"{'file':<44} {'kind':<9} {'accepted':>8} {'duplicate':>9} {'quarantined':>11}"]
        for f in self.files:
            q = sum(f.quarantined.values())
            status = "  FAILED" if f.failed else f"  TRUNCATED after line {f.truncated_after}" \
                if f.truncated_after is not None else ""
            lines.append(f"{os.path.basename(f.path):<44} {f.kind:<9} {f.accepted:>8} {f.duplicates:>9} {q:>11}"
                         f"{status}")
        q = self.quarantined
        lines.append(f"{'total':<44} {'':<9} {self.total('accepted'):>8} {self.total('duplicates'):>9} "
                     f"{sum(q.values()):>11}")
        for reason, n in sorted(q.items()):
            lines.append(f"  quarantined {reason}: {n}")
        lines.extend(f"error: {e}" for e in self.errors)
        return "\n".join(lines)


def kind_of(path: str) -> str:
    lower = path.lower()
    if lower.endswith(REFERENCE_SUFFIXES):
        return "reference"
    if lower.endswith(LEGACY_SUFFIXES):
        return "legacy"
    return "unknown"


def _records(path: str, kind: str) -> Iterator[dict | BadRecord]:
    if kind == "reference":
        return read_reference_file(path)
    if kind == "legacy":
        return read_legacy_db(path)
    raise ImportFileError(path, f"unknown file type; expected {', '.join(REFERENCE_SUFFIXES + LEGACY_SUFFIXES)}")


class _KnownKeys:
    """Keys already in a table, read once per import (one projection of the key columns) and kept current.

    The insert-only merge still guards against concurrent writers; this set
    only spares commits (and version bumps) when nothing is new.
    """

    def __init__(self, lake: Lake, name: str, columns: tuple[str, ...]):
        self.lake, self.name, self.columns = lake, name, columns
        self._keys: set[tuple] | None = None

    @property
    def keys(self) -> set[tuple]:
        if self._keys is None:
            data = tables.read(self.lake, self.name, columns=list(self.columns))
            self._keys = set(zip(*(data.column(c).to_pylist() for c in self.columns)))
        return self._keys


def _quarantine_row(bad: BadRecord, source: str) -> dict:
    return {"game_id": bad.game_id, "config": bad.config or "unknown", "reason": bad.reason, "ply": None,
            "detail": bad.describe(), "source": source, "raw_version": None,
            "quarantined_at": datetime.now(timezone.utc), "payload": bad.payload}


class _FileImporter:
    """Buffers one file's rows and bad records and writes them in batches."""

    def __init__(self, lake: Lake, report: FileReport, source: str, batch_size: int,
                 games: _KnownKeys, quarantined: _KnownKeys):
        self.lake, self.report, self.source, self.batch_size = lake, report, source, batch_size
        self.games, self.quarantined = games, quarantined
        self.rows: list[dict] = []
        self.bad: list[BadRecord] = []

    def add(self, item: dict | BadRecord) -> None:
        if isinstance(item, BadRecord):
            self.report.errors.append(item.describe())
            self.bad.append(item)
        else:
            self.rows.append(item)
        if len(self.rows) + len(self.bad) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        unique: dict[str, dict] = {}
        for row in rows:
            if row["game_id"] in unique:
                self.report.duplicates += 1
            unique[row["game_id"]] = row
        new = [row for gid, row in unique.items() if (gid,) not in self.games.keys]
        self.report.duplicates += len(unique) - len(new)
        if new:
            inserted = write_new_raw_games(self.lake, new)
            self.report.accepted += inserted
            self.report.duplicates += len(new) - inserted   # written meanwhile by another importer
            self.games.keys.update((row["game_id"],) for row in new)
        bad, self.bad = self.bad, []
        fresh = {(b.game_id, b.reason): b for b in bad if (b.game_id, b.reason) not in self.quarantined.keys}
        if fresh:
            tables.merge_insert_new(self.lake, "quarantine", [_quarantine_row(b, self.source) for b in fresh.values()])
            self.quarantined.keys.update(fresh)
            for b in fresh.values():
                self.report.quarantined[b.reason] = self.report.quarantined.get(b.reason, 0) + 1


def import_files(lake: Lake, paths: Iterable[str], batch_size: int = 500) -> ImportReport:
    """Import every file (reference .jsonl[.gz] or legacy .db); see the module docstring."""
    report = ImportReport()
    games = _KnownKeys(lake, TABLE, ("game_id",))
    quarantined = _KnownKeys(lake, "quarantine", ("game_id", "reason"))
    for path in paths:
        kind = kind_of(path)
        file_report = FileReport(path, kind)
        report.files.append(file_report)
        source = LEGACY_SOURCE if kind == "legacy" else REFERENCE_SOURCE
        importer = _FileImporter(lake, file_report, source, batch_size, games, quarantined)
        try:
            for item in _records(path, kind):
                importer.add(item)
        except TruncatedFileError as exc:
            file_report.truncated_after = exc.last_line
            file_report.errors.append(str(exc))
        except ImportFileError as exc:
            file_report.failed = True
            file_report.errors.append(str(exc))
        importer.flush()
    return report
