"""`ringrift-lake check`: run the quality checks over the lake; exit 1 when a blocking check fails."""
from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("check", help="run the data quality checks (SQL over games/moves)")
    p.add_argument("--check", action="append", dest="names", metavar="NAME",
                   help="only this check (repeatable; default: all)")
    p.add_argument("--rows", type=int, default=0, metavar="N",
                   help="also print up to N offending rows of each failed check")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from tabulate import tabulate

    from ringrift_lake.checks import run_checks
    from ringrift_lake.location import Lake

    lake = Lake.from_env()
    results = run_checks(lake, args.names, sample_rows=max(args.rows, 1))
    failed_blocking = any(r.blocks for r in results)
    if args.json:
        print(json.dumps([r.as_dict(rows=args.rows > 0) for r in results], indent=2, default=str))
        return 1 if failed_blocking else 0
    print(f"lake {lake.describe()}")
    rows = [(r.name, r.severity, "pass" if r.passed else ("ERROR" if r.error else "FAIL"), r.count,
             f"{r.seconds:.2f}", r.error or r.description) for r in results]
    print(tabulate(rows, headers=["check", "severity", "result", "offending", "s", "description"]))
    for r in results:
        if args.rows and not r.passed and r.sample is not None and r.sample.num_rows:
            print(f"\n{r.name}: first {min(args.rows, r.sample.num_rows)} of {r.count} offending rows")
            print(tabulate(r.sample.slice(0, args.rows).to_pylist(), headers="keys"))
    if failed_blocking:
        print("\nblocking checks failed: " + ", ".join(r.name for r in results if r.blocks))
    return 1 if failed_blocking else 0
