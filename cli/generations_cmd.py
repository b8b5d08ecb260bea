"""`ringrift-lake generations --config C [--png FILE]`: what each generation of the loop measured."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("generations", help="the generation loop's table (Elo ± SE as search and raw policy, "
                                           "win rates, held-out metrics, resign FP, throughput) and Elo plot")
    p.add_argument("--config", required=True, help="e.g. square8_2p")
    p.add_argument("--png", help="also write the Elo plot to this PNG file")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from engine import parse_config
    from ringrift_lake.location import Lake
    from training.generations.report import generation_table, markdown, plot

    config = parse_config(args.config).name
    rows = generation_table(Lake.from_env(), config)
    if not rows:
        raise LookupError(f"{config} has no generations yet: ringrift-lake loop --config {config} --generations N")
    print(markdown(rows))
    if args.png:
        plot(rows, args.png, f"{config}: Elo per generation")
        print(f"plot: {args.png}")
    return 0
