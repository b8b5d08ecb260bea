"""The batched driver: same games as one at a time, same records as engine.play_game, caps, counters."""
from __future__ import annotations

from engine import apply_move, legal_moves, new_game, play_game
from engine.agents import HeuristicAgent, RandomAgent
from search_helpers import HashEvaluator, RecordingEvaluator
from training.search import DriverStats, GameSpec, GumbelAgent, HeuristicEvaluator, PolicyNetAgent, play_games


def _specs(evaluator, seeds, max_moves=80):
    for k, seed in enumerate(seeds):
        search = GumbelAgent(evaluator, 8, seed=seed, gumbel_noise=True, sample_plies=6)
        other = HeuristicAgent(seed=seed + 1) if k % 2 else PolicyNetAgent(evaluator, seed=seed, sample_plies=4)
        agents = [search, other] if k % 3 else [other, search]
        yield GameSpec(seed=seed, agents=agents, max_moves=max_moves, opening_plies=4, tag=k)


def _fingerprint(game):
    searches = [None if r is None else (r.improved_policy.tobytes(), r.visit_counts.tobytes(), r.budget)
                for r in game.searches]
    return game.moves_json, searches, game.status, game.winner


def test_batched_games_equal_games_played_one_at_a_time():
    seeds = [11, 12, 13, 14, 15, 16]
    evaluator = RecordingEvaluator(HeuristicEvaluator())
    stats = DriverStats()
    batched = {g.spec.tag: _fingerprint(g) for g in play_games("square8", 2, _specs(evaluator, seeds),
                                                               batch_games=4, stats=stats)}
    assert max(evaluator.batch_sizes) == 4 and stats.mean_batch > 2
    single = {}
    for spec in _specs(HeuristicEvaluator(), seeds):
        (game,) = play_games("square8", 2, [spec], batch_games=1)
        single[spec.tag] = _fingerprint(game)
    assert batched == single
    assert stats.games == 6 and stats.evaluations == len(evaluator.requests)
    assert stats.simulations > 0 and stats.positions_searched > 0


def test_engine_agents_give_exactly_play_games_record():
    for seed in (1, 2):
        agents = [RandomAgent(seed), HeuristicAgent(seed + 1)]
        (game,) = play_games("hex8", 2, [GameSpec(seed, agents)])
        reference = play_game("hex8", 2, [RandomAgent(seed), HeuristicAgent(seed + 1)], seed=seed, max_moves=3000)
        assert game.moves_json == reference.moves_json and game.moves == reference.moves
        assert (game.status, game.winner, game.reason) == (reference.status, reference.winner, reference.reason)
        assert all(r is None for r in game.searches)


def test_move_cap_returns_the_game_unfinished_and_forced_plies_are_not_searched():
    evaluator = HashEvaluator()
    spec = GameSpec(seed=3, agents=[GumbelAgent(evaluator, 4, seed=3)] * 2, max_moves=25)
    (game,) = play_games("square8", 2, [spec])
    assert game.status == "active" and game.num_moves == 25 == len(game.searches) == len(game.moves_json)
    assert [m["moveNumber"] for m in game.moves_json] == list(range(1, 26))
    state = new_game("square8", 2)
    for move, record in zip(game.moves, game.searches):
        legal = legal_moves(state)
        if len(legal) == 1:
            assert record is None
        else:
            assert record is not None and record.improved_policy.shape == (len(legal),)
            assert record.full_search and record.budget == 4
        apply_move(state, move)


def test_three_player_games_finish_with_searches_recorded():
    evaluator = HeuristicEvaluator()
    specs = [GameSpec(seed=s, agents=[GumbelAgent(evaluator, 4, seed=s), HeuristicAgent(s), RandomAgent(s)],
                      max_moves=400) for s in (1, 2)]
    games = list(play_games("hex8", 3, specs))
    assert len(games) == 2
    for game in games:
        recorded = [r for r in game.searches if r is not None]
        assert recorded and all(r.root_values.shape == (3,) for r in recorded)
        assert all(abs(float(r.improved_policy.sum()) - 1) < 1e-5 for r in recorded)


def _longest_no_progress_run(game) -> tuple[int, int]:
    """(longest run of plies without a change of progress_key, the ply count at which it first ends)."""
    state = new_game("square8", 2)
    key, since, longest, at = state.progress_key(), 0, 0, 0
    for ply, move in enumerate(game.moves, start=1):
        apply_move(state, move)
        if state.progress_key() != key:
            key, since = state.progress_key(), ply
        elif ply - since > longest:
            longest, at = ply - since, ply
    return longest, at


def test_a_game_without_progress_for_stall_plies_comes_back_unfinished_there():
    for seed in (4, 5, 6):
        agents = [RandomAgent(seed), RandomAgent(seed + 1)]
        (full,) = play_games("square8", 2, [GameSpec(seed, agents)])
        longest, at = _longest_no_progress_run(full)
        assert full.status == "completed" and longest >= 2
        (same,) = play_games("square8", 2, [GameSpec(seed, [RandomAgent(seed), RandomAgent(seed + 1)],
                                                     stall_plies=longest + 1)])
        assert same.moves_json == full.moves_json and same.status == "completed"
        stats = DriverStats()
        (cut,) = play_games("square8", 2, [GameSpec(seed, [RandomAgent(seed), RandomAgent(seed + 1)],
                                                    stall_plies=longest)], stats=stats)
        assert cut.status == "active" and cut.num_moves == at and stats.stalled == 1
        assert cut.moves_json == full.moves_json[:at]
