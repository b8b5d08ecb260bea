"""DuckDB over the lake: every table as a view.

Each view reads the table's live Parquet files (the Delta snapshot at
connect time, or a pinned version) with ``read_parquet``; the partition
column comes from the hive path. Tables that do not exist yet are empty
views with the right columns, so queries never fail on a young lake. On S3
the bundled httpfs extension is loaded from its wheel (no downloads) and a
secret is made from the lake's storage options.

``connect(lake, lockdown=True)`` is for SQL typed by people (``ringrift-lake
sql``): once the views exist, DuckDB may open only the lake's live data files
(``allowed_paths``, external access off) and the configuration is locked, so
no statement can read other files or turn that off; ``read_only_query``
then runs only SELECT and EXPLAIN statements (COPY, ATTACH, SET, INSERT ...
are refused before they run), because a COPY could overwrite a data file
DuckDB is allowed to read.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pyarrow as pa

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.schemas import TABLES


def _extension_path(package: str, name: str) -> str:
    module = __import__(package)
    found = sorted(Path(module.__file__).parent.glob(f"extensions/*/{name}.duckdb_extension"))
    if not found:
        raise RuntimeError(f"{package} ships no {name}.duckdb_extension; reinstall the environment")
    return str(found[-1])


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _attach_s3(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    con.execute(f"LOAD {_quote(_extension_path('duckdb_extension_httpfs', 'httpfs'))}")
    opts = lake.storage_options
    endpoint = urlparse(opts.get("AWS_ENDPOINT_URL", ""))
    parts = [
        "TYPE s3",
        f"KEY_ID {_quote(opts.get('AWS_ACCESS_KEY_ID', ''))}",
        f"SECRET {_quote(opts.get('AWS_SECRET_ACCESS_KEY', ''))}",
        f"REGION {_quote(opts.get('AWS_REGION', 'us-east-1'))}",
    ]
    if opts.get("AWS_SESSION_TOKEN"):
        parts.append(f"SESSION_TOKEN {_quote(opts['AWS_SESSION_TOKEN'])}")
    if endpoint.netloc:
        parts += [f"ENDPOINT {_quote(endpoint.netloc)}", "URL_STYLE 'path'",
                  f"USE_SSL {'true' if endpoint.scheme == 'https' else 'false'}"]
    con.execute(f"CREATE OR REPLACE SECRET lake_s3 ({', '.join(parts)})")


def _view_sql(name: str, uris: list[str]) -> str:
    spec = TABLES[name]
    files = "[" + ", ".join(_quote(u) for u in uris) + "]"
    hive = "true" if spec.partition_by else "false"
    columns = ", ".join(f'"{c}"' for c in spec.schema.names)
    return (f'CREATE OR REPLACE VIEW "{name}" AS SELECT {columns} FROM '
            f"read_parquet({files}, hive_partitioning = {hive}, union_by_name = true)")


READ_ONLY_STATEMENTS = ("SELECT", "EXPLAIN")


class ReadOnlyError(ValueError):
    """A statement that is not a query, given to a read-only connection."""


def connect(lake: Lake, versions: dict[str, int] | None = None, threads: int | None = None,
            lockdown: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per lake table (optionally pinned to Delta versions); ``lockdown``:
    no file but the lake's data files can be opened and no setting changed (see the module docstring)."""
    con = duckdb.connect()
    # Delta data files are immutable, so their Parquet footers can be cached across queries.
    con.execute("SET parquet_metadata_cache = true")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if lake.is_s3:
        _attach_s3(con, lake)
    versions = versions or {}
    allowed: list[str] = []
    for name, spec in TABLES.items():
        uris = tables.file_uris(lake, name, versions.get(name))
        if uris:
            con.execute(_view_sql(name, uris))
        else:
            con.register(f"_empty_{name}", spec.schema.empty_table())
            con.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT * FROM "_empty_{name}"')
        allowed += uris
    if lockdown:
        con.execute(f"SET allowed_paths = [{', '.join(_quote(u) for u in allowed)}]")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    return con


def read_only_query(con: duckdb.DuckDBPyConnection, sql: str) -> pa.Table:
    """The result of the last statement of ``sql``, when every statement is a SELECT or EXPLAIN;
    ReadOnlyError naming the first other kind, before anything runs."""
    statements = con.extract_statements(sql)
    if not statements:
        raise ReadOnlyError("no SQL statement given")
    for statement in statements:
        kind = str(statement.type).rsplit(".", 1)[-1]
        if kind not in READ_ONLY_STATEMENTS:
            raise ReadOnlyError(f"{kind} statements are not allowed: the lake is read-only here "
                                f"(only {' and '.join(READ_ONLY_STATEMENTS)})")
    for statement in statements[:-1]:
        con.execute(statement).fetchall()
    return fetch_arrow(con, statements[-1].query)


def fetch_arrow(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> pa.Table:
    """The whole result of ``sql`` as an Arrow table (the result is fully consumed)."""
    result = con.execute(sql, params).arrow() if params is not None else con.execute(sql).arrow()
    return result.read_all() if isinstance(result, pa.RecordBatchReader) else result


def named_queries(text: str) -> dict[str, str]:
    """``-- name: X`` sections of a SQL file: name -> query text (up to the next name, trailing ';' dropped)."""
    queries: dict[str, str] = {}
    name, body = None, []
    for line in text.splitlines() + ["-- name: "]:
        stripped = line.strip()
        if stripped.lower().startswith("-- name:"):
            if name:
                queries[name] = "\n".join(body).strip().rstrip(";").strip()
            name, body = stripped.split(":", 1)[1].strip(), []
        elif name is not None:
            body.append(line)
    return queries
