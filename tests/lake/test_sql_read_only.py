"""SQL typed by people is read-only: it reads the lake's tables, and nothing writes a file or reads one outside
the lake (local and S3 lakes); `ringrift-lake sql --unsafe` lifts that for local use."""
from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from ringrift_lake import tables
from ringrift_lake.consolidate import consolidate
from ringrift_lake.query import ReadOnlyError, connect, read_only_query


REFERENCE = "/work/shared/fixtures/reference-games/square8_2p.jsonl.gz"


@pytest.fixture
def filled(lake):
    from ringrift_lake.ingest import import_files

    import_files(lake, [REFERENCE])
    consolidate(lake, workers=1)
    return lake


def test_queries_read_the_lake_and_nothing_else(filled, tmp_path):
    con = connect(filled, lockdown=True)
    try:
        games = read_only_query(con, "SELECT count(*) AS n FROM games").column("n")[0].as_py()
        assert games == tables.read(filled, "games", columns=["game_id"]).num_rows == 30
        first_file = tables.file_uris(filled, "moves")[0]
        assert read_only_query(con, f"SELECT count(*) AS n FROM read_parquet('{first_file}')").num_rows == 1
        plan = read_only_query(con, "EXPLAIN SELECT config FROM games")
        assert plan.num_rows >= 1
        target = tmp_path / "out.csv"
        for sql in (f"COPY (SELECT * FROM games) TO '{target}'",
                    f"COPY (SELECT 1 AS a) TO '{first_file}' (FORMAT parquet, USE_TMP_FILE false)",
                    f"SELECT 1; COPY games TO '{target}'", "SET enable_external_access = true",
                    f"ATTACH '{tmp_path / 'x.db'}'", "CREATE TABLE t AS SELECT 1", "INSTALL httpfs"):
            with pytest.raises(ReadOnlyError, match="not allowed"):
                read_only_query(con, sql)
        assert not target.exists()
        for sql in ("SELECT * FROM read_text('/etc/hostname')", f"SELECT * FROM glob('{tmp_path}/*')",
                    "SELECT * FROM read_csv('/etc/passwd')"):
            with pytest.raises(duckdb.PermissionException):
                read_only_query(con, sql)
        with pytest.raises(duckdb.Error, match="locked"):              # not even through the Python API
            con.execute("SET enable_external_access = true")
    finally:
        con.close()
    assert read_only_query(connect(filled, lockdown=True), "SELECT count(*) AS n FROM moves").column("n")[0].as_py() \
        == tables.read(filled, "moves", columns=["ply"]).num_rows   # the data files were not touched


def _sql(lake_env, *args):
    return subprocess.run([sys.executable, "-m", "cli", "sql", *args], env=lake_env, capture_output=True, text=True,
                          timeout=120)


def test_the_sql_command_refuses_writes_unless_unsafe(local_lake, lake_env, tmp_path):
    from ringrift_lake.ingest import import_files

    import_files(local_lake, [REFERENCE])
    consolidate(local_lake, workers=1)
    out = tmp_path / "by_config.csv"
    done = _sql(lake_env, "SELECT config, count(*) AS n FROM games GROUP BY 1", "--format", "csv",
                "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text().splitlines() == ['"config","n"', '"square8_2p",30']

    target = tmp_path / "copy.csv"
    refused = _sql(lake_env, f"COPY (SELECT * FROM games) TO '{target}'")
    assert refused.returncode == 2 and not target.exists()
    assert "COPY statements are not allowed" in refused.stderr and "--unsafe" in refused.stderr
    outside = _sql(lake_env, "SELECT * FROM read_text('/etc/hostname')")
    assert outside.returncode == 2 and "disabled by configuration" in outside.stderr

    allowed = _sql(lake_env, f"COPY (SELECT game_id FROM games) TO '{target}'", "--unsafe")
    assert allowed.returncode == 0, allowed.stderr
    assert len(target.read_text().splitlines()) == 31
