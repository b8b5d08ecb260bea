"""`ringrift-lake sql`: DuckDB over every lake table (as a view); print a table or write CSV/JSON/Parquet.

Read-only by default (``ringrift_lake.query``: only SELECT/EXPLAIN, no file but the lake's data files);
``--unsafe`` gives the plain DuckDB connection (writes and any file), for local use."""
from __future__ import annotations

import io
import json
import sys

FORMATS = ("table", "csv", "json", "parquet")


def register(sub) -> None:
    p = sub.add_parser("sql", help="run SQL over the lake tables (games, moves, raw_games, ... as views)")
    p.add_argument("query", nargs="?", help='the query, e.g. "SELECT config, count(*) FROM games GROUP BY 1"')
    p.add_argument("--file", help="read the query from this file; with --name, one `-- name:` query of it")
    p.add_argument("--name", help="the named query of --file to run (e.g. docs/queries.sql)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--output", help="write to this file (required for parquet; default stdout)")
    p.add_argument("--max-rows", type=int, default=200, help="rows printed in table format (default 200)")
    p.add_argument("--unsafe", action="store_true",
                   help="lift the read-only guard: SQL may write files (COPY ...) and read any file; local use only")
    p.set_defaults(func=_run)


def _query_text(args) -> str:
    if args.file:
        from ringrift_lake.query import named_queries

        text = open(args.file, encoding="utf-8").read()
        if not args.name:
            return text
        queries = named_queries(text)
        if args.name not in queries:
            raise SystemExit(f"no query named {args.name!r} in {args.file}; names: {', '.join(queries)}")
        return queries[args.name]
    if not args.query:
        raise SystemExit("give a query, or --file (and --name)")
    return args.query


def write_result(table, fmt: str, output: str | None, max_rows: int = 200) -> None:
    """Print or write an Arrow result in one of FORMATS."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        if not output:
            raise SystemExit("--format parquet needs --output FILE")
        pq.write_table(table, output, compression="zstd")
        return
    if fmt == "csv":
        import pyarrow.csv as pacsv

        if output:
            pacsv.write_csv(table, output)
        else:
            buffer = io.BytesIO()
            pacsv.write_csv(table, buffer)
            sys.stdout.write(buffer.getvalue().decode())
        return
    if fmt == "json":
        text = json.dumps(table.to_pylist(), indent=2, default=str)
        if output:
            with open(output, "w", encoding="utf-8") as out:
                out.write(text + "\n")
        else:
            print(text)
        return
    from tabulate import tabulate

    shown = table.slice(0, max_rows).to_pylist()
    text = tabulate(shown, headers="keys") if shown else "(no rows) columns: " + ", ".join(table.column_names)
    if table.num_rows > max_rows:
        text += f"\n... {table.num_rows - max_rows} more rows (use --format csv/json/parquet --output FILE)"
    if output:
        with open(output, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    else:
        print(text)


def _run(args) -> int:
    import duckdb

    from ringrift_lake.location import Lake
    from ringrift_lake.query import ReadOnlyError, connect, fetch_arrow, read_only_query

    sql = _query_text(args)
    con = connect(Lake.from_env(), lockdown=not args.unsafe)
    try:
        table = fetch_arrow(con, sql) if args.unsafe else read_only_query(con, sql)
    except ReadOnlyError as exc:
        print(f"query refused: {exc}; --unsafe lifts this for local use", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"query failed: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    write_result(table, args.format, args.output, args.max_rows)
    return 0
