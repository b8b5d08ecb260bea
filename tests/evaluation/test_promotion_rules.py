"""The promotion rule on simulated matches: stronger promoted, equal and weaker not; the sign test's numbers."""
from __future__ import annotations

import pytest

from ringrift_lake.promotion.decision import PromotionRules, decide
from ringrift_lake.promotion.stats import game_score, head_to_head, sign_test_p_value
from simulated_matches import match_row, simulate_head_to_head

CAND, CHAMP = "model:cand", "model:champ"


def _gauntlet(p_random, p_heuristic, p_champion=None, games=60, seed=0):
    rows = simulate_head_to_head(CAND, "random", p_random, games, seed)
    rows += simulate_head_to_head(CAND, "heuristic", p_heuristic, games, seed + 1)
    if p_champion is not None:
        rows += simulate_head_to_head(CAND, CHAMP, p_champion, games, seed + 2)
    return rows


def test_sign_test_exact_values():
    assert sign_test_p_value(5, 0) == pytest.approx(1 / 32)
    assert sign_test_p_value(4, 1) == pytest.approx(6 / 32)
    assert sign_test_p_value(0, 0) == 1.0
    assert sign_test_p_value(27, 13) == pytest.approx(0.019239, abs=1e-6)
    assert sign_test_p_value(26, 14) == pytest.approx(0.040345, abs=1e-6)


def test_clearly_stronger_candidate_is_promoted_over_the_champion():
    decision = decide(_gauntlet(0.98, 0.9, p_champion=0.8, games=80, seed=1), CAND, CHAMP)
    assert decision.outcome == "promote", decision.reasons
    assert decision.gates["champion"]["p_value"] < 0.05
    assert decision.gates["random"]["rate"] >= 0.85


@pytest.mark.parametrize("p_champion", [0.5, 0.3])
def test_equal_or_weaker_candidate_is_not_promoted(p_champion):
    decision = decide(_gauntlet(0.98, 0.9, p_champion=p_champion, games=80, seed=2), CAND, CHAMP)
    assert decision.outcome == "reject"
    assert decision.gates["champion"]["p_value"] >= 0.05
    assert decision.gates["random"]["passed"] and decision.gates["heuristic"]["passed"]


def test_first_model_needs_only_the_baselines_and_fails_a_weak_baseline():
    assert decide(_gauntlet(0.98, 0.8, seed=3), CAND, None).outcome == "promote"
    weak = decide(_gauntlet(0.98, 0.4, seed=4), CAND, None)
    assert weak.outcome == "reject" and "heuristic" in weak.reasons[0]


def test_too_few_games_is_neither_promotion_nor_rejection():
    decision = decide(_gauntlet(1.0, 1.0, p_champion=1.0, games=20, seed=5), CAND, CHAMP, PromotionRules(min_games=40))
    assert decision.outcome == "insufficient_games"
    assert decide(_gauntlet(1.0, 1.0, games=20, seed=5), CAND, None, PromotionRules(min_games=20)).promoted


def test_heuristic_candidate_skips_its_own_gate():
    rows = simulate_head_to_head("heuristic", "random", 0.97, 50, seed=6)
    decision = decide(rows, "heuristic", None)
    assert set(decision.gates) == {"random"} and decision.promoted


def test_multiplayer_score_is_the_share_of_opponent_seats_beaten():
    assert game_score(["heuristic", CAND, "heuristic"], [1, 2, 3], CAND, "heuristic") == 0.5
    assert game_score([CAND, "heuristic", "random"], [1, 2, 3], CAND, "heuristic") is False
    assert game_score([CAND, "random"], None, CAND, "random") is None
    rows = [match_row("hex8_3p", [CAND, "random", "random"], [1, 2, 3]),
            match_row("hex8_3p", ["random", CAND, "random"], [1, 2, 3]),
            dict(match_row("hex8_3p", ["random", "random", CAND], [1, 2, 3]), ranks=None)]
    h2h = head_to_head(rows, CAND, "random")
    assert (h2h.games, h2h.score, h2h.successes, h2h.ties, h2h.unfinished) == (3, 1.5, 1, 1, 1)
    assert h2h.rate == pytest.approx(0.5)
