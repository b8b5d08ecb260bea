"""`ringrift-lake export`: encode a window of consolidated games into shards plus a `datasets` row.

    ringrift-lake export --config square8_2p --newest-samples 500000
    ringrift-lake export --config hex8_2p --where "ingest_seq > 12000" --workers 8
    ringrift-lake export --rebuild square8_2p-20261129T061500-1a2b3c4d     # byte-identical check

Exit status: 0 on success (rebuild: every shard byte-identical), 1 when the export or rebuild
failed or differs, 2 for bad arguments.
"""
from __future__ import annotations

import argparse
import sys
import time


def register(sub) -> None:
    p = sub.add_parser("export", help="encode games into training shards and a datasets row",
                       description="Replay a window of games from the lake and write training shards.")
    p.add_argument("--config", help="e.g. square8_2p (required unless --rebuild)")
    window = p.add_mutually_exclusive_group()
    window.add_argument("--newest-games", type=int, metavar="N", help="the N most recently ingested games")
    window.add_argument("--newest-samples", type=int, metavar="N",
                        help="the newest games holding at least N samples (one per move)")
    p.add_argument("--where", metavar="SQL", help="SQL predicate on ingest_seq, e.g. \"ingest_seq > 1000\"")
    p.add_argument("--workers", type=int, help="worker processes (default: all cores)")
    p.add_argument("--shard-samples", type=int, help="samples per shard (default 65,536, less on big boards)")
    p.add_argument("--rebuild", metavar="DATASET_ID", help="re-encode a dataset from its recorded versions and compare")
    p.add_argument("--restore", action="store_true", help="with --rebuild: put verified shards back where missing")
    p.add_argument("--lake", help="lake root (default: $RINGRIFT_LAKE or ./lake)")
    p.set_defaults(func=_run)


def _lake(args):
    from ringrift_lake.location import Lake

    return Lake.at(args.lake) if args.lake else Lake.from_env()


def _rebuild(args) -> int:
    from ringrift_lake.export.run import rebuild_dataset

    report = rebuild_dataset(_lake(args), args.rebuild, workers=args.workers, restore=args.restore)
    for shard in report.shards:
        same = "identical" if shard["expected"] == shard["actual"] else f"DIFFERS (got {shard['actual']})"
        print(f"{shard['uri']}: {shard['samples']} samples, sha256 {shard['expected']} {same}")
    for uri in report.restored:
        print(f"restored {uri}")
    print(f"dataset {report.dataset_id}: {'byte-identical' if report.identical else 'NOT identical'}")
    return 0 if report.identical else 1


def _export(args) -> int:
    from ringrift_lake.export.run import ExportStats, export_dataset
    from ringrift_lake.export.select import Window

    window = Window(args.newest_games, args.newest_samples, args.where)
    started, stats = time.monotonic(), ExportStats()

    def progress(result, n_shards):
        print(f"  shard {len(stats.shards)}/{n_shards}: {result.samples} samples -> {result.rel_path} "
              f"({time.monotonic() - started:.1f} s)", file=sys.stderr, flush=True)

    row = export_dataset(_lake(args), args.config, window, workers=args.workers,
                         shard_samples=args.shard_samples, on_shard=progress, stats=stats)
    print(f"dataset {row['dataset_id']}: {row['game_count']} games, {row['sample_count']} samples, "
          f"{len(stats.shards)} shards, ingest_seq {row['min_ingest_seq']}..{row['max_ingest_seq']}, "
          f"encoder {row['encoder_version']}, {time.monotonic() - started:.1f} s")
    return 0


def _run(args: argparse.Namespace) -> int:
    if not args.rebuild and not args.config:
        print("ringrift-lake export: --config is required (or --rebuild DATASET_ID)", file=sys.stderr)
        return 2
    try:
        return _rebuild(args) if args.rebuild else _export(args)
    except (ValueError, KeyError, RuntimeError, OSError) as exc:
        print(f"ringrift-lake export: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
