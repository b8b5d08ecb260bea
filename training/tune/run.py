"""Tune a network's raw policy against fixed opponents and register the result as a candidate.

    ringrift-lake tune --config square8_2p                                   # the champion vs the heuristic
    ringrift-lake tune --config square8_2p --model MODEL --against heuristic lookahead --iterations 40
    ringrift-lake tune --config hex8_2p --games 512 --lr 5e-5 --eval-every 0 --device cuda

Each iteration plays `--games` games of the network's sampled policy against the opponents
(training.tune.rollouts) and takes one PPO update on their decisions (training.tune.ppo); every
`--eval-every` iterations the argmax policy is scored against each opponent over `--eval-games` games
(seats rotated, seeds apart from the rollouts'). Writes `<lake>/models/{config}/<model_id>` and a models
row (status candidate, parent = the tuned model, no dataset: the rollouts are its data), the
per-iteration curve in its metrics. Prints a JSON summary; exit 0 only when the checkpoint was written.
"""
from __future__ import annotations

import copy
import json
import sys
import time
import traceback
from dataclasses import asdict

import torch

from training.tune.settings import TuneSettings

EVAL_SEED_OFFSET = 7_919      # score games use seeds far from every rollout's


def _source_model(lake, settings: TuneSettings) -> str:
    from ringrift_lake.lineage import network_champion
    from training.shipped import ensure_shipped_champion

    if settings.model != "champion":
        return settings.model
    ensure_shipped_champion(lake, settings.config)
    model_id = network_champion(lake, settings.config)
    if model_id is None:
        raise LookupError(f"{settings.config} has no network champion to tune: pass --model")
    return model_id


def _scores(model, encoder, cfg, settings: TuneSettings, device) -> dict[str, float]:
    from training.tune.rollouts import score_against

    return {name: round(score_against(model, encoder, cfg.board_type, cfg.num_players, name, settings.eval_games,
                                      settings.seed + EVAL_SEED_OFFSET, device, settings.batch_games), 4)
            for name in settings.against}


def _frozen_copy(model):
    """The source network as the anchors' reference: its own copy, eval mode, no gradients."""
    reference = copy.deepcopy(model).eval()
    reference.requires_grad_(False)
    return reference


def run(settings: TuneSettings, log=None, lake=None) -> dict:
    """The whole tuning run: source model, iterations, final scores, checkpoint, models row (in `lake`, default
    --lake or the environment's)."""
    from engine import parse_config
    from engine.agents import AGENTS_BY_NAME
    from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
    from ringrift_lake.location import Lake
    from training import checkpoint
    from training.loop import pick_device
    from training.train import register
    from training.tune.ppo import ppo_update
    from training.tune.rollouts import play_rollouts

    unknown = [a for a in settings.against if a not in AGENTS_BY_NAME]
    if unknown or not settings.against:
        raise ValueError(f"--against takes built-in agents ({', '.join(AGENTS_BY_NAME)}), got {settings.against}")
    if settings.iterations < 1 or settings.games < 1:
        raise ValueError("--iterations and --games must be at least 1")
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    cfg = parse_config(settings.config)
    lake = lake or (Lake.at(settings.lake) if settings.lake else Lake.from_env())
    device = pick_device(settings.device)
    source_id = _source_model(lake, settings)
    source = checkpoint.load(lake, source_id, expect_config=settings.config, expect_encoder_version=ENCODER_VERSION,
                             device=device)
    model, parent_id = source.model, source.meta["model_id"]
    encoder = encoder_for(cfg.board_type)
    torch.manual_seed(settings.seed)
    shuffle = torch.Generator().manual_seed(settings.seed)
    reference = _frozen_copy(model) if (settings.anchor_kl or settings.anchor_value) else None
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr)
    curve = []
    started = time.perf_counter()
    for iteration in range(1, settings.iterations + 1):
        t0 = time.perf_counter()
        batch, outcomes = play_rollouts(model, encoder, cfg.board_type, cfg.num_players, settings.against,
                                        settings.games, settings.seed * 10_007 + iteration, device, settings.batch_games)
        t1 = time.perf_counter()
        stats = ppo_update(model, optimizer, batch, epochs=settings.epochs, minibatch=settings.minibatch,
                           clip=settings.clip, value_weight=settings.value_weight,
                           entropy_weight=settings.entropy_weight, device=device, generator=shuffle,
                           reference=reference, anchor_kl=settings.anchor_kl, anchor_value=settings.anchor_value)
        t2 = time.perf_counter()
        row = {"iteration": iteration, "decisions": len(batch),
               "sampled_win_rate": round(sum(o > 0 for o in outcomes) / len(outcomes), 4),
               "rollout_games_per_s": round(len(outcomes) / (t1 - t0), 2), "update_s": round(t2 - t1, 1),
               **{k: round(v, 4) for k, v in stats.items()}}
        every = settings.eval_every
        if settings.eval_games and (iteration == settings.iterations or (every and iteration % every == 0)):
            row["argmax_score"] = _scores(model, encoder, cfg, settings, device)
        curve.append(row)
        log(f"tune {settings.config} iteration {iteration}/{settings.iterations}: " + json.dumps(row))
    metrics = {"tune": {k: v for k, v in asdict(settings).items() if k not in ("lake",)}, "curve": curve,
               "argmax_score": curve[-1].get("argmax_score", {}), "wall_s": round(time.perf_counter() - started, 1),
               "device": str(device), "torch": torch.__version__}
    saved = checkpoint.save(lake, model, config=settings.config, encoder_version=ENCODER_VERSION, dataset_id=None,
                            parent_model_id=parent_id, metrics=metrics)
    if not settings.no_register:
        register(lake, saved, settings.config, parent_id, None, metrics, settings.generation)
    return {"model_id": saved.model_id, "checkpoint_uri": saved.weights_uri, "parent_model_id": parent_id,
            "argmax_score": metrics["argmax_score"], "wall_s": metrics["wall_s"]}


def run_and_report(settings: TuneSettings) -> int:
    """Runs tuning; prints the JSON summary and returns 0, or prints the error and returns 1."""
    try:
        summary = run(settings)
    except KeyboardInterrupt:
        print("tune: interrupted; nothing registered", file=sys.stderr)
        return 130
    except (ValueError, LookupError):
        raise                                   # bad input: the CLI prints one error line, exit 2
    except Exception as exc:                    # every failure must reach the exit status, never a 0
        traceback.print_exc(file=sys.stderr)
        print(f"tune: error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=1))
    return 0
