"""Victory rules beyond what the reference games exercise: round-based LPS (R172) as an option, early LPS,
ring elimination at end of turn, and play_game / validate_game verdicts."""
from __future__ import annotations

from engine import apply_move, legal_moves, new_game, play_game, state_from_json, validate_game
from engine.victory import evaluate_victory


def _position(lps_rounds: int):
    # P2's only ring is buried under P1's stack at (0,0): P2 keeps taking (empty) turns but has no real action.
    board = {"type": "square8", "size": 8, "markers": {}, "collapsedSpaces": {}, "stacks": {
        "0,0": {"position": {"x": 0, "y": 0}, "rings": [1, 2], "stackHeight": 2, "capHeight": 1,
                "controllingPlayer": 1},
        "7,7": {"position": {"x": 7, "y": 7}, "rings": [1], "stackHeight": 1, "capHeight": 1,
                "controllingPlayer": 1}}}
    return state_from_json({
        "board": board, "currentPlayer": 1, "currentPhase": "ring_placement", "gameStatus": "active",
        "players": [{"playerNumber": 1, "ringsInHand": 10, "eliminatedRings": 0, "territorySpaces": 0},
                    {"playerNumber": 2, "ringsInHand": 0, "eliminatedRings": 0, "territorySpaces": 0}],
        "moveHistory": [], "victoryThreshold": 18, "territoryVictoryThreshold": 33,
        "rulesOptions": {"lpsRoundsRequired": lps_rounds}})


def _play_quietly(state, max_turns):
    """P1 places one ring per turn and makes a plain move; everything else is the only option."""
    turns = 0
    while state.status == "active" and turns < max_turns:
        legal = legal_moves(state)
        plain = [m for m in legal if m.type in ("place_ring", "move_stack") and (m.count or 1) == 1]
        move = plain[0] if plain else legal[0]
        before = state.current_player
        apply_move(state, move)
        if state.current_player != before:
            turns += 1
    return turns


def test_round_based_lps_ends_the_game_when_on():
    s = _position(3)
    _play_quietly(s, 12)
    assert s.status == "completed"
    assert (s.winner, s.reason) == (1, "last_player_standing")


def test_round_based_lps_off_keeps_playing():
    s = _position(0)
    _play_quietly(s, 12)
    assert s.status == "active"
    assert evaluate_victory(s) is None


def test_early_lps_when_opponents_have_no_rings_anywhere():
    s = _position(0)
    s.rings = list(s.rings)
    from engine.state import set_stack
    set_stack(s, s.geometry.index("0,0"), (1,))
    s.ring_count[2] = 0
    assert evaluate_victory(s) == (1, "last_player_standing")


def test_play_game_and_strict_validation_agree():
    class FirstMove:
        def __init__(self, seed=0):
            self.name = "first"

        def select_move(self, state, legal):
            return legal[len(legal) // 2]

    game = play_game("hex8", 2, [FirstMove(), FirstMove()], seed=5)
    assert game.status == "completed" and game.winner in (1, 2) and game.num_moves == len(game.moves_json)
    check = validate_game("hex8", 2, game.moves_json, expected_status="completed", expected_winner=game.winner,
                          expected_reason=game.reason)
    assert check.ok, check.detail
    wrong = validate_game("hex8", 2, game.moves_json, expected_status="completed",
                          expected_winner=3 - game.winner)
    assert (wrong.ok, wrong.code) == (False, "result_mismatch")
    cut = validate_game("hex8", 2, game.moves_json[:-1], expected_status="completed")
    assert (cut.ok, cut.code) == (False, "not_finished")
    tampered = [dict(m) for m in game.moves_json]
    tampered[0] = dict(tampered[0], placementCount=5)
    bad = validate_game("hex8", 2, tampered)
    assert (bad.ok, bad.code, bad.ply) == (False, "illegal_move", 1)
    junk = validate_game("hex8", 2, [{"type": "place_ring", "player": 1, "to": {"x": 40, "y": 0}}])
    assert (junk.ok, junk.code, junk.ply) == (False, "unparseable_move", 1)


def test_legacy_mode_confirms_a_win_decided_mid_turn():
    class FirstMove:
        def select_move(self, state, legal):
            return legal[0]

    game = play_game("square8", 2, [FirstMove(), FirstMove()], seed=1)
    # an old engine that checked victory after every move stopped at the first move where victory held
    s = new_game("square8", 2)
    stop = None
    for i, mj in enumerate(game.moves_json):
        from engine import move_from_json
        apply_move(s, move_from_json(mj, s))
        if s.status == "active" and evaluate_victory(s) is not None:
            stop = i + 1
            break
    if stop is None:
        stop = len(game.moves_json)
    legacy = validate_game("square8", 2, game.moves_json[:stop], mode="legacy", expected_winner=game.winner)
    assert legacy.ok, legacy.detail
    strict = validate_game("square8", 2, game.moves_json[:stop], expected_status="completed")
    assert strict.ok == (stop == len(game.moves_json))
    other = validate_game("square8", 2, game.moves_json[:stop], mode="legacy", expected_winner=3 - game.winner)
    assert (other.ok, other.code) == (False, "result_unconfirmed")


def _bare_board(territory, eliminated, markers, hands=(0, 0)):
    board = {"type": "square8", "size": 8, "stacks": {}, "collapsedSpaces": {}, "markers": {
        f"{i},5": {"position": {"x": i, "y": 5}, "player": p, "type": "regular"}
        for i, p in enumerate(markers)}}
    return state_from_json({
        "board": board, "currentPlayer": 1, "currentPhase": "territory_processing", "gameStatus": "active",
        "players": [{"playerNumber": i + 1, "ringsInHand": hands[i], "eliminatedRings": eliminated[i],
                     "territorySpaces": territory[i]} for i in range(2)],
        "moveHistory": [{"type": "no_territory_action", "player": 2, "to": {"x": 0, "y": 0}}],
        "victoryThreshold": 18, "territoryVictoryThreshold": 33})


def test_bare_board_stalemate_ladder():
    assert evaluate_victory(_bare_board((3, 2), (1, 9), ())) == (1, "territory_control")
    assert evaluate_victory(_bare_board((2, 2), (1, 9), ())) == (2, "ring_elimination")
    assert evaluate_victory(_bare_board((2, 2), (4, 4), (1, 2, 2))) == (2, "last_player_standing")
    assert evaluate_victory(_bare_board((2, 2), (4, 4), (1, 2))) == (2, "last_player_standing")  # last mover
    # a player who can still place a ring with a move keeps the game going
    assert evaluate_victory(_bare_board((2, 2), (4, 4), (), hands=(0, 3))) is None
