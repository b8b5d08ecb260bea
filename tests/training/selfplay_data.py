"""Real training data for the learning checks: heuristic-vs-heuristic selfplay, encoded with the
real encoder and written as contract shards (np.savez). Also a small match runner (policy vs random).

Values are seen from the player to move (relative seat 0 = mover), as the encoder's planes are.
Each sample also keeps the policy indices of the position's legal moves, so a test can score the
model's legal-masked top-1 choice against chance.
"""
from __future__ import annotations

import zlib

import numpy as np

from engine import apply_move, legal_moves, new_game, play_game
from engine.agents import HeuristicAgent, RandomAgent
from ringrift_lake.encoding import encoder_for
from ringrift_lake.encoding.symmetry import board_symmetries
from ringrift_lake.encoding.targets import final_seat_values, relative_values
from training.play.games import Seat


class ExploringHeuristic:
    """The heuristic agent, except that with probability `epsilon` it plays a random legal move; those
    plies are remembered (`explored`) so they are not used as policy targets. The greedy heuristic is
    nearly deterministic, so without exploration its selfplay games cover a narrow set of positions."""

    def __init__(self, seed: int, epsilon: float):
        self.heuristic, self.random = HeuristicAgent(seed=seed), RandomAgent(seed=seed + 1)
        self.rng, self.epsilon, self.explored = np.random.default_rng(seed), epsilon, set()

    def select_move(self, state, legal):
        if len(legal) > 1 and self.rng.random() < self.epsilon:
            self.explored.add(state.move_count)
            return self.random.select_move(state, legal)
        return self.heuristic.select_move(state, legal)


def selfplay_samples(board_type: str, num_players: int, positions: int, seed: int, epsilon: float = 0.0) -> dict:
    """Arrays of >= `positions` samples from whole heuristic games (exploring with `epsilon`; explored
    plies are played but not sampled), plus `legal` (the legal policy indices of each sample)."""
    encoder = encoder_for(board_type)
    space = encoder.action_space
    out = {k: [] for k in ("planes", "globals", "index", "values", "mover", "game", "ply", "legal")}
    game_no = 0
    while len(out["index"]) < positions:
        game_seed = seed * 100_003 + game_no
        agents = [ExploringHeuristic(game_seed * 7 + k, epsilon) for k in range(num_players)]
        played = play_game(board_type, num_players, agents, seed=game_seed)
        game_no += 1
        if played.winner is None:
            continue
        explored = set().union(*(a.explored for a in agents))
        state, history, movers = new_game(board_type, num_players), [], []
        key = zlib.crc32(f"{board_type}-{game_seed}".encode())
        for ply, move in enumerate(played.moves):
            if ply in explored:
                history.append(state.copy())
                history = history[-encoder.history:]
                apply_move(state, move)
                continue
            legal = legal_moves(state)
            planes, globals_ = encoder.encode_state(state, history)
            out["planes"].append(planes)
            out["globals"].append(globals_)
            out["index"].append(space.encode_move(state, move))
            out["legal"].append(np.unique([space.encode_move(state, m) for m in legal]))
            movers.append(state.current_player)
            out["game"].append(key)
            out["ply"].append(ply)
            history.append(state.copy())
            history = history[-encoder.history:]
            apply_move(state, move)
        final = played.final_state
        seat_values = final_seat_values(num_players, played.winner, final.eliminated, final.territory)
        out["values"].extend(relative_values(seat_values, np.array(movers), num_players))
        out["mover"].extend(movers)
    return out


def with_symmetries(samples: dict, board_type: str) -> dict:
    """`samples` plus each sample seen through the other symmetries of the board: planes
    and the played and legal policy indices transformed together; a sample whose played move has no
    remapped index (line and territory choices) is kept only as it is. Same game, ply, values."""
    sym = board_symmetries(board_type)
    out = {key: list(values) for key, values in samples.items()}
    for k in range(1, sym.count):
        index_map = sym.index_maps[k]
        for i, played in enumerate(samples["index"]):
            if index_map[played] < 0:
                continue
            out["planes"].append(sym.transform_planes(samples["planes"][i], k))
            out["index"].append(int(index_map[played]))
            legal = index_map[samples["legal"][i]]
            out["legal"].append(legal[legal >= 0])
            for key in ("globals", "values", "mover", "game", "ply"):
                out[key].append(samples[key][i])
    return out


def write_shard(path, samples: dict, rows: np.ndarray) -> str:
    n = len(rows)
    values = np.asarray(samples["values"], np.float32)[rows]
    np.savez(path, planes_nchw=np.stack([samples["planes"][i] for i in rows]),
             globals_nf=np.stack([samples["globals"][i] for i in rows]),
             policy_offsets=np.arange(n + 1, dtype=np.int64),
             policy_indices=np.asarray(samples["index"], np.int32)[rows], policy_probs=np.ones(n, np.float32),
             values_nseat=values, value_n=values[:, 0].copy(),
             player_to_move_n=np.asarray(samples["mover"], np.int8)[rows],
             game_key_n=np.asarray(samples["game"], np.int64)[rows], ply_n=np.asarray(samples["ply"], np.int32)[rows],
             legal_offsets=np.concatenate([[0], np.cumsum([len(samples["legal"][i]) for i in rows])]).astype(np.int64),
             legal_indices=np.concatenate([samples["legal"][i] for i in rows]).astype(np.int32))
    return str(path)


def policy_win_rate(agent_factory, board_type: str, num_players: int, games: int, seed: int,
                    max_moves: int = 600) -> float:
    """Share of `games` won by the policy agent against random agents, seats rotated; a game still
    unfinished after `max_moves` counts as not won."""
    wins = 0
    for g in range(games):
        seat = g % num_players
        agents = [RandomAgent(seed=seed * 1000 + g * 10 + k) for k in range(num_players)]
        agents[seat] = agent_factory(seed * 1000 + g)
        seats = [Seat(a, agents) for a in agents]
        played = play_game(board_type, num_players, seats, seed=seed * 1000 + g, max_moves=max_moves)
        wins += played.winner == seat + 1
    return wins / games
