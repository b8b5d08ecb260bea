"""The whole loop once through Dagster, in this process: `ringrift-lake demo`.

selfplay (heuristic agent) -> raw_games -> consolidate -> quality checks ->
export -> train (Pipes subprocess) -> gauntlet -> Elo -> promotion, for one
config, materialized with `dagster.materialize` on the instance in
DAGSTER_HOME (default: the repository's dagster_home/), so the run shows in
the UI afterwards. Sized to finish in minutes on a laptop CPU.
"""
import os
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.resources import EvalSettings, LakeResource, SelfplayResource, TrainResource, default_resources
from training.shipped import shipped_for

REPO = Path(__file__).resolve().parents[1]


@dataclass
class DemoSettings:
    config: str = "square8_2p"
    games: int = 100
    epochs: int = 6
    batch_size: int = 128
    channels: int = 32
    blocks: int = 2
    gauntlet_games: int = 24      # per opponent; with 12 the heuristic (95% vs random) missed the 0.85 gate 1 run in 8
    workers: int = 1
    device: str = "auto"
    lake_root: str = ""


def demo_resources(s: DemoSettings) -> dict:
    resources = default_resources()
    resources.update(
        lake=LakeResource(root=s.lake_root),
        selfplay=SelfplayResource(games=s.games, player="heuristic", workers=s.workers),
        train=TrainResource(epochs=s.epochs, batch_size=s.batch_size, channels=s.channels, blocks=s.blocks,
                            device=s.device, val_fraction=0.2),   # a few dozen games: hold out enough
        evaluation=EvalSettings(games_per_opponent=s.gauntlet_games, workers=s.workers,
                                min_games=s.gauntlet_games),
    )
    return resources


LOOP_GROUPS = ("selfplay", "ingest", "quality", "export", "train", "evaluate")


def loop_definitions() -> list:
    """The assets and asset checks of the loop's graph once (selfplay -> ... -> champion): the generation loop
    and the scheduler's observation assets run on their own (sensors, `ringrift-lake loop`)."""
    from assets.definitions import defs

    def in_loop(asset) -> bool:
        groups = getattr(asset, "group_names_by_key", None)
        return bool(groups) and all(g in LOOP_GROUPS for g in groups.values())

    return [*(a for a in defs.assets if in_loop(a)), *defs.asset_checks]


def materialize_loop(config: str, resources: dict, instance: dg.DagsterInstance | None = None,
                     raise_on_error: bool = True, log_level: str = "DEBUG") -> dg.ExecuteInProcessResult:
    """Materialize the whole graph for one config partition in this process."""
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    return dg.materialize(loop_definitions(), partition_key=config, resources=resources, instance=instance,
                          run_config=run_config, tags={"ringrift/run": "loop-once"}, raise_on_error=raise_on_error)


def evaluate_builtin(config: str, agent: str, resources: dict, instance: dg.DagsterInstance | None = None,
                     log_level: str = "DEBUG") -> dg.ExecuteInProcessResult:
    """Run the evaluation assets with a built-in agent as the candidate (gauntlet -> Elo -> decision)."""
    from assets.evaluate.assets import champion, elo_snapshot, gauntlet_matches

    candidate = {"config": {"model_id": agent}}
    run_config = {"ops": {"gauntlet_matches": candidate, "champion": candidate},
                  "loggers": {"console": {"config": {"log_level": log_level}}}}
    return dg.materialize([gauntlet_matches, elo_snapshot, champion], partition_key=config, resources=resources,
                          instance=instance, run_config=run_config, tags={"ringrift/run": f"baseline-{agent}"},
                          raise_on_error=False)


def _decision(result: dg.ExecuteInProcessResult) -> dict | None:
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == "champion":
            return {k: v.value for k, v in event.materialization.metadata.items()}
    return None


def repo_instance() -> dg.DagsterInstance:
    """The instance in DAGSTER_HOME, defaulting DAGSTER_HOME to the repository's dagster_home/."""
    home = os.environ.setdefault("DAGSTER_HOME", str(REPO / "dagster_home"))
    Path(home).mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.get()


def run_demo(settings: DemoSettings, out=print) -> int:
    from assets.report import leaderboard_text, tables_text
    from ringrift_lake.promotion.registry import current_champion

    instance = repo_instance()
    resources = demo_resources(settings)
    lake = resources["lake"].lake()
    out(f"RingRift Lake demo: {settings.config}, lake {lake.describe()}, DAGSTER_HOME {os.environ['DAGSTER_HOME']}")
    started = time.monotonic()
    if current_champion(lake, settings.config) is None:
        # A config without a champion: the heuristic agent is evaluated first (vs random), so the
        # leaderboard has both baselines and the network meets the champion in its gauntlet.
        baseline = _decision(evaluate_builtin(settings.config, "heuristic", resources, instance, log_level="INFO"))
        if baseline:
            out(f"baseline: heuristic -> {baseline['outcome']}, champion now {baseline['champion']}")
    result = materialize_loop(settings.config, resources, instance, raise_on_error=False, log_level="INFO")
    seconds = time.monotonic() - started
    for event in result.get_asset_materialization_events():
        out(f"  materialized {event.asset_key.to_user_string()}[{event.partition}]")
    for evaluation in result.get_asset_check_evaluations():
        out(f"  check {evaluation.asset_key.to_user_string()}.{evaluation.check_name}: "
            f"{'passed' if evaluation.passed else 'FAILED'}")
    out(f"run {result.run_id}: {'succeeded' if result.success else 'FAILED'} in {seconds:.0f} s")
    decision = _decision(result)
    if decision:
        out(f"promotion: {decision['candidate']} -> {decision['outcome']}, champion now {decision['champion']}")
    out("")
    out(tables_text(lake, settings.config))
    out("")
    out(leaderboard_text(lake, settings.config))
    out("")
    out("Dagster UI (this run, the asset graph, sensors): scripts/ui.sh, then http://127.0.0.1:3000"
        f"/runs/{result.run_id}")
    out(f"Tables: ringrift-lake sql \"select * from elo where config = '{settings.config}'\"  (lake {lake.root})")
    shipped = shipped_for(settings.config)
    if shipped:
        out(f"A stronger player, the shipped champion of the strength run with search: ringrift-lake match "
            f"--config {settings.config} --players gumbel64:model:{shipped} heuristic --games 20")
    return 0 if result.success else 1
