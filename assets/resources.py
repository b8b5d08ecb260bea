"""Resources: where the lake is, and the knobs of each step.

Switching the lake between a local folder and S3 is configuration only: set
``RINGRIFT_LAKE`` (and the standard ``AWS_*`` variables) in the environment of
the code location, or set ``root``/``aws_*`` on the ``lake`` resource in the
launchpad. Every step's defaults come from ``RINGRIFT_*`` environment variables
read when the code location loads, so a deployment (or a test) can shrink or
grow the loop without touching code.
"""
import dataclasses
import os

import dagster as dg
from pydantic import Field

from assets.launchers import TrainLauncher
from ringrift_lake.data_progress import DEFAULT_MIN_SAMPLES, DEFAULT_RATIO
from ringrift_lake.fleet.allocation import AllocationRule
from ringrift_lake.location import Lake
from ringrift_lake.promotion.decision import MIN_RATE_VS_HEURISTIC, MIN_RATE_VS_RANDOM
from training.settings import DEFAULT_BLOCKS, DEFAULT_CHANNELS, TrainSettings


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


class LakeResource(dg.ConfigurableResource):
    """The lake: a local folder or s3://bucket/prefix (empty = RINGRIFT_LAKE, else ./lake)."""

    root: str = Field(default="", description="lake root; empty: RINGRIFT_LAKE from the environment")
    aws_endpoint_url: str = Field(default="", description="S3 endpoint; empty: AWS_ENDPOINT_URL")
    aws_access_key_id: str = Field(default="", description="empty: AWS_ACCESS_KEY_ID")
    aws_secret_access_key: str = Field(default="", description="empty: AWS_SECRET_ACCESS_KEY")
    aws_region: str = Field(default="", description="empty: AWS_REGION")

    def env(self) -> dict[str, str]:
        """The process environment with this resource's settings laid over it."""
        env = dict(os.environ)
        overrides = {"RINGRIFT_LAKE": self.root, "AWS_ENDPOINT_URL": self.aws_endpoint_url,
                     "AWS_ACCESS_KEY_ID": self.aws_access_key_id,
                     "AWS_SECRET_ACCESS_KEY": self.aws_secret_access_key, "AWS_REGION": self.aws_region}
        env.update({k: v for k, v in overrides.items() if v})
        return env

    def lake(self) -> Lake:
        return Lake.from_env(self.env())

    def subprocess_env(self) -> dict[str, str]:
        """Variables a subprocess (Pipes) needs to open the same lake."""
        lake = self.lake()
        keep = {k: v for k, v in self.env().items() if k.startswith("AWS_")}
        return {**keep, "RINGRIFT_LAKE": lake.root}


class SelfplayResource(dg.ConfigurableResource):
    """A selfplay batch: how many games, by which player (`ringrift_lake.players` syntax), on how many workers."""

    games: int = Field(default=32, description="games per selfplay batch")
    player: str = Field(default="heuristic", description="player in every seat: heuristic | random | champion "
                                                         "(its raw policy) | model:<id> | gumbel64:champion ...")
    fallback: str = Field(default="heuristic", description="the player while a config has no champion (when "
                                                           "`player` names the champion)")
    workers: int = Field(default=1, description="selfplay worker processes (0 = play inside the run's process)")
    batch_games: int = Field(default=64, description="games one worker plays at once (batched search)")


_TRAIN = TrainSettings()


class TrainResource(dg.ConfigurableResource):
    """The training knobs a deployment sets; each is the `training.settings.TrainSettings` field of the
    same name (and default), handed over unchanged by `settings(config)`."""

    epochs: int = Field(default=_TRAIN.epochs, description="passes over the training positions")
    batch_size: int = Field(default=_TRAIN.batch_size, description="positions per optimizer step")
    channels: int = Field(default=DEFAULT_CHANNELS, description="trunk width of a new network")
    blocks: int = Field(default=DEFAULT_BLOCKS, description="residual blocks of a new network")
    max_steps: int | None = Field(default=None, description="stop after this many optimizer steps (none = no limit)")
    val_fraction: float = Field(default=_TRAIN.val_fraction, description="share of games held out for validation")
    device: str = Field(default=_TRAIN.device, description="auto (CUDA when present) | cpu | cuda")
    transfer: bool = Field(default=True, description="a 3/4-player config without a network champion starts "
                                                     "from the board's 2-player champion (ringrift_lake.lineage)")

    def settings(self, config: str, **more) -> TrainSettings:
        """The TrainSettings of a run for `config` (`more`: other TrainSettings fields, e.g. init; they win)."""
        names = {f.name for f in dataclasses.fields(TrainSettings)}
        knobs = {name: getattr(self, name) for name in type(self).model_fields if name in names}
        return TrainSettings(**{**knobs, **more, "config": config})


