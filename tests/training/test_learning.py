"""Learning works on real games: heuristic selfplay on square8 2p -> shards -> fit -> PolicyAgent.

The default test is small (a couple of thousand positions, a small model) and checks the model
picks the heuristic's move among the legal ones on held-out games far more often than chance, and
beats the random agent. The slow test is the full check: ~20,000 positions, the default 96x6 model,
>= 80% wins against random over 100 games.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from ringrift_lake.encoding import encoder_for
from training.loop import FitSettings, fit
from training.model import architecture_for, build_model
from training.policy_agent import PolicyAgent
from training.shards import ShardSet
from selfplay_data import policy_win_rate, selfplay_samples, write_shard


def train_on_selfplay(tmp_path, positions: int, channels: int, blocks: int, epochs: int, seed: int):
    samples = selfplay_samples("square8", 2, positions, seed=seed)
    n = len(samples["index"])
    path = write_shard(tmp_path / "selfplay.npz", samples, np.arange(n))
    shards = ShardSet([path], val_fraction=0.2)
    encoder = encoder_for("square8")
    space = encoder.action_space
    model = build_model(architecture_for("square8", 2, shards.planes_chw, shards.global_size, space.size,
                                         space.n_planes, channels=channels, blocks=blocks))
    metrics = fit(model, shards, FitSettings(epochs=epochs, batch_size=128, lr=2e-3, warmup_steps=20, patience=3,
                                             seed=seed, log=print))
    return samples, shards, model, metrics


def legal_masked_accuracy(model, samples: dict, rows: np.ndarray) -> tuple[float, float]:
    """(share of positions where the legal-masked argmax is the move played, chance of a uniform pick)."""
    with torch.inference_mode():
        x = torch.from_numpy(np.stack([samples["planes"][i] for i in rows]))
        g = torch.from_numpy(np.stack([samples["globals"][i] for i in rows]))
        logits = model(x, g)[0].numpy()
    hits = [samples["legal"][i][np.argmax(logits[k, samples["legal"][i]])] == samples["index"][i]
            for k, i in enumerate(rows)]
    chance = np.mean([1.0 / len(samples["legal"][i]) for i in rows])
    return float(np.mean(hits)), float(chance)


def test_small_model_learns_the_heuristic_policy_on_held_out_games(tmp_path):
    samples, shards, model, metrics = train_on_selfplay(tmp_path, positions=2500, channels=32, blocks=2,
                                                        epochs=8, seed=1)
    val_rows = np.sort(shards.val_refs & ((1 << 40) - 1))
    accuracy, chance = legal_masked_accuracy(model, samples, val_rows)
    print(f"held-out legal-masked accuracy {accuracy:.3f} vs chance {chance:.3f}; metrics {metrics['val_loss']:.3f}")
    assert accuracy > 2 * chance and accuracy > chance + 0.15
    encoder = encoder_for("square8")
    win_rate = policy_win_rate(lambda s: PolicyAgent(model, encoder, seed=s), "square8", 2, games=10, seed=5)
    print(f"win rate vs random over 10 games: {win_rate:.2f}")
    assert win_rate > 0.5


@pytest.mark.slow
def test_default_model_on_20k_positions_beats_random_in_80_percent_of_100_games(tmp_path):
    torch.set_num_threads(2)
    samples, shards, model, metrics = train_on_selfplay(tmp_path, positions=20_000, channels=96, blocks=6,
                                                        epochs=6, seed=2)
    encoder = encoder_for("square8")
    win_rate = policy_win_rate(lambda s: PolicyAgent(model, encoder, seed=s), "square8", 2, games=100, seed=9)
    print(f"samples/s {metrics['samples_per_s']:.0f}; val accuracy {metrics['val_policy_accuracy']:.3f}; "
          f"win rate vs random over 100 games: {win_rate:.2f}")
    assert win_rate >= 0.8
