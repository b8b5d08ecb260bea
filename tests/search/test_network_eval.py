"""The network evaluator: batched encoding equals encode_state, logits at the legal moves' indices,
values turned from mover-relative to absolute seats."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import legal_moves
from ringrift_lake.encoding import encoder_for
from search_helpers import random_position
from training.model import architecture_for, build_model
from training.search import GameSpec, GumbelAgent, NetworkEvaluator, PolicyNetAgent, play_games
from training.search.batch_encode import BatchEncoder
from training.search.network_eval import absolute_values
from training.search.protocol import EvalRequest

torch.set_num_threads(1)


def _model(board_type, num_players, seed=0):
    torch.manual_seed(seed)
    enc = encoder_for(board_type)
    arch = architecture_for(board_type, num_players, enc.planes_chw, enc.global_size, enc.action_space.size,
                            enc.action_space.n_planes, channels=16, blocks=1)
    return build_model(arch).eval(), enc


def _requests(board_type, num_players, count):
    out = []
    for k in range(count):
        state, history = random_position(board_type, num_players, k, 7 * k)
        if state.status != "active":
            continue
        out.append(EvalRequest(state, tuple(history[-(k % 3):]) if k % 3 else (), legal_moves(state)))
    return out


@pytest.mark.parametrize("config", [("square8", 2), ("hex8", 3)])
def test_batch_encoding_equals_encode_state(config):
    enc = encoder_for(config[0])
    requests = _requests(*config, 12)
    edited = requests[3].state.copy()
    edited.victory_threshold = 5                         # another scale: encoded in its own group
    requests[3] = EvalRequest(edited, requests[3].history, requests[3].legal)
    planes = np.full((len(requests),) + enc.planes_chw, np.nan, np.float32)
    globals_ = np.full((len(requests), enc.global_size), np.nan, np.float32)
    BatchEncoder(enc).encode_into(requests, planes, globals_)
    for b, r in enumerate(requests):
        want_planes, want_globals = enc.encode_state(r.state, r.history)
        np.testing.assert_array_equal(planes[b], want_planes)
        np.testing.assert_array_equal(globals_[b], want_globals)


def test_absolute_values_rotate_by_the_mover():
    rel = np.array([[0.1, 0.2, 0.3, 0.0], [0.1, 0.2, 0.3, 0.0], [0.1, 0.2, 0.3, 0.0]], np.float32)
    out = absolute_values(rel, np.array([1, 2, 3]), 3)
    # mover 2: seat 2 = column 0, seat 3 = column 1, seat 1 = column 2
    np.testing.assert_allclose(out, [[0.1, 0.2, 0.3], [0.3, 0.1, 0.2], [0.2, 0.3, 0.1]])


@pytest.mark.parametrize("config", [("square8", 2), ("hex8", 3)])
def test_logits_and_values_match_the_model(config):
    model, enc = _model(*config)
    evaluator = NetworkEvaluator(model, enc, "cpu", channels_last=True)
    requests = _requests(*config, 9)
    got = evaluator.evaluate(requests)
    for r, e in zip(requests, got):
        x, g = enc.encode_state(r.state, r.history)
        with torch.inference_mode():
            logits, values = model(torch.from_numpy(x)[None], torch.from_numpy(g)[None])
        index = [enc.action_space.encode_move(r.state, m) for m in r.legal]
        assert len(set(index)) == len(index)
        np.testing.assert_allclose(e.logits_n, logits[0, index].numpy(), rtol=1e-4, atol=1e-4)
        n, mover = config[1], r.state.current_player
        rel = values[0, :n].numpy()
        want = np.array([rel[(s - (mover - 1)) % n] for s in range(n)])
        np.testing.assert_allclose(e.values_nseat, want, rtol=1e-4, atol=1e-5)
        assert e.logits_n.dtype == np.float32 and e.values_nseat.shape == (n,)


def test_network_agents_play_batched_games():
    model, enc = _model("square8", 2)
    evaluator = NetworkEvaluator(model, enc, "cpu")
    specs = [GameSpec(seed=s, agents=[GumbelAgent(evaluator, 4, seed=s), PolicyNetAgent(evaluator, seed=s)],
                      max_moves=30) for s in range(3)]
    games = list(play_games("square8", 2, specs, batch_games=3))
    assert len(games) == 3 and all(g.num_moves == 30 or g.status == "completed" for g in games)
