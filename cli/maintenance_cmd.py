"""`ringrift-lake maintenance`: compact small files, checkpoint the Delta logs, vacuum old files."""
from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("maintenance", help="compact, checkpoint and vacuum the lake's Delta tables")
    p.add_argument("--table", action="append", dest="tables", metavar="NAME",
                   help="only this table (repeatable; default: every table)")
    p.add_argument("--retention-hours", type=int, default=168,
                   help="vacuum keeps files younger than this (default 168, the Delta minimum)")
    p.add_argument("--unsafe-retention", action="store_true",
                   help="allow a retention below 168 h (breaks time travel and slow readers)")
    p.add_argument("--no-vacuum", action="store_true", help="compact and checkpoint only")
    p.add_argument("--dry-run", action="store_true", help="change nothing; list what vacuum would delete")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from ringrift_lake.location import Lake
    from ringrift_lake.maintenance import maintain

    lake = Lake.from_env()
    reports = maintain(lake, args.tables, retention_hours=args.retention_hours, vacuum=not args.no_vacuum,
                       dry_run=args.dry_run, unsafe_retention=args.unsafe_retention)
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=2))
        return 0
    from tabulate import tabulate

    rows = [(r.table, r.skipped or f"v{r.version_before} -> v{r.version_after}",
             f"{r.files_before} -> {r.files_after}", "yes" if r.checkpoint else "no", r.vacuumed, r.seconds)
            for r in reports]
    print(f"lake {lake.describe()}" + ("  (dry run)" if args.dry_run else ""))
    print(tabulate(rows, headers=["table", "version", "live files", "checkpoint", "vacuumed", "s"]))
    return 0
