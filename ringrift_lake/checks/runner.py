"""Running the checks: over the lake (``run_checks``) or over any DuckDB
connection that has ``games`` and ``moves`` views (``run_on`` and
``offending_games``, which consolidation uses on its candidate batch)."""
from __future__ import annotations

from dataclasses import dataclass, field
import time

import duckdb
import pyarrow as pa

from ringrift_lake.checks.definitions import BLOCKING, Check, select
from ringrift_lake.location import Lake
from ringrift_lake.query import fetch_arrow

SAMPLE_ROWS = 20


@dataclass
class CheckResult:
    name: str
    severity: str
    description: str
    count: int                      # offending rows (0 = pass)
    sample: pa.Table | None = None  # up to SAMPLE_ROWS offending rows
    seconds: float = 0.0
    error: str | None = None        # the query failed (counts as a failure)
    extra: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.error is None and self.count == 0

    @property
    def blocks(self) -> bool:
        """A failed blocking check: it gates export and training."""
        return self.severity == BLOCKING and not self.passed

    def as_dict(self, rows: bool = False) -> dict:
        data = {"name": self.name, "severity": self.severity, "description": self.description,
                "passed": self.passed, "count": self.count, "seconds": round(self.seconds, 4),
                "error": self.error}
        if rows and self.sample is not None:
            data["sample"] = self.sample.to_pylist()
        return data


def run_check(con: duckdb.DuckDBPyConnection, check: Check, sample_rows: int = SAMPLE_ROWS) -> CheckResult:
    started = time.perf_counter()
    try:
        count = con.execute(f"SELECT count(*) FROM ({check.sql}) AS offending").fetchall()[0][0]
        sample = fetch_arrow(con, f"SELECT * FROM ({check.sql}) AS offending LIMIT {int(sample_rows)}")
        error = None
    except duckdb.Error as exc:
        count, sample, error = 0, None, f"{type(exc).__name__}: {exc}"
    return CheckResult(check.name, check.severity, check.description, int(count), sample,
                       time.perf_counter() - started, error)


def run_on(con: duckdb.DuckDBPyConnection, names=None, sample_rows: int = SAMPLE_ROWS) -> list[CheckResult]:
    return [run_check(con, check, sample_rows) for check in select(names)]


def run_checks(lake: Lake, names=None, versions: dict[str, int] | None = None,
               sample_rows: int = SAMPLE_ROWS) -> list[CheckResult]:
    """Run the named checks (all by default) over the lake's tables (optionally pinned to versions)."""
    from ringrift_lake.query import connect

    con = connect(lake, versions)
    try:
        return run_on(con, names, sample_rows)
    finally:
        con.close()


def offending_games(con: duckdb.DuckDBPyConnection, names=None) -> pa.Table:
    """(game_id, config, reason, detail) for every game a blocking per-game check rejects.

    ``reason`` is the check's name and ``detail`` the offending row as JSON; a
    game failing several checks appears once per check, in check order.
    """
    parts = [
        f"SELECT CAST(o.game_id AS VARCHAR) AS game_id, CAST(o.config AS VARCHAR) AS config, "
        f"'{check.name}' AS reason, {index} AS check_order, CAST(to_json(o) AS VARCHAR) AS detail "
        f"FROM ({check.sql}) AS o"
        for index, check in enumerate(select(names)) if check.quarantines
    ]
    if not parts:
        return pa.table({"game_id": pa.array([], pa.string()), "config": pa.array([], pa.string()),
                         "reason": pa.array([], pa.string()), "detail": pa.array([], pa.string())})
    sql = " UNION ALL ".join(parts)
    return fetch_arrow(con, f"SELECT game_id, config, reason, detail FROM ({sql}) ORDER BY check_order, game_id")
