"""The generation loop's rules: the power-law window, the reuse cap, resignation's false-positive rule."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from training.generations.resign import NEVER, ResignRule, WouldResign, false_positive_rate, next_threshold
from training.generations.settings import LoopSettings
from training.generations.window import WindowRule, step_budget, window_samples


def test_the_window_is_everything_up_to_m_then_grows_sublinearly():
    rule = WindowRule(window_min_samples=1000, window_exponent=0.75, window_growth=0.4)
    assert window_samples(800, rule) == 800 and window_samples(1000, rule) == 1000
    # (N^e - m^e) / (e m^(e-1)) * r + m at N = 16000: (16000^.75 - 1000^.75) / (.75 * 1000^-.25) * .4 + 1000
    assert window_samples(16_000, rule) == round(1000 + 0.4 * (16000 ** .75 - 1000 ** .75) / (.75 * 1000 ** -.25))
    assert window_samples(16_000, rule) < 16_000 / 2


@given(st.integers(1, 10**8), st.integers(1, 10**8))
def test_the_window_never_shrinks_as_data_grows_and_never_exceeds_it(a, b):
    rule = WindowRule()
    low, high = sorted((a, b))
    assert window_samples(low, rule) <= window_samples(high, rule) <= high


def test_the_reuse_cap_bounds_the_samples_a_generation_draws():
    rule = WindowRule(max_reuse=4.0)
    assert step_budget(10_000, 256, rule) * 256 <= 4 * 10_000 < (step_budget(10_000, 256, rule) + 1) * 256
    assert step_budget(10, 256, rule) == 1


def test_false_positives_are_the_would_be_resigners_that_won():
    seats = [WouldResign(-0.99, False)] * 18 + [WouldResign(-0.97, True)] + [WouldResign(-0.5, True)] * 30
    assert false_positive_rate(seats, -0.95) == (1 / 19, 19)
    rule = ResignRule(resign_target_fp=0.05, resign_lowest=-0.995, resign_highest=-0.6)
    assert NEVER == -1.0
    assert next_threshold(seats, rule, -0.9) == -0.97          # highest threshold whose rate stays <= 5%
    assert false_positive_rate(seats, next_threshold(seats, rule, -0.9))[0] <= 0.05
    assert next_threshold([WouldResign(0.3, True)], rule, -0.9) == -0.9   # nothing fell that low: keep it
    assert next_threshold([WouldResign(-0.99, True)] * 3, rule, -0.9) == NEVER   # every level wrong: stop resigning


def test_at_least_ten_percent_of_games_may_not_resign():
    with pytest.raises(ValueError, match="at least 10%"):
        ResignRule(no_resign_share=0.05)
    settings = LoopSettings(config="square8_2p")
    assert settings.no_resign_share >= 0.1 and settings.max_reuse <= 8
