"""Resources: where the lake is, and the knobs of each step.

Switching the lake between a local folder and S3 is configuration only: set
``RINGRIFT_LAKE`` (and the standard ``AWS_*`` variables) in the environment of
the code location, or set ``root``/``aws_*`` on the ``lake`` resource in the
launchpad. Every step's defaults come from ``RINGRIFT_*`` environment variables
read when the code location loads, so a deployment (or a test) can shrink or
grow the loop without touching code.
"""
import os

import dagster as dg
from pydantic import Field

from ringrift_lake.location import Lake


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


class SelfplaySettings(dg.ConfigurableResource):
    games: int = Field(default=32, description="games per selfplay batch")
    agent: str = Field(default="heuristic", description="agent for every seat: heuristic | random | "
                                                       "champion | a model id (network selfplay)")
    workers: int = Field(default=1, description="selfplay worker processes (0 = play inside the run's process)")


class TrainSettings(dg.ConfigurableResource):
    epochs: int = 8
    batch_size: int = 256
    channels: int = 96
    blocks: int = 6
    max_steps: int = Field(default=0, description="stop after this many optimizer steps (0 = no limit)")
    val_fraction: float = Field(default=0.05, description="share of games held out for validation")
    device: str = Field(default="auto", description="auto (CUDA when present) | cpu | cuda")


class EvalSettings(dg.ConfigurableResource):
    games_per_opponent: int = Field(default=40, description="gauntlet games against each opponent")
    workers: int = Field(default=1, description="gauntlet worker processes (1 = inside the run's process)")
    min_games: int = Field(default=40, description="games per opponent the promotion rule needs")
    max_moves: int = Field(default=0, description="end a gauntlet game unfinished after this many moves "
                                                  "(0 = twice the board's longest plausible game)")


class RetrainPolicy(dg.ConfigurableResource):
    """When the retrain sensor starts training: enough new samples since the champion's dataset."""

    ratio: float = Field(default=0.25, description="new samples / samples the champion was trained on")
    min_samples: int = Field(default=20000, description="and at least this many new samples")
    cooldown_s: int = Field(default=3600, description="at least this long between two requests of a config")


def default_resources() -> dict:
    """The resources of the code location; RINGRIFT_* variables override the defaults."""
    return {
        "lake": LakeResource(),
        "selfplay": SelfplaySettings(
            games=env_int("RINGRIFT_SELFPLAY_GAMES", 32),
            agent=os.environ.get("RINGRIFT_SELFPLAY_AGENT", "heuristic"),
            workers=env_int("RINGRIFT_SELFPLAY_WORKERS", 1)),
        "train": TrainSettings(
            epochs=env_int("RINGRIFT_TRAIN_EPOCHS", 8), batch_size=env_int("RINGRIFT_TRAIN_BATCH_SIZE", 256),
            channels=env_int("RINGRIFT_TRAIN_CHANNELS", 96), blocks=env_int("RINGRIFT_TRAIN_BLOCKS", 6),
            max_steps=env_int("RINGRIFT_TRAIN_MAX_STEPS", 0),
            val_fraction=env_float("RINGRIFT_TRAIN_VAL_FRACTION", 0.05),
            device=os.environ.get("RINGRIFT_TRAIN_DEVICE", "auto")),
        "evaluation": EvalSettings(
            games_per_opponent=env_int("RINGRIFT_GAUNTLET_GAMES", 40),
            workers=env_int("RINGRIFT_GAUNTLET_WORKERS", 1),
            min_games=env_int("RINGRIFT_PROMOTION_MIN_GAMES", 40),
            max_moves=env_int("RINGRIFT_GAUNTLET_MAX_MOVES", 0)),
        "retrain_policy": RetrainPolicy(
            ratio=env_float("RINGRIFT_RETRAIN_RATIO", 0.25),
            min_samples=env_int("RINGRIFT_RETRAIN_MIN_SAMPLES", 20000),
            cooldown_s=env_int("RINGRIFT_RETRAIN_COOLDOWN_S", 3600)),
        "pipes": dg.PipesSubprocessClient(),
    }
