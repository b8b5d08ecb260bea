"""Games of a network's sampled raw policy against fixed opponents, every decision recorded for training.

    batch, scores = play_rollouts(model, encoder, "square8", 2, ["heuristic"], games=1024, seed=3)
    batch.planes_bchw, batch.legal_cols_bl, batch.chosen_b, batch.behaviour_logp_b, batch.outcome_b
    score = score_against(model, encoder, "square8", 2, "heuristic", games=200, seed=7)   # argmax play

The network sits in one seat of each game (seats rotate game by game), the opponents in the others
(cycling through the names given, one opponent per game). Its moves are sampled from softmax(logits)
over the legal moves; the planes it saw, the legal moves' policy columns, the sampled move and its log
probability are kept per decision, and the game's outcome from the network's seat (+1 win, -1 loss,
0 draw or unfinished) is attached once the game ends. Plies with one legal move are not decisions.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.agents import AGENTS_BY_NAME
from training.search.agents import PolicyNetAgent
from training.search.driver import GameSpec, play_games
from training.search.network_eval import NetworkEvaluator
from training.search.protocol import Decision, EvalRequest, softmax

MAX_MOVES = 3000


@dataclass
class RolloutBatch:
    planes_bchw: np.ndarray        # float16 [N, C, H, W]: what the network saw at each decision
    globals_bg: np.ndarray         # float32 [N, G]
    legal_cols_bl: np.ndarray      # int64 [N, L]: the legal moves' policy columns, -1 past each row's count
    chosen_b: np.ndarray           # int64 [N]: position of the sampled move in its row
    behaviour_logp_b: np.ndarray   # float32 [N]: its log probability when it was sampled
    outcome_b: np.ndarray          # float32 [N]: +1 / -1 / 0 from the network's seat

    def __len__(self) -> int:
        return len(self.chosen_b)


class RecordingEvaluator(NetworkEvaluator):
    """A NetworkEvaluator that keeps, per request, the planes and policy columns it evaluated."""

    def __init__(self, model, encoder, device="cpu"):
        super().__init__(model, encoder, device=device)
        self.seen: dict[int, tuple] = {}

    def evaluate(self, requests):
        out = super().evaluate(requests)
        count = len(requests)
        planes = self._planes[:count].numpy().astype(np.float16)
        globals_ = self._globals[:count].numpy().copy()
        for row, request in enumerate(requests):
            cols = np.asarray(self.indexer.indices(request.state, request.legal), np.int64)
            self.seen[id(request)] = (planes[row], globals_[row], cols)
        return out


class SamplingAgent:
    """Samples each move from softmax(logits) and appends (planes, globals, cols, index, logp) to `decisions`."""

    name = "tuned"

    def __init__(self, evaluator: RecordingEvaluator, seed: int, decisions: list):
        self.evaluator, self.rng, self.decisions = evaluator, np.random.default_rng(seed), decisions

    def decide(self, state, legal: list, history=()):
        request = EvalRequest(state, tuple(history)[-2:], legal)
        evaluation = yield request
        planes, globals_, cols = self.evaluator.seen.pop(id(request))
        probs_n = softmax(evaluation.logits_n)
        index = int(self.rng.choice(len(probs_n), p=probs_n))
        self.decisions.append((planes, globals_, cols, index, float(np.log(probs_n[index]))))
        return Decision(legal[index], None)


def _seat_of(game: int, num_players: int) -> int:
    return 1 + game % num_players


def _game_specs(games: int, seed: int, num_players: int, opponents: list[str], player_for) -> list[GameSpec]:
    """One spec per game: `player_for(game, game_seed)` in the game's seat, the game's opponent in the others;
    tag = (game, seat)."""
    specs = []
    for game in range(games):
        game_seed = (seed * 1_000_003 + game) % 2**62
        seat, opponent = _seat_of(game, num_players), AGENTS_BY_NAME[opponents[game % len(opponents)]]
        player = player_for(game, game_seed)
        agents = [player if s == seat else opponent(seed=(game_seed * 7 + s) % 2**62) for s in range(1, num_players + 1)]
        specs.append(GameSpec(seed=game_seed, agents=agents, max_moves=MAX_MOVES, tag=(game, seat)))
    return specs


def outcome_for(winner: int | None, seat: int) -> float:
    return 0.0 if winner is None else (1.0 if winner == seat else -1.0)


def play_rollouts(model, encoder, board_type: str, num_players: int, opponents: list[str], games: int, seed: int,
                  device="cpu", batch_games: int = 256) -> tuple[RolloutBatch, list[float]]:
    """Plays `games` games; returns the decisions of all of them and each game's outcome for the network."""
    evaluator = RecordingEvaluator(model, encoder, device=device)
    decisions_of = {game: [] for game in range(games)}
    specs = _game_specs(games, seed, num_players, opponents,
                        lambda game, game_seed: SamplingAgent(evaluator, game_seed, decisions_of[game]))
    rows, outcomes = [], []
    for finished in play_games(board_type, num_players, specs, batch_games=batch_games):
        game, seat = finished.spec.tag
        outcome = outcome_for(finished.winner, seat)
        outcomes.append(outcome)
        rows.extend(d + (outcome,) for d in decisions_of.pop(game))
    return _stack(rows, encoder), outcomes


def _stack(rows: list[tuple], encoder) -> RolloutBatch:
    count = len(rows)
    width = max((len(r[2]) for r in rows), default=1)
    cols_bl = np.full((count, width), -1, np.int64)
    for i, r in enumerate(rows):
        cols_bl[i, :len(r[2])] = r[2]
    c, h, w = encoder.planes_chw
    planes = np.stack([r[0] for r in rows]) if rows else np.zeros((0, c, h, w), np.float16)
    globals_ = np.stack([r[1] for r in rows]) if rows else np.zeros((0, encoder.global_size), np.float32)
    return RolloutBatch(planes, globals_, cols_bl, np.array([r[3] for r in rows], np.int64),
                        np.array([r[4] for r in rows], np.float32), np.array([r[5] for r in rows], np.float32))


def score_against(model, encoder, board_type: str, num_players: int, opponent: str, games: int, seed: int,
                  device="cpu", batch_games: int = 256) -> float:
    """The argmax raw policy's score against one opponent (win 1, draw or unfinished 1/2), seats rotated."""
    evaluator = NetworkEvaluator(model, encoder, device=device)
    specs = _game_specs(games, seed, num_players, [opponent],
                        lambda game, game_seed: PolicyNetAgent(evaluator, seed=game_seed, temperature=0.0, name="tuned"))
    total = 0.0
    for finished in play_games(board_type, num_players, specs, batch_games=batch_games):
        seat = finished.spec.tag[1]
        total += 0.5 if finished.winner is None else float(finished.winner == seat)
    return total / games if games else 0.0
