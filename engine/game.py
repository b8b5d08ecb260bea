"""Whole games: new_game, play_game (agents choose from the legal set) and validate_game (strict / legacy)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .apply import apply_move
from .codec import move_from_json, move_to_json
from .errors import IllegalMoveError
from .boards import BOARD_TYPES, CONFIGS, board_for, parse_config
from .geometry import geometry_for
from .legal import legal_moves
from .state import DEFAULT_RULES_OPTIONS, GameState
from .validation import check_move
from .victory import LAST_PLAYER_STANDING, evaluate_victory, has_real_action, lps_turn_start

RESIGNATION = "resignation"   # recorded reason of a game the player to move resigned (no engine move)

__all__ = ["BOARD_TYPES", "CONFIGS", "RESIGNATION", "GameCheck", "PlayedGame", "new_game", "parse_config", "play_game",
           "validate_game"]


def new_game(board_type: str, num_players: int, rules_options: dict | None = None) -> GameState:
    """Fresh game: every hand full, player 1 to place. Defaults: R172 on (3 rounds), pie rule off,
    reference hex8 line quirk on."""
    board_for(board_type)   # ValueError naming the valid board types
    if not 1 <= num_players <= 4:
        raise ValueError(f"num_players must be 2-4 (1 for test positions), got {num_players}")
    opts = dict(DEFAULT_RULES_OPTIONS)
    if rules_options:
        opts.update(rules_options)
    state = GameState(geometry_for(board_type), num_players, opts)
    lps_turn_start(state)  # player 1's turn opens the first R172 round
    return state


@dataclass
class PlayedGame:
    moves: list
    moves_json: list
    final_state: GameState
    status: str
    winner: int | None
    reason: str | None
    num_moves: int
    seed: int | None


@dataclass
class GameCheck:
    ok: bool
    ply: int | None = None
    code: str | None = None
    detail: str = ""
    final_state: GameState | None = field(default=None, repr=False)


def play_game(board_type: str, num_players: int, agents, seed=None, rules_options=None,
              max_moves: int | None = None) -> PlayedGame:
    """Play one game; agents[seat-1].select_move(state, legal) picks each move (bookkeeping included).
    Stops early (status "active") after max_moves moves."""
    state = new_game(board_type, num_players, rules_options)
    moves = []
    moves_json = []
    while state.status == "active":
        if max_moves is not None and len(moves) >= max_moves:
            break
        legal = legal_moves(state)
        agent = agents[state.current_player - 1]
        move = agent.select_move(state, legal)
        if not any(m is move for m in legal):
            check_move(state, move)
        mj = move_to_json(move, state)
        mj["moveNumber"] = len(moves) + 1
        apply_move(state, move, check=False)
        moves.append(move)
        moves_json.append(mj)
    return PlayedGame(moves=moves, moves_json=moves_json, final_state=state, status=state.status,
                      winner=state.winner, reason=state.reason, num_moves=len(moves), seed=seed)


def validate_game(board_type: str, num_players: int, moves_json, *, rules_options=None,
                  expected_status=None, expected_winner=None, expected_reason=None,
                  mode: str = "strict") -> GameCheck:
    """Replay a recorded game move by move with full legality checks.

    strict: the engine must reach the recorded end (status, winner, reason) itself.
    legacy: every move must be legal; the recorded winner must be confirmed by evaluating victory
    (R172 included) right after the last recorded move, or by the engine having ended the game there.
    The old system's canonical turn processor never declared round-based LPS (R172 was a host rule
    applied afterwards), so a legacy replay counts the R172 rounds but never ends the game by them.
    """
    if mode not in ("strict", "legacy"):
        raise ValueError(f"mode must be 'strict' or 'legacy', got {mode!r}")
    state = new_game(board_type, num_players, rules_options)
    state.lps_declares = mode != "legacy"
    for i, mj in enumerate(moves_json, start=1):
        try:
            move = move_from_json(mj, state)
        except (KeyError, TypeError, ValueError) as exc:
            return GameCheck(False, i, "unparseable_move", f"move {i}: {exc}", state)
        if state.status != "active":
            return GameCheck(False, i, "illegal_move",
                             f"move {i} ({move.type}) after the game ended ({state.reason})", state)
        try:
            apply_move(state, move)
        except IllegalMoveError as exc:
            return GameCheck(False, i, "illegal_move", f"move {i} ({move.type}): {exc.rule} {exc.field}: "
                             f"{exc.message}", state)
    n = len(moves_json)
    if mode == "strict":
        if expected_reason == RESIGNATION:
            return _check_resignation(state, expected_winner, n)
        if expected_status is not None and state.status != expected_status:
            if state.status == "active":
                return GameCheck(False, None, "not_finished",
                                 f"the game is still active after {n} moves (expected {expected_status})", state)
            return GameCheck(False, None, "result_mismatch",
                             f"status {state.status}, expected {expected_status}", state)
        if expected_status is None and state.status == "active":
            return GameCheck(False, None, "not_finished", f"the game is still active after {n} moves", state)
        if expected_winner is not None and state.winner != expected_winner:
            return GameCheck(False, None, "result_mismatch",
                             f"winner {state.winner}, expected {expected_winner}", state)
        if expected_reason is not None and state.reason != expected_reason:
            return GameCheck(False, None, "result_mismatch",
                             f"reason {state.reason}, expected {expected_reason}", state)
        return GameCheck(True, None, None, "", state)
    # legacy
    if state.status == "completed":
        winner = state.winner
        how = f"engine ended the game ({state.reason})"
    else:
        result = _legacy_verdict(state)
        if result is None:
            return GameCheck(False, None, "result_unconfirmed",
                             f"no victory condition holds after the last recorded move (move {n})", state)
        winner, reason = result
        how = f"victory evaluation after the last move ({reason})"
    if expected_winner is not None and winner != expected_winner:
        return GameCheck(False, None, "result_unconfirmed",
                         f"{how} gives winner {winner}, recorded {expected_winner}", state)
    return GameCheck(True, None, None, how, state)


def _check_resignation(state: GameState, expected_winner, n: int) -> GameCheck:
    """A 2-player game that ended by resignation: every move legal, the game still running after the last
    one, and the winner the seat that is not to move (the player to move resigned instead of moving)."""
    if state.num_players != 2:
        return GameCheck(False, None, "result_mismatch", "resignation ends 2-player games only", state)
    if state.status != "active":
        return GameCheck(False, None, "result_mismatch",
                         f"recorded resignation, but the game ended by {state.reason} at move {n}", state)
    if expected_winner != 3 - state.current_player:
        return GameCheck(False, None, "result_mismatch", f"winner {expected_winner} recorded for a resignation "
                         f"by player {state.current_player}, who was to move", state)
    return GameCheck(True, None, None, f"player {state.current_player} resigned after move {n}", state)


def _legacy_verdict(state: GameState):
    """Victory right after the last recorded move: the ordinary conditions, then R172 with the round in
    progress counted when so far only the candidate had a real action in it."""
    result = evaluate_victory(state)
    if result is not None:
        return result
    required = state.lps_rounds_required
    if required <= 0:
        return None
    players = [p for p in range(1, state.num_players + 1) if state.has_material(p)]
    actors = [p for p in players if has_real_action(state, p)]
    if len(actors) != 1:
        return None
    c = actors[0]
    rounds = state.lps_exclusive_rounds if state.lps_exclusive_player == c else 0
    if state.lps_actor_mask & ~(1 << c) == 0:
        rounds += 1
    if rounds >= required:
        return c, LAST_PLAYER_STANDING
    return None
