"""`gauntlet_matches` -> `elo_snapshot` -> `champion`: evaluate a candidate and decide on it.

The candidate plays the built-in agents and the current champion with seats
rotated (rows in `matches`); every match of the config is refitted into a new
Elo snapshot (rows in `elo`); the promotion rule decides on the candidate and
records the decision in `models`.
"""
import base64
import json
import os
import tempfile

import dagster as dg

from assets.evaluate.candidates import resolve_candidate
from assets.partitions import configs
from assets.resources import EvalSettings, LakeResource
from ringrift_lake import tables


class CandidateConfig(dg.Config):
    model_id: str = ""      # empty: the config's newest candidate still waiting for a decision


@dg.asset(
    partitions_def=configs,
    group_name="evaluate",
    deps=["candidate_model"],
    kinds={"pytorch", "deltalake"},
    description="Gauntlet of the candidate vs random, heuristic and the champion (seats rotated) into `matches`.",
)
def gauntlet_matches(context: dg.AssetExecutionContext, config: CandidateConfig, lake: LakeResource,
                     evaluation: EvalSettings):
    from training.gauntlet import run_gauntlet

    cfg = context.partition_key
    the_lake = lake.lake()
    model_id = resolve_candidate(the_lake, cfg, config.model_id)
    report = run_gauntlet(the_lake, cfg, model_id, games_per_opponent=evaluation.games_per_opponent,
                          workers=evaluation.workers, max_moves=evaluation.max_moves or None, progress=False)
    context.log.info(f"{cfg}: gauntlet {report.gauntlet_id} of {model_id}: {report.games} games in "
                     f"{report.wall_s:.0f}s; {json.dumps(report.per_opponent)}")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(report.gauntlet_id),
        metadata={
            "model_id": model_id,
            "gauntlet_id": report.gauntlet_id,
            "games": report.games,
            "opponents": ", ".join(report.opponents),
            "move_cap": report.max_moves,
            "matches_version": tables.version(the_lake, "matches"),
            "raw_games_version": report.raw_games_version,
            "wall_s": round(report.wall_s, 1),
            "per_opponent": dg.MetadataValue.json(report.per_opponent),
        },
    )


def _plot_markdown(lake, history: list[dict], config: str) -> tuple[str, str | None]:
    """The Elo history plot as inline markdown, and where a copy was stored in the lake."""
    from ringrift_lake.elo.report import plot_history

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "elo.png")
        plot_history(history, path, f"Elo history, {config}")
        with open(path, "rb") as f:
            png = f.read()
    relative = f"reports/elo/{config}.png"
    try:
        fs = lake.filesystem()
        fs.create_dir("reports/elo", recursive=True)
        with fs.open_output_stream(relative) as out:
            out.write(png)
        stored = lake.uri(relative)
    except OSError:
        stored = None
    return f"![Elo history of {config}](data:image/png;base64,{base64.b64encode(png).decode()})", stored


@dg.asset(
    partitions_def=configs,
    group_name="evaluate",
    deps=[gauntlet_matches],
    kinds={"deltalake"},
    description="Bradley-Terry Elo over every match of the config (random = 400), appended as a snapshot to `elo`.",
)
def elo_snapshot(context: dg.AssetExecutionContext, lake: LakeResource):
    from ringrift_lake.elo.report import leaderboard_markdown
    from ringrift_lake.elo.snapshot import elo_history, fit_config, latest_rows, write_snapshot
    from ringrift_lake.players import player_id_of_registry
    from ringrift_lake.promotion.registry import current_champion

    cfg = context.partition_key
    the_lake = lake.lake()
    snapshot = fit_config(the_lake, cfg)
    if snapshot is None:
        raise dg.Failure(f"{cfg}: no matches to fit; run gauntlet_matches first")
    elo_version = write_snapshot(the_lake, snapshot)
    rows = latest_rows(elo_history(the_lake, cfg))
    champ = current_champion(the_lake, cfg)
    board = leaderboard_markdown(rows, player_id_of_registry(champ["model_id"]) if champ else None)
    plot, stored = _plot_markdown(the_lake, elo_history(the_lake, cfg), cfg)
    context.log.info(f"{cfg}: Elo snapshot {snapshot.snapshot_id}\n{board}")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(snapshot.snapshot_id),
        metadata={
            "snapshot_id": snapshot.snapshot_id,
            "matches_version": snapshot.matches_version,
            "elo_version": elo_version,
            "players": len(rows),
            "ratings": dg.MetadataValue.json({r["player_id"]: {"elo": round(r["rating"], 1),
                                                               "stderr": round(r["stderr"], 1),
                                                               "games": r["games"]} for r in rows}),
            "leaderboard": dg.MetadataValue.md(board),
            "elo_plot": dg.MetadataValue.md(plot),
            "elo_plot_uri": stored or "",
        },
    )


@dg.asset(
    partitions_def=configs,
    group_name="evaluate",
    deps=[elo_snapshot],
    kinds={"deltalake"},
    description="Promotion decision on the candidate: baseline gates and a significant win over the champion.",
)
def champion(context: dg.AssetExecutionContext, config: CandidateConfig, lake: LakeResource,
             evaluation: EvalSettings):
    from ringrift_lake.promotion.decision import PromotionRules
    from ringrift_lake.promotion.registry import promote

    cfg = context.partition_key
    the_lake = lake.lake()
    model_id = resolve_candidate(the_lake, cfg, config.model_id)
    rules = PromotionRules(min_games=evaluation.min_games, min_rate_vs_random=evaluation.min_rate_vs_random,
                           min_rate_vs_heuristic=evaluation.min_rate_vs_heuristic)
    result = promote(the_lake, cfg, model_id, rules)
    decision = result.decision
    context.log.info(f"{cfg}: {model_id} -> {decision.outcome}; champion {result.champion}")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(result.champion or "none"),
        metadata={
            "candidate": model_id,
            "outcome": decision.outcome,
            "champion": result.champion or "none",
            "previous_champion": result.previous_champion or "none",
            "candidate_status": result.status,
            "models_version": result.models_version,
            "gates": dg.MetadataValue.json(decision.gates),
            "reasons": dg.MetadataValue.json(list(decision.reasons)),
        },
    )


evaluate_job = dg.define_asset_job(
    "evaluate_job", selection=[gauntlet_matches, elo_snapshot, champion],
    description="Gauntlet -> Elo snapshot -> promotion decision for one candidate.")
