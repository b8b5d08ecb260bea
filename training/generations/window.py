"""How much data a generation trains on, and how often it may see each new sample.

    window_samples(total=2_000_000, WindowRule())   # the newest samples to train on
    step_budget(new_samples=40_000, batch=256, rule) # optimizer steps allowed this generation

Window (KataGo's power law): with `total` samples in the lake, the window is all of them while
total <= `window_min_samples` (m), then grows sublinearly,

    window(N) = m + r * (N^e - m^e) / (e * m^(e - 1))          (e = `window_exponent`, r = `window_growth`)

so early generations are not diluted by the bootstrap's weak games and later ones keep a long memory.
The window is taken newest games first. Reuse: a generation draws at most `max_reuse` training samples
per sample generated since the last training (KataGo trains 4-8 samples per new row), so a retrain
waits for new data instead of re-fitting old data: `min_new_samples` is the least new data worth a
generation.
"""
from __future__ import annotations

from dataclasses import dataclass

from ringrift_lake.knobs import knob


@dataclass(frozen=True)
class WindowRule:
    window_min_samples: int = knob(20_000, "window: all samples up to this many (m)")
    window_exponent: float = knob(0.75, "window: power-law exponent (e)")
    window_growth: float = knob(0.4, "window: growth rate beyond m (r)")
    max_reuse: float = knob(4.0, "training samples drawn per newly generated sample")
    min_new_samples: int = knob(2_000, "least new samples since the last training worth a generation")


def window_samples(total: int, rule: WindowRule) -> int:
    """The number of newest samples a generation trains on, out of `total` in the lake."""
    m, e, r = rule.window_min_samples, rule.window_exponent, rule.window_growth
    if total <= m:
        return total
    return min(total, int(round(m + r * (total ** e - m ** e) / (e * m ** (e - 1)))))


def step_budget(new_samples: int, batch_size: int, rule: WindowRule) -> int:
    """Optimizer steps allowed: `max_reuse` samples drawn per new sample, at least one step."""
    return max(1, int(rule.max_reuse * new_samples) // batch_size)


def reuse_ratio(samples_drawn: int, new_samples: int) -> float:
    return samples_drawn / new_samples if new_samples else float("inf")
