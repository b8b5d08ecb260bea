"""The Bradley–Terry fit recovers set strengths, its errors are honest and shrink with data."""
from __future__ import annotations

import numpy as np
import pytest

from ringrift_lake.elo import fit_bradley_terry, game_pairs, pairwise_results
from simulated_matches import match_row, simulate_pool

STRENGTHS = {"random": 400.0, "model:a": 650.0, "heuristic": 900.0, "model:b": 1100.0, "model:c": 1250.0}


def _fit(rows):
    return fit_bradley_terry(pairwise_results(rows))


@pytest.mark.parametrize("seats,games,seed", [(2, 3000, 11), (4, 1200, 12)])
def test_recovers_known_ratings_within_two_standard_errors(seats, games, seed):
    fit = _fit(simulate_pool(STRENGTHS, games, seats, seed))
    assert fit.rating("random") == pytest.approx(400.0)
    assert fit.error("random") == 0.0
    for player, true in STRENGTHS.items():
        if player == "random":
            continue
        err = fit.error(player)
        assert 5.0 < err < 80.0, (player, err)
        assert abs(fit.rating(player) - true) <= 2 * err, (player, fit.rating(player), true, err)
    assert [r["player_id"] for r in fit.rows()] == sorted(STRENGTHS, key=STRENGTHS.get, reverse=True)


@pytest.mark.parametrize("seats", [2, 4])
def test_standard_errors_shrink_like_one_over_root_n(seats):
    small = _fit(simulate_pool(STRENGTHS, 400, seats, seed=21))
    large = _fit(simulate_pool(STRENGTHS, 3600, seats, seed=22))
    for player in STRENGTHS:
        if player == "random":
            continue
        ratio = small.error(player) / large.error(player)
        assert 2.2 < ratio < 4.0, (player, ratio)   # nine times the games: about three times smaller


def test_four_player_errors_cover_the_truth_in_most_replications():
    """Pairs of one 4p game are correlated; the clustered errors must still cover ~95% of the time."""
    inside = total = 0
    for rep in range(30):
        fit = _fit(simulate_pool(STRENGTHS, 150, 4, seed=100 + rep))
        assert fit.sandwich
        for player, true in STRENGTHS.items():
            if player != "random":
                total += 1
                inside += abs(fit.rating(player) - true) <= 2 * fit.error(player)
    assert inside / total >= 0.93, inside / total   # Hessian-only errors cover about 0.91 here


def test_even_results_give_equal_ratings_and_draws_count_half():
    rows = [match_row("square8_2p", ["random", "x"], [1, 2]), match_row("square8_2p", ["x", "random"], [1, 2])]
    rows += [match_row("square8_2p", ["random", "y"], [1, 1])] * 4
    fit = _fit(rows)
    assert fit.rating("x") == pytest.approx(400.0, abs=1e-6)
    assert fit.rating("y") == pytest.approx(400.0, abs=1e-6)
    assert fit.wins[fit.players.index("y")] == pytest.approx(2.0)


def test_undefeated_player_gets_a_finite_rating_with_a_large_error():
    rows = [match_row("square8_2p", ["random", "champ"], [2, 1]) for _ in range(20)]
    fit = _fit(rows)
    assert 900 < fit.rating("champ") - 400 < 2500
    assert fit.error("champ") > 300
    assert np.isfinite(fit.ratings).all() and np.isfinite(fit.stderr).all()


def test_pairs_skip_same_player_seats_and_unfinished_games():
    assert game_pairs(["model:m", "heuristic", "heuristic"], [2, 1, 3]) == [
        ("model:m", "heuristic", 0.0), ("model:m", "heuristic", 1.0)]
    unfinished = dict(match_row("square8_2p", ["random", "x"], [1, 2]), ranks=None)
    pairs = pairwise_results([unfinished, match_row("square8_2p", ["random", "x"], [2, 1])])
    assert pairs.num_games == 1 and pairs.num_pairs == 1


def test_fit_without_the_anchor_is_refused():
    with pytest.raises(ValueError, match="anchor"):
        _fit([match_row("square8_2p", ["model:a", "model:b"], [1, 2])])


def test_only_the_anchor_gives_just_the_anchor():
    fit = _fit([match_row("square8_2p", ["random", "random"], [1, 2])])
    assert fit.players == ("random",) and fit.rating("random") == 400.0 and fit.error("random") == 0.0
