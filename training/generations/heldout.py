"""The fixed held-out positions every generation is measured on: games by a stronger player (search at
a high budget) that no training window ever contains.

    dataset_id = ensure_heldout(lake, "square8_2p", player="gumbel128:heuristic", games=16)
    heldout_metrics(lake, "square8_2p", model)   # {"policy_loss", "top1", "value_mse", "positions"}

The games are ordinary raw_games rows with source `heldout` (so they are validated, quarantined and
queryable like every game), played once per config with a fixed seed; `ringrift_lake.export.Window`
keeps them out of every training window and `Window(heldout=True)` exports them alone. Their policy
targets are the recorded improved policies of the full searches; values are the game results.
"""
from __future__ import annotations

import json

import pyarrow.compute as pc

from ringrift_lake import tables
from ringrift_lake.location import Lake
from ringrift_lake.records.ids import HELDOUT_SOURCE

HELDOUT_SEED = 20261204


def heldout_dataset(lake: Lake, config: str) -> str | None:
    """The newest held-out dataset of the config, or None."""
    rows = tables.read(lake, "datasets", columns=["dataset_id", "window", "created_at"],
                       filter=pc.field("config") == config).to_pylist()
    held = [r for r in rows if json.loads(r["window"] or "{}").get("heldout")]
    return max(held, key=lambda r: r["created_at"])["dataset_id"] if held else None


def ensure_heldout(lake: Lake, config: str, player: str, games: int, workers: int = 1, log=print) -> str:
    """The held-out dataset id of the config; plays, consolidates and exports it the first time."""
    from ringrift_lake.consolidate import consolidate
    from ringrift_lake.export import Window, export_dataset
    from training.play import PlayOptions, run_selfplay

    existing = heldout_dataset(lake, config)
    if existing is not None:
        return existing
    log(f"{config}: playing {games} held-out games with {player} (once per config)")
    options = PlayOptions(temperature=1.0, sample_plies=8, gumbel_noise=True)    # varied, then the best move
    run_selfplay(lake, config, games, player=player, workers=workers, seed=HELDOUT_SEED, source=HELDOUT_SOURCE,
                 options=options, progress=False)
    consolidate(lake, [config], workers=1)
    return export_dataset(lake, config, Window(heldout=True), workers=1)["dataset_id"]


def heldout_metrics(lake: Lake, config: str, model, dataset_id: str | None = None, device: str = "cpu") -> dict:
    """Policy cross-entropy and top-1 on the positions with a policy target, value MSE on all of them."""
    import torch

    from training.data_source import from_lake
    from training.loop import evaluate
    from training.settings import FitSettings
    from training.shards import ShardSet

    dataset_id = dataset_id or heldout_dataset(lake, config)
    if dataset_id is None:
        raise LookupError(f"{config} has no held-out dataset yet (ensure_heldout)")
    shards = ShardSet(from_lake(lake, config, dataset_id).shard_paths, val_fraction=1.0)
    result = evaluate(model, shards, FitSettings(batch_size=256, device=device), torch.device(device))
    model.eval()                                  # evaluate() leaves the model in training mode
    return {"dataset_id": dataset_id, "policy_loss": result["val_policy_loss"],
            "top1": result["val_policy_accuracy"], "value_mse": result["val_value_loss"],
            "positions": result["val_samples"], "policy_positions": result["val_policy_samples"]}
