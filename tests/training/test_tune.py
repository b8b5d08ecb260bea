"""Tuning the raw policy against built-in opponents: rollouts record what the network saw, the PPO step
moves probability toward moves of won games and away from lost ones, and `ringrift-lake tune` registers a
child of the tuned model."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from cli import main as cli
from ringrift_lake import tables
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from training import checkpoint
from training.model import architecture_for, build_model
from training.tune.ppo import legal_log_probs, ppo_update
from training.tune.rollouts import RolloutBatch, play_rollouts, score_against


def untrained(seed=0):
    torch.manual_seed(seed)
    enc = encoder_for("square8")
    space = enc.action_space
    model = build_model(architecture_for("square8", 2, enc.planes_chw, enc.global_size, space.size, space.n_planes,
                                         channels=8, blocks=1))
    return model.eval(), enc


def log_probs_of(model, batch: RolloutBatch) -> np.ndarray:
    with torch.no_grad():
        logp_bl, _ = legal_log_probs(model, torch.from_numpy(batch.planes_bchw).float(),
                                     torch.from_numpy(batch.globals_bg), torch.from_numpy(batch.legal_cols_bl))
    return logp_bl.gather(1, torch.from_numpy(batch.chosen_b)[:, None])[:, 0].numpy()


def test_rollouts_record_the_networks_own_decisions():
    model, enc = untrained()
    batch, outcomes = play_rollouts(model, enc, "square8", 2, ["random"], games=4, seed=1)
    assert len(outcomes) == 4 and set(outcomes) <= {-1.0, 0.0, 1.0}
    counts = (batch.legal_cols_bl >= 0).sum(1)
    assert len(batch) > 20 and counts.min() >= 2                       # single-move plies are no decisions
    assert (batch.chosen_b < counts).all()
    assert set(np.unique(batch.outcome_b)) <= set(outcomes)
    # the recorded planes reproduce the probabilities the moves were sampled with
    np.testing.assert_allclose(log_probs_of(model, batch), batch.behaviour_logp_b, atol=2e-3)
    again, again_outcomes = play_rollouts(model, enc, "square8", 2, ["random"], games=4, seed=1)
    assert again_outcomes == outcomes and np.array_equal(again.chosen_b, batch.chosen_b)   # seeded


def test_ppo_step_follows_the_outcome_sign():
    model, enc = untrained(seed=2)
    batch, _ = play_rollouts(model, enc, "square8", 2, ["random"], games=2, seed=5)
    before = log_probs_of(model, batch)
    for sign in (1.0, -1.0):
        trained, _ = untrained(seed=2)
        signed = RolloutBatch(batch.planes_bchw, batch.globals_bg, batch.legal_cols_bl, batch.chosen_b,
                              batch.behaviour_logp_b, np.full(len(batch), sign, np.float32))
        optimizer = torch.optim.Adam(trained.parameters(), lr=1e-3)
        stats = ppo_update(trained, optimizer, signed, epochs=3, minibatch=64, value_weight=0.0,
                           generator=torch.Generator().manual_seed(0))
        after = log_probs_of(trained, batch)
        assert stats["steps"] == 3 * -(-len(batch) // 64)
        assert np.sign(after.mean() - before.mean()) == sign, (sign, before.mean(), after.mean())


def test_anchors_hold_the_policy_and_value_near_the_source():
    """The same won-game push, with and without the anchors: the anchored run ends closer to the source in
    both KL and value, and an anchor without its reference is refused."""
    source, enc = untrained(seed=3)
    batch, _ = play_rollouts(source, enc, "square8", 2, ["random"], games=2, seed=7)
    won = RolloutBatch(batch.planes_bchw, batch.globals_bg, batch.legal_cols_bl, batch.chosen_b,
                       batch.behaviour_logp_b, np.ones(len(batch), np.float32))
    drift = {}
    for weight in (0.0, 20.0):
        model, _ = untrained(seed=3)
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
        stats = [ppo_update(model, optimizer, won, epochs=1, minibatch=64, value_weight=1.0, clip=10.0,
                            generator=torch.Generator().manual_seed(0), reference=source, anchor_kl=weight,
                            anchor_value=weight) for _ in range(4)]
        drift[weight] = (stats[-1]["kl"], stats[-1]["value_drift"])
        if weight == 0.0:                                   # free, the push carries it away from the source
            assert drift[0.0][0] > 10 * stats[0]["kl"] and drift[0.0][1] > 10 * stats[0]["value_drift"], stats
    assert drift[20.0][0] < 0.5 * drift[0.0][0], drift
    assert drift[20.0][1] < 0.5 * drift[0.0][1], drift
    with pytest.raises(ValueError, match="reference"):
        ppo_update(source, torch.optim.Adam(source.parameters()), won, anchor_kl=1.0)


def test_tune_command_registers_a_child_of_the_tuned_model(local_lake, capsys):
    model, enc = untrained(seed=3)
    parent = checkpoint.save(local_lake, model, config="square8_2p", encoder_version=ENCODER_VERSION,
                             dataset_id=None, model_id="square8_2p-tune-parent")
    rc = cli(["tune", "--config", "square8_2p", "--model", parent.model_id, "--against", "random", "heuristic",
              "--iterations", "2", "--games", "4", "--eval-every", "1", "--eval-games", "2", "--device", "cpu"])
    assert rc == 0
    summary = json.loads(capsys.readouterr().out)
    row = tables.read(local_lake, "models").to_pylist()[-1]
    assert row["model_id"] == summary["model_id"] != parent.model_id
    assert row["status"] == "candidate" and row["parent_model_id"] == parent.model_id and row["dataset_id"] is None
    metrics = json.loads(row["metrics"])
    assert [r["iteration"] for r in metrics["curve"]] == [1, 2]
    assert set(metrics["argmax_score"]) == {"random", "heuristic"}
    assert all(0.0 <= s <= 1.0 for s in metrics["argmax_score"].values())
    child = checkpoint.load(local_lake, summary["model_id"]).model
    moved = [not torch.equal(a, b) for a, b in zip(child.state_dict().values(), model.state_dict().values())]
    assert any(moved)
    # the child plays: its argmax score is the one a fresh evaluation gives
    score = score_against(child, enc, "square8", 2, "random", games=2, seed=0 + 7_919)
    assert score == metrics["argmax_score"]["random"]


def test_tune_refuses_an_unknown_opponent(local_lake, capsys):
    model, _ = untrained()
    parent = checkpoint.save(local_lake, model, config="square8_2p", encoder_version=ENCODER_VERSION,
                             dataset_id=None, model_id="square8_2p-tune-parent")
    rc = cli(["tune", "--config", "square8_2p", "--model", parent.model_id, "--against", "gumbel8:heuristic"])
    assert rc == 2
    assert "--against takes built-in agents" in capsys.readouterr().err


def test_a_loop_generation_with_tuning_gauntlets_the_tuned_child(local_lake):
    from training.generations.loop import run_loop
    from training.generations.settings import LoopSettings

    tiny = LoopSettings(config="square8_2p", budget=4, games_per_generation=4, bootstrap_games=6, cheap_budget=2,
                        gauntlet_games=2, baseline_games=2, heldout_player="gumbel8:heuristic", heldout_games=2,
                        channels=8, blocks=1, workers=0, batch_size=64, window_min_samples=300, device="cpu",
                        tune_iterations=1, tune_games=2, tune_against="random")
    [row] = run_loop(local_lake, tiny, generations=1, log=lambda line: None)
    models = {m["model_id"]: m for m in tables.read(local_lake, "models").to_pylist()}
    tuned = models[row["model_id"]]
    trained = models[tuned["parent_model_id"]]
    assert trained["dataset_id"] == row["dataset_id"] and tuned["dataset_id"] is None
    assert tuned["generation"] == trained["generation"] == 0
    assert json.loads(tuned["metrics"])["tune"]["against"] == ["random"]
    assert json.loads(tuned["metrics"])["argmax_score"] == {}              # the gauntlets score it, not the tuning
    assert "tune" in json.loads(row["stage_seconds"])
    assert f"gumbel4:model:{tuned['model_id']} vs random" in json.loads(row["results"])
