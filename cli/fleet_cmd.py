"""`ringrift-lake fleet`: the selfplay allocation and the fleet's workers; `--allocate` decides anew.

The rule's weights are flags (`ringrift_lake.fleet.allocation.AllocationRule`, one per field); the
retrain numbers the data term uses default to the retrain sensor's (RINGRIFT_RETRAIN_RATIO/_MIN_SAMPLES).
"""
from __future__ import annotations

from ringrift_lake.data_progress import DEFAULT_MIN_SAMPLES, DEFAULT_RATIO
from ringrift_lake.fleet.allocation import AllocationRule
from ringrift_lake.knobs import add_flags, from_namespace


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fleet", help="show the selfplay allocation and the workers; --allocate writes a new allocation",
        description="Show the newest selfplay allocation (table `allocations`) and the state of every fleet "
                    "worker (table `workers`: alive, lost or stopped). With --allocate, decide a new "
                    "allocation from the lake's facts and append it (what the Dagster scheduler does).")
    parser.add_argument("--allocate", action="store_true", help="decide and write a new allocation first")
    parser.add_argument("--configs", nargs="+", default=None, metavar="CONFIG", help="configs to allocate (default all)")
    parser.add_argument("--ratio", type=float, default=DEFAULT_RATIO, help="retrain ratio (new / trained samples)")
    parser.add_argument("--min-samples", type=int, default=DEFAULT_MIN_SAMPLES, help="retrain minimum new samples")
    parser.add_argument("--stale-after-s", type=float, default=120.0,
                        help="a running worker silent this long is shown as lost (default 120)")
    add_flags(parser, AllocationRule)
    parser.set_defaults(func=run)


def run(args) -> int:
    from engine import CONFIGS
    from ringrift_lake.fleet.allocation_table import latest_allocation, write_allocation
    from ringrift_lake.fleet.heartbeat import worker_states
    from ringrift_lake.fleet.report import allocation_markdown, workers_markdown
    from ringrift_lake.fleet.scheduler import decide
    from ringrift_lake.location import Lake

    lake = Lake.from_env()
    if args.allocate:
        rule = from_namespace(AllocationRule, args)
        shares = decide(lake, rule, args.configs or list(CONFIGS), args.ratio, args.min_samples)
        print(f"allocation {write_allocation(lake, shares, rule)} written")
    allocation = latest_allocation(lake)
    if allocation:
        some = next(iter(allocation.values()))
        print(f"Allocation {some['allocation_id']} ({some['created_at']:%Y-%m-%d %H:%M:%S} UTC):")
        print(allocation_markdown(allocation))
    else:
        print("No allocation yet (the Dagster scheduler writes one; or: ringrift-lake fleet --allocate).")
    print()
    print("Workers:")
    print(workers_markdown(worker_states(lake, args.stale_after_s)))
    return 0
