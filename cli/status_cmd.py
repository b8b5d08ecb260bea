"""`ringrift-lake status`: table versions, sizes and row counts, consolidation progress, per-config counts."""
from __future__ import annotations

import json

PER_CONFIG_SQL = """
WITH raw AS (SELECT config, count(*) AS raw_games, max(finished_at) AS last_raw_game FROM raw_games GROUP BY config),
     g AS (SELECT config, count(*) AS games, sum(num_moves) AS moves, max(ingest_seq) AS last_ingest_seq,
                  max(consolidated_at) AS last_consolidated FROM games GROUP BY config),
     q AS (SELECT config, count(*) AS quarantined FROM quarantine GROUP BY config)
SELECT config, coalesce(raw.raw_games, 0) AS raw_games, coalesce(g.games, 0) AS games,
       coalesce(g.moves, 0) AS moves, coalesce(q.quarantined, 0) AS quarantined,
       raw.last_raw_game, g.last_ingest_seq, g.last_consolidated
FROM raw FULL JOIN g USING (config) FULL JOIN q USING (config)
ORDER BY config
"""


def table_overview(lake) -> list[dict]:
    """Per table: version, live files, rows and bytes (from the Delta log's add actions)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from ringrift_lake import tables
    from ringrift_lake.schemas import TABLES

    rows = []
    for name in TABLES:
        table = tables.open_table(lake, name)
        if table is None:
            rows.append({"table": name, "version": None, "files": 0, "rows": 0, "bytes": 0})
            continue
        adds = pa.table(table.get_add_actions(flatten=True))
        rows.append({"table": name, "version": table.version(), "files": adds.num_rows,
                     "rows": int(pc.sum(adds.column("num_records")).as_py() or 0),
                     "bytes": int(pc.sum(adds.column("size_bytes")).as_py() or 0)})
    return rows


def consolidation_overview(lake) -> dict:
    """The latest consolidation run and whether raw_games has data past every watermark."""
    from ringrift_lake import tables

    state = tables.read(lake, "consolidations")
    raw_version = tables.version(lake, "raw_games")
    if state.num_rows == 0:
        return {"last_run": None, "raw_version": raw_version, "watermark": None,
                "pending": raw_version is not None}
    latest = max(state.to_pylist(), key=lambda r: r["finished_at"])
    watermark = min(r["raw_version"] for r in state.to_pylist() if r["run_id"] == latest["run_id"])
    return {"last_run": str(latest["finished_at"]), "raw_version": raw_version, "watermark": watermark,
            "pending": raw_version is not None and raw_version > watermark}


def register(sub) -> None:
    p = sub.add_parser("status", help="lake tables (versions, files, rows, size), consolidation, per-config counts")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from tabulate import tabulate

    from ringrift_lake.location import Lake
    from ringrift_lake.query import connect, fetch_arrow

    lake = Lake.from_env()
    overview = table_overview(lake)
    consolidation = consolidation_overview(lake)
    con = connect(lake)
    try:
        per_config = fetch_arrow(con, PER_CONFIG_SQL).to_pylist()
    finally:
        con.close()
    if args.json:
        print(json.dumps({"lake": lake.describe(), "tables": overview, "consolidation": consolidation,
                          "configs": per_config}, indent=2, default=str))
        return 0
    print(f"lake {lake.describe()}\n")
    print(tabulate([{**r, "bytes": f"{r['bytes'] / 1e6:.2f} MB"} for r in overview], headers="keys"))
    pending = " (new raw data waiting)" if consolidation["pending"] else ""
    print(f"\nlast consolidation: {consolidation['last_run'] or 'never'}; raw_games v{consolidation['raw_version']}, "
          f"consolidated up to v{consolidation['watermark']}{pending}\n")
    print(tabulate(per_config, headers="keys") if per_config else "no games yet")
    return 0
