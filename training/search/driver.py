"""Play many games at once, batching the evaluations of all of them (no lake, no torch here).

    specs = (GameSpec(seed=s, agents=[agent_a, agent_b], max_moves=3000) for s in seeds)
    for game in play_games("square8", 2, specs, batch_games=128, stats=stats):
        game.moves, game.moves_json, game.searches, game.final_state, game.winner ...

Up to `batch_games` games are in flight; when one finishes the next spec is taken (specs are consumed
lazily, so agents can be built per game). Each step advances every game until it needs an evaluation
(a decision generator yielded a request) or ends; the pending requests are grouped by evaluator object,
each group is evaluated in one call, and the results are sent back. One leaf per game per step.
Plies with a single legal move, and the seeded random opening, are played without asking the agent
(their `searches` entry is None). Games come back in the order they finish; `GameSpec.tag` is returned
untouched for the caller's bookkeeping (seat identities and the like).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from engine import RESIGNATION, apply_move, legal_moves, move_to_json, new_game
from engine.agents import RandomAgent

from training.search.agents import as_search_agent
from training.search.stats import DriverStats

HISTORY_DEPTH = 2


@dataclass
class GameSpec:
    seed: int
    agents: list                      # per seat: decide() agents or engine agents (select_move)
    max_moves: int = 3000             # a game still active after this many moves comes back unfinished
    opening_plies: int = 0            # the first plies come from RandomAgent(seed) (all seats)
    rules_options: dict | None = None
    tag: object = None
    resign_below: float | None = None  # 2 players: a searching player whose own root value is below this
                                      # resigns instead of moving (None: nobody resigns)
    stall_plies: int | None = None    # a game with no progress (GameState.progress_key) for this many plies
                                      # comes back unfinished too


@dataclass
class FinishedGame:
    spec: GameSpec
    moves: list                        # engine Moves
    moves_json: list                   # as engine.play_game builds them (move_to_json + moveNumber)
    searches: list                     # per ply: SearchRecord | None
    final_state: object
    status: str
    winner: int | None
    reason: str | None
    resigned_by: int | None = None     # the seat that resigned (status completed, reason "resignation")

    @property
    def num_moves(self) -> int:
        return len(self.moves)

    @property
    def seed(self) -> int:
        return self.spec.seed


@dataclass(eq=False)
class _Run:
    """One game in flight."""

    spec: GameSpec
    board_type: str
    num_players: int
    state: object = None
    agents: list = field(default_factory=list)
    opening: RandomAgent | None = None
    history: list = field(default_factory=list)
    moves: list = field(default_factory=list)
    moves_json: list = field(default_factory=list)
    searches: list = field(default_factory=list)
    decision: object = None             # the running decide() generator
    agent: object = None                # whose generator it is
    legal: list | None = None
    reply: object = None                # the evaluation to send next
    resigned_by: int | None = None
    progress: tuple = ()                # the last progress_key and the ply it was first seen at
    progress_ply: int = 0

    def __post_init__(self):
        self.state = new_game(self.board_type, self.num_players, self.spec.rules_options)
        self.agents = [as_search_agent(a) for a in self.spec.agents]
        self.observers = list({id(a): a.observe for a in self.agents if getattr(a, "observe", None)}.values())
        self.opening = RandomAgent(seed=self.spec.seed)
        self.progress = self.state.progress_key()

    @property
    def stalled(self) -> bool:
        cap = self.spec.stall_plies
        return cap is not None and self.state.status == "active" and len(self.moves) - self.progress_ply >= cap

    @property
    def over(self) -> bool:
        return (self.state.status != "active" or len(self.moves) >= self.spec.max_moves
                or self.resigned_by is not None or self.stalled)

    def resigns(self, search) -> bool:
        """The player to move gives up: its own root value is below the game's threshold (2 players)."""
        below = self.spec.resign_below
        if below is None or search is None or self.num_players != 2:
            return False
        return float(search.root_values[self.state.current_player - 1]) < below

    def play(self, move, search) -> None:
        state = self.state
        mj = move_to_json(move, state)
        mj["moveNumber"] = len(self.moves) + 1
        self.history.append(state.copy())
        if len(self.history) > HISTORY_DEPTH:
            del self.history[0]
        apply_move(state, move, check=False)
        self.moves.append(move)
        self.moves_json.append(mj)
        self.searches.append(search)
        key = state.progress_key()
        if key != self.progress:
            self.progress, self.progress_ply = key, len(self.moves)

    def advance(self, stats: DriverStats):
        """Plays on until a decision needs an evaluation (returns the request) or the game is over (None)."""
        while True:
            if self.decision is not None:
                try:
                    request = self.decision.send(self.reply) if self.reply is not None else next(self.decision)
                    self.reply = None
                    return request
                except StopIteration as stop:
                    decision = stop.value
                self.decision = None
                self.reply = None
                if not any(m is decision.move for m in self.legal):
                    raise ValueError(f"{self.agent.name} played {decision.move}, not one of the legal moves")
                if decision.search is not None:
                    stats.add_search(decision.search)
                if self.resigns(decision.search):
                    self.resigned_by = self.state.current_player
                    return None
                self.play(decision.move, decision.search)
            if self.over:
                return None
            state = self.state
            for observe in self.observers:
                observe(state)
            legal = legal_moves(state)
            if len(legal) == 1:
                self.play(legal[0], None)
            elif state.move_count < self.spec.opening_plies:
                self.play(self.opening.select_move(state, legal), None)
            else:
                self.agent = self.agents[state.current_player - 1]
                self.legal = legal
                self.decision = self.agent.decide(state, legal, tuple(self.history))

    def finished(self) -> FinishedGame:
        s = self.state
        if self.resigned_by is not None:
            return FinishedGame(self.spec, self.moves, self.moves_json, self.searches, s, "completed",
                                3 - self.resigned_by, RESIGNATION, self.resigned_by)
        return FinishedGame(self.spec, self.moves, self.moves_json, self.searches, s, s.status, s.winner, s.reason)


