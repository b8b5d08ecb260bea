"""Train a policy/value network on a dataset of the lake and register it as a candidate.

    ringrift-lake train --config square8_2p                      # newest dataset, default model, auto device
    ringrift-lake train --config square8_2p --dataset DS --epochs 10 --batch-size 512 --lr 2e-3
    ringrift-lake train --config square8_3p --init square8_2p-20261129T...   # 2p -> 3p transfer
    python -m training.train --config square8_2p --shards a.npz b.npz --no-register   # files, no datasets row

Writes `<lake>/models/{config}/<model_id>.safetensors` + `.json` and a `models`
row (status `candidate`, parent, dataset, metrics). Prints a JSON summary on
stdout. Exit status: 0 only when the checkpoint (and row) were written;
1 on any failure, with the reason on stderr; 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import json
import sys
import traceback
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import torch

from ringrift_lake.knobs import add_flags, from_namespace
from training import checkpoint, data_source
from training.loop import fit, pick_device
from training.model import architecture_for, build_model, parameter_count
from training.settings import DEFAULT_BLOCKS, DEFAULT_CHANNELS, TrainSettings
from training.shards import ShardSet
from training.transfer import check_compatible, init_from


@dataclass
class TrainResult:
    model_id: str
    checkpoint_uri: str
    sha256: str
    dataset_id: str | None
    parent_model_id: str | None
    metrics: dict

    def summary(self) -> dict:
        keep = ("train_loss", "val_loss", "val_policy_loss", "val_value_loss", "val_policy_accuracy",
                "samples_per_s", "epochs_run", "best_epoch", "steps", "stopped_early", "device", "parameters")
        return {"model_id": self.model_id, "checkpoint_uri": self.checkpoint_uri, "sha256": self.sha256,
                "dataset_id": self.dataset_id, "parent_model_id": self.parent_model_id,
                **{k: self.metrics.get(k) for k in keep}}


def _encoder_facts(board_type: str, data: data_source.TrainingData, shards: ShardSet) -> tuple[str, int, int]:
    """(encoder version, policy size, spatial policy planes), after checking the data was made by this
    code's encoder."""
    from ringrift_lake.encoding import ENCODER_VERSION, encoder_for

    if data.encoder_version not in (None, ENCODER_VERSION):
        raise ValueError(f"dataset {data.dataset_id} was encoded with {data.encoder_version}, "
                         f"this code's encoder is {ENCODER_VERSION}: re-export the data")
    encoder = encoder_for(board_type)
    if tuple(encoder.planes_chw) != shards.planes_chw or encoder.global_size != shards.global_size:
        raise ValueError(f"shards hold planes {shards.planes_chw} + {shards.global_size} globals, the {board_type} "
                         f"encoder makes {tuple(encoder.planes_chw)} + {encoder.global_size}")
    policy_size = encoder.action_space.size
    if shards.max_policy_index >= policy_size:
        raise ValueError(f"shards hold policy index {shards.max_policy_index} >= action space size {policy_size}")
    space = encoder.action_space
    spatial = space.n_planes if space.special_base == space.n_planes * shards.planes_chw[1] * shards.planes_chw[2] else 0
    return ENCODER_VERSION, policy_size, spatial


def run(settings: TrainSettings, log=None) -> TrainResult:
    """The whole run: data, model (fresh or --init), fit, checkpoint, models row."""
    from engine import parse_config
    from ringrift_lake.location import Lake

    cfg = parse_config(settings.config)
    board_type, num_players = cfg.board_type, cfg.num_players
    lake = Lake.at(settings.lake) if settings.lake else Lake.from_env()
    if settings.shards:
        data = data_source.from_files(settings.config, settings.shards, None)
    else:
        data = data_source.from_lake(lake, settings.config, settings.dataset)
    shards = ShardSet(data.shard_paths, val_fraction=settings.val_fraction)
    encoder_version, policy_size, spatial = _encoder_facts(board_type, data, shards)
    device = pick_device(settings.device)
    torch.manual_seed(settings.seed)              # the fresh model's initial weights (and the transfer's noise)
    parent_id = None
    if settings.init:
        source = checkpoint.load(lake, settings.init)
        parent_id = source.meta["model_id"]
        model = init_from(source.model, source.meta, board_type, num_players, encoder_version, settings.seed)
        check_compatible(model.arch, architecture_for(board_type, num_players, shards.planes_chw,
                                                      shards.global_size, policy_size, spatial))
        for knob in ("channels", "blocks"):
            if getattr(settings, knob) not in (None, model.arch[knob]):
                raise ValueError(f"--{knob} {getattr(settings, knob)} differs from the --init model's {model.arch[knob]}")
    else:
        model = build_model(architecture_for(board_type, num_players, shards.planes_chw, shards.global_size,
                                             policy_size, spatial, channels=settings.channels or DEFAULT_CHANNELS,
                                             blocks=settings.blocks or DEFAULT_BLOCKS))
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    log(f"train {settings.config}: {len(shards.train_refs)} train / {len(shards.val_refs)} val positions from "
        f"{len(data.shard_paths)} shards, {parameter_count(model):,} parameters, device {device}")
    metrics = fit(model, shards, replace(settings, device=str(device)), log=log)
    metrics["parameters"] = parameter_count(model)
    metrics["torch"] = torch.__version__
    saved = checkpoint.save(lake, model, config=settings.config, encoder_version=encoder_version,
                            dataset_id=data.dataset_id, parent_model_id=parent_id, metrics=metrics,
                            model_id=settings.model_id)
    if not settings.no_register:
        register(lake, saved, settings.config, parent_id, data.dataset_id, metrics, settings.generation)
    return TrainResult(saved.model_id, saved.weights_uri, saved.sha256, data.dataset_id, parent_id, metrics)


def register(lake, saved: checkpoint.SavedCheckpoint, config: str, parent_id, dataset_id, metrics: dict,
             generation: int | None = None) -> None:
    from ringrift_lake import tables

    now = datetime.now(timezone.utc)
    tables.append(lake, "models", [{
        "model_id": saved.model_id, "config": config, "status": "candidate",
        "architecture": json.dumps(saved.meta["architecture"], sort_keys=True),
        "encoder_version": saved.meta["encoder_version"], "parent_model_id": parent_id, "generation": generation,
        "dataset_id": dataset_id, "checkpoint_uri": saved.weights_uri, "sha256": saved.sha256,
        "metrics": json.dumps(metrics, sort_keys=True), "decision": None, "created_at": now, "updated_at": now,
    }])


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The train flags, one per `TrainSettings` field."""
    add_flags(parser, TrainSettings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run_and_report(from_namespace(TrainSettings, parser.parse_args(argv)))


def run_and_report(settings: TrainSettings) -> int:
    """Runs training; prints the JSON summary and returns 0, or prints the error and returns 1."""
    try:
        result = run(settings)
    except KeyboardInterrupt:
        print("train: interrupted; nothing registered", file=sys.stderr)
        return 130
    except Exception as exc:   # every failure must reach the exit status, never a 0
        traceback.print_exc(file=sys.stderr)
        print(f"train: error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result.summary(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
