"""Counters of a batched driver run: evaluations, batches, searches, and where the time went."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class DriverStats:
    games: int = 0
    stalled: int = 0               # games abandoned unfinished after GameSpec.stall_plies without progress
    evaluations: int = 0           # positions evaluated (requests answered)
    batches: int = 0               # evaluator calls
    positions_searched: int = 0    # decisions with a SearchRecord (searches and raw-policy plies)
    full_searches: int = 0
    simulations: int = 0
    eval_wall_s: float = 0.0       # inside evaluator.evaluate
    eval_cpu_s: float = 0.0
    tree_wall_s: float = 0.0       # everything else: engine, tree, history, bookkeeping
    tree_cpu_s: float = 0.0

    @property
    def mean_batch(self) -> float:
        return self.evaluations / self.batches if self.batches else 0.0

    def add_batch(self, size: int, wall_s: float, cpu_s: float) -> None:
        self.evaluations += size
        self.batches += 1
        self.eval_wall_s += wall_s
        self.eval_cpu_s += cpu_s

    def add_tree_time(self, wall_s: float, cpu_s: float) -> None:
        self.tree_wall_s += wall_s
        self.tree_cpu_s += cpu_s

    def add_search(self, record) -> None:
        self.positions_searched += 1
        self.full_searches += int(record.full_search)
        self.simulations += record.simulations

    def as_dict(self) -> dict:
        out = asdict(self)
        out["mean_batch"] = self.mean_batch
        return out
