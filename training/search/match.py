"""Head-to-head matches between two agent kinds, seats alternated, in spawned worker processes.

    result = play_match("square8", 2, parse_player("gumbel64:heuristic"), parse_player("heuristic"),
                        games=200, seed=1, workers=2)
    result.score, result.interval95(), result.wins, result.losses, result.draws

Game g seats the candidate at seat (g mod n) + 1 and the opponent everywhere else; its first
`opening_plies_per_player` x n plies come from a seeded random opening (as the gauntlet does), so games
between (nearly) deterministic agents differ. Score = (wins + draws / 2) / games, a draw being a game
with no winner (stalemate or the move cap). Workers run the batched driver (training.search.driver) over
their share of the games; the spawn context is used, never fork.
"""
from __future__ import annotations

import math
import multiprocessing
import time
from dataclasses import dataclass, field

from training.search.players import AgentFactory, parse_player

OPENING_RANDOM_PLIES_PER_PLAYER = 2     # as training.gauntlet
MAX_MOVES = 3000

__all__ = ["play_match", "MatchResult", "AgentFactory", "parse_player"]


@dataclass
class MatchResult:
    candidate: str
    opponent: str
    games: list = field(default_factory=list)     # per game: dict(index, seat, winner, status, reason, moves)
    cpu_s: float = 0.0
    wall_s: float = 0.0

    def _points(self) -> list[float]:
        return [1.0 if g["winner"] == g["seat"] else 0.5 if g["winner"] is None else 0.0 for g in self.games]

    @property
    def wins(self) -> int:
        return sum(1 for g in self.games if g["winner"] == g["seat"])

    @property
    def draws(self) -> int:
        return sum(1 for g in self.games if g["winner"] is None)

    @property
    def losses(self) -> int:
        return len(self.games) - self.wins - self.draws

    @property
    def score(self) -> float:
        points = self._points()
        return sum(points) / len(points) if points else 0.0

    def interval95(self) -> tuple[float, float]:
        """Normal-approximation 95% interval of the score."""
        points = self._points()
        n = len(points)
        if n < 2:
            return (0.0, 1.0)
        mean = sum(points) / n
        sd = math.sqrt(sum((p - mean) ** 2 for p in points) / (n - 1))
        half = 1.96 * sd / math.sqrt(n)
        return (max(0.0, mean - half), min(1.0, mean + half))

    def summary(self) -> str:
        lo, hi = self.interval95()
        return (f"{self.candidate} vs {self.opponent}: {len(self.games)} games, W-L-D {self.wins}-{self.losses}-"
                f"{self.draws}, score {self.score:.3f} (95% {lo:.3f}-{hi:.3f}), {self.cpu_s:.0f} CPU-s")


def game_seed(seed: int, index: int) -> int:
    return (seed + 7919 * index) % 2**62


def play_chunk(task: tuple) -> tuple[list, float]:
    """Worker: play the games of one chunk with the batched driver; (per-game dicts, CPU seconds)."""
    from training.search.driver import GameSpec, play_games

    board_type, num_players, candidate, opponent, indices, seed, max_moves, opening, batch_games = task
    cpu0 = time.process_time()

    def specs():
        for index in indices:
            s = game_seed(seed, index)
            seat = index % num_players + 1
            agents = [(candidate if k == seat else opponent)((s * 31 + k) % 2**62)
                      for k in range(1, num_players + 1)]
            yield GameSpec(seed=s, agents=agents, max_moves=max_moves, opening_plies=opening,
                           tag=(index, seat))

    out = []
    for game in play_games(board_type, num_players, specs(), batch_games=batch_games):
        index, seat = game.spec.tag
        out.append({"index": index, "seat": seat, "winner": game.winner, "status": game.status,
                    "reason": game.reason, "moves": game.num_moves})
    return out, time.process_time() - cpu0


def play_match(board_type: str, num_players: int, candidate: AgentFactory | str, opponent: AgentFactory | str,
               games: int, seed: int = 0, workers: int = 2, max_moves: int = MAX_MOVES,
               opening_plies_per_player: int = OPENING_RANDOM_PLIES_PER_PLAYER, batch_games: int = 16,
               chunks_per_worker: int = 4) -> MatchResult:
    """Play `games` games; at most `workers` spawned processes (0 or 1: in this process)."""
    candidate = parse_player(candidate) if isinstance(candidate, str) else candidate
    opponent = parse_player(opponent) if isinstance(opponent, str) else opponent
    n_chunks = max(1, min(games, max(1, workers) * chunks_per_worker))
    tasks = [(board_type, num_players, candidate, opponent, list(range(c, games, n_chunks)), seed, max_moves,
              opening_plies_per_player * num_players, batch_games) for c in range(n_chunks)]
    result = MatchResult(str(candidate), str(opponent))
    started = time.perf_counter()
    if workers <= 1:
        outputs = map(play_chunk, tasks)
        for games_out, cpu_s in outputs:
            result.games.extend(games_out)
            result.cpu_s += cpu_s
    else:
        with multiprocessing.get_context("spawn").Pool(min(workers, n_chunks)) as pool:
            for games_out, cpu_s in pool.imap_unordered(play_chunk, tasks):
                result.games.extend(games_out)
                result.cpu_s += cpu_s
    result.games.sort(key=lambda g: g["index"])
    result.wall_s = time.perf_counter() - started
    return result
