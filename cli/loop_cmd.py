"""`ringrift-lake loop --config C --generations N [--budget 64] [--games-per-generation G]`: generations of
search selfplay -> training -> gauntlet -> promotion, one summary line each (training/generations)."""
from __future__ import annotations

from ringrift_lake.knobs import add_flags, from_namespace
from training.generations.settings import LoopSettings


def register(sub) -> None:
    p = sub.add_parser("loop", help="run N generations of the loop that gets stronger (search selfplay, "
                                    "train from the champion, gauntlet at the same budget, promote)",
                       description=__doc__)
    p.add_argument("--generations", type=int, required=True, help="generations to run (numbered on from the last)")
    add_flags(p, LoopSettings)
    p.set_defaults(func=_run)


def _run(args) -> int:
    import sys

    from ringrift_lake.location import Lake
    from training.generations.loop import run_loop

    settings = from_namespace(LoopSettings, args)
    rows = run_loop(Lake.from_env(), settings, args.generations,
                    log=lambda line: print(line, file=sys.stderr, flush=True))
    for row in rows:
        print(f"generation {row['generation']}: model {row['model_id']} promoted={row['promoted']} "
              f"champion {row['champion']}")
    return 0