def play_games(board_type: str, num_players: int, specs: Iterable[GameSpec], batch_games: int = 128,
               stats: DriverStats | None = None) -> Iterator[FinishedGame]:
    """Yield every spec's game once it is over (finished, or unfinished at its max_moves or stall_plies)."""
    stats = stats if stats is not None else DriverStats()
    pending_specs = iter(specs)
    runs: list[_Run] = []
    exhausted = False
    while True:
        step_start, cpu_start = time.perf_counter(), time.process_time()
        while not exhausted and len(runs) < batch_games:
            spec = next(pending_specs, None)
            if spec is None:
                exhausted = True
            else:
                runs.append(_Run(spec, board_type, num_players))
        if not runs:
            break
        waiting: dict[int, tuple] = {}          # id(evaluator) -> (evaluator, [runs], [requests])
        still: list[_Run] = []
        done: list[_Run] = []
        for run in runs:
            request = run.advance(stats)
            if request is None:
                done.append(run)
                continue
            still.append(run)
            evaluator = run.agent.evaluator
            group = waiting.setdefault(id(evaluator), (evaluator, [], []))
            group[1].append(run)
            group[2].append(request)
        runs = still
        stats.add_tree_time(time.perf_counter() - step_start, time.process_time() - cpu_start)
        for evaluator, group_runs, requests in waiting.values():
            t0, c0 = time.perf_counter(), time.process_time()
            evaluations = evaluator.evaluate(requests)
            stats.add_batch(len(requests), time.perf_counter() - t0, time.process_time() - c0)
            for run, evaluation in zip(group_runs, evaluations):
                run.reply = evaluation
        for run in done:
            stats.games += 1
            stats.stalled += run.stalled
            yield run.finished()
