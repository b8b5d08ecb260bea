"""Search entries of a game (`raw_games.search`) checked against its replay: every improved-policy index
inside the action space and among the position's legal moves (sorted, distinct), probabilities a
distribution, visit counts aligned with the indices, one root value per seat. A violation quarantines the
game as `bad_search_target` at that ply: a policy target that is not a distribution over the legal moves
would train the network on moves it can never play."""
from __future__ import annotations

import math

REASON = "bad_search_target"


def search_problem(board_type: str, num_players: int, moves: list, entries: list, rules_options: dict | None):
    """(ply, detail) of the first bad entry, or None. `moves` are engine Moves, `entries` one per ply."""
    from engine import apply_move, new_game
    from ringrift_lake.encoding import encoder_for

    if len(entries) != len(moves):
        return None, f"{len(entries)} search entries for {len(moves)} moves"
    space = encoder_for(board_type).action_space
    state = new_game(board_type, num_players, rules_options)
    for ply, (move, entry) in enumerate(zip(moves, entries), start=1):
        if entry is not None:
            problem = _entry_problem(entry, space, state, num_players)
            if problem:
                return ply, f"ply {ply}: {problem}"
        apply_move(state, move, check=False)
    return None


def _entry_problem(entry: dict, space, state, num_players: int) -> str | None:
    from engine import legal_moves

    index, prob = entry.get("policy_index") or [], entry.get("policy_prob") or []
    if not index or len(index) != len(prob) or len(entry.get("visit_count") or []) != len(index):
        return f"{len(index)} indices, {len(prob)} probabilities, {len(entry.get('visit_count') or [])} visit counts"
    if any(b <= a for a, b in zip(index, index[1:])):
        return "policy indices are not sorted and distinct"
    if index[0] < 0 or index[-1] >= space.size:
        return f"policy index outside the action space 0..{space.size - 1}"
    illegal = sorted(set(index) - set(space.encode_legal(state, legal_moves(state))))
    if illegal:
        return f"policy indices {illegal[:5]} are not legal moves there"
    if any(p < 0 or not math.isfinite(p) for p in prob) or abs(sum(prob) - 1.0) > 1e-3:
        return f"probabilities sum to {sum(prob):.6f}, not 1"
    if len(entry.get("root_value") or []) != num_players:
        return f"{len(entry.get('root_value') or [])} root values for {num_players} seats"
    return None
