"""`ringrift-lake promote --config C --model ID`: decide from the matches and record it in `models`."""
from __future__ import annotations

import json

from ringrift_lake.promotion.decision import (DEFAULT_MIN_GAMES, MIN_RATE_VS_HEURISTIC, MIN_RATE_VS_RANDOM,
                                              SIGNIFICANCE)


def register(sub) -> None:
    p = sub.add_parser("promote", help="promote a candidate to champion if it clears the baselines and beats the "
                                       "champion significantly; the decision is recorded in `models`")
    p.add_argument("--config", required=True, help="e.g. square8_2p")
    p.add_argument("--model", required=True, help="model id, or `heuristic` / `random` for the built-in agents")
    p.add_argument("--min-games", type=int, default=DEFAULT_MIN_GAMES,
                   help=f"games needed against each opponent (default {DEFAULT_MIN_GAMES})")
    p.add_argument("--min-vs-random", type=float, default=MIN_RATE_VS_RANDOM,
                   help=f"score rate needed against random (default {MIN_RATE_VS_RANDOM})")
    p.add_argument("--min-vs-heuristic", type=float, default=MIN_RATE_VS_HEURISTIC,
                   help=f"score rate needed against heuristic (default {MIN_RATE_VS_HEURISTIC})")
    p.add_argument("--alpha", type=float, default=SIGNIFICANCE,
                   help=f"one-sided significance level vs the champion (default {SIGNIFICANCE})")
    p.add_argument("--json", action="store_true", help="print the decision record as JSON")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from engine import parse_config

    from ringrift_lake.location import Lake
    from ringrift_lake.promotion import PromotionRules, promote

    parse_config(args.config)
    rules = PromotionRules(args.min_games, args.min_vs_random, args.min_vs_heuristic, args.alpha)
    result = promote(Lake.from_env(), args.config, args.model, rules)
    d = result.decision
    if args.json:
        print(json.dumps(dict(d.as_dict(), model_id=result.model_id, status=result.status,
                              previous_champion=result.previous_champion, champion=result.champion,
                              models_version=result.models_version, matches_version=result.matches_version),
                         indent=2))
        return 0
    print(f"{args.config}: {result.model_id} -> {d.outcome} (status {result.status}); "
          f"previous champion {result.previous_champion or 'none'}; champion now {result.champion or 'none'}")
    for name, g in d.gates.items():
        extra = f"  p = {g['p_value']:.4g}" if name == "champion" else f"  need >= {g['min_rate']:.2f}"
        print(f"  vs {name:<9} {g['games']:>4} games  rate {g['rate']:.3f}  "
              f"(+{g['successes']} ={g['ties']} -{g['failures']}, {g['unfinished']} unfinished){extra}  "
              f"{'pass' if g['passed'] else 'FAIL' if g['enough_games'] else 'too few games'}")
    for reason in d.reasons:
        print(f"  - {reason}")
    return 0
