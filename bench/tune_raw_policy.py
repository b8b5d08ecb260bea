"""The raw policy before and after `ringrift-lake tune` (issue 11's raw-policy bar), side by side in one run.

    .venv/bin/python bench/tune_raw_policy.py --config square8_2p --lake /tmp/tune_sq8 --iterations 50
    .venv/bin/python bench/tune_raw_policy.py --config square8_2p --lake /tmp/tune_sq8 --tuned MODEL   # matches only

Tunes the lake's champion (the shipped one on a fresh lake) against the heuristic unless `--tuned` names a
model already tuned, then plays 200-game matches (seats alternated, `--match-seed`), each recorded in the
lake: the raw champion and the raw tuned model against the heuristic, both again with search at budget 64,
and the tuned search against the champion's. Prints one line per match and the bar (raw tuned >= 0.55)
as met or MISSED; a missed bar exits 1.
"""
from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

RAW_BAR = 0.55


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="square8_2p")
    parser.add_argument("--lake", required=True)
    parser.add_argument("--tuned", help="a tuned model id (skip the tuning)")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--games", type=int, default=1024, help="rollout games per iteration")
    parser.add_argument("--match-games", type=int, default=200)
    parser.add_argument("--match-seed", type=int, default=11)
    parser.add_argument("--budget", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    from ringrift_lake.lineage import network_champion
    from ringrift_lake.location import Lake
    from training.play import run_match
    from training.shipped import ensure_shipped_champion
    from training.tune.run import run
    from training.tune.settings import TuneSettings

    lake = Lake.at(args.lake)
    ensure_shipped_champion(lake, args.config)
    champion = network_champion(lake, args.config)
    tuned = args.tuned or run(TuneSettings(config=args.config, model=champion, iterations=args.iterations,
                                           games=args.games, eval_every=10), lake=lake)["model_id"]
    b = args.budget
    pairs = [(f"model:{champion}", "heuristic"), (f"model:{tuned}", "heuristic"),
             (f"gumbel{b}:model:{champion}", "heuristic"), (f"gumbel{b}:model:{tuned}", "heuristic"),
             (f"gumbel{b}:model:{tuned}", f"gumbel{b}:model:{champion}")]
    rates = {}
    for a, opponent in pairs:
        report = run_match(lake, args.config, [a, opponent], args.match_games, seed=args.match_seed,
                           workers=args.workers, progress=False)
        rates[(a, opponent)] = report.rate
        print(report.line(), flush=True)
    raw = rates[(f"model:{tuned}", "heuristic")]
    met = raw >= RAW_BAR
    print(f"{'met   ' if met else 'MISSED'} raw tuned vs heuristic {raw:.3f} >= {RAW_BAR} "
          f"(raw champion {rates[(f'model:{champion}', 'heuristic')]:.3f})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