class EvalSettings(dg.ConfigurableResource):
    games_per_opponent: int = Field(default=40, description="gauntlet games against each opponent")
    workers: int = Field(default=0, description="gauntlet worker processes (0 = inside the run's process)")
    min_games: int = Field(default=40, description="games per opponent the promotion rule needs")
    min_rate_vs_random: float = Field(default=MIN_RATE_VS_RANDOM, description="promotion gate vs random")
    min_rate_vs_heuristic: float = Field(default=MIN_RATE_VS_HEURISTIC, description="promotion gate vs heuristic")
    max_moves: int = Field(default=0, description="end a gauntlet game unfinished after this many moves "
                                                  "(0 = twice the board's longest plausible game)")


class RetrainPolicy(dg.ConfigurableResource):
    """When the retrain sensor starts training: enough new samples since the champion's dataset."""

    ratio: float = Field(default=DEFAULT_RATIO, description="new samples / samples the champion was trained on")
    min_samples: int = Field(default=DEFAULT_MIN_SAMPLES, description="and at least this many new samples")
    cooldown_s: int = Field(default=3600, description="at least this long between two requests of a config")


_RULE = AllocationRule()


class SchedulerPolicy(dg.ConfigurableResource):
    """The selfplay scheduler (assets/scheduler): the allocation rule's weights (each the
    `ringrift_lake.fleet.allocation.AllocationRule` field of the same name and default, env
    RINGRIFT_ALLOC_<FIELD>) and how many Dagster selfplay batches it launches."""

    base: float = Field(default=_RULE.base, description="priority every config has")
    w_velocity: float = Field(default=_RULE.w_velocity, description="weight of the champion line's Elo velocity")
    w_data: float = Field(default=_RULE.w_data, description="weight of the samples missing for the next retraining")
    w_scarcity: float = Field(default=_RULE.w_scarcity, description="weight of having few games")
    w_staleness: float = Field(default=_RULE.w_staleness, description="weight of the time since the last promotion")
    velocity_half: float = Field(default=_RULE.velocity_half, description="Elo/h at which the velocity term is 1/2")
    games_half: int = Field(default=_RULE.games_half, description="games at which the scarcity term is 1/2")
    stale_hours: float = Field(default=_RULE.stale_hours, description="hours at which staleness is full")
    cost_exponent: float = Field(default=_RULE.cost_exponent, description="0: equal time per priority; 1: equal games")
    floor: float = Field(default=_RULE.floor, description="the least share of selfplay time of any config")
    window_hours: float = Field(default=_RULE.window_hours, description="Elo velocity window (hours)")
    configs: str = Field(default="", description="comma-separated configs to allocate (empty: all 12)")
    batches_per_tick: int = Field(default=0, description="Dagster selfplay batches launched per tick, by batch "
                                                          "share (0: only publish the allocation for fleet workers)")
    max_in_flight: int = Field(default=1, description="hold a config while this many of its batches are queued/running")
    refresh_s: int = Field(default=600, description="write an unchanged allocation again after this long")
    min_change: float = Field(default=0.01, description="write a new allocation when a share moved this much")

    def rule(self) -> AllocationRule:
        return AllocationRule(**{f.name: getattr(self, f.name) for f in dataclasses.fields(AllocationRule)})

    def config_list(self) -> list[str]:
        from engine import CONFIGS

        return [c.strip() for c in self.configs.split(",") if c.strip()] or list(CONFIGS)


