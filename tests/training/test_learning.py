"""Learning works on real games: heuristic selfplay on square8 2p -> shards -> fit -> PolicyAgent.

The default test is small (a couple of thousand positions, a small model) and checks the model
picks the heuristic's move among the legal ones on held-out games far more often than chance.
(Win rate against random is no learning check on its own: an *untrained* argmax policy already
beats the random agent in most square8 games, because any fixed preference plays better than
uniform noise.) The slow test is the full check: ~20,000 positions, each also seen through the 7
other symmetries of the square board (~160,000 samples), a 48x3 model, 2 epochs (a few CPU minutes),
>= 80% wins against random over 100 games, and the held-out choice check. Without the symmetries
the win rate stayed at 0.67-0.77 (see docs/training.md): imitating the greedy heuristic from 20k
positions did not carry over to the positions random play leads to. With them: 0.78-0.91 on these
seeds (0.08 with another selfplay/init seed), so this test is not yet reliably green.
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
from selfplay_data import policy_win_rate, selfplay_samples, with_symmetries, write_shard


def train_on_selfplay(tmp_path, positions: int, channels: int, blocks: int, epochs: int, seed: int,
                      batch_size: int = 64, lr: float = 3e-3, value_weight: float = 1.0, epsilon: float = 0.0,
                      symmetries: bool = False):
    samples = selfplay_samples("square8", 2, positions, seed=seed, epsilon=epsilon)
    if symmetries:
        samples = with_symmetries(samples, "square8")
    n = len(samples["index"])
    path = write_shard(tmp_path / "selfplay.npz", samples, np.arange(n))
    shards = ShardSet([path], val_fraction=0.2)
    encoder = encoder_for("square8")
    space = encoder.action_space
    torch.manual_seed(seed)
    model = build_model(architecture_for("square8", 2, shards.planes_chw, shards.global_size, space.size,
                                         space.n_planes, channels=channels, blocks=blocks))
    metrics = fit(model, shards, FitSettings(epochs=epochs, batch_size=batch_size, lr=lr, warmup_steps=20,
                                             patience=3, seed=seed, value_weight=value_weight, log=print))
    return samples, shards, model, metrics


def held_out_choice_stats(model, samples: dict, rows: np.ndarray, min_choices: int = 3) -> dict:
    """How well the legal-masked policy predicts the move played, against a uniform pick among the
    legal actions, over positions with at least `min_choices` distinct legal actions (about half of
    all positions are forced or binary bookkeeping moves, which say nothing about learning):
    top-1 `accuracy` and its `chance`, `z` = (hits - expected hits by chance) / their sd by chance,
    and `nats_gain` = mean log-likelihood of the played move minus that of the uniform pick."""
    rows = np.array([i for i in rows if len(samples["legal"][i]) >= min_choices])
    with torch.inference_mode():
        x = torch.from_numpy(np.stack([samples["planes"][i] for i in rows]))
        g = torch.from_numpy(np.stack([samples["globals"][i] for i in rows]))
        logits = model(x, g)[0].double()
    hits, log_lik, p_chance = [], [], []
    for k, i in enumerate(rows):
        legal = torch.from_numpy(samples["legal"][i])
        logp = torch.log_softmax(logits[k, legal], dim=0)
        played = int((legal == samples["index"][i]).nonzero()[0, 0])
        hits.append(int(logp.argmax()) == played)
        log_lik.append(float(logp[played]) + np.log(len(legal)))
        p_chance.append(1.0 / len(legal))
    p_chance = np.array(p_chance)
    z = (np.sum(hits) - p_chance.sum()) / np.sqrt(np.sum(p_chance * (1 - p_chance)))
    return {"positions": len(rows), "accuracy": float(np.mean(hits)), "chance": float(p_chance.mean()),
            "z": float(z), "nats_gain": float(np.mean(log_lik))}


def test_small_model_learns_the_heuristic_policy_on_held_out_games(tmp_path):
    samples, shards, model, metrics = train_on_selfplay(tmp_path, positions=5000, channels=32, blocks=2,
                                                        epochs=5, seed=1)
    val_rows = np.sort(shards.val_refs & ((1 << 40) - 1))
    stats = held_out_choice_stats(model, samples, val_rows)
    print(f"held-out choices: {stats}")
    assert stats["positions"] >= 250
    assert stats["z"] > 6 and stats["accuracy"] > 2 * stats["chance"]
    assert stats["nats_gain"] > 0.3


@pytest.mark.slow
def test_20k_positions_train_a_policy_that_beats_random_in_80_percent_of_100_games(tmp_path):
    torch.set_num_threads(2)
    samples, shards, model, metrics = train_on_selfplay(tmp_path, positions=20_000, channels=48, blocks=3,
                                                        epochs=2, seed=2, batch_size=128, lr=2e-3, epsilon=0.2,
                                                        symmetries=True)
    encoder = encoder_for("square8")
    val_rows = np.sort(shards.val_refs & ((1 << 40) - 1))
    stats = held_out_choice_stats(model, samples, val_rows)
    win_rate = policy_win_rate(lambda s: PolicyAgent(model, encoder, seed=s), "square8", 2, games=100, seed=9)
    print(f"samples/s {metrics['samples_per_s']:.0f}; held-out choices {stats}; "
          f"win rate vs random over 100 games: {win_rate:.2f}")
    assert stats["z"] > 10 and stats["nats_gain"] > 1.0
    assert win_rate >= 0.8
