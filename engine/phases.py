"""The turn/phase machine (RULES.md 1.4): what follows a move, turn end, rotation and victory timing."""
from __future__ import annotations

from .lines import has_line
from .state import GameState
from .territory import has_processable_region
from .victory import evaluate_victory, finish, lps_turn_start


def enter_line_processing(s: GameState) -> None:
    s.must_move = None
    s.chain_pos = None
    s.phase = "line_processing"


def after_line_decision(s: GameState) -> None:
    """After process_line / choose_line_option: stay while a reward or another line is pending."""
    if s.pending_line or has_line(s, s.current_player):
        return
    post_line(s)


def post_line(s: GameState) -> None:
    p = s.current_player
    s.pending_line = False
    if not s.turn_acted and s.stack_bb[p] and not has_processable_region(s, p):
        s.phase = "forced_elimination"
    else:
        s.phase = "territory_processing"


def after_territory_elimination(s: GameState) -> None:
    s.pending_territory = False
    if has_processable_region(s, s.current_player):
        return
    post_territory(s)


def post_territory(s: GameState) -> None:
    p = s.current_player
    if not s.turn_acted and s.stack_bb[p]:
        s.phase = "forced_elimination"
    else:
        end_turn(s)


def end_turn(s: GameState) -> None:
    """Victory check, then the next player with material starts in ring_placement."""
    result = evaluate_victory(s)
    if result is not None:
        finish(s, *result)
        return
    rotate(s)
    lps_turn_start(s)


def end_turn_after_forced_elimination(s: GameState) -> None:
    """The reference engine rotates to the next player first and then checks victory; a game decided
    here ends with the next player's ring_placement phase on record (the fingerprint hides it)."""
    rotate(s)
    result = evaluate_victory(s)
    if result is not None:
        finish(s, *result, keep_phase=True)
        return
    lps_turn_start(s)


def rotate(s: GameState) -> None:
    n = s.num_players
    p = s.current_player
    nxt = p
    for _ in range(n):
        nxt = nxt % n + 1
        if s.has_material(nxt):
            break
    s.current_player = nxt
    s.phase = "ring_placement"
    s.must_move = None
    s.chain_pos = None
    s.pending_line = False
    s.pending_territory = False
    s.turn_acted = False
    s.turn_recovery = False