def scheduler_policy_from_env() -> SchedulerPolicy:
    rule = {f.name: type(getattr(_RULE, f.name))(os.environ[f"RINGRIFT_ALLOC_{f.name.upper()}"])
            for f in dataclasses.fields(AllocationRule) if os.environ.get(f"RINGRIFT_ALLOC_{f.name.upper()}")}
    return SchedulerPolicy(**rule, configs=os.environ.get("RINGRIFT_SCHEDULER_CONFIGS", ""),
                           batches_per_tick=env_int("RINGRIFT_SCHEDULER_BATCHES", 0),
                           max_in_flight=env_int("RINGRIFT_SCHEDULER_MAX_IN_FLIGHT", 1),
                           refresh_s=env_int("RINGRIFT_SCHEDULER_REFRESH_S", 600))


class LoopResource(dg.ConfigurableResource):
    """The generation loop run by the `generation_sensor`: which configs, how many generations in all, and
    its knobs (`training.generations.settings.LoopSettings` fields as JSON, crossing unchanged)."""

    configs: list[str] = Field(default=[], description="configs the loop runs (none: the loop is off)")
    generations: int = Field(default=0, description="generations per config in all (0: the loop is off)")
    settings_json: str = Field(default="{}", description="LoopSettings fields, e.g. {\"budget\": 64}")

    def settings(self, config: str):
        import json

        from ringrift_lake.knobs import from_dict
        from training.generations.settings import LoopSettings

        return from_dict(LoopSettings, {**json.loads(self.settings_json or "{}"), "config": config})


def default_resources() -> dict:
    """The resources of the code location; RINGRIFT_* variables override the defaults."""
    return {
        "lake": LakeResource(),
        "selfplay": SelfplayResource(
            games=env_int("RINGRIFT_SELFPLAY_GAMES", 32),
            player=os.environ.get("RINGRIFT_SELFPLAY_PLAYER", "heuristic"),
            workers=env_int("RINGRIFT_SELFPLAY_WORKERS", 1),
            batch_games=env_int("RINGRIFT_SELFPLAY_BATCH_GAMES", 64),
            fallback=os.environ.get("RINGRIFT_SELFPLAY_FALLBACK", "heuristic")),
        "train": TrainResource(
            epochs=env_int("RINGRIFT_TRAIN_EPOCHS", _TRAIN.epochs),
            batch_size=env_int("RINGRIFT_TRAIN_BATCH_SIZE", _TRAIN.batch_size),
            channels=env_int("RINGRIFT_TRAIN_CHANNELS", DEFAULT_CHANNELS),
            blocks=env_int("RINGRIFT_TRAIN_BLOCKS", DEFAULT_BLOCKS),
            max_steps=env_int("RINGRIFT_TRAIN_MAX_STEPS", 0) or None,
            val_fraction=env_float("RINGRIFT_TRAIN_VAL_FRACTION", _TRAIN.val_fraction),
            device=os.environ.get("RINGRIFT_TRAIN_DEVICE", _TRAIN.device),
            transfer=os.environ.get("RINGRIFT_TRAIN_TRANSFER", "1") not in ("0", "false", "no")),
        "evaluation": EvalSettings(
            games_per_opponent=env_int("RINGRIFT_GAUNTLET_GAMES", 40),
            workers=env_int("RINGRIFT_GAUNTLET_WORKERS", 0),
            min_games=env_int("RINGRIFT_PROMOTION_MIN_GAMES", 40),
            max_moves=env_int("RINGRIFT_GAUNTLET_MAX_MOVES", 0)),
        "retrain_policy": RetrainPolicy(
            ratio=DEFAULT_RATIO,
            min_samples=DEFAULT_MIN_SAMPLES,
            cooldown_s=env_int("RINGRIFT_RETRAIN_COOLDOWN_S", 3600)),
        "scheduler": scheduler_policy_from_env(),
        "loop": LoopResource(
            configs=[c for c in (os.environ.get("RINGRIFT_LOOP_CONFIGS") or "").split(",") if c],
            generations=env_int("RINGRIFT_LOOP_GENERATIONS", 0),
            settings_json=os.environ.get("RINGRIFT_LOOP_SETTINGS", "{}")),
        "train_launcher": TrainLauncher.from_env(),
        "pipes": dg.PipesSubprocessClient(),
    }
