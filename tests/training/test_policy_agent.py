"""PolicyAgent: legal-masked argmax/sampling, history like training, loading from a checkpoint."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import apply_move, legal_moves, new_game, play_game
from engine.agents import RandomAgent
from ringrift_lake.encoding import ENCODER_VERSION, encoder_for
from training import checkpoint
from training.checkpoint import CheckpointError
from training.model import architecture_for, build_model
from training.policy_agent import PolicyAgent


def untrained(board="square8", num_players=2, seed=0):
    torch.manual_seed(seed)
    enc = encoder_for(board)
    space = enc.action_space
    return build_model(architecture_for(board, num_players, enc.planes_chw, enc.global_size, space.size,
                                        space.n_planes, channels=8, blocks=1)), enc


def positions(board="square8", plies=40, seed=3):
    """Pre-move states of a random game (copies), in order."""
    state, agent, out = new_game(board, 2), RandomAgent(seed=seed), []
    while state.status == "active" and len(out) < plies:
        out.append(state.copy())
        apply_move(state, agent.select_move(state, legal_moves(state)))
    return out


def test_argmax_choice_is_the_best_legal_index():
    model, enc = untrained()
    agent = PolicyAgent(model, enc, seed=1)
    for state in positions()[::5]:
        legal = legal_moves(state)
        move = agent.select_move(state, legal)
        assert move in legal
        logits = agent.policy_logits(state)
        legal_idx = [enc.action_space.encode_move(state, m) for m in legal]
        assert logits[enc.action_space.encode_move(state, move)] == max(logits[i] for i in legal_idx)


def test_sampling_is_reproducible_by_seed_and_varies():
    model, enc = untrained()
    state = positions(plies=1)[0]
    legal = legal_moves(state)
    a = PolicyAgent(model, enc, seed=4, temperature=5.0)
    b = PolicyAgent(model, enc, seed=4, temperature=5.0)
    seq_a = [a.select_move(state, legal).key() for _ in range(20)]
    seq_b = [b.select_move(state, legal).key() for _ in range(20)]
    assert seq_a == seq_b and len(set(seq_a)) > 1
    with pytest.raises(ValueError):
        PolicyAgent(model, enc, temperature=-1)


def test_sample_plies_samples_the_opening_and_plays_the_argmax_after():
    model, enc = untrained()
    state = positions(plies=1)[0]                                  # ply 0
    legal = legal_moves(state)
    best = PolicyAgent(model, enc).select_move(state, legal).key()
    opening = PolicyAgent(model, enc, seed=4, temperature=5.0, sample_plies=1)
    assert len({opening.select_move(state, legal).key() for _ in range(20)}) > 1
    after = PolicyAgent(model, enc, seed=4, temperature=5.0, sample_plies=0)
    assert {after.select_move(state, legal).key() for _ in range(20)} == {best}


def test_observed_history_gives_the_same_planes_as_training():
    model, enc = untrained()
    states = positions(plies=12)
    agent = PolicyAgent(model, enc)
    for s in states:
        agent.observe(s)
    last = states[-1]
    expected_planes, _ = enc.encode_state(last, states[:-1])
    planes, _ = enc.encode_state(last, agent._history(last.move_count))
    np.testing.assert_array_equal(planes, expected_planes)


def test_plays_whole_games_against_random():
    model, enc = untrained()
    played = play_game("square8", 2, [PolicyAgent(model, enc, seed=1), RandomAgent(seed=2)], seed=7)
    assert played.status == "completed" and played.num_moves > 0


def test_from_checkpoint_names_the_model_and_refuses_another_encoder(local_lake):
    model, _ = untrained()
    saved = checkpoint.save(local_lake, model, config="square8_2p", encoder_version=ENCODER_VERSION, dataset_id=None)
    agent = PolicyAgent.from_checkpoint(local_lake, saved.model_id, seed=3)
    assert agent.name == f"model:{saved.model_id}"
    state = positions(plies=1)[0]
    assert agent.select_move(state, legal_moves(state)) == PolicyAgent(model, encoder_for("square8"), seed=3) \
        .select_move(state, legal_moves(state))
    other = checkpoint.save(local_lake, model, config="square8_2p", encoder_version="rrenc-0", dataset_id=None)
    with pytest.raises(CheckpointError, match="encoder version is 'rrenc-0'"):
        PolicyAgent.from_checkpoint(local_lake, other.model_id)
