"""The knobs of the generation loop (one flag each for `ringrift-lake loop`, one field each for Dagster).

    LoopSettings(config="square8_2p", budget=64, games_per_generation=400)

The window and reuse rule (`WindowRule`) and the resignation rule (`ResignRule`) are parts of it, so
one object crosses every boundary. Defaults are sized for a 2-core CPU (a 48x3 network; on a GPU
raise the size, the games and the budget).
"""
from __future__ import annotations

from dataclasses import dataclass

from ringrift_lake.knobs import knob
from training.generations.resign import ResignRule
from training.generations.window import WindowRule
from training.settings import AUGMENT_CHOICES, DEFAULT_AUGMENT


@dataclass(frozen=True)
class LoopSettings(WindowRule, ResignRule):
    config: str = knob("", "e.g. square8_2p", required=True)
    budget: int = knob(64, "search simulations per move: selfplay and the gauntlet against the champion")
    games_per_generation: int = knob(400, "selfplay games per generation")
    bootstrap: str = knob("heuristic", "selfplay player while no network is champion (generation 0): the "
                                       "heuristic, or heuristic search such as gumbel16:heuristic")
    bootstrap_games: int = knob(1000, "selfplay games of a generation while no network is champion")
    bootstrap_opening_plies: int = knob(8, "random opening plies of those games (the heuristic is nearly "
                                           "deterministic: this varies them)")
    cheap_budget: int = knob(16, "playout-cap randomisation: the cheap search's budget (0 = every search full)")
    full_search_prob: float = knob(0.25, "share of plies with a full search (the policy targets)")
    sample_plies: int = knob(16, "selfplay plies sampled from the improved policy (then its best move)")
    temperature: float = knob(1.0, "sampling temperature of those plies")
    workers: int = knob(2, "worker processes for selfplay and gauntlets")
    batch_games: int = knob(64, "games one worker plays at once")
    channels: int = knob(48, "trunk width of a fresh network")
    blocks: int = knob(3, "residual blocks of a fresh network")
    batch_size: int = knob(256, "positions per optimizer step")
    augment: str = knob(DEFAULT_AUGMENT, "train each sample in a random symmetry of its board (see training.augment)",
                        choices=AUGMENT_CHOICES)
    lr: float = knob(2e-3, "peak learning rate")
    max_epochs: int = knob(8, "passes over the window at most (the reuse cap usually stops training first)")
    tune_iterations: int = knob(0, "after training, tune the candidate's raw policy against --tune-against by "
                                   "policy gradient for this many iterations (0: no tuning; training.tune)")
    tune_games: int = knob(512, "rollout games per tuning iteration")
    tune_against: str = knob("heuristic", "the built-in opponent of the tuning games")
    tune_lr: float = knob(1e-4, "learning rate of the tuning")
    gauntlet_games: int = knob(80, "games of the candidate against the champion, both at --budget")
    baseline_games: int = knob(40, "games against random and the heuristic (search and raw policy each)")
    significance: float = knob(0.05, "promotion: one-sided sign-test level against the champion")
    min_rate_vs_heuristic: float = knob(0.6, "promotion: the search candidate's least score against the heuristic")
    heldout_player: str = knob("gumbel128:heuristic", "the stronger player of the held-out positions")
    heldout_games: int = knob(16, "held-out games (played once per config)")
    device: str = knob("auto", "auto | cpu | cuda for training and the networks")
    seed: int = knob(0, "run seed: selfplay and gauntlet seeds of every generation derive from it")

    @property
    def search_budget_cheap(self) -> int | None:
        return self.cheap_budget or None
