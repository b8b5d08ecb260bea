"""`ringrift-lake import FILE...`: load reference games (.jsonl[.gz]) and legacy SQLite databases into raw_games."""
from __future__ import annotations

import glob
import json
import os
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import", help="import reference-game JSONL(.gz) and legacy SQLite game databases into raw_games",
        description="Import existing games into raw_games (idempotent by game id). Reference records "
                    "(.jsonl, .jsonl.gz) become source import:reference (strict validation, R172 off); "
                    "legacy SQLite databases (.db) become source import:legacy (legacy validation). "
                    "Bad records go to quarantine with reason schema_error and are listed by file and record. "
                    "Folders are searched for such files.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="files or folders to import")
    parser.add_argument("--batch-size", type=int, default=500, help="games per commit (default 500)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run)


def expand(paths: list[str]) -> list[str]:
    """Files as given; folders replaced by the importable files below them (sorted)."""
    from ringrift_lake.ingest import kind_of

    out = []
    for path in paths:
        if os.path.isdir(path):
            found = glob.glob(os.path.join(path, "**", "*"), recursive=True)
            out.extend(sorted(p for p in found if os.path.isfile(p) and kind_of(p) != "unknown"))
        else:
            out.append(path)
    return out


def run(args) -> int:
    from dataclasses import asdict

    from ringrift_lake.ingest import import_files
    from ringrift_lake.location import Lake

    lake = Lake.from_env()
    missing = [p for p in args.files if not os.path.exists(p)]
    for path in missing:
        print(f"import: {path}: no such file", file=sys.stderr)
    report = import_files(lake, expand([p for p in args.files if p not in missing]), batch_size=args.batch_size)
    if args.json:
        print(json.dumps({"files": [asdict(f) for f in report.files], "accepted": report.total("accepted"),
                          "duplicates": report.total("duplicates"), "quarantined": report.quarantined}))
    else:
        print(f"import into {lake.describe()}")
        print(report.render())
    return 0 if report.ok and not missing else 1
